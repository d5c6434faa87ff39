package mrz

import (
	"math"
	"testing"
)

// TestLetterScore: the evidence for a printed letter comes from the static
// confusion table or from the recognizer's list; a letter that is in
// neither is no candidate, so it cannot make a guessed name letter look
// ambiguous.
func TestLetterScore(t *testing.T) {
	zeroD := cell{c: '0', alts: []CharAlt{{'0', 0.68}, {'D', 0.17}}}
	zeroX := cell{c: '0', alts: []CharAlt{{'0', 0.6}, {'X', 0.3}}}
	bare := cell{c: '0'}
	cases := []struct {
		name   string
		ce     cell
		x      byte
		finite bool
	}{
		{"listed partner", zeroD, 'D', true},
		{"unlisted partner", zeroD, 'O', true},
		{"unlisted stranger", zeroD, 'A', false},
		{"listed stranger", zeroX, 'X', true},
		{"stranger beside a listed one", zeroX, 'A', false},
		{"no list: partner", bare, 'Q', true},
		{"no list: stranger", bare, 'A', false},
	}
	for _, c := range cases {
		got := letterScore(c.ce, c.x)
		if finite := !math.IsInf(got, -1); finite != c.finite {
			t.Errorf("%s: letterScore(%q, %q) = %v, want finite %v", c.name, c.ce.c, c.x, got, c.finite)
		}
	}
	// the listed partner outweighs the same partner unlisted
	if d, q := letterScore(zeroD, 'D'), letterScore(zeroD, 'Q'); d <= q {
		t.Errorf("listed D %v not above unlisted Q %v", d, q)
	}
}

// TestNamesGuessStatic: a 5 read in a name, the recognizer listing
// nothing else, is the S its only table partner says; no letter outside
// the table and the list makes the guess ambiguous.
func TestNamesGuessStatic(t *testing.T) {
	orig := []string{
		"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
		"L898902C36UTO7408122F1204159ZE184226B<<<<<10",
	}
	read := []string{"P<UTOERIK5SON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", orig[1]}
	in := make([]Line, len(read))
	for i, s := range read {
		in[i].Text = s
		for j := 0; j < len(s); j++ {
			p := 0.99
			if s[j] != orig[i][j] {
				p = 0.9
			}
			in[i].Alts = append(in[i].Alts, []CharAlt{{s[j], p}})
		}
	}
	r, err := ReadOCR(in, Options{Now: benchNow})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Valid || r.Lines[0] != orig[0] {
		t.Errorf("got %q valid %v checks %v, want %q valid", r.Lines, r.Valid, r.Checks, orig[0])
	}
}
