package pipeline

import (
	_ "embed"
	"errors"
	"math"
	"slices"
	"sync"

	"docscan/internal/cellnet"
	"docscan/mrz"
	"docscan/synth"
)

// ocrbNet is the OCR-B cell classifier: a small fully connected net over
// a character's cell (the cell table's size, cut where the line's grid
// places it, at netScale), trained on the cells
// of synthetic scenes as this reader places them (cmd/ocrbtrain,
// scripts/train-ocrb-cells.sh). Unlike the font's templates it learned
// what blur, noise and JPEG do to each glyph, and what tells O from 0 and
// U from 0 when they do.
//
//go:embed ocrb_net.bin
var ocrbNetBin []byte

var loadCellNet = sync.OnceValues(func() (*cellnet.Net, error) {
	n, err := cellnet.Parse(ocrbNetBin)
	if err != nil {
		return nil, err
	}
	cs, err := loadShapes()
	if err != nil {
		return nil, err
	}
	if n.Classes != synth.MRZChars || n.Sizes[0] != cs.w*cs.h {
		return nil, errors.New("ocrb net: classes or input size differ from the cell table's")
	}
	return n, nil
})

// netScale is the glyph scale (shapeScales) the classifier's cells are
// cut at: it was trained on cells cut at each line's best fitting scale
// and at all three, and fitting the scale per line costs more than the
// classification.
const netScale = 0.93

// netScores classifies the cells of line final on grid g: out[i] is the
// probability of each character of the table (synth.MRZChars order) for
// cell i, fillers' cells included; nil for cells off the crop, and all nil
// without a classifier or grid, or while its samples are collected
// (cellTap set: the reader the samples are taken from is the one without
// it, so that the collection does not depend on the net it trains).
func netScores(g *cellGrid, final string) [][]float64 {
	if cellTap != nil {
		return nil // collecting the classifier's samples: read without it
	}
	net, err := loadCellNet()
	cs, cerr := loadShapes()
	if err != nil || cerr != nil || g == nil || g.w == 0 || len(g.dark) == 0 {
		return nil
	}
	out := make([][]float64, len(final))
	var x []float32
	for i := range final {
		v := cs.cut(g, i, 0, 0, netScale)
		if v == nil {
			continue
		}
		x = cellnet.Prepare(x, v)
		out[i] = net.Probs(x)
	}
	return out
}

// Cell classifier verdicts: a cell's reading is contradicted when the
// classifier (netScores) gives it at most netDoubt and another character
// the cell's class allows at least netSure.
const (
	netSure  = 0.9
	netDoubt = 0.02
)

// netAgainst is the character the classifier is sure of for a cell read
// read, of those its class allows (mrz.Class*; 0 allows any), when it
// contradicts the reading. A filler is never contradicted: its cell is
// paper, which the classifier's input (contrast normalized) turns into
// noise, and the recognizer tells paper from print well.
func netAgainst(p []float64, read, class byte) (byte, bool) {
	cs, err := loadShapes()
	if err != nil || len(p) != len(cs.chars) || cs.index[read] == 0 || read == '<' {
		return 0, false
	}
	best := netBest(cs, p, class)
	if best < 0 || cs.chars[best] == read || p[best] < netSure || p[cs.index[read]-1] > netDoubt {
		return 0, false
	}
	return cs.chars[best], true
}

// netBest is the index of the character the classifier scores highest in
// p of those class allows (mrz.Class*; 0 allows any), -1 where none.
func netBest(cs *cellShapes, p []float64, class byte) int {
	best := -1
	for k, v := range p {
		c := cs.chars[k]
		if class == mrz.ClassLetter && isDigit(c) || class == mrz.ClassDigit && c != '<' && !isDigit(c) {
			continue
		}
		if best < 0 || v > p[best] {
			best = k
		}
	}
	return best
}

