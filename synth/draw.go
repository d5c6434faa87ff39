package synth

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"

	"docscan/internal/grayimg"
)

// sdfFill blends c into img where the signed distance sd(x, y) (negative
// inside, pixels) says so, with a one-pixel antialiased edge, within r.
func sdfFill(img *image.RGBA, r image.Rectangle, sd func(x, y float64) float64, c color.RGBA) {
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			d := sd(float64(x)+0.5, float64(y)+0.5)
			if d >= 0.5 {
				continue
			}
			cov := math.Min(1, 0.5-d) * float64(c.A) / 255
			o := img.PixOffset(x, y)
			blend(img.Pix[o:o+4], c, cov)
		}
	}
}

// blend mixes straight colour c with coverage a over the premultiplied pixel p.
func blend(p []uint8, c color.RGBA, a float64) {
	if a >= 0.999 {
		p[0], p[1], p[2], p[3] = c.R, c.G, c.B, 255
		return
	}
	p[0] = grayimg.Clamp8(float64(c.R)*a + float64(p[0])*(1-a))
	p[1] = grayimg.Clamp8(float64(c.G)*a + float64(p[1])*(1-a))
	p[2] = grayimg.Clamp8(float64(c.B)*a + float64(p[2])*(1-a))
	p[3] = grayimg.Clamp8(255*a + float64(p[3])*(1-a))
}

// FillRect fills an axis-aligned rectangle (antialiased edges).
func FillRect(img *image.RGBA, x0, y0, x1, y1 float64, c color.RGBA) {
	FillRoundRect(img, x0, y0, x1, y1, 0, c)
}

// FillRoundRect fills a rectangle with corner radius rad.
func FillRoundRect(img *image.RGBA, x0, y0, x1, y1, rad float64, c color.RGBA) {
	cx, cy := (x0+x1)/2, (y0+y1)/2
	hx, hy := (x1-x0)/2, (y1-y0)/2
	rad = math.Min(rad, math.Min(hx, hy))
	sdfFill(img, image.Rect(int(x0)-1, int(y0)-1, int(x1)+2, int(y1)+2), func(x, y float64) float64 {
		qx, qy := math.Abs(x-cx)-hx+rad, math.Abs(y-cy)-hy+rad
		out := math.Hypot(math.Max(qx, 0), math.Max(qy, 0))
		return out + math.Min(math.Max(qx, qy), 0) - rad
	}, c)
}

// StrokeRoundRect draws the outline of a rounded rectangle, width wd, inside the box.
func StrokeRoundRect(img *image.RGBA, x0, y0, x1, y1, rad, wd float64, c color.RGBA) {
	cx, cy := (x0+x1)/2, (y0+y1)/2
	hx, hy := (x1-x0)/2, (y1-y0)/2
	rad = math.Min(rad, math.Min(hx, hy))
	sdfFill(img, image.Rect(int(x0)-1, int(y0)-1, int(x1)+2, int(y1)+2), func(x, y float64) float64 {
		qx, qy := math.Abs(x-cx)-hx+rad, math.Abs(y-cy)-hy+rad
		d := math.Hypot(math.Max(qx, 0), math.Max(qy, 0)) + math.Min(math.Max(qx, qy), 0) - rad
		return math.Max(d, -d-wd)
	}, c)
}

// FillEllipse fills an ellipse (approximate distance, fine for AA).
func FillEllipse(img *image.RGBA, cx, cy, rx, ry float64, c color.RGBA) {
	sdfFill(img, image.Rect(int(cx-rx)-1, int(cy-ry)-1, int(cx+rx)+2, int(cy+ry)+2), func(x, y float64) float64 {
		u, v := (x-cx)/rx, (y-cy)/ry
		k := math.Hypot(u, v)
		g := math.Hypot(u/rx, v/ry)
		if g == 0 {
			return -math.Min(rx, ry)
		}
		return (k - 1) * k / g
	}, c)
}

// StrokeLine draws a segment of width wd with round caps.
func StrokeLine(img *image.RGBA, x0, y0, x1, y1, wd float64, c color.RGBA) {
	dx, dy := x1-x0, y1-y0
	l2 := dx*dx + dy*dy
	r := image.Rect(int(math.Min(x0, x1)-wd)-1, int(math.Min(y0, y1)-wd)-1, int(math.Max(x0, x1)+wd)+2, int(math.Max(y0, y1)+wd)+2)
	sdfFill(img, r, func(x, y float64) float64 {
		t := 0.0
		if l2 > 0 {
			t = math.Max(0, math.Min(1, ((x-x0)*dx+(y-y0)*dy)/l2))
		}
		return math.Hypot(x-x0-t*dx, y-y0-t*dy) - wd/2
	}, c)
}

