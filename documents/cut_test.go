package documents

import (
	"testing"

	"docscan/geom"
)

func TestCutSides(t *testing.T) {
	const w, h = 1000, 630
	line := func(x0, y0, x1, y1 float64) Line { return Line{Text: "x", Box: [4]float64{x0, y0, x1, y1}} }
	for _, c := range []struct {
		name  string
		lines []Line
		want  [4]bool
	}{
		{"margins kept", []Line{line(43, 540, 315, 570), line(330, 36, 620, 80), line(330, 270, 951, 305)}, [4]bool{}},
		{"field 9 cut on the left", []Line{line(4, 541, 245, 570), line(320, 270, 929, 300)}, [4]bool{false, false, false, true}},
		{"a line cut on the right", []Line{line(330, 270, 996, 305)}, [4]bool{false, true, false, false}},
		{"header cut at the top", []Line{line(120, 2, 530, 40)}, [4]bool{true, false, false, false}},
		{"bottom", []Line{line(120, 600, 530, 628)}, [4]bool{false, false, true, false}},
		{"a speck is no print", []Line{line(0, 300, 8, 306)}, [4]bool{}},
		{"a line across the card", []Line{line(0, 300, 1000, 330)}, [4]bool{}},
	} {
		got, any := CutSides(c.lines, w, h)
		if got != c.want || any != (c.want != [4]bool{}) {
			t.Errorf("%s: %v (%v), want %v", c.name, got, any, c.want)
		}
	}
}

// TestWidenCut: an outline that cuts a card's left tenth (through its
// photo block) moves its left side out onto the card's border, not onto
// the photo's edge beside it; a side not cut stays.
func TestWidenCut(t *testing.T) {
	truth := OrderQuad(keystoneCard())
	hm, _ := CardHomography(truth, 1000, 630)
	cutAt := func(x float64) geom.Quad {
		return geom.Quad{hm.Apply(x, 0), hm.Apply(1000, 0), hm.Apply(1000, 630), hm.Apply(x, 630)}
	}
	for _, photo := range []bool{false, true} {
		g, _ := growScene(truth, photo)
		q := cutAt(100)
		got, ok := WidenCut(g, q, [4]bool{false, false, false, true}, 1000, 630, 1)
		if !ok {
			t.Fatalf("photo %v: not moved", photo)
		}
		if e := quadErr(got, truth); e > 0.003 {
			t.Errorf("photo %v: %v is %.3f of the diagonal off %v (cut outline %.3f)", photo, got, e, truth, quadErr(q, truth))
		}
		if _, ok := WidenCut(g, q, [4]bool{}, 1000, 630, 1); ok {
			t.Errorf("photo %v: moved with no side cut", photo)
		}
	}
}
