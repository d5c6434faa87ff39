package documents

import (
	"math"
	"math/rand/v2"
	"testing"

	"docscan/geom"
	"docscan/synth"
)

func TestTextMargins(t *testing.T) {
	q := geom.Quad{{100, 100}, {500, 100}, {500, 350}, {100, 350}} // short side 250
	box := func(x0, y0, x1, y1 float64) geom.Quad {
		return geom.Quad{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
	}
	cases := []struct {
		name string
		text []geom.Quad
		want [4]float64 // top, right, bottom, left
	}{
		{"flush left", []geom.Quad{box(100, 150, 300, 170)}, [4]float64{0.2, 0.8, 0.72, 0}},
		{"past the left", []geom.Quad{box(90, 150, 300, 170)}, [4]float64{0.2, 0.8, 0.72, -0.04}},
		{"nearest of two", []geom.Quad{box(150, 150, 300, 170), box(120, 300, 480, 340)}, [4]float64{0.2, 0.08, 0.04, 0.08}},
		// corners beyond the top and bottom sides' spans do not count for them
		{"off the span", []geom.Quad{box(520, 150, 560, 170)}, [4]float64{math.Inf(1), -0.24, math.Inf(1), 1.68}},
	}
	for _, c := range cases {
		got := textMargins(q, c.text)
		for i := range got {
			if math.IsInf(c.want[i], 1) != math.IsInf(got[i], 1) || !math.IsInf(got[i], 1) && math.Abs(got[i]-c.want[i]) > 1e-9 {
				t.Errorf("%s: margins %v, want %v", c.name, got, c.want)
				break
			}
		}
	}
}

// clearScene renders a card (canonical 1000 x 630 onto truth) whose
// border steps by border grey levels from the background, holding a dark
// photo block from canonical x 40 and text lines that start there too;
// noise adds a deterministic +-noise pattern.
func clearScene(truth geom.Quad, bg, border, noise int) (Gray, []geom.Quad, geom.Quad) {
	const w, h = 640, 480
	g := Gray{Pix: make([]byte, w*h), W: w, H: h}
	inv, _ := PhotoHomography(truth, 1000, 630)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := bg
			if noise > 0 {
				v += (x*7919+y*104729)%(2*noise+1) - noise
			}
			c := inv.Apply(float64(x)+0.5, float64(y)+0.5)
			if c[0] >= 0 && c[0] <= 1000 && c[1] >= 0 && c[1] <= 630 {
				v += border
				if c[0] >= 40 && c[0] <= 300 && c[1] >= 140 && c[1] <= 520 {
					v = 90
				}
			}
			g.Pix[y*w+x] = byte(max(0, min(255, v)))
		}
	}
	hm, _ := CardHomography(truth, 1000, 630)
	var text []geom.Quad
	for i := 0; i < 6; i++ {
		y := 60 + float64(i)*90
		x0 := 40.0
		if i >= 1 {
			x0 = 330 // beside the photo
		}
		text = append(text, canonRect(hm, x0, y, 900, y+40))
	}
	// the outline snapped to the photo's edge: the left side at canonical x 40
	return g, text, OrderQuad(canonRect(hm, 40, 0, 1000, 630))
}

