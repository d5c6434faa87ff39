package synth

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
)

// SceneOptions tune a scene; zero values pick the benchmark defaults.
type SceneOptions struct {
	// Width and Height force the scene size (else drawn at random).
	Width, Height int
	// MaxLongSide caps the long side of a randomly drawn size (0: no cap).
	MaxLongSide int
	// Quality is the final JPEG quality (default 90).
	Quality int
	// Mild limits degradations to light ones (demo samples).
	Mild bool
	// Format forces the MRZ format (TD1, TD2, TD3).
	Format string
	// TwoLines forces a two-line plate (-1: one line, 0: random, 1: two lines).
	TwoLines int
	// Camera photographs specimen cards through a pinhole camera
	// (cameraQuad) instead of placeQuad's keystone.
	Camera bool
}

// Scene is one generated image with its manifest entry.
type Scene struct {
	JPEG  []byte
	Image *image.RGBA
	Entry Entry
}

// mrzSizes are phone photo sizes; 4032x3024 is a 12-megapixel phone camera.
var mrzSizes = [][2]int{{4032, 3024}, {4032, 3024}, {3024, 4032}, {1600, 1200}, {2048, 1536}, {2592, 1944}, {3264, 2448}, {1920, 1080}, {1080, 1920}, {2000, 1500}}

func pickSize(r *rand.Rand, sizes [][2]int, opt SceneOptions) (int, int) {
	if opt.Width > 0 && opt.Height > 0 {
		return opt.Width, opt.Height
	}
	sz := sizes[r.IntN(len(sizes))]
	w, h := sz[0], sz[1]
	if m := opt.MaxLongSide; m > 0 && max(w, h) > m {
		f := float64(m) / float64(max(w, h))
		w, h = int(float64(w)*f), int(float64(h)*f)
	}
	return w, h
}

// placeQuad returns the corners of a w x h object (aspect only matters)
// rotated by angle degrees about (cx, cy), scaled so its width is pw, with
// perspective: tilt shortens one side by up to persp and jitter moves
// corners by up to jit of the width.
func placeQuad(r *rand.Rand, cx, cy, pw, aspect, angle, persp, jit float64) Quad {
	ph := pw / aspect
	q := RectQuad(-pw/2, -ph/2, pw/2, ph/2)
	if persp > 0 {
		k := r.Float64() * persp
		switch r.IntN(4) { // which side is farther away
		case 0:
			q[0].X, q[1].X = q[0].X*(1-k), q[1].X*(1-k)
		case 1:
			q[3].X, q[2].X = q[3].X*(1-k), q[2].X*(1-k)
		case 2:
			q[0].Y, q[3].Y = q[0].Y*(1-k), q[3].Y*(1-k)
		default:
			q[1].Y, q[2].Y = q[1].Y*(1-k), q[2].Y*(1-k)
		}
	}
	ca, sa := math.Cos(angle*math.Pi/180), math.Sin(angle*math.Pi/180)
	for i := range q {
		x := q[i].X + (r.Float64()*2-1)*jit*pw
		y := q[i].Y + (r.Float64()*2-1)*jit*pw
		q[i] = Point{cx + x*ca - y*sa, cy + x*sa + y*ca}
	}
	return q
}

func inside(q Quad, w, h int, margin float64) bool {
	for _, p := range q {
		if p.X < margin || p.Y < margin || p.X > float64(w)-margin || p.Y > float64(h)-margin {
			return false
		}
	}
	return true
}

