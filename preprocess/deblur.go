package preprocess

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"sort"

	"docscan/geom"

	"gocv.io/x/gocv"
)

// Blur is the point spread function of a part of a photo as EstimateBlur
// finds it: a straight motion smear, a Gaussian (defocus) blur, or none.
// Lengths are in decoded pixels (the Frame's image, see Scale).
type Blur struct {
	// Length and Angle: a linear motion of Length pixels in direction
	// Angle (degrees, 0..180, image axes: x right, y down); 0 when none.
	Length, Angle float64
	// Depth is the motion's cepstral dip, in standard deviations of the
	// cepstrum over the disc searched (how clearly the smear shows); 0
	// for a smear found from the edges (smearOf).
	Depth float64
	// Sigma is the Gaussian blur's standard deviation in pixels; 0 when
	// none or when the blur is a motion.
	Sigma float64
}

// Blurred: the estimate found a blur worth undoing.
func (b Blur) Blurred() bool { return b.Length > 0 || b.Sigma > 0 }

// String describes the estimate.
func (b Blur) String() string {
	switch {
	case b.Length > 0 && b.Depth == 0:
		return fmt.Sprintf("motion %.1f px at %.0f deg (edges)", b.Length, b.Angle)
	case b.Length > 0:
		return fmt.Sprintf("motion %.1f px at %.0f deg (dip %.1f sd)", b.Length, b.Angle, b.Depth)
	case b.Sigma > 0:
		return fmt.Sprintf("gaussian sigma %.2f px", b.Sigma)
	}
	return "sharp"
}

// Blur estimation and deconvolution bounds.
const (
	// blurWindow is the largest side of the square of the region the
	// estimate looks at (its centre): enough print for the cepstrum.
	blurWindow = 768
	// minMotion is the shortest smear undone (pixels): shorter ones are
	// within what the recognizer reads through, and the cepstrum of sharp
	// print has dips of its own below it (its strokes' widths).
	minMotion = 4.5
	// maxMotion is the longest smear looked for.
	maxMotion = 45
	// minMotionDepth is the cepstral dip (standard deviations) a motion
	// must reach: synthetic smears of 6-16 pixels show 6-11, sharp cards
	// at most about 4.5 beyond minMotion.
	minMotionDepth = 6
	// shortMotion is a smear short enough for sharp print's own dips to
	// reach minMotionDepth (sharp synthetic cards dipped 6.0-7.2 sd at
	// 5.1-6.9 pixels: two licences and two ID cards of 400); below it the
	// dip must reach shortMotionDepth (the synthetic smears of 4.7-6.8
	// pixels dipped 10.6-17.9).
	shortMotion      = 7.5
	shortMotionDepth = 9
	// longerMin, longerMax, longerRatio and longerDepth bound the search
	// for a smear behind a deep dip too short to be one (longerDip)
	longerMin   = 8
	longerMax   = 25
	longerRatio = 1.5
	longerDepth = 5
	// minSigma is the smallest Gaussian blur undone (pixels).
	minSigma = 1.5
	// maxSigma bounds the Gaussian estimate (beyond it nothing is left to
	// restore).
	maxSigma = 8
	// wienerK is the Wiener filter's noise-to-signal constant.
	wienerK = 0.01
	// smearBins is the number of gradient directions smearOf measures
	// over half a turn; smearMinAniso and smearMinFit bound the smear it
	// takes (see smearOf), smearScale turns the fitted length into the
	// smear's
	smearBins     = 16
	smearMinAniso = 2.5
	smearMinFit   = 4
	smearScale    = 1.4
)

