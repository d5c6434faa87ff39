package preprocess

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"docscan/geom"
)

// row lays out n glyphs of height h from x0 on the baseline y0 tilted by
// deg degrees, with the widths given in turn (characters differ).
func row(n int, x0, y0, h, deg float64, widths ...float64) []Glyph {
	var gs []Glyph
	t := math.Tan(deg * math.Pi / 180)
	x := x0
	for i := 0; i < n; i++ {
		w := widths[i%len(widths)]
		y := y0 + t*(x-x0)
		gs = append(gs, Glyph{X0: x, Y0: y - h, X1: x + w, Y1: y, Fill: 0.3 + 0.1*float64(i%4)})
		x += 0.75 * h
	}
	return gs
}

func TestGroupGlyphs(t *testing.T) {
	cases := []struct {
		name   string
		gs     []Glyph
		lines  int // lines of at least 2 glyphs
		glyphs int // glyphs of the best line
		above  bool
		low    bool // the best line scores low (a pattern)
	}{
		{"plate row", row(7, 100, 200, 30, 0, 18, 12, 20, 16), 1, 7, false, false},
		{"tilted 10 degrees", row(7, 100, 200, 30, 10, 18, 12, 20, 16), 1, 7, false, false},
		{"tilted 25 degrees", row(7, 100, 200, 30, 25, 18, 12, 20, 16), 0, 0, false, false},
		{"seal gap", append(row(2, 100, 200, 30, 0, 18), row(4, 100+1.5*30+2*22.5, 200, 30, 0, 16, 12)...), 1, 6, false, false},
		{"two rows", append(row(5, 100, 200, 30, 0, 18, 14), row(5, 100, 400, 30, 0, 18, 14)...), 2, 5, false, false},
		{"mixed heights", append(row(1, 100, 200, 30, 0, 18), row(1, 124, 200, 12, 0, 8)...), 0, 0, false, false},
		{"two-line plate", append(row(2, 110, 150, 30, 0, 18), row(4, 100, 195, 30, 0, 18, 14)...), 2, 4, true, false},
		{"windows", func() []Glyph {
			var gs []Glyph
			for i := 0; i < 8; i++ {
				x := 100 + float64(i)*40
				gs = append(gs, Glyph{X0: x, Y0: 100, X1: x + 24, Y1: 130, Fill: 0.5})
			}
			return gs
		}(), 1, 8, false, true},
		// Three rows of narrow blobs in columns (a facade's windows, at
		// the grid's edge too) score low; a two-line plate does not.
		{"grid", append(append(row(5, 100, 100, 20, 0, 12, 12), row(5, 100, 150, 20, 0, 12, 12)...), row(5, 100, 200, 20, 0, 12, 12)...), 3, 5, false, true},
	}
	for _, c := range cases {
		ls := GroupGlyphs(c.gs, 2)
		if len(ls) != c.lines {
			t.Errorf("%s: %d lines, want %d", c.name, len(ls), c.lines)
			continue
		}
		if c.lines == 0 {
			continue
		}
		l := ls[0]
		if l.Glyphs != c.glyphs {
			t.Errorf("%s: best line has %d glyphs, want %d", c.name, l.Glyphs, c.glyphs)
		}
		if (l.Above != nil) != c.above {
			t.Errorf("%s: above band %v, want %v", c.name, l.Above != nil, c.above)
		}
		if low := l.Score < 0.5*float64(l.Glyphs); low != c.low {
			t.Errorf("%s: score %.2f for %d glyphs", c.name, l.Score, l.Glyphs)
		}
		// The quad holds every glyph centre of the line and runs along it.
		if c.name == "tilted 10 degrees" {
			dx, dy := l.Quad[1][0]-l.Quad[0][0], l.Quad[1][1]-l.Quad[0][1]
			if a := math.Atan2(dy, dx) * 180 / math.Pi; math.Abs(a-10) > 1 {
				t.Errorf("%s: line at %.1f degrees", c.name, a)
			}
		}
	}
	if ls := GroupGlyphs(nil, 2); ls != nil {
		t.Errorf("no glyphs: %v", ls)
	}
}

// TestPlateLinesOnScenes finds the print of the generated plates of
// testdata/synth (the text detector misses plate_04 altogether) and, for
// the two-line plate, the band of its first line.
func TestPlateLinesOnScenes(t *testing.T) {
	raw, err := os.ReadFile("../testdata/synth/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var entries []struct {
		File, Kind string
		Quad       geom.Quad
		Truth      struct {
			TwoLines bool `json:"two_lines"`
		}
	}
	if err := json.Unmarshal(raw, &entries); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Kind != "plate" {
			continue
		}
		n++
		data, err := os.ReadFile(filepath.Join("../testdata/synth", e.File))
		if err != nil {
			t.Fatal(err)
		}
		f, err := Decode(context.Background(), data, DecodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ls := f.PlateLines(1280, 4)
		f.Close()
		x0, y0, x1, y1 := e.Quad.Bounds()
		found, above := false, false
		for _, l := range ls {
			c := l.Quad.Center()
			if c[0] >= x0 && c[0] <= x1 && c[1] >= y0 && c[1] <= y1 && l.Glyphs >= 2 {
				found = true
				if l.Above != nil {
					a := l.Above.Center()
					above = above || (a[0] >= x0 && a[0] <= x1 && a[1] >= y0 && a[1] <= y1)
				}
			}
		}
		if !found {
			t.Errorf("%s: no line inside the plate among %d", e.File, len(ls))
		}
		if e.Truth.TwoLines && !above {
			t.Errorf("%s: two-line plate without the band of its first line", e.File)
		}
	}
	if n == 0 {
		t.Fatal("no plate scenes in testdata/synth")
	}
}