// checkVouched marks the cells of a valid record whose characters its
// check digits vouch for: checked cells (mrz.CheckedPositions) of lines
// whose checked characters the repair left as read. Where it changed one,
// it chose the change to satisfy the check digit, which then vouches for
// nothing on that line (on the seed-8 set it read a blurred Q as C and
// made a 6 a C to fit; the classifier named both cells right).
func checkVouched(rec *mrz.Record) [][]bool {
	checked := mrz.CheckedPositions(rec)
	for _, c := range rec.Corrections {
		if k, i := c.Line-1, c.Column-1; k >= 0 && k < len(checked) && i >= 0 && i < len(checked[k]) && checked[k][i] {
			checked[k] = make([]bool, len(checked[k]))
		}
	}
	return checked
}

// checkBlind: no check digit tells a from b at cell (k, i) of a valid
// zone: the check digits do not vouch for the cell (checked, from
// checkVouched; nil: none do), or a and b weigh alike modulo 10 (U and 0,
// G and 6, K and <), so that the zone's check digits, which hold with a,
// would hold with b too. Where they do not, the check digits vouch for a
// against the classifier (on the real photos it takes OCR-B 1s of some
// printers for I).
func checkBlind(checked [][]bool, k, i int, a, b byte) bool {
	if k >= len(checked) || i >= len(checked[k]) || !checked[k][i] {
		return true
	}
	va, _ := mrz.CharValue(a)
	vb, _ := mrz.CharValue(b)
	return va%10 == vb%10
}

// listed: the reading in lists c among its alternatives for cell (k, i).
func listed(in []mrz.Line, k, i int, c byte) bool {
	if k >= len(in) || i >= len(in[k].Alts) {
		return false
	}
	for _, a := range in[k].Alts[i] {
		if a.Char == c {
			return true
		}
	}
	return false
}

// refusedFor: rec fails at least one of the checks names and no other.
func refusedFor(rec *mrz.Record, names ...string) bool {
	failed := false
	for n, ok := range rec.Checks {
		if !ok {
			if !slices.Contains(names, n) {
				return false
			}
			failed = true
		}
	}
	return failed
}

// netVouchesNames: each letter the repair guessed for a 0 or 1 read in an
// unchecked letter field (what makes the names ambiguous: O, D or Q for a
// 0, I or L for a 1), of which there is at least one, is the character
// the classifier is sure of in its cell.
func netVouchesNames(rec *mrz.Record, zs *zoneShapes, classes [][]byte) bool {
	cs, err := loadShapes()
	if err != nil {
		return false
	}
	n := 0
	for _, c := range rec.Corrections {
		if c.From != "0" && c.From != "1" || len(c.To) != 1 {
			continue
		}
		k, i := c.Line-1, c.Column-1
		if k < 0 || k >= len(classes) || i < 0 || i >= len(classes[k]) || classes[k][i] != mrz.ClassLetter {
			continue
		}
		p := zs.net(k)
		if len(p) != len(zs.lines[k]) || !netPlaced(p, zs.lines[k]) || p[i] == nil || cs.index[c.To[0]] == 0 || p[i][cs.index[c.To[0]]-1] < netSure {
			return false
		}
		n++
	}
	return n > 0
}

// netFirst is the classifier's first choice for cell i of a line it
// scored as p (0 where it did not score the cell).
func netFirst(p [][]float64, i int) byte {
	cs, err := loadShapes()
	if err != nil || i < 0 || i >= len(p) || len(p[i]) != len(cs.chars) {
		return 0
	}
	if best := netBest(cs, p[i], 0); best >= 0 {
		return cs.chars[best]
	}
	return 0
}

// netCollisionOdds is the odds by which the classifier must prefer one of
// a check digit collision's two readings over the other, its characters'
// odds multiplied (each leaning the same way): about 0.97 against 0.03 at
// each of two exchanged characters.
const netCollisionOdds = 1000

