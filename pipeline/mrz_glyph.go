package pipeline

import (
	"image"
	"math"
	"sort"
	"strings"

	"docscan/models"
	"docscan/mrz"
)

// ocrbTops are how high the ink of OCR-B's letters and digits rises above
// the baseline, in units of its advance (the print pitch), at half
// coverage: OCR-B's digits stand about 7% taller than its capitals (0
// rises 1.069 pitches, O 0.997). Made from fonts-ocr-b with
// synth.InkExtent; TestOCRBTops checks the table against the font. Real
// passports and ID cards keep the proportion: their known digits measured
// 6-11% taller than their known letters on the 18 document photos of
// ../shared/data.
var ocrbTops = map[byte]float64{
	'A': 0.977, 'B': 0.969, 'C': 0.990, 'D': 0.969, 'E': 0.969, 'F': 0.969, 'G': 0.990,
	'H': 0.986, 'I': 0.969, 'J': 0.986, 'K': 0.986, 'L': 0.986, 'M': 0.986, 'N': 0.986,
	'O': 0.997, 'P': 0.969, 'Q': 0.990, 'R': 0.969, 'S': 0.990, 'T': 0.969, 'U': 0.986,
	'V': 0.986, 'W': 0.986, 'X': 0.986, 'Y': 0.986, 'Z': 0.969,
	'0': 1.069, '1': 1.063, '2': 1.069, '3': 1.048, '4': 1.063, '5': 1.048, '6': 1.063,
	'7': 1.048, '8': 1.069, '9': 1.069,
}

// Glyph height check thresholds (heights relative to the expected one):
// a character is taken for its partner of the other class when it measures
// nearer the partner and off its own glyph's heights by glyphMinOff, or
// glyphSigmas times their spread if more, but not beyond the partner by
// more than glyphBeyond of their difference (a failed measurement). A zone
// whose spread asks for more than glyphMaxOff is not judged (a photo too
// blurred or small to tell 7%), nor one with fewer than glyphMinKnown
// characters of known class measured more than once; the glyphEdge
// characters at either end of a line are not judged (their neighbours lie
// on one side only). The values keep the 186 right zones of the synthetic
// set and the 18 zones of the real photos unjudged (session 7).
const (
	glyphHalfWidth = 0.36 // of a pitch: OCR-B's widest glyphs are 0.69 pitches wide
	glyphMinOff    = 0.02
	glyphSigmas    = 4.0
	glyphMaxOff    = 0.05
	glyphBeyond    = 0.7
	glyphMinKnown  = 4
	glyphEdge      = 2
	// glyphNeighbours characters on either side give a character's local
	// scale where the line has too few of known class; glyphImplausible is
	// the relative height beyond which a measurement is taken for a failure.
	glyphNeighbours  = 4
	glyphImplausible = 0.2
)

