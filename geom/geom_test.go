package geom

import (
	"math"
	"testing"
)

func TestMinAreaRectAndQuad(t *testing.T) {
	for _, deg := range []float64{0, 17, -40, 89} {
		r := RotatedRect{C: Point{50, 80}, W: 120, H: 30, Angle: deg * math.Pi / 180}
		q := r.Quad()
		got := MinAreaRect(q[:])
		if math.Abs(got.W-120) > 1e-6 || math.Abs(got.H-30) > 1e-6 ||
			math.Hypot(got.C[0]-50, got.C[1]-80) > 1e-6 {
			t.Errorf("%v deg: %+v", deg, got)
		}
		if d := math.Abs(got.Angle - r.Angle); d > 1e-6 {
			t.Errorf("%v deg: angle %v", deg, got.Angle*180/math.Pi)
		}
		if math.Abs(q.Width()-120) > 1e-6 || math.Abs(q.Height()-30) > 1e-6 || math.Abs(q.Area()-3600) > 1e-6 {
			t.Errorf("%v deg: quad %v x %v area %v", deg, q.Width(), q.Height(), q.Area())
		}
		if a := q.Angle(); math.Abs(a-deg) > 1e-6 {
			t.Errorf("quad angle %v, want %v", a, deg)
		}
		if d := q.AngleTo(q.Rotate180()); math.Abs(d-180) > 1e-6 {
			t.Errorf("180 turn: %v", d)
		}
		if d := q.AxisAngleTo(q.Rotate180()); d > 1e-6 {
			t.Errorf("180 turn on one axis: %v", d)
		}
		tilted := RotatedRect{C: r.C, W: r.W, H: r.H, Angle: r.Angle + 10*math.Pi/180}.Quad()
		if d := q.AxisAngleTo(tilted.Rotate180()); math.Abs(d-10) > 1e-6 {
			t.Errorf("10 degrees and turned: %v", d)
		}
	}
	if r := MinAreaRect(nil); r.W != 0 {
		t.Errorf("empty: %+v", r)
	}
	if r := MinAreaRect([]Point{{0, 0}, {10, 0}}); math.Abs(r.W-10) > 1e-9 || r.H != 0 {
		t.Errorf("segment: %+v", r)
	}
	e := RotatedRect{W: 10, H: 4}.Expand(2)
	if e.W != 14 || e.H != 8 {
		t.Errorf("expand: %+v", e)
	}
	x0, y0, x1, y1 := Quad{{1, 2}, {5, 1}, {6, 7}, {0, 4}}.Bounds()
	if x0 != 0 || y0 != 1 || x1 != 6 || y1 != 7 {
		t.Errorf("bounds %v %v %v %v", x0, y0, x1, y1)
	}
}