// netCollision is the classifier's verdict on a check digit collision's
// characters: +1 when it prefers the zone as read by netCollisionOdds,
// -1 when it prefers the other reading the checks allow (each character
// exchanged for its partner: to's, else mrz.SwapPartner) by as much, 0
// otherwise.
func netCollision(zs *zoneShapes, coll []glyphHit, to map[glyphHit]byte) int {
	cs, err := loadShapes()
	if err != nil || len(coll) == 0 {
		return 0
	}
	skip := map[int]map[int]bool{}
	for _, c := range coll {
		if skip[c.line] == nil {
			skip[c.line] = map[int]bool{}
		}
		skip[c.line][c.col] = true
	}
	as, partner := 0, 0
	odds := 0.0 // log odds of the zone as read against the exchange
	for _, c := range coll {
		p := zs.net(c.line)
		if len(p) != len(zs.lines[c.line]) || !netPlacedBut(p, zs.lines[c.line], skip[c.line]) || p[c.col] == nil {
			return 0
		}
		r := zs.lines[c.line][c.col]
		o := partnerOf(to, c, r)
		if o == 0 || cs.index[r] == 0 || cs.index[o] == 0 {
			return 0
		}
		pr, po := math.Max(p[c.col][cs.index[r]-1], 1e-6), math.Max(p[c.col][cs.index[o]-1], 1e-6)
		switch {
		case pr > po:
			as++
		case po > pr:
			partner++
		}
		odds += math.Log(pr / po)
	}
	switch {
	case as == len(coll) && odds >= math.Log(netCollisionOdds):
		return +1
	case partner == len(coll) && -odds >= math.Log(netCollisionOdds):
		return -1
	}
	return 0
}

// netRivals: the classifier decides a zone the repair refused as
// ambiguous for its rivals alone (rec.Rivals, each valid), for the zone
// as read: against each rival, on lines whose grid it places on the print
// for their other characters, it reads each differing cell (at most
// cardSettleMax) as the zone does, the odds multiplied at least
// netCollisionOdds, the bar a check digit collision is decided by
// (mrz_0297: the composite holds with O at line 1 column 24 and the Q of
// line 2 read, or with 0 and a Q made 0; the cells read O and Q). It
// returns the cells it decided (nil: it did not decide).
func netRivals(zs *zoneShapes, rec *mrz.Record) []glyphHit {
	if zs == nil || len(rec.Rivals) == 0 || !slices.Equal(zs.lines, rec.Lines) {
		return nil
	}
	var decided []glyphHit
	for _, rv := range rec.Rivals {
		cells, ok := netPrefersZone(zs, rec.Lines, rv)
		if !ok {
			return nil
		}
		for _, h := range cells {
			if !slices.Contains(decided, h) {
				decided = append(decided, h)
			}
		}
	}
	return decided
}

// netPrefersZone: the classifier, on the cells zs of the zone read as
// favored, prefers favored to other (lines of the same count and lengths)
// where they differ: on each line with a difference it places the grid on
// the print for the other cells (netPlacedBut) and reads each differing
// cell as favored rather than as other; the cells differ in at least one
// and at most cardSettleMax places, and the odds multiplied reach
// netCollisionOdds, the bar a check digit collision is decided by. It
// returns the differing cells.
func netPrefersZone(zs *zoneShapes, favored, other []string) ([]glyphHit, bool) {
	cs, err := loadShapes()
	if err != nil || len(other) != len(favored) {
		return nil, false
	}
	var cells []glyphHit
	odds := 0.0
	for k, l := range favored {
		o := other[k]
		if len(o) != len(l) {
			return nil, false
		}
		skip := map[int]bool{}
		for i := 0; i < len(l); i++ {
			if l[i] != o[i] {
				skip[i] = true
			}
		}
		if len(skip) == 0 {
			continue
		}
		p := zs.net(k)
		if len(p) != len(l) || !netPlacedBut(p, l, skip) {
			return nil, false
		}
		for i := 0; i < len(l); i++ {
			if !skip[i] {
				continue
			}
			if p[i] == nil || cs.index[l[i]] == 0 || cs.index[o[i]] == 0 {
				return nil, false
			}
			pf, po := math.Max(p[i][cs.index[l[i]]-1], 1e-6), math.Max(p[i][cs.index[o[i]]-1], 1e-6)
			if pf <= po {
				return nil, false
			}
			odds += math.Log(pf / po)
			cells = append(cells, glyphHit{k, i})
		}
	}
	return cells, len(cells) > 0 && len(cells) <= cardSettleMax && odds >= math.Log(netCollisionOdds)
}

