package pipeline

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"docscan/models/tesseract"
	"docscan/mrz"
	"docscan/ocr"
)

// defaultMRZTesseract is Options.MRZTesseract's default; measurement builds
// set it with -ldflags "-X docscan/pipeline.defaultMRZTesseract=eng".
var defaultMRZTesseract = "mrz"

// newMRZTesseract opens the MRZ builder's second reader (Options.MRZTesseract).
func newMRZTesseract(o Options) (*ocr.SymbolReader, error) {
	if o.MRZTesseract == "" {
		o.MRZTesseract = defaultMRZTesseract
	}
	switch o.MRZTesseract {
	case "mrz":
		return ocr.NewSymbolReader(ocr.SymbolOptions{Language: tesseract.MRZName, Data: tesseract.MRZ})
	case "eng":
		return ocr.NewSymbolReader(ocr.SymbolOptions{Language: "eng", TessdataPrefix: o.TessdataPrefix})
	case "off":
		return nil, nil
	}
	return nil, fmt.Errorf("%w: unknown MRZ Tesseract model %q", ErrBadRequest, o.MRZTesseract)
}

// tessWeight is the share of Tesseract in a merged character distribution
// (PP-OCR's is the rest): both readers' alternatives stay candidates, and
// where they disagree the check digits and field types decide. PP-OCR is
// the better reader of the two on real photos (TestMRZReadersOnRealCrops),
// so its reading counts for more.
const tessWeight = 0.35

// accepted: the zone validates and every letter and digit was legible
// (what Build will report as valid).
func accepted(g *group) bool { return g.rec.Valid && g.minP >= minLegible }

// second re-reads the lines of a zone that PP-OCR's readings did not
// validate (or read with an illegible character) with Tesseract, merges
// its per-character alternatives into PP-OCR's fixed-pitch reading, and
// returns the better of g and the repair of the merge.
func (rd *mrzReader) second(ctx context.Context, g *group) (*group, error) {
	tess := rd.s.Eng.MRZTess
	if tess == nil || g == nil || (accepted(g) && !doubtful(g)) {
		return g, nil
	}
	a0, a1 := math.Inf(1), math.Inf(-1)
	for _, l := range g.lines {
		a0, a1 = math.Min(a0, l.A0), math.Max(a1, l.A1)
	}
	ls := make([]line, len(g.lines))
	tl := make([]mrz.Line, len(g.lines))
	pp := make([]lineReading, len(g.lines))
	var lens []int
	for k, l := range g.lines {
		l.A0, l.A1 = a0, a1
		ls[k] = l
		t, err := rd.readTesseract(ctx, l)
		if err != nil {
			return nil, err
		}
		tl[k] = t
		if pp[k], err = rd.readLine(ctx, l); err != nil {
			return nil, err
		}
		lens = append(lens, len(pp[k].greedy.Chars))
	}
	// A valid zone with a character PP-OCR barely saw is taken when
	// Tesseract reads each such character the same: two unlike readers
	// agreeing are the evidence one confident reading would be.
	if g.rec.Valid {
		if p, at := confirmAt(g, tl); p >= minLegible {
			g.minP = max(g.minP, minLegible)
			return g, nil
		} else {
			g.minP = min(g.minP, p)
			g.doubts = at
		}
	}
	n := mrzLength(lens)
	if n == 0 {
		return g, nil
	}
	// Tesseract merged into PP-OCR's fixed-pitch reading: both have the
	// line's length and read the same cells. Neither Tesseract alone (its
	// confidences are high even where it is wrong) nor the greedy reading
	// (it drops characters, and an alignment around a dropped one shifts
	// a name) is used: their names are not checked by any digit.
	m := make([]mrz.Line, len(ls))
	for k := range ls {
		var disputed int
		m[k], disputed = mergeReadings(ocrLine(pp[k].cells[n]), tl[k], tessWeight)
		if disputed > maxDisputed {
			return g, nil // the readers do not see the same line
		}
	}
	ts, texts := greedyOf(pp)
	c := decide(ls, m, ts)
	if c == nil {
		return g, nil
	}
	doubledCheck(c, texts)
	// Tesseract drops letters too, and a reading one letter short merged
	// cell by cell shifts a name (JOHNSN<< for JOHNSON<): its letters
	// must sit at the pitch where PP-OCR's greedy reading saw them.
	pitchCheck(c, ts)
	if c.rec.Valid {
		p, at := confirmAt(c, tl)
		c.minP = min(c.minP, p)
		if p < minLegible {
			c.doubts = at
		}
	}
	if a, b := accepted(c), accepted(g); a != b {
		if a {
			return c, nil
		}
		return g, nil
	}
	if c.score > g.score {
		return c, nil
	}
	return g, nil
}

