package documents

import (
	"math"
	"slices"
	"sort"

	"docscan/geom"
	"docscan/internal/disjoint"
)

// Gray is a gray image in Go memory.
type Gray struct {
	Pix  []byte
	W, H int
	// Colour optionally holds the same view's colour planes (each W x H,
	// their own Colour nil): clearText looks for a card's border in them
	// too (lavender on pale green paper steps in blue, hardly in grey).
	Colour []Gray
}

func (g Gray) at(x, y float64) (float64, bool) {
	if x < 0 || y < 0 || x > float64(g.W-1) || y > float64(g.H-1) {
		return 0, false
	}
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, g.W-1), min(y0+1, g.H-1)
	fx, fy := x-float64(x0), y-float64(y0)
	p := func(x, y int) float64 { return float64(g.Pix[y*g.W+x]) }
	return (p(x0, y0)*(1-fx)+p(x1, y0)*fx)*(1-fy) + (p(x0, y1)*(1-fx)+p(x1, y1)*fx)*fy, true
}

// OrderQuad orders corners clockwise (image y down) with a long side first:
// q[0]->q[1] is a long side. Of the two such orders it takes the one whose
// first corner is nearer the image's top-left; the reading orientation is
// decided later.
func OrderQuad(q geom.Quad) geom.Quad {
	c := q.Center()
	pts := q
	sort.Slice(pts[:], func(i, j int) bool {
		return math.Atan2(pts[i][1]-c[1], pts[i][0]-c[0]) < math.Atan2(pts[j][1]-c[1], pts[j][0]-c[0])
	})
	best, bestScore := geom.Quad{}, math.Inf(1)
	for s := 0; s < 4; s++ {
		r := geom.Quad{pts[s], pts[(s+1)%4], pts[(s+2)%4], pts[(s+3)%4]}
		if r.Width() < r.Height() {
			continue
		}
		if sc := r[0][0] + r[0][1]; sc < bestScore {
			best, bestScore = r, sc
		}
	}
	return best
}

// Candidate limits.
const (
	minAspect = 1.15 // ID-1 is 1.586, ID-3 1.42; perspective bends both
	maxAspect = 2.3
)

// PickCard finds the card outline (view pixels) from the contour
// candidates, the text regions and the gray view:
//
//  1. the card's text is the largest cluster of text regions (regions
//     linked when the gap between them is under 2.5 line heights), so lines
//     on paper or packaging around the card do not count;
//  2. a contour candidate that holds the cluster, has a card-like aspect and
//     is not much larger than the text extent (maxOutlineOverText, more
//     for a cluster of a few regions) is the rough outline (source
//     "edges"); otherwise the text extent is the start;
//  3. each side is snapped to the best-supported straight edge in a band
//     around it (snapSideGrad): a narrow band for a contour (a blurred
//     border's side looked for again among gentler steps: snappedOutline),
//     a wide one outwards from the text for the text extent, where three
//     sides so found and a fourth on no edge place the fourth by the
//     format (fourthSide);
//  4. where no edge lies beyond the text, a contour up to
//     maxOutlineOverFewText times the text extent whose every side runs
//     along an edge (clearlyOutlined) is the card; else the text extent
//     is (source "text").
//
// Where no three regions cluster, an outline alone places the card:
// outlineOnly where at most two regions were found (source "edges"),
// outlineScattered where more were (source "outline", which the caller
// confirms on the normalized card). ok is false when there is no text
// cluster of at least three regions and no plausible contour.
func PickCard(g Gray, cands []geom.Quad, text []geom.Quad) (q geom.Quad, source string, ok bool) {
	cluster := mainCluster(text)
	ext, u, _, extOK := textExtent(cluster)
	var best, wide geom.Quad
	bestArea, wideArea := math.Inf(1), math.Inf(1)
	if extOK {
		extArea := ext.Area()
		over := maxOutlineOverText
		if len(cluster) < fewTextRegions {
			over = maxOutlineOverFewText
		}
		for _, c := range cands {
			c = OrderQuad(c)
			a := c.Area()
			big := a > over*extArea && !heldSpread(c, text, len(cluster), over)
			if !convex(c) || a < 0.9*extArea || big && (a > maxOutlineOverFewText*extArea || a >= wideArea) || !cardAspect(c) || a >= bestArea {
				continue
			}
			// the long sides run along the text (perspective tilts them a
			// little, and the direction of a few blurred lines' pieces is
			// rough: a synthetic licence's 15.2 degrees off)
			top := geom.Point{c[1][0] - c[0][0] + c[2][0] - c[3][0], c[1][1] - c[0][1] + c[2][1] - c[3][1]}
			if math.Abs(top[0]*u[0]+top[1]*u[1]) < math.Cos(maxOutlineTurn*math.Pi/180)*math.Hypot(top[0], top[1]) {
				continue
			}
			if float64(holding(c, cluster)) < 0.9*float64(len(cluster)) {
				continue
			}
			sc, ok := snappedOutline(g, c)
			switch {
			case !ok:
			case !big:
				best, bestArea = sc, a
			case clearlyOutlined(g, sc):
				wide, wideArea = sc, a
			}
		}
	}
	if !math.IsInf(bestArea, 1) {
		return best, "edges", true
	}
	if !extOK && len(text) <= maxTextOutlineOnly {
		return outlineOnly(g, cands, text)
	}
	if !extOK {
		return outlineScattered(g, cands, text)
	}
	// from the text outwards: the card's border lies a margin beyond its text
	// sides sampled beyond the text's ends, where only the border runs
	sq := snapQuad(g, ext, 0.01, 0.6, 0.12)
	if sq != ext && cardAspect(sq) {
		if !photoAspect(sq) {
			if alt, ok := squaredSnap(g, ext, 0.01, 0.6, 0.12); ok {
				sq = alt
			}
		}
		// a quad the card's lines lean on has a side on another edge
		if l, ok := textLean(OrderQuad(sq), cluster); ok && l >= leanMost {
			if alt, ok := uprightSnap(g, ext, cluster, 0.01, 0.6, 0.12); ok {
				if la, _ := textLean(OrderQuad(alt), cluster); la <= l/2 {
					sq = alt
				}
			}
		}
		return OrderQuad(sq), "text+edges", true
	}
	// three sides found on the card's border, the fourth across paper of
	// the card's tone: it lies where the format puts it
	if pq, ok := fourthSide(g, sq, ext, u); ok {
		return OrderQuad(pq), "text+edges", true
	}
	// no border found outwards from the text: a contour too large for the
	// text's extent is the card's where each of its sides runs along an
	// edge nearly all the way (licence_0131: blurred on paper of its tone,
	// the detector found the middle of its print, its contour 3.5 times
	// the print's extent)
	if !math.IsInf(wideArea, 1) {
		return wide, "edges", true
	}
	return OrderQuad(expandExtent(ext)), "text", true
}

// fourthStrong is the least support (sideSupport) of each of three sides
// found outwards from the text for the fourth to be placed by the format.
const fourthStrong = 0.9

// fourthSide places the one side of q (snapped outwards from the text
// extent ext, its lines running along u) that runs along no edge
// (sideSupport under minSideSupport) where the ID-1 format puts it, when
// the other three run along one for fourthStrong of their length:
// parallel to its opposite side, as far from it as the format makes that
// side's length (a long side, along the text, or a short one, across
// it), and only outwards of where it is. licence_0137: a card whose top
// lies across sheets of paper of its tone, its other three sides clear,
// the text's extent two thirds of its length. The placed quad must be
// convex and hold ext's centre.
func fourthSide(g Gray, q, ext geom.Quad, u geom.Point) (geom.Quad, bool) {
	if !convex(q) {
		return q, false
	}
	weak := -1
	for k := 0; k < 4; k++ {
		sup := sideSupport(g, q[k], q[(k+1)%4])
		switch {
		case sup >= fourthStrong:
		case sup < minSideSupport && weak < 0:
			weak = k
		default:
			return q, false
		}
	}
	if weak < 0 {
		return q, false
	}
	j := (weak + 2) % 4
	opp := lineThrough(q[j], q[(j+1)%4])
	// the weak side's distance from the opposite side's line, signed so
	// that it is positive where the weak side lies
	m := geom.Point{(q[weak][0] + q[(weak+1)%4][0]) / 2, (q[weak][1] + q[(weak+1)%4][1]) / 2}
	cur := opp.nx*m[0] + opp.ny*m[1] - opp.d
	sign := math.Copysign(1, cur)
	dx, dy := q[(j+1)%4][0]-q[j][0], q[(j+1)%4][1]-q[j][1]
	lj := math.Hypot(dx, dy)
	dist := lj * Aspect(ID1) // the opposite side a short one
	if math.Abs(dx*u[0]+dy*u[1]) > math.Sqrt2/2*lj {
		dist = lj / Aspect(ID1) // a long one
	}
	if dist <= math.Abs(cur) {
		return q, false
	}
	var lines [4]lineEq
	for k := range lines {
		lines[k] = lineThrough(q[k], q[(k+1)%4])
	}
	// the line parallel to the opposite side at dist, on the weak side's
	// side; lineThrough's normal may point either way
	lines[weak] = lineEq{opp.nx, opp.ny, opp.d + sign*dist}
	pq, ok := cornersOf(lines)
	if !ok || !pointIn(pq, ext.Center()) {
		return q, false
	}
	return pq, true
}

