package pipeline

import (
	"context"
	"errors"
	"image"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"docscan/geom"
	"docscan/models"
	"docscan/mrz"
	"docscan/ocr"
	"docscan/plates"
)

// PlateBuilder turns text regions shaped like licence plates into plate
// records, ranked by the plate grammar. Only grammar-valid plates become
// records, so text on documents does not turn into plates.
type PlateBuilder struct {
	// Country restricts the grammar ("" guesses).
	Country string
	prefer  string // the request's preferred plate country (Request.Country)
	// band: the candidate being judged shows the blue EU band (euBand)
	band bool
}

// Kind implements Builder.
func (PlateBuilder) Kind() string { return "plate" }

// plateShape picks regions with a plate's proportions: one-line plates are
// 2-8 times as wide as high (a word region inside a plate is narrower).
func plateShape(q geom.Quad) bool {
	w, h := q.Width(), q.Height()
	return h >= 8 && w >= 24 && w/h >= 1.2 && w/h <= 9
}

// Build implements Builder. A photo in which an MRZ was found shows a
// document, not a car: its text is not read for plates. Nor is the print
// of a document of known type that the document builder (which runs
// first) found: a plate on it would be dropped (dropPlatesOnDocuments).
func (b PlateBuilder) Build(ctx context.Context, s *Scene) ([]Record, error) {
	b.prefer = s.PlateCountry
	if plateTap != nil {
		defer plateTap(s)
	}
	for _, r := range s.Records {
		if _, ok := r.(*mrz.Record); ok {
			return nil, nil
		}
	}
	if err := s.addDetectedPlates(ctx); err != nil {
		return nil, err
	}
	s.addPlateLines()
	docs := knownDocuments(s.Records)
	var read []int
	for i := range s.Regions {
		if s.Regions[i].joined || !plateShape(s.Regions[i].Quad) || blankBelow(s, s.Regions[i]) || onAny(s.Regions[i].Quad.Center(), docs) {
			continue
		}
		bandUpright(s, &s.Regions[i])
		if ok, err := s.Read(ctx, i); err != nil {
			return nil, err
		} else if ok {
			if err := b.readUnturned(ctx, s, i); err != nil {
				return nil, err
			}
			if err := s.readStretched(ctx, &s.Regions[i]); err != nil {
				return nil, err
			}
			read = append(read, i)
		}
	}
	// A line of a two-line plate is often one or two characters (the
	// district code above, a short number below), too narrow for a plate's
	// shape: a region right above a short line with digits, or right below
	// a short line of letters, is read too.
	for _, i := range read {
		r := s.Regions[i]
		n, _, d := alnumCount(r.Text)
		bottom, top := n > 0 && n <= 6 && d > 0, n > 0 && n <= 5 && d == 0
		if !bottom && !top {
			continue
		}
		var grown []Region
		for j := range s.Regions {
			o := &s.Regions[j]
			if o.bad || o.Quad.Height() < 8 {
				continue
			}
			// a lone character's box runs whichever way its corners
			// came (the L over L5 boxed turned a quarter): turned to
			// the line's direction, it is read again as a line of it
			if q, ok := alignedTo(o.Quad, r.Quad); ok && (bottom && stacked(q, r.Quad) || top && stacked(r.Quad, q)) {
				grown = append(grown, Region{Quad: q, DetScore: o.DetScore, Source: o.Source, upright: r.Angle == 0})
				continue
			}
			if o.Read || plateShape(o.Quad) {
				continue
			}
			above := bottom && stacked(o.Quad, r.Quad)
			if bottom && !above {
				if g, ok := grownAbove(o.Quad, r.Quad); ok {
					grown = append(grown, Region{Quad: g, DetScore: o.DetScore, Source: o.Source, upright: r.Angle == 0})
				}
			}
			if !above && !(top && stacked(r.Quad, o.Quad)) {
				continue
			}
			o.upright = r.Angle == 0
			if ok, err := s.Read(ctx, j); err != nil {
				return nil, err
			} else if ok {
				if err := s.readStretched(ctx, o); err != nil {
					return nil, err
				}
				read = append(read, j)
			}
		}
		for _, g := range grown {
			s.Regions = append(s.Regions, g)
			if ok, err := s.Read(ctx, len(s.Regions)-1); err != nil {
				return nil, err
			} else if ok {
				if err := s.readStretched(ctx, &s.Regions[len(s.Regions)-1]); err != nil {
					return nil, err
				}
				read = append(read, len(s.Regions)-1)
			}
		}
	}
	// A German plate whose reading runs to its box's end (the last
	// character's right edge at 93% of the crop or beyond) was often boxed
	// short (FFBP10 of FFB-P 1087): its line is read again extended, and
	// kept when that continues the reading into a longer German plate.
	ext := 0
	for _, i := range append([]int(nil), read...) {
		r := s.Regions[i]
		if ext >= maxLineExtensions || len(r.Chars) == 0 || r.Chars[len(r.Chars)-1].X1 < 0.93 || !plateChars(r) || !germanStandard(b, r) {
			continue
		}
		ext++
		if k, err := s.readExtended(ctx, r); err != nil {
			return nil, err
		} else if k >= 0 && longerReading(s.Regions[k].Text, r.Text) && germanStandard(b, s.Regions[k]) {
			read = append(read, k)
		}
	}
	// The same at the start: a German plate whose reading begins at its
	// box's left edge (the first character's left at 7% of the crop or
	// before) may have lost its first letters (GLD939 of BGL-D 939, boxed
	// by the plate-print finder): its line is read again extended to the
	// left, and the characters read there before this reading's join it
	// (joinedStart) where that makes a German plate.
	for _, i := range append([]int(nil), read...) {
		r := s.Regions[i]
		if ext >= maxLineExtensions || len(r.Chars) == 0 || r.Chars[0].X0 > 0.07 || r.extended || r.Engine != "ppocr" || !plateChars(r) || !germanStandard(b, r) || startKnown(s, read, i) {
			continue
		}
		ext++
		k, err := s.readExtendedLeft(ctx, r)
		if err != nil {
			return nil, err
		}
		if k < 0 {
			continue
		}
		if j, ok := joinedStart(s.Regions[k], r, startReach); ok && germanStandard(b, j) {
			s.Regions[k] = j
			read = append(read, k)
		}
	}
	// The second line of a two-line plate (letters and digits, the
	// plate's widest) is often boxed short at its end too (MP2 of MP 27H,
	// K6 of K 6494): under a first line, it is read again extended.
	for _, i := range append([]int(nil), read...) {
		for _, j := range append([]int(nil), read...) {
			top, bot := s.Regions[i], s.Regions[j]
			if ext >= maxLineExtensions || i == j || !stacked(top.Quad, bot.Quad) || !twoLineText(top.Text, bot.Text) {
				continue
			}
			ext++
			if k, err := s.readExtended(ctx, bot); err != nil {
				return nil, err
			} else if k >= 0 && longerReading(s.Regions[k].Text, bot.Text) {
				read = append(read, k)
			}
		}
	}
	// Candidates: each region, and pairs of regions side by side on one
	// line (the detector often splits a German plate at the seal gap).
	type cand struct {
		regs []*Region
		quad geom.Quad
	}
	var cands []cand
	for _, i := range read {
		r := &s.Regions[i]
		cands = append(cands, cand{regs: []*Region{r}, quad: r.Quad})
		for _, j := range read {
			o := &s.Regions[j]
			switch {
			case j == i:
			case sideBySide(r.Quad, o.Quad):
				cands = append(cands, cand{regs: []*Region{r, o}, quad: geom.Quad{r.Quad[0], o.Quad[1], o.Quad[2], r.Quad[3]}})
			case stacked(r.Quad, o.Quad) && twoLineText(r.Text, o.Text):
				// Two-line (motorcycle, square) plates: top line, then
				// bottom line, read as one plate.
				cands = append(cands, cand{regs: []*Region{r, o}, quad: twoLineQuad(r.Quad, o.Quad)})
			}
		}
	}
	var out []*plates.Record
	readConf := map[*plates.Record]float64{}  // the recognizer's confidence in each record's reading
	recRegs := map[*plates.Record][]*Region{} // the regions each record was read from
	tessBudget := maxTesseractPlates
	for _, c := range cands {
		var texts []string
		var confs []float64
		var conf float64
		twinned := false
		for k, r := range c.regs {
			t, cc := plateReading(*r)
			if k == 0 && len(c.regs) == 2 && stacked(r.Quad, c.regs[1].Quad) {
				if !lastIsPrint(s.Frame, *r) {
					t, cc = topLineReading(*r)
				}
				// the top line holds no digit: one read there was its
				// letter twin (the district OB read 08; kept as a
				// digit, 08 F421 makes the Dutch 08-FA-21); such a
				// reading makes a German plate or none (0 over V1689,
				// HD-V 1689 in glare, is no American OVI 689)
				if m := strings.Map(twinLetter, t); m != t {
					t, twinned = m, true
				}
			}
			texts = append(texts, t)
			confs = append(confs, cc...)
			conf += r.Conf / float64(len(c.regs))
		}
		text := strings.Join(texts, " ")
		if len(confs) != alnumLen(text) {
			confs = nil
		}
		if clockTime(c.regs) {
			continue
		}
		n, letters, digits := alnumCount(text)
		// Plates carry letters and digits; words on documents mostly not.
		// Where American plates are expected, all digits too (5-7 of
		// them: several states' series, truck and fleet plates).
		allDigits := letters == 0 && n >= 5 && n <= 7 && b.expects("US")
		// All letters: a word, unless the blue EU band stands before it
		// (below) and German plates are expected; then a digit read as
		// its letter twin (HN AHSH of HN-AH 5H) may be one confusion
		// repair from a German plate (from no other country's: the
		// American UH1F0F read JHIOFOF is not the Polish JHI 0FOF). Such
		// a line is not asked of Tesseract: a box that holds no digit
		// has often lost the plate's end (KOM R of KÖN-R 41H), which no
		// reading of it restores.
		allLetters := digits == 0 && letters >= 3 && letters <= 8 && len(c.regs) == 1
		// All digits with a mark for the seal read sure after the
		// first one to three: a German plate whose letters were read as
		// their digit twins (bySealTwins).
		if m, _ := sealMarkAt(*c.regs[0]); letters == 0 && len(c.regs) == 1 && m >= 0 {
			allDigits = true
		}
		if n < 2 || n > 10 || letters == 0 && !allDigits || digits == 0 && !allLetters {
			continue
		}
		reading := plates.Reading{Text: text, Confidence: conf, CharConf: confs, Engine: c.regs[0].Engine}
		// A plate with the blue EU band is not guessed American,
		// Brazilian or Swiss (plate_band.go; a country the request
		// names stands, and the band is not looked for).
		b.band = b.Country == "" && euBand(s.Frame, c.quad)
		if digits == 0 && (!b.band || b.prefer != "" && b.prefer != "DE") {
			continue
		}
		rec := b.accept(reading)
		if len(c.regs) == 2 && stacked(c.regs[0].Quad, c.regs[1].Quad) {
			topLine := regionLine(s.Frame, *c.regs[0])
			rec = b.reshapedPair(topLine, regionLine(s.Frame, *c.regs[1]), texts, reading, rec)
			rec = b.dottedPair(topLine, texts, reading, rec)
		}
		if len(c.regs) == 1 {
			// a first character read unsure far before the rest is the
			// blue band or a frame's mark, not print (W of WF·F4532)
			if lt, ok := leadTrimmed(*c.regs[0]); ok && rec == nil {
				if x := b.accept(regionReading(lt, conf, true)); x != nil && x.Country == "DE" {
					rec = x
				}
			}
			// two splits among the leading letters: the widest is the seal's
			if rec == nil || rec.Country != "DE" {
				if t, cc, ok := oneLetterGap(*c.regs[0]); ok {
					if x := b.accept(plates.Reading{Text: t, Confidence: conf, CharConf: cc, Engine: c.regs[0].Engine}); x != nil && x.Country == "DE" {
						rec = x
					}
				}
			}
			rec = b.byLetterGap(s, *c.regs[0], text, rec)
			rec = b.bySealGap(s, *c.regs[0], rec)
			rec = b.bySealMark(*c.regs[0], rec)
			rec = b.bySealTwins(s, *c.regs[0], rec)
			// the print checks: German plates only, one crop for both
			// (a reading no plate was made of only where it looks like
			// one: plate characters read with some confidence)
			german := (b.Country == "" || b.Country == "DE") && (b.prefer == "" || b.prefer == "DE")
			if german && (rec != nil && rec.Country == "DE" || rec == nil && plateChars(*c.regs[0])) {
				line := regionLine(s.Frame, *c.regs[0])
				rec = b.reshaped(line, reading, rec)
				rec = b.dotted(line, reading, rec)
			}
		}
		// American plates have no seal: a character read unsure between
		// others, dropped as the seal of a German plate, is kept in a
		// free-form reading (91A4ZA, not 9A4ZA) and may make a listed
		// format (AG6V1W, not AGV1W).
		if rec != nil && unlisted(rec) && len(c.regs) == 1 {
			if rd := unsealedReading(*c.regs[0], conf); rd.Text != text {
				if x := b.accept(rd); x != nil {
					rec = x
				}
			}
			// Artwork at its ends (a wheelchair symbol, a state's
			// outline, a sticker) is read as a character with low
			// probability: without such end characters the reading is
			// taken where it makes a plate (3127K, not 63127K8).
			if er, ok := endsTrimmed(*c.regs[0]); ok {
				if x := b.accept(unsealedReading(er, conf)); x != nil {
					rec = x
				}
			}
		}
		if digits == 0 && (rec == nil || rec.Country != "DE") {
			continue
		}
		rc := conf
		// The second engine: Tesseract, tuned for plates, reads a
		// one-region candidate that PP-OCR's reading did not make a plate
		// of; the grammar decides between the readings.
		// A free-form American reading (us-other) is asked again too:
		// PP-OCR drops a character of a listed format (AGV1W for AG6V1W);
		// but Tesseract's reading does not overrule characters PP-OCR read
		// sure (surelyRead: K179658 is not KIT9658).
		if (rec == nil || unlisted(rec)) && len(c.regs) == 1 && n >= 4 && tessBudget > 0 && s.Eng.opt.OCR != "tesseract" {
			tessBudget--
			l, err := s.tesseractPlate(ctx, c.quad)
			if err != nil && !errors.Is(err, errSmall) {
				return nil, err
			}
			if err == nil && l.Text != "" {
				if t := b.acceptTesseract(tesseractPlateReading(l)); t != nil && (rec == nil || !unlisted(t) && !surelyRead(text, confs, t.Text)) {
					rec, rc = t, l.Conf
				}
			}
		}
		if rec == nil || twinned && rec.Country != "DE" {
			continue
		}
		rq := roundQuad(c.quad)
		q := [4][2]float64{rq[0], rq[1], rq[2], rq[3]}
		rec.Quad = &q
		out = append(out, rec)
		if unsureRegions(c.regs) {
			markPlate(&s.unsurePlates, rec)
		}
		if s.plateRegs == nil {
			s.plateRegs = map[*plates.Record][]Region{}
		}
		for _, r := range c.regs {
			s.plateRegs[rec] = append(s.plateRegs[rec], *r)
		}
		if weakRegions(c.regs) {
			markPlate(&s.weakPlates, rec)
		}
		readConf[rec] = rc
		recRegs[rec] = c.regs
	}
	votes := regionVotes(out, recRegs)
	out = dedupePlates(out)
	part := partOfLarger(out)
	// Best first: a plate read on a low-scoring finder line after the
	// others (unless the two are rivals: two readings of one plate), a
	// part of a larger plate (one line of a two-line plate read
	// alone) after the whole, a plate of the preferred country before
	// others, a plate of a listed format before a free-form American one
	// and that before one of digits alone (a piece of a time stamp reads
	// as digits), then the grammar's confidence, then the taller plate
	// (of two cars, the one nearer the camera), then the
	// recognizer's (two regions of one scene both valid plates: the
	// sharper reading), then the longer plate.
	sort.SliceStable(out, func(i, j int) bool {
		if wi, wj := s.weakPlates[out[i]], s.weakPlates[out[j]]; wi != wj && !rivals(out[i], out[j]) {
			return wj
		}
		if pi, pj := part[out[i]], part[out[j]]; pi != pj {
			return pj
		}
		if b.prefer != "" {
			if pi, pj := out[i].Country == b.prefer, out[j].Country == b.prefer; pi != pj {
				return pi
			}
		}
		if ui, uj := unlistedRank(out[i]), unlistedRank(out[j]); ui != uj {
			return ui < uj
		}
		if di, dj := out[i].Country == "DE", out[j].Country == "DE"; b.prefer == "" && di != dj && samePlace(out[i], out[j]) && math.Abs(out[i].Confidence-out[j].Confidence) < nearConf {
			return di
		}
		if math.Abs(out[i].Confidence-out[j].Confidence) > 0.01 {
			return out[i].Confidence > out[j].Confidence
		}
		if vi, vj := votes[out[i]], votes[out[j]]; vi != vj && samePlace(out[i], out[j]) {
			return vi > vj
		}
		if hi, hj := plateHeight(out[i]), plateHeight(out[j]); hi > 1.25*hj || hj > 1.25*hi {
			return hi > hj
		}
		if ci, cj := readConf[out[i]], readConf[out[j]]; math.Abs(ci-cj) > 0.02 {
			return ci > cj
		}
		return len(out[i].Text) > len(out[j].Text)
	})
	recs := make([]Record, len(out))
	for i, r := range out {
		recs[i] = r
	}
	return recs, nil
}

