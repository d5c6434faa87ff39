package pipeline

import (
	"image"
	"image/color"
	"testing"

	"github.com/disintegration/imaging"

	"docscan/models"
)

// blurredLine is umlautLine's text blurred by sigma pixels, as a blurred
// card's name prints at the recognizer's line height.
func blurredLine(t *testing.T, text string, top int, sigma float64) (*image.Gray, []models.Char) {
	t.Helper()
	img, chars := umlautLine(t, text, top, nil)
	return blurGray(img, sigma), chars
}

// blurGray is img blurred by a Gaussian of sigma pixels, in gray.
func blurGray(img image.Image, sigma float64) *image.Gray {
	b := imaging.Blur(img, sigma)
	g := image.NewGray(img.Bounds())
	for y := 0; y < g.Bounds().Dy(); y++ {
		for x := 0; x < g.Bounds().Dx(); x++ {
			g.SetGray(x, y, color.GrayModel.Convert(b.At(x, y)).(color.Gray))
		}
	}
	return g
}

// TestDarkDots (cardDots): the dots of a blurred JÄGER are grey, lighter than the
// ink threshold of the letters' cores; their darkness over the A's column
// tells them. JAGER printed without dots, and a line over the whole name
// (a label's underline, a shadow's edge), have none.
func TestDarkDots(t *testing.T) {
	const top = 24
	img, chars := blurredLine(t, "JÄGER", top, 3)
	if d := cardDots(newPlateLine(img, top, chars), []int{1}); !d[1] {
		t.Errorf("blurred JÄGER: no dots over the Ä")
	}
	img, chars = blurredLine(t, "JAGER", top, 3)
	if d := cardDots(newPlateLine(img, top, chars), []int{1}); len(d) != 0 {
		t.Errorf("blurred JAGER: dots at %v", d)
	}
	img, chars = umlautLine(t, "KOHLER", top, nil)
	lineAcross(img, top)
	if d := cardDots(newPlateLine(img, top, chars), []int{1}); len(d) != 0 {
		t.Errorf("a line over the name taken for dots: %v", d)
	}
}

// TestDotValue: a value read without its dots gets them from its line's
// print, only where they are printed, and only where its letters are found
// once in the reading.
func TestDotValue(t *testing.T) {
	for _, c := range []struct {
		printed, value, want string
		ok                   bool
	}{
		{"KÖHLER", "KOHLER", "KÖHLER", true},
		{"KOHLER", "KOHLER", "", false},
		{"MÜLLER", "MULLER", "MÜLLER", true},
		{"JÖRG JÖRG", "JORG", "", false}, // twice in the line
	} {
		line, chars := blurredLine(t, c.printed, 16, 2)
		f, q := linePhoto(t, line, 16)
		got, ok := dotValue(f, q, models.Text{Chars: chars}, c.value)
		if got != c.want || ok != c.ok {
			t.Errorf("%s read %s: %q, %v; want %q, %v", c.printed, c.value, got, ok, c.want, c.ok)
		}
		f.Close()
	}
}