// clearSideSupport is the least support (sideSupport) of each side of a
// contour far larger than the text found on it for it to be the card's.
const clearSideSupport = 0.95

// clearlyOutlined: each side of q runs along an edge for clearSideSupport
// of its length.
func clearlyOutlined(g Gray, q geom.Quad) bool {
	return outlinedAt(g, q, clearSideSupport)
}

// minHeldShare is the least share of the photo a card found among
// scattered print (outlineScattered) must cover where its contour holds
// every region found, below minOutlineShare: a small card's (a synthetic
// licence at 3.5% of the photo, its six pieces of print all on it). A
// card under 2.5% is too small to read.
const minHeldShare = 0.025

// maxTextOutlineOnly is the most text regions a photo may hold for its
// card to be found by the outline alone: where the detector found more
// but they do not cluster (the ruled lines of a sheet of paper beside a
// small card), the largest outline is as likely the paper's.
const maxTextOutlineOnly = 2

// minOutlineShare is the least share of the photo a card found by its
// outline alone must cover.
const minOutlineShare = 0.05

// A contour candidate is the card's outline where its long sides run
// within maxOutlineTurn degrees of the text and it is at most
// maxOutlineOverText times the extent of the card's text cluster (the
// text covers most of a card). Where the detector found only a few of the
// card's lines (under fewTextRegions: a blurred card, its fields turned
// across the detector's grain, only the header found) their extent may be
// a sixth of the card, and maxOutlineOverFewText applies (a synthetic
// licence whose header alone was found: its outline 5.5 times the
// header's extent).
const (
	maxOutlineTurn        = 20
	maxOutlineOverText    = 2.2
	maxOutlineOverFewText = 6.0
	fewTextRegions        = 6
)

// heldSpread: a contour far larger than a few clustered lines' extent
// (fewer than fewTextRegions) is still the card's where the regions it
// holds, the cluster's and others found apart from it, spread over it:
// their extent is at least 1/over of it. The detector finds a
// motion-blurred card's print as a cluster of four regions and a few
// pieces elsewhere on the card (a synthetic ID card: the cluster's
// extent a thirteenth of the card, the pieces' and the cluster's
// together a fifth).
func heldSpread(q geom.Quad, text []geom.Quad, cluster int, over float64) bool {
	if cluster >= fewTextRegions {
		return false
	}
	held := heldAtLeast(q, text, 0)
	if len(held) <= cluster {
		return false
	}
	ext, _, _, ok := textExtent(held)
	return ok && q.Area() <= over*ext.Area()
}

// maxScatteredShare is the largest share of the photo a card found by
// its outline among scattered text (outlineScattered) may cover: the
// contours of the whole scene or of the frame hold all its text too.
const maxScatteredShare = 0.5

// outlineScattered picks the card where the text detector found more
// than maxTextOutlineOnly regions but no three of them cluster (a blurred
// card whose lines come out as a few pieces): as outlineOnly, but the
// outline must hold at least two of the regions as print (holdingPrint:
// the ruled lines of a sheet of paper are no card's print) and at least
// half of them, and cover at most maxScatteredShare of the photo, and no
// smaller contour of a card's aspect may hold as much of it (a card too
// small to read, lying on a sheet of paper whose contour holds the card's
// print too); of those the one holding the most, then the smallest (a
// contour of the card and what lies beside it holds as much).
func outlineScattered(g Gray, cands []geom.Quad, text []geom.Quad) (geom.Quad, string, bool) {
	type cand struct {
		q  geom.Quad
		a  float64
		in int
	}
	frame := float64(g.W * g.H)
	var cs []cand
	for _, c := range cands {
		c = OrderQuad(c)
		a := c.Area()
		if !convex(c) || a > maxScatteredShare*frame || !cardAspect(c) {
			continue
		}
		cs = append(cs, cand{c, a, holdingPrint(c, text)})
	}
	var best geom.Quad
	bestIn, bestArea := 0, 0.0
	found := false
	for _, c := range cs {
		if c.a < minOutlineShare*frame && (c.in < len(text) || c.a < minHeldShare*frame) || c.in < 2 || 2*c.in < len(text) || found && (c.in < bestIn || c.in == bestIn && c.a >= bestArea) {
			continue
		}
		inner := false
		for _, d := range cs {
			if d.a < c.a && d.in >= c.in {
				inner = true // a smaller card holds the same print
				break
			}
		}
		if inner {
			continue
		}
		if sc, ok := snappedOutline(g, c.q); ok {
			best, bestIn, bestArea, found = sc, c.in, c.a, true
		}
	}
	if !found {
		return geom.Quad{}, "", false
	}
	return best, "outline", true
}

// outlineOnly picks the card where the text detector found too little
// text to place it (motion blur smears print into streaks the detector
// does not take for lines, while the card's outline stays): of the
// contour candidates with a card's aspect, covering minOutlineShare of
// the photo, that run along an edge on all four sides (outlined), the one
// holding the most of the few text regions found, then the largest. Where
// text was found, a contour holding none of it is not the card (a sheet of
// paper beside a small card).
func outlineOnly(g Gray, cands []geom.Quad, text []geom.Quad) (geom.Quad, string, bool) {
	var best geom.Quad
	bestIn, bestArea := 0, 0.0
	found := false
	for _, c := range cands {
		c = OrderQuad(c)
		a := c.Area()
		if !convex(c) || a < minOutlineShare*float64(g.W*g.H) || !cardAspect(c) {
			continue
		}
		in := holding(c, text)
		if len(text) > 0 && in == 0 || found && (in < bestIn || in == bestIn && a <= bestArea) {
			continue
		}
		if sc, ok := snappedOutline(g, c); ok {
			best, bestIn, bestArea, found = sc, in, a, true
		}
	}
	if !found {
		return geom.Quad{}, "", false
	}
	return best, "edges", true
}

// PickOutline picks the card by its outline alone, as PickCard does
// where too little text was found (outlineOnly): for a card placed from
// text that turned out to run across it, the text was not the card's.
func PickOutline(g Gray, cands []geom.Quad, text []geom.Quad) (geom.Quad, string, bool) {
	return outlineOnly(g, cands, text)
}

// Across reports whether the text lines found on a normalized card mostly
// run across it (their boxes taller than wide): the outline was placed
// along the wrong sides, from a few junk regions of a blurred photo. Of at
// least three elongated lines, those across must be longer in all.
func Across(quads []geom.Quad) bool {
	n := 0
	along, across := 0.0, 0.0
	for _, q := range quads {
		x0, y0, x1, y1 := q.Bounds()
		w, h := x1-x0, y1-y0
		switch {
		case w > 2*h:
			along += w
		case h > 2*w:
			across += h
		default:
			continue
		}
		n++
	}
	return n >= 3 && across > along
}

// cardAspect: q's long side over its short side is a card's or a
// passport page's under moderate perspective.
func cardAspect(q geom.Quad) bool {
	asp := q.Width() / math.Max(1, q.Height())
	return asp >= minAspect && asp <= maxAspect
}

// minPrintShare is the least height of a card's print as a share of the
// card's short side: a synthetic licence's smallest field numbers are
// about 2.4% of it, the pieces of its blurred lines 3.5% or more; the
// ruled lines of a sheet of paper, taken for text, are thinner.
const minPrintShare = 0.025

// holdingPrint counts the regions of ts whose centre lies inside q and
// whose short side is at least minPrintShare of q's short side.
func holdingPrint(q geom.Quad, ts []geom.Quad) int {
	return holdingAtLeast(q, ts, minPrintShare*q.Height())
}

// holding counts the regions of ts whose centre lies inside q.
func holding(q geom.Quad, ts []geom.Quad) int {
	return holdingAtLeast(q, ts, 0)
}

// holdingAtLeast counts the regions of ts whose centre lies inside q and
// whose short side is minH or more.
func holdingAtLeast(q geom.Quad, ts []geom.Quad, minH float64) int {
	return len(heldAtLeast(q, ts, minH))
}

// heldAtLeast lists the regions of ts whose centre lies inside q and
// whose short side is minH or more.
func heldAtLeast(q geom.Quad, ts []geom.Quad, minH float64) []geom.Quad {
	var in []geom.Quad
	for _, t := range ts {
		if math.Min(t.Width(), t.Height()) >= minH && pointIn(q, t.Center()) {
			in = append(in, t)
		}
	}
	return in
}

