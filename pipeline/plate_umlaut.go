package pipeline

import (
	"image"
	"sort"

	"docscan/geom"
	"docscan/models"
	"docscan/plates"
	"docscan/preprocess"
)

// The recognizer has no Ä or Ö and often reads Ü as U: where a German
// district exists both with and without the umlaut (BO Bochum and BÖ
// Börde, MU and MÜ...), the grammar cannot tell them apart, but the print
// can. The dots stand above the letter (DIN 1451 as printed on many plates)
// or inside its height over a shortened letter (the FE-Schrift): either
// way the letter's column holds ink above the body of the other
// characters, or above its own shortened body, where theirs holds none.

// umlautLift is how far above the text box the crop for the dots reaches,
// as a share of the box's height.
const umlautLift = 0.5

// Thresholds of the dots test (dotsAbove), as shares of the band over
// the letter's column: its ink, and the most any other character of the
// plate may have in the same band for the dots to stand out.
const (
	minDotsInk   = 0.15
	maxOthersInk = 0.5 // of the letter's ink
)

// marginCrop is region quad q warped to the 48-pixel line height of the
// recognizer's crop, with up and down times its height more above and
// below it: the box's own rows are [top, top+48).
func marginCrop(f *preprocess.Frame, q geom.Quad, up, down float64) (g *image.Gray, top int, ok bool) {
	img, top, ok := marginWarp(f, q, up, down, true)
	if !ok {
		return nil, 0, false
	}
	g, ok = img.(*image.Gray)
	return g, top, ok
}

// marginWarp is marginCrop's warp, in colour unless gray is set.
func marginWarp(f *preprocess.Frame, q geom.Quad, up, down float64, gray bool) (img image.Image, top int, ok bool) {
	qw, qh := q.Width(), q.Height()
	if qw < 2 || qh < 8 {
		return nil, 0, false
	}
	l := geom.Point{q[0][0] - q[3][0], q[0][1] - q[3][1]} // upward, left side
	r := geom.Point{q[1][0] - q[2][0], q[1][1] - q[2][1]}
	e := q
	e[0] = geom.Point{q[0][0] + up*l[0], q[0][1] + up*l[1]}
	e[1] = geom.Point{q[1][0] + up*r[0], q[1][1] + up*r[1]}
	e[2] = geom.Point{q[2][0] - down*r[0], q[2][1] - down*r[1]}
	e[3] = geom.Point{q[3][0] - down*l[0], q[3][1] - down*l[1]}
	const hh = 48
	top = int(hh*up + 0.5)
	w := max(8, min(int(hh*qw/qh+0.5), hh*60))
	img, err := f.Warp(e, w, top+hh+int(hh*down+0.5), gray)
	if err != nil {
		return nil, 0, false
	}
	return img, top, true
}

// plateLine is a region's line as the print checks see it: the gray crop
// of its box with margins (the box's rows are [top, top+48)), the ink
// threshold (Otsu over the box's middle rows: plate print is dark on a
// light field), the reading's kept characters with their centres in crop
// pixels, and their median pitch.
type plateLine struct {
	g     *image.Gray
	top   int
	thr   uint8
	chars []models.Char
	cen   []float64
	pitch float64
	// others are the centres of the reading's characters that are not
	// the line's (chars): runs of ink they fall in are theirs (letterCols)
	others []float64
	// probs holds the plate classifier's probabilities per character
	// once asked (netProbs): the veto and the exchanges ask for the same
	probs map[int][]float64
}

