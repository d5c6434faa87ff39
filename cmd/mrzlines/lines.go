package main

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"strings"

	"docscan/internal/grayimg"
	"docscan/synth"
)

// mrzAlphabet is what an MRZ line may contain.
const mrzAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"

// cropH and cropPad are the pipeline's Tesseract crop: the line region is
// warped to 48 pixels high and padded by 8 with its corner pixel
// (pipeline.TesseractCrop).
const (
	cropH   = 48
	cropPad = 8
)

// Sample is one training line: the crop as the pipeline would cut it, and
// its text.
type Sample struct {
	Img  *image.Gray
	Text string
}

// Generator draws training lines; every sample has its own seed, so a
// sample depends only on (seed, index).
type Generator struct {
	Fonts *synth.Fonts
	Seed  uint64
}

// Line makes sample i.
func (g Generator) Line(i int) (Sample, error) {
	r := rand.New(rand.NewPCG(g.Seed, uint64(i)*0x9e3779b97f4a7c15+1))
	lines := lineTexts(r)
	k := r.IntN(len(lines))
	text := lines[k]
	font := g.Fonts.OCRB
	switch v := r.Float64(); {
	case v < 0.07:
		font = g.Fonts.Sans
	case v < 0.10:
		font = g.Fonts.DIN
	}

	// Source scale: the capital height in photo pixels (small text is
	// upsampled by the crop, as in photos taken from a distance).
	capH := math.Exp(uniform(r, math.Log(9), math.Log(46)))
	pitch := capH * 2.54 / 2.3 * uniform(r, 0.95, 1.06) // OCR-B: 10 characters per inch, caps 2.3 mm
	linePitch := capH * uniform(r, 1.65, 1.95)
	n := len(text)
	margin := 2.5 * pitch
	w := int(math.Ceil(float64(n)*pitch + 2*margin))
	h := int(math.Ceil(4.5 * linePitch))
	src := image.NewRGBA(image.Rect(0, 0, w, h))

	// Paper: tinted, with texture and faint security print.
	paper := color.RGBA{uint8(150 + r.IntN(100)), 0, 0, 255}
	paper.G = grayimg.Clamp8(float64(paper.R) + uniform(r, -25, 10))
	paper.B = grayimg.Clamp8(float64(paper.R) + uniform(r, -35, 15))
	synth.Fill(src, paper)
	synth.ValueNoise(src, r, uniform(r, 0.5, 3)*capH, uniform(r, 2, 14))
	if r.IntN(2) == 0 {
		guilloche(src, r, capH)
	}

	// Ink: the line and its neighbours (the crop may catch their edges).
	ink := image.NewRGBA(src.Bounds())
	synth.Fill(ink, color.RGBA{255, 255, 255, 255})
	base := float64(h)/2 + capH/2
	x0 := margin
	for j := range lines {
		y := base + float64(j-k)*linePitch
		if y < -capH || y > float64(h)+capH {
			continue
		}
		synth.DrawFixedPitch(ink, font, lines[j], x0, y, float64(n)*pitch, capH, color.Black)
	}
	strokeWeight(ink, r, capH)
	inkC := color.RGBA{uint8(r.IntN(70)), uint8(r.IntN(70)), uint8(r.IntN(80)), 255}
	composite(src, ink, inkC, uniform(r, 0.75, 1))

	// Photo: light, blur, noise, compression.
	synth.Illumination(src, uniform(r, 0.55, 1.1), uniform(r, 0.75, 1.2), uniform(r, 0, 360), uniform(r, 0, 0.4))
	if r.IntN(4) == 0 {
		synth.Shadow(src, uniform(r, 0, float64(w)), uniform(r, 0, float64(h)), uniform(r, 0, 180), uniform(r, 0.15, 0.5), uniform(r, 0.5, 4)*capH)
	}
	if r.IntN(10) == 0 {
		synth.Glare(src, uniform(r, 0, float64(w)), uniform(r, 0, float64(h)), uniform(r, 1, 4)*capH, uniform(r, 0.5, 2)*capH, uniform(r, 0, 180), uniform(r, 0.25, 0.7))
	}
	switch v := r.Float64(); {
	case v < 0.12:
		synth.MotionBlur(src, uniform(r, 0.08, 0.22)*capH, uniform(r, 0, 180))
	case v < 0.85:
		synth.GaussianBlur(src, uniform(r, 0.01, 0.09)*capH)
	}
	synth.Noise(src, r, uniform(r, 1.5, 9), uniform(r, 0, 3))
	if r.IntN(10) < 7 {
		var err error
		if src, err = synth.JPEGRoundTrip(src, 30+r.IntN(63)); err != nil {
			return Sample{}, err
		}
	}

	// The detector's box: tight along the text with a little slack at the
	// ends, a line height of 1.2-1.7 capitals, slightly off centre, tilted
	// and with its corners jittered.
	bh := capH / uniform(r, 0.58, 0.86)
	cy := base - capH/2 + uniform(r, -0.08, 0.08)*bh
	left := x0 - uniform(r, -0.12, 0.5)*pitch
	right := x0 + float64(n)*pitch + uniform(r, -0.15, 0.6)*pitch
	q := synth.RectQuad(left, cy-bh/2, right, cy+bh/2)
	ang := uniform(r, -1.2, 1.2) * math.Pi / 180
	cx := (left + right) / 2
	for c := range q {
		dx, dy := q[c].X-cx, q[c].Y-cy
		q[c] = synth.Point{X: cx + dx*math.Cos(ang) - dy*math.Sin(ang) + uniform(r, -0.04, 0.04)*bh,
			Y: cy + dx*math.Sin(ang) + dy*math.Cos(ang) + uniform(r, -0.04, 0.04)*bh}
	}
	crop, err := warpGray(src, q)
	if err != nil {
		return Sample{}, err
	}
	return Sample{Img: grayimg.Pad(crop, cropPad), Text: text}, nil
}

