package pipeline

import (
	"context"
	"encoding/json"
	"math"
	"slices"
	"testing"

	"docscan/geom"
	"docscan/models"
	"docscan/mrz"
	"docscan/ocr"
)

func TestMRZTextTests(t *testing.T) {
	cases := []struct {
		text                 string
		like, fragment, data bool
	}{
		{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", true, true, false},
		{"HD198025<51328505095M130509012049941", true, true, true}, // one filler, many digits
		{"L898902C36UTO7408122F1204159ZE184226B<<<<<10", true, true, true},
		{"P<AUSCIT", false, true, false},
		{"Date of birth/Date de naissance", false, false, false},
		{"UNITEDKINGDOMOFGREATBRITAIN", false, false, false},
		{"<<<<", false, true, false},
		{"PDJPNGARCIA<>>>>>>>>>>>>>>", false, true, false}, // a filler run read turned over
		{"A>B", false, false, false},
		{"8601126F3003057A", false, false, true}, // a TD1 data line's first half
		{"ITPRTKP07292302", false, false, true},  // a TD1 first line's first half
		{"12.01.1986", false, false, false},
		{"010940975", false, false, false}, // a card number: too short
	}
	for _, c := range cases {
		if got := mrzLike(c.text); got != c.like {
			t.Errorf("mrzLike(%q) = %v", c.text, got)
		}
		if got := mrzFragment(c.text); got != c.fragment {
			t.Errorf("mrzFragment(%q) = %v", c.text, got)
		}
		if got := mrzData(c.text); got != c.data {
			t.Errorf("mrzData(%q) = %v", c.text, got)
		}
	}
	for _, c := range []struct {
		lens []int
		want int
	}{{[]int{44, 43}, 44}, {[]int{30, 31, 29}, 30}, {[]int{35}, 36}, {[]int{12}, 0}, {nil, 0}} {
		if got := mrzLength(c.lens); got != c.want {
			t.Errorf("mrzLength(%v) = %d, want %d", c.lens, got, c.want)
		}
	}
}

func TestEvenlySpaced(t *testing.T) {
	mk := func(text string, xs ...float64) models.Text {
		var tx models.Text
		for i, c := range text {
			tx.Chars = append(tx.Chars, models.Char{Char: string(c), X0: xs[i], X1: xs[i] + 0.01})
		}
		return tx
	}
	if !evenlySpaced(mk("SCHULZ", 0.10, 0.12, 0.14, 0.16, 0.18, 0.20)) {
		t.Error("even line refused")
	}
	if evenlySpaced(mk("SHULZ", 0.10, 0.14, 0.16, 0.18, 0.20)) {
		t.Error("dropped character not noticed")
	}
	// Merged filler runs leave gaps after '<': normal.
	if !evenlySpaced(mk("AB<CD", 0.10, 0.12, 0.14, 0.40, 0.42)) {
		t.Error("filler gap refused")
	}
	// Letters lost before a filler run: the run starts three pitches on.
	if evenlySpaced(mk("URSU<", 0.10, 0.12, 0.14, 0.16, 0.22)) {
		t.Error("letters lost before a filler run not noticed")
	}
}

// TestRunPitch: the pitch of print whose character places come on a grid
// of time steps (3 or 4 steps for a pitch of 10/3) is the larger of the
// steps' mean and median; a dropped character's gap and a doubled
// reading's short step are left out of the mean.
func TestRunPitch(t *testing.T) {
	grid := []float64{3, 3, 4, 3, 3, 4, 3, 3, 4, 3, 3, 4}
	long := []float64{4, 4, 3, 4, 4, 3, 4, 4, 3, 4, 4, 3}
	for _, c := range []struct {
		name string
		ds   []float64
		want float64
	}{
		{"mean above the median", grid, 10.0 / 3},
		{"median above the mean", long, 4},
		{"a dropped character", append(slices.Clone(grid), 7), 10.0 / 3},
		{"a doubled reading", append(slices.Clone(grid), 1), 10.0 / 3},
		{"none", nil, 0},
	} {
		if got := runPitch(c.ds); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: pitch %.4f, want %.4f", c.name, got, c.want)
		}
	}
}

