package pipeline

import (
	"bytes"
	"testing"

	"docscan/mrz"
	"docscan/synth"
)

// TestOCRBCellsTable checks the embedded cell table against the font it
// was rendered from (go run ./cmd/ocrbcells remakes it).
func TestOCRBCellsTable(t *testing.T) {
	fs := ocrbFonts(t)
	cs, err := loadShapes()
	if err != nil {
		t.Fatal(err)
	}
	want, err := synth.OCRBCells(fs.OCRB, cs.pitch)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, ocrbCellsTable) {
		t.Error("pipeline/ocrb_cells.bin differs from the font's cells: go run ./cmd/ocrbcells")
	}
	if cs.chars != synth.MRZChars {
		t.Errorf("table holds %q, want %q", cs.chars, synth.MRZChars)
	}
}

// TestShapeScores reads rendered OCR-B lines, sharp and blurred, at print
// sizes from the table's down to a photo's, by the cell shapes alone: each
// character's own cell ranks it first, the confusable pairs included.
func TestShapeScores(t *testing.T) {
	text := "O0C0D0Q0ILI1B8S5Z2G6UVWXYKMN<ABEFHJPRT34679"
	for _, pitch := range []float64{24, 16, 11} {
		for _, blur := range []bool{false, true} {
			d, w, h, margin, base := renderLine(t, text, pitch, blur)
			fw := float64(w)
			g := &cellGrid{dark: d, w: w, h: h, a: (margin + 0.5*pitch) / fw, b: pitch / fw, ba: base}
			sc := shapeScores(g, text)
			if len(sc) != len(text) {
				t.Fatalf("pitch %v blur %v: %d cells scored, want %d", pitch, blur, len(sc), len(text))
			}
			var got []byte
			for i := range text {
				if text[i] == '<' {
					got = append(got, '<')
					continue
				}
				c, lead := shapeBest(sc[i], text[i])
				got = append(got, c)
				if c != text[i] {
					t.Errorf("pitch %v blur %v: %c read as %c (lead %.3f)", pitch, blur, text[i], c, lead)
				}
			}
			t.Logf("pitch %v blur %v: %s", pitch, blur, got)
		}
	}
}

// renderedGrid renders text as a line of OCR-B at pitch pixels and returns
// its cell grid.
func renderedGrid(t *testing.T, text string, pitch float64, blur bool) *cellGrid {
	t.Helper()
	d, w, h, margin, base := renderLine(t, text, pitch, blur)
	fw := float64(w)
	return &cellGrid{dark: d, w: w, h: h, a: (margin + 0.5*pitch) / fw, b: pitch / fw, ba: base}
}

// TestShapeJudge: a character the heights took for its partner is kept
// when its cell's shape is its own; one whose shape is the partner's is
// not; an exchanged character of a collision is confirmed by its shape.
func TestShapeJudge(t *testing.T) {
	printed := "ITUSAFQ33551244<<<<<<<<<<<<<<<"
	g := renderedGrid(t, printed, 14, true)
	for _, c := range []struct {
		read    string
		col     int
		verdict int // before
		want    int // after
	}{
		{printed, 11, -1, 0},                           // a 1 measured as tall as I: kept
		{"ITUSAFQ3355I244<<<<<<<<<<<<<<<", 11, -1, -1}, // an I whose cell holds a 1: still a hit
		{printed, 6, 0, +1},                            // a collision's Q confirmed as read
		{"ITUSAF033551244<<<<<<<<<<<<<<<", 6, 0, 0},    // a 0 whose cell holds a Q: not confirmed
	} {
		v := map[glyphHit]int{}
		if c.verdict != 0 {
			v[glyphHit{0, c.col}] = c.verdict
		}
		var coll []glyphHit
		if c.verdict == 0 {
			coll = []glyphHit{{0, c.col}}
		}
		if len(v) == 0 {
			v = nil // the heights judged nothing
		}
		v = shapeJudge(v, newZoneShapes([]string{c.read}, []*cellGrid{g}), coll)
		if got := v[glyphHit{0, c.col}]; got != c.want {
			t.Errorf("%s col %d: verdict %d, want %d", c.read, c.col, got, c.want)
		}
	}
}