// plateChars: a reading of 2-8 letters and digits of a plate's alphabet,
// with separators and nothing else, at 0.5 mean probability or more.
func plateChars(r Region) bool {
	if r.Conf < 0.5 {
		return false
	}
	n := 0
	for _, c := range r.Text {
		switch {
		case c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == 'Ä' || c == 'Ö' || c == 'Ü':
			n++
		case c == ' ' || c == '-' || c == '·' || c == ':' || c == '.':
		default:
			return false
		}
	}
	return n >= 2 && n <= 8
}

// germanStandard: the region's reading makes a German plate of the
// standard format (district, letters, digits). Only there is a reading
// cut short told by the grammar's shape and continued safely: elsewhere the
// plate's frame read as a last 1 or L makes a plate of any reading (an
// American CDK 575 1, a diplomatic 0 8231 1).
func germanStandard(b PlateBuilder, r Region) bool {
	t, cc := plateReading(r)
	rec := b.accept(plates.Reading{Text: t, Confidence: r.Conf, CharConf: cc, Engine: r.Engine})
	return rec != nil && rec.Country == "DE" && rec.Format == "standard"
}

// stretchX is how much wider than its quad's proportion a short line is
// read a second time (readStretched).
const stretchX = 1.4

// readStretched reads a line of plate print (plateChars: 2 to 8 letters
// and digits read with some confidence, one of them unsure) a second time
// from a crop stretchX times wider than its proportion, and takes that
// reading where it is the first one with one character more. CTC merges
// two equal characters read in neighbouring steps with no blank between
// them (UL-FK 2244 read UL-FK 224; the VV of MÜ over VV 10 read W) and
// drops a narrow one squeezed between its neighbours (MS over IX 63 read
// X 63): a crop with more steps per character keeps them apart. A
// stretched reading that differs otherwise is not taken (it loses as many
// characters as it gains, and reads other letters).
func (s *Scene) readStretched(ctx context.Context, reg *Region) error {
	if reg.stretched || reg.Engine != "ppocr" || !plateChars(*reg) || !unsureChar(reg.Chars, stretchBelow) {
		return nil
	}
	reg.stretched = true
	line, err := wideLineCrop(s.Frame, reg.Quad, false, stretchX)
	if err != nil {
		return nil
	}
	o, err := s.Eng.Rec.Infer(ctx, line)
	if err != nil {
		return err
	}
	defer o.Release()
	t := o.Greedy(nil)
	if oneInserted(alnumRunes(reg.Text), alnumRunes(t.Text)) {
		reg.Text, reg.Conf, reg.Chars = t.Text, t.Conf, t.Chars
	}
	return nil
}

