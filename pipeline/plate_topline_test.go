package pipeline

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"testing"

	"docscan/geom"
	"docscan/models"
)

// TestLastIsPrint: an unsure last character of a line is print when its
// ink is as tall and as colourless as the sure characters'; a coloured
// sticker of a letter's height and a seal's small dark centre are not.
func TestLastIsPrint(t *testing.T) {
	black := color.RGBA{30, 30, 30, 255}
	cases := []struct {
		name string
		last image.Rectangle
		c    color.RGBA
		want bool
	}{
		{"a letter read unsure", image.Rect(220, 67, 250, 103), black, true},
		{"a red sticker", image.Rect(220, 67, 250, 103), color.RGBA{160, 40, 40, 255}, false},
		{"a seal's dark centre", image.Rect(228, 78, 242, 92), black, false},
	}
	for _, c := range cases {
		img := image.NewRGBA(image.Rect(0, 0, 400, 200))
		draw.Draw(img, img.Bounds(), image.NewUniform(color.RGBA{235, 235, 230, 255}), image.Point{}, draw.Src)
		for _, x := range []int{60, 110, 160} {
			draw.Draw(img, image.Rect(x, 67, x+30, 103), image.NewUniform(black), image.Point{}, draw.Src)
		}
		draw.Draw(img, c.last, image.NewUniform(c.c), image.Point{}, draw.Src)
		f := photoFrame(t, img)
		box := geom.Quad{{50, 60}, {290, 60}, {290, 110}, {50, 110}}
		span := func(x0, x1 int) (float64, float64) { return float64(x0-50) / 240, float64(x1-50) / 240 }
		var chars []models.Char
		for i, x := range []int{60, 110, 160, 220} {
			a, b := span(x, x+30)
			p := 0.95
			if i == 3 {
				p = 0.3
			}
			chars = append(chars, models.Char{Char: "D", Prob: p, X0: a, X1: b})
		}
		r := Region{Quad: box, Engine: "ppocr", Text: "DDDD", Chars: chars}
		if got := lastIsPrint(f, r); got != c.want {
			t.Errorf("%s: lastIsPrint = %v, want %v", c.name, got, c.want)
		}
		sure := r
		sure.Chars = append([]models.Char(nil), chars...)
		sure.Chars[3].Prob = 0.9
		if lastIsPrint(f, sure) {
			t.Errorf("%s: a sure last character is judged", c.name)
		}
		f.Close()
	}
}

// TestTwoLineQuad: a two-line plate's box runs each edge along its own
// line, as far as the wider line reaches.
func TestTwoLineQuad(t *testing.T) {
	near := func(a, b geom.Quad) bool {
		for i := range a {
			if math.Hypot(a[i][0]-b[i][0], a[i][1]-b[i][1]) > 1e-9 {
				return false
			}
		}
		return true
	}
	top := geom.Quad{{10, 0}, {30, 0}, {30, 10}, {10, 10}}
	bottom := geom.Quad{{0, 12}, {40, 12}, {40, 22}, {0, 22}}
	if got, want := twoLineQuad(top, bottom), (geom.Quad{{0, 0}, {40, 0}, {40, 22}, {0, 22}}); !near(got, want) {
		t.Errorf("narrow district: %v, want %v", got, want)
	}
	wide := geom.Quad{{-5, 0}, {45, 0}, {45, 10}, {-5, 10}}
	if got, want := twoLineQuad(wide, bottom), (geom.Quad{{-5, 0}, {45, 0}, {45, 22}, {-5, 22}}); !near(got, want) {
		t.Errorf("wide top line: %v, want %v", got, want)
	}
}
