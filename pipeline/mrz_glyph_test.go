package pipeline

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"math/rand"
	"strings"
	"testing"

	"docscan/mrz"
	"docscan/synth"
)

func ocrbFonts(t *testing.T) *synth.Fonts {
	t.Helper()
	fs, err := synth.LoadFonts("")
	if err != nil {
		t.Skipf("OCR-B font not installed (make deps installs fonts-ocr-b): %v", err)
	}
	return fs
}

// TestOCRBTops checks the table against the font it was made from.
func TestOCRBTops(t *testing.T) {
	fs := ocrbFonts(t)
	for c, want := range ocrbTops {
		top, _, ok := synth.InkExtent(fs.OCRB, rune(c))
		if !ok {
			t.Errorf("%c: not in the font", c)
			continue
		}
		if got := -top; math.Abs(got-want) > 0.002 {
			t.Errorf("%c: top %.4f pitches above the baseline, table says %.3f", c, got, want)
		}
	}
}

// renderLine draws text in OCR-B, black on white, with the given pitch in
// pixels, and returns the ink coverage map, its size, the left margin and
// the baseline's row.
func renderLine(t *testing.T, text string, pitch float64, blur bool) ([]float64, int, int, float64, float64) {
	fs := ocrbFonts(t)
	size := pitch / 0.7227
	margin := pitch
	w, h := int(float64(len(text))*pitch+2*margin), int(2.4*pitch)
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	base := math.Round(float64(h)/2 + 0.5*pitch)
	synth.DrawText(img, fs.OCRB, size, margin, base, text, color.Black)
	g := image.NewGray(img.Bounds())
	draw.Draw(g, g.Bounds(), img, image.Point{}, draw.Src)
	if blur {
		b := image.NewGray(g.Bounds())
		for y := 1; y < h-1; y++ {
			for x := 1; x < w-1; x++ {
				s := 0
				for dy := -1; dy <= 1; dy++ {
					for dx := -1; dx <= 1; dx++ {
						s += int(g.GrayAt(x+dx, y+dy).Y)
					}
				}
				b.SetGray(x, y, color.Gray{uint8(s / 9)})
			}
		}
		g = b
	}
	d := darkness(g)
	if d == nil {
		t.Fatal("no contrast in the rendered line")
	}
	return d, w, h, margin, base
}

// TestInkExtent measures rendered OCR-B characters: each top matches the
// table, and the digit 0 stands taller than the letter O by the margin the
// check needs, sharp and blurred.
func TestInkExtent(t *testing.T) {
	text := "O0C0D0Q0ILI1B8S5Z2G6"
	for _, blur := range []bool{false, true} {
		pitch := 30.0
		d, w, h, margin, base := renderLine(t, text, pitch, blur)
		hs := map[byte]float64{}
		for i := 0; i < len(text); i++ {
			cx := margin + (float64(i)+0.5)*pitch
			x0, x1 := int(math.Round(cx-glyphHalfWidth*pitch)), int(math.Round(cx+glyphHalfWidth*pitch))
			top, _, ok := inkExtent(d, w, h, x0, x1)
			got := base - top
			if !ok {
				t.Fatalf("blur %v: %c not measured", blur, text[i])
			}
			hs[text[i]] = got / pitch
			if want := ocrbTops[text[i]]; !blur && math.Abs(got/pitch-want) > 0.03 {
				t.Errorf("%c: %.3f pitches, want %.3f", text[i], got/pitch, want)
			}
		}
		for _, p := range []string{"O0", "C0", "Q0", "I1", "S5"} {
			if r := hs[p[1]] / hs[p[0]]; r < 1+glyphMinOff {
				t.Errorf("blur %v: %c/%c height ratio %.3f, want over %.3f", blur, p[1], p[0], r, 1+glyphMinOff)
			}
		}
	}
}

// TestRefineCells finds the cells of a rendered line from a reading
// placed half a pitch off.
func TestRefineCells(t *testing.T) {
	text := "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
	pitch := 24.0
	d, w, h, margin, _ := renderLine(t, text, pitch, false)
	fw := float64(w)
	a0, b0 := (margin+0.5*pitch)/fw, pitch/fw
	a, b := refineCells(d, w, h, len(text), a0+0.45*b0, b0*1.02)
	if math.Abs(a-a0)*fw > 0.15*pitch || math.Abs(b-b0)*fw*float64(len(text)) > 0.3*pitch {
		t.Errorf("cells at %.1f + %.3f i, want %.1f + %.3f i (pixels)", a*fw, b*fw, a0*fw, b0*fw)
	}
}

func TestGlyphContradiction(t *testing.T) {
	lines := []string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"}
	rec, err := mrz.Parse(lines, mrz.Options{})
	if err != nil || !rec.Valid {
		t.Fatalf("specimen: %v", err)
	}
	classes := mrz.CharClasses(rec)
	// heights as printed: the glyph's own height, a line scale, a tilt
	// along the line and noise
	heights := func(printed []string, noise float64, seed int64) [][]float64 {
		rng := rand.New(rand.NewSource(seed))
		hs := make([][]float64, len(printed))
		for k, s := range printed {
			hs[k] = make([]float64, len(s))
			for i := 0; i < len(s); i++ {
				e, ok := ocrbTops[s[i]]
				if !ok {
					hs[k][i] = math.NaN()
					continue
				}
				hs[k][i] = e * (0.93 + 0.001*float64(i)) * (1 + noise*rng.NormFloat64())
			}
		}
		return hs
	}
	// the number's 0 was printed as O: L898902C3 -> L8989O2C3
	printedO := []string{lines[0], strings.Replace(lines[1], "L898902C3", "L8989O2C3", 1)}
	for seed := int64(1); seed <= 20; seed++ {
		if h := glyphContradiction(lines, classes, heights(lines, 0.004, seed)); h != nil {
			t.Errorf("seed %d: the right reading is contradicted", seed)
		}
		// read right, the number's 0 is confirmed a digit (a check digit
		// collision may rest on it)
		if v := glyphJudge(lines, classes, heights(lines, 0.004, seed)); v[glyphHit{1, 5}] != +1 {
			t.Errorf("seed %d: the number's 0 not confirmed: %v", seed, v)
		}
		if h := glyphContradiction(lines, classes, heights(printedO, 0.004, seed)); len(h) != 1 || h[0] != (glyphHit{1, 5}) {
			t.Errorf("seed %d: a 0 printed as O: hits %v, want line 2 column 6", seed, h)
		}
		// too noisy to tell: not judged
		if h := glyphContradiction(lines, classes, heights(printedO, 0.06, seed)); h != nil {
			t.Errorf("seed %d: judged on noise", seed)
		}
	}
	// nothing measured, or lines that do not match the classes: not judged
	none := [][]float64{make([]float64, 44), make([]float64, 44)}
	for k := range none {
		for i := range none[k] {
			none[k][i] = math.NaN()
		}
	}
	if glyphContradiction(lines, classes, none) != nil || glyphContradiction(lines, classes, [][]float64{{1}}) != nil {
		t.Error("judged without measurements")
	}
}