// stretchBelow: a line is read stretched only where the recognizer read a
// letter or digit of it with less probability (a merge or a drop leaves
// its neighbours unsure: W at 0.75 for VV, X at 0.73 after a lost I); a
// line read sure is not (each stretched reading costs a recognition, about
// 20 ms here).
const stretchBelow = 0.8

// unsureChar: a letter or digit among cs was read with a probability under
// p.
func unsureChar(cs []models.Char, p float64) bool {
	for _, c := range cs {
		if c.Prob < p && len(alnumRunes(c.Char)) > 0 {
			return true
		}
	}
	return false
}

// oneInserted: long is short with one character inserted somewhere.
func oneInserted(short, long []rune) bool {
	if len(long) != len(short)+1 {
		return false
	}
	i := 0
	for i < len(short) && short[i] == long[i] {
		i++
	}
	return string(short[i:]) == string(long[i+1:])
}

// maxLineExtensions bounds the lines read again extended per scene.
const maxLineExtensions = 2

// readExtended reads region r's line again extended to the right by half
// its width (less at the photo's edge) as a new region of the scene, and
// returns its index (-1: no room, or nothing read).
func (s *Scene) readExtended(ctx context.Context, r Region) (int, error) {
	w, h := s.Frame.Size()
	q, ok := extendRight(r.Quad, 0.5, float64(w), float64(h))
	if !ok {
		return -1, nil
	}
	return s.readExtendedTo(ctx, r, q)
}

// readExtendedTo reads quad q, region r's line extended, as a new region
// of the scene, and returns its index (-1: nothing read).
func (s *Scene) readExtendedTo(ctx context.Context, r Region, q geom.Quad) (int, error) {
	s.Regions = append(s.Regions, Region{Quad: q, DetScore: r.DetScore, Source: r.Source, extended: true})
	k := len(s.Regions) - 1
	if ok, err := s.Read(ctx, k); err != nil || !ok {
		return -1, err
	}
	return k, nil
}

// startKnown: another region read (of read) holds region i's reading
// with more before it (WZ296 beside Z296), or stands above or below it
// (a two-line plate's lines start apart: Z296 under B extended read
// NZ296).
func startKnown(s *Scene, read []int, i int) bool {
	r := s.Regions[i]
	for _, j := range read {
		o := s.Regions[j]
		if j != i && (stacked(o.Quad, r.Quad) || stacked(r.Quad, o.Quad) || earlierReading(o.Text, r.Text)) {
			return true
		}
	}
	return false
}

// earlierReading reports whether reading ends with the letters and
// digits of short and holds more.
func earlierReading(reading, short string) bool {
	a, f := alnumRunes(reading), alnumRunes(short)
	return len(a) > len(f) && slices.Equal(a[len(a)-len(f):], f)
}

// startReach is how far, in its width, readExtendedLeft extends a line
// against its reading direction.
const startReach = 0.35

// readExtendedLeft is readExtended at the line's start: extended to the
// left by startReach of its width (extendLeft: past the photo's edge the
// warp repeats the border).
func (s *Scene) readExtendedLeft(ctx context.Context, r Region) (int, error) {
	return s.readExtendedTo(ctx, r, extendLeft(r.Quad, startReach))
}

// joinedStart is region r read on e, r's line extended to the left by
// reach of its width (readExtendedLeft), with the one to three plate
// characters e reads before r's first: e's characters up to there, then
// r's own (r's crop was the recognizer's closer view of them; their
// places mapped onto e's crop). False where e's plate characters do not
// end with r's, or hold none or more than three more.
func joinedStart(e, r Region, reach float64) (Region, bool) {
	var ep, rp []int
	for k, c := range e.Chars {
		if isPlateRune(c.Char) {
			ep = append(ep, k)
		}
	}
	for k, c := range r.Chars {
		if isPlateRune(c.Char) {
			rp = append(rp, k)
		}
	}
	n := len(ep) - len(rp)
	if len(rp) == 0 || n < 1 || n > 3 || e.Engine != r.Engine {
		return Region{}, false
	}
	for i, k := range rp {
		if !strings.EqualFold(e.Chars[ep[n+i]].Char, r.Chars[k].Char) {
			return Region{}, false
		}
	}
	j := e
	j.Chars = slices.Clone(e.Chars[:ep[n]])
	var t strings.Builder
	sum := 0.0
	for _, c := range j.Chars {
		t.WriteString(c.Char)
		sum += c.Prob
	}
	for _, c := range r.Chars {
		c.X0, c.X1 = (reach+c.X0)/(1+reach), (reach+c.X1)/(1+reach)
		j.Chars = append(j.Chars, c)
		t.WriteString(c.Char)
		sum += c.Prob
	}
	j.Text, j.Conf = t.String(), sum/float64(len(j.Chars))
	j.joined = true
	return j, true
}

// extendRight lengthens q along its reading direction by reach times its
// width at its end, within a w x h photo (the reach shrinks until it
// fits; false when even a tenth does not).
func extendRight(q geom.Quad, reach, w, h float64) (geom.Quad, bool) {
	top := geom.Point{q[1][0] - q[0][0], q[1][1] - q[0][1]}
	bot := geom.Point{q[2][0] - q[3][0], q[2][1] - q[3][1]}
	in := func(p geom.Point) bool { return p[0] >= 0 && p[1] >= 0 && p[0] <= w && p[1] <= h }
	for k := reach; k >= 0.1; k -= 0.1 {
		o := q
		o[1] = geom.Point{q[1][0] + k*top[0], q[1][1] + k*top[1]}
		o[2] = geom.Point{q[2][0] + k*bot[0], q[2][1] + k*bot[1]}
		if in(o[1]) && in(o[2]) {
			return o, true
		}
	}
	return q, false
}

// longerReading reports whether reading begins with the letters and
// digits of short and holds more.
func longerReading(reading, short string) bool {
	a, f := alnumRunes(reading), alnumRunes(short)
	if len(a) <= len(f) {
		return false
	}
	for i := range f {
		if a[i] != f[i] {
			return false
		}
	}
	return true
}

// readUnturned reads region i once more the other way up when the
// orientation model turned it: the model takes some plate fonts for
// upside-down print (a Californian 4PCI264 read as 077, NÖ-TN 93H as
// HCGNI ON), while plates are seldom photographed upside down. The
// unturned reading is kept when it makes a plate and the turned one does
// not, or when neither or both do and it is the more confident.
func (b PlateBuilder) readUnturned(ctx context.Context, s *Scene, i int) error {
	reg := &s.Regions[i]
	if reg.Angle != 180 {
		return nil
	}
	alt := Region{Quad: reg.Quad.Rotate180(), DetScore: reg.DetScore, Source: reg.Source}
	line, err := s.Eng.LineCrop(s.Frame, alt.Quad)
	if err != nil {
		return nil
	}
	t0 := time.Now()
	err = s.recognize(ctx, &alt, line)
	s.tOCR += time.Since(t0)
	if err != nil {
		return err
	}
	plate := func(r Region) bool {
		t, _ := plateReading(r)
		return b.accept(plates.Reading{Text: t, Confidence: r.Conf}) != nil
	}
	pt, pa := plate(*reg), plate(alt)
	if (pa && !pt) || (pa == pt && alt.Conf > reg.Conf) {
		alt.Read = true
		*reg = alt
	}
	return nil
}

