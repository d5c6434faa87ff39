package documents

import (
	"math"

	"docscan/geom"
)

// A phone photographs a card through a pinhole lens: the card's outline
// is the image of a rectangle under a perspective whose principal point
// lies near the photo's centre and whose focal length is that of a
// phone's camera, taken here as 0.6-1.2 times the photo's long side (a
// main camera's 24-28 mm equivalent lens is about 0.75 of a 4:3 photo's
// long side; a photo does not say which lens took it, so a range). Tilted
// about both axes, such a card has no pair of opposite sides parallel;
// tilted about one, read as a keystone (keystoneAspect, which takes the
// distance between the parallel sides unshortened) its outline's aspect
// is off the format's by a tenth or more though every side is the
// card's. The camera constrains the outline instead: at each focal
// length the quad is the image of one parallelogram (Zhang and He's
// rectification of a whiteboard photo); where it is a rectangle (its
// corners right angles) it has an aspect, and over the focal lengths
// that make it one, that aspect runs between two values.
const (
	camFocalMin = 0.6
	camFocalMax = 1.2
	// camSteps is how many steps the range is read in, camSquare the
	// most by which the cosine of the rectified corner's angle may miss
	// a right angle's (an outline's corners are off by a pixel or two)
	camSteps  = 24
	camSquare = 0.02
)

// cameraAspects is the range of aspects (the q0-q1 side's direction over
// the q1-q2 side's, q in OrderQuad order) of the rectangle that q is the
// image of, under a pinhole camera centred on the w x h view at focal
// lengths camFocalMin to camFocalMax times its long side that image a
// rectangle as q (its corners right angles within camSquare); where none
// does, lo and hi are both the aspect under the one nearest to it. ok is
// false where q images no parallelogram under such a camera (a corner
// behind it or at infinity, a degenerate quad).
func cameraAspects(q geom.Quad, w, h int) (lo, hi float64, ok bool) {
	if w <= 0 || h <= 0 {
		return 0, 0, false
	}
	cx, cy := float64(w)/2, float64(h)/2
	hom := func(p geom.Point) [3]float64 { return [3]float64{p[0] - cx, p[1] - cy, 1} }
	// the rectangle's corners (0,0), (W,0), (0,H), (W,H) image as m1..m4
	m1, m2, m3, m4 := hom(q[0]), hom(q[1]), hom(q[3]), hom(q[2])
	d2 := dot3(cross3(m2, m4), m3)
	d3 := dot3(cross3(m3, m4), m2)
	if d2 == 0 || d3 == 0 {
		return 0, 0, false
	}
	k2 := dot3(cross3(m1, m4), m3) / d2
	k3 := dot3(cross3(m1, m4), m2) / d3
	if k2 <= 0 || k3 <= 0 {
		// a corner behind the camera: no rectangle's image
		return 0, 0, false
	}
	var n2, n3 [3]float64
	for i := range n2 {
		n2[i] = k2*m2[i] - m1[i]
		n3[i] = k3*m3[i] - m1[i]
	}
	long := float64(max(w, h))
	// at focal length fs (times the long side): the rectified sides'
	// directions, their angle's cosine and the aspect
	at := func(fs float64) (cos, aspect float64) {
		f := fs * long
		a := [3]float64{n2[0] / f, n2[1] / f, n2[2]}
		b := [3]float64{n3[0] / f, n3[1] / f, n3[2]}
		la, lb := math.Sqrt(dot3(a, a)), math.Sqrt(dot3(b, b))
		if la == 0 || lb == 0 {
			return 1, 0
		}
		return dot3(a, b) / (la * lb), la / lb
	}
	// the focal lengths under which q images a rectangle (its corners
	// square within camSquare); where none does, the one nearest
	lo, hi = math.Inf(1), 0
	nearCos, nearAspect := math.Inf(1), 0.0
	for k := 0; k <= camSteps; k++ {
		cos, a := at(camFocalMin + (camFocalMax-camFocalMin)*float64(k)/camSteps)
		if a <= 0 || math.IsNaN(a) || math.IsInf(a, 0) {
			continue
		}
		if math.Abs(cos) < nearCos {
			nearCos, nearAspect = math.Abs(cos), a
		}
		if math.Abs(cos) <= camSquare {
			lo, hi = math.Min(lo, a), math.Max(hi, a)
		}
	}
	if hi == 0 {
		lo, hi = nearAspect, nearAspect
	}
	return lo, hi, lo > 0
}

// cameraDev is the signed deviation from aspect (over it, less one) of
// the aspect nearest it that q can have under the cameras cameraAspects
// allows: 0 where one of them images the format's rectangle as q.
func cameraDev(q geom.Quad, w, h int, aspect float64) (float64, bool) {
	lo, hi, ok := cameraAspects(q, w, h)
	switch {
	case !ok:
		return 0, false
	case aspect < lo:
		return lo/aspect - 1, true
	case aspect > hi:
		return hi/aspect - 1, true
	}
	return 0, true
}

func cross3(a, b [3]float64) [3]float64 {
	return [3]float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}

func dot3(a, b [3]float64) float64 { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }

// aspectFit judges an outline's aspect against the format's by two
// readings of its perspective, the keystone (keystoneAspect, where a pair
// of sides runs parallel within fitParallel degrees) and the camera
// (cameraDev, where the view's size is known), and takes the one that
// puts it nearer the format: an outline is off only where neither
// reading fits it. par is the keystone pair, or -1 where none runs
// parallel; w and h the view's size, 0 where the camera is not read.
type aspectFit struct {
	aspect float64
	par    int
	w, h   int
}

// newAspectFit reads q's keystone pair and the view w x h.
func newAspectFit(q geom.Quad, aspect float64, w, h int) aspectFit {
	par, ang := keystonePair(q)
	if ang > fitParallel {
		par = -1
	}
	return aspectFit{aspect: aspect, par: par, w: w, h: h}
}

// dev is the signed deviation from the format's aspect of q (its sides
// moved, the pair and view as read) by the reading nearer the format;
// ok is false where neither reads it.
func (f aspectFit) dev(q geom.Quad) (float64, bool) {
	best, ok := 0.0, false
	if f.par >= 0 {
		if a := keystoneAspect(q, f.par); a > 0 {
			best, ok = a/f.aspect-1, true
		}
	}
	if f.w > 0 {
		if d, cok := cameraDev(q, f.w, f.h, f.aspect); cok && (!ok || math.Abs(d) < math.Abs(best)) {
			best, ok = d, true
		}
	}
	return best, ok
}

// off gives the sides whose moving in would mend q where it deviates
// from the format by minDev or more: the short sides (1, 3) of an outline
// too flat, the long ones (0, 2) of one too narrow. off is false where q
// lies within minDev or neither reading reads it.
func (f aspectFit) off(q geom.Quad, minDev float64) (in [2]int, off bool) {
	d, ok := f.dev(q)
	if !ok {
		return in, false
	}
	in = [2]int{0, 2}
	if d > 0 {
		in = [2]int{1, 3}
	}
	return in, math.Abs(d) >= minDev
}

// readings is fit split into its readings, each alone: the keystone's
// and the camera's, those it reads.
func (f aspectFit) readings() []aspectFit {
	var rs []aspectFit
	if f.par >= 0 {
		rs = append(rs, aspectFit{aspect: f.aspect, par: f.par})
	}
	if f.w > 0 {
		rs = append(rs, aspectFit{aspect: f.aspect, par: -1, w: f.w, h: f.h})
	}
	return rs
}
