package pipeline

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"image"
	"math"
	"sort"
	"strings"
	"sync"
	"unicode"

	"docscan/plates"
)

// The recognizer confuses characters of the plate font that the print
// tells apart: DIN's I and 1 (the 1's flag), J and T, D, O and 0 (D's
// straight side, the 0 narrower than the O), B and 8. Where a reading's
// character has such a partner, its glyph in the crop is compared with
// both as the plate font draws them, and the partner that fits clearly
// better is offered to the grammar.

// dinGlyphsTable holds the plate font's characters (made by cmd/ocrbcells
// from fonts-opendin, see synth.DINGlyphs; checked against the font by
// TestDINGlyphsTable).
//
//go:embed din_glyphs.bin
var dinGlyphsTable []byte

// dinGlyphs is the glyph table: per character, its ink coverage (0..1)
// over its ink columns and the capitals' rows, pad pixels around.
type dinGlyphs struct {
	capH, pad int
	index     [256]int // character's index + 1
	w         []int
	cov       [][]float64
}

var loadDIN = sync.OnceValues(func() (*dinGlyphs, error) { return parseDIN(dinGlyphsTable) })

// parseDIN reads the table written by synth.DINGlyphs.
func parseDIN(b []byte) (*dinGlyphs, error) {
	if len(b) < 10 || string(b[:4]) != "DIN1" {
		return nil, errors.New("din glyphs: not a glyph table")
	}
	u := func(off int) int { return int(binary.LittleEndian.Uint16(b[off:])) }
	d := &dinGlyphs{capH: u(4), pad: u(6)}
	n := u(8)
	h := d.capH + 2*d.pad
	off := 10
	for k := 0; k < n; k++ {
		if off+3 > len(b) {
			return nil, errors.New("din glyphs: table cut short")
		}
		c, w := b[off], u(off+1)
		off += 3
		if w == 0 || off+w*h > len(b) {
			return nil, errors.New("din glyphs: table cut short")
		}
		cov := make([]float64, w*h)
		for i, v := range b[off : off+w*h] {
			cov[i] = float64(v) / 255
		}
		off += w * h
		d.index[c] = k + 1
		d.w = append(d.w, w)
		d.cov = append(d.cov, cov)
	}
	if off != len(b) || h == 0 {
		return nil, errors.New("din glyphs: table size does not match its header")
	}
	return d, nil
}

// at is the coverage of glyph k at (u, v) in its table pixels, bilinear,
// zero outside.
func (d *dinGlyphs) at(k int, u, v float64) float64 {
	w, h := d.w[k], d.capH+2*d.pad
	u, v = u-0.5, v-0.5
	x0, y0 := int(math.Floor(u)), int(math.Floor(v))
	fx, fy := u-float64(x0), v-float64(y0)
	px := func(x, y int) float64 {
		if x < 0 || y < 0 || x >= w || y >= h {
			return 0
		}
		return d.cov[k][y*w+x]
	}
	return (1-fy)*((1-fx)*px(x0, y0)+fx*px(x0+1, y0)) + fy*((1-fx)*px(x0, y0+1)+fx*px(x0+1, y0+1))
}

// plateConfusions lists, per character, the characters of the plate font
// the recognizer reads it for.
var plateConfusions = map[byte]string{
	'I': "1JT", '1': "IJT", 'J': "I1", 'T': "I1",
	'D': "O0", 'O': "D0", '0': "OD",
	'B': "8", '8': "B", 'S': "5", '5': "S", 'Z': "2", '2': "Z", 'G': "6", '6': "G",
	'M': "N", 'N': "M",
}

// glyphBox is the ink box of the glyph at character i of line l: the
// inked columns (a few ink pixels among the text box's middle rows;
// single ones are noise) around the one nearest the reading's centre for
// it, at most 0.7 pitch from it, and the rows with ink among them around
// the box's middle row. ok is false when no glyph of a capital's size is
// there, or the crop cuts it.
func (l *plateLine) glyphBox(i int) (image.Rectangle, bool) {
	b := l.g.Bounds()
	cx, pitch := l.cen[i], l.pitch
	band0, band1 := l.top+48/5, l.top+48*4/5
	col := func(x int) int { return l.inkIn(image.Rect(x, band0, x+1, band1)) }
	const colInk = 2
	lo, hi := max(0, int(cx-0.7*pitch)), min(b.Dx(), int(cx+0.7*pitch)+1)
	start := -1
	for d := 0; d <= int(0.3*pitch)+1 && start < 0; d++ {
		for _, x := range []int{int(cx) - d, int(cx) + d} {
			if x >= lo && x < hi && col(x) >= colInk {
				start = x
				break
			}
		}
	}
	if start < 0 {
		return image.Rectangle{}, false
	}
	x0, x1 := start, start+1
	for x0 > lo && col(x0-1) >= colInk {
		x0--
	}
	for x1 < hi && col(x1) >= colInk {
		x1++
	}
	rowInk := max(2, (x1-x0)*15/100)
	row := func(y int) int { return l.inkIn(image.Rect(x0, y, x1, y+1)) }
	ym := l.top + 24
	y0, y1 := ym, ym+1
	for y0 > 0 && row(y0-1) >= rowInk {
		y0--
	}
	for y1 < b.Dy() && row(y1) >= rowInk {
		y1++
	}
	r := image.Rect(x0, y0, x1, y1)
	if r.Dy() < 12 || r.Dx() < 2 || y0 == 0 || y1 == b.Dy() {
		return image.Rectangle{}, false // too small, or cut by the crop
	}
	return r, true
}

