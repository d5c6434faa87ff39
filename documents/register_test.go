package documents

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"docscan/geom"
)

// licenceScene lays the template's lines out on a 1000 x 630 normalized
// licence whose outline was found at the corners `at` while the card's
// are `card` (both in normalized pixels): each line is placed where the
// card's print puts it, with noise of sigma pixels.
func licenceScene(card geom.Quad, sigma float64, seed uint64, column geom.Point) ([]Line, []geom.Quad, map[string]Read) {
	sc := newScene(card, sigma, seed, 1)
	add := sc.add
	hd := licenceHeaders["FUHRERSCHEIN"]
	add("FÜHRERSCHEIN", hd[0], hd[1], hd[2])
	reads := map[string]Read{}
	for _, nt := range [][2]string{{"surname", "MUSTERMANN"}, {"given_names", "ERIKA"},
		{"expiry_date", "01.02.2035"}, {"document_number", "B072RRE2I55"}, {"categories", "AM/B/L"}} {
		name, text := nt[0], nt[1]
		a := licenceAnchors[name]
		if name != "categories" {
			a = geom.Point{a[0] + column[0], a[1] + column[1]}
		}
		reads[name] = Read{Value: text, Lines: []int{add(text, a[0], a[0]+200, a[1])}}
	}
	a := authorityAnchors[0]
	reads["issuing_authority"] = Read{Value: "Stadt Bonn", Lines: []int{add("4c. Stadt Bonn", a[0], a[0]+200, a[1])}}
	return sc.lines, sc.quads, reads
}

// scene lays lines out on a 1000 x 630 normalized card whose outline was
// found at the template's corners while the card's are card: each line
// where the card's print puts it, with noise of sigma pixels.
type scene struct {
	r     *rand.Rand
	hm    Homography
	sigma float64
	lines []Line
	quads []geom.Quad
}

func newScene(card geom.Quad, sigma float64, seed, stream uint64) *scene {
	hm, _ := solve(geom.Quad{{0, 0}, {1000, 0}, {1000, 630}, {0, 630}}, card)
	return &scene{r: rand.New(rand.NewPCG(seed, stream)), hm: hm, sigma: sigma}
}

func (s *scene) at(x, y float64) geom.Point {
	p := s.hm.Apply(x, y)
	return geom.Point{p[0] + s.r.NormFloat64()*s.sigma, p[1] + s.r.NormFloat64()*s.sigma}
}

// add places a line of text from x0 to x1 on the template's centre line
// cy, 24 px high, and returns its index.
func (s *scene) add(text string, x0, x1, cy float64) int {
	a, b := s.at(x0, cy), s.at(x1, cy)
	q := geom.Quad{{a[0], a[1] - 12}, {b[0], b[1] - 12}, {b[0], b[1] + 12}, {a[0], a[1] + 12}}
	s.quads = append(s.quads, q)
	s.lines = append(s.lines, Line{Text: text, Conf: 0.95, Box: bounds(q)})
	return len(s.lines) - 1
}

func bounds(q geom.Quad) [4]float64 {
	x0, y0, x1, y1 := q.Bounds()
	return [4]float64{x0, y0, x1, y1}
}

// TestRegisterLicence: an outline whose top side lies on the paper above
// the card (licence_0021 of the synthetic set: 10% of the diagonal off)
// or whose top right corner is off alone (licence_0167) is moved onto the
// card by its lines; an outline on the card, or a card printed to another
// layout (its value column 40 px further right and 20 px lower than the
// template's, the header and categories where the template has them), is
// left alone.
func TestRegisterLicence(t *testing.T) {
	for _, tc := range []placement{
		{"top side on the paper", geom.Quad{{-2, 131}, {1005, 185}, {1000, 630}, {0, 630}}, true, geom.Point{}},
		{"top and left sides off", geom.Quad{{-65, -33}, {1004, 117}, {1000, 630}, {-61, 629}}, true, geom.Point{}},
		{"top right corner off", geom.Quad{{0, 0}, {1003, 104}, {1000, 630}, {0, 630}}, true, geom.Point{}},
		{"left side off", geom.Quad{{-50, -6}, {1000, 0}, {1000, 630}, {-49, 631}}, true, geom.Point{}},
		{"right side off", geom.Quad{{0, 0}, {972, 0}, {909, 629}, {0, 630}}, true, geom.Point{}},
		{"outline on the card", geom.Quad{{0, 0}, {1000, 0}, {1000, 630}, {0, 630}}, false, geom.Point{}},
		{"another layout", geom.Quad{{0, 0}, {1000, 0}, {1000, 630}, {0, 630}}, false, geom.Point{40, 20}},
	} {
		for seed := range uint64(20) {
			lines, quads, reads := licenceScene(tc.card, 1.5, seed, tc.column)
			q, ok := RegisterLicence(lines, quads, reads, 1000, 630, 1)
			checkPlaced(t, tc.name, seed, q, ok, tc.card, tc.moved)
		}
	}
}

