package preprocess

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"math"
	"testing"

	"docscan/geom"

	"gocv.io/x/gocv"
)

// TestTurnedTensor turns a photo with one dark square and checks that the
// square lies where the turn puts it in the tensor, that the tensor holds
// the whole turned photo, and that the map back lands on the square.
func TestTurnedTensor(t *testing.T) {
	const w, h = 400, 300
	sq := geom.Point{300, 60} // centre of the dark square
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{230, 230, 230, 255}
			if math.Abs(float64(x)+0.5-sq[0]) < 8 && math.Abs(float64(y)+0.5-sq[1]) < 8 {
				c = color.RGBA{10, 10, 10, 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	f, err := Decode(context.Background(), b.Bytes(), DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, deg := range []float64{0, 30, -30, 45, -41, 90, 180} {
		tn, back := f.TurnedTensor(200, deg) // half size
		if tn.ScaleX != 1 || tn.ScaleY != 1 || len(tn.Data) != 3*tn.W*tn.H {
			t.Fatalf("%v deg: tensor %dx%d scale %v,%v", deg, tn.W, tn.H, tn.ScaleX, tn.ScaleY)
		}
		// darkest tensor pixel (first plane): the square's centre region
		plane := tn.Data[:tn.W*tn.H]
		var sx, sy, n float64
		for y := 0; y < tn.H; y++ {
			for x := 0; x < tn.W; x++ {
				if plane[y*tn.W+x] < -1.5 { // dark: (10/255-0.485)/0.229 = -1.95
					sx, sy, n = sx+float64(x)+0.5, sy+float64(y)+0.5, n+1
				}
			}
		}
		if n == 0 {
			t.Fatalf("%v deg: square not in the tensor", deg)
		}
		got := back.Point(geom.Point{sx / n, sy / n})
		if d := math.Hypot(got[0]-sq[0], got[1]-sq[1]); d > 3 {
			t.Errorf("%v deg: square maps back to %v, want %v (%.1f px off)", deg, got, sq, d)
		}
		// the photo's corners map into the tensor (Inverse: the forward
		// map), and back where they were
		fwd := back.Inverse()
		for _, c := range []geom.Point{{0, 0}, {w, 0}, {w, h}, {0, h}} {
			uv := fwd.Point(c)
			if u, v := uv[0], uv[1]; u < -1 || v < -1 || u > float64(tn.W)+1 || v > float64(tn.H)+1 {
				t.Errorf("%v deg: corner %v outside the tensor at (%.1f, %.1f)", deg, c, u, v)
			}
			if r := back.Point(uv); math.Hypot(r[0]-c[0], r[1]-c[1]) > 1e-6 {
				t.Errorf("%v deg: corner %v maps forth and back to %v", deg, c, r)
			}
		}
		// a level line in the tensor is a line turned by -deg in the photo
		q := back.Quad(geom.Quad{{10, 10}, {110, 10}, {110, 20}, {10, 20}})
		if d := math.Abs(math.Remainder(q.Angle()+deg, 360)); d > 0.5 {
			t.Errorf("%v deg: a level tensor line lies at %.1f deg in the photo", deg, q.Angle())
		}
	}
}

// TestAreaResize: shrinking by halvings first is within two gray levels
// (RMS, on crisp synthetic print) of one area resize for factors of 3.5
// or more, the same for a smaller factor, and an odd-sized image is
// resized at once.
func TestAreaResize(t *testing.T) {
	for _, c := range []struct{ w, h, tw, th int }{
		{2400, 1800, 570, 428},   // 4.2: a halving, then 2.1
		{2400, 1800, 640, 480},   // 3.75: a halving, then 1.875
		{2400, 1800, 1600, 1200}, // 1.5: no halving
		{2401, 1799, 570, 428},   // odd: no halving
		{1200, 800, 1500, 1000},  // an enlargement
	} {
		img := photoWith(printPage(5), c.w, c.h, 200, 150)
		m, err := gocv.ImageToMatRGB(img)
		if err != nil {
			t.Fatal(err)
		}
		want, got := gocv.NewMat(), gocv.NewMat()
		gocv.Resize(m, &want, image.Pt(c.tw, c.th), 0, 0, gocv.InterpolationArea)
		areaResize(m, &got, image.Pt(c.tw, c.th))
		if got.Cols() != c.tw || got.Rows() != c.th {
			t.Fatalf("%v: resized to %dx%d", c, got.Cols(), got.Rows())
		}
		a, b := want.ToBytes(), got.ToBytes()
		var s float64
		for i := range a {
			d := float64(a[i]) - float64(b[i])
			s += d * d
		}
		e := math.Sqrt(s / float64(len(a)))
		t.Logf("%dx%d -> %dx%d: RMS %.2f", c.w, c.h, c.tw, c.th, e)
		if e > 2 || (7*c.tw > 2*c.w || c.w%2 == 1) && e != 0 {
			t.Errorf("%v: %.2f gray levels (RMS) off one area resize", c, e)
		}
		m.Close()
		want.Close()
		got.Close()
	}
}