// widest is the ink width of the widest of c and alts at a capital
// height of h pixels.
func (d *dinGlyphs) widest(c byte, alts string, h int) float64 {
	most := 0
	for _, x := range append([]byte{c}, alts...) {
		if k := d.index[x] - 1; k >= 0 {
			most = max(most, d.w[k]-2*d.pad)
		}
	}
	return float64(most) * float64(h) / float64(d.capH)
}

// glyphFit is how well glyph c of the plate font, scaled to the height of
// box r, fits the print in crop g there: the best normalized correlation
// over the print's blur and small shifts (-1..1).
func (d *dinGlyphs) glyphFit(g *image.Gray, r image.Rectangle, c byte) float64 {
	k := d.index[c] - 1
	if k < 0 {
		return -1
	}
	s := float64(r.Dy()) / float64(d.capH)
	inner := float64(d.w[k]-2*d.pad) * s
	pad := int(float64(d.pad)*s) + 1
	ww := int(math.Max(float64(r.Dx()), inner)+0.5) + 2*pad
	wh := r.Dy() + 2*pad
	cx, cy := float64(r.Min.X+r.Max.X)/2, float64(r.Min.Y+r.Max.Y)/2
	b := g.Bounds()
	gray := func(x, y float64) float64 {
		xi := min(max(int(x), 0), b.Dx()-1)
		yi := min(max(int(y), 0), b.Dy()-1)
		return 1 - float64(g.Pix[yi*g.Stride+xi])/255
	}
	tmpl := make([]float64, ww*wh)
	for j := 0; j < wh; j++ {
		for i := 0; i < ww; i++ {
			x := float64(i) + 0.5 - float64(ww)/2
			y := float64(j) + 0.5 - float64(wh)/2
			tmpl[j*ww+i] = d.at(k, x/s+float64(d.w[k])/2, y/s+float64(d.capH+2*d.pad)/2)
		}
	}
	// the print at the nine shifts, each sampled once for every blur
	var obs [][]float64
	for dy := -1; dy <= 1; dy++ {
		for dx := -1; dx <= 1; dx++ {
			o := make([]float64, ww*wh)
			for j := 0; j < wh; j++ {
				for i := 0; i < ww; i++ {
					o[j*ww+i] = gray(cx-float64(ww)/2+float64(i)+float64(dx), cy-float64(wh)/2+float64(j)+float64(dy))
				}
			}
			obs = append(obs, unitize(o))
		}
	}
	best := -1.0
	for _, sg := range []float64{0, 0.04, 0.08, 0.12} {
		t := unitize(gaussBlur(tmpl, ww, wh, sg*float64(r.Dy())))
		for _, o := range obs {
			best = math.Max(best, dot(o, t))
		}
	}
	return best
}

// shapeSureProb: a character PP-OCR read at this probability or more is
// not exchanged for the glyph fit (GE ST63's T at 1.00 fitted 1 better,
// making GE-S 163).
const shapeSureProb = 0.995

// shapeMargin is how much better a partner must fit a glyph than the
// character read for it to be offered.
const shapeMargin = 0.06