// sureLetter is the PP-OCR probability from which Tesseract's different
// reading of a letter is not taken as a dispute (PP-OCR reads MRZ crops
// more accurately: 98.8% of characters against 93.5% on the real crops).
// A filler PP-OCR read where Tesseract sees a letter is always disputed:
// a dropped letter leaves a confident filler.
const sureLetter = 0.9

// doubtful reports whether a valid zone rests on a name or code character
// no check digit covers and PP-OCR was unsure of (a runner-up with
// probability minRunnerUp or more), or on a reading whose length the
// repair had to change (a character dropped or added somewhere): such a
// zone is read by Tesseract too before it is accepted.
func doubtful(g *group) bool {
	if len(g.in) != len(g.rec.Lines) {
		return true
	}
	checked := mrz.CheckedPositions(g.rec)
	for k, l := range g.in {
		final := g.rec.Lines[k]
		if len(l.Alts) != len(final) || checked == nil {
			return true
		}
		for i, a := range l.Alts {
			if !checked[k][i] && len(a) > 1 && a[1].Prob >= minRunnerUp {
				return true
			}
		}
	}
	return false
}

// minRunnerUp is the probability of a second reading that makes an
// unchecked character doubtful.
const minRunnerUp = 0.1

// confirmAt returns the lowest probability among the record's letters and
// digits that the Tesseract lines t do not confirm, and the cells of those
// characters. The record's lines are aligned with PP-OCR's reading they
// were repaired from and with Tesseract's: a character PP-OCR read below
// minLegible (or not at all) counts unless Tesseract reads the record's
// character there with even odds; in names and codes no check digit
// covers, a letter PP-OCR read below sureLetter that Tesseract reads as
// another letter or a filler, or a filler it reads as a letter, with even
// odds counts as 0 (on a line Tesseract read within maxDisputed+1 edits of
// the record). 1 and no cells: everything confirmed.
func confirmAt(g *group, t []mrz.Line) (float64, []glyphHit) {
	if len(g.in) != len(t) || len(g.rec.Lines) != len(t) {
		return g.minP, nil
	}
	var at []glyphHit
	checked := mrz.CheckedPositions(g.rec)
	low := 1.0
	for k, l := range g.in {
		final := g.rec.Lines[k]
		pp, tp := align(final, l.Text), align(final, t[k].Text)
		// Tesseract's disagreement is evidence only where it read the
		// same line: on a line it misread throughout it says nothing.
		same := editDistance(final, t[k].Text) <= maxDisputed+1
		for i := 0; i < len(final); i++ {
			c := final[i]
			p := 0.0 // PP-OCR's probability of what it read there
			if j := pp[i]; j >= 0 && j < len(l.Alts) && len(l.Alts[j]) > 0 {
				p = l.Alts[j][0].Prob
			}
			var tc byte // Tesseract's character there, when it is sure
			if j := tp[i]; j >= 0 && j < len(t[k].Alts) && len(t[k].Alts[j]) > 0 && t[k].Alts[j][0].Prob >= 0.5 {
				tc = t[k].Alts[j][0].Char
			}
			covered := checked != nil && checked[k][i]
			switch {
			case c == '<':
				if same && !covered && isLetter(tc) {
					low = 0
					at = append(at, glyphHit{k, i})
				}
			case p < minLegible && tc != c:
				low = math.Min(low, p)
				at = append(at, glyphHit{k, i})
			case same && !covered && isLetter(c) && (isLetter(tc) || tc == '<') && tc != c && p < sureLetter:
				low = 0
				at = append(at, glyphHit{k, i})
			}
		}
	}
	return low, at
}

func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' }

// maxDisputed is the most letters and digits of a line the two readers may
// read differently (both confident) for their merge to count: more means
// they are not reading the same characters.
const maxDisputed = 3

// readTesseract reads one line with the MRZ Tesseract reader on the
// pipeline's Tesseract crop, restricted to the MRZ alphabet.
func (rd *mrzReader) readTesseract(ctx context.Context, l line) (mrz.Line, error) {
	t0 := time.Now()
	defer func() { rd.s.tOCR += time.Since(t0) }()
	crop, err := TesseractCrop(rd.s.Frame, rd.f.quad(l))
	if err != nil {
		return mrz.Line{}, nil
	}
	r, err := rd.s.Eng.MRZTess.ReadLine(ctx, crop, ocr.LineOptions{Whitelist: mrzChars})
	if err != nil {
		return mrz.Line{}, err
	}
	return tessLine(r), nil
}

