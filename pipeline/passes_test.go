package pipeline

import (
	"testing"

	"docscan/mrz"
)

// TestBetterKeepsFormedZone: of two passes neither of which validates its
// zone, the one whose check digits, dates and codes hold is kept over a
// later one whose lines cannot be a document's print (mrz_0188 of the
// synthetic scenes: the correct lines refused for a glyph's height, then a
// reading with characters doubled and an expiry in month 24).
func TestBetterKeepsFormedZone(t *testing.T) {
	parse := func(lines ...string) *mrz.Record {
		t.Helper()
		r, err := mrz.Parse(lines, mrz.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	refused := parse("P<CHEGARCIA<<SOPHIE<<<<<<<<<<<<<<<<<<<<<<<<<", "FZ92U8QXL3CHE0306229F2402240H0PJC3HNSJT<<<20")
	if !refused.Valid {
		t.Fatalf("truth lines do not validate: %v", refused.Checks)
	}
	refused.Valid, refused.Checks["glyph_height"] = false, false
	doubled := parse("P<CHEEGARCIAA<<SOPHIE<<<<<<<<<<<<<<<<<<<<<<<", "FZ92UUBQX1XCC4903062F99240224000PC3HNSJT<<20")
	if doubled.Valid {
		t.Fatal("doubled reading validates")
	}
	other := parse("P<CHEGARCIA<<SOPHIE<<<<<<<<<<<<<<<<<<<<<<<<<", "FZ92U8QXL3CHE0306229F2402240H0PJC3HNSJT<<<20")
	other.Valid, other.Checks["unambiguous"] = false, false
	valid := parse("P<CHEGARCIA<<SOPHIE<<<<<<<<<<<<<<<<<<<<<<<<<", "FZ92U8QXL3CHE0306229F2402240H0PJC3HNSJT<<<20")
	for _, c := range []struct {
		name        string
		first, fine []Record
		want        bool
	}{
		{"formed refused over malformed", []Record{refused}, []Record{doubled}, true},
		{"malformed never over formed", []Record{doubled}, []Record{refused}, false},
		{"two formed: the fine pass", []Record{refused}, []Record{other}, false},
		{"two malformed: the fine pass", []Record{doubled}, []Record{doubled}, false},
		{"a valid zone first", []Record{valid}, []Record{doubled}, true},
		{"a valid zone later", []Record{refused}, []Record{valid}, false},
		{"no zone later: more records", []Record{refused}, nil, true},
	} {
		if got := better(c.first, c.fine); got != c.want {
			t.Errorf("%s: better = %v, want %v", c.name, got, c.want)
		}
	}
}
