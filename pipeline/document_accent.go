package pipeline

import (
	"image"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"

	"docscan/documents"
	"docscan/geom"
	"docscan/models"
	"docscan/preprocess"
)

// A French card prints its holder's given names in mixed case with their
// accents (Chloé, Inès, Émile). PP-OCR's alphabet holds é and è but the
// model all but never emits them, and neither Tesseract deu nor eng reads
// an è (every accented given name of the synthetic licence set was read
// bare). The print tells: an accent is a mark above the letter's body,
// apart from it, where the line's other low letters have no ink; its
// shape tells which (a stroke rising to the right é, falling è; two
// strokes meeting at the top ê; two dots ë).

// accentFields are the French fields printed with their accents.
var accentFields = []string{"given_names", "surname", "birth_place"}

// lowLetters are the lower-case letters with neither ascender nor dot: over
// their columns the band above the x-height holds no ink (but over an e,
// which is looked at for its own accent).
const lowLetters = "acemnorsuvwxz"

// printedAccents puts the accents the print shows on the e and E of a
// French card's names and place of birth (reads whose value one of their
// lines holds, read by PP-OCR: outs; quads on the normalized card canon).
func printedAccents(canon *preprocess.Frame, quads []geom.Quad, outs []*models.Output, country string, reads map[string]documents.Read) {
	printedAccentsOf(canon, quads, func(i int) (models.Text, bool) {
		if i < 0 || i >= len(outs) || outs[i] == nil {
			return models.Text{}, false
		}
		return outs[i].Greedy(nil), true
	}, country, reads)
}

// printedAccentsOf is printedAccents over the lines' readings as read
// gives them (ok false: the line was not read).
func printedAccentsOf(canon *preprocess.Frame, quads []geom.Quad, read func(i int) (models.Text, bool), country string, reads map[string]documents.Read) {
	if country != "FR" {
		return
	}
	for _, name := range accentFields {
		rd, ok := reads[name]
		if !ok || !strings.ContainsAny(rd.Value, "eE") {
			continue
		}
		// the line that holds the value (a field's read may hold its
		// label's line too)
		for _, i := range rd.Lines {
			t, ok := read(i)
			if !ok || i >= len(quads) {
				continue
			}
			if v, ok := accentValue(canon, quads[i], t, rd.Value); ok {
				rd.Value = v
				reads[name] = rd
				break
			}
		}
	}
}

// accentValue is value with the accents the print of its line (quad q on
// canon, read as t) shows over its bare e and E; ok is false when it shows
// none, or the value's letters are not found once in the reading.
func accentValue(canon *preprocess.Frame, q geom.Quad, t models.Text, value string) (string, bool) {
	chars, at, ok := valueLetters(t, value, documents.FoldLetter)
	if !ok {
		return "", false
	}
	val := []rune(value)
	// the line's letters as printed in the value, for their shapes
	printed := make([]rune, len(at))
	var cand []int
	for j, k := range at {
		printed[j] = val[k]
		if val[k] == 'e' || val[k] == 'E' {
			cand = append(cand, j)
		}
	}
	if len(cand) == 0 {
		return "", false
	}
	g, top, ok := marginCrop(canon, q, umlautLift, 0.25)
	if !ok {
		return "", false
	}
	l := newPlateLine(g, top, chars)
	if l == nil {
		return "", false
	}
	l.others = otherCentres(t, chars, g.Bounds().Dx())
	cols, ok := l.letterCols()
	if !ok {
		return "", false
	}
	changed := false
	for _, j := range cand {
		if a := l.accentOver(j, printed, cols); a != 0 {
			if printed[j] == 'E' {
				a = unicode.ToUpper(a)
			}
			val[at[j]] = a
			changed = true
		}
	}
	if !changed {
		return "", false
	}
	return string(val), true
}

// otherCentres are the centres, in pixels of a crop w wide, of the
// characters of reading t that are not the value's letters (chars): the
// parentheses around a French licence's place of birth, the date before
// it.
func otherCentres(t models.Text, chars []models.Char, w int) []float64 {
	var out []float64
	for _, c := range t.Chars {
		if !slices.ContainsFunc(chars, func(v models.Char) bool { return v.X0 == c.X0 && v.X1 == c.X1 }) {
			out = append(out, (c.X0+c.X1)/2*float64(w))
		}
	}
	return out
}

