package pipeline

import (
	"image"
	"image/color"
	"image/draw"
	"testing"

	"docscan/models"
)

// TestGlyphBefore: on a line crop 48 rows high, unread print before the
// first read character is a glyph-wide run of dark columns after the
// blue band, ending before the run at the character's centre, or that
// run holding two glyphs; the band's edge, a thin rim and the dark
// surround at the crop's start are not.
func TestGlyphBefore(t *testing.T) {
	const hh = 48
	band := color.RGBA{0, 51, 153, 255}
	ink := color.RGBA{30, 30, 30, 255}
	type block struct {
		x0, x1 int
		c      color.RGBA
		full   bool // all rows (the band, a car body), else the glyph rows
	}
	cases := []struct {
		name   string
		blocks []block
		centre float64
		want   bool
	}{
		{"band, then the first read glyph", []block{{5, 15, band, true}, {30, 52, ink, false}}, 41, false},
		{"a glyph before the first read one", []block{{5, 15, band, true}, {22, 40, ink, false}, {46, 68, ink, false}}, 57, true},
		{"two glyphs run together", []block{{5, 15, band, true}, {18, 75, ink, false}}, 66, true},
		{"a wide glyph read late", []block{{5, 15, band, true}, {20, 52, ink, false}}, 44, false},
		{"the plate's rim", []block{{5, 15, band, true}, {20, 22, ink, true}, {30, 52, ink, false}}, 41, false},
		{"a dark body from the crop's start", []block{{0, 10, ink, true}, {20, 42, ink, false}}, 31, false},
		{"no band, a glyph before", []block{{4, 24, ink, false}, {30, 52, ink, false}}, 41, true},
	}
	for _, c := range cases {
		img := image.NewRGBA(image.Rect(0, 0, 120, hh))
		draw.Draw(img, img.Bounds(), image.NewUniform(color.RGBA{235, 235, 230, 255}), image.Point{}, draw.Src)
		for _, b := range c.blocks {
			y0, y1 := 0, hh
			if !b.full {
				y0, y1 = 8, 40
			}
			draw.Draw(img, image.Rect(b.x0, y0, b.x1, y1), image.NewUniform(b.c), image.Point{}, draw.Src)
		}
		if got := glyphBefore(img, c.centre, hh); got != c.want {
			t.Errorf("%s: glyphBefore = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestPrintBeforeJunk: a character read as no plate's before the first
// plate character (the K of KS read '#') is unread print, without a look
// at the photo.
func TestPrintBeforeJunk(t *testing.T) {
	r := Region{Engine: "ppocr", Text: "#S.", Chars: []models.Char{{Char: "#", Prob: 0.4}, {Char: "S", Prob: 0.9}, {Char: ".", Prob: 0.6}}}
	if !printBefore(nil, r) {
		t.Error("a reading starting with '#' has no unread print before it")
	}
	if printBefore(nil, Region{Engine: "tesseract", Text: "#S", Chars: r.Chars}) {
		t.Error("a reading without PP-OCR's characters is judged")
	}
}
