package mrz

import (
	"strings"
	"testing"
)

// ocrLine is a recognizer reading of text, sure of each character (0.95),
// with runner-ups at some positions (0.05).
func ocrLine(text string, runnerUp map[int]byte) Line {
	l := Line{Text: text, Alts: make([][]CharAlt, len(text))}
	for i := range text {
		l.Alts[i] = []CharAlt{{Char: text[i], Prob: 0.95}}
		if c, ok := runnerUp[i]; ok {
			l.Alts[i] = append(l.Alts[i], CharAlt{Char: c, Prob: 0.05})
		}
	}
	return l
}

// collisionZone is a TD2 zone whose document number SROL0VO7W (check
// digit 0) validates as well read SR0LOV07W: the O and 0 at columns 3, 5
// and 7 exchanged cancel in the check digit and the composite.
var collisionZone = struct {
	names, printed, exchanged string
}{
	"I<NORMUSTERFRAU<<LEON<<<<<<<<<<<<<<<",
	"SROL0VO7W0NOR5006236M2705022<<<<<<<8",
	"SR0LOV07W0NOR5006236M2705022<<<<<<<8",
}

func TestCollisions(t *testing.T) {
	z := collisionZone
	// a number of digits: no O between two digits is taken for a 0
	num := "123400789"
	cd, _ := CheckDigit(num)
	rest := "NOR5006236M2705022<<<<<<<"
	comp, _ := CheckDigit(num + string(cd) + rest[3:10] + rest[11:])
	digits := num + string(cd) + rest + string(comp)
	cases := []struct {
		name  string
		line2 string
		in    Line
		want  bool
	}{
		{"O and 0 exchanged twice cancel in the check digit", z.exchanged,
			ocrLine("SR0L0V07W0N0R5006236M2705022<<<<<<<8", map[int]byte{2: 'O', 6: 'O'}), true},
		{"the same, the recognizer sure of its zeros", z.exchanged,
			ocrLine("SR0L0V07W0N0R5006236M2705022<<<<<<<8", nil), false},
		{"the repair's own exchanges, read without alternatives", z.exchanged,
			Line{Text: "SR0L0V07W0N0R5006236M2705022<<<<<<<8"}, false},
		{"read as printed: every exchange seen without alternatives", z.exchanged,
			Line{Text: z.printed}, true},
		{"a character lost before them: aligned", z.exchanged,
			ocrLine("SR0L0V07W0N0R500623M2705022<<<<<<<8", map[int]byte{2: 'O', 6: 'O'}), true},
		{"digits between digits", digits, ocrLine(digits, nil), false},
		{"read as printed: its exchanges do not cancel", z.printed, ocrLine(z.printed, nil), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Parse([]string{z.names, c.line2}, Options{})
			if err != nil || !r.Valid {
				t.Fatalf("test zone not valid: %v", err)
			}
			got := Collisions(r, []Line{ocrLine(z.names, nil), c.in})
			if (got != nil) != c.want || got != nil && len(got) < 2 {
				t.Errorf("Collisions = %v, want a collision: %v", got, c.want)
			}
			for _, p := range got {
				if p[0] != 1 || SwapPartner(r.Lines[1][p[1]]) == 0 {
					t.Errorf("exchanged %v: not a confusable character of line 2", p)
				}
			}
		})
	}
	for _, c := range []struct {
		l    string
		i    int
		c    byte
		want bool
	}{{"A0B", 1, '0', false}, {"A0B", 1, 'O', true}, {"102", 1, 'O', false}, {"1O<", 1, '0', true}, {"<0<", 1, 'O', false}} {
		if got := typeNear(c.l, c.i, c.c); got != c.want {
			t.Errorf("typeNear(%q, %d, %c) = %v", c.l, c.i, c.c, got)
		}
	}
}