// glyphCheck judges a zone by the heights of its characters, measured
// once. A valid zone where a character of a document number or optional
// data (letters and digits both allowed) has the height of the other class
// (PP-OCR reads OCR-B's O as 0, and C, D, Q as 0, with confidence; such
// exchanges can keep every check digit) is read again with that cell's
// partners of the other class as the likelier readings; the new reading is
// taken when it is valid, legible and keeps the heights, otherwise the
// zone is refused (checks.glyph_height). A zone refused only for a check
// digit collision is taken when each exchanged character measures at its
// own class's height, off its partner's by the margin (the 0s as digits
// and the Os as letters, as read). The cells' shapes (shapeJudge) keep a
// character whose shape is its own from being taken for its partner, and
// confirm a collision's characters as read. A zone refused for its check
// digits alone is read again with the characters its cells' shapes fit
// best (shapeRescue). It returns the group to report.
func (rd *mrzReader) glyphCheck(g *group) *group {
	if g == nil || len(g.ts) != len(g.lines) {
		return g
	}
	collided := !g.rec.Valid && len(g.collision) > 0 && refusedFor(g.rec, "check_digit_collision")
	namesOnly := !g.rec.Valid && refusedFor(g.rec, "names_unambiguous")
	if !g.rec.Valid && !collided && !namesOnly && !checkDigitsFailed(g.rec) {
		return g // refused for what no glyph check changes: nothing to measure
	}
	classes := mrz.CharClasses(g.rec)
	if classes == nil {
		return g
	}
	zs := rd.zoneCells(g)
	hs := make([][]float64, len(g.lines))
	for k := range g.lines {
		if k < len(g.rec.Lines) {
			hs[k] = zs.grids[k].heights(len(g.rec.Lines[k]))
		}
	}
	var rivalCells []glyphHit
	if !g.rec.Valid && refusedFor(g.rec, "unambiguous") {
		if rivalCells = netRivals(zs, g.rec); rivalCells != nil {
			// the classifier reads the cells where the repair's rivals
			// differ as the zone does: on to the checks of a valid zone
			g.rec.Valid = true
			g.rec.Checks["unambiguous"], g.rec.Checks["cell_class"] = true, true
			g.score += 10
		}
	}
	if namesOnly {
		if !netVouchesNames(g.rec, zs, classes) {
			return g
		}
		// the classifier vouches for the letters guessed: on to the
		// checks of a valid zone
		vouched(g)
		g.score += 10
	}
	if !g.rec.Valid && !collided {
		if c := shapeRescue(g, classes, zs, hs); c != nil {
			return c
		}
		return g
	}
	v := glyphJudge(g.rec.Lines, classes, hs)
	v = shapeJudge(v, zs, g.collision)
	if len(rivalCells) > 0 && v == nil {
		v = map[glyphHit]int{}
	}
	for _, c := range rivalCells {
		v[c] = +1 // decided by the classifier against the rivals
	}
	if collided {
		switch netCollision(zs, g.collision, g.collisionTo) {
		case +1:
			for _, c := range g.collision {
				v[c] = +1
			}
		case -1:
			if c := netExchange(g, hs); c != nil {
				return c
			}
		case 0:
			if c := netReading(g, zs, hs); c != nil {
				return c
			}
		}
		for _, c := range g.collision {
			if v[c] != +1 {
				return g
			}
		}
		settleCollision(g)
		g.rec.Checks["glyph_height"] = true
	}
	shapeSwaps(v, zs, classes)
	prefer := netHits(v, zs, classes, finalReading(g), checkVouched(g.rec))
	hits := hitsOf(v)
	if len(hits) == 0 {
		return g
	}
	if c := glyphRepair(g, hits, hs, prefer, zs); c != nil && (len(prefer) == 0 || onlyAt(g.rec.Lines, c.rec.Lines, hits) || netFavours(zs, g.rec.Lines, c.rec.Lines)) {
		if len(prefer) > 0 {
			c.rec.Checks["cell_class"] = true
		}
		return c
	}
	if len(prefer) > 0 {
		refuse(g, "cell_class")
	} else {
		refuse(g, "glyph_height")
	}
	return g
}

// checkDigitsFailed: what refused rec is its check digits alone (or the
// repair's finding more than one valid reading), not its legibility, its
// pitch or its names: a reading the shapes make valid leaves those as they
// were.
func checkDigitsFailed(rec *mrz.Record) bool {
	failed := false
	for name, ok := range rec.Checks {
		if ok {
			continue
		}
		switch name {
		case "document_number", "birth_date", "expiry_date", "optional_data", "composite", "unambiguous":
			failed = true
		default:
			return false
		}
	}
	return failed
}

// shapeConfirm is how much worse a cell's shape must fit each partner of
// the other class than the character read to confirm the reading: on the
// 300 synthetic scenes no cell read wrong fitted its true character worse
// than by 0.02.
const shapeConfirm = 0.1

// shapeJudge amends the height verdicts v with the cells' shapes: a
// character the heights put at its partner's height whose shape fits
// itself better than every partner by shapeConfirm is kept (the heights
// of a blurred or cut glyph mislead: a 1 measured as tall as I), and an
// exchanged character of a check digit collision whose shape does so is
// confirmed as read. It returns the amended verdicts (v may be nil: the
// heights judged nothing).
func shapeJudge(v map[glyphHit]int, zs *zoneShapes, collision []glyphHit) map[glyphHit]int {
	if v == nil {
		v = map[glyphHit]int{}
	}
	var ask []glyphHit
	for c, x := range v {
		if x < 0 {
			ask = append(ask, c)
		}
	}
	for _, c := range collision {
		if v[c] == 0 {
			ask = append(ask, c)
		}
	}
	for _, c := range ask {
		sc := zs.line(c.line)
		if c.col < len(sc) && shapeConfirms(sc[c.col], zs.lines[c.line][c.col]) {
			if v[c] < 0 {
				delete(v, c)
			} else {
				v[c] = +1
			}
		}
	}
	return v
}

// shapeSwapLead is how much better a cell read 6 or G must fit its partner
// than the character read to be taken for the partner on its shape alone:
// on the 300 synthetic scenes a 6 read right fitted G better by 0.056 at
// most and a G read right fitted 6 better by 0.087 at most, while both 6s
// read for a G fitted G better by 0.167 and more.
const shapeSwapLead = 0.12

