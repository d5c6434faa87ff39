package documents

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"docscan/geom"
)

// The EU driving licence front (Directive 2006/126/EC, Annex I model) prints
// its header and its numbered values at fixed places: the header top
// right of the flag, the values of fields 1, 2, 4b and 5 in one column
// right of their numbers, the categories (field 9) under the photo. Where
// those lines were read, where they stand on the normalized card tells
// where the card's corners are: a side of the outline snapped to the
// paper under a pale card, or to a line printed on it, moves every line
// away from its place by a homography (the card as warped against the card
// as printed), which the lines' places fit and the template's corners map
// back through (RegisterLicence).
//
// licenceAnchors are those places on the 1000 x 630 normalized card: the
// left end and centre line of each line's box as the text detector draws
// it (its boxes hold a few pixels of margin), medians over the clean cards
// of the synthetic licence set (out/sets/licence, group clean: spread
// 1-3 px); the header's right end per header text.
var licenceAnchors = map[string]geom.Point{
	"surname":         {397.5, 182},
	"given_names":     {395.5, 235},
	"expiry_date":     {396.5, 392.5},
	"document_number": {397.5, 445.5},
	"categories":      {99.5, 557.5},
}

// authorityAnchors are the left end and centre line of the issuing
// authority's line (field 4c) beginning with its number "4c." and with
// the value itself, measured as licenceAnchors.
var authorityAnchors = [2]geom.Point{{652, 342.5}, {700, 340.5}}

// licenceHeaders are the header texts (folded, letters only) with the
// header's left end, right end and centre line on the normalized card.
var licenceHeaders = map[string][3]float64{
	"FUHRERSCHEIN":     {225, 590, 63},
	"PERMISDECONDUIRE": {225, 688, 63},
}

// Registration bounds (normalized card pixels, 1000 x 630, or fractions of
// its diagonal).
const (
	regMinHeaderConf = 0.8  // a header read at least this sure
	regSignificance  = 3.0  // a corner's move counts beyond this many of its standard deviations
	regPenalty       = 8.0  // cost of a corner set free, in squared spreads (twice Akaike's: a third corner set free fits noise)
	regMaxOff        = 2    // lines a fit may leave beyond regCut
	regMinAnchors    = 6    // lines placed: the header's two ends, the categories, three values
	regCut           = 4.5  // a line farther off its place than this many regSigma is an outlier
	regSigma         = 1.5  // spread of a line's place about the template's on a well-placed card
	regMinShift      = 0.02 // a corner the fit moves less than this stays (the edges place it better)
	regMaxShift      = 0.25 // a fit moving a corner further is refused (no outline that far off read the lines)
	// with regManyAnchors line ends placed or more (a German ID card's
	// labels read with its values), a fit may move a corner up to
	// regFarShift: idcard_0011, cut off at the left, its outline's left
	// side on the card's photo 28-37% of the diagonal in, 21 placed
	regManyAnchors = 16
	regFarShift    = 0.4
)