// tesseractPlate reads quad with Tesseract's plate settings, once per
// scene (a plate request's first pass and the detector's pass that may
// follow it see the same finder rows).
func (s *Scene) tesseractPlate(ctx context.Context, q geom.Quad) (ocr.Line, error) {
	if r, ok := s.tessPlates[q]; ok {
		return r.line, r.err
	}
	t0 := time.Now()
	l, err := s.Eng.ReadTesseract(ctx, s.Frame, q, ocr.LineOptions{Whitelist: plateWhitelist, Symbols: true})
	s.tOCR += time.Since(t0)
	if err == nil || errors.Is(err, errSmall) {
		if s.tessPlates == nil {
			s.tessPlates = map[geom.Quad]tessReading{}
		}
		s.tessPlates[q] = tessReading{l, err}
	}
	return l, err
}

type tessReading struct {
	line ocr.Line
	err  error
}

// byLetterGap reads region r again with a split hint where its crop's ink
// shows the space between a German plate's letters and digits (softGap),
// and takes that reading where it makes a plate other than rec (HB-I 181,
// not the Dutch HB-11-81 the same characters make without the space).
func (b PlateBuilder) byLetterGap(s *Scene, r Region, text string, rec *plates.Record) *plates.Record {
	if len(r.Chars) == 0 || r.Engine != "ppocr" {
		return rec
	}
	chars, sealAfter := keptChars(r, true)
	if len(sealAfter) == 0 {
		return rec // no seal to measure from (softGap)
	}
	img, err := lineCrop(s.Frame, r.Quad, true)
	g, ok := img.(*image.Gray)
	if err != nil || !ok {
		return rec
	}
	k := softGap(g, chars, sealAfter)
	if k < 0 || lettersEndAt(rec, k+1) {
		return rec
	}
	t, cc := plateText(r, true, k)
	if t == text {
		return rec
	}
	x := b.gapReading(plates.Reading{Text: t, Confidence: r.Conf, CharConf: cc, Engine: r.Engine}, k+1)
	if x == nil || rec != nil && x.Text == rec.Text {
		return rec
	}
	return x
}

// bySealGap reads region r again with a split hint where its crop's ink
// shows the seal (sealGap) when the reading marks none, and takes that
// reading where it makes a German plate whose district ends there and rec
// is none or another country's: MDT52 splits two ways in Germany (M-DT 52,
// MD-T 52) and makes only an Austrian wish plate as it stands; the seal's
// space after the D makes it MD-T 52.
func (b PlateBuilder) bySealGap(s *Scene, r Region, rec *plates.Record) *plates.Record {
	if rec != nil && rec.Country == "DE" || len(r.Chars) == 0 || r.Engine != "ppocr" || b.prefer != "" && b.prefer != "DE" {
		return rec
	}
	chars, sealAfter := keptChars(r, true)
	if len(sealAfter) > 0 || strings.ContainsAny(r.Text, " -") {
		return rec // the reading has its split hints
	}
	img, err := lineCrop(s.Frame, r.Quad, true)
	g, ok := img.(*image.Gray)
	if err != nil || !ok {
		return rec
	}
	k := sealGap(g, chars)
	if k < 0 {
		return rec
	}
	t, cc := plateText(r, true, k)
	x := b.accept(plates.Reading{Text: t, Confidence: r.Conf, CharConf: cc, Engine: r.Engine})
	if x == nil || x.Country != "DE" || len([]rune(x.Parts.District)) != k+1 || changedBut(t, x.Text, zeroOrO) > 0 {
		return rec // a repair too is more than a split hint vouches for (V1689 is not V-I 689)
	}
	return x
}

// zeroOrO reports whether a reading's character and a plate's differ only
// as 0 and O: the one repair a German plate's print leaves no doubt
// about, a digit among the letters or a letter among the digits being of
// the other class (WAF 0N599 is WAF-ON 599).
func zeroOrO(read, plate rune) bool {
	return read == '0' && plate == 'O' || read == 'O' && plate == '0'
}

// Seal mark alternatives (bySealMark): a character before the mark read
// under sealUnsure is tried as each of its alternatives of at least
// sealAlt.
const (
	sealUnsure = 0.5
	sealAlt    = 0.1
)

// bySealMark reads region r again where PP-OCR read the seal as a mark
// (':' or '·', at sealUnsure or more) after the first one to three
// characters and rec is none or another country's plate: each character
// before the mark it read unsure is tried as each of its alternatives
// (sealAlt or more), and the one reading that makes a German plate whose
// district ends at the mark, with no repair, is taken. The seal is a
// German plate's mark (an American plate has none): UD·X694, the first D
// read U at 0.41 (D at 0.12), is DD-X 694, not the American UDX 694.
// Where two alternatives make German plates, none is taken.
func (b PlateBuilder) bySealMark(r Region, rec *plates.Record) *plates.Record {
	if rec != nil && rec.Country == "DE" || r.Engine != "ppocr" || b.Country != "" && b.Country != "DE" || b.prefer != "" && b.prefer != "DE" {
		return rec
	}
	mark, before := sealMarkAt(r)
	if mark < 0 {
		return rec
	}
	var found *plates.Record
	for j := 0; j < mark; j++ {
		c := r.Chars[j]
		if !isPlateRune(c.Char) || c.Prob >= sealUnsure {
			continue
		}
		for _, a := range c.Alts {
			if a.Prob < sealAlt || !isPlateRune(a.Char) || strings.EqualFold(a.Char, c.Char) {
				continue
			}
			alt := r
			alt.Chars = slices.Clone(r.Chars)
			alt.Chars[j].Char, alt.Chars[j].Prob = a.Char, a.Prob
			t, cc := plateText(alt, true, -1)
			x := b.accept(plates.Reading{Text: t, Confidence: r.Conf, CharConf: cc, Engine: r.Engine})
			if x == nil || x.Country != "DE" || len([]rune(x.Parts.District)) != before || changed(t, x.Text) > 0 {
				continue
			}
			if found != nil && found.Text != x.Text {
				return rec // two ways to a German plate: the mark does not tell
			}
			found = x
		}
	}
	if found == nil {
		return rec
	}
	return found
}

// bySealTwins: a line read with a sure mark for the seal after one to
// three characters is a German plate's, whose district before the mark is
// letters and whose letters follow it; a digit read there (DO-OJ 465 read
// 00:0J465) is one of the letters it is a twin of, the one the plate
// character classifier gives twice the probability of any other twin
// (twinByNet), else the reading stays. Taken only where it makes a German
// plate with that district's length.
func (b PlateBuilder) bySealTwins(s *Scene, r Region, rec *plates.Record) *plates.Record {
	if rec != nil && rec.Country == "DE" || r.Engine != "ppocr" || b.Country != "" && b.Country != "DE" || b.prefer != "" && b.prefer != "DE" {
		return rec
	}
	mark, before := sealMarkAt(r)
	if mark < 0 {
		return rec
	}
	var at []int // r.Chars' digits in a letter's place
	for j := 0; j < mark; j++ {
		if isDigitRune(r.Chars[j].Char) {
			at = append(at, j)
		}
	}
	for j := mark + 1; j < len(r.Chars); j++ {
		if isPlateRune(r.Chars[j].Char) {
			if isDigitRune(r.Chars[j].Char) {
				at = append(at, j)
			}
			break
		}
	}
	if len(at) == 0 {
		return rec
	}
	line := regionLine(s.Frame, r)
	if line == nil {
		return rec
	}
	// r.Chars' indices among the line's kept characters
	kept := map[int]int{}
	for k, ki := 0, 0; k < len(r.Chars) && ki < len(line.chars); k++ {
		if r.Chars[k].X0 == line.chars[ki].X0 && r.Chars[k].Char == line.chars[ki].Char {
			kept[k] = ki
			ki++
		}
	}
	alt := r
	alt.Chars = slices.Clone(r.Chars)
	for _, j := range at {
		ki, ok := kept[j]
		if !ok {
			return rec
		}
		l, ok := twinByNet(line, ki, r.Chars[j].Char)
		if !ok {
			return rec
		}
		alt.Chars[j].Char = l
	}
	t, cc := plateText(alt, true, -1)
	x := b.accept(plates.Reading{Text: t, Confidence: r.Conf, CharConf: cc, Engine: r.Engine})
	if x == nil || x.Country != "DE" || len([]rune(x.Parts.District)) != before || changed(t, x.Text) > 0 {
		return rec
	}
	return x
}

