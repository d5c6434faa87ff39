package preprocess

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"docscan/geom"
	"docscan/synth"
)

// printPage is a light card of dark print: rows of bars of glyph-like
// widths and heights (the spectrum of print, no font needed), 900 x 600.
func printPage(seed uint64) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, 7))
	img := image.NewRGBA(image.Rect(0, 0, 900, 600))
	synth.Fill(img, color.RGBA{228, 226, 218, 255})
	ink := color.RGBA{30, 32, 40, 255}
	for y := 40.0; y < 560; y += 34 {
		for x := 40.0; x < 860; {
			w := 2 + r.Float64()*5
			h := 14 + r.Float64()*8
			synth.FillRect(img, x, y, x+w, y+h, ink)
			if r.IntN(3) == 0 { // a crossbar
				synth.FillRect(img, x, y+h/2, x+8+r.Float64()*6, y+h/2+3, ink)
			}
			x += w + 3 + r.Float64()*9
			if r.IntN(7) == 0 {
				x += 14 // a word gap
			}
		}
	}
	return img
}

// photoWith is a w x h photo of a plain grey-blue background with page
// pasted at (x, y).
func photoWith(page *image.RGBA, w, h, x, y int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	synth.Fill(img, color.RGBA{90, 100, 110, 255})
	for r := 0; r < page.Bounds().Dy(); r++ {
		copy(img.Pix[(r+y)*img.Stride+x*4:], page.Pix[r*page.Stride:(r+1)*page.Stride])
	}
	return img
}

// warpGray is f's warp of q to w x h as gray levels.
func warpGray(t *testing.T, f *Frame, q geom.Quad, w, h int) []float64 {
	t.Helper()
	img, err := f.Warp(q, w, h, true)
	if err != nil {
		t.Fatal(err)
	}
	return grayOf(img)
}

func frameOf(tb testing.TB, img image.Image) *Frame {
	tb.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		tb.Fatal(err)
	}
	f, err := Decode(context.Background(), buf.Bytes(), DecodeOptions{MinLongSide: -1})
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

var pageQuad = geom.Quad{{20, 20}, {880, 20}, {880, 580}, {20, 580}}

func TestEstimateBlur(t *testing.T) {
	cases := []struct {
		name          string
		motion, angle float64
		sigma         float64
	}{
		{"sharp", 0, 0, 0},
		{"motion 12 at 20", 12, 20, 0},
		{"motion 8 at 135", 8, 135, 0},
		{"motion 16 at 75", 16, 75, 0},
		{"gaussian 3", 0, 0, 3},
		{"gaussian 2", 0, 0, 2},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img := printPage(uint64(i + 1))
			synth.GaussianBlur(img, 0.6) // lens softness, as the generator's sharp scenes
			if c.motion > 0 {
				synth.MotionBlur(img, c.motion, c.angle)
			}
			if c.sigma > 0 {
				synth.GaussianBlur(img, c.sigma)
			}
			synth.Noise(img, rand.New(rand.NewPCG(uint64(i), 3)), 2, 0.8)
			f := frameOf(t, img)
			defer f.Close()
			b := f.EstimateBlur(pageQuad)
			t.Logf("%s: %v", c.name, b)
			switch {
			case c.motion > 0:
				da := math.Abs(b.Angle - c.angle)
				da = math.Min(da, 180-da)
				if b.Length == 0 || math.Abs(b.Length-c.motion) > 1.5 || da > 8 {
					t.Errorf("got %v, want a motion of %.0f px at %.0f deg", b, c.motion, c.angle)
				}
			case c.sigma > 0:
				if b.Length != 0 || b.Sigma < 0.7*c.sigma || b.Sigma > 1.2*c.sigma {
					t.Errorf("got %v, want a Gaussian blur of sigma %.1f", b, c.sigma)
				}
			default:
				if b.Blurred() {
					t.Errorf("got %v on sharp print, want none", b)
				}
			}
		})
	}
}