// RegisterLicence returns the corners of a driving licence on its
// normalized image (w x h, the outline's corners at (0,0), (w,0), (w,h),
// (0,h); up is the normalized image's pixels per photo pixel) as the lines
// read on it place them, where they tell another outline: the header (both
// ends), a line at the bottom (the categories, or a French licence's MRZ
// line) or the numbers 4a and 4b, and at least three of the column's
// values found (with only two,
// nothing holds the right side: licence_0175's bottom right corner moved
// 12%), the fit within regCut spreads of all of them but regMaxOff, and
// one, two or three corners (all four where the MRZ line holds the bottom
// right one) moved by at least regMinShift of the diagonal and beyond the
// fit's own uncertainty. The values are taken from the slots that read
// them; the numbers, the authority opening with 4c, the categories and
// the MRZ line also by their text alone. What it cannot tell apart: a card
// printed to a layout that is the template's own seen through a
// homography (every line nearer the middle by the same factor) is, by its
// lines alone, a card whose outline is off.
func RegisterLicence(lines []Line, quads []geom.Quad, reads map[string]Read, w, h int, up float64) (geom.Quad, bool) {
	an := newAnchors(w, h, up)
	used := make([]bool, len(lines))
	place := func(i int, at, a geom.Point) {
		used[i] = true
		an.add(at, a)
	}
	left := func(i int) geom.Point { return leftEnd(quads[i]) }
	header, french := false, false
	for i, l := range lines {
		t := letters(l.Text)
		if a, ok := licenceHeaders[t]; ok && l.Conf >= regMinHeaderConf && !header {
			header, french = true, t == "PERMISDECONDUIRE"
			place(i, left(i), geom.Point{a[0], a[2]})
			place(i, rightEnd(quads[i]), geom.Point{a[1], a[2]})
		}
	}
	if !header {
		return geom.Quad{}, false
	}
	column, bottom := 0, 0
	for _, name := range []string{"surname", "given_names", "expiry_date", "document_number", "categories"} {
		rd, ok := reads[name]
		if !ok || len(rd.Lines) == 0 || rd.Part {
			continue
		}
		i := rd.Lines[len(rd.Lines)-1]
		// the field's number glued to the value (the line starts at the
		// number), or a line placed already
		if labelled(lines[i].Text) || used[i] {
			continue
		}
		place(i, left(i), licenceAnchors[name])
		if name == "categories" {
			bottom++
		} else {
			column++
		}
	}
	// the issuing authority (4c) right of the column: the one line near
	// the card's right corners; its line starts at the field's number
	// where the detector glued the two, else at the value
	if rd, ok := reads["issuing_authority"]; ok && len(rd.Lines) > 0 {
		i := rd.Lines[len(rd.Lines)-1]
		t := strings.TrimSpace(lines[i].Text)
		switch {
		case used[i]: // placed already
		case strings.HasPrefix(t, "4c."):
			place(i, left(i), authorityAnchors[0])
		case t != "" && unicode.IsLetter([]rune(t)[0]):
			place(i, left(i), authorityAnchors[1])
		}
	}
	// Lines told by their text wherever the slots put them (an outline far
	// off sends values to the wrong slots, or to none): the numbers 4a and
	// 4b of the dates' rows, a line opening with 4c, a row of categories,
	// a French licence's MRZ line (its right end).
	seen := map[string]bool{}
	for i, l := range lines {
		if used[i] {
			continue
		}
		t := strings.TrimSpace(l.Text)
		key, at := "", left(i)
		switch {
		case licenceLabelRE.MatchString(t):
			key = strings.ToLower(t[:2])
		case strings.HasPrefix(strings.ToLower(t), "4c."):
			key = "4c"
		case t != "" && t[0] != '9' && reads["categories"].Lines == nil && isCategoriesRow(t):
			key = "categories"
		case french && mrzLike(t):
			key, at = "mrz_right", rightEnd(quads[i])
		}
		if key == "" || seen[key] {
			continue
		}
		seen[key] = true
		place(i, at, licenceMarks[key])
		if key == "categories" || key == "mrz_right" {
			bottom++
		}
	}
	// the numbers 4a and 4b stand one under the other left of the
	// column: with its values they hold the bottom corners where no line
	// at the bottom was read (the frame cut the categories off:
	// licence_0071's bottom left corner 11% -> 0.3% of the diagonal)
	held := bottom > 0 || seen["4a"] && seen["4b"]
	if !held || column < 3 {
		return geom.Quad{}, false
	}
	hyps := regHypotheses
	if seen["mrz_right"] && len(an.obs) >= regMinFreeAnchors {
		// a French licence's MRZ line holds the bottom right corner, the
		// one no other line is near: all four may move (licence_0019, cut
		// off left and right, 3-34% off, placed within 0.4%), where the
		// lines are twice the corners' eight unknowns (licence_0004's six,
		// one of them a value in its neighbour's slot, fitted four corners
		// to within 2-3%, no better)
		hyps = append(hyps[:len(hyps):len(hyps)], []int{0, 1, 2, 3})
	}
	return registerOutline(an, w, h, hyps)
}