// MRZScene renders a document with a random valid MRZ and photographs it:
// the card lies on clutter at a random rotation, scale and perspective, with
// a random subset of blur, motion blur, noise, uneven light, shadow, glare,
// night and JPEG re-encoding.
func MRZScene(fonts *Fonts, seed uint64, opt SceneOptions) (*Scene, error) {
	r := rand.New(rand.NewPCG(seed, 0x6d727a))
	format := opt.Format
	if format == "" {
		format = []string{TD1, TD2, TD3}[r.IntN(3)]
	}
	data := RandomMRZData(r, format)
	W, H := pickSize(r, mrzSizes, opt)
	lay := layouts[format]
	// rotation: mostly small skews, then quarter turns, then anything
	var angle float64
	switch v := r.Float64(); {
	case v < 0.45:
		angle = uniform(r, -12, 12)
	case v < 0.75:
		angle = float64(90*(1+r.IntN(3))) + uniform(r, -8, 8)
	default:
		angle = uniform(r, 0, 360)
	}
	if opt.Mild {
		angle = uniform(r, -8, 8)
	}
	var persp, jit float64
	if r.IntN(3) > 0 {
		persp, jit = uniform(r, 0.05, 0.25), uniform(r, 0, 0.03)
	}
	if opt.Mild {
		persp, jit = 0.08, 0.01
	}
	// scale: the card's width in the photo
	var q Quad
	short := float64(min(W, H))
	for try := 0; ; try++ {
		frac := uniform(r, 0.45, 0.9)
		if format == TD3 {
			frac = uniform(r, 0.55, 0.95)
		}
		pw := frac * short * math.Pow(0.93, float64(try))
		cx, cy := uniform(r, 0.35, 0.65)*float64(W), uniform(r, 0.35, 0.65)*float64(H)
		q = placeQuad(r, cx, cy, pw, lay.w/lay.h, angle, persp, jit)
		if inside(q, W, H, 0.02*short) || try > 40 {
			break
		}
	}
	maxEdge := 0.0
	for i := range q {
		maxEdge = math.Max(maxEdge, math.Hypot(q[(i+1)%4].X-q[i].X, q[(i+1)%4].Y-q[i].Y))
	}
	pxPerMM := maxEdge / lay.w
	doc, err := RenderDocument(r, fonts, data, pxPerMM)
	if err != nil {
		return nil, err
	}
	scene := image.NewRGBA(image.Rect(0, 0, W, H))
	bg := Clutter(scene, r, "")
	// drop shadow under the card
	sh := placeShadow(q, short*0.006)
	FillPolygon(scene, sh[:], color.RGBA{0, 0, 0, 70})
	h, err := Warp(scene, doc.Image, q)
	if err != nil {
		return nil, err
	}
	mrzQ := h.ApplyQuad(doc.MRZQuad)
	charH := doc.CharHeight * maxEdge / float64(doc.Image.Bounds().Dx())
	degr, params, err := degrade(r, &scene, q, mrzQ, charH, opt)
	if err != nil {
		return nil, err
	}
	params["angle"] = round2(math.Mod(angle+360, 360))
	params["char_height_px"] = round2(charH)
	if math.Abs(math.Remainder(angle, 360)) > 2 {
		degr = append([]string{"rotation"}, degr...)
	}
	if persp > 0 {
		degr = append(degr, "perspective")
	}
	params["perspective"] = round2(persp)
	q0 := opt.Quality
	if q0 == 0 {
		q0 = 90
	}
	jp, err := EncodeJPEG(scene, q0)
	if err != nil {
		return nil, err
	}
	e := Entry{
		Kind: "mrz", Scene: "whole", Group: "mrz/" + format, Seed: seed, Width: W, Height: H,
		Truth:        Truth{MRZ: doc.Lines, Format: format, DocumentType: DocumentType(data.DocumentCode)},
		Degradations: degr, Params: params, Background: bg, Generator: Generator,
		Quad: mrzQ.Pairs(), DocumentQuad: q.Pairs(),
	}
	return &Scene{JPEG: jp, Image: scene, Entry: e}, nil
}

// placeShadow is the quad offset by d down and right (a soft drop shadow).
func placeShadow(q Quad, d float64) Quad {
	for i := range q {
		q[i].X += d
		q[i].Y += d * 1.5
	}
	return q
}

