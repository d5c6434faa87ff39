package preprocess

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"docscan/geom"

	"gocv.io/x/gocv"
)

// Tensor is a float32 NCHW image tensor with the mapping back to original
// upright pixel coordinates.
type Tensor struct {
	Data           []float32 // 1 x 3 x H x W
	W, H           int
	ScaleX, ScaleY float64 // original pixels per tensor pixel
}

// DetTensor resizes the frame so that its long side is at most maxSide (and
// both sides multiples of 32, as DB text detectors need) and normalizes it
// with the ImageNet mean and deviation, in the frame's BGR channel order as
// PaddleOCR's detector was trained.
func (f *Frame) DetTensor(maxSide int) Tensor {
	w, h := f.img.Cols(), f.img.Rows()
	// Small images are enlarged at most 2x: more costs time and finds nothing new.
	s := math.Min(2, float64(maxSide)/float64(max(w, h)))
	rw := max(32, int(math.Round(float64(w)*s/32))*32)
	rh := max(32, int(math.Round(float64(h)*s/32))*32)
	small := gocv.NewMat()
	defer small.Close()
	areaResize(f.img, &small, image.Pt(rw, rh))
	mean := [3]float32{0.485, 0.456, 0.406}
	std := [3]float32{0.229, 0.224, 0.225}
	// The image fills the top left of a tensor whose sides are rounded up
	// to multiples of 64 (the rest is the normalized mean, blank to the
	// detector): fewer distinct input shapes keep ONNX Runtime's memory
	// arena from growing with every new photo size.
	tw, th := (rw+63)/64*64, (rh+63)/64*64
	t := Tensor{Data: make([]float32, 3*tw*th), W: tw, H: th,
		ScaleX: float64(f.width) / float64(rw), ScaleY: float64(f.height) / float64(rh)}
	fillCHW(small, t.Data, tw, mean, std)
	return t
}

// fillCHW writes the BGR bytes of m as normalized planes of width stride
// (at least m's) into dst, whose other values stay 0.
func fillCHW(m gocv.Mat, dst []float32, stride int, mean, std [3]float32) {
	w, h := m.Cols(), m.Rows()
	buf, err := m.DataPtrUint8()
	if err != nil || !m.IsContinuous() {
		buf = m.ToBytes()
	}
	plane := len(dst) / 3
	var lut [3][256]float32
	for c := 0; c < 3; c++ {
		for v := 0; v < 256; v++ {
			lut[c][v] = (float32(v)/255 - mean[c]) / std[c]
		}
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			p := buf[3*(y*w+x):]
			i := y*stride + x
			dst[i] = lut[0][p[0]]
			dst[plane+i] = lut[1][p[1]]
			dst[2*plane+i] = lut[2][p[2]]
		}
	}
}

// Warp cuts the quad q (original upright coordinates, TL,TR,BR,BL) out of the
// frame and maps it onto a w x h image, correcting rotation and perspective.
// gray selects a one-channel *image.Gray result; otherwise *image.RGBA.
func (f *Frame) Warp(q geom.Quad, w, h int, gray bool) (image.Image, error) {
	if w <= 0 || h <= 0 || w > 8000 || h > 8000 {
		return nil, fmt.Errorf("warp: bad output size %dx%d", w, h)
	}
	srcF := gocv.NewPoint2fVectorFromPoints([]gocv.Point2f{
		{X: float32(q[0][0] / f.scale), Y: float32(q[0][1] / f.scale)},
		{X: float32(q[1][0] / f.scale), Y: float32(q[1][1] / f.scale)},
		{X: float32(q[2][0] / f.scale), Y: float32(q[2][1] / f.scale)},
		{X: float32(q[3][0] / f.scale), Y: float32(q[3][1] / f.scale)},
	})
	defer srcF.Close()
	dstF := gocv.NewPoint2fVectorFromPoints([]gocv.Point2f{
		{X: 0, Y: 0}, {X: float32(w), Y: 0}, {X: float32(w), Y: float32(h)}, {X: 0, Y: float32(h)},
	})
	defer dstF.Close()
	m := gocv.GetPerspectiveTransform2f(srcF, dstF)
	defer m.Close()
	out := gocv.NewMat()
	defer out.Close()
	gocv.WarpPerspectiveWithParams(f.img, &out, m, image.Pt(w, h), gocv.InterpolationLinear,
		gocv.BorderReplicate, color.RGBA{})
	if gray {
		g := gocv.NewMat()
		defer g.Close()
		gocv.CvtColor(out, &g, gocv.ColorBGRToGray)
		return g.ToImage()
	}
	return out.ToImage()
}