// licenceMarks are the places (as licenceAnchors) of the lines
// RegisterLicence tells by their text: the left ends of the numbers 4a and
// 4b, of a line opening with 4c (its number glued to the authority), of
// the categories, and the right end of a French licence's MRZ line;
// medians over the clean cards of the synthetic licence set (spread 2 px,
// the MRZ line's end 5 px).
var licenceMarks = map[string]geom.Point{
	"4a":         {338, 343},
	"4b":         {338, 395},
	"4c":         authorityAnchors[0],
	"categories": licenceAnchors["categories"],
	"mrz_right":  {919.5, 593.5},
}

// isCategoriesRow reports whether t reads as a row of categories
// (categoriesRow).
func isCategoriesRow(t string) bool {
	_, ok := categoriesRow(t)
	return ok
}

// licenceLabelRE is a line holding the number 4a or 4b (its point read,
// read as a comma or colon, or lost) alone, or glued to its date
// (4a26.12.2022: the detector boxed the two as one line, whose left end is
// the number's).
var licenceLabelRE = regexp.MustCompile(`^4[aAbB][.,:]?$|^4[ab][.,:]? ?[0-9]`)

// regMinMRZChars is the fewest characters of a line taken for a French
// licence's MRZ line (its 30, the left end lost to blur or the frame).
const regMinMRZChars = 20

// regMinFreeAnchors is the fewest lines placed for the four corners to
// be fitted all free.
const regMinFreeAnchors = 8

// mrzLike reports whether t reads as (the right part of) a one-line MRZ:
// regMinMRZChars or more of capitals, digits and fillers, one filler at
// least.
func mrzLike(t string) bool {
	if len(t) < regMinMRZChars || !strings.Contains(t, "<") {
		return false
	}
	for _, r := range t {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '<') {
			return false
		}
	}
	return true
}

// anchors pairs the places lines were found at on a normalized image
// (obs) with the places the layout prints them at (tpl, the same image's
// coordinates), and the spread of a line's place on it (sigma).
type anchors struct {
	obs, tpl      []geom.Point
	sx, sy, sigma float64
}

// newAnchors is the empty set for a w x h normalized image; up is its
// pixels per photo pixel (a card enlarged to its normalized size enlarges
// the boxes' spread too).
func newAnchors(w, h int, up float64) *anchors {
	sx := float64(w) / 1000
	return &anchors{sx: sx, sy: float64(h) / 630, sigma: regSigma * sx * max(1, up/2)}
}

// add pairs a line found at at with its place a on the 1000 x 630 card.
func (an *anchors) add(at, a geom.Point) {
	an.obs = append(an.obs, at)
	an.tpl = append(an.tpl, geom.Point{a[0] * an.sx, a[1] * an.sy})
}