// TestShapeOffer: a document number's C read 0 is offered as C; a name's
// letters and a date's digits read right are left alone; the repair's
// answer is held to the shapes.
func TestShapeOffer(t *testing.T) {
	printed := "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
	read := printed[:7] + "0" + printed[8:]
	g := renderedGrid(t, printed, 14, true)
	sc := shapeScores(g, read)
	classes := [][]byte{make([]byte, len(read))}
	for i := range read {
		classes[0][i] = mrz.ClassDigit
		if i < 9 || i >= 28 && i < 42 {
			classes[0][i] = mrz.ClassEither
		}
		if i >= 10 && i < 13 || i == 20 {
			classes[0][i] = mrz.ClassLetter
		}
	}
	in := []mrz.Line{lineOf(read, nil)}
	if !shapeOffer(in, []string{read}, classes, [][][]float64{sc}, nil) {
		t.Fatal("nothing offered")
	}
	if in[0].Text != printed {
		t.Errorf("offered %s, want %s", in[0].Text, printed)
	}
	if a := in[0].Alts[7]; len(a) != 2 || a[0].Char != 'C' || a[1].Char != '0' {
		t.Errorf("alternatives at the C: %+v", a)
	}
	if !shapeSupports([]string{read}, []string{printed}, [][][]float64{sc}, nil) {
		t.Error("the printed line is not supported by its own shapes")
	}
	if shapeSupports([]string{read}, []string{"LB" + printed[2:]}, [][][]float64{sc}, nil) {
		t.Error("a B for the printed 8 is supported")
	}
}

// TestShapeSwaps: a document number's G read 6 (valid either way: G and 6
// weigh alike in the check digit) is taken for a G by its shape; a 6 read
// right and a date's 6 are not.
func TestShapeSwaps(t *testing.T) {
	printed := "X8G890616UTO7406122F1204159ZE184226B<<<<<10"
	g := renderedGrid(t, printed, 14, true)
	classes := [][]byte{make([]byte, len(printed))}
	for i := range printed {
		classes[0][i] = mrz.ClassDigit
		if i < 9 || i >= 28 && i < 42 {
			classes[0][i] = mrz.ClassEither
		}
	}
	read := printed[:2] + "6" + printed[3:]
	v := map[glyphHit]int{}
	shapeSwaps(v, newZoneShapes([]string{read}, []*cellGrid{g}), classes)
	if v[glyphHit{0, 2}] != -1 {
		t.Errorf("the G read 6 is not a hit: %v", v)
	}
	for _, c := range []int{6, 8, 15} {
		if v[glyphHit{0, c}] != 0 {
			t.Errorf("the 6 at %d read right is a hit", c)
		}
	}
	// a grid slipped by a cell: the cell taken for a 6 holds another
	// glyph that fits G better than 6 by more than shapeSwapLead (a 0
	// here; a Q on held-out seed 2, mrz_0223); the classifier reads it
	// as printed, so no swap
	slipped := "X8G890616UTO7406122F1204159ZE1842260<<<<<10"
	gs := renderedGrid(t, slipped, 14, true)
	read = slipped[:35] + "6" + slipped[36:]
	v = map[glyphHit]int{}
	zs := newZoneShapes([]string{read}, []*cellGrid{gs})
	cs, err := loadShapes()
	if err != nil {
		t.Fatal(err)
	}
	if sc := zs.line(0); len(sc) <= 35 || sc[35][cs.index['G']-1]-sc[35][cs.index['6']-1] <= shapeSwapLead {
		t.Fatal("the 0 cell read 6 does not fit G by shapeSwapLead: the case tests nothing")
	}
	shapeSwaps(v, zs, classes)
	if v[glyphHit{0, 35}] != 0 {
		t.Errorf("a Q cell read 6 is a hit: %v", v)
	}
}

// shapeBest is the character of the table a cell's scores rank first and
// its lead over the character read (0 when they are the same).
func shapeBest(scores []float64, read byte) (byte, float64) {
	cs, err := loadShapes()
	if err != nil || len(scores) != len(cs.chars) {
		return 0, 0
	}
	bk := 0
	for k, v := range scores {
		if v > scores[bk] {
			bk = k
		}
	}
	rk := cs.index[read] - 1
	if rk < 0 {
		return cs.chars[bk], 0
	}
	return cs.chars[bk], scores[bk] - scores[rk]
}