// EstimateBlur estimates the blur of the frame over the bounding box of q
// (original coordinates): a linear motion from the real cepstrum's dip
// (the smear's box spectrum has evenly spaced zeros, which the cepstrum
// turns into a dip at the smear's length and direction), else a linear
// motion from how differently a known extra blur weakens the strongest
// edges of each direction (smearOf: low contrast or glare keeps the dip
// shallow), else a linear motion from a shallower dip beyond a deep one
// too short for a smear (longerDip: the print's strokes outdid the
// smear), else a Gaussian blur from how much it weakens the strongest
// edges (a step edge blurred by s has its gradient fall by sqrt(s²+s0²)/s
// when blurred by s0 more).
func (f *Frame) EstimateBlur(q geom.Quad) Blur {
	g, ok := f.blurWindowGray(q)
	if !ok {
		return Blur{}
	}
	defer g.Close()
	b, longer := motionOf(g)
	if b.Blurred() {
		return b
	}
	e, ok := edgeFalls(g)
	if !ok {
		return longer
	}
	if b, ok := smearOf(e); ok {
		return b
	}
	if longer.Blurred() {
		return longer
	}
	if s := sigmaOf(e); s >= minSigma {
		return Blur{Sigma: math.Min(s, maxSigma)}
	}
	return Blur{}
}

// blurWindowGray is the float gray square the blur of q's bounding box is
// measured on: its centre, blurWindow pixels at most; ok is false for a
// box under 64 pixels.
func (f *Frame) blurWindowGray(q geom.Quad) (gocv.Mat, bool) {
	r := f.imgRect(q, 0)
	if r.Dx() < 64 || r.Dy() < 64 {
		return gocv.Mat{}, false
	}
	side := min(blurWindow, r.Dx(), r.Dy())
	c := image.Pt((r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2)
	win := image.Rect(c.X-side/2, c.Y-side/2, c.X-side/2+side, c.Y-side/2+side)
	roi := f.img.Region(win)
	defer roi.Close()
	gray := gocv.NewMat()
	defer gray.Close()
	gocv.CvtColor(roi, &gray, gocv.ColorBGRToGray)
	g := gocv.NewMat()
	gray.ConvertTo(&g, gocv.MatTypeCV32F)
	return g, true
}

// motionOf finds a linear smear in the real cepstrum of g (float gray):
// its deepest dip (b), else, behind a deep dip too short for a smear, a
// shallower one farther out (longer, see longerDip), which EstimateBlur
// takes only where the edges show no smear either. Each is Blur{} when
// none.
func motionOf(g gocv.Mat) (b, longer Blur) {
	w, h := g.Cols(), g.Rows()
	f := g.Clone()
	defer f.Close()
	d, err := f.DataPtrFloat32()
	if err != nil {
		return Blur{}, Blur{}
	}
	var mean float64
	for _, v := range d {
		mean += float64(v)
	}
	mean /= float64(len(d))
	// a Hann window keeps the region's borders out of the spectrum (its
	// row factors computed once, not per pixel)
	wx := make([]float64, w)
	for x := range wx {
		wx[x] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(x)/float64(w-1))
	}
	for y := 0; y < h; y++ {
		wy := 0.5 - 0.5*math.Cos(2*math.Pi*float64(y)/float64(h-1))
		row := d[y*w : (y+1)*w]
		for x, v := range row {
			row[x] = float32((float64(v) - mean) * wx[x] * wy)
		}
	}
	spec := gocv.NewMat()
	defer spec.Close()
	gocv.DFT(f, &spec, gocv.DftComplexOutput)
	s, err := spec.DataPtrFloat32()
	if err != nil {
		return Blur{}, Blur{}
	}
	for i := 0; i+1 < len(s); i += 2 {
		re, im := float64(s[i]), float64(s[i+1])
		s[i], s[i+1] = float32(math.Log(math.Sqrt(re*re+im*im)+1e-3)), 0
	}
	cep := gocv.NewMat()
	defer cep.Close()
	gocv.DFT(spec, &cep, gocv.DftInverse|gocv.DftScale|gocv.DftRealOutput)
	cd, err := cep.DataPtrFloat32()
	if err != nil {
		return Blur{}, Blur{}
	}
	at := func(x, y int) float64 { return float64(cd[((y%h+h)%h)*w+(x%w+w)%w]) }
	// the half disc 3 <= r <= maxMotion (the cepstrum is symmetric)
	var sum2 float64
	n := 0
	bx, by, bv := 0, 0, math.Inf(1)
	for y := -maxMotion; y <= maxMotion; y++ {
		for x := 0; x <= maxMotion; x++ {
			r := math.Hypot(float64(x), float64(y))
			if r < 3 || r > maxMotion || x == 0 && y < 0 {
				continue
			}
			v := at(x, y)
			sum2 += v * v
			n++
			// JPEG's 8-pixel blocks dip on the axes at multiples of 8
			if (x == 0 || y == 0) && (x+abs(y))%8 == 0 {
				continue
			}
			if v < bv {
				bx, by, bv = x, y, v
			}
		}
	}
	if n == 0 || sum2 == 0 {
		return Blur{}, Blur{}
	}
	sd := math.Sqrt(sum2 / float64(n))
	depth := -bv / sd
	length, ang := dipCentre(at, bx, by)
	if depth >= minMotionDepth && length >= minMotion && (length >= shortMotion || depth >= shortMotionDepth) {
		return Blur{Length: length, Angle: ang, Depth: depth}, Blur{}
	}
	if depth >= minMotionDepth && length < shortMotion {
		// a deep dip too short for a smear: print's own strokes; a
		// smear may still show as a shallower dip farther out
		if l, ok := longerDip(at, sd, length); ok {
			return Blur{}, l
		}
	}
	return Blur{}, Blur{}
}