// TestSmearOnCards: on synthetic licences whose motion smear the
// cepstrum's deepest dip misses (licence_0090, 0128, 0136, 0189 of the
// seed-42 set: glare, low contrast, JPEG), the edge-based estimate
// (smearOf) finds it (licence_0128's also shows beyond a deep short dip of
// the print: the edges are asked first); where a deep short dip hides a
// shallower smear farther out and the edges show none (idcard_0120),
// longerDip finds it in the cepstrum; its length within a third of the
// generator's either way. On sharp licences of the same set none is found.
func TestSmearOnCards(t *testing.T) {
	fs, err := synth.LoadFonts("")
	if err != nil {
		t.Skipf("fonts not installed (make deps): %v", err)
	}
	type card struct {
		set, format string
		index       int
		cepstrum    bool // found by longerDip, not from the edges
	}
	lic := func(i int) card { return card{synth.SetLicence, synth.SpecimenLicence, i, false} }
	cards := []card{lic(90), lic(128), lic(136), lic(189), lic(89), lic(127), lic(154), lic(179), {synth.SetIDCard, synth.SpecimenIDCard, 120, true}}
	for _, c := range cards {
		index := c.index
		sc, err := synth.SpecimenScene(fs, synth.ImageSeed(c.set, 42, index),
			synth.SceneOptions{Format: c.format, MaxLongSide: 1600})
		if err != nil {
			t.Fatal(err)
		}
		f, err := Decode(context.Background(), sc.JPEG, DecodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var q geom.Quad
		for i, p := range sc.Entry.DocumentQuad {
			q[i] = geom.Point{p[0], p[1]}
		}
		b := f.EstimateBlur(q)
		f.Close()
		motion := sc.Entry.Params["motion_px"]
		blurred := slices.Contains(sc.Entry.Degradations, synth.CaptureMotion) || slices.Contains(sc.Entry.Degradations, synth.CaptureBlur)
		name := fmt.Sprintf("%s_%04d", c.format, index)
		t.Logf("%s: %v (motion %.1f px, %v)", name, b, motion, sc.Entry.Degradations)
		switch {
		case motion > 0:
			if b.Length == 0 || (b.Depth != 0) != c.cepstrum || math.Abs(b.Length-motion) > motion/3 {
				how := "from the edges"
				if c.cepstrum {
					how = "in the cepstrum"
				}
				t.Errorf("%s: got %v, want a smear of about %.1f px found %s", name, b, motion, how)
			}
		case !blurred:
			if b.Blurred() {
				t.Errorf("%s: got %v on a sharp card, want none", name, b)
			}
		default:
			t.Fatalf("%s: the generator changed (%v), pick another card", name, sc.Entry.Degradations)
		}
	}
}

// TestDeblurred: the deconvolved copy of a smeared page is nearer the
// sharp page than the smeared one is, outside the page it is the photo
// unchanged, and the photo itself is left as it was.
func TestDeblurred(t *testing.T) {
	sharp := printPage(9)
	synth.GaussianBlur(sharp, 0.6)
	for _, c := range []Blur{{Length: 12, Angle: 30}, {Sigma: 2.5}} {
		blurred := image.NewRGBA(sharp.Bounds())
		copy(blurred.Pix, sharp.Pix)
		if c.Length > 0 {
			synth.MotionBlur(blurred, c.Length, c.Angle)
		} else {
			synth.GaussianBlur(blurred, c.Sigma)
		}
		synth.Noise(blurred, rand.New(rand.NewPCG(5, 5)), 1.5, 0.5)
		f := frameOf(t, photoWith(blurred, 1400, 1000, 100, 100))
		q := geom.Quad{{120, 120}, {980, 120}, {980, 680}, {120, 680}}
		est := f.EstimateBlur(q)
		if !est.Blurred() {
			f.Close()
			t.Fatalf("%v: no blur found", c)
		}
		d, err := f.Deblurred(q, est)
		if err != nil {
			f.Close()
			t.Fatal(err)
		}
		page := geom.Quad{{100, 100}, {1000, 100}, {1000, 700}, {100, 700}}
		far := geom.Quad{{1300, 900}, {1340, 900}, {1340, 940}, {1300, 940}} // beyond the card's box and margin
		orig, fixed := warpGray(t, f, page, 900, 600), warpGray(t, d, page, 900, 600)
		corner0, corner := warpGray(t, f, far, 40, 40), warpGray(t, d, far, 40, 40)
		again := warpGray(t, f, page, 900, 600)
		d.Close()
		f.Close()
		truth := grayOf(sharp)
		before, after := rms(truth, orig), rms(truth, fixed)
		t.Logf("%v (estimated %v): RMS error %.1f -> %.1f", c, est, before, after)
		if after > 0.8*before {
			t.Errorf("%v: RMS error %.1f -> %.1f, want at least a fifth less", c, before, after)
		}
		if rms(corner0, corner) != 0 {
			t.Errorf("%v: the photo beyond the card changed", c)
		}
		if rms(orig, again) != 0 {
			t.Errorf("%v: the photo itself changed", c)
		}
	}
}

func TestDeblurredRefusesNoBlur(t *testing.T) {
	f := frameOf(t, printPage(2))
	defer f.Close()
	if d, err := f.Deblurred(pageQuad, Blur{}); err == nil {
		d.Close()
		t.Fatal("no error for a blur of nothing")
	}
	if d, err := f.Deblurred(geom.Quad{{5000, 5000}, {5010, 5000}, {5010, 5010}, {5000, 5010}}, Blur{Sigma: 2}); err == nil {
		d.Close()
		t.Fatal("no error for a region outside the photo")
	}
	if b := f.EstimateBlur(geom.Quad{{5000, 5000}, {5010, 5000}, {5010, 5010}, {5000, 5010}}); b.Blurred() {
		t.Fatalf("a blur estimated outside the photo: %v", b)
	}
}

// grayOf is img's luma per pixel.
func grayOf(img image.Image) []float64 {
	b := img.Bounds()
	out := make([]float64, 0, b.Dx()*b.Dy())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			g := color.GrayModel.Convert(img.At(x, y)).(color.Gray)
			out = append(out, float64(g.Y))
		}
	}
	return out
}

