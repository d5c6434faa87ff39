package pipeline

import (
	"context"
	"image"
	"math"
	"strings"
	"testing"

	"docscan/geom"
	"docscan/models"
	"docscan/ocr"
	"docscan/plates"
	"docscan/preprocess"
	"docscan/synth"
)

func TestPlateReadingSealAndGaps(t *testing.T) {
	ch := func(c string, p, x float64) models.Char { return models.Char{Char: c, Prob: p, X0: x, X1: x + 0.04} }
	// "HAL", a seal read as a weak 8, "C", gap, "18H".
	r := Region{Text: "HAL8C18H", Chars: []models.Char{
		ch("H", 1, 0.05), ch("A", 1, 0.14), ch("L", 1, 0.23), ch("8", 0.34, 0.37), ch("C", 1, 0.46),
		ch("1", 1, 0.64), ch("8", 1, 0.73), ch("H", 1, 0.82)}}
	text, conf := plateReading(r)
	if text != "HAL C 18H" || len(conf) != 7 {
		t.Errorf("reading %q (%d confidences)", text, len(conf))
	}
	// The seal read as a confident ':' splits too (HAL:C18H); a mark at
	// either end does not.
	r = Region{Text: "HAL:C18H.", Chars: []models.Char{
		ch("H", 1, 0.05), ch("A", 1, 0.11), ch("L", 1, 0.17), ch(":", 0.9, 0.23), ch("C", 1, 0.29),
		ch("1", 1, 0.35), ch("8", 1, 0.41), ch("H", 1, 0.47), ch(".", 0.9, 0.53)}}
	if text, _ := plateReading(r); text != "HAL C18H" {
		t.Errorf("reading with a seal mark %q", text)
	}
	// A weak character one pitch from its left neighbour and a seal gap
	// from its right one is the district's last letter, kept (L-U 1981,
	// not L 1981 with the U taken for the seal); the seal read as a weak
	// character stands apart from both neighbours and is dropped (above).
	r = Region{Text: "LU1981", Chars: []models.Char{
		ch("L", 1, 0.05), ch("U", 0.38, 0.14), ch("1", 1, 0.34), ch("9", 1, 0.43), ch("8", 1, 0.52), ch("1", 1, 0.61)}}
	if text, conf := plateReading(r); text != "LU 1981" || len(conf) != 6 {
		t.Errorf("weak letter beside the seal: %q (%d confidences)", text, len(conf))
	}
	// A weak character next to the mark PP-OCR read for the seal is a
	// letter: the plate has one seal, and the mark is it (S-Q 33).
	r = Region{Text: "S-Q33", Chars: []models.Char{
		ch("S", 1, 0.05), ch("-", 0.9, 0.14), ch("Q", 0.38, 0.23), ch("3", 1, 0.32), ch("3", 1, 0.41)}}
	if text, conf := plateReading(r); text != "S Q33" || len(conf) != 4 {
		t.Errorf("weak letter beside a seal mark: %q (%d confidences)", text, len(conf))
	}
	// After the mark PP-OCR read for the seal, a weak character is kept:
	// the seal is behind (the second 4 of NÖ·U 544E read A at 0.44, which
	// the grammar repairs).
	r = Region{Text: "NO·U54AE", Chars: []models.Char{
		ch("N", 1, 0.06), ch("O", 1, 0.17), ch("·", 0.3, 0.34), ch("U", 1, 0.45), ch("5", 0.87, 0.56),
		ch("4", 0.95, 0.67), ch("A", 0.44, 0.78), ch("E", 0.98, 0.9)}}
	if text, conf := plateReading(r); text != "NO U54AE" || len(conf) != 7 {
		t.Errorf("weak character after a seal mark: %q (%d confidences)", text, len(conf))
	}
	// Two weak characters side by side on a line otherwise read sure are
	// both kept: the seal is one glyph (MÜ-LR 8847, its 8s at 0.37 and
	// 0.40); on a line read weak throughout they are not (VO3).
	r = Region{Text: "MULR8847", Chars: []models.Char{
		ch("M", 0.73, 0.09), ch("U", 0.61, 0.23), ch("L", 0.97, 0.41), ch("R", 0.84, 0.5), ch("8", 0.37, 0.6),
		ch("8", 0.40, 0.69), ch("4", 0.78, 0.73), ch("7", 0.88, 0.83)}}
	if text, conf := plateReading(r); text != "MU LR8847" || len(conf) != 8 {
		t.Errorf("two weak characters side by side: %q (%d confidences)", text, len(conf))
	}
	// Two splits among the leading letters: only the widest, the seal's,
	// is kept (WAF-D 4577 read W AF D4577); not where the first
	// character is read unsure (the band read as a letter), nor with
	// one split.
	r = Region{Text: "WAFD4577", Chars: []models.Char{
		ch("W", 0.99, 0.096), ch("A", 0.99, 0.252), ch("F", 0.92, 0.329), ch("D", 0.83, 0.523),
		ch("4", 0.99, 0.640), ch("5", 0.99, 0.718), ch("7", 0.99, 0.795), ch("7", 0.97, 0.873)}}
	if text, _ := plateReading(r); text != "W AF D4577" {
		t.Errorf("reading %q, want W AF D4577", text)
	}
	if text, conf, ok := oneLetterGap(r); !ok || text != "WAF D4577" || len(conf) != 8 {
		t.Errorf("oneLetterGap = %q, %v (%d confidences), want WAF D4577", text, ok, len(conf))
	}
	r.Chars[0].Prob = 0.4
	if _, _, ok := oneLetterGap(r); ok {
		t.Error("oneLetterGap with the first character unsure")
	}
	r = Region{Text: "HNL76H", Chars: []models.Char{
		ch("H", 1, 0.05), ch("N", 1, 0.14), ch("L", 1, 0.32), ch("7", 1, 0.46), ch("6", 1, 0.55), ch("H", 1, 0.64)}}
	if _, _, ok := oneLetterGap(r); ok {
		t.Error("oneLetterGap with one split")
	}
	r = Region{Text: "VO3", Chars: []models.Char{ch("V", 0.14, 0.15), ch("O", 0.29, 0.46), ch("3", 0.13, 0.69)}}
	if text, _ := plateReading(r); text != "V 3" {
		t.Errorf("a line read weak throughout: %q, want V 3", text)
	}
	if v := umlautVariants("PLO UL155"); len(v) != 1 || v[0] != "PLÖ UL155" {
		t.Errorf("umlaut variants %q", v)
	}
	if v := umlautVariants("WUOF5"); len(v) != 3 || v[0] != "WÜOF5" || v[1] != "WUÖF5" || v[2] != "WÜÖF5" {
		t.Errorf("umlaut variants %q", v)
	}
	left := geom.Quad{{100, 100}, {160, 100}, {160, 130}, {100, 130}}
	right := geom.Quad{{190, 101}, {300, 101}, {300, 131}, {190, 131}}
	far := geom.Quad{{400, 100}, {500, 100}, {500, 130}, {400, 130}}
	below := geom.Quad{{190, 150}, {300, 150}, {300, 180}, {190, 180}}
	if !sideBySide(left, right) || sideBySide(left, far) || sideBySide(left, below) || sideBySide(right, left) {
		t.Error("sideBySide")
	}
	top := geom.Quad{{100, 100}, {200, 100}, {200, 130}, {100, 130}}
	bottom := geom.Quad{{95, 140}, {205, 140}, {205, 172}, {95, 172}}
	if !stacked(top, bottom) || stacked(bottom, top) || stacked(top, far) {
		t.Error("stacked")
	}
	if !twoLineText("KÜN J", "867") || twoLineText("SAO PAULO", "ABC1234") || twoLineText("AB12", "345") {
		t.Error("twoLineText")
	}
	// a top line's digits that are letters' twins (OB read 08) pass, at
	// most two of them; 3 and 9 are no letter's
	if !twoLineText("08", "F421") || twoLineText("39", "F421") || twoLineText("0812", "F421") {
		t.Error("twoLineText letter twins")
	}
	if got := strings.Map(twinLetter, "08·1"); got != "OB·I" {
		t.Errorf("twinLetter: %q", got)
	}
}