func TestClearText(t *testing.T) {
	truth := geom.Quad{{120, 80}, {520, 110}, {500, 370}, {100, 340}}
	t.Run("faint grey border", func(t *testing.T) {
		g, text, inner := clearScene(truth, 190, 8, 0)
		if e := cornerErr(inner, truth); e < 0.01 {
			t.Fatalf("the scene's inner outline is already right (%.3f)", e)
		}
		got := clearText(g, inner, text)
		if e := cornerErr(got, truth); e > 0.005 {
			t.Errorf("corner error %.4f > 0.5%%: %v", e, got)
		}
	})
	t.Run("border in colour only", func(t *testing.T) {
		g, text, inner := clearScene(truth, 190, 0, 0)
		blue, _, _ := clearScene(truth, 150, 40, 0)
		if got := clearText(g, inner, text); got != inner {
			t.Errorf("grey without a border moved the side: %v", got)
		}
		g.Colour = []Gray{blue}
		got := clearText(g, inner, text)
		if e := cornerErr(got, truth); e > 0.005 {
			t.Errorf("corner error %.4f > 0.5%%: %v", e, got)
		}
	})
	t.Run("border under noise", func(t *testing.T) {
		// a 4-level step under +-8 levels of noise: too weak for gradient
		// maxima, found by projection
		g, text, inner := clearScene(truth, 180, 4, 8)
		got := clearText(g, inner, text)
		if e := cornerErr(got, truth); e > 0.006 {
			t.Errorf("corner error %.4f > 0.6%%: %v", e, got)
		}
	})
	t.Run("turned edge beyond refused", func(t *testing.T) {
		// no border, but the straight edge of something under the card
		// beyond its flush side, turned 3.5 degrees from it (within what
		// edgeBeyond takes, not as parallel to the opposite side)
		g, text, inner := clearScene(truth, 190, 0, 0)
		sq := OrderQuad(truth)
		hm, _ := CardHomography(sq, 1000, 630)
		p0, p1 := hm.Apply(-20, 0), hm.Apply(-20, 630)
		mx, my := (p0[0]+p1[0])/2, (p0[1]+p1[1])/2
		th := 3.5 * math.Pi / 180
		dx, dy := p1[0]-p0[0], p1[1]-p0[1]
		dx, dy = dx*math.Cos(th)-dy*math.Sin(th), dx*math.Sin(th)+dy*math.Cos(th)
		le := lineThrough(geom.Point{mx, my}, geom.Point{mx + dx, my + dy})
		cx := sq.Center()
		in := le.nx*cx[0]+le.ny*cx[1]-le.d > 0
		for y := 0; y < g.H; y++ {
			for x := 0; x < g.W; x++ {
				if (le.nx*float64(x)+le.ny*float64(y)-le.d > 0) != in && !pointIn(truth, geom.Point{float64(x), float64(y)}) {
					g.Pix[y*g.W+x] = 120
				}
			}
		}
		if got := clearText(g, inner, text); got != inner {
			t.Errorf("the side moved to a turned edge: %v", got)
		}
	})
	t.Run("right outline kept", func(t *testing.T) {
		g, text, _ := clearScene(truth, 190, 8, 0)
		if got := clearText(g, OrderQuad(truth), text); cornerErr(got, truth) > 1e-9 {
			t.Errorf("a side clear of the text moved: %v", got)
		}
	})
}

func TestProfileEdge(t *testing.T) {
	// a vertical side at x 100 (inside to the right) with a strong edge
	// just outside it, blurred over several pixels, and a faint one at x 70
	const w, h = 200, 200
	g := Gray{Pix: make([]byte, w*h), W: w, H: h}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := 150.0
			if x >= 70 {
				v += 4
			}
			// a ramp from x 90 to 100: the inner edge's blurred tail
			v += 60 * math.Max(0, math.Min(1, (float64(x)-90)/10))
			v += float64((x*7919+y*104729)%9 - 4)
			g.Pix[y*w+x] = byte(v)
		}
	}
	a, b, c := geom.Point{100, 20}, geom.Point{100, 180}, geom.Point{150, 100}
	le, ok := profileEdge(g, a, b, c, 2, 60)
	if !ok {
		t.Fatal("no edge found")
	}
	x := le.d / le.nx // the line's x at y 0, near enough for a vertical line
	if math.Abs(math.Abs(le.nx)-1) > 0.01 || math.Abs(math.Abs(x)-70) > 1.5 {
		t.Errorf("edge at x %.1f (normal %.3f, %.3f), want 70", x, le.nx, le.ny)
	}
	// without the faint edge there is none: the ramp's tail is not one
	for y := 0; y < h; y++ {
		for x := 0; x < 70; x++ {
			g.Pix[y*w+x] += 4
		}
	}
	if le, ok := profileEdge(g, a, b, c, 2, 60); ok {
		t.Errorf("an edge found in the inner edge's tail: %+v", le)
	}
}