func rms(a, b []float64) float64 {
	var s float64
	for i := range a {
		d := a[i] - b[i]
		s += d * d
	}
	return math.Sqrt(s / float64(len(a)))
}

// BenchmarkDeblur: estimating and undoing a smear over an 860 x 560 card
// in a 1400 x 1000 photo.
func BenchmarkDeblur(b *testing.B) {
	page := printPage(4)
	synth.MotionBlur(page, 11, 40)
	f := frameOf(b, photoWith(page, 1400, 1000, 100, 100))
	defer f.Close()
	q := geom.Quad{{120, 120}, {980, 120}, {980, 680}, {120, 680}}
	b.ReportAllocs()
	for b.Loop() {
		est := f.EstimateBlur(q)
		d, err := f.Deblurred(q, est)
		if err != nil {
			b.Fatal(err)
		}
		d.Close()
	}
}

// BenchmarkEstimateBlurSharp: the estimate on a sharp card, the cost every
// card pays (the cepstrum, then the edge-based smear and Gaussian
// estimates, both of which find nothing). The page is made sharp as
// TestEstimateBlur's sharp case and the generator's sharp scenes are (lens
// softness and sensor noise): its bare rectangles, strokes 14-22 pixels
// tall with edges no lens draws, dip in the cepstrum as a vertical smear
// of 20 pixels would, and longerDip took them for one.
func BenchmarkEstimateBlurSharp(b *testing.B) {
	page := printPage(4)
	synth.GaussianBlur(page, 0.6)
	synth.Noise(page, rand.New(rand.NewPCG(4, 3)), 2, 0.8)
	f := frameOf(b, photoWith(page, 1400, 1000, 100, 100))
	defer f.Close()
	q := geom.Quad{{120, 120}, {980, 120}, {980, 680}, {120, 680}}
	b.ReportAllocs()
	for b.Loop() {
		if est := f.EstimateBlur(q); est.Blurred() {
			b.Fatalf("sharp page read as %v", est)
		}
	}
}

// TestReduced: a reduced copy keeps the original coordinates (the same
// quad warps to the same card), and a factor outside (0, 1) is refused.
func TestReduced(t *testing.T) {
	img := photoWith(printPage(3), 1800, 1200, 300, 200)
	// smooth enough for both samplings to agree: a shift would not
	synth.GaussianBlur(img, 3)
	f := frameOf(t, img)
	defer f.Close()
	q := geom.Quad{{300, 200}, {1200, 200}, {1200, 800}, {300, 800}}
	r, err := f.ReducedNear(0.5, q)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if w, h := r.DecodedSize(); w != 900 || h != 600 || r.Scale() != 2*f.Scale() {
		t.Fatalf("reduced to %dx%d at scale %v", w, h, r.Scale())
	}
	if w, h := r.Size(); w != 1800 || h != 1200 {
		t.Fatalf("original size %dx%d, want 1800x1200", w, h)
	}
	a, b := warpGray(t, f, q, 450, 300), warpGray(t, r, q, 450, 300)
	// the photo's own warp of the card two pixels over, for scale
	shifted := warpGray(t, f, geom.Quad{{302, 200}, {1202, 200}, {1202, 800}, {302, 800}}, 450, 300)
	e, shift := rms(a, b), rms(a, shifted)
	t.Logf("RMS off the photo's warp: reduced copy %.1f, two pixels over %.1f", e, shift)
	if e > shift/2 {
		t.Errorf("the reduced copy warps the card %.1f gray levels (RMS) off the photo's, two pixels over %.1f", e, shift)
	}
	for _, k := range []float64{0, 1, 1.5, -1, math.NaN()} {
		if c, err := f.ReducedNear(k, q); err == nil {
			c.Close()
			t.Errorf("ReducedNear(%v): no error", k)
		}
	}
}

