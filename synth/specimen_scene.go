package synth

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"

	"docscan/internal/grayimg"
)

// Capture problems a specimen scene may have on purpose; the capture
// quality gate should report each of them. Anything else a scene does
// (rotation, perspective, clutter, low contrast, a finger on the edge, mild
// noise and JPEG) is a normal photo that should pass the gate.
const (
	CaptureBlur   = "blur"
	CaptureMotion = "motion_blur"
	CaptureGlare  = "glare"
	CaptureDark   = "dark"
	CaptureSmall  = "small"
	CaptureCutOff = "cut_off"
)

var captureProblems = []string{CaptureBlur, CaptureMotion, CaptureGlare, CaptureDark, CaptureSmall, CaptureCutOff}

// specimenSizes are phone photo sizes; a third are 12-megapixel.
var specimenSizes = [][2]int{{4032, 3024}, {3024, 4032}, {2592, 1944}, {2048, 1536}, {1600, 1200}, {1920, 1080}}

// SpecimenScene renders an ID card or driving licence front (opt.Format is
// SpecimenIDCard or SpecimenLicence) and photographs it on clutter at any
// rotation (upside down included) with perspective, sometimes low contrast
// against the background and a finger over an edge. Half of the scenes
// (none when opt.Mild) get one or two capture problems (blur, motion blur,
// glare, dark, too small, cut off), listed in truth.capture.
func SpecimenScene(fonts *Fonts, seed uint64, opt SceneOptions) (*Scene, error) {
	r := rand.New(rand.NewPCG(seed, 0x737063))
	kind := opt.Format
	if kind == "" {
		kind = []string{SpecimenIDCard, SpecimenLicence}[r.IntN(2)]
	}
	W, H := pickSize(r, specimenSizes, opt)
	short := float64(min(W, H))
	var capture []string
	if !opt.Mild && r.IntN(2) == 0 {
		capture = append(capture, captureProblems[r.IntN(len(captureProblems))])
		if r.IntN(5) == 0 {
			c := captureProblems[r.IntN(len(captureProblems))]
			if c != capture[0] {
				capture = append(capture, c)
			}
		}
	}
	has := func(c string) bool {
		for _, x := range capture {
			if x == c {
				return true
			}
		}
		return false
	}
	params := map[string]float64{}
	q, angle, persp := specimenQuad(r, W, H, opt, has(CaptureSmall), has(CaptureCutOff), params)
	maxEdge := 0.0
	for i := range q {
		maxEdge = math.Max(maxEdge, math.Hypot(q[(i+1)%4].X-q[i].X, q[(i+1)%4].Y-q[i].Y))
	}
	// render at least as sharp as the photo needs, at most 24 px/mm
	pxPerMM := math.Min(24, math.Max(8, maxEdge/id1W))
	var sp *Specimen
	if kind == SpecimenLicence {
		sp = RenderLicence(r, fonts, pxPerMM)
	} else {
		sp = RenderIDCard(r, fonts, pxPerMM)
	}
	scene := image.NewRGBA(image.Rect(0, 0, W, H))
	bg := Clutter(scene, r, "")
	var degr []string
	if r.IntN(5) == 0 {
		// low contrast: the background has the card's colour
		lowContrast(scene, sp.Image, uniform(r, 0.6, 0.85))
		degr = append(degr, "low_contrast")
	}
	sh := placeShadow(q, short*0.005)
	FillPolygon(scene, sh[:], color.RGBA{0, 0, 0, 60})
	if _, err := Warp(scene, sp.Image, q); err != nil {
		return nil, err
	}
	cardW := math.Hypot(q[1].X-q[0].X, q[1].Y-q[0].Y)
	if r.IntN(4) == 0 {
		finger(scene, r, q)
		degr = append(degr, "finger")
	}
	if has(CaptureGlare) {
		c := lerpPt(centroid(q), q[r.IntN(4)], uniform(r, 0, 0.5))
		rad := uniform(r, 0.1, 0.2) * cardW
		Glare(scene, c.X, c.Y, rad*uniform(r, 1, 1.8), rad, uniform(r, 0, 180), uniform(r, 0.95, 1))
	} else if r.IntN(5) == 0 {
		// a faint sheen is normal and must not trip the gate
		c := lerpPt(centroid(q), q[r.IntN(4)], uniform(r, 0, 0.6))
		rad := uniform(r, 0.08, 0.15) * cardW
		Glare(scene, c.X, c.Y, rad*1.5, rad, uniform(r, 0, 180), uniform(r, 0.2, 0.35))
		degr = append(degr, "sheen")
	}
	if has(CaptureDark) {
		g := uniform(r, 0.12, 0.22)
		Night(scene, g, uniform(r, 1.2, 1.5), [3]float64{uniform(r, 0.85, 1.1), 1, uniform(r, 0.85, 1.15)})
		params["night_gain"] = round2(g)
	}
	// blur in pixels of the 1000-pixel-wide normalized card
	toScene := cardW / 1000
	switch {
	case has(CaptureBlur):
		sig := uniform(r, 2.5, 5) * toScene
		GaussianBlur(scene, sig)
		params["blur_sigma"] = round2(sig)
	case has(CaptureMotion):
		l := uniform(r, 9, 18) * toScene
		MotionBlur(scene, l, uniform(r, 0, 180))
		params["motion_px"] = round2(l)
	default:
		GaussianBlur(scene, 0.6)
	}
	sigma := uniform(r, 1, 3)
	if has(CaptureDark) {
		sigma = uniform(r, 4, 8)
	}
	Noise(scene, r, sigma, sigma*0.4)
	params["noise_sigma"] = round2(sigma)
	if r.IntN(5) == 0 {
		qq := 45 + r.IntN(25)
		var err error
		if scene, err = JPEGRoundTrip(scene, qq); err != nil {
			return nil, err
		}
		degr = append(degr, "jpeg")
		params["jpeg_quality"] = float64(qq)
	}
	params["angle"] = round2(math.Mod(angle+360, 360))
	if opt.Camera {
		persp = params["tilt_deg"] / 100 // the perspective a tilt gives, as the keystone's share
	}
	params["perspective"] = round2(persp)
	params["card_width_px"] = round2(cardW)
	params["value_cap_px"] = round2(sp.ValueCapH * cardW / float64(sp.Image.Bounds().Dx()))
	if math.Abs(math.Remainder(angle, 360)) > 2 {
		degr = append([]string{"rotation"}, degr...)
	}
	if persp > 0 {
		degr = append(degr, "perspective")
	}
	degr = append(degr, capture...)
	q0 := opt.Quality
	if q0 == 0 {
		q0 = 88
	}
	jp, err := EncodeJPEG(scene, q0)
	if err != nil {
		return nil, err
	}
	quality := "clean"
	if len(capture) > 0 {
		quality = "degraded"
	}
	entryKind := "document"
	if kind == SpecimenLicence {
		entryKind = "licence"
	}
	if capture == nil {
		capture = []string{}
	}
	e := Entry{
		Kind: entryKind, Scene: "whole", Group: fmt.Sprintf("%s/%s", kind, quality), Seed: seed, Width: W, Height: H,
		Truth: Truth{DocumentType: sp.DocumentType, Fields: sp.Fields, Quad: q.Pairs(), MRZ: sp.MRZ,
			Quality: quality, Capture: capture},
		Degradations: degr, Params: params, Background: bg, Generator: Generator,
		DocumentQuad: q.Pairs(),
	}
	return &Scene{JPEG: jp, Image: scene, Entry: e}, nil
}