// degrade applies a random subset of the photo degradations in a fixed
// order; obj is the object quad, focus the text region, charH the text size.
func degrade(r *rand.Rand, img **image.RGBA, obj, focus Quad, charH float64, opt SceneOptions) ([]string, map[string]float64, error) {
	s := *img
	b := s.Bounds()
	W, H := float64(b.Dx()), float64(b.Dy())
	var out []string
	p := map[string]float64{}
	pick := func(prob float64) bool {
		if opt.Mild {
			prob *= 0.5
		}
		return r.Float64() < prob
	}
	night := pick(0.15) && !opt.Mild
	if pick(0.35) {
		a, c := uniform(r, 0.55, 1.0), uniform(r, 0.9, 1.15)
		Illumination(s, a, c, uniform(r, 0, 360), uniform(r, 0, 0.35))
		out = append(out, "uneven_light")
	}
	if pick(0.3) {
		c := centroid(obj)
		Shadow(s, c.X+uniform(r, -0.2, 0.2)*W, c.Y+uniform(r, -0.2, 0.2)*H, uniform(r, 0, 360), uniform(r, 0.25, 0.55), uniform(r, 0.01, 0.08)*math.Max(W, H))
		out = append(out, "shadow")
	}
	if pick(0.3) && !night {
		// glare on the object, near but mostly not over the text
		// a saturated spot away from the text, or a weaker sheen over it
		t := r.Float64() * 0.9
		c := lerpPt(centroid(obj), centroid(focus), t)
		c.X += uniform(r, -0.15, 0.15) * math.Abs(obj[1].X-obj[0].X)
		c.Y += uniform(r, -0.15, 0.15) * math.Abs(obj[3].Y-obj[0].Y)
		size := uniform(r, 1.5, 4) * charH
		strength := uniform(r, 0.8, 1)
		if t > 0.5 {
			strength = uniform(r, 0.35, 0.6)
		}
		rx := size * uniform(r, 1, 2.5)
		angle := uniform(r, 0, 180)
		if strength >= glareSaturating {
			// v4: the saturated spot is moved off the text (v3 left it
			// over characters no reader can see in a quarter of its
			// glare scenes); no random draw, so other scenes stay the same
			var moved float64
			c, moved = glareBeside(c, rx, size, angle, focus)
			if moved > 0 {
				p["glare_moved_px"] = round2(moved)
			}
		}
		Glare(s, c.X, c.Y, rx, size, angle, strength)
		p["glare_strength"] = round2(strength)
		out = append(out, "glare")
		p["glare_over_text"] = round2(t)
	}
	if night {
		g := uniform(r, 0.25, 0.5)
		Night(s, g, uniform(r, 1.1, 1.5), [3]float64{uniform(r, 0.85, 1.1), 1, uniform(r, 0.85, 1.15)})
		out = append(out, "night")
		p["night_gain"] = round2(g)
	}
	switch v := r.Float64(); {
	case v < 0.3 && !opt.Mild:
		sig := uniform(r, 0.04, 0.1) * charH
		GaussianBlur(s, sig)
		out = append(out, "blur")
		p["blur_sigma"] = round2(sig)
	case v < 0.45 && !opt.Mild:
		l := uniform(r, 0.12, 0.3) * charH
		MotionBlur(s, l, uniform(r, 0, 180))
		out = append(out, "motion_blur")
		p["motion_px"] = round2(l)
	default:
		GaussianBlur(s, 0.6) // lens softness
	}
	sigma := uniform(r, 1, 3)
	if night {
		sigma = uniform(r, 6, 14)
	} else if pick(0.35) {
		sigma = uniform(r, 4, 9)
		out = append(out, "noise")
	}
	Noise(s, r, sigma, sigma*0.4)
	p["noise_sigma"] = round2(sigma)
	if pick(0.3) && !opt.Mild {
		qq := 30 + r.IntN(35)
		var err error
		if s, err = JPEGRoundTrip(s, qq); err != nil {
			return nil, nil, err
		}
		out = append(out, "jpeg")
		p["jpeg_quality"] = float64(qq)
	}
	*img = s
	return out, p, nil
}

