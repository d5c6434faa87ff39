package documents

import (
	"math"

	"docscan/geom"
)

// Growing an outline that is far too narrow or too flat for its format.
// The text detector's boxes place most of a card, but on a blurred, dark
// or glared card it misses the sparse column (a licence's field 4c and
// signature, right of its fields) or all but a few rows, and the outline
// found outwards from the text (source "text", or "text+edges" where the
// edges snapped to were the print's) then covers a square or a strip of
// the card: on the seed-42 synthetic sets (session 35's run) 12 outlines
// came out with a keystone aspect of 1.02-1.38 against the ID-1 card's
// 1.59, most of them losing most of their fields. The card's ground (its
// commonest colour, groundTone) runs on beyond such an outline's wrong
// sides, up to the border, and not beyond its right ones; GrowAspect
// moves the sides out to where it ends.
const (
	// growMinDev is the least deviation of the aspect (aspectFit) from the
	// format's before sides move: the truth outlines of the seed-42 sets
	// lie between -4.4% and +9% of ID-1 under their perspective, and a
	// passport page read as ID-1 (its MRZ not read) is 10.5% narrower
	growMinDev = 0.12
	// growStep is the depth of each strip looked at outwards, as a share
	// of the outline's short side, and growShare the least share of a
	// strip's points that must show the card's ground for it to be card
	growStep  = 0.02
	growShare = 0.5
	// growReach bounds the search, as a multiple of the move needed (a
	// run beyond growMost is refused)
	growReach = 1.4
	// the sides move where the ground's runs beyond them add up to
	// between growLeast and growMost of the move the aspect needs
	growLeast = 0.8
	growMost  = 1.3
	// growSquare: an outline whose long sides are less than this much
	// longer than its short ones is nearly square, its long axis the
	// text's
	growSquare = 1.25
	// growMaxDev is the most by which the grown outline's aspect (aspectFit)
	// may still deviate from the format's
	growMaxDev = 0.1
)

// GrowAspect moves the wrong sides of outline q outwards where its
// aspect (its long sides taken as those along the card's text), read as a
// keystone and as a camera's image (aspectFit: the reading nearer the
// format), is growMinDev or more off the format's: the short sides when q
// is too narrow, the long ones when it is too flat. Each side of that pair
// moves out to where the card's ground ends beyond it (groundRun), where
// the runs together come to about the move a reading's aspect needs: one
// side's run covering it with little beyond the other (that one then a
// margin off the photo's or the text's edge), or neither alone but both
// together. Where the ground runs on well past the move needed
// beyond either side (the card lies on paper of its tone), or the runs do
// not add up to it, the side whose run goes on moves only onto the card's
// border where the aspect puts it (growToEdge); where it shows none, or
// the grown outline is still growMaxDev off the format, q comes back
// unchanged (OrderQuad order). The moved sides are
// snapped to a straight edge within fitBand of the short side that keeps
// the aspect within fitMaxDev.
func GrowAspect(g Gray, q geom.Quad, text []geom.Quad, aspect float64) geom.Quad {
	q = OrderQuad(q)
	if aspect <= 0 || !convex(q) {
		return q
	}
	ts := mainCluster(text)
	_, u, _, ok := textExtent(ts)
	if !ok {
		return q
	}
	// the card's long sides run along its text: of a nearly square
	// outline OrderQuad may put a short side first (of a longer one the
	// sides tell better than a blurred card's pieces of lines)
	along := func(a, b geom.Point) float64 {
		dx, dy := b[0]-a[0], b[1]-a[1]
		return math.Abs(dx*u[0]+dy*u[1]) / math.Max(math.Hypot(dx, dy), 1e-9)
	}
	if q.Width() < growSquare*q.Height() && along(q[1], q[2]) > along(q[0], q[1]) {
		q = geom.Quad{q[1], q[2], q[3], q[0]}
	}
	fit := newAspectFit(q, aspect, g.W, g.H)
	in, off := fit.off(q, growMinDev)
	if !off {
		return q
	}
	// the other pair moves out: too narrow, the short sides; too flat,
	// the long ones
	sides := [2]int{1, 3}
	if in[0] == 1 {
		sides = [2]int{0, 2}
	}
	// the outward shift of one side that gives the format's aspect, by
	// each of the readings (they differ where the card is seen in
	// perspective)
	var needs []float64
	most := 0.0
	for _, r := range fit.readings() {
		if need, ok := aspectShift(q, sides[0], r, -2*math.Max(q.Width(), q.Height())); ok {
			needs = append(needs, -need)
			most = math.Max(most, -need)
		}
	}
	if len(needs) == 0 {
		return q
	}
	tone := groundTone(g, q)
	if tone == nil {
		return q
	}
	short := math.Min(q.Width(), q.Height())
	var run [2]float64
	for k, s := range sides {
		run[k] = groundRun(g, tone, q, s, short, growReach*most, ts)
	}
	// ground that runs on well past the move a reading needs is the
	// card's and what it lies on alike (paper of its tone), and tells
	// nothing
	sum, fits := run[0]+run[1], false
	for _, need := range needs {
		fits = fits || sum >= growLeast*need && sum <= growMost*need
	}
	if !fits {
		if m, ok := growToEdge(g, q, sides, run, needs, fit, short); ok {
			return OrderQuad(m)
		}
		return q
	}
	// each side to where the ground ends beyond it: where one side's run
	// covers the move, the other lies on the photo's or the text's edge a
	// margin inside the border, or on the border (no run)
	step := math.Max(2, growStep*short)
	var shift [2]float64
	for k, r := range run {
		if r > 0 {
			shift[k] = r + step/2
		}
	}
	m := q
	for k, s := range sides {
		if shift[k] == 0 {
			continue
		}
		if m, ok = shiftSide(m, s, -shift[k]); !ok {
			return q
		}
	}
	if !convex(m) {
		return q
	}
	for _, s := range sides {
		if c, ok := snapKeeping(g, m, s, fit, short); ok && convex(c) {
			m = c
		}
	}
	if d, ok := fit.dev(m); !ok || math.Abs(d) > growMaxDev {
		return q
	}
	return OrderQuad(m)
}