// netExchange reads a collided zone again with each collision character
// exchanged for its partner, which the classifier is sure of
// (netCollision -1). The result, refused for the collision with the zone
// as read (the same characters) and nothing else, is taken as valid when
// it keeps g's line lengths and glyph heights and changes nothing but the
// exchanged characters; nil otherwise.
func netExchange(g *group, hs [][]float64) *group {
	in := finalReading(g)
	if in == nil {
		return nil
	}
	offerPartners(in, g, g.collision, g.collisionTo)
	c := reread(g, in, hs, func(c *group) bool {
		if !refusedFor(c.rec, "check_digit_collision") || !slices.Equal(c.collision, g.collision) {
			return false
		}
		settleCollision(c)
		return true
	})
	if c == nil || !onlyAt(g.rec.Lines, c.rec.Lines, g.collision) {
		return nil
	}
	c.rec.Checks["cell_class"] = true
	return c
}

// offerPartners makes, in the reading in of zone g, each cell of at read
// as the character to names for it (else its confusable partner of the
// other type, mrz.SwapPartner), with the character g reads there as the
// runner-up.
func offerPartners(in []mrz.Line, g *group, at []glyphHit, to map[glyphHit]byte) {
	for _, h := range at {
		r := g.rec.Lines[h.line][h.col]
		offerAt(in, h, []mrz.CharAlt{{Char: partnerOf(to, h, r), Prob: 0.6}, {Char: r, Prob: 0.3}})
	}
}

// settleCollision makes a zone refused for a check digit collision that
// the cells decide valid, ranked with the valid readings.
func settleCollision(c *group) {
	c.rec.Valid = true
	c.rec.Checks["check_digit_collision"] = true
	c.score += 10
}

// netReading reads a collided zone again with the characters the
// classifier is sure are their confusable partners exchanged (each
// exchangeable character of a checked alphanumeric field: O and 0, I and
// 1, B and 8, S and 5, Z and 2, on a line whose grid the classifier
// places on the print), where it does not decide the collision the repair
// found (netCollision 0: one of its characters as read, another not, so
// the zone's misread characters are not that pair). At least one of the
// exchanged characters must be one of the collision's. The result is
// taken when it changes only the exchanged characters and is valid, or
// refused only for a collision the classifier decides for the result as
// read (netCollision +1); nil otherwise.
func netReading(g *group, zs *zoneShapes, hs [][]float64) *group {
	cs, err := loadShapes()
	classes := mrz.CharClasses(g.rec)
	in := finalReading(g)
	if err != nil || zs == nil || classes == nil || in == nil {
		return nil
	}
	var at []glyphHit
	collided := false
	for k, l := range g.rec.Lines {
		p := zs.net(k)
		if k >= len(classes) || len(p) != len(l) || len(classes[k]) != len(l) {
			continue
		}
		var cand []glyphHit
		skip := map[int]bool{}
		for i := 0; i < len(l); i++ {
			r := l[i]
			o := mrz.SwapPartner(r)
			if classes[k][i] != mrz.ClassEither || o == 0 || p[i] == nil || cs.index[r] == 0 || cs.index[o] == 0 {
				continue
			}
			skip[i] = true
			if p[i][cs.index[o]-1] >= netSure && p[i][cs.index[r]-1] <= netDoubt {
				cand = append(cand, glyphHit{k, i})
			}
		}
		if len(cand) == 0 || !netPlacedBut(p, l, skip) {
			continue
		}
		for _, h := range cand {
			collided = collided || slices.Contains(g.collision, h)
		}
		at = append(at, cand...)
	}
	if !collided {
		return nil
	}
	offerPartners(in, g, at, nil)
	c := reread(g, in, hs, func(c *group) bool {
		if !refusedFor(c.rec, "check_digit_collision") || netCollision(zs.relabel(c.rec.Lines), c.collision, c.collisionTo) != +1 {
			return false
		}
		settleCollision(c)
		return true
	})
	if c == nil || !onlyAt(g.rec.Lines, c.rec.Lines, at) {
		return nil
	}
	c.rec.Checks["cell_class"] = true
	return c
}

