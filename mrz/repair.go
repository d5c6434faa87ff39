package mrz

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// confusion is one entry of the static OCR confusion channel: the reader
// sees b where a is printed (and vice versa) with relative weight w.
type confusion struct {
	a, b byte
	w    float64
}

// Confusions is the static confusion channel used when no OCR alternatives
// are given. It is also the corruption model of the repair benchmark.
var confusions = []confusion{
	{'O', '0', 1.0}, {'I', '1', 1.0}, {'B', '8', 0.8}, {'S', '5', 0.8},
	{'Z', '2', 0.6}, {'G', '6', 0.6}, {'D', '0', 0.1}, {'Q', '0', 0.1},
	{'L', '1', 0.05}, {'K', '<', 0.3},
}

// partners[c] lists the characters c may have been printed as.
var partners = func() [256][]confusion {
	var p [256][]confusion
	for _, x := range confusions {
		p[x.a] = append(p[x.a], confusion{x.a, x.b, x.w})
		p[x.b] = append(p[x.b], confusion{x.b, x.a, x.w})
	}
	for i := range p {
		sort.SliceStable(p[i], func(x, y int) bool { return p[i][x].w > p[i][y].w })
	}
	return p
}()

// sexFix maps frequent misreads of the sex character.
var sexFix = map[byte]byte{'H': 'M', 'N': 'M', 'W': 'M', 'E': 'F', 'P': 'F', 'T': 'F', 'K': '<', 'Y': 'X'}

type opt struct {
	c    byte
	cost float64
	harm bool // the change makes the character agree in type with its neighbours
	dis  bool // the change makes the character disagree with all its neighbours
}

const (
	forcedScale  = 0.3  // a type rule leaves no choice: cheap
	wildCost     = 3.0  // unreadable character in a checked field
	maxGroupOCR  = 2    // the same with OCR alternatives, whose costs are informative
	maxEditCost  = 2.0  // optional edits costlier than this are not trusted
	probeCost    = 50.0 // added to untrusted edits: they only reveal ambiguity
	searchBudget = 4000 // search nodes per checked field: bounds unreadable input
)

// Tunables of the search, variables so that the benchmark can compare them.
var (
	ambiguityGap   = 1.0  // valid readings closer than this are ambiguous
	maxGroupEdit   = 2    // edits per checked field (static table)
	harmBoth       = 0.4  // cost factor: both neighbours have the new type
	harmOne        = 0.75 // cost factor: the only neighbour has the new type
	transitionCost = 0.5  // per letter/digit change inside a checked alphanumeric field
)

