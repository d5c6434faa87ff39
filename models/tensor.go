package models

import (
	"image"
	"image/draw"
)

// chw48 writes img (height 48 expected; other heights are not rescaled) into a
// 1x3x48xW tensor with PaddleOCR's recognition normalization ((v/255-0.5)/0.5)
// in BGR order, left-aligned and zero-padded to width padW.
func chw48(img image.Image, padW int) []float32 { return chw48Into(nil, img, padW) }

// chw48Into is chw48 written into dst where it is large enough (reused
// between runs, it stays resident), else into a new slice.
func chw48Into(dst []float32, img image.Image, padW int) []float32 {
	b := img.Bounds()
	rgba, ok := img.(*image.RGBA)
	if !ok || rgba.Bounds().Min != (image.Point{}) {
		rgba = image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
		draw.Draw(rgba, rgba.Bounds(), img, b.Min, draw.Src)
	}
	const h = 48
	w := min(b.Dx(), padW)
	rows := min(b.Dy(), h)
	out := dst[:0]
	if n := 3 * h * padW; cap(out) >= n {
		out = out[:n]
		clear(out)
	} else {
		out = make([]float32, n)
	}
	plane := h * padW
	for y := 0; y < rows; y++ {
		row := rgba.Pix[y*rgba.Stride:]
		for x := 0; x < w; x++ {
			r, g, bl := row[4*x], row[4*x+1], row[4*x+2]
			i := y*padW + x
			out[i] = float32(bl)/127.5 - 1
			out[plane+i] = float32(g)/127.5 - 1
			out[2*plane+i] = float32(r)/127.5 - 1
		}
	}
	return out
}