// snappedOutline snaps a rough contour candidate's sides to the edges
// near them (a narrow band) and reports whether it is then outlined.
func snappedOutline(g Gray, c geom.Quad) (geom.Quad, bool) {
	sc := snapQuad(g, c, -0.04, 0.04, 0)
	if outlined(g, sc) {
		return sc, true
	}
	// a blurred border steps over many pixels, too gently for snapSideGrad's
	// gradient maxima: the side stays where the contour put it, a few
	// pixels off the border, where the step is too gentle for
	// sideSupport; of the lines of gentler maxima (rescueGrad) in the
	// same band the one the side runs along is taken (licence_0131: its
	// side on lilac paper 5 view pixels off)
	if !convex(sc) {
		return sc, false
	}
	rq := sc
	short := math.Min(sc.Width(), sc.Height())
	for i := 0; i < 4; i++ {
		if sideSupport(g, rq[i], rq[(i+1)%4]) >= minSideSupport {
			continue
		}
		nq, sup := bestSide(g, rq, i, 0.04*short+2, rescueGrad)
		if sup < minSideSupport {
			return sc, false
		}
		rq = nq
	}
	if movedFar(rq, c, -0.04, 0.04, short) {
		return sc, false
	}
	return rq, outlined(g, rq)
}

// rescueGrad is the least gradient of the maxima a side of a contour
// candidate is looked for again among (snapSideGrad's: 10).
const rescueGrad = 5

// mainCluster returns the largest group of text regions linked by gaps
// under 2.5 line heights.
func mainCluster(all []geom.Quad) []geom.Quad {
	// text lines are elongated: square detections (coins, logos) do not count
	var text []geom.Quad
	var heights []float64
	for _, t := range all {
		if w, h := t.Width(), t.Height(); math.Max(w, h) >= 1.5*math.Min(w, h) {
			text = append(text, t)
			heights = append(heights, math.Min(w, h))
		}
	}
	// nor are boxes far taller than the typical line
	if len(heights) > 2 {
		sorted := append([]float64(nil), heights...)
		sort.Float64s(sorted)
		med := sorted[len(sorted)/2]
		k := 0
		for i, t := range text {
			if heights[i] <= 3*med {
				text[k] = t
				k++
			}
		}
		text = text[:k]
	}
	nT := len(text)
	sets := disjoint.New(nT)
	type bb struct{ x0, y0, x1, y1, h float64 }
	boxes := make([]bb, nT)
	for i, t := range text {
		x0, y0, x1, y1 := t.Bounds()
		boxes[i] = bb{x0, y0, x1, y1, math.Max(2, math.Min(t.Height(), t.Width()))}
	}
	for i := 0; i < nT; i++ {
		for j := i + 1; j < nT; j++ {
			a, b := boxes[i], boxes[j]
			gx := math.Max(0, math.Max(a.x0, b.x0)-math.Min(a.x1, b.x1))
			gy := math.Max(0, math.Max(a.y0, b.y0)-math.Min(a.y1, b.y1))
			if math.Hypot(gx, gy) < 2.5*math.Min(a.h, b.h) {
				sets.Union(j, i)
			}
		}
	}
	groups := map[int][]geom.Quad{}
	area := map[int]float64{}
	for i, t := range text {
		r := sets.Find(i)
		groups[r] = append(groups[r], t)
		area[r] += t.Area()
	}
	best := -1
	for r := range groups {
		if best < 0 || len(groups[r]) > len(groups[best]) || len(groups[r]) == len(groups[best]) && area[r] > area[best] || len(groups[r]) == len(groups[best]) && area[r] == area[best] && r < best {
			best = r
		}
	}
	if best < 0 {
		return nil
	}
	// join the groups a gap (glare, a finger, unread lines) split off: same
	// direction, centres within a card's reach of the main group
	out := groups[best]
	for pass := 0; pass < 2; pass++ {
		ext, u, n, ok := textExtent(out)
		if !ok {
			break
		}
		c := ext.Center()
		w, h := ext.Width(), ext.Height()
		keys := make([]int, 0, len(groups))
		for r := range groups {
			keys = append(keys, r)
		}
		sort.Ints(keys)
		for _, r := range keys {
			if r == best || groups[r] == nil {
				continue
			}
			var gx, gy, gl float64
			joined := true
			for _, t := range groups[r] {
				tc := t.Center()
				a := (tc[0]-c[0])*u[0] + (tc[1]-c[1])*u[1]
				b := (tc[0]-c[0])*n[0] + (tc[1]-c[1])*n[1]
				// a card is at most about 1.6 times as wide as high (and
				// the lines found may be a little narrower than it: a
				// licence's header, licence_0191's print beneath it 0.83
				// of its width away, the glare between)
				if math.Abs(a) > w || math.Abs(b) > math.Max(h, joinReach*w) {
					joined = false
				}
				dx, dy := t[1][0]-t[0][0], t[1][1]-t[0][1]
				if math.Hypot(dx, dy) < math.Hypot(t[3][0]-t[0][0], t[3][1]-t[0][1]) {
					dx, dy = t[3][0]-t[0][0], t[3][1]-t[0][1]
				}
				l := math.Hypot(dx, dy)
				gx, gy, gl = gx+dx, gy+dy, gl+l
			}
			// direction: |cos| between the group's mean line and u
			if gl == 0 || math.Abs(gx*u[0]+gy*u[1])/math.Hypot(gx, gy) < math.Cos(12*math.Pi/180) && len(groups[r]) > 1 {
				joined = false
			}
			if joined {
				out = append(out, groups[r]...)
				groups[r] = nil
			}
		}
	}
	return out
}

// joinReach is how far across its lines, in the main group's extent's
// widths, a group may lie from the main group's centre to join it.
const joinReach = 0.9

// minSideSupport is the share of a contour candidate's side that must run
// along an edge of the photo (or the frame's border) for it to be a card's
// outline: where a card lies on a sheet of paper the contour of the two
// together passes the area test, but a side cuts across the paper.
const minSideSupport = 0.7

// outlined: every side of q (snapped to the edges near it: a contour's
// corners are rough) runs along an edge for at least minSideSupport of its
// length. On the first 80 synthetic ID card scenes the card's own outline
// scores 0.88 or more on its weakest side (blur, a light card on a light
// background) and the outlines of a card and the paper under it 0.55 or
// less.
func outlined(g Gray, q geom.Quad) bool {
	return outlinedAt(g, q, minSideSupport)
}

// outlinedAt: every side of q runs along an edge for at least least of
// its length (sideSupport).
func outlinedAt(g Gray, q geom.Quad, least float64) bool {
	for i := 0; i < 4; i++ {
		if sideSupport(g, q[i], q[(i+1)%4]) < least {
			return false
		}
	}
	return true
}

// sideSupport is the share of 40 points along the middle 90% of side a-b
// where the print steps across the side: the mean grey of a strip just
// outside differs by at least 8 levels from a strip just inside, in the
// same direction as at most points (a card brighter or darker than what
// it lies on), or where the side lies on the frame's border (a card cut
// off by the frame). Flat paper or the scattered texture of a background
// that a side cuts across does not step.
func sideSupport(g Gray, a, b geom.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l := math.Hypot(dx, dy)
	if l < 12 {
		return 0
	}
	nx, ny := -dy/l, dx/l
	const samples = 40
	border := 0
	var steps []float64
	for k := 0; k < samples; k++ {
		t := 0.05 + 0.9*float64(k)/float64(samples-1)
		px, py := a[0]+dx*t, a[1]+dy*t
		if px < 3 || py < 3 || px > float64(g.W-4) || py > float64(g.H-4) {
			border++
			continue
		}
		best := 0.0
		for off := -1.5; off <= 1.5; off += 0.5 {
			var in, out float64
			n := 0
			for d := 1.5; d <= 4; d += 0.5 {
				v0, ok0 := g.at(px+nx*(off-d), py+ny*(off-d))
				v1, ok1 := g.at(px+nx*(off+d), py+ny*(off+d))
				if ok0 && ok1 {
					in, out, n = in+v0, out+v1, n+1
				}
			}
			if n > 0 && math.Abs(out-in)/float64(n) > math.Abs(best) {
				best = (out - in) / float64(n)
			}
		}
		steps = append(steps, best)
	}
	pos, neg := 0, 0
	for _, st := range steps {
		if st >= 8 {
			pos++
		} else if st <= -8 {
			neg++
		}
	}
	return float64(border+max(pos, neg)) / samples
}

func convex(q geom.Quad) bool {
	sign := 0.0
	for i := 0; i < 4; i++ {
		a, b, c := q[i], q[(i+1)%4], q[(i+2)%4]
		cr := (b[0]-a[0])*(c[1]-b[1]) - (b[1]-a[1])*(c[0]-b[0])
		if cr == 0 {
			return false
		}
		if sign == 0 {
			sign = cr
		} else if sign*cr < 0 {
			return false
		}
	}
	return true
}

