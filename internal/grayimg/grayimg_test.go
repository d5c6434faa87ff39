package grayimg

import (
	"image"
	"testing"
)

func TestPad(t *testing.T) {
	src := image.NewGray(image.Rect(0, 0, 6, 4))
	for i := range src.Pix {
		src.Pix[i] = uint8(10 + i)
	}
	// a sub-image: its own top-left pixel is the border value
	g := src.SubImage(image.Rect(1, 1, 4, 3)).(*image.Gray)
	out := Pad(g, 2)
	if b := out.Bounds(); b.Dx() != 7 || b.Dy() != 6 {
		t.Fatalf("bounds %v", b)
	}
	for y := 0; y < 6; y++ {
		for x := 0; x < 7; x++ {
			want := g.GrayAt(1, 1).Y
			if x >= 2 && x < 5 && y >= 2 && y < 4 {
				want = g.GrayAt(1+x-2, 1+y-2).Y
			}
			if got := out.GrayAt(x, y).Y; got != want {
				t.Errorf("(%d,%d) = %d, want %d", x, y, got, want)
			}
		}
	}
}

func TestClamp8(t *testing.T) {
	for v, want := range map[float64]uint8{-3: 0, 0: 0, 0.49: 0, 0.5: 1, 127.6: 128, 254.6: 255, 300: 255} {
		if got := Clamp8(v); got != want {
			t.Errorf("Clamp8(%v) = %d, want %d", v, got, want)
		}
	}
}
