package pipeline

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"docscan/documents"
	"docscan/geom"
	"docscan/internal/onnxgen"
	"docscan/plates"
	"docscan/preprocess"
)

// TestPlateDetectorPath runs a YOLO-format plate detector built by the test
// (its one box is the sample plate's true box) on a scene whose text
// regions are withheld: the plate can only come from the detector's box,
// letterboxed, mapped back, cropped and read.
func TestPlateDetectorPath(t *testing.T) {
	for _, m := range samples(t, "plate") {
		frame, err := preprocess.Decode(context.Background(), m.Data, preprocess.DecodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		// The plate's box in the detector's 640 x 640 input.
		lb := frame.LetterboxTensor(640, 640)
		x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, p := range m.Quad {
			x0, y0 = min(x0, p[0]), min(y0, p[1])
			x1, y1 = max(x1, p[0]), max(y1, p[1])
		}
		toIn := func(v float64, pad int) float32 { return float32(v/lb.Scale + float64(pad)) }
		box := [4]float32{(toIn(x0, lb.PadX) + toIn(x1, lb.PadX)) / 2, (toIn(y0, lb.PadY) + toIn(y1, lb.PadY)) / 2,
			float32((x1 - x0) / lb.Scale), float32((y1 - y0) / lb.Scale)}
		model := filepath.Join(t.TempDir(), "plates.onnx")
		if err := os.WriteFile(model, onnxgen.TinyDetector(640, "v8", [][4]float32{box}, 2), 0o600); err != nil {
			t.Fatal(err)
		}
		e := testEngines(t, Options{PlateModel: model, PlateLayout: "v8"})
		s := &Scene{Frame: frame, Eng: e}
		recs, err := PlateBuilder{}.Build(context.Background(), s)
		frame.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Regions) == 0 || s.Regions[0].Source != sourcePlateDetector {
			t.Fatalf("%s: no detector region: %+v", m.File, s.Regions)
		}
		if len(recs) == 0 {
			for _, r := range s.Regions {
				t.Logf("region %v read %q", r.Quad, r.Text)
			}
			t.Errorf("%s: no plate from the detector's box", m.File)
			continue
		}
		if p := recs[0].(*plates.Record); p.Text != m.Truth.Plate {
			t.Errorf("%s: read %q, want %q", m.File, p.Text, m.Truth.Plate)
		}
	}
}

func TestPlateQuads(t *testing.T) {
	one := plateQuads(geom.Point{100, 100}, geom.Point{300, 150})
	if len(one) != 1 || one[0][0] != (geom.Point{94, 96}) || one[0][2] != (geom.Point{306, 154}) {
		t.Errorf("one-line plate: %v", one)
	}
	if two := plateQuads(geom.Point{0, 0}, geom.Point{100, 80}); len(two) != 3 || two[1][2][1] >= two[2][2][1] {
		t.Errorf("two-line plate: %v", two)
	}
	if none := plateQuads(geom.Point{0, 0}, geom.Point{2, 50}); none != nil {
		t.Errorf("degenerate box: %v", none)
	}
}

