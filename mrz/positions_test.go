package mrz

import (
	"strings"
	"testing"
)

func TestCheckedPositions(t *testing.T) {
	r, err := Parse([]string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"}, Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	m := CheckedPositions(r)
	if len(m) != 2 || len(m[0]) != 44 || len(m[1]) != 44 {
		t.Fatalf("mask shape %d lines", len(m))
	}
	for i, c := range m[0] {
		if c {
			t.Errorf("TD3 line 1 column %d marked checked: names carry no check digit", i+1)
		}
	}
	// line 2: number+check 1-10, nationality 11-13, birth 14-20, sex 21,
	// expiry 22-28, optional+check 29-43, composite 44
	want := "1111111111" + "000" + "1111111" + "0" + "1111111" + "111111111111111" + "1"
	var got strings.Builder
	for _, c := range m[1] {
		if c {
			got.WriteByte('1')
		} else {
			got.WriteByte('0')
		}
	}
	if got.String() != want {
		t.Errorf("TD3 line 2 mask\n got %s\nwant %s", got.String(), want)
	}
	if CheckedPositions(nil) != nil || CheckedPositions(&Record{Format: FormatTD3, Lines: []string{"P<UTO"}}) != nil {
		t.Error("no mask expected for a record without a layout's lines")
	}
}

// A document number is left-aligned: a leading filler is a misread (an
// inserted '<' shifts the number), even when a check digit happens to hold.
func TestNumberLeftAligned(t *testing.T) {
	// "<L898902C" has check digit 3 computed over the shifted field
	cd, _ := CheckDigit("<L898902C")
	line2 := "<L898902C" + string(cd) + "UTO7408122F1204159ZE184226B<<<<<1"
	comp, _ := CheckDigit(line2[0:10] + line2[13:20] + line2[21:43])
	line2 += string(comp)
	r, err := Parse([]string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", line2}, Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Checks["document_number"] {
		t.Fatalf("test set-up: the shifted number's check digit should hold: %v", r.Checks)
	}
	if r.Valid || r.Checks["document_number_chars"] {
		t.Errorf("a number with a leading filler accepted: valid=%v checks %v", r.Valid, r.Checks)
	}
}

func TestMaxCheckedCorrections(t *testing.T) {
	r, err := Parse([]string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"}, Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if n := MaxCheckedCorrections(r); n != 0 {
		t.Errorf("no corrections: %d", n)
	}
	// two in the document number, one in the birth date, one in the names
	r.Corrections = []Correction{{Line: 2, Column: 2}, {Line: 2, Column: 4}, {Line: 2, Column: 15}, {Line: 1, Column: 7}}
	if n := MaxCheckedCorrections(r); n != 2 {
		t.Errorf("got %d, want 2 (the document number's)", n)
	}
}

// A TD2 document code starts with A, C or I: a passport's P in two lines
// of 36 is a TD3 zone read short.
func TestTD2DocumentCode(t *testing.T) {
	ok, err := Parse([]string{"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"}, Options{Now: testNow})
	if err != nil || !ok.Valid {
		t.Fatalf("TD2 specimen: %v %v", err, ok.Checks)
	}
	p, err := Parse([]string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"}, Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if p.Valid || p.Checks["document_code"] {
		t.Errorf("P in a TD2 zone accepted: %v", p.Checks)
	}
}

func TestCharClasses(t *testing.T) {
	r, err := Parse([]string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"}, Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	c := CharClasses(r)
	if len(c) != 2 || string(c[0]) != strings.Repeat("A", 44) {
		t.Fatalf("TD3 line 1 classes %q", c)
	}
	// number 1-9 (either), check 10, nationality 11-13, birth 14-19 +
	// check, sex, expiry + check, personal number 29-42 + check, composite
	want := strings.Repeat("X", 9) + "N" + "AAA" + "NNNNNNN" + "A" + "NNNNNNN" + strings.Repeat("X", 14) + "NN"
	if string(c[1]) != want {
		t.Errorf("TD3 line 2 classes\n got %s\nwant %s", c[1], want)
	}
	if CharClasses(nil) != nil || CharClasses(&Record{Format: FormatTD3, Lines: []string{"P<UTO"}}) != nil {
		t.Error("no classes expected for a record without a layout's lines")
	}
}
