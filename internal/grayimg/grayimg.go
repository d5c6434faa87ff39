// Package grayimg holds the small pure-Go pixel helpers that the pipeline,
// the synthetic generators and the MRZ training-line cutter must share, so
// that training crops are cut exactly as the pipeline cuts them.
package grayimg

import "image"

// Pad surrounds g with a border of m pixels of its top-left pixel's value
// (the background next to a tight text crop), so Tesseract sees margins.
func Pad(g *image.Gray, m int) *image.Gray {
	b := g.Bounds()
	out := image.NewGray(image.Rect(0, 0, b.Dx()+2*m, b.Dy()+2*m))
	bg := g.GrayAt(b.Min.X, b.Min.Y).Y
	for i := range out.Pix {
		out.Pix[i] = bg
	}
	for y := 0; y < b.Dy(); y++ {
		copy(out.Pix[(y+m)*out.Stride+m:], g.Pix[g.PixOffset(b.Min.X, b.Min.Y+y):g.PixOffset(b.Max.X, b.Min.Y+y)])
	}
	return out
}

// Clamp8 rounds v to the nearest byte value, clamped to 0..255.
func Clamp8(v float64) uint8 {
	if v <= 0 {
		return 0
	}
	if v >= 255 {
		return 255
	}
	return uint8(v + 0.5)
}
