// Package licnum checks German driving licence numbers (pure Go; shared by
// the reader and the synthetic specimen generator).
package licnum

// A German card driving licence's number (field 5) has eleven characters:
// the licensing authority's code (a letter for the state, three digits),
// a five-character serial counted in digits then capitals, a check
// character and the issue counter. The check is over the first nine: each
// character's value (0-9, A=10 ... Z=35) times the weights 9, 8, ... 1,
// summed, modulo 11, with 10 printed as X. The specimen's B072RRE2I55:
// 11*9 + 0*8 + 7*7 + 2*6 + 27*5 + 27*4 + 14*3 + 2*2 + 18*1 = 467, and
// 467 mod 11 = 5, its tenth character.

// Len is the length of a German licence number.
const Len = 11

// alnumValue is a digit's value or a capital's 10-35; -1 otherwise.
func alnumValue(b byte) int {
	switch {
	case b >= '0' && b <= '9':
		return int(b - '0')
	case b >= 'A' && b <= 'Z':
		return int(b-'A') + 10
	}
	return -1
}

// Check is the check character of a German licence number's
// first nine characters n[:9]; false where n is shorter or one of them is
// neither a digit nor a capital.
func Check(n string) (byte, bool) {
	if len(n) < 9 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 9; i++ {
		v := alnumValue(n[i])
		if v < 0 {
			return 0, false
		}
		sum += v * (9 - i)
	}
	if c := sum % 11; c < 10 {
		return byte('0' + c), true
	}
	return 'X', true
}

// Valid tells whether n has a German licence number's
// form (a letter, three digits, five digits or capitals, the check, a
// digit or capital) and its tenth character is the check of the first
// nine.
func Valid(n string) bool {
	if len(n) != Len {
		return false
	}
	for i := 0; i < len(n); i++ {
		if !Fits(i, n[i]) {
			return false
		}
	}
	c, ok := Check(n)
	return ok && n[9] == c
}

// Fits tells whether b can stand at place i (0-based) of
// a German licence number: a capital first, digits at 1-3, a digit or X
// for the check at 9, a digit or capital elsewhere.
func Fits(i int, b byte) bool {
	digit := b >= '0' && b <= '9'
	capital := b >= 'A' && b <= 'Z'
	switch {
	case i == 0:
		return capital
	case i >= 1 && i <= 3:
		return digit
	case i == 9:
		return digit || b == 'X'
	case i < Len:
		return digit || capital
	}
	return false
}