// isDigitRune: s is one ASCII digit.
func isDigitRune(s string) bool { return len(s) == 1 && s[0] >= '0' && s[0] <= '9' }

// sealMarkAt is the index in r.Chars of a mark for the seal read with
// sealUnsure or more after one to three plate characters, and their
// count; -1 where there is none.
func sealMarkAt(r Region) (mark, before int) {
	for i, c := range r.Chars {
		if isSealMark(c.Char) {
			if c.Prob >= sealUnsure && before >= 1 && before <= 3 {
				return i, before
			}
			return -1, before
		}
		if isPlateRune(c.Char) {
			before++
		}
	}
	return -1, before
}

// isSealMark: PP-OCR's character s is a mark it reads for the seal.
func isSealMark(s string) bool { return s == ":" || s == "·" || s == "•" }

// gapReading is the German plate whose letters end n characters in that
// reading r (split there) makes: its best one, or else the best of its
// candidates that does (the split also fits a Land's official series,
// HB 1181, whose digits it may divide); nil when none does.
func (b PlateBuilder) gapReading(r plates.Reading, n int) *plates.Record {
	x := b.accept(r)
	if x == nil || lettersEndAt(x, n) {
		return x
	}
	for _, c := range x.Candidates {
		if c.Display == "" || c.Text == x.Text {
			continue
		}
		if z := b.accept(plates.Reading{Text: c.Display, Confidence: r.Confidence * c.Confidence, Engine: r.Engine}); lettersEndAt(z, n) {
			return z
		}
	}
	return nil
}

// lettersEndAt: rec is a German plate with letters, ending n characters in.
func lettersEndAt(rec *plates.Record, n int) bool {
	return rec != nil && rec.Country == "DE" && rec.Parts.Letters != "" &&
		len([]rune(rec.Parts.District))+len([]rune(rec.Parts.Letters)) == n
}

// maxTesseractPlates bounds the Tesseract readings of plate candidates per
// scene (each costs tens of milliseconds).
const maxTesseractPlates = 3

// plateWhitelist is what Tesseract may read on a plate.
const plateWhitelist = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789- "

// accept ranks a reading and returns its record when it is a valid plate
// that the builder trusts: free-text series (freeText) match any
// word, so only when the caller names the country; more than one
// OCR-confusion repair on a reading is more likely a word than a plate.
func (b PlateBuilder) accept(r plates.Reading) *plates.Record {
	rec, err := b.rank(r)
	if err != nil || rec == nil || !rec.Valid {
		return nil
	}
	if (freeText(rec) && b.Country == "") || changed(undotted(r.Text, rec.Text), deUmlaut(rec.Text)) > 1 {
		return nil
	}
	return rec
}

// expects: the request names country as the plates' country or prefers it.
func (b PlateBuilder) expects(country string) bool {
	return b.Country == country || (b.Country == "" && b.prefer == country)
}

// plateHeight is the height of the record's quad.
func plateHeight(p *plates.Record) float64 {
	q := *p.Quad
	return geom.Quad{q[0], q[1], q[2], q[3]}.Height()
}

// clockTime: a region's text holds a time of day, two digits, a colon
// and minutes (06:40:28, a camera's time stamp). A colon after a single
// digit is the seal or sticker of a plate read as a mark (the Czech
// 1B1:9839), and so are two digits over 59, which no clock shows before
// a colon (BÖ-O 867 read 80:0867).
func clockTime(regs []*Region) bool {
	for _, r := range regs {
		t := []rune(r.Text)
		for i := 2; i+2 < len(t); i++ {
			if t[i] == ':' && t[i-2] >= '0' && t[i-2] <= '5' && unicode.IsDigit(t[i-1]) && t[i+1] >= '0' && t[i+1] <= '5' && unicode.IsDigit(t[i+2]) {
				return true
			}
		}
	}
	return false
}

// unsealedReading is region r's reading without seals dropped
// (plateReadingSeals), at confidence conf.
func unsealedReading(r Region, conf float64) plates.Reading { return regionReading(r, conf, false) }

// regionReading is region r's plate reading (plateReadingSeals) at
// confidence conf, with its characters' probabilities where they match
// its letters and digits.
func regionReading(r Region, conf float64, seals bool) plates.Reading {
	t, cc := plateReadingSeals(r, seals)
	if len(cc) != alnumLen(t) {
		cc = nil
	}
	return plates.Reading{Text: t, Confidence: conf, CharConf: cc, Engine: r.Engine}
}

// endsTrimmed is region r without the characters at its ends read with
// less than minPlateCharProb (and marks PP-OCR read beside them), when
// there are such and at least two plate characters remain.
func endsTrimmed(r Region) (Region, bool) {
	end := func(c models.Char) bool { return !isPlateRune(c.Char) || c.Prob < minPlateCharProb }
	i, j := 0, len(r.Chars)
	for i < j && end(r.Chars[i]) {
		i++
	}
	for j > i && end(r.Chars[j-1]) {
		j--
	}
	kept, dropped := 0, false
	for k, c := range r.Chars {
		switch {
		case k >= i && k < j:
			if isPlateRune(c.Char) {
				kept++
			}
		case isPlateRune(c.Char):
			dropped = true
		}
	}
	if !dropped || kept < 2 {
		return r, false
	}
	t := r
	t.Chars = r.Chars[i:j]
	var sb strings.Builder
	for _, c := range t.Chars {
		sb.WriteString(c.Char)
	}
	t.Text = sb.String()
	return t, true
}

// leadTrimmed is region r without its first character, when that is read
// with less than minPlateCharProb and stands more than leadGap pitches
// (the median distance of the other characters' centres) before the
// second: the band's stars or a frame's edge read as a letter.
func leadTrimmed(r Region) (Region, bool) {
	cs := r.Chars
	if len(cs) < 4 || !isPlateRune(cs[0].Char) || cs[0].Prob >= minPlateCharProb || !isPlateRune(cs[1].Char) {
		return r, false
	}
	centre := func(c models.Char) float64 { return (c.X0 + c.X1) / 2 }
	var pitch []float64
	for k := 2; k < len(cs); k++ {
		pitch = append(pitch, centre(cs[k])-centre(cs[k-1]))
	}
	sort.Float64s(pitch)
	if p := pitch[len(pitch)/2]; p <= 0 || centre(cs[1])-centre(cs[0]) <= leadGap*p {
		return r, false
	}
	t := r
	t.Chars = cs[1:]
	t.Text = strings.TrimPrefix(r.Text, cs[0].Char)
	return t, true
}

const leadGap = 2

// sureCharProb is the probability from which PP-OCR's reading of a
// character is not overruled by another engine's.
const sureCharProb = 0.95

// surelyRead reports whether PP-OCR's reading text (with per-character
// probabilities confs) stands against another engine's reading other: the
// two agree, or other changes a character PP-OCR read at sureCharProb or
// more (an exchange or a removal where align matches the two). Characters
// other adds (PP-OCR drops one: AGV1W for AG6V1W) and changes of unsure ones
// do not count; without the probabilities nothing is sure.
func surelyRead(text string, confs []float64, other string) bool {
	ra := alnumRunes(text)
	a, o := string(ra), string(alnumRunes(other))
	switch {
	case len(confs) != len(ra):
		return false
	case a == o:
		return true
	case len(a) != len(ra):
		return false // letters beyond ASCII (align works on bytes): not judged
	}
	for i, j := range align(a, o) {
		if (j < 0 || a[i] != o[j]) && confs[i] >= sureCharProb {
			return true
		}
	}
	return false
}

// rivals: two readings of one plate, different texts of as many letters
// and digits of one country at the same place. Where a finder line was
// read (weakPlates) does not order them: the place is a plate's either
// way, and the other criteria decide (7CID930, read on two regions, one
// of them a weak finder line, over 7CTD930 read on one).
func rivals(a, b *plates.Record) bool {
	return a.Text != b.Text && a.Country == b.Country && alnumLen(a.Text) == alnumLen(b.Text) && samePlace(a, b)
}

// unlisted: an American plate of none of the listed formats (us-other).
func unlisted(p *plates.Record) bool { return p.Format == "us-other" }

// unlistedRank orders plates: 0 a listed format, 1 an unlisted American
// plate with letters, 2 one of digits alone.
func unlistedRank(p *plates.Record) int {
	switch {
	case !unlisted(p):
		return 0
	case p.Parts.Letters != "":
		return 1
	}
	return 2
}

// freeText: the plate is of a series with a free choice of letters
// (Polish and Czech individual plates, Austrian wish plates: a word and a
// number), which any sign's text can match.
func freeText(p *plates.Record) bool {
	return p.Format == "individual" || p.Format == "wish"
}

