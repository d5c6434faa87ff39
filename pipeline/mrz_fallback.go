package pipeline

import (
	"context"
	"image"
	"math"
	"strings"

	"docscan/documents"
	"docscan/geom"
	"docscan/preprocess"
)

// The classical fallback: when no text region of the scene leads to an
// MRZ, zones are looked for by their texture (preprocess.MRZZones: black-hat,
// gradient, closing), each zone is cut into its text lines by the row
// profile of its dark print, and the lines are searched as if the detector
// had found them.

const (
	zoneSide  = 1200 // long side the zone finder works at
	maxZones  = 3    // zones tried, largest first
	zoneWidth = 1024 // width a zone is normalized to for cutting its lines
)

// classical runs the fallback once per scene and returns the best zone it
// read, with its frame.
func (b MRZBuilder) classical(ctx context.Context, s *Scene) (*group, frame, error) {
	if s.classicalTried {
		return nil, frame{}, nil
	}
	s.classicalTried = true
	var best *group
	var bestFrame frame
	for _, z := range s.Frame.MRZZones(zoneSide, maxZones) {
		lines := zoneLines(s.Frame, z)
		if len(lines) == 0 || len(lines) > 3 {
			continue
		}
		sub := &Scene{Frame: s.Frame, Kind: "mrz", Eng: s.Eng, Quality: s.Quality, fine: true, classicalTried: true,
			Regions: make([]Region, len(lines))}
		for i, q := range lines {
			sub.Regions[i] = Region{Quad: q, DetScore: 1, Source: "mrz-zone"}
		}
		g, f, err := b.search(ctx, sub)
		s.tOCR += sub.tOCR
		s.tOrient += sub.tOrient
		if err != nil {
			return nil, frame{}, err
		}
		if mrzShaped(lines) && !readAsOtherPrint(sub.Regions) {
			s.mrzHint = true
		}
		if g != nil && (best == nil || g.score > best.score) {
			best, bestFrame = g, f
		}
		if best != nil && best.rec.Valid {
			break
		}
	}
	return best, bestFrame, nil
}

// readAsOtherPrint: every line of a zone was read, and none with a filler
// sign ('<', '«', or '>' for a row of them turned over) or as an MRZ line
// (mrzLike): an MRZ's shape in print of another kind. A German ID card
// front's header (BUNDESREPUBLIK DEUTSCHLAND over PERSONALAUSWEIS
// IDENTITY CARD/CARTE D'IDENTITÉ) has an MRZ's texture and shape: 23 of
// the first 40 synthetic ID card fronts were searched for an MRZ a second
// time for it, each about 650 ms of recognition. On the 300 synthetic MRZ
// scenes 30 of the 34 MRZ-shaped zones read with fillers; of the other 4,
// 3 are headers and one (mrz_0044) an MRZ too blurred to validate on the
// scene or on the card.
func readAsOtherPrint(regs []Region) bool {
	for _, r := range regs {
		if !r.Read || mrzLike(r.Text) || strings.ContainsAny(r.Text, "<«>") {
			return false
		}
	}
	return len(regs) > 0
}

// mrzShaped: two or three lines, each at least 12 times as long as high,
// of lengths within 15% of each other: the shape of an MRZ, not of a block
// of field labels and values.
func mrzShaped(lines []geom.Quad) bool {
	if len(lines) < 2 || len(lines) > 3 {
		return false
	}
	lo, hi := math.Inf(1), 0.0
	for _, q := range lines {
		if q.Height() <= 0 || q.Width() < 12*q.Height() {
			return false
		}
		lo, hi = math.Min(lo, q.Width()), math.Max(hi, q.Width())
	}
	return lo >= 0.85*hi
}

