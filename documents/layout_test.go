package documents

import (
	"math"
	"strings"
	"testing"

	"docscan/geom"
)

// idLines lays out a German ID card front's values (as blurred print
// reads them) on a 1000 x 630 card, every row moved by dy pixels.
func idLines(dy float64, texts map[string]string) []Line {
	H := 630.0
	y := func(mm float64) float64 { return mm/53.98*H + dy }
	x := func(mm float64) float64 { return mm / 85.6 * 1000 }
	at := map[string][2]float64{
		"number": {61.5, 5.4}, "surname": {30, 16.6}, "given": {30, 28.8}, "birth": {30, 34.9},
		"nat": {56, 34.9}, "place": {30, 41.0}, "expiry": {30, 47.1}, "can": {70, 50.2},
	}
	var out []Line
	for k, s := range texts {
		p := at[k]
		out = append(out, line(s, x(p[0]), y(p[1])-14, x(p[0])+20*float64(len(s)), y(p[1])+14))
	}
	return out
}

func TestIDCardLayout(t *testing.T) {
	blurred := map[string]string{"number": "ZLN1825CV", "given": "HANNAH", "birth": "09111976",
		"nat": "DEUTSOH", "expiry": "25.092083", "can": "875196"}
	for _, tc := range []struct {
		name  string
		texts map[string]string
		dy    float64
		want  bool
	}{
		{"blurred front", blurred, 0, true},
		{"rows moved up", blurred, -19, true},
		{"rows moved down", blurred, 25, true},
		{"rows moved too far", blurred, -60, false},
		{"no CAN", map[string]string{"number": "ZLN1825CV", "birth": "09111976", "nat": "DEUTSCH", "expiry": "25.09.2033"}, 0, false},
		{"CAN and one date only", map[string]string{"birth": "09111976", "can": "875196"}, 0, false},
		{"CAN, a date and the card number", map[string]string{"number": "ONP22X0C", "birth": "2061955", "can": "751797"}, 0, true},
		{"names where the dates stand", map[string]string{"birth": "HANNAH", "expiry": "KIEL", "can": "875196", "nat": "DEUTSCH"}, 0, false},
	} {
		if got := IDCardLayout(idLines(tc.dy, tc.texts), 1000, 630); got != tc.want {
			t.Errorf("%s: IDCardLayout = %v, want %v", tc.name, got, tc.want)
		}
	}
	// A driving licence's rows: numbered, no CAN bottom right.
	lic := []Line{
		line("1. MEYER", 330, 130, 480, 160), line("2. LENA", 330, 170, 450, 200),
		line("3. 19.04.1988 MAINZ", 330, 210, 600, 240), line("4a. 14.06.2019", 330, 250, 520, 280),
		line("4b. 13.06.2034", 330, 290, 520, 320), line("5. C7520910014", 330, 330, 560, 360),
	}
	if IDCardLayout(lic, 1000, 630) {
		t.Error("a driving licence's rows fit the ID card layout")
	}
}

func TestIDCardRowShift(t *testing.T) {
	// an outline found 19 px short at the top moves every row up; the
	// template read at the fitting offset finds the values
	lines := idLines(-19, map[string]string{"number": "T22000129", "surname": "MUSTERMANN", "given": "ERIKA",
		"birth": "12.08.1964", "nat": "DEUTSCH", "place": "BERLIN", "expiry": "31.10.2030", "can": "123456"})
	got := ReadFields(IDCard, "DE", lines, 1000, 630)
	want := map[string]string{"document_number": "T22000129", "surname": "MUSTERMANN", "given_names": "ERIKA",
		"birth_date": "1964-08-12", "nationality": "DEUTSCH", "birth_place": "BERLIN", "expiry_date": "2030-10-31", "can": "123456"}
	for k, v := range want {
		if got[k].Value != v {
			t.Errorf("%s = %q, want %q", k, got[k].Value, v)
		}
	}
}