// TestAlignedTo: a square box whose corners run a quarter turned from
// the line's is turned back; a wide box, or one already along the line,
// is not.
func TestAlignedTo(t *testing.T) {
	ref := geom.Quad{{100, 140}, {160, 140}, {160, 170}, {100, 170}}
	turned := geom.Quad{{131, 100}, {131, 130}, {100, 130}, {100, 100}} // top-right first, reading down
	q, ok := alignedTo(turned, ref)
	if !ok || q != (geom.Quad{{100, 100}, {131, 100}, {131, 130}, {100, 130}}) {
		t.Errorf("alignedTo turned: %v %v", q, ok)
	}
	if _, ok := alignedTo(geom.Quad{{100, 100}, {131, 100}, {131, 130}, {100, 130}}, ref); ok {
		t.Error("alignedTo: a box along the line is turned")
	}
	if _, ok := alignedTo(geom.Quad{{200, 100}, {200, 130}, {100, 130}, {100, 100}}, ref); ok {
		t.Error("alignedTo: a wide box is turned")
	}
}

// TestLeadTrimmed: the band's stars read W at 0.47 two pitches before
// F·F4532 are dropped; a sure first character, or an unsure one at the
// print's pitch, is kept.
func TestLeadTrimmed(t *testing.T) {
	ch := func(c string, p, x float64) models.Char { return models.Char{Char: c, Prob: p, X0: x, X1: x + 0.045} }
	rest := []models.Char{ch("F", 1, 0.315), ch("·", 0.44, 0.404), ch("F", 1, 0.494), ch("4", 1, 0.629), ch("5", 1, 0.674), ch("3", 1, 0.764), ch("2", 1, 0.854)}
	region := func(cs ...models.Char) Region {
		var sb strings.Builder
		for _, c := range cs {
			sb.WriteString(c.Char)
		}
		return Region{Text: sb.String(), Chars: cs, Engine: "ppocr"}
	}
	r, ok := leadTrimmed(region(append([]models.Char{ch("W", 0.47, 0.09)}, rest...)...))
	if text, _ := plateReading(r); !ok || text != "F F4532" {
		t.Errorf("band read W: %q %v", text, ok)
	}
	if _, ok := leadTrimmed(region(append([]models.Char{ch("W", 0.9, 0.09)}, rest...)...)); ok {
		t.Error("a sure first character is dropped")
	}
	if _, ok := leadTrimmed(region(append([]models.Char{ch("W", 0.47, 0.225)}, rest...)...)); ok {
		t.Error("an unsure first character at the print's pitch is dropped")
	}
}

// TestPlateSamples reads the generated plate scenes end to end.
func TestPlateSamples(t *testing.T) {
	e := testEngines(t, Options{})
	for _, m := range samples(t, "plate") {
		r := e.Process(context.Background(), Request{Data: m.Data})
		if len(r.Records) == 0 {
			t.Errorf("%s: no record", m.File)
			continue
		}
		p, ok := r.Records[0].(*plates.Record)
		if !ok || p.Text != m.Truth.Plate || p.Display != m.Truth.Display || !p.Valid || p.Quad == nil {
			t.Errorf("%s: got %+v, want %s (%s)", m.File, r.Records[0], m.Truth.Plate, m.Truth.Display)
		}
	}
}

// TestTesseractPlateReading: Tesseract glues the seal to the letter after
// it; the measured gap must still split HAL from C.
func TestTesseractPlateReading(t *testing.T) {
	sym := func(c string, x0, x1 int) ocr.Symbol {
		return ocr.Symbol{Char: c, Conf: 0.9, Box: image.Rect(x0, 10, x1, 40)}
	}
	l := ocr.Line{Text: "HALC 18H", Conf: 0.9, Symbols: []ocr.Symbol{
		sym("H", 57, 72), sym("A", 74, 92), sym("L", 94, 109), sym("C", 113, 142),
		sym("1", 158, 166), sym("8", 172, 187), sym("H", 190, 205)}}
	r := tesseractPlateReading(l)
	if !strings.HasPrefix(r.Text, "HAL C") || len(r.CharConf) != 7 || r.Engine != "tesseract" {
		t.Errorf("reading %+v", r)
	}
	if rec := (PlateBuilder{}).acceptTesseract(r); rec == nil || rec.Display != "HAL-C 18H" {
		t.Errorf("record %+v", rec)
	}
	// Tesseract's seal read as a letter: the seal variant is the plate.
	if rec := (PlateBuilder{}).acceptTesseract(plates.Reading{Text: "HALSC 18H", Confidence: 0.8}); rec == nil || rec.Text != "HALC18H" {
		t.Errorf("seal variant %+v", rec)
	}
	if rec := (PlateBuilder{Country: "FR"}).acceptTesseract(plates.Reading{Text: "HALSC 18H", Confidence: 0.8}); rec != nil {
		t.Errorf("seal variant outside Germany: %+v", rec)
	}
}

// TestSynthPlates reads the generated plate scenes of testdata/synth end to
// end: the text detector misses plate_04's print altogether (the classical
// plate-print finder finds it), and plate_05 is a two-line plate whose
// first line (M) is too narrow for a plate's shape. plate_03 is a known
// miss: a 56-pixel plate at night, its I lost (BF91E for BIF91E).
func TestSynthPlates(t *testing.T) {
	known := map[string]bool{"plate_03.jpg": true}
	e := testEngines(t, Options{})
	n := 0
	for _, m := range manifestSamples(t, "../testdata/synth", "plate") {
		if known[m.File] {
			continue
		}
		n++
		r := e.Process(context.Background(), Request{Data: m.Data, Kind: "plate"})
		if len(r.Records) == 0 {
			t.Errorf("%s: no record, want %s", m.File, m.Truth.Display)
			continue
		}
		if p, ok := r.Records[0].(*plates.Record); !ok || p.Text != m.Truth.Plate || p.Display != m.Truth.Display || !p.Valid {
			t.Errorf("%s: got %+v, want %s", m.File, r.Records[0], m.Truth.Display)
		}
	}
	if n < 5 {
		t.Fatalf("%d plate scenes in testdata/synth, want 5 or more", n)
	}
}