// lineTexts draws the lines of one MRZ: a valid one from the synth
// generator (with random names half the time, so no name list is learnt),
// or random text in the MRZ alphabet shaped like MRZ lines.
func lineTexts(r *rand.Rand) []string {
	format := []string{synth.TD1, synth.TD2, synth.TD3}[r.IntN(3)]
	if r.IntN(4) == 0 {
		n := map[string]int{synth.TD1: 30, synth.TD2: 36, synth.TD3: 44}[format]
		out := make([]string, 2+r.IntN(2))
		for j := range out {
			out[j] = randomLine(r, n)
		}
		return out
	}
	d := synth.RandomMRZData(r, format)
	if r.IntN(2) == 0 {
		d.Surname = randomName(r)
		d.GivenNames = ""
		for k := r.IntN(3); k > 0; k-- {
			d.GivenNames = strings.TrimSpace(d.GivenNames + " " + randomName(r))
		}
	}
	lines, err := synth.ComposeMRZ(d)
	if err != nil {
		return []string{randomLine(r, 44), randomLine(r, 44)}
	}
	return lines
}

// randomLine is n characters of the MRZ alphabet in runs: letters, digits
// and filler runs of 1-20.
func randomLine(r *rand.Rand, n int) string {
	var b strings.Builder
	for b.Len() < n {
		switch r.IntN(4) {
		case 0:
			b.WriteString(strings.Repeat("<", 1+r.IntN(min(20, n))))
		case 1:
			for k := 1 + r.IntN(9); k > 0; k-- {
				b.WriteByte('0' + byte(r.IntN(10)))
			}
		default:
			for k := 1 + r.IntN(12); k > 0; k-- {
				b.WriteByte(mrzAlphabet[r.IntN(len(mrzAlphabet))])
			}
		}
	}
	return b.String()[:n]
}

// randomName is a pronounceable-ish random name of 2-12 letters.
func randomName(r *rand.Rand) string {
	const vowels, consonants = "AEIOUY", "BCDFGHJKLMNPQRSTVWXZ"
	n := 2 + r.IntN(11)
	var b strings.Builder
	v := r.IntN(2) == 0
	for b.Len() < n {
		if v {
			b.WriteByte(vowels[r.IntN(len(vowels))])
		} else {
			b.WriteByte(consonants[r.IntN(len(consonants))])
		}
		if r.IntN(4) > 0 {
			v = !v
		}
	}
	return b.String()
}

// guilloche draws faint sine line patterns, as security print.
func guilloche(img *image.RGBA, r *rand.Rand, capH float64) {
	b := img.Bounds()
	c := color.RGBA{uint8(120 + r.IntN(120)), uint8(120 + r.IntN(120)), uint8(120 + r.IntN(120)), 255}
	amp, per := uniform(r, 0.3, 2)*capH, uniform(r, 2, 8)*capH
	a := uniform(r, 0.08, 0.3)
	for k := 0; k < 3+r.IntN(5); k++ {
		y0, ph := uniform(r, 0, float64(b.Dy())), uniform(r, 0, 2*math.Pi)
		wd := uniform(r, 0.03, 0.1) * capH
		for x := 0; x < b.Dx(); x++ {
			y := y0 + amp*math.Sin(2*math.Pi*float64(x)/per+ph)
			for yy := int(y - wd - 1); yy <= int(y+wd+1); yy++ {
				if yy < 0 || yy >= b.Dy() {
					continue
				}
				cov := math.Max(0, math.Min(1, wd+0.5-math.Abs(float64(yy)-y)))
				o := img.PixOffset(x, yy)
				for ch := 0; ch < 3; ch++ {
					img.Pix[o+ch] = grayimg.Clamp8(float64(img.Pix[o+ch])*(1-a*cov) + float64([]uint8{c.R, c.G, c.B}[ch])*a*cov)
				}
			}
		}
	}
}