// TestWeakCollisions: a 0 read for a D (a weak partner: OCR-B's D and 0
// differ more than O and 0) counts for a collision where the recognizer
// was unsure (listed D at minWeakSwapProb or more), not for a faint D
// behind a sure 0. Held-out seed 2, mrz_0096 (night): document number
// 9D8GIURDZ read 90861URDZ, the D read 0 (D the runner-up at 0.18) and the
// I read 1 (I at 0.13) cancelling in the check digit, the G read 6
// weighing alike.
func TestWeakCollisions(t *testing.T) {
	zone := []string{"ITNOR90861URDZ9<<<<<<<<<<<<<<<", "5407213M2806170NOR<<<<<<<<<<<2", "SCHNEIDER<<FELIX<<<<<<<<<<<<<<"}
	r, err := Parse(zone, Options{})
	if err != nil || !r.Valid {
		t.Fatalf("test zone not valid: %v", err)
	}
	unsure := func(d float64) []Line {
		l := ocrLine(zone[0], nil)
		l.Alts[6] = []CharAlt{{'0', 0.55}, {'D', d}}
		l.Alts[9] = []CharAlt{{'1', 0.80}, {'I', 0.13}}
		return []Line{l, ocrLine(zone[1], nil), ocrLine(zone[2], nil)}
	}
	got := CollisionExchanges(r, unsure(0.18))
	want := map[Exchange]bool{{0, 6, 'D'}: true, {0, 9, 'I'}: true}
	if len(got) != len(want) {
		t.Fatalf("CollisionExchanges = %v, want %v", got, want)
	}
	for _, x := range got {
		if !want[x] {
			t.Errorf("exchange %+v, want those of %v", x, want)
		}
	}
	if got := Collisions(r, unsure(0.05)); got != nil {
		t.Errorf("a faint D behind a sure 0: Collisions = %v, want none", got)
	}
	if rr, err := ReadOCR(unsure(0.18), Options{}); err != nil || rr.Valid || rr.Checks["check_digit_collision"] {
		t.Errorf("ReadOCR: valid %v, checks %v, %v: want refused for a collision", rr != nil && rr.Valid, rr, err)
	}
}

// TestReadRefusesCollisions: ReadOCR refuses a reading another exchange of
// seen confusable characters validates as well, unless the caller settles
// collisions itself; a reading without such a rival stays valid.
func TestReadRefusesCollisions(t *testing.T) {
	z := collisionZone
	// every O read as 0, O the runner-up at columns 3 and 7: the repair's
	// single exchange at column 5 validates, and so does the print
	read := "SR0L0V07W0N0R5006236M2705022<<<<<<<8"
	in := []Line{ocrLine(z.names, nil), ocrLine(read, map[int]byte{2: 'O', 6: 'O'})}
	r, err := ReadOCR(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Valid || r.Checks["check_digit_collision"] {
		t.Errorf("valid %v, checks %v: want refused for a collision", r.Valid, r.Checks)
	}
	if r.Confidence >= 0.5 {
		t.Errorf("confidence %v of a refused reading", r.Confidence)
	}
	own, err := ReadOCR(in, Options{OwnCollisions: true})
	if err != nil || !own.Valid || strings.Join(own.Lines, "") != z.names+z.exchanged {
		t.Errorf("OwnCollisions: valid %v, lines %v, %v", own != nil && own.Valid, own, err)
	}
	clean, err := ReadOCR([]Line{ocrLine(z.names, nil), ocrLine(read, nil)}, Options{})
	if err != nil || !clean.Valid {
		t.Errorf("no rival seen: valid %v, %v", clean != nil && clean.Valid, err)
	}
	if _, ok := clean.Checks["check_digit_collision"]; ok {
		t.Errorf("check listed on a reading without collision: %v", clean.Checks)
	}
}

func TestAlignTo(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want []int
	}{
		{"ABC", "ABC", []int{0, 1, 2}},
		{"ABC", "AC", []int{0, -1, 1}},
		{"AC", "ABC", []int{0, 2}},
		{"ABC", "AXC", []int{0, 1, 2}},
		{"", "AB", []int{}},
	} {
		got := alignTo(c.a, c.b)
		if len(got) != len(c.want) {
			t.Errorf("alignTo(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("alignTo(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
				break
			}
		}
	}
}
