package documents

import (
	"math"
	"sort"

	"docscan/geom"
)

// Tilted sides. A contour candidate's side that cuts a corner of the card
// (across light paper under it, where the card's border is faint, to
// where the border shows again) runs at an angle to the border: Refine's
// narrow band finds the border at one end only. A side that steps along
// little of its length is looked at again in a wide band, at any angle
// within 15 degrees of its own, and moved where its new position runs
// along an edge for much more of it.
const (
	tiltWeak  = 0.7 // a side with less support (sideSupport) is looked at again
	tiltBand  = 0.2 // how far, as a share of the short side, on either side
	tiltGain  = 0.3 // support the new position must gain
	tiltMin   = 0.9 // and reach
	tiltCands = 24  // the best-supported lines tried
)

// TiltSides moves each side of q (ordered) that runs along an edge
// (sideSupport) for less than tiltWeak of its length: of the tiltCands
// straight edges with the most gradient maxima on them that snapSideGrad's
// search finds in the band of tiltBand of the short side either way, to
// the one the side then runs along for the most of its length, where that
// is tiltMin or more and tiltGain more than before, and the quad keeps
// every text region of ts it held. Sides are taken in order, each with
// its neighbours as already moved.
func TiltSides(g Gray, q geom.Quad, ts []geom.Quad) geom.Quad {
	if !convex(q) {
		return q
	}
	for i := 0; i < 4; i++ {
		s0 := sideSupport(g, q[i], q[(i+1)%4])
		if s0 >= tiltWeak {
			continue
		}
		short := math.Min(q.Width(), q.Height())
		best, bestSup := bestSide(g, q, i, tiltBand*short, 10)
		if bestSup < tiltMin || bestSup < s0+tiltGain || holding(best, ts) < holding(q, ts) {
			continue
		}
		q = best
	}
	return q
}

// bestSide moves side i of q (ordered, convex) to the one of the
// tiltCands straight edges with the most gradient maxima (of minGrad or
// more) on them that snapSideGrad's search finds within band of it either
// way that the side then runs along (sideSupport) for the most of its
// length, and returns the quad so changed with that support; q and its
// side's own support where no edge does better.
func bestSide(g Gray, q geom.Quad, i int, band, minGrad float64) (geom.Quad, float64) {
	a, b := q[i], q[(i+1)%4]
	best, bestSup := q, sideSupport(g, a, b)
	pts, cands, bestN := sideCandidates(g, a, b, q.Center(), -band, band, minGrad)
	if bestN < sideSamples/3 {
		return best, bestSup
	}
	sort.SliceStable(cands, func(x, y int) bool { return cands[x].support > cands[y].support })
	var lines [4]lineEq
	for k := range lines {
		lines[k] = lineThrough(q[k], q[(k+1)%4])
	}
	for _, c := range cands[:min(len(cands), tiltCands)] {
		le, ok := c.fit(pts)
		if !ok {
			continue
		}
		lines[i] = le
		nq, ok := cornersOf(lines)
		if !ok {
			continue
		}
		if s1 := sideSupport(g, nq[i], nq[(i+1)%4]); s1 > bestSup {
			best, bestSup = nq, s1
		}
	}
	return best, bestSup
}