// zoneLines cuts zone z (first edge along the lines) into the quads of its
// text lines: the zone, enlarged a little, is normalized to zoneWidth
// pixels, binarized at Otsu's threshold, and the runs of rows holding dark
// print across a good part of the width are the lines; each spans the
// columns its print covers, plus a margin.
func zoneLines(f *preprocess.Frame, z geom.Quad) []geom.Quad {
	long, short := z.Width(), z.Height()
	if long < 8 || short < 4 {
		return nil
	}
	// grow by 15% of the short side across and along the zone: the
	// closing that found it may have trimmed the outer strokes
	zz := growQuad(z, 0.15*short, 0.15*short)
	W := zoneWidth
	H := int(math.Round(float64(W) * zz.Height() / zz.Width()))
	if H < 12 || H > W {
		return nil
	}
	img, err := f.Warp(zz, W, H, true)
	if err != nil {
		return nil
	}
	g, ok := img.(*image.Gray)
	if !ok {
		return nil
	}
	// the warp's own mapping takes the lines back to the photo
	hm, ok := documents.CardHomography(zz, float64(W), float64(H))
	if !ok {
		return nil
	}
	th := otsu(g)
	dark := func(x, y int) bool { return g.Pix[y*g.Stride+x] < th }
	rows := make([]int, H)
	for y := 0; y < H; y++ {
		for x := 0; x < W; x++ {
			if dark(x, y) {
				rows[y]++
			}
		}
	}
	minRow := int(0.08 * float64(W))
	type band struct{ y0, y1 int }
	var bands []band
	for y := 0; y < H; {
		if rows[y] < minRow {
			y++
			continue
		}
		y0 := y
		for y < H && rows[y] >= minRow {
			y++
		}
		bands = append(bands, band{y0, y})
	}
	// drop slivers: a line is at least half as high as the highest band
	hmax := 0
	for _, b := range bands {
		hmax = max(hmax, b.y1-b.y0)
	}
	var out []geom.Quad
	for _, b := range bands {
		bh := b.y1 - b.y0
		if bh < 4 || 2*bh < hmax {
			continue
		}
		x0, x1 := W, -1
		for x := 0; x < W; x++ {
			n := 0
			for y := b.y0; y < b.y1; y++ {
				if dark(x, y) {
					n++
				}
			}
			if n > 0 {
				x0, x1 = min(x0, x), max(x1, x)
			}
		}
		if x1-x0 < 4*bh {
			continue
		}
		m := 0.3 * float64(bh)
		x0m, x1m := float64(x0)-m, float64(x1)+m
		y0m, y1m := float64(b.y0)-m, float64(b.y1)+m
		out = append(out, geom.Quad{hm.Apply(x0m, y0m), hm.Apply(x1m, y0m), hm.Apply(x1m, y1m), hm.Apply(x0m, y1m)})
	}
	return out
}

// growQuad moves q's edges outwards: along the first edge by da at each
// end, across it by dn on each side.
func growQuad(q geom.Quad, da, dn float64) geom.Quad {
	f := frameOf(q)
	l := f.project(q)
	l.A0, l.A1 = l.A0-da, l.A1+da
	l.H += 2 * dn
	return f.quad(l)
}

// otsu is Otsu's threshold of a gray image.
func otsu(g *image.Gray) uint8 {
	var hist [256]int
	b := g.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for _, p := range g.Pix[(y-b.Min.Y)*g.Stride : (y-b.Min.Y)*g.Stride+b.Dx()] {
			hist[p]++
		}
	}
	total := b.Dx() * b.Dy()
	var sum float64
	for i, n := range hist {
		sum += float64(i * n)
	}
	var sumB, wB float64
	best, th := -1.0, 128
	for t := 0; t < 256; t++ {
		wB += float64(hist[t])
		if wB == 0 {
			continue
		}
		wF := float64(total) - wB
		if wF == 0 {
			break
		}
		sumB += float64(t * hist[t])
		mB, mF := sumB/wB, (sum-sumB)/wF
		if v := wB * wF * (mB - mF) * (mB - mF); v > best {
			best, th = v, t+1
		}
	}
	return uint8(min(th, 255))
}
