package pipeline

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"docscan/documents"
	"docscan/geom"
	"docscan/internal/licnum"
	"docscan/models"
	"docscan/mrz"
	"docscan/ocr"
	"docscan/preprocess"
)

// DocumentBuilder finds an ID-1 card or ID-3 passport page, straightens it
// and reads its visual zone:
//
//  1. outline: OpenCV contour quads on a 1024-pixel gray view, the one
//     holding the most detected text regions wins (package documents), or,
//     when the edges are too faint, the extent of the text layout; each
//     side is then snapped to the strongest straight edge near it; a side
//     the text reaches, or one on the card's print (a photo's edge), moves
//     out to a fainter border beyond (documents.ClearText), a side beyond
//     the card (on the paper under it) that leaves the outline too flat or
//     too narrow for the format moves back in to where the aspect puts it
//     (documents.FitAspect), a side that runs along an edge for little
//     of its length moves to a straight edge in a wide band, at an angle
//     to it, that it runs along nearly all the way (documents.TiltSides),
//     and a side on the frame's border is placed where the format's
//     aspect puts it (documents.Complete); a card small in that view
//     (under fineCardShort on its short side) is outlined again, the same
//     way, in a finer view, up to the photo's own size;
//  2. the card is warped to its normalized image (1000 x 630 for ID-1),
//     from a copy of the photo deconvolved over the card where the photo
//     is smeared or defocused there (cardSource), and the text detector
//     runs on it; the orientation model votes over the
//     widest lines whether it is upside down (the outline's long side fixes
//     the quarter turns);
//  3. the lines are read with PP-OCR; the type and country come from
//     keywords, licence field numbers and the MRZ record, the fields from
//     the type's layout; names and places get a second reading with
//     Tesseract deu for the umlauts PP-OCR cannot spell;
//  4. fields the MRZ also carries are cross-checked with it;
//  5. the capture gate judges blur, glare, darkness, size and cut-off on the
//     card itself (Scene.Warnings).
type DocumentBuilder struct {
	// Gate overrides documents.DefaultGate when its MinCardPx is set.
	Gate documents.Gate
}

// Kind implements Builder.
func (DocumentBuilder) Kind() string { return "document" }

// docMaxLines bounds the lines read on one card; docFirstLines are read
// first, largest first, to tell the document type.
const (
	docMaxLines   = 48
	docFirstLines = 6
	docDetSide    = 1024 // detector input long side for the normalized card
	// docCoarseSide is the detector input long side of the second pass
	// over a licence whose first pass read few fields: blur spans three
	// eighths of the pixels there, and the detector finds the lines of a
	// blurred card it missed or cut into pieces at full size (coarseRead)
	docCoarseSide = 384
	// minLicenceFields is the fewest fields of its rows (field 9, the
	// categories, not counted: it is read by its own rule from the
	// bottom row, however the rows above went) a licence's first pass
	// must read before the coarse pass is left out (a licence holds ten,
	// nine in its rows; 5 before: licence_0043's first pass read six and
	// neither date, the coarse pass nine. Of the synthetic licences' 2000
	// fields, 7: 1822 -> 1825; 8: 1829 -> 1832 more (licence_0067,
	// 0141), median latency unchanged; 9: one more, the median 17%
	// longer)
	minLicenceFields = 8
	// minOutlineLines is the fewest lines the detector must find on the
	// normalized card of an outline picked among scattered print
	// (documents' outlineScattered source "outline"): a licence or ID
	// card front holds 15 or more, a blurred synthetic licence showed 9,
	// a sheet of paper under a small licence 5.
	minOutlineLines = 8
	// minIDFields is the fewest fields the German ID card template must
	// find before the card's other lines are left unread (a card holds
	// eight or nine).
	minIDFields = 6
	// maxWidenCut bounds how often an outline found from the text moves
	// the sides that cut the card's print out (documents.WidenCut)
	maxWidenCut = 2
)

