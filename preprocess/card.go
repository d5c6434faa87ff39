package preprocess

import (
	"fmt"
	"image"
	"math"

	"docscan/geom"

	"gocv.io/x/gocv"
)

// CardView is a reduced gray copy of the frame, in Go memory, with the
// quadrilateral outlines OpenCV found in it: the raw material of document
// detection (package documents picks and refines the card from them).
type CardView struct {
	Gray []byte // W x H, row-major
	// BGR is the view in colour (W x H x 3, blue first), for Planes.
	BGR   []byte
	W, H  int
	Scale float64 // original pixels per view pixel
	// Quads are outlines of large convex four-sided contours (in view
	// pixels), from edge maps at two Canny sensitivities.
	Quads []geom.Quad
	// Coarse are the same from the view at half its resolution (in view
	// pixels): a blurred card's border, too gentle a step for the view's
	// edge maps, steps twice as steeply there.
	Coarse []geom.Quad
}

// CardView reduces the frame to at most maxSide pixels on its long side and
// looks for card outlines: Canny edges (two thresholds, closed by a dilation),
// external contours, convex hull, polygon approximation to four corners, or
// the minimum-area rectangle when the hull does not simplify to four.
func (f *Frame) CardView(maxSide int) CardView {
	w := f.img.Cols()
	small := f.resized(1, maxSide)
	defer small.Close()
	gray := gocv.NewMat()
	defer gray.Close()
	gocv.CvtColor(small, &gray, gocv.ColorBGRToGray)
	sw, sh := gray.Cols(), gray.Rows()
	v := CardView{Gray: gray.ToBytes(), W: sw, H: sh, Scale: f.scale * float64(w) / float64(sw)}
	if bgr := small.ToBytes(); len(bgr) == 3*sw*sh {
		v.BGR = bgr
	}
	src := gray
	if f.gain >= darkSmoothGain {
		// a dark photo brightened (Brightened) carries its sensor's noise
		// lifted with the card: the tones and edges the outline is found
		// by are told on a smoothed view
		sm := gocv.NewMat()
		defer sm.Close()
		gocv.GaussianBlur(small, &sm, image.Pt(0, 0), darkSmooth, darkSmooth, gocv.BorderDefault)
		sg := gocv.NewMat()
		defer sg.Close()
		gocv.CvtColor(sm, &sg, gocv.ColorBGRToGray)
		v.Gray = sg.ToBytes()
		if bgr := sm.ToBytes(); len(bgr) == 3*sw*sh {
			v.BGR = bgr
		}
		src = sg
	}

	blur := gocv.NewMat()
	defer blur.Close()
	gocv.GaussianBlur(src, &blur, image.Pt(5, 5), 0, 0, gocv.BorderDefault)
	edges := gocv.NewMat()
	defer edges.Close()
	kernel := gocv.GetStructuringElement(gocv.MorphRect, image.Pt(3, 3))
	defer kernel.Close()
	v.Quads = outlines(blur, edges, kernel, 1, 1, v.Quads)
	// a blurred card's border spreads over several view pixels and steps
	// too gently for either sensitivity; at half the view's resolution it
	// steps twice as steeply (licence_0065: low contrast, blurred, no
	// outline in the view, its card's outline at half of it)
	if sw >= 2*halfMinSide && sh >= 2*halfMinSide {
		half := gocv.NewMat()
		defer half.Close()
		gocv.Resize(src, &half, image.Pt(sw/2, sh/2), 0, 0, gocv.InterpolationArea)
		gocv.GaussianBlur(half, &half, image.Pt(5, 5), 0, 0, gocv.BorderDefault)
		v.Coarse = outlines(half, edges, kernel, float64(sw)/float64(sw/2), float64(sh)/float64(sh/2), nil)
	}
	return v
}

// halfMinSide: a view whose short side is under twice this is not also
// looked at at half its resolution (its card is too few pixels there).
const halfMinSide = 160

// outlines appends to qs the four-cornered outlines of the large contours
// of the smoothed gray image blur at the two Canny sensitivities, scaled
// by sx, sy into view pixels; edges is scratch.
func outlines(blur, edges, kernel gocv.Mat, sx, sy float64, qs []geom.Quad) []geom.Quad {
	minArea := 0.02 * float64(blur.Cols()*blur.Rows())
	for _, th := range [][2]float32{{40, 120}, {12, 36}} {
		gocv.Canny(blur, &edges, th[0], th[1])
		gocv.Dilate(edges, &edges, kernel)
		cs := gocv.FindContours(edges, gocv.RetrievalList, gocv.ChainApproxSimple)
		for i := 0; i < cs.Size(); i++ {
			c := cs.At(i)
			if math.Abs(gocv.ContourArea(c)) < minArea {
				continue
			}
			if q, ok := quadOf(c); ok {
				qs = append(qs, q.Scale(sx, sy))
			}
		}
		cs.Close()
	}
	return qs
}

// Planes are the view's blue, green and red planes (W x H each; nil
// without colour): a card's border that grey hides (lavender on pale green
// paper) shows in a colour. They are split from BGR on each call.
func (v CardView) Planes() [3][]byte {
	var out [3][]byte
	if len(v.BGR) != 3*v.W*v.H {
		return out
	}
	for c := range out {
		pl := make([]byte, v.W*v.H)
		for i := range pl {
			pl[i] = v.BGR[3*i+c]
		}
		out[c] = pl
	}
	return out
}