// dipCentre is the length and direction (degrees, 0..180) of the
// cepstral dip at (bx, by): the centroid of the negative values around it.
func dipCentre(at func(x, y int) float64, bx, by int) (float64, float64) {
	var cx, cy, wsum float64
	for dy := -1; dy <= 1; dy++ {
		for dx := -1; dx <= 1; dx++ {
			if v := at(bx+dx, by+dy); v < 0 {
				cx += -v * float64(bx+dx)
				cy += -v * float64(by+dy)
				wsum += -v
			}
		}
	}
	if wsum == 0 {
		return 0, 0
	}
	cx, cy = cx/wsum, cy/wsum
	return math.Hypot(cx, cy), math.Mod(math.Atan2(cy, cx)*180/math.Pi+360, 180)
}

// longerDip finds a smear behind a deep dip too short to be one (short,
// pixels; the print's strokes dip at 3-6 pixels, and on a smeared card
// that dip can outdo the smear's): the deepest local minimum of the
// cepstrum at longerMin to longerMax pixels and at least longerRatio
// times short, reaching longerDepth standard deviations (sd). Lags on
// JPEG's 8-pixel grid (both coordinates multiples of 8, the diagonals
// too) are skipped. On the seed-42 synthetic cards (400) it finds the
// 9.8-pixel smear of idcard_0120 (10.1 put in; neither the deepest dip
// nor the edges found one) and the 9.2 of licence_0128 (9.2; the edges
// find 9.5 first), on the seed-7 ones (300) the 9.7 of idcard_0104
// (10.2), and it fires on no card without a smear (the grid's (8, 8)
// dipped 4.9 and 5.7 on two sharp cards).
func longerDip(at func(x, y int) float64, sd, short float64) (Blur, bool) {
	bx, by, bv := 0, 0, 0.0
	for y := -longerMax; y <= longerMax; y++ {
		for x := 0; x <= longerMax; x++ {
			r := math.Hypot(float64(x), float64(y))
			if r < longerMin || r > longerMax || r < longerRatio*short || x == 0 && y < 0 || x%8 == 0 && y%8 == 0 {
				continue
			}
			v := at(x, y)
			if v >= bv {
				continue
			}
			local := true
			for dy := -1; dy <= 1 && local; dy++ {
				for dx := -1; dx <= 1; dx++ {
					if (dx != 0 || dy != 0) && at(x+dx, y+dy) < v {
						local = false
						break
					}
				}
			}
			if local {
				bx, by, bv = x, y, v
			}
		}
	}
	depth := -bv / sd
	if depth < longerDepth {
		return Blur{}, false
	}
	length, ang := dipCentre(at, bx, by)
	return Blur{Length: length, Angle: ang, Depth: depth}, true
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// reblurSigma is the extra Gaussian blur the edge-based estimates apply.
const reblurSigma = 1.5

// edgeMeasure holds the gradient magnitude of a float gray window before
// (m0) and after (m1) it is blurred by reblurSigma more, and each
// gradient's direction as one of smearBins bins over half a turn: what
// the edge-based estimates (smearOf, sigmaOf) read, measured once.
type edgeMeasure struct {
	m0, m1 []float32
	dir    []uint8
}

// binEdges are the unit vectors at the angles between the direction bins
// of a half turn: the k-th at (k + 0.5) * 180 / smearBins degrees.
var binEdges = func() (e [smearBins][2]float64) {
	for k := range e {
		a := (float64(k) + 0.5) * math.Pi / smearBins
		e[k] = [2]float64{math.Cos(a), math.Sin(a)}
	}
	return e
}()

// dirBin is the bin of the gradient (x, y)'s direction over half a turn,
// the nearest of smearBins bin centres k * 180 / smearBins degrees (0 for
// no gradient): the number of bin edges the direction, turned into
// [0, 180) degrees, lies at or beyond, found by the sign of a cross
// product (atan2 for each of a window's pixels cost a 12 MP card 20 ms).
func dirBin(x, y float64) uint8 {
	if y < 0 || (y == 0 && x < 0) {
		x, y = -x, -y
	}
	lo, hi := 0, smearBins // the count lies in [lo, hi]
	for lo < hi {
		mid := (lo + hi) / 2
		if e := binEdges[mid]; y*e[0]-x*e[1] >= 0 {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return uint8(lo % smearBins)
}

// edgeFalls measures g's edge falls; ok is false for an empty window.
func edgeFalls(g gocv.Mat) (edgeMeasure, bool) {
	mag := func(m gocv.Mat, dir []uint8) []float32 {
		mx, my := gocv.NewMat(), gocv.NewMat()
		defer mx.Close()
		defer my.Close()
		gocv.Sobel(m, &mx, gocv.MatTypeCV32F, 1, 0, 3, 1, 0, gocv.BorderReflect101)
		gocv.Sobel(m, &my, gocv.MatTypeCV32F, 0, 1, 3, 1, 0, gocv.BorderReflect101)
		x, _ := mx.DataPtrFloat32()
		y, _ := my.DataPtrFloat32()
		out := make([]float32, len(x))
		for i := range x {
			gx, gy := float64(x[i]), float64(y[i])
			out[i] = float32(math.Sqrt(gx*gx + gy*gy))
			if dir != nil {
				dir[i] = dirBin(gx, gy)
			}
		}
		return out
	}
	b := gocv.NewMat()
	defer b.Close()
	gocv.GaussianBlur(g, &b, image.Pt(0, 0), reblurSigma, reblurSigma, gocv.BorderReflect101)
	e := edgeMeasure{dir: make([]uint8, g.Rows()*g.Cols())}
	e.m0, e.m1 = mag(g, e.dir), mag(b, nil)
	return e, len(e.m0) > 0 && len(e.m0) == len(e.m1) && len(e.dir) == len(e.m0)
}

// edgeSigma is the median blur estimate over the strongest 2% of the
// edges idx (indices into the magnitudes m0, m1 before and after the
// extra blur), with every edge as strong as the weakest of them
// (strongest): reblurSigma/sqrt(R²-1), R = m0/m1.
func edgeSigma(idx []int32, m0, m1 []float32) float64 {
	top := strongest(idx, m0, max(1, len(idx)/50))
	var est []float64
	for _, i := range top {
		if m1[i] <= 0 {
			continue
		}
		r := float64(m0[i] / m1[i])
		if r <= 1.005 {
			est = append(est, maxSigma)
			continue
		}
		est = append(est, reblurSigma/math.Sqrt(r*r-1))
	}
	if len(est) == 0 {
		return 0
	}
	sort.Float64s(est)
	return est[len(est)/2]
}

// strongest reorders idx so that it begins with the indices of the k
// largest values of m and of every other value equal to the k-th largest,
// in no particular order, and returns them: which of equal magnitudes
// (many, for integer gray levels) a sort put first was its own choice. A
// quickselect with a three-way partition, linear in len(idx): sorting all
// of a 768-pixel window's 590 000 edges to take the top 2% cost a 12 MP
// card about 70 ms over the two estimates.
func strongest(idx []int32, m []float32, k int) []int32 {
	k = min(max(k, 0), len(idx))
	// Values left of lo exceed, right of hi fall short of, every value in
	// [lo, hi]: all values equal to the k-th largest lie in it.
	lo, hi := 0, len(idx)-1
	for lo < hi {
		a, b, c := m[idx[lo]], m[idx[lo+(hi-lo)/2]], m[idx[hi]]
		p := max(min(a, b), min(max(a, b), c)) // the median of the three
		// [lo, lt) > p, [lt, i) == p, (gt, hi] < p
		lt, i, gt := lo, lo, hi
		for i <= gt {
			switch v := m[idx[i]]; {
			case v > p:
				idx[lt], idx[i] = idx[i], idx[lt]
				lt++
				i++
			case v < p:
				idx[i], idx[gt] = idx[gt], idx[i]
				gt--
			default:
				i++
			}
		}
		switch {
		case k < lt:
			hi = lt - 1
		case k == lt:
			return idx[:k]
		case k <= gt+1:
			return idx[:gt+1] // p is the k-th largest: all its equals
		default:
			lo = gt + 1
		}
	}
	return idx[:k]
}

// sigmaOf estimates a Gaussian blur's standard deviation from the
// strongest edges (e): the median over the top 2% of gradient
// magnitudes of s0/sqrt(R²-1), R the gradient's fall when the window is
// blurred by s0 (reblurSigma) more.
func sigmaOf(e edgeMeasure) float64 {
	idx := make([]int32, len(e.m0))
	for i := range idx {
		idx[i] = int32(i)
	}
	return edgeSigma(idx, e.m0, e.m1)
}

// smearOf finds a linear smear from the edges (e) where the
// cepstrum shows none (low contrast, a smear across much print of one
// pitch): the blur measured as sigmaOf does, but per gradient direction
// (smearBins bins over half a turn), is wide across the smear and narrow
// along it. A smear of length L at angle t widens an edge whose gradient
// runs at angle p by about L²/12·cos²(p-t) in variance, so the squared
// estimates are fitted with a + b·cos 2p + c·sin 2p: t = atan2(c, b)/2,
// L²/24 = hypot(b, c), the sharp width s² = a - hypot(b, c). A smear is
// taken where the anisotropy hypot(b, c)/s² is smearMinAniso or more and
// the fitted L smearMinFit or more. The fit reads smears short (the top
// edges are the least smeared), its length is scaled by smearScale: on
// the synthetic licences and ID cards the smears the cepstrum measured
// were 1.1-2.3 times the fitted lengths, median 1.4. Sharp synthetic
// cards reached an anisotropy of 2.7 but a fitted length of 2.6 at most
// (their print's own strokes); the smears of 7-12 pixels the cepstrum
// missed came out at 3.2-10.6 and 5.0-7.5.
func smearOf(e edgeMeasure) (Blur, bool) {
	var count [smearBins]int
	for _, k := range e.dir {
		count[k]++
	}
	var bins [smearBins][]int32
	for k := range bins {
		bins[k] = make([]int32, 0, count[k])
	}
	for i, k := range e.dir {
		bins[k] = append(bins[k], int32(i))
	}
	// least squares over evenly spread angles: the normal equations are
	// diagonal (n, n/2, n/2)
	var a, b, c float64
	for k, idx := range bins {
		if len(idx) == 0 {
			return Blur{}, false
		}
		s := edgeSigma(idx, e.m0, e.m1)
		p := 2 * float64(k) * math.Pi / smearBins
		a += s * s
		b += s * s * math.Cos(p)
		c += s * s * math.Sin(p)
	}
	a /= smearBins
	b, c = 2*b/smearBins, 2*c/smearBins
	amp := math.Hypot(b, c)
	sharp := a - amp
	fit := math.Sqrt(24 * amp)
	if sharp <= 0 || amp/sharp < smearMinAniso || fit < smearMinFit {
		return Blur{}, false
	}
	ang := math.Mod(math.Atan2(c, b)/2*180/math.Pi+180, 180)
	return Blur{Length: math.Min(smearScale*fit, maxMotion), Angle: ang}, true
}

// imgRect is the bounding box of q (original coordinates) in decoded
// pixels, grown by margin pixels and clipped to the image.
func (f *Frame) imgRect(q geom.Quad, margin int) image.Rectangle {
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range q {
		x0, y0 = math.Min(x0, p[0]/f.scale), math.Min(y0, p[1]/f.scale)
		x1, y1 = math.Max(x1, p[0]/f.scale), math.Max(y1, p[1]/f.scale)
	}
	r := image.Rect(int(x0)-margin, int(y0)-margin, int(math.Ceil(x1))+margin, int(math.Ceil(y1))+margin)
	return r.Intersect(image.Rect(0, 0, f.img.Cols(), f.img.Rows()))
}

// Deblurred is a copy of the frame whose bounding box of q (original
// coordinates), grown by an eighth, is deconvolved with b by a Wiener
// filter; the rest of the copy is the frame as it is. The caller closes
// it.
func (f *Frame) Deblurred(q geom.Quad, b Blur) (*Frame, error) {
	if f.closed {
		return nil, errors.New("deblur: frame closed")
	}
	if !b.Blurred() {
		return nil, errors.New("deblur: no blur to undo")
	}
	reach := int(math.Ceil(math.Max(b.Length, 4*b.Sigma))) + 8
	// the box grown by an eighth of its size: outlines moved a little
	// later still lie on the deconvolved part
	box := f.imgRect(q, 0)
	r := f.imgRect(q, 2*reach+max(box.Dx(), box.Dy())/8)
	if r.Dx() < 16 || r.Dy() < 16 {
		return nil, errors.New("deblur: region too small")
	}
	out := f.img.Clone()
	roi := out.Region(r)
	defer roi.Close()
	// reflected borders to the DFT's size keep the region's edges from
	// wrapping around
	W := gocv.GetOptimalDFTSize(r.Dx() + 2*reach)
	H := gocv.GetOptimalDFTSize(r.Dy() + 2*reach)
	padded := gocv.NewMat()
	defer padded.Close()
	gocv.CopyMakeBorder(roi, &padded, reach, H-r.Dy()-reach, reach, W-r.Dx()-reach, gocv.BorderReflect, color.RGBA{})
	filter, err := wienerFilter(W, H, b)
	if err != nil {
		out.Close()
		return nil, err
	}
	defer filter.Close()
	chans := gocv.Split(padded)
	defer func() {
		for _, c := range chans {
			c.Close()
		}
	}()
	res := make([]gocv.Mat, 0, len(chans))
	defer func() {
		for _, c := range res {
			c.Close()
		}
	}()
	for _, c := range chans {
		res = append(res, wiener(c, filter))
	}
	merged := gocv.NewMat()
	defer merged.Close()
	gocv.Merge(res, &merged)
	inner := merged.Region(image.Rect(reach, reach, reach+r.Dx(), reach+r.Dy()))
	defer inner.Close()
	inner.CopyTo(&roi)
	return &Frame{img: out, scale: f.scale, width: f.width, height: f.height, Header: f.Header}, nil
}

// wienerFilter is the Wiener filter of b's point spread function for a
// W x H spectrum: conj(H) / (|H|² + wienerK), H the spectrum of the
// function centred on the origin (complex, two float32 planes packed as
// OpenCV's DFT packs them). The caller closes it.
func wienerFilter(w, h int, b Blur) (gocv.Mat, error) {
	km := gocv.NewMatWithSize(h, w, gocv.MatTypeCV32F)
	defer km.Close()
	k, err := km.DataPtrFloat32()
	if err != nil {
		return gocv.Mat{}, fmt.Errorf("deblur: %w", err)
	}
	clear(k)
	var sum float64
	put := func(x, y int, v float64) {
		x, y = (x%w+w)%w, (y%h+h)%h
		k[y*w+x] += float32(v)
		sum += v
	}
	if b.Length > 0 {
		// samples every half pixel along the smear, split bilinearly
		n := int(math.Ceil(b.Length * 2))
		dx, dy := math.Cos(b.Angle*math.Pi/180), math.Sin(b.Angle*math.Pi/180)
		for i := 0; i <= n; i++ {
			t := (float64(i)/float64(n) - 0.5) * b.Length
			x, y := t*dx, t*dy
			x0, y0 := math.Floor(x), math.Floor(y)
			fx, fy := x-x0, y-y0
			put(int(x0), int(y0), (1-fx)*(1-fy))
			put(int(x0)+1, int(y0), fx*(1-fy))
			put(int(x0), int(y0)+1, (1-fx)*fy)
			put(int(x0)+1, int(y0)+1, fx*fy)
		}
	} else {
		rad := int(math.Ceil(4 * b.Sigma))
		for y := -rad; y <= rad; y++ {
			for x := -rad; x <= rad; x++ {
				put(x, y, math.Exp(-float64(x*x+y*y)/(2*b.Sigma*b.Sigma)))
			}
		}
	}
	for i := range k {
		k[i] = float32(float64(k[i]) / sum)
	}
	filter := gocv.NewMat()
	gocv.DFT(km, &filter, gocv.DftComplexOutput)
	s, err := filter.DataPtrFloat32()
	if err != nil {
		filter.Close()
		return gocv.Mat{}, fmt.Errorf("deblur: %w", err)
	}
	for i := 0; i+1 < len(s); i += 2 {
		re, im := float64(s[i]), float64(s[i+1])
		d := re*re + im*im + wienerK
		s[i], s[i+1] = float32(re/d), float32(-im/d)
	}
	return filter, nil
}

// wiener deconvolves one 8-bit channel c by the Wiener filter.
func wiener(c, filter gocv.Mat) gocv.Mat {
	f := gocv.NewMat()
	defer f.Close()
	c.ConvertTo(&f, gocv.MatTypeCV32F)
	spec := gocv.NewMat()
	defer spec.Close()
	gocv.DFT(f, &spec, gocv.DftComplexOutput)
	prod := gocv.NewMat()
	defer prod.Close()
	gocv.MulSpectrums(spec, filter, &prod, 0)
	back := gocv.NewMat()
	defer back.Close()
	gocv.DFT(prod, &back, gocv.DftInverse|gocv.DftScale|gocv.DftRealOutput)
	u := gocv.NewMat()
	back.ConvertTo(&u, gocv.MatTypeCV8U) // saturated to 0..255
	return u
}

// ReducedNear is a copy of the frame scaled by k (0 < k < 1, area
// interpolation) for work near the quad q alone; its coordinates stay the
// original ones (Scale grows by 1/k). Only the bounding box of q, grown by
// a quarter of its size and 128 reduced pixels a side, is reduced; the
// rest of the copy is black (a 12-megapixel photo was reduced by a quarter
// in 29 ms as a whole). k is rounded to 32nds (at least one), so that the
// part lies where the whole photo reduced would put it (a 32-pixel step
// of the photo is a whole number of reduced pixels). The caller closes
// it.
func (f *Frame) ReducedNear(k float64, q geom.Quad) (*Frame, error) {
	if f.closed {
		return nil, errors.New("reduce: frame closed")
	}
	if !(k > 0 && k < 1) {
		return nil, fmt.Errorf("reduce: factor %v not in (0, 1)", k)
	}
	const grid = 32
	n := min(grid-1, max(1, int(math.Round(k*grid))))
	k = float64(n) / grid
	w, h := f.img.Cols(), f.img.Rows()
	rw, rh := max(1, w*n/grid), max(1, h*n/grid)
	box := f.imgRect(q, 0)
	if box.Empty() {
		return nil, errors.New("reduce: quad outside the photo")
	}
	r := f.imgRect(q, max(box.Dx(), box.Dy())/4+int(math.Ceil(128/k)))
	// the part on the grid: its sides on multiples of 32 photo pixels (or
	// on the photo's own edge)
	src := image.Rect(r.Min.X/grid*grid, r.Min.Y/grid*grid,
		min(w, (r.Max.X+grid-1)/grid*grid), min(h, (r.Max.Y+grid-1)/grid*grid))
	dst := image.Rect(src.Min.X*n/grid, src.Min.Y*n/grid, src.Max.X*n/grid, src.Max.Y*n/grid)
	if dst.Dx() < 1 || dst.Dy() < 1 {
		return nil, errors.New("reduce: region too small")
	}
	out := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(0, 0, 0, 0), rh, rw, f.img.Type())
	part := f.img.Region(src)
	defer part.Close()
	small := gocv.NewMat()
	defer small.Close()
	areaResize(part, &small, dst.Size())
	roi := out.Region(dst)
	small.CopyTo(&roi)
	roi.Close()
	return &Frame{img: out, scale: f.scale * grid / float64(n), width: f.width, height: f.height, Header: f.Header}, nil
}