// Build implements Builder.
func (b DocumentBuilder) Build(ctx context.Context, s *Scene) ([]Record, error) {
	e := s.Eng
	gate := b.Gate
	if gate.MinCardPx == 0 {
		gate = documents.DefaultGate
	}
	t0 := time.Now()
	var mrec *mrz.Record
	for _, r := range s.Records {
		if m, ok := r.(*mrz.Record); ok && m.Quad != nil {
			mrec = m
			break
		}
	}
	format := documents.ID1
	if mrec != nil && mrec.Format == mrz.FormatTD3 {
		format = documents.ID3
	}
	v := s.lookFrame().CardView(cardViewSide)
	o, ok := cardOutline(s, v, format)
	if !ok {
		return nil, nil
	}
	// A card small in the view is looked for again in a finer one: a
	// side there lies within a few pixels of the edge of the card's print
	// (a photo's edge 8 view pixels inside a white border), too near to
	// tell the two apart.
	if side := fineViewSide(o, v); side > 0 {
		if fv := s.lookFrame().CardView(side); fv.Scale < v.Scale {
			if fo, ok := cardOutline(s, fv, format); ok && sameCard(fo.quad.Scale(fv.Scale, fv.Scale), o.quad.Scale(v.Scale, v.Scale)) {
				v, o = fv, fo
			}
		}
	}
	g, text, src := o.g, o.text, o.src
	quad := o.quad.Scale(v.Scale, v.Scale)
	var (
		W, H     int
		canon    *preprocess.Frame
		lines    []documents.Line
		quads    []geom.Quad
		extra    []Record // an MRZ record read on the normalized card
		cardMR   bool     // the card's MRZ was looked for
		outlined bool     // the outline alone was tried
		widened  int      // times a side cutting the card moved out
	)
	defer func() {
		if canon != nil {
			canon.Close()
		}
	}()
	// A card the photo smeared (motion) or defocused is read from a copy
	// deconvolved with the blur measured over it (cardSource); the capture
	// gate still judges the photo as taken.
	// Not for an MRZ request, which keeps only the card's MRZ: the card's
	// lines are then found on the card as taken too (found on the
	// deconvolved card, the lines' boxes changed, and mrz_0243 of the 300
	// synthetic MRZ scenes was refused where it was read).
	cs := cardSource{frame: s.Frame, off: s.Kind == "mrz" || s.mrzRequest}
	defer cs.close()
	// turn warps the card the other way up, its detected lines with it
	turn := func() bool {
		quad = documents.Rotate(quad, 2)
		canon.Close()
		var err error
		if canon, err = cs.warp(quad, W, H); err != nil {
			canon = nil
			return false
		}
		for i, dq := range quads {
			for k := range dq {
				dq[k] = geom.Point{float64(W) - dq[k][0], float64(H) - dq[k][1]}
			}
			quads[i] = dq.Rotate180()
			lines[i].Box = bounds(quads[i])
		}
		return true
	}
	for {
		W, H = documents.Size(format)
		if canon != nil {
			canon.Close()
		}
		var err error
		if canon, err = cs.warp(quad, W, H); err != nil {
			canon = nil
			return nil, nil
		}
		// at the normalized size: a smaller input (736 px, 40% less
		// time) glues the small field numbers to their values
		if lines, quads, err = b.detect(ctx, e, canon, docDetSide); err != nil {
			return nil, err
		}
		if src == "outline" && len(quads) < minOutlineLines {
			// an outline picked among scattered print that holds too
			// little print for a card at the card's size: a sheet of
			// paper under a small card
			return nil, nil
		}
		if src != "edges" && !outlined && documents.Across(quads) {
			// the outline came from junk text (a blurred photo's first
			// pass): its lines run across the card; the outline alone
			// places it
			outlined = true
			if oq, osrc, ok := documents.PickOutline(g, v.Quads, text); ok {
				quad, src = oq.Scale(v.Scale, v.Scale), osrc
				continue
			}
		}
		if widened < maxWidenCut && (src == "text" || src == "text+edges") {
			// a line of the card's print runs up to a side: the outline
			// cuts the card there (documents.WidenCut)
			if cut, some := documents.CutSides(lines, W, H); some {
				if wq, ok := documents.WidenCut(g, quad, cut, W, H, v.Scale); ok {
					quad = wq
					widened++
					continue
				}
			}
		}
		s.tDetect += time.Since(t0)
		t0 = time.Now()
		flip, err := upsideDown(ctx, e, canon, quads)
		if err != nil {
			return nil, err
		}
		if flip {
			if !turn() {
				return nil, nil
			}
		}
		s.tOrient += time.Since(t0)
		t0 = time.Now()
		// The MRZ of a card small in the photo, or turned so that the
		// scene's first pass lost it, is looked for again on the
		// normalized card, where its print has a known size and is upright.
		// Only where the scene gave a sign of one: a zone read invalid, or
		// print of an MRZ's texture, or the card holds a line of an MRZ
		// line's shape (a card without an MRZ, such as a German licence or
		// ID card's front, is not searched twice).
		if cardMR || (mrec != nil && mrec.Valid) || (mrec == nil && !s.mrzHint && !mrzLineOnCard(quads, W, H)) {
			break
		}
		cardMR = true
		// The MRZ is read from the card as taken: the MRZ readers' tests
		// of legibility, pitch and glyph heights are drawn on photographed
		// print, not on a deconvolved card's ringing (on the synthetic MRZ
		// scenes a defocused card deconvolved lost the L of a surname LI,
		// read valid without it: no check digit covers names).
		mcanon, err := cs.asTakenFrame(canon, quad, W, H)
		if err != nil {
			return nil, err
		}
		m, cells, err := cardMRZ(ctx, s, mcanon, quads, quad, W, H)
		if mcanon != canon {
			mcanon.Close()
		}
		t0 = time.Now()
		if err != nil {
			return nil, err
		}
		if m == nil || (mrec != nil && (!m.Valid || !slices.Equal(m.Lines, mrec.Lines) && !namesSettled(mrec, m) && !cardSettled(mrec, m, cells))) {
			// A valid reading of other lines than the scene's refused
			// one is as likely the card crop's misreading as the
			// scene's (6 read G twice and 1 read I twice in a
			// document number, a filler read K in optional data: no
			// check digit sees either); the same lines read valid on
			// the card confirm them, and so does a card reading that
			// settles the names the scene's left open (namesSettled),
			// or one whose differing characters the cell classifier
			// reads as the card does (cardSettled).
			break
		}
		if mrec != nil {
			// a valid reading of the same lines replaces the scene's refused one
			for i, r := range s.Records {
				if r == Record(mrec) {
					s.Records[i] = m
				}
			}
		} else if s.Kind == "" || s.Kind == "auto" {
			extra = append(extra, m)
		}
		mrec = m
		if m.Valid {
			s.wantFine = false
		}
		if m.Format == mrz.FormatTD3 && format != documents.ID3 {
			format = documents.ID3 // a passport page: normalize it as one
			continue
		}
		break
	}
	s.tOrient += time.Since(t0)
	t0 = time.Now()
	outs := make([]*models.Output, len(quads))
	read := func(idx ...int) error {
		return readCardLines(ctx, e, canon, quads, lines, outs, idx)
	}
	mrzType, mrzState := "", ""
	if mrec != nil {
		mrzType, mrzState = mrec.DocumentType, mrec.Fields["issuing_state"]
	}
	// first the largest lines (headers, big values) tell the type; then only
	// the lines where its layout has fields
	order := make([]int, len(lines))
	for i := range order {
		order[i] = i
	}
	size := func(l documents.Line) float64 { h := l.Box[3] - l.Box[1]; return (l.Box[2] - l.Box[0]) * h * h }
	sort.SliceStable(order, func(a, b int) bool { return size(lines[order[a]]) > size(lines[order[b]]) })
	done := make([]bool, len(lines))
	first := order[:min(docFirstLines, len(order))]
	if err := read(first...); err != nil {
		return nil, err
	}
	for _, i := range first {
		done[i] = true
	}
	firstType, firstCountry, _ := documents.Classify(documents.Clean(lines), mrzType, mrzState)
	// The orientation model's vote on blurred print can be wrong: a card
	// without an MRZ whose largest lines tell no type is read the other
	// way up, and kept so when that tells one (the turn costs the largest
	// lines' recognition only where nothing was recognized).
	if firstType == documents.Unknown && mrec == nil && len(first) > 0 {
		t0 := time.Now()
		saved := make([]documents.Line, len(lines))
		copy(saved, lines)
		savedOuts := append([]*models.Output(nil), outs...)
		if !turn() {
			return nil, nil
		}
		if err := read(first...); err != nil {
			return nil, err
		}
		if t, c, _ := documents.Classify(documents.Clean(lines), mrzType, mrzState); t != documents.Unknown {
			firstType, firstCountry = t, c
		} else {
			if !turn() {
				return nil, nil
			}
			copy(lines, saved)
			copy(outs, savedOuts)
		}
		s.tOrient += time.Since(t0)
	}
	var needed []int
	for i := range lines {
		if !done[i] && documents.NeedsReading(firstType, firstCountry, lines[i], W, H) {
			needed = append(needed, i)
		}
	}
	if err := read(needed...); err != nil {
		return nil, err
	}
	blankNoise(lines)
	docType, country, conf := documents.Classify(lines, mrzType, mrzState)
	if mrec == nil {
		docType, country, conf = byIDLayout(docType, country, conf, lines, W, H)
	}
	reads := documents.ReadFields(docType, country, lines, W, H)
	// A blurred licence whose rows the detector missed at full size is
	// read again from a coarse detection (coarseRead). Not a card of no
	// type: the outline found on a fifth of the real plate photos is one,
	// and the coarse pass told no synthetic card's type either.
	if mrec == nil && docType == documents.DrivingLicence && rowFields(reads) < minLicenceFields {
		c, tDet, err := b.coarseRead(ctx, e, canon, W, H)
		if err != nil {
			return nil, err
		}
		// its detection is the detect stage's, not recognition's
		s.tDetect += tDet
		t0 = t0.Add(tDet)
		if c.docType == docType && len(c.reads) > len(reads) {
			lines, quads, outs, reads = c.lines, c.quads, c.outs, c.reads
			docType, country, conf = c.docType, c.country, c.conf
			done = make([]bool, len(lines))
		}
	}
	// A German ID card front placed off (a side of its outline snapped to
	// another edge, or its height misjudged under perspective: rows off by
	// 5% at the top, none at the bottom) leaves its values out of the
	// slots whose lines were read: where the template found few fields,
	// or left one out, the other lines are read too, the labels with
	// them, and the fields under their labels fill the slots left (see
	// documents.ReadFields).
	if docType == documents.IDCard && (country == "DE" || country == "") && (len(reads) < minIDFields || idFieldMissing(reads)) {
		var more []int
		for i := range lines {
			if outs[i] == nil && !done[i] {
				more = append(more, i)
			}
		}
		if err := read(more...); err != nil {
			return nil, err
		}
		if len(more) > 0 {
			blankNoise(lines)
			reads = documents.ReadFields(docType, country, lines, W, H)
		}
	}
	// A licence outline with a side off (snapped to the paper under a
	// pale card, or to a line printed on it) is placed by its lines, and
	// its fields are read again where the lines stand on the card so
	// placed (an outline far off sends values to the wrong slots). The
	// German identity card front likewise (RegisterIDCard), also where it
	// was read deconvolved. Not so a licence: a smear's residue moves the
	// ends of its lines' boxes apart (the header's two ends as a card
	// foreshortened) and its lines lie far from the bottom right corner;
	// on the synthetic licences it moved a blurred card's well-placed
	// outline (licence_0194: 0.1% -> 2.1% of the diagonal) and placed none
	// that was off, where an ID card's card number and CAN hold the right
	// corners (idcard_0173: 4.1% -> under 2%, no blurred card worse).
	if register := registration(docType, country, cs.sharp != nil); register != nil {
		up := float64(W) / math.Max(1, math.Max(quad.Width(), quad.Height()))
		if c, ok := register(lines, quads, reads, W, H, up); ok {
			if back, ok := documents.Placing(c, W, H); ok {
				hm, _ := documents.CardHomography(quad, float64(W), float64(H))
				for i, p := range c {
					quad[i] = hm.Apply(p[0], p[1])
				}
				src = "layout"
				placeLines(lines, quads, back)
				var placed []int
				for i := range lines {
					if outs[i] == nil && documents.NeedsReading(docType, country, lines[i], W, H) {
						placed = append(placed, i)
					}
				}
				if err := read(placed...); err != nil {
					return nil, err
				}
				blankNoise(lines)
				reads = documents.ReadFields(docType, country, lines, W, H)
			}
		}
	}
	// fields of a known alphabet: the same inference decoded restricted to
	// it, also where the line a slot holds made no value (a CAN read
	// $57737)
	again := false
	unread := documents.Unread(docType, country, lines, W, H)
	patterns := documents.Patterns(docType, country)
	for name, chars := range documents.Alphabets(docType, country) {
		i := -1
		if rd, ok := reads[name]; ok && len(rd.Lines) == 1 && !rd.Part {
			i = rd.Lines[0]
		} else if j, held := unread[name]; !ok && held {
			i = j
		}
		if i < 0 || outs[i] == nil {
			continue
		}
		t := outs[i].Greedy(e.Rec.Charset(chars))
		if pat := patterns[name]; pat != nil && !fitsPattern(t.Text, pat) {
			if p, ok := outs[i].Pattern(patternSets(e.Rec, pat)); ok && leastProb(p) >= patternMinProb {
				t = p
			}
		}
		text := t.Text
		// a date no card can bear (an expiry sixty years ahead: 2083 for
		// 2033) takes the recognizer's likeliest alternative digit that
		// makes it one
		if v, ok := documents.PlausibleDate(name, text); v != "" && !ok {
			if m := mendDate(name, t.Chars); m != "" {
				text = m
			}
		}
		if text != "" && text != lines[i].Text {
			lines[i].Text, lines[i].Conf, again = text, t.Conf, true
		}
	}
	if again {
		reads = documents.ReadFields(docType, country, lines, W, H)
	}
	// a German licence's number opens with its authority's code
	if docType == documents.DrivingLicence && country == "DE" {
		if rd, ok := reads["document_number"]; ok && !rd.Part {
			if i := numberLine(rd, lines); i >= 0 && outs[i] != nil {
				if text := mendLicenceNumber(rd.Value, outs[i].Greedy(nil)); text != "" {
					lines[i].Text = text
					reads = documents.ReadFields(docType, country, lines, W, H)
				}
			}
		}
		// and carries its check character
		if rd, ok := reads["document_number"]; ok && !rd.Part && !licnum.Valid(rd.Value) {
			if i := numberLine(rd, lines); i >= 0 && outs[i] != nil {
				if text := checkedLicenceNumber(outs[i]); text != "" {
					saved := lines[i].Text
					lines[i].Text = text
					if r := documents.ReadFields(docType, country, lines, W, H); licnum.Valid(r["document_number"].Value) {
						reads = r
					} else {
						lines[i].Text = saved
					}
				}
			}
		}
	}
	// a licence's dates their dots lost or read as digits
	if docType == documents.DrivingLicence {
		reads = grammarDates(e.Rec, docType, country, lines, outs, reads, W, H)
	}
	// a licence's expiry is its issue fifteen years on
	if docType == documents.DrivingLicence && (country == "DE" || country == "FR") {
		greedy := func(i int) (models.Text, bool) {
			if outs[i] == nil {
				return models.Text{}, false
			}
			return outs[i].Greedy(nil), true
		}
		if i, text := licenceTermMend(lines, greedy, reads, docType, country, W, H); text != "" {
			lines[i].Text = text
			reads = documents.ReadFields(docType, country, lines, W, H)
		}
	}
	// second reading of names and places with Tesseract deu
	again = false
	for name, rd := range reads {
		if !documents.TextFields[name] || e.Deu == nil {
			continue
		}
		for _, i := range rd.Lines {
			tl, err := readGray(ctx, e.Deu, canon, quads[i])
			if err != nil {
				if errors.Is(err, errSmall) {
					continue
				}
				return nil, err
			}
			if m := documents.MergeUmlauts(lines[i].Text, tl.Text); m != lines[i].Text {
				lines[i].Text, again = m, true
			}
		}
	}
	if again {
		reads = documents.ReadFields(docType, country, lines, W, H)
	}
	// the dots neither reader saw, from the print
	printedUmlauts(canon, quads, outs, reads)
	printedAccents(canon, quads, outs, country, reads)
	lexiconMend(e.Rec, docType, country, outs, reads)
	if docType == documents.DrivingLicence && (country == "DE" || country == "FR") {
		licenceTermFill(lines, reads, mrzExpiry(mrec))
	}
	if docType == documents.DrivingLicence {
		if rd, ok := grammarCategories(lines, outs, reads); ok {
			reads["categories"] = rd
		}
	}
	s.tOCR += time.Since(t0)

	hm, _ := documents.CardHomography(quad, float64(W), float64(H))
	rec := &documents.Record{Kind: "document", DocumentType: docType, Country: country, Format: format,
		Fields: map[string]documents.Field{}, Quad: roundQuad(quad), CornerSource: src,
		Orientation: orientationOf(quad), Confidence: round3(conf)}
	values := map[string]string{}
	for name, rd := range reads {
		rec.Fields[name] = documents.Field{Value: rd.Value, Confidence: round3(rd.Conf), Box: hm.Box(rd.Box), Source: "visual"}
		values[name] = rd.Value
	}
	if rd, ok := reads["document_number"]; ok && docType == documents.DrivingLicence && country == "DE" {
		rec.Checks = map[string]bool{"document_number": licnum.Valid(rd.Value)}
	}
	var mrzBox [4]float64
	if mrec != nil {
		maxName := 0
		if mrec.Format == mrz.FormatDL1 {
			maxName = 8
		}
		rec.CrossCheck = documents.CrossCheck(values, mrec.Fields, maxName)
		// (not for an MRZ request, whose answer holds no visual zone)
		if !s.mrzRequest && s.Kind != "mrz" && namesConfirmed(mrec, rec.CrossCheck) {
			mrec.Valid, mrec.Checks["names_unambiguous"] = true, true
		}
		fromFields, trusted := vouchedFields(mrec)
		for name, v := range documents.FromMRZ(values, fromFields, trusted, maxName) {
			f := rec.Fields[name]
			f.Value, f.Source, f.Confidence = v, "mrz", round3(mrec.Confidence)
			if f.Box == ([4]float64{}) {
				mq := *mrec.Quad
				f.Box = bounds(geom.Quad{mq[0], mq[1], mq[2], mq[3]})
				f.Box[2] -= f.Box[0]
				f.Box[3] -= f.Box[1]
			}
			rec.Fields[name] = f
		}
		if ph, ok := documents.PhotoHomography(quad, float64(W), float64(H)); ok {
			var mq geom.Quad
			for i, p := range mrec.Quad {
				mq[i] = ph.Apply(p[0], p[1])
			}
			mrzBox = bounds(mq)
		}
	}
	gp, gw, gh, err := cs.asTaken(canon, quad, W, H)
	if err != nil {
		return nil, err
	}
	c := documents.MeasureCard(documents.Gray{Pix: gp, W: gw, H: gh})
	cardPx := math.Max(quad.Width(), quad.Height())
	rec.Capture = &documents.CaptureFigures{Sharpness: round3(c.PhotoSharpness(cardPx)), Glare: round3(c.Glare),
		Brightness: math.Round(c.Brightness), CardPixels: math.Round(cardPx)}
	fw, fh := s.Frame.Size()
	s.Warnings = append(s.Warnings, gate.Warnings(c, quad, fw, fh, mrzBox)...)
	if s.Warnings == nil {
		s.Warnings = []string{}
	}
	if docType == documents.Unknown && len(reads) == 0 {
		// an outline with text but nothing a document has: no record
		return nil, nil
	}
	return append(extra, rec), nil
}