// shapeSwaps marks as hits (in v) the cells of a document number or
// optional data read 6 or G whose shape is the other's by shapeSwapLead,
// whose height does not say otherwise and whose classifier reading is the
// other too: G and 6 differ by 10 in the weighted sum, so no check digit
// tells them apart and a zone read with one for the other is valid. The
// classifier's word keeps a swap to cells holding a 6 or G: on a grid
// slipped by a cell the shapes compare another glyph (held-out seed 2,
// mrz_0223: the cell of a 6 held the Q after it, which fits G better, and
// a right zone was made wrong and stayed valid).
func shapeSwaps(v map[glyphHit]int, zs *zoneShapes, classes [][]byte) {
	cs, err := loadShapes()
	if err != nil {
		return
	}
	for k, l := range zs.lines {
		if k >= len(classes) || len(classes[k]) != len(l) || !strings.ContainsAny(l, "6G") {
			continue
		}
		var sc [][]float64
		for i := range l {
			c := glyphHit{k, i}
			if l[i] != '6' && l[i] != 'G' || classes[k][i] != mrz.ClassEither || v[c] != 0 {
				continue
			}
			if sc == nil {
				if sc = zs.line(k); len(sc) != len(l) {
					break
				}
			}
			p := byte('G')
			if l[i] == 'G' {
				p = '6'
			}
			if r := sc[i]; r != nil && r[cs.index[p]-1]-r[cs.index[l[i]]-1] > shapeSwapLead && netFirst(zs.net(k), i) == p {
				v[c] = -1
			}
		}
	}
}

// zoneShapes scores the cells of a zone's lines (shapeScores) once, when
// first asked for.
type zoneShapes struct {
	lines  []string
	grids  []*cellGrid
	scores map[int][][]float64
	probs  map[int][][]float64
}

func newZoneShapes(lines []string, grids []*cellGrid) *zoneShapes {
	return &zoneShapes{lines: lines, grids: grids, scores: map[int][][]float64{}, probs: map[int][][]float64{}}
}

// relabel is zs for the same cells read as lines (of the same lengths):
// the classifier's probabilities, which do not depend on the reading, are
// shared.
func (zs *zoneShapes) relabel(lines []string) *zoneShapes {
	return &zoneShapes{lines: lines, grids: zs.grids, scores: map[int][][]float64{}, probs: zs.probs}
}

// net is the cell classifier's probabilities for line k's cells
// (netScores; nil where it has no grid).
func (zs *zoneShapes) net(k int) [][]float64 { return zs.cached(zs.probs, k, netScores) }

// line is the scores of line k's cells (nil where it has no grid).
func (zs *zoneShapes) line(k int) [][]float64 { return zs.cached(zs.scores, k, shapeScores) }

// cached is f of line k's grid and reading, computed once into m.
func (zs *zoneShapes) cached(m map[int][][]float64, k int, f func(*cellGrid, string) [][]float64) [][]float64 {
	if k < 0 || k >= len(zs.lines) || k >= len(zs.grids) || zs.grids[k] == nil {
		return nil
	}
	v, ok := m[k]
	if !ok {
		v = f(zs.grids[k], zs.lines[k])
		m[k] = v
	}
	return v
}

// shapeConfirms: a cell's shape scores fit the character read better than
// each of its partners of the other class by shapeConfirm.
func shapeConfirms(sc []float64, read byte) bool {
	cs, err := loadShapes()
	ps := glyphPartners[read]
	if err != nil || sc == nil || ps == "" || cs.index[read] == 0 {
		return false
	}
	for _, p := range []byte(ps) {
		if sc[cs.index[p]-1] > sc[cs.index[read]-1]-shapeConfirm {
			return false
		}
	}
	return true
}

// shapeAltLead is how much better a cell's shape must fit another
// character than the one read for the shape's to be offered to the repair
// (correlations; on the 300 synthetic scenes a right reading is beaten by
// more in 1 cell of 100, a wrong one in 3 of 4).
const shapeAltLead = 0.08

// shapeRescue reads a refused zone again with the characters its cells'
// shapes fit best (shapeScores, the OCR-B cell classifier) offered as the
// likelier readings where they differ from the reading by shapeAltLead,
// in the fields check digits cover (digits, document numbers and optional
// data: names carry no check, and a shape's guess there is unverified).
// The new reading is taken when it is valid and legible, keeps the pitch
// and the glyph heights, and each character it changes fits its cell's
// shape better than the one it replaces; nil otherwise.
func shapeRescue(g *group, classes [][]byte, zs *zoneShapes, hs [][]float64) *group {
	in := finalReading(g)
	if in == nil || len(in) != len(g.rec.Lines) {
		return nil
	}
	scores := make([][][]float64, len(in))
	nets := make([][][]float64, len(in))
	for k := range g.rec.Lines {
		scores[k] = zs.line(k) // nil where unmeasured: nothing offered there
		if p := zs.net(k); netPlaced(p, g.rec.Lines[k]) {
			nets[k] = p
		}
	}
	if !shapeOffer(in, g.rec.Lines, classes, scores, nets) {
		return nil
	}
	c := reread(g, in, hs, vouchNames(zs))
	if c == nil || !shapeSupports(g.rec.Lines, c.rec.Lines, scores, nets) || !pitchCheck(c, g.ts) {
		return nil
	}
	c.rec.Checks["glyph_shape"] = true
	return c
}