// specimenQuad places a specimen card in a W x H photo as SpecimenScene
// does: any turn (a mild one for opt.Mild), in 60% of scenes perspective
// (placeQuad's keystone with jittered corners, or cameraQuad's tilt for
// opt.Camera), 50-85% of the short side wide (220-380 pixels when small)
// and inside the frame, or pushed over its nearest border by 6-18% of its
// width when cutOff. It returns the outline, the turn in degrees and the
// keystone's share (persp, 0 without perspective).
func specimenQuad(r *rand.Rand, W, H int, opt SceneOptions, small, cutOff bool, params map[string]float64) (Quad, float64, float64) {
	short := float64(min(W, H))
	var angle float64
	switch v := r.Float64(); {
	case opt.Mild:
		angle = uniform(r, -6, 6)
	case v < 0.4:
		angle = uniform(r, -15, 15)
	case v < 0.6:
		angle = 180 + uniform(r, -15, 15)
	default:
		angle = uniform(r, 0, 360)
	}
	persp, jit := 0.0, 0.0
	if r.IntN(5) < 3 {
		persp, jit = uniform(r, 0.05, 0.3), uniform(r, 0, 0.02)
	}
	var q Quad
	for try := 0; ; try++ {
		pw := uniform(r, 0.5, 0.85) * short * math.Pow(0.93, float64(try))
		if small {
			pw = uniform(r, 220, 380)
		}
		cx, cy := uniform(r, 0.38, 0.62)*float64(W), uniform(r, 0.38, 0.62)*float64(H)
		if opt.Camera {
			q = cameraQuad(r, W, H, cx, cy, pw, angle, persp > 0, params)
		} else {
			q = placeQuad(r, cx, cy, pw, id1W/id1H, angle, persp, jit)
		}
		if inside(q, W, H, 0.03*short) || try > 40 {
			break
		}
	}
	if cutOff {
		// push the card over the nearest frame edge by 6-18% of its width
		c := centroid(q)
		dx, dy := 0.0, 0.0
		switch d := []float64{c.X, float64(W) - c.X, c.Y, float64(H) - c.Y}; {
		case d[0] <= d[1] && d[0] <= d[2] && d[0] <= d[3]:
			dx = -1
		case d[1] <= d[2] && d[1] <= d[3]:
			dx = 1
		case d[2] <= d[3]:
			dy = -1
		default:
			dy = 1
		}
		x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, p := range q {
			x0, y0, x1, y1 = math.Min(x0, p.X), math.Min(y0, p.Y), math.Max(x1, p.X), math.Max(y1, p.Y)
		}
		out := uniform(r, 0.06, 0.18) * math.Hypot(q[1].X-q[0].X, q[1].Y-q[0].Y)
		var shift float64
		switch {
		case dx < 0:
			shift = x0 + out
		case dx > 0:
			shift = float64(W) - x1 + out
		case dy < 0:
			shift = y0 + out
		default:
			shift = float64(H) - y1 + out
		}
		for i := range q {
			q[i].X += dx * shift
			q[i].Y += dy * shift
		}
	}
	return q, angle, persp
}