// tesseractPlateReading turns Tesseract's symbols into a plate reading
// with the gaps measured from their boxes, as plateReading does for
// PP-OCR's characters (the seal gap decides HAL-C 18H from HA-LC 18H).
func tesseractPlateReading(l ocr.Line) plates.Reading {
	r := Region{Text: strings.ToUpper(l.Text), Conf: l.Conf}
	var widths []float64
	for _, sym := range l.Symbols {
		if strings.TrimSpace(sym.Char) != "" {
			widths = append(widths, float64(sym.Box.Dx()))
		}
	}
	sort.Float64s(widths)
	med := 0.0
	if len(widths) > 0 {
		med = widths[len(widths)/2]
	}
	for i, sym := range l.Symbols {
		x0, x1 := float64(sym.Box.Min.X), float64(sym.Box.Max.X)
		// Tesseract glues the seal to the glyph after it (one box twice
		// as wide): the glyph is the right part of such a box.
		if i > 0 && med > 0 && x1-x0 > 1.6*med {
			x0 = x1 - med
		}
		r.Chars = append(r.Chars, models.Char{Char: strings.ToUpper(sym.Char), Prob: sym.Conf, X0: x0, X1: x1})
	}
	text, conf := plateReading(r)
	if len(conf) != alnumLen(text) {
		conf = nil
	}
	return plates.Reading{Text: text, Confidence: l.Conf, CharConf: conf, Engine: "tesseract"}
}

// acceptTesseract accepts a Tesseract reading of a plate like accept, and
// else its seal variants: Tesseract reads the round seal between district
// and letters of a German plate as a letter (HALSC 18H for HAL-C 18H), so
// one round letter among the first five characters may be the seal; such
// a variant counts only when it is a German plate exactly as read.
func (b PlateBuilder) acceptTesseract(r plates.Reading) *plates.Record {
	if rec := b.accept(r); rec != nil {
		return rec
	}
	if b.Country != "" && b.Country != "DE" {
		return nil
	}
	text := []rune(strings.TrimSpace(r.Text))
	for i := 1; i < min(5, len(text)-1); i++ {
		if !strings.ContainsRune("OCSQGUD0", text[i]) {
			continue
		}
		v := r
		v.Text = string(text[:i]) + " " + string(text[i+1:])
		v.Confidence *= 0.8
		if x := germanWithin(v, 0); x != nil {
			return x
		}
	}
	return nil
}

// rank ranks the readings under the builder's country (or the grammar's
// guess). The recognizer has no Ä or Ö (and often drops the dots of Ü), so
// when the reading is not itself a German plate, its umlaut variants that
// are German plates exactly as read (no confusion repair) win, fewest
// umlauts first: umlaut district codes exist only in Germany.
func (b PlateBuilder) rank(r plates.Reading) (*plates.Record, error) {
	rec, err := plates.Rank([]plates.Reading{r}, plates.Options{Country: b.Country, Prefer: b.prefer, Band: b.band})
	if (b.Country != "" && b.Country != "DE") || (b.prefer != "" && b.prefer != "DE") {
		return rec, err
	}
	if germanWithin(r, 0) != nil {
		return rec, err
	}
	vs := umlautVariants(r.Text)
	variant := func(v string) plates.Reading {
		u := r
		u.Text = v
		u.Confidence *= 0.8
		return u
	}
	for _, v := range vs {
		if x := germanWithin(variant(v), 0); x != nil {
			return x, nil
		}
	}
	// Unless the reading is a German plate after a repair, an umlaut
	// variant that is a German plate after one confusion repair (DUW 0486E:
	// DÜW-O 486E) beats a foreign reading of the same characters.
	if rec != nil && rec.Valid && rec.Country == "DE" {
		return rec, err
	}
	for _, v := range vs {
		if x := germanWithin(variant(v), 1); x != nil {
			return x, nil
		}
	}
	// A gap measured where a German plate after one repair has its seal
	// (AC 0Y50: AC-OY 50, not the Polish AC 0Y50) makes it German.
	if k := sealAt(r.Text); k > 0 {
		if x := germanWithin(r, 1); x != nil && len([]rune(x.Parts.District)) == k {
			return x, nil
		}
	}
	return rec, err
}

// germanWithin is the reading as an unambiguous, valid German plate when
// the grammar needs at most n confusion repairs for it, else nil.
func germanWithin(r plates.Reading, n int) *plates.Record {
	x, err := plates.Rank([]plates.Reading{r}, plates.Options{Country: "DE"})
	if err == nil && x != nil && x.Valid && !x.Ambiguous && changed(r.Text, x.Text) <= n {
		return x
	}
	return nil
}

// sealAt is the number of letters before the reading's first gap when
// that is where a German district ends (1 to 3 letters), else 0.
func sealAt(text string) int {
	k := 0
	for _, c := range strings.TrimSpace(text) {
		switch {
		case c == ' ' || c == '-':
			if k >= 1 && k <= 3 {
				return k
			}
			return 0
		case unicode.IsLetter(c):
			k++
		default:
			return 0
		}
	}
	return 0
}

// twoLineQuad is the box of a two-line plate whose top line is box a and
// bottom line box b: a's top edge and b's bottom edge, each along its own
// line and as long as the wider line reaches (the district above is often
// narrower than the letters and digits below).
func twoLineQuad(a, b geom.Quad) geom.Quad {
	pts := []geom.Point{a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3]}
	// edge is the line through o along from -> to, spanning pts
	edge := func(o, from, to geom.Point) (geom.Point, geom.Point) {
		u := unit(geom.Point{to[0] - from[0], to[1] - from[1]})
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, p := range pts {
			d := (p[0]-o[0])*u[0] + (p[1]-o[1])*u[1]
			lo, hi = math.Min(lo, d), math.Max(hi, d)
		}
		return geom.Point{o[0] + lo*u[0], o[1] + lo*u[1]}, geom.Point{o[0] + hi*u[0], o[1] + hi*u[1]}
	}
	tl, tr := edge(a[0], a[0], a[1])
	bl, br := edge(b[3], b[3], b[2])
	return geom.Quad{tl, tr, br, bl}
}

// sideBySide: b continues a's line to the right, at a similar height,
// after a gap of at most two character heights.
func sideBySide(a, b geom.Quad) bool {
	ha, hb := a.Height(), b.Height()
	if hb < 0.7*ha || hb > 1.4*ha {
		return false
	}
	d := a.AngleTo(b)
	if d > 8 {
		return false
	}
	f := frameOf(a)
	la, lb := f.project(a), f.project(b)
	gap := lb.A0 - la.A1
	return math.Abs(lb.P-la.P) < 0.35*ha && gap > -0.2*ha && gap < 2*ha
}

// stacked: b is the line right below a, of similar height, overlapping it
// horizontally (the two lines of a square plate).
func stacked(a, b geom.Quad) bool {
	ha, hb := a.Height(), b.Height()
	if hb < 0.6*ha || hb > 1.6*ha {
		return false
	}
	d := a.AngleTo(b)
	if d > 10 {
		return false
	}
	f := frameOf(a)
	la, lb := f.project(a), f.project(b)
	overlap := math.Min(la.A1, lb.A1) - math.Max(la.A0, lb.A0)
	gap := lb.P - la.P
	return overlap > 0.5*math.Min(la.A1-la.A0, lb.A1-lb.A0) && gap > 0.6*ha && gap < 1.8*ha
}

// grownAbove is box a, boxed too tight by the detector (0.3 to 0.6 of
// b's height, the lone B over WZ 296 of a two-line plate), grown about its
// centre along b's direction to 0.9 of b's height (and at least as wide as
// high), when that is the line right above b (stacked).
func grownAbove(a, b geom.Quad) (geom.Quad, bool) {
	f := frameOf(b)
	// a's extent along b's line and across it, whichever way a's corners
	// run (a lone character's box often reads turned)
	la := f.project(a)
	across := frame{O: f.O, U: f.N, N: f.U}.project(a)
	ha, wa, hb := across.A1-across.A0, la.A1-la.A0, b.Height()
	if ha < 0.3*hb || ha >= 0.6*hb {
		return geom.Quad{}, false
	}
	h := 0.9 * hb
	w := math.Min(b.Width(), math.Max(h, wa*h/ha))
	c := a.Center()
	at := func(x, y float64) geom.Point {
		return geom.Point{c[0] + x*f.U[0] + y*f.N[0], c[1] + x*f.U[1] + y*f.N[1]}
	}
	g := geom.Quad{at(-w/2, -h/2), at(w/2, -h/2), at(w/2, h/2), at(-w/2, h/2)}
	return g, stacked(g, b)
}

// alignedTo is square-ish box q (sides within a factor 1.6) with its
// corners turned by a quarter or three so that it reads along ref's
// direction, when it runs across it (more than 45 degrees off).
func alignedTo(q, ref geom.Quad) (geom.Quad, bool) {
	w, h := q.Width(), q.Height()
	if w < 2 || h < 2 || w > 1.6*h || h > 1.6*w || q.AngleTo(ref) <= 45 {
		return q, false
	}
	best, bd := q, math.Inf(1)
	for k := 1; k < 4; k++ {
		t := geom.Quad{q[k], q[(k+1)%4], q[(k+2)%4], q[(k+3)%4]}
		if d := t.AngleTo(ref); d < bd {
			best, bd = t, d
		}
	}
	return best, bd <= 45
}

