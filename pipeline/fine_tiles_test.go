package pipeline

import (
	"math"
	"testing"

	"docscan/geom"
	"docscan/models"
)

func TestSpanCoversWithOverlap(t *testing.T) {
	for _, n := range []int{32, 736, 768, 800, 1440, 1920, 4096} {
		sp := span(n, fineTile, fineOverlap)
		if sp[0][0] != 0 || sp[len(sp)-1][0]+sp[len(sp)-1][1] != n {
			t.Errorf("n=%d: %v does not cover", n, sp)
		}
		for i, s := range sp {
			if s[1] > fineTile || s[1]%32 != 0 || s[0]%32 != 0 {
				t.Errorf("n=%d: piece %v", n, s)
			}
			if i > 0 && sp[i-1][0]+sp[i-1][1]-s[0] < fineOverlap {
				t.Errorf("n=%d: overlap of %v and %v below %d", n, sp[i-1], s, fineOverlap)
			}
		}
	}
	if ts := tilesOf(1920, 1440); len(ts) != 2*2 {
		t.Errorf("1920x1440: %d tiles", len(ts))
	}
}

func rect(x0, y0, x1, y1 float64) geom.Quad {
	return geom.Quad{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
}

func TestJoinTiled(t *testing.T) {
	rs := []tiledRegion{
		// One line cut by the edge of tile 0 at x=1024, seen again in tile 1.
		{Region: models.Region{Quad: rect(500, 100, 1024, 130), Score: 0.8}, tile: 0, cut: true},
		{Region: models.Region{Quad: rect(896, 101, 1300, 131), Score: 0.9}, tile: 1},
		// A word seen whole in both tiles: one copy stays.
		{Region: models.Region{Quad: rect(960, 300, 1000, 320), Score: 0.7}, tile: 0},
		{Region: models.Region{Quad: rect(961, 300, 1001, 321), Score: 0.7}, tile: 1},
		// The next line, cut too, stays apart from the first.
		{Region: models.Region{Quad: rect(520, 140, 1024, 170), Score: 0.8}, tile: 0, cut: true},
		{Region: models.Region{Quad: rect(896, 141, 1200, 171), Score: 0.8}, tile: 1},
		// Two words of one tile side by side are not joined.
		{Region: models.Region{Quad: rect(10, 500, 100, 530)}, tile: 0},
		{Region: models.Region{Quad: rect(105, 500, 200, 530)}, tile: 0},
	}
	out := joinTiled(rs)
	if len(out) != 5 {
		t.Fatalf("got %d regions: %v", len(out), out)
	}
	x0, y0, x1, y1 := out[0].Quad.Bounds()
	if x0 > 501 || x1 < 1299 || y0 > 101 || y1 < 130 || y1-y0 > 34 {
		t.Errorf("joined line %v", out[0].Quad)
	}
	if x0, _, x1, _ := out[2].Quad.Bounds(); x0 > 521 || x1 < 1199 {
		t.Errorf("second line %v", out[2].Quad)
	}
}

// TestRoiTile: the rectangle read around a zone holds its box, has sides
// that are multiples of 32, stays inside the tensor, and is refused when
// it would be most of the tensor.
func TestRoiTile(t *testing.T) {
	for _, tc := range []struct {
		name           string
		w, h           int
		x0, y0, x1, y1 float64
		ok             bool
	}{
		{"inside", 1920, 1440, 300.5, 700.2, 1100.7, 820.1, true},
		{"at the left top edge", 1920, 1440, -40, -10, 500, 90, true},
		{"at the right bottom edge", 1920, 1440, 1500, 1350, 1990, 1500, true},
		{"tiny", 1920, 1440, 10, 10, 12, 12, true},
		{"most of the tensor", 1920, 1440, 100, 100, 1800, 1300, false},
	} {
		r, ok := roiTile(tc.w, tc.h, tc.x0, tc.y0, tc.x1, tc.y1)
		if ok != tc.ok {
			t.Errorf("%s: ok %v, want %v", tc.name, ok, tc.ok)
			continue
		}
		if !ok {
			continue
		}
		if r.w%32 != 0 || r.h%32 != 0 || r.x < 0 || r.y < 0 || r.x+r.w > tc.w || r.y+r.h > tc.h {
			t.Errorf("%s: tile %+v not whole 32s inside %dx%d", tc.name, r, tc.w, tc.h)
		}
		in := func(v, lo, hi float64) bool { return v >= lo && v <= hi }
		cx0, cy0 := math.Max(0, tc.x0), math.Max(0, tc.y0)
		cx1, cy1 := math.Min(float64(tc.w), tc.x1), math.Min(float64(tc.h), tc.y1)
		if !in(cx0, float64(r.x), float64(r.x+r.w)) || !in(cx1, float64(r.x), float64(r.x+r.w)) ||
			!in(cy0, float64(r.y), float64(r.y+r.h)) || !in(cy1, float64(r.y), float64(r.y+r.h)) {
			t.Errorf("%s: tile %+v does not hold the box", tc.name, r)
		}
	}
	// tiles of a rectangle lie in it and cover it
	r := tile{96, 640, 1600, 288}
	var area int
	for _, tl := range tilesIn(r) {
		if tl.x < r.x || tl.y < r.y || tl.x+tl.w > r.x+r.w || tl.y+tl.h > r.y+r.h || tl.w%32 != 0 || tl.h%32 != 0 {
			t.Errorf("tile %+v outside %+v", tl, r)
		}
		area += tl.w * tl.h
	}
	if area < r.w*r.h {
		t.Errorf("tiles of %+v cover %d pixels, want %d", r, area, r.w*r.h)
	}
}
