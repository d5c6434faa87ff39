package documents

import (
	"slices"
	"testing"
)

func TestLexiconNear(t *testing.T) {
	cases := []struct {
		docType, country, name, v string
		want                      string // an entry that must be near ("" none)
		in                        bool
	}{
		{DrivingLicence, "DE", "issuing_authority", "Stadt Kaln", "Stadt Köln", false},
		{DrivingLicence, "DE", "issuing_authority", "Landkreis Gotungen", "Landkreis Göttingen", false},
		{DrivingLicence, "DE", "issuing_authority", "Rhein-Sleg-Krnis", "Rhein-Sieg-Kreis", false},
		{DrivingLicence, "DE", "issuing_authority", "Bezirksamt Mite", "Bezirksamt Mitte", false},
		{DrivingLicence, "FR", "issuing_authority", "Préfecture de Met", "Préfecture de Metz", false},
		{IDCard, "DE", "birth_place", "HAMSURG", "HAMBURG", false},
		{IDCard, "DE", "birth_place", "IWARSCHLAU", "WARSCHAU", false},
		// the specimen's authority is in no lexicon, a few letters off one
		// (the pipeline weighs them and keeps a sure reading)
		{DrivingLicence, "DE", "issuing_authority", "Landratsamt Musterhausen", "Landratsamt Mühlhausen", false},
		{IDCard, "DE", "given_names", "GONTER", "GÜNTER", false},
		{DrivingLicence, "FR", "given_names", "Lmcas", "Lucas", false},
		{IDCard, "DE", "surname", "WERINER", "WERNER", false},
		{IDCard, "DE", "birth_name", "SCHRÖOEN", "SCHRÖDER", false},
		// an entry as read: nothing to weigh
		{IDCard, "DE", "surname", "MULLER", "", true},
		{IDCard, "DE", "surname", "MÖLLER", "", true},
		{DrivingLicence, "DE", "issuing_authority", "Stadt Köln", "", true},
		{IDCard, "DE", "birth_place", "FRANKFURT AM MAIN", "", true},
		{IDCard, "DE", "birth_place", "Frankfurt am Main", "", true},
		// too short to tell, or no lexicon
		{IDCard, "DE", "birth_place", "UL", "", false},
		{IDCard, "DE", "nationality", "DEUTSCH", "", false},
		{DrivingLicence, "IT", "issuing_authority", "Stadt Kaln", "", false},
	}
	for _, c := range cases {
		near, in := LexiconNear(c.docType, c.country, c.name, c.v)
		if in != c.in {
			t.Errorf("%s %q: in %v, want %v", c.name, c.v, in, c.in)
		}
		if c.want == "" && len(near) > 0 {
			t.Errorf("%s %q: near %v, want none", c.name, c.v, near)
		}
		if c.want != "" && !slices.Contains(near, c.want) {
			t.Errorf("%s %q: near %v, want %q among them", c.name, c.v, near, c.want)
		}
	}
}

// TestLexicons: every entry has letters to weigh, the German district
// table's places are there, in their own spelling, and the authorities
// are named by a body and a place.
func TestLexicons(t *testing.T) {
	for name, lex := range lexicons() {
		if len(lex) < 100 {
			t.Errorf("%s: %d entries, want a hundred or more", name, len(lex))
		}
		for i, e := range lex {
			if len([]rune(e.key)) < 2 {
				t.Errorf("%s: entry %q has %d letters", name, e.text, len([]rune(e.key)))
			}
			if i > 0 && lex[i-1].key > e.key {
				t.Errorf("%s: not sorted at %q", name, e.text)
			}
		}
	}
	has := func(name, text string) bool {
		return slices.ContainsFunc(lexicons()[name], func(e lexEntry) bool { return e.text == text })
	}
	for _, c := range [][2]string{
		{"birth_place", "Göttingen"}, {"birth_place", "Warschau"}, {"birth_place", "Nîmes"},
		{"issuing_authority DE", "Landratsamt Erding"}, {"issuing_authority DE", "Rhein-Sieg-Kreis"},
		{"issuing_authority FR", "Préfecture de Metz"},
		{"given_names", "Jürgen"}, {"given_names", "Émile"}, {"given_names", "Mehmet"},
		{"surname", "Müller"}, {"surname", "Yilmaz"}, {"surname", "Lefèvre"},
	} {
		if !has(c[0], c[1]) {
			t.Errorf("%s lacks %q", c[0], c[1])
		}
	}
}

func BenchmarkLexiconNear(b *testing.B) {
	lexicons()
	for i := 0; i < b.N; i++ {
		LexiconNear(DrivingLicence, "DE", "issuing_authority", "Landkreis Gotungen")
		LexiconNear(IDCard, "DE", "birth_place", "HAMSURG")
	}
}
