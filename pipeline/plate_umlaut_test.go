package pipeline

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strings"
	"testing"

	"docscan/geom"
	"docscan/models"
	"docscan/plates"
	"docscan/preprocess"
	"docscan/synth"
)

// umlautLine draws text in the plate font on a light field of width w and
// height 48+top, the capitals 32 pixels high in the box's rows [top,
// top+48), and returns it with the characters' centres as a reading's
// positions. glyph, where given, draws the character at index k itself.
func umlautLine(t testing.TB, text string, top int, glyph func(img *image.Gray, k int, x0, x1, capTop, base float64) bool) (*image.Gray, []models.Char) {
	t.Helper()
	fs, err := synth.LoadFonts("")
	if err != nil {
		t.Skipf("fonts not installed (make deps): %v", err)
	}
	size := 32 / synth.CapHeight(fs.DIN)
	rs := []rune(text)
	w := 20 + int(synth.TextWidth(fs.DIN, size, text)) + 20
	img := image.NewGray(image.Rect(0, 0, w, top+48))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.Gray{Y: 225}), image.Point{}, draw.Src)
	base := float64(top + 40)
	x := 20.0
	var chars []models.Char
	for k, r := range rs {
		adv := synth.TextWidth(fs.DIN, size, string(r))
		if glyph == nil || !glyph(img, k, x, x+adv, base-32, base) {
			synth.DrawText(img, fs.DIN, size, x, base, string(r), color.Gray{Y: 30})
		}
		c := (x + adv/2) / float64(w)
		chars = append(chars, models.Char{Char: string(r), Prob: 0.9, X0: c - 0.01, X1: c + 0.01})
		x += adv
	}
	return img, chars
}

// lineAcross draws a dark line over the whole of a line image, just above
// its capitals (top is umlautLine's): a frame, an underline, a shadow's
// edge.
func lineAcross(img *image.Gray, top int) {
	for x := 0; x < img.Bounds().Dx(); x++ {
		for y := top + 2; y < top+5; y++ {
			img.SetGray(x, y, color.Gray{Y: 30})
		}
	}
}

func TestDotsAbove(t *testing.T) {
	const top = 24
	// DIN's dots above the capitals: the Ö's column, not the O's.
	img, chars := umlautLine(t, "BÖU79", top, nil)
	if d := dotsAbove(newPlateLine(img, top, chars), []int{1, 2}); !d[1] || d[2] || len(d) != 1 {
		t.Errorf("BÖU79: dots at %v, want at 1 only", d)
	}
	img, chars = umlautLine(t, "BOU79", top, nil)
	if d := dotsAbove(newPlateLine(img, top, chars), []int{1, 2}); len(d) != 0 {
		t.Errorf("BOU79: dots at %v", d)
	}
	img, chars = umlautLine(t, "MÜR12", top, nil)
	if d := dotsAbove(newPlateLine(img, top, chars), []int{1}); !d[1] {
		t.Errorf("MÜR12: no dots over the Ü")
	}
	// The FE-Schrift: a shortened O with its dots inside the capitals'
	// height.
	fs, _ := synth.LoadFonts("")
	fe := func(img *image.Gray, k int, x0, x1, capTop, base float64) bool {
		if k != 1 {
			return false
		}
		size := 24 / synth.CapHeight(fs.DIN)
		ow := synth.TextWidth(fs.DIN, size, "O")
		synth.DrawText(img, fs.DIN, size, (x0+x1-ow)/2, base, "O", color.Gray{Y: 30})
		cx := (x0 + x1) / 2
		for _, dx := range []float64{-5, 3} {
			r := image.Rect(int(cx+dx), int(capTop), int(cx+dx)+3, int(capTop)+3)
			draw.Draw(img, r, image.NewUniform(color.Gray{Y: 30}), image.Point{}, draw.Src)
		}
		return true
	}
	img, chars = umlautLine(t, "BOU79", top, fe)
	if d := dotsAbove(newPlateLine(img, top, chars), []int{1}); !d[1] {
		t.Errorf("FE-Schrift Ö: no dots found")
	}
	// A dark line over the whole plate (its frame, a shadow's edge) is
	// no umlaut: the other characters have it too.
	img, chars = umlautLine(t, "BOU79", top, nil)
	lineAcross(img, top)
	if d := dotsAbove(newPlateLine(img, top, chars), []int{1}); len(d) != 0 {
		t.Errorf("a line over the plate taken for dots: %v", d)
	}
	// The frame's stroke right above the dots (a plate boxed tight:
	// BÖ V2756 read BO V2756): the band starts below it.
	for _, c := range []struct {
		text string
		dots bool
	}{{"BÖU79", true}, {"BOU79", false}} {
		img, chars = umlautLine(t, c.text, top, nil)
		frameAbove(img, top)
		if d := dotsAbove(newPlateLine(img, top, chars), []int{1, 2}); d[1] != c.dots || d[2] {
			t.Errorf("%s under a near frame: dots at %v", c.text, d)
		}
	}
}

// frameAbove draws the frame's stroke over the whole of a line image
// (top is umlautLine's) ending just above an umlaut's dots.
func frameAbove(img *image.Gray, top int) {
	for x := 0; x < img.Bounds().Dx(); x++ {
		for y := top - 3; y < top+1; y++ {
			img.SetGray(x, y, color.Gray{Y: 30})
		}
	}
}

