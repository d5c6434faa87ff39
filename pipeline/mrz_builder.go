package pipeline

import (
	"context"
	"math"
	"sort"
	"strings"

	"docscan/geom"
	"docscan/models"
	"docscan/mrz"
)

// mrzChars is the MRZ alphabet: recognition is restricted to it.
const mrzChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"

// MRZBuilder finds the 1-3 long, parallel, equally spaced text lines of a
// machine readable zone, re-reads them restricted to the MRZ alphabet with
// per-character alternatives, and lets the check digits decide through the
// repair of package mrz.
type MRZBuilder struct{}

// Kind implements Builder.
func (MRZBuilder) Kind() string { return "mrz" }

// Want picks long thin regions: MRZ lines are 30-44 characters on one line.
func (MRZBuilder) Want(q geom.Quad, _ float64) bool {
	w, h := q.Width(), q.Height()
	return h >= 6 && w/h >= 8
}

type mrzLine struct {
	reg  Region
	line mrz.Line
}

// Build implements Builder.
func (b MRZBuilder) Build(ctx context.Context, s *Scene) ([]Record, error) {
	var cands []mrzLine
	for _, r := range s.Regions {
		if !r.Read || r.MRZ == nil || !b.Want(r.Quad, r.DetScore) || !mrzLike(r.Text) {
			continue
		}
		cands = append(cands, mrzLine{reg: r, line: ocrLine(*r.MRZ)})
	}
	if len(cands) == 0 {
		return nil, nil
	}
	// Order along the direction perpendicular to the text.
	ang := cands[0].reg.Quad.Angle() * math.Pi / 180
	nx, ny := -math.Sin(ang), math.Cos(ang)
	sort.Slice(cands, func(i, j int) bool {
		ci, cj := cands[i].reg.Quad.Center(), cands[j].reg.Quad.Center()
		return ci[0]*nx+ci[1]*ny < cj[0]*nx+cj[1]*ny
	})
	var best *mrz.Record
	var bestQuad geom.Quad
	bestScore := -1.0
	for n := 3; n >= 1; n-- {
		for i := 0; i+n <= len(cands); i++ {
			group := cands[i : i+n]
			if !consistent(group) {
				continue
			}
			lines := make([]mrz.Line, n)
			for k, c := range group {
				lines[k] = c.line
			}
			rec, err := mrz.ReadOCR(lines, mrz.Options{})
			if err != nil || rec == nil {
				continue
			}
			score := rec.Confidence + float64(n)*0.01
			if rec.Valid {
				score += 10
			}
			if score > bestScore {
				best, bestScore = rec, score
				bestQuad = unionQuad(group)
			}
		}
	}
	if best == nil {
		return nil, nil
	}
	rq := roundQuad(bestQuad)
	q := [4][2]float64{rq[0], rq[1], rq[2], rq[3]}
	best.Quad = &q
	return []Record{best}, nil
}

// mrzLike: mostly MRZ characters, long enough, with filler signs or digits.
func mrzLike(text string) bool {
	t := strings.ToUpper(strings.ReplaceAll(text, " ", ""))
	if len(t) < 20 {
		return false
	}
	in := 0
	for _, c := range t {
		if strings.ContainsRune(mrzChars, c) || c == '«' {
			in++
		}
	}
	return float64(in) >= 0.9*float64(len([]rune(t))) && (strings.Count(t, "<") >= 2 || strings.Count(t, "«") >= 2)
}

// consistent: lines of a group have similar height and direction and are
// stacked at a regular pitch.
func consistent(g []mrzLine) bool {
	h0 := g[0].reg.Quad.Height()
	a0 := g[0].reg.Quad.Angle()
	for k := 1; k < len(g); k++ {
		q := g[k].reg.Quad
		if math.Abs(q.Height()-h0) > 0.5*h0 {
			return false
		}
		d := math.Abs(q.Angle() - a0)
		if d > 180 {
			d = 360 - d
		}
		if d > 6 {
			return false
		}
		c0, c1 := g[k-1].reg.Quad.Center(), q.Center()
		if gap := math.Hypot(c1[0]-c0[0], c1[1]-c0[1]); gap > 3.5*h0 {
			return false
		}
	}
	return true
}

// unionQuad is the quad spanning a group: the first line's top edge and the
// last line's bottom edge.
func unionQuad(g []mrzLine) geom.Quad {
	first, last := g[0].reg.Quad, g[len(g)-1].reg.Quad
	return geom.Quad{first[0], first[1], last[2], last[3]}
}

// ocrLine converts a recognizer reading to an MRZ line with alternatives.
func ocrLine(t models.Text) mrz.Line {
	var l mrz.Line
	var sb strings.Builder
	for _, c := range t.Chars {
		if len(c.Char) != 1 {
			continue
		}
		sb.WriteString(c.Char)
		alts := []mrz.CharAlt{{Char: c.Char[0], Prob: c.Prob}}
		for _, a := range c.Alts {
			if len(a.Char) == 1 {
				alts = append(alts, mrz.CharAlt{Char: a.Char[0], Prob: a.Prob})
			}
		}
		l.Alts = append(l.Alts, alts)
	}
	l.Text = sb.String()
	return l
}

// mrzCharset is the recognizer restriction to the MRZ alphabet, made once
// per worker.
func (e *Engines) mrzCharset() *models.Charset {
	if e.mrzCS == nil {
		e.mrzCS = e.Rec.Charset(mrzChars)
	}
	return e.mrzCS
}