// FillPolygon fills a convex polygon given clockwise or counter-clockwise.
func FillPolygon(img *image.RGBA, pts []Point, c color.RGBA) {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		minX, minY, maxX, maxY = math.Min(minX, p.X), math.Min(minY, p.Y), math.Max(maxX, p.X), math.Max(maxY, p.Y)
	}
	area := 0.0
	for i := range pts {
		j := (i + 1) % len(pts)
		area += pts[i].X*pts[j].Y - pts[j].X*pts[i].Y
	}
	sign := 1.0
	if area < 0 {
		sign = -1
	}
	sdfFill(img, image.Rect(int(minX)-1, int(minY)-1, int(maxX)+2, int(maxY)+2), func(x, y float64) float64 {
		d := math.Inf(-1)
		for i := range pts {
			j := (i + 1) % len(pts)
			ex, ey := pts[j].X-pts[i].X, pts[j].Y-pts[i].Y
			l := math.Hypot(ex, ey)
			if l == 0 {
				continue
			}
			// outward normal for a positive-area (clockwise on screen) polygon
			s := sign * ((x-pts[i].X)*ey - (y-pts[i].Y)*ex) / l
			d = math.Max(d, s)
		}
		return d
	}, c)
}

// Fill sets every pixel to c.
func Fill(img *image.RGBA, c color.RGBA) {
	for o := 0; o+3 < len(img.Pix); o += 4 {
		img.Pix[o], img.Pix[o+1], img.Pix[o+2], img.Pix[o+3] = c.R, c.G, c.B, c.A
	}
}

// VerticalGradient fills img from colour top to colour bottom.
func VerticalGradient(img *image.RGBA, top, bottom color.RGBA) {
	b := img.Bounds()
	h := b.Dy()
	for y := 0; y < h; y++ {
		t := float64(y) / math.Max(1, float64(h-1))
		c := lerpColor(top, bottom, t)
		row := img.Pix[y*img.Stride : y*img.Stride+b.Dx()*4]
		for o := 0; o < len(row); o += 4 {
			row[o], row[o+1], row[o+2], row[o+3] = c.R, c.G, c.B, 255
		}
	}
}

func lerpColor(a, b color.RGBA, t float64) color.RGBA {
	l := func(x, y uint8) uint8 { return grayimg.Clamp8(float64(x) + (float64(y)-float64(x))*t) }
	return color.RGBA{l(a.R, b.R), l(a.G, b.G), l(a.B, b.B), l(a.A, b.A)}
}

// ValueNoise modulates img by smooth random noise with the given cell size
// (pixels) and amplitude (+-amp in 0..255 units).
func ValueNoise(img *image.RGBA, r *rand.Rand, cell, amp float64) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	gw, gh := int(float64(w)/cell)+2, int(float64(h)/cell)+2
	g := make([]float64, gw*gh)
	for i := range g {
		g[i] = (r.Float64()*2 - 1) * amp
	}
	for y := 0; y < h; y++ {
		fy := float64(y) / cell
		y0 := int(fy)
		ty := fy - float64(y0)
		ty = ty * ty * (3 - 2*ty)
		for x := 0; x < w; x++ {
			fx := float64(x) / cell
			x0 := int(fx)
			tx := fx - float64(x0)
			tx = tx * tx * (3 - 2*tx)
			a := g[y0*gw+x0]*(1-tx) + g[y0*gw+x0+1]*tx
			c := g[(y0+1)*gw+x0]*(1-tx) + g[(y0+1)*gw+x0+1]*tx
			v := a*(1-ty) + c*ty
			o := y*img.Stride + x*4
			img.Pix[o] = grayimg.Clamp8(float64(img.Pix[o]) + v)
			img.Pix[o+1] = grayimg.Clamp8(float64(img.Pix[o+1]) + v)
			img.Pix[o+2] = grayimg.Clamp8(float64(img.Pix[o+2]) + v)
		}
	}
}

func randColor(r *rand.Rand, lo, hi int) color.RGBA {
	c := func() uint8 { return uint8(lo + r.IntN(hi-lo+1)) }
	return color.RGBA{c(), c(), c(), 255}
}

func uniform(r *rand.Rand, a, b float64) float64 { return a + (b-a)*r.Float64() }