// vouchNames is reread's accept for a reading refused only for the
// letters its repair guessed in names, which the classifier vouches for
// on the zone's cells zs (netVouchesNames); nil without cells.
func vouchNames(zs *zoneShapes) func(c *group) bool {
	if zs == nil {
		return nil
	}
	return func(c *group) bool {
		if !refusedFor(c.rec, "names_unambiguous") {
			return false
		}
		classes := mrz.CharClasses(c.rec)
		if classes == nil || !netVouchesNames(c.rec, zs.relabel(c.rec.Lines), classes) {
			return false
		}
		vouched(c)
		return true
	}
}

// vouched makes a reading refused only for its names' guessed letters
// valid: the classifier vouches for them.
func vouched(c *group) {
	c.rec.Valid = true
	c.rec.Checks["names_unambiguous"] = true
	c.rec.Checks["cell_class"] = true
}

// onlyAt: lines b differ from lines a (of the same lengths) at cells of at
// only. A reading the classifier asked for is taken only as its verdict on
// those cells: where the repair needs further changes for the checks to
// hold, it won a lottery (on the seed-8 set the classifier took a blurred
// 6 for a C, and the repair made a Q a C as well to satisfy the check
// digit).
func onlyAt(a, b []string, at []glyphHit) bool {
	if len(a) != len(b) {
		return false
	}
	ok := map[glyphHit]bool{}
	for _, h := range at {
		ok[h] = true
	}
	for k := range a {
		if len(a[k]) != len(b[k]) {
			return false
		}
		for i := range a[k] {
			if a[k][i] != b[k][i] && !ok[glyphHit{k, i}] {
				return false
			}
		}
	}
	return true
}

// netPlacedShare is the share of a line's cells (fillers aside) the
// classifier must name as read for its contradictions to count, or all
// but netPlacedSlack of them: a cell grid placed off the print (a
// character dropped or doubled in the reading it was placed by) puts the
// wrong glyph in many cells, and the classifier, trained on well-placed
// cells, contradicts those with confidence.
const (
	netPlacedShare = 0.9
	netPlacedSlack = 2
)

// netPlaced: the classifier's first choice is the character read for
// netPlacedShare of line l's measured cells other than fillers, or all but
// netPlacedSlack.
func netPlaced(p [][]float64, l string) bool { return netPlacedBut(p, l, nil) }

// netPlacedBut is netPlaced leaving out the cells skip names (the cells
// under judgement).
func netPlacedBut(p [][]float64, l string, skip map[int]bool) bool {
	cs, err := loadShapes()
	if err != nil {
		return false
	}
	n, agree := 0, 0
	for i := range l {
		if l[i] == '<' || i >= len(p) || p[i] == nil || cs.index[l[i]] == 0 || skip[i] {
			continue
		}
		n++
		r := p[i][cs.index[l[i]]-1]
		top := true
		for _, v := range p[i] {
			if v > r {
				top = false
				break
			}
		}
		if top {
			agree++
		}
	}
	return n > 0 && (float64(agree) >= netPlacedShare*float64(n) || agree >= n-netPlacedSlack)
}

// netHits marks (in v) the cells of a zone the classifier contradicts,
// where the heights and shapes left them unjudged, the recognizer listed
// the classifier's character among its alternatives in the reading in
// (whose lines are the zone's lines; nil: none listed) and no check digit
// tells the two apart (checkBlind over checked, checkVouched),
// and returns the
// character it is sure of for each of those and for the cells the heights
// took for their partner: the classifier decides between the readers'
// candidates, it does not bring its own (on the 300 synthetic scenes it
// took a name's I, read at 0.82, for a Z the recognizer never listed).
func netHits(v map[glyphHit]int, zs *zoneShapes, classes [][]byte, in []mrz.Line, checked [][]bool) map[glyphHit]byte {
	prefer := map[glyphHit]byte{}
	for k, l := range zs.lines {
		if k >= len(classes) || len(classes[k]) != len(l) {
			continue
		}
		p := zs.net(k)
		if len(p) != len(l) || !netPlaced(p, l) {
			continue
		}
		for i := range l {
			c := glyphHit{k, i}
			if v[c] > 0 {
				continue
			}
			top, ok := netAgainst(p[i], l[i], classes[k][i])
			if !ok || v[c] == 0 && (!listed(in, k, i, top) || !checkBlind(checked, k, i, l[i], top)) {
				continue
			}
			v[c] = -1
			prefer[c] = top
		}
	}
	return prefer
}