// TestDottedPlate: BO-U 79 read from a plate printed BÖ-U 79 (the
// recognizer has no Ö, and both districts exist) comes out BÖ-U 79; the
// same plate printed without dots stays BO-U 79.
func TestDottedPlate(t *testing.T) {
	for _, c := range []struct{ printed, want string }{{"BÖU79", "BÖU79"}, {"BOU79", "BOU79"}} {
		f, r, reading, rec := printedPlate(t, c.printed, "BO U79")
		b := PlateBuilder{}
		got := b.dotted(regionLine(f, r), reading, rec)
		if got.Text != c.want || got.Parts.District != string([]rune(c.want)[:2]) {
			t.Errorf("printed %s: %s (%s), want %s", c.printed, got.Text, got.Display, c.want)
		}
		f.Close()
	}
}

// TestDottedResplit: dots over the U of KU-NF 63 make the longer district
// KÜN (Künzelsau; there is no KÜ): KÜN-F 63. Undotted, it stays KU-NF 63.
func TestDottedResplit(t *testing.T) {
	for _, c := range []struct{ printed, want, district string }{{"KÜNF63", "KÜNF63", "KÜN"}, {"KUNF63", "KUNF63", "KU"}} {
		f, r, reading, rec := printedPlate(t, c.printed, "KUNF63")
		if rec.Parts.District != "KU" {
			t.Fatalf("KUNF63 reads as %s", rec.Display)
		}
		got := PlateBuilder{}.dotted(regionLine(f, r), reading, rec)
		if got.Text != c.want || got.Parts.District != c.district {
			t.Errorf("printed %s: %s (%s), want %s with district %s", c.printed, got.Text, got.Display, c.want, c.district)
		}
		f.Close()
	}
}

// printedPlate is a photo of a German plate printed as printed (umlautLine's
// plate font; its light field reaches 16 pixels above the text box) and
// its region read as the text read (as many characters), with the
// reading's record; it stops the test when read is no German plate.
func printedPlate(t *testing.T, printed, read string) (*preprocess.Frame, Region, plates.Reading, *plates.Record) {
	t.Helper()
	line, chars := umlautLine(t, printed, 16, nil)
	text := strings.ReplaceAll(read, " ", "")
	for i, r := range []rune(text) {
		if i < len(chars) {
			chars[i].Char = string(r)
		}
	}
	f, q := linePhoto(t, line, 16)
	reading := plates.Reading{Text: read, Confidence: 0.9}
	rec := PlateBuilder{}.accept(reading)
	if rec == nil || rec.Text != text {
		f.Close()
		t.Fatalf("%s reads as %+v", read, rec)
	}
	return f, Region{Quad: q, Engine: "ppocr", Chars: chars, Text: text, Conf: 0.9}, reading, rec
}

// linePhoto places a line drawn by umlautLine (its text box from row top)
// in a darker photo, decoded as a scan's frame, and returns the frame and
// the text box's quad, hugging the text as the detector's boxes do.
func linePhoto(t *testing.T, line *image.Gray, top int) (*preprocess.Frame, geom.Quad) {
	t.Helper()
	scene := image.NewGray(image.Rect(0, 0, line.Bounds().Dx()+80, line.Bounds().Dy()+120))
	draw.Draw(scene, scene.Bounds(), image.NewUniform(color.Gray{Y: 90}), image.Point{}, draw.Src)
	draw.Draw(scene, line.Bounds().Add(image.Pt(40, 60)), line, image.Point{}, draw.Src)
	f := photoFrame(t, scene)
	w, y := float64(line.Bounds().Dx()), float64(60+top)
	return f, geom.Quad{{40, y}, {40 + w, y}, {40 + w, y + 48}, {40, y + 48}}
}

// photoFrame decodes img, encoded as a PNG, as a scan's frame.
func photoFrame(t *testing.T, img image.Image) *preprocess.Frame {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	f, err := preprocess.Decode(context.Background(), buf.Bytes(), preprocess.DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestDottedPair: the top line of a two-line plate, BÖ over MA151H read
// BO MA151H, has one other capital to measure by; the dots over its O
// make BÖ-MA 151H, a top line printed BO stays BO-MA 151H.
func TestDottedPair(t *testing.T) {
	const top = 24
	reading := plates.Reading{Text: "BO MA151H", Confidence: 0.9}
	rec := PlateBuilder{}.accept(reading)
	if rec == nil || rec.Text != "BOMA151H" {
		t.Fatalf("BO MA151H reads as %+v", rec)
	}
	for _, c := range []struct{ printed, want string }{{"BÖ", "BÖMA151H"}, {"BO", "BOMA151H"}} {
		img, chars := umlautLine(t, c.printed, top, nil)
		chars[1].Char = "O"
		got := PlateBuilder{}.dottedPair(newPlateLine(img, top, chars), []string{"BO", "MA151H"}, reading, rec)
		if got.Text != c.want || got.Parts.District != string([]rune(c.want)[:2]) {
			t.Errorf("top line printed %s: %s (%s), want %s", c.printed, got.Text, got.Display, c.want)
		}
	}
}
