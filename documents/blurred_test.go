package documents

import (
	"math"
	"testing"

	"docscan/geom"
)

// blurredCard renders an axis-aligned card (x0, y0)-(x1, y1), grey fg, on
// a ground of grey bg, its border a linear ramp ramp pixels wide: a
// blurred photo of a card on paper nearly of its tone.
func blurredCard(w, h int, x0, y0, x1, y1, bg, fg, ramp float64) Gray {
	g := Gray{Pix: make([]byte, w*h), W: w, H: h}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			px, py := float64(x)+0.5, float64(y)+0.5
			// signed distance inside the card's border
			d := math.Min(math.Min(px-x0, x1-px), math.Min(py-y0, y1-py))
			t := math.Max(0, math.Min(1, d/ramp+0.5))
			g.Pix[y*w+x] = byte(math.Round(bg + (fg-bg)*t))
		}
	}
	return g
}

// A contour around a blurred card whose top side lies 6 pixels inside the
// border: the border steps too gently for snapSideGrad's maxima, the side
// stays where it was, and along it the grey hardly steps. The side is
// looked for again among gentler maxima and put on the border
// (licence_0131); a side with no border within the band is still refused.
func TestSnappedOutlineBlurredBorder(t *testing.T) {
	g := blurredCard(400, 300, 80, 60, 320, 220, 215, 238, 8)
	truth := geom.Quad{{80, 60}, {320, 60}, {320, 220}, {80, 220}}
	if !outlined(g, truth) {
		t.Fatal("the card's own outline is not outlined")
	}
	off := geom.Quad{{80, 66}, {320, 66}, {320, 220}, {80, 220}}
	sc := snapQuad(g, off, -0.04, 0.04, 0)
	if outlined(g, sc) {
		t.Fatal("snapQuad alone finds the blurred border: the test shows nothing")
	}
	q, ok := snappedOutline(g, off)
	if !ok {
		t.Fatalf("blurred border not found: %v", q)
	}
	if e := cornerErr(q, truth); e > 0.005 {
		t.Errorf("corner error %.4f (%v)", e, q)
	}
	// the top side 30 pixels inside: no border within the band
	far := geom.Quad{{80, 90}, {320, 90}, {320, 220}, {80, 220}}
	if q, ok := snappedOutline(g, far); ok {
		t.Errorf("a side with no border near taken for the card's: %v", q)
	}
}

// The detector found the middle of a blurred card's print, a quarter of
// the card: the card's contour is too large for the text's extent, and no
// border lies a margin beyond the text. Where each side of the contour
// runs along an edge all the way, it is the card's; a contour one of whose
// sides crosses the ground is not.
func TestPickCardWideOutline(t *testing.T) {
	g := blurredCard(640, 480, 100, 80, 540, 360, 200, 238, 3)
	truth := geom.Quad{{100, 80}, {540, 80}, {540, 360}, {100, 360}}
	var text []geom.Quad
	for i := 0; i < 6; i++ {
		y := 160 + float64(i)*20
		text = append(text, geom.Quad{{180, y}, {460, y}, {460, y + 10}, {180, y + 10}})
	}
	rough := geom.Quad{{103, 82}, {537, 83}, {538, 357}, {102, 358}}
	q, src, ok := PickCard(g, []geom.Quad{rough}, text)
	if !ok || src != "edges" {
		t.Fatalf("the card's contour not taken: %q %v", src, q)
	}
	if e := cornerErr(q, truth); e > 0.01 {
		t.Errorf("corner error %.3f (%v)", e, q)
	}
	// a contour whose right side runs through the ground beyond the card
	wrong := geom.Quad{{100, 80}, {600, 80}, {600, 360}, {100, 360}}
	q, src, _ = PickCard(g, []geom.Quad{wrong}, text)
	if src == "edges" && cornerErr(q, wrong) < 0.02 {
		t.Errorf("a contour across the ground taken: %v", q)
	}
}

// A card whose top side lies across a sheet of paper of its tone: three
// sides found on its border, the top runs along no edge. It is placed
// where the ID-1 format puts it, parallel to the bottom (licence_0137);
// with two sides weak, or a third side only half on an edge, nothing is
// placed.
func TestFourthSide(t *testing.T) {
	truth := geom.Quad{{100, 100}, {497, 100}, {497, 350}, {100, 350}} // 397 x 250: ID-1
	g := card(640, 480, truth, 60, 200)
	// the sheet over the top: the card's tone above its top side
	for y := 20; y < 100; y++ {
		for x := 60; x < 560; x++ {
			g.Pix[y*g.W+x] = 200
		}
	}
	ext := geom.Quad{{160, 200}, {440, 200}, {440, 320}, {160, 320}}
	q := geom.Quad{{100, 200}, {497, 200}, {497, 350}, {100, 350}} // top at the text's
	pq, ok := fourthSide(g, q, ext, geom.Point{1, 0})
	if !ok {
		t.Fatal("the top side not placed")
	}
	if e := cornerErr(pq, truth); e > 0.01 {
		t.Errorf("corner error %.3f (%v)", e, pq)
	}
	// through PickCard: from the text outwards three sides are found
	text := []geom.Quad{}
	for i := 0; i < 6; i++ {
		y := 200 + float64(i)*20
		text = append(text, geom.Quad{{160, y}, {440, y}, {440, y + 10}, {160, y + 10}})
	}
	q2, src, ok := PickCard(g, nil, text)
	if e := cornerErr(q2, truth); !ok || src != "text+edges" || e > 0.02 {
		t.Errorf("PickCard: %q, corner error %.3f (%v)", src, e, q2)
	}
	// the left side off the border too: two weak sides
	two := geom.Quad{{130, 200}, {497, 200}, {497, 350}, {130, 350}}
	if pq, ok := fourthSide(g, two, ext, geom.Point{1, 0}); ok {
		t.Errorf("placed with two weak sides: %v", pq)
	}
}
