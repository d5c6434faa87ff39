package pipeline

import (
	"image"
	"image/color"
	"image/draw"
	"math/rand/v2"
	"testing"

	"docscan/geom"
	"docscan/preprocess"
	"docscan/synth"
)

// TestBandIn: a run of band blue of about half the box's height, with
// another colour before it, is the band; a speck, a run as wide as the
// strip's start (a blue car), a wide run, sky-like grey blue and a white
// strip are not.
func TestBandIn(t *testing.T) {
	const w, h = 40, 24
	boxH := float64(h) / (1 + 2*bandPad)
	euBlue := color.RGBA{0, 51, 153, 255}
	cases := []struct {
		name   string
		x0, x1 int
		c      color.RGBA
		car    int // columns of a blue car's body from the strip's start
		want   bool
	}{
		{"band", 10, 20, euBlue, 0, true},
		{"band in the shade", 10, 20, color.RGBA{0, 20, 61, 255}, 0, true},
		{"band at night", 10, 20, color.RGBA{3, 15, 42, 255}, 0, true},
		{"black", 10, 20, color.RGBA{0, 0, 20, 255}, 0, false},
		{"band at the strip's end", 30, 40, euBlue, 0, true},
		{"speck", 10, 12, euBlue, 0, false},
		{"blue car from the strip's start", 0, 12, euBlue, 0, false},
		{"blue car, a lighter column, the band", 7, 17, euBlue, 5, false},
		{"wide blue", 5, 35, euBlue, 0, false},
		{"grey blue", 10, 20, color.RGBA{120, 140, 170, 255}, 0, false},
		{"none", 0, 0, euBlue, 0, false},
	}
	for _, c := range cases {
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.Draw(img, img.Bounds(), image.NewUniform(color.RGBA{235, 235, 230, 255}), image.Point{}, draw.Src)
		draw.Draw(img, image.Rect(c.x0, 0, c.x1, h), image.NewUniform(c.c), image.Point{}, draw.Src)
		draw.Draw(img, image.Rect(0, 0, c.car, h), image.NewUniform(euBlue), image.Point{}, draw.Src)
		if got := bandIn(img, boxH); got != c.want {
			t.Errorf("%s: band %v, want %v", c.name, got, c.want)
		}
	}
}

// TestEuBand: before the print of a rendered German plate in a photo the
// band is seen; with the band painted over (an American plate's plain
// end) it is not.
func TestEuBand(t *testing.T) {
	fs, err := synth.LoadFonts("")
	if err != nil {
		t.Skipf("fonts not installed (make deps): %v", err)
	}
	p := synth.RenderPlate(rand.New(rand.NewPCG(1, 2)), fs, synth.PlateParts{District: "B", Letters: "MW", Digits: "1234"}, false, 1, 0.5)
	f, q := platePhoto(t, p.Image, false)
	if !euBand(f, q) {
		t.Errorf("band not seen before %v", q)
	}
	f, q = platePhoto(t, p.Image, true)
	if euBand(f, q) {
		t.Errorf("band seen on a plate without one, before %v", q)
	}
}

// platePhoto places plate (optionally with its band painted over in the
// plate's white) in a grey photo, decoded as a scan's frame, and returns
// the frame and the box of the plate's print (its dark ink off the plate's
// rim), as the text detector boxes it.
func platePhoto(t *testing.T, plate *image.RGBA, noBand bool) (*preprocess.Frame, geom.Quad) {
	t.Helper()
	pw, ph := plate.Bounds().Dx(), plate.Bounds().Dy()
	scene := image.NewRGBA(image.Rect(0, 0, pw+120, ph+100))
	draw.Draw(scene, scene.Bounds(), image.NewUniform(color.RGBA{90, 90, 95, 255}), image.Point{}, draw.Src)
	at := image.Pt(60, 50)
	draw.Draw(scene, plate.Bounds().Add(at), plate, image.Point{}, draw.Over)
	rim := ph / 10 // the border and the band's margin, 11 mm of 110
	if noBand {
		band := image.Rect(at.X+2, at.Y+rim/2, at.X+pw*45/520, at.Y+ph-rim/2)
		draw.Draw(scene, band, image.NewUniform(color.RGBA{246, 246, 242, 255}), image.Point{}, draw.Src)
	}
	x0, y0, x1, y1 := pw, ph, 0, 0
	for y := rim; y < ph-rim; y++ {
		for x := pw * 50 / 520; x < pw-rim; x++ {
			c := plate.RGBAAt(x, y)
			if c.A > 0 && c.R < 90 && c.G < 90 && c.B < 90 {
				x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
			}
		}
	}
	if x1 <= x0 || y1 <= y0 {
		t.Fatal("no print on the rendered plate")
	}
	f := photoFrame(t, scene)
	t.Cleanup(func() { f.Close() })
	pad := 0.1 * float64(y1-y0)
	l, tp := float64(at.X+x0)-pad, float64(at.Y+y0)-pad
	r, b := float64(at.X+x1)+pad, float64(at.Y+y1)+pad
	return f, geom.Quad{{l, tp}, {r, tp}, {r, b}, {l, b}}
}
