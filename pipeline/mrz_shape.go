package pipeline

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"math"
	"strings"
	"sync"
)

// ocrbCellsTable holds OCR-B's MRZ characters rendered in cells (made by
// cmd/ocrbcells from fonts-ocr-b, see synth.OCRBCells; checked against the
// font by TestOCRBCellsTable).
//
//go:embed ocrb_cells.bin
var ocrbCellsTable []byte

// shapeSigmas are the blurs (Gaussian sigma, in pitches) the cell table is
// compared at: a photo's print is softer than the font's outline, and each
// line is compared at the blur that fits its own characters best.
var shapeSigmas = []float64{0, 0.04, 0.08, 0.12, 0.17}

// cellShapes is the cell table prepared for comparison: per blur, per
// character, the cell's coverage less its mean, scaled to unit length.
type cellShapes struct {
	pitch, w, h, base int
	chars             string
	index             [256]int // chars' index + 1
	tmpl              [][][]float64
}

var loadShapes = sync.OnceValues(func() (*cellShapes, error) { return parseShapes(ocrbCellsTable) })

// parseShapes reads the table written by synth.OCRBCells.
func parseShapes(b []byte) (*cellShapes, error) {
	if len(b) < 14 || string(b[:4]) != "OCRB" {
		return nil, errors.New("ocrb cells: not a cell table")
	}
	u := func(i int) int { return int(binary.LittleEndian.Uint16(b[4+2*i:])) }
	cs := &cellShapes{pitch: u(0), w: u(1), h: u(2), base: u(3)}
	n := u(4)
	size := cs.w * cs.h
	if cs.pitch == 0 || size == 0 || len(b) != 14+n*(1+size) {
		return nil, errors.New("ocrb cells: table size does not match its header")
	}
	raw := make([][]float64, n)
	var chars strings.Builder
	for k := 0; k < n; k++ {
		off := 14 + k*(1+size)
		chars.WriteByte(b[off])
		cs.index[b[off]] = k + 1
		raw[k] = make([]float64, size)
		for i, v := range b[off+1 : off+1+size] {
			raw[k][i] = float64(v) / 255
		}
	}
	cs.chars = chars.String()
	for _, sg := range shapeSigmas {
		set := make([][]float64, n)
		for k := range raw {
			set[k] = unitize(gaussBlur(raw[k], cs.w, cs.h, sg*float64(cs.pitch)))
		}
		cs.tmpl = append(cs.tmpl, set)
	}
	return cs, nil
}