// finalReading copies the reading g was repaired from, for a reading
// again with some cells' likelier characters changed; nil unless each of
// its lines has its repaired line's length (the cells' columns are the
// reading's).
func finalReading(g *group) []mrz.Line {
	in := make([]mrz.Line, len(g.in))
	for k, l := range g.in {
		if k >= len(g.rec.Lines) || len(l.Alts) != len(g.rec.Lines[k]) || len(l.Text) != len(l.Alts) {
			return nil
		}
		in[k] = mrz.Line{Text: l.Text, Alts: append([][]mrz.CharAlt(nil), l.Alts...)}
	}
	return in
}

// reread repairs in, g's reading with some cells' likelier characters
// changed, and returns the result when it is valid and legible, has g's
// line lengths and keeps the glyph heights hs measured for g; nil
// otherwise. The cells left as they were are as legible as in g, where
// the second reader may have confirmed a character the recognizer barely
// saw (g's minP raised): the result keeps that. A result refused is
// taken where accept (nil: none) makes it valid (vouchNames: the
// classifier vouches for the letters guessed in its names).
func reread(g *group, in []mrz.Line, hs [][]float64, accept func(c *group) bool) *group {
	c := decide(g.lines, in, g.ts)
	if c == nil {
		return nil
	}
	c.minP = max(c.minP, g.minP)
	legible(c)
	if len(c.rec.Lines) != len(g.rec.Lines) {
		return nil
	}
	for k := range c.rec.Lines {
		if len(c.rec.Lines[k]) != len(g.rec.Lines[k]) {
			return nil
		}
	}
	if !c.rec.Valid && (accept == nil || !accept(c)) {
		return nil
	}
	if classes := mrz.CharClasses(c.rec); classes == nil || len(glyphContradiction(c.rec.Lines, classes, hs)) > 0 {
		return nil
	}
	return c
}

// shapeOffer makes the character a cell's shape fits best (of those its
// class allows) the likelier reading of the cell in the reading in (whose
// lines are those of the repaired lines), with the character read as the
// runner-up, where it fits by shapeAltLead more than the character read
// and the class is a checked one (digits, document numbers, optional
// data); first, the character the cell classifier is sure of (nets, as
// netAgainst judges): the zone's check digits must then hold, and
// shapeSupports holds the result to the cells. (Requiring the recognizer
// to have listed it, as netHits does for a valid zone, lost mrz_0102: a
// refused zone's checks are what vouch here.) It reports whether it
// offered any.
func shapeOffer(in []mrz.Line, lines []string, classes [][]byte, scores, nets [][][]float64) bool {
	cs, err := loadShapes()
	if err != nil {
		return false
	}
	offered := false
	for k, final := range lines {
		if k >= len(in) || k >= len(scores) || k >= len(classes) || len(scores[k]) != len(final) || len(classes[k]) != len(final) || len(in[k].Alts) != len(final) || len(in[k].Text) != len(final) {
			continue
		}
		t := []byte(in[k].Text)
		for i := range final {
			if classes[k][i] != mrz.ClassDigit && classes[k][i] != mrz.ClassEither {
				continue
			}
			if k < len(nets) && i < len(nets[k]) {
				if c, ok := netAgainst(nets[k][i], final[i], classes[k][i]); ok && c != '<' {
					in[k].Alts[i] = []mrz.CharAlt{{Char: c, Prob: 0.6}, {Char: final[i], Prob: 0.3}}
					t[i] = c
					offered = true
					continue
				}
			}
			sc := scores[k][i]
			if sc == nil {
				continue
			}
			best := byte(0)
			for j := 0; j < len(cs.chars); j++ {
				c := cs.chars[j]
				if c == '<' || classes[k][i] == mrz.ClassDigit && !isDigit(c) {
					continue
				}
				if best == 0 || sc[j] > sc[cs.index[best]-1] {
					best = c
				}
			}
			r := cs.index[final[i]] - 1
			if best == 0 || best == final[i] || r < 0 || sc[cs.index[best]-1]-sc[r] < shapeAltLead {
				continue
			}
			in[k].Alts[i] = []mrz.CharAlt{{Char: best, Prob: 0.6}, {Char: final[i], Prob: 0.3}}
			t[i] = best
			offered = true
		}
		in[k].Text = string(t)
	}
	return offered
}