// shapeFlips are, per position of line l's characters, the partner that
// fits its glyph better than the character read by shapeMargin or more,
// and by how much, unless the plate character classifier backs the
// character read; and where the classifier contradicts a character read
// unsure, its character (netFlips).
func shapeFlips(l *plateLine) map[int]flip {
	d, err := loadDIN()
	if err != nil || l == nil {
		return nil
	}
	out := map[int]flip{}
	for i, c := range l.chars {
		if len(c.Char) != 1 || c.Prob >= shapeSureProb {
			continue
		}
		read := strings.ToUpper(c.Char)[0]
		alts := plateConfusions[read]
		if alts == "" {
			continue
		}
		r, ok := l.glyphBox(i)
		if !ok {
			continue
		}
		// a box much wider than any of the glyphs is two glyphs run
		// together (blur, a tight pitch): nothing to compare
		if float64(r.Dx()) > 1.3*d.widest(read, alts, r.Dy())+2 {
			continue
		}
		own := d.glyphFit(l.g, r, read)
		for j := 0; j < len(alts); j++ {
			if f := d.glyphFit(l.g, r, alts[j]) - own; f >= shapeMargin && f > out[i].by {
				out[i] = flip{alts[j], f}
			}
		}
	}
	// the classifier: it vetoes a glyph fit's exchange where it backs the
	// character read (HN-W 7424E's N fitted M better), and offers its own
	// where it contradicts one read unsure (DD-ND 66 read DO-NO 66)
	for i := range out {
		if backs(l, i) {
			delete(out, i)
		}
	}
	for i, f := range netFlips(l) {
		out[i] = f
	}
	return out
}

type flip struct {
	to byte
	by float64
}

// reshaped offers the grammar the reading on line l (its region's,
// regionLine) with the characters whose glyphs fit a partner better
// (shapeFlips) exchanged, all of them, else each alone, best fit first:
// the first that makes a valid German plate without a repair replaces rec
// (BO L15 with a flagless 1: BÖ-LI 5; a reading no plate was made of may
// become one). rec otherwise.
func (b PlateBuilder) reshaped(l *plateLine, reading plates.Reading, rec *plates.Record) *plates.Record {
	if l == nil || (b.Country != "" && b.Country != "DE") || (b.prefer != "" && b.prefer != "DE") {
		return rec
	}
	if rec != nil && rec.Country != "DE" || len(l.chars) != alnumLen(reading.Text) {
		return rec
	}
	flips := shapeFlips(l)
	for i, f := range twinFlips(l, reading.Text, rec) {
		if _, ok := flips[i]; !ok {
			if flips == nil {
				flips = map[int]flip{}
			}
			flips[i] = f
		}
	}
	return b.reshapedBy(flips, reading, rec)
}

// reshapedPair is reshaped for a two-line plate read as reading, the
// top line's text then the bottom's (texts), from lines top and bot
// (S-D 6 read S O6: the D's straight side).
func (b PlateBuilder) reshapedPair(top, bot *plateLine, texts []string, reading plates.Reading, rec *plates.Record) *plates.Record {
	if top == nil || bot == nil || len(texts) != 2 || (b.Country != "" && b.Country != "DE") || (b.prefer != "" && b.prefer != "DE") {
		return rec
	}
	if rec != nil && rec.Country != "DE" || len(top.chars) != alnumLen(texts[0]) || len(bot.chars) != alnumLen(texts[1]) {
		return rec
	}
	flips := shapeFlips(top)
	for i, f := range shapeFlips(bot) {
		if flips == nil {
			flips = map[int]flip{}
		}
		flips[i+len(top.chars)] = f
	}
	return b.reshapedBy(flips, reading, rec)
}

// reshapedBy is reshaped's trial of the exchanges flips on reading.
func (b PlateBuilder) reshapedBy(flips map[int]flip, reading plates.Reading, rec *plates.Record) *plates.Record {
	if len(flips) == 0 {
		return rec
	}
	// all exchanges, then each alone, the best fit first
	var at []int
	for i := range flips {
		at = append(at, i)
	}
	sort.Slice(at, func(i, j int) bool { return flips[at[i]].by > flips[at[j]].by })
	all := map[int]byte{}
	tries := []map[int]byte{all}
	for _, i := range at {
		all[i] = flips[i].to
		if len(at) > 1 {
			tries = append(tries, map[int]byte{i: flips[i].to})
		}
	}
	for _, t := range tries {
		u := reading
		u.Text = exchange(reading.Text, t)
		// a German plate as read after the exchanges (an Ö read as 0 or
		// O is no repair)
		x := b.accept(u)
		if x != nil && x.Country == "DE" && changed(undotted(u.Text, x.Text), deUmlaut(x.Text)) == 0 && (rec == nil || x.Text != rec.Text) {
			return x
		}
	}
	return rec
}

// exchange replaces the letters and digits of text at the positions of
// at (counted over letters and digits only).
func exchange(text string, at map[int]byte) string {
	rs := []rune(text)
	k := 0
	for i, c := range rs {
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) {
			continue
		}
		if to, ok := at[k]; ok {
			rs[i] = rune(to)
		}
		k++
	}
	return string(rs)
}