// invisible reports whether exchanging a and b leaves every check digit
// unchanged (their values differ by a multiple of 10: G/6, L/1, K/<).
// A misread filler (K for <) is the exception: it shows through the rule
// that an empty field may carry '<' as its check character.
func invisible(a, b byte) bool {
	d := cv(a) - cv(b)
	return d%10 == 0 && !(a == 'K' && b == '<')
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' }

// staticCost is the cost of reading x where the confusion partner p is printed.
func staticCost(x confusion, k kind) float64 {
	c := 1.0 - 0.5*math.Log(x.w)
	if k == kAlnum && (isDigit(x.a) && isLetter(x.b) || x.a == '<') {
		// Document numbers hold digits far more often than letters, and
		// a filler inside them is rare: prefer letter->digit repairs.
		c += 0.4
	}
	return c
}

// options lists the characters position p may hold, cheapest first. The
// first entry is the default reading. check says p holds a check
// character.
func options(ce cell, k kind, check bool, buf []opt) []opt {
	out := buf[:0]
	if len(ce.alts) > 0 {
		pmax := 0.0
		for _, a := range ce.alts {
			pmax = math.Max(pmax, a.Prob)
		}
		seen := [256]bool{}
		if k.accepts(ce.c) {
			p := pmax
			for _, a := range ce.alts {
				if a.Char == ce.c {
					p = a.Prob
				}
			}
			out = append(out, opt{ce.c, math.Log(pmax / p), false, false})
			seen[ce.c] = true
		}
		for _, a := range ce.alts {
			if !seen[a.Char] && k.accepts(a.Char) {
				seen[a.Char] = true
				// The recognizer's odds, times the channel's prior for
				// this confusion (unknown confusions count as rare).
				prior := 1.2
				for _, x := range partners[ce.c] {
					if x.b == a.Char {
						prior = -0.5 * math.Log(x.w)
					}
				}
				out = append(out, opt{a.Char, math.Min(6, math.Log(pmax/a.Prob)) + 0.1 + prior, false, false})
			}
		}
		for _, x := range partners[ce.c] {
			if !seen[x.b] && k.accepts(x.b) {
				seen[x.b] = true
				out = append(out, opt{x.b, staticCost(x, k) + 2, false, false})
			}
		}
		sortOpts(out)
		if len(out) > 0 {
			return out
		}
	}
	if k.accepts(ce.c) {
		out = append(out, opt{ce.c, 0, false, false})
		for _, x := range partners[ce.c] {
			if k.accepts(x.b) {
				out = append(out, opt{x.b, staticCost(x, k), false, false})
			}
		}
		return out
	}
	for _, x := range partners[ce.c] {
		if k.accepts(x.b) {
			out = append(out, opt{x.b, forcedScale * staticCost(x, k), false, false})
		}
	}
	if k == kSex {
		if f, ok := sexFix[ce.c]; ok {
			out = append(out, opt{f, forcedScale, false, false})
		}
	}
	if len(out) > 0 {
		sortOpts(out)
		return out
	}
	// Unreadable: any character of the class. Not for a check character
	// (no digit among its readings or their confusion partners): any digit
	// would make its check hold, and the check would vouch for nothing (a
	// TD2 composite made to hold over misread optional data). It stays as
	// read and its check fails.
	if check {
		return append(out, opt{ce.c, 0, false, false})
	}
	for c := 0; c < 256; c++ {
		if k.accepts(byte(c)) && (k != kSex || c != '<') {
			out = append(out, opt{byte(c), wildCost, false, false})
		}
	}
	return out
}

func sortOpts(o []opt) {
	sort.SliceStable(o, func(i, j int) bool { return o[i].cost < o[j].cost })
}

type pos struct{ line, col int }

// cand is one assignment of a checked field: changes against the defaults.
type cand struct {
	set   []byte // chosen character per group position
	cost  float64
	delta int // change of the composite sum against the defaults
	ok    bool
	edits int // optional (non-forced) changes
}

type group struct {
	chk   *check
	ps    []pos
	cands []cand
	// mixed: the field as read changes between letters and digits four
	// times or more, so the neighbour priors say little; an edit is then
	// accepted only if no other edit of the field validates (contested).
	mixed, contested bool
}

// solver repairs lines of one layout and shape.
type solver struct {
	l      *layout
	cells  [][]cell
	b      [][]byte
	opts   [][][]opt
	beam   int
	cost   float64
	cls    [][]kind
	forced [][]bool // the read character does not fit the position's type
	// rivals are the other valid readings (whole lines) that made the
	// solve ambiguous, where that came only from their cost (solve); nil
	// where the choice was not ambiguous or they are not all known.
	rivals [][]string
}

func classes(l *layout, b [][]byte) [][]kind {
	cls := make([][]kind, len(l.lens))
	for i, n := range l.lens {
		cls[i] = make([]kind, n)
	}
	for _, f := range l.fields {
		for c := f.start; c < f.end; c++ {
			cls[f.line][c] = f.k
		}
	}
	for _, c := range l.checks {
		cls[c.line][c.pos] = kDigit
	}
	// Russian internal passports transliterate some Cyrillic letters to digits.
	if (l == td3) && len(b[0]) >= 5 && string(b[0][0:2]) == "PN" && string(b[0][2:5]) == "RUS" {
		for c := 5; c < len(cls[0]); c++ {
			cls[0][c] = kAlnum
		}
	}
	if l == fraID {
		// Issue year and month, office (alphanumeric), serial (digits).
		for c := 0; c < 4; c++ {
			cls[1][c] = kDigit
		}
		for c := 7; c < 12; c++ {
			cls[1][c] = kDigit
		}
	}
	if l == chDL {
		// Language code D, F, I or R; the rest of line 1 is fillers.
		cls[0][7], cls[0][8] = kFill, kFill
	}
	if l == dl1 || l == dl1FRA {
		cls[0][0], cls[0][1] = kAlpha, kDigit
	}
	if l == dl1FRA {
		// A French licence's number (printed in its field 5 too) is the
		// issue year, two letters and a serial: 13AA00002.
		for i, k := range frenchLicenceForm {
			cls[0][5+i] = k
		}
	}
	// German documents number with digits and consonants only.
	if issuer(l, b) == "D<<" {
		for _, f := range l.fields {
			if f.r == rNumber {
				for c := f.start; c < f.end; c++ {
					cls[f.line][c] = kGerman
				}
			}
		}
	}
	return cls
}

// issuer returns the issuing state as printed, after type repair.
func issuer(l *layout, b [][]byte) string {
	for _, f := range l.fields {
		if f.name == "issuing_state" && f.end <= len(b[f.line]) {
			out := make([]byte, 0, 3)
			for _, c := range b[f.line][f.start:f.end] {
				if !kAlpha.accepts(c) {
					for _, x := range partners[c] {
						if kAlpha.accepts(x.b) {
							c = x.b
							break
						}
					}
				}
				out = append(out, c)
			}
			return string(out)
		}
	}
	return ""
}

func newSolver(l *layout, cells [][]cell, beam int) *solver {
	s := &solver{l: l, cells: cells, beam: beam}
	s.b = make([][]byte, len(cells))
	for i := range cells {
		s.b[i] = []byte(cellsString(cells[i]))
	}
	s.cls = classes(l, s.b)
	s.opts = make([][][]opt, len(cells))
	s.forced = make([][]bool, len(cells))
	checkAt := map[pos]bool{}
	for _, c := range l.checks {
		checkAt[pos{c.line, c.pos}] = true
	}
	for i := range cells {
		s.opts[i] = make([][]opt, len(cells[i]))
		s.forced[i] = make([]bool, len(cells[i]))
		for j := range cells[i] {
			s.forced[i][j] = !s.cls[i][j].accepts(cells[i][j].c)
			s.opts[i][j] = options(cells[i][j], s.cls[i][j], checkAt[pos{i, j}], make([]opt, 0, 4))
		}
	}
	s.harmonize()
	s.phonotactics()
	for _, fx := range l.fixed {
		for k := 0; k < len(fx.text); k++ {
			i, j := fx.line, fx.col+k
			c := fx.text[k]
			cost := 0.0
			if cells[i][j].c != c {
				cost = 1.0
				for _, x := range partners[cells[i][j].c] {
					if x.b == c {
						cost = forcedScale * staticCost(x, kAlpha)
					}
				}
			}
			s.opts[i][j] = []opt{{c, cost, false, false}}
			s.forced[i][j] = cells[i][j].c != c
		}
	}
	for i := range cells {
		for j := range cells[i] {
			s.b[i][j] = s.opts[i][j][0].c
			s.cost += s.opts[i][j][0].cost
		}
	}
	return s
}

func isVowel(c byte) bool {
	return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U' || c == 'Y'
}

// phonotactics ranks the type repairs of a digit inside a name by its
// neighbours: three vowels or three consonants in a row are rare, so a 0
// between vowels reads D rather than O, and between consonants O.
func (s *solver) phonotactics() {
	for _, f := range s.l.fields {
		if f.r != rNames && f.r != rName {
			continue
		}
		row := s.cells[f.line]
		for c := f.start + 1; c+1 < f.end; c++ {
			if !s.forced[f.line][c] || row[c].alts != nil {
				continue
			}
			a, b := row[c-1].c, row[c+1].c
			if !isLetter(a) || !isLetter(b) || isVowel(a) != isVowel(b) {
				continue
			}
			o := s.opts[f.line][c]
			if len(o) < 2 {
				continue
			}
			for j := range o {
				if isLetter(o[j].c) && isVowel(o[j].c) == isVowel(a) {
					o[j].cost += 1.0
				}
			}
			sortOpts(o)
		}
	}
}

// transitions counts letter/digit changes between neighbouring characters
// of the alphanumeric positions in ps: document numbers are a letter prefix
// and digits far more often than a mix.
func (s *solver) transitions(ps []pos) int {
	n, last, lastPos := 0, 0, pos{-1, -1}
	for _, p := range ps {
		k := s.cls[p.line][p.col]
		if k != kAlnum && k != kGerman {
			last = 0
			continue
		}
		t := charType(s.b[p.line][p.col])
		if t != 0 && last != 0 && t != last && lastPos.line == p.line && lastPos.col == p.col-1 {
			n++
		}
		last, lastPos = t, p
	}
	return n
}

func charType(c byte) int {
	switch {
	case isDigit(c):
		return 1
	case isLetter(c):
		return 2
	}
	return 0
}

// harmonize adjusts the costs in alphanumeric fields by the neighbours: a
// letter between digits is likely a misread digit and vice versa.
func (s *solver) harmonize() {
	for _, f := range s.l.fields {
		if f.k != kAlnum {
			continue
		}
		row := s.cells[f.line]
		for c := f.start; c < f.end; c++ {
			k := s.cls[f.line][c]
			if (k != kAlnum && k != kGerman) || s.forced[f.line][c] || row[c].alts != nil {
				continue
			}
			o := s.opts[f.line][c]
			// The only letter among digits (or the reverse) of a field
			// is treated as a misread: harm marks that alternative.
			nd, nl := 0, 0
			for x := f.start; x < f.end; x++ {
				switch charType(row[x].c) {
				case 1:
					nd++
				case 2:
					nl++
				}
			}
			// A field that is (nearly) all digits or all letters makes an
			// alternative of the other type implausible.
			major := 0
			if nd >= 3 && nl <= 1 {
				major = 1
			} else if nl >= 3 && nd <= 1 {
				major = 2
			}
			for j := 1; j < len(o); j++ {
				t, cur := charType(o[j].c), charType(row[c].c)
				if major != 0 && t != 0 && t != major {
					o[j].dis = true
				}
				// every neighbour that is not a filler has the majority type
				agree, seen := true, false
				for _, x := range []int{c - 1, c + 1} {
					if x >= f.start && x < f.end && charType(row[x].c) != 0 {
						seen = true
						if charType(row[x].c) != t {
							agree = false
						}
					}
				}
				if seen && agree && (cur == 2 && t == 1 && nl == 1 && nd >= 3 || cur == 1 && t == 2 && nd == 1 && nl >= 3) {
					o[j].harm = true
				}
			}
			var nb []int
			if c > f.start && charType(row[c-1].c) != 0 {
				nb = append(nb, charType(row[c-1].c))
			}
			if c+1 < f.end && charType(row[c+1].c) != 0 {
				nb = append(nb, charType(row[c+1].c))
			}
			if len(nb) == 0 {
				continue
			}
			cur := charType(row[c].c)
			for j := 1; j < len(o); j++ {
				t := charType(o[j].c)
				all, none := true, true
				for _, n := range nb {
					if n != t {
						all = false
					}
					if n == cur {
						none = false
					}
				}
				curAll := true
				for _, n := range nb {
					if n != cur {
						curAll = false
					}
				}
				switch {
				case all && !curAll && len(nb) == 2:
					o[j].cost *= harmBoth
				case all && !curAll:
					o[j].cost *= harmOne
				case curAll && t != cur:
					o[j].cost += 1.0
					o[j].dis = true
				}
				_ = none
			}
			sortOpts(o)
		}
	}
}

// fixUnchecked applies the rules for fields no check digit covers: state
// codes toward the ICAO list, the sex character and fillers in names.
func (s *solver) fixUnchecked() {
	for _, f := range s.l.fields {
		switch f.r {
		case rCountry:
			s.fixCountry(f)
		case rCode:
			// A passport's code starts with P (ICAO 9303-4; a visa's V
			// picks the MRV-A layout): a filler read there is the P.
			if s.l == td3 && s.b[f.line][f.start] == '<' {
				s.b[f.line][f.start] = 'P'
				s.cost += 0.5
			}
			// An identity card's code starts with A, C or I (ICAO 9303-5
			// and -6): another letter read there is one of them misread.
			if (s.l == td1 || s.l == td2) && !cardCode(s.b[f.line][f.start]) {
				if c, ok := cardCodeFor(s.cells[f.line][f.start], s.opts[f.line][f.start]); ok {
					s.b[f.line][f.start] = c
					s.cost += 0.5
				}
			}
		case rRaw:
			// A 'K' in an optional data field after nothing but fillers
			// (two or more: the field's data stands left-justified)
			// and before a filler or another such 'K' is a misread
			// filler; no check digit can see it (K and < differ by 20).
			if !strings.HasPrefix(f.name, "optional_data") {
				break
			}
			row := s.b[f.line]
			for c := f.start + 2; c < f.end; c++ {
				if row[c] != 'K' || c+1 < f.end && row[c+1] != '<' && row[c+1] != 'K' || !allFillers(row[f.start:c]) {
					continue
				}
				row[c] = '<'
				s.cost += 0.2
			}
		case rNames, rName:
			row := s.b[f.line]
			// A lone 'K' where no name part may stand (noPartAfter:
			// after three fillers or a second "<<") is a misread filler.
			run, seps := 0, 0
			for c := f.start; c < f.end; c++ {
				switch {
				case row[c] == '<':
					run++
				case row[c] == 'K' && noPartAfter(run, seps) && (c+1 == f.end || row[c+1] == '<' || row[c+1] == 'K'):
					row[c] = '<'
					s.cost += 0.2
					run++
				default:
					if run >= 2 {
						seps++
					}
					run = 0
				}
			}
		}
	}
}

// allFillers: b holds nothing but fillers.
func allFillers(b []byte) bool {
	for _, c := range b {
		if c != '<' {
			return false
		}
	}
	return true
}

func (s *solver) fixCountry(f field) {
	row := s.b[f.line]
	code := string(row[f.start:f.end])
	if ValidCountry(code) {
		return
	}
	best, bestCost := "", math.Inf(1)
	o := s.opts[f.line]
	if len(o[f.start])*len(o[f.start+1])*len(o[f.start+2]) > 64 {
		return // unreadable: leave it to the country check
	}
	var walk func(i int, cur []byte, cost float64)
	walk = func(i int, cur []byte, cost float64) {
		if cost >= bestCost {
			return
		}
		if i == 3 {
			if ValidCountry(string(cur)) {
				best, bestCost = string(cur), cost
			}
			return
		}
		for _, x := range o[f.start+i] {
			cur[i] = x.c
			walk(i+1, cur, cost+x.cost)
		}
	}
	walk(0, make([]byte, 3), 0)
	if best == "" {
		// No reading of the three characters is a state code: the type
		// repairs would only invent letters. Keep what was read (the
		// country check reports it), e.g. digits printed on a specimen.
		for c := f.start; c < f.end; c++ {
			if r := s.cells[f.line][c].c; r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '<' {
				row[c] = r
			}
		}
		return
	}
	base := 0.0
	for i := 0; i < 3; i++ {
		base += o[f.start+i][0].cost
	}
	copy(row[f.start:f.end], best)
	s.cost += bestCost - base
}

// groupPositions lists the positions covered by check c, its check
// character last.
func (s *solver) groupPositions(c *check) []pos {
	var ps []pos
	if c.long && s.b[0][14] == '<' && s.b[0][15] != '<' {
		for col := 5; col < 15; col++ {
			ps = append(ps, pos{0, col})
		}
		k := 15
		for k < 30 && s.b[0][k] != '<' {
			k++
		}
		for col := 15; col < k; col++ {
			ps = append(ps, pos{0, col})
		}
		return ps
	}
	for _, sp := range c.spans {
		for col := sp.start; col < sp.end; col++ {
			ps = append(ps, pos{sp.line, col})
		}
	}
	return append(ps, pos{c.line, c.pos})
}

// enumerate searches the assignments of a group's positions with at most
// maxGroupEdit optional edits (forced type repairs are free of that limit)
// and keeps the cheapest ones that satisfy the check.
func (s *solver) enumerate(g *group, compW map[pos]int) {
	n := len(g.ps)
	maxEdit, ocr := maxGroupEdit, false
	for _, p := range g.ps {
		if s.cells[p.line][p.col].alts != nil {
			maxEdit, ocr = maxGroupOCR, true
		}
	}
	var found []cand
	limit := s.beam * 4
	g.mixed = !ocr && s.transitions(g.ps) >= 4 // recognizer odds make priors unneeded
	budget := searchBudget
	var dfs func(i, edits int, cost float64)
	dfs = func(i, edits int, cost float64) {
		if len(found) > limit || budget <= 0 {
			return
		}
		budget--
		if i == n {
			if g.chk.verify(s.b) {
				cost += transitionCost * float64(s.transitions(g.ps))
				defer func() { found[len(found)-1].edits = edits }()
				set := make([]byte, n)
				delta := 0
				for j, p := range g.ps {
					set[j] = s.b[p.line][p.col]
					if w, ok := compW[p]; ok {
						delta += w * (cv(set[j]) - cv(s.opts[p.line][p.col][0].c))
					}
				}
				found = append(found, cand{set: set, cost: cost, delta: delta, ok: true})
			}
			return
		}
		p := g.ps[i]
		o := s.opts[p.line][p.col]
		def := s.b[p.line][p.col]
		free := s.forced[p.line][p.col]
		static := s.cells[p.line][p.col].alts == nil
		for j := range o {
			if j > 0 && edits >= maxEdit {
				break
			}
			pc := 0.0
			if j > 0 && !free && invisible(o[0].c, o[j].c) {
				continue // no check digit can tell these apart
			}
			if j > 0 && !free && static && o[j].cost > maxEditCost && o[j].dis && !g.mixed {
				continue // implausible: a lone letter among digits or the reverse
			}
			if j > 0 && !free && static && o[j].cost > maxEditCost {
				// Too unlikely a misread to be trusted, but a reading
				// it validates makes the others ambiguous.
				pc = probeCost
			}
			s.b[p.line][p.col] = o[j].c
			e := edits
			if j > 0 {
				e++ // for a forced position: a less likely type repair
			}
			dfs(i+1, e, cost+o[j].cost-o[0].cost+pc)
		}
		s.b[p.line][p.col] = def
	}
	dfs(0, 0, 0)
	sort.SliceStable(found, func(i, j int) bool { return found[i].cost < found[j].cost })
	if g.mixed {
		edited := 0
		for _, c := range found {
			if c.edits > 0 {
				edited++
			}
		}
		g.contested = edited > 1
	}
	if !ocr {
		// A check digit accepts one random change in ten: when two
		// readings with the fewest edits both satisfy it, the static
		// table cannot tell them apart.
		least, at := 1<<30, 0
		for _, c := range found {
			if c.edits == 0 {
				continue
			}
			switch {
			case c.edits < least:
				least, at = c.edits, 1
			case c.edits == least:
				at++
			}
		}
		if at > 1 {
			g.contested = true
		}
	}
	if len(found) > s.beam {
		found = found[:s.beam]
	}
	if len(found) == 0 {
		set := make([]byte, n)
		for j, p := range g.ps {
			set[j] = s.b[p.line][p.col]
		}
		found = []cand{{set: set, ok: false}}
	}
	g.cands = found
}

// solve runs the repair and returns the chosen lines, their extra cost and
// whether the choice among valid readings was ambiguous.
func (s *solver) solve() (cost float64, ambiguous bool) {
	s.fixUnchecked()
	var comp *check
	var groups []*group
	covered := map[pos]bool{}
	for i := range s.l.checks {
		c := &s.l.checks[i]
		if c.name == "composite" {
			comp = c
			continue
		}
		g := &group{chk: c, ps: s.groupPositions(c)}
		for _, p := range g.ps {
			covered[p] = true
		}
		groups = append(groups, g)
	}
	compW := map[pos]int{}
	var compOnly []pos
	if comp != nil {
		i := 0
		for _, sp := range comp.spans {
			for col := sp.start; col < sp.end; col++ {
				p := pos{sp.line, col}
				compW[p] = weights[i%3]
				i++
				if !covered[p] {
					compOnly = append(compOnly, p)
				}
			}
		}
	}
	for _, g := range groups {
		s.enumerate(g, compW)
	}
	if comp == nil {
		for _, g := range groups {
			best := g.cands[0]
			if !best.ok || best.cost >= probeCost {
				continue // type repairs only
			}
			s.apply(g, best)
			cost += best.cost
			if best.edits > 0 && g.contested {
				ambiguous = true
			}
			if best.edits > 0 {
				for _, c := range g.cands[1:] {
					if c.ok && (c.cost-best.cost < ambiguityGap || c.cost >= probeCost && c.edits <= best.edits) {
						ambiguous = true
					}
				}
			}
		}
		return cost, ambiguous
	}
	// The composite: its own positions (optional data, the digit) get at
	// most one optional edit; combine with the groups' candidates.
	cg := &group{chk: comp, ps: append(compOnly, pos{comp.line, comp.pos})}
	base := 0
	for p, w := range compW {
		base += w * cv(s.b[p.line][p.col])
	}
	type ccand struct {
		set   []byte
		cost  float64
		delta int
		digit byte
		edits int
	}
	var cc []ccand
	{
		n := len(cg.ps)
		last := cg.ps[n-1]
		// With recognizer alternatives two edits are searched, so that a
		// reading needing both competes with a cheaper-looking single one.
		maxComp := 1
		for _, p := range cg.ps {
			if s.cells[p.line][p.col].alts != nil {
				maxComp = maxGroupOCR
			}
		}
		var dfs func(i, edits int, cost float64, delta int)
		budget := searchBudget
		set := make([]byte, n)
		dfs = func(i, edits int, cost float64, delta int) {
			if len(cc) > 256 || budget <= 0 {
				return
			}
			budget--
			if i == n {
				cp := make([]byte, n)
				copy(cp, set)
				cc = append(cc, ccand{cp, cost, delta, set[n-1], edits})
				return
			}
			p := cg.ps[i]
			o := s.opts[p.line][p.col]
			if s.b[p.line][p.col] != o[0].c {
				o = []opt{{s.b[p.line][p.col], 0, false, false}} // fixed by a rule already
			}
			free := s.forced[p.line][p.col] && len(o) > 1
			for j := range o {
				// Only the composite covers these: one optional edit at
				// most, and without OCR alternatives only one that makes
				// a character agree with its neighbours (a single check
				// digit accepts one random change in ten).
				if j > 0 && edits >= maxComp {
					continue
				}
				pc := 0.0
				if j > 0 && !free && (invisible(o[0].c, o[j].c) || o[j].dis && s.cells[p.line][p.col].alts == nil) {
					continue
				}
				if j > 0 && !free && s.cells[p.line][p.col].alts == nil && (!o[j].harm || o[j].cost > maxEditCost) {
					pc = probeCost
				}
				set[i] = o[j].c
				e := edits
				if j > 0 {
					e++
				}
				d := delta
				if p != last {
					d += compW[p] * (cv(o[j].c) - cv(o[0].c))
				}
				dfs(i+1, e, cost+o[j].cost-o[0].cost+pc, d)
			}
		}
		dfs(0, 0, 0, 0)
	}
	best := combo{cost: math.Inf(1)}
	second := math.Inf(1)
	var oks []combo // the valid readings, for the rivals of an ambiguous choice
	oksAll := true
	probeEdits := 1 << 30 // fewest edits of a valid reading that needs an untrusted edit
	idx := make([]int, len(groups))
	var walk func(gi int, cost float64, delta int, allOK bool, edits int)
	combos := 0
	walk = func(gi int, cost float64, delta int, allOK bool, edits int) {
		if combos > 8*searchBudget {
			return
		}
		if gi == len(groups) {
			combos += len(cc)
			for ci, c := range cc {
				tc := cost + c.cost
				ok := allOK && checkChar(base+delta+c.delta, c.digit, false)
				better := false
				switch {
				case ok && !best.ok:
					better = true
				case ok == best.ok && tc < best.cost:
					better = true
				}
				if ok && tc >= probeCost && edits+c.edits < probeEdits {
					probeEdits = edits + c.edits
				}
				if ok {
					if better {
						if best.ok {
							second = math.Min(second, best.cost)
						}
					} else {
						second = math.Min(second, tc)
					}
				}
				if ok {
					if len(oks) < maxRivals*4 {
						oks = append(oks, combo{idx: append([]int(nil), idx...), ci: ci, cost: tc, ok: ok, edits: edits + c.edits, comp: c.set})
					} else {
						oksAll = false
					}
				}
				if better {
					best = combo{idx: append([]int(nil), idx...), ci: ci, cost: tc, ok: ok, edits: edits + c.edits}
				}
			}
			return
		}
		for i, c := range groups[gi].cands {
			idx[gi] = i
			walk(gi+1, cost+c.cost, delta+c.delta, allOK && c.ok, edits+c.edits)
		}
	}
	walk(0, 0, 0, true, 0)
	if !best.ok || best.cost >= probeCost {
		// Nothing validates: keep the reading with type repairs only.
		return 0, false
	}
	contested := false
	for gi, g := range groups {
		c := g.cands[best.idx[gi]]
		s.apply(g, c)
		if c.edits > 0 && g.contested {
			ambiguous, contested = true, true
		}
	}
	for i, p := range cg.ps {
		s.b[p.line][p.col] = cc[best.ci].set[i]
	}
	if best.ok && best.edits > 0 && (second-best.cost < ambiguityGap || probeEdits <= best.edits) {
		ambiguous = true
		if !contested && combos <= 8*searchBudget && oksAll {
			// the readings that made it ambiguous, by the test above
			var rivals []combo
			for _, o := range oks {
				if o.cost-best.cost < ambiguityGap || o.cost >= probeCost && o.edits <= best.edits {
					rivals = append(rivals, o)
				}
			}
			s.rivals = s.rivalLines(groups, cg, rivals)
		}
	}
	return best.cost, ambiguous
}

// combo is one reading of a solve: a candidate of each check's group (idx)
// and of the composite's own positions (ci; comp, its characters, where
// kept), its cost, whether every check holds (ok) and its edits.
type combo struct {
	idx   []int
	ci    int
	cost  float64
	ok    bool
	edits int
	comp  []byte
}

// maxRivals bounds the rival readings an ambiguous solve lists.
const maxRivals = 4

// rivalLines lists the lines of the readings rivals (each with comp),
// the solver's chosen lines s.b with each group's candidate and the
// composite's own characters set; readings with the chosen lines are not
// listed. It returns nil where there are more than maxRivals or none.
func (s *solver) rivalLines(groups []*group, cg *group, rivals []combo) [][]string {
	seen := map[string]bool{}
	var out [][]string
	for _, o := range rivals {
		b := make([][]byte, len(s.b))
		for i := range s.b {
			b[i] = append([]byte(nil), s.b[i]...)
		}
		for gi, g := range groups {
			for j, p := range g.ps {
				b[p.line][p.col] = g.cands[o.idx[gi]].set[j]
			}
		}
		for i, p := range cg.ps {
			b[p.line][p.col] = o.comp[i]
		}
		lines := make([]string, len(b))
		same := true
		for i := range b {
			lines[i] = string(b[i])
			same = same && lines[i] == string(s.b[i])
		}
		key := strings.Join(lines, "\n")
		if same || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, lines)
	}
	if len(out) > maxRivals {
		return nil
	}
	return out
}