// glareSaturating is the strength from which Glare saturates its core.
const glareSaturating = 0.8

// glareClear is the least normalized squared distance (u²+v² in Glare's
// ellipse) at which a saturating glare leaves the print at least half its
// contrast: nearer, its core whitens the characters out.
const glareClear = 0.7

// glareBeside moves a saturating glare's centre c (radii rx, ry, rotated
// by angle degrees) straight away from the text quad's centre until no
// point of the quad lies within glareClear of it, and returns the new
// centre and the distance moved. A centre on the text's own centre moves
// up the text's height.
func glareBeside(c Point, rx, ry, angle float64, text Quad) (Point, float64) {
	ca, sa := math.Cos(angle*math.Pi/180), math.Sin(angle*math.Pi/180)
	near := func(c Point) bool {
		const n = 24
		for i := 0; i <= n; i++ {
			for j := 0; j <= n; j++ {
				a, b := float64(i)/n, float64(j)/n
				top := lerpPt(text[0], text[1], a)
				bot := lerpPt(text[3], text[2], a)
				q := lerpPt(top, bot, b)
				dx, dy := q.X-c.X, q.Y-c.Y
				u, v := (dx*ca+dy*sa)/rx, (-dx*sa+dy*ca)/ry
				if u*u+v*v < glareClear {
					return true
				}
			}
		}
		return false
	}
	tc := centroid(text)
	dx, dy := c.X-tc.X, c.Y-tc.Y
	d := math.Hypot(dx, dy)
	if d < 1e-6 {
		dx, dy, d = text[0].X-text[3].X, text[0].Y-text[3].Y, math.Hypot(text[0].X-text[3].X, text[0].Y-text[3].Y)
		if d < 1e-6 {
			return c, 0
		}
	}
	dx, dy = dx/d, dy/d
	step := math.Max(1, 0.05*math.Min(rx, ry))
	var moved float64
	for i := 0; i < 2000 && near(c); i++ {
		c.X += dx * step
		c.Y += dy * step
		moved += step
	}
	return c, moved
}

func centroid(q Quad) Point {
	var c Point
	for _, p := range q {
		c.X += p.X / 4
		c.Y += p.Y / 4
	}
	return c
}

// plateSizes are street photo sizes.
var plateSizes = [][2]int{{1280, 960}, {1280, 960}, {1280, 720}, {1024, 768}}