// netOverrule is the classifier's verdict on a valid zone's checked cells,
// which the check digits vouch for: where it is sure (netAgainst) that two
// or more of them are other characters, on lines whose cells agree with
// the reading otherwise (netPlacedBut), the reading is one of two that
// satisfy the check digits only if the exchanges cancel in them (several
// O, C or D read as 0: PGUC7O7O1 read PGU070701, one check digit over
// both). Where all its characters together make a valid zone, that zone
// is taken (checks.cell_class); where they do not, the zone the classifier
// contradicts is refused. One sure contradiction changes nothing: a
// single exchange always breaks a check digit that holds, so the
// classifier is wrong there. g is returned as it was without cells.
func netOverrule(g *group, zs *zoneShapes) *group {
	if g == nil || !g.rec.Valid || zs == nil {
		return g
	}
	checked, classes := mrz.CheckedPositions(g.rec), mrz.CharClasses(g.rec)
	if checked == nil || classes == nil {
		return g
	}
	lines := append([]string(nil), g.rec.Lines...)
	var fixed []mrz.Correction
	for k, l := range g.rec.Lines {
		p := zs.net(k)
		if len(p) != len(l) {
			continue
		}
		skip := map[int]bool{}
		b := []byte(l)
		for i := range b {
			if i >= len(checked[k]) || !checked[k][i] || p[i] == nil {
				continue
			}
			if c, ok := netAgainst(p[i], b[i], classes[k][i]); ok {
				fixed = append(fixed, mrz.Correction{Line: k + 1, Column: i + 1, From: string(b[i]), To: string(c)})
				skip[i] = true
				b[i] = c
			}
		}
		if len(skip) > 0 && !netPlacedBut(p, l, skip) {
			return g // the grid is off the print: the classifier tells nothing
		}
		lines[k] = string(b)
	}
	if len(fixed) < 2 {
		return g
	}
	r := reparsed(g.rec, lines, fixed...)
	if r == nil || !r.Valid {
		refuse(g, "cell_class")
		return g
	}
	r.Checks["cell_class"] = true
	c := *g
	c.rec = r
	return &c
}

// netFavours reports whether the classifier, on the cells zs cut for the
// lines from, favours to at every cell where the two differ (to's
// character likelier than from's) and by netCollisionOdds over them all,
// on grids it places on the print for the other cells. A re-read asked
// for at the cells the classifier contradicts may change another cell
// with them, since a check digit holds only with both changed (held-out
// seed 2, mrz_0286: IRI0A4O read IRI0A40 and repaired IRIOA40, the O and 0
// cancelling; the classifier, sure of the O, leans 0.87 to 0.10 on the
// 0 the re-read restores). Lines must be as long in both.
func netFavours(zs *zoneShapes, from, to []string) bool {
	cs, err := loadShapes()
	if err != nil {
		return false
	}
	odds := 0.0
	skip := map[int]map[int]bool{} // the changed cells, by line
	n, ok := eachChange(zs, from, to, func(k, i int, p [][]float64) bool {
		if cs.index[from[k][i]] == 0 || cs.index[to[k][i]] == 0 {
			return false
		}
		pf, pt := math.Max(p[i][cs.index[from[k][i]]-1], 1e-6), math.Max(p[i][cs.index[to[k][i]]-1], 1e-6)
		if skip[k] == nil {
			skip[k] = map[int]bool{}
		}
		skip[k][i] = true
		odds += math.Log(pt / pf)
		return pt > pf
	})
	if !ok || n == 0 || odds < math.Log(netCollisionOdds) {
		return false
	}
	for k, cells := range skip {
		if !netPlacedBut(zs.net(k), from[k], cells) {
			return false
		}
	}
	return true
}

