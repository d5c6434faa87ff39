package mrz

// charValue returns the ICAO 9303 numeric value of an MRZ character:
// digits are themselves, A-Z are 10-35 and the filler '<' is 0.
func charValue(c byte) (int, bool) {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0'), true
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10, true
	case c == '<':
		return 0, true
	}
	return 0, false
}

// CharValue is the ICAO 9303 value of an MRZ character (charValue): what
// a check digit weighs it by.
func CharValue(c byte) (int, bool) { return charValue(c) }

// cv is charValue for characters already known to be valid; invalid
// characters count as 0.
func cv(c byte) int {
	v, _ := charValue(c)
	return v
}

var weights = [3]int{7, 3, 1}

// CheckDigit computes the ICAO 9303 check digit (weights 7-3-1, modulo 10)
// of s. It reports false when s is empty or holds a character outside
// [0-9A-Z<].
func CheckDigit(s string) (byte, bool) {
	if s == "" {
		return 0, false
	}
	sum := 0
	for i := 0; i < len(s); i++ {
		v, ok := charValue(s[i])
		if !ok {
			return 0, false
		}
		sum += v * weights[i%3]
	}
	return byte('0' + sum%10), true
}

// checkChar reports whether the check character c is correct for a field
// whose weighted sum is sum. A filler check character is accepted for an
// all-filler field (ICAO: optional data without content).
func checkChar(sum int, c byte, empty bool) bool {
	if c == '<' {
		return empty
	}
	if c < '0' || c > '9' {
		return false
	}
	return int(c-'0') == sum%10
}