// gaussBlur blurs a w*h map with a Gaussian of sigma pixels (edges
// clamped); sigma 0 returns a copy.
func gaussBlur(v []float64, w, h int, sigma float64) []float64 {
	out := append([]float64(nil), v...)
	if sigma <= 0 {
		return out
	}
	r := int(math.Ceil(3 * sigma))
	k := make([]float64, 2*r+1)
	var sum float64
	for i := range k {
		d := float64(i - r)
		k[i] = math.Exp(-d * d / (2 * sigma * sigma))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	tmp := make([]float64, len(v))
	convolve(tmp, v, k, w, h, 1, w)   // along the rows
	convolve(out, tmp, k, h, w, w, 1) // along the columns
	return out
}

// convolve filters src with kernel k (centred) along lines of n samples
// step apart, count lines next apart, into dst (edges clamped).
func convolve(dst, src, k []float64, n, count, step, next int) {
	r := len(k) / 2
	for l := 0; l < count; l++ {
		base := l * next
		for i := 0; i < n; i++ {
			var s float64
			for j, kv := range k {
				ii := min(max(i+j-r, 0), n-1)
				s += kv * src[base+ii*step]
			}
			dst[base+i*step] = s
		}
	}
}

// unitize subtracts the mean and scales to unit length (all zero when the
// map is flat), so that a dot product of two is their correlation.
func unitize(v []float64) []float64 {
	var m float64
	for _, x := range v {
		m += x
	}
	m /= float64(len(v))
	var n float64
	for i := range v {
		v[i] -= m
		n += v[i] * v[i]
	}
	if n < 1e-12 {
		for i := range v {
			v[i] = 0
		}
		return v
	}
	n = math.Sqrt(n)
	for i := range v {
		v[i] /= n
	}
	return v
}

// Cell comparison: the shifts a cell is compared at around the grid's
// place for it, shapeReach steps either side.
// shapeScales are the sizes of print, relative to the font at the print's
// pitch, a line is compared at (documents set OCR-B a little smaller than
// its advance at the MRZ's 2.54 mm pitch).
var shapeScales = []float64{0.86, 0.93, 1.0}

const (
	shapeReach = 2    // steps either side
	shapeStepX = 0.06 // pitches
	shapeStepY = 0.035
)

// sample cuts the cell of column i at shift (dx, dy) pitches from the grid
// at the table's resolution (bilinear), for print whose glyphs are scale
// times the size the pitch gives the font, unitized; nil where the cell
// runs off the crop.
func (cs *cellShapes) sample(g *cellGrid, i int, dx, dy, scale float64) []float64 {
	out := cs.cut(g, i, dx, dy, scale)
	if out == nil {
		return nil
	}
	return unitize(out)
}

// cut is sample's cell as ink coverage (0..1), not unitized.
func (cs *cellShapes) cut(g *cellGrid, i int, dx, dy, scale float64) []float64 {
	p := g.pitch()
	f := p * scale / float64(cs.pitch)
	cx := (g.a+g.b*float64(i))*float64(g.w) + dx*p
	cy := g.ba + g.bb*float64(i) + dy*p
	x0 := cx - float64(cs.w)/2*f
	y0 := cy - float64(cs.base)*f
	if x0 < 0 || y0 < 0 || x0+float64(cs.w)*f > float64(g.w-1) || y0+float64(cs.h)*f > float64(g.h-1) {
		return nil
	}
	out := make([]float64, cs.w*cs.h)
	// the source pixel at or before a sample point and the point's
	// fraction of the way to the next
	at := func(o float64, j int) (int, float64) {
		z := o + (float64(j)+0.5)*f - 0.5
		if z < 0 {
			return 0, 0
		}
		return int(z), z - math.Floor(z)
	}
	for v := 0; v < cs.h; v++ {
		yi, fy := at(y0, v)
		for u := 0; u < cs.w; u++ {
			xi, fx := at(x0, u)
			i00 := yi*g.w + xi
			i01, i10, i11 := i00, i00, i00
			if xi+1 < g.w {
				i01 = i00 + 1
			}
			if yi+1 < g.h {
				i10 = i00 + g.w
				i11 = i01 + g.w
			}
			top := g.dark[i00]*(1-fx) + g.dark[i01]*fx
			bot := g.dark[i10]*(1-fx) + g.dark[i11]*fx
			out[v*cs.w+u] = top*(1-fy) + bot*fy
		}
	}
	return out
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// shapeScores compares the cell of each character of the repaired line
// final on grid g with every character of the table: out[i][k] is the
// best correlation of cell i with character cs.chars[k] over the shifts
// (nil for fillers' cells and cells off the crop). The line is compared at
// the blur that fits the characters read best.
func shapeScores(g *cellGrid, final string) [][]float64 {
	sc := newCellScorer(g, len(final))
	if sc == nil {
		return nil
	}
	cs := sc.cs
	n := len(cs.chars)
	bestJ, bestS := sc.fit(final)
	set := cs.tmpl[bestS]
	out := make([][]float64, len(final))
	for i := range final {
		if final[i] == '<' || cs.index[final[i]] == 0 {
			continue
		}
		row := make([]float64, n)
		for k := 0; k < n; k++ {
			row[k] = sc.score(bestJ, i, set[k])
		}
		if !math.IsNaN(row[0]) {
			out[i] = row
		}
	}
	return out
}

// cellScorer compares the cells of a line of n characters on a grid with
// the table's templates, cutting each cell's patches (on a grid of shifts
// shapeStepX, shapeStepY pitches, index shapeReach no shift, per glyph
// scale) when first asked for.
type cellScorer struct {
	cs    *cellShapes
	g     *cellGrid
	cells [][]scoredCell
}

const shapeSide = 2*shapeReach + 1

type scoredCell struct {
	patch [shapeSide * shapeSide][]float64
	cut   [shapeSide * shapeSide]bool
}

// newCellScorer is nil when the table or the grid is unusable.
func newCellScorer(g *cellGrid, n int) *cellScorer {
	cs, err := loadShapes()
	if err != nil || g == nil || g.w == 0 || len(g.dark) == 0 {
		return nil
	}
	cells := make([][]scoredCell, len(shapeScales))
	for j := range cells {
		cells[j] = make([]scoredCell, n)
	}
	return &cellScorer{cs: cs, g: g, cells: cells}
}

func (sc *cellScorer) at(j, i, ix, iy int) []float64 {
	c := &sc.cells[j][i]
	q := iy*shapeSide + ix
	if !c.cut[q] {
		c.cut[q] = true
		c.patch[q] = sc.cs.sample(sc.g, i, float64(ix-shapeReach)*shapeStepX, float64(iy-shapeReach)*shapeStepY, shapeScales[j])
	}
	return c.patch[q]
}

// score is the best correlation of cell i with template t at scale j:
// over the coarse shifts (every other step), then the steps around the
// best; NaN when the cell runs off the crop.
func (sc *cellScorer) score(j, i int, t []float64) float64 {
	m, bx, by := -2.0, -1, -1
	for iy := 0; iy < shapeSide; iy += 2 {
		for ix := 0; ix < shapeSide; ix += 2 {
			if p := sc.at(j, i, ix, iy); p != nil {
				if v := dot(p, t); v > m {
					m, bx, by = v, ix, iy
				}
			}
		}
	}
	if bx < 0 {
		return math.NaN()
	}
	for _, d := range [][2]int{{-1, 0}, {1, 0}, {0, -1}, {0, 1}, {-1, -1}, {1, 1}, {-1, 1}, {1, -1}} {
		ix, iy := bx+d[0], by+d[1]
		if ix < 0 || iy < 0 || ix >= shapeSide || iy >= shapeSide {
			continue
		}
		if p := sc.at(j, i, ix, iy); p != nil {
			m = math.Max(m, dot(p, t))
		}
	}
	return m
}

// fit is the glyph scale and blur at which the cells of the characters
// read (final) fit their templates best.
func (sc *cellScorer) fit(final string) (bestJ, bestS int) {
	cs := sc.cs
	bestSum := math.Inf(-1)
	for j := range shapeScales {
		for s := range cs.tmpl {
			var sum float64
			for i := range final {
				k := cs.index[final[i]] - 1
				if final[i] == '<' || k < 0 {
					continue
				}
				if v := sc.score(j, i, cs.tmpl[s][k]); !math.IsNaN(v) {
					sum += v
				}
			}
			if sum > bestSum {
				bestJ, bestS, bestSum = j, s, sum
			}
		}
	}
	return bestJ, bestS
}