// shapeSupports: the lines to differ from the lines from only in
// characters whose cells' shapes (scored for from) fit them better than
// the characters they replace.
func shapeSupports(from, to []string, scores, nets [][][]float64) bool {
	cs, err := loadShapes()
	if err != nil || len(from) != len(to) || len(scores) < len(from) {
		return false
	}
	better := func(sc [][]float64, i int, a, b byte) bool {
		return i < len(sc) && sc[i] != nil && cs.index[a] != 0 && cs.index[b] != 0 && sc[i][cs.index[a]-1] > sc[i][cs.index[b]-1]
	}
	for k := range to {
		a, b := to[k], from[k]
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if a[i] == b[i] {
				continue
			}
			if !better(scores[k], i, a[i], b[i]) && (k >= len(nets) || !better(nets[k], i, a[i], b[i])) {
				return false
			}
		}
	}
	return true
}

// glyphPartners are the characters of the other class a character is
// read for.
var glyphPartners = map[byte]string{
	'0': "OQDC", '1': "IL", '2': "Z", '5': "S", '6': "G", '8': "B", '9': "Q",
	'O': "0", 'Q': "0", 'D': "0", 'C': "0", 'I': "1", 'L': "1", 'Z': "2", 'S': "5", 'G': "6", 'B': "8",
}

// glyphRepair reads the zone again with the partners of each hit cell as
// its likelier readings (the character prefer names for it first, the
// cell's reading kept as a runner-up) and returns the result when it is
// accepted (reread; zs the zone's cells, for vouchNames) and keeps the heights hs
// measured for g (nil otherwise). Only readings whose lines have their
// final lengths are changed: the hits' columns must be the reading's.
func glyphRepair(g *group, hits []glyphHit, hs [][]float64, prefer map[glyphHit]byte, zs *zoneShapes) *group {
	in := finalReading(g)
	if in == nil {
		return nil
	}
	for _, h := range hits {
		ps := glyphPartners[g.rec.Lines[h.line][h.col]]
		if c, ok := prefer[h]; ok {
			ps = string(c) + strings.ReplaceAll(ps, string(c), "")
		}
		if ps == "" {
			return nil
		}
		alts := []mrz.CharAlt{{Char: ps[0], Prob: 0.6}}
		for i := 1; i < len(ps); i++ {
			alts = append(alts, mrz.CharAlt{Char: ps[i], Prob: 0.1 / float64(len(ps)-1)})
		}
		alts = append(alts, mrz.CharAlt{Char: g.rec.Lines[h.line][h.col], Prob: 0.3})
		offerAt(in, h, alts)
	}
	return reread(g, in, hs, vouchNames(zs))
}

// offerAt makes alts the alternatives of cell h of the reading in, the
// first its character.
func offerAt(in []mrz.Line, h glyphHit, alts []mrz.CharAlt) {
	in[h.line].Alts[h.col] = alts
	t := []byte(in[h.line].Text)
	t[h.col] = alts[0].Char
	in[h.line].Text = string(t)
}

// glyphHit is a character measured at the other class's height.
type glyphHit struct{ line, col int }

// glyphContradiction judges the measured heights (of each character's top
// above the baseline, in pitches; NaN where not measured) of the
// characters of lines against OCR-B's proportions and lists the characters
// of the other class's height. Each height is divided by its character's
// expected one and by its line's scale there (a straight line through the
// characters of known class where they span half the line, else the
// median over the glyphNeighbours characters on either side: perspective
// changes the print's size along a line), so that a character read right
// measures about 1. What is left differs per glyph with blur (a round top
// loses height, a bar does not), so a character of a document number or
// optional data is compared with the same character where the layout
// fixes its class (the 0s of the dates for a 0): it is taken for its
// partner of the other class when it measures nearer the partner's height
// than its own, by more than glyphSigmas times the spread of a glyph's
// heights (and glyphMinOff), but not far beyond the partner's. Without
// such a reference it is not judged.
func glyphContradiction(lines []string, classes [][]byte, hs [][]float64) []glyphHit {
	return hitsOf(glyphJudge(lines, classes, hs))
}

// hitsOf lists, in reading order, the characters a judgement puts at the
// other class's height.
func hitsOf(verdicts map[glyphHit]int) []glyphHit {
	var hits []glyphHit
	for c, v := range verdicts {
		if v < 0 {
			hits = append(hits, c)
		}
	}
	sort.Slice(hits, func(a, b int) bool {
		return hits[a].line < hits[b].line || hits[a].line == hits[b].line && hits[a].col < hits[b].col
	})
	return hits
}