// placeLines sets each line's box (the one the field slots read) to where
// its quad on the normalized image stands on the card that back places
// (documents.Placing); the quads, which the recognizer crops, stay.
func placeLines(lines []documents.Line, quads []geom.Quad, back documents.Homography) {
	for i := range lines {
		var q geom.Quad
		for k, p := range quads[i] {
			q[k] = back.Apply(p[0], p[1])
		}
		lines[i].Box = bounds(q)
	}
}

// registration is the layout registration of a document type and
// country's card (documents.RegisterLicence, RegisterIDCard), nil where
// none is known or, for a licence, where the card was read deconvolved
// (see Build).
func registration(docType, country string, deblurred bool) func([]documents.Line, []geom.Quad, map[string]documents.Read, int, int, float64) (geom.Quad, bool) {
	switch {
	case docType == documents.DrivingLicence && !deblurred:
		return documents.RegisterLicence
	case docType == documents.IDCard && (country == "DE" || country == ""):
		return documents.RegisterIDCard
	}
	return nil
}

// vouchedFields are the MRZ fields the record may take in place of the
// visual zone's (documents.FromMRZ) and whether they are to be trusted: a
// valid MRZ's fields; of an MRZ refused only for a name's letter guessed
// from a 0 or 1 (names_unambiguous), the fields its check digits cover,
// the names left out (licence_0075: its DL1 line's licence number and
// expiry hold their check digits, its surname GARC1A does not say I or L).
func vouchedFields(m *mrz.Record) (map[string]string, bool) {
	if m.Valid || !refusedFor(m, "names_unambiguous") {
		return m.Fields, m.Valid
	}
	f := maps.Clone(m.Fields)
	delete(f, "surname")
	delete(f, "given_names")
	return f, true
}

// idFieldMissing: a German ID card front's field other than the birth
// name (printed only where the holder has one) is missing.
func idFieldMissing(reads map[string]documents.Read) bool {
	for _, f := range documents.IDFrontFields() {
		if _, ok := reads[f]; !ok && f != "birth_name" {
			return true
		}
	}
	return false
}

// rowFields counts the fields read but the categories (minLicenceFields).
func rowFields(reads map[string]documents.Read) int {
	n := len(reads)
	if _, ok := reads["categories"]; ok {
		n--
	}
	return n
}

// readCardLine recognizes the line of quad q on the normalized card canon
// with rec into l's text and confidence and returns the recognizer's
// output (nil, and l left as it is, where the quad is too small to crop).
func readCardLine(ctx context.Context, rec *models.Recognizer, canon *preprocess.Frame, q geom.Quad, l *documents.Line) (*models.Output, error) {
	crop, err := lineCrop(canon, q, false)
	if err != nil {
		return nil, nil
	}
	o, err := rec.Infer(ctx, crop)
	if err != nil {
		return nil, err
	}
	t := o.Greedy(nil)
	l.Text, l.Conf = documents.FoldWidth(t.Text), t.Conf
	return o, nil
}