// growToEdge grows q where the ground's runs do not add up to the move
// (growLeast-growMost of it): the card lies on a ground of its tone
// beyond one side (the run goes on past the move) and on none beyond the
// other (no run). That one side moves out by the move a reading needs,
// onto a straight edge there that keeps the aspect (snapKeeping: the
// card's border, faint against a ground of its tone); ok is false where
// there is no such edge, or both sides or neither run on. A synthetic
// licence on grey: its text extent 17% too narrow, the grey running 158
// pixels beyond the side the move needs 96-109 of.
func growToEdge(g Gray, q geom.Quad, sides [2]int, run [2]float64, needs []float64, fit aspectFit, short float64) (geom.Quad, bool) {
	least := math.Inf(1)
	for _, need := range needs {
		least = math.Min(least, need)
	}
	k := -1
	switch {
	case run[0] == 0 && run[1] >= growLeast*least:
		k = 1
	case run[1] == 0 && run[0] >= growLeast*least:
		k = 0
	default:
		return q, false
	}
	var best geom.Quad
	bestDev := math.Inf(1)
	for _, need := range needs {
		m, ok := shiftSide(q, sides[k], -need)
		if !ok {
			continue
		}
		c, ok := snapKeeping(g, m, sides[k], fit, short)
		if !ok || !convex(c) {
			continue
		}
		if d, ok := fit.dev(c); ok && math.Abs(d) < bestDev {
			best, bestDev = c, math.Abs(d)
		}
	}
	return best, bestDev <= fitMaxDev
}

// groundRun is how far, in pixels, the card's ground (tone) runs on
// outwards beyond side s of q: strips growStep of the short side deep,
// from the side out to reach, each card where growShare of its points
// show the ground (the card's text ts skipped); one strip short of it
// between two that are (a finger, a glare spot) does not end the run.
func groundRun(g Gray, tone []float64, q geom.Quad, s int, short, reach float64, ts []geom.Quad) float64 {
	a, b, c := q[s], q[(s+1)%4], q.Center()
	step := math.Max(2, growStep*short)
	run, missed := 0.0, false
	for d := 0.0; d <= reach; d += step {
		if toneShare(g, tone, a, b, c, d, d+step, ts) >= growShare {
			run, missed = d+step, false
			continue
		}
		if missed {
			break
		}
		missed = true
	}
	return run
}

// groundTone is the card's ground as the commonest colour inside q: per
// plane (grey, then colours), the mean of the samples of a 48 x 48 grid
// over q shrunk to 90% about its centre that fall in the fullest cell of a
// histogram of 16 levels per plane, and in its neighbours. Where blur
// smears the print over much of the card (or a photo covers a quarter of
// it), the median (cardTone) comes out darker than the ground by more
// than toneTol, while the ground still is the largest area of one colour.
func groundTone(g Gray, q geom.Quad) []float64 {
	ps := g.planes()
	const n, bin = 48, 16
	var samples [][]float64
	counts := map[[4]int]int{}
	key := func(v []float64) [4]int {
		var k [4]int
		for i := 0; i < len(v) && i < 4; i++ {
			k[i] = int(v[i]) / bin
		}
		return k
	}
	for _, pt := range gridIn(q, n, 0.9) {
		s := make([]float64, len(ps))
		ok := true
		for k, p := range ps {
			if s[k], ok = p.at(pt[0], pt[1]); !ok {
				break
			}
		}
		if !ok {
			continue
		}
		samples = append(samples, s)
		counts[key(s)]++
	}
	if len(samples) == 0 {
		return nil
	}
	var best [4]int
	bestN := -1
	for k, cnt := range counts {
		// the cell with its neighbours along every plane
		tot := cnt
		for d := 0; d < len(ps) && d < 4; d++ {
			for _, o := range []int{-1, 1} {
				kk := k
				kk[d] += o
				tot += counts[kk]
			}
		}
		if tot > bestN || tot == bestN && less4(k, best) {
			best, bestN = k, tot
		}
	}
	out := make([]float64, len(ps))
	m := 0
	for _, s := range samples {
		k := key(s)
		near := true
		for d := 0; d < len(ps) && d < 4; d++ {
			if k[d] < best[d]-1 || k[d] > best[d]+1 {
				near = false
				break
			}
		}
		if !near {
			continue
		}
		for d := range out {
			out[d] += s[d]
		}
		m++
	}
	for d := range out {
		out[d] /= float64(m)
	}
	return out
}

// less4 orders histogram cells (ties in groundTone go to the darker one,
// so the result does not depend on map order).
func less4(a, b [4]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}
