package pipeline

import (
	mbits "math/bits"

	"docscan/mrz"
)

// Check digit collisions. In a checked alphanumeric field (a document
// number, optional data) the recognizer's choice between O and 0 (or I and
// 1, B and 8, S and 5, Z and 2) is weak evidence in OCR-B, and two such
// exchanges often cancel in the check digit: O and 0 differ by 24, so an
// exchange under weight 7 moves the sum by 8 (mod 10) and one under weight
// 3 by 2, which together make 10. The repair weighs the recognizer's odds;
// where another choice at two or more such characters, each one the
// recognizer saw and the neighbours allow, satisfies every check as well,
// the zone is ambiguous and not valid. (Counting every O and 0 next to a
// letter, seen or not, refused clean readings of numbers like H6E0TSG0V,
// whose two zeros exchanged for O satisfy the check digit as well.)

// swapPartner is the confusable character of the other type.
var swapPartner = [256]byte{'0': 'O', 'O': '0', '1': 'I', 'I': '1', '8': 'B', 'B': '8', '5': 'S', 'S': '5', '2': 'Z', 'Z': '2'}

const (
	// minSwapProb is the probability from which a recognizer's runner-up
	// counts as seen.
	minSwapProb = 0.01
	// maxSwaps bounds the positions combined (2^n readings are parsed).
	maxSwaps = 8
)

// swapAmbiguous reports whether another reading of the zone, exchanging
// two or more characters in checked alphanumeric fields for their
// confusable partners, is as valid as the record; it lists the characters
// that were exchanged (nil when none collides).
func swapAmbiguous(rec *mrz.Record, in []mrz.Line) []glyphHit {
	checked := mrz.CheckedPositions(rec)
	if checked == nil || len(in) != len(rec.Lines) {
		return nil
	}
	type swap struct {
		k, i int
		to   byte
	}
	var sw []swap
	for k, fl := range rec.Lines {
		if len(checked[k]) != len(fl) {
			return nil
		}
		m := align(fl, in[k].Text)
		for i := 0; i < len(fl); i++ {
			to := swapPartner[fl[i]]
			if to == 0 || !checked[k][i] {
				continue
			}
			// The repair changed it (the recognizer read the partner), or
			// a neighbour has the partner's type and the recognizer saw
			// the partner.
			seen := false
			if j := m[i]; j >= 0 && j < len(in[k].Alts) {
				seen = in[k].Text[j] == to
				if typeNear(fl, i, to) {
					for _, a := range in[k].Alts[j] {
						seen = seen || a.Char == to && a.Prob >= minSwapProb
					}
				}
			}
			if seen {
				sw = append(sw, swap{k, i, to})
			}
		}
	}
	if len(sw) < 2 || len(sw) > maxSwaps {
		return nil // one exchange alone always moves a check digit
	}
	lines := make([][]byte, len(rec.Lines))
	for mask := 1; mask < 1<<len(sw); mask++ {
		if mbits.OnesCount(uint(mask)) < 2 {
			continue
		}
		for k, l := range rec.Lines {
			lines[k] = append(lines[k][:0], l...)
		}
		for b, s := range sw {
			if mask&(1<<b) != 0 {
				lines[s.k][s.i] = s.to
			}
		}
		alt := make([]string, len(lines))
		for k, l := range lines {
			alt[k] = string(l)
		}
		if r, err := mrz.Parse(alt, mrz.Options{}); err == nil && r.Valid {
			var at []glyphHit
			for b, s := range sw {
				if mask&(1<<b) != 0 {
					at = append(at, glyphHit{s.k, s.i})
				}
			}
			return at
		}
	}
	return nil
}

// typeNear reports whether a neighbour of position i has the type (letter
// or digit) of c: an O between two digits of a number is not read for a 0.
func typeNear(l string, i int, c byte) bool {
	digit := c >= '0' && c <= '9'
	for _, j := range []int{i - 1, i + 1} {
		if j < 0 || j >= len(l) {
			continue
		}
		if d := l[j] >= '0' && l[j] <= '9'; d == digit && l[j] != '<' {
			return true
		}
	}
	return false
}