// readCardLines recognizes the lines idx of the normalized card canon
// (quads on it) into lines and outs, in two goroutines where there are
// two lines or more (one line is read in place): the worker's recognizer
// and its fork on the same session (Engines.cardRecognizers). ONNX
// Runtime's second intra-op thread bought the recognizer little on this
// 2-core machine; two runs at once use both cores. Each line is read as
// alone, so the readings are those of one goroutine. A panic in either
// comes back as an error.
func readCardLines(ctx context.Context, e *Engines, canon *preprocess.Frame, quads []geom.Quad, lines []documents.Line, outs []*models.Output, idx []int) error {
	if len(idx) < 2 {
		for _, i := range idx {
			o, err := readCardLine(ctx, e.Rec, canon, quads[i], &lines[i])
			if err != nil {
				return err
			}
			outs[i] = o
		}
		return nil
	}
	recs := e.cardRecognizers()
	errs := make([]error, len(recs))
	var wg sync.WaitGroup
	for g := range recs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					errs[g] = fmt.Errorf("document: recognizing a card line: panic: %v", p)
				}
			}()
			for k := g; k < len(idx); k += len(recs) {
				i := idx[k]
				o, err := readCardLine(ctx, recs[g], canon, quads[i], &lines[i])
				if err != nil {
					errs[g] = err
					return
				}
				outs[i] = o
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// cardReading is a card's lines read, told and its fields placed.
type cardReading struct {
	lines   []documents.Line
	quads   []geom.Quad
	outs    []*models.Output
	docType string
	country string
	conf    float64
	reads   map[string]documents.Read
}

// coarseRead detects the normalized card's (w x h) lines at
// docCoarseSide, reads all of them, tells the type (no MRZ) and places the
// fields; tDet is the time its detection took. On the blurred cards of the
// synthetic licence set the full-size pass finds two lines of a licence a
// person reads at a glance (FÜHRERSCHEIN and a fragment); the coarse pass
// finds its rows. The caller keeps the coarse reading only where it tells the same type with
// more fields: at full size the small field numbers stay apart from
// their values, which a sharp card needs (every card's lines detected at
// 640 px instead lost 10 of 880 fields on the set's blurred, small and
// low-contrast licences).
func (b DocumentBuilder) coarseRead(ctx context.Context, e *Engines, canon *preprocess.Frame, w, h int) (c cardReading, tDet time.Duration, err error) {
	t0 := time.Now()
	c.lines, c.quads, err = b.detect(ctx, e, canon, docCoarseSide)
	if tDet = time.Since(t0); err != nil {
		return c, tDet, err
	}
	c.outs = make([]*models.Output, len(c.quads))
	all := make([]int, len(c.quads))
	for i := range all {
		all[i] = i
	}
	if err := readCardLines(ctx, e, canon, c.quads, c.lines, c.outs, all); err != nil {
		return c, tDet, err
	}
	blankNoise(c.lines)
	c.docType, c.country, c.conf = documents.Classify(c.lines, "", "")
	c.docType, c.country, c.conf = byIDLayout(c.docType, c.country, c.conf, c.lines, w, h)
	c.reads = documents.ReadFields(c.docType, c.country, c.lines, w, h)
	return c, tDet, nil
}

// cardMRZ looks for an MRZ on the normalized card canon (W x H, the
// normalization of the photo's quad) with its detected text lines quads,
// then, when none is found there, on a view of the photo around the card
// enlarged by cardMargin (the found outline may stop short of the MRZ). It
// returns the record in photo coordinates (nil: none) and, for a valid
// one, the cells of its zone (cardSettled).
func cardMRZ(ctx context.Context, s *Scene, canon *preprocess.Frame, quads []geom.Quad, quad geom.Quad, W, H int) (*mrz.Record, *zoneShapes, error) {
	m, cells, err := frameMRZ(ctx, s, canon, quads, quad, W, H)
	if m != nil || err != nil {
		return m, cells, err
	}
	big := scaleQuad(quad, cardMargin)
	bw, bh := int(math.Round(cardMargin*float64(W))), int(math.Round(cardMargin*float64(H)))
	t0 := time.Now()
	view, err := s.Frame.WarpFrame(big, bw, bh)
	if err != nil {
		return nil, nil, nil
	}
	defer view.Close()
	t := view.DetTensor(docDetSide)
	dets, err := s.Eng.Det.Detect(ctx, t.Data, t.W, t.H, t.ScaleX, t.ScaleY)
	s.tDetect += time.Since(t0)
	if err != nil {
		return nil, nil, err
	}
	qs := make([]geom.Quad, len(dets))
	for i, d := range dets {
		qs[i] = d.Quad
	}
	return frameMRZ(ctx, s, view, qs, big, bw, bh)
}

// namesSettled: the scene's zone scene was refused only because of its
// names or the characters no check digit covers (checks.names_unambiguous:
// they could be read more than one way; primary_identifier: the names
// field starts with a filler, a short surname lost; legible: a character
// barely seen; readings_agree: the scene's readings differ there; pitch:
// its letters do not sit where the greedy reading saw them), and the
// card's valid reading card has the same lines at every position a check
// digit covers: the card's reading of the names (and of the other
// characters no check digit covers) is the one to take, the scene's
// having none (POBGRRUSSO read PCBGRRCSSC, O or C, in the scene; O<<MAX
// read <<MAX, its O illegible; JOANNA read JAANNA by the scene's cells).
// A refusal that doubts checked characters (a check digit collision, the
// glyphs' heights or shapes) is not settled so: the card's reading
// agrees with the scene's there.
func namesSettled(scene, card *mrz.Record) bool {
	if !card.Valid || !refusedFor(scene, "names_unambiguous", "primary_identifier", "legible", "readings_agree", "pitch") {
		return false
	}
	d, ok := differWhere(card, scene, true)
	return ok && !d
}

// namesConfirmed: an MRZ refused only because the repair guessed a letter
// of its names (checks.names_unambiguous: a digit read in a name, or, in
// a name only the line's composite check digit covers, a letter the
// digit chose) whose names the card's visual zone, read apart, spells
// the same (cc, documents.CrossCheck): two readings of two prints agree
// where no check digit could (licence_0157: the French licence's
// RICHAR8< repaired RICHARD<, field 1 read RICHARD).
func namesConfirmed(m *mrz.Record, cc map[string]documents.Check) bool {
	if m.Valid || !refusedFor(m, "names_unambiguous") {
		return false
	}
	n := 0
	for _, f := range []string{"surname", "given_names"} {
		if strings.Trim(m.Fields[f], "< ") == "" {
			continue
		}
		c, ok := cc[f]
		if !ok || !c.Agree {
			return false
		}
		n++
	}
	return n > 0
}

// cardSettled: the scene's zone scene was refused only for doubts about
// characters its check digits cannot settle (the repair found more than
// one valid reading, checks.unambiguous; a check digit collision of
// confusable partners, O and 0; the glyphs' heights or the cell
// classifier contradicting a character), and the card's valid reading
// card differs from it in at most cardSettleMax characters, each of which
// the cell classifier, on the card's cells (upright, at a known print
// size, its grid on the print for the line's other characters: netPlaced),
// reads as the card does rather than as the scene does, the odds
// multiplied at least netCollisionOdds, the bar a collision is decided by
// in the scene. (mrz_0230: the scene's grid off the print, 0JSYTYJ0R; on
// the card OJSYTYJOR, each O at 0.99. A valid card reading of other lines
// was once as likely the card's misreading: 6 read G, 1 read I, a filler
// read K, which no check digit sees; here the cells must see it.)
func cardSettled(scene, card *mrz.Record, cells *zoneShapes) bool {
	if !card.Valid || cells == nil || !refusedFor(scene, "unambiguous", "check_digit_collision", "glyph_height", "cell_class") {
		return false
	}
	if card.Format != scene.Format || !slices.Equal(cells.lines, card.Lines) {
		return false
	}
	_, ok := netPrefersZone(cells, card.Lines, scene.Lines)
	return ok
}

// cardSettleMax is the most characters a card's reading may change in the
// scene's by the cells' verdict (cardSettled).
const cardSettleMax = 4

// mrzLineOnCard: a line detected on the W x H normalized card spans most
// of its width in its lower part, as an MRZ line does (the French
// licence's DL1 line, a TD1 zone), which the scene's pass may have missed
// (a dark or small photo).
func mrzLineOnCard(quads []geom.Quad, W, H int) bool {
	for _, q := range quads {
		w, h := q.Width(), q.Height()
		if w >= 0.75*float64(W) && h > 0 && w/h >= 15 && q.Center()[1] >= 0.6*float64(H) {
			return true
		}
	}
	return false
}

// cardMargin enlarges the card outline for the second MRZ search.
const cardMargin = 1.8

// scaleQuad scales q about its centre by f.
func scaleQuad(q geom.Quad, f float64) geom.Quad {
	c := q.Center()
	cx, cy := c[0], c[1]
	var out geom.Quad
	for i, p := range q {
		out[i] = geom.Point{cx + f*(p[0]-cx), cy + f*(p[1]-cy)}
	}
	return out
}

// frameMRZ runs the MRZ builder on frame f (the w x h normalization of the
// photo's quad) with its detected text quads and maps the record's quad
// back to the photo. For a valid record it also returns its zone's cells
// (measured on f, which may close after it returns).
func frameMRZ(ctx context.Context, s *Scene, f *preprocess.Frame, quads []geom.Quad, quad geom.Quad, w, h int) (*mrz.Record, *zoneShapes, error) {
	sub := &Scene{Frame: f, Kind: "mrz", Eng: s.Eng, Quality: s.Quality, Regions: make([]Region, len(quads)), fine: true, wantCells: true}
	for i, q := range quads {
		sub.Regions[i] = Region{Quad: q, DetScore: 1}
	}
	recs, err := MRZBuilder{}.Build(ctx, sub)
	s.tOCR += sub.tOCR
	s.tOrient += sub.tOrient
	if err != nil || len(recs) == 0 {
		return nil, nil, err
	}
	m, ok := recs[0].(*mrz.Record)
	if !ok || m.Quad == nil {
		return nil, nil, nil
	}
	hm, ok := documents.CardHomography(quad, float64(w), float64(h))
	if !ok {
		return nil, nil, nil
	}
	var q [4][2]float64
	for i, p := range m.Quad {
		pt := hm.Apply(p[0], p[1])
		q[i] = [2]float64{math.Round(pt[0]*10) / 10, math.Round(pt[1]*10) / 10}
	}
	m.Quad = &q
	return m, sub.mrzCells, nil
}

// detect runs the text detector on the normalized card, its long side
// scaled to side, and returns the lines (boxes only) and their quads,
// widest first, at most docMaxLines.
func (b DocumentBuilder) detect(ctx context.Context, e *Engines, canon *preprocess.Frame, side int) ([]documents.Line, []geom.Quad, error) {
	t := canon.DetTensor(side)
	dets, err := e.Det.Detect(ctx, t.Data, t.W, t.H, t.ScaleX, t.ScaleY)
	if err != nil {
		return nil, nil, err
	}
	sort.SliceStable(dets, func(i, j int) bool { return dets[i].Quad.Width() > dets[j].Quad.Width() })
	if len(dets) > docMaxLines {
		dets = dets[:docMaxLines]
	}
	lines := make([]documents.Line, len(dets))
	quads := make([]geom.Quad, len(dets))
	for i, d := range dets {
		quads[i] = d.Quad
		lines[i].Box = bounds(d.Quad)
	}
	return lines, quads, nil
}

// mendDate is the reading of a date field's characters with one digit
// exchanged for an alternative (at minDateAlt or more) that makes the date
// plausible, the likeliest such alternative; "" when none does.
func mendDate(field string, cs []models.Char) string {
	best, bestP := "", 0.0
	for k := range cs {
		for _, a := range cs[k].Alts {
			if a.Prob < minDateAlt || a.Prob <= bestP || a.Char < "0" || a.Char > "9" {
				continue
			}
			text := charsWith(cs, k, a.Char)
			if _, ok := documents.PlausibleDate(field, text); ok {
				best, bestP = text, a.Prob
			}
		}
	}
	return best
}

// charsWith is the text of cs with the character at k read as c (k < 0:
// as read).
func charsWith(cs []models.Char, k int, c string) string {
	var b strings.Builder
	for j, o := range cs {
		if j == k {
			b.WriteString(c)
		} else {
			b.WriteString(o.Char)
		}
	}
	return b.String()
}

// minDateAlt is the least probability of an alternative digit taken to
// mend an implausible date.
const minDateAlt = 0.05

// licenceTerm: a German or French card licence (issued since January
// 2013) expires fifteen years after its issue, the day before (the German
// specimen: 4a 19.01.2013, 4b 18.01.2028) or on it; issue and expiry are
// ISO dates.
func licenceTerm(issue, expiry string) bool {
	a, err1 := time.Parse("2006-01-02", issue)
	b, err2 := time.Parse("2006-01-02", expiry)
	if err1 != nil || err2 != nil {
		return false
	}
	d := b.Sub(a.AddDate(documents.LicenceTerm, 0, 0))
	return d >= -24*time.Hour && d <= 0
}

// licenceTermMend settles a licence's issue and expiry dates that do not
// keep its fifteen-year term (licenceTerm): where exchanging one digit of
// either date's lines for the recognizer's alternative (at minDateAlt or
// more) makes them keep it and leaves the other date as read, the
// likeliest such exchange is the line (index) and text returned; "" where
// none does or either date is not read. greedy is line i's reading with
// its alternatives (false where the line was not recognized). A date read
// wrong by one digit beside its partner read right is the case
// (licence_0025's issue 2023 read 2027 beside its expiry 2038); neither
// date is made up where one is missing.
func licenceTermMend(lines []documents.Line, greedy func(int) (models.Text, bool), reads map[string]documents.Read, docType, country string, w, h int) (int, string) {
	iss, ok1 := reads["issue_date"]
	exp, ok2 := reads["expiry_date"]
	if !ok1 || !ok2 || licenceTerm(iss.Value, exp.Value) {
		return -1, ""
	}
	bestI, bestText, bestP := -1, "", 0.0
	for _, name := range []string{"issue_date", "expiry_date"} {
		rd := reads[name]
		other := "expiry_date"
		if name == other {
			other = "issue_date"
		}
		for _, i := range rd.Lines {
			t, ok := greedy(i)
			if !ok {
				continue
			}
			saved := lines[i].Text
			for k, c := range t.Chars {
				if len(c.Char) != 1 || c.Char[0] < '0' || c.Char[0] > '9' {
					continue
				}
				for _, a := range c.Alts {
					if a.Prob < minDateAlt || a.Prob <= bestP || len(a.Char) != 1 || a.Char[0] < '0' || a.Char[0] > '9' {
						continue
					}
					text := documents.FoldWidth(charsWith(t.Chars, k, a.Char))
					lines[i].Text = text
					r := documents.ReadFields(docType, country, lines, w, h)
					lines[i].Text = saved
					if r[other].Value == reads[other].Value && licenceTerm(r["issue_date"].Value, r["expiry_date"].Value) {
						bestI, bestText, bestP = i, text, a.Prob
					}
				}
			}
		}
	}
	return bestI, bestText
}

// minTermPiece is the fewest digits of a date's piece that licenceTermFill
// takes for the date.
const minTermPiece = 4

// licenceTermFill reads the one of a German or French licence's issue and
// expiry dates that is lost but for a piece (glare over the 27. of 4b's
// 27.06.2037, licence_0032) from the other, read whole, by the licence's
// term (licenceTerm: fifteen years on, the day before): where a line
// holds a run of digits and stops that is a piece of the date the term
// gives, its start or its end, with a stop and minTermPiece digits or
// more, that date is read there; the issue date also where its year
// alone opens the line of 4c's number (yearBefore4cRE). Where neither
// date was read, mrzExpiry (the valid DL1 line's, "" for none) stands for
// the expiry. Nothing is filled where both or neither date is known, or
// no line holds such a piece.
func licenceTermFill(lines []documents.Line, reads map[string]documents.Read, mrzExpiry string) {
	iss, ok1 := reads["issue_date"]
	exp, ok2 := reads["expiry_date"]
	if !ok1 && !ok2 && mrzExpiry != "" {
		// the expiry only the card's valid DL1 line gave (FromMRZ takes
		// it later) dates the issue as well
		exp, ok2 = documents.Read{Value: mrzExpiry}, true
	}
	if ok1 == ok2 {
		return
	}
	name, from, shift := "expiry_date", iss, func(t time.Time) time.Time { return t.AddDate(documents.LicenceTerm, 0, -1) }
	if ok2 {
		name, from, shift = "issue_date", exp, func(t time.Time) time.Time { return t.AddDate(0, 0, 1).AddDate(-documents.LicenceTerm, 0, 0) }
	}
	t, err := time.Parse("2006-01-02", from.Value)
	if err != nil {
		return
	}
	d := shift(t)
	want := d.Format("02.01.2006")
	for i, l := range lines {
		for _, piece := range datePieces(l.Text) {
			if !pieceOf(want, piece) {
				continue
			}
			reads[name] = documents.Read{Value: d.Format("2006-01-02"), Raw: piece, Conf: l.Conf, Box: l.Box, Lines: []int{i}}
			return
		}
	}
	if name != "issue_date" {
		return
	}
	// 4a's date shares its row with 4c: a year alone opening the line of
	// 4c's number is the issue date's end, its day and month lost (lic7
	// licence_0080, glare: "2022 4c.PrefecturedeNancy" beside 4b's
	// 19.06.2037 read from the DL1 line)
	for i, l := range lines {
		m := yearBefore4cRE.FindStringSubmatch(l.Text)
		if m == nil || m[1] != d.Format("2006") || m[2] == "" && !before4c(lines, l) {
			continue
		}
		reads[name] = documents.Read{Value: d.Format("2006-01-02"), Raw: m[1], Conf: l.Conf, Box: l.Box, Lines: []int{i}}
		return
	}
}

// mrzExpiry is the expiry date of a valid DL1 line m ("" otherwise).
func mrzExpiry(m *mrz.Record) string {
	if m == nil || !m.Valid || m.Format != mrz.FormatDL1 {
		return ""
	}
	return m.Fields["expiry_date"]
}

// yearBefore4cRE is a line that opens (after 4a's number, if read) with a
// year alone, then field 4c's number (group 2) or nothing.
var yearBefore4cRE = regexp.MustCompile(`^\s*(?:4\s?[aA][\.,:]?\s*)?(\d{4})\s*(?:(4\s?[cC])|$)`)

// mark4cRE is a line that opens with field 4c's number.
var mark4cRE = regexp.MustCompile(`^\s*4\s?[cC]`)

// before4c: a line opening with 4c's number stands right of line l on its
// row (their boxes share half the lower one's height).
func before4c(lines []documents.Line, l documents.Line) bool {
	for _, o := range lines {
		top, bot := max(l.Box[1], o.Box[1]), min(l.Box[3], o.Box[3])
		h := min(l.Box[3]-l.Box[1], o.Box[3]-o.Box[1])
		if o.Box[0] > l.Box[2] && h > 0 && bot-top >= h/2 && mark4cRE.MatchString(o.Text) {
			return true
		}
	}
	return false
}

// pieceOf: piece is the start or the end of date (DD.MM.YYYY), with a
// stop and minTermPiece digits or more of it, one of its stops possibly
// read as a digit (24.1272017 for 24.12.2017: then the piece is the
// whole date).
func pieceOf(date, piece string) bool {
	if len(piece) > len(date) {
		return false
	}
	for _, at := range []int{0, len(date) - len(piece)} {
		stops, digits, misread := 0, 0, 0
		for k := range len(piece) {
			switch c, p := date[at+k], piece[k]; {
			case c == p && c == '.':
				stops++
			case c == p:
				digits++
			case c == '.' && p >= '0' && p <= '9':
				misread++
			default:
				misread = 2
			}
		}
		if misread == 0 && stops > 0 && digits >= minTermPiece || misread == 1 && len(piece) == len(date) {
			return true
		}
	}
	return false
}

// datePieces are the runs of digits and stops in s, trimmed of stops.
func datePieces(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return r != '.' && (r < '0' || r > '9') })
	out := f[:0]
	for _, p := range f {
		if p = strings.Trim(p, "."); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// numberLine is the line of rd, a read of a licence's number, that holds
// the number: rd's only line, or of its label's line ("5.") and the
// number's, the one line with more than four letters and digits; -1
// where there is none or more than one.
func numberLine(rd documents.Read, lines []documents.Line) int {
	if len(rd.Lines) == 1 {
		return rd.Lines[0]
	}
	at := -1
	for _, i := range rd.Lines {
		n := 0
		for _, c := range lines[i].Text {
			if unicode.IsLetter(c) || unicode.IsDigit(c) {
				n++
			}
		}
		if n > 4 {
			if at >= 0 {
				return -1
			}
			at = i
		}
	}
	return at
}

// mendLicenceNumber is the line t (the recognizer's reading of the line
// holding value, a German licence's number as read) with the number's
// first four characters made its licensing authority's code, a letter and
// three digits (B072 of the specimen's B072RRE2I55; the serial after it
// holds digits and letters): each of the wrong type takes the
// recognizer's likeliest alternative of the right one, at minDateAlt or
// more (licence_0027's V609BLRMTU3 read VG09BLRMTU3). "" where value is no
// 11-character number found in t, every character has its type, or one
// that has not lacks such an alternative.
func mendLicenceNumber(value string, t models.Text) string {
	const n, code = 11, 4
	if len(value) != n {
		return ""
	}
	// the line's letters and digits, upper-cased, with their characters
	var seq []byte
	var at []int
	for k, c := range t.Chars {
		if len(c.Char) != 1 {
			continue
		}
		b := c.Char[0]
		if b >= 'a' && b <= 'z' {
			b -= 'a' - 'A'
		}
		if b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' {
			seq, at = append(seq, b), append(at, k)
		}
	}
	start := strings.Index(string(seq), value)
	if start < 0 || strings.Index(string(seq[start+1:]), value) >= 0 {
		return ""
	}
	chars := slices.Clone(t.Chars)
	changed := false
	for j := 0; j < code; j++ {
		wantDigit := j > 0
		if b := value[j]; (b >= '0' && b <= '9') == wantDigit {
			continue
		}
		k := at[start+j]
		best, bestP := "", 0.0
		for _, a := range chars[k].Alts {
			if len(a.Char) != 1 || a.Prob < minDateAlt || a.Prob <= bestP {
				continue
			}
			b := a.Char[0]
			if wantDigit && b >= '0' && b <= '9' || !wantDigit && b >= 'A' && b <= 'Z' {
				best, bestP = a.Char, a.Prob
			}
		}
		if best == "" {
			return ""
		}
		chars[k].Char, changed = best, true
	}
	if !changed {
		return ""
	}
	return documents.FoldWidth(charsWith(chars, -1, ""))
}