// Accent marks, as shares of the letter's body height h: the band searched
// above the body's top (a lower-case accent stands up to 0.7 h above the
// x-height, a capital's within 0.45 h above the cap height), the gap
// between the two, and the least ink in the band (of its area over the
// letter's column) that makes a mark.
const (
	accentReachLow = 0.75
	accentReachCap = 0.45
	accentGap      = 0.05
	minAccentInk   = 0.03
	minAccentSlope = 0.3 // |dx/dy| of a stroke that leans: é or è
)

// accentOver is the accented letter (é, è, ê or ë, in lower case) whose
// mark the print shows over letter j of the line (an e or E: printed[j],
// the line's letters in order; cols their columns of ink, letterCols), 0
// for none or a mark of no clear shape. A lower-case e's body reaches up
// to the x-height the line's other low letters (lowLetters) show, and
// their columns above it must hold far less ink than the mark; a
// capital's body is its own column's rows.
func (l *plateLine) accentOver(j int, printed []rune, cols [][2]int) rune {
	y0, y1 := l.colBody(cols[j])
	h := y1 - y0
	if h < 8 {
		return 0
	}
	upper := printed[j] == 'E'
	var low []int
	var tops []int
	for i, r := range printed {
		if i == j || r == 'e' || !strings.ContainsRune(lowLetters, r) {
			continue
		}
		a, b := l.colBody(cols[i])
		if b-a < 8 {
			continue
		}
		low = append(low, i)
		tops = append(tops, a)
	}
	reach := accentReachLow
	if upper {
		reach = accentReachCap
	} else {
		if len(low) == 0 {
			return 0
		}
		// the band stands on the x-height the low letters show (the
		// highest of their tops: round letters overshoot it): the e's own
		// column runs higher where a blurred mark touches it
		sort.Ints(tops)
		if y0 = tops[0]; y1-y0 < 8 {
			return 0
		}
		h = y1 - y0
	}
	bandTop := max(0, y0-int(reach*float64(h)+0.5))
	bandBot := y0 - int(accentGap*float64(h)+0.5)
	if bandBot-bandTop < 3 {
		return 0
	}
	x0, x1 := cols[j][0], cols[j][1]
	n := l.inkIn(image.Rect(x0, bandTop, x1, bandBot))
	if float64(n) < minAccentInk*float64((x1-x0)*(bandBot-bandTop)) {
		return 0
	}
	for _, i := range low {
		// over the letter's middle half: a neighbour's accent leans
		// over its sides
		a, b := cols[i][0], cols[i][1]
		a, b = a+(b-a)/4, b-(b-a)/4
		if float64(l.inkIn(image.Rect(a, bandTop, b, bandBot)))/float64(b-a) > maxOthersInk*float64(n)/float64(x1-x0) {
			return 0 // ink over the low letters too: a line, a shadow, noise
		}
	}
	return l.markShape(x0, bandTop, x1, bandBot)
}

// Rows of the line's box (of 48) that every letter's print crosses, the
// x-height's middle, where letterCols looks for the gaps between letters;
// the ink a column holds there to be print, not a blurred letter's bleed
// into the gap; the narrowest run of such columns that counts; and the
// widest gap, in pitches, across which a run no letter's centre falls in
// is joined to its neighbour (joinParts).
const (
	colRow0, colRow1 = 18, 36
	minColInk        = 2
	minColWidth      = 2
	maxPartGap       = 0.3
)

