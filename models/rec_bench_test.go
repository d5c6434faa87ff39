package models

import (
	"context"
	"image"
	"image/color"
	"testing"
)

// testRecognizer is a recognizer closed when the test ends.
func testRecognizer(tb testing.TB) *Recognizer {
	a := testAssets(tb)
	r, err := NewRecognizer(a, SessionOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { r.Close() })
	return r
}

func grayLine(w int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, 48))
	for y := 0; y < 48; y++ {
		for x := 0; x < w; x++ {
			v := uint8(255)
			if (x/6)%3 == 0 && y > 10 && y < 38 {
				v = 0
			}
			img.Set(x, y, color.RGBA{v, v, v, 255})
		}
	}
	return img
}

// BenchmarkRecognize compares a fixed crop width with widths that change on
// every call (as real regions do): ONNX Runtime re-plans for each new shape.
func BenchmarkRecognize(b *testing.B) {
	r := testRecognizer(b)
	ctx := context.Background()
	lines := map[int]image.Image{}
	for _, w := range []int{320, 328, 336, 344, 352, 360, 368, 376, 640, 1200} {
		lines[w] = grayLine(w)
	}
	b.Run("w320-fixed", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			r.Recognize(ctx, lines[320], nil)
		}
	})
	b.Run("w328-376-varying", func(b *testing.B) {
		ws := []int{328, 336, 344, 352, 360, 368, 376}
		for i := 0; i < b.N; i++ {
			r.Recognize(ctx, lines[ws[i%len(ws)]], nil)
		}
	})
	b.Run("w640", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			r.Recognize(ctx, lines[640], nil)
		}
	})
	b.Run("w1200", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			r.Recognize(ctx, lines[1200], nil)
		}
	})
}