// newPlateLine measures the line of chars (kept characters whose X0/X1 are
// shares of g's width) in crop g whose text box starts at row top; nil
// when it holds fewer than two characters, is too small, or the pitch is
// under 6 pixels.
func newPlateLine(g *image.Gray, top int, chars []models.Char) *plateLine {
	b := g.Bounds()
	if len(chars) < 2 || b.Dx() < 8 || b.Dy() < top+48 {
		return nil
	}
	l := &plateLine{g: g, top: top, chars: chars}
	l.thr = otsu(g.SubImage(image.Rect(b.Min.X, b.Min.Y+top+10, b.Max.X, b.Min.Y+top+38)).(*image.Gray))
	for _, c := range chars {
		l.cen = append(l.cen, (c.X0+c.X1)/2*float64(b.Dx()))
	}
	var d []float64
	for i := 1; i < len(l.cen); i++ {
		d = append(d, l.cen[i]-l.cen[i-1])
	}
	sort.Float64s(d)
	if l.pitch = d[len(d)/2]; l.pitch < 6 {
		return nil
	}
	return l
}

// darkIn is the crop's mean darkness (255 - gray) in r (clipped to the
// crop; 0 when that is empty).
func (l *plateLine) darkIn(r image.Rectangle) float64 {
	r = r.Intersect(l.g.Bounds())
	sum := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for _, v := range l.g.Pix[y*l.g.Stride+r.Min.X : y*l.g.Stride+r.Max.X] {
			sum += 255 - int(v)
		}
	}
	if r.Empty() {
		return 0
	}
	return float64(sum) / float64(r.Dx()*r.Dy())
}

// inkIn counts the crop's ink pixels in r (clipped to the crop).
func (l *plateLine) inkIn(r image.Rectangle) int {
	r = r.Intersect(l.g.Bounds())
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for _, v := range l.g.Pix[y*l.g.Stride+r.Min.X : y*l.g.Stride+r.Max.X] {
			if v < l.thr {
				n++
			}
		}
	}
	return n
}

// regionLine is region r's line cropped from f with half its box's height
// more above (an umlaut's dots) and a quarter below (a glyph's foot), for
// its PP-OCR reading's kept characters; nil where newPlateLine is.
func regionLine(f *preprocess.Frame, r Region) *plateLine {
	if len(r.Chars) == 0 || r.Engine != "ppocr" {
		return nil
	}
	g, top, ok := marginCrop(f, r.Quad, umlautLift, 0.25)
	if !ok {
		return nil
	}
	chars, _ := keptChars(r, true)
	return newPlateLine(g, top, chars)
}

// dotsAbove reports which of the characters at positions cand (indices
// into l.chars) carry an umlaut's dots. The other characters give the
// capitals' top and height; a character is dotted when the band above
// that top (or above its own body, when that is lower) holds ink in its
// column and theirs hold far less. Nothing is reported when fewer than two
// other characters measure, or their height is unsure.
func dotsAbove(l *plateLine, cand []int) map[int]bool {
	if l == nil || len(l.chars) < 3 {
		return nil
	}
	c, ok := l.capitals(cand)
	if !ok {
		return nil
	}
	return l.inkDots(c, cand)
}

// inkDots is dotsAbove's test over the measured capitals c.
func (l *plateLine) inkDots(c caps, cand []int) map[int]bool {
	// The band: from 0.3 of the capitals' height above their top (DIN's
	// dots reach 0.21; the plate's frame lies farther out) to just above it.
	bandTop := c.top - int(0.3*float64(c.h)+0.5)
	bandBot := c.top - int(0.08*float64(c.h)+0.5)
	// The frame's top stroke where it comes nearer (a plate boxed
	// tight, or seen from below): rows inked across the line's
	// characters are frame, and the band starts below them.
	x0, _ := l.span(0)
	_, x1 := l.span(len(l.chars) - 1)
	for y := bandBot - 1; y >= bandTop && x1 > x0; y-- {
		if float64(l.inkIn(image.Rect(x0, y, x1, y+1))) > frameRowInk*float64(x1-x0) {
			bandTop = y + 1
			break
		}
	}
	if bandBot-bandTop < 2 {
		return nil
	}
	most := 0
	for _, i := range c.others {
		most = max(most, l.count(i, bandTop, bandBot))
	}
	out := map[int]bool{}
	for _, i := range cand {
		n := l.count(i, bandTop, bandBot)
		// A shortened letter under its dots: the rows between the
		// capitals' top and its own body count too.
		if y0, y1 := l.body(i); y1-y0 >= c.h/2 && y0 > c.top+c.h/10 {
			n += l.count(i, bandBot, y0-1)
		}
		cx0, cx1 := l.span(i)
		a := float64((cx1 - cx0) * (bandBot - bandTop))
		if a > 0 && float64(n)/a >= minDotsInk && float64(most) <= maxOthersInk*float64(n) {
			out[i] = true
		}
	}
	return out
}

