package preprocess

import (
	"encoding/binary"
	"image"
	"math"
	"sort"

	"gocv.io/x/gocv"

	"docscan/geom"
)

// PlateLines finds rows of dark characters on a lighter ground without a
// text detector: the print of licence plates by character-height
// regularity. The frame is scaled so its long side is maxSide pixels (at
// most twice enlarged), thresholded against its local mean at two block
// sizes (small and large print), and the connected components shaped like
// characters (8 pixels high or more, narrower than high, neither hollow
// nor solid) are chained into lines (GroupGlyphs). Lines come back in
// original coordinates, best first, at most limit of them; a line that
// repeats a better one (its centre inside it at a similar height) is
// dropped. The reading direction is left to right; upside-down plates are
// for the reader's orientation check.
func (f *Frame) PlateLines(maxSide, limit int) []TextLine {
	w, h := f.img.Cols(), f.img.Rows()
	if w < 16 || h < 16 || maxSide < 64 || limit < 1 {
		return nil
	}
	s := math.Min(2, float64(maxSide)/float64(max(w, h)))
	sw, sh := max(1, int(math.Round(float64(w)*s))), max(1, int(math.Round(float64(h)*s)))
	src := f.img // at its own size already (a 1280-pixel photo): not copied
	if sw != w || sh != h {
		small := gocv.NewMat()
		defer small.Close()
		if s > 1 {
			gocv.Resize(f.img, &small, image.Pt(sw, sh), 0, 0, gocv.InterpolationLinear)
		} else {
			areaResize(f.img, &small, image.Pt(sw, sh))
		}
		src = small
	}
	gray := gocv.NewMat()
	defer gray.Close()
	gocv.CvtColor(src, &gray, gocv.ColorBGRToGray)
	gocv.GaussianBlur(gray, &gray, image.Pt(3, 3), 0, 0, gocv.BorderDefault)

	// The gray and ink pixels are read in place (the Mats outlive the
	// slices' use), not copied into Go memory.
	pix, err := gray.DataPtrUint8()
	if err != nil {
		return nil
	}
	side := float64(max(sw, sh))
	var lines []TextLine
	bin := gocv.NewMat()
	defer bin.Close()
	for _, frac := range []float64{0.012, 0.03} {
		block := max(7, int(math.Round(side*frac))|1)
		gs := glyphs(gray, &bin, block, float64(min(sw, sh)))
		ink, err := bin.DataPtrUint8()
		if err != nil {
			return nil
		}
		for _, l := range GroupGlyphs(gs, 2) {
			l.Score *= lineWeight(pix, ink, sw, sh, l.Quad, l.Height)
			lines = append(lines, l)
		}
	}
	lines = dedupeLines(lines)
	k := f.scale / s
	var out []TextLine
	for _, l := range lines {
		if len(out) == limit {
			break
		}
		l.Quad = scaleQuad(l.Quad, k)
		l.Height *= k
		if l.Above != nil {
			a := scaleQuad(*l.Above, k)
			l.Above = &a
		}
		out = append(out, l)
	}
	return out
}

// glyphs thresholds gray against its local mean (dark print) into bin and
// returns the components shaped like characters.
func glyphs(gray gocv.Mat, bin *gocv.Mat, block int, short float64) []Glyph {
	gocv.AdaptiveThreshold(gray, bin, 255, gocv.AdaptiveThresholdMean, gocv.ThresholdBinaryInv, block, 8)
	labels, stats, cents := gocv.NewMat(), gocv.NewMat(), gocv.NewMat()
	defer labels.Close()
	defer stats.Close()
	defer cents.Close()
	n := gocv.ConnectedComponentsWithStats(*bin, &labels, &stats, &cents)
	// the stats (n rows of left, top, width, height, area as int32) read
	// at once: a cgo call per value cost 3 ms a 1280-pixel scene
	raw, cols := stats.ToBytes(), stats.Cols()
	if stats.Type() != gocv.MatTypeCV32S || cols < 5 || len(raw) < 4*n*cols {
		return nil
	}
	at := func(i, j int) float64 {
		return float64(int32(binary.NativeEndian.Uint32(raw[4*(i*cols+j):])))
	}
	var out []Glyph
	maxH := 0.25 * short
	for i := 1; i < n; i++ {
		x := at(i, 0)
		y := at(i, 1)
		cw := at(i, 2)
		ch := at(i, 3)
		area := at(i, 4)
		if ch < 8 || ch > maxH || cw < 2 {
			continue
		}
		if a := cw / ch; a < 0.1 || a > 1.1 {
			continue
		}
		fill := area / (cw * ch)
		if fill < 0.15 || fill > 0.95 || (fill > 0.8 && cw > 0.5*ch) {
			continue // hollow, or a solid block (a window, a lamp)
		}
		out = append(out, Glyph{x, y, x + cw, y + ch, fill})
	}
	return out
}