func TestAcross(t *testing.T) {
	box := func(x0, y0, x1, y1 float64) geom.Quad {
		return geom.Quad{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
	}
	along := []geom.Quad{box(300, 40, 700, 75), box(340, 160, 520, 200), box(340, 380, 560, 420), box(810, 560, 950, 600)}
	if Across(along) {
		t.Error("level lines taken for lines across the card")
	}
	// idcard_0077 of the seed-42 set: an outline from junk regions, its
	// lines running down the normalized card
	across := []geom.Quad{box(881, 137, 930, 536), box(338, 16, 392, 326), box(47, 302, 104, 540), box(892, 20, 921, 59)}
	if !Across(across) {
		t.Error("lines across the card not seen")
	}
	if Across(across[:2]) {
		t.Error("two lines decide")
	}
}

func TestSquareUp(t *testing.T) {
	// a card seen face on, turned 30 degrees: 300 x 300/1.586 pixels
	W, H := 300.0, 300.0/Aspect(ID1)
	rect := func(x0, x1 float64) geom.Quad {
		c, s := math.Cos(math.Pi/6), math.Sin(math.Pi/6)
		at := func(x, y float64) geom.Point { return geom.Point{320 + x*c - y*s, 240 + x*s + y*c} }
		return geom.Quad{at(x0, -H/2), at(x1, -H/2), at(x1, H/2), at(x0, H/2)}
	}
	truth := rect(-W/2, W/2)
	g := card(640, 480, truth, 60, 200)
	// its left side snapped 18 px in (to the edge of its photo): moved
	// back out to the border, where the photo steps
	short := rect(-W/2+18, W/2)
	if e := cornerErr(SquareUp(g, OrderQuad(short), Aspect(ID1)), truth); e > 0.005 {
		t.Errorf("left side in: corner error %.4f after SquareUp", e)
	}
	for _, tc := range []struct {
		name string
		q    geom.Quad
		g    Gray
	}{
		{"the card's own outline", truth, g},
		{"a passport page's aspect", rect(-W/2+32, W/2), g},
		{"no edge where the side would go", short, card(640, 480, truth, 200, 200)},
		{"not face on", geom.Quad{{170, 100}, {470, 120}, {460, 300}, {180, 290}}, g},
	} {
		q := OrderQuad(tc.q)
		if got := SquareUp(tc.g, q, Aspect(ID1)); got != q {
			t.Errorf("%s: moved to %v", tc.name, got)
		}
	}
}

func TestGermanNationality(t *testing.T) {
	for _, tc := range []struct{ read, want string }{
		{"DEUTSCH", "DEUTSCH"}, {"DEUTSOH", "DEUTSCH"}, {"UTSCH", "DEUTSCH"}, {"BEUTSCH", "DEUTSCH"},
		{"DEUTSON", "DEUTSCH"}, {"POLNISCH", "POLNISCH"}, {"ITALIENISCH", "ITALIENISCH"},
	} {
		lines := idLines(0, map[string]string{"birth": "12.08.1964", "nat": tc.read, "can": "123456"})
		if got := ReadFields(IDCard, "DE", lines, 1000, 630)["nationality"].Value; got != tc.want {
			t.Errorf("nationality read %q = %q, want %q", tc.read, got, tc.want)
		}
	}
}

// TestPatterns: the German ID card's fixed-length fields have a pattern
// whose places take the field's alphabet (Alphabets), the dates
// DD.MM.YYYY; other documents have none.
func TestPatterns(t *testing.T) {
	pats := Patterns(IDCard, "DE")
	al := Alphabets(IDCard, "DE")
	want := map[string]int{"document_number": 9, "can": 6, "birth_date": 10, "expiry_date": 10}
	if len(pats) != len(want) {
		t.Errorf("%d patterns, want %d", len(pats), len(want))
	}
	for name, n := range want {
		p := pats[name]
		if len(p) != n {
			t.Errorf("%s: pattern of %d places, want %d", name, len(p), n)
			continue
		}
		for k, chars := range p {
			for _, r := range chars {
				if !strings.ContainsRune(al[name], r) {
					t.Errorf("%s place %d allows %q, outside the field's alphabet %q", name, k, r, al[name])
				}
			}
		}
	}
	if d := pats["birth_date"]; d[2] != "." || d[5] != "." || d[0] != "0123456789" {
		t.Errorf("date pattern %q, want DD.MM.YYYY", d)
	}
	if p := Patterns(DrivingLicence, "DE"); p != nil {
		t.Errorf("licence patterns %v, want none", p)
	}
}
