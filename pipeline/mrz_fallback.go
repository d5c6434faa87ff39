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

// The classical search: an MRZ request starts with it (Engines.mrzByTexture),
// and any request falls back on it when no text region of the scene leads
// to an MRZ. Zones are looked for by their texture (preprocess.MRZZones:
// black-hat, gradient, closing), each zone is cut into its text lines by
// the row profile of its dark print, and the lines are searched as if the
// detector had found them.

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
	for _, lines := range s.textureLines() {
		sub := s.sameFrame("mrz")
		sub.fine, sub.classicalTried, sub.Regions = true, true, make([]Region, len(lines))
		for i, q := range lines {
			sub.Regions[i] = Region{Quad: q, DetScore: 1, Source: "mrz-zone"}
		}
		if err := sub.zoneDirection(ctx); err != nil {
			return nil, frame{}, err
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

// textureLines are the lines of each zone the texture search finds
// (longLines of zoneEnds of zoneLines of preprocess.MRZZones, or of
// MRZZonesWide for an MRZ request), zones without such lines left out;
// found once per frame where the scene shares its frame's readings
// (sameFrame).
func (s *Scene) textureLines() [][]geom.Quad {
	if s.texture != nil && s.texture.done {
		return s.texture.lines
	}
	zones := s.Frame.MRZZones
	if s.Kind == "mrz" {
		zones = s.Frame.MRZZonesWide // the photo is said to hold an MRZ
	}
	var out [][]geom.Quad
	for _, z := range zones(zoneSide, maxZones) {
		if lines := longLines(zoneEnds(zoneLines(s.Frame, z))); len(lines) > 0 {
			out = append(out, lines)
		}
	}
	if s.texture != nil {
		s.texture.lines, s.texture.done = out, true
	}
	return out
}

// longLines keeps the lines at least eight times as long as their cut is
// high, as an MRZ line of 30 characters or more is: shorter ones are print
// of another kind (a sign, a plate, a grille) or a piece of a line, which
// the search completes from its neighbours.
func longLines(ls []geom.Quad) []geom.Quad {
	var out []geom.Quad
	for _, q := range ls {
		if q.Height() > 0 && q.Width() >= 8*q.Height() {
			out = append(out, q)
		}
	}
	return out
}

// zoneDirection reads a zone's first line and, when it reads as an MRZ
// line, turns the zone's other lines the same way and reads them as they
// then run: the lines of one zone share their direction, which the
// orientation model often misjudges on MRZ print (its confidence on the
// synthetic zones' lines is mostly 0.5-0.9, either way), and each line it
// misjudged was read twice.
func (s *Scene) zoneDirection(ctx context.Context) error {
	if len(s.Regions) < 2 {
		return nil
	}
	if ok, err := s.Read(ctx, 0); err != nil || !ok || !mrzLike(s.Regions[0].Text) {
		return err
	}
	turned := s.Regions[0].Angle == 180
	for i := 1; i < len(s.Regions); i++ {
		r := &s.Regions[i]
		if turned {
			r.Quad = r.Quad.Rotate180()
			r.Angle = 180
		}
		r.upright = true
	}
	return nil
}

// zoneEnds keeps the lines of a zone that may be its MRZ: all of them
// when there are at most three; otherwise the zone took in print beside
// the MRZ (the lines over a TD1 card's zone), which ends a document, so
// the three or two lines at one end of the zone (the reading direction is
// not known yet) that have an MRZ's shape (evenLines, each line at least
// eight times as long as its cut is high), the end of longer lines first.
func zoneEnds(lines []geom.Quad) []geom.Quad {
	n := len(lines)
	if n <= 3 {
		return lines
	}
	var best []geom.Quad
	for _, k := range []int{3, 2} {
		for _, ls := range [][]geom.Quad{lines[:k], lines[n-k:]} {
			if evenLines(ls, 8) && (best == nil || len(ls) > len(best) || len(ls) == len(best) && ls[0].Width() > best[0].Width()) {
				best = ls
			}
		}
	}
	return best
}

// evenLines: lines of lengths within 15% of each other, each at least
// minAspect times as long as high.
func evenLines(ls []geom.Quad, minAspect float64) bool {
	lo, hi := math.Inf(1), 0.0
	for _, q := range ls {
		if q.Height() <= 0 || q.Width() < minAspect*q.Height() {
			return false
		}
		lo, hi = math.Min(lo, q.Width()), math.Max(hi, q.Width())
	}
	return lo >= 0.85*hi
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
	return len(lines) >= 2 && len(lines) <= 3 && evenLines(lines, 12)
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
	// The zone's rectangle may lie a degree or two off its lines (the
	// closing's blob is ragged), which over a zone's length runs one
	// line into the next in the row profile: the rows are counted along
	// the slope (dy per dx) that makes the profile sharpest.
	pts := darkPoints(g, th)
	slope, rows := 0.0, make([]int, H)
	best := -1.0
	for k := -zoneSlopes; k <= zoneSlopes; k++ {
		t := float64(k) * zoneSlopeStep
		prof := make([]int, H)
		for _, p := range pts {
			if y := int(math.Round(float64(p[1]) - t*float64(p[0]-int32(W/2)))); y >= 0 && y < H {
				prof[y]++
			}
		}
		var sq float64
		for _, n := range prof {
			sq += float64(n) * float64(n)
		}
		if sq > best+1e-9 || (sq == best && k == 0) {
			best, slope, rows = sq, t, prof
		}
	}
	rowOf := func(x, y int) int { return int(math.Round(float64(y) - slope*float64(x-W/2))) }
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
		for _, p := range pts {
			if r := rowOf(int(p[0]), int(p[1])); r >= b.y0 && r < b.y1 {
				x0, x1 = min(x0, int(p[0])), max(x1, int(p[0]))
			}
		}
		if x1-x0 < 4*bh {
			continue
		}
		m, mh := 0.3*float64(bh), zoneMargin*float64(bh)
		x0m, x1m := float64(x0)-m, float64(x1)+m
		y0m, y1m := float64(b.y0)-mh, float64(b.y1)+mh
		at := func(x, y float64) geom.Point { return hm.Apply(x, y+slope*(x-float64(W/2))) }
		out = append(out, geom.Quad{at(x0m, y0m), at(x1m, y0m), at(x1m, y1m), at(x0m, y1m)})
	}
	return out
}

// darkPoints lists the print's pixels of a zone's gray warp: darker than
// Otsu's threshold th and than 85% of the mean of the square around them
// (a sixteenth of the width on a side: a character or two), so that a
// shadow over part of the zone, darker than the threshold, is not print.
func darkPoints(g *image.Gray, th uint8) [][2]int32 {
	b := g.Bounds()
	W, H := b.Dx(), b.Dy()
	sum := make([]int64, (W+1)*(H+1)) // integral image
	for y := 0; y < H; y++ {
		var row int64
		for x := 0; x < W; x++ {
			row += int64(g.Pix[y*g.Stride+x])
			sum[(y+1)*(W+1)+x+1] = sum[y*(W+1)+x+1] + row
		}
	}
	r := max(4, W/32)
	var pts [][2]int32
	for y := 0; y < H; y++ {
		y0, y1 := max(0, y-r), min(H, y+r+1)
		for x := 0; x < W; x++ {
			p := g.Pix[y*g.Stride+x]
			if p >= th {
				continue
			}
			x0, x1 := max(0, x-r), min(W, x+r+1)
			area := int64((x1 - x0) * (y1 - y0))
			s := sum[y1*(W+1)+x1] - sum[y0*(W+1)+x1] - sum[y1*(W+1)+x0] + sum[y0*(W+1)+x0]
			if int64(p)*area*100 < s*85 {
				pts = append(pts, [2]int32{int32(x), int32(y)})
			}
		}
	}
	return pts
}

// zoneMargin is the margin, in band heights, a zone's line is cut with
// above and below its print: about what the text detector's boxes leave
// (their crops read alike; at 0.3 the print stood smaller in the crop and
// 5 of the 300 synthetic scenes read by texture fewer).
const zoneMargin = 0.15

// The slopes zoneLines tries: up to 3 degrees either way in steps of a
// quarter degree.
const (
	zoneSlopes    = 12
	zoneSlopeStep = 0.25 * math.Pi / 180
)

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