// plateSample is the test engines, the first plate sample and its decoded
// frame (the caller closes it).
func plateSample(t *testing.T) (*Engines, sample, *preprocess.Frame) {
	t.Helper()
	e := testEngines(t, Options{})
	m := samples(t, "plate")[0]
	frame, err := preprocess.Decode(context.Background(), m.Data, preprocess.DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return e, m, frame
}

// TestPlateTesseractSecondEngine gives the builder a plate region whose
// PP-OCR reading is garbage: the plate must come from the Tesseract
// reading of the same region, ranked by the grammar.
func TestPlateTesseractSecondEngine(t *testing.T) {
	e, m, frame := plateSample(t)
	defer frame.Close()
	s := &Scene{Frame: frame, Eng: e, Regions: []Region{{Quad: m.Quad, DetScore: 0.9, Read: true, Text: "QQQQQ1Q99", Conf: 0.4, Engine: "ppocr"}}}
	recs, err := PlateBuilder{}.Build(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 {
		t.Fatalf("got %d records", len(recs))
	}
	if p := recs[0].(*plates.Record); p.Text != m.Truth.Plate {
		t.Errorf("%s: read %q, want %q", m.File, p.Text, m.Truth.Plate)
	}
}

// TestPlateNotReadOnDocument: the plate builder, which runs after the
// document builder, leaves unread the print of a document of known type
// (a plate read there would be dropped), and still reads a plate beside
// it or on a document of unknown type (which may be the plate's own
// rectangle). The builders run in that order.
func TestPlateNotReadOnDocument(t *testing.T) {
	if b := DefaultBuilders(); len(b) != 3 || b[1].Kind() != "document" || b[2].Kind() != "plate" {
		t.Fatalf("builders %v: the document builder must run before the plate builder", b)
	}
	e, m, frame := plateSample(t)
	defer frame.Close()
	over := scaleQuad(m.Quad, 3) // a card around the plate
	beside := over               // the same card moved off it
	for i := range beside {
		beside[i][0] += 4 * m.Quad.Width()
	}
	for _, c := range []struct {
		name string
		doc  *documents.Record
		want bool // the plate is read
	}{
		{"no document", nil, true},
		{"on a licence", &documents.Record{DocumentType: documents.DrivingLicence, Quad: over}, false},
		{"on an ID card", &documents.Record{DocumentType: documents.IDCard, Quad: over}, false},
		{"on a document of unknown type", &documents.Record{DocumentType: documents.Unknown, Quad: over}, true},
		{"beside a licence", &documents.Record{DocumentType: documents.DrivingLicence, Quad: beside}, true},
	} {
		s := &Scene{Frame: frame, Eng: e, Regions: []Region{{Quad: m.Quad, DetScore: 0.9}}}
		if c.doc != nil {
			s.Records = []Record{c.doc}
		}
		recs, err := PlateBuilder{}.Build(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		read := false
		for _, r := range recs {
			if p, ok := r.(*plates.Record); ok && p.Text == m.Truth.Plate {
				read = true
			}
		}
		if read != c.want || s.Regions[0].Read != c.want {
			t.Errorf("%s: plate read %v (region read %v), want %v", c.name, read, s.Regions[0].Read, c.want)
		}
	}
}

// TestBlankBelow: the band above a finder line is left unread where the
// line was read without a plate character (whichever way up); a line with
// one, a line not read yet and a region that is no band are read.
func TestBlankBelow(t *testing.T) {
	line := geom.Quad{{100, 200}, {200, 200}, {200, 230}, {100, 230}}
	band := geom.Quad{{100, 170}, {200, 170}, {200, 200}, {100, 200}}
	cases := []struct {
		name string
		text string
		read bool
		band bool
		want bool
	}{
		{"sign print", "电装", true, true, true},
		{"nothing read", "", true, true, true},
		{"marks only", "#·", true, true, true},
		{"a plate line", "K 6494", true, true, false},
		{"one letter", "电S", true, true, false},
		{"an umlaut", "Ü", true, true, false},
		{"line not read", "", false, true, false},
		{"no band", "", true, false, false},
	}
	for _, c := range cases {
		r := Region{Quad: band, Source: sourcePlateLines}
		if c.band {
			r.under = &line
		}
		s := &Scene{Regions: []Region{{Quad: line, Source: sourcePlateLines}, r}}
		if c.read {
			// read as Scene.Read leaves it: turned over, its quad too
			s.readings = map[readKey]Region{{line, false}: {Quad: line.Rotate180(), Angle: 180, Text: c.text, Read: true}}
		}
		if got := blankBelow(s, s.Regions[1]); got != c.want {
			t.Errorf("%s: blankBelow %v, want %v", c.name, got, c.want)
		}
	}
}
