package synth

import (
	"bytes"
	"image"
	"image/draw"
	"image/jpeg"
	"math"
	"math/rand/v2"

	"docscan/internal/grayimg"
)

// All degradations work in place on opaque *image.RGBA images with a zero origin
// unless they return a new image.

// gaussKernel is a normalised 1-D Gaussian in 1/65536 units.
func gaussKernel(sigma float64) []int {
	r := int(math.Ceil(sigma * 3))
	if r < 1 {
		r = 1
	}
	k := make([]float64, 2*r+1)
	sum := 0.0
	for i := range k {
		d := float64(i - r)
		k[i] = math.Exp(-d * d / (2 * sigma * sigma))
		sum += k[i]
	}
	out := make([]int, len(k))
	for i := range k {
		out[i] = int(math.Round(k[i] / sum * 65536))
	}
	return out
}

// convolveSeparable applies the 1-D kernel horizontally, then vertically
// (edge pixels repeated).
func convolveSeparable(img *image.RGBA, k []int) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	r := len(k) / 2
	tmp := make([]uint8, len(img.Pix))
	// horizontal: img -> tmp
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride : y*img.Stride+w*4]
		out := tmp[y*img.Stride : y*img.Stride+w*4]
		for x := 0; x < w; x++ {
			var s0, s1, s2 int
			for i, kv := range k {
				xx := x + i - r
				if xx < 0 {
					xx = 0
				} else if xx >= w {
					xx = w - 1
				}
				o := xx * 4
				s0 += kv * int(row[o])
				s1 += kv * int(row[o+1])
				s2 += kv * int(row[o+2])
			}
			o := x * 4
			out[o], out[o+1], out[o+2], out[o+3] = uint8((s0+32768)>>16), uint8((s1+32768)>>16), uint8((s2+32768)>>16), row[o+3]
		}
	}
	// vertical: tmp -> img
	acc := make([]int, w*3)
	for y := 0; y < h; y++ {
		for i := range acc {
			acc[i] = 0
		}
		for i, kv := range k {
			yy := y + i - r
			if yy < 0 {
				yy = 0
			} else if yy >= h {
				yy = h - 1
			}
			src := tmp[yy*img.Stride:]
			for x := 0; x < w; x++ {
				acc[x*3] += kv * int(src[x*4])
				acc[x*3+1] += kv * int(src[x*4+1])
				acc[x*3+2] += kv * int(src[x*4+2])
			}
		}
		row := img.Pix[y*img.Stride:]
		for x := 0; x < w; x++ {
			row[x*4] = uint8((acc[x*3] + 32768) >> 16)
			row[x*4+1] = uint8((acc[x*3+1] + 32768) >> 16)
			row[x*4+2] = uint8((acc[x*3+2] + 32768) >> 16)
		}
	}
}

// GaussianBlur blurs with standard deviation sigma pixels.
func GaussianBlur(img *image.RGBA, sigma float64) {
	if sigma <= 0.05 {
		return
	}
	convolveSeparable(img, gaussKernel(sigma))
}

// BoxBlur blurs with a (2r+1)-wide box.
func BoxBlur(img *image.RGBA, r int) {
	if r <= 0 {
		return
	}
	k := make([]int, 2*r+1)
	for i := range k {
		k[i] = 65536 / len(k)
	}
	k[r] += 65536 - (65536/len(k))*len(k)
	convolveSeparable(img, k)
}

// MotionBlur averages n samples along a line of length px at angle degrees.
func MotionBlur(img *image.RGBA, length, angle float64) {
	n := int(math.Round(length))
	if n < 2 {
		return
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	src := make([]uint8, len(img.Pix))
	copy(src, img.Pix)
	dx, dy := math.Cos(angle*math.Pi/180), math.Sin(angle*math.Pi/180)
	offs := make([]int, 0, n)
	ox, oy := make([]int, 0, n), make([]int, 0, n)
	for i := 0; i < n; i++ {
		t := float64(i) - float64(n-1)/2
		ox = append(ox, int(math.Round(t*dx)))
		oy = append(oy, int(math.Round(t*dy)))
		offs = append(offs, oy[i]*img.Stride+ox[i]*4)
	}
	mx, my := int(math.Ceil(length/2))+1, int(math.Ceil(length/2))+1
	for y := 0; y < h; y++ {
		inner := y >= my && y < h-my
		for x := 0; x < w; x++ {
			base := y*img.Stride + x*4
			var s0, s1, s2 int
			if inner && x >= mx && x < w-mx {
				for _, o := range offs {
					s0 += int(src[base+o])
					s1 += int(src[base+o+1])
					s2 += int(src[base+o+2])
				}
			} else {
				for i := range offs {
					xx, yy := min(max(x+ox[i], 0), w-1), min(max(y+oy[i], 0), h-1)
					o := yy*img.Stride + xx*4
					s0 += int(src[o])
					s1 += int(src[o+1])
					s2 += int(src[o+2])
				}
			}
			img.Pix[base] = uint8((s0 + n/2) / n)
			img.Pix[base+1] = uint8((s1 + n/2) / n)
			img.Pix[base+2] = uint8((s2 + n/2) / n)
		}
	}
}

// Noise adds Gaussian sensor noise: sigma for luminance, chroma for each channel.
func Noise(img *image.RGBA, r *rand.Rand, sigma, chroma float64) {
	for o := 0; o+3 < len(img.Pix); o += 4 {
		l := r.NormFloat64() * sigma
		for k := 0; k < 3; k++ {
			v := float64(img.Pix[o+k]) + l
			if chroma > 0 {
				v += r.NormFloat64() * chroma
			}
			img.Pix[o+k] = grayimg.Clamp8(v)
		}
	}
}

// Gain multiplies every pixel by f(x, y) (per channel gains g).
func gain(img *image.RGBA, f func(x, y float64) float64, g [3]float64) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			m := f(float64(x), float64(y))
			o := y*img.Stride + x*4
			for k := 0; k < 3; k++ {
				img.Pix[o+k] = grayimg.Clamp8(float64(img.Pix[o+k]) * m * g[k])
			}
		}
	}
}

