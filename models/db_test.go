package models

import (
	"math"
	"testing"

	"docscan/geom"
)

// paintRect sets prob to v inside the rotated rectangle r.
func paintRect(prob []float32, w, h int, r geom.RotatedRect, v float32) {
	c, s := math.Cos(r.Angle), math.Sin(r.Angle)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := float64(x)+0.5-r.C[0], float64(y)+0.5-r.C[1]
			u := dx*c + dy*s
			vv := -dx*s + dy*c
			if math.Abs(u) <= r.W/2 && math.Abs(vv) <= r.H/2 {
				prob[y*w+x] = v
			}
		}
	}
}

func TestDBBoxes(t *testing.T) {
	const w, h = 320, 240
	prob := make([]float32, w*h)
	want := []geom.RotatedRect{
		{C: geom.Point{100, 50}, W: 120, H: 16, Angle: 0},
		{C: geom.Point{180, 150}, W: 160, H: 20, Angle: 15 * math.Pi / 180},
	}
	for _, r := range want {
		paintRect(prob, w, h, r, 0.9)
	}
	// A faint blob below the box threshold and a speck below the size limit.
	paintRect(prob, w, h, geom.RotatedRect{C: geom.Point{280, 40}, W: 40, H: 10}, 0.4)
	prob[230*w+10] = 0.95
	boxes := DBBoxes(prob, w, h, DBOptions{})
	if len(boxes) != 2 {
		t.Fatalf("got %d boxes, want 2: %+v", len(boxes), boxes)
	}
	for i, b := range boxes {
		r := want[i]
		if d := math.Hypot(b.Rect.C[0]-r.C[0], b.Rect.C[1]-r.C[1]); d > 2 {
			t.Errorf("box %d: centre %v, want %v", i, b.Rect.C, r.C)
		}
		// Unclip grows each side by area*1.5/perimeter.
		grow := r.W * r.H * 1.5 / (2 * (r.W + r.H))
		if math.Abs(b.Rect.H-(r.H+2*grow)) > 3 || math.Abs(b.Rect.W-(r.W+2*grow)) > 4 {
			t.Errorf("box %d: size %.1fx%.1f, want about %.1fx%.1f", i, b.Rect.W, b.Rect.H, r.W+2*grow, r.H+2*grow)
		}
		if d := math.Abs(b.Rect.Angle - r.Angle); d > 2*math.Pi/180 {
			t.Errorf("box %d: angle %.1f deg, want %.1f", i, b.Rect.Angle*180/math.Pi, r.Angle*180/math.Pi)
		}
		if b.Score < 0.85 {
			t.Errorf("box %d: score %.2f", i, b.Score)
		}
		// The quad starts top-left and runs clockwise.
		if !(b.Quad[0][0] < b.Quad[1][0] && b.Quad[0][1] < b.Quad[3][1]) {
			t.Errorf("box %d: corner order %v", i, b.Quad)
		}
	}
	if got := DBBoxes(prob[:10], w, h, DBOptions{}); got != nil {
		t.Errorf("short map: %v", got)
	}
}

func BenchmarkDBBoxes(b *testing.B) {
	const w, h = 960, 736
	prob := make([]float32, w*h)
	for i := 0; i < 30; i++ {
		paintRect(prob, w, h, geom.RotatedRect{C: geom.Point{float64(100 + 20*i), float64(20 + 23*i)}, W: 300, H: 14}, 0.9)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		DBBoxes(prob, w, h, DBOptions{})
	}
}
