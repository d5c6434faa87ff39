package documents

import (
	"math"
	"testing"

	"docscan/geom"
)

// keystoneCard is an ID-1 card photographed as a keystone: its long sides
// parallel, the top one shortened by a tenth (tilted away), the whole
// turned by 20 degrees about the centre.
func keystoneCard() geom.Quad {
	const h = 240.0
	bottom := h * Aspect(ID1)
	top := 0.9 * bottom
	cx, cy := 320.0, 240.0
	q := geom.Quad{{cx - top/2, cy - h/2}, {cx + top/2, cy - h/2}, {cx + bottom/2, cy + h/2}, {cx - bottom/2, cy + h/2}}
	th := 20 * math.Pi / 180
	for i, p := range q {
		x, y := p[0]-cx, p[1]-cy
		q[i] = geom.Point{cx + x*math.Cos(th) - y*math.Sin(th), cy + x*math.Sin(th) + y*math.Cos(th)}
	}
	return q
}

// aspectScene renders the card of truth (canonical 1000 x 630, grey 200)
// on a background of grey 100, on a sheet of paper (grey 240) that
// continues the card's plane to canonical x 1250 beyond its right side,
// with text lines in canonical x textStart-textEnd. It returns the view, the
// text and the outline of card and paper together (the card's right side
// on the paper's far edge).
func aspectScene(truth geom.Quad, textStart, textEnd float64) (Gray, []geom.Quad, geom.Quad) {
	const w, h = 640, 480
	g := Gray{Pix: make([]byte, w*h), W: w, H: h}
	inv, _ := PhotoHomography(truth, 1000, 630)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := 100
			c := inv.Apply(float64(x)+0.5, float64(y)+0.5)
			switch {
			case c[0] >= 0 && c[0] <= 1000 && c[1] >= 0 && c[1] <= 630:
				v = 200
			case c[0] > 1000 && c[0] <= 1250 && c[1] >= 0 && c[1] <= 630:
				v = 240
			}
			g.Pix[y*w+x] = byte(v)
		}
	}
	hm, _ := CardHomography(truth, 1000, 630)
	var text []geom.Quad
	for i := 0; i < 6; i++ {
		y := 60 + float64(i)*90
		text = append(text, canonRect(hm, textStart, y, textEnd, y+40))
	}
	return g, text, OrderQuad(canonRect(hm, 0, 0, 1250, 630))
}

// canonRect is the rectangle x0-x1, y0-y1 of the canonical card mapped by
// hm into the photo.
func canonRect(hm Homography, x0, y0, x1, y1 float64) geom.Quad {
	var q geom.Quad
	for k, p := range [][2]float64{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}} {
		q[k] = hm.Apply(p[0], p[1])
	}
	return q
}

func TestKeystoneAspect(t *testing.T) {
	q := OrderQuad(keystoneCard())
	par, ang := keystonePair(q)
	if par != 0 || ang > 1e-6 {
		t.Fatalf("parallel pair %d at %.3f degrees, want the long sides, parallel", par, ang)
	}
	if a := keystoneAspect(q, par); math.Abs(a-Aspect(ID1)) > 1e-9 {
		t.Errorf("keystone aspect %.4f, want %.4f", a, Aspect(ID1))
	}
}

// checkFitBack renders the card truth with the paper beyond its right
// side (aspectScene, text at canonical x 40-900) and checks that
// FitAspect moves the outline of card and paper back onto the card, to
// within maxErr of the diagonal.
func checkFitBack(t *testing.T, truth geom.Quad, maxErr float64) {
	t.Helper()
	g, text, outline := aspectScene(truth, 40, 900)
	if e := cornerErr(outline, truth); e < 0.05 {
		t.Fatalf("the scene's outline is already near the card (%.3f)", e)
	}
	got := FitAspect(g, outline, text, Aspect(ID1))
	if e := cornerErr(got, truth); e > maxErr {
		t.Errorf("corner error %.4f > %.1f%%: %v", e, 100*maxErr, got)
	}
}