// registerOutline returns the outline (on the w x h normalized image) that
// places the lines found where the layout prints them (an), where it
// moves a corner (see RegisterLicence).
func registerOutline(an *anchors, w, h int, hyps [][]int) (geom.Quad, bool) {
	obs, tpl, sigma := an.obs, an.tpl, an.sigma
	if len(obs) < regMinAnchors {
		return geom.Quad{}, false
	}
	// the card as printed onto the card as warped, every corner free: the
	// start of the fits below
	f, ok := fitHomography(tpl, obs)
	if !ok {
		return geom.Quad{}, false
	}
	W, H := float64(w), float64(h)
	at := geom.Quad{{0, 0}, {W, 0}, {W, H}, {0, H}}
	var start geom.Quad
	for i, c := range at {
		start[i] = f.Apply(c[0], c[1])
	}
	// Each way the outline can be off (hyps: one corner, one side's two
	// corners, three) is fitted with the other corners held; the way
	// whose fit, with its freedom's cost (regPenalty per corner, in the
	// lines' spread sigma), explains the lines best wins over the outline
	// as found. Not the free homography itself, unless a line holds the
	// bottom right corner: its eight degrees reach the corners far from
	// every line (bottom right) by extrapolation, and moved well-placed
	// corners of the synthetic licences by 2-10% of the diagonal.
	cut := regCut * sigma
	best, bestScore := at, rss(at, at, tpl, obs, cut)/(sigma*sigma)
	var bestFree []int
	var bestJTJ [][]float64
	for _, free := range hyps {
		q, r, jtj := fitCorners(at, start, free, tpl, obs, cut)
		score := r/(sigma*sigma) + regPenalty*float64(len(free))
		if score < bestScore {
			best, bestScore, bestFree, bestJTJ = q, score, free, jtj
		}
	}
	// a corner moves where the move is both large (regMinShift) and
	// beyond the fit's own uncertainty there (regSignificance of its
	// spread: the bottom right corner, far from every line, moves by 2%
	// of the diagonal on the lines' noise alone)
	diag := math.Hypot(W, H)
	spread := cornerSpread(bestJTJ, sigma)
	far := 0.0
	maxShift := regMaxShift
	if len(obs) >= regManyAnchors {
		maxShift = regFarShift
	}
	for k, i := range bestFree {
		d := math.Hypot(best[i][0]-at[i][0], best[i][1]-at[i][1])
		if math.IsNaN(d) || d/diag > maxShift {
			return geom.Quad{}, false
		}
		if d > regSignificance*spread[k] {
			far = math.Max(far, d/diag)
		}
	}
	if far < regMinShift || !convex(best) {
		return geom.Quad{}, false
	}
	hb, ok := solve(at, best)
	if !ok {
		return geom.Quad{}, false
	}
	// every line within cut of its place but regMaxOff (a value boxed
	// with a neighbour's print)
	off := 0
	for i := range tpl {
		p := hb.Apply(tpl[i][0], tpl[i][1])
		if math.Hypot(p[0]-obs[i][0], p[1]-obs[i][1]) > cut {
			off++
		}
	}
	if off > regMaxOff {
		return geom.Quad{}, false
	}
	return best, true
}

// leftEnd and rightEnd are the middles of a line quad's (TL, TR, BR, BL)
// left and right sides.
func leftEnd(q geom.Quad) geom.Point {
	return geom.Point{(q[0][0] + q[3][0]) / 2, (q[0][1] + q[3][1]) / 2}
}

func rightEnd(q geom.Quad) geom.Point {
	return geom.Point{(q[1][0] + q[2][0]) / 2, (q[1][1] + q[2][1]) / 2}
}

// letters is a line's text folded (FoldLetter), its letters A-Z only.
func letters(t string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r
		}
		return -1
	}, fold(t))
}

// The German identity card front (2010 model, as the synthetic specimens
// print it: values right of the photo under their labels, the card number
// top right, the CAN bottom right) prints its titles and values at fixed
// places too. idAnchors are the left ends and centre lines of its lines on
// the 1000 x 630 normalized card, measured as licenceAnchors on the clean
// cards of the synthetic ID card set (out/sets/idcard: median absolute
// deviations 0.2-2 px); "header" is BUNDESREPUBLIK DEUTSCHLAND (and
// "header_right" its right end), "title" PERSONALAUSWEIS, "can_right" the
// CAN's right end.
var idAnchors = map[string]geom.Point{
	"header":          {61.5, 64},
	"header_right":    {676.5, 64},
	"title":           {61.5, 113.5},
	"document_number": {719, 64},
	"surname":         {350.5, 194},
	"birth_name":      {351, 264},
	"given_names":     {349.5, 336.5},
	"birth_date":      {351.5, 408},
	"nationality":     {656, 408},
	"birth_place":     {350.5, 479},
	"expiry_date":     {351.5, 550},
	"can":             {818, 587},
	"can_right":       {951, 587},
}

// idLabel is a printed label: its letters folded (as letters gives
// them), the places of its ends, and the row that makes it count.
type idLabel struct {
	key         string
	left, right geom.Point
	row         string
}

