package preprocess

import (
	"math"
	"sort"

	"docscan/geom"
	"docscan/internal/disjoint"
)

// Glyph is the bounding box of a dark connected component shaped like a
// printed character (working-image pixels).
type Glyph struct {
	X0, Y0, X1, Y1 float64
	Fill           float64 // share of the box that is ink
}

func (g Glyph) w() float64  { return g.X1 - g.X0 }
func (g Glyph) h() float64  { return g.Y1 - g.Y0 }
func (g Glyph) cx() float64 { return (g.X0 + g.X1) / 2 }
func (g Glyph) cy() float64 { return (g.Y0 + g.Y1) / 2 }

// TextLine is a row of glyphs of one height at a regular pitch: the print
// of a plate line, found from the characters alone.
type TextLine struct {
	Quad   geom.Quad // reading direction, with a margin around the glyphs
	Glyphs int
	Height float64 // median glyph height
	Score  float64 // higher is more plate-like
	// Above is the band right above the line where the first line of a
	// two-line plate sits, when glyphs of about the line's height are there.
	Above *geom.Quad
}

// GroupGlyphs chains glyphs into lines by character-height regularity: two
// glyphs are neighbours when their heights differ by less than a third, the
// right one starts within 2.6 heights (the seal gap of a German plate
// included) and its centre is within a quarter height (plus a fifth of the
// distance, for tilted lines) of the left one's row. Chains of at least
// minGlyphs glyphs become lines, best scored first (more glyphs, more even
// heights and pitch); a glyph belongs to one line.
func GroupGlyphs(gs []Glyph, minGlyphs int) []TextLine {
	n := len(gs)
	if n == 0 {
		return nil
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return gs[idx[a]].cx() < gs[idx[b]].cx() })
	// Union-find over the nearest right neighbour of each glyph.
	sets := disjoint.New(n)
	hasLeft := make([]bool, n)
	for a, i := range idx {
		gi := gs[i]
		best, bestD := -1, math.Inf(1)
		for _, j := range idx[a+1:] {
			gj := gs[j]
			hm := math.Max(gi.h(), gj.h())
			dx := gj.cx() - gi.cx()
			if dx > 2.6*hm {
				break
			}
			if dx <= 0.15*hm || hasLeft[j] {
				continue
			}
			if r := gi.h() / gj.h(); r < 0.75 || r > 1.33 {
				continue
			}
			dy := math.Abs(gj.cy() - gi.cy())
			if dy > 0.25*hm+0.2*dx {
				continue
			}
			if d := math.Hypot(dx, dy); d < bestD {
				best, bestD = j, d
			}
		}
		if best >= 0 {
			hasLeft[best] = true
			sets.Union(i, best)
		}
	}
	col := columned(gs)
	var out []TextLine
	for _, members := range sets.Groups() {
		if len(members) < minGlyphs {
			continue
		}
		g := make([]Glyph, len(members))
		inCol := 0
		for i, m := range members {
			g[i] = gs[m]
			if col[m] {
				inCol++
			}
		}
		if l, ok := lineOf(g); ok {
			l.Above = above(l, g, gs)
			// Most of its glyphs in columns of three or more: a row
			// of a grid (a facade's windows), not a plate's line.
			if 2*inCol >= len(members) {
				l.Score *= 0.3
			}
			out = append(out, l)
		}
	}
	// A plate has at most two lines: a line with print of its height
	// both right above and right below is part of a grid (windows, a
	// sign's or a page's text).
	for i := range out {
		up, down := false, false
		for j := range out {
			if i == j || out[j].Glyphs < 3 {
				continue
			}
			u, d := neighbour(out[i], out[j])
			up, down = up || u, down || d
		}
		if up && down {
			out[i].Score *= 0.3
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Quad[0][0] < out[j].Quad[0][0]
	})
	return out
}