// CutOffOutline is the outline SpecimenScene gives a card the frame cuts
// off in a W x H photo (drawn from seed; through a camera where camera
// is set), for measuring what completes such cards.
func CutOffOutline(seed uint64, W, H int, camera bool) Quad {
	r := rand.New(rand.NewPCG(seed, 0x6375746f))
	q, _, _ := specimenQuad(r, W, H, SceneOptions{Camera: camera}, false, true, map[string]float64{})
	return q
}

// Camera placement (SceneOptions.Camera): the card is photographed through
// a pinhole camera at the frame's centre, its focal 0.6-1.1 times the
// photo's long side (a phone's main camera is about 0.75), instead of
// placeQuad's keystone, which shortens one side about its middle and
// leaves the card's other extent as it was (no camera does: a card
// turned away is foreshortened across the turn too). A tilted card is
// turned up to cameraTilt degrees about each of its axes.
const cameraTilt = 25.0

// cameraQuad is the outline of an ID-1 card centred near (cx, cy) of a
// W x H photo, pw pixels wide were it square to the camera, turned by
// angle degrees in the image plane and, where tilted, about its own axes;
// params gets the focal (as a share of the long side) and the larger tilt.
func cameraQuad(r *rand.Rand, W, H int, cx, cy, pw, angle float64, tilted bool, params map[string]float64) Quad {
	long := float64(max(W, H))
	fs := uniform(r, 0.6, 1.1)
	f := fs * long
	var ax, ay float64
	if tilted {
		ax, ay = uniform(r, -cameraTilt, cameraTilt)*math.Pi/180, uniform(r, -cameraTilt, cameraTilt)*math.Pi/180
	}
	params["focal"] = round2(fs)
	params["tilt_deg"] = round2(math.Max(math.Abs(ax), math.Abs(ay)) * 180 / math.Pi)
	z := f * id1W / pw
	x, y := (cx-float64(W)/2)*z/f, (cy-float64(H)/2)*z/f
	az := angle * math.Pi / 180
	var q Quad
	for i, c := range [4][2]float64{{-id1W / 2, -id1H / 2}, {id1W / 2, -id1H / 2}, {id1W / 2, id1H / 2}, {-id1W / 2, id1H / 2}} {
		// about the card's x axis, then its y axis, then the view's
		px, py, pz := c[0], c[1]*math.Cos(ax), c[1]*math.Sin(ax)
		px, pz = px*math.Cos(ay)+pz*math.Sin(ay), -px*math.Sin(ay)+pz*math.Cos(ay)
		px, py = px*math.Cos(az)-py*math.Sin(az), px*math.Sin(az)+py*math.Cos(az)
		q[i] = Point{float64(W)/2 + f*(px+x)/(pz+z), float64(H)/2 + f*(py+y)/(pz+z)}
	}
	return q
}