// letterCols is the columns of the line's letters (l.chars, in order):
// the runs of crop columns with ink over the x-height's middle rows, each
// holding the letters whose recognized centres fall in it (or nearest
// it); a run holding several is cut at its faintest column between each
// two (blurred bold print touches). Runs holding no letter (a label's
// digit, a stain) are left out. The recognizer's positions only order the
// letters: they stray by half a letter on proportional print.
func (l *plateLine) letterCols() ([][2]int, bool) {
	w := l.g.Bounds().Dx()
	colInk := make([]int, w)
	var runs [][2]int
	start := -1
	for x := 0; x <= w; x++ {
		ink := false
		if x < w {
			colInk[x] = l.inkIn(image.Rect(x, l.top+colRow0, x+1, l.top+colRow1))
			ink = colInk[x] > minColInk
		}
		switch {
		case ink && start < 0:
			start = x
		case !ink && start >= 0:
			if x-start >= minColWidth {
				runs = append(runs, [2]int{start, x})
			}
			start = -1
		}
	}
	if len(runs) == 0 {
		return nil, false
	}
	runs = l.joinParts(runs)
	// each letter's run: the one holding its centre, else the nearest
	held := make([][]int, len(runs))
	prev := 0
	for i, c := range l.cen {
		best, bd := 0, math.Inf(1)
		for k, r := range runs {
			d := 0.0
			if c < float64(r[0]) {
				d = float64(r[0]) - c
			} else if c >= float64(r[1]) {
				d = c - float64(r[1]-1)
			}
			if d < bd {
				best, bd = k, d
			}
		}
		if best < prev {
			return nil, false // out of order: the runs are not the letters
		}
		prev = best
		held[best] = append(held[best], i)
	}
	cols := make([][2]int, 0, len(l.cen))
	for k, r := range runs {
		if len(held[k]) == 0 {
			continue
		}
		// the run's letters and the other characters whose centres fall
		// in it (a parenthesis touching the last letter), in order: one
		// part each, the others' left out
		type part struct {
			c      float64
			letter bool
		}
		var ps []part
		for _, i := range held[k] {
			ps = append(ps, part{l.cen[i], true})
		}
		for _, c := range l.others {
			if c >= float64(r[0]) && c < float64(r[1]) {
				ps = append(ps, part{c, false})
			}
		}
		sort.SliceStable(ps, func(i, j int) bool { return ps[i].c < ps[j].c })
		x0 := r[0]
		for m := 1; m < len(ps); m++ {
			// the faintest column between the two centres
			a := max(x0+minColWidth, int(ps[m-1].c+0.5))
			b := min(r[1]-minColWidth, int(ps[m].c+0.5))
			if b <= a {
				return nil, false
			}
			cut := a
			for x := a; x < b; x++ {
				if colInk[x] < colInk[cut] {
					cut = x
				}
			}
			if ps[m-1].letter {
				cols = append(cols, [2]int{x0, cut})
			}
			x0 = cut + 1
		}
		if ps[len(ps)-1].letter {
			cols = append(cols, [2]int{x0, r[1]})
		}
	}
	return cols, len(cols) == len(l.cen)
}

// joinParts joins to its neighbour a run of ink no letter's centre (nor
// another character's of the reading, l.others) falls in that lies within
// maxPartGap pitches of it (a serif letter's stems apart over the
// x-height's middle: an n's two, an m's three); such runs farther off (a
// label's digit) stay apart.
func (l *plateLine) joinParts(runs [][2]int) [][2]int {
	in := func(r [2]int) func(c float64) bool {
		return func(c float64) bool { return c >= float64(r[0]) && c < float64(r[1]) }
	}
	holds := func(r [2]int) bool {
		return slices.ContainsFunc(l.cen, in(r)) || slices.ContainsFunc(l.others, in(r))
	}
	gap := maxPartGap * l.pitch
	out := [][2]int{runs[0]}
	for _, r := range runs[1:] {
		last := &out[len(out)-1]
		if float64(r[0]-last[1]) < gap && (!holds(r) || !holds(*last)) {
			last[1] = r[1]
			continue
		}
		out = append(out, r)
	}
	return out
}

// markShape tells the accent whose ink fills the box x0..x1, y0..y1 of
// the crop: per row its runs of ink and their centre; two runs on most
// rows are two dots (ë) or, where the top rows hold one, a circumflex (ê);
// one stroke leaning right as it rises is acute (é), left grave (è).
func (l *plateLine) markShape(x0, y0, x1, y1 int) rune {
	type row struct {
		y, runs int
		cx      float64
	}
	var rows []row
	for y := y0; y < y1; y++ {
		px := l.g.Pix[y*l.g.Stride:]
		runs, sum, n := 0, 0, 0
		prev := false
		for x := x0; x < x1; x++ {
			ink := px[x] < l.thr
			if ink {
				sum += x
				n++
				if !prev {
					runs++
				}
			}
			prev = ink
		}
		if n > 0 {
			rows = append(rows, row{y: y, runs: runs, cx: float64(sum) / float64(n)})
		}
	}
	if len(rows) < 2 {
		return 0
	}
	two := 0
	for _, r := range rows {
		if r.runs >= 2 {
			two++
		}
	}
	if 2*two > len(rows) {
		if rows[0].runs >= 2 {
			return 'ë'
		}
		return 'ê'
	}
	// least squares of the centre's column on the row
	var sy, sx, syy, sxy float64
	for _, r := range rows {
		y := float64(r.y)
		sy += y
		sx += r.cx
		syy += y * y
		sxy += y * r.cx
	}
	k := float64(len(rows))
	den := k*syy - sy*sy
	if den <= 0 {
		return 0
	}
	slope := (k*sxy - sy*sx) / den // columns per row, rows counted downwards
	switch {
	case slope <= -minAccentSlope:
		return 'é' // its top to the right
	case slope >= minAccentSlope:
		return 'è'
	}
	return 0
}