func TestComplete(t *testing.T) {
	const w, h, asp = 640, 480, 1.586
	quad := func(pts ...float64) geom.Quad {
		var q geom.Quad
		for i := range q {
			q[i] = geom.Point{pts[2*i], pts[2*i+1]}
		}
		return OrderQuad(q)
	}
	near := func(a, b geom.Quad) bool {
		for i := range a {
			if math.Hypot(a[i][0]-b[i][0], a[i][1]-b[i][1]) > 0.01 {
				return false
			}
		}
		return true
	}
	cases := []struct {
		name   string
		in     geom.Quad
		want   geom.Quad
		change bool
	}{
		{"long side on the bottom border", quad(100, 300, 420, 300, 420, 479, 100, 479),
			quad(100, 300, 420, 300, 420, 300+320/asp, 100, 300+320/asp), true},
		{"short side beyond the right border", quad(380, 100, 645, 100, 645, 300, 380, 300),
			quad(380, 100, 380+200*asp, 100, 380+200*asp, 300, 380, 300), true},
		{"inside the frame", quad(100, 100, 420, 100, 420, 300, 100, 300), geom.Quad{}, false},
		{"cut on two sides", quad(0, 300, 420, 300, 420, 479, 0, 479), geom.Quad{}, false},
		// lengthening the sides by more than half: a cut corner, not a side
		{"too much to add", quad(100, 400, 420, 400, 420, 479, 100, 479), geom.Quad{}, false},
		// already as long as the aspect makes them
		{"full length", quad(100, 260, 420, 260, 420, 479, 100, 479), geom.Quad{}, false},
	}
	for _, c := range cases {
		got := Complete(c.in, w, h, asp)
		switch {
		case !c.change && got != c.in:
			t.Errorf("%s: changed to %v", c.name, got)
		case c.change && !near(OrderQuad(got), c.want):
			t.Errorf("%s: %v, want %v", c.name, OrderQuad(got), c.want)
		}
	}
	// A corner cut off: the frame's bottom border clipped the right side
	// at y 479, the bottom side runs along the border (its left end 9 px
	// above it). The right side is lengthened to the aspect's length
	// beyond the frame; with the left end 40 px above the border the
	// bottom side is the card's own.
	for _, c := range []struct {
		left   float64 // the bottom-left corner's y
		change bool
	}{{470, true}, {439, false}} {
		in := quad(100, c.left-200, 420, 290, 410, 479, 95, c.left)
		got := OrderQuad(Complete(in, w, h, asp))
		if !c.change {
			if got != in {
				t.Errorf("bottom-left at %v: changed to %v", c.left, got)
			}
			continue
		}
		top := math.Hypot(in[1][0]-in[0][0], in[1][1]-in[0][1])
		right := math.Hypot(got[2][0]-got[1][0], got[2][1]-got[1][1])
		if got[2][1] <= 479 || math.Abs(right-top/asp) > 0.01 {
			t.Errorf("corner cut off: %v, want the right side %.1f long beyond the frame", got, top/asp)
		}
	}
}

