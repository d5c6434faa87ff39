package documents

import (
	"math"

	"docscan/geom"
)

// Keystone fitting limits. A photographed card is, to a good
// approximation, a keystone: one pair of opposite sides stays parallel
// (the tilt axis runs along them) and the nearer of the two keeps its
// length, while the other pair converges. The length of the longer
// parallel side against the distance between the two parallel sides is
// then the card's own aspect. An outline one side of which lies on
// something else (the edge of the paper under the card, its shadow, a
// print edge) breaks that by the side's error.
const (
	// fitParallel is the most, in degrees, by which the sides of the
	// parallel pair may turn from each other (corner jitter and mild
	// perspective on both axes)
	fitParallel = 6.0
	// fitMinDev is the least deviation of the keystone aspect from the
	// format's before a side is moved: a long side 7% of the short side
	// out of place, a short side 11%; less is within what perspective on
	// the other axis and the outline's own error account for (0.07 against
	// 0.10: 4 more ID card outlines right on the seed-42 set, none lost)
	fitMinDev = 0.07
	// fitBand is how far, as a share of the short side, the moved side is
	// snapped to a straight edge about where the aspect puts it, fitGrad
	// the least gradient maximum (grey levels) taken for an edge there,
	// and fitMaxDev the most by which the outline with that edge may
	// deviate from the format's aspect
	fitBand   = 0.03
	fitGrad   = 4
	fitMaxDev = 0.05
	// fitTextSlack is how far, as a share of the short side, the card's
	// text may reach past a moved side (the detector's boxes overhang
	// their print)
	fitTextSlack = 0.01
	// fitMarginGap is how much larger (as a share of the short side) the
	// text margin of the side moved must be than the opposite side's when
	// both could move: the side that lies on something else is the one
	// the text keeps far from
	fitMarginGap = 0.05
	// fitFrameGap is how near, as a share of the view's long side, a
	// corner may come to the frame's border before the outline is left
	// alone
	fitFrameGap = 0.01
)

// keystonePair is the pair of opposite sides of q (0: the long sides q0-q1
// and q2-q3, 1: the short sides) that run most nearly parallel, and the
// angle between them in degrees.
func keystonePair(q geom.Quad) (int, float64) {
	t02 := turn(lineThrough(q[0], q[1]), lineThrough(q[2], q[3]))
	t13 := turn(lineThrough(q[1], q[2]), lineThrough(q[3], q[0]))
	if t02 <= t13 {
		return 0, t02
	}
	return 1, t13
}

// keystoneAspect is the aspect (long over short) of the card imaged as q
// read as a keystone whose parallel sides are pair par (keystonePair):
// the longer parallel side's length against the distance between the two.
func keystoneAspect(q geom.Quad, par int) float64 {
	a0, a1 := q[par], q[par+1]
	b0, b1 := q[par+2], q[(par+3)%4]
	l := math.Max(math.Hypot(a1[0]-a0[0], a1[1]-a0[1]), math.Hypot(b1[0]-b0[0], b1[1]-b0[1]))
	la, lb := lineThrough(a0, a1), lineThrough(b0, b1)
	dist := func(le lineEq, p geom.Point) float64 { return math.Abs(le.nx*p[0] + le.ny*p[1] - le.d) }
	d := (dist(la, b0) + dist(la, b1) + dist(lb, a0) + dist(lb, a1)) / 4
	if l == 0 || d == 0 {
		return 0
	}
	if par == 0 {
		return l / d
	}
	return d / l
}

// shiftSide is q with side s moved inwards by x pixels, parallel to itself,
// its corners where it meets the adjacent sides.
func shiftSide(q geom.Quad, s int, x float64) (geom.Quad, bool) {
	var lines [4]lineEq
	c := q.Center()
	for i := 0; i < 4; i++ {
		lines[i] = lineThrough(q[i], q[(i+1)%4])
	}
	le := lines[s]
	// inwards: towards the centre
	if le.nx*c[0]+le.ny*c[1]-le.d < 0 {
		le = lineEq{-le.nx, -le.ny, -le.d}
	}
	lines[s] = lineEq{le.nx, le.ny, le.d + x}
	return cornersOf(lines)
}

// FitAspect moves the side of an outline q that lies beyond the card back
// onto it, by the format's aspect: where q, read as a keystone
// (keystoneAspect) and as a camera's image (cameraDev; aspectFit takes
// the reading nearer the format), is too flat or too narrow for the
// format by fitMinDev or more, one side of the pair that makes it so (the
// long sides when too flat, the short ones when too narrow) moves
// inwards, parallel to itself, until a reading gives the format's aspect,
// then onto a straight edge within fitBand of the short side that keeps
// the aspect (fitSide), if any. It must not cut the card's text (the main
// cluster of text): of the two sides the one the text keeps clear of
// moves, and where both keep clear, the one the text keeps farther from
// by fitMarginGap. An outline with a corner within fitFrameGap of the
// frame is left alone (the card may run out of the photo: a side too far
// in, where the aspect would move the opposite one; Complete places a cut
// side). q comes back unchanged (OrderQuad order) where nothing moves.
func FitAspect(g Gray, q geom.Quad, text []geom.Quad, aspect float64) geom.Quad {
	q = OrderQuad(q)
	ts := mainCluster(text)
	if len(ts) < 3 || aspect <= 0 || !convex(q) {
		return q
	}
	// a card that reaches the frame may run out of it: its outline's
	// sides are not all the card's, and the aspect tells nothing
	gap := fitFrameGap * float64(max(g.W, g.H))
	for _, p := range q {
		if p[0] < gap || p[1] < gap || p[0] > float64(g.W-1)-gap || p[1] > float64(g.H-1)-gap {
			return q
		}
	}
	// too flat: a long side lies beyond the card; too narrow: a short one
	fit := newAspectFit(q, aspect, g.W, g.H)
	sides, off := fit.off(q, fitMinDev)
	if !off {
		return q
	}
	short := math.Min(q.Width(), q.Height())
	margins := textMargins(q, ts)
	var cand [2]geom.Quad
	var ok [2]bool
	for k, si := range sides {
		cand[k], ok[k] = fitSide(g, q, ts, si, fit, short)
	}
	switch {
	case ok[0] && ok[1]:
		d := margins[sides[0]] - margins[sides[1]]
		if d >= fitMarginGap {
			return cand[0]
		}
		if -d >= fitMarginGap {
			return cand[1]
		}
		return q
	case ok[0]:
		return cand[0]
	case ok[1]:
		return cand[1]
	}
	return q
}

