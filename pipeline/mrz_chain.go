package pipeline

import (
	"context"
	"math"
	"sort"

	"docscan/geom"
	"docscan/internal/disjoint"
)

// Fragment chaining: in blurred, noisy or steeply photographed zones the
// text detector often cuts every MRZ line into pieces (a name, a number, a
// filler run), none of them long enough to seed a zone. Pieces of one line
// are collinear, of one height and close together; chained, they span a
// line, and the chain seeds the zone search like a detected whole line.

const (
	chainAngle = 5.0  // degrees between the pieces of one line
	chainGap   = 2.5  // largest gap between pieces, in line heights
	chainShift = 0.35 // largest offset across the line, in line heights
	maxChains  = 3    // chains searched per scene
)

// chain is a line quad joined from the regions members.
type chain struct {
	quad    geom.Quad
	members []int
}

// chainQuads joins collinear, equally high text regions into line quads
// at least ten times as long as high. Only chains of two or more regions
// that are not already whole-line shaped are returned, longest first.
func chainQuads(regs []Region) []chain {
	var idx []int
	for i := range regs {
		q := regs[i].Quad
		if h := q.Height(); h >= 6 && q.Width() >= 1.2*h && regs[i].Source == "" {
			idx = append(idx, i)
		}
	}
	if len(idx) < 2 || len(idx) > 400 {
		return nil
	}
	sets := disjoint.New(len(idx))
	for a := 0; a < len(idx); a++ {
		qa := regs[idx[a]].Quad
		fa := frameOf(qa)
		la := fa.project(qa)
		for b := a + 1; b < len(idx); b++ {
			qb := regs[idx[b]].Quad
			if qa.AxisAngleTo(qb) > chainAngle { // a piece may have been read turned
				continue
			}
			r := qb.Height() / la.H
			if r < 0.7 || r > 1/0.7 {
				continue
			}
			lb := fa.project(qb)
			h := math.Max(la.H, lb.H)
			if math.Abs(lb.P-la.P) > chainShift*h {
				continue
			}
			gap := math.Max(lb.A0-la.A1, la.A0-lb.A1)
			if gap > chainGap*h {
				continue
			}
			sets.Union(a, b)
		}
	}
	var out []chain
	for _, ks := range sets.Groups() {
		if len(ks) < 2 {
			continue
		}
		members := make([]int, len(ks))
		for i, k := range ks {
			members[i] = idx[k]
		}
		// The longest piece sets the frame.
		long := members[0]
		for _, m := range members {
			if regs[m].Quad.Width() > regs[long].Quad.Width() {
				long = m
			}
		}
		f := frameOf(regs[long].Quad)
		a0, a1 := math.Inf(1), math.Inf(-1)
		var p, h, wsum float64
		for _, m := range members {
			l := f.project(regs[m].Quad)
			a0, a1 = math.Min(a0, l.A0), math.Max(a1, l.A1)
			w := l.A1 - l.A0
			p += w * l.P
			wsum += w
			h = math.Max(h, l.H)
		}
		// A whole line with specks beside it was a seed already.
		whole := mrzSeedShape(regs[long].Quad) && regs[long].Quad.Width() > 0.8*(a1-a0)
		if wsum <= 0 || whole {
			continue
		}
		l := line{A0: a0, A1: a1, P: p / wsum, H: h}
		if (l.A1-l.A0)/l.H < 10 {
			continue
		}
		out = append(out, chain{f.quad(l), members})
	}
	// Longest first; deterministic.
	sort.Slice(out, func(i, j int) bool {
		wi, wj := out[i].quad.Width(), out[j].quad.Width()
		if wi != wj {
			return wi > wj
		}
		return out[i].quad[0][0] < out[j].quad[0][0]
	})
	return out
}

// chained runs the zone search over the scene's regions plus the chained
// lines, seeding only from the chains, and returns the best zone read. The
// readings of the scene's own regions made on the way are kept.
func (b MRZBuilder) chained(ctx context.Context, s *Scene) (*group, frame, error) {
	if s.chainTried {
		return nil, frame{}, nil
	}
	s.chainTried = true
	// A chain is searched only when one of its pieces reads as a piece of
	// an MRZ line, and at most maxChains of them: each search reads lines,
	// completes and extends them.
	var chains []geom.Quad
	for _, c := range chainQuads(s.Regions) {
		if len(chains) == maxChains {
			break
		}
		for _, m := range c.members {
			if ok, err := s.Read(ctx, m); err != nil {
				return nil, frame{}, err
			} else if ok && (mrzFragment(s.Regions[m].Text) || mrzLike(s.Regions[m].Text)) {
				chains = append(chains, c.quad)
				break
			}
		}
	}
	if len(chains) == 0 {
		return nil, frame{}, nil
	}
	n := len(s.Regions)
	sub := &Scene{Frame: s.Frame, Kind: "mrz", Eng: s.Eng, Quality: s.Quality, fine: true, classicalTried: true, chainTried: true,
		Regions: append(make([]Region, 0, n+len(chains)), s.Regions...)}
	for _, q := range chains {
		sub.Regions = append(sub.Regions, Region{Quad: q, DetScore: 1, Source: "mrz-chain"})
	}
	g, f, err := b.searchFrom(ctx, sub, n)
	s.tOCR += sub.tOCR
	s.tOrient += sub.tOrient
	for i := 0; i < n; i++ {
		if sub.Regions[i].Read && !s.Regions[i].Read {
			s.Regions[i] = sub.Regions[i]
		}
	}
	return g, f, err
}
