package pipeline

import (
	"context"
	"image"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"docscan/geom"
	"docscan/models"
	"docscan/mrz"
)

// mrzChars is the MRZ alphabet: recognition is restricted to it.
const mrzChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"

// mrzLengths are the MRZ line lengths (TD1 and DL1, TD2 and MRV-B, TD3
// and MRV-A).
var mrzLengths = []int{30, 36, 44}

// MRZBuilder finds a machine readable zone and reads it:
//
//  1. seeds: text regions whose reading looks like an MRZ line;
//  2. a line model in the seed's frame (direction u, normal n): detector
//     fragments of one line (split at filler runs or glare) are merged, and
//     the lines parallel to the seed are collected by their offset along n;
//  3. groups of 2-3 neighbouring lines are given one common extent along u
//     (MRZ lines are equally long and left-aligned, so a line cut short by
//     the detector is restored) and re-read restricted to the MRZ alphabet
//     with per-character alternatives;
//  4. when a format needs more lines than were found (a line lost to glare
//     or a faint print), the missing line is read where the line pitch puts
//     it;
//  5. the check digits decide, through the repair of package mrz.
type MRZBuilder struct{}

// Kind implements Builder.
func (MRZBuilder) Kind() string { return "mrz" }

// mrzShape: long thin regions, MRZ lines or long fragments of them.
func mrzShape(q geom.Quad) bool {
	w, h := q.Width(), q.Height()
	return h >= 6 && w/h >= 5
}

// mrzSeedShape: a whole MRZ line (30-44 characters) is at least ten times
// as long as high.
func mrzSeedShape(q geom.Quad) bool {
	w, h := q.Width(), q.Height()
	return h >= 6 && w/h >= 10
}

// seedShape: the regions read to find a zone: whole MRZ lines, and half a
// TD1 line (the detector stops at filler runs), eight times as long as
// high.
func seedShape(q geom.Quad) bool {
	w, h := q.Width(), q.Height()
	return h >= 6 && w/h >= 8
}

// frame is a line coordinate system: origin O, unit direction U along the
// text and unit normal N across it (pointing to the following lines).
type frame struct{ O, U, N geom.Point }

func frameOf(q geom.Quad) frame {
	ux := (q[1][0] - q[0][0]) + (q[2][0] - q[3][0])
	uy := (q[1][1] - q[0][1]) + (q[2][1] - q[3][1])
	l := math.Hypot(ux, uy)
	if l == 0 {
		return frame{O: q[0], U: geom.Point{1, 0}, N: geom.Point{0, 1}}
	}
	ux, uy = ux/l, uy/l
	return frame{O: q[0], U: geom.Point{ux, uy}, N: geom.Point{-uy, ux}}
}

// line is a text line in a frame: extent [A0, A1] along U, centre P along N,
// height H.
type line struct {
	A0, A1, P, H float64
	text         string
	reg          *Region // the detector region, when the line is exactly one
}

func (f frame) project(q geom.Quad) line {
	a0, a1 := math.Inf(1), math.Inf(-1)
	var p float64
	for _, c := range q {
		dx, dy := c[0]-f.O[0], c[1]-f.O[1]
		a := dx*f.U[0] + dy*f.U[1]
		a0, a1 = math.Min(a0, a), math.Max(a1, a)
		p += (dx*f.N[0] + dy*f.N[1]) / 4
	}
	return line{A0: a0, A1: a1, P: p, H: q.Height()}
}

func (f frame) quad(l line) geom.Quad {
	pt := func(a, p float64) geom.Point {
		return geom.Point{f.O[0] + a*f.U[0] + p*f.N[0], f.O[1] + a*f.U[1] + p*f.N[1]}
	}
	return geom.Quad{pt(l.A0, l.P-l.H/2), pt(l.A1, l.P-l.H/2), pt(l.A1, l.P+l.H/2), pt(l.A0, l.P+l.H/2)}
}

// Build implements Builder.
func (b MRZBuilder) Build(ctx context.Context, s *Scene) ([]Record, error) {
	if validMRZ(s.Records) {
		return nil, nil // the texture search before the detector read it (Engines.Process)
	}
	best, f, err := b.search(ctx, s)
	if err != nil {
		return nil, err
	}
	if best == nil && !s.zonePass {
		// the detector may have cut the lines into pieces: chain them
		if best, f, err = b.chained(ctx, s); err != nil {
			return nil, err
		}
	}
	if best == nil && !s.zonePass {
		// no text region led to a zone: look for one by its texture
		if best, f, err = b.classical(ctx, s); err != nil {
			return nil, err
		}
	}
	if best == nil {
		return nil, nil
	}
	// An MRZ is valid or absent; a zone found but not validated (an
	// illegible character withdraws validity too) is still reported
	// (valid:false), but first the pipeline's finer pass may try.
	legible(best)
	rd := &mrzReader{s: s, f: f}
	if refusedFor(best.rec, "legible") && netVouchesLegible(best, rd.zoneCells(best)) {
		// the classifier is sure of each character the recognizer
		// barely saw, as read
		best.rec.Valid, best.rec.Checks["legible"] = true, true
		best.minP = max(best.minP, minLegible)
	}
	// the glyphs' heights and shapes may refuse the zone, which then asks
	// for the finer pass too
	pre, preLines, preValid := best, slices.Clone(best.rec.Lines), best.rec.Valid
	best = rd.glyphCheck(best)
	if best.rec.Valid {
		// the classifier on the cells the check digits vouch for
		zs := rd.zoneCells(best)
		changed := best != pre && preValid && pre.rec.Valid && slices.Equal(pre.rec.Lines, preLines) && !slices.Equal(best.rec.Lines, preLines)
		best = netOverrule(best, zs)
		if changed && !best.rec.Valid && netUndoes(zs, mrz.CharClasses(best.rec), preLines, best.rec.Lines) {
			// The glyphs' shapes exchanged characters no check digit
			// tells apart, and the classifier, which refused the
			// result, is sure of each character as first read (16F
			// made 1GF): two judges against one, the reading stands,
			// with the classifier's verdict on it.
			best = netOverrule(pre, rd.zoneCells(pre))
		}
	}
	if cellTap != nil {
		cellTap(best.rec.Lines, func(k int, text string) *cellGrid {
			if k < 0 || k >= len(best.lines) || k >= len(best.ts) {
				return nil
			}
			return rd.lineCells(best.lines[k], best.ts[k], text)
		})
	}
	if s.wantCells && best.rec.Valid {
		s.mrzCells = rd.zoneCells(best)
	}
	if !best.rec.Valid && !s.turned {
		s.wantFine = true
		z := zoneAround(f, best.lines)
		s.zone = &z
	}
	first, last := best.lines[0], best.lines[len(best.lines)-1]
	q := f.quad(line{A0: first.A0, A1: first.A1, P: (first.P + last.P) / 2, H: last.P - first.P + first.H})
	rq := roundQuad(q)
	qq := [4][2]float64{rq[0], rq[1], rq[2], rq[3]}
	best.rec.Quad = &qq
	return []Record{best.rec}, nil
}