// glyphJudge gives the verdict of glyphContradiction on each judged
// character: -1 at the other class's height, +1 at its own class's height
// by the same margin (off the partner's height and nearer its own).
func glyphJudge(lines []string, classes [][]byte, hs [][]float64) map[glyphHit]int {
	type cell struct {
		c         byte
		known     bool
		rho       float64
		line, col int
	}
	var cells []cell
	for k, s := range lines {
		if k >= len(hs) || k >= len(classes) || len(hs[k]) != len(s) || len(classes[k]) != len(s) {
			return nil
		}
		q := make([]float64, len(s))
		for i := 0; i < len(s); i++ {
			q[i] = math.NaN()
			if e, ok := ocrbTops[s[i]]; ok && !math.IsNaN(hs[k][i]) {
				q[i] = hs[k][i] / e
			}
		}
		// the line's scale: a straight line through the characters of
		// known class where they span half the line, else the local median
		var fa, fb float64
		fitOK := false
		var cols, qs []float64
		for i := 0; i < len(s); i++ {
			if !math.IsNaN(q[i]) && knownClass(classes[k][i], s[i]) {
				cols = append(cols, float64(i))
				qs = append(qs, q[i])
			}
		}
		if len(cols) >= 2*glyphMinKnown && cols[len(cols)-1]-cols[0] >= float64(len(s))/2 {
			fa, fb, fitOK = fitLine(cols, qs)
		}
		for i := 0; i < len(s); i++ {
			known := knownClass(classes[k][i], s[i])
			if math.IsNaN(q[i]) || !known && classes[k][i] != mrz.ClassEither {
				continue
			}
			scale := fa + fb*float64(i)
			if !fitOK {
				var near []float64
				for j := max(0, i-glyphNeighbours); j <= min(len(s)-1, i+glyphNeighbours); j++ {
					if j != i && !math.IsNaN(q[j]) {
						near = append(near, q[j])
					}
				}
				if len(near) < glyphNeighbours {
					continue
				}
				scale = midMedian(near)
			}
			rho := q[i] / scale
			if rho < 1-glyphImplausible || rho > 1+glyphImplausible {
				continue // a measurement gone wrong (a glyph cut or merged)
			}
			cells = append(cells, cell{s[i], known, rho, k, i})
		}
	}
	refs := map[byte][]float64{}
	for _, c := range cells {
		if c.known {
			refs[c.c] = append(refs[c.c], c.rho)
		}
	}
	// the spread of a glyph's heights about their mean
	var dev []float64
	for _, r := range refs {
		if n := len(r); n >= 2 {
			// about its own mean, a sample of n spreads sqrt((n-1)/n) as
			// wide as about the truth
			m, f := mean(r), math.Sqrt(float64(n)/float64(n-1))
			for _, v := range r {
				dev = append(dev, f*math.Abs(v-m))
			}
		}
	}
	if len(dev) < glyphMinKnown {
		return nil
	}
	same := 1.4826 * midMedian(dev)
	off := math.Max(glyphMinOff, glyphSigmas*same)
	if off > glyphMaxOff {
		return nil
	}
	verdicts := map[glyphHit]int{}
	for _, c := range cells {
		r := refs[c.c]
		if c.known || len(r) < 2 {
			continue
		}
		m := mean(r)
		// the partner of the other class nearest in height
		ratio := 0.0
		for _, p := range []byte(glyphPartners[c.c]) {
			x := ocrbTops[p] / ocrbTops[c.c]
			if ratio == 0 || math.Abs(x-1) < math.Abs(ratio-1) {
				ratio = x
			}
		}
		if ratio == 0 {
			continue
		}
		// nearer the partner's height than its own, off its own by the
		// margin, and not far beyond the partner's (a measurement failed)
		p := m * ratio
		near := math.Abs(c.rho-p) < math.Abs(c.rho-m)
		beyond := math.Abs(c.rho-m) > math.Abs(p-m)*(1+glyphBeyond)
		edge := c.col < glyphEdge || c.col >= len(lines[c.line])-glyphEdge
		switch {
		case edge:
		case near && !beyond && math.Abs(c.rho-m) > off:
			verdicts[glyphHit{c.line, c.col}] = -1
		case !near && math.Abs(c.rho-p) > off && math.Abs(c.rho-m) < math.Abs(p-m)*glyphBeyond:
			verdicts[glyphHit{c.line, c.col}] = +1
		}
	}
	return verdicts
}