// Clutter paints a procedural background: a surface (wood table, laminate,
// fabric, car bonnet or asphalt) with texture, objects (paper sheets, boxes,
// pens, cables) and lines. kind "" picks one at random.
func Clutter(img *image.RGBA, r *rand.Rand, kind string) string {
	b := img.Bounds()
	w, h := float64(b.Dx()), float64(b.Dy())
	kinds := []string{"wood", "laminate", "fabric", "bonnet", "asphalt"}
	if kind == "" {
		kind = kinds[r.IntN(len(kinds))]
	}
	s := math.Max(w, h) / 1000 // feature scale
	switch kind {
	case "wood":
		base := color.RGBA{uint8(120 + r.IntN(80)), uint8(70 + r.IntN(50)), uint8(30 + r.IntN(40)), 255}
		VerticalGradient(img, base, lerpColor(base, color.RGBA{0, 0, 0, 255}, 0.25))
		woodGrain(img, r, s)
	case "laminate":
		c := randColor(r, 150, 235)
		VerticalGradient(img, c, lerpColor(c, color.RGBA{40, 40, 40, 255}, 0.3))
		ValueNoise(img, r, 40*s, 10)
	case "fabric":
		c := color.RGBA{uint8(40 + r.IntN(160)), uint8(40 + r.IntN(160)), uint8(40 + r.IntN(160)), 255}
		Fill(img, c)
		ValueNoise(img, r, 3*s+1, 18)
		ValueNoise(img, r, 60*s, 20)
	case "bonnet":
		c := color.RGBA{uint8(20 + r.IntN(200)), uint8(20 + r.IntN(200)), uint8(20 + r.IntN(200)), 255}
		VerticalGradient(img, lerpColor(c, color.RGBA{255, 255, 255, 255}, 0.35), lerpColor(c, color.RGBA{0, 0, 0, 255}, 0.4))
		for i := 0; i < 3; i++ { // reflections of the sky
			y := uniform(r, 0, h)
			FillPolygon(img, []Point{{-10, y}, {w + 10, y + uniform(r, -h/4, h/4)}, {w + 10, y + uniform(r, 20, 120)*s}, {-10, y + uniform(r, 20, 120)*s}},
				color.RGBA{255, 255, 255, uint8(20 + r.IntN(40))})
		}
		ValueNoise(img, r, 200*s, 12)
	default: // asphalt
		c := randColor(r, 60, 120)
		Fill(img, c)
		ValueNoise(img, r, 2*s+1, 22)
		ValueNoise(img, r, 80*s, 15)
	}
	// objects
	for i, n := 0, r.IntN(7); i < n; i++ {
		cx, cy := uniform(r, 0, w), uniform(r, 0, h)
		switch r.IntN(4) {
		case 0: // sheet of paper with text lines
			pw, ph := uniform(r, 150, 500)*s, uniform(r, 200, 600)*s
			ang := uniform(r, -0.6, 0.6)
			paper := randColor(r, 215, 250)
			pts := rotRect(cx, cy, pw, ph, ang)
			FillPolygon(img, pts, paper)
			for l := 0; l < int(ph/(25*s)); l++ {
				f := (float64(l)*25*s + 30*s) / ph
				if f > 0.9 {
					break
				}
				a, e := lerpPt(pts[0], pts[3], f), lerpPt(pts[1], pts[2], f)
				p0, p1 := lerpPt(a, e, 0.08), lerpPt(a, e, uniform(r, 0.3, 0.9))
				StrokeLine(img, p0.X, p0.Y, p1.X, p1.Y, 4*s, color.RGBA{90, 90, 100, 200})
			}
		case 1: // box / phone / wallet
			FillPolygon(img, rotRect(cx, cy, uniform(r, 80, 400)*s, uniform(r, 80, 400)*s, uniform(r, -1.5, 1.5)), randColor(r, 10, 200))
		case 2: // pen / cable
			StrokeLine(img, cx, cy, cx+uniform(r, -400, 400)*s, cy+uniform(r, -400, 400)*s, uniform(r, 3, 14)*s, randColor(r, 0, 220))
		default: // coin / cup
			rad := uniform(r, 20, 120) * s
			c := randColor(r, 60, 220)
			FillEllipse(img, cx, cy, rad, rad, c)
			FillEllipse(img, cx, cy, rad*0.8, rad*0.8, lerpColor(c, color.RGBA{0, 0, 0, 255}, 0.2))
		}
	}
	for i, n := 0, r.IntN(4); i < n; i++ { // seams, edges
		StrokeLine(img, uniform(r, -100, w), uniform(r, -100, h), uniform(r, 0, w+100), uniform(r, 0, h+100), uniform(r, 1, 4)*s, color.RGBA{0, 0, 0, uint8(40 + r.IntN(100))})
	}
	return kind
}

func woodGrain(img *image.RGBA, r *rand.Rand, s float64) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	f1, f2 := uniform(r, 0.02, 0.06)/s, uniform(r, 0.002, 0.006)/s
	ph := r.Float64() * 10
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := math.Sin(float64(y)*f1+5*math.Sin(float64(x)*f2+ph)) * 14
			o := y*img.Stride + x*4
			img.Pix[o] = grayimg.Clamp8(float64(img.Pix[o]) + v)
			img.Pix[o+1] = grayimg.Clamp8(float64(img.Pix[o+1]) + v*0.8)
			img.Pix[o+2] = grayimg.Clamp8(float64(img.Pix[o+2]) + v*0.5)
		}
	}
	ValueNoise(img, r, 50*s, 10)
}

func rotRect(cx, cy, w, h, ang float64) []Point {
	c, s := math.Cos(ang), math.Sin(ang)
	var pts []Point
	for _, d := range [][2]float64{{-1, -1}, {1, -1}, {1, 1}, {-1, 1}} {
		x, y := d[0]*w/2, d[1]*h/2
		pts = append(pts, Point{cx + x*c - y*s, cy + x*s + y*c})
	}
	return pts
}

func lerpPt(a, b Point, t float64) Point { return Point{a.X + (b.X-a.X)*t, a.Y + (b.Y-a.Y)*t} }