// PlateScene renders a random valid German plate on a car-like body in a
// street scene: plate 80-300 px wide, at an angle, with perspective, blur,
// night noise and JPEG.
func PlateScene(fonts *Fonts, seed uint64, opt SceneOptions) (*Scene, error) {
	r := rand.New(rand.NewPCG(seed, 0x706c74))
	parts := RandomPlate(r)
	two := r.IntN(5) == 0
	if opt.TwoLines != 0 {
		two = opt.TwoLines > 0
	}
	badges := []int{0, 1, 2, 2}[r.IntN(4)]
	W, H := pickSize(r, plateSizes, opt)
	// plate width in the scene
	pw := uniform(r, 80, 300) * float64(W) / 1280
	if two {
		pw = uniform(r, 70, 200) * float64(W) / 1280
	}
	if opt.Mild {
		pw = uniform(r, 180, 280) * float64(W) / 1280
	}
	plateW, plateH := 520.0, 110.0
	bodyW, bodyH := 1800.0, 1400.0
	if two {
		plateW, plateH = 255, 200
		bodyW, bodyH = 800, 1100
	}
	scale := pw / plateW // scene px per mm, frontal
	pxPerMM := math.Max(scale*1.25, 0.4)
	// the car front (or motorcycle rear) in its own frame, plate included
	plate := RenderPlate(r, fonts, parts, two, badges, pxPerMM)
	car, plateRect := renderVehicle(r, plate.Image, bodyW, bodyH, plateW, plateH, pxPerMM, two)
	cw := float64(car.Bounds().Dx())
	// pose of the vehicle in the scene
	yaw := uniform(r, 0, 0.35)
	if opt.Mild {
		yaw = uniform(r, 0, 0.12)
	}
	roll := uniform(r, -10, 10)
	if opt.Mild {
		roll = uniform(r, -4, 4)
	}
	carW := cw * scale / pxPerMM
	var q Quad
	var plateQ Quad
	scene := image.NewRGBA(image.Rect(0, 0, W, H))
	streetScene(scene, r)
	var h Homography
	for try := 0; ; try++ {
		cx, cy := uniform(r, 0.2, 0.8)*float64(W), uniform(r, 0.4, 0.75)*float64(H)
		q = placeQuad(r, cx, cy, carW, cw/float64(car.Bounds().Dy()), roll, 0, 0.005)
		// yaw: the far side shrinks vertically
		k := 1 - yaw
		if r.IntN(2) == 0 {
			mid := (q[1].Y + q[2].Y) / 2
			q[1].Y = mid + (q[1].Y-mid)*k
			q[2].Y = mid + (q[2].Y-mid)*k
			q[1].X -= (q[1].X - q[0].X) * yaw * 0.4
			q[2].X -= (q[2].X - q[3].X) * yaw * 0.4
		} else {
			mid := (q[0].Y + q[3].Y) / 2
			q[0].Y = mid + (q[0].Y-mid)*k
			q[3].Y = mid + (q[3].Y-mid)*k
			q[0].X += (q[1].X - q[0].X) * yaw * 0.4
			q[3].X += (q[2].X - q[3].X) * yaw * 0.4
		}
		var err error
		h, err = HomographyFromQuads(RectQuad(0, 0, cw, float64(car.Bounds().Dy())), q)
		if err != nil {
			return nil, err
		}
		plateQ = h.ApplyQuad(plateRect)
		if inside(plateQ, W, H, 8) || try > 40 {
			break
		}
	}
	// a second, plateless car in the background sometimes
	if r.IntN(3) == 0 {
		other, _ := renderVehicle(r, nil, 1800, 1400, 520, 110, pxPerMM*0.5, false)
		ow := carW * uniform(r, 0.5, 0.8)
		oq := placeQuad(r, uniform(r, 0, float64(W)), float64(H)*uniform(r, 0.35, 0.5), ow, float64(other.Bounds().Dx())/float64(other.Bounds().Dy()), uniform(r, -5, 5), 0.2, 0)
		if !quadsOverlap(oq, plateQ) {
			Warp(scene, other, oq)
		}
	}
	FillPolygon(scene, []Point{{q[3].X - carW*0.03, q[3].Y}, {q[2].X + carW*0.03, q[2].Y}, {q[2].X, q[2].Y + carW*0.04}, {q[3].X, q[3].Y + carW*0.04}}, color.RGBA{10, 10, 10, 150})
	if _, err := Warp(scene, car, q); err != nil {
		return nil, err
	}
	charH := 75 * scale
	if two {
		charH = 49 * scale
	}
	// The vehicle is the object, the plate the text: glare lands on the
	// body near the plate, over the print only as a weaker sheen (the plate
	// as the object put a saturated spot on the print in half the glare
	// scenes: characters no reader can see, until generator v2).
	degr, params, err := degrade(r, &scene, q, plateQ, charH, opt)
	if err != nil {
		return nil, err
	}
	params["plate_width_px"] = round2(math.Hypot(plateQ[1].X-plateQ[0].X, plateQ[1].Y-plateQ[0].Y))
	params["roll"] = round2(roll)
	params["yaw"] = round2(yaw)
	params["badges"] = float64(badges)
	if math.Abs(roll) > 2 {
		degr = append([]string{"rotation"}, degr...)
	}
	if yaw > 0.05 {
		degr = append(degr, "perspective")
	}
	if pw < 120 {
		degr = append(degr, "small")
	}
	if two {
		degr = append(degr, "two_line")
	}
	q0 := opt.Quality
	if q0 == 0 {
		q0 = 88
	}
	jp, err := EncodeJPEG(scene, q0)
	if err != nil {
		return nil, err
	}
	bb := plateQ.Bounds().Intersect(scene.Bounds())
	group := "plate/de"
	if two {
		group = "plate/de-2line"
	}
	pp := parts
	e := Entry{
		Kind: "plate", Scene: "whole", Group: group, Seed: seed, Width: W, Height: H,
		Truth:        Truth{Plate: parts.Text(), Display: parts.Display(), Region: "de", Parts: &pp, TwoLines: two},
		Degradations: degr, Params: params, Generator: Generator, Background: "street",
		BBox: &BBox{X: float64(bb.Min.X), Y: float64(bb.Min.Y), W: float64(bb.Dx()), H: float64(bb.Dy()), Format: "xywh_pixels"},
		Quad: plateQ.Pairs(),
	}
	return &Scene{JPEG: jp, Image: scene, Entry: e}, nil
}