// quadOf simplifies a contour's convex hull to four corners.
func quadOf(c gocv.PointVector) (geom.Quad, bool) {
	hull := gocv.NewMat()
	defer hull.Close()
	gocv.ConvexHull(c, &hull, true, true)
	pts := make([]image.Point, 0, hull.Rows())
	for i := 0; i < hull.Rows(); i++ {
		v := hull.GetVeciAt(i, 0)
		pts = append(pts, image.Pt(int(v[0]), int(v[1])))
	}
	if len(pts) < 4 {
		return geom.Quad{}, false
	}
	hv := gocv.NewPointVectorFromPoints(pts)
	defer hv.Close()
	peri := gocv.ArcLength(hv, true)
	for _, eps := range []float64{0.01, 0.02, 0.035, 0.05} {
		ap := gocv.ApproxPolyDP(hv, eps*peri, true)
		n := ap.Size()
		if n == 4 {
			p := ap.ToPoints()
			ap.Close()
			var q geom.Quad
			for i := range q {
				q[i] = geom.Point{float64(p[i].X), float64(p[i].Y)}
			}
			return q, true
		}
		ap.Close()
		if n < 4 {
			break
		}
	}
	rr := gocv.MinAreaRect(hv)
	if len(rr.Points) != 4 {
		return geom.Quad{}, false
	}
	var q geom.Quad
	for i := range q {
		q[i] = geom.Point{float64(rr.Points[i].X), float64(rr.Points[i].Y)}
	}
	return q, true
}

// WarpFrame cuts the quad q (original coordinates, TL, TR, BR, BL) out of
// the frame into a new w x h frame (a normalized document image) through
// Warp. The new frame's coordinates are its own pixels; Close it.
func (f *Frame) WarpFrame(q geom.Quad, w, h int) (*Frame, error) {
	img, err := f.Warp(q, w, h, false)
	if err != nil {
		return nil, err
	}
	m, err := gocv.ImageToMatRGB(img) // BGR order, as decoded frames
	if err != nil {
		return nil, fmt.Errorf("warp: %w", err)
	}
	return &Frame{img: m, scale: 1, width: w, height: h, Header: Header{Width: w, Height: h, Orientation: 1}}, nil
}

// GrayPixels is the frame as gray bytes (W x H, row-major).
func (f *Frame) GrayPixels() ([]byte, int, int) {
	g := gocv.NewMat()
	defer g.Close()
	gocv.CvtColor(f.img, &g, gocv.ColorBGRToGray)
	return g.ToBytes(), g.Cols(), g.Rows()
}

// smallGray is the frame reduced to at most maxSide pixels on its long
// side (never enlarged), in gray; the caller closes it.
func (f *Frame) smallGray(maxSide int) gocv.Mat {
	small := f.resized(1, maxSide)
	defer small.Close()
	gray := gocv.NewMat()
	gocv.CvtColor(small, &gray, gocv.ColorBGRToGray)
	return gray
}

// A dark photo (a card under a weak lamp at night) holds its card and what
// it lies on within a few dozen gray levels: the synthetic idcard_0152's
// card ground 29 against a table of 22, too little for the text
// detector, whose input is normalized for daylight, and for the fixed
// thresholds of the outline's edges and tones. Brightened stretches such a
// photo linearly: the level darkStretchLo of its pixels lie below goes to
// 0, its light end (the level darkStretchHi lie below) to darkTarget, by a
// gain of at most darkMaxGain. A photo whose light end is DarkBright or
// more is left alone (one with a glare spot of a two-hundredth of it too).
// Where the gain is darkSmoothGain or more the card's view is smoothed
// (darkSmooth pixels) before its outline is looked for.
const (
	darkStretchLo  = 0.01
	darkStretchHi  = 0.995
	DarkBright     = 120
	darkTarget     = 220
	darkMaxGain    = 5
	darkSmoothGain = 2
	darkSmooth     = 1.5
)

// Brightened is a brightened copy of a dark frame (see darkStretch), ok
// false (and no copy) for a frame that is not dark. The caller closes the
// copy; the frame itself is unchanged.
func (f *Frame) Brightened() (*Frame, bool) {
	small := f.resized(1, 512)
	defer small.Close()
	gray := gocv.NewMat()
	defer gray.Close()
	gocv.CvtColor(small, &gray, gocv.ColorBGRToGray)
	lo, gain, ok := darkStretch(gray.ToBytes())
	if !ok {
		return nil, false
	}
	out := gocv.NewMat()
	f.img.ConvertToWithParams(&out, gocv.MatTypeCV8UC3, float32(gain), float32(-float64(lo)*gain))
	b := *f
	b.img, b.closed, b.gain = out, false, gain
	return &b, true
}

// darkStretch tells the stretch of gray levels Brightened applies: lo maps
// to 0, and each level above it gains gain.
func darkStretch(gray []byte) (lo byte, gain float64, ok bool) {
	if len(gray) == 0 {
		return 0, 0, false
	}
	var hist [256]int
	for _, p := range gray {
		hist[p]++
	}
	at := func(share float64) int {
		k, acc := int(share*float64(len(gray))), 0
		for i, c := range hist {
			if acc += c; acc > k {
				return i
			}
		}
		return 255
	}
	l, h := at(darkStretchLo), at(darkStretchHi)
	if h >= DarkBright || h <= l {
		return 0, 0, false
	}
	gain = math.Min(darkMaxGain, darkTarget/float64(h-l))
	if gain <= 1.05 {
		return 0, 0, false
	}
	return byte(l), gain, true
}
