package preprocess

import (
	"image"
	"math"
	"sort"

	"gocv.io/x/gocv"

	"docscan/geom"
)

// MRZZones finds machine readable zones without a text detector, by their
// texture alone: dense dark print of one size in two or three long,
// parallel lines. The frame is reduced to maxSide pixels (long side); a
// black-hat with a square element (any text direction) brings out dark
// strokes on a lighter ground, the gradient magnitude keeps their edges, a
// closing over about a character pitch joins the characters of a line and
// the lines of a zone into one blob, and Otsu's threshold and an opening
// leave the blobs. A blob whose minimum-area rectangle is long (aspect 2.5
// to 16), well filled and not tiny is a candidate; the candidates come
// back as quads in original coordinates, largest first, at most limit of
// them. The quad's first edge runs along the rectangle's long side; the
// reading direction (0 or 180 degrees) is left to the reader.
func (f *Frame) MRZZones(maxSide, limit int) []geom.Quad {
	return f.mrzZones(maxSide, limit, []float64{0.012}, []float64{0.004}, 0.6)
}

// MRZZonesWide is MRZZones looking harder, for a photo asked for its MRZ:
// a closing twice as wide as well (the lines of a close-up zone lie
// further apart than the first reaches, and each is too long for a zone
// alone), wider openings (a zone whose blob the closing joined to print
// beside it, a column of short fields above, has no long rectangle's
// shape as a whole; they cut the thinner joins away and leave the zone,
// which is thicker than a line of print), and blobs 45% filled (a turned
// zone's blob is ragged). Later combinations add only zones not found
// before. It finds more of other print too, which costs a photo without
// an MRZ its reading: MRZZones is the fallback of other requests.
func (f *Frame) MRZZonesWide(maxSide, limit int) []geom.Quad {
	return f.mrzZones(maxSide, limit, []float64{0.012, 0.024}, []float64{0.004, 0.02, 0.035}, 0.45)
}

// mrzZones finds the zones with closings and openings of the given sizes
// (fractions of the reduced frame's long side), each combination on its
// own, and blobs at least minFill filled.
func (f *Frame) mrzZones(maxSide, limit int, closings, openings []float64, minFill float64) []geom.Quad {
	w, h := f.img.Cols(), f.img.Rows()
	if w < 16 || h < 16 || maxSide < 64 || limit < 1 {
		return nil
	}
	gray := f.smallGray(maxSide)
	defer gray.Close()
	sw, sh := gray.Cols(), gray.Rows()
	s := float64(sw) / float64(w) // small pixels per img pixel
	gocv.GaussianBlur(gray, &gray, image.Pt(3, 3), 0, 0, gocv.BorderDefault)

	// Element sizes follow the image: MRZ print worth reading is at least
	// about 1/150 of the long side per character.
	side := float64(max(sw, sh))
	k := func(frac float64) int { return max(3, int(math.Round(side*frac))|1) }
	black := gocv.NewMat()
	defer black.Close()
	el := gocv.GetStructuringElement(gocv.MorphRect, image.Pt(k(0.02), k(0.02)))
	defer el.Close()
	gocv.MorphologyEx(gray, &black, gocv.MorphBlackhat, el)

	gx, gy := gocv.NewMat(), gocv.NewMat()
	defer gx.Close()
	defer gy.Close()
	gocv.Sobel(black, &gx, gocv.MatTypeCV32F, 1, 0, 3, 1, 0, gocv.BorderDefault)
	gocv.Sobel(black, &gy, gocv.MatTypeCV32F, 0, 1, 3, 1, 0, gocv.BorderDefault)
	mag := gocv.NewMat()
	defer mag.Close()
	gocv.Magnitude(gx, gy, &mag)
	gocv.Normalize(mag, &mag, 0, 255, gocv.NormMinMax)
	grad := gocv.NewMat()
	defer grad.Close()
	mag.ConvertTo(&grad, gocv.MatTypeCV8U)

	type cand struct {
		q    geom.Quad
		area float64
	}
	var out []cand
	minLong := 0.12 * side
	closed, bin, opened := gocv.NewMat(), gocv.NewMat(), gocv.NewMat()
	defer closed.Close()
	defer bin.Close()
	defer opened.Close()
	first := true
	for _, cf := range closings {
		closeEl := gocv.GetStructuringElement(gocv.MorphRect, image.Pt(k(cf), k(cf)))
		gocv.MorphologyEx(grad, &closed, gocv.MorphClose, closeEl)
		gocv.Threshold(closed, &bin, 0, 255, gocv.ThresholdBinary|gocv.ThresholdOtsu)
		gocv.MorphologyEx(bin, &bin, gocv.MorphClose, closeEl)
		closeEl.Close()
		for _, of := range openings {
			openEl := gocv.GetStructuringElement(gocv.MorphRect, image.Pt(k(of), k(of)))
			gocv.MorphologyEx(bin, &opened, gocv.MorphOpen, openEl)
			openEl.Close()
			cs := gocv.FindContours(opened, gocv.RetrievalExternal, gocv.ChainApproxSimple)
			found := len(out)
			for i := 0; i < cs.Size(); i++ {
				c := cs.At(i)
				r := gocv.MinAreaRect(c)
				if len(r.Points) != 4 {
					continue
				}
				q := quadFromPoints(r.Points)
				long, short := q.Width(), q.Height()
				if long < short {
					q = geom.Quad{q[1], q[2], q[3], q[0]}
					long, short = short, long
				}
				if short < 4 || long < minLong {
					continue
				}
				aspect := long / short
				area := math.Abs(gocv.ContourArea(c))
				if aspect < 2.5 || aspect > 16 || area < minFill*long*short {
					continue
				}
				for j := range q {
					q[j] = geom.Point{q[j][0] * f.scale / s, q[j][1] * f.scale / s}
				}
				seen := false
				for _, o := range out[:found] {
					seen = seen || inQuad(o.q, q.Center())
				}
				if first || !seen {
					out = append(out, cand{q, long * short})
				}
			}
			cs.Close()
			first = false
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].area > out[j].area })
	var qs []geom.Quad
	for i := 0; i < len(out) && i < limit; i++ {
		qs = append(qs, out[i].q)
	}
	return qs
}

// inQuad: p lies inside the convex quad q.
func inQuad(q geom.Quad, p geom.Point) bool {
	var pos, neg bool
	for i := range q {
		a, b := q[i], q[(i+1)%4]
		c := (b[0]-a[0])*(p[1]-a[1]) - (b[1]-a[1])*(p[0]-a[0])
		pos, neg = pos || c > 0, neg || c < 0
	}
	return !(pos && neg)
}

// quadFromPoints orders a rectangle's corners clockwise from the one
// nearest the top left.
func quadFromPoints(ps []image.Point) geom.Quad {
	var cx, cy float64
	for _, p := range ps {
		cx, cy = cx+float64(p.X)/4, cy+float64(p.Y)/4
	}
	type ap struct {
		a float64
		p geom.Point
	}
	as := make([]ap, 4)
	for i, p := range ps[:4] {
		as[i] = ap{math.Atan2(float64(p.Y)-cy, float64(p.X)-cx), geom.Point{float64(p.X), float64(p.Y)}}
	}
	sort.Slice(as, func(i, j int) bool { return as[i].a < as[j].a }) // clockwise in image coordinates
	start := 0
	for i := range as {
		if as[i].p[0]+as[i].p[1] < as[start].p[0]+as[start].p[1] {
			start = i
		}
	}
	var q geom.Quad
	for i := 0; i < 4; i++ {
		q[i] = as[(start+i)%4].p
	}
	return q
}
