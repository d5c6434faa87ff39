package preprocess

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"math"
	"testing"

	"docscan/geom"
)

// cardPNG draws a light card (quad q) on a dark background.
func cardPNG(t *testing.T, w, h int, q geom.Quad) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	in := func(x, y float64) bool {
		for i := 0; i < 4; i++ {
			a, b := q[i], q[(i+1)%4]
			if (b[0]-a[0])*(y-a[1])-(b[1]-a[1])*(x-a[0]) < 0 {
				return false
			}
		}
		return true
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{50, 60, 70, 255}
			if in(float64(x)+0.5, float64(y)+0.5) {
				c = color.RGBA{225, 230, 220, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCardViewAndWarpFrame(t *testing.T) {
	q := geom.Quad{{200, 150}, {1000, 210}, {960, 700}, {160, 640}} // clockwise
	f, err := Decode(context.Background(), cardPNG(t, 1200, 900, q), DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v := f.CardView(600)
	if v.W != 600 || v.H != 450 || len(v.Gray) != v.W*v.H || math.Abs(v.Scale-2) > 1e-9 {
		t.Fatalf("view %dx%d scale %v", v.W, v.H, v.Scale)
	}
	// the colour planes, blue first: the background is RGB 50, 60, 70
	planes := v.Planes()
	for c, want := range []byte{70, 60, 50} {
		pl := planes[c]
		if len(pl) != v.W*v.H {
			t.Fatalf("plane %d: %d pixels", c, len(pl))
		}
		if pl[0] != want || pl[len(pl)-1] != want {
			t.Errorf("plane %d: corners %d, %d, want %d", c, pl[0], pl[len(pl)-1], want)
		}
	}
	// and the card's in the middle: RGB 225, 230, 220
	for c, want := range []byte{220, 230, 225} {
		if got := planes[c][(v.H/2)*v.W+v.W/2]; got != want {
			t.Errorf("plane %d: card pixel %d, want %d", c, got, want)
		}
	}
	found := false
	for _, c := range v.Quads {
		c = c.Scale(v.Scale, v.Scale)
		// every corner of the card near some corner of the candidate
		ok := true
		for _, p := range q {
			best := math.Inf(1)
			for _, r := range c {
				best = math.Min(best, math.Hypot(p[0]-r[0], p[1]-r[1]))
			}
			ok = ok && best < 12
		}
		found = found || ok
	}
	if !found {
		t.Errorf("card outline not among %d candidates: %v", len(v.Quads), v.Quads)
	}
	n, err := f.WarpFrame(q, 500, 315)
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	pix, w, h := n.GrayPixels()
	if w != 500 || h != 315 || len(pix) != w*h {
		t.Fatalf("normalized %dx%d", w, h)
	}
	// the card fills the normalized image: its middle is light
	if p := pix[h/2*w+w/2]; p < 200 {
		t.Errorf("centre gray %d", p)
	}
}