// lineWeight weighs a line by two plate cues measured in its box.
// Contrast: plates carry dark print on a light field ((ground-ink)/ground
// about 0.8, at night too), windows and grilles on a painted body much
// less; 1 at 0.7 and above, down to 0.1 at 0.3. Field: a plate's ground
// is lighter than what lies beyond its edge on at least one side (the
// body above or below it); print on a wall or a page is not; 1 for a
// ground 25% lighter than the darker side, down to 0.3.
func lineWeight(pix, ink []byte, w, h int, q geom.Quad, lh float64) float64 {
	x0, y0, x1, y1 := q.Bounds()
	ix0, iy0 := max(0, int(x0)), max(0, int(y0))
	ix1, iy1 := min(w, int(math.Ceil(x1))), min(h, int(math.Ceil(y1)))
	var si, sg, ni, ng float64
	for y := iy0; y < iy1; y++ {
		for x := ix0; x < ix1; x++ {
			v := float64(pix[y*w+x])
			if ink[y*w+x] != 0 {
				si, ni = si+v, ni+1
			} else {
				sg, ng = sg+v, ng+1
			}
		}
	}
	if ni == 0 || ng == 0 || sg == 0 {
		return 0.1
	}
	ground := sg / ng
	c := (ground - si/ni) / ground
	contrast := math.Max(0.1, math.Min(1, 0.1+0.9*(c-0.3)/0.4))
	band := func(ya, yb float64) (float64, bool) {
		a, b := max(0, int(ya)), min(h, int(yb))
		var s, n float64
		for y := a; y < b; y++ {
			for x := ix0; x < ix1; x++ {
				s += float64(pix[y*w+x])
				n++
			}
		}
		return s / math.Max(n, 1), n > 0
	}
	out := math.Inf(1)
	if v, ok := band(y0-1.0*lh, y0-0.45*lh); ok {
		out = math.Min(out, v)
	}
	if v, ok := band(y1+0.45*lh, y1+1.0*lh); ok {
		out = math.Min(out, v)
	}
	field := 1.0
	if !math.IsInf(out, 1) {
		r := ground / math.Max(out, 1)
		field = math.Max(0.3, math.Min(1, 0.3+0.7*(r-1)/0.25))
	}
	return contrast * field
}

// dedupeLines drops a line whose centre lies in a better line's box and
// whose height is within a third of it (the same print found at both
// block sizes).
func dedupeLines(ls []TextLine) []TextLine {
	sort.SliceStable(ls, func(i, j int) bool { return ls[i].Score > ls[j].Score })
	var out []TextLine
	for _, l := range ls {
		c := l.Quad.Center()
		dup := false
		for _, o := range out {
			x0, y0, x1, y1 := o.Quad.Bounds()
			if c[0] >= x0 && c[0] <= x1 && c[1] >= y0 && c[1] <= y1 && l.Height > 0.75*o.Height && l.Height < 1.33*o.Height {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, l)
		}
	}
	return out
}

func scaleQuad(q geom.Quad, k float64) geom.Quad {
	for i := range q {
		q[i] = geom.Point{q[i][0] * k, q[i][1] * k}
	}
	return q
}
