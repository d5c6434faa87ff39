package mrz

import (
	"errors"
	"math/rand"
	"strings"
	"testing"
)

// fuzzSeeds are generated MRZs of every format and a few damaged ones.
func fuzzSeeds() []string {
	rng := rand.New(rand.NewSource(1))
	var out []string
	for _, f := range genFormats {
		lines := f.gen(rng)
		out = append(out, strings.Join(lines, "\n"))
		bad, _ := corrupt(rng, lines, map[[2]int]bool{})
		out = append(out, strings.Join(bad, "\n"))
	}
	return append(out, "", "\n\n", "<<<", "P<", "I<UTO«ERIKSSON", "D1", strings.Repeat("<", 5000), "\xff\xfe\x00")
}

func checkRecord(t *testing.T, r *Record, err error) {
	if err != nil {
		if r != nil {
			t.Fatalf("record and error: %v", err)
		}
		if !errors.Is(err, ErrNotMRZ) {
			t.Fatalf("error does not wrap ErrNotMRZ: %v", err)
		}
		return
	}
	if r.Corrections == nil || r.Fields == nil || r.Checks == nil || len(r.Lines) == 0 {
		t.Fatalf("incomplete record %+v", r)
	}
	if r.Confidence < 0 || r.Confidence > 1 {
		t.Fatalf("confidence %v", r.Confidence)
	}
	l := layoutFor(r.Format, r.Lines[0])
	if l == nil {
		t.Fatalf("unknown format %q for %q", r.Format, r.Lines)
	}
	for i, n := range l.lens {
		if len(r.Lines[i]) != n {
			t.Fatalf("line %d has %d characters, %s needs %d", i+1, len(r.Lines[i]), r.Format, n)
		}
	}
	if r.Valid {
		for k, v := range r.Checks {
			if !v {
				t.Fatalf("valid with failing check %s", k)
			}
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := Parse(strings.Split(s, "\n"), Options{Now: benchNow})
		checkRecord(t, r, err)
		if err == nil {
			// Parsing its own output is stable.
			r2, err := Parse(r.Lines, Options{Now: benchNow})
			if err != nil || strings.Join(r2.Lines, "\n") != strings.Join(r.Lines, "\n") || r2.Valid != r.Valid {
				t.Fatalf("reparse of %q: %v", r.Lines, err)
			}
		}
	})
}

func FuzzRead(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ReadText(s, Options{Now: benchNow})
		checkRecord(t, r, err)
		if err == nil && r.Valid {
			// A valid repair is a fixed point of the strict parser.
			p, err := Parse(r.Lines, Options{Now: benchNow})
			if err != nil || !p.Valid {
				t.Fatalf("repaired %q does not parse valid: %v", r.Lines, err)
			}
		}
	})
}