func TestLineFrame(t *testing.T) {
	// A line rotated by 30 degrees: projecting its quad and back is exact.
	r := geom.RotatedRect{C: geom.Point{400, 300}, W: 500, H: 20, Angle: math.Pi / 6}
	q := r.Quad()
	f := frameOf(q)
	l := f.project(q)
	if math.Abs(l.A1-l.A0-500) > 1e-6 || math.Abs(l.H-20) > 1e-6 || math.Abs(l.P-10) > 1e-6 {
		t.Fatalf("projected %+v", l)
	}
	back := f.quad(l)
	for i := range q {
		if math.Hypot(back[i][0]-q[i][0], back[i][1]-q[i][1]) > 1e-6 {
			t.Fatalf("corner %d: %v, want %v", i, back[i], q[i])
		}
	}
	// Regular pitch.
	if !regular([]line{{P: 0, H: 20}, {P: 30, H: 20}, {P: 61, H: 20}}) {
		t.Error("regular lines refused")
	}
	if regular([]line{{P: 0, H: 20}, {P: 30, H: 20}, {P: 90, H: 20}}) {
		t.Error("irregular lines accepted")
	}
}

// TestMRZSamples reads the generated sample documents end to end: exact
// lines, valid, a quad around the zone.
func TestMRZSamples(t *testing.T) {
	e := testEngines(t, Options{})
	for _, m := range samples(t, "mrz") {
		r := e.Process(context.Background(), Request{File: m.File, Data: m.Data})
		var got *mrz.Record
		for _, rec := range r.Records {
			if mr, ok := rec.(*mrz.Record); ok {
				got = mr
			}
			if _, ok := rec.(interface{ GetKind() string }); ok {
				t.Errorf("%s: unexpected record %T", m.File, rec)
			}
		}
		if got == nil {
			t.Errorf("%s: no MRZ record", m.File)
			continue
		}
		if !got.Valid || len(got.Lines) != len(m.Truth.MRZ) {
			t.Errorf("%s: valid=%v lines %q, want %q", m.File, got.Valid, got.Lines, m.Truth.MRZ)
			continue
		}
		for i := range got.Lines {
			if got.Lines[i] != m.Truth.MRZ[i] {
				t.Errorf("%s: line %d %q, want %q", m.File, i+1, got.Lines[i], m.Truth.MRZ[i])
			}
		}
		if got.Quad == nil || m.Quad == (geom.Quad{}) {
			t.Errorf("%s: no quad", m.File)
			continue
		}
		// The zone's centre lies within a line height of the truth centre.
		var gc, tc geom.Point
		for i := 0; i < 4; i++ {
			gc[0] += got.Quad[i][0] / 4
			gc[1] += got.Quad[i][1] / 4
			tc[0] += m.Quad[i][0] / 4
			tc[1] += m.Quad[i][1] / 4
		}
		h := math.Hypot(m.Quad[3][0]-m.Quad[0][0], m.Quad[3][1]-m.Quad[0][1])
		if d := math.Hypot(gc[0]-tc[0], gc[1]-tc[1]); d > h {
			t.Errorf("%s: zone centre %v, truth %v (%.0f px apart, zone height %.0f)", m.File, gc, tc, d, h)
		}
		// No plate is read on a document.
		for _, rec := range r.Records {
			if b, _ := json.Marshal(rec); json.Valid(b) && string(b[:15]) == `{"kind":"plate"` {
				t.Errorf("%s: plate record on a document: %s", m.File, b)
			}
		}
	}
}

func TestAlign(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want []int
	}{
		{"ABC", "ABC", []int{0, 1, 2}},
		{"A<<<B", "A<<B", []int{0, -1, 1, 2, 3}}, // a filler lost
		{"A<<B", "A<<<B", []int{0, 1, 3, 4}},     // a filler gained: b's extra one dropped
		{"P0L", "POL", []int{0, 1, 2}},           // substitution stays aligned
		{"AB", "", []int{-1, -1}},
	} {
		got := align(c.a, c.b)
		if len(got) != len(c.want) {
			t.Fatalf("align(%q, %q) = %v", c.a, c.b, got)
		}
		for i := range got {
			// Within a run of equal characters any one of them is a
			// minimal alignment: compare the characters aligned.
			if (got[i] < 0) != (c.want[i] < 0) || got[i] >= 0 && c.b[got[i]] != c.b[c.want[i]] {
				t.Errorf("align(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
				break
			}
		}
	}
}