// strokeWeight makes the strokes bolder or thinner: a small blur, then a
// level shift of the ink mask (black ink on white).
func strokeWeight(ink *image.RGBA, r *rand.Rand, capH float64) {
	synth.GaussianBlur(ink, uniform(r, 0.02, 0.05)*capH)
	lo, hi := 0.0, 255.0
	switch r.IntN(3) {
	case 0: // bolder: grey edges turn to ink
		hi = uniform(r, 150, 235)
	case 1: // thinner
		lo = uniform(r, 30, 120)
	}
	for o := 0; o < len(ink.Pix); o += 4 {
		v := (float64(ink.Pix[o]) - lo) / (hi - lo) * 255
		ink.Pix[o] = grayimg.Clamp8(v)
	}
}

// composite lays ink (its red channel: 0 ink, 255 none) in colour c at
// opacity a over dst.
func composite(dst, ink *image.RGBA, c color.RGBA, a float64) {
	cc := [3]float64{float64(c.R), float64(c.G), float64(c.B)}
	for o := 0; o < len(dst.Pix); o += 4 {
		t := a * (1 - float64(ink.Pix[o])/255)
		if t <= 0 {
			continue
		}
		for ch := 0; ch < 3; ch++ {
			dst.Pix[o+ch] = grayimg.Clamp8(float64(dst.Pix[o+ch])*(1-t) + cc[ch]*t)
		}
	}
}

// warpGray cuts quad q (TL, TR, BR, BL) out of src as the pipeline does:
// a perspective warp to cropH pixels high and the width that keeps the
// aspect, bilinear, replicated border, then OpenCV's BGR-to-gray weights.
func warpGray(src *image.RGBA, q synth.Quad) (*image.Gray, error) {
	qw := (math.Hypot(q[1].X-q[0].X, q[1].Y-q[0].Y) + math.Hypot(q[2].X-q[3].X, q[2].Y-q[3].Y)) / 2
	qh := (math.Hypot(q[3].X-q[0].X, q[3].Y-q[0].Y) + math.Hypot(q[2].X-q[1].X, q[2].Y-q[1].Y)) / 2
	if qw < 2 || qh < 2 {
		return nil, fmt.Errorf("degenerate quad %v", q)
	}
	w := max(8, min(int(math.Round(cropH*qw/qh)), cropH*60))
	hm, err := synth.HomographyFromQuads(synth.RectQuad(0, 0, float64(w), cropH), q)
	if err != nil {
		return nil, err
	}
	out := image.NewGray(image.Rect(0, 0, w, cropH))
	sb := src.Bounds()
	at := func(x, y int) []uint8 {
		x = max(0, min(x, sb.Dx()-1))
		y = max(0, min(y, sb.Dy()-1))
		o := src.PixOffset(x, y)
		return src.Pix[o : o+3]
	}
	for y := 0; y < cropH; y++ {
		for x := 0; x < w; x++ {
			// OpenCV maps pixel centres at integer coordinates.
			p := hm.Apply(synth.Point{X: float64(x), Y: float64(y)})
			x0, y0 := int(math.Floor(p.X)), int(math.Floor(p.Y))
			fx, fy := p.X-float64(x0), p.Y-float64(y0)
			var c [3]float64
			for j := 0; j < 2; j++ {
				for i := 0; i < 2; i++ {
					wt := (1 - math.Abs(float64(i)-fx)) * (1 - math.Abs(float64(j)-fy))
					px := at(x0+i, y0+j)
					for ch := 0; ch < 3; ch++ {
						c[ch] += wt * float64(px[ch])
					}
				}
			}
			out.Pix[y*out.Stride+x] = grayimg.Clamp8(0.299*c[0] + 0.587*c[1] + 0.114*c[2])
		}
	}
	return out, nil
}

func uniform(r *rand.Rand, a, b float64) float64 { return a + (b-a)*r.Float64() }