// TestCompleteCutCards measures Complete on cards the frame cuts off on
// one side, given the visible part's exact outline, under two models of
// perspective: (1) the specimen scenes' own cut-off placement
// (synth.CutOffOutline: a keystone shortens one side about its middle, by
// up to 30%, the card's other extent unchanged; corners jittered by up to
// 2% of the width; any turn),
// (2) a pinhole camera of focal 0.8 times the photo's long side, the card
// tilted up to 15 degrees about each of its axes, anywhere in the frame.
// Share of the 2000 completed cards whose corners lie within 2% of the
// diagonal (mean corner error), the sides meeting the cut one lengthened
// as a parallelogram's: 88.9% and 36.0%. The models disagree on where a
// keystone puts the cut side: shortening the side nearer the cut by twice
// the opposite side's lean (a trapezoid symmetric about its middle) gave
// 96.5% and 32.9% (and 3 more outlines of the synthetic sets under 2%);
// placing the side with a pinhole camera itself (its focal assumed 0.75
// times the long side) gave 64.3% and 97.4%. The specimens' keystone is
// no camera's: a card turned away is foreshortened across the turn too.
// On 400 specimen scenes photographed through a camera (cmd/synth
// -camera), the pinhole placement moved no outline across 2% (161 of 200
// licences, 185 of 200 ID cards either way) and lost a field: what limits
// those outlines is not where the cut side goes. Neither is kept; the
// floors hold Complete where it is.
func TestCompleteCutCards(t *testing.T) {
	const W, H, asp = 1600.0, 1200.0, 85.6 / 53.98
	for _, m := range []struct {
		name  string
		card  func(r *rand.Rand) (truth, vis geom.Quad, ok bool)
		floor float64
	}{
		{"specimen keystone", func(r *rand.Rand) (geom.Quad, geom.Quad, bool) { return cutCard(r, W, H) }, 0.88},
		{"pinhole camera", func(r *rand.Rand) (geom.Quad, geom.Quad, bool) { return cameraCutCard(r, W, H, 0.8*W, 15) }, 0.34},
	} {
		r := rand.New(rand.NewPCG(1, 2))
		n, hit := 0, 0
		for tries := 0; n < 2000; tries++ {
			if tries == 200000 {
				t.Fatalf("%s: only %d of %d cut cards completed", m.name, n, tries)
			}
			truth, vis, ok := m.card(r)
			if !ok {
				continue
			}
			got := Complete(vis, int(W), int(H), asp)
			if got == vis {
				continue // not completed: not what is measured
			}
			n++
			if cornerErr(got, truth) < 0.02 {
				hit++
			}
		}
		share := float64(hit) / float64(n)
		t.Logf("%s: cut corners within 2%% of the diagonal on %.1f%% of %d cards", m.name, 100*share, n)
		if share < m.floor {
			t.Errorf("%s: cut corners within 2%% of the diagonal on %.1f%% of %d cards, want %.0f%% or more", m.name, 100*share, n, 100*m.floor)
		}
	}
}

// cameraCutCard photographs an ID-1 card with a pinhole camera of focal f
// pixels centred on the W x H frame: the card spans 50-85% of the short
// side, is tilted up to tilt degrees about each of its axes and turned
// any way, and lies anywhere; it returns the card's outline and its
// visible part's where the frame cuts off one side, 6-25% of the card
// (ok false otherwise).
func cameraCutCard(r *rand.Rand, W, H, f, tilt float64) (truth, vis geom.Quad, ok bool) {
	pw := (0.5 + 0.35*r.Float64()) * math.Min(W, H)
	z := f * 85.6 / pw
	ax, ay := (2*r.Float64()-1)*tilt*math.Pi/180, (2*r.Float64()-1)*tilt*math.Pi/180
	az := 2 * math.Pi * r.Float64()
	x, y := (2*r.Float64()-1)*0.5*W*z/f, (2*r.Float64()-1)*0.5*H*z/f
	var q geom.Quad
	outside := 0
	for i, c := range [4][2]float64{{-42.8, -26.99}, {42.8, -26.99}, {42.8, 26.99}, {-42.8, 26.99}} {
		// turned about x, then y, then z
		px, py, pz := c[0], c[1]*math.Cos(ax), c[1]*math.Sin(ax)
		px, pz = px*math.Cos(ay)+pz*math.Sin(ay), -px*math.Sin(ay)+pz*math.Cos(ay)
		px, py = px*math.Cos(az)-py*math.Sin(az), px*math.Sin(az)+py*math.Cos(az)
		q[i] = geom.Point{W/2 + f*(px+x)/(pz+z), H/2 + f*(py+y)/(pz+z)}
		if q[i][0] < 0 || q[i][1] < 0 || q[i][0] > W-1 || q[i][1] > H-1 {
			outside++
		}
	}
	poly := clipToFrame(q[:], W, H)
	if outside != 2 || len(poly) != 4 {
		return truth, vis, false
	}
	if cut := 1 - polyArea(poly)/polyArea(q[:]); cut < 0.06 || cut > 0.25 {
		return truth, vis, false
	}
	return OrderQuad(q), OrderQuad(geom.Quad{poly[0], poly[1], poly[2], poly[3]}), true
}