// twoLineText: the top line of a two-line plate holds the district and
// letters (no digit, at most 5 characters), the bottom line the digits
// (and a suffix letter), at most 6 characters.
func twoLineText(top, bottom string) bool {
	nt, _, dt := alnumCount(top)
	nb, _, db := alnumCount(bottom)
	return nt >= 1 && nt <= 5 && (dt == 0 || (dt == 1 || dt == 2 && nt == 2) && letterTwins(top)) && nb >= 1 && nb <= 6 && db >= 1
}

// letterTwins: every digit of s is one the recognizer reads for a letter
// (0 for O, 8 for B: the district OB read 08). twoLineText takes such a
// top line with one digit, or two that are the whole line (08; AB12 is
// no top line).
func letterTwins(s string) bool {
	for _, c := range s {
		if c >= '0' && c <= '9' && twinLetter(c) == c {
			return false
		}
	}
	return true
}

// twinLetter is the letter a digit read on a plate's top line most often
// was (its first twin in digitTwins: 0 for O, 8 for B), or c itself.
func twinLetter(c rune) rune {
	if tw, ok := digitTwins[string(c)]; ok {
		return rune(tw[0])
	}
	return c
}

// markPlate adds rec to the set *m, making the set when there is none.
func markPlate(m *map[*plates.Record]bool, rec *plates.Record) {
	if *m == nil {
		*m = map[*plates.Record]bool{}
	}
	(*m)[rec] = true
}

// regionVotes counts, for each record, the distinct regions that read
// its text at its place (records of the same text whose boxes overlap):
// two readings of one print as sure as each other (WÜP2 read on two
// regions of the top line, WIP2 on one) go to the one more regions read.
func regionVotes(rs []*plates.Record, regs map[*plates.Record][]*Region) map[*plates.Record]int {
	out := make(map[*plates.Record]int, len(rs))
	for _, r := range rs {
		seen := map[*Region]bool{}
		for _, o := range rs {
			if o.Text != r.Text || !samePlace(r, o) {
				continue
			}
			for _, g := range regs[o] {
				seen[g] = true
			}
		}
		out[r] = len(seen)
	}
	return out
}

// samePlace: the two records' boxes overlap by half of the smaller.
func samePlace(a, b *plates.Record) bool {
	return a.Quad != nil && b.Quad != nil && overlapShare(quadOf(*a.Quad), quadOf(*b.Quad)) >= 0.5
}

// nearConf: of two readings of one place, a German and a foreign plate
// whose grammar confidences lie this close, the German is first when no
// country is preferred (Germany first, the default guessing order: the
// top line WÜ of WÜ-M 725 read WwU makes the Polish WWU M725 at 0.999,
// the German reading 0.973).
const nearConf = 0.05

// dedupePlates drops records whose quad lies inside a better record's
// quad with the same text or text contained in it, in order with gaps
// allowed (a plate found both as a pair and as its fragments, or read
// once with characters dropped). Of two readings of the same text, a
// German one is kept (a region read with its seal gap, BN Z735, tells
// BN-Z 735 where another region's BNZ735 parsed as a Belgian plate),
// else the first.
func dedupePlates(rs []*plates.Record) []*plates.Record {
	var out []*plates.Record
	for i, r := range rs {
		dup := false
		for j, o := range rs {
			if i == j || !subsequence(r.Text, o.Text) {
				continue
			}
			if o.Text == r.Text {
				oDE, rDE := o.Country == "DE", r.Country == "DE"
				if !(oDE && !rDE) && !(oDE == rDE && j < i) {
					continue
				}
			}
			if quadInside(*r.Quad, *o.Quad) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, r)
		}
	}
	return out
}

// subsequence: the characters of a appear in b in order (b may hold
// more between them: a reading of the same plate that dropped characters,
// CLV3 beside CCLVN3).
func subsequence(a, b string) bool {
	rb := []rune(b)
	k := 0
	for _, c := range a {
		for k < len(rb) && rb[k] != c {
			k++
		}
		if k == len(rb) {
			return false
		}
		k++
	}
	return true
}

// partOfLarger marks the records whose quad's centre lies inside another
// record's quad of at least 1.5 times its area (a line of a two-line plate
// read alone, beside the pair).
func partOfLarger(rs []*plates.Record) map[*plates.Record]bool {
	area := func(q [4][2]float64) float64 {
		return geom.Quad{q[0], q[1], q[2], q[3]}.Area()
	}
	out := map[*plates.Record]bool{}
	for _, r := range rs {
		for _, o := range rs {
			if o != r && quadInside(*r.Quad, *o.Quad) && area(*o.Quad) >= 1.5*area(*r.Quad) {
				out[r] = true
				break
			}
		}
	}
	return out
}

// quadInside: the centre of in lies in the bounding box of out.
func quadInside(in, out [4][2]float64) bool {
	var cx, cy float64
	for _, p := range in {
		cx += p[0] / 4
		cy += p[1] / 4
	}
	ox0, oy0, ox1, oy1 := geom.Quad{out[0], out[1], out[2], out[3]}.Bounds()
	return cx >= ox0 && cx <= ox1 && cy >= oy0 && cy <= oy1
}

// umlautVariants lists the text with umlauts on some of the vowels of the
// leading letter group (up to 3 letters: the district code; a 0 after its
// first letter counts as an O, the recognizer's reading of an Ö without
// its dots), fewest umlauts first.
func umlautVariants(text string) []string {
	rs := []rune(text)
	var pos []int
	for i := 0; i < len(rs) && i < 3; i++ {
		if rs[i] == '0' && i > 0 {
			pos = append(pos, i) // an Ö without its dots reads as O or 0
			continue
		}
		if !unicode.IsLetter(rs[i]) {
			break
		}
		if rs[i] == 'O' || rs[i] == 'A' || rs[i] == 'U' {
			pos = append(pos, i)
		}
	}
	umlaut := map[rune]rune{'O': 'Ö', 'A': 'Ä', 'U': 'Ü', '0': 'Ö'}
	var out []string
	for k := 1; k <= len(pos); k++ {
		for mask := 1; mask < 1<<len(pos); mask++ {
			if bits(mask) != k {
				continue
			}
			v := append([]rune(nil), rs...)
			for j, p := range pos {
				if mask&(1<<j) != 0 {
					v[p] = umlaut[v[p]]
				}
			}
			out = append(out, string(v))
		}
	}
	return out
}

func bits(m int) int {
	n := 0
	for ; m > 0; m &= m - 1 {
		n++
	}
	return n
}

// undotted is the reading without umlauts, and with an O where the plate
// has an Ö and the reading a 0 (the recognizer's reading of an Ö without
// its dots is no repair).
func undotted(reading, plate string) string {
	a := alnumRunes(reading)
	b := []rune(plate)
	if len(a) == len(b) {
		for i := range a {
			if a[i] == '0' && b[i] == 'Ö' {
				a[i] = 'O'
			}
		}
	}
	return deUmlaut(string(a))
}

// deUmlaut maps Ä, Ö, Ü to A, O, U (to count repairs without umlauts).
func deUmlaut(s string) string {
	return strings.NewReplacer("Ä", "A", "Ö", "O", "Ü", "U").Replace(s)
}

func alnumLen(s string) int {
	n, _, _ := alnumCount(s)
	return n
}

// minPlateCharProb is the probability below which an inner character is
// taken for the seal or a badge rather than a plate character.
const minPlateCharProb = 0.5

// plateReading rebuilds the text of a region with a space wherever the
// character boxes show a wide gap (the seal position on German plates, the
// group gaps elsewhere), and the per-character confidences.
func plateReading(r Region) (string, []float64) { return plateReadingSeals(r, true) }

// plateReadingSeals is plateReading; without seals an inner character
// read with low probability is kept rather than taken for the seal.
func plateReadingSeals(r Region, seals bool) (string, []float64) { return plateText(r, seals, -1) }

// topLineReading is plateReading of the top line of a two-line plate,
// whose seal stands after the district, at the line's end: a last
// character read with low probability there is the seal, not a letter
// (AOT of AÖ with the seal read T at 0.33), and is dropped.
func topLineReading(r Region) (string, []float64) {
	n := len(r.Chars)
	if n < 2 || !isPlateRune(r.Chars[n-1].Char) || r.Chars[n-1].Prob >= minPlateCharProb {
		return plateReading(r)
	}
	kept := 0
	for _, c := range r.Chars[:n-1] {
		if isPlateRune(c.Char) {
			kept++
		}
	}
	if kept == 0 {
		return plateReading(r)
	}
	t := r
	t.Chars = r.Chars[:n-1]
	t.Text = strings.TrimSuffix(r.Text, r.Chars[n-1].Char)
	return plateReading(t)
}