func TestFitAspect(t *testing.T) {
	truth := OrderQuad(keystoneCard())
	t.Run("side on the paper beyond moves back", func(t *testing.T) {
		checkFitBack(t, truth, 0.005)
	})
	t.Run("right outline kept", func(t *testing.T) {
		g, text, _ := aspectScene(truth, 40, 900)
		if got := FitAspect(g, truth, text, Aspect(ID1)); cornerErr(got, truth) > 1e-9 {
			t.Errorf("the card's own outline moved: %v", got)
		}
	})
	t.Run("either side: nothing moves", func(t *testing.T) {
		// the text lies as far from either short side: moving the left
		// side in by the paper's width keeps it clear too, and nothing
		// tells which side is not the card's
		g, text, outline := aspectScene(truth, 350, 900)
		if got := FitAspect(g, outline, text, Aspect(ID1)); got != outline {
			t.Errorf("a side moved though either could: %v", got)
		}
	})
	t.Run("text on the paper: nothing moves", func(t *testing.T) {
		// the text runs past the card's right side: the side the aspect
		// would move cuts it, and the left side holds text at its edge
		g, text, outline := aspectScene(truth, 40, 1150)
		if got := FitAspect(g, outline, text, Aspect(ID1)); got != outline {
			t.Errorf("a side moved across the text: %v", got)
		}
	})
}

func TestFitAspectCutOff(t *testing.T) {
	// the same outline in a view that ends at its right side's middle: a
	// card the frame cuts off, left to Complete
	truth := OrderQuad(keystoneCard())
	g, text, outline := aspectScene(truth, 40, 900)
	side := -1
	var mid float64
	for i := 0; i < 4; i++ {
		if m := (outline[i][0] + outline[(i+1)%4][0]) / 2; m > mid {
			side, mid = i, m
		}
	}
	w := int(mid) + 1
	if side < 0 || w >= g.W {
		t.Fatalf("the outline's rightmost side's middle %.1f lies outside the %d px view", mid, g.W)
	}
	cut := Gray{Pix: make([]byte, w*g.H), W: w, H: g.H}
	for y := 0; y < g.H; y++ {
		copy(cut.Pix[y*w:(y+1)*w], g.Pix[y*g.W:y*g.W+w])
	}
	if got := FitAspect(cut, outline, text, Aspect(ID1)); got != outline {
		t.Errorf("a cut-off outline moved: %v", got)
	}
	// and in the whole view it moves (the test above is not vacuous)
	if got := FitAspect(g, outline, text, Aspect(ID1)); got == outline {
		t.Errorf("the outline did not move in the whole view")
	}
}

func TestFitAspectDegenerate(t *testing.T) {
	g := Gray{Pix: make([]byte, 64*48), W: 64, H: 48}
	box := func(x0, y0, x1, y1 float64) geom.Quad {
		return geom.Quad{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
	}
	text := []geom.Quad{box(20, 15, 40, 18), box(20, 22, 40, 25), box(20, 29, 40, 32)}
	for _, c := range []struct {
		name string
		q    geom.Quad
	}{
		{"zero", geom.Quad{}},
		{"a point", geom.Quad{{30, 20}, {30, 20}, {30, 20}, {30, 20}}},
		{"collinear", geom.Quad{{10, 10}, {20, 10}, {30, 10}, {40, 10}}},
		{"beyond the view", box(-100, -100, 500, 400)},
		{"too flat", box(5, 10, 58, 38)},
	} {
		got := FitAspect(g, c.q, text, Aspect(ID1))
		for _, p := range got {
			if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
				t.Errorf("%s: %v", c.name, got)
			}
		}
	}
	if got := FitAspect(g, box(5, 10, 58, 38), nil, Aspect(ID1)); got != OrderQuad(box(5, 10, 58, 38)) {
		t.Errorf("moved without text: %v", got)
	}
}