// TestReducedNear: the part near the quad is the whole photo's reduced
// pixels there (the factor on 32nds, the part on the same grid), the
// rest is black, and a quad off the photo is refused.
func TestReducedNear(t *testing.T) {
	img := photoWith(printPage(3), 2400, 1800, 700, 500)
	f := frameOf(t, img)
	defer f.Close()
	q := geom.Quad{{700, 500}, {1600, 500}, {1600, 1100}, {700, 1100}}
	near, err := f.ReducedNear(0.74, q) // 0.75 on the grid
	if err != nil {
		t.Fatal(err)
	}
	defer near.Close()
	// the whole photo reduced alike
	whole := &Frame{img: f.scaled(0.75), scale: f.scale / 0.75, width: f.width, height: f.height, Header: f.Header}
	defer whole.Close()
	if w, h := near.DecodedSize(); w != 1800 || h != 1350 || near.Scale() != whole.Scale() {
		t.Fatalf("reduced near to %dx%d at scale %v, want 1800x1350 at %v", w, h, near.Scale(), whole.Scale())
	}
	a, b := warpGray(t, whole, q, 450, 300), warpGray(t, near, q, 450, 300)
	if e := rms(a, b); e > 0.5 {
		t.Errorf("the card near the quad is %.2f gray levels (RMS) off the whole copy's", e)
	}
	// a corner far from the card is black
	far := geom.Quad{{2300, 1700}, {2390, 1700}, {2390, 1790}, {2300, 1790}}
	for _, v := range warpGray(t, near, far, 20, 20) {
		if v != 0 {
			t.Fatalf("the copy far from the card holds %v, want black", v)
		}
	}
	off := geom.Quad{{5000, 5000}, {5100, 5000}, {5100, 5100}, {5000, 5100}}
	if c, err := f.ReducedNear(0.5, off); err == nil {
		c.Close()
		t.Error("ReducedNear off the photo: no error")
	}
}

// TestLongerDip: behind a deep dip too short for a smear, the deepest
// local minimum 8-25 pixels out and 1.5 times the short one's length is
// the smear where it dips longerDepth standard deviations; lags on JPEG's
// 8-pixel grid and dips too shallow, too near or too far are not.
func TestLongerDip(t *testing.T) {
	type dip struct {
		x, y int
		v    float64
	}
	cep := func(dips ...dip) func(x, y int) float64 {
		return func(x, y int) float64 {
			for _, d := range dips {
				// the cepstrum is symmetric: (x, y) and (-x, -y) alike
				if x == d.x && y == d.y || x == -d.x && y == -d.y {
					return d.v
				}
			}
			return 0
		}
	}
	for _, c := range []struct {
		name   string
		dips   []dip
		short  float64
		ok     bool
		length float64
		angle  float64
		depth  float64
	}{
		{"a smear behind the strokes' dip", []dip{{5, 1, -8}, {9, 4, -6}}, 5.1, true, math.Hypot(9, 4), math.Atan2(4, 9) * 180 / math.Pi, 6},
		{"the deeper of two", []dip{{10, 0, -5.5}, {0, 12, -7}}, 5, true, 12, 90, 7},
		{"too shallow", []dip{{9, 4, -4.9}}, 5, false, 0, 0, 0},
		{"JPEG's diagonal", []dip{{8, 8, -9}, {8, -8, -9}, {16, 0, -9}}, 5, false, 0, 0, 0},
		{"JPEG's grid passed over", []dip{{8, 8, -9}, {11, 2, -5.5}}, 5, true, math.Hypot(11, 2), math.Atan2(2, 11) * 180 / math.Pi, 5.5},
		{"too near the short dip", []dip{{9, 0, -7}}, 6.5, false, 0, 0, 0},
		{"under 8 pixels", []dip{{7, 0, -7}}, 3, false, 0, 0, 0},
		{"beyond 25 pixels", []dip{{20, 20, -7}}, 5, false, 0, 0, 0},
	} {
		b, ok := longerDip(cep(c.dips...), 1, c.short)
		if ok != c.ok {
			t.Errorf("%s: ok %v, want %v (%v)", c.name, ok, c.ok, b)
			continue
		}
		if !ok {
			continue
		}
		if math.Abs(b.Length-c.length) > 1e-9 || math.Abs(b.Angle-c.angle) > 1e-9 {
			t.Errorf("%s: %.2f px at %.1f deg, want %.2f at %.1f", c.name, b.Length, b.Angle, c.length, c.angle)
		}
		if b.Depth != c.depth {
			t.Errorf("%s: depth %.2f, want %.2f", c.name, b.Depth, c.depth)
		}
	}
}