// TestRegisterLicenceNeeds: without the header, or without the
// categories and the numbers 4a and 4b, the lines place no card (they
// would lie on two lines), and a value read with its field number glued
// to it is no anchor.
func TestRegisterLicenceNeeds(t *testing.T) {
	card := geom.Quad{{-2, 131}, {1005, 185}, {1000, 630}, {0, 630}}
	lines, quads, reads := licenceScene(card, 0, 1, geom.Point{})
	if _, ok := RegisterLicence(lines, quads, reads, 1000, 630, 1); !ok {
		t.Fatal("the full scene placed no card")
	}
	noHeader := append([]Line(nil), lines...)
	noHeader[0].Text = "FUHRERSCH"
	if _, ok := RegisterLicence(noHeader, quads, reads, 1000, 630, 1); ok {
		t.Error("moved without the header")
	}
	noCats := map[string]Read{}
	for k, v := range reads {
		if k != "categories" {
			noCats[k] = v
		}
	}
	// the categories' row told by its text where no slot took it
	if _, ok := RegisterLicence(lines, quads, noCats, 1000, 630, 1); !ok {
		t.Error("the categories' row by its text placed no card")
	}
	blank := append([]Line(nil), lines...)
	blank[reads["categories"].Lines[0]].Text = "AMXQ"
	if _, ok := RegisterLicence(blank, quads, noCats, 1000, 630, 1); ok {
		t.Error("moved without the categories")
	}
	// the numbers 4a and 4b hold the bottom corners where no line at the
	// bottom was read (licence_0071)
	sc := newScene(card, 0, 1, 1)
	for _, l := range []string{"4a.", "4b."} {
		a := licenceMarks[l[:2]]
		sc.add(l, a[0], a[0]+25, a[1])
	}
	q, ok := RegisterLicence(append(blank, sc.lines...), append(quads, sc.quads...), noCats, 1000, 630, 1)
	checkPlaced(t, "no categories, the numbers 4a and 4b", 1, q, ok, card, true)
	for _, tc := range []struct {
		text string
		want bool
	}{{"4a", true}, {"4a.", true}, {"4b,", true}, {"4B", true}, {"4c.", false}, {"14a", false},
		// glued to its date (licence_0142): the line's left end is the number's
		{"4a.12.03.2020", true}, {"4b25.12.2037", true}, {"4a 26.12.2022", true}, {"4bis", false}, {"4B72RRE2", false}} {
		if got := licenceLabelRE.MatchString(tc.text); got != tc.want {
			t.Errorf("number 4a or 4b %q: %v, want %v", tc.text, got, tc.want)
		}
		if tc.want && !labelled(tc.text) {
			t.Errorf("%q: not taken for a field number's line", tc.text)
		}
	}
	// the numbers glued to their dates: the marks, not values
	glued := newScene(card, 0, 1, 1)
	for _, l := range []string{"4a26.12.2022", "4b25.12.2037"} {
		a := licenceMarks[l[:2]]
		glued.add(l, a[0], a[0]+200, a[1])
	}
	q, ok = RegisterLicence(append(blank, glued.lines...), append(quads, glued.quads...), noCats, 1000, 630, 1)
	checkPlaced(t, "no categories, the numbers 4a and 4b glued to their dates", 1, q, ok, card, true)
	for _, tc := range []struct {
		text string
		want bool
	}{{"1.FUCHS", true}, {"4b.27.05.2031", true}, {"9.AM/B", true}, {"FUCHS", false}, {"27.05.2031", false}, {"123.4", false}} {
		if got := labelled(tc.text); got != tc.want {
			t.Errorf("labelled(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// frenchLicenceScene is licenceScene for a French licence whose slots
// read nothing (its outline far off): the header, the numbers 4a and 4b,
// the authority opening with 4c and the MRZ line, told by their text, and
// the column's values in their slots; no categories (licence_0019).
func frenchLicenceScene(card geom.Quad, sigma float64, seed uint64) ([]Line, []geom.Quad, map[string]Read) {
	sc := newScene(card, sigma, seed, 2)
	add := sc.add
	hd := licenceHeaders["PERMISDECONDUIRE"]
	add("PERMIS DE CONDUIRE", hd[0], hd[1], hd[2])
	reads := map[string]Read{}
	for _, nt := range [][2]string{{"surname", "ROBERT"}, {"given_names", "Hugo"},
		{"expiry_date", "22.12.2040"}, {"document_number", "25ST49873"}} {
		a := licenceAnchors[nt[0]]
		reads[nt[0]] = Read{Value: nt[1], Lines: []int{add(nt[1], a[0], a[0]+150, a[1])}}
	}
	for _, l := range []string{"4a.", "4b."} {
		a := licenceMarks[l[:2]]
		add(l, a[0], a[0]+25, a[1])
	}
	a := licenceMarks["4c"]
	add("4c.Préfecture de Dijon", a[0], a[0]+240, a[1])
	m := licenceMarks["mrz_right"]
	add("D1FRA25ST498732212220ROBERT<<9", m[0]-840, m[0], m[1])
	return sc.lines, sc.quads, reads
}

// TestRegisterFrenchLicence: a French licence's MRZ line holds the
// bottom right corner, and an outline with all four corners off
// (licence_0019: cut off left and right) is placed by its lines; an
// outline on the card is left alone. Checked on 200 noise seeds: every
// placement within 1% of the diagonal but one (1.2%: the bottom left
// corner, which no line is near without the categories).
func TestRegisterFrenchLicence(t *testing.T) {
	for _, tc := range []placement{
		{"four corners off", geom.Quad{{-30, -20}, {1190, -30}, {1250, 700}, {-60, 660}}, true, geom.Point{}},
		{"right side off", geom.Quad{{0, 0}, {1200, 20}, {1230, 640}, {0, 630}}, true, geom.Point{}},
		{"outline on the card", geom.Quad{{0, 0}, {1000, 0}, {1000, 630}, {0, 630}}, false, geom.Point{}},
	} {
		for seed := range uint64(20) {
			lines, quads, reads := frenchLicenceScene(tc.card, 1.5, seed)
			q, ok := RegisterLicence(lines, quads, reads, 1000, 630, 1)
			checkPlaced(t, tc.name, seed, q, ok, tc.card, tc.moved)
		}
	}
	// without the MRZ line no line holds the bottom right: no fit
	lines, quads, reads := frenchLicenceScene(geom.Quad{{-30, -20}, {1190, -30}, {1250, 700}, {-60, 660}}, 0, 1)
	lines[len(lines)-1].Text = "D1FRA25ST49873"
	if q, ok := RegisterLicence(lines, quads, reads, 1000, 630, 1); ok {
		t.Errorf("placed without a line at the bottom: %v", q)
	}
}

// TestPlacing: the corners a registration found on the normalized image
// go to the card's corners, and a point inside the card with them.
func TestPlacing(t *testing.T) {
	c := geom.Quad{{-30, -20}, {1190, -30}, {1250, 700}, {-60, 660}}
	back, ok := Placing(c, 1000, 630)
	if !ok {
		t.Fatal("no homography")
	}
	want := geom.Quad{{0, 0}, {1000, 0}, {1000, 630}, {0, 630}}
	fwd, _ := solve(want, c)
	for i, p := range append(c[:], fwd.Apply(397.5, 182)) {
		w := geom.Point{397.5, 182}
		if i < 4 {
			w = want[i]
		}
		if g := back.Apply(p[0], p[1]); math.Hypot(g[0]-w[0], g[1]-w[1]) > 1e-6 {
			t.Errorf("%v: %v, want %v", p, g, w)
		}
	}
}

// TestFitHomography: the least-squares fit recovers a homography from
// exact correspondences.
func TestFitHomography(t *testing.T) {
	want, _ := solve(geom.Quad{{0, 0}, {1000, 0}, {1000, 630}, {0, 630}}, geom.Quad{{12, 40}, {990, -8}, {1010, 640}, {-5, 600}})
	var src, dst []geom.Point
	for _, p := range []geom.Point{{10, 20}, {500, 40}, {900, 100}, {300, 300}, {700, 500}, {100, 600}, {950, 610}} {
		src = append(src, p)
		dst = append(dst, want.Apply(p[0], p[1]))
	}
	got, ok := fitHomography(src, dst)
	if !ok {
		t.Fatal("no fit")
	}
	for i, p := range src {
		g := got.Apply(p[0], p[1])
		if math.Hypot(g[0]-dst[i][0], g[1]-dst[i][1]) > 1e-6 {
			t.Errorf("point %v: %v, want %v", p, g, dst[i])
		}
	}
}

// idScene lays the German ID card template's lines out as licenceScene
// does, the value column moved by column.
func idScene(card geom.Quad, sigma float64, seed uint64, column geom.Point) ([]Line, []geom.Quad, map[string]Read) {
	return idSceneWith(card, sigma, seed, column, false)
}

// idSceneWith is idScene, with the card's labels where labels is set (as
// they read: "Staatsangehörigkeit / Nationality").
func idSceneWith(card geom.Quad, sigma float64, seed uint64, column geom.Point, labels bool) ([]Line, []geom.Quad, map[string]Read) {
	sc := newScene(card, sigma, seed, 2)
	if labels {
		printed := []string{"IDENTITY CARD / CARTE D'IDENTITÉ", "Name / Surname / Nom", "Geburtsname / Name at birth / Nom de naissance",
			"Vornamen / Given names / Prénoms", "Geburtstag / Date of birth", "Staatsangehörigkeit / Nationality",
			"Geburtsort / Place of birth", "Gültig bis / Date of expiry"}
		for k, lb := range idLabels {
			sc.add(printed[k], lb.left[0], lb.right[0], lb.left[1])
		}
	}
	// a line from a to b (on one centre line)
	add := func(text string, a, b geom.Point) int { return sc.add(text, a[0], b[0], a[1]) }
	add("BUNDESREPUBLIK DEUTSCHLAND", idAnchors["header"], idAnchors["header_right"])
	t := idAnchors["title"]
	add("PERSONALAUSWEIS", t, geom.Point{t[0] + 330, t[1]})
	reads := map[string]Read{}
	for _, nt := range [][2]string{{"document_number", "L01X00T47"}, {"nationality", "DEUTSCH"},
		{"can", "123456"}, {"surname", "MUSTERMANN"}, {"given_names", "ERIKA"}, {"birth_date", "12.08.1983"},
		{"birth_place", "BERLIN"}, {"expiry_date", "01.02.2031"}} {
		name, text := nt[0], nt[1]
		a := idAnchors[name]
		b := geom.Point{a[0] + 150, a[1]}
		switch name {
		case "can":
			b = idAnchors["can_right"]
		case "document_number", "nationality":
		default:
			a = geom.Point{a[0] + column[0], a[1] + column[1]}
			b = geom.Point{a[0] + 150, a[1]}
		}
		reads[name] = Read{Value: text, Lines: []int{add(text, a, b)}}
	}
	return sc.lines, sc.quads, reads
}

// TestRegisterIDCard: as TestRegisterLicence, on the German ID card front
// (idcard_0169 of the synthetic set: its outline 6.7% of the diagonal off).
func TestRegisterIDCard(t *testing.T) {
	for _, tc := range []placement{
		{"top side on the paper", geom.Quad{{-2, 131}, {1005, 185}, {1000, 630}, {0, 630}}, true, geom.Point{}},
		{"bottom right corner off", geom.Quad{{0, 0}, {1000, 0}, {940, 590}, {0, 630}}, true, geom.Point{}},
		{"right side off", geom.Quad{{0, 0}, {972, 0}, {909, 629}, {0, 630}}, true, geom.Point{}},
		{"outline on the card", geom.Quad{{0, 0}, {1000, 0}, {1000, 630}, {0, 630}}, false, geom.Point{}},
		{"another layout", geom.Quad{{0, 0}, {1000, 0}, {1000, 630}, {0, 630}}, false, geom.Point{-30, 15}},
	} {
		for seed := range uint64(20) {
			lines, quads, reads := idScene(tc.card, 1.5, seed, tc.column)
			q, ok := RegisterIDCard(lines, quads, reads, 1000, 630, 1)
			checkPlaced(t, tc.name, seed, q, ok, tc.card, tc.moved)
		}
	}
	// no title, or the right half unread: no move
	lines, quads, reads := idScene(geom.Quad{{-2, 131}, {1005, 185}, {1000, 630}, {0, 630}}, 0, 1, geom.Point{})
	if _, ok := RegisterIDCard(lines, quads, reads, 1000, 630, 1); !ok {
		t.Fatal("the full scene placed no card")
	}
	untitled := append([]Line(nil), lines...)
	untitled[0].Text, untitled[1].Text = "BUNDESREP", "PERSONAL"
	if _, ok := RegisterIDCard(untitled, quads, reads, 1000, 630, 1); ok {
		t.Error("moved without a title")
	}
	left := map[string]Read{}
	for k, v := range reads {
		if k != "can" && k != "nationality" {
			left[k] = v
		}
	}
	// the nationality told by its text where no slot took it
	q, ok := RegisterIDCard(lines, quads, left, 1000, 630, 1)
	checkPlaced(t, "nationality by its text", 1, q, ok, geom.Quad{{-2, 131}, {1005, 185}, {1000, 630}, {0, 630}}, true)
	// its line read otherwise: the card number alone on the right
	other := append([]Line(nil), lines...)
	other[reads["nationality"].Lines[0]].Text = "DEUTS"
	if _, ok := RegisterIDCard(other, quads, left, 1000, 630, 1); ok {
		t.Error("moved with the card number alone on the right")
	}
}

// TestRegisterIDCardLabels: the labels, read where the slots left fields
// out, place the card too: the one on the title row stands in for unread
// titles, and with them (16 lines or more) an outline far off (its left
// side on the card's photo, 28% of the diagonal in: idcard_0011, cut off
// at the left) is moved, where the titles and values alone do not move it.
func TestRegisterIDCardLabels(t *testing.T) {
	for _, printed := range []string{"IDENTITY CARD / CARTE D'IDENTITÉ", "Staatsangehörigkeit / Nationality", "Gültig bis / Date of expiry"} {
		if !slices.ContainsFunc(idLabels, func(lb idLabel) bool { return lb.key == letters(printed) }) {
			t.Errorf("%q: no label with its letters", printed)
		}
	}
	untitled := func(lines []Line) []Line {
		out := append([]Line(nil), lines...)
		for i, l := range out {
			if l.Text == "BUNDESREPUBLIK DEUTSCHLAND" || l.Text == "PERSONALAUSWEIS" {
				out[i].Text = "BUNDESREP"
			}
		}
		return out
	}
	top := geom.Quad{{-2, 131}, {1005, 185}, {1000, 630}, {0, 630}}
	far := geom.Quad{{-330, -40}, {1000, 0}, {1000, 630}, {-320, 640}}
	for seed := range uint64(20) {
		lines, quads, reads := idSceneWith(top, 1.5, seed, geom.Point{}, true)
		q, ok := RegisterIDCard(untitled(lines), quads, reads, 1000, 630, 1)
		checkPlaced(t, "titles unread, labels read", seed, q, ok, top, true)
		lines, quads, reads = idSceneWith(far, 1.5, seed, geom.Point{}, true)
		q, ok = RegisterIDCard(lines, quads, reads, 1000, 630, 1)
		checkPlaced(t, "left side far off, labels read", seed, q, ok, far, true)
	}
	lines, quads, reads := idSceneWith(top, 0, 1, geom.Point{}, false)
	if _, ok := RegisterIDCard(untitled(lines), quads, reads, 1000, 630, 1); ok {
		t.Error("titles unread, no labels: moved")
	}
	lines, quads, reads = idSceneWith(far, 0, 1, geom.Point{}, false)
	if _, ok := RegisterIDCard(lines, quads, reads, 1000, 630, 1); ok {
		t.Error("left side far off, no labels: moved past regMaxShift")
	}
	lines, quads, reads = idSceneWith(geom.Quad{{0, 0}, {1000, 0}, {1000, 630}, {0, 630}}, 1.5, 3, geom.Point{}, true)
	if _, ok := RegisterIDCard(lines, quads, reads, 1000, 630, 1); ok {
		t.Error("outline on the card, labels read: moved")
	}
}

// placement is a registration test case: the card's corners on the
// normalized image of the outline found, whether the outline is to move,
// and how far the value column stands off the template's.
type placement struct {
	name   string
	card   geom.Quad
	moved  bool
	column geom.Point
}

// checkPlaced fails where a registration moved the outline (ok) and was
// not to, or the other way, and reports corners q more than 1% of the
// diagonal (mean) from the card's.
func checkPlaced(t *testing.T, name string, seed uint64, q geom.Quad, ok bool, card geom.Quad, moved bool) {
	t.Helper()
	if ok != moved {
		t.Fatalf("%s (seed %d): moved %v, want %v (%v)", name, seed, ok, moved, q)
	}
	if !ok {
		return
	}
	var e float64
	for i := range q {
		e += math.Hypot(q[i][0]-card[i][0], q[i][1]-card[i][1]) / 4 / math.Hypot(1000, 630)
	}
	if e > 0.01 {
		t.Errorf("%s (seed %d): corners %v, want %v (mean error %.3f of the diagonal)", name, seed, q, card, e)
	}
}

// BenchmarkRegisterLicence times one registration of a licence whose
// top side is off (every hypothesis fitted).
func BenchmarkRegisterLicence(b *testing.B) {
	lines, quads, reads := licenceScene(geom.Quad{{-2, 131}, {1005, 185}, {1000, 630}, {0, 630}}, 1.5, 1, geom.Point{})
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := RegisterLicence(lines, quads, reads, 1000, 630, 1); !ok {
			b.Fatal("not placed")
		}
	}
}