// pointIn reports whether p is inside the convex quad q.
func pointIn(q geom.Quad, p geom.Point) bool {
	sign := 0.0
	for i := 0; i < 4; i++ {
		a, b := q[i], q[(i+1)%4]
		cr := (b[0]-a[0])*(p[1]-a[1]) - (b[1]-a[1])*(p[0]-a[0])
		if sign == 0 {
			sign = cr
		} else if sign*cr < 0 {
			return false
		}
	}
	return true
}

// textExtent is the rectangle along the dominant text direction (u, with
// normal n) around every region.
func textExtent(text []geom.Quad) (q geom.Quad, u, n geom.Point, ok bool) {
	if len(text) < 3 {
		return geom.Quad{}, u, n, false
	}
	// dominant direction: length-weighted mean of doubled angles
	var sx, sy float64
	for _, t := range text {
		dx, dy := t[1][0]-t[0][0], t[1][1]-t[0][1]
		if math.Hypot(dx, dy) < math.Hypot(t[3][0]-t[0][0], t[3][1]-t[0][1]) {
			dx, dy = t[3][0]-t[0][0], t[3][1]-t[0][1]
		}
		l := math.Hypot(dx, dy)
		a := 2 * math.Atan2(dy, dx)
		sx += l * math.Cos(a)
		sy += l * math.Sin(a)
	}
	ang := math.Atan2(sy, sx) / 2
	u = geom.Point{math.Cos(ang), math.Sin(ang)}
	n = geom.Point{-u[1], u[0]}
	a0, a1, b0, b1 := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, t := range text {
		for _, p := range t {
			a, b := p[0]*u[0]+p[1]*u[1], p[0]*n[0]+p[1]*n[1]
			a0, a1, b0, b1 = math.Min(a0, a), math.Max(a1, a), math.Min(b0, b), math.Max(b1, b)
		}
	}
	pt := func(a, b float64) geom.Point { return geom.Point{a*u[0] + b*n[0], a*u[1] + b*n[1]} }
	return OrderQuad(geom.Quad{pt(a0, b0), pt(a1, b0), pt(a1, b1), pt(a0, b1)}), u, n, true
}

// expandExtent widens a text extent by the margins an ID-1 layout leaves
// around its text (about 6% of the width, 9% of the height).
func expandExtent(q geom.Quad) geom.Quad {
	c := q.Center()
	var out geom.Quad
	w, h := q.Width(), q.Height()
	kw, kh := 1+0.12, 1+0.18
	u := geom.Point{(q[1][0] - q[0][0]) / w, (q[1][1] - q[0][1]) / w}
	n := geom.Point{(q[3][0] - q[0][0]) / h, (q[3][1] - q[0][1]) / h}
	for i, p := range q {
		a := (p[0]-c[0])*u[0] + (p[1]-c[1])*u[1]
		b := (p[0]-c[0])*n[0] + (p[1]-c[1])*n[1]
		a, b = a*kw, b*kh
		out[i] = geom.Point{c[0] + a*u[0] + b*n[0], c[1] + a*u[1] + b*n[1]}
	}
	return out
}

// Refine snaps each side of q to the best-supported straight edge within
// search (a fraction of the short side) on either side of it.
func Refine(g Gray, q geom.Quad, search float64) geom.Quad {
	return snapQuad(g, q, -search, search, 0)
}

// snapQuad moves each side of q, lengthened by grow at both ends, to the
// straight edge with the most support in the band [lo, hi] x short side
// along its outward normal (see snapSideGrad; a drop shadow's edge
// yields to the card's, unshadowed) and intersects adjacent sides. Sides without a clear edge keep
// their position; q comes back unchanged when the result is not convex.
func snapQuad(g Gray, q geom.Quad, lo, hi, grow float64) geom.Quad {
	c := q.Center()
	short := math.Min(q.Width(), q.Height())
	var lines [4]lineEq
	var snaps [4]sideSnap
	for i := 0; i < 4; i++ {
		ga, gb := lengthened(q[i], q[(i+1)%4], grow)
		snaps[i] = sideSnapOf(g, ga, gb, c, lo*short-2, hi*short+2, 10)
	}
	unshadowed(&snaps, short)
	for i := 0; i < 4; i++ {
		lines[i] = lineThrough(q[i], q[(i+1)%4])
		if le, ok := snaps[i].fit(); ok {
			lines[i] = le
		}
	}
	out, ok := cornersOf(lines)
	if !ok || movedFar(out, q, lo, hi, short) {
		return q
	}
	return out
}

// lengthened is side a-b lengthened by grow of its length at both ends.
func lengthened(a, b geom.Point, grow float64) (geom.Point, geom.Point) {
	return geom.Point{a[0] - grow*(b[0]-a[0]), a[1] - grow*(b[1]-a[1])},
		geom.Point{b[0] + grow*(b[0]-a[0]), b[1] + grow*(b[1]-a[1])}
}

// movedFar: a corner of out lies farther from q's than sides snapped in
// the band [lo, hi] x short can move it (three band widths and 10
// pixels: adjacent sides meeting at a sharp angle).
func movedFar(out, q geom.Quad, lo, hi, short float64) bool {
	for i, p := range out {
		if math.Hypot(p[0]-q[i][0], p[1]-q[i][1]) > (hi-lo)*short*3+10 {
			return true
		}
	}
	return false
}

// A card's long side over its short side as photographed lies between
// minPhotoAspect and maxPhotoAspect (the synthetic sets' ID-1 cards under
// their perspective: 1.35-1.84; an ID-3 page is 1.42 face on).
const (
	minPhotoAspect = 1.3
	maxPhotoAspect = 1.9
)

// photoAspect: q's long side over its short side is a card's as
// photographed.
func photoAspect(q geom.Quad) bool {
	asp := math.Max(q.Width(), q.Height()) / math.Max(1, math.Min(q.Width(), q.Height()))
	return asp >= minPhotoAspect && asp <= maxPhotoAspect
}

// altShare is the least support, as a share of the best's, of a side's
// other straight edges that squaredSnap weighs; altMost is how many of
// them it weighs per side.
const (
	altShare = 0.75
	altMost  = 3
)

// squaredSnap is snapQuad where the best-supported edges make a quad no
// card's shape (photoAspect): of each side's straight edges with at least
// altShare of its best's support, the four that make a card's shape with
// the most support together. Beside a sheet of paper the sheet's far
// edge, against a dark background, can outdo the card's own border over
// the sheet's pale face (a synthetic licence: 16 samples to 14, the quad
// 1.20 long for 1.55). ok is false where no choice makes a card's shape,
// or a side has no edge.
func squaredSnap(g Gray, q geom.Quad, lo, hi, grow float64) (geom.Quad, bool) {
	var best geom.Quad
	bestSup := -1
	ok := sideQuads(g, q, lo, hi, grow, altShare, altMost, func(out geom.Quad, sup int) {
		if sup > bestSup {
			best, bestSup = out, sup
		}
	})
	return best, ok && bestSup >= 0
}

// sideQuads calls visit with each quad of a card's shape (photoAspect)
// that four of q's sides' straight edges make (sideAlternativesOf with
// share and most; within the band [lo, hi] x short side outwards, each
// side lengthened by grow) and their support together, unless a corner
// moved farther than the band allows (movedFar). False where a side has
// no edge (cut off by the frame, lost in glare: the quad's shape tells
// nothing).
func sideQuads(g Gray, q geom.Quad, lo, hi, grow, share float64, most int, visit func(out geom.Quad, sup int)) bool {
	c := q.Center()
	short := math.Min(q.Width(), q.Height())
	var alts [4][]sideAlt
	for i := 0; i < 4; i++ {
		ga, gb := lengthened(q[i], q[(i+1)%4], grow)
		alts[i] = sideAlternativesOf(g, ga, gb, c, lo*short-2, hi*short+2, 10, share, most)
		if len(alts[i]) == 0 {
			return false
		}
	}
	var pick [4]int
	var walk func(i int)
	walk = func(i int) {
		if i == 4 {
			var lines [4]lineEq
			sup := 0
			for k := range lines {
				lines[k] = alts[k][pick[k]].le
				sup += alts[k][pick[k]].support
			}
			out, ok := cornersOf(lines)
			if ok && photoAspect(out) && !movedFar(out, q, lo, hi, short) {
				visit(out, sup)
			}
			return
		}
		for k := range alts[i] {
			pick[i] = k
			walk(i + 1)
		}
	}
	walk(0)
	return true
}

// sideAlt is a straight edge along a side and its support.
type sideAlt struct {
	le      lineEq
	support int
}

// sideAlternatives lists the distinct straight edges along side a-b (c
// inside) within the band [d0, d1] with at least altShare of the best
// one's support (at most altMost, the best supported; edges within 3
// pixels of each other count once), refitted to their maxima as snapSideGrad
// does; none where the best has too little support.
func sideAlternatives(g Gray, a, b, c geom.Point, d0, d1, minGrad float64) []sideAlt {
	return sideAlternativesOf(g, a, b, c, d0, d1, minGrad, altShare, altMost)
}