// keptChars are the plate characters of a PP-OCR reading, without the
// seal: a character read with low probability between others is most
// often the round seal or badge between district and letters, and a mark
// (':' or '·' for the seal, '-' for a printed separator) is one; either
// becomes a split hint after the character before it (sealAfter). After a
// mark, a character read unsure is kept: the seal is behind (the second 4
// of NÖ·U 544E read A at 0.44).
func keptChars(r Region, seals bool) (chars []models.Char, sealAfter map[int]bool) {
	sealAfter = map[int]bool{}
	nextTo := besideSeal(r.Chars)
	marked := false // a mark for the seal read before: the plate has one
	for k, c := range r.Chars {
		if !isPlateRune(c.Char) {
			if len(chars) > 0 && k < len(r.Chars)-1 && strings.TrimSpace(c.Char) != "" {
				sealAfter[len(chars)-1] = true
				marked = true
			}
			continue
		}
		if seals && !marked && c.Prob < minPlateCharProb && k > 0 && k < len(r.Chars)-1 && !nextTo[k] {
			sealAfter[len(chars)-1] = true
			continue
		}
		chars = append(chars, c)
	}
	return chars, sealAfter
}

// plateText is plateReadingSeals with one more split hint after the kept
// character soft (-1: none).
func plateText(r Region, seals bool, soft int) (string, []float64) {
	if len(r.Chars) == 0 {
		return r.Text, nil
	}
	chars, sealAfter := keptChars(r, seals)
	if len(chars) == 0 {
		return "", nil
	}
	gaps, med := centreGaps(chars)
	var sb strings.Builder
	conf := make([]float64, 0, len(chars))
	for i, c := range chars {
		if i > 0 && med > 0 {
			if gaps[i-1] > splitPitches*med || sealAfter[i-1] || soft == i-1 {
				sb.WriteByte(' ')
			}
		}
		sb.WriteString(strings.ToUpper(c.Char))
		conf = append(conf, c.Prob)
	}
	// Separators PP-OCR itself printed are kept as split hints too.
	if strings.ContainsAny(r.Text, " -") && !strings.Contains(sb.String(), " ") {
		return strings.ToUpper(r.Text), nil
	}
	return sb.String(), conf
}

// splitPitches: a gap between character centres wider than this many
// times their median is a split hint (plateText).
const splitPitches = 1.6

// centreGaps are the distances between neighbouring characters' centres
// and their median (0 for fewer than two characters).
func centreGaps(chars []models.Char) (gaps []float64, med float64) {
	for i := 1; i < len(chars); i++ {
		gaps = append(gaps, (chars[i].X0+chars[i].X1)/2-(chars[i-1].X0+chars[i-1].X1)/2)
	}
	if len(gaps) > 0 {
		sorted := slices.Clone(gaps)
		sort.Float64s(sorted)
		med = sorted[len(sorted)/2]
	}
	return gaps, med
}

// oneLetterGap is plateReading of region r with, of the splits before its
// first digit (wide gaps, marks, the seal dropped), only the widest kept,
// where it had two or more and its first character is read sure. A
// German plate has one gap among its letters, the seal's, before the
// space to its digits, and no other format splits its leading letters
// twice: PP-OCR's frames place a wide first glyph too early (the W of
// WAF-D 4577, two pitches before the A, read W AF D4577), while the seal
// spans the widest gap. A band read as a first letter is read unsure
// (leadTrimmed).
func oneLetterGap(r Region) (string, []float64, bool) {
	chars, sealAfter := keptChars(r, true)
	if len(chars) < 4 || chars[0].Prob < sureCharProb {
		return "", nil, false
	}
	pitch, med := centreGaps(chars)
	if med <= 0 {
		return "", nil, false
	}
	split := func(i int) bool { return pitch[i-1] > splitPitches*med || sealAfter[i-1] }
	widest, splits := 0, 0
	for i := 1; i < len(chars) && !isDigitRune(chars[i-1].Char) && !isDigitRune(chars[i].Char); i++ {
		if split(i) {
			splits++
			if widest == 0 || pitch[i-1] > pitch[widest-1] {
				widest = i
			}
		}
	}
	if splits < 2 {
		return "", nil, false
	}
	var sb strings.Builder
	conf := make([]float64, 0, len(chars))
	letters := true
	for i, c := range chars {
		if isDigitRune(c.Char) {
			letters = false
		}
		if i > 0 && split(i) && (!letters || i == widest) {
			sb.WriteByte(' ')
		}
		sb.WriteString(strings.ToUpper(c.Char))
		conf = append(conf, c.Prob)
	}
	return sb.String(), conf, true
}

// sealGapBesides: of the gaps d between a line's character centres, one
// not next to character i (d[i-1], d[i]) spans sealGapPitches of the
// others' median or more: the seal's empty place, which is elsewhere than
// at character i.
func sealGapBesides(d []float64, i int) bool {
	var rest []float64
	for j, g := range d {
		if j != i-1 && j != i {
			rest = append(rest, g)
		}
	}
	if len(rest) < 2 {
		return false
	}
	sort.Float64s(rest)
	med := rest[len(rest)/2]
	return med > 0 && rest[len(rest)-1] >= sealGapPitches*med
}

// sealGapPitches is how many pitches an empty seal's gap spans at least
// (the space between letters and digits spans about one and a half; the
// empty seal gap of BGL·BJ 32 measured 2.48).
const sealGapPitches = 2.2

// low: c is a plate character read under minPlateCharProb.
func low(c models.Char) bool { return isPlateRune(c.Char) && c.Prob < minPlateCharProb }

// besideSeal marks the characters read with low probability that are not
// the seal: one next to a mark PP-OCR read for the seal (the Q of S-Q33:
// the plate has one seal, and the mark is it), one that stands at a
// character's pitch from one neighbour and about two pitches (1.9) or
// more from the other (the N of BN-TH 78E, read as W with 0.38, beside the
// seal gap; the Ö of LÖ·XY 193H at 0.49, 1.99 pitches from the X as the
// recognizer's frames fall; the seal itself stands apart from both), and
// one where the seal's gap
// stands empty elsewhere (sealGapBesides: the 8 of DO·BZ 8E at 0.48), and
// two side by side.
func besideSeal(chars []models.Char) map[int]bool {
	out := map[int]bool{}
	mark := func(k int) bool {
		return k >= 0 && k < len(chars) && !isPlateRune(chars[k].Char) && strings.TrimSpace(chars[k].Char) != ""
	}
	for k, c := range chars {
		if low(c) && (mark(k-1) || mark(k+1)) {
			out[k] = true
		}
	}
	// two such characters side by side on a line otherwise read sure (four
	// plate characters or more at minPlateCharProb): the seal is one glyph
	// (the two 8s of MÜ-LR 8847 read at 0.37 and 0.40; not VO3 read all
	// under 0.3)
	sure := 0
	for _, c := range chars {
		if isPlateRune(c.Char) && !low(c) {
			sure++
		}
	}
	for k := 0; k+1 < len(chars) && sure >= 4; k++ {
		if low(chars[k]) && low(chars[k+1]) {
			out[k], out[k+1] = true, true
		}
	}
	var idx []int
	var cen []float64
	for k, c := range chars {
		if isPlateRune(c.Char) {
			idx = append(idx, k)
			cen = append(cen, (c.X0+c.X1)/2)
		}
	}
	if len(cen) < 4 {
		return out
	}
	d := make([]float64, len(cen)-1)
	for i := range d {
		d[i] = cen[i+1] - cen[i]
	}
	s := append([]float64(nil), d...)
	sort.Float64s(s)
	med := s[len(s)/2]
	if med <= 0 {
		return out
	}
	for i := 1; i < len(cen)-1; i++ {
		k := idx[i]
		if chars[k].Prob >= minPlateCharProb {
			continue
		}
		l, r := d[i-1]/med, d[i]/med
		if math.Min(l, r) <= 1.15 && math.Max(l, r) >= 1.9 || sealGapBesides(d, i) {
			out[k] = true
		}
	}
	return out
}

func isPlateRune(s string) bool {
	for _, c := range s {
		if !(unicode.Is(unicode.Latin, c) || unicode.IsDigit(c)) {
			return false
		}
	}
	return s != ""
}

// alnumCount counts the letters and digits of s.
func alnumCount(s string) (n, letters, digits int) {
	for _, c := range s {
		switch {
		case unicode.IsLetter(c):
			letters++
		case unicode.IsDigit(c):
			digits++
		}
	}
	return letters + digits, letters, digits
}

// alnumRunes is s upper-cased, letters and digits only.
func alnumRunes(s string) []rune {
	var a []rune
	for _, c := range strings.ToUpper(s) {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			a = append(a, c)
		}
	}
	return a
}

// changed counts the positions where the plate text differs from the
// reading's letters and digits (a length change counts as many).
func changed(reading, text string) int {
	return changedBut(reading, text, nil)
}

// changedBut is changed not counting the positions where same (non-nil)
// holds for the reading's character and the text's.
func changedBut(reading, text string, same func(read, plate rune) bool) int {
	a := alnumRunes(reading)
	b := []rune(text)
	if len(a) != len(b) {
		return 1 + max(len(a), len(b)) - min(len(a), len(b))
	}
	n := 0
	for i := range a {
		if a[i] != b[i] && (same == nil || !same(a[i], b[i])) {
			n++
		}
	}
	return n
}