// lineOf fits a line through the glyph centres and boxes them with a
// margin: 0.35 heights along the line, 0.2 across.
func lineOf(g []Glyph) (TextLine, bool) {
	sort.Slice(g, func(i, j int) bool { return g[i].cx() < g[j].cx() })
	hs := make([]float64, len(g))
	for i, x := range g {
		hs[i] = x.h()
	}
	sort.Float64s(hs)
	hm := hs[len(hs)/2]
	// Least-squares direction of the centres.
	var mx, my float64
	for _, x := range g {
		mx += x.cx() / float64(len(g))
		my += x.cy() / float64(len(g))
	}
	var sxx, sxy float64
	for _, x := range g {
		dx, dy := x.cx()-mx, x.cy()-my
		sxx += dx * dx
		sxy += dx * dy
	}
	if sxx <= 0 {
		return TextLine{}, false
	}
	slope := sxy / sxx
	if math.Abs(slope) > 0.36 { // more than 20 degrees: not a row of print
		return TextLine{}, false
	}
	theta := math.Atan(slope)
	ux, uy := math.Cos(theta), math.Sin(theta)
	vx, vy := -uy, ux
	a0, a1 := math.Inf(1), math.Inf(-1)
	p0, p1 := math.Inf(1), math.Inf(-1)
	for _, x := range g {
		for _, c := range [4][2]float64{{x.X0, x.Y0}, {x.X1, x.Y0}, {x.X1, x.Y1}, {x.X0, x.Y1}} {
			a := (c[0]-mx)*ux + (c[1]-my)*uy
			p := (c[0]-mx)*vx + (c[1]-my)*vy
			a0, a1 = math.Min(a0, a), math.Max(a1, a)
			p0, p1 = math.Min(p0, p), math.Max(p1, p)
		}
	}
	// Even heights and an even pitch make a plate line; a spread of either
	// (mixed print, a grille's bars) lowers the score.
	var hdev float64
	for _, h := range hs {
		hdev += math.Abs(h-hm) / hm
	}
	hdev /= float64(len(hs))
	var pitch []float64
	for i := 1; i < len(g); i++ {
		pitch = append(pitch, g[i].cx()-g[i-1].cx())
	}
	sort.Float64s(pitch)
	pm := pitch[len(pitch)/2]
	var pdev float64
	for _, p := range pitch {
		pdev += math.Min(1, math.Abs(p-pm)/pm)
	}
	pdev /= float64(len(pitch))
	// Characters differ in width and ink; a row of identical blobs is a
	// pattern (windows, a grille, a fence).
	var mf, ma float64
	for _, x := range g {
		mf += x.Fill / float64(len(g))
		ma += x.w() / x.h() / float64(len(g))
	}
	var sf, sa float64
	for _, x := range g {
		sf += math.Abs(x.Fill-mf) / float64(len(g))
		sa += math.Abs(x.w()/x.h()-ma) / float64(len(g))
	}
	n := float64(min(len(g), 8))
	score := n * (1 - hdev) * (1 - 0.5*pdev)
	if len(g) >= 3 && sf < 0.04 && sa < 0.06 {
		score *= 0.3
	}
	// Plate fonts are narrow (DIN: about half as wide as high); a row of
	// blobs about as wide as high is not print.
	if ma > 0.8 {
		score *= 0.3
	}
	if len(g) > 10 {
		score *= 0.5 // longer than any plate: running text
	}
	a0, a1 = a0-0.35*hm, a1+0.35*hm
	p0, p1 = p0-0.2*hm, p1+0.2*hm
	pt := func(a, p float64) geom.Point { return geom.Point{mx + a*ux + p*vx, my + a*uy + p*vy} }
	return TextLine{
		Quad:   geom.Quad{pt(a0, p0), pt(a1, p0), pt(a1, p1), pt(a0, p1)},
		Glyphs: len(g),
		Height: hm,
		Score:  score,
	}, true
}