// sideAlternativesOf is sideAlternatives keeping edges with at least
// share of the best one's support, at most most of them.
func sideAlternativesOf(g Gray, a, b, c geom.Point, d0, d1, minGrad, share float64, most int) []sideAlt {
	pts, cands, bestN := sideCandidates(g, a, b, c, d0, d1, minGrad)
	if bestN < sideSamples/3 {
		return nil
	}
	var kept []sideCand
	for _, k := range cands {
		if float64(k.support) >= share*float64(bestN) {
			kept = append(kept, k)
		}
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].support > kept[j].support })
	var out []sideAlt
	var offs []float64
	for _, k := range kept {
		if slices.ContainsFunc(offs, func(o float64) bool { return math.Abs(o-k.off) < 3 }) {
			continue
		}
		if le, ok := k.fit(pts); ok {
			out, offs = append(out, sideAlt{le, k.support}), append(offs, k.off)
		}
		if len(out) == most {
			break
		}
	}
	return out
}

// cornersOf is the quad whose side i lies on lines[i] (corner i where
// sides i-1 and i meet); ok is false where adjacent lines do not meet or
// the quad is not convex.
func cornersOf(lines [4]lineEq) (geom.Quad, bool) {
	var out geom.Quad
	for i := 0; i < 4; i++ {
		p, ok := intersect(lines[(i+3)%4], lines[i])
		if !ok {
			return out, false
		}
		out[i] = p
	}
	return out, convex(out)
}

// edgePt is a gradient maximum across a side.
type edgePt struct {
	p      geom.Point
	sign   float64
	sample int
}

// sideAxes are side a-b's length l, unit direction u, unit normal n
// pointing away from the inside point c, and midpoint m.
type sideAxes struct{ l, ux, uy, nx, ny, mx, my float64 }

func axesOf(a, b, c geom.Point) sideAxes {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l := math.Hypot(dx, dy)
	ax := sideAxes{l: l, mx: (a[0] + b[0]) / 2, my: (a[1] + b[1]) / 2}
	if l == 0 {
		return ax
	}
	ax.ux, ax.uy = dx/l, dy/l
	ax.nx, ax.ny = -ax.uy, ax.ux
	if (c[0]-ax.mx)*ax.nx+(c[1]-ax.my)*ax.ny > 0 {
		ax.nx, ax.ny = -ax.nx, -ax.ny
	}
	return ax
}

// snapSideGrad finds the straight edge along side a-b (c is inside)
// within the band [d0, d1] pixels along the outward normal: at 40 points
// of the side's middle 80% the three strongest gradient maxima across it
// (of minGrad grey levels over two pixels or more) are candidates; the
// line through two of them with the most samples agreeing within 1.5
// pixels, the same contrast polarity and a direction within 15 degrees of
// the side wins and is refitted to its inliers.
func snapSideGrad(g Gray, a, b, c geom.Point, d0, d1, minGrad float64) (lineEq, bool) {
	return sideSnapOf(g, a, b, c, d0, d1, minGrad).fit()
}

// sideSnap is the straight edge snapSideGrad chose along a side (best,
// an index of cands; -1: none), the candidates it chose from, the most
// support any has, and the gradient maxima they were drawn through.
type sideSnap struct {
	pts   []edgePt
	cands []sideCand
	bestN int
	best  int
}

// sideSnapOf is snapSideGrad's choice with its candidates.
func sideSnapOf(g Gray, a, b, c geom.Point, d0, d1, minGrad float64) sideSnap {
	pts, cands, bestN := sideCandidates(g, a, b, c, d0, d1, minGrad)
	s := sideSnap{pts: pts, cands: cands, bestN: bestN, best: -1}
	if bestN < sideSamples/3 {
		return s
	}
	// of the lines with (nearly) the most support, the innermost: the card
	// border before a parallel edge of the background
	for k, c := range cands {
		if float64(c.support) >= 0.95*float64(bestN) && (s.best < 0 || c.off < cands[s.best].off) {
			s.best = k
		}
	}
	return s
}

// fit is the chosen edge refitted to its maxima; false where none was
// chosen.
func (s sideSnap) fit() (lineEq, bool) {
	if s.best < 0 {
		return lineEq{}, false
	}
	return s.cands[s.best].fit(s.pts)
}

// A card's tone mostly stands against the ground beyond all its sides the
// same way (lighter, as a white card on a table, or darker), so its edges
// share one contrast polarity. Where three sides' edges do and the
// fourth's is the opposite, that edge is most likely the outer edge of
// the card's drop shadow (idcard_0129 of the held-out seed-7 set: the
// card's edge, light to dark, had 29 of 40 samples, the shadow's outer
// edge, dark to the brown table, 39, ten pixels beyond). The fourth side
// then moves to the edge of the other three's polarity within
// shadowMost of the short side inwards when it has shadowShare of the
// support or more; only where the fourth's edge runs along half the
// side or more (shadowSure of the samples): a shadow's edge is long and
// clear, and a weak edge of either polarity tells nothing (idcard_0175,
// cut off by the frame: 13 of 40 samples, the inner edge 8).
const (
	shadowMost  = 0.1
	shadowShare = 0.6
	shadowSure  = sideSamples / 2
)

// unshadowed applies the rule above to the four sides' snaps (short: the
// quad's short side, pixels).
func unshadowed(snaps *[4]sideSnap, short float64) {
	var signs [4]float64
	plus, minus := 0, 0
	for i, s := range snaps {
		if s.best < 0 {
			return
		}
		signs[i] = s.cands[s.best].sign
		if signs[i] > 0 {
			plus++
		} else {
			minus++
		}
	}
	if plus != 3 && minus != 3 {
		return
	}
	want := 1.0
	if minus == 3 {
		want = -1
	}
	for i := range snaps {
		s := &snaps[i]
		if signs[i] == want {
			continue
		}
		w := s.cands[s.best]
		if w.support < shadowSure {
			continue
		}
		pick := -1
		for k, c := range s.cands {
			if c.sign != want || c.off >= w.off || w.off-c.off > shadowMost*short || float64(c.support) < shadowShare*float64(s.bestN) {
				continue
			}
			if pick < 0 || c.support > s.cands[pick].support {
				pick = k
			}
		}
		if pick >= 0 {
			s.best = pick
		}
	}
}

// sideSamples is the number of points along a side where snapSideGrad looks
// for gradient maxima.
const sideSamples = 40

// sideCand is a straight edge along a side: its line, the samples whose
// gradient maxima lie on it, its offset along the side's outward normal
// at the side's midpoint, and its contrast polarity.
type sideCand struct {
	le      lineEq
	support int
	off     float64
	sign    float64
}

// fit refits c's line to the maxima of pts on it.
func (c sideCand) fit(pts []edgePt) (lineEq, bool) {
	var in []geom.Point
	for _, q := range pts {
		if q.sign == c.sign && math.Abs(c.le.nx*q.p[0]+c.le.ny*q.p[1]-c.le.d) < 1.5 {
			in = append(in, q.p)
		}
	}
	return robustFit(in, 1.0)
}

