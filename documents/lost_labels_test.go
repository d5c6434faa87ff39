package documents

import "testing"

// Field numbers lost or misread on an EU licence's numbered column.
func TestReadFieldsLostLabels(t *testing.T) {
	// lic7 licence_0029: 3 read "m", 4a "43", the rest lost; only the
	// categories' 9 read, which numbers none of the column's rows: the
	// first row opening with a date after its misread number is field 3
	got := ReadFields(DrivingLicence, "FR", []Line{
		line("PERMIS DE CONDUIRE", 224, 49, 688, 80), line("REPUBLIQUEFRANCAISE", 221, 99, 497, 125),
		line("ROUX", 396, 166, 494, 199), line("Louis", 395, 219, 487, 254),
		line("m", 339, 276, 358, 300), line("15.11.1955 (Metz)", 396, 271, 683, 307),
		line("43", 340, 327, 370, 352), line("10.03.2020", 396, 325, 566, 355), line("Ac.Prefecture de Lille", 652, 325, 939, 355),
		line("09.03.2035", 396, 379, 564, 407), line("20KJ04449", 396, 430, 575, 462),
		line("9", 49, 546, 64, 565), line("A1/A2/B/D/C1E/DE", 98, 544, 367, 571),
		line("D1FRA20KJ044490350309R0UX<<<<8", 80, 576, 920, 611),
	}, 1000, 630)
	wantFields(t, "FR (3 read m, 4a read 43)", got, map[string]string{"surname": "ROUX", "given_names": "Louis",
		"birth_date": "1955-11-15", "birth_place": "Metz", "issue_date": "2020-03-10", "expiry_date": "2035-03-09",
		"issuing_authority": "Préfecture de Lille", "document_number": "20KJ04449", "categories": "A1 A2 B D C1E DE"})

	// licence_0032: glare took 4a's number; 4c's, on the same row, read:
	// the date before it is 4a's
	got = ReadFields(DrivingLicence, "DE", []Line{
		line("FUHRERSCHEIN", 226, 42, 590, 84), line("1.", 340, 169, 360, 197), line("RICHTER", 396, 169, 540, 197),
		line("2", 340, 221, 355, 249), line("SOPHIE", 396, 221, 522, 249),
		line("3.", 341, 272, 362, 303), line("16.01.1962 GÖTTINGEN", 396, 272, 764, 303),
		line("28.06.2022", 400, 324, 566, 356), line("4c.StadtBonn", 650, 324, 851, 356),
		line("06.2037", 449, 377, 568, 409), line("9", 49, 544, 64, 572), line("AM/B/D/T", 98, 544, 240, 572),
	}, 1000, 630)
	wantFields(t, "DE (4a lost beside 4c)", got, map[string]string{"issue_date": "2022-06-28", "issuing_authority": "Stadt Bonn",
		"birth_date": "1962-01-16"})
	// a row whose first label is 4c and no date before it gives no issue
	got = ReadFields(DrivingLicence, "DE", []Line{
		line("3.", 341, 272, 362, 303), line("16.01.1962 GÖTTINGEN", 396, 272, 764, 303),
		line("Ks", 400, 324, 430, 356), line("4c.StadtBonn", 650, 324, 851, 356),
	}, 1000, 630)
	if v, ok := got["issue_date"]; ok {
		t.Errorf("issue_date %q read from no date", v.Value)
	}
}

// A categories row split into a category twice or out of the directive's
// order is parsed in that order (licence_0145: CLL read C L L for C1/L).
func TestReadFieldsCategoriesReordered(t *testing.T) {
	got := ReadFields(DrivingLicence, "DE", []Line{
		line("4b.", 340, 384, 377, 408), line("16.04.2034", 397, 380, 567, 408),
		line("5", 341, 438, 360, 458), line("D090874H915", 399, 432, 630, 460),
		line("9", 45, 546, 64, 565), line("AMAL/BLB/CLL", 98, 542, 347, 570),
	}, 1000, 630)
	wantFields(t, "CLL", got, map[string]string{"categories": "AM A1 B1 B C1 L"})
	for _, c := range []struct {
		v    string
		want bool
	}{
		{"AM A1 B1 B C1 L", true}, {"B", true}, {"C L L", false}, {"B A", false}, {"AL S", false}, {"", false}, {"B1 B BE C1E CE", true},
	} {
		if got := directiveOrdered(c.v); got != c.want {
			t.Errorf("directiveOrdered(%q) = %v, want %v", c.v, got, c.want)
		}
	}
}