// TestStrongest: the indices strongest returns hold the k largest values
// and every other value equal to the k-th (as a multiset), for values with
// many ties, as gradient magnitudes of integer gray levels have, sorted,
// reversed and constant input, and every k.
func TestStrongest(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	inputs := map[string][]float32{}
	for _, n := range []int{1, 2, 3, 10, 257, 5000} {
		ties, uniq, up, down, flat := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
		for i := range n {
			ties[i] = float32(math.Sqrt(float64(rng.IntN(40))))
			uniq[i] = rng.Float32()
			up[i], down[i], flat[i] = float32(i), float32(n-i), 7
		}
		for name, v := range map[string][]float32{"ties": ties, "uniq": uniq, "up": up, "down": down, "flat": flat} {
			inputs[fmt.Sprintf("%s/%d", name, n)] = v
		}
	}
	for name, m := range inputs {
		want := slices.Clone(m)
		slices.SortFunc(want, func(a, b float32) int { return cmp.Compare(b, a) })
		for _, k := range []int{0, 1, len(m) / 50, len(m) / 2, len(m) - 1, len(m)} {
			idx := make([]int32, len(m))
			for i := range idx {
				idx[i] = int32(i)
			}
			top := strongest(idx, m, k)
			got := make([]float32, len(top))
			for i, j := range top {
				got[i] = m[j]
			}
			slices.SortFunc(got, func(a, b float32) int { return cmp.Compare(b, a) })
			n := k // the k largest and the k-th's equals
			for k > 0 && n < len(want) && want[n] == want[k-1] {
				n++
			}
			if !slices.Equal(got, want[:n]) {
				t.Fatalf("%s, k=%d: top values %v (%d), want %v (%d)", name, k, got[:min(len(got), 8)], len(got), want[:min(n, 8)], n)
			}
			seen := map[int32]bool{}
			for _, j := range idx {
				if seen[j] {
					t.Fatalf("%s, k=%d: index %d twice: not a permutation", name, k, j)
				}
				seen[j] = true
			}
		}
	}
}

// TestDirBin: the bin found by cross products is the one atan2 gives, the
// nearest bin centre over half a turn, on the integer gradients a 3x3
// Sobel of integer gray levels makes (every direction up to 64 each way,
// with the zero gradient and negative zeros) and on random ones.
func TestDirBin(t *testing.T) {
	ref := func(x, y float64) uint8 {
		a := math.Mod(math.Atan2(y, x)*180/math.Pi+360, 180)
		return uint8(int(a/(180.0/smearBins)+0.5) % smearBins)
	}
	check := func(x, y float64) {
		if got, want := dirBin(x, y), ref(x, y); got != want {
			t.Fatalf("dirBin(%v, %v) = %d, want %d", x, y, got, want)
		}
	}
	for x := -64; x <= 64; x++ {
		for y := -64; y <= 64; y++ {
			check(float64(x), float64(y))
		}
	}
	negZero := math.Copysign(0, -1)
	for _, v := range [][2]float64{{negZero, 0}, {0, negZero}, {negZero, negZero}, {-3, negZero}, {3, negZero}} {
		check(v[0], v[1])
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		check(rng.NormFloat64()*300, rng.NormFloat64()*300)
	}
}
