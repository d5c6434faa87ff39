package pipeline

import (
	"math"
	"testing"

	"docscan/geom"
)

// piece is a text box of height h from a0 to a1 along a line through
// (ox, oy) at angle deg, shifted dp across it.
func piece(ox, oy, deg, a0, a1, dp, h float64) geom.Quad {
	f := frame{O: geom.Point{ox, oy}}
	r := deg * math.Pi / 180
	f.U = geom.Point{math.Cos(r), math.Sin(r)}
	f.N = geom.Point{-f.U[1], f.U[0]}
	return f.quad(line{A0: a0, A1: a1, P: dp, H: h})
}

func TestChainQuads(t *testing.T) {
	const h = 20.0
	cases := []struct {
		name   string
		pieces []geom.Quad
		want   int     // chains
		len    float64 // length of the first chain (0: not checked)
	}{
		{"three pieces of one line", []geom.Quad{
			piece(100, 100, 0, 0, 180, 0, h), piece(100, 100, 0, 200, 330, 2, h), piece(100, 100, 0, 350, 600, -2, h)},
			1, 600},
		{"tilted 35 degrees, one piece turned", []geom.Quad{
			piece(100, 100, 35, 0, 200, 0, h), piece(100, 100, 35, 230, 420, 0, h).Rotate180()},
			1, 420},
		{"gap too wide", []geom.Quad{
			piece(100, 100, 0, 0, 150, 0, h), piece(100, 100, 0, 150+3*h, 400, 0, h)},
			0, 0},
		{"next line, not the same one", []geom.Quad{
			piece(100, 100, 0, 0, 150, 0, h), piece(100, 100, 0, 160, 400, 1.5*h, h)},
			0, 0},
		{"different height", []geom.Quad{
			piece(100, 100, 0, 0, 150, 0, h), piece(100, 100, 0, 160, 400, 0, 2*h)},
			0, 0},
		{"crossing angle", []geom.Quad{
			piece(100, 100, 0, 0, 150, 0, h), piece(100, 100, 12, 160, 400, 0, h)},
			0, 0},
		{"too short for a line", []geom.Quad{
			piece(100, 100, 0, 0, 60, 0, h), piece(100, 100, 0, 70, 150, 0, h)},
			0, 0},
		{"a whole line with a speck is no chain", []geom.Quad{
			piece(100, 100, 0, 0, 600, 0, h), piece(100, 100, 0, 610, 640, 0, h)},
			0, 0},
		{"two lines of pieces", []geom.Quad{
			piece(100, 100, 0, 0, 180, 0, h), piece(100, 100, 0, 200, 500, 0, h),
			piece(100, 100, 0, 0, 250, 1.6*h, h), piece(100, 100, 0, 270, 520, 1.6*h, h)},
			2, 520},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			regs := make([]Region, len(c.pieces))
			for i, q := range c.pieces {
				regs[i] = Region{Quad: q}
			}
			got := chainQuads(regs)
			if len(got) != c.want {
				t.Fatalf("%d chains, want %d: %v", len(got), c.want, got)
			}
			if c.len > 0 && math.Abs(got[0].quad.Width()-c.len) > 2 {
				t.Errorf("chain length %.1f, want %.0f", got[0].quad.Width(), c.len)
			}
			if len(got) > 0 && math.Abs(got[0].quad.Height()-h) > 1.5 {
				t.Errorf("chain height %.1f, want %.0f", got[0].quad.Height(), h)
			}
		})
	}
	// Regions of other finders (plate rows) are not chained.
	regs := []Region{{Quad: piece(0, 0, 0, 0, 200, 0, h), Source: "plate-lines"}, {Quad: piece(0, 0, 0, 210, 400, 0, h)}}
	if got := chainQuads(regs); len(got) != 0 {
		t.Errorf("chained a plate finder row: %v", got)
	}
}