// frameRowInk is the share of a row across a line's characters inked
// from which the row is the frame's stroke, not dots (the dots of two
// umlauts ink less than a fifth of it).
const frameRowInk = 0.35

// span is character i's column: its centre plus or minus 0.4 of the pitch.
func (l *plateLine) span(i int) (int, int) {
	return max(0, int(l.cen[i]-0.4*l.pitch+0.5)), min(l.g.Bounds().Dx(), int(l.cen[i]+0.4*l.pitch+0.5))
}

// count is the ink in character i's column between rows y0 and y1.
func (l *plateLine) count(i, y0, y1 int) int {
	x0, x1 := l.span(i)
	return l.inkIn(image.Rect(x0, y0, x1, y1))
}

// body is the rows around the box's middle row with ink in character i's
// column (a row with at most one inked pixel ends it).
func (l *plateLine) body(i int) (int, int) {
	x0, x1 := l.span(i)
	return l.colBody([2]int{x0, x1})
}

// colBody is the rows around the box's middle row with ink in column c (a
// row with at most one inked pixel ends it).
func (l *plateLine) colBody(c [2]int) (int, int) {
	h := l.g.Bounds().Dy()
	row := func(y int) int { return l.inkIn(image.Rect(c[0], y, c[1], y+1)) }
	ym := l.top + 24
	y0, y1 := ym, ym
	for y0 > 0 && row(y0-1) > 1 {
		y0--
	}
	for y1 < h-1 && row(y1+1) > 1 {
		y1++
	}
	return y0, y1 + 1
}

// caps are a line's capitals as measured around candidate letters: the
// other characters with a body, their top row and height.
type caps struct {
	others []int
	top, h int
}

// capitals measures the characters of l other than cand; ok is false when
// fewer than two have a body or they disagree.
func (l *plateLine) capitals(cand []int) (caps, bool) { return l.capitalsOf(cand, 2) }

// capitalsOf is capitals with at least least others measured.
func (l *plateLine) capitalsOf(cand []int, least int) (caps, bool) {
	isCand := map[int]bool{}
	for _, i := range cand {
		isCand[i] = true
	}
	var tops, bots, others []int
	for i, c := range l.chars {
		if isCand[i] || len(c.Char) != 1 {
			continue
		}
		y0, y1 := l.body(i)
		if y1-y0 < 12 {
			continue // no body in the column: a gap, a mark
		}
		tops, bots = append(tops, y0), append(bots, y1)
		others = append(others, i)
	}
	if len(others) < least || len(others) == 0 {
		return caps{}, false
	}
	sort.Ints(tops)
	sort.Ints(bots)
	c := caps{others: others, top: tops[len(tops)/2], h: bots[len(bots)/2] - tops[len(tops)/2]}
	// The capitals' top must be sure: the others agree within a tenth of
	// their height, and they are not cut by the crop.
	if c.h < 16 || tops[len(tops)-1]-tops[0] > c.h/10+1 || c.top <= 1 {
		return caps{}, false
	}
	return c, true
}

// umlautVowel maps a reading's character to the umlaut it may be
// printed with the dots unseen.
var umlautVowel = map[rune]rune{'O': 'Ö', '0': 'Ö', 'A': 'Ä', 'U': 'Ü'}

