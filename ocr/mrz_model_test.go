package ocr

import (
	"context"
	"image"
	"image/color"
	"image/draw"
	"strings"
	"testing"

	"docscan/models/tesseract"
	"docscan/synth"
)

// ocrbLine renders an MRZ line in OCR-B as the pipeline's Tesseract crop
// shows a clean print: 48 pixels high, capitals 34 high, padded by 8.
func ocrbLine(t testing.TB, text string) *image.Gray {
	t.Helper()
	fonts, err := synth.LoadFonts("")
	if err != nil {
		t.Skipf("fonts-ocr-b absent (run scripts/deps.sh): %v", err)
	}
	const capH, pitch = 34.0, 37.5
	w := int(pitch*float64(len(text))) + 16
	rgba := image.NewRGBA(image.Rect(0, 0, w, 64))
	draw.Draw(rgba, rgba.Bounds(), image.White, image.Point{}, draw.Src)
	synth.DrawFixedPitch(rgba, fonts.OCRB, text, 8, 8+24+capH/2, pitch*float64(len(text)), capH, color.Black)
	g := image.NewGray(rgba.Bounds())
	draw.Draw(g, g.Bounds(), rgba, image.Point{}, draw.Src)
	return g
}

// mrzChars is the MRZ alphabet, the readers' whitelist.
const mrzChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"

// mrzModel opens a reader of the embedded OCR-B model, closed with the test.
func mrzModel(t testing.TB, choices bool) *SymbolReader {
	t.Helper()
	r, err := NewSymbolReader(SymbolOptions{Language: tesseract.MRZName, Data: tesseract.MRZ, Choices: choices})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// TestMRZModel: the embedded OCR-B model loads from memory and reads clean
// OCR-B lines (nearly) right, with alternatives from the MRZ alphabet only.
// Its accuracy on real photos is measured by the pipeline's
// TestMRZReadersOnRealCrops.
func TestMRZModel(t *testing.T) {
	r := mrzModel(t, true)
	var chars, errs int
	for _, text := range []string{
		"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
		"L898902C36UTO7408122F1204159ZE184226B<<<<<10",
		"IDD<<T220001293<<<<<<<<<<<<<<<",
		"6408125<2010315D<<<<<<<<<<<<<4",
		"MUSTERMANN<<ERIKA<<<<<<<<<<<<<",
	} {
		l, err := r.ReadLine(context.Background(), ocrbLine(t, text), LineOptions{Whitelist: mrzChars})
		if err != nil {
			t.Fatal(err)
		}
		chars += len(text)
		errs += min(len(text), levenshtein(l.Text, text))
		for _, s := range l.Symbols {
			for _, a := range s.Alts {
				if len(a.Char) != 1 || !strings.Contains(mrzChars, a.Char) {
					t.Errorf("alternative %q outside the MRZ alphabet", a.Char)
				}
			}
		}
	}
	acc := 1 - float64(errs)/float64(chars)
	t.Logf("clean OCR-B lines: %.1f%% of characters", 100*acc)
	if acc < 0.9 {
		t.Errorf("the model reads %.1f%% of the characters of clean OCR-B lines", 100*acc)
	}
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev = cur
	}
	return prev[len(b)]
}

// TestTesseractChoices: what the choice iterator lists with each character
// the OCR-B model reads, on clean lines: besides the character read, a C
// at 0.99 or more with nearly every symbol, and often a second character
// near 1 (D with 2, S with X): not the network's odds of those characters.
// The MRZ reader therefore merges only the characters read with PP-OCR's
// (pipeline's tessLine). Should this test fail, the lists have become
// usable odds: reconsider that.
func TestTesseractChoices(t *testing.T) {
	r := mrzModel(t, true)
	var symbols, spurious int
	for _, text := range []string{
		"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
		"6408125<2010315D<<<<<<<<<<<<<4",
	} {
		l, err := r.ReadLine(context.Background(), ocrbLine(t, text), LineOptions{Whitelist: mrzChars})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range l.Symbols {
			if s.Char == "C" {
				continue
			}
			symbols++
			for _, a := range s.Alts {
				if a.Char == "C" && a.Conf >= 0.99 {
					spurious++
					break
				}
			}
		}
	}
	t.Logf("%d of %d symbols (not C) list a C at 0.99 or more", spurious, symbols)
	if symbols == 0 || spurious < symbols/2 {
		t.Errorf("only %d of %d symbols list a C at 0.99 or more", spurious, symbols)
	}
}

// TestSymbolChoicesOff: without Choices the reader reads the same
// characters with the same confidences and boxes, and lists nothing
// beside the character read (the MRZ reader uses no lists, tessLine).
func TestSymbolChoicesOff(t *testing.T) {
	with, without := mrzModel(t, true), mrzModel(t, false)
	ctx := context.Background()
	for _, text := range []string{
		"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
		"6408125<2010315D<<<<<<<<<<<<<4",
	} {
		img := ocrbLine(t, text)
		a, err := with.ReadLine(ctx, img, LineOptions{Whitelist: mrzChars})
		if err != nil {
			t.Fatal(err)
		}
		b, err := without.ReadLine(ctx, img, LineOptions{Whitelist: mrzChars})
		if err != nil {
			t.Fatal(err)
		}
		if a.Text != b.Text || len(a.Symbols) != len(b.Symbols) {
			t.Fatalf("read %q with choices, %q without", a.Text, b.Text)
		}
		lists := 0
		for i, s := range b.Symbols {
			if s.Conf != a.Symbols[i].Conf || s.Box != a.Symbols[i].Box {
				t.Errorf("symbol %d %q: confidence %.3f box %v without choices, %.3f %v with", i, s.Char, s.Conf, s.Box, a.Symbols[i].Conf, a.Symbols[i].Box)
			}
			if len(s.Alts) != 1 || s.Alts[0].Char != s.Char {
				t.Errorf("symbol %d %q: alternatives %+v without choices", i, s.Char, s.Alts)
			}
			if len(a.Symbols[i].Alts) > 1 {
				lists++
			}
		}
		if lists == 0 {
			t.Errorf("%q: no list with choices either: the comparison tells nothing", text)
		}
	}
}

// BenchmarkSymbolReader: one 44-character OCR-B line (48 px crop height)
// read by the embedded model with and without the choice lists.
func BenchmarkSymbolReader(b *testing.B) {
	img := ocrbLine(b, "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<")
	for _, choices := range []bool{true, false} {
		name := "choices"
		if !choices {
			name = "plain"
		}
		b.Run(name, func(b *testing.B) {
			r := mrzModel(b, choices)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.ReadLine(ctx, img, LineOptions{Whitelist: mrzChars}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