// sideCandidates lists the straight edges along side a-b (c is inside)
// within the band [d0, d1] pixels along the outward normal, as snapSideGrad
// describes, with the gradient maxima they were drawn through and the
// most support any has (0: too few maxima, or a side too short).
func sideCandidates(g Gray, a, b, c geom.Point, d0, d1, minGrad float64) ([]edgePt, []sideCand, int) {
	dx, dy := b[0]-a[0], b[1]-a[1]
	ax := axesOf(a, b, c)
	if ax.l < 12 {
		return nil, nil, 0
	}
	nx, ny, mx, my := ax.nx, ax.ny, ax.mx, ax.my
	var pts []edgePt
	steps := int(d1-d0) + 3
	prof := make([]float64, steps)
	okp := make([]bool, steps)
	for k := 0; k < sideSamples; k++ {
		t := 0.1 + 0.8*float64(k)/float64(sideSamples-1)
		px, py := a[0]+dx*t, a[1]+dy*t
		for j := 0; j < steps; j++ {
			d := d0 - 1 + float64(j)
			prof[j], okp[j] = g.at(px+nx*d, py+ny*d)
		}
		type mx struct{ d, gr float64 }
		var maxima []mx
		grad := func(j int) (float64, bool) {
			if j < 1 || j+1 >= steps || !okp[j-1] || !okp[j+1] {
				return 0, false
			}
			return prof[j-1] - prof[j+1], true
		}
		for j := 2; j+2 < steps; j++ {
			g0, ok0 := grad(j)
			gm, okm := grad(j - 1)
			gp, okq := grad(j + 1)
			if !ok0 || !okm || !okq || math.Abs(g0) < minGrad || math.Abs(g0) < math.Abs(gm) || math.Abs(g0) < math.Abs(gp) {
				continue
			}
			// parabolic sub-pixel position
			den := math.Abs(gm) - 2*math.Abs(g0) + math.Abs(gp)
			off := 0.0
			if den != 0 {
				off = math.Max(-0.5, math.Min(0.5, 0.5*(math.Abs(gm)-math.Abs(gp))/den))
			}
			maxima = append(maxima, mx{d0 - 1 + float64(j) + off, g0})
		}
		sort.Slice(maxima, func(i, j int) bool { return math.Abs(maxima[i].gr) > math.Abs(maxima[j].gr) })
		for _, m := range maxima[:min(3, len(maxima))] {
			pts = append(pts, edgePt{geom.Point{px + nx*m.d, py + ny*m.d}, math.Copysign(1, m.gr), k})
		}
	}
	if len(pts) < 8 {
		return pts, nil, 0
	}
	cosMax := math.Cos(15 * math.Pi / 180)
	var cands []sideCand
	stamp := make([]int, sideSamples)
	gen := 0
	for i := 0; i < len(pts); i++ {
		for j := i + 1; j < len(pts); j++ {
			pi, pj := pts[i], pts[j]
			if pi.sign != pj.sign || abs(pi.sample-pj.sample) < sideSamples/4 {
				continue
			}
			le := lineThrough(pi.p, pj.p)
			den := le.nx*nx + le.ny*ny
			if math.Abs(den) < cosMax {
				continue
			}
			gen++
			support := 0
			for _, q := range pts {
				if q.sign == pi.sign && stamp[q.sample] != gen && math.Abs(le.nx*q.p[0]+le.ny*q.p[1]-le.d) < 1.5 {
					stamp[q.sample] = gen
					support++
				}
			}
			off := (le.d - le.nx*mx - le.ny*my) / den
			cands = append(cands, sideCand{le, support, off, pi.sign})
		}
	}
	bestN := 0
	for _, c := range cands {
		bestN = max(bestN, c.support)
	}
	return pts, cands, bestN
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// lineEq is n . p = d with |n| = 1.
type lineEq struct{ nx, ny, d float64 }

func lineThrough(a, b geom.Point) lineEq {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l := math.Hypot(dx, dy)
	if l == 0 {
		return lineEq{0, 1, a[1]}
	}
	nx, ny := -dy/l, dx/l
	return lineEq{nx, ny, nx*a[0] + ny*a[1]}
}

func intersect(a, b lineEq) (geom.Point, bool) {
	det := a.nx*b.ny - a.ny*b.nx
	if math.Abs(det) < 1e-6 {
		return geom.Point{}, false
	}
	return geom.Point{(a.d*b.ny - a.ny*b.d) / det, (a.nx*b.d - a.d*b.nx) / det}, true
}

// fitLine is the total least squares line through pts.
func fitLine(pts []geom.Point) (lineEq, bool) {
	if len(pts) < 2 {
		return lineEq{}, false
	}
	var mx, my float64
	for _, p := range pts {
		mx += p[0]
		my += p[1]
	}
	n := float64(len(pts))
	mx, my = mx/n, my/n
	var sxx, sxy, syy float64
	for _, p := range pts {
		dx, dy := p[0]-mx, p[1]-my
		sxx += dx * dx
		sxy += dx * dy
		syy += dy * dy
	}
	// direction of the largest eigenvector
	ang := 0.5 * math.Atan2(2*sxy, sxx-syy)
	ux, uy := math.Cos(ang), math.Sin(ang)
	nx, ny := -uy, ux
	return lineEq{nx, ny, nx*mx + ny*my}, true
}

// robustFit fits, drops points farther than max(tol, 2.5 x median residual)
// and fits again, twice.
func robustFit(pts []geom.Point, tol float64) (lineEq, bool) {
	le, ok := fitLine(pts)
	for it := 0; ok && it < 3; it++ {
		res := make([]float64, len(pts))
		for i, p := range pts {
			res[i] = math.Abs(le.nx*p[0] + le.ny*p[1] - le.d)
		}
		sorted := append([]float64(nil), res...)
		sort.Float64s(sorted)
		lim := math.Max(tol, 2.5*sorted[len(sorted)/2])
		var keep []geom.Point
		for i, p := range pts {
			if res[i] <= lim {
				keep = append(keep, p)
			}
		}
		if len(keep) < 5 {
			return le, false
		}
		pts = keep
		le, ok = fitLine(pts)
	}
	return le, ok
}

// Scale multiplies the corners of q by s.
func Scale(q geom.Quad, s float64) geom.Quad { return q.Scale(s, s) }

// Rotate shifts the corners of q by k positions: the same outline read
// after k clockwise quarter turns of the document (k = 2: upside down).
func Rotate(q geom.Quad, k int) geom.Quad {
	var out geom.Quad
	for i := range q {
		out[i] = q[(i+k)%4]
	}
	return out
}

// Touches reports whether a corner of q lies outside the w x h frame or
// within margin pixels of its border (the card is cut off).
func Touches(q geom.Quad, w, h, margin float64) bool {
	for _, p := range q {
		if p[0] < margin || p[1] < margin || p[0] > w-margin || p[1] > h-margin {
			return true
		}
	}
	return false
}

// Squaring limits: a quad whose corners are all within squareAngle degrees
// of right and whose opposite sides are equal within squareSides is a card
// seen face on, its aspect the format's (the seed-42 sets' scenes with
// perspective that pass both lie within 1.9% of it); one off it by
// squareMinDev or more (up to squareMaxWide narrower, squareMaxFlat
// flatter) has a side snapped to an edge inside the card (the straight
// edge of its photo or a row of print, where a light card lies on light
// paper and its border hardly shows). Larger deviations are left alone:
// another format (a passport page is 10.5% narrower than a card) or a
// wrong outline.
const (
	squareAngle   = 1.0
	squareSides   = 0.015
	squareMinDev  = 0.025
	squareMaxWide = 0.09
	squareMaxFlat = 0.12
	squareMinSup  = 0.2
	squareNoSup   = 0.1
)

// SquareUp gives a face-on quad q (ordered as OrderQuad does) the format's
// aspect by moving one side outwards, parallel to itself: a short side
// when q is too narrow, a long one when it is too flat. Of the two
// candidate sides the one whose new position runs along an edge of the
// photo (sideSupport at least squareMinSup) while the other's runs along
// none (under squareNoSup) moves; q comes back unchanged otherwise.
func SquareUp(g Gray, q geom.Quad, aspect float64) geom.Quad {
	for i := 0; i < 4; i++ {
		a, b, c := q[(i+3)%4], q[i], q[(i+1)%4]
		u := geom.Point{a[0] - b[0], a[1] - b[1]}
		v := geom.Point{c[0] - b[0], c[1] - b[1]}
		cos := (u[0]*v[0] + u[1]*v[1]) / (math.Hypot(u[0], u[1]) * math.Hypot(v[0], v[1]))
		if math.Abs(cos) > math.Sin(squareAngle*math.Pi/180) {
			return q
		}
	}
	for i := 0; i < 2; i++ {
		a := math.Hypot(q[i+1][0]-q[i][0], q[i+1][1]-q[i][1])
		b := math.Hypot(q[(i+2)%4][0]-q[(i+3)%4][0], q[(i+2)%4][1]-q[(i+3)%4][1])
		if math.Abs(a/b-1) > squareSides {
			return q
		}
	}
	w, h := q.Width(), q.Height()
	dev := w/h/aspect - 1
	if math.Abs(dev) < squareMinDev || dev < -squareMaxWide || dev > squareMaxFlat {
		return q
	}
	// sides: 0 top (q0-q1), 1 right (q1-q2), 2 bottom (q2-q3), 3 left (q3-q0)
	sides, d := [2]int{1, 3}, aspect*h-w
	if dev > 0 {
		sides, d = [2]int{0, 2}, w/aspect-h
	}
	ctr := q.Center()
	var moved [2]geom.Quad
	var sup [2]float64
	for k, s := range sides {
		i, j := s, (s+1)%4
		ex, ey := q[j][0]-q[i][0], q[j][1]-q[i][1]
		l := math.Hypot(ex, ey)
		nx, ny := -ey/l, ex/l
		mx, my := (q[i][0]+q[j][0])/2, (q[i][1]+q[j][1])/2
		if (ctr[0]-mx)*nx+(ctr[1]-my)*ny > 0 {
			nx, ny = -nx, -ny
		}
		m := q
		m[i] = geom.Point{q[i][0] + nx*d, q[i][1] + ny*d}
		m[j] = geom.Point{q[j][0] + nx*d, q[j][1] + ny*d}
		moved[k], sup[k] = m, sideSupport(g, m[i], m[j])
	}
	// the border found faint beats nothing: one side's new position runs
	// along an edge at squareMinSup or more, the other's along none
	for k := 0; k < 2; k++ {
		if sup[k] >= squareMinSup && sup[1-k] < squareNoSup {
			return moved[k]
		}
	}
	return q
}

// flushMargin is the least margin (textMargins, of the short side) the
// card's text keeps from a side found outwards from it: ID-1 layouts keep
// their print about 4 mm (7% of the short side) from the border, less the
// detector's padding around a line. Nearer, the side snapped to the edge
// of the print (a photo, a title's line, the guilloche) inside a faint
// border: on the first 100 synthetic ID card scenes 24 of the 37 sides
// placed wrong from the text (by 2-16% of the diagonal) and 2 of the 111
// placed right.
const flushMargin = 0.015

// beyondReach is how far beyond a side flush with the text, as a share of
// the short side, clearText looks for the card's border: the print's
// margin (7% of the short side on ID-1 layouts, 13% beside a licence's
// flag) and some perspective; farther lie the edges of what the card
// lies on (the far edge of a strip under a French licence whose DL1 line
// runs along its border, 35%).
const beyondReach = 0.25

// clearText moves each side of q that the card's text ts reaches within
// flushMargin out to the nearest straight edge beyond it (edgeBeyond, from
// just outside the side to beyondReach of the short side out), where
// there is one that does not turn the side away from the opposite side's
// direction and is no streak across a card the frame cuts off
// (groundPast); where there is none, to the border groundBeyond finds, else
// to the frame's border (frameBeyond: the card runs out of the photo). A
// side the text keeps clear of moves out only when it lies on the card's
// print (onPrint: the straight edge of a photo or flag inside a faint
// border), to the border groundBeyond finds.
func clearText(g Gray, q geom.Quad, ts []geom.Quad) geom.Quad {
	m := textMargins(q, ts)
	c := q.Center()
	short := math.Min(q.Width(), q.Height())
	tone := cardTone(g, q)
	lines := [4]lineEq{}
	moved := false
	for i := 0; i < 4; i++ {
		a, b := q[i], q[(i+1)%4]
		lines[i] = lineThrough(a, b)
		// no less parallel to the opposite side than the side was, or
		// nearly parallel to it: a card's border and the edge of its print
		// are alike; the edge of a box under the card's corner is not
		opp := lineThrough(q[(i+2)%4], q[(i+3)%4])
		lim := math.Max(turn(lines[i], opp), oppositeTurn)
		fits := func(le lineEq) bool { return turn(le, opp) <= lim }
		if m[i] >= flushMargin {
			if !onPrint(g, tone, a, b, c, short, ts) {
				continue
			}
			if le, ok := groundBeyond(g, tone, q, i, short, 0, ts, fits); ok {
				lines[i], moved = le, true
			}
			continue
		}
		le, ok := edgeBeyond(g, a, b, c, 2, beyondReach*short, fits)
		if ok && groundPast(g, tone, q, i, le, short, ts) {
			// a line across the card's ground (a streak of the clutter
			// under a card the frame cuts off), not its border
			ok = false
		}
		if !ok {
			// farther, where the card's ground vouches for the edge
			// (the band up to beyondReach held none)
			le, ok = groundBeyond(g, tone, q, i, short, beyondReach*short, ts, fits)
		}
		if !ok {
			le, ok = frameBeyond(g, a, b, c, beyondReach*short)
		}
		if !ok {
			continue
		}
		lines[i], moved = le, true
	}
	if !moved {
		return q
	}
	out, ok := cornersOf(lines)
	if !ok || !cardAspect(out) {
		return q
	}
	return OrderQuad(out)
}

// oppositeTurn is the angle, in degrees, by which a side moved by
// clearText may always differ from the opposite side's direction
// (perspective converges them a little); beyond it, the side must not
// turn farther from it than it was.
const oppositeTurn = 3

// turn is the angle in degrees between two lines' directions.
func turn(a, b lineEq) float64 {
	return math.Acos(math.Min(1, math.Abs(a.nx*b.nx+a.ny*b.ny))) * 180 / math.Pi
}

// profileTurn is the most, in degrees, by which profileEdge turns its
// lines from the side (a card's border runs along the edge of its print).
const profileTurn = 5

// edgeBeyond finds the nearest straight edge that fits beyond side a-b
// (c inside) in the band [d0, d1] pixels outwards, in the grey view or in
// one of its colours: first as snapSideGrad finds edges (gradient maxima from 4 grey
// levels), else by projection (profileEdge), refitted by snapSideGrad within
// 3 pixels of where the projection found it.
func edgeBeyond(g Gray, a, b, c geom.Point, d0, d1 float64, fits func(lineEq) bool) (lineEq, bool) {
	planes := g.planes()
	mx, my := (a[0]+b[0])/2, (a[1]+b[1])/2
	dist := func(le lineEq) float64 { return math.Abs(le.nx*mx + le.ny*my - le.d) }
	var best lineEq
	bestOff := math.Inf(1)
	for _, pl := range planes {
		if le, ok := snapSideGrad(pl, a, b, c, d0, d1, 4); ok && fits(le) && dist(le) < bestOff {
			best, bestOff = le, dist(le)
		}
	}
	if !math.IsInf(bestOff, 1) {
		return best, true
	}
	for _, pl := range planes {
		le, ok := profileEdge(pl, a, b, c, d0, d1)
		if !ok || !fits(le) || dist(le) >= bestOff {
			continue
		}
		best, bestOff = le, dist(le)
		if fine, ok := snapSideGrad(pl, a, b, c, bestOff-3, bestOff+3, 4); ok && fits(fine) {
			best = fine
		}
	}
	return best, !math.IsInf(bestOff, 1)
}

// textMargins is, for each side of q (a convex quad, OrderQuad order), the
// least distance inwards from the side to a corner of the text regions ts
// that lies along the side's span, over q's short side: negative where
// text reaches past the side, +Inf where no text lies along it.
func textMargins(q geom.Quad, ts []geom.Quad) [4]float64 {
	c := q.Center()
	short := math.Max(1, math.Min(q.Width(), q.Height()))
	var out [4]float64
	for i := 0; i < 4; i++ {
		a := q[i]
		ax := axesOf(a, q[(i+1)%4], c)
		out[i] = math.Inf(1)
		if ax.l == 0 {
			continue
		}
		for _, t := range ts {
			for _, p := range t {
				s := (p[0]-a[0])*ax.ux + (p[1]-a[1])*ax.uy
				if s < 0 || s > ax.l {
					continue
				}
				// inwards: against the outward normal
				out[i] = math.Min(out[i], -((p[0]-a[0])*ax.nx+(p[1]-a[1])*ax.ny)/short)
			}
		}
	}
	return out
}

// ClearText is clearText for the card's text among the regions text (its
// main cluster), for an outline PickCard found outwards from the text
// ("text+edges") once Refine has snapped it.
func ClearText(g Gray, q geom.Quad, text []geom.Quad) geom.Quad {
	return clearText(g, OrderQuad(q), mainCluster(text))
}

// Profile edge limits: the mean step across a line, in grey levels over
// two pixels, that a border must show; its least share of the strongest
// step in the band; and how far the profile must fall between the side
// and the border, as a share of the border's step.
const (
	profileMinStep = 3.0
	profileShare   = 0.1
	profileValley  = 0.5
)

// profileEdge finds a faint straight edge beyond side a-b (c is inside)
// within [d0, d1] pixels along the outward normal by projection: for lines
// turned by up to profileTurn degrees, degree by degree, about the side's
// middle and moved outwards pixel by pixel, the mean grey step across the
// line over 60 points of its middle 90% (a straight border of one polarity
// sums, print and texture cancel). The nearest local maximum of the best
// step over the turns that reaches profileMinStep and profileShare of the
// band's strongest, after a valley below profileValley of it (not the
// blurred tail of the edge the side lies on), wins.
func profileEdge(g Gray, a, b, c geom.Point, d0, d1 float64) (lineEq, bool) {
	ax := axesOf(a, b, c)
	if ax.l < 12 || d1 <= d0 {
		return lineEq{}, false
	}
	l, ux, uy, nx, ny, mx, my := ax.l, ax.ux, ax.uy, ax.nx, ax.ny, ax.mx, ax.my
	const samples = 60
	nd := int(d1-d0) + 1
	best := make([]float64, nd)
	bestAng := make([]float64, nd)
	for ai := -profileTurn; ai <= profileTurn; ai++ {
		th := float64(ai) * math.Pi / 180
		cs, sn := math.Cos(th), math.Sin(th)
		vx, vy := ux*cs-uy*sn, ux*sn+uy*cs // the turned side
		wx, wy := -vy, vx
		if wx*nx+wy*ny < 0 {
			wx, wy = -wx, -wy
		}
		for j := 0; j < nd; j++ {
			d := d0 + float64(j)
			sum, n := 0.0, 0
			for k := 0; k < samples; k++ {
				t := (-0.45 + 0.9*float64(k)/float64(samples-1)) * l
				px, py := mx+vx*t+wx*d, my+vy*t+wy*d
				v1, ok1 := g.at(px+wx, py+wy)
				v0, ok0 := g.at(px-wx, py-wy)
				if ok0 && ok1 {
					sum += v1 - v0
					n++
				}
			}
			if n < samples/2 {
				continue
			}
			if st := math.Abs(sum / float64(n)); st > best[j] {
				best[j], bestAng[j] = st, th
			}
		}
	}
	top := 0.0
	for _, v := range best {
		top = math.Max(top, v)
	}
	valley := best[0]
	for j := 1; j+1 < nd; j++ {
		v := best[j]
		valley = math.Min(valley, v)
		// a peak of its own, not the tail of the edge inside
		if v < profileMinStep || v < profileShare*top || v < best[j-1] || v < best[j+1] || valley > profileValley*v {
			continue
		}
		den := best[j-1] - 2*v + best[j+1]
		off := 0.0
		if den != 0 {
			off = math.Max(-0.5, math.Min(0.5, 0.5*(best[j-1]-best[j+1])/den))
		}
		d := d0 + float64(j) + off
		th := bestAng[j]
		cs, sn := math.Cos(th), math.Sin(th)
		vx, vy := ux*cs-uy*sn, ux*sn+uy*cs
		wx, wy := -vy, vx
		if wx*nx+wy*ny < 0 {
			wx, wy = -wx, -wy
		}
		p := geom.Point{mx + wx*d, my + wy*d}
		return lineThrough(p, geom.Point{p[0] + vx, p[1] + vy}), true
	}
	return lineEq{}, false
}

// maxCompletion bounds how much Complete lengthens the sides meeting a cut
// one: a card at most a third cut off.
const maxCompletion = 1.5

// alongBorder is the side of q (w x h view) that runs along one border of
// the frame, one end within 2 frameMargins of it and the other within
// alongShare of q's short side, where the frame cut a corner off the
// card: the side then is the frame's (a card's side whose far end the
// frame cut leaves its middle inside the photo). -1: none.
func alongBorder(q geom.Quad, w, h int) int {
	short := math.Min(q.Width(), q.Height())
	found := -1
	for i := 0; i < 4; i++ {
		da, db := borderDists(q[i], w, h), borderDists(q[(i+1)%4], w, h)
		for k := 0; k < 4; k++ {
			near, far := math.Min(da[k], db[k]), math.Max(da[k], db[k])
			if near <= 2*frameMargin && far <= alongShare*short {
				if found >= 0 && found != i {
					return -1 // two such sides: cut on two sides
				}
				found = i
			}
		}
	}
	return found
}

// borderDists are p's distances, inwards, to the left, top, right and
// bottom borders of a w x h frame (negative beyond them).
func borderDists(p geom.Point, w, h int) [4]float64 {
	return [4]float64{p[0], p[1], float64(w-1) - p[0], float64(h-1) - p[1]}
}

// nearFrame: p lies within m of a w x h frame's border, or beyond it.
func nearFrame(p geom.Point, w, h int, m float64) bool {
	d := borderDists(p, w, h)
	return min(d[0], d[1], d[2], d[3]) < m
}

// alongShare is how far, as a share of the card's short side, the inner
// end of a side along the frame's border may lie from it (alongBorder).
const alongShare = 0.06

// frameMargin is how near the frame's border, in view pixels, the middle
// of an outline's side may lie for the side to be the frame's (Complete).
const frameMargin = 2.5

// Complete places the side of a card the frame cuts off: a side of q (an
// outline in the w x h view, OrderQuad order) whose middle lies on the
// frame's border or beyond it, or else one that runs along the border
// where the frame cut a corner off (alongBorder), is where the photo
// ends, not the card. The
// two sides meeting it are lengthened from the opposite side's corners to
// the length the format's aspect gives them against the opposite side
// (perspective ignored), never shortened and by at most maxCompletion; at
// most one side is placed so. The cut side is read as OrderQuad orders it
// (even: a long side) unless only the other reading gives such a length.
func Complete(q geom.Quad, w, h int, aspect float64) geom.Quad {
	cut := -1
	for i := 0; i < 4; i++ {
		a, b := q[i], q[(i+1)%4]
		if nearFrame(geom.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2}, w, h, frameMargin) {
			if cut >= 0 {
				return q // a card cut on two sides: no side to measure against
			}
			cut = i
		}
	}
	if cut < 0 {
		cut = alongBorder(q, w, h)
	}
	if cut < 0 {
		return q
	}
	// the cut side runs q[cut]-q[cut+1]; the opposite side q[cut+2]-q[cut+3]
	a, b := q[cut], q[(cut+1)%4]
	c, d := q[(cut+2)%4], q[(cut+3)%4]
	opp := math.Hypot(c[0]-d[0], c[1]-d[1])
	// the sides meeting the cut one: d->a and c->b
	lenDA, lenCB := math.Hypot(a[0]-d[0], a[1]-d[1]), math.Hypot(b[0]-c[0], b[1]-c[1])
	cur := math.Max(lenDA, lenCB)
	if lenDA == 0 || lenCB == 0 {
		return q
	}
	// the cut side a long one (OrderQuad's reading) or a short one; a
	// length that would more than add half is no cut card's (perspective
	// bends the aspect: a cut corner, not a side)
	fits := func(l float64) bool { return l > cur && l <= maxCompletion*cur }
	// the lengths with the cut side read as OrderQuad reads it, and not
	asOrdered, asOther := opp/aspect, opp*aspect
	if cut%2 == 1 {
		asOrdered, asOther = asOther, asOrdered
	}
	want := asOrdered
	if !fits(want) {
		want = asOther
	}
	if !fits(want) {
		return q
	}
	out := q
	out[cut] = geom.Point{d[0] + (a[0]-d[0])*want/lenDA, d[1] + (a[1]-d[1])*want/lenDA}
	out[(cut+1)%4] = geom.Point{c[0] + (b[0]-c[0])*want/lenCB, c[1] + (b[1]-c[1])*want/lenCB}
	if !convex(out) {
		return q
	}
	return out
}