func TestMergeReadings(t *testing.T) {
	one := func(text string, p float64) mrz.Line {
		l := mrz.Line{Text: text}
		for i := range text {
			l.Alts = append(l.Alts, []mrz.CharAlt{{Char: text[i], Prob: p}})
		}
		return l
	}
	// PP-OCR reads a 0 in a country code with 0.6; Tesseract an O with
	// 0.9 and a 0 as runner-up: the mix favours O, keeps 0 as alternative,
	// and keeps PP-OCR's length where Tesseract lost a filler.
	a := one("D0E<<<X", 0.99)
	a.Alts[1] = []mrz.CharAlt{{Char: '0', Prob: 0.6}, {Char: 'O', Prob: 0.3}}
	b := one("DOE<<X", 0.95)
	b.Alts[1] = []mrz.CharAlt{{Char: 'O', Prob: 0.9}, {Char: '0', Prob: 0.05}}
	m, disputed := mergeReadings(a, b, 0.5) // one dispute: 0 against O
	if m.Text != "DOE<<<X" || len(m.Alts) != len(a.Text) || disputed != 1 {
		t.Fatalf("merged %q with %d alternatives", m.Text, len(m.Alts))
	}
	if got := m.Alts[1]; len(got) != 2 || got[0].Char != 'O' || got[1].Char != '0' || math.Abs(got[0].Prob-0.6) > 1e-9 {
		t.Errorf("merged alternatives %+v", got)
	}
	// Tesseract's line: the characters it read with their confidences, not
	// the choice iterator's lists (with the OCR-B model they name characters
	// it did not read, TestTesseractChoices); a symbol of two characters is
	// dropped.
	if l := tessLine(ocr.Line{Symbols: []ocr.Symbol{{Char: "A", Conf: 0.7, Alts: []ocr.Alt{{Char: "A", Conf: 0.9}, {Char: "C", Conf: 0.99}}}, {Char: "<<", Conf: 1}}}); l.Text != "A" || len(l.Alts) != 1 || len(l.Alts[0]) != 1 || l.Alts[0][0] != (mrz.CharAlt{Char: 'A', Prob: 0.7}) {
		t.Errorf("tessLine = %+v", l)
	}
}

func TestMergeReadingsDisputed(t *testing.T) {
	line := func(text string) mrz.Line {
		l := mrz.Line{Text: text}
		for i := range text {
			l.Alts = append(l.Alts, []mrz.CharAlt{{Char: text[i], Prob: 0.9}})
		}
		return l
	}
	// A dropped letter is an alignment gap, not a dispute.
	if _, d := mergeReadings(line("CITIZEN<<JANE"), line("CITIEN<<<JANE"), 0.35); d != 0 {
		t.Errorf("dropped letter: %d disputed", d)
	}
	if _, d := mergeReadings(line("CITIZEN<<JANE"), line("CITIIEN<<JANE"), 0.35); d != 1 {
		t.Errorf("one misread letter: %d disputed", d)
	}
	if _, d := mergeReadings(line("ABCDEFGH"), line("HGFEDCBA"), 0.35); d <= maxDisputed {
		t.Errorf("unrelated lines: %d disputed", d)
	}
}

// TestReadAsOtherPrint: a texture zone read as words without a filler sign
// (a German ID card front's header) is other print; one line with fillers,
// turned-over fillers or an MRZ data line's digits, or a line not read,
// leaves it an MRZ candidate.
func TestReadAsOtherPrint(t *testing.T) {
	read := func(texts ...string) []Region {
		var rs []Region
		for _, s := range texts {
			rs = append(rs, Region{Text: s, Read: true})
		}
		return rs
	}
	unread := read("BUNDESREPUBLIK DEUTSCHLAND")
	unread = append(unread, Region{})
	cases := []struct {
		name string
		regs []Region
		want bool
	}{
		{"ID card header", read("BUNDESREPUBLIK DEUTSCHLAND", "PERSONALAUSWEIS IDENTITY CARD/CARTE D'IDE"), true},
		{"blurred header", read("BSN", "CEENE"), true},
		{"passport header", read("", "PASS/PASSPORT/PASSEPORT"), true},
		{"TD3 with fillers", read("P<D<<MUSTERMANN<<ERIKA<<<<<<<<", "C01X00T478D<<6408125F2702283<<<<<<<4"), false},
		{"fillers in one line", read("P2521199024052", "WAGNER<<MARIE"), false},
		{"guillemet fillers", read("IDD«T22000129", "MUSTERMANN"), false},
		{"fillers turned over", read("ABCDEF", ">>>>>>>>>>>>>>"), false},
		{"data line by its digits", read("7906293F2211248USA01488", "WAGNER MARIE"), false},
		{"a line not read", unread, false},
		{"no lines", nil, false},
	}
	for _, c := range cases {
		if got := readAsOtherPrint(c.regs); got != c.want {
			t.Errorf("%s: readAsOtherPrint = %v, want %v", c.name, got, c.want)
		}
	}
}