// byIDLayout completes the type and country the titles of a card without
// an MRZ told (docType, country, conf) from where its values stand
// (documents.IDCardLayout): a card whose titles were too blurred to read
// with values where the German ID card front has them is one; an identity
// card whose state was not read (PERSONALAUSWEIS without BUNDESREPUBLIK
// DEUTSCHLAND: Austria's card bears the word too) is German when its
// values stand so.
func byIDLayout(docType, country string, conf float64, lines []documents.Line, w, h int) (string, string, float64) {
	switch {
	case docType == documents.Unknown && documents.IDCardLayout(lines, w, h):
		return documents.IDCard, "DE", 0.5
	case docType == documents.IDCard && country == "" && documents.IDCardLayout(lines, w, h):
		return docType, "DE", conf
	}
	return docType, country, conf
}

// blankNoise blanks the text of the lines documents.Clean drops as noise,
// keeping the lines' order (quads index them).
func blankNoise(lines []documents.Line) {
	keep := map[[4]float64]bool{}
	for _, l := range documents.Clean(lines) {
		keep[l.Box] = true
	}
	for i := range lines {
		if !keep[lines[i].Box] {
			lines[i].Text = ""
		}
	}
}

// upsideDown asks the orientation model about the widest lines (up to
// eight) of the normalized card; the probability-weighted vote decides.
func upsideDown(ctx context.Context, e *Engines, canon *preprocess.Frame, quads []geom.Quad) (bool, error) {
	vote, n := 0.0, 0
	for _, q := range quads {
		if n == 8 {
			break
		}
		if q.Width() < 3*q.Height() {
			continue
		}
		crop, err := e.LineCrop(canon, q)
		if err != nil {
			continue
		}
		ang, p, err := e.Cls.Orientation(ctx, crop)
		if err != nil {
			return false, err
		}
		if ang == 180 {
			vote += p
		} else {
			vote -= p
		}
		n++
	}
	return vote > 0, nil
}

