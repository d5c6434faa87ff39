package documents

import (
	"testing"

	"docscan/geom"
)

// TestTiltSides: a light card lies with its top-left corner on light
// paper (no step between them); the outline's top side cuts that corner
// from the paper to the card's top-right corner, and its weak support
// sends it to the card's border, found at an angle in the wide band. A
// side running along an edge keeps its place; so does one whose better
// edge would leave text outside.
func TestTiltSides(t *testing.T) {
	truth := geom.Quad{{150, 140}, {500, 60}, {550, 280}, {200, 360}}
	paper := geom.Quad{{0, 0}, {260, 0}, {260, 220}, {0, 220}}
	g := cardOnPaper(truth, paper, 180)
	text := textIn(truth, 3)
	// the top side from the paper 40 px above the card's corner
	cut := truth
	cut[0] = geom.Point{truth[0][0] - 10, truth[0][1] - 40}
	if e := cornerErr(cut, truth); e < 0.02 {
		t.Fatalf("the cut outline is off by only %.3f", e)
	}
	got := TiltSides(g, cut, text)
	if e := cornerErr(got, truth); e > 0.01 {
		t.Errorf("cut corner: corner error %.3f > 1%% (%v)", e, got)
	}
	// the card's own outline stays
	if got := TiltSides(g, truth, text); cornerErr(got, truth) > 0.003 {
		t.Errorf("the card's outline moved: %v", got)
	}
	// text beyond the card's border (held by the cut outline) keeps it
	above := geom.Quad{{180, 110}, {230, 99}, {232, 109}, {182, 120}}
	if got := TiltSides(g, cut, append(text, above)); cornerErr(got, cut) > 0.003 {
		t.Errorf("the outline dropped text it held: %v", got)
	}
}