// Letterbox is the frame scaled to fit a model input of W x H without
// distortion, centred on grey (114) padding, as YOLO detectors are fed: RGB
// planes of values in 0..1.
type Letterbox struct {
	Data       []float32 // 1 x 3 x H x W
	W, H       int
	Scale      float64 // original pixels per input pixel
	PadX, PadY int     // input pixels of padding left and above
}

// ToOriginal maps input pixel coordinates to original upright coordinates.
func (l Letterbox) ToOriginal(x, y float64) geom.Point {
	return geom.Point{(x - float64(l.PadX)) * l.Scale, (y - float64(l.PadY)) * l.Scale}
}

// LetterboxTensor makes the letterboxed input of a w x h model.
func (f *Frame) LetterboxTensor(w, h int) Letterbox {
	fw, fh := f.img.Cols(), f.img.Rows()
	s := math.Min(float64(w)/float64(fw), float64(h)/float64(fh))
	rw := max(1, min(w, int(math.Round(float64(fw)*s))))
	rh := max(1, min(h, int(math.Round(float64(fh)*s))))
	small := gocv.NewMat()
	defer small.Close()
	areaResize(f.img, &small, image.Pt(rw, rh))
	padded := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(114, 114, 114, 0), h, w, gocv.MatTypeCV8UC3)
	defer padded.Close()
	px, py := (w-rw)/2, (h-rh)/2
	roi := padded.Region(image.Rect(px, py, px+rw, py+rh))
	small.CopyTo(&roi)
	roi.Close()
	// The frame is BGR; YOLO exports take RGB: swap the planes through the
	// normalization (mean 0, deviation 1, values over 255).
	l := Letterbox{Data: make([]float32, 3*w*h), W: w, H: h,
		Scale: float64(f.width) / float64(fw) / s, PadX: px, PadY: py}
	fillCHW(padded, l.Data, w, [3]float32{}, [3]float32{1, 1, 1})
	plane := w * h
	b, r := l.Data[:plane], l.Data[2*plane:]
	for i := range b {
		b[i], r[i] = r[i], b[i]
	}
	return l
}

// Affine maps points: x' = A[0]x + A[1]y + A[2], y' = A[3]x + A[4]y + A[5].
type Affine [6]float64

// Point maps p.
func (a Affine) Point(p geom.Point) geom.Point {
	return geom.Point{a[0]*p[0] + a[1]*p[1] + a[2], a[3]*p[0] + a[4]*p[1] + a[5]}
}

// Inverse is the map that undoes a (the identity's for a singular map).
func (a Affine) Inverse() Affine {
	det := a[0]*a[4] - a[1]*a[3]
	if det == 0 {
		return Affine{1, 0, 0, 0, 1, 0}
	}
	i0, i1, i3, i4 := a[4]/det, -a[1]/det, -a[3]/det, a[0]/det
	return Affine{i0, i1, -(i0*a[2] + i1*a[5]), i3, i4, -(i3*a[2] + i4*a[5])}
}

// Quad maps each corner of q (the corner order is kept: a rotation keeps
// a quad's reading direction).
func (a Affine) Quad(q geom.Quad) geom.Quad {
	for i := range q {
		q[i] = a.Point(q[i])
	}
	return q
}