// readGray reads a line of the normalized card f with Tesseract client t
// (as ReadTesseract), on the line's box raised by umlautRoom of its height:
// the detector's box hugs the capitals and leaves the dots of Ä, Ö and Ü
// above it, so that Tesseract reads SCHRÖDER as SCHRODER.
func readGray(ctx context.Context, t *ocr.Tesseract, f *preprocess.Frame, q geom.Quad) (ocr.Line, error) {
	g, err := TesseractCrop(f, raise(q, umlautRoom))
	if err != nil {
		return ocr.Line{}, err
	}
	return t.ReadLine(ctx, g, ocr.LineOptions{})
}

const umlautRoom = 0.3

// raise moves the top side of q (q[0]-q[1]; q[3]-q[2] is the bottom) up
// by k of its height.
func raise(q geom.Quad, k float64) geom.Quad {
	for _, c := range [][2]int{{0, 3}, {1, 2}} {
		top, bot := q[c[0]], q[c[1]]
		q[c[0]] = geom.Point{top[0] + k*(top[0]-bot[0]), top[1] + k*(top[1]-bot[1])}
	}
	return q
}

func bounds(q geom.Quad) [4]float64 {
	x0, y0, x1, y1 := q.Bounds()
	return [4]float64{x0, y0, x1, y1}
}