// lowContrast pulls the background towards the card's mean colour.
func lowContrast(scene, card *image.RGBA, t float64) {
	var sum [3]float64
	n := 0.0
	for o := 0; o+3 < len(card.Pix); o += 4 * 7 {
		if card.Pix[o+3] == 255 {
			for k := 0; k < 3; k++ {
				sum[k] += float64(card.Pix[o+k])
			}
			n++
		}
	}
	if n == 0 {
		return
	}
	for o := 0; o+3 < len(scene.Pix); o += 4 {
		for k := 0; k < 3; k++ {
			scene.Pix[o+k] = grayimg.Clamp8(float64(scene.Pix[o+k])*(1-t) + sum[k]/n*t)
		}
	}
}

// finger draws a thumb reaching over one edge of the card quad q from
// outside, covering the border but not the middle.
func finger(img *image.RGBA, r *rand.Rand, q Quad) {
	i := r.IntN(4)
	a, b := q[i], q[(i+1)%4]
	t := uniform(r, 0.15, 0.85)
	p := lerpPt(a, b, t)
	c := centroid(q)
	dx, dy := c.X-p.X, c.Y-p.Y
	l := math.Hypot(dx, dy)
	dx, dy = dx/l, dy/l
	side := math.Min(math.Hypot(b.X-a.X, b.Y-a.Y), math.Hypot(q[(i+2)%4].X-b.X, q[(i+2)%4].Y-b.Y))
	wd := uniform(r, 0.12, 0.18) * side
	in := uniform(r, 0.03, 0.08) * side
	skin := color.RGBA{uint8(170 + r.IntN(70)), uint8(120 + r.IntN(60)), uint8(90 + r.IntN(60)), 255}
	x0, y0 := p.X-dx*side*1.5, p.Y-dy*side*1.5
	StrokeLine(img, x0, y0, p.X+dx*in, p.Y+dy*in, wd, lerpColor(skin, color.RGBA{0, 0, 0, 255}, 0.15))
	StrokeLine(img, x0, y0, p.X+dx*(in-wd*0.1), p.Y+dy*(in-wd*0.1), wd*0.85, skin)
}
