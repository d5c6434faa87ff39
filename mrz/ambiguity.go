package mrz

import "math"

// Unchecked letters. Names and document codes carry no check digit (except
// where a composite covers them), so a digit read there is repaired by type
// alone. That is safe when the digit has a single letter partner (8 -> B,
// 5 -> S, 2 -> Z, 6 -> G), but a 0 may have been printed as O, D or Q and a
// 1 as I or L: the channel makes O and I likelier, not certain. A repair
// there is accepted only if the evidence (channel weight times the
// recognizer's probability, where given) favours the chosen letter over
// every other candidate by a wide margin; otherwise the reading is returned
// as the best guess with checks.names_unambiguous false.

const (
	// letterMargin is the log-odds margin the chosen letter needs over the
	// next candidate (about 99:1).
	letterMargin = 4.6
	// unlistedFactor scales the smallest probability the recognizer listed
	// to give a candidate it did not list: unlisted, but not impossible.
	unlistedFactor = 0.1
)

// codeFirst are the first characters of ICAO 9303 document codes (A, C, I
// for identity cards, P passports, V visas) and D for driving licences.
var codeFirst = [256]bool{'A': true, 'C': true, 'I': true, 'P': true, 'V': true, 'D': true}

// letterPosition tells whether a position lies in a name field or the
// document code, and whether a check digit covers it (in a name that can
// only be a composite over the whole line: the one-line driving licence's
// surname, the French identity card's names; ICAO's formats leave names
// unchecked).
func (s *solver) letterPosition(line, col int) (name, code, checked bool) {
	for _, f := range s.l.fields {
		if f.line == line && col >= f.start && col < f.end {
			switch f.r {
			case rNames, rName:
				name, code = true, false
			case rCode:
				name, code = false, true
			}
		}
	}
	if !name && !code {
		return false, false, false
	}
	for _, ck := range s.l.checks {
		for _, sp := range ck.spans {
			if sp.line == line && col >= sp.start && col < sp.end {
				return name, code, true
			}
		}
	}
	return name, code, false
}

// letterScore is the log evidence that letter x was printed where the cell
// reads ce.
func letterScore(ce cell, x byte) float64 {
	w := 0.0
	if x == ce.c {
		w = 1
	}
	for _, p := range partners[ce.c] {
		if p.b == x {
			w = p.w
		}
	}
	q := 1.0
	if len(ce.alts) > 0 {
		q = -1
		lo := 1.0
		for _, a := range ce.alts {
			lo = math.Min(lo, a.Prob)
			if a.Char == x {
				q = math.Max(q, a.Prob)
			}
		}
		listed := q > 0
		if q < 0 {
			q = unlistedFactor * lo
		}
		// only a letter the recognizer listed: an unlisted letter outside
		// the table is no candidate (else every letter rivals a guess)
		if w == 0 && listed && x != ce.c {
			w = 0.05 // a confusion outside the static table, seen by the recognizer
		}
	}
	if w == 0 || q <= 0 {
		return math.Inf(-1)
	}
	return math.Log(w) + math.Log(q)
}

// namesAmbiguous reports whether a letter chosen in an unchecked name or
// document code position is one of several plausible readings, or a
// letter or filler chosen in a name the line's composite alone covers is
// no static partner of the character read. One digit over thirty
// characters decides between the two or three letters a character read as
// a digit or as another letter may be, whichever of them sums to it: the
// French licence's GARCIA<< read GARC1A4C was repaired GARCIACC, its 4
// taken for the C the recognizer offered, and the digit agreed. A change
// there is trusted only between static confusion partners (1 and I, 0 and
// O, K and the filler).
func (s *solver) namesAmbiguous() bool {
	for i := range s.b {
		for j := range s.b[i] {
			ce := s.cells[i][j]
			got := s.b[i][j]
			if got == ce.c {
				continue
			}
			name, isCode, checked := s.letterPosition(i, j)
			if checked {
				if name && (isLetter(got) || got == '<') && !partnered(ce.c, got) {
					return true
				}
				continue
			}
			if !name && !isCode || !isLetter(got) {
				continue
			}
			best := letterScore(ce, got)
			for x := byte('A'); x <= 'Z'; x++ {
				if x == got || isCode && j == s.codeStart() && !codeFirst[x] {
					continue
				}
				if letterScore(ce, x) > best-letterMargin {
					return true
				}
			}
		}
	}
	return false
}

// partnered reports whether the static confusion channel pairs read
// with printed.
func partnered(read, printed byte) bool {
	for _, p := range partners[read] {
		if p.b == printed {
			return true
		}
	}
	return false
}

// codeStart is the column of the document code's first character on its line.
func (s *solver) codeStart() int {
	for _, f := range s.l.fields {
		if f.r == rCode {
			return f.start
		}
	}
	return -1
}