// fitSide moves side s of q inwards, parallel to itself, until q read by
// one of fit's readings has the format's aspect, then onto the nearest
// straight edge within fitBand of the short side there (snapSideGrad from
// fitGrad grey levels, in grey or a colour plane: the edge the outline
// missed is faint), if one keeps the aspect within fitMaxDev. The two
// readings put the side apart where the card is seen in perspective: of
// their moves, one onto an edge wins over one onto none, and of two
// alike the lesser (the first edge inwards from a side beyond the card is
// the card's border, its print lies farther in). ok is false where no
// such move keeps q convex and the text ts inside it.
func fitSide(g Gray, q geom.Quad, ts []geom.Quad, s int, fit aspectFit, short float64) (geom.Quad, bool) {
	var best geom.Quad
	bestX, bestSnapped, found := 0.0, false, false
	for _, r := range fit.readings() {
		// the aspect changes monotonically with the shift: find it by
		// bisection between no shift and half the card's extent
		x, ok := aspectShift(q, s, r, 0.5*math.Max(q.Width(), q.Height()))
		if !ok {
			continue
		}
		m, ok := shiftSide(q, s, x)
		if !ok {
			continue
		}
		// onto the card's edge about there, if one shows
		c, snapped := snapKeeping(g, m, s, fit, short)
		if snapped {
			m = c
		}
		if !convex(m) || textMargins(m, ts)[s] < -fitTextSlack {
			continue
		}
		if found && (bestSnapped && !snapped || bestSnapped == snapped && bestX <= x) {
			continue
		}
		best, bestX, bestSnapped, found = m, x, snapped, true
	}
	if !found {
		return q, false
	}
	return best, true
}

// aspectShift is the least shift of side s of q, parallel to itself,
// inwards (outwards where hi < 0) and at most |hi| pixels, that gives q
// read by fit the format's aspect (its deviation nil or of the other
// sign), found by bisection (the aspect changes monotonically with the
// shift); ok is false where no shift up to hi gives it. A limit at which
// the side leaves the quad is halved until it does not.
func aspectShift(q geom.Quad, s int, fit aspectFit, hi float64) (float64, bool) {
	d0, ok := fit.dev(q)
	if !ok || d0 == 0 {
		return 0, false
	}
	// reached: the deviation at shift x is nil or of the other sign
	reached := func(x float64) (bool, bool) {
		m, ok := shiftSide(q, s, x)
		if !ok {
			return false, false
		}
		d, ok := fit.dev(m)
		if !ok {
			return false, false
		}
		return d == 0 || (d > 0) != (d0 > 0), true
	}
	lo := 0.0
	rhi, ok2 := reached(hi)
	for !ok2 && math.Abs(hi) > 1 {
		hi /= 2
		rhi, ok2 = reached(hi)
	}
	if !ok2 || !rhi {
		return 0, false
	}
	for it := 0; it < 50 && math.Abs(hi-lo) > 0.25; it++ {
		mid := (lo + hi) / 2
		if r, ok := reached(mid); !ok || r {
			hi = mid
		} else {
			lo = mid
		}
	}
	return (lo + hi) / 2, true
}

// snapKeeping snaps side s of m onto the nearest straight edge within
// fitBand of the short side (snapSideGrad from fitGrad grey levels, in grey
// or a colour plane: the edge is faint) that keeps m, read by fit, within
// fitMaxDev of the format's aspect (of several, the nearest to it); ok is
// false where none does.
func snapKeeping(g Gray, m geom.Quad, s int, fit aspectFit, short float64) (geom.Quad, bool) {
	var lines [4]lineEq
	for i := 0; i < 4; i++ {
		lines[i] = lineThrough(m[i], m[(i+1)%4])
	}
	bestDev := math.Inf(1)
	var snapped geom.Quad
	for _, pl := range g.planes() {
		le, found := snapSideGrad(pl, m[s], m[(s+1)%4], m.Center(), -fitBand*short, fitBand*short, fitGrad)
		if !found {
			continue
		}
		ls := lines
		ls[s] = le
		c, ok := cornersOf(ls)
		if !ok {
			continue
		}
		dv, ok := fit.dev(c)
		if d := math.Abs(dv); ok && d <= fitMaxDev && d < bestDev {
			snapped, bestDev = c, d
		}
	}
	return snapped, !math.IsInf(bestDev, 1)
}