// idLabels are the German ID card front's labels (their letters folded,
// as letters gives them) with the places of their left and right ends on
// the 1000 x 630 normalized card, measured as idAnchors (medians over the
// 92 clean cards of out/sets/idcard with every line read; median absolute
// deviations 0.9-1.7 px), and the row that makes a label count: the
// title's or the card's right half.
var idLabels = []idLabel{
	{"IDENTITYCARDCARTEDIDENTITE", geom.Point{431.4, 115.7}, geom.Point{748.6, 114.9}, "title"},
	{"NAMESURNAMENOM", geom.Point{349.2, 160.9}, geom.Point{538.8, 160.9}, ""},
	{"GEBURTSNAMENAMEATBIRTHNOMDENAISSANCE", geom.Point{349.0, 232.2}, geom.Point{745.7, 232.3}, ""},
	{"VORNAMENGIVENNAMESPRENOMS", geom.Point{349.2, 303.4}, geom.Point{637.5, 303.7}, ""},
	{"GEBURTSTAGDATEOFBIRTH", geom.Point{349.2, 374.6}, geom.Point{558.1, 374.6}, ""},
	{"STAATSANGEHORIGKEITNATIONALITY", geom.Point{653.8, 375.0}, geom.Point{915.5, 375.5}, "right"},
	{"GEBURTSORTPLACEOFBIRTH", geom.Point{349.2, 445.4}, geom.Point{557.4, 445.4}, ""},
	{"GULTIGBISDATEOFEXPIRY", geom.Point{349.2, 516.4}, geom.Point{555.7, 518.3}, ""},
}

// RegisterIDCard is RegisterLicence for the German identity card front:
// a title (BUNDESREPUBLIK DEUTSCHLAND with both ends, or PERSONALAUSWEIS),
// two of the card number, nationality and CAN (the right half; the
// nationality also by its text, DEUTSCH, where no slot took it:
// idcard_0191, cut off below its birth place, its bottom right corner 56 px
// off), and three values of the column found.
func RegisterIDCard(lines []Line, quads []geom.Quad, reads map[string]Read, w, h int, up float64) (geom.Quad, bool) {
	an := newAnchors(w, h, up)
	put := func(p geom.Point, name string) { an.add(p, idAnchors[name]) }
	titles, header, title := 0, false, false
	for i, l := range lines {
		if l.Conf < regMinHeaderConf {
			continue
		}
		switch letters(l.Text) {
		case "BUNDESREPUBLIKDEUTSCHLAND":
			if !header {
				header = true
				titles++
				put(leftEnd(quads[i]), "header")
				put(rightEnd(quads[i]), "header_right")
			}
		case "PERSONALAUSWEIS":
			if !title {
				title = true
				titles++
				put(leftEnd(quads[i]), "title")
			}
		}
	}
	// The trilingual labels, read where the slots left fields out (an
	// outline off moves the values out of them): both ends of each at its
	// place; the one on the title row counts as a title, the
	// nationality's as a line of the right half (its right end is the
	// nearest print to the card's right side but the card number's).
	right, column := 0, 0
	seen := map[string]bool{}
	for i, l := range lines {
		if l.Conf < regMinHeaderConf {
			continue
		}
		t := letters(l.Text)
		for _, lb := range idLabels {
			if seen[lb.key] || editDistance(t, lb.key) > max(1, len(lb.key)/8) {
				continue
			}
			seen[lb.key] = true
			an.add(leftEnd(quads[i]), lb.left)
			an.add(rightEnd(quads[i]), lb.right)
			switch lb.row {
			case "title":
				titles++
			case "right":
				right++
			}
			break
		}
	}
	for _, name := range []string{"document_number", "nationality", "can", "surname", "birth_name", "given_names", "birth_date", "birth_place", "expiry_date"} {
		rd, ok := reads[name]
		if !ok || len(rd.Lines) != 1 || rd.Part {
			continue
		}
		q := quads[rd.Lines[0]]
		put(leftEnd(q), name)
		switch name {
		case "document_number", "nationality":
			right++
		case "can":
			right++
			put(rightEnd(q), "can_right")
		default:
			column++
		}
	}
	// the nationality told by its text where no slot took it (an outline
	// off moves it out of its slot): the card is issued to Germans only
	if _, ok := reads["nationality"]; !ok {
		for i, l := range lines {
			if l.Conf >= regMinHeaderConf && letters(l.Text) == germanNationality {
				put(leftEnd(quads[i]), "nationality")
				right++
				break
			}
		}
	}
	if titles == 0 || right < 2 || column < 3 {
		return geom.Quad{}, false
	}
	return registerOutline(an, w, h, regHypotheses)
}