// orientationOf is the clockwise quarter-turn rotation of the document in
// the photo: the direction of its top edge, rounded to 90 degrees.
func orientationOf(q geom.Quad) int {
	a := math.Atan2(q[1][1]-q[0][1], q[1][0]-q[0][0]) * 180 / math.Pi
	return (int(math.Round(a/90))*90 + 360) % 360
}

// globalCapture are the whole-photo warnings of qualityOf that the
// document builder's judgement of the card itself replaces.
var globalCapture = map[string]bool{"blurry": true, "glare": true, "too_dark": true, "too_small": true}

// mergeWarnings joins the builders' warnings to the whole-photo ones. When
// a builder judged the card (card is not nil), its verdict on blur, glare,
// light and size replaces the whole-photo proxies, which misjudge a sharp
// card on a dark or smooth background.
func mergeWarnings(global, card []string) []string {
	if card == nil {
		return global
	}
	out := []string{}
	seen := map[string]bool{}
	for _, w := range global {
		if !globalCapture[w] && !seen[w] {
			out = append(out, w)
			seen[w] = true
		}
	}
	for _, w := range card {
		if !seen[w] {
			out = append(out, w)
			seen[w] = true
		}
	}
	return out
}

// cardSource is the frame a card is warped from: the photo, or a copy of
// it deconvolved over the card where the photo is blurred there
// (preprocess.EstimateBlur: a motion smear or a Gaussian blur). PP-OCR
// reads next to nothing of a card smeared over a character's width
// (licence_0069: 13 pixels of motion on a 740-pixel card; the fields
// read again after a Wiener deconvolution with the smear's length and
// direction).
type cardSource struct {
	frame *preprocess.Frame
	off   bool              // the photo as taken only
	sharp *preprocess.Frame // the deconvolved copy, nil when none
	quad  geom.Quad         // the outline the copy was made for
	tried bool
}

// cardViewSide is the long side of the gray view the card's outline is
// first looked for in.
const cardViewSide = 1024

// fineCardShort is the short side, in view pixels, a card's outline should
// have: onPrint's strips (1-4.5% of it inside and outside a side) are then
// 8 pixels deep, well over a blurred edge's width. A card shorter than
// this in the first view is looked for again in a view this much finer
// (up to the photo's own size), where that is a fifth finer or more (180
// found 3 more of the 400 synthetic cards' outlines within 2%, 240 one
// more: idcard_0029, whose top side lay on the header's print).
const fineCardShort = 240

// fineViewSide is the long side of the finer view the card of outline o,
// found in view v, is looked for again in (0: none).
func fineViewSide(o viewOutline, v preprocess.CardView) int {
	short := math.Min(o.quad.Width(), o.quad.Height())
	long := max(v.W, v.H)
	if short <= 0 || short >= fineCardShort {
		return 0
	}
	side := math.Min(float64(long)*fineCardShort/short, float64(long)*v.Scale)
	if side < 1.2*float64(long) {
		return 0
	}
	return int(side)
}

// sameCard: outlines a and b (photo pixels) lie on one card: centres
// within a tenth of a's diagonal, areas within a quarter of each other.
func sameCard(a, b geom.Quad) bool {
	ca, cb := a.Center(), b.Center()
	diag := math.Hypot(a.Width(), a.Height())
	aa, ab := a.Area(), b.Area()
	return math.Hypot(ca[0]-cb[0], ca[1]-cb[1]) <= diag/10 && aa <= 1.25*ab && ab <= 1.25*aa
}

// viewOutline is a card's outline found in a view: the view's gray pixels,
// the scene's text regions in view pixels, the outline's source
// (documents.PickCard) and the outline, in view pixels.
type viewOutline struct {
	g    documents.Gray
	text []geom.Quad
	src  string
	quad geom.Quad
}

// cardOutline finds the card in the view v, in the steps Build's comment
// lists under "outline".
func cardOutline(s *Scene, v preprocess.CardView, format string) (viewOutline, bool) {
	g := documents.Gray{Pix: v.Gray, W: v.W, H: v.H}
	text := make([]geom.Quad, 0, len(s.Regions))
	for _, r := range s.Regions {
		// the plate finder's rows of glyph-like print are no text the
		// detector vouched for: on a card photo they lie on the background
		// as often as on the card and pull its outline (2e4ddee, which
		// reads the finder's best two rows however low they score, cost 32
		// of 743 fields on 80 synthetic ID card scenes)
		// (nor are the plate builder's readings of lines extended past
		// their boxes: on an ID card photo they reach off the card)
		if r.Source == sourcePlateLines || r.extended {
			continue
		}
		text = append(text, r.Quad.Scale(1/v.Scale, 1/v.Scale))
	}
	q, src, ok := documents.PickCard(g, v.Quads, text)
	if (!ok || src == "text") && len(v.Coarse) > 0 {
		// no contour of the view's was the card's, nor an edge beyond its
		// text: the contours of the view at half its resolution join them
		// (a blurred card's border; taken always, their tighter contours
		// of a card's print beat its own: licence_0022 lost a corner)
		if cq, csrc, cok := documents.PickCard(g, append(slices.Clip(v.Quads), v.Coarse...), text); cok && csrc != "text" {
			q, src, ok = cq, csrc, true
		}
	}
	if !ok {
		return viewOutline{}, false
	}
	search := 0.03
	if src == "text" {
		search = 0.12
	}
	q = documents.OrderQuad(documents.Refine(g, q, search))
	// a faint border may show in a colour only
	cg := g
	for _, pl := range v.Planes() {
		if pl != nil {
			cg.Colour = append(cg.Colour, documents.Gray{Pix: pl, W: v.W, H: v.H})
		}
	}
	if src == "text+edges" {
		q = documents.ClearText(cg, q, text)
	}

	// an outline far too narrow or flat for the format, where the card's
	// ground runs on beyond it: the text missed a sparse column or rows
	q = documents.GrowAspect(cg, q, text, documents.Aspect(format))
	if src != "text" {
		// a side on the paper under the card, its shadow or a line beyond
		// it makes the outline too flat or too narrow for the format
		q = documents.FitAspect(cg, q, text, documents.Aspect(format))
	}
	// a side that cuts a corner of the card (across paper as light as the
	// card) or lies beside its border runs along an edge for little of
	// its length: where a wide band holds a straight edge it runs along
	// nearly all the way, it moves there
	q = documents.TiltSides(g, q, text)
	vq := q
	if sq := documents.SquareUp(g, q, documents.Aspect(format)); sq != q {
		vq = sq
	}
	// a card the frame cuts off: its side lies beyond the photo's edge
	oq := documents.OrderQuad(vq)
	if cq := documents.Complete(oq, v.W, v.H, documents.Aspect(format)); cq != oq {
		vq = cq
	}
	return viewOutline{g: g, text: text, src: src, quad: vq}, true
}

// cardReduce: a card whose long side in the decoded photo exceeds its
// normalized size this many times is measured and deconvolved on a copy
// of the photo reduced to cardReduceTo times that size (a 12 MP photo's
// card of 3000 pixels is warped to 1000: deconvolving it at full size
// would cost nine times the time and memory for detail the warp drops).
// Only the card's neighbourhood is reduced (preprocess.ReducedNear): the
// whole 12 MP photo took 29 ms.
const (
	cardReduce   = 1.5
	cardReduceTo = 1.25
)

// warp warps the card q (w x h) from the deconvolved copy where the card
// is blurred, else from the photo. The copy is made once, for the first
// outline, and again only when a later outline lies elsewhere.
func (c *cardSource) warp(q geom.Quad, w, h int) (*preprocess.Frame, error) {
	if !c.off && (!c.tried || !c.covers(q)) {
		c.close()
		c.tried, c.quad = true, q
		src := c.frame
		long := max(q.Width(), q.Height()) / c.frame.Scale()
		if norm := float64(max(w, h)); long > cardReduce*norm {
			if red, err := c.frame.ReducedNear(cardReduceTo*norm/long, q); err == nil {
				defer red.Close() // the deconvolved copy is a copy of its own
				src = red
			}
		}
		if b := src.EstimateBlur(q); b.Blurred() {
			if sharp, err := src.Deblurred(q, b); err == nil {
				c.sharp = sharp
			}
		}
	}
	if c.sharp != nil {
		return c.sharp.WarpFrame(q, w, h)
	}
	return c.frame.WarpFrame(q, w, h)
}

// covers: q's corners lie within the outline the copy was made for,
// grown by a tenth of its size (the copy is deconvolved over that
// outline's box and a margin).
func (c *cardSource) covers(q geom.Quad) bool {
	x0, y0, x1, y1 := c.quad.Bounds()
	mx, my := (x1-x0)/10, (y1-y0)/10
	for _, p := range q {
		if p[0] < x0-mx || p[0] > x1+mx || p[1] < y0-my || p[1] > y1+my {
			return false
		}
	}
	return true
}