// zoneAround is where a fine pass looks for the zone of lines ls (frame
// f): their lines may be pieces of longer ones (a quarter of their length
// more at either end) and a line may be missing (two line pitches more on
// either side).
func zoneAround(f frame, ls []line) geom.Quad {
	first, last := ls[0], ls[len(ls)-1]
	pitch := 1.5 * first.H
	if len(ls) > 1 {
		pitch = math.Abs(last.P-first.P) / float64(len(ls)-1)
	}
	a0, a1 := first.A0, first.A1
	for _, l := range ls {
		a0, a1 = math.Min(a0, l.A0), math.Max(a1, l.A1)
	}
	m := (a1 - a0) / 4
	top := math.Min(first.P-first.H/2, last.P-last.H/2) - 2*pitch
	bottom := math.Max(first.P+first.H/2, last.P+last.H/2) + 2*pitch
	return f.quad(line{A0: a0 - m, A1: a1 + m, P: (top + bottom) / 2, H: bottom - top})
}

// search reads seeds in order until a zone validates and returns the best
// zone found with its frame.
func (b MRZBuilder) search(ctx context.Context, s *Scene) (*group, frame, error) {
	return b.searchFrom(ctx, s, 0)
}

// searchFrom is search seeded only by the regions from index first on.
func (b MRZBuilder) searchFrom(ctx context.Context, s *Scene, first int) (*group, frame, error) {
	var best *group
	var bestFrame frame
	used := map[*Region]bool{} // regions already part of a tried line model
	for _, i := range seedOrder(s.Regions) {
		r := &s.Regions[i]
		if i < first || used[r] {
			continue
		}
		if ok, err := s.Read(ctx, i); err != nil {
			return nil, frame{}, err
		} else if !ok || r.MRZ == nil || !mrzLike(r.Text) {
			continue
		}
		f := frameOf(r.Quad)
		g, lines, err := b.fromSeed(ctx, s, f, r)
		if err != nil {
			return nil, frame{}, err
		}
		for _, l := range lines {
			if l.reg != nil {
				used[l.reg] = true
			}
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

// minLegible is the character probability below which a reading is not
// trusted: names and codes carry no check digit, so a character the
// recognizer barely saw could be wrong in a record the checks pass.
const minLegible = 0.25

// legible withdraws validity from a zone read with an illegible character.
func legible(g *group) {
	ok := g.minP >= minLegible
	g.rec.Checks["legible"] = ok
	if !ok {
		g.rec.Valid = false
	}
}

// seedOrder lists the regions shaped like MRZ lines (seedShape), most promising
// first: those with a parallel partner of similar length one line pitch
// away (MRZ lines come in twos and threes), then those at the edge of the
// text (the MRZ ends a document), then the longest. Reading stops
// at the first zone that validates, so this order is what keeps the number
// of recognized regions small.
func seedOrder(regs []Region) []int {
	var idx []int
	for i := range regs {
		if seedShape(regs[i].Quad) {
			idx = append(idx, i)
		}
	}
	score := make(map[int]float64, len(idx))
	for _, i := range idx {
		q := regs[i].Quad
		f := frameOf(q)
		me := f.project(q)
		sc := q.Width()
		// The MRZ is the last text of a document: few regions lie beyond
		// it on one side (the side is unknown before reading: take the
		// emptier one).
		var before, after int
		for j := range regs {
			if j == i {
				continue
			}
			l := f.project(regs[j].Quad)
			if l.A1 < me.A0 || l.A0 > me.A1 {
				continue
			}
			if l.P < me.P-me.H {
				before++
			} else if l.P > me.P+me.H {
				after++
			}
		}
		sc -= 1e4 * float64(min(before, after))
		for _, j := range idx {
			if j == i {
				continue
			}
			o := regs[j].Quad
			d := o.AxisAngleTo(q)
			if d > 5 {
				continue
			}
			l := f.project(o)
			dp := math.Abs(l.P - me.P)
			ratio := (l.A1 - l.A0) / (me.A1 - me.A0)
			if dp > 0.8*me.H && dp < 3*me.H && ratio > 0.8 && ratio < 1.25 && math.Abs(l.A0-me.A0) < 1.5*me.H {
				sc += 1e5 // a partner outranks any length
				break
			}
		}
		score[i] = sc
	}
	sort.SliceStable(idx, func(a, b int) bool { return score[idx[a]] > score[idx[b]] })
	return idx
}

// fromSeed builds the line model around a seed line and reads the best
// group of lines, completing missing lines when the best is not valid.
func (b MRZBuilder) fromSeed(ctx context.Context, s *Scene, f frame, seed *Region) (*group, []line, error) {
	lines, err := b.lineModel(ctx, f, s, seed)
	if err != nil || len(lines) == 0 {
		return nil, nil, err
	}
	rd := &mrzReader{s: s, f: f, cache: map[[4]int]lineReading{}}
	best, err := rd.bestGroup(ctx, lines)
	if err != nil {
		return nil, nil, err
	}
	// Not valid as detected: complete a missing line where the line pitch
	// puts it, then read lines the detector cut short over a full MRZ
	// line's length.
	for k, more := range []func(context.Context, []line) (*group, error){rd.complete, rd.extend} {
		if best != nil && best.rec.Valid || s.zonePass {
			break
		}
		if k == 0 && twoLineZone(best) {
			continue
		}
		base := lines
		if best != nil {
			base = best.lines
		}
		g, err := more(ctx, base)
		if err != nil {
			return nil, nil, err
		}
		if g != nil && (best == nil || g.score > best.score) {
			best = g
		}
	}
	// Tesseract reads the zone a second time only when PP-OCR's readings
	// did not validate: its alternatives join PP-OCR's per character.
	if best, err = rd.second(ctx, best); err != nil {
		return nil, nil, err
	}
	// A one-line zone (the driving licence's) read among two or more
	// MRZ-like lines is one line of a larger zone that did not validate:
	// its own check digit holding is chance.
	if best != nil && len(best.lines) == 1 && best.rec.Valid {
		n := 0
		for _, l := range lines {
			if mrzLike(l.text) {
				n++
			}
		}
		if n >= 2 {
			best.rec.Valid = false
			best.rec.Checks["single_line_zone"] = false
		}
	}
	return best, lines, nil
}

// twoLineZone reports whether g's lines were read as the two lines of a
// two-line format (a passport's, a TD2 card's, a visa's, the French
// card's): its zone has no third line to complete, and the search above
// and below (two recognitions of 44 characters' width, about 0.1 s each
// on a 12-megapixel photo) is spent where the lines are one, three, or
// a licence's line. Over the 300 synthetic scenes (their 79 such first
// readings that did not validate) completion never made a valid reading
// of one; extension does.
func twoLineZone(g *group) bool {
	if g == nil || len(g.lines) != 2 {
		return false
	}
	switch g.rec.Format {
	case mrz.FormatTD2, mrz.FormatTD3, mrz.FormatMRVA, mrz.FormatMRVB, mrz.FormatFRAID, mrz.FormatSVKID:
		return true
	}
	return false
}

// lineModel collects the lines parallel to the seed and near it, merging
// fragments of one line, ordered along N.
func (MRZBuilder) lineModel(ctx context.Context, f frame, s *Scene, seed *Region) ([]line, error) {
	h := seed.Quad.Height()
	seedP := f.project(seed.Quad).P
	seedW := seed.Quad.Width()
	// The seed's pitch from its reading (CTC merges filler runs: an
	// upper bound) gives how far its line may reach.
	reach := 5 * h
	if n := len(strings.ReplaceAll(seed.Text, " ", "")); n > 0 {
		reach = math.Max(reach, 45*seedW/float64(n)-seedW)
	}
	// MRZ lines are at most two line pitches (~1.5 heights each) from the
	// seed; text further away is not read.
	var frags []line
	for i := range s.Regions {
		r := &s.Regions[i]
		q := r.Quad
		d := q.AxisAngleTo(seed.Quad) // a line not yet turned the way the seed was
		if d > 6 || q.Height() < 0.5*h || q.Height() > 1.6*h {
			continue
		}
		l := f.project(q)
		// A fragment of the seed's line or of its neighbours may lie
		// beyond the seed's ends, up to a whole TD3 line's length from
		// them (the detector skips faint print and filler runs).
		if math.Abs(l.P-seedP) > 3.2*h || l.A1 < -reach || l.A0 > seedW+reach {
			continue
		}
		if ok, err := s.Read(ctx, i); err != nil {
			return nil, err
		} else if !ok {
			continue
		}
		l = f.project(r.Quad) // reading may have turned it
		l.reg, l.text = r, r.Text
		frags = append(frags, l)
	}
	sort.Slice(frags, func(i, j int) bool { return frags[i].P < frags[j].P })
	// Merge fragments whose centres lie within half a line height.
	var lines []line
	for _, l := range frags {
		if n := len(lines); n > 0 && math.Abs(lines[n-1].P-l.P) < 0.5*h {
			m := &lines[n-1]
			m.A0, m.A1 = math.Min(m.A0, l.A0), math.Max(m.A1, l.A1)
			m.H = math.Max(m.H, l.H)
			m.text += l.text
			m.reg = nil
			continue
		}
		lines = append(lines, l)
	}
	// Keep lines that look like MRZ lines or pieces of them, plus the
	// seed's own, and a line between two kept ones at the line pitch (a
	// TD1 data line's first half has neither fillers nor twenty
	// characters).
	keep := make([]bool, len(lines))
	for k, l := range lines {
		keep[k] = mrzLike(l.text) || mrzFragment(l.text) || mrzData(l.text) || math.Abs(l.P-seedP) < 0.5*h
	}
	out := lines[:0]
	for k, l := range lines {
		if !keep[k] && k > 0 && k+1 < len(lines) && keep[k-1] && keep[k+1] && regular(lines[k-1:k+2]) {
			keep[k] = true
		}
		if keep[k] {
			out = append(out, l)
		}
	}
	return out, nil
}

// mrzData: a piece of an MRZ data line: MRZ characters only, ten or more,
// at least half of them digits (dates and numbers).
func mrzData(text string) bool {
	t := strings.ReplaceAll(text, " ", "")
	if len(t) < 10 {
		return false
	}
	digits := 0
	for _, c := range t {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c >= 'A' && c <= 'Z', c == '<', c == '«':
		default:
			return false
		}
	}
	return 2*digits >= len(t)
}

// group is a candidate reading of consecutive lines.
type group struct {
	lines []line
	rec   *mrz.Record
	score float64
	minP  float64 // lowest character probability of the reading used
	// doubts are the cells of the record's characters that make it
	// illegible where Tesseract was asked (confirmAt): read under
	// minLegible and not confirmed, or read otherwise by Tesseract
	doubts []glyphHit
	in     []mrz.Line // the reading the record was repaired from
	// ts are the greedy readings of the lines (their characters' places
	// along each line).
	ts []models.Text
	// collision lists the characters whose exchange for their partners
	// of the other class gives another valid zone (checks.
	// check_digit_collision).
	collision []glyphHit
	// collisionTo is the partner each character of collision is
	// exchanged for.
	collisionTo map[glyphHit]byte
}

// cellTap, when set (only by the OCR-B cell classifier's sample
// collection, TestCollectOCRBCells), is handed each zone the MRZ builder
// reports: the lines read and a function placing line k's cells for a
// given text (the truth, which the collection knows).
var cellTap func(read []string, cells func(k int, text string) *cellGrid)

type mrzReader struct {
	s     *Scene
	f     frame
	cache map[[4]int]lineReading // readings by line geometry
	// the cells last cut (zoneCells) and the zone they were cut for
	cells   *zoneShapes
	cellsOf *group
}

// read tries the lines as the detector read them (when each is one
// region), and re-read with one common extent, greedy and in fixed-pitch
// cells; the best repair wins.
func (rd *mrzReader) read(ctx context.Context, ls []line) (*group, error) {
	var all []*group
	keep := func(g *group) {
		if g != nil {
			all = append(all, g)
		}
	}
	best := func() *group {
		var b *group
		for _, g := range all {
			if b == nil || g.score > b.score {
				b = g
			}
		}
		return b
	}
	// printed: valid without a correction, legible: no reading can do
	// better, and each further one costs an inference per line.
	printed := func(g *group) bool {
		return g != nil && g.rec.Valid && len(g.rec.Corrections) == 0 && g.minP >= minLegible
	}
	a0, a1 := math.Inf(1), math.Inf(-1)
	for _, l := range ls {
		a0, a1 = math.Min(a0, l.A0), math.Max(a1, l.A1)
	}
	asDetected, aligned := true, true
	for _, l := range ls {
		asDetected = asDetected && l.reg != nil && l.reg.MRZ != nil
		aligned = aligned && l.A0-a0 < 0.3*l.H && a1-l.A1 < 0.3*l.H
	}
	if asDetected {
		rs := make([]lineReading, len(ls))
		for k, l := range ls {
			rs[k] = lineReading{greedy: *l.reg.MRZ, cells: l.reg.MRZCells}
		}
		g := rd.variants(ls, rs, keep)
		if printed(g) {
			return g, nil
		}
		if aligned {
			// The detector's crops already span the common extent.
			disagreeing(all)
			return best(), nil
		}
	}
	common := make([]line, len(ls))
	rs := make([]lineReading, len(ls))
	for k, l := range ls {
		l.A0, l.A1 = a0, a1
		common[k] = l
		rl, err := rd.readLine(ctx, l)
		if err != nil {
			return nil, err
		}
		rs[k] = rl
	}
	rd.variants(common, rs, keep)
	disagreeing(all)
	return best(), nil
}

// variants decides the greedy readings of the lines (when evenly spaced)
// and their fixed-pitch cell readings, and returns the greedy group.
func (rd *mrzReader) variants(ls []line, rs []lineReading, keep func(*group)) *group {
	greedy := make([]mrz.Line, len(ls))
	var lens []int
	spaced := true
	for k, r := range rs {
		greedy[k] = ocrLine(r.greedy)
		lens = append(lens, len(r.greedy.Chars))
		spaced = spaced && evenlySpaced(r.greedy)
	}
	ts, texts := greedyOf(rs)
	var g, trusted *group
	if spaced {
		g = decide(ls, greedy, ts)
		if pitchCheck(g, ts) && !resized(g) {
			trusted = g
		}
		keep(g)
	}
	// The fixed-pitch cells for the length the readings suggest, and for
	// the other two-line length: CTC merges filler runs, so a TD3 reading
	// can count as few characters as a TD2 one.
	n := mrzLength(lens)
	ns := []int{n}
	if len(ls) == 2 && n == 36 {
		ns = append(ns, 44)
	} else if len(ls) == 2 && n == 44 {
		ns = append(ns, 36)
	}
	for _, n := range ns {
		if n == 0 {
			continue
		}
		cells := make([]mrz.Line, len(ls))
		for k, r := range rs {
			cells[k] = ocrLine(r.cells[n])
		}
		c := decide(ls, cells, ts)
		agreeCheck(c, trusted)
		doubledCheck(c, texts)
		// cells cut at a pitch estimated from the ends: where that is off
		// (a dropped letter at an end), a cell takes its neighbour's letter
		// (JOHNSN<< for JOHNSON<); the letters must sit where the greedy
		// reading saw them
		pitchCheck(c, ts)
		if trusted == nil {
			resizedCheck(g, c)
		}
		keep(c)
	}
	return g
}

// evenlySpaced reports whether a greedy reading keeps the fixed pitch of
// MRZ print: a gap of more than 1.6 pitches between two letters or digits
// means the recognizer dropped a character there (names have no check
// digit to catch it), and the fixed-pitch cell reading must be used.
// Gaps after fillers are normal: CTC merges repeated '<' and places the
// run at its start. So the step from a letter or digit to the filler
// after it is one pitch, and a longer one is letters lost before a run
// (URSU<< for URSULA<<, three pitches).
func evenlySpaced(t models.Text) bool {
	if len(t.Chars) < 3 {
		return true
	}
	// Pitch from the text's own span is biased by merged filler runs;
	// use the median distance between neighbouring letters and digits.
	ds := steps(t, 1)
	if len(ds) < 2 {
		return true
	}
	sort.Float64s(ds)
	pitch := ds[len(ds)/2]
	for _, d := range append(ds, runSteps(t)...) {
		if d > 1.6*pitch {
			return false
		}
	}
	return true
}

// runSteps are the distances from each letter or digit followed by a
// filler to that filler's centre, in units of the crop width.
func runSteps(t models.Text) []float64 {
	var ds []float64
	for i := 1; i < len(t.Chars); i++ {
		if a, b := t.Chars[i-1], t.Chars[i]; b.Char == "<" && a.Char != "<" {
			ds = append(ds, (b.X0+b.X1)/2-(a.X0+a.X1)/2)
		}
	}
	return ds
}

// steps are the distances between the centres of neighbouring letters and
// digits of a reading (fillers aside: CTC merges their runs), in units of
// the crop width times scale.
func steps(t models.Text, scale float64) []float64 {
	var ds []float64
	for i := 1; i < len(t.Chars); i++ {
		if t.Chars[i].Char != "<" && t.Chars[i-1].Char != "<" {
			a, b := t.Chars[i-1], t.Chars[i]
			ds = append(ds, ((b.X0+b.X1)/2-(a.X0+a.X1)/2)*scale)
		}
	}
	return ds
}

// mrzLength is the line length of the MRZ format closest to the lengths
// read (0 when they are far from every format).
func mrzLength(lens []int) int {
	if len(lens) == 0 {
		return 0
	}
	var sum float64
	for _, l := range lens {
		sum += float64(l)
	}
	mean := sum / float64(len(lens))
	best, bestD := 0, 5.0
	for _, n := range mrzLengths {
		if d := math.Abs(mean - float64(n)); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// maxUnverified is the most corrections a valid reading may need where no
// check digit verifies them; maxPerCheck the most within the span of one
// check digit (the composite aside): a search over many candidate
// corrections finds one that a single digit accepts by chance.
const (
	maxUnverified = 3
	maxPerCheck   = 2
)

// failedDigitCost is what a reading whose check digits all fail loses in
// score against one whose digits hold (corrections cost 0.03 each).
const failedDigitCost = 0.3

// decide runs the MRZ repair on one reading of the lines. Among readings,
// valid ones win, then those that needed fewer corrections.
func decide(ls []line, in []mrz.Line, ts []models.Text) *group {
	rec, err := mrz.ReadOCR(in, mrz.Options{OwnCollisions: true})
	if err != nil || rec == nil {
		return nil
	}
	// Corrections no check digit verifies (names, codes, states) are the
	// repair's guesses (a digit in a state code that the ICAO list then
	// recognizes aside: the type forced it, the list vouches), and many corrections under one check digit are a
	// lottery the search wins by chance (nine turned a TD2 data line into
	// a DL1 zone): such readings are not valid.
	if rec.Valid {
		if ck := mrz.CheckedPositions(rec); ck != nil {
			n := 0
			for _, c := range rec.Corrections {
				if l, col := c.Line-1, c.Column-1; l >= 0 && l < len(ck) && col >= 0 && col < len(ck[l]) && !ck[l][col] && !mrz.ListedState(rec, c) {
					n++
				}
			}
			if n > maxUnverified || mrz.MaxCheckedCorrections(rec) > maxPerCheck {
				rec.Valid = false
				rec.Checks["corrections"] = false
			}
		}
	}
	// Two exchanges of O and 0 (or another letter and digit) the
	// recognizer was unsure of can cancel in a check digit.
	var collision []glyphHit
	var collisionTo map[glyphHit]byte
	if rec.Valid {
		if collision, collisionTo = swapAmbiguous(rec, in); collision != nil {
			rec.Valid = false
			rec.Checks["check_digit_collision"] = false
		}
	}
	// after the limits on corrections: the fillers are not the search's
	rec = dl1Fillers(rec)
	rec = nameSeparator(rec)
	rec = fillersAfterName(rec)
	if rec.Valid && emptyPrimary(rec) {
		rec.Valid = false
		rec.Checks["primary_identifier"] = false
	}
	if rec.Valid && kFillers(rec.Lines) {
		rec.Valid = false
		rec.Checks["fillers"] = false
	}
	if rec.Valid && !mrz.NamesShaped(rec) {
		rec.Valid = false
		rec.Checks["names_structure"] = false
	}
	g := &group{lines: ls, rec: rec, score: rec.Confidence + float64(len(ls))*0.01 - 0.03*float64(len(rec.Corrections)), minP: 1, in: in, ts: ts, collision: collision, collisionTo: collisionTo}
	// Of readings none of which validates, one whose check digits hold
	// is nearer the print than one whose digits fail (WOLF<<MAX refused
	// only as ambiguous against a shifted NN2I6 failing two of four):
	// the share of check digits failing costs up to failedDigitCost.
	if f, n := mrz.CheckDigits(rec); n > 0 {
		g.score -= failedDigitCost * float64(f) / float64(n)
	}
	for _, l := range in {
		for _, a := range l.Alts {
			// Filler runs are long and uniform; their cells at run ends
			// are often split between two steps: judge letters and digits.
			if len(a) > 0 && a[0].Char != '<' && a[0].Prob < g.minP {
				g.minP = a[0].Prob
			}
		}
	}
	if rec.Valid {
		g.score += 10
	}
	return g
}

// kFillers reports whether a line holds a run of K and '<' with three K or
// more: fillers read as K (the recognizer's likeliest confusion of '<' on
// small or blurred print), which no check digit sees (K and '<' differ by
// 20 in the weighted sum). No name has three K in a row (HEIKKI<<, MARK<<
// KAREN have two), and a document number of random letters seldom. The
// same holds for C, the shape of '<' blurred across (a name's filler run
// read JOHNKCC<CCCCCCCCCC<C<CCC on a blurred synthetic passport whose
// checked fields two misreads left valid; MACCARTHY has two).
func kFillers(lines []string) bool {
	for _, l := range lines {
		for _, x := range []byte{'K', 'C'} {
			k := 0
			for i := 0; i < len(l); i++ {
				switch l[i] {
				case x:
					if k++; k >= 3 {
						return true
					}
				case '<':
				default:
					k = 0
				}
			}
		}
	}
	return false
}

// dl1Fillers turns a run of up to three K ending the French one-line
// licence MRZ's surname field (columns 22-29) after a letter into fillers:
// the recognizer reads '<' as K often, no check digit sees the exchange (K
// and '<' differ by 20 in the weighted sum), and a surname that fills the
// field to its end with a K is rare (DUBOISKK is DUBOIS<<, RICHARDK is
// RICHARD<). So is a K standing apart after the surname, a filler before
// it and only fillers or K after it (DAVID<K<, a false accept on a
// licence photographed through a camera, is DAVID<<<; NOWAK<<< keeps its
// K, which ends the name).
func dl1Fillers(rec *mrz.Record) *mrz.Record {
	if rec.Format != mrz.FormatDL1 || len(rec.Lines) != 1 || len(rec.Lines[0]) != 30 || !strings.HasPrefix(rec.Lines[0], "D1FRA") {
		return rec
	}
	b := []byte(rec.Lines[0])
	var fixed []mrz.Correction
	fill := func(i int) {
		b[i] = '<'
		fixed = append(fixed, mrz.Correction{Line: 1, Column: i + 1, From: "K", To: "<"})
	}
	k := 29
	for k > 21 && b[k-1] == 'K' {
		k--
	}
	if n := 29 - k; n > 0 && n <= 3 && k > 21 && b[k-1] >= 'A' && b[k-1] <= 'Z' {
		for i := k; i < 29; i++ {
			fill(i)
		}
	}
	// a K apart: after a filler that follows the name's letters, with
	// only fillers and K to the field's end
	for i := 23; i < 29; i++ {
		if b[i] == 'K' && b[i-1] == '<' && b[i-2] >= 'A' && b[i-2] <= 'Z' && strings.Trim(string(b[i:29]), "K<") == "" {
			for j := i; j < 29; j++ {
				if b[j] == 'K' {
					fill(j)
				}
			}
			break
		}
	}
	if len(fixed) == 0 {
		return rec
	}
	if r := reparsed(rec, []string{string(b)}, fixed...); r != nil && r.Valid == rec.Valid {
		return r
	}
	return rec
}

// reparsed is rec's zone read as lines instead: parsed anew, with fixed
// added to rec's corrections and rec's confidence; nil where lines do not
// parse.
func reparsed(rec *mrz.Record, lines []string, fixed ...mrz.Correction) *mrz.Record {
	r, err := mrz.Parse(lines, mrz.Options{})
	if err != nil || r == nil {
		return nil
	}
	r.Corrections = append(append([]mrz.Correction(nil), rec.Corrections...), fixed...)
	r.Confidence = rec.Confidence
	return r
}

// fillersAfterName writes as fillers the K and C standing after a run of
// three fillers or more in a valid reading's names field where nothing
// but K, C and fillers follows to the field's end: ICAO 9303-3 ends the
// names there (no name part follows three fillers), and K and C are the
// recognizer's readings of a blurred filler, which no check digit sees
// (P<CZERICHTER<<JOHN<<<<<<<<CCC<<<<<<<<<<CC<<< on a blurred synthetic
// passport, every check digit holding). A letter after a double filler
// (JOHNKC<<C<<<CCCC) stays as read, and mrz.NamesShaped refuses it: two
// separators are no name's shape either, and the letters there may be a
// name part. Applied after the limits on corrections, as the fillers of
// a French licence's surname are.
func fillersAfterName(rec *mrz.Record) *mrz.Record {
	li, start, end, ok := mrz.NamesField(rec)
	if !ok || !rec.Valid {
		return rec
	}
	row := []byte(rec.Lines[li])
	at, run := -1, 0
	for c := start; c < end; c++ {
		switch {
		case row[c] == '<':
			run++
		case run >= 3 && (row[c] == 'K' || row[c] == 'C'):
			at = c
		default:
			run = 0
		}
		if at >= 0 {
			break
		}
	}
	if at < 0 || strings.Trim(string(row[at:end]), "KC<") != "" {
		return rec
	}
	var fixed []mrz.Correction
	for c := at; c < end; c++ {
		if row[c] != '<' {
			fixed = append(fixed, mrz.Correction{Line: li + 1, Column: c + 1, From: string(row[c]), To: "<"})
			row[c] = '<'
		}
	}
	lines := append([]string(nil), rec.Lines...)
	lines[li] = string(row)
	if r := reparsed(rec, lines, fixed...); r != nil && r.Valid {
		return r
	}
	return rec
}

// nameSeparator restores the separator of the primary and secondary
// identifiers in a names field read without one. ICAO 9303-3 truncates
// the given names first and keeps the "<<", so a field holds it unless a
// surname alone fills it to its end; a field without it whose one 'K'
// right after a filler would make it is the separator's second filler
// misread (the recognizer's likeliest confusion of '<', which no check
// digit sees: LEUTHEUSSER<SCHNARRENBERGER<KP for ...<<P). With two such K
// neither is taken.
func nameSeparator(rec *mrz.Record) *mrz.Record {
	li, start, end, ok := mrz.NamesField(rec)
	if !ok || !rec.Valid {
		return rec
	}
	row := []byte(rec.Lines[li])
	f := row[start:end]
	if strings.Contains(string(f), "<<") {
		return rec
	}
	at := -1
	for c := 1; c < len(f); c++ {
		if f[c] == 'K' && f[c-1] == '<' {
			if at >= 0 {
				return rec
			}
			at = c
		}
	}
	if at < 0 {
		return rec
	}
	f[at] = '<'
	lines := append([]string(nil), rec.Lines...)
	lines[li] = string(row)
	if r := reparsed(rec, lines, mrz.Correction{Line: li + 1, Column: start + at + 1, From: "K", To: "<"}); r != nil && r.Valid == rec.Valid {
		return r
	}
	return rec
}

// emptyPrimary reports whether rec's names field starts with a filler: no
// primary identifier (ICAO 9303-3 puts a name of one part there, never in
// the secondary identifier alone). Read so, a short surname was lost
// (O<<LUKAS read <<LUKAS, the line's cells shifted by one), which no check
// digit sees.
func emptyPrimary(rec *mrz.Record) bool {
	li, start, end, ok := mrz.NamesField(rec)
	return ok && end > start && rec.Lines[li][start] == '<'
}

// lineReading is one line read greedily and in fixed-pitch cells per MRZ
// line length.
type lineReading struct {
	greedy models.Text
	cells  map[int]models.Text
}

// readLine recognizes a line restricted to the MRZ alphabet, once per
// geometry.
func (rd *mrzReader) readLine(ctx context.Context, l line) (lineReading, error) {
	key := [4]int{int(math.Round(l.A0)), int(math.Round(l.A1)), int(math.Round(l.P)), int(math.Round(l.H))}
	if t, ok := rd.cache[key]; ok {
		return t, nil
	}
	q := rd.f.quad(l)
	if t, ok := rd.s.lineReads[q]; ok {
		rd.cache[key] = t
		return t, nil
	}
	crop, err := rd.s.Eng.LineCrop(rd.s.Frame, q)
	if err != nil {
		return lineReading{}, nil
	}
	t0 := time.Now()
	o, err := rd.s.Eng.Rec.Infer(ctx, crop)
	rd.s.tOCR += time.Since(t0) // recognition is the ocr stage, wherever it runs
	if err != nil {
		return lineReading{}, err
	}
	rl := lineReading{greedy: o.Greedy(rd.s.Eng.mrzCharset()), cells: map[int]models.Text{}}
	for _, n := range mrzLengths {
		rl.cells[n] = o.Cells(rd.s.Eng.mrzCharset(), rl.greedy, n)
	}
	o.Release()
	rd.cache[key] = rl
	if rd.s.lineReads != nil {
		rd.s.lineReads[q] = rl
	}
	return rl, nil
}

// bestGroup tries runs of 3, 2 and 1 consecutive, regularly spaced lines.
func (rd *mrzReader) bestGroup(ctx context.Context, lines []line) (*group, error) {
	var best *group
	for n := min(3, len(lines)); n >= 1; n-- {
		for i := 0; i+n <= len(lines); i++ {
			ls := lines[i : i+n]
			if !regular(ls) {
				continue
			}
			g, err := rd.read(ctx, ls)
			if err != nil {
				return nil, err
			}
			if g != nil && (best == nil || g.score > best.score) {
				best = g
			}
		}
		if best != nil && best.rec.Valid {
			break
		}
	}
	return best, nil
}

// regular: consecutive lines a similar, plausible pitch apart.
func regular(ls []line) bool {
	for k := 1; k < len(ls); k++ {
		d := ls[k].P - ls[k-1].P
		if d < 0.8*ls[0].H || d > 3*ls[0].H {
			return false
		}
		if k > 1 && math.Abs(d-(ls[1].P-ls[0].P)) > 0.35*d {
			return false
		}
	}
	return true
}

// complete reads the lines a format needs but the detector missed, at the
// line pitch above or below the lines found (at most three lines in all).
func (rd *mrzReader) complete(ctx context.Context, found []line) (*group, error) {
	n := len(found)
	if n == 0 || n >= 3 {
		return nil, nil
	}
	if n > 1 && !regular(found) {
		found = found[:1]
		n = 1
	}
	first, last := found[0], found[n-1]
	above, okA := rd.locate(first, -1)
	below, okB := rd.locate(last, +1)
	var tries [][]line
	if okA {
		tries = append(tries, append([]line{above}, found...))
	}
	if okB {
		tries = append(tries, append(append([]line{}, found...), below))
	}
	if n == 1 && okA && okB {
		tries = append(tries, []line{above, first, below})
	}
	if n == 1 && okA {
		if a2, ok := rd.locate(above, -1); ok {
			tries = append(tries, []line{a2, above, first})
		}
	}
	if n == 1 && okB {
		if b2, ok := rd.locate(below, +1); ok {
			tries = append(tries, []line{first, below, b2})
		}
	}
	var best *group
	for _, ls := range tries {
		if !rd.plausible(ctx, ls) {
			continue
		}
		cand, err := rd.read(ctx, ls)
		if err != nil {
			return nil, err
		}
		if cand != nil && cand.rec.Valid && (best == nil || cand.score > best.score) {
			best = cand
		}
	}
	return best, nil
}

// extend re-reads lines the detector stopped short (at a long filler run
// or faint print) over the full length of an MRZ line: the print has a
// fixed pitch, measured between neighbouring letters and digits of the
// lines' readings, and a known count of characters per format. A line
// that starts with a document code is extended to the right; otherwise
// also to the left. It returns the best valid group (nil: none).
func (rd *mrzReader) extend(ctx context.Context, ls []line) (*group, error) {
	if len(ls) == 0 || len(ls) > 3 {
		return nil, nil
	}
	a0, a1 := math.Inf(1), math.Inf(-1)
	for _, l := range ls {
		a0, a1 = math.Min(a0, l.A0), math.Max(a1, l.A1)
	}
	span := a1 - a0
	var ds []float64
	code := false
	for k, l := range ls {
		l.A0, l.A1, l.reg = a0, a1, nil
		r, err := rd.readLine(ctx, l)
		if err != nil {
			return nil, err
		}
		cs := r.greedy.Chars
		ds = append(ds, steps(r.greedy, span)...)
		if k == 0 && len(cs) > 1 && strings.Contains("ACIPVD", cs[0].Char) {
			code = true
		}
	}
	if len(ds) < 4 {
		return nil, nil
	}
	pitch := runPitch(ds)
	if pitch <= 0 {
		return nil, nil
	}
	var lengths []int
	switch len(ls) {
	case 3:
		lengths = []int{30}
	case 2:
		lengths = []int{44, 36}
	default:
		lengths = []int{30}
	}
	var best *group
	for _, n := range lengths {
		full := float64(n+2) * pitch // a pitch of margin each side
		if full < 1.1*span || full > 4*span {
			continue // nothing to add, or a pitch the fragment cannot give
		}
		starts := []float64{a0 - pitch}
		if !code {
			starts = append(starts, a1+pitch-full)
		}
		for _, s0 := range starts {
			ext := make([]line, len(ls))
			cells := make([]mrz.Line, len(ls))
			greedy := make([]mrz.Line, len(ls))
			rs := make([]lineReading, len(ls))
			spaced := true
			for k, l := range ls {
				l.A0, l.A1, l.reg = s0, s0+full, nil
				ext[k] = l
				r, err := rd.readLine(ctx, l)
				if err != nil {
					return nil, err
				}
				cells[k], greedy[k], rs[k] = ocrLine(r.cells[n]), ocrLine(r.greedy), r
				spaced = spaced && evenlySpaced(r.greedy)
			}
			// The greedy reading counts unless a gap in it shows a
			// dropped character; the two must not contradict each other.
			ts, texts := greedyOf(rs)
			gc := decide(ext, cells, ts)
			doubledCheck(gc, texts)
			pitchCheck(gc, ts)
			cands := []*group{gc}
			if spaced {
				gg := decide(ext, greedy, ts)
				pitchCheck(gg, ts)
				if gg != nil {
					cands = append(cands, gg)
				}
			}
			if cands[0] == nil {
				cands = cands[1:]
			}
			disagreeing(cands)
			for _, g := range cands {
				if g.rec.Valid && (best == nil || g.score > best.score) {
					best = g
				}
			}
		}
	}
	return best, nil
}

// runPitch is the pitch to extend a line by, from the steps between
// neighbouring letters and digits: the larger of their median and their
// mean (gaps of a dropped character, over 1.6 median steps, and doubled
// readings, under half of one, left out). The recognizer places
// characters on a coarse grid of time steps, so single steps come in two
// sizes and the median is one of them, off by up to a step's share of the
// pitch; within runs the steps add up to the run's length, which the mean
// keeps. Neither is right every time on the 300 synthetic scenes (a TD1
// line turned 98 degrees extended by its median to 27 characters of 30,
// by its mean to 30; a TD3 line by its mean to too few), and a pitch too
// long costs only paper beyond the line's ends, where one too short cuts
// the line: the larger is taken.
func runPitch(ds []float64) float64 {
	if len(ds) == 0 {
		return 0
	}
	m := median(ds)
	var sum float64
	n := 0
	for _, d := range ds {
		if d >= 0.5*m && d <= 1.6*m {
			sum += d
			n++
		}
	}
	if n == 0 {
		return m
	}
	return max(m, sum/float64(n))
}

// locate finds the text line next to l on side dir (-1 above, +1 below):
// in a band from 0.7 to 3 line heights away it takes the rows with the most
// horizontal gradient energy (text strokes), smoothed over half a line.
func (rd *mrzReader) locate(l line, dir float64) (line, bool) {
	const bw = 512 // band width in pixels
	near, far := 0.7*l.H, 3.0*l.H
	band := l
	band.reg = nil
	band.P = l.P + dir*(near+far)/2
	band.H = far - near
	scale := float64(bw) / (l.A1 - l.A0) // band pixels per image pixel
	bh := int(math.Round(band.H * scale))
	if bh < 8 || l.A1 <= l.A0 {
		return line{}, false
	}
	img, err := rd.s.Frame.Warp(rd.f.quad(band), bw, bh, true)
	if err != nil {
		return line{}, false
	}
	g, ok := img.(*image.Gray)
	if !ok {
		return line{}, false
	}
	energy := make([]float64, bh)
	for y := 0; y < bh; y++ {
		row := g.Pix[y*g.Stride : y*g.Stride+bw]
		var e float64
		for x := 1; x < bw; x++ {
			d := int(row[x]) - int(row[x-1])
			if d < 0 {
				d = -d
			}
			e += float64(d)
		}
		energy[y] = e
	}
	win := max(1, int(0.5*l.H*scale))
	bestY, bestE := -1, 0.0
	for y := 0; y+win <= bh; y++ {
		var e float64
		for k := y; k < y+win; k++ {
			e += energy[k]
		}
		if e > bestE {
			bestY, bestE = y, e
		}
	}
	if bestY < 0 {
		return line{}, false
	}
	centre := (float64(bestY) + float64(win)/2) / scale // from the band's top edge
	out := l
	out.reg = nil
	out.P = band.P - band.H/2 + centre
	return out, true
}

// plausible reports whether every line added by completion reads like an
// MRZ line on its own (fillers or data-line digits): a line of a format
// without check digits must not be invented from background or glare.
func (rd *mrzReader) plausible(ctx context.Context, ls []line) bool {
	for _, l := range ls {
		if l.reg != nil {
			continue
		}
		t, err := rd.readLine(ctx, l)
		if err != nil || !mrzLike(t.greedy.Text) {
			return false
		}
	}
	return true
}

// mrzLike: mostly MRZ characters, long, upper case, and either filler signs
// or the digit density of an MRZ data line.
func mrzLike(text string) bool {
	t := strings.ReplaceAll(text, " ", "")
	n := len([]rune(t))
	if n < 12 {
		return false
	}
	in, digits := 0, 0
	for _, c := range t {
		switch {
		case c >= 'A' && c <= 'Z', c == '<', c == '«':
			in++
		case c >= '0' && c <= '9':
			in++
			digits++
		}
	}
	fillers := strings.Count(t, "<") + strings.Count(t, "«")
	return float64(in) >= 0.9*float64(n) && (fillers >= 2 || (n >= 20 && digits >= 8))
}

// mrzFragment: a piece of an MRZ line (the detector splits lines at long
// filler runs or glare): MRZ characters only, with a filler sign. A run
// of fillers alone in its region may be read turned over, as '>' (the
// orientation of a row of chevrons is not to be told from it): a piece
// too (PDJPNGARCIA< and >>>>>>>>>>>>>> of one TD3 line).
func mrzFragment(text string) bool {
	t := strings.ReplaceAll(text, " ", "")
	if len(t) < 4 || !strings.ContainsAny(t, "<«>") {
		return false
	}
	for _, c := range t {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '<' || c == '«' || c == '>') {
			return false
		}
	}
	return true
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
