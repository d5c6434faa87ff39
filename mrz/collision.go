package mrz

import (
	"math"
	"math/bits"
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

// weakPartner lists the confusable characters of the other type that
// OCR-B makes less alike (D and Q with 0): they count only where the
// recognizer read them, or was unsure (listed them at minWeakSwapProb or
// more), since a faint D behind a clean 0 is common.
var weakPartner = [256][]byte{'0': {'D', 'Q'}, 'D': {'0'}, 'Q': {'0'}}

// SwapPartner is c's confusable character of the other type (O for 0, 1
// for I, ...; those of Collisions), 0 where c has none.
func SwapPartner(c byte) byte { return swapPartner[c] }

const (
	// minSwapProb is the probability from which a recognizer's runner-up
	// counts as seen.
	minSwapProb = 0.01
	// minWeakSwapProb is the probability from which a recognizer's
	// runner-up counts as seen for a weak partner, and for any partner
	// whatever the neighbours' types.
	minWeakSwapProb = 0.1
	// maxSwaps bounds the positions combined (2^n readings are parsed).
	maxSwaps = 8
)

// Exchange is one character of a check digit collision: the 0-based line
// and column and the partner it is exchanged for.
type Exchange struct {
	Line, Col int
	To        byte
}

// Collisions reports whether another reading of r's zone, exchanging two
// or more characters in checked alphanumeric fields for their confusable
// partners, is as valid as r, given the lines in that r was read from: a
// character counts where the recognizer read the partner (the repair
// changed it) or listed it as an alternative: at minSwapProb or more where
// a neighbour has the partner's type, at minWeakSwapProb or more wherever
// (the recognizer unsure: a D listed at 0.18 behind a 0 between two
// digits; a weak partner counts only so). It returns the 0-based line and
// column of the characters exchanged in the first such reading, nil when
// none collides. Read and ReadOCR refuse such a reading
// (checks.check_digit_collision) unless Options.OwnCollisions is set.
func Collisions(r *Record, in []Line) [][2]int {
	var at [][2]int
	for _, x := range CollisionExchanges(r, in) {
		at = append(at, [2]int{x.Line, x.Col})
	}
	return at
}

// CollisionExchanges is Collisions with the partner each character is
// exchanged for (for a 0 the O, or a weak partner D or Q).
func CollisionExchanges(r *Record, in []Line) []Exchange {
	checked := CheckedPositions(r)
	if checked == nil || len(in) != len(r.Lines) {
		return nil
	}
	var sw []Exchange
	for k, fl := range r.Lines {
		if len(checked[k]) != len(fl) {
			return nil
		}
		var m []int // fl's bytes in the reading (nil: the same places)
		if in[k].Text != fl {
			m = alignTo(fl, in[k].Text)
		}
		for i := 0; i < len(fl); i++ {
			if !checked[k][i] {
				continue
			}
			j := i
			if m != nil {
				j = m[i]
			}
			// seen: the recognizer read to there, or listed it with at
			// least the probability least (at least minWeakSwapProb where
			// no neighbour has to's type)
			seen := func(to byte, least float64) bool {
				if j < 0 || j >= len(in[k].Text) {
					return false
				}
				if in[k].Text[j] == to {
					return true
				}
				if j < len(in[k].Alts) {
					near := typeNear(fl, i, to)
					for _, a := range in[k].Alts[j] {
						if a.Char == to && a.Prob >= least && (near || a.Prob >= minWeakSwapProb) {
							return true
						}
					}
				}
				return false
			}
			if to := swapPartner[fl[i]]; to != 0 && seen(to, minSwapProb) {
				sw = append(sw, Exchange{k, i, to})
			}
			for _, to := range weakPartner[fl[i]] {
				if seen(to, minWeakSwapProb) {
					sw = append(sw, Exchange{k, i, to})
				}
			}
		}
	}
	if len(sw) < 2 || len(sw) > maxSwaps {
		return nil // one exchange alone always moves a check digit
	}
	lines := make([][]byte, len(r.Lines))
	alt := make([]string, len(r.Lines))
	for mask := 1; mask < 1<<len(sw); mask++ {
		if bits.OnesCount(uint(mask)) < 2 {
			continue
		}
		for k, l := range r.Lines {
			lines[k] = append(lines[k][:0], l...)
		}
		twice := false
		for b, s := range sw {
			if mask&(1<<b) != 0 {
				twice = twice || lines[s.Line][s.Col] != r.Lines[s.Line][s.Col]
				lines[s.Line][s.Col] = s.To
			}
		}
		if twice {
			continue // two exchanges of one character
		}
		for k, l := range lines {
			alt[k] = string(l)
		}
		if x, err := Parse(alt, Options{}); err == nil && x.Valid {
			var at []Exchange
			for b, s := range sw {
				if mask&(1<<b) != 0 {
					at = append(at, s)
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

// alignTo maps each byte of a to the byte of b it stands for in a minimal
// edit script between them (unit costs; -1 where a's byte was inserted).
func alignTo(a, b string) []int { return AlignBy(a, b, UnitSub) }

// UnitSub is the substitution cost of the plain edit distance (EditTable,
// AlignBy): every substitution costs one edit.
func UnitSub(x, y byte) int {
	if x == y {
		return 0
	}
	return 1
}

// EditTable is the edit-distance table of a against b (d[i][j]: the
// distance of a[:i] and b[:j]), a substitution costing sub (an insertion
// or deletion 1).
func EditTable(a, b string, sub func(x, y byte) int) [][]int {
	n, m := len(a), len(b)
	d := make([][]int, n+1)
	for i := range d {
		d[i] = make([]int, m+1)
		d[i][0] = i
	}
	for j := 0; j <= m; j++ {
		d[0][j] = j
	}
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			d[i][j] = min(d[i-1][j-1]+sub(a[i-1], b[j-1]), d[i-1][j]+1, d[i][j-1]+1)
		}
	}
	return d
}

// AlignBy maps each byte of a to the byte of b it is aligned with by a
// minimal edit script, substitutions costing sub (-1: a's byte has none in
// b).
func AlignBy(a, b string, sub func(x, y byte) int) []int {
	d := EditTable(a, b, sub)
	out := make([]int, len(a))
	for i := range out {
		out[i] = -1
	}
	for i, j := len(a), len(b); i > 0 && j > 0; {
		switch {
		case d[i][j] == d[i-1][j-1]+sub(a[i-1], b[j-1]):
			out[i-1] = j - 1
			i, j = i-1, j-1
		case d[i][j] == d[i-1][j]+1:
			i--
		default:
			j--
		}
	}
	return out
}

// refuseCollisions makes r invalid where Collisions finds another reading
// of its zone as valid (checks.check_digit_collision false).
func refuseCollisions(r *Record, in []Line) {
	if r == nil || !r.Valid || Collisions(r, in) == nil {
		return
	}
	r.Valid = false
	r.Checks["check_digit_collision"] = false
	r.Confidence = math.Round(r.Confidence*invalidConfidence*1000) / 1000
}
