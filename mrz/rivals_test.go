package mrz

import (
	"slices"
	"testing"
)

// ocrLines makes OCR lines of ls: every character read at 0.99 alone, but
// where alts gives the cell's choices (line, column).
func ocrLines(ls []string, alts map[[2]int][]CharAlt) []Line {
	out := make([]Line, len(ls))
	for k, l := range ls {
		out[k].Text = l
		out[k].Alts = make([][]CharAlt, len(l))
		for i := range l {
			if a, ok := alts[[2]int{k, i}]; ok {
				out[k].Alts[i] = a
			} else {
				out[k].Alts[i] = []CharAlt{{l[i], 0.99}}
			}
		}
	}
	return out
}

// TestRivals: a zone refused as ambiguous lists the other valid readings
// that made it so (Rivals), each valid on its own and differing from the
// chosen lines only where a check digit looks; a zone read unambiguously
// lists none. The TD1 zone's composite holds with the optional data's
// last letter O and the Q of line 2 as read, or with that O read 0 and
// the Q made 0 (synthetic scene mrz_0297). Where the recognizer saw both
// exchanges (each runner-up at minSwapProb, the Q's 0, a weak partner, at
// minWeakSwapProb), the zone is refused for a check digit collision even
// where the repair's costs leave no rival (the pipeline's cell classifier
// settles it: mrz_0297 is read).
func TestRivals(t *testing.T) {
	read := []string{"ITHRVMC7TN8QCJ48QAU94JJ0<<<<<<", "6701103F3302163HRVWLI72EQ<<<<1", "PAPADOPOULOS<<JEAN<PIERRE<<<<<"}
	withO := []string{"ITHRVMC7TN8QCJ48QAU94JJO<<<<<<", "6701103F3302163HRVWLI72EQ<<<<1", "PAPADOPOULOS<<JEAN<PIERRE<<<<<"}
	withZeros := []string{"ITHRVMC7TN8QCJ48QAU94JJ0<<<<<<", "6701103F3302163HRVWLI72E0<<<<1", "PAPADOPOULOS<<JEAN<PIERRE<<<<<"}
	for _, c := range []struct {
		name      string
		o, zero   float64 // the first cell's O, the second cell's 0
		valid     bool
		lines     []string
		rivals    [][]string
		collision bool // refused for a check digit collision, no rival
	}{
		{"the O seen clearly: no rival, but a collision", 0.45, 0.3, false, withO, nil, true},
		{"the O seen clearly, the Q's 0 faint: no rival", 0.45, 0.05, true, withO, nil, false},
		{"both exchanges alike", 0.3, 0.49, false, withO, [][]string{withZeros}, false},
		{"the Q's 0 likelier", 0.1, 0.49, false, withZeros, [][]string{withO}, false},
		{"the O barely seen: no rival, but a collision", 0.05, 0.49, false, withZeros, nil, true},
		{"the O not seen: no rival", 0.005, 0.49, true, withZeros, nil, false},
	} {
		alts := map[[2]int][]CharAlt{
			{0, 23}: {{'0', 0.5}, {'O', c.o}},
			{1, 24}: {{'Q', 0.5}, {'0', c.zero}},
		}
		r, err := ReadOCR(ocrLines(read, alts), Options{})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if r.Valid != c.valid || !slices.Equal(r.Lines, c.lines) {
			t.Errorf("%s: valid %v lines %q, want %v %q", c.name, r.Valid, r.Lines, c.valid, c.lines)
		}
		if !c.valid && !c.collision && r.Checks["unambiguous"] {
			t.Errorf("%s: refused, but not as ambiguous: %v", c.name, r.Checks)
		}
		if ok, listed := r.Checks["check_digit_collision"]; c.collision != (listed && !ok) {
			t.Errorf("%s: checks %v, want a collision: %v", c.name, r.Checks, c.collision)
		}
		if len(r.Rivals) != len(c.rivals) {
			t.Fatalf("%s: rivals %q, want %q", c.name, r.Rivals, c.rivals)
		}
		for i, rv := range r.Rivals {
			if !slices.Equal(rv, c.rivals[i]) {
				t.Errorf("%s: rival %q, want %q", c.name, rv, c.rivals[i])
			}
			p, err := Parse(rv, Options{})
			if err != nil || !p.Valid {
				t.Errorf("%s: rival %q does not validate on its own (%v)", c.name, rv, err)
			}
		}
	}
}