// Illumination applies uneven light: a linear ramp from gain a to gain b
// along the direction angle (degrees) across the image, times a vignette.
func Illumination(img *image.RGBA, a, b, angle, vignette float64) {
	bd := img.Bounds()
	w, h := float64(bd.Dx()), float64(bd.Dy())
	dx, dy := math.Cos(angle*math.Pi/180), math.Sin(angle*math.Pi/180)
	span := math.Abs(dx)*w + math.Abs(dy)*h
	cx, cy := w/2, h/2
	diag2 := cx*cx + cy*cy
	gain(img, func(x, y float64) float64 {
		t := ((x-cx)*dx+(y-cy)*dy)/span + 0.5
		v := 1 - vignette*((x-cx)*(x-cx)+(y-cy)*(y-cy))/diag2
		return (a + (b-a)*t) * v
	}, [3]float64{1, 1, 1})
}

// Shadow darkens the side of the line through (px, py) at angle (degrees)
// by strength (0..1), with a soft edge softness pixels wide.
func Shadow(img *image.RGBA, px, py, angle, strength, softness float64) {
	nx, ny := -math.Sin(angle*math.Pi/180), math.Cos(angle*math.Pi/180)
	gain(img, func(x, y float64) float64 {
		d := (x-px)*nx + (y-py)*ny
		t := 0.5 + d/softness
		t = math.Min(1, math.Max(0, t))
		t = t * t * (3 - 2*t)
		return 1 - strength*t
	}, [3]float64{1, 1, 1})
}

// Glare adds a bright elliptical highlight centred at (cx, cy) with radii rx,
// ry rotated by angle; strength 1 saturates the core to white.
func Glare(img *image.RGBA, cx, cy, rx, ry, angle, strength float64) {
	ca, sa := math.Cos(angle*math.Pi/180), math.Sin(angle*math.Pi/180)
	r := RectQuad(cx-2*math.Max(rx, ry), cy-2*math.Max(rx, ry), cx+2*math.Max(rx, ry), cy+2*math.Max(rx, ry)).Bounds().Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			dx, dy := float64(x)-cx, float64(y)-cy
			u, v := (dx*ca+dy*sa)/rx, (-dx*sa+dy*ca)/ry
			d2 := u*u + v*v
			// flat saturated core, Gaussian falloff
			a := strength * math.Exp(-math.Max(0, d2-0.3)*2.2)
			if a < 0.004 {
				continue
			}
			if strength >= 0.8 {
				a = math.Min(1, a*1.3) // saturated core
			}
			o := img.PixOffset(x, y)
			for k := 0; k < 3; k++ {
				img.Pix[o+k] = grayimg.Clamp8(float64(img.Pix[o+k])*(1-a) + 255*a)
			}
		}
	}
}

// Night darkens the image (gain, gamma > 1 crushes the shadows) with a
// colour cast, as a phone photo at night before its noise.
func Night(img *image.RGBA, g, gamma float64, cast [3]float64) {
	var lut [3][256]uint8
	for k := 0; k < 3; k++ {
		for v := 0; v < 256; v++ {
			lut[k][v] = grayimg.Clamp8(255 * math.Pow(float64(v)/255, gamma) * g * cast[k])
		}
	}
	for o := 0; o+3 < len(img.Pix); o += 4 {
		img.Pix[o] = lut[0][img.Pix[o]]
		img.Pix[o+1] = lut[1][img.Pix[o+1]]
		img.Pix[o+2] = lut[2][img.Pix[o+2]]
	}
}

// EncodeJPEG encodes img at quality q.
func EncodeJPEG(img image.Image, q int) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// JPEGRoundTrip re-encodes img at quality q and decodes it again (the
// compression artefacts of an earlier save, e.g. by a messenger app).
func JPEGRoundTrip(img *image.RGBA, q int) (*image.RGBA, error) {
	b, err := EncodeJPEG(img, q)
	if err != nil {
		return nil, err
	}
	d, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	out := image.NewRGBA(d.Bounds())
	draw.Draw(out, out.Bounds(), d, d.Bounds().Min, draw.Src)
	return out, nil
}

// Rotate90 rotates img by k quarter turns clockwise; quads given in img
// coordinates map with RotatePoint90.
func Rotate90(img *image.RGBA, k int) *image.RGBA {
	k = ((k % 4) + 4) % 4
	if k == 0 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	var out *image.RGBA
	if k == 2 {
		out = image.NewRGBA(image.Rect(0, 0, w, h))
	} else {
		out = image.NewRGBA(image.Rect(0, 0, h, w))
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var nx, ny int
			switch k {
			case 1:
				nx, ny = h-1-y, x
			case 2:
				nx, ny = w-1-x, h-1-y
			case 3:
				nx, ny = y, w-1-x
			}
			copy(out.Pix[out.PixOffset(nx, ny):out.PixOffset(nx, ny)+4], img.Pix[img.PixOffset(x, y):img.PixOffset(x, y)+4])
		}
	}
	return out
}

// RotatePoint90 maps a point of a w x h image rotated by k quarter turns clockwise.
func RotatePoint90(p Point, w, h, k int) Point {
	switch ((k % 4) + 4) % 4 {
	case 1:
		return Point{float64(h) - p.Y, p.X}
	case 2:
		return Point{float64(w) - p.X, float64(h) - p.Y}
	case 3:
		return Point{p.Y, float64(w) - p.X}
	}
	return p
}