// eachChange calls f for each cell where the lines to differ from from,
// with the classifier's probabilities p of the cell's line (zs.net),
// until f returns false. It returns the cells visited, and false where f
// stopped, lines differ in length or a changed cell has no scores.
func eachChange(zs *zoneShapes, from, to []string, f func(k, i int, p [][]float64) bool) (int, bool) {
	if zs == nil || len(from) != len(to) {
		return 0, false
	}
	n := 0
	for k := range to {
		if len(from[k]) != len(to[k]) {
			return n, false
		}
		if from[k] == to[k] {
			continue
		}
		p := zs.net(k)
		if len(p) != len(to[k]) {
			return n, false
		}
		for i := range to[k] {
			if from[k][i] == to[k][i] {
				continue
			}
			if p[i] == nil || !f(k, i, p) {
				return n, false
			}
			n++
		}
	}
	return n, true
}

// netUndoes reports whether the classifier, on the cells zs cut for the
// lines to, is sure (netAgainst) at every cell where to differs from from
// of from's character there: a change it takes back. Lines must be as
// long in both; classes are to's character classes.
func netUndoes(zs *zoneShapes, classes [][]byte, from, to []string) bool {
	if len(classes) != len(to) {
		return false
	}
	n, ok := eachChange(zs, from, to, func(k, i int, p [][]float64) bool {
		if len(classes[k]) != len(to[k]) {
			return false
		}
		c, against := netAgainst(p[i], to[k][i], classes[k][i])
		return against && c == from[k][i]
	})
	return ok && n > 0
}

// zoneCells cuts the cells of g's lines where the glyph grid places them;
// nil when g has no line readings to place them by. The cells of the
// zone last asked for are kept: glyphCheck and netOverrule judge the same
// zone (its classifier scores too are computed once).
func (rd *mrzReader) zoneCells(g *group) *zoneShapes {
	if g == nil || len(g.ts) != len(g.lines) {
		return nil
	}
	if rd.cells != nil && rd.cellsOf == g && slices.Equal(rd.cells.lines, g.rec.Lines) {
		return rd.cells
	}
	grids := make([]*cellGrid, len(g.lines))
	for k, l := range g.lines {
		if k < len(g.rec.Lines) {
			grids[k] = rd.lineCells(l, g.ts[k], g.rec.Lines[k])
		}
	}
	rd.cells, rd.cellsOf = newZoneShapes(g.rec.Lines, grids), g
	return rd.cells
}

// netVouchesLegible: each character that makes the zone illegible
// (g.doubts: read under minLegible and not confirmed by Tesseract, or read
// otherwise by it), of which there is at least one, is a letter or digit
// the classifier is sure of in its cell, on a grid placed on the print.
// Two of three readers agreeing on a character the recognizer barely saw
// are the evidence one sure reading would be. A filler in doubt is not
// vouched for.
// Where the recognizer barely saw a name it may also have lost a letter
// to the filler run after it (JA<< for JAN<): no filler cell of the zone
// may hold a letter or digit the classifier is sure of.
func netVouchesLegible(g *group, zs *zoneShapes) bool {
	cs, err := loadShapes()
	if err != nil || zs == nil || len(g.doubts) == 0 {
		return false
	}
	for k, l := range zs.lines {
		p := zs.net(k)
		if len(p) != len(l) {
			return false
		}
		for i := range l {
			if l[i] != '<' || p[i] == nil {
				continue
			}
			for j, v := range p[i] {
				if v >= netSure && cs.chars[j] != '<' {
					return false
				}
			}
		}
	}
	for _, d := range g.doubts {
		if d.line >= len(zs.lines) {
			return false
		}
		final := zs.lines[d.line]
		p := zs.net(d.line)
		if len(p) != len(final) || !netPlaced(p, final) || d.col >= len(final) {
			return false
		}
		c := final[d.col]
		if c == '<' || p[d.col] == nil || cs.index[c] == 0 || p[d.col][cs.index[c]-1] < netSure {
			return false
		}
	}
	return true
}
