package synth

import (
	"errors"
	"image"
	"math"
)

// Point is a point in pixels (x right, y down).
type Point struct{ X, Y float64 }

// Quad is four corners: top-left, top-right, bottom-right, bottom-left of the
// object in its own reading orientation (so an upside-down card's TL is at the
// bottom right of the photo).
type Quad [4]Point

// RectQuad is the quad of the rectangle (x0,y0)-(x1,y1).
func RectQuad(x0, y0, x1, y1 float64) Quad {
	return Quad{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
}

// Pairs returns the quad as [[x,y],...] for JSON.
func (q Quad) Pairs() [][2]float64 {
	out := make([][2]float64, 4)
	for i, p := range q {
		out[i] = [2]float64{round2(p.X), round2(p.Y)}
	}
	return out
}

// Bounds is the smallest integer rectangle that holds the quad.
func (q Quad) Bounds() image.Rectangle {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range q {
		minX, minY = math.Min(minX, p.X), math.Min(minY, p.Y)
		maxX, maxY = math.Max(maxX, p.X), math.Max(maxY, p.Y)
	}
	return image.Rect(int(math.Floor(minX)), int(math.Floor(minY)), int(math.Ceil(maxX)), int(math.Ceil(maxY)))
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// Homography is a 3x3 projective transform, row-major, mapping (x, y, 1).
type Homography [9]float64

// Apply maps p.
func (h Homography) Apply(p Point) Point {
	w := h[6]*p.X + h[7]*p.Y + h[8]
	return Point{(h[0]*p.X + h[1]*p.Y + h[2]) / w, (h[3]*p.X + h[4]*p.Y + h[5]) / w}
}

// ApplyQuad maps every corner.
func (h Homography) ApplyQuad(q Quad) Quad {
	var out Quad
	for i, p := range q {
		out[i] = h.Apply(p)
	}
	return out
}

// Mul is h∘g (g first).
func (h Homography) Mul(g Homography) Homography {
	var m Homography
	for r := 0; r < 3; r++ {
		for c := 0; c < 3; c++ {
			m[r*3+c] = h[r*3]*g[c] + h[r*3+1]*g[3+c] + h[r*3+2]*g[6+c]
		}
	}
	return m
}

// Inverse is the inverse transform.
func (h Homography) Inverse() (Homography, error) {
	a, b, c, d, e, f, g, hh, i := h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8]
	A, B, C := e*i-f*hh, -(d*i - f*g), d*hh-e*g
	det := a*A + b*B + c*C
	if math.Abs(det) < 1e-12 {
		return Homography{}, errors.New("synth: singular homography")
	}
	inv := Homography{A, -(b*i - c*hh), b*f - c*e, B, a*i - c*g, -(a*f - c*d), C, -(a*hh - b*g), a*e - b*d}
	for k := range inv {
		inv[k] /= det
	}
	return inv, nil
}

// HomographyFromQuads is the transform that maps src[k] to dst[k] for the four
// point pairs (direct linear transform with h[8] = 1, solved exactly).
func HomographyFromQuads(src, dst Quad) (Homography, error) {
	var m [8][9]float64
	for k := 0; k < 4; k++ {
		x, y, u, v := src[k].X, src[k].Y, dst[k].X, dst[k].Y
		m[2*k] = [9]float64{x, y, 1, 0, 0, 0, -u * x, -u * y, u}
		m[2*k+1] = [9]float64{0, 0, 0, x, y, 1, -v * x, -v * y, v}
	}
	// Gauss-Jordan with partial pivoting.
	for c := 0; c < 8; c++ {
		p := c
		for r := c + 1; r < 8; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[p][c]) {
				p = r
			}
		}
		if math.Abs(m[p][c]) < 1e-12 {
			return Homography{}, errors.New("synth: degenerate quad")
		}
		m[c], m[p] = m[p], m[c]
		for r := 0; r < 8; r++ {
			if r == c {
				continue
			}
			f := m[r][c] / m[c][c]
			for k := c; k < 9; k++ {
				m[r][k] -= f * m[c][k]
			}
		}
	}
	var h Homography
	for k := 0; k < 8; k++ {
		h[k] = m[k][8] / m[k][k]
	}
	h[8] = 1
	return h, nil
}

