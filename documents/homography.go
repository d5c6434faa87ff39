package documents

import (
	"math"

	"docscan/geom"
)

// Homography maps points of the normalized image to the photo.
type Homography [9]float64

// CardHomography maps the w x h normalized image onto quad q.
func CardHomography(q geom.Quad, w, h float64) (Homography, bool) {
	return solve(geom.Quad{{0, 0}, {w, 0}, {w, h}, {0, h}}, q)
}

// PhotoHomography maps quad q of the photo onto the w x h normalized image.
func PhotoHomography(q geom.Quad, w, h float64) (Homography, bool) {
	return solve(q, geom.Quad{{0, 0}, {w, 0}, {w, h}, {0, h}})
}

// solve finds the homography taking src's corners to dst's.
func solve(src, dst geom.Quad) (Homography, bool) {
	var buf [8][9]float64
	for i := 0; i < 4; i++ {
		buf[2*i], buf[2*i+1] = dltRows(src[i][0], src[i][1], dst[i][0], dst[i][1])
	}
	a := [][]float64{buf[0][:], buf[1][:], buf[2][:], buf[3][:], buf[4][:], buf[5][:], buf[6][:], buf[7][:]}
	return homographyFrom(a)
}

// dltRows are the two equations a point pair (x, y) -> (u, v) puts on a
// homography's first eight entries (the ninth 1), the right-hand side
// last.
func dltRows(x, y, u, v float64) (r0, r1 [9]float64) {
	return [9]float64{x, y, 1, 0, 0, 0, -u * x, -u * y, u},
		[9]float64{0, 0, 0, x, y, 1, -v * x, -v * y, v}
}

// homographyFrom solves the 8 x 8 system a (right-hand side in column 8)
// for a homography's first eight entries.
func homographyFrom(a [][]float64) (Homography, bool) {
	var hm Homography
	if !solveLinear(a, hm[:8]) {
		return Homography{}, false
	}
	hm[8] = 1
	return hm, true
}

// solveLinear solves the n x n system m (right-hand side in column n) into
// x by Gaussian elimination with partial pivoting; m is overwritten.
func solveLinear(m [][]float64, x []float64) bool {
	n := len(m)
	for c := range n {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[p][c]) {
				p = r
			}
		}
		if math.Abs(m[p][c]) < 1e-12 {
			return false
		}
		m[c], m[p] = m[p], m[c]
		for r := range n {
			if r == c {
				continue
			}
			f := m[r][c] / m[c][c]
			for k := c; k <= n; k++ {
				m[r][k] -= f * m[c][k]
			}
		}
	}
	for i := range n {
		x[i] = m[i][n] / m[i][i]
	}
	return true
}

// Apply maps a point.
func (hm Homography) Apply(x, y float64) geom.Point {
	w := hm[6]*x + hm[7]*y + hm[8]
	return geom.Point{(hm[0]*x + hm[1]*y + hm[2]) / w, (hm[3]*x + hm[4]*y + hm[5]) / w}
}

// Box maps a normalized box (x0, y0, x1, y1) to the photo's axis-aligned
// box as x, y, w, h.
func (hm Homography) Box(b [4]float64) [4]float64 {
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range [][2]float64{{b[0], b[1]}, {b[2], b[1]}, {b[2], b[3]}, {b[0], b[3]}} {
		q := hm.Apply(p[0], p[1])
		x0, y0, x1, y1 = math.Min(x0, q[0]), math.Min(y0, q[1]), math.Max(x1, q[0]), math.Max(y1, q[1])
	}
	r := func(v float64) float64 { return math.Round(v*10) / 10 }
	return [4]float64{r(x0), r(y0), r(x1 - x0), r(y1 - y0)}
}

// Placing is the homography taking the normalized image (w x h) of a card
// whose corners lie at c on it onto the card itself (its corners at (0,0),
// (w,0), (w,h), (0,h)): where a registration (RegisterLicence,
// RegisterIDCard) found the card elsewhere than its outline, the lines
// found on the image stand there on the card.
func Placing(c geom.Quad, w, h int) (Homography, bool) {
	W, H := float64(w), float64(h)
	return solve(c, geom.Quad{{0, 0}, {W, 0}, {W, H}, {0, H}})
}