// midMedian is the median of v (the mean of the middle two for an even
// count); v is not empty.
func midMedian(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}

// knownClass: the layout fixes the class of position class, and c has it.
func knownClass(class, c byte) bool {
	return class == mrz.ClassLetter && isLetter(c) || class == mrz.ClassDigit && isDigit(c)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// cellGrid is a line's print warped upright with the place of each of its
// characters: column i's centre lies at (a+b*i)*w pixels, the baseline at
// row ba+bb*i there, and tops[i] is the row where its ink starts (NaN
// where not measured). A zero grid (w == 0) measured nothing.
type cellGrid struct {
	dark   []float64 // ink coverage, w*h
	w, h   int
	a, b   float64
	ba, bb float64
	tops   []float64
}

// pitch is the grid's character pitch in pixels.
func (c *cellGrid) pitch() float64 { return c.b * float64(c.w) }

// heights is how high each of n characters rises above the baseline, in
// pitches (NaN where not measured).
func (c *cellGrid) heights(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
		if c.w > 0 && i < len(c.tops) && !math.IsNaN(c.tops[i]) {
			out[i] = (c.ba + c.bb*float64(i) - c.tops[i]) / c.pitch()
		}
	}
	return out
}

// lineCells places the characters of the repaired line final on the
// line's print. The greedy reading t places them: its letters and digits
// that align with final give the line's pitch and offset (a robust
// straight-line fit, since CTC places each within about a quarter pitch),
// adjusted to the print of the crop (refineCells). The band of the line is
// warped upright at its own resolution (at least 48 pixels high); in each
// character's cell the darkest pixel per row gives a profile whose
// half-coverage crossings above and below the middle are the ink's top and
// bottom. The baseline is a straight line through the bottoms (every
// glyph sits on it): a top measured against it carries one edge's noise,
// not two.
func (rd *mrzReader) lineCells(l line, t models.Text, final string) *cellGrid {
	var text []byte
	var xs []float64
	for _, c := range t.Chars {
		if len(c.Char) == 1 {
			text = append(text, c.Char[0])
			xs = append(xs, (c.X0+c.X1)/2)
		}
	}
	m := align(final, string(text))
	var cols, pos []float64
	for i, j := range m {
		if j >= 0 && final[i] != '<' && text[j] == final[i] {
			cols = append(cols, float64(i))
			pos = append(pos, xs[j])
		}
	}
	a, b, ok := fitLine(cols, pos)
	if !ok || b <= 0 {
		return &cellGrid{}
	}
	band := 1.6 // line heights: the glyphs and some paper, not the next line
	scale := rd.s.Frame.Scale()
	if scale <= 0 {
		scale = 1
	}
	ht := int(math.Round(band * l.H / scale))
	ht = max(48, min(ht, 192))
	w := int(math.Round(float64(ht) * (l.A1 - l.A0) / (band * l.H)))
	if w < 16 || w > 8000 {
		return &cellGrid{}
	}
	img, err := rd.s.Frame.Warp(rd.f.quad(line{A0: l.A0, A1: l.A1, P: l.P, H: band * l.H}), w, ht, true)
	if err != nil {
		return &cellGrid{}
	}
	gray, ok := img.(*image.Gray)
	if !ok {
		return &cellGrid{}
	}
	dark := darkness(gray)
	if dark == nil {
		return &cellGrid{}
	}
	a, b = refineCells(dark, w, ht, len(final), a, b)
	pitch := b * float64(w)
	tops := make([]float64, len(final))
	for i := range tops {
		tops[i] = math.NaN()
	}
	var bs []float64
	cols = cols[:0]
	for i := range final {
		if final[i] == '<' {
			continue
		}
		cx := (a + b*float64(i)) * float64(w)
		x0, x1 := int(math.Round(cx-glyphHalfWidth*pitch)), int(math.Round(cx+glyphHalfWidth*pitch))
		if x0 < 1 || x1 > w-2 || x1-x0 < 2 {
			continue
		}
		if t, b, ok := inkExtent(dark, w, ht, x0, x1); ok {
			tops[i] = t
			cols = append(cols, float64(i))
			bs = append(bs, b)
		}
	}
	// the baseline: a straight line through the glyphs' bottoms (all
	// sit on it), so that a top is measured from it
	ba, bb, ok := fitLine(cols, bs)
	if !ok {
		return &cellGrid{}
	}
	return &cellGrid{dark: dark, w: w, h: ht, a: a, b: b, ba: ba, bb: bb, tops: tops}
}

