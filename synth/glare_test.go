package synth

import (
	"math"
	"testing"
)

// TestGlareBeside: a saturating glare over the text is moved straight away
// from it until no point of the text lies in its core; one already beside
// the text stays where it is.
func TestGlareBeside(t *testing.T) {
	text := RectQuad(100, 100, 300, 140)
	cases := []struct {
		name       string
		c          Point
		rx, ry, an float64
		moves      bool
	}{
		{"over the text's centre", Point{200, 120}, 60, 30, 0, true},
		{"over the text's start, tilted", Point{110, 130}, 80, 40, 35, true},
		{"beside it already", Point{200, 220}, 60, 30, 0, false},
		{"wider than the text", Point{190, 100}, 300, 50, 10, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, moved := glareBeside(tc.c, tc.rx, tc.ry, tc.an, text)
			if (moved > 0) != tc.moves {
				t.Fatalf("moved %.1f px, want moved=%v", moved, tc.moves)
			}
			if !tc.moves && c != tc.c {
				t.Fatalf("centre changed %v -> %v without a move", tc.c, c)
			}
			// no text point inside the core now
			ca, sa := math.Cos(tc.an*math.Pi/180), math.Sin(tc.an*math.Pi/180)
			for x := 100.0; x <= 300; x += 2 {
				for y := 100.0; y <= 140; y += 2 {
					dx, dy := x-c.X, y-c.Y
					u, v := (dx*ca+dy*sa)/tc.rx, (-dx*sa+dy*ca)/tc.ry
					if u*u+v*v < glareClear*0.97 {
						t.Fatalf("text point (%v,%v) still in the core of the glare at %v (d2 %.2f)", x, y, c, u*u+v*v)
					}
				}
			}
			// straight away from the text's centre (up the text's height
			// from the centre itself)
			tc0 := centroid(text)
			if tc.moves && tc.c == tc0 && (c.X != tc0.X || c.Y >= tc0.Y) {
				t.Errorf("from the text's centre: moved to %v, want straight up", c)
			}
			if tc.moves && tc.c != tc0 {
				a0 := math.Atan2(tc.c.Y-tc0.Y, tc.c.X-tc0.X)
				a1 := math.Atan2(c.Y-tc0.Y, c.X-tc0.X)
				if math.Abs(math.Remainder(a1-a0, 2*math.Pi)) > 1e-6 {
					t.Errorf("moved off the line from the text's centre: %v -> %v", tc.c, c)
				}
			}
		})
	}
}

// TestPlateGlareOffText: seed 12's plate 116 (MÜ-W 18) had a saturated
// glare over its characters until generator v4 (no dark ink left on the
// plate); now the glare is beside the plate and the characters are there.
func TestPlateGlareOffText(t *testing.T) {
	fonts := testFonts(t)
	s, err := PlateScene(fonts, ImageSeed(SetPlates, 12, 116), SceneOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Entry.Truth.Plate != "MÜW18" {
		t.Fatalf("scene changed: plate %q, want MÜW18", s.Entry.Truth.Plate)
	}
	if s.Entry.Params["glare_strength"] < glareSaturating || s.Entry.Params["glare_moved_px"] <= 0 {
		t.Fatalf("want a saturating glare moved off the plate: params %v", s.Entry.Params)
	}
	// the characters' ink: dark pixels over the plate's middle band
	if len(s.Entry.Quad) != 4 {
		t.Fatalf("plate quad %v", s.Entry.Quad)
	}
	var q Quad
	for k, p := range s.Entry.Quad {
		q[k] = Point{p[0], p[1]}
	}
	dark, n := 0, 0
	for i := 0; i <= 60; i++ {
		for j := 0; j <= 12; j++ {
			a, b := 0.12+0.86*float64(i)/60, 0.2+0.6*float64(j)/12
			p := lerpPt(lerpPt(q[0], q[1], a), lerpPt(q[3], q[2], a), b)
			o := s.Image.PixOffset(int(p.X), int(p.Y))
			lum := (int(s.Image.Pix[o]) + int(s.Image.Pix[o+1]) + int(s.Image.Pix[o+2])) / 3
			if lum < 110 {
				dark++
			}
			n++
		}
	}
	if f := float64(dark) / float64(n); f < 0.1 {
		t.Errorf("%.1f%% of the plate's middle band dark: the characters are whitened out", 100*f)
	}
}
