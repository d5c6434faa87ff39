package documents

import (
	"math"
	"strings"
	"unicode"
)

// layoutShift bounds the vertical offset, as a fraction of the card
// height, by which IDCardLayout moves the template's rows alike: an
// outline found on the text alone, or cut short by a blurred edge, moves
// every row the same way (idcard_0102 of the seed-42 set: -0.03).
const (
	layoutShift     = 0.05
	layoutShiftStep = 0.01
)

// IDCardLayout tells a German identity card front by where its values
// stand, for a card whose titles were not read (blurred or glared print:
// BUINOESREPUE EUTSOHILAND). It holds when, with the template's rows moved
// alike by at most layoutShift of the card height, some date stands in a
// date row, the six-digit CAN bottom right, and one more value of its own
// kind in its place: the card number top right, the nationality beside
// the birth date, or the other date. A driving licence has no value in
// the CAN's place, and its dates follow their field numbers.
func IDCardLayout(lines []Line, w, h int) bool {
	for _, dy := range layoutShifts() {
		if f := idLayoutFit(lines, w, h, dy); f.dates >= 1 && f.can && f.dates+f.more >= 2 {
			return true
		}
	}
	return false
}

// layoutShifts lists the row offsets tried, nearest to none first.
func layoutShifts() []float64 {
	n := int(math.Round(layoutShift / layoutShiftStep))
	out := []float64{0}
	for k := 1; k <= n; k++ {
		out = append(out, float64(k)*layoutShiftStep, -float64(k)*layoutShiftStep)
	}
	return out
}

// idFit counts the German ID card's values of their own kind found in
// their places: dates in the date rows, the CAN, and the card number and
// nationality (more).
type idFit struct {
	dates, more int
	can         bool
}

func (f idFit) total() int {
	n := f.dates + f.more
	if f.can {
		n++
	}
	return n
}

// idRowShift is the row offset at which the German ID card template fits
// the lines best (the nearest to none among equals).
func idRowShift(lines []Line, w, h int) float64 {
	best, bestN := 0.0, -1
	for _, dy := range layoutShifts() {
		if n := idLayoutFit(lines, w, h, dy).total(); n > bestN {
			best, bestN = dy, n
		}
	}
	return best
}

// idLayoutFit: the fit of the template with its rows moved by dy.
func idLayoutFit(lines []Line, w, h int, dy float64) idFit {
	in := func(s slot, ok func(string) bool) bool {
		for _, l := range lines {
			if s.holds(l, w, h) && ok(l.Text) {
				return true
			}
		}
		return false
	}
	var f idFit
	for _, s := range shifted(deIDFront, dy) {
		switch s.name {
		case "birth_date", "expiry_date":
			if in(s, looksDate) {
				f.dates++
			}
		case "can":
			f.can = in(s, func(t string) bool { _, ok := Normalize("can", t, dmyOrder); return ok })
		case "document_number":
			if in(s, looksCardNumber) {
				f.more++
			}
		case "nationality":
			if in(s, func(t string) bool { return letterCount(t) >= 4 && digitCount(t) == 0 }) {
				f.more++
			}
		}
	}
	return f
}

// looksDate: a printed date as blurred print reads it: six to eight digits
// (letters taken for digits), at most one other letter, ten characters or
// fewer besides separators.
func looksDate(t string) bool {
	a := onlyAlnum(strings.ToUpper(t))
	if len(a) < 6 || len(a) > 10 {
		return false
	}
	return digitCount(fixDigits(a)) >= len(a)-1 && digitCount(a) >= 6
}

// looksCardNumber: a card number (nine letters and digits) as read: seven
// to ten letters and digits, at least two of each kind.
func looksCardNumber(t string) bool {
	a := onlyAlnum(strings.ToUpper(t))
	return len(a) >= 7 && len(a) <= 10 && digitCount(a) >= 2 && letterCount(a) >= 2
}

func digitCount(s string) int  { return countRunes(s, unicode.IsDigit) }
func letterCount(s string) int { return countRunes(s, unicode.IsLetter) }

func countRunes(s string, is func(rune) bool) int {
	n := 0
	for _, r := range s {
		if is(r) {
			n++
		}
	}
	return n
}
