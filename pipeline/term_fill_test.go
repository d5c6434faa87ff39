package pipeline

import (
	"testing"

	"docscan/documents"
)

func TestLicenceTermFill(t *testing.T) {
	issue := documents.Read{Value: "2022-06-28"}
	expiry := documents.Read{Value: "2037-06-27"}
	for _, c := range []struct {
		what  string
		reads map[string]documents.Read
		lines []string
		name  string // the field filled ("" for none)
		want  string
	}{
		{"expiry's end (licence_0032)", map[string]documents.Read{"issue_date": issue}, []string{"28.06.2022 4c.StadtBonn", "06.2037"}, "expiry_date", "2037-06-27"},
		{"expiry whole but unlabelled", map[string]documents.Read{"issue_date": issue}, []string{"27.06.2037"}, "expiry_date", "2037-06-27"},
		{"issue's start", map[string]documents.Read{"expiry_date": expiry}, []string{"4a. 28.06 4c.Stadt Bonn"}, "issue_date", "2022-06-28"},
		{"a piece of another date", map[string]documents.Read{"issue_date": issue}, []string{"16.01.1962", "27.06.1990"}, "", ""},
		{"too short a piece", map[string]documents.Read{"expiry_date": expiry}, []string{"4a 28 Stadt Bonn"}, "", ""},
		{"no stop", map[string]documents.Read{"issue_date": issue}, []string{"2037"}, "", ""},
		{"inside, not an end", map[string]documents.Read{"issue_date": issue}, []string{"7.06.20"}, "", ""},
		{"both read", map[string]documents.Read{"issue_date": issue, "expiry_date": {Value: "2037-06-20"}}, []string{"06.2037"}, "", ""},
		{"neither read", map[string]documents.Read{}, []string{"06.2037"}, "", ""},
		// lic7 licence_0106: a stop read as 7
		{"a stop read as a digit", map[string]documents.Read{"expiry_date": {Value: "2032-12-23"}}, []string{"24.1272017 "}, "issue_date", "2017-12-24"},
		{"two stops read as digits", map[string]documents.Read{"expiry_date": {Value: "2032-12-23"}}, []string{"2471272017"}, "", ""},
		{"a stop read as a digit in a piece", map[string]documents.Read{"issue_date": issue}, []string{"7706.2037"}, "", ""},
		{"a digit wrong", map[string]documents.Read{"expiry_date": {Value: "2032-12-23"}}, []string{"24.12.2018"}, "", ""},
		// lic7 licence_0080: glare left 4a's year before 4c
		{"the issue's year alone before 4c", map[string]documents.Read{"expiry_date": expiry}, []string{"2022 4c.PrefecturedeNancy"}, "issue_date", "2022-06-28"},
		{"after 4a's number", map[string]documents.Read{"expiry_date": expiry}, []string{"4a. 2022 4c Stadt Bonn"}, "issue_date", "2022-06-28"},
		{"another year before 4c", map[string]documents.Read{"expiry_date": expiry}, []string{"2021 4c.Stadt Bonn"}, "", ""},
		{"the year without 4c", map[string]documents.Read{"expiry_date": expiry}, []string{"2022"}, "", ""},
		{"the year after other text", map[string]documents.Read{"expiry_date": expiry}, []string{"Bonn 2022 4c."}, "", ""},
		{"the expiry's year is no piece", map[string]documents.Read{"issue_date": issue}, []string{"2037 4c.Stadt Bonn"}, "", ""},
	} {
		var lines []documents.Line
		for _, s := range c.lines {
			lines = append(lines, documents.Line{Text: s, Conf: 0.9})
		}
		before := len(c.reads)
		licenceTermFill(lines, c.reads, "")
		switch {
		case c.name == "" && len(c.reads) != before:
			t.Errorf("%s: filled %v", c.what, c.reads)
		case c.name != "" && c.reads[c.name].Value != c.want:
			t.Errorf("%s: %s = %q, want %q", c.what, c.name, c.reads[c.name].Value, c.want)
		}
	}
}

// TestLicenceTermFillYearRow: the issue's year alone on a line of its own
// fills the issue date where 4c's number opens a line right of it on the
// same row (lic7 licence_0080: "2022" beside "4c. Prefecture de Nancy"),
// not where that line stands on another row or left of it.
func TestLicenceTermFillYearRow(t *testing.T) {
	year := documents.Line{Text: "2022", Box: [4]float64{487, 324, 530, 358}}
	for _, c := range []struct {
		what string
		box  [4]float64
		want string
	}{
		{"4c right of it", [4]float64{540, 326, 969, 357}, "2022-06-28"},
		{"4c on the row below", [4]float64{540, 377, 969, 408}, ""},
		{"4c left of it", [4]float64{100, 326, 480, 357}, ""},
	} {
		reads := map[string]documents.Read{"expiry_date": {Value: "2037-06-27"}}
		licenceTermFill([]documents.Line{year, {Text: "4c. Prefecture de Nancy", Box: c.box}}, reads, "")
		if got := reads["issue_date"].Value; got != c.want {
			t.Errorf("%s: issue %q, want %q", c.what, got, c.want)
		}
	}
}