// regHypotheses are the sets of corners (TL, TR, BR, BL) an outline may
// have wrong: one, a side's two, or three (two sides off: the top on the
// paper and the left on the card's photo).
var regHypotheses = [][]int{{0}, {1}, {2}, {3}, {0, 1}, {1, 2}, {2, 3}, {3, 0}, {0, 1, 2}, {1, 2, 3}, {2, 3, 0}, {3, 0, 1}}

// rss is the sum of squared distances of the lines from their places
// mapped through the homography taking the card's corners at onto q, each
// at most cut (a line the detector drew with a neighbour's print, or read
// as another field, costs no more than that: no fit chases it).
func rss(at, q geom.Quad, tpl, obs []geom.Point, cut float64) float64 {
	hm, ok := solve(at, q)
	if !ok {
		return math.Inf(1)
	}
	var s float64
	for i := range tpl {
		p := hm.Apply(tpl[i][0], tpl[i][1])
		s += min(cut*cut, (p[0]-obs[i][0])*(p[0]-obs[i][0])+(p[1]-obs[i][1])*(p[1]-obs[i][1]))
	}
	return s
}

// fitCorners moves the corners free of at (from start's) to the least
// squares of rss by Gauss-Newton steps (numeric derivatives; a line
// farther than cut from its place weighs nothing in the step), the others
// held at at's; it returns the corners, their rss and the normal matrix
// JᵀJ of the last step (the corners' precision: their covariance is
// σ²(JᵀJ)⁻¹).
func fitCorners(at, start geom.Quad, free []int, tpl, obs []geom.Point, cut float64) (geom.Quad, float64, [][]float64) {
	q := at
	for _, k := range free {
		q[k] = start[k]
	}
	n := 2 * len(free)
	resid := func(q geom.Quad) []float64 {
		hm, ok := solve(at, q)
		if !ok {
			return nil
		}
		r := make([]float64, 0, 2*len(tpl))
		for i := range tpl {
			p := hm.Apply(tpl[i][0], tpl[i][1])
			r = append(r, p[0]-obs[i][0], p[1]-obs[i][1])
		}
		return r
	}
	const step = 0.5
	var jtj [][]float64
	// plain least squares first (from a start far off, every line may lie
	// beyond cut), then without the lines left beyond it
	for it := range 16 {
		r0 := resid(q)
		if r0 == nil {
			return q, math.Inf(1), nil
		}
		wt := make([]float64, len(r0))
		for i := 0; i < len(r0); i += 2 {
			if it < 8 || math.Hypot(r0[i], r0[i+1]) <= cut {
				wt[i], wt[i+1] = 1, 1
			}
		}
		jac := make([][]float64, n)
		for a := range n {
			d := q
			d[free[a/2]][a%2] += step
			r1 := resid(d)
			if r1 == nil {
				return q, math.Inf(1), nil
			}
			jac[a] = make([]float64, len(r0))
			for i := range r0 {
				jac[a][i] = (r1[i] - r0[i]) / step
			}
		}
		// (JᵀJ) δ = -Jᵀr
		m := make([][]float64, n)
		for a := range n {
			m[a] = make([]float64, n+1)
			for b := range n {
				for i := range r0 {
					m[a][b] += wt[i] * jac[a][i] * jac[b][i]
				}
			}
			for i := range r0 {
				m[a][n] -= wt[i] * jac[a][i] * r0[i]
			}
		}
		jtj = make([][]float64, n)
		for a := range n {
			jtj[a] = slices.Clone(m[a][:n])
		}
		delta := make([]float64, n)
		if !solveLinear(m, delta) {
			break
		}
		moved := 0.0
		for a := range n {
			q[free[a/2]][a%2] += delta[a]
			moved = math.Max(moved, math.Abs(delta[a]))
		}
		if moved < 0.01 && it >= 8 {
			break
		}
	}
	return q, rss(at, q, tpl, obs, cut), jtj
}