// tessLine converts a Tesseract reading to an MRZ line: each character
// with its confidence. The alternatives the choice iterator lists with it
// are left out: the project's OCR-B model lists a C at 0.99 or more with
// every character of every line, and a second character near 1 that it
// did not read (D with 2, S with X, 9 with 7, TestTesseractChoices), and
// stock eng lists nothing but the character read. Mixed into PP-OCR's
// cells (mergeReadings) they outvoted PP-OCR wherever it read below about
// 0.54 and put letters it never saw into names (a TD1 surname LI read CC,
// a valid record of the synthetic set, mrz_0048).
func tessLine(r ocr.Line) mrz.Line {
	var l mrz.Line
	for _, s := range r.Symbols {
		if len(s.Char) != 1 {
			continue
		}
		l.Text += s.Char
		l.Alts = append(l.Alts, []mrz.CharAlt{{Char: s.Char[0], Prob: s.Conf}})
	}
	return l
}

// mergeReadings aligns reading b to reading a (edit distance) and mixes
// the distributions of aligned characters, b with weight wb. a's length is
// kept: characters b inserted are dropped, characters b lacks keep a's
// distribution. The result's character is the most probable of the mix.
// disputed counts the letters and digits both read with at least even
// odds, as different characters.
func mergeReadings(a, b mrz.Line, wb float64) (out mrz.Line, disputed int) {
	pairs := align(a.Text, b.Text)
	out = mrz.Line{Alts: make([][]mrz.CharAlt, len(a.Text))}
	text := []byte(a.Text)
	for i := range text {
		j := pairs[i]
		if j < 0 || i >= len(a.Alts) || j >= len(b.Alts) {
			if i < len(a.Alts) {
				out.Alts[i] = a.Alts[i]
			} else {
				out.Alts[i] = []mrz.CharAlt{{Char: text[i], Prob: 1}}
			}
			continue
		}
		if ta, tb := a.Alts[i], b.Alts[j]; len(ta) > 0 && len(tb) > 0 && ta[0].Char != tb[0].Char &&
			ta[0].Char != '<' && tb[0].Char != '<' && ta[0].Prob >= 0.5 && tb[0].Prob >= 0.5 {
			disputed++
		}
		mix := map[byte]float64{}
		for _, c := range a.Alts[i] {
			mix[c.Char] += (1 - wb) * c.Prob
		}
		for _, c := range b.Alts[j] {
			mix[c.Char] += wb * c.Prob
		}
		alts := make([]mrz.CharAlt, 0, len(mix))
		for c, p := range mix {
			alts = append(alts, mrz.CharAlt{Char: c, Prob: p})
		}
		sort.Slice(alts, func(x, y int) bool {
			if alts[x].Prob != alts[y].Prob {
				return alts[x].Prob > alts[y].Prob
			}
			return alts[x].Char < alts[y].Char
		})
		text[i] = alts[0].Char
		out.Alts[i] = alts
	}
	out.Text = string(text)
	return out, disputed
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int { return mrz.EditTable(a, b, mrz.UnitSub)[len(a)][len(b)] }

// readSub: a substitution costs one edit between characters a reader
// confuses (O/0, I/1, K/<, ...), two (a deletion and an insertion)
// otherwise, so that an alignment around a dropped letter matches the
// letters after it to themselves, not to their neighbours (JOHNSN against
// a reading J0HNS0N: N to N, not N to 0).
func readSub(x, y byte) int {
	switch {
	case x == y:
		return 0
	case confusable(x, y):
		return 1
	}
	return 2
}

// confusable: x and y are partners of the other class (glyphPartners:
// O and 0, I and 1, ...) or a filler and the K it is read as.
func confusable(x, y byte) bool {
	return strings.IndexByte(glyphPartners[x], y) >= 0 || strings.IndexByte(glyphPartners[y], x) >= 0 ||
		x == 'K' && y == '<' || x == '<' && y == 'K'
}

// align maps each position of a to the position of b it is aligned with
// by a minimal edit script (-1: deleted in b).
func align(a, b string) []int { return alignBy(a, b, mrz.UnitSub) }

// alignBy is align with substitutions costing sub (mrz.AlignBy).
func alignBy(a, b string, sub func(x, y byte) int) []int { return mrz.AlignBy(a, b, sub) }