// textLean is how far, in degrees, the long text lines of ts lean on the
// card quad q makes of the photo (PhotoHomography onto an ID-1 image):
// the second largest lean among lines at least three times as long as
// high that run within 45 degrees of the card's long side. A card prints
// its lines along its long side; a quad with a side on another edge (a
// sheet of paper's beside the card) leans the lines near that side.
// ok is false with fewer than two such lines.
func textLean(q geom.Quad, ts []geom.Quad) (float64, bool) {
	hm, ok := PhotoHomography(q, 1000, 630)
	if !ok {
		return 0, false
	}
	var leans []float64
	for _, t := range ts {
		w := math.Hypot(t[1][0]-t[0][0], t[1][1]-t[0][1])
		h := math.Hypot(t[3][0]-t[0][0], t[3][1]-t[0][1])
		if w < 3*h {
			continue
		}
		a := hm.Apply((t[0][0]+t[3][0])/2, (t[0][1]+t[3][1])/2)
		b := hm.Apply((t[1][0]+t[2][0])/2, (t[1][1]+t[2][1])/2)
		ang := math.Atan2(b[1]-a[1], b[0]-a[0]) * 180 / math.Pi
		for ang > 90 {
			ang -= 180
		}
		for ang < -90 {
			ang += 180
		}
		if math.Abs(ang) > 45 {
			continue
		}
		leans = append(leans, math.Abs(ang))
	}
	if len(leans) < 2 {
		return 0, false
	}
	sort.Float64s(leans)
	return leans[len(leans)-2], true
}

