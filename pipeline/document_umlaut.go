package pipeline

import (
	"image"
	"sort"
	"strings"
	"unicode"

	"docscan/documents"
	"docscan/geom"
	"docscan/models"
	"docscan/preprocess"
)

// Names and places on a card are printed in capitals, and an umlaut's dots
// stand above the letter's body where no other capital has ink. PP-OCR's
// alphabet has Ü but no Ä or Ö, and on a blurred or small card it reads
// Ü as U; Tesseract deu's second reading (MergeUmlauts) then often fails
// as well. The print tells: the plates' dots test (dotsAbove, inked pixels
// above the capitals) or its darkness version for blurred print
// (darkDots), over the value's own characters measured as a plate line.

// umlautFields are the fields printed in capitals that may hold an umlaut.
var umlautFields = []string{"surname", "birth_name", "given_names", "birth_place"}

// umlautOf maps a capital vowel to its umlaut.
var umlautOf = map[rune]rune{'A': 'Ä', 'O': 'Ö', 'U': 'Ü'}

// printedUmlauts puts the dots the print shows into the capital names and
// places of reads (one line each, read by PP-OCR: outs; quads on the
// normalized card canon) whose reading has A, O or U without them.
func printedUmlauts(canon *preprocess.Frame, quads []geom.Quad, outs []*models.Output, reads map[string]documents.Read) {
	for _, name := range umlautFields {
		rd, ok := reads[name]
		if !ok || len(rd.Lines) != 1 || rd.Value != strings.ToUpper(rd.Value) || !strings.ContainsAny(rd.Value, "AOU") {
			continue
		}
		i := rd.Lines[0]
		if i < 0 || i >= len(outs) || outs[i] == nil {
			continue
		}
		if v, ok := dotValue(canon, quads[i], outs[i].Greedy(nil), rd.Value); ok {
			rd.Value = v
			reads[name] = rd
		}
	}
}

// dotValue is value with the umlauts whose dots the print of its line
// (quad on canon, read as t) shows; ok is false when it has none or the
// value's letters are not found once in the reading.
func dotValue(canon *preprocess.Frame, q geom.Quad, t models.Text, value string) (string, bool) {
	chars, at, ok := valueLetters(t, value, func(r rune) rune { return foldUmlaut(unicode.ToUpper(r)) })
	if !ok {
		return "", false
	}
	val := []rune(value)
	var cand []int
	for j, k := range at {
		if _, ok := umlautOf[val[k]]; ok {
			cand = append(cand, j)
		}
	}
	g, top, ok := marginCrop(canon, q, umlautLift, 0.25)
	if !ok {
		return "", false
	}
	dots := cardDots(newPlateLine(g, top, chars), cand)
	if len(dots) == 0 {
		return "", false
	}
	for j := range dots {
		val[at[j]] = umlautOf[val[at[j]]]
	}
	return string(val), true
}

// valueLetters finds value's letters among the letters of its line's
// reading t, each compared by key (capitals, marks folded): chars are the
// reading's characters of the value's letters, at where each letter stands
// in the value; ok is false where they are not found exactly once (which
// would be the value's?) or there are fewer than three.
func valueLetters(t models.Text, value string, key func(rune) rune) (chars []models.Char, at []int, ok bool) {
	var letters []rune
	var all []models.Char
	for _, c := range t.Chars {
		r := []rune(c.Char)
		if len(r) != 1 || !unicode.IsLetter(r[0]) {
			continue
		}
		letters = append(letters, key(r[0]))
		all = append(all, c)
	}
	var want []rune
	for k, r := range []rune(value) {
		if unicode.IsLetter(r) {
			want = append(want, key(r))
			at = append(at, k)
		}
	}
	start := -1
	for s := 0; s+len(want) <= len(letters); s++ {
		if string(letters[s:s+len(want)]) == string(want) {
			if start >= 0 {
				return nil, nil, false
			}
			start = s
		}
	}
	if start < 0 || len(want) < 3 {
		return nil, nil, false
	}
	return all[start : start+len(want)], at, true
}

// foldUmlaut maps Ä, Ö, Ü to A, O, U.
func foldUmlaut(r rune) rune {
	switch r {
	case 'Ä':
		return 'A'
	case 'Ö':
		return 'O'
	case 'Ü':
		return 'U'
	}
	return r
}

// cardDots reports which of the characters at cand (indices into l.chars)
// carry an umlaut's dots on a card's line, over its capitals measured once:
// the plates' ink test (inkDots) or the darkness test (darkDots).
func cardDots(l *plateLine, cand []int) map[int]bool {
	if l == nil || len(l.chars) < 3 {
		return nil
	}
	c, ok := l.capitals(cand)
	if !ok {
		return nil
	}
	out := l.darkDots(c, cand)
	for i := range l.inkDots(c, cand) {
		out[i] = true
	}
	return out
}

// darkDots is inkDots for card print, by darkness rather than inked
// pixels: blurred dots are grey, lighter than the ink threshold of the
// letters' cores. A candidate is dotted when the band above the capitals
// c is darker over its column than over any other character's by
// minDotsDark of the print's contrast (the others' bodies against their
// band).
func (l *plateLine) darkDots(c caps, cand []int) map[int]bool {
	out := map[int]bool{}
	bandTop := max(0, c.top-int(0.35*float64(c.h)+0.5))
	bandBot := c.top - int(0.05*float64(c.h)+0.5)
	if bandBot <= bandTop {
		return out
	}
	dark := func(i, y0, y1 int) float64 {
		x0, x1 := l.span(i)
		return l.darkIn(image.Rect(x0, y0, x1, y1))
	}
	var band []float64
	body, most := 0.0, 0.0
	for _, i := range c.others {
		b := dark(i, bandTop, bandBot)
		band = append(band, b)
		most = max(most, b)
		body += dark(i, c.top, c.top+c.h)
	}
	body /= float64(len(c.others))
	sort.Float64s(band)
	bg := band[len(band)/2]
	contrast := body - bg
	if contrast < minDotsContrast {
		return out
	}
	for _, i := range cand {
		if dark(i, bandTop, bandBot)-most >= minDotsDark*contrast {
			out[i] = true
		}
	}
	return out
}

// Thresholds of darkDots: the least contrast of the print (grey levels)
// and the darkness the dots add over the darkest other column, as a share
// of it.
const (
	minDotsContrast = 20
	minDotsDark     = 0.15
)
