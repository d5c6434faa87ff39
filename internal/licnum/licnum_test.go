package licnum

import "testing"

func TestValid(t *testing.T) {
	cases := []struct {
		n    string
		want bool
	}{
		{"B072RRE2I55", true},  // the specimen
		{"B072RRE2I45", false}, // its check one off
		{"B072RRE2J55", false}, // a serial character misread
		{"B072RRE2I5", false},  // short
		{"B072RRE2I551", false},
		{"8072RRE2I55", false}, // the state must be a letter
		{"BO72RRE2I55", false}, // the authority's digits
		{"b072RRE2I55", false},
		{"A0000000X01", false}, // X where the check is 0
		{"A000000000A", false}, // 10*9 = 90 = 8*11 + 2: the check is 2
		{"", false},
	}
	for _, c := range cases {
		if got := Valid(c.n); got != c.want {
			t.Errorf("Valid(%q) = %v, want %v", c.n, got, c.want)
		}
	}
	// 10 as X: A0000000 plus a ninth character making the sum 10 mod 11
	// (90 + v = 98 + 11k: v = 8)
	if c, ok := Check("A00000008"); !ok || c != 'X' {
		t.Errorf("check of A00000008 = %q %v, want X", c, ok)
	}
	if !Valid("A00000008X1") {
		t.Error("A00000008X1 should be valid")
	}
	if _, ok := Check("A0000-008"); ok {
		t.Error("a hyphen has no value")
	}
}

// Every single misread of a digit for another digit among the first nine
// characters is caught (the weights 1-9 and the modulus 11 are coprime,
// and two digits differ by less than 11). A capital misread for a
// character 11, 22 or 33 apart (R for 5) is not: the check catches ten
// random slips in eleven.
func TestCheckCatchesDigitSlips(t *testing.T) {
	n := []byte("B072RRE2I55")
	for i := 1; i < 9; i++ {
		orig := n[i]
		if orig < '0' || orig > '9' {
			continue
		}
		for d := byte('0'); d <= '9'; d++ {
			if d == orig || !Fits(i, d) {
				continue
			}
			n[i] = d
			if Valid(string(n)) {
				t.Errorf("%s passes its check", n)
			}
		}
		n[i] = orig
	}
}

// FuzzValid: any string is judged without a panic, and a valid one has
// the form and its check.
func FuzzValid(f *testing.F) {
	for _, s := range []string{"B072RRE2I55", "A00000008X1", "", "ÄÖÜ", "B072RRE2I5\x00", "99999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !Valid(s) {
			return
		}
		if len(s) != Len {
			t.Fatalf("%q valid with %d bytes", s, len(s))
		}
		if c, ok := Check(s); !ok || s[9] != c {
			t.Fatalf("%q valid, its check %q %v", s, c, ok)
		}
		for i := 0; i < Len; i++ {
			if !Fits(i, s[i]) {
				t.Fatalf("%q valid, place %d holds %q", s, i, s[i])
			}
		}
	})
}
