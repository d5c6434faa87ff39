package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"docscan/geom"
	"docscan/models/tesseract"
	"docscan/ocr"
	"docscan/preprocess"
)

// realManifest is the shared photo set, read in place.
const realManifest = "../../shared/data/manifest.json"

// realMRZ lists the MRZ photos of the shared set with their truth lines; the
// test is skipped with a message when the set is absent.
func realMRZ(t *testing.T) (dir string, files []string, truth [][]string) {
	t.Helper()
	b, err := os.ReadFile(realManifest)
	if err != nil {
		t.Skipf("real photo set absent (%v): nothing to measure", err)
	}
	var entries []struct {
		File  string `json:"file"`
		Kind  string `json:"kind"`
		Truth struct {
			MRZ json.RawMessage `json:"mrz"` // a string on other kinds
		} `json:"truth"`
	}
	if err := json.Unmarshal(b, &entries); err != nil {
		t.Fatal(err)
	}
	for _, en := range entries {
		var lines []string
		if en.Kind != "mrz" || json.Unmarshal(en.Truth.MRZ, &lines) != nil || len(lines) == 0 {
			continue
		}
		files = append(files, en.File)
		truth = append(truth, lines)
	}
	return filepath.Dir(realManifest), files, truth
}

// mrzLineQuads runs the pipeline's detection and MRZ search on one photo
// and returns the quads of the MRZ lines it settled on, at the common
// extent the builder re-reads them with (nil when no zone was found).
func mrzLineQuads(ctx context.Context, e *Engines, f *preprocess.Frame) ([]geom.Quad, error) {
	t := f.DetTensor(e.opt.DetSide)
	dets, err := e.Det.Detect(ctx, t.Data, t.W, t.H, t.ScaleX, t.ScaleY)
	if err != nil {
		return nil, err
	}
	s := &Scene{Frame: f, Kind: "mrz", Eng: e, Regions: make([]Region, len(dets))}
	for i, d := range dets {
		s.Regions[i] = Region{Quad: d.Quad, DetScore: d.Score}
	}
	best, fr, err := MRZBuilder{}.search(ctx, s)
	if err != nil {
		return nil, err
	}
	if best == nil || !best.rec.Valid {
		if ran, err := s.Refine(ctx); err != nil {
			return nil, err
		} else if ran {
			b2, f2, err := MRZBuilder{}.search(ctx, s)
			if err != nil {
				return nil, err
			}
			if b2 != nil && (best == nil || b2.rec.Valid || len(b2.lines) > len(best.lines)) {
				best, fr = b2, f2
			}
		}
	}
	if best == nil {
		return nil, nil
	}
	a0, a1 := best.lines[0].A0, best.lines[0].A1
	for _, l := range best.lines {
		a0, a1 = min(a0, l.A0), max(a1, l.A1)
	}
	var qs []geom.Quad
	for _, l := range best.lines {
		l.A0, l.A1 = a0, a1
		qs = append(qs, fr.quad(l))
	}
	return qs, nil
}

// readerScore accumulates character accuracy and exact lines of one reader.
type readerScore struct {
	chars, errs, lines, exact int
	time                      time.Duration
}

func (s *readerScore) add(read, truth string) {
	s.chars += len(truth)
	s.errs += min(editDistance(read, truth), len(truth))
	s.lines++
	if read == truth {
		s.exact++
	}
}

func (s readerScore) acc() float64 {
	if s.chars == 0 {
		return 0
	}
	return 1 - float64(s.errs)/float64(s.chars)
}

func (s readerScore) String() string {
	out := fmt.Sprintf("%6.2f%% characters, %2d/%2d lines exact", 100*s.acc(), s.exact, s.lines)
	if s.time > 0 && s.lines > 0 {
		out += fmt.Sprintf(", %.1f ms a line", float64(s.time.Microseconds())/1000/float64(s.lines))
	}
	return out
}

