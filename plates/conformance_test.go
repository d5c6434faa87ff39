package plates

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

const casesPath = "../../shared/corpus/de_plate_cases.json"

type corpusCase struct {
	Text       string            `json:"text"`
	Valid      *bool             `json:"valid"`
	Country    string            `json:"country"`
	Parts      map[string]string `json:"parts"`
	Normalized string            `json:"normalized"`
	Note       string            `json:"note"`
}

func groupsOf(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '-' || r == '/' })
}

// agree reports whether our parse of c agrees with the peer's expectation, and what we said.
func agree(c corpusCase) (bool, string) {
	rec, err := Parse(c.Text, Options{Country: c.Country})
	got := "err=" + errString(err)
	if rec != nil {
		got = "valid=" + boolString(rec.Valid) + " display=" + rec.Display + " country=" + rec.Country
		if rec.Reason != "" {
			got += " reason=" + rec.Reason
		}
	}
	switch {
	case c.Valid == nil:
		return strings.Join(groupsOf(rec.Display), "|") == strings.Join(groupsOf(c.Normalized), "|"), got
	case *c.Valid:
		if err != nil || !rec.Valid || rec.Country != c.Country {
			return false, got
		}
		if len(c.Parts) > 0 {
			p := rec.Parts
			if p.District != c.Parts["district"] || p.Letters != c.Parts["letters"] || p.Digits != c.Parts["digits"] || p.Suffix != c.Parts["suffix"] {
				return false, got + " parts=" + p.District + "/" + p.Letters + "/" + p.Digits + "/" + p.Suffix
			}
		}
		return true, got
	default:
		return err != nil || !rec.Valid || rec.Country != c.Country, got
	}
}

func errString(err error) string {
	if err == nil {
		return "nil"
	}
	return err.Error()
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// TestConformance runs the peer validators' cases and requires >= 97% agreement.
//
//	go test -p 1 -run TestConformance -v ./plates/
func TestConformance(t *testing.T) {
	data, err := os.ReadFile(casesPath)
	if err != nil {
		t.Skipf("conformance corpus not available (%v); it lives in ../shared/corpus", err)
	}
	var doc struct {
		Cases []corpusCase `json:"cases"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	n, ok := 0, 0
	for _, c := range doc.Cases {
		n++
		good, got := agree(c)
		if good {
			ok++
			continue
		}
		want := "normalized=" + c.Normalized
		if c.Valid != nil {
			want = "valid=" + boolString(*c.Valid)
		}
		t.Logf("DISAGREE %s %q: want %s; got %s (%s)", c.Country, c.Text, want, got, c.Note)
	}
	pct := 100 * float64(ok) / float64(n)
	t.Logf("conformance: %d/%d = %.1f%%", ok, n, pct)
	if pct < 97 {
		t.Errorf("conformance %.1f%% < 97%%", pct)
	}
}
