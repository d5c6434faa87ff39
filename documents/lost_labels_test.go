package documents

import (
	"testing"
	"time"
)

// Field numbers lost or misread on an EU licence's numbered column.
func TestReadFieldsLostLabels(t *testing.T) {
	defer func(now func() time.Time) { Now = now }(Now)
	Now = func() time.Time { return time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC) }
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
	// lic7 licence_0037: 4a's date and 4c's number lost, the authority
	// beside them left
	got = ReadFields(DrivingLicence, "DE", []Line{
		line("1. KOWALSKI", 339, 161, 583, 205), line("3", 340, 282, 358, 299),
		line("4a. LandratsamtMusterhausen", 339, 328, 974, 360), line("4b. 12.11.2", 341, 377, 518, 411),
		line("5 E0777CHAT49", 339, 426, 635, 467),
	}, 1000, 630)
	wantFields(t, "DE (4a's date lost)", got, map[string]string{"issuing_authority": "Landratsamt Musterhausen", "surname": "KOWALSKI"})
	wantUnread(t, "read from an authority", got, "issue_date")
	// lic7 licence_0057: 5 read 3 before a number that keeps its check
	got = ReadFields(DrivingLicence, "DE", []Line{
		line("SCHRODER", 338, 163, 588, 204), line("MBURG", 622, 266, 751, 313), line("SocLepog", 647, 325, 887, 367),
		line("3 U678DR6UV44", 339, 430, 644, 466), line("AB/C1/DIE/T", 47, 541, 302, 576),
	}, 1000, 630)
	wantFields(t, "DE (5 read 3)", got, map[string]string{"document_number": "U678DR6UV44"})
	wantUnread(t, "from the number's row", got, "birth_date")
	// licence_0140: the birth year cut short by glare ("02.04.19") is no
	// holder's birth in 2019
	got = ReadFields(DrivingLicence, "FR", []Line{
		line("1. MICHEL", 339, 167, 520, 197), line("2 Jules", 339, 219, 476, 254), line("3 02.04.19", 337, 272, 535, 302),
		line("4b 05.05.2", 336, 376, 505, 407), line("5 21SL6", 338, 430, 499, 458),
	}, 1000, 630)
	wantUnread(t, "a holder too young", got, "birth_date")
	// licence_0090: an expiry 61 years ahead is misread
	got = ReadFields(DrivingLicence, "DE", []Line{
		line("3. 10.05.1990 HANNOVER", 337, 272, 735, 302), line("4b. 27.052087", 335, 375, 580, 415),
		line("5 DI15NSFZ068", 332, 430, 649, 466),
	}, 1000, 630)
	wantUnread(t, "further ahead than a licence is valid", got, "expiry_date")
	if got = ReadFields(DrivingLicence, "DE", []Line{line("4b. 26.05.2041", 335, 375, 580, 415)}, 1000, 630); got["expiry_date"].Value != "2041-05-26" {
		t.Errorf("expiry_date %q, want 2041-05-26 (within the term)", got["expiry_date"].Value)
	}
	// licence_0119, glare over the left of the fields: 4b's 05.03.2035
	// left as "3.2035", under 4c's row, is no field 3 (the numbers run
	// down); the birth row is the first opening with a date, and the row
	// two pitches above it, the given names' lost between, the surname's
	got = ReadFields(DrivingLicence, "DE", []Line{
		line("FUHRERSCHEIN", 222, 41, 585, 76), line("BUNDES EUTSCHLAND", 218, 96, 597, 121),
		line("EIDER", 484, 164, 587, 196), line("1972 LEIPZIG", 496, 272, 699, 299),
		line("2020 4c. Stadt Köln", 488, 322, 839, 354), line("3.2035", 462, 374, 565, 407),
		line("LO K090EDJFC23", 339, 429, 615, 460), line("9 A1/A/B/D1/D1E/DE/L/T", 45, 542, 423, 569),
	}, 1000, 630)
	wantFields(t, "DE (glare over the left)", got, map[string]string{"surname": "EIDER", "birth_place": "LEIPZIG", "issuing_authority": "Stadt Köln"})
	wantUnread(t, "from another row", got, "given_names")
	// a row whose first label is 4c and no date before it gives no issue
	got = ReadFields(DrivingLicence, "DE", []Line{
		line("3.", 341, 272, 362, 303), line("16.01.1962 GÖTTINGEN", 396, 272, 764, 303),
		line("Ks", 400, 324, 430, 356), line("4c.StadtBonn", 650, 324, 851, 356),
	}, 1000, 630)
	wantUnread(t, "read from no date", got, "issue_date")
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
	// licence_0095: "AL/S/CL/C/L" holds no category S and parses in no
	// order cheaply: no categories (the grammar's spelling may follow)
	got = ReadFields(DrivingLicence, "FR", []Line{
		line("4b.09.05.2038", 338, 379, 568, 408), line("5 238C37223", 341, 432, 585, 460),
		line("9 AL/S/CL/C/L", 48, 542, 272, 572),
	}, 1000, 630)
	wantUnread(t, "from a row of unknown ones", got, "categories")
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

// A name's visual reading cut short (glare over its end) takes the valid
// MRZ's, which holds it whole (lic7 licence_0023: DUR beside DURAND<<).
func TestFromMRZCutName(t *testing.T) {
	for _, c := range []struct {
		visual, mrz string
		max         int
		want        string
	}{
		{"DUR", "DURAND", 8, "DURAND"},
		{"DU", "DURAND", 8, ""},   // too few letters to tell
		{"DUB", "DURAND", 8, ""},  // no start of it: another name
		{"MÜL", "MUELLER", 0, ""}, // umlaut: the letters move in the MRZ
		{"MUST", "MUSTERMANN", 0, "MUSTERMANN"},
		{"Dur", "DURAND", 8, "DURAND"},
	} {
		fix := FromMRZ(map[string]string{"surname": c.visual}, map[string]string{"surname": c.mrz}, true, c.max)
		if got := fix["surname"]; got != c.want {
			t.Errorf("visual %q, MRZ %q: %q, want %q", c.visual, c.mrz, got, c.want)
		}
	}
	if fix := FromMRZ(map[string]string{"surname": "DUR"}, map[string]string{"surname": "DURAND"}, false, 8); len(fix) != 0 {
		t.Errorf("an invalid MRZ corrected %v", fix)
	}
}

// wantUnread fails where got holds field, which should be left unread
// (why says why).
func wantUnread(t *testing.T, why string, got map[string]Read, field string) {
	t.Helper()
	if v, ok := got[field]; ok {
		t.Errorf("%s %q: %s", field, v.Value, why)
	}
}
