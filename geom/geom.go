// Package geom holds the plain geometry types shared by the pipeline stages:
// points, quadrilaterals and rotated rectangles in image pixel coordinates.
package geom

import (
	"math"
	"sort"
)

// Point is an (x, y) position in pixels. It marshals as [x, y].
type Point [2]float64

// X returns the x coordinate.
func (p Point) X() float64 { return p[0] }

// Y returns the y coordinate.
func (p Point) Y() float64 { return p[1] }

// Quad is a quadrilateral, clockwise from the top-left corner (in image
// coordinates, y down). It marshals as [[x,y],[x,y],[x,y],[x,y]].
type Quad [4]Point

// Bounds returns the axis-aligned bounding box as min x, min y, max x, max y.
func (q Quad) Bounds() (x0, y0, x1, y1 float64) {
	x0, y0 = math.Inf(1), math.Inf(1)
	x1, y1 = math.Inf(-1), math.Inf(-1)
	for _, p := range q {
		x0 = math.Min(x0, p[0])
		y0 = math.Min(y0, p[1])
		x1 = math.Max(x1, p[0])
		y1 = math.Max(y1, p[1])
	}
	return
}

// Scale multiplies every coordinate by s.
func (q Quad) Scale(sx, sy float64) Quad {
	for i := range q {
		q[i][0] *= sx
		q[i][1] *= sy
	}
	return q
}

// Width is the mean length of the top and bottom edges.
func (q Quad) Width() float64 { return (dist(q[0], q[1]) + dist(q[3], q[2])) / 2 }

// Height is the mean length of the left and right edges.
func (q Quad) Height() float64 { return (dist(q[0], q[3]) + dist(q[1], q[2])) / 2 }

// Angle is the direction of the top edge in degrees, (-180, 180].
func (q Quad) Angle() float64 {
	return math.Atan2(q[1][1]-q[0][1], q[1][0]-q[0][0]) * 180 / math.Pi
}

// AngleTo is the absolute difference between the top-edge directions of q
// and o, in degrees, 0..180.
func (q Quad) AngleTo(o Quad) float64 {
	d := math.Abs(q.Angle() - o.Angle())
	if d > 180 {
		d = 360 - d
	}
	return d
}

// AxisAngleTo is the angle in degrees (0-90) between the text lines of q
// and o, whichever way each reads: a line read upside down lies on the
// same axis.
func (q Quad) AxisAngleTo(o Quad) float64 {
	d := q.AngleTo(o)
	if d > 90 {
		d = 180 - d
	}
	return d
}

// Center is the mean of the corners.
func (q Quad) Center() Point {
	var c Point
	for _, p := range q {
		c[0] += p[0] / 4
		c[1] += p[1] / 4
	}
	return c
}

// Area is the polygon area (shoelace).
func (q Quad) Area() float64 { return math.Abs(polyArea(q[:])) }

// Rotate180 returns the same quad starting from the opposite corner, so that
// the text it holds reads the other way up.
func (q Quad) Rotate180() Quad { return Quad{q[2], q[3], q[0], q[1]} }

func dist(a, b Point) float64 { return math.Hypot(a[0]-b[0], a[1]-b[1]) }

func polyArea(ps []Point) float64 {
	var s float64
	for i := range ps {
		j := (i + 1) % len(ps)
		s += ps[i][0]*ps[j][1] - ps[j][0]*ps[i][1]
	}
	return s / 2
}

// ConvexHull returns the convex hull of pts (monotone chain), counter-
// clockwise in a y-up frame. It returns pts as-is when there are fewer than 3.
func ConvexHull(pts []Point) []Point {
	if len(pts) < 3 {
		return append([]Point(nil), pts...)
	}
	p := append([]Point(nil), pts...)
	sort.Slice(p, func(i, j int) bool {
		if p[i][0] != p[j][0] {
			return p[i][0] < p[j][0]
		}
		return p[i][1] < p[j][1]
	})
	cross := func(o, a, b Point) float64 {
		return (a[0]-o[0])*(b[1]-o[1]) - (a[1]-o[1])*(b[0]-o[0])
	}
	h := make([]Point, 0, 2*len(p))
	for _, pt := range p {
		for len(h) >= 2 && cross(h[len(h)-2], h[len(h)-1], pt) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, pt)
	}
	lower := len(h) + 1
	for i := len(p) - 2; i >= 0; i-- {
		pt := p[i]
		for len(h) >= lower && cross(h[len(h)-2], h[len(h)-1], pt) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, pt)
	}
	return h[:len(h)-1]
}

// RotatedRect is a rectangle of size W x H centred on C, rotated by Angle
// radians (the direction of the W side).
type RotatedRect struct {
	C     Point
	W, H  float64
	Angle float64
}

// MinAreaRect returns the minimum-area enclosing rectangle of pts (rotating
// calipers over the convex hull). W is always the longer side.
func MinAreaRect(pts []Point) RotatedRect {
	h := ConvexHull(pts)
	if len(h) == 0 {
		return RotatedRect{}
	}
	if len(h) < 3 {
		a, b := h[0], h[len(h)-1]
		return RotatedRect{C: Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2}, W: dist(a, b),
			Angle: math.Atan2(b[1]-a[1], b[0]-a[0])}
	}
	best := RotatedRect{W: math.Inf(1), H: math.Inf(1)}
	bestArea := math.Inf(1)
	for i := range h {
		a, b := h[i], h[(i+1)%len(h)]
		th := math.Atan2(b[1]-a[1], b[0]-a[0])
		c, s := math.Cos(th), math.Sin(th)
		minU, maxU, minV, maxV := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
		for _, p := range h {
			u := p[0]*c + p[1]*s
			v := -p[0]*s + p[1]*c
			minU, maxU = math.Min(minU, u), math.Max(maxU, u)
			minV, maxV = math.Min(minV, v), math.Max(maxV, v)
		}
		area := (maxU - minU) * (maxV - minV)
		if area < bestArea {
			bestArea = area
			cu, cv := (minU+maxU)/2, (minV+maxV)/2
			best = RotatedRect{
				C:     Point{cu*c - cv*s, cu*s + cv*c},
				W:     maxU - minU,
				H:     maxV - minV,
				Angle: th,
			}
		}
	}
	if best.H > best.W {
		best.W, best.H = best.H, best.W
		best.Angle += math.Pi / 2
	}
	// Normalize the angle to (-pi/2, pi/2] so that the W side points right.
	for best.Angle > math.Pi/2 {
		best.Angle -= math.Pi
	}
	for best.Angle <= -math.Pi/2 {
		best.Angle += math.Pi
	}
	return best
}

// Quad returns the corners of r as TL, TR, BR, BL, with the W side as the top
// edge pointing right.
func (r RotatedRect) Quad() Quad {
	c, s := math.Cos(r.Angle), math.Sin(r.Angle)
	ux, uy := c*r.W/2, s*r.W/2
	vx, vy := -s*r.H/2, c*r.H/2
	return Quad{
		{r.C[0] - ux - vx, r.C[1] - uy - vy},
		{r.C[0] + ux - vx, r.C[1] + uy - vy},
		{r.C[0] + ux + vx, r.C[1] + uy + vy},
		{r.C[0] - ux + vx, r.C[1] - uy + vy},
	}
}

// Expand grows r by d on every side.
func (r RotatedRect) Expand(d float64) RotatedRect {
	r.W += 2 * d
	r.H += 2 * d
	return r
}