// above returns the band above line l (one line pitch up) when a glyph of
// about l's height that is not one of l's own lies there, centred within
// l's extent: the first line of a two-line plate (the district code, often
// one or two characters only, so not a line of its own).
func above(l TextLine, own, all []Glyph) *geom.Quad {
	q := l.Quad
	ux, uy := q[1][0]-q[0][0], q[1][1]-q[0][1]
	ln := math.Hypot(ux, uy)
	if ln == 0 {
		return nil
	}
	ux, uy = ux/ln, uy/ln
	vx, vy := -uy, ux // points down in image coordinates
	hm := l.Height
	isOwn := func(g Glyph) bool {
		for _, o := range own {
			if o == g {
				return true
			}
		}
		return false
	}
	found := 0
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, g := range all {
		if isOwn(g) {
			continue
		}
		if r := g.h() / hm; r < 0.7 || r > 1.4 {
			continue
		}
		a := (g.cx()-q[0][0])*ux + (g.cy()-q[0][1])*uy
		p := (g.cx()-q[0][0])*vx + (g.cy()-q[0][1])*vy // from the line's top edge
		if a < 0 || a > ln || p > -0.2*hm || p < -1.6*hm {
			continue
		}
		found++
		lo, hi = math.Min(lo, a-g.w()/2), math.Max(hi, a+g.w()/2)
	}
	if found == 0 {
		return nil
	}
	// The band spans the line's width (the district code is centred or
	// left-aligned above the letters and digits) and one line pitch.
	lo, hi = math.Min(lo-0.35*hm, 0), math.Max(hi+0.35*hm, ln)
	top, bot := -1.45*hm, -0.05*hm
	pt := func(a, p float64) geom.Point {
		return geom.Point{q[0][0] + a*ux + p*vx, q[0][1] + a*uy + p*vy}
	}
	b := geom.Quad{pt(lo, top), pt(hi, top), pt(hi, bot), pt(lo, bot)}
	return &b
}

// columned marks the glyphs that stand in a column of three or more
// glyphs of about their size, one right above the other (centres within
// a third of a height across, one to three heights apart): the windows
// of a facade, the keys of a keypad. A plate has at most two lines, so
// its glyphs stand in columns of two at most.
func columned(gs []Glyph) []bool {
	idx := make([]int, len(gs))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return gs[idx[a]].cx() < gs[idx[b]].cx() })
	xs := make([]float64, len(idx))
	for a, i := range idx {
		xs[a] = gs[i].cx()
	}
	// next is the nearest glyph of g's size below (dir 1) or above (-1).
	next := func(g Glyph, dir float64) int {
		tol := g.h() / 3
		best, bestD := -1, math.Inf(1)
		for a := sort.SearchFloat64s(xs, g.cx()-tol); a < len(xs) && xs[a] <= g.cx()+tol; a++ {
			o := gs[idx[a]]
			if r := o.h() / g.h(); r < 0.8 || r > 1.25 {
				continue
			}
			if r := o.w() / g.w(); r < 0.7 || r > 1.43 {
				continue
			}
			d := (o.cy() - g.cy()) * dir
			if d < g.h() || d > 3*g.h() || d >= bestD {
				continue
			}
			best, bestD = idx[a], d
		}
		return best
	}
	out := make([]bool, len(gs))
	for i, g := range gs {
		n := 1
		for _, dir := range []float64{-1, 1} {
			for k, cur := 0, g; k < 2; k++ {
				j := next(cur, dir)
				if j < 0 {
					break
				}
				n, cur = n+1, gs[j]
			}
		}
		out[i] = n >= 3
	}
	return out
}

// neighbour reports whether line o runs right above (up) or below (down)
// line l: about l's height, within 2.5 heights, overlapping half of l.
func neighbour(l, o TextLine) (up, down bool) {
	if r := o.Height / l.Height; r < 0.75 || r > 1.33 {
		return false, false
	}
	x0, _, x1, _ := l.Quad.Bounds()
	ox0, _, ox1, _ := o.Quad.Bounds()
	if math.Min(x1, ox1)-math.Max(x0, ox0) < 0.5*(x1-x0) {
		return false, false
	}
	dy := o.Quad.Center()[1] - l.Quad.Center()[1]
	if math.Abs(dy) < 0.6*l.Height || math.Abs(dy) > 2.5*l.Height {
		return false, false
	}
	return dy < 0, dy > 0
}
