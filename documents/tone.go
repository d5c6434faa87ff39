package documents

import (
	"math"
	"sort"

	"docscan/geom"
)

// planes is the grey view followed by its colour planes.
func (g Gray) planes() []Gray { return append([]Gray{g}, g.Colour...) }

// cardTone is the card's ground: per plane (grey, then colours), the
// median over a 24 x 24 grid inside q shrunk to 80% about its centre. A
// card's print (text, photo, flag) covers less of it than its ground.
func cardTone(g Gray, q geom.Quad) []float64 {
	ps := g.planes()
	vals := make([][]float64, len(ps))
	for _, pt := range gridIn(q, 24, 0.8) {
		for k, p := range ps {
			if val, ok := p.at(pt[0], pt[1]); ok {
				vals[k] = append(vals[k], val)
			}
		}
	}
	out := make([]float64, len(ps))
	for k, vs := range vals {
		if len(vs) == 0 {
			return nil
		}
		sort.Float64s(vs)
		out[k] = vs[len(vs)/2]
	}
	return out
}

// gridIn is an n x n grid of points over q (bilinear: cell centres of the
// unit square mapped by its corners) shrunk to share k about its centre.
func gridIn(q geom.Quad, n int, k float64) []geom.Point {
	c := q.Center()
	pts := make([]geom.Point, 0, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			u, v := (float64(i)+0.5)/float64(n), (float64(j)+0.5)/float64(n)
			x := (1-u)*(1-v)*q[0][0] + u*(1-v)*q[1][0] + u*v*q[2][0] + (1-u)*v*q[3][0]
			y := (1-u)*(1-v)*q[0][1] + u*(1-v)*q[1][1] + u*v*q[2][1] + (1-u)*v*q[3][1]
			pts = append(pts, geom.Point{c[0] + (x-c[0])*k, c[1] + (y-c[1])*k})
		}
	}
	return pts
}

// toneTol is how far, in levels of every plane, a strip's mean may lie
// from the card's ground and still be ground.
const toneTol = 20