// Warp composites src (with its alpha) onto dst so that src's bounds land on
// quad q, by inverse mapping with bilinear sampling. It returns the forward
// homography from src pixel coordinates to dst.
func Warp(dst *image.RGBA, src *image.RGBA, q Quad) (Homography, error) {
	sb := src.Bounds()
	h, err := HomographyFromQuads(RectQuad(float64(sb.Min.X), float64(sb.Min.Y), float64(sb.Max.X), float64(sb.Max.Y)), q)
	if err != nil {
		return h, err
	}
	inv, err := h.Inverse()
	if err != nil {
		return h, err
	}
	r := q.Bounds().Inset(-1).Intersect(dst.Bounds())
	sw, sh := sb.Dx(), sb.Dy()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		py := float64(y) + 0.5
		row := dst.Pix[dst.PixOffset(r.Min.X, y):]
		for x := r.Min.X; x < r.Max.X; x++ {
			px := float64(x) + 0.5
			w := inv[6]*px + inv[7]*py + inv[8]
			sx := (inv[0]*px+inv[1]*py+inv[2])/w - float64(sb.Min.X) - 0.5
			sy := (inv[3]*px+inv[4]*py+inv[5])/w - float64(sb.Min.Y) - 0.5
			if sx < -1 || sy < -1 || sx >= float64(sw) || sy >= float64(sh) {
				continue
			}
			c := bilinear(src, sw, sh, sx, sy)
			if c[3] == 0 {
				continue
			}
			o := (x - r.Min.X) * 4
			a := 255 - c[3]
			for k := 0; k < 4; k++ {
				row[o+k] = uint8(int(c[k]) + (int(row[o+k])*int(a)+127)/255)
			}
		}
	}
	return h, nil
}

// bilinear samples src (origin-relative coordinates, pixel centres at
// integers); outside pixels are transparent.
func bilinear(src *image.RGBA, w, h int, x, y float64) [4]uint8 {
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	fx, fy := x-float64(x0), y-float64(y0)
	var acc [4]float64
	for j := 0; j < 2; j++ {
		yy := y0 + j
		if yy < 0 || yy >= h {
			continue
		}
		wy := fy
		if j == 0 {
			wy = 1 - fy
		}
		for i := 0; i < 2; i++ {
			xx := x0 + i
			if xx < 0 || xx >= w {
				continue
			}
			wx := fx
			if i == 0 {
				wx = 1 - fx
			}
			o := yy*src.Stride + xx*4
			wt := wx * wy
			acc[0] += wt * float64(src.Pix[o])
			acc[1] += wt * float64(src.Pix[o+1])
			acc[2] += wt * float64(src.Pix[o+2])
			acc[3] += wt * float64(src.Pix[o+3])
		}
	}
	return [4]uint8{uint8(acc[0] + 0.5), uint8(acc[1] + 0.5), uint8(acc[2] + 0.5), uint8(acc[3] + 0.5)}
}

// Downscale shrinks src by an integer factor with a box filter (used before a
// strongly minifying warp so the bilinear sampling does not alias).
func Downscale(src *image.RGBA, f int) *image.RGBA {
	if f <= 1 {
		return src
	}
	b := src.Bounds()
	w, h := b.Dx()/f, b.Dy()/f
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	n := f * f
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var s [4]int
			for j := 0; j < f; j++ {
				o := (y*f+j)*src.Stride + x*f*4
				for i := 0; i < f; i++ {
					s[0] += int(src.Pix[o])
					s[1] += int(src.Pix[o+1])
					s[2] += int(src.Pix[o+2])
					s[3] += int(src.Pix[o+3])
					o += 4
				}
			}
			d := dst.PixOffset(x, y)
			for k := 0; k < 4; k++ {
				dst.Pix[d+k] = uint8((s[k] + n/2) / n)
			}
		}
	}
	return dst
}
