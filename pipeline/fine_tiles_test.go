package pipeline

import (
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