// asTakenFrame is the card as photographed: canon itself unless it was
// warped from the deconvolved copy (then a new frame the caller closes).
func (c *cardSource) asTakenFrame(canon *preprocess.Frame, q geom.Quad, w, h int) (*preprocess.Frame, error) {
	if c.sharp == nil {
		return canon, nil
	}
	f, err := c.frame.WarpFrame(q, w, h)
	if err != nil {
		return nil, fmt.Errorf("document: %w", err)
	}
	return f, nil
}

// asTaken is the card's gray pixels as photographed, for the capture gate.
func (c *cardSource) asTaken(canon *preprocess.Frame, q geom.Quad, w, h int) ([]byte, int, int, error) {
	f, err := c.asTakenFrame(canon, q, w, h)
	if err != nil {
		return nil, 0, 0, err
	}
	if f != canon {
		defer f.Close()
	}
	gp, gw, gh := f.GrayPixels()
	return gp, gw, gh, nil
}

func (c *cardSource) close() {
	if c.sharp != nil {
		c.sharp.Close()
		c.sharp = nil
	}
}

// patternMinProb is the least probability each character of a field's
// pattern reading (models.Output.Pattern) must have for it to stand: a
// letter blur smeared under the blank still shows in its steps, print
// glare erased does not, and the pattern would fill its places with
// whatever is likeliest there.
const patternMinProb = 0.05

// fitsPattern: text holds one character of each place's set, in order.
func fitsPattern(text string, pat []string) bool {
	rs := []rune(text)
	if len(rs) != len(pat) {
		return false
	}
	for k, r := range rs {
		if !strings.ContainsRune(pat[k], r) {
			return false
		}
	}
	return true
}

// patternSets are the recognizer's charsets of a pattern's places.
func patternSets(rec *models.Recognizer, pat []string) []*models.Charset {
	out := make([]*models.Charset, len(pat))
	made := map[string]*models.Charset{}
	for k, chars := range pat {
		if made[chars] == nil {
			made[chars] = rec.Charset(chars)
		}
		out[k] = made[chars]
	}
	return out
}

// leastProb is the lowest probability of t's characters (0 for none).
func leastProb(t models.Text) float64 {
	if len(t.Chars) == 0 {
		return 0
	}
	p := 1.0
	for _, c := range t.Chars {
		p = math.Min(p, c.Prob)
	}
	return p
}

// lexiconFields are the fields read against a lexicon as a whole
// (lexiconMend); nameFields are read against one word by word.
var (
	lexiconFields = []string{"birth_place", "issuing_authority"}
	nameFields    = []string{"surname", "birth_name", "given_names"}
)

// Lexicon weighing. An entry near a reading (documents.LexiconNear) takes
// its place where the recognizer's output for the line bears it within
// lexMaxCost of the reading itself (natural log units below the best
// path, models.Output.Spot) and bears no other near entry within lexGap
// of it: the letters it changes were ones the recognizer was unsure of
// (Stadt Koin: the o and l of Köln, 2.9 units), where a reading it was
// sure of costs more than that a letter changed (Stadt Kiel 10.4 for
// Stadt Kaln). On the synthetic sets it wrote 15 licence fields and 2 ID
// card birth places right and none wrong; names word by word 5 licence
// and 2 ID card fields more (ARIE -> MARIE, WERINER -> WERNER), none
// lost. A name whose letter the recognizer read sure stays: GONTER for
// GÜNTER costs 16-19 units (PP-OCR's O held fast).
const (
	lexMaxCost = 6.0
	lexGap     = 3.0
)

// lexiconMend writes a birth place or an issuing authority as the entry
// of its lexicon the line's output bears best (see lexMaxCost), where the
// reading is no entry itself, and each word of a name the same way. The
// entry is weighed as the recognizer would print it (letters it lacks,
// such as Ö, as their bare letters).
func lexiconMend(rec *models.Recognizer, docType, country string, outs []*models.Output, reads map[string]documents.Read) {
	for _, name := range lexiconFields {
		rd, ok := reads[name]
		if !ok {
			continue
		}
		near, in := documents.LexiconNear(docType, country, name, rd.Value)
		if in || len(near) == 0 {
			continue
		}
		out, least := valueOutput(rec, outs, rd)
		if out == nil {
			continue
		}
		if best, ok := lexiconPick(rec, out, least, near); ok {
			rd.Value = best
			reads[name] = rd
		}
	}
	for _, name := range nameFields {
		rd, ok := reads[name]
		if !ok {
			continue
		}
		var out *models.Output
		words := nameWords(rd.Value)
		changed := false
		for i, w := range words {
			if i%2 == 0 {
				continue // the separators between words
			}
			near, in := documents.LexiconNear(docType, country, name, w)
			if in || len(near) == 0 {
				continue
			}
			near = slices.DeleteFunc(near, func(c string) bool { return !keepsEnds(w, c) })
			if out == nil {
				if out, _ = valueOutput(rec, outs, rd); out == nil {
					break
				}
			}
			least, ok := spotCost(rec, out, w)
			if !ok {
				continue
			}
			if best, ok := lexiconPick(rec, out, least, near); ok {
				words[i], changed = best, true
			}
		}
		if changed {
			rd.Value = strings.Join(words, "")
			reads[name] = rd
		}
	}
}

// valueOutput is the output of the read's line that holds its value (the
// others hold its label) and what the value costs on it; nil where none
// of its lines bears it.
func valueOutput(rec *models.Recognizer, outs []*models.Output, rd documents.Read) (*models.Output, float64) {
	var out *models.Output
	least := math.Inf(1)
	for _, i := range rd.Lines {
		if i < 0 || i >= len(outs) || outs[i] == nil {
			continue
		}
		if cost, ok := spotCost(rec, outs[i], rd.Value); ok && cost < least {
			out, least = outs[i], cost
		}
	}
	return out, least
}

// lexiconPick is the entry among near that out bears best, where it costs
// at most lexMaxCost more than the reading (least) and every other entry
// lexGap more than it.
func lexiconPick(rec *models.Recognizer, out *models.Output, least float64, near []string) (string, bool) {
	best, bestCost, second := "", math.Inf(1), math.Inf(1)
	for _, c := range near {
		cost, ok := spotCost(rec, out, c)
		if !ok {
			continue
		}
		switch {
		case cost < bestCost:
			best, bestCost, second = c, cost, bestCost
		case cost < second:
			second = cost
		}
	}
	if best == "" || bestCost-least > lexMaxCost || second-bestCost < lexGap {
		return "", false
	}
	return best, true
}

// nameWords splits a name into its separators and words, alternating
// (even indexes: the runs of spaces, hyphens and other non-letters, the
// first and last possibly empty; odd: the runs of letters), so that
// joining them gives the name back.
func nameWords(s string) []string {
	out := []string{""}
	inWord := false
	for _, r := range s {
		letter := unicode.IsLetter(r)
		if letter != inWord {
			out = append(out, "")
			inWord = letter
		}
		out[len(out)-1] += string(r)
	}
	if inWord {
		out = append(out, "")
	}
	return out
}

// keepsEnds tells whether entry may stand for word: one with fewer letters
// must begin and end with the word's first and last letters (marks
// folded). Spot lets an entry fit any part of the line, so without this an
// entry at the start or end of a longer name (EMIL in EMILIO) would cost
// nothing.
func keepsEnds(word, entry string) bool {
	key := func(s string) []rune {
		var out []rune
		for _, r := range s {
			if unicode.IsLetter(r) {
				out = append(out, unicode.ToUpper(documents.FoldLetter(unicode.ToUpper(r))))
			}
		}
		return out
	}
	w, e := key(word), key(entry)
	if len(e) >= len(w) {
		return true
	}
	return len(e) > 0 && len(w) > 0 && e[0] == w[0] && e[len(e)-1] == w[len(w)-1]
}

// printable is s as the recognizer can print it: each character it does
// not know as its bare letter in its case (documents.FoldLetter; ß as ss).
func printable(rec *models.Recognizer, s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case rec.Knows(r):
			b.WriteRune(r)
		case r == 'ß':
			b.WriteString("ss")
		case unicode.IsLower(r):
			b.WriteRune(unicode.ToLower(documents.FoldLetter(r)))
		default:
			b.WriteRune(documents.FoldLetter(r))
		}
	}
	return b.String()
}

// spotCost is the cost (models.Output.Spot) of the line's output bearing
// text as the recognizer would print it, with its spaces or without them
// (PP-OCR drops most of the spaces of a line set in a small size).
func spotCost(rec *models.Recognizer, out *models.Output, text string) (float64, bool) {
	p := printable(rec, text)
	cost, ok := out.Spot(p)
	if bare := strings.ReplaceAll(p, " ", ""); bare != p {
		if c, k := out.Spot(bare); k && (!ok || c < cost) {
			cost, ok = c, true
		}
	}
	return cost, ok
}