// TurnedTensor is DetTensor(maxSide) of the frame turned by deg degrees
// about its centre (positive turns the x axis towards the y axis:
// clockwise on screen), on a canvas enlarged to hold all of it; the
// corners outside the photo are the normalized mean (blank to the
// detector). Text lying deg degrees off level in the tensor lies level in
// the photo turned by -deg: the detector, trained mostly on level text,
// cuts and misses lines tilted 20 degrees and more. The scale is
// DetTensor's for the unturned frame, so text keeps its size. The returned
// map takes tensor pixels to original upright coordinates; the tensor's
// ScaleX and ScaleY are 1.
func (f *Frame) TurnedTensor(maxSide int, deg float64) (Tensor, Affine) {
	small := f.resized(2, maxSide)
	defer small.Close()
	rw, rh := small.Cols(), small.Rows()
	th := deg * math.Pi / 180
	c, sn := math.Cos(th), math.Sin(th)
	cw := max(32, int(math.Ceil((float64(rw)*math.Abs(c)+float64(rh)*math.Abs(sn))/32))*32)
	ch := max(32, int(math.Ceil((float64(rw)*math.Abs(sn)+float64(rh)*math.Abs(c))/32))*32)
	// forward: p' = R p + t, the small image's centre to the canvas's
	tx := float64(cw)/2 - (c*float64(rw)/2 - sn*float64(rh)/2)
	ty := float64(ch)/2 - (sn*float64(rw)/2 + c*float64(rh)/2)
	m := gocv.NewMatWithSize(2, 3, gocv.MatTypeCV64F)
	defer m.Close()
	for i, v := range [6]float64{c, -sn, tx, sn, c, ty} {
		m.SetDoubleAt(i/3, i%3, v)
	}
	turned := gocv.NewMat()
	defer turned.Close()
	// BGR of the detector's normalization mean: 0 after normalizing
	gocv.WarpAffineWithParams(small, &turned, m, image.Pt(cw, ch), gocv.InterpolationLinear,
		gocv.BorderConstant, color.RGBA{R: 104, G: 116, B: 124})
	tw, tht := (cw+63)/64*64, (ch+63)/64*64
	t := Tensor{Data: make([]float32, 3*tw*tht), W: tw, H: tht, ScaleX: 1, ScaleY: 1}
	fillCHW(turned, t.Data, tw, [3]float32{0.485, 0.456, 0.406}, [3]float32{0.229, 0.224, 0.225})
	// back: p = R^T (p' - t), then small pixels to original ones
	kx, ky := float64(f.width)/float64(rw), float64(f.height)/float64(rh)
	back := Affine{
		kx * c, kx * sn, -kx * (c*tx + sn*ty),
		-ky * sn, ky * c, -ky * (-sn*tx + c*ty),
	}
	return t, back
}

// resized is the frame scaled so that its long side is maxSide pixels,
// enlarged at most limit times (area interpolation); the caller closes it.
func (f *Frame) resized(limit float64, maxSide int) gocv.Mat {
	return f.scaled(math.Min(limit, float64(maxSide)/float64(max(f.img.Cols(), f.img.Rows()))))
}

// scaled is the frame's image scaled by s (area interpolation, at least
// one pixel a side); the caller closes it.
func (f *Frame) scaled(s float64) gocv.Mat {
	w, h := f.img.Cols(), f.img.Rows()
	rw, rh := max(1, int(math.Round(float64(w)*s))), max(1, int(math.Round(float64(h)*s)))
	small := gocv.NewMat()
	areaResize(f.img, &small, image.Pt(rw, rh))
	return small
}

// areaResize resizes src to size into dst by area interpolation, first
// halving src exactly while size is 2/7 of it or less: OpenCV
// averages 2 x 2 blocks in a fast path of its own, and a 12-megapixel
// photo went to the text detector's 960 pixels in 8 ms that way, 19 ms at
// once. The last step shrinks by 1.75 or more: after a last halving that
// left a factor near one, crisp print came out 5.5 gray levels (RMS) off
// one area resize, 1.5 so (TestAreaResize). An enlargement is resized as
// asked.
func areaResize(src gocv.Mat, dst *gocv.Mat, size image.Point) {
	cur, owned := src, false
	for cur.Cols()%2 == 0 && cur.Rows()%2 == 0 && 7*size.X <= 2*cur.Cols() && 7*size.Y <= 2*cur.Rows() {
		half := gocv.NewMat()
		gocv.Resize(cur, &half, image.Pt(cur.Cols()/2, cur.Rows()/2), 0, 0, gocv.InterpolationArea)
		if owned {
			cur.Close()
		}
		cur, owned = half, true
	}
	gocv.Resize(cur, dst, size, 0, 0, gocv.InterpolationArea)
	if owned {
		cur.Close()
	}
}