func quadsOverlap(a, b Quad) bool {
	return a.Bounds().Overlaps(b.Bounds())
}

// streetScene paints sky, buildings with windows and a road.
func streetScene(img *image.RGBA, r *rand.Rand) {
	b := img.Bounds()
	w, h := float64(b.Dx()), float64(b.Dy())
	horizon := h * uniform(r, 0.3, 0.5)
	sky := img.SubImage(image.Rect(0, 0, b.Dx(), int(horizon)+1)).(*image.RGBA)
	VerticalGradient(sky, color.RGBA{uint8(120 + r.IntN(80)), uint8(150 + r.IntN(70)), uint8(190 + r.IntN(60)), 255}, color.RGBA{220, 225, 230, 255})
	for x := -50.0; x < w; {
		bw := uniform(r, 80, 300) * w / 1280
		top := horizon - uniform(r, 0.05, 0.3)*h
		c := randColor(r, 80, 200)
		FillRect(img, x, top, x+bw, horizon+2, c)
		for wy := top + 15; wy < horizon-20; wy += 30 * w / 1280 {
			for wx := x + 10; wx < x+bw-20; wx += 28 * w / 1280 {
				FillRect(img, wx, wy, wx+14*w/1280, wy+16*w/1280, lerpColor(c, color.RGBA{20, 30, 50, 255}, 0.6))
			}
		}
		x += bw + uniform(r, 0, 40)
	}
	road := img.SubImage(image.Rect(0, int(horizon), b.Dx(), b.Dy())).(*image.RGBA)
	c := randColor(r, 70, 115)
	Fill(road, c)
	ValueNoise(road, r, 3, 14)
	ValueNoise(road, r, 90, 12)
	for i := 0; i < 4; i++ {
		y := horizon + (h-horizon)*(0.3+0.2*float64(i))
		StrokeLine(img, w*0.1*float64(i), y, w*0.1*float64(i)+w*0.15, y+uniform(r, -10, 10), 6*w/1280, color.RGBA{230, 230, 220, 200})
	}
}