// cornerSpread is the standard deviation of the distance of each free
// corner from its fitted place, from the normal matrix jtj and the lines'
// spread sigma (zero where jtj is singular: no precision known).
func cornerSpread(jtj [][]float64, sigma float64) []float64 {
	n := len(jtj)
	out := make([]float64, n/2)
	for a := range n {
		// column a of (JᵀJ)⁻¹
		m := make([][]float64, n)
		for r := range n {
			m[r] = append(slices.Clone(jtj[r]), 0)
		}
		m[a][n] = 1
		x := make([]float64, n)
		if !solveLinear(m, x) {
			return make([]float64, n/2)
		}
		out[a/2] += x[a] * sigma * sigma
	}
	for i := range out {
		out[i] = math.Sqrt(out[i])
	}
	return out
}

// labelled: a line's text starts with a field number ("1.", "4b.", "9."):
// one digit, a letter a-c for field 4's parts, a dot (a date starts with
// two digits), or the number 4a or 4b glued to its date (licenceLabelRE).
func labelled(t string) bool {
	t = strings.TrimSpace(t)
	if licenceLabelRE.MatchString(t) {
		return true
	}
	if len(t) < 2 || t[0] < '0' || t[0] > '9' {
		return false
	}
	rest := t[1:]
	if rest[0] >= 'a' && rest[0] <= 'c' {
		rest = rest[1:]
	}
	return strings.HasPrefix(rest, ".")
}

// fitHomography is the least-squares homography taking src onto dst (at
// least four pairs), the points first centred and scaled to a mean
// distance of √2 (Hartley's normalization) so that the normal equations
// stay well conditioned.
func fitHomography(src, dst []geom.Point) (Homography, bool) {
	n := len(src)
	if n < 4 || len(dst) != n {
		return Homography{}, false
	}
	ns, _ := normalizing(src)
	nd, back := normalizing(dst)
	ata := make([][]float64, 8)
	for a := range ata {
		ata[a] = make([]float64, 9)
	}
	for i := range n {
		q, p := ns.Apply(src[i][0], src[i][1]), nd.Apply(dst[i][0], dst[i][1])
		x, y, u, v := q[0], q[1], p[0], p[1]
		r0, r1 := dltRows(x, y, u, v)
		for _, r := range [2][9]float64{r0, r1} {
			for a := range 8 {
				for b := range 9 {
					ata[a][b] += r[a] * r[b]
				}
			}
		}
	}
	hn, ok := homographyFrom(ata)
	if !ok {
		return Homography{}, false
	}
	// dst = nd⁻¹ · hn · ns · src
	return back.mul(hn).mul(ns), true
}

// normalizing returns the similarity taking pts to mean 0 and mean
// distance √2 from it, and its inverse.
func normalizing(pts []geom.Point) (fwd, inv Homography) {
	var mx, my float64
	for _, p := range pts {
		mx += p[0]
		my += p[1]
	}
	mx /= float64(len(pts))
	my /= float64(len(pts))
	var d float64
	for _, p := range pts {
		d += math.Hypot(p[0]-mx, p[1]-my)
	}
	d /= float64(len(pts))
	s := 1.0
	if d > 0 {
		s = math.Sqrt2 / d
	}
	fwd = Homography{s, 0, -s * mx, 0, s, -s * my, 0, 0, 1}
	inv = Homography{1 / s, 0, mx, 0, 1 / s, my, 0, 0, 1}
	return fwd, inv
}

// mul is the homography applying g, then hm.
func (hm Homography) mul(g Homography) Homography {
	var r Homography
	for i := range 3 {
		for j := range 3 {
			for k := range 3 {
				r[3*i+j] += hm[3*i+k] * g[3*k+j]
			}
		}
	}
	return r
}