// TestUmlautRepairs: an Ö read as 0 is an umlaut variant; a German plate
// after one confusion repair of an umlaut variant beats a foreign reading.
func TestUmlautRepairs(t *testing.T) {
	cases := []struct{ text, want string }{
		{"G0 J592", "GÖ-J 592"},     // Ö read as 0
		{"A0 0G46H", "AÖ-OG 46H"},   // Ö read as 0, and O as 0
		{"DUW 0486E", "DÜW-O 486E"}, // a valid Polish reading as read
		{"PL0 PJ78", "PLÖ-PJ 78"},
		{"AC 0Y50", "AC-OY 50"},     // the seal gap: German after one repair, not Polish as read
		{"WAF 0N599", "WAF-ON 599"}, // likewise
	}
	for _, c := range cases {
		rec := (PlateBuilder{}).accept(plates.Reading{Text: c.text, Confidence: 0.9})
		if rec == nil || rec.Display != c.want {
			t.Errorf("%q: got %+v, want %s", c.text, rec, c.want)
		}
	}
	if sealAt("AC 0Y50") != 2 || sealAt("AC0Y50") != 0 || sealAt("1A MW240") != 0 || sealAt("ABCD 12") != 0 {
		t.Error("sealAt")
	}
	if v := undotted("A0 0G46H", "AÖOG46H"); v != "AO0G46H" {
		t.Errorf("undotted: %s", v)
	}
}

// TestPlateCountryPreference: the request's plate country is tried first
// when guessing; an unknown one is a bad request.
func TestPlateCountryPreference(t *testing.T) {
	r := plates.Reading{Text: "7CID930", Confidence: 0.9}
	if rec := (PlateBuilder{}).accept(r); rec == nil || rec.Country != "BE" {
		t.Errorf("guessed: %+v", rec)
	}
	if rec := (PlateBuilder{prefer: "US"}).accept(r); rec == nil || rec.Country != "US" || rec.Text != "7CID930" {
		t.Errorf("preferred US: %+v", rec)
	}
	e := testEngines(t, Options{})
	res := e.Process(context.Background(), Request{Data: samples(t, "plate")[0].Data, Country: "XX"})
	if res.Error == nil || res.Error.Code != CodeBadRequest {
		t.Errorf("unknown country: %+v", res.Error)
	}
}