// polyArea is a polygon's area.
func polyArea(p []geom.Point) float64 {
	a := 0.0
	for i := range p {
		j := (i + 1) % len(p)
		a += p[i][0]*p[j][1] - p[j][0]*p[i][1]
	}
	return math.Abs(a) / 2
}

// cutCard is a card the specimen scenes cut off (synth.CutOffOutline, seed
// drawn from r) and its visible part's outline, where the frame cuts off
// exactly one side (ok false otherwise).
func cutCard(r *rand.Rand, W, H float64) (truth, vis geom.Quad, ok bool) {
	sq := synth.CutOffOutline(r.Uint64(), int(W), int(H), false)
	var q geom.Quad
	for i, p := range sq {
		q[i] = geom.Point{p.X, p.Y}
	}
	poly := clipToFrame(q[:], W, H)
	if len(poly) != 4 {
		return truth, vis, false // a corner cut off, or two sides
	}
	return OrderQuad(q), OrderQuad(geom.Quad{poly[0], poly[1], poly[2], poly[3]}), true
}

// clipToFrame clips a convex polygon to the frame [0, W-1] x [0, H-1].
func clipToFrame(poly []geom.Point, W, H float64) []geom.Point {
	for _, in := range []func(p geom.Point) float64{
		func(p geom.Point) float64 { return p[0] },
		func(p geom.Point) float64 { return W - 1 - p[0] },
		func(p geom.Point) float64 { return p[1] },
		func(p geom.Point) float64 { return H - 1 - p[1] },
	} {
		var out []geom.Point
		for i := range poly {
			a, b := poly[i], poly[(i+1)%len(poly)]
			ea, eb := in(a), in(b)
			if ea >= 0 {
				out = append(out, a)
			}
			if (ea >= 0) != (eb >= 0) {
				t := ea / (ea - eb)
				out = append(out, geom.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])})
			}
		}
		poly = out
	}
	return poly
}