// toneShare is the share of 30 points along the middle 80% of side a-b (c
// inside) where the strip between d0 and d1 pixels outwards (negative:
// inwards) has the card's ground's tone in every plane; the strip's
// pixels inside the regions skip (the card's detected text) do not count,
// nor do points whose strip lies wholly in them.
func toneShare(g Gray, tone []float64, a, b, c geom.Point, d0, d1 float64, skip []geom.Quad) float64 {
	ax := axesOf(a, b, c)
	if ax.l == 0 || tone == nil {
		return 0
	}
	ps := g.planes()
	const samples = 30
	hit, n := 0, 0
	var pts []geom.Point
	for k := 0; k < samples; k++ {
		t := (0.1 + 0.8*float64(k)/float64(samples-1)) * ax.l
		px, py := a[0]+ax.ux*t, a[1]+ax.uy*t
		pts = pts[:0]
		for d := d0; d <= d1; d += math.Max(1, (d1-d0)/6) {
			p := geom.Point{px + ax.nx*d, py + ax.ny*d}
			if p[0] >= 0 && p[1] >= 0 && p[0] <= float64(g.W-1) && p[1] <= float64(g.H-1) && !inAny(skip, p) {
				pts = append(pts, p)
			}
		}
		if len(pts) == 0 {
			continue
		}
		n++
		ok := true
		for pi, pl := range ps {
			var sum float64
			for _, p := range pts {
				v, _ := pl.at(p[0], p[1])
				sum += v
			}
			if math.Abs(sum/float64(len(pts))-tone[pi]) > toneTol {
				ok = false
				break
			}
		}
		if ok {
			hit++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(hit) / float64(n)
}

// A side on the card's print: the strip just inside it (1-4.5% of the
// short side) has the card's ground's tone at no more than printIn of
// its points, the strip just outside at printOut or more. A side placed
// right has ground inside (the print keeps a margin) and what the card
// lies on outside; one on the straight edge of the photo or the flag
// inside a faint border has print inside and the card's margin outside.
// On the seed-42 sets (400 scenes, the outlines found outwards from the
// text after Refine), of 452 sides within 1.5% of the short side of the
// truth 1 has that signature, of 119 sides inside the card 40.
const (
	printIn  = 0.4
	printOut = 0.6
	// groundReach is how far out, as a share of the short side, a side on
	// the print looks for the border: the photo's bottom lies up to 26%
	// of the short side above a licence's (the categories row below it)
	groundReach = 0.35
	// groundStep: or less ground beyond the edge than between the side
	// and it by this share (white paper under part of the card's side)
	groundStep = 0.25
	// minStrip: the strips are at least this many pixels deep, wider
	// than a small blurred card's edge (idcard_0094: 3.4 px, whose print
	// blurred past its text boxes looked like a photo's edge)
	minStrip = 4
)

// stripNear and stripFar bound, in shares of the short side from the
// side, the strips onPrint compares (inwards and outwards).
const stripNear, stripFar = 0.01, 0.045

// onPrint tells whether side a-b (c inside) of a card of short side short
// lies on its print, by the signature above.
func onPrint(g Gray, tone []float64, a, b, c geom.Point, short float64, ts []geom.Quad) bool {
	if tone == nil || (stripFar-stripNear)*short < minStrip {
		return false
	}
	return toneShare(g, tone, a, b, c, -stripFar*short, -stripNear*short, ts) <= printIn &&
		toneShare(g, tone, a, b, c, stripNear*short, stripFar*short, ts) >= printOut
}

// groundBeyond finds the border beyond side i of q that lies on the card's
// print: the nearest straight edge (edgeBeyond) from `from` pixels (at
// least 1% of the short side) out to groundReach of the short side that
// fits, taken when the card's ground lies between the
// side and it (at printOut of the points or more) and not beyond it (a
// strip to 4% of the short side with ground at printIn of its points at
// most, or at groundStep less than between). Only the nearest: where it
// is refused, a farther edge is as likely the edge of what the card lies
// on, its ground-toned paper continuing the card's margin.
func groundBeyond(g Gray, tone []float64, q geom.Quad, i int, short, from float64, ts []geom.Quad, fits func(lineEq) bool) (lineEq, bool) {
	a, b, c := q[i], q[(i+1)%4], q.Center()
	pad := math.Max(2, 0.01*short)
	le, ok := edgeBeyond(g, a, b, c, math.Max(pad, from), groundReach*short, fits)
	if !ok {
		return lineEq{}, false
	}
	na, nb, ok := movedEnds(q, i, le)
	if !ok {
		return lineEq{}, false
	}
	d := math.Abs(le.nx*(a[0]+b[0])/2 + le.ny*(a[1]+b[1])/2 - le.d)
	band := toneShare(g, tone, a, b, c, pad, math.Max(pad, d-pad), ts)
	beyond := toneShare(g, tone, na, nb, c, pad, 0.04*short, ts)
	return le, band >= printOut && (beyond <= printIn || beyond <= band-groundStep)
}

// groundPast: le, a line found beyond side i of q, ends on the frame's
// border, past it or within 3% of the short side of it, and the card's
// ground lies beyond it at printOut of the points or more (a strip from 1%
// to 4% of the short side past it): le crosses a card the frame cuts
// off, it does not bound it.
func groundPast(g Gray, tone []float64, q geom.Quad, i int, le lineEq, short float64, ts []geom.Quad) bool {
	if tone == nil {
		return false
	}
	na, nb, ok := movedEnds(q, i, le)
	if !ok {
		return false
	}
	m := math.Max(frameMargin, 0.03*short)
	if !nearFrame(na, g.W, g.H, m) && !nearFrame(nb, g.W, g.H, m) {
		return false
	}
	pad := math.Max(2, 0.01*short)
	return toneShare(g, tone, na, nb, q.Center(), pad, 0.04*short, ts) >= printOut
}

// movedEnds are the ends of side i of q moved onto le: where le meets the
// two sides on either side of it.
func movedEnds(q geom.Quad, i int, le lineEq) (na, nb geom.Point, ok bool) {
	na, ok1 := intersect(lineThrough(q[(i+3)%4], q[i]), le)
	nb, ok2 := intersect(le, lineThrough(q[(i+1)%4], q[(i+2)%4]))
	return na, nb, ok1 && ok2
}

// inAny tells whether p lies inside one of the convex quads qs.
func inAny(qs []geom.Quad, p geom.Point) bool {
	for _, q := range qs {
		if pointIn(q, p) {
			return true
		}
	}
	return false
}

// frameBeyond is side a-b (c inside) moved out, parallel to itself, until
// its middle reaches the frame's border, where that is at most reach
// pixels out: a side the card's text runs up to with no edge beyond it
// before the frame is where the card's print leaves the photo; Complete
// then places the card's side by the format's aspect.
func frameBeyond(g Gray, a, b, c geom.Point, reach float64) (lineEq, bool) {
	ax := axesOf(a, b, c)
	if ax.l == 0 {
		return lineEq{}, false
	}
	// how far along the outward normal the middle leaves [0, hi]
	out := func(p, n, hi float64) float64 {
		switch {
		case n < 0:
			return p / -n
		case n > 0:
			return (hi - p) / n
		}
		return math.Inf(1)
	}
	t := math.Min(out(ax.mx, ax.nx, float64(g.W-1)), out(ax.my, ax.ny, float64(g.H-1)))
	if math.IsInf(t, 1) || t < 0 || t > reach {
		// (a middle already beyond the border is Complete's)
		return lineEq{}, false
	}
	return lineThrough(geom.Point{a[0] + ax.nx*t, a[1] + ax.ny*t}, geom.Point{b[0] + ax.nx*t, b[1] + ax.ny*t}), true
}