// darkness maps a gray crop to ink coverage in 0..1 between its paper
// level (90th percentile) and its ink level (3rd percentile); nil when the
// crop has too little contrast.
func darkness(g *image.Gray) []float64 {
	var hist [256]int
	for _, v := range g.Pix {
		hist[v]++
	}
	pct := func(p float64) float64 {
		n := int(p * float64(len(g.Pix)))
		acc := 0
		for v, c := range hist {
			acc += c
			if acc > n {
				return float64(v)
			}
		}
		return 255
	}
	ink, paper := pct(0.03), pct(0.90)
	if paper-ink < 30 {
		return nil
	}
	w, h := g.Rect.Dx(), g.Rect.Dy()
	out := make([]float64, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := (paper - float64(g.Pix[y*g.Stride+x])) / (paper - ink)
			out[y*w+x] = math.Max(0, math.Min(1, v))
		}
	}
	return out
}

// inkExtent finds the rows where the ink in columns x0..x1 that crosses
// the middle row starts and ends: from the middle the row profile (the
// darkest pixel of each row, after a 3-pixel horizontal mean) is followed
// up and down to where it falls below one half, interpolated between rows.
func inkExtent(d []float64, w, h, x0, x1 int) (float64, float64, bool) {
	prof := make([]float64, h)
	for y := 0; y < h; y++ {
		row := d[y*w : (y+1)*w]
		for x := x0; x <= x1; x++ {
			v := (row[x-1] + row[x] + row[x+1]) / 3
			prof[y] = math.Max(prof[y], v)
		}
	}
	// a dip of a few rows (a stroke's thin joint, the waist of a 3) does
	// not end the glyph; the print of the next line is further away
	gap := max(2, h*6/100)
	mid := -1
	for d := 0; d <= gap && mid < 0; d++ {
		for _, y := range []int{h/2 - d, h/2 + d} {
			if mid < 0 && prof[y] >= 0.5 {
				mid = y
			}
		}
	}
	if mid < 0 {
		return 0, 0, false
	}
	top := mid
	for y := mid - 1; y >= 1 && top-y <= gap; y-- {
		if prof[y] >= 0.5 {
			top = y
		}
	}
	bot := mid
	for y := mid + 1; y < h-1 && y-bot <= gap; y++ {
		if prof[y] >= 0.5 {
			bot = y
		}
	}
	if top <= 1 || bot >= h-2 {
		return 0, 0, false // runs into the band's edge: touches other print
	}
	t := float64(top) - (prof[top]-0.5)/(prof[top]-prof[top-1])
	b := float64(bot) + (prof[bot]-0.5)/(prof[bot]-prof[bot+1])
	return t, b, true
}

// fitLine fits pos = a + b*col robustly (Theil-Sen: the median slope of
// pairs at least two columns apart, the median intercept); ok needs six
// points.
func fitLine(cols, pos []float64) (a, b float64, ok bool) {
	if len(cols) < 6 {
		return 0, 0, false
	}
	var slopes []float64
	for i := range cols {
		for j := i + 1; j < len(cols); j++ {
			if dc := cols[j] - cols[i]; math.Abs(dc) >= 2 {
				slopes = append(slopes, (pos[j]-pos[i])/dc)
			}
		}
	}
	if len(slopes) == 0 {
		return 0, 0, false
	}
	b = median(slopes)
	icpt := make([]float64, len(cols))
	for i := range cols {
		icpt[i] = pos[i] - b*cols[i]
	}
	return median(icpt), b, true
}

// refineCells adjusts the cell model (centre of column i at (a+b*i) of the
// crop width) to the crop's own print: the greedy reading's places come
// from the recognizer's crop of the line, whose ends may differ from this
// one's by part of a pitch. Offsets within 0.6 pitches and pitches within
// 3% are tried; the best puts the most ink at the cells' centres and the
// least halfway between them.
func refineCells(d []float64, w, h, n int, a, b float64) (float64, float64) {
	col := make([]float64, w)
	for y := h / 4; y < h-h/4; y++ {
		for x := 0; x < w; x++ {
			col[x] += d[y*w+x]
		}
	}
	at := func(x float64) float64 {
		i := int(math.Round(x))
		if i < 0 || i >= w {
			return 0
		}
		return col[i]
	}
	bestA, bestB, best := a, b, math.Inf(-1)
	for ds := -0.03; ds <= 0.031; ds += 0.01 {
		bb := b * (1 + ds)
		for off := -0.6; off <= 0.601; off += 0.05 {
			aa := a + off*b
			var sc float64
			for i := 0; i < n; i++ {
				cx := (aa + bb*float64(i)) * float64(w)
				sc += at(cx) - at(cx+bb*float64(w)/2)
			}
			if sc > best {
				bestA, bestB, best = aa, bb, sc
			}
		}
	}
	return bestA, bestB
}