// TestMRZReadersOnRealCrops measures the MRZ line readers side by side on
// the real photos: the pipeline finds the zone, and each reader reads the
// same line crops the builder reads (Tesseract: TesseractCrop; PP-OCR:
// LineCrop). Recognized text is never logged, only the scores.
//
//	go test -p 1 -run TestMRZReadersOnRealCrops -v ./pipeline/
//
// DOCSCAN_MRZ_TRAINEDDATA=path scores another OCR-B model in place of the
// committed one (a training checkpoint); DOCSCAN_MRZ_CROPS=1 writes the
// Tesseract crops under out/mrz-crops (git-ignored) for inspection.
func TestMRZReadersOnRealCrops(t *testing.T) {
	dir, files, truth := realMRZ(t)
	e := testEngines(t, Options{MRZTesseract: "off"})
	eng, err := ocr.NewSymbolReader(ocr.SymbolOptions{Language: "eng"})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	model, data := "embedded "+tesseract.MRZName, tesseract.MRZ
	if p := os.Getenv("DOCSCAN_MRZ_TRAINEDDATA"); p != "" {
		if data, err = os.ReadFile(p); err != nil {
			t.Fatal(err)
		}
		model = p
	}
	own, err := ocr.NewSymbolReader(ocr.SymbolOptions{Language: tesseract.MRZName, Data: data})
	if err != nil {
		t.Fatal(err)
	}
	defer own.Close()
	dump := os.Getenv("DOCSCAN_MRZ_CROPS") == "1"
	if dump {
		if err := os.MkdirAll("../out/mrz-crops", 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	var sEng, sOwn, sPP, sCells, sMergedEng, sMergedOwn readerScore
	located := 0
	wl := ocr.LineOptions{Whitelist: mrzChars}
	for i, file := range files {
		data, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		f, err := preprocess.Decode(ctx, data, e.opt.Decode)
		if err != nil {
			t.Fatal(err)
		}
		qs, err := mrzLineQuads(ctx, e, f)
		if err != nil {
			f.Close()
			t.Fatal(err)
		}
		if len(qs) != len(truth[i]) {
			t.Logf("%s: zone of %d lines found, %d printed: not scored", file, len(qs), len(truth[i]))
			f.Close()
			continue
		}
		located++
		for k, q := range qs {
			want := truth[i][k]
			g, err := TesseractCrop(f, q)
			if err != nil {
				f.Close()
				t.Fatal(err)
			}
			if dump {
				w, err := os.Create(fmt.Sprintf("../out/mrz-crops/%02d-%d.png", i, k))
				if err != nil {
					t.Fatal(err)
				}
				_ = png.Encode(w, g)
				w.Close()
			}
			t0 := time.Now()
			le, err := eng.ReadLine(ctx, g, wl)
			sEng.time += time.Since(t0)
			if err != nil {
				t.Fatal(err)
			}
			sEng.add(le.Text, want)
			t0 = time.Now()
			lo, err := own.ReadLine(ctx, g, wl)
			sOwn.time += time.Since(t0)
			if err != nil {
				t.Fatal(err)
			}
			sOwn.add(lo.Text, want)
			t0 = time.Now()
			c, err := e.LineCrop(f, q)
			if err != nil {
				t.Fatal(err)
			}
			o, err := e.Rec.Infer(ctx, c)
			sPP.time += time.Since(t0)
			if err != nil {
				t.Fatal(err)
			}
			gr := o.Greedy(e.mrzCharset())
			sPP.add(gr.Text, want)
			cl := o.Cells(e.mrzCharset(), gr, len(want))
			sCells.add(cl.Text, want)
			me, _ := mergeReadings(ocrLine(cl), tessLine(le), tessWeight)
			sMergedEng.add(me.Text, want)
			mo, _ := mergeReadings(ocrLine(cl), tessLine(lo), tessWeight)
			sMergedOwn.add(mo.Text, want)
		}
		f.Close()
	}
	t.Logf("%d of %d photos: zone located with the printed line count", located, len(files))
	t.Logf("tesseract eng (MRZ whitelist): %s", sEng)
	t.Logf("tesseract mrz (%s): %s", model, sOwn)
	t.Logf("PP-OCRv4 greedy (MRZ alphabet): %s", sPP)
	t.Logf("PP-OCRv4 fixed-pitch cells:     %s", sCells)
	t.Logf("cells mixed with eng (argmax):    %s", sMergedEng)
	t.Logf("cells mixed with mrz (argmax):   %s", sMergedOwn)
	if located < len(files)/2 {
		t.Errorf("zone located in only %d of %d photos", located, len(files))
	}
	if sEng.acc() < 0.5 || sPP.acc() < 0.8 {
		t.Errorf("reader collapsed: eng %.3f, ppocr %.3f", sEng.acc(), sPP.acc())
	}
	// The pipeline reads with the project's model because it beats eng
	// here; a model that does not must not be committed.
	if os.Getenv("DOCSCAN_MRZ_TRAINEDDATA") == "" && sOwn.acc() <= sEng.acc() {
		t.Errorf("the OCR-B model reads %.2f%% of characters, eng %.2f%%: make eng the default", 100*sOwn.acc(), 100*sEng.acc())
	}
}
