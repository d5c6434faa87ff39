package preprocess

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/draw"
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

// TestDarkStretch: the stretch brings a dark photo's light end to
// darkTarget; a daylight photo, or a dark one with a glare spot over a
// hundredth of it, is left alone.
func TestDarkStretch(t *testing.T) {
	fill := func(n int, levels ...[2]int) []byte {
		out := make([]byte, 0, n)
		for _, l := range levels {
			for i := 0; i < l[1]; i++ {
				out = append(out, byte(l[0]))
			}
		}
		return out
	}
	cases := []struct {
		name     string
		gray     []byte
		ok       bool
		lo       byte
		gainLo   float64
		gainHigh float64
	}{
		{"daylight", fill(1000, [2]int{60, 500}, [2]int{200, 500}), false, 0, 0, 0},
		{"dark card on a darker table", fill(1000, [2]int{20, 600}, [2]int{30, 390}, [2]int{64, 10}), true, 20, 4.9, 5},
		{"dim", fill(1000, [2]int{40, 500}, [2]int{110, 500}), true, 40, 3.1, 3.2},
		{"dark with glare", fill(1000, [2]int{20, 980}, [2]int{255, 20}), false, 0, 0, 0},
		{"flat", fill(1000, [2]int{30, 1000}), false, 0, 0, 0},
		{"empty", nil, false, 0, 0, 0},
	}
	for _, c := range cases {
		lo, gain, ok := darkStretch(c.gray)
		if ok != c.ok || ok && (lo != c.lo || gain < c.gainLo || gain > c.gainHigh) {
			t.Errorf("%s: darkStretch = %d, %.3f, %v; want ok %v, lo %d, gain in [%.1f, %.1f]",
				c.name, lo, gain, ok, c.ok, c.lo, c.gainLo, c.gainHigh)
		}
	}
}

// TestBrightened: a dark frame's brightened copy has the same size and
// coordinates, its levels stretched (a gray card of 70 on 25 to about 220
// on 0), its view smoothed; the frame itself is unchanged, and a daylight
// frame makes no copy.
func TestBrightened(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 400, 300))
	draw.Draw(img, img.Bounds(), &image.Uniform{color.RGBA{25, 25, 25, 255}}, image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(100, 80, 300, 210), &image.Uniform{color.RGBA{70, 70, 70, 255}}, image.Point{}, draw.Src)
	f := frameOf(t, img)
	defer f.Close()
	b, ok := f.Brightened()
	if !ok {
		t.Fatal("dark frame not brightened")
	}
	defer b.Close()
	if bw, bh := b.Size(); bw != 400 || bh != 300 {
		t.Fatalf("brightened size %dx%d, want 400x300", bw, bh)
	}
	at := func(f *Frame, x, y int) int {
		g, w, _ := f.GrayPixels()
		return int(g[y*w+x])
	}
	if got := at(b, 200, 150); got < 210 || got > 230 {
		t.Errorf("card level %d brightened, want about %d", got, darkTarget)
	}
	if got := at(b, 20, 20); got > 5 {
		t.Errorf("table level %d brightened, want about 0", got)
	}
	if got := at(f, 200, 150); got != 70 {
		t.Errorf("frame's card level %d after Brightened, want 70 (unchanged)", got)
	}
	v := b.CardView(400)
	// the view is smoothed: a level between table and card at the edge
	if e := int(v.Gray[150*v.W+100]); e < 20 || e > 200 {
		t.Errorf("view level %d at the card's edge, want one between table and card (smoothed)", e)
	}
	light := image.NewRGBA(image.Rect(0, 0, 400, 300))
	draw.Draw(light, light.Bounds(), &image.Uniform{color.RGBA{180, 180, 180, 255}}, image.Point{}, draw.Src)
	lf := frameOf(t, light)
	defer lf.Close()
	if c, ok := lf.Brightened(); ok {
		c.Close()
		t.Error("daylight frame brightened")
	}
}