func TestClearPrintEdge(t *testing.T) {
	truth := geom.Quad{{120, 80}, {520, 110}, {500, 370}, {100, 340}}
	// the scene's text without its first line (the one flush with the
	// photo's edge): the text keeps its margin from every side, so only
	// the print under the side tells it is inside the card
	scene := func(bg, border int) (Gray, []geom.Quad, geom.Quad) {
		g, text, inner := clearScene(truth, bg, border, 0)
		return g, text[1:], inner
	}
	t.Run("side on the photo's edge", func(t *testing.T) {
		g, text, inner := scene(150, 40)
		if m := textMargins(inner, text); m[0] < flushMargin || m[1] < flushMargin || m[2] < flushMargin || m[3] < flushMargin {
			t.Fatalf("the text reaches a side (%v): the flush path would move it", m)
		}
		got := clearText(g, inner, text)
		if e := cornerErr(got, truth); e > 0.005 {
			t.Errorf("corner error %.4f > 0.5%%: %v", e, got)
		}
	})
	t.Run("signature", func(t *testing.T) {
		g, _, inner := scene(150, 40)
		tone := cardTone(g, inner)
		if len(tone) != 1 || math.Abs(tone[0]-190) > 1 {
			t.Fatalf("card tone %v, want [190]", tone)
		}
		short := math.Min(inner.Width(), inner.Height())
		right := OrderQuad(truth)
		for i := 0; i < 4; i++ {
			if onPrint(g, tone, right[i], right[(i+1)%4], right.Center(), short, nil) {
				t.Errorf("side %d of the right outline taken for one on the print", i)
			}
		}
		n := 0
		for i := 0; i < 4; i++ {
			if onPrint(g, tone, inner[i], inner[(i+1)%4], inner.Center(), short, nil) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d sides of the inner outline on the print, want 1 (the photo's edge)", n)
		}
	})
	t.Run("background of the card's tone", func(t *testing.T) {
		// 8 levels between the card and what it lies on: beyond the edge
		// found, the strip has the card's tone, so it may be print on
		// the card (a row's edge in its margin): the side stays
		g, text, inner := scene(190, 8)
		if got := clearText(g, inner, text); got != inner {
			t.Errorf("moved to an edge with the card's tone beyond: %v", got)
		}
	})
	t.Run("right outline kept", func(t *testing.T) {
		g, text, _ := scene(150, 40)
		if got := clearText(g, OrderQuad(truth), text); cornerErr(got, truth) > 1e-9 {
			t.Errorf("a right outline moved: %v", got)
		}
	})
}

func TestFrameBeyond(t *testing.T) {
	g := Gray{W: 640, H: 480}
	c := geom.Point{300, 300}
	cases := []struct {
		name  string
		a, b  geom.Point
		reach float64
		ok    bool
		mid   geom.Point // where the moved side's middle lies
	}{
		{"bottom, 10 px out", geom.Point{100, 469}, geom.Point{500, 469}, 50, true, geom.Point{300, 479}},
		{"left, tilted", geom.Point{20, 100}, geom.Point{30, 400}, 50, true, geom.Point{0, 250.8}},
		{"too far", geom.Point{100, 400}, geom.Point{500, 400}, 50, false, geom.Point{}},
		// the frame's border beyond a top side is 200 px off: not this side's
		{"top, far", geom.Point{100, 200}, geom.Point{500, 200}, 50, false, geom.Point{}},
		// a middle beyond the border already: not moved back in
		{"beyond", geom.Point{100, 490}, geom.Point{500, 490}, 50, false, geom.Point{}},
	}
	for _, tc := range cases {
		le, ok := frameBeyond(g, tc.a, tc.b, c, tc.reach)
		if ok != tc.ok {
			t.Errorf("%s: ok %v, want %v", tc.name, ok, tc.ok)
			continue
		}
		if !ok {
			continue
		}
		if d := math.Abs(le.nx*tc.mid[0] + le.ny*tc.mid[1] - le.d); d > 0.5 {
			t.Errorf("%s: the moved side passes %.2f px from %v", tc.name, d, tc.mid)
		}
		old := lineThrough(tc.a, tc.b)
		if turn(le, old) > 1e-6 {
			t.Errorf("%s: turned by %.3f degrees", tc.name, turn(le, old))
		}
	}
}

// TestGroundPast: a line found beyond a card's side that crosses the
// card's ground (a streak under a card the frame cuts off) and ends at
// the frame's border is no border; one with the background beyond it, or
// one that ends well inside the photo, is left to clearText's other
// checks.
func TestGroundPast(t *testing.T) {
	const w, h = 640, 480
	// a card of grey 220 from y 200 down, on grey 80; below the line
	// below (when set) the background shows again
	scene := func(below *lineEq) Gray {
		g := Gray{Pix: make([]byte, w*h), W: w, H: h}
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				v := byte(80)
				if x >= 100 && x <= 540 && y >= 200 && (below == nil || below.nx*float64(x)+below.ny*float64(y) < below.d) {
					v = 220
				}
				g.Pix[y*w+x] = v
			}
		}
		return g
	}
	// the outline's bottom side on the card's print, 200 px below its top
	q := geom.Quad{{100, 200}, {540, 200}, {540, 400}, {100, 400}}
	tilted := lineThrough(geom.Point{100, 478}, geom.Point{540, 430})
	level := lineThrough(geom.Point{100, 450}, geom.Point{540, 450})
	for _, c := range []struct {
		name string
		g    Gray
		le   lineEq
		want bool
	}{
		{"a streak across a card cut off", scene(nil), tilted, true},
		{"the card's border at the frame", scene(&tilted), tilted, false},
		{"a streak ending inside the photo", scene(nil), level, false},
	} {
		tone := cardTone(c.g, q)
		if len(tone) == 0 || tone[0] != 220 {
			t.Fatalf("%s: card tone %v, want 220", c.name, tone)
		}
		if got := groundPast(c.g, tone, q, 2, c.le, 200, nil); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