func (s *solver) apply(g *group, c cand) {
	for j, p := range g.ps {
		s.b[p.line][p.col] = c.set[j]
	}
}

// variant is one way to bring a line to its layout length.
type variant struct {
	cells []cell
	cost  float64
	corr  []Correction
}

// lengthVariants adds or removes fillers in filler runs (and trims junk at
// the ends) to reach length n, cheapest first.
func lengthVariants(line []cell, n int) []variant {
	d := n - len(line)
	if d == 0 {
		return []variant{{cells: line}}
	}
	if d > 4 || d < -4 {
		return nil
	}
	type run struct{ start, end int } // [start,end) of '<'s; insertion at end
	var runs []run
	for i := 0; i < len(line); {
		if line[i].c == '<' {
			j := i
			for j < len(line) && line[j].c == '<' {
				j++
			}
			runs = append(runs, run{i, j})
			i = j
			continue
		}
		if line[i].space {
			runs = append(runs, run{i, i}) // a blank that may have been a filler
		}
		i++
	}
	if len(runs) == 0 || runs[len(runs)-1].end != len(line) {
		runs = append(runs, run{len(line), len(line)})
	}
	var out []variant
	edit := func(ri int, k int) ([]cell, float64, []Correction, bool) {
		r := runs[ri]
		trailing := r.end == len(line)
		cost := 0.6 * math.Abs(float64(k))
		if !trailing {
			cost += 0.3
		}
		if r.end-r.start < 3 {
			cost += 0.4 // OCR miscounts long filler runs, rarely short ones
		}
		if r.end-r.start == 0 && k > 0 {
			if line[min(r.start, len(line)-1)].space || r.start == len(line) {
				cost += 0.1
			}
			if r.start == len(line) && len(line) > 0 && line[len(line)-1].c != '<' {
				cost += 0.4
			}
		}
		cells := make([]cell, 0, len(line)+k)
		var corr []Correction
		if k > 0 {
			cells = append(cells, line[:r.end]...)
			for i := 0; i < k; i++ {
				cells = append(cells, cell{c: '<'})
				corr = append(corr, Correction{Column: r.end + i + 1, From: "", To: "<"})
			}
			cells = append(cells, line[r.end:]...)
			return cells, cost, corr, true
		}
		k = -k
		if r.end-r.start < k || (r.end-r.start == k && !trailing) {
			return nil, 0, nil, false
		}
		cells = append(cells, line[:r.end-k]...)
		cells = append(cells, line[r.end:]...)
		for i := 0; i < k; i++ {
			corr = append(corr, Correction{Column: r.end - k + i + 1, From: "<", To: ""})
		}
		return cells, cost, corr, true
	}
	for ri := range runs {
		if c, cost, corr, ok := edit(ri, d); ok {
			out = append(out, variant{c, cost, corr})
		}
	}
	if d < 0 {
		// Junk at either end of the line.
		for lead := 0; lead <= -d && lead <= 2; lead++ {
			trail := -d - lead
			if trail > 2 {
				continue
			}
			c := line[lead : len(line)-trail]
			var corr []Correction
			for i := 0; i < lead; i++ {
				corr = append(corr, Correction{Column: i + 1, From: string(line[i].c), To: ""})
			}
			for i := len(line) - trail; i < len(line); i++ {
				corr = append(corr, Correction{Column: i + 1, From: string(line[i].c), To: ""})
			}
			out = append(out, variant{c, 1.0 * float64(-d), corr})
		}
	}
	if d == 2 || d == -2 {
		// Two runs off by one each.
		k := d / 2
		for i := range runs {
			for j := i + 1; j < len(runs); j++ {
				c1, cost1, corr1, ok1 := edit(j, k) // later run first keeps indices of i
				if !ok1 {
					continue
				}
				saved := line
				line = c1
				// recompute run i on the edited line (it precedes run j)
				c2, cost2, corr2, ok2 := edit(i, k)
				line = saved
				if ok2 {
					out = append(out, variant{c2, cost1 + cost2, append(corr2, corr1...)})
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].cost < out[j].cost })
	if len(out) > 16 {
		out = out[:16]
	}
	return out
}

type attempt struct {
	l     *layout
	cells [][]cell
	cost  float64
	corr  []Correction
}

// repair classifies the normalized lines and searches the cheapest valid
// reading over layouts, length variants and character substitutions.
func repair(lines [][]cell, opts Options) (*Record, error) {
	beam := opts.Beam
	if beam <= 0 {
		beam = 8
	}
	now := opts.now()
	var windows [][][]cell
	if len(lines) <= 3 {
		windows = append(windows, lines)
	}
	if len(lines) > 1 {
		for n := min(3, len(lines)); n >= 1; n-- {
			for i := 0; i+n <= len(lines); i++ {
				if n == len(lines) {
					continue
				}
				windows = append(windows, lines[i:i+n])
			}
		}
	}
	// The lines as given first; sub-windows (junk lines around the MRZ)
	// only when the whole does not classify, or there are more than 3.
	var atts []attempt
	for i, w := range windows {
		if i > 0 && len(atts) > 0 && len(lines) <= 3 {
			break
		}
		atts = append(atts, attempts(w)...)
	}
	if len(atts) == 0 {
		lens := make([]int, len(lines))
		for i := range lines {
			lens[i] = len(lines[i])
		}
		return nil, fmt.Errorf("%w: %d lines of lengths %v", ErrNotMRZ, len(lines), lens)
	}
	sort.SliceStable(atts, func(i, j int) bool { return atts[i].cost < atts[j].cost })
	if len(atts) > 48 {
		atts = atts[:48]
	}
	var best *Record
	bestCost := math.Inf(1)
	bestFail := 1 << 30
	rival := false // another valid reading with different lines came close
	var bestL *layout
	bestNames := false // the best reading guesses an unchecked letter
	// the readings of every attempt that are valid or refused only as
	// ambiguous: a rival of the best's checked characters among them
	// that its solve did not list leaves its rivals unknown
	type near struct {
		cost float64
		sig  string
	}
	var nears []near
	for _, a := range atts {
		if best != nil && best.Valid && a.cost >= bestCost+ambiguityGap {
			break
		}
		s := newSolver(a.l, a.cells, beam)
		extra, ambiguous := s.solve()
		if !fitsRead(a.l, string(s.b[0])) {
			continue // the repaired document code belongs to another layout
		}
		cost := a.cost + s.cost + extra
		r := build(a.l, s.b, now)
		if ambiguous {
			r.Checks["unambiguous"] = false
			r.Valid = false
			r.Rivals = s.rivals
		}
		fail := 0
		for _, ok := range r.Checks {
			if !ok {
				fail++
			}
		}
		if r.Valid || ambiguous && fail == 1 {
			nears = append(nears, near{cost, checkedSig(a.l, r.Lines)})
		}
		better := best == nil ||
			(r.Valid && !best.Valid) ||
			(r.Valid == best.Valid && (fail < bestFail || fail == bestFail && cost < bestCost))
		if r.Valid && best != nil && best.Valid && math.Abs(cost-bestCost) < ambiguityGap && checkedSig(a.l, r.Lines) != checkedSig(bestL, best.Lines) {
			rival = true
		}
		if !better {
			continue
		}
		r.Corrections = corrections(a, s.b)
		r.Confidence = confidence(r.Valid, cost)
		best, bestCost, bestFail, bestL = r, cost, fail, a.l
		bestNames = s.namesAmbiguous()
	}
	if best == nil {
		return nil, fmt.Errorf("%w: no layout fits the repaired document code", ErrNotMRZ)
	}
	if rival && best.Valid {
		best.Checks["unambiguous"] = false
		best.Valid = false
		best.Confidence = confidence(false, bestCost)
	}
	if len(best.Rivals) > 0 {
		listed := map[string]bool{checkedSig(bestL, best.Lines): true}
		for _, l := range best.Rivals {
			listed[checkedSig(bestL, l)] = true
		}
		for _, n := range nears {
			if !listed[n.sig] && math.Abs(n.cost-bestCost) < ambiguityGap {
				best.Rivals = nil
				break
			}
		}
	}
	if bestNames {
		// Decided after the choice: the ambiguity of a guessed letter
		// must not let another, costlier reading win.
		best.Checks["names_unambiguous"] = false
		if best.Valid {
			best.Valid = false
			best.Confidence = confidence(false, bestCost)
		}
	}
	return best, nil
}

// checkedSig is the content of a reading that check digits cover.
func checkedSig(l *layout, lines []string) string {
	var b strings.Builder
	b.WriteString(l.name)
	for _, c := range l.checks {
		for _, sp := range c.spans {
			b.WriteString(lines[sp.line][sp.start:sp.end])
		}
		b.WriteByte(lines[c.line][c.pos])
	}
	return b.String()
}

// invalidConfidence scales the confidence of a reading that is not valid.
const invalidConfidence = 0.4

func confidence(valid bool, cost float64) float64 {
	c := 1 / (1 + 0.15*cost)
	if !valid {
		c *= invalidConfidence
	}
	return math.Round(c*1000) / 1000
}

// attempts lists (layout, length-fixed lines) pairs for a window of lines.
func attempts(w [][]cell) []attempt {
	var out []attempt
	for _, l := range layouts {
		if len(l.lens) != len(w) {
			continue
		}
		per := make([][]variant, len(w))
		ok := true
		for i, n := range l.lens {
			if l == svkID && len(w[i]) != n {
				ok = false // a national variant: never reached by length repair
				break
			}
			per[i] = lengthVariants(w[i], n)
			if len(per[i]) == 0 {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		// Cartesian product, cheapest first, bounded.
		combos := []attempt{{l: l}}
		for i := range per {
			var next []attempt
			for _, c := range combos {
				for _, v := range per[i] {
					cells := append(append([][]cell(nil), c.cells...), v.cells)
					corr := append([]Correction(nil), c.corr...)
					for _, x := range v.corr {
						x.Line = i + 1
						corr = append(corr, x)
					}
					next = append(next, attempt{l, cells, c.cost + v.cost, corr})
				}
			}
			sort.SliceStable(next, func(a, b int) bool { return next[a].cost < next[b].cost })
			if len(next) > 24 {
				next = next[:24]
			}
			combos = next
		}
		for _, c := range combos {
			first := cellsString(c.cells[0])
			if !fitsRead(l, first) {
				// The document code itself may be misread: accept the
				// layout if a type-repaired code or its fixed text fits.
				if !fitsRead(l, typedPrefix(l, c.cells[0])) && !looksLikeFixed(l, c.cells) {
					continue
				}
				c.cost += 0.5
			}
			out = append(out, c)
		}
	}
	return out
}

// looksLikeFixed reports whether the layout's fixed text can be read in
// the lines, each character as printed or as a confusion partner.
func looksLikeFixed(l *layout, cells [][]cell) bool {
	if len(l.fixed) == 0 {
		return false
	}
	for _, fx := range l.fixed {
		for k := 0; k < len(fx.text); k++ {
			c := cells[fx.line][fx.col+k].c
			if c == fx.text[k] {
				continue
			}
			ok := false
			for _, x := range partners[c] {
				if x.b == fx.text[k] {
					ok = true
				}
			}
			if !ok {
				return false
			}
		}
	}
	return true
}

// typedPrefix returns the first 5 characters of line 1 after type repair.
func typedPrefix(l *layout, line []cell) string {
	b := make([]byte, 0, 5)
	for i := 0; i < 5 && i < len(line); i++ {
		k := kAlpha
		if l == dl1 || l == dl1FRA {
			if i == 1 {
				k = kDigit
			}
		}
		o := options(line[i], k, false, nil)
		c := o[0].c
		if i == 0 && (l == dl1 || l == dl1FRA) && (c == 'O' || c == 'Q') {
			c = 'D'
		}
		b = append(b, c)
	}
	return string(b)
}

// corrections lists length edits and substitutions against the input.
func corrections(a attempt, b [][]byte) []Correction {
	out := append([]Correction{}, a.corr...)
	for i := range b {
		for j := range b[i] {
			if a.cells[i][j].c != b[i][j] {
				out = append(out, Correction{Line: i + 1, Column: j + 1, From: string(a.cells[i][j].c), To: string(b[i][j])})
			}
		}
	}
	return out
}

// cardCode reports whether c may open the document code of a TD1 or TD2
// card (ICAO 9303-5 4.2.2, 9303-6 4.2.2: A, C or I).
func cardCode(c byte) bool { return c == 'A' || c == 'C' || c == 'I' }

// codeMisreads maps the characters OCR reads for a card code's A, C or I
// to it: the I's narrow stroke as T, L, J or 1, the C's open ring as G, O
// or 0, the A as 4.
var codeMisreads = map[byte]byte{'T': 'I', 'L': 'I', 'J': 'I', '1': 'I', 'G': 'C', 'O': 'C', '0': 'C', '4': 'A'}

// cardCodeFor is the card code letter a cell read otherwise stands for:
// the cheapest of A, C and I among the cell's options os (the
// recognizer's alternatives and the confusion partners), else the letter
// the read character is a known misread of.
func cardCodeFor(ce cell, os []opt) (byte, bool) {
	for _, o := range os {
		if cardCode(o.c) {
			return o.c, true
		}
	}
	c, ok := codeMisreads[ce.c]
	return c, ok
}