// leanMost is the lean (textLean, degrees) of a card's lines on a quad
// snapped from the text outwards from which its sides' other edges are
// weighed (uprightSnap).
const leanMost = 3.0

// uprightSnap is squaredSnap choosing, of the sides' straight edges, the
// four that make a card's shape on which the lines of ts lean the least
// (textLean; under 2 degrees), the most support between equals. Beside a
// sheet of paper the sheet's edge can outdo the card's own border and
// still make a card's shape (idcard_0044 of the held-out ID cards: the
// lines leaned 3.5 degrees on it).
func uprightSnap(g Gray, q geom.Quad, ts []geom.Quad, lo, hi, grow float64) (geom.Quad, bool) {
	var best geom.Quad
	bestLean, bestSup := leanUpright, -1
	sideQuads(g, q, lo, hi, grow, uprightShare, uprightMost, func(out geom.Quad, sup int) {
		l, ok := textLean(OrderQuad(out), ts)
		if !ok || l > bestLean+0.25 || l >= bestLean-0.25 && sup <= bestSup {
			return
		}
		best, bestLean, bestSup = out, l, sup
	})
	return best, bestSup >= 0
}

// leanUpright is the most lean (textLean, degrees) uprightSnap accepts.
const leanUpright = 2.0

// uprightShare and uprightMost are sideAlternativesOf's share and count
// for uprightSnap: the card's border beside a sheet's stronger edge.
const (
	uprightShare = 0.4
	uprightMost  = 4
)