// dotted turns the German plate rec, read as reading on line l (its
// region's, regionLine), into the plate its district makes with an umlaut
// where the print shows the dots over that letter and the grammar has the
// district both ways (BO-U 79 with dots over the O: BÖ-U 79). rec itself
// otherwise.
func (b PlateBuilder) dotted(l *plateLine, reading plates.Reading, rec *plates.Record) *plates.Record {
	if rec == nil || rec.Country != "DE" || l == nil {
		return rec
	}
	rs := alnumRunes(reading.Text)
	if len(l.chars) != len(rs) || len([]rune(rec.Text)) != len(rs) {
		return rec
	}
	dots := dotsAbove(l, districtVowels(rec))
	if x := withUmlauts(rec, reading, dots, -1); x != nil {
		return x
	}
	if x := withUmlautsResplit(rec, reading, dots); x != nil {
		return x
	}
	return rec
}

// withUmlautsResplit is withUmlauts where the umlaut's district is longer
// than rec's: only where rec's district does not exist with the umlaut
// (KU Kulmbach has no KÜ) and the dotted text makes a German plate only
// with the longer one (KUNF63 with dots over the U: KÜN-F 63).
func withUmlautsResplit(rec *plates.Record, reading plates.Reading, dots map[int]bool) *plates.Record {
	if len(dots) == 0 {
		return nil
	}
	if _, ok := plates.LookupDistrict(umlauted(rec.Parts.District, dots)); ok {
		return nil
	}
	u := reading
	u.Text = umlauted(rec.Text, dots)
	if x := germanWithin(u, 0); x != nil && len([]rune(x.Parts.District)) > len([]rune(rec.Parts.District)) {
		return x
	}
	return nil
}

// districtVowels are the places in rec's text of its district's letters
// that may be printed with an umlaut (umlautVowel).
func districtVowels(rec *plates.Record) []int {
	text := []rune(rec.Text)
	var cand []int
	for i := 0; i < len([]rune(rec.Parts.District)) && i < len(text); i++ {
		if _, ok := umlautVowel[text[i]]; ok {
			cand = append(cand, i)
		}
	}
	return cand
}

// withUmlauts is the German plate of rec's text with the umlauts at
// dots, read as reading (split after split characters, -1: as one
// run), when its district is as long as rec's; nil otherwise.
func withUmlauts(rec *plates.Record, reading plates.Reading, dots map[int]bool, split int) *plates.Record {
	if len(dots) == 0 {
		return nil
	}
	v := []rune(umlauted(rec.Text, dots))
	u := reading
	u.Text = string(v)
	if split > 0 && split < len(v) {
		u.Text = string(v[:split]) + " " + string(v[split:])
	}
	if x := germanWithin(u, 0); x != nil && len([]rune(x.Parts.District)) == len([]rune(rec.Parts.District)) {
		return x
	}
	return nil
}

// umlauted is s with the vowels at dots (rune indices) made umlauts
// (umlautVowel).
func umlauted(s string, dots map[int]bool) string {
	v := []rune(s)
	for i := range dots {
		if i < len(v) {
			v[i] = umlautVowel[v[i]]
		}
	}
	return string(v)
}

// dottedPair is dotted for a two-line plate rec read as reading, its top
// line's text texts[0] from line top: the district on the top line has
// two or three characters, and one other than the candidate vowels gives
// the capitals (BÖ over MA151H, read BO-MA 151H).
func (b PlateBuilder) dottedPair(top *plateLine, texts []string, reading plates.Reading, rec *plates.Record) *plates.Record {
	if rec == nil || rec.Country != "DE" || top == nil || len(texts) != 2 || len(top.chars) != alnumLen(texts[0]) {
		return rec
	}
	if len([]rune(rec.Parts.District)) > len(top.chars) || len([]rune(rec.Text)) != alnumLen(reading.Text) {
		return rec
	}
	cand := districtVowels(rec)
	if len(cand) == 0 {
		return rec
	}
	c, ok := top.capitalsOf(cand, 1)
	if !ok {
		return rec
	}
	if x := withUmlauts(rec, reading, top.inkDots(c, cand), len(top.chars)); x != nil {
		return x
	}
	return rec
}
