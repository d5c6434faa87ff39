package documents

import (
	"math"
	"testing"

	"docscan/geom"
)

// growScene renders an ID-1 card (canonical 1000 x 630; ground pale pink
// in colour, 200 in grey) seen as truth on a background (grey 100, blue),
// with six text lines at x 320-640 and, where photo is set, a dark photo
// block at canonical x 40-280; the right third of the card holds no print.
// It returns the view (grey with colour planes) and the text lines.
func growScene(truth geom.Quad, photo bool) (Gray, []geom.Quad) {
	const w, h = 640, 480
	g := Gray{Pix: make([]byte, w*h), W: w, H: h}
	var planes [3][]byte
	for i := range planes {
		planes[i] = make([]byte, w*h)
	}
	inv, _ := PhotoHomography(truth, 1000, 630)
	hm, _ := CardHomography(truth, 1000, 630)
	var text []geom.Quad
	for i := 0; i < 6; i++ {
		y := 60 + float64(i)*90
		text = append(text, canonRect(hm, 320, y, 640, y+40))
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			grey, bgr := 100, [3]int{150, 90, 80}
			c := inv.Apply(float64(x)+0.5, float64(y)+0.5)
			if c[0] >= 0 && c[0] <= 1000 && c[1] >= 0 && c[1] <= 630 {
				grey, bgr = 200, [3]int{205, 195, 225}
				inText := c[0] >= 330 && c[0] <= 630 && math.Mod(c[1]-60, 90) >= 10 && math.Mod(c[1]-60, 90) <= 30 && c[1] < 590
				if photo && c[0] >= 40 && c[0] <= 280 && c[1] >= 120 && c[1] <= 480 || inText {
					grey, bgr = 60, [3]int{60, 60, 60}
				}
			}
			g.Pix[y*w+x] = byte(grey)
			for k := range planes {
				planes[k][y*w+x] = byte(bgr[k])
			}
		}
	}
	for _, p := range planes {
		g.Colour = append(g.Colour, Gray{Pix: p, W: w, H: h})
	}
	return g, text
}

// quadErr is the largest distance between corresponding corners of a
// and b (best of the four cyclic correspondences) over b's diagonal.
func quadErr(a, b geom.Quad) float64 {
	best := math.Inf(1)
	for s := 0; s < 4; s++ {
		worst := 0.0
		for i := 0; i < 4; i++ {
			p, q := a[(i+s)%4], b[i]
			worst = math.Max(worst, math.Hypot(p[0]-q[0], p[1]-q[1]))
		}
		best = math.Min(best, worst)
	}
	return best / math.Hypot(b[0][0]-b[2][0], b[0][1]-b[2][1])
}

func TestGrowAspect(t *testing.T) {
	truth := OrderQuad(keystoneCard())
	hm, _ := CardHomography(truth, 1000, 630)
	cases := []struct {
		name       string
		x0, x1     float64 // the outline found, canonical
		y0, y1     float64
		photo      bool
		wantChange bool
	}{
		// the outline reached only the photo and the text (too narrow,
		// keystone aspect about 1.1): the right side moves out
		{"right side missing", 0, 660, 0, 630, true, true},
		// the left side missing, the right one in place (the ground
		// beyond the left side runs on to the border: no photo there)
		{"left side missing", 300, 1000, 0, 630, false, true},
		// both short sides inside the card
		{"both short sides inside", 150, 800, 0, 630, false, true},
		// only the rows of the text found: too flat, the long sides move
		{"long sides inside", 0, 1000, 150, 420, true, true},
		// the outline right: nothing moves
		{"right outline", 0, 1000, 0, 630, true, false},
		// a little narrow, within what perspective allows: left alone
		{"within the aspect's slack", 0, 920, 0, 630, true, false},
		// the photo beyond the side missing ends the ground's run there:
		// nothing is known of the card beyond it, and nothing moves
		{"photo beyond the side", 300, 1000, 0, 630, true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, text := growScene(truth, c.photo)
			checkGrow(t, g, OrderQuad(canonRect(hm, c.x0, c.y0, c.x1, c.y1)), text, truth, c.wantChange)
		})
	}
}

// checkGrow grows the outline q of the card truth in g and checks that it
// lands within 2% of the diagonal on the card, or where change is false,
// that it does not move.
func checkGrow(t *testing.T, g Gray, q geom.Quad, text []geom.Quad, truth geom.Quad, change bool) {
	t.Helper()
	got := GrowAspect(g, q, text, Aspect(ID1))
	if !change {
		if quadErr(got, q) > 1e-9 {
			t.Fatalf("outline moved: %v -> %v", q, got)
		}
		return
	}
	if e := quadErr(got, truth); e > 0.02 {
		t.Errorf("corner error %.3f of the diagonal (outline %v, truth %v), want under 0.02", e, got, truth)
	}
}

// A square object (its ground ends at the outline's sides) stays as it
// is: nothing of its ground lies beyond it.
func TestGrowAspectNoGround(t *testing.T) {
	truth := OrderQuad(keystoneCard())
	hm, _ := CardHomography(truth, 1000, 630)
	// the "card" is only canonical x 0-660: render a scene where the
	// ground stops there by taking that outline as the truth of a card
	// squeezed to it
	narrow := OrderQuad(canonRect(hm, 0, 0, 660, 630))
	g, text := growScene(narrow, true)
	if got := GrowAspect(g, narrow, text, Aspect(ID1)); quadErr(got, narrow) > 1e-9 {
		t.Fatalf("outline moved beyond the object's ground: %v -> %v", narrow, got)
	}
}
