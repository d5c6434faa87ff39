package synth

import (
	"image"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

type sfntFont struct{ f *opentype.Font }

func parseFont(b []byte) (fontBackend, error) {
	f, err := opentype.Parse(b)
	if err != nil {
		return nil, err
	}
	return sfntFont{f}, nil
}

func (s sfntFont) newFace(size float64) faceBackend {
	fc, err := opentype.NewFace(s.f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nilFace{}
	}
	return sfntFace{fc}
}

type sfntFace struct{ fc font.Face }

func fx(v float64) fixed.Int26_6 { return fixed.Int26_6(math.Round(v * 64)) }
func fl(v fixed.Int26_6) float64 { return float64(v) / 64 }

func (s sfntFace) glyph(x, y float64, r rune) (image.Rectangle, image.Image, image.Point, float64, bool) {
	dr, m, mp, adv, ok := s.fc.Glyph(fixed.Point26_6{X: fx(x), Y: fx(y)}, r)
	return dr, m, mp, fl(adv), ok
}

func (s sfntFace) bounds(r rune) (minX, minY, maxX, maxY, adv float64, ok bool) {
	b, a, ok := s.fc.GlyphBounds(r)
	return fl(b.Min.X), fl(b.Min.Y), fl(b.Max.X), fl(b.Max.Y), fl(a), ok
}

type nilFace struct{}

func (nilFace) glyph(x, y float64, r rune) (image.Rectangle, image.Image, image.Point, float64, bool) {
	return image.Rectangle{}, nil, image.Point{}, 0, false
}
func (nilFace) bounds(r rune) (minX, minY, maxX, maxY, adv float64, ok bool) { return }