// TestAmericanPlates: where American plates are expected, a text no
// listed format fits is a free-form plate that ranks after listed ones
// (digits alone last) and, like a plate on a weak finder line, neither
// answers a plate request nor counts as found; a camera's time stamp is
// no plate.
func TestAmericanPlates(t *testing.T) {
	us := PlateBuilder{prefer: "US"}
	if !us.expects("US") || (PlateBuilder{}).expects("US") || !(PlateBuilder{Country: "US"}).expects("US") || (PlateBuilder{Country: "DE", prefer: "US"}).expects("US") {
		t.Error("expects: wrong for the request's country and preference")
	}
	vanity := us.accept(plates.Reading{Text: "CCLVN 3", Confidence: 0.98})
	digits := us.accept(plates.Reading{Text: "8951283", Confidence: 0.99})
	listed := us.accept(plates.Reading{Text: "CLT0108", Confidence: 0.8})
	if vanity == nil || !unlisted(vanity) || digits == nil || !unlisted(digits) || listed == nil || unlisted(listed) {
		t.Fatalf("accept: vanity %+v, digits %+v, listed %+v", vanity, digits, listed)
	}
	if (PlateBuilder{}).accept(plates.Reading{Text: "CCLVN 3", Confidence: 0.98}) != nil {
		t.Error("a free-form text accepted without the US expected")
	}
	if a, b, c := unlistedRank(listed), unlistedRank(vanity), unlistedRank(digits); !(a < b && b < c) {
		t.Errorf("unlistedRank listed %d, vanity %d, digits %d: want increasing", a, b, c)
	}
	s := &Scene{Records: []Record{vanity}}
	if s.found() || confidentPlates(s) {
		t.Error("a free-form plate alone stopped the search")
	}
	s.Records = append(s.Records, listed)
	if !s.found() {
		t.Error("a listed plate did not count as found")
	}
	for text, want := range map[string]bool{"06:40:28": true, "2014-05-11:08:27:33": true, "B:MW 1234": false, "BGB-3282": false, "12:": false, "1B1:9839": false, "12:75": false, "x12:5": false, "80:0867": false, "59:30": true, "23:59": true} {
		if got := clockTime([]*Region{{Text: text}}); got != want {
			t.Errorf("clockTime(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestSubsequenceDedupe(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{{"CLV3", "CCLVN3", true}, {"Z735", "BNZ735", true}, {"", "AB", true}, {"CCLVN3", "CLV3", false}, {"AB", "BA", false}} {
		if got := subsequence(c.a, c.b); got != c.want {
			t.Errorf("subsequence(%q, %q) = %v", c.a, c.b, got)
		}
	}
	box := func(x0, y0, x1, y1 float64) *[4][2]float64 {
		return &[4][2]float64{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
	}
	whole := &plates.Record{Text: "CCLVN3", Country: "US", Quad: box(560, 315, 630, 350)}
	dropped := &plates.Record{Text: "CLV3", Country: "US", Quad: box(565, 318, 628, 348)}
	if got := dedupePlates([]*plates.Record{dropped, whole}); len(got) != 1 || got[0] != whole {
		t.Errorf("dedupe kept %v, want the whole reading only", got)
	}
}

// TestWeakPlates: a plate read on a low-scoring finder line neither
// answers a plate request without the text detector nor counts as found.
func TestWeakPlates(t *testing.T) {
	strong := &plates.Record{Kind: "plate", Country: "DE", Text: "BMW1234", Valid: true, Confidence: 0.9, Format: "standard"}
	weak := &plates.Record{Kind: "plate", Country: "DE", Text: "PZ1", Valid: true, Confidence: 1, Format: "standard"}
	unsure := &plates.Record{Kind: "plate", Country: "DE", Text: "B1", Valid: true, Confidence: 0.5, Format: "standard"}
	cases := []struct {
		recs             []Record
		found, confident bool
	}{
		{nil, false, false},
		{[]Record{weak}, false, false},
		{[]Record{unsure}, true, false},
		{[]Record{weak, strong}, true, true},
	}
	for i, c := range cases {
		s := &Scene{Records: c.recs, weakPlates: map[*plates.Record]bool{weak: true}}
		if s.found() != c.found || confidentPlates(s) != c.confident {
			t.Errorf("case %d: found %v confident %v, want %v %v", i, s.found(), confidentPlates(s), c.found, c.confident)
		}
	}
	if !weakLine(&Region{Source: sourcePlateLines, DetScore: plateLineWeak}) || weakLine(&Region{Source: sourcePlateLines, DetScore: plateLineStrong}) || weakLine(&Region{DetScore: 0.1}) {
		t.Error("weakLine")
	}
	wl, sl, dl := &Region{Source: sourcePlateLines, DetScore: plateLineWeak}, &Region{Source: sourcePlateLines, DetScore: plateLineStrong}, &Region{DetScore: 0.9}
	if !weakRegions([]*Region{wl}) || !weakRegions([]*Region{wl, wl}) || weakRegions([]*Region{wl, dl}) || weakRegions([]*Region{sl, wl}) || weakRegions(nil) {
		t.Error("weakRegions: a pair is weak when both its lines are")
	}
}

// TestPartOfLarger: one line of a two-line plate read alone ranks after
// the pair that holds it.
func TestPartOfLarger(t *testing.T) {
	rect := func(x0, y0, x1, y1 float64) *[4][2]float64 {
		return &[4][2]float64{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
	}
	pair := &plates.Record{Text: "LBQ90", Quad: rect(100, 100, 200, 200)}
	bottom := &plates.Record{Text: "Q90", Quad: rect(100, 150, 200, 200)}
	other := &plates.Record{Text: "B1", Quad: rect(400, 100, 500, 130)}
	same := &plates.Record{Text: "LBQ9", Quad: rect(102, 102, 198, 198)}
	got := partOfLarger([]*plates.Record{bottom, pair, other, same})
	if !got[bottom] || got[pair] || got[other] || got[same] {
		t.Errorf("partOfLarger: %v", got)
	}
}

// TestFreeTextSeries: a sign's word and number (VIOLIA 53 as an Austrian
// wish plate) is a plate only where the caller names the country.
func TestFreeTextSeries(t *testing.T) {
	r := plates.Reading{Text: "VI OLIA53", Confidence: 0.95}
	if rec := (PlateBuilder{}).accept(r); rec != nil {
		t.Errorf("guessed: %+v", rec)
	}
	if rec := (PlateBuilder{Country: "AT"}).accept(r); rec == nil || rec.Format != "wish" {
		t.Errorf("in Austria: %+v", rec)
	}
}

// TestDedupePlates: fragments inside a plate go; of two readings of the
// same text the German one stays, else the first.
func TestDedupePlates(t *testing.T) {
	rect := func(x0, y0, x1, y1 float64) *[4][2]float64 {
		return &[4][2]float64{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
	}
	be := &plates.Record{Text: "BNZ735", Country: "BE", Quad: rect(340, 495, 440, 529)}
	de := &plates.Record{Text: "BNZ735", Country: "DE", Quad: rect(355, 497, 440, 524)}
	frag := &plates.Record{Text: "Z735", Country: "DE", Quad: rect(380, 497, 440, 524)}
	far := &plates.Record{Text: "BNZ735", Country: "BE", Quad: rect(900, 100, 1000, 130)}
	got := dedupePlates([]*plates.Record{be, de, frag, far})
	if len(got) != 2 || got[0] != de || got[1] != far {
		t.Errorf("dedupe: %v", got)
	}
	a := &plates.Record{Text: "BNZ735", Country: "DE", Quad: rect(340, 495, 440, 529)}
	b := &plates.Record{Text: "BNZ735", Country: "DE", Quad: rect(355, 497, 440, 524)}
	if got := dedupePlates([]*plates.Record{a, b}); len(got) != 1 || got[0] != a {
		t.Errorf("same country: %v", got)
	}
}

// TestReadUpright: a region marked upright (the other line of a two-line
// plate was read upright) is read as its quad runs; unmarked, the
// orientation model turns text printed upside down.
func TestReadUpright(t *testing.T) {
	e := testEngines(t, Options{})
	ctx := context.Background()
	data := textScene("KB847", 4, 180, 480, 240, 240, 120)
	for _, upright := range []bool{false, true} {
		f, err := preprocess.Decode(ctx, data, e.opt.Decode)
		if err != nil {
			t.Fatal(err)
		}
		q := geom.Quad{{150, 80}, {330, 80}, {330, 160}, {150, 160}}
		s := &Scene{Frame: f, Eng: e, Regions: []Region{{Quad: q, upright: upright}}}
		if ok, err := s.Read(ctx, 0); err != nil || !ok {
			t.Fatalf("read: %v %v", ok, err)
		}
		r := s.Regions[0]
		if turned := r.Angle == 180; turned == upright || upright == (r.Text == "KB847") {
			t.Errorf("upright %v: read %q at %d degrees", upright, r.Text, r.Angle)
		}
		f.Close()
	}
}

// TestReadOnce: a region whose quad the scene has read the same way takes
// that reading without the models (the scene's engines are gone when the
// second region is read: running them would panic), keeping its own
// detection score and source; the same quad read the other way (upright)
// is read afresh.
func TestReadOnce(t *testing.T) {
	e := testEngines(t, Options{})
	ctx := context.Background()
	f, err := preprocess.Decode(ctx, textScene("KB847", 4, 180, 480, 240, 240, 120), e.opt.Decode)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	q := geom.Quad{{150, 80}, {330, 80}, {330, 160}, {150, 160}}
	s := &Scene{Frame: f, Eng: e, Regions: []Region{{Quad: q, DetScore: 0.9}}}
	if ok, err := s.Read(ctx, 0); err != nil || !ok {
		t.Fatalf("read: %v %v", ok, err)
	}
	first := s.Regions[0]
	band := geom.Quad{{150, 160}, {330, 160}, {330, 200}, {150, 200}}
	s.Regions = append(s.Regions, Region{Quad: q, DetScore: 0.5, Source: sourcePlateLines, extended: true, under: &band})
	s.Eng = nil
	if ok, err := s.Read(ctx, 1); err != nil || !ok {
		t.Fatalf("read again: %v %v", ok, err)
	}
	r := s.Regions[1]
	if r.Text != first.Text || r.Conf != first.Conf || r.Angle != first.Angle || r.Quad != first.Quad || !r.Read {
		t.Errorf("same quad read %q at %d degrees (%v), first %q at %d degrees", r.Text, r.Angle, r.Quad, first.Text, first.Angle)
	}
	if r.DetScore != 0.5 || r.Source != sourcePlateLines || !r.extended || r.under != &band {
		t.Errorf("the second region's own fields were replaced: %+v", r)
	}
	s.Eng = e
	s.Regions = append(s.Regions, Region{Quad: q, upright: true})
	if ok, err := s.Read(ctx, 2); err != nil || !ok {
		t.Fatalf("read upright: %v %v", ok, err)
	}
	if u := s.Regions[2]; u.Angle != 0 || u.Text == first.Text {
		t.Errorf("the quad read upright: %q at %d degrees, turned %q", u.Text, u.Angle, first.Text)
	}
}

// TestUnsureAndContestedPlates: a plate read on one line whose reading
// starts at its crop's edge, or one another reading of the same print
// (as many characters, nearly as sure) contests, does not answer a plate
// request without the text detector; a fragment is no rival.
func TestUnsureAndContestedPlates(t *testing.T) {
	rect := func(x0, y0, x1, y1 float64) *[4][2]float64 {
		return &[4][2]float64{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
	}
	ch := func(c string, x float64) models.Char { return models.Char{Char: c, Prob: 0.9, X0: x, X1: x + 0.1} }
	cut := &Region{Chars: []models.Char{ch("D", 0), ch("Y", 0.2), ch("5", 0.4), ch("0", 0.6)}}
	whole := &Region{Chars: []models.Char{ch("D", 0.1), ch("Y", 0.3), ch("5", 0.5), ch("0", 0.7)}}
	if !unsureRegions([]*Region{cut}) || unsureRegions([]*Region{whole}) || unsureRegions([]*Region{cut, whole}) || unsureRegions([]*Region{{}}) {
		t.Error("unsureRegions")
	}
	wi := &plates.Record{Kind: "plate", Country: "DE", Text: "WIP2", Valid: true, Confidence: 1, Format: "standard", Quad: rect(210, 286, 310, 402)}
	wu := &plates.Record{Kind: "plate", Country: "DE", Text: "WÜP2", Valid: true, Confidence: 1, Format: "standard", Quad: rect(224, 297, 322, 402)}
	weakWu := &plates.Record{Kind: "plate", Country: "DE", Text: "WÜP2", Valid: true, Confidence: 0.5, Format: "standard", Quad: rect(224, 297, 322, 402)}
	frag := &plates.Record{Kind: "plate", Country: "DE", Text: "K649A", Valid: true, Confidence: 0.9, Format: "standard", Quad: rect(230, 300, 300, 400)}
	far := &plates.Record{Kind: "plate", Country: "DE", Text: "WÜP2", Valid: true, Confidence: 1, Format: "standard", Quad: rect(800, 300, 900, 400)}
	cases := []struct {
		recs      []Record
		unsure    *plates.Record
		confident bool
	}{
		{[]Record{wi}, nil, true},
		{[]Record{wi}, wi, false},
		{[]Record{wi, wu}, nil, false},
		{[]Record{wi, weakWu}, nil, true},
		{[]Record{wi, frag}, nil, true},
		{[]Record{wi, far}, nil, true},
	}
	for i, c := range cases {
		s := &Scene{Records: c.recs, unsurePlates: map[*plates.Record]bool{c.unsure: true}}
		if got := confidentPlates(s); got != c.confident {
			t.Errorf("case %d: confident %v, want %v", i, got, c.confident)
		}
	}
	// a plate of another country than the expected one (the request's,
	// else Germany) does not answer without the text detector (GAPE16
	// made the Dutch GA-PE-16)
	nl := &plates.Record{Kind: "plate", Country: "NL", Text: "GAPE16", Valid: true, Confidence: 0.935, Format: "sidecode", Quad: rect(210, 286, 310, 402)}
	if confidentPlates(&Scene{Records: []Record{nl}}) || !confidentPlates(&Scene{Records: []Record{nl}, PlateCountry: "nl"}) {
		t.Error("confidentPlates: a foreign plate answers only where its country is asked for")
	}
}

// TestTopLineSeal: the top line of a two-line plate ends at the seal; a
// last character read unsure there is dropped (AOT of AÖ), a sure one or
// a lone one kept.
func TestTopLineSeal(t *testing.T) {
	ch := func(c string, p, x float64) models.Char { return models.Char{Char: c, Prob: p, X0: x, X1: x + 0.1} }
	cases := []struct {
		r    Region
		want string
	}{
		{Region{Text: "AOT", Chars: []models.Char{ch("A", 0.78, 0.21), ch("O", 0.65, 0.52), ch("T", 0.33, 0.73)}}, "AO"},
		{Region{Text: "BUS", Chars: []models.Char{ch("B", 0.94, 0.17), ch("U", 0.92, 0.33), ch("S", 0.89, 0.5)}}, "BUS"},
		{Region{Text: "S.", Chars: []models.Char{ch("S", 0.9, 0.28), ch(".", 0.3, 0.5)}}, "S"},
		{Region{Text: "T", Chars: []models.Char{ch("T", 0.3, 0.4)}}, "T"},
		{Region{Text: ".T", Chars: []models.Char{ch(".", 0.9, 0.2), ch("T", 0.3, 0.4)}}, "T"},
	}
	for _, c := range cases {
		if got, _ := topLineReading(c.r); got != c.want {
			t.Errorf("%q: %q, want %q", c.r.Text, got, c.want)
		}
	}
}

// TestRegionVotes: of two readings of one print equally sure, the one
// more regions read ranks first; readings elsewhere do not count.
func TestRegionVotes(t *testing.T) {
	rect := func(x0, y0, x1, y1 float64) *[4][2]float64 {
		return &[4][2]float64{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
	}
	top1, top2, top3, bot := &Region{}, &Region{}, &Region{}, &Region{}
	wi := &plates.Record{Text: "WIP2", Quad: rect(210, 286, 310, 402)}
	wu1 := &plates.Record{Text: "WÜP2", Quad: rect(224, 297, 322, 402)}
	wu2 := &plates.Record{Text: "WÜP2", Quad: rect(230, 277, 325, 402)}
	far := &plates.Record{Text: "WÜP2", Quad: rect(800, 300, 900, 400)}
	v := regionVotes([]*plates.Record{wi, wu1, wu2, far}, map[*plates.Record][]*Region{
		wi: {top1, bot}, wu1: {top2, bot}, wu2: {top3, bot}, far: {{}, {}},
	})
	if v[wi] != 2 || v[wu1] != 3 || v[wu2] != 3 || v[far] != 2 {
		t.Errorf("votes %d %d %d %d", v[wi], v[wu1], v[wu2], v[far])
	}
	if !samePlace(wi, wu1) || samePlace(wi, far) {
		t.Error("samePlace")
	}
}

func TestSurelyRead(t *testing.T) {
	sure := []float64{0.99, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99}
	for _, tc := range []struct {
		text  string
		confs []float64
		other string
		want  bool
	}{
		// Tesseract's listed format does not overrule characters
		// PP-OCR read sure.
		{"K17 9658", sure, "KIT9658", true},
		{"DD4 C591", sure, "DD40591", true},
		{"K17 9658", sure, "K179658", true},
		// It does where PP-OCR was unsure of a character it changes.
		{"K17 9658", []float64{0.99, 0.6, 0.99, 0.99, 0.99, 0.99, 0.99}, "KI79658", false},
		// A character PP-OCR dropped may be added (AGV1W for AG6V1W),
		// one it read unsure removed (artwork: 63127K for 3127K), but
		// not one it read sure exchanged or removed besides (SYBV23
		// for YBW23, 3127 for 3127K).
		{"AGV1W", sure[:5], "AG6V1W", false},
		{"63127K", []float64{0.28, 0.98, 0.99, 1, 0.99, 0.97}, "3127K", false},
		{"YBW23", sure[:5], "SYBV23", true},
		{"3127K", sure[:5], "3127", true},
		// Without per-character probabilities nothing is sure.
		{"K17 9658", nil, "KIT9658", false},
	} {
		if got := surelyRead(tc.text, tc.confs, tc.other); got != tc.want {
			t.Errorf("surelyRead(%q, %v, %q) = %v, want %v", tc.text, tc.confs, tc.other, got, tc.want)
		}
	}
}

func TestRivals(t *testing.T) {
	rect := func(x0, y0, x1, y1 float64) *[4][2]float64 {
		return &[4][2]float64{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
	}
	us := func(text string, q *[4][2]float64) *plates.Record {
		return &plates.Record{Text: text, Country: "US", Format: "us-1abc234", Quad: q}
	}
	i1 := us("7CID930", rect(862, 20, 938, 48))
	t1 := us("7CTD930", rect(865, 17, 939, 46))
	far := us("7CTD930", rect(100, 20, 176, 48))
	short := us("7CD930", rect(862, 20, 938, 48))
	br := &plates.Record{Text: "7CTD930", Country: "BR", Quad: rect(862, 20, 938, 48)}
	for _, tc := range []struct {
		a, b *plates.Record
		want bool
	}{
		{i1, t1, true},
		{i1, i1, false},    // the same text: not rivals, one plate
		{i1, far, false},   // another place: another plate
		{i1, short, false}, // a character dropped: a part, not a rival
		{i1, br, false},    // another country's reading
	} {
		if got := rivals(tc.a, tc.b); got != tc.want {
			t.Errorf("rivals(%s, %s) = %v, want %v", tc.a.Text, tc.b.Text, got, tc.want)
		}
	}
}

func TestEndsTrimmed(t *testing.T) {
	ch := func(c string, p, x float64) models.Char { return models.Char{Char: c, Prob: p, X0: x, X1: x + 0.06} }
	region := func(cs ...models.Char) Region {
		var sb strings.Builder
		for _, c := range cs {
			sb.WriteString(c.Char)
		}
		return Region{Text: sb.String(), Chars: cs}
	}
	for _, tc := range []struct {
		name string
		r    Region
		want string // "" for no trimmed region
	}{
		{"wheelchair symbol and sticker", region(ch("6", 0.33, 0.05), ch("3", 0.98, 0.15), ch("1", 1, 0.25), ch("2", 0.99, 0.35), ch("7", 1, 0.45), ch("K", 0.98, 0.55), ch("8", 0.37, 0.65)), "3127K"},
		{"a mark before the symbol", region(ch("#", 0.4, 0.01), ch("6", 0.3, 0.05), ch("A", 0.98, 0.15), ch("B", 0.97, 0.25), ch("1", 0.99, 0.35)), "AB1"},
		{"sure ends", region(ch("A", 0.9, 0.05), ch("5", 0.3, 0.15), ch("B", 0.9, 0.25)), ""},
		{"a mark alone is not a character", region(ch("#", 0.4, 0.01), ch("A", 0.9, 0.05), ch("B", 0.9, 0.25)), ""},
		{"too little left", region(ch("A", 0.3, 0.05), ch("B", 0.9, 0.25), ch("C", 0.2, 0.35)), ""},
	} {
		got, ok := endsTrimmed(tc.r)
		if tc.want == "" {
			if ok {
				t.Errorf("%s: trimmed to %q, want no trim", tc.name, got.Text)
			}
			continue
		}
		if text, _ := plateReadingSeals(got, false); !ok || text != tc.want {
			t.Errorf("%s: %q (%v), want %q", tc.name, text, ok, tc.want)
		}
	}
}

func TestPlateRuneLatin(t *testing.T) {
	for s, want := range map[string]bool{"A": true, "Ü": true, "7": true, "皖": false, "-": false, "": false, "AB": true} {
		if got := isPlateRune(s); got != want {
			t.Errorf("isPlateRune(%q) = %v, want %v", s, got, want)
		}
	}
	// a mark read in another script at a plate's start is no character
	// of it: YBW23 with the state's emblem read as 皖 before it
	r := Region{Text: "皖YBW23", Chars: []models.Char{
		{Char: "皖", Prob: 0.94, X0: 0.02, X1: 0.1}, {Char: "Y", Prob: 0.96, X0: 0.15, X1: 0.25},
		{Char: "B", Prob: 1, X0: 0.3, X1: 0.4}, {Char: "W", Prob: 0.99, X0: 0.45, X1: 0.55},
		{Char: "2", Prob: 1, X0: 0.6, X1: 0.7}, {Char: "3", Prob: 1, X0: 0.75, X1: 0.85},
	}}
	if text, _ := plateReading(r); text != "YBW23" {
		t.Errorf("plateReading = %q, want YBW23", text)
	}
}

// TestPlateSceneRegressions: scenes of the synthetic plate set (`go run
// ./cmd/synth -set plates -n 300 -seed 11`), rendered from their seeds,
// that once came back without a plate; each must now read exactly.
//   - image 135: F-R 1 on a silver car under a facade's windows; the
//     windows' rows outscored the plate's line in the plate-print finder
//     and the text detector boxed the whole grille.
//   - image 96: HN-AH 5H at night, read HN AHSH (the 5 as its letter
//     twin S): a reading without a digit, where the EU band stands before
//     it (dark blue at night), is one repair from a German plate.
//   - image 40: MD-T 52 read MDT52 without a seal mark, two ways German
//     (M-DT 52, MD-T 52) and Tesseract's MO-I 52 taken instead; the seal's
//     space in the crop's ink splits it after the D.
//   - image 93: the two-line B over WZ 296, read WZ-Z 96: the detector
//     boxed the lone B a third of the line's height, too small to be the
//     line above; grown, it is (grownAbove).
//   - image 165: NÖ-U 544E read NÖ-U 54E: the second 4, read A at 0.44,
//     was dropped for the seal, which PP-OCR had read as a mark before it.
//   - image 46: WAF-ON 599 read WAF0N599, the Polish WAF 0N599; the
//     seal's space after WAF makes it German with the 0 among the letters
//     an O (zeroOrO).
func TestPlateSceneRegressions(t *testing.T) {
	if testing.Short() {
		t.Skip("renders synthetic scenes and reads them")
	}
	fs := ocrbFonts(t)
	e := testEngines(t, Options{})
	for _, tc := range []struct {
		seed uint64
		i    int
	}{
		{11, 135}, {11, 96}, {11, 40}, {11, 93}, {11, 165}, {11, 46},
		// held-out set (seed 12): top line OB read 08; C over PV 8H and
		// LÖ over JY 7816 turned by the orientation model; WÜ over
		// M725 read WwU (Polish WWU M725 at 0.999); L over L5 boxed a
		// quarter turned; the band read W before F·F4532; RE over SI63
		// read S163 (the I's shape, both lines); BÖ V2756 under the
		// frame's near stroke and BÖ over MA151H (the umlaut's dots)
		{12, 42}, {12, 181}, {12, 117}, {12, 93}, {12, 264}, {12, 235}, {12, 10}, {12, 216}, {12, 133},
		// the plate character classifier: M-QM 4247E read M-DM, DD-ND 66
		// read DO-NO, F-JC 5 read F-IC (its exchanges); HN-W 7424E,
		// whose N fitted M's glyph better (its veto)
		{12, 40}, {12, 244}, {11, 70}, {12, 241},
		// read again stretched: MÜ over VV 10 (VV read W), UL-FK 2244
		// read UL-FK 224
		{12, 78}, {12, 223},
		// a sure seal mark: DO-OJ 465 read 00:0J465, D, O and O
		// read as their digit twin (bySealTwins)
		{11, 243},
		// BÖ-O 867 read 80:0867: no clock time (clockTime)
		{12, 191},
		// SÖM-Q 3037 read SOM03037: the classifier and PP-OCR's
		// alternatives both give the 0 as Q (twinFlips)
		{12, 115},
		// BGL-D 939 boxed GLD939 by the plate-print finder: read again
		// extended to the left (joinedStart)
		{12, 59},
		// MÜ-LR 8847 read MULR8847 with both 8s under 0.5: not the seal
		{12, 174},
		// WAF-D 4577 read W AF D4577, the wide W's frame two pitches
		// before the A: of two splits among the letters, the widest
		// is the seal's (oneLetterGap)
		{12, 47},
	} {
		i := tc.i
		sc, err := synth.PlateScene(fs, synth.ImageSeed(synth.SetPlates, tc.seed, i), synth.SceneOptions{})
		if err != nil {
			t.Fatal(err)
		}
		r := e.Process(context.Background(), Request{File: "plate.jpg", Data: sc.JPEG, Kind: "plate"})
		var got *plates.Record
		if len(r.Records) > 0 {
			got, _ = r.Records[0].(*plates.Record)
		}
		if got == nil || !got.Valid || got.Text != sc.Entry.Truth.Plate {
			t.Errorf("seed %d image %d: got %+v, want %s", tc.seed, i, got, sc.Entry.Truth.Display)
		}
	}
}

// TestChangedBut: only 0 read for O (or O for 0) is what a seal gap
// vouches for (zeroOrO); a length change always counts.
func TestChangedBut(t *testing.T) {
	for _, c := range []struct {
		reading, text string
		want          int
	}{
		{"WAF 0N599", "WAFON599", 0},
		{"B O1234", "BO1234", 0},
		{"BO 0O 12O", "BOOO120", 0},
		{"V 1689", "VI689", 1},
		{"WAF 0N59", "WAFON599", 2},
	} {
		if got := changedBut(c.reading, c.text, zeroOrO); got != c.want {
			t.Errorf("changedBut(%q, %q) = %d, want %d", c.reading, c.text, got, c.want)
		}
	}
}

// TestGrownAbove: the detector's tight, turned box of the lone B over
// WZ 296 grows into the line right above it; a box of the line's own
// height, one beside the line and a speck do not.
func TestGrownAbove(t *testing.T) {
	bottom := geom.Quad{{419.6, 325.5}, {522, 329.2}, {520.4, 371.4}, {418, 367.6}}
	b := geom.Quad{{466.7, 288.5}, {466.7, 301.8}, {454.6, 301.8}, {454.6, 288.5}}
	g, ok := grownAbove(b, bottom)
	if !ok || g.Height() < 35 || g.Height() > 40 || !stacked(g, bottom) {
		t.Fatalf("B: grown %v %v", g, ok)
	}
	if c := g.Center(); math.Abs(c[0]-460.6) > 1 || math.Abs(c[1]-295.2) > 1 {
		t.Errorf("B: grown about %v", c)
	}
	tall := geom.Quad{{440, 270}, {480, 270}, {480, 308}, {440, 308}}
	beside := geom.Quad{{530, 340}, {542, 340}, {542, 354}, {530, 354}}
	speck := geom.Quad{{458, 292}, {463, 292}, {463, 298}, {458, 298}}
	for name, q := range map[string]geom.Quad{"tall": tall, "beside": beside, "speck": speck} {
		if _, ok := grownAbove(q, bottom); ok {
			t.Errorf("%s: grown", name)
		}
	}
}

// TestBySealMark: a reading whose seal PP-OCR read as a mark after the
// district is read again with an unsure district character's
// alternatives, and a German plate split at the mark without repair is
// taken over another country's; not where the mark is unsure, the
// character sure, two alternatives make German plates, the request names
// another country, or the reading already makes a German plate.
func TestBySealMark(t *testing.T) {
	chars := func(first string, p float64, alts []models.Alt, mark string, markP float64) Region {
		cs := []models.Char{{Char: first, Prob: p, Alts: alts}, {Char: "D", Prob: 0.85}, {Char: mark, Prob: markP}}
		for _, c := range "X694" {
			cs = append(cs, models.Char{Char: string(c), Prob: 1})
		}
		x := 0.0
		var text strings.Builder
		for i := range cs {
			cs[i].X0, cs[i].X1 = x, x+8
			x += 10
			text.WriteString(cs[i].Char)
		}
		return Region{Text: text.String(), Chars: cs, Engine: "ppocr", Conf: 0.9}
	}
	dAlt := []models.Alt{{Char: "J", Prob: 0.13}, {Char: "D", Prob: 0.12}, {Char: "0", Prob: 0.11}}
	for _, c := range []struct {
		name string
		b    PlateBuilder
		r    Region
		want string // the plate taken ("" none)
	}{
		{"UD·X694 is DD-X 694", PlateBuilder{}, chars("U", 0.41, dAlt, "·", 0.92), "DDX694"},
		{"a colon for the seal", PlateBuilder{}, chars("U", 0.41, dAlt, ":", 0.8), "DDX694"},
		{"the mark unsure", PlateBuilder{}, chars("U", 0.41, dAlt, "·", 0.3), ""},
		{"the character read sure", PlateBuilder{}, chars("U", 0.7, dAlt, "·", 0.92), ""},
		{"the alternative too faint", PlateBuilder{}, chars("U", 0.41, []models.Alt{{Char: "D", Prob: 0.05}}, "·", 0.92), ""},
		{"two German plates", PlateBuilder{}, chars("U", 0.41, []models.Alt{{Char: "D", Prob: 0.2}, {Char: "E", Prob: 0.2}}, "·", 0.92), ""},
		{"American plates asked for", PlateBuilder{Country: "US"}, chars("U", 0.41, dAlt, "·", 0.92), ""},
	} {
		got := c.b.bySealMark(c.r, nil)
		switch {
		case c.want == "" && got != nil:
			t.Errorf("%s: took %s", c.name, got.Display)
		case c.want != "" && (got == nil || got.Text != c.want || got.Country != "DE"):
			t.Errorf("%s: took %v, want %s", c.name, got, c.want)
		}
	}
	de := &plates.Record{Text: "UDX694", Country: "DE"}
	if got := (PlateBuilder{}).bySealMark(chars("U", 0.41, dAlt, "·", 0.92), de); got != de {
		t.Errorf("a German plate read as it stands was replaced by %v", got)
	}
}

// TestSealGapBesides: an unsure character is no seal where the seal's
// gap stands empty elsewhere on the line (DO·BZ 8E read DOBZ8E with the 8
// at 0.48); where it fills the one wide gap (HAL·C 18H with the seal read
// as a weak 8) it is.
func TestSealGapBesides(t *testing.T) {
	ch := func(c string, p, x0 float64) models.Char {
		return models.Char{Char: c, Prob: p, X0: x0, X1: x0 + 0.048}
	}
	do := Region{Text: "DOBZ8E", Engine: "ppocr", Chars: []models.Char{ch("D", 0.72, 0.096), ch("O", 0.87, 0.192), ch("B", 0.96, 0.479), ch("Z", 0.99, 0.575), ch("8", 0.48, 0.719), ch("E", 0.99, 0.862)}}
	if got, _ := plateReading(do); got != "DO BZ8E" {
		t.Errorf("DOBZ8E with an unsure 8: %q, want DO BZ8E", got)
	}
	hal := Region{Text: "HAL8C18H", Engine: "ppocr", Chars: []models.Char{ch("H", 0.99, 0.05), ch("A", 0.99, 0.15), ch("L", 0.99, 0.25), ch("8", 0.3, 0.4), ch("C", 0.99, 0.55), ch("1", 0.99, 0.7), ch("8", 0.99, 0.8), ch("H", 0.99, 0.9)}}
	if got, _ := plateReading(hal); got != "HAL C18H" {
		t.Errorf("HAL with the seal read as a weak 8: %q, want HAL C18H", got)
	}
	// the seal's empty gap at 2.5 pitches, the space before the digits
	// at 1.5: the J of BGL·BJ 32 read I at 0.43 is kept
	bgl := Region{Text: "BGLBI32", Engine: "ppocr", Chars: []models.Char{ch("B", 0.98, 0.095), ch("G", 0.97, 0.19), ch("L", 0.99, 0.286), ch("B", 0.97, 0.524), ch("I", 0.43, 0.619), ch("3", 0.99, 0.762), ch("2", 0.96, 0.857)}}
	if got, _ := plateReading(bgl); got != "BGL BI32" {
		t.Errorf("BGL·BJ 32 with an unsure J: %q, want BGL BI32", got)
	}
	// one pitch from the L, two from the X as the recognizer's frames
	// fall (1.97): the Ö of LÖ·XY 193H read O at 0.49 is kept
	span := func(c string, p, x0, x1 float64) models.Char { return models.Char{Char: c, Prob: p, X0: x0, X1: x1} }
	lo := Region{Text: "LOXY193H", Engine: "ppocr", Chars: []models.Char{span("L", 0.99, 0.215, 0.258), span("O", 0.49, 0.301, 0.344),
		span("X", 1, 0.470, 0.513), span("Y", 0.99, 0.559, 0.602), span("1", 1, 0.645, 0.688), span("9", 1, 0.731, 0.774),
		span("3", 1, 0.774, 0.860), span("H", 1, 0.860, 0.903)}}
	if got, _ := plateReading(lo); got != "LO XY193H" {
		t.Errorf("LÖ·XY 193H with an unsure Ö: %q, want LO XY193H", got)
	}
}

// TestOneInserted: the stretched reading is taken only where it is the first
// one with one character more (readStretched).
func TestOneInserted(t *testing.T) {
	for _, c := range []struct {
		short, long string
		want        bool
	}{
		{"SÄKB8", "SÄKB88", true},   // a doubled digit merged
		{"MÜV10", "MÜVV10", true},   // a doubled letter merged
		{"MSX63", "MSIX63", true},   // a narrow I dropped
		{"GLD939", "BGLD939", true}, // the first character
		{"WAD457", "WAD4577", true}, // the last
		{"SÄKB8", "SÄKB8", false},   // the same
		{"STAY3E", "SAY3EE", false}, // lost one, gained one
		{"HHRD7", "HHRO27", false},  // another letter besides
		{"SÄKB88", "SÄKB8", false},  // one fewer
		{"AB1", "AB123", false},     // two more
		{"", "A", true},
	} {
		if got := oneInserted([]rune(c.short), []rune(c.long)); got != c.want {
			t.Errorf("oneInserted(%q, %q) = %v, want %v", c.short, c.long, got, c.want)
		}
	}
	if got := string(alnumRunes("SÄK-B 8·8")); got != "SÄKB88" {
		t.Errorf("alnumRunes: %q", got)
	}
	// read stretched only where a letter or digit was read unsure
	sure := []models.Char{{Char: "W", Prob: 0.97}, {Char: "·", Prob: 0.4}, {Char: "1", Prob: 0.99}}
	if unsureChar(sure, stretchBelow) {
		t.Error("a line read sure but for its seal counted unsure")
	}
	if !unsureChar(append(sure, models.Char{Char: "0", Prob: 0.7}), stretchBelow) {
		t.Error("a digit read at 0.7 not counted unsure")
	}
}

// TestJoinedStart: the characters a line's reading extended to the left
// adds before it join the line's own (readExtendedLeft).
func TestJoinedStart(t *testing.T) {
	chars := func(s string, x0 float64) []models.Char {
		var cs []models.Char
		for i, c := range s {
			x := x0 + float64(i)*0.1
			cs = append(cs, models.Char{Char: string(c), Prob: 0.9, X0: x, X1: x + 0.08})
		}
		return cs
	}
	r := Region{Text: "GLD939", Chars: chars("GLD939", 0.02), Engine: "ppocr"}
	e := Region{Text: "BGLD939", Chars: chars("BGLD939", 0.2), Engine: "ppocr"}
	e.Chars[3].Prob = 0.39 // the extended crop's D read unsure: r's is kept
	j, ok := joinedStart(e, r, startReach)
	if !ok || j.Text != "BGLD939" || len(j.Chars) != 7 || !j.joined {
		t.Fatalf("joinedStart = %q (%d characters, joined %v), %v; want BGLD939", j.Text, len(j.Chars), j.joined, ok)
	}
	if j.Chars[0].X0 != 0.2 || math.Abs(j.Chars[1].X0-(startReach+0.02)/(1+startReach)) > 1e-9 || j.Chars[3].Prob != 0.9 {
		t.Errorf("joined characters %+v: want e's first, then r's mapped onto e's crop", j.Chars[:4])
	}
	for _, c := range []struct {
		e    string
		want bool
	}{
		{"B:GLD939", true},    // a seal mark before: kept with e's start
		{"BGLO939", false},    // another reading of r's characters
		{"GLD939", false},     // nothing before
		{"ABCDGLD939", false}, // more than a district before
	} {
		e := Region{Text: c.e, Chars: chars(c.e, 0.1), Engine: "ppocr"}
		if _, ok := joinedStart(e, r, startReach); ok != c.want {
			t.Errorf("joinedStart(%q, GLD939) = %v, want %v", c.e, ok, c.want)
		}
	}
	if _, ok := joinedStart(Region{Text: "BGLD939", Chars: chars("BGLD939", 0.1), Engine: "tesseract"}, r, startReach); ok {
		t.Error("readings of two engines joined")
	}
	for _, c := range []struct {
		reading, short string
		want           bool
	}{
		{"WZ296", "Z296", true}, {"B-GL D939", "GLD939", true}, {"Z296", "Z296", false}, {"WZ296", "Z29", false},
	} {
		if got := earlierReading(c.reading, c.short); got != c.want {
			t.Errorf("earlierReading(%q, %q) = %v, want %v", c.reading, c.short, got, c.want)
		}
	}
}
