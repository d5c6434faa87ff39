package documents

import (
	"math"

	"docscan/geom"
)

// An outline that cuts the card. A card's print keeps a margin to its
// border on every side (a German licence's field 9 starts 4% of the
// card's width in from its left edge, its header 6% of its height below
// the top), so a line of print found on the normalized card that runs
// up to a side of it was cut there: the outline lies inside the card. An
// outline found outwards from the text (source "text" or "text+edges")
// stops short where the card's border is faint against what it lies on
// and its print is sparse (lic7 licence_0014: the side beyond field 9
// and the flag 85 pixels inside a blurred card's border on white paper,
// field 9 read "2/0L/B/C/D1/D" for A2/B1/B/C/D1/D).
const (
	// cutMargin is how near, as a share of the normalized card's width
	// (left and right) or height (top and bottom), a line's box must come
	// to a side for the side to count as cut
	cutMargin = 0.01
	// cutStep is how far a cut side moves out, as a share of the card's
	// width or height
	cutStep = 0.1
	// cutMinHeight is the least height of a line that counts, as a share
	// of the card's height (a speck of the background is no print)
	cutMinHeight = 0.02
	// cutStrip is the depth, as a share of the outline's short side, of
	// the strip just inside a candidate border that must show the card's
	// ground (groundTone), and cutSupport the fewest of a side's samples
	// a candidate must run through (a card's border on paper of nearly
	// its tone is faint)
	cutStrip   = 0.015
	cutSupport = sideSamples / 4
)

// CutSides reports which sides of a w x h normalized card (0 top, 1
// right, 2 bottom, 3 left) a line of its print (boxes x0, y0, x1, y1 in
// its pixels) reaches. A line that reaches two opposite sides is no
// line of the card's print (the edge of what the card lies on, or a
// line across the photo) and counts for neither.
func CutSides(lines []Line, w, h int) (cut [4]bool, some bool) {
	fw, fh := float64(w), float64(h)
	for _, l := range lines {
		b := l.Box
		if b[3]-b[1] < cutMinHeight*fh {
			continue
		}
		left, right := b[0] <= cutMargin*fw, b[2] >= (1-cutMargin)*fw
		top, bottom := b[1] <= cutMargin*fh, b[3] >= (1-cutMargin)*fh
		if left && right || top && bottom {
			continue
		}
		for s, c := range [4]bool{top, right, bottom, left} {
			if c {
				cut[s], some = true, true
			}
		}
	}
	return cut, some
}

// WidenCut moves the cut sides of outline q (photo pixels, OrderQuad
// order, its card normalized to w x h) out by cutStep of the card's size
// through the card's homography (the perspective kept), each onto the
// straight edge within half a step of where it moved (its print's
// margin lies beyond the cut) with the card's ground just inside it and
// none just outside, the outermost (the card's border), where g shows
// one. ok is false when the outline does not move (no side cut, a
// degenerate homography or a result that is not convex). scale maps photo pixels
// to g's (g is a view of the photo reduced by 1/scale).
func WidenCut(g Gray, q geom.Quad, cut [4]bool, w, h int, scale float64) (geom.Quad, bool) {
	hm, ok := CardHomography(q, float64(w), float64(h))
	if !ok {
		return q, false
	}
	x0, y0, x1, y1 := 0.0, 0.0, float64(w), float64(h)
	if cut[0] {
		y0 -= cutStep * float64(h)
	}
	if cut[1] {
		x1 += cutStep * float64(w)
	}
	if cut[2] {
		y1 += cutStep * float64(h)
	}
	if cut[3] {
		x0 -= cutStep * float64(w)
	}
	if x0 == 0 && y0 == 0 && x1 == float64(w) && y1 == float64(h) {
		return q, false
	}
	wide := geom.Quad{hm.Apply(x0, y0), hm.Apply(x1, y0), hm.Apply(x1, y1), hm.Apply(x0, y1)}
	// in g's pixels
	v, was := wide.Scale(1/scale, 1/scale), q.Scale(1/scale, 1/scale)
	c := v.Center()
	tone := groundTone(g, was)
	short := math.Min(was.Width(), was.Height())
	strip := math.Max(2, cutStrip*short)
	var lines [4]lineEq
	for s := 0; s < 4; s++ {
		lines[s] = lineThrough(v[s], v[(s+1)%4])
		if !cut[s] || tone == nil {
			continue
		}
		// the move, along the side's outward normal, at its middle
		a, b := was[s], was[(s+1)%4]
		ma, mb := v[s], v[(s+1)%4]
		step := math.Hypot((ma[0]+mb[0])/2-(a[0]+b[0])/2, (ma[1]+mb[1])/2-(a[1]+b[1])/2)
		// of the straight edges there, the outermost with the card's
		// ground just inside it and none just outside: not the edge of
		// the photo or print the outline cut (the photo beside field 9 on
		// a licence), whose inside is no ground
		best, bestOff, found := lineEq{}, math.Inf(-1), false
		for _, pl := range g.planes() {
			pts, cands, _ := sideCandidates(pl, ma, mb, c, -step/2-2, step/2+2, 10)
			for _, cd := range cands {
				if cd.support < cutSupport || cd.off <= bestOff {
					continue
				}
				if toneShare(g, tone, ma, mb, c, cd.off-strip, cd.off-1, nil) < growShare ||
					toneShare(g, tone, ma, mb, c, cd.off+1, cd.off+strip, nil) >= growShare {
					continue
				}
				if le, ok := cd.fit(pts); ok {
					best, bestOff, found = le, cd.off, true
				}
			}
		}
		if found {
			lines[s] = best
		}
	}
	out, ok := cornersOf(lines)
	if !ok || !convex(out) {
		return q, false
	}
	return OrderQuad(out.Scale(scale, scale)), true
}