// renderVehicle draws a car front (or a motorcycle rear when two) of
// bodyW x bodyH mm at pxPerMM with plate (may be nil) on the bumper; it
// returns the image and the plate's quad in it.
func renderVehicle(r *rand.Rand, plate *image.RGBA, bodyW, bodyH, plateW, plateH, s float64, two bool) (*image.RGBA, Quad) {
	W, H := int(bodyW*s), int(bodyH*s)
	img := image.NewRGBA(image.Rect(0, 0, W, H))
	body := []color.RGBA{{200, 200, 205, 255}, {30, 30, 35, 255}, {150, 20, 25, 255}, {20, 50, 120, 255}, {235, 235, 235, 255}, {90, 95, 100, 255}, {180, 150, 60, 255}, {40, 90, 60, 255}}[r.IntN(8)]
	dark := color.RGBA{20, 20, 22, 255}
	var pq Quad
	if !two {
		// roof and windscreen
		FillRoundRect(img, 0.12*bodyW*s, 0, 0.88*bodyW*s, 0.45*bodyH*s, 0.08*bodyW*s, body)
		FillPolygon(img, []Point{{0.17 * bodyW * s, 0.07 * bodyH * s}, {0.83 * bodyW * s, 0.07 * bodyH * s}, {0.9 * bodyW * s, 0.42 * bodyH * s}, {0.1 * bodyW * s, 0.42 * bodyH * s}}, color.RGBA{50, 60, 75, 255})
		FillPolygon(img, []Point{{0.3 * bodyW * s, 0.09 * bodyH * s}, {0.45 * bodyW * s, 0.09 * bodyH * s}, {0.3 * bodyW * s, 0.4 * bodyH * s}, {0.2 * bodyW * s, 0.4 * bodyH * s}}, color.RGBA{255, 255, 255, 40})
		// body
		FillRoundRect(img, 0, 0.4*bodyH*s, bodyW*s, 0.92*bodyH*s, 0.06*bodyW*s, body)
		FillEllipse(img, 0.14*bodyW*s, 0.55*bodyH*s, 0.09*bodyW*s, 0.045*bodyH*s, color.RGBA{235, 235, 220, 255})
		FillEllipse(img, 0.86*bodyW*s, 0.55*bodyH*s, 0.09*bodyW*s, 0.045*bodyH*s, color.RGBA{235, 235, 220, 255})
		FillRoundRect(img, 0.3*bodyW*s, 0.5*bodyH*s, 0.7*bodyW*s, 0.62*bodyH*s, 0.02*bodyW*s, lerpColor(body, dark, 0.7))
		for i := 0; i < 4; i++ {
			y := (0.52 + 0.025*float64(i)) * bodyH * s
			StrokeLine(img, 0.32*bodyW*s, y, 0.68*bodyW*s, y, 0.006*bodyH*s, lerpColor(body, dark, 0.4))
		}
		FillRoundRect(img, 0.02*bodyW*s, 0.68*bodyH*s, 0.98*bodyW*s, 0.9*bodyH*s, 0.04*bodyW*s, lerpColor(body, dark, 0.25))
		FillRoundRect(img, 0.08*bodyW*s, 0.88*bodyH*s, 0.22*bodyW*s, bodyH*s, 0.02*bodyW*s, dark)
		FillRoundRect(img, 0.78*bodyW*s, 0.88*bodyH*s, 0.92*bodyW*s, bodyH*s, 0.02*bodyW*s, dark)
		x0, y0 := (bodyW-plateW)/2*s, 0.7*bodyH*s
		pq = RectQuad(x0, y0, x0+plateW*s, y0+plateH*s)
	} else {
		// motorcycle rear: wheel, mudguard, seat, light
		FillEllipse(img, 0.5*bodyW*s, 0.8*bodyH*s, 0.14*bodyW*s, 0.2*bodyH*s, dark)
		FillRoundRect(img, 0.15*bodyW*s, 0.0, 0.85*bodyW*s, 0.22*bodyH*s, 0.1*bodyW*s, lerpColor(body, dark, 0.5))
		FillRoundRect(img, 0.25*bodyW*s, 0.18*bodyH*s, 0.75*bodyW*s, 0.36*bodyH*s, 0.05*bodyW*s, body)
		FillEllipse(img, 0.5*bodyW*s, 0.31*bodyH*s, 0.12*bodyW*s, 0.03*bodyH*s, color.RGBA{200, 20, 20, 255})
		x0, y0 := (bodyW-plateW)/2*s, 0.38*bodyH*s
		FillRect(img, x0-0.02*bodyW*s, y0-0.02*bodyH*s, x0+plateW*s+0.02*bodyW*s, y0+plateH*s+0.01*bodyH*s, dark)
		pq = RectQuad(x0, y0, x0+plateW*s, y0+plateH*s)
	}
	if plate != nil {
		if _, err := Warp(img, plate, pq); err != nil {
			panic(fmt.Sprintf("synth: plate warp: %v", err))
		}
	}
	return img, pq
}
