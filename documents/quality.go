package documents

import (
	"math"
	"sort"

	"docscan/geom"
)

// Capture are capture-quality figures of the normalized card image.
type Capture struct {
	// Sharpness is the 99th percentile of the gradient magnitude over the
	// card's ink contrast (p95 - p5 gray): about 0.4 for a sharp print at
	// the normalized scale, under 0.15 for a blurred one.
	Sharpness float64
	// Glare is the fraction of 4x4 blocks that are saturated (mean >= 250).
	Glare float64
	// GlareBox is the bounding box of the saturated blocks (normalized
	// pixels), when Glare > 0.
	GlareBox   [4]float64
	Brightness float64 // mean gray 0..255
	Contrast   float64 // p95 - p5 gray
}

// MeasureCard measures the normalized card image g, without a 3% border.
func MeasureCard(g Gray) Capture {
	var c Capture
	bx, by := g.W*3/100, g.H*3/100
	var hist [256]int
	var sum float64
	n := 0
	for y := by; y < g.H-by; y++ {
		for x := bx; x < g.W-bx; x++ {
			v := g.Pix[y*g.W+x]
			hist[v]++
			sum += float64(v)
			n++
		}
	}
	if n == 0 {
		return c
	}
	c.Brightness = sum / float64(n)
	pct := func(p float64) float64 {
		k, acc := int(p*float64(n)), 0
		for v := 0; v < 256; v++ {
			acc += hist[v]
			if acc > k {
				return float64(v)
			}
		}
		return 255
	}
	c.Contrast = pct(0.95) - pct(0.05)
	grads := make([]float64, 0, n/4)
	for y := by; y < g.H-by; y += 2 {
		for x := bx; x < g.W-bx; x += 2 {
			i := y*g.W + x
			gx := float64(g.Pix[i+1]) - float64(g.Pix[i-1])
			gy := float64(g.Pix[i+g.W]) - float64(g.Pix[i-g.W])
			grads = append(grads, math.Hypot(gx, gy)/2)
		}
	}
	sort.Float64s(grads)
	if c.Contrast > 0 {
		c.Sharpness = grads[len(grads)*99/100] / c.Contrast
	}
	blocks, sat := 0, 0
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for y := by; y+4 <= g.H-by; y += 4 {
		for x := bx; x+4 <= g.W-bx; x += 4 {
			s := 0
			for dy := 0; dy < 4; dy++ {
				for dx := 0; dx < 4; dx++ {
					s += int(g.Pix[(y+dy)*g.W+x+dx])
				}
			}
			blocks++
			if s >= 250*16 {
				sat++
				x0, y0 = math.Min(x0, float64(x)), math.Min(y0, float64(y))
				x1, y1 = math.Max(x1, float64(x+4)), math.Max(y1, float64(y+4))
			}
		}
	}
	if blocks > 0 {
		c.Glare = float64(sat) / float64(blocks)
	}
	if sat > 0 {
		c.GlareBox = [4]float64{x0, y0, x1, y1}
	}
	return c
}

// Gate holds the thresholds of the capture quality gate.
type Gate struct {
	MinSharpness  float64 // below: blurred
	MaxGlare      float64 // above: glare
	MinBrightness float64 // below: too dark
	MinCardPx     float64 // card long side in photo pixels below: too small
}

// DefaultGate is calibrated on the synthetic specimen sets (see README).
var DefaultGate = Gate{MinSharpness: 0.24, MaxGlare: 0.015, MinBrightness: 70, MinCardPx: 480}

// Warning codes the phone app acts on.
const (
	WarnBlur     = "retake: card blurry, hold the phone still"
	WarnGlare    = "retake: glare on the card, tilt it away from the light"
	WarnGlareMRZ = "retake: glare on the MRZ"
	WarnDark     = "retake: too dark, add light"
	WarnSmall    = "retake: card too small, move closer"
	WarnCutOff   = "retake: card cut off at the frame edge"
)

// Warnings judges a capture: c measured on the normalized card, quad the
// card in the w x h photo, mrz the MRZ's box on the normalized card (zero
// when there is none).
func (gt Gate) Warnings(c Capture, quad geom.Quad, w, h int, mrz [4]float64) []string {
	var out []string
	if Touches(quad, float64(w), float64(h), 2) {
		out = append(out, WarnCutOff)
	}
	if math.Max(quad.Width(), quad.Height()) < gt.MinCardPx {
		out = append(out, WarnSmall)
	}
	if c.Brightness < gt.MinBrightness {
		out = append(out, WarnDark)
	}
	if c.Glare > gt.MaxGlare {
		if mrz[2] > mrz[0] && overlaps(c.GlareBox, mrz) {
			out = append(out, WarnGlareMRZ)
		} else {
			out = append(out, WarnGlare)
		}
	}
	if c.Sharpness < gt.MinSharpness && c.Brightness >= gt.MinBrightness {
		out = append(out, WarnBlur)
	}
	return out
}

func overlaps(a, b [4]float64) bool {
	return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}
