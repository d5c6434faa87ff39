package documents

import (
	"maps"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"docscan/internal/licnum"
)

// Read is a field read from the lines: the value, the raw text, the
// confidence, its box on the normalized image and the lines it came from.
type Read struct {
	Value string
	Raw   string
	Conf  float64
	Box   [4]float64
	Lines []int
	// Part: the value is part of its line, which holds other text too
	// (the line is no value to decode again as a whole).
	Part bool
}

// slot is a template field of a fixed layout: the value's centre line and
// horizontal span, as fractions of the normalized card.
type slot struct {
	name       string
	cy, x0, x1 float64
}

// deIDFront is the German identity card front (2010 model): fields right of
// the photo under their trilingual labels, card number top right, CAN
// bottom right. Fractions of 85.6 x 53.98 mm.
var deIDFront = []slot{
	{"document_number", 5.4 / 53.98, 56 / 85.6, 1},
	{"surname", 16.6 / 53.98, 28 / 85.6, 1},
	{"birth_name", 22.7 / 53.98, 28 / 85.6, 1},
	{"given_names", 28.8 / 53.98, 28 / 85.6, 1},
	{"birth_date", 34.9 / 53.98, 28 / 85.6, 55 / 85.6},
	{"nationality", 34.9 / 53.98, 55 / 85.6, 1},
	{"birth_place", 41.0 / 53.98, 28 / 85.6, 1},
	{"expiry_date", 47.1 / 53.98, 28 / 85.6, 64 / 85.6},
	{"can", 50.2 / 53.98, 64 / 85.6, 1},
}

// IDFrontFields lists the fields of the German identity card front's
// template, top to bottom.
func IDFrontFields() []string {
	out := make([]string, len(deIDFront))
	for i, s := range deIDFront {
		out[i] = s.name
	}
	return out
}

// germanNationality is what a German identity card prints as the
// holder's nationality.
const germanNationality = "DEUTSCH"

// likeGerman reports whether a reading of the German ID card's
// nationality (folded) is DEUTSCH damaged: two letters off it (DEUTSOH,
// UTSCH), three off in six letters or more (DEWTSON, motion blur), or its
// end of three letters or more after at most one misread one (SCH, ISCH,
// JTSCH: glare over its start).
func likeGerman(v string) bool {
	d := editDistance(v, germanNationality)
	if d <= 2 || d <= 3 && len(v) >= 6 {
		return true
	}
	for _, t := range []string{v, v[min(1, len(v)):]} {
		if len(t) >= 3 && strings.HasSuffix(germanNationality, t) {
			return true
		}
	}
	return false
}

// deIDNumberDigits maps the letters a German ID card number never holds
// (it avoids vowels and B, D, Q, S) to the digits they are misread for.
var deIDNumberDigits = strings.NewReplacer("O", "0", "Q", "0", "D", "0", "I", "1", "S", "5", "B", "8")

// numberAfterTitle reads the German ID card's number where the detector
// took it into the title's line (BUNDESREPUBLIK DEUTSCHLAND Z649J3N15): a
// line in the number's row (slot s) that runs into its span from the left,
// whose last word looks like a card number. Its box is the line's share of
// that word.
func numberAfterTitle(s slot, lines []Line, w, h int) (Read, bool) {
	x0 := s.x0 * float64(w)
	for i, l := range lines {
		if math.Abs(l.cy()-s.cy*float64(h)) > 0.030*float64(h) || l.Box[0] >= x0-0.02*float64(w) || l.Box[2] < x0 {
			continue
		}
		f := strings.Fields(l.Text)
		if len(f) < 2 || !looksCardNumber(f[len(f)-1]) {
			continue
		}
		word := f[len(f)-1]
		v, ok := Normalize("document_number", word, dmyOrder)
		if !ok {
			continue
		}
		box := l.Box
		if n := len([]rune(l.Text)); n > 0 {
			box[0] = l.Box[2] - (l.Box[2]-l.Box[0])*float64(len([]rune(word)))/float64(n)
		}
		return Read{Value: v, Raw: word, Conf: l.Conf, Box: box, Lines: []int{i}, Part: true}, true
	}
	return Read{}, false
}

// TextFields are the fields whose values are words (names, places): worth
// a second reading for umlauts.
var TextFields = map[string]bool{"surname": true, "birth_name": true, "given_names": true, "birth_place": true, "issuing_authority": true}

// ReadFields extracts the visual-zone fields of a document type from the
// recognized lines of its normalized w x h image.
func ReadFields(docType, country string, lines []Line, w, h int) map[string]Read {
	out := readFields(docType, country, lines, w, h)
	nearPlaces(out)
	return out
}

func readFields(docType, country string, lines []Line, w, h int) map[string]Read {
	switch {
	case docType == IDCard && (country == "DE" || country == ""):
		out, _ := readDEID(lines, w, h)
		return out
	case docType == DrivingLicence && country == "US":
		return readNumbered(lines, usLabels, true)
	case docType == DrivingLicence:
		return readNumbered(lines, euLabels, false)
	case docType == Passport || docType == IDCard || docType == ResidencePermit:
		return readLabelled(lines)
	}
	return map[string]Read{}
}

// deIDLabels are phrases of the German ID card front's printed labels and
// the fields under them, the more specific first (NAME AT BIRTH before
// SURNAME's NAME).
var deIDLabels = []labelPhrase{
	{"NAME AT BIRTH", "birth_name"}, {"GEBURTSNAME", "birth_name"}, {"GIVEN NAMES", "given_names"}, {"VORNAMEN", "given_names"},
	{"SURNAME", "surname"}, {"DATE OF BIRTH", "birth_date"}, {"GEBURTSTAG", "birth_date"}, {"PLACE OF BIRTH", "birth_place"},
	{"GEBURTSORT", "birth_place"}, {"DATE OF EXPIRY", "expiry_date"}, {"GULTIG BIS", "expiry_date"},
	{"NATIONALITY", "nationality"}, {"STAATSANGEH", "nationality"},
}

// readUnderLabels reads the German ID card front's fields under their
// labels: a value is the nearest line below its label (its centre within
// three label heights), taller than the label (values are printed twice
// its size), starting within two label heights of the label's left edge,
// and no label itself; lines in used are taken already, and those read
// are added.
func readUnderLabels(lines []Line, used map[int]bool) map[string]Read {
	return underLabels(lines, deIDLabels, dmyFull, used, 3, func(l Line, j int) bool {
		o := lines[j]
		return !used[j] && o.Text != "" && !isFieldLabel(o.Text) && o.h() >= 1.2*l.h()
	})
}

// labelPhrase names a field in a printed label.
type labelPhrase struct{ phrase, field string }

// underLabels reads fields under their printed labels: for each line
// holding one of phrases (the first it holds names its field), the nearest
// line below it, its centre within reach label heights, starting within
// two label heights of the label's left edge, that value accepts (the
// label and the index of the line). Lines read are added to used (nil: not
// recorded).
func underLabels(lines []Line, phrases []labelPhrase, dates dateOrder, used map[int]bool, reach float64, value func(label Line, j int) bool) map[string]Read {
	out := map[string]Read{}
	for i, l := range lines {
		t := fold(l.Text)
		for _, ln := range phrases {
			if !strings.Contains(t, ln.phrase) {
				continue
			}
			if _, done := out[ln.field]; done {
				break
			}
			best, bestD := -1, math.Inf(1)
			for j, o := range lines {
				if j == i || math.Abs(o.Box[0]-l.Box[0]) > 2*l.h() || !value(l, j) {
					continue
				}
				if d := o.cy() - l.cy(); d > 0 && d < reach*l.h() && d < bestD {
					best, bestD = j, d
				}
			}
			if best >= 0 {
				o := lines[best]
				if v, ok := Normalize(ln.field, o.Text, dates); ok {
					out[ln.field] = Read{Value: v, Raw: o.Text, Conf: o.Conf, Box: o.Box, Lines: []int{best}}
					if used != nil {
						used[best] = true
					}
				}
			}
			break
		}
	}
	return out
}

// readDEID reads the German identity card front, and lists the lines
// its template slots hold whose text made no value (unread).
func readDEID(lines []Line, w, h int) (map[string]Read, map[string]int) {
	// Values under their labels, where the labels were read (they are
	// not, unless the template found too few fields: see
	// NeedsReading), come first: an outline off by more than the
	// template's row search (a side snapped to another edge) moves
	// values into the next row's slot.
	used := map[int]bool{}
	labelled := readUnderLabels(lines, used)
	// rows moved alike by an outline found short or long; the slots
	// of fields read under their labels are not read again (their
	// lines taken, a slot would take the next column's value)
	var slots []slot
	for _, sl := range shifted(deIDFront, idRowShift(lines, w, h)) {
		if _, ok := labelled[sl.name]; !ok {
			slots = append(slots, sl)
		}
	}
	out, unread := readTemplate(slots, lines, w, h, used)
	for name, r := range labelled {
		out[name] = r
	}
	if _, ok := out["document_number"]; !ok {
		for _, sl := range slots {
			if sl.name == "document_number" {
				if r, ok := numberAfterTitle(sl, lines, w, h); ok {
					out["document_number"] = r
				}
			}
		}
	}
	if r, ok := out["document_number"]; ok {
		r.Value = deIDNumberDigits.Replace(r.Value)
		out["document_number"] = r
	}
	// the card is issued to Germans only: its nationality is always
	// DEUTSCH, and a reading of it damaged is it
	if r, ok := out["nationality"]; ok && r.Value != germanNationality && likeGerman(fold(r.Value)) {
		r.Value = germanNationality
		out["nationality"] = r
	}
	return out, unread
}

// Unread lists, for the German identity card front, the line each
// template slot holds whose text made no value of its field (a CAN read
// $57737): the recognizer's inference can be decoded again restricted to
// the field's alphabet (Alphabets).
func Unread(docType, country string, lines []Line, w, h int) map[string]int {
	if docType != IDCard || country != "DE" && country != "" {
		return nil
	}
	_, unread := readDEID(lines, w, h)
	return unread
}

// holds: l's centre lies within a third of a row pitch of the slot's
// centre line and its start in the slot's span (on a w x h card).
func (s slot) holds(l Line, w, h int) bool {
	return math.Abs(l.cy()-s.cy*float64(h)) <= 0.030*float64(h) &&
		l.Box[0] >= s.x0*float64(w)-0.02*float64(w) && l.Box[0] <= s.x1*float64(w)
}

// shifted is slots with their rows moved by dy of the card height.
func shifted(slots []slot, dy float64) []slot {
	out := make([]slot, len(slots))
	for i, s := range slots {
		s.cy += dy
		out[i] = s
	}
	return out
}

// readTemplate assigns to each slot the tallest line whose centre lies
// within a third of a row pitch of the slot's centre line and whose start
// lies in the slot's span (of the lines not taken). A slot whose line
// made no value of its field is listed in unread.
func readTemplate(slots []slot, lines []Line, w, h int, taken map[int]bool) (map[string]Read, map[string]int) {
	out := map[string]Read{}
	unread := map[string]int{}
	used := maps.Clone(taken)
	for _, s := range slots {
		var cands []int
		maxH := 0.0
		for i, l := range lines {
			if used[i] || !s.holds(l, w, h) {
				continue
			}
			// a printed label is never a value (an empty slot, such as a
			// birth name the holder does not have, leaves its label nearest)
			if isFieldLabel(l.Text) {
				continue
			}
			cands = append(cands, i)
			maxH = math.Max(maxH, l.h())
		}
		// the tallest line (a label misread still is smaller than its
		// value), and of lines about as tall the one starting nearest the
		// slot's start: the value of the next column (the nationality
		// beside the birth date) may begin just inside the slot's span
		best, bestH, bestD := -1, 0.0, math.Inf(1)
		for _, i := range cands {
			l := lines[i]
			if d := math.Abs(l.Box[0] - s.x0*float64(w)); l.h() >= 0.85*maxH && d < bestD {
				best, bestH, bestD = i, l.h(), d
			}
		}
		if best < 0 {
			continue
		}
		// a value is at least as tall as the small labels around it
		if bestH < 0.028*float64(h) {
			continue
		}
		used[best] = true
		l := lines[best]
		// fragments of the same value on the line to the right
		idx := []int{best}
		box := l.Box
		text := l.Text
		conf := l.Conf
		for i, o := range lines {
			if used[i] || math.Abs(o.cy()-l.cy()) > 0.5*l.h() || o.Box[0] < box[2] || o.Box[0]-box[2] > 0.6*l.h() || o.Box[0] > s.x1*float64(w) {
				continue
			}
			used[i] = true
			idx = append(idx, i)
			text += " " + o.Text
			box[2], box[1], box[3] = o.Box[2], math.Min(box[1], o.Box[1]), math.Max(box[3], o.Box[3])
			conf = math.Min(conf, o.Conf)
		}
		if v, ok := Normalize(s.name, text, dmyFull); ok {
			out[s.name] = Read{Value: v, Raw: text, Conf: conf, Box: box, Lines: idx}
		} else if len(idx) == 1 {
			unread[s.name] = best
		}
	}
	return out, unread
}

// row is a text row: lines whose centres share a height.
type row struct {
	text  string
	conf  float64
	box   [4]float64
	lines []int
	// starts are the byte offsets in text where each line begins, with
	// the line's x0 (for splitting a row at a label back into boxes).
	starts []int
	xs     []float64
}

func (r row) cy() float64 { return (r.box[1] + r.box[3]) / 2 }

// rows groups lines into text rows, left to right.
func rows(lines []Line) []row {
	idx := make([]int, len(lines))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return lines[idx[a]].cy() < lines[idx[b]].cy() })
	var groups [][]int
	for _, i := range idx {
		l := lines[i]
		if l.h() > 2*(l.Box[2]-l.Box[0]) {
			continue // vertical text (a name printed up the photo) joins no row
		}
		placed := false
		for g := len(groups) - 1; g >= 0 && g >= len(groups)-2; g-- {
			f := lines[groups[g][0]]
			if math.Abs(f.cy()-l.cy()) < 0.45*math.Max(f.h(), l.h()) {
				groups[g] = append(groups[g], i)
				placed = true
				break
			}
		}
		if !placed {
			groups = append(groups, []int{i})
		}
	}
	var out []row
	for _, g := range groups {
		sort.Slice(g, func(a, b int) bool { return lines[g[a]].Box[0] < lines[g[b]].Box[0] })
		r := row{conf: 1, box: lines[g[0]].Box}
		for k, i := range g {
			l := lines[i]
			if k > 0 {
				r.text += " "
			}
			r.starts = append(r.starts, len(r.text))
			r.xs = append(r.xs, l.Box[0])
			r.text += strings.TrimSpace(l.Text)
			r.conf = math.Min(r.conf, l.Conf)
			r.box = [4]float64{math.Min(r.box[0], l.Box[0]), math.Min(r.box[1], l.Box[1]), math.Max(r.box[2], l.Box[2]), math.Max(r.box[3], l.Box[3])}
			r.lines = append(r.lines, i)
		}
		out = append(out, r)
	}
	return out
}

// Labels of the numbered driving-licence fields.
var (
	// EU model (Directive 2006/126/EC): 3 holds date and place of birth.
	euLabels = map[string]string{"1": "surname", "2": "given_names", "3": "birth_date", "4a": "issue_date",
		"4b": "expiry_date", "4c": "issuing_authority", "5": "document_number", "9": "categories"}
	// US (AAMVA DL/ID card design standard): 4d is the licence number, 5 the
	// document discriminator.
	usLabels = map[string]string{"1": "surname", "2": "given_names", "3": "birth_date", "4a": "issue_date",
		"4b": "expiry_date", "4d": "document_number", "9": "categories", "15": "sex", "8": "address"}
	// label markers: a field number, optional letter, optional dot, then
	// space (or the value glued to a dotted label).
	labelRE = regexp.MustCompile(`(?:^|\s)(\d{1,2}\s?[a-dA-D]?)(?:[\.,:]\s*|\s+)`)
	usGlued = regexp.MustCompile(`\b(\d{1,2}[a-dA-D]?)((?i:DLN|DOB|EXP|ISS|CLASS|SEX|END|REST|DD|HGT|WGT|EYES|HAIR))`)
	// a US class row whose number 9 was lost: "CLASS D"
	usClassRE = regexp.MustCompile(`^(?i:CLASS(?:ES)?)[\s:\.]*([A-Z0-9]{1,3}(?:\s?[A-Z0-9]{1,3})*)$`)
	// US keywords printed after the field numbers.
	usKeywordRE = regexp.MustCompile(`^(?:(?:DLN|DOB|EXP|ISS|CLASSES|CLASS|SEX)|(?:DL|LIC#?|END|REST|DD|HGT|WGT|EYES|HAIR|LN|FN)\b)[\s:\.]*`)
	// field 4c before a capitalised authority, glued to it ("4cStadt
	// Essen") or its c read e ("4e Prefecture")
	glued4cRE = regexp.MustCompile(`(?:^|\s)(4\s?[cCeE])[\.,:]?\s*(\p{Lu})`)
	// field 4c without its 4 before a capitalised authority ("c. Kreis
	// Borken", "cStadt Dortmund")
	lone4cRE = regexp.MustCompile(`\s(c[\.,:]?|C[\.,:])\s*(\p{Lu})`)
	// a field number glued to its value ("314.07.1981", "4b31.12.2018")
	gluedLabelRE = regexp.MustCompile(`^\s*(\d[a-dA-D]?)(\S.*)$`)
	// a US address's field number 8 glued to its house number, the street
	// after it: "8123MAIN STREET"
	usAddressGluedRE = regexp.MustCompile(`^\s*(8)(\d{1,6}\s?\p{Lu}{2}.*)$`)
	// US postal code with the state: "PHOENIX, AZ 85007"
	usStateRE = regexp.MustCompile(`\b([A-Z]{2})\s?\d{5}\b`)
)

// readNumbered reads a licence by its numbered field labels: rows are split
// at each label; the text up to the next label is that field's value.
func readNumbered(lines []Line, labels map[string]string, us bool) map[string]Read {
	dates := mdyOrder
	if !us {
		dates = dmyOrder
	}
	out := map[string]Read{}
	rs := rows(lines)
	labelled := make([]bool, len(rs))
	rowLabels := map[int]string{}
	anchor := "3" // the row under the names
	if us {
		anchor = "8"
	}
	order := []string{"1", "2", "3", "4a", "4c", "4b", "5", "8", "9"}
	last := -1 // index in order of the last label seen, rows top to bottom
	birthRow := -1
	for ri, r := range rs {
		if us {
			// "4dDLN D123": a label glued to its keyword
			r.text = usGlued.ReplaceAllString(r.text, "$1 $2")
		}
		locs := labelRE.FindAllStringSubmatchIndex(r.text, -1)
		type mark struct {
			label      string
			start, end int // label start, value start
			// split: a 4c told by its place on 4a's row (glued4cRE,
			// lone4cRE) only splits the row's text; it labels no row
			// (the sequence of labelled rows decides where unlabelled
			// rows' fields are)
			split bool
		}
		var marks []mark
		for _, m := range locs {
			lab := strings.ToLower(strings.ReplaceAll(r.text[m[2]:m[3]], " ", ""))
			if _, ok := labels[lab]; !ok {
				// a stroke of the value before glued to a lettered label
				// as a digit ("34aIss01/10/2013": the 8 of 4b's
				// 02/01/2018 beside it): two digits and a letter are no
				// label, the last digit and the letter may be
				if tail := lab[min(1, len(lab)):]; len(lab) == 3 && lab[1] >= '0' && lab[1] <= '9' && labels[tail] != "" {
					lab = tail
					m[2]++
				} else {
					continue
				}
			}
			// a label is a line start or follows a value, never inside a date
			end := m[1]
			// a label line echoing its number ("5.5" before the line
			// "D214YXHMS69": motion blur doubled the 5): the value is
			// the next line
			if len(r.starts) > 1 && end < r.starts[1] && r.starts[1] <= 4 && labelEcho(r.text[end:r.starts[1]], lab) {
				end = r.starts[1]
			}
			marks = append(marks, mark{lab, m[2], end, false})
		}
		if len(marks) == 0 && !us && last+1 < len(order) {
			// the next field's number glued to its value by the detector
			if g := gluedLabelRE.FindStringSubmatchIndex(r.text); g != nil {
				lab := strings.ToLower(r.text[g[2]:g[3]])
				// names start with a letter: "23.04.1974" is a date, not
				// field 2 glued to "3.04.1974"
				if (lab == "1" || lab == "2") && g[4] < len(r.text) && r.text[g[4]] >= '0' && r.text[g[4]] <= '9' {
					lab = ""
				}
				// the names come before the dates of fields 3, 4a and
				// 4b: a 1 or 2 glued to a row below one that opens with
				// a date is a later value's first character
				// ("2SMNESAS9": the licence number read under the dates)
				if (lab == "1" || lab == "2") && datedAbove(rs[:ri]) {
					lab = ""
				}
				// a line of its own, its dot misread ("5i" before
				// "P871L9BZ0H3"): the value is the next line
				if len(r.starts) > 1 && g[4] < r.starts[1] && r.starts[1] <= 4 {
					g[4] = r.starts[1]
				}
				for k := last + 1; k < min(last+3, len(order)); k++ {
					if order[k] == lab {
						marks = append(marks, mark{lab, g[2], g[4], false})
						break
					}
				}
			}
		}
		if len(marks) == 0 && us && ri > 0 && rowLabels[ri-1] == "2" {
			// the address's 8 glued to the house number, on the row under
			// the given names ("8123MAIN STREET")
			if g := usAddressGluedRE.FindStringSubmatchIndex(r.text); g != nil {
				marks = append(marks, mark{"8", g[2], g[4], false})
			}
		}
		if !us {
			// 4c glued to the authority's name, its dot lost between the
			// small c and the capital ("4a. 11.06.2018 4cPrefecture de
			// Marseille"), its c read e ("4e Prefecture de Angers"), or,
			// after 4a's value, its 4 lost ("4a. 01.12 c. Kreis Borken")
			found := glued4cRE.FindAllStringSubmatchIndex(r.text, -1)
			for _, k := range marks {
				if k.label == "4a" {
					for _, m := range lone4cRE.FindAllStringSubmatchIndex(r.text[k.end:], -1) {
						for i := range m {
							m[i] += k.end
						}
						found = append(found, m)
					}
				}
			}
			for _, m := range found {
				free := true
				for _, k := range marks {
					if k.start < m[3] && m[2] < k.end {
						free = false
					}
				}
				if free {
					marks = append(marks, mark{"4c", m[2], m[4], true})
				}
			}
			sort.SliceStable(marks, func(i, j int) bool { return marks[i].start < marks[j].start })
			// "3 U678DR6UV44": 5 misread as 3 before a number that keeps
			// the German licence number's check (no date or place does)
			if len(marks) == 1 && marks[0].label == "3" {
				if v, ok := Normalize("document_number", r.text[marks[0].end:], dates); ok && licnum.Valid(v) {
					marks[0].label = "5"
				}
			}
		}
		if !us {
			// the numbers run down the card: one before a number read
			// above is a value's character ("3.2035", 4b's
			// 05.03.2035 cut short by glare, under 4c's row)
			marks = slices.DeleteFunc(marks, func(m mark) bool {
				k := slices.Index(order, m.label)
				return !m.split && k >= 0 && k < last
			})
		}
		for _, m := range marks {
			if m.split {
				continue
			}
			labelled[ri] = true
			if _, ok := rowLabels[ri]; !ok {
				rowLabels[ri] = m.label
			}
			if m.label == anchor {
				birthRow = ri
			}
			for k, o := range order {
				if o == m.label && k > last {
					last = k
				}
			}
		}
		// 4a's number lost beside its date, 4c's read ("28.06.2022
		// 4c.Stadt Bonn"): the date before 4c on its row is 4a's
		if !us && len(marks) > 0 && marks[0].label == "4c" && marks[0].start > 0 {
			if _, done := out["issue_date"]; !done {
				pre := strings.TrimSpace(r.text[:marks[0].start])
				if loc := openingDate(pre); loc != nil && strings.TrimSpace(pre[loc[1]:]) == "" {
					putIssue(out, r, pre, "", dates)
				}
			}
		}
		for k, m := range marks {
			end := len(r.text)
			if k+1 < len(marks) {
				end = marks[k+1].start
			}
			val := strings.TrimSpace(r.text[m.end:end])
			if us {
				val = strings.TrimSpace(usKeywordRE.ReplaceAllString(strings.ToUpper(val), ""))
			}
			name := labels[m.label]
			if _, done := out[name]; done || val == "" {
				continue
			}
			box := r.box
			// narrow the box to the lines from the label on
			for j, st := range r.starts {
				if st <= m.start {
					box[0] = r.xs[j]
				}
			}
			if name == "issue_date" && !us {
				// "4a. 20.07.2 Stadt Leipzig": 4c's number lost, its
				// authority runs on after the date
				if loc := issueRestRE.FindStringSubmatchIndex(val); loc != nil {
					putIssue(out, r, val[:loc[2]], val[loc[2]:], dates)
					continue
				}
				// "4a. LandratsamtMusterhausen": the date and 4c's
				// number lost, the authority beside them left
				if authorityOnlyRE.MatchString(val) {
					putIssue(out, r, "", val, dates)
					continue
				}
			}
			if name == "birth_date" && !us {
				// "3. 14.07.1981 (Utopia city)": date, then place
				date, place := splitDatePlace(val)
				putBirth(out, r, box, date, place, dates)
				continue
			}
			if name == "address" {
				// the address goes on in the unlabelled row below
				if ri+1 < len(rs) && !labelRE.MatchString(rs[ri+1].text) {
					val += " " + rs[ri+1].text
				}
				val = strings.NewReplacer(",", " ").Replace(val)
				if m := usStateRE.FindStringSubmatch(val); m != nil {
					out["state"] = Read{Value: m[1], Raw: val, Conf: r.conf, Box: box, Lines: r.lines}
				}
			}
			if v, ok := Normalize(name, val, dates); ok {
				out[name] = Read{Value: v, Raw: val, Conf: r.conf, Box: box, Lines: r.lines}
			}
		}
	}
	// no field number of the numbered column read (a dark, faint or
	// blurred photo: 4c, printed larger beside 4a, may still be read):
	// the first row opening with a date below another row is field 3, the
	// birth row, and the rows around it are numbered from it
	// (a number that keeps its check, numberByCheck, is field 5 and
	// bounds it: the birth row lies two rows above it, 4a's one)
	seq, numRow := sequenceLabelled(rowLabels), -1
	if !us {
		numRow = numberByCheck(rs, lines, labelled, rowLabels, out, dates)
	}
	if !us && !seq {
		for ri := 1; ri < len(rs); ri++ {
			// (after a misread number of its own: "m 15.11.1955 (Metz)")
			t := valueText(rs[ri])
			loc := openingDate(t)
			if loc == nil {
				continue
			}
			r := rs[ri]
			date, rest := strings.TrimSpace(t[:loc[1]]), strings.TrimSpace(t[loc[1]:])
			if v, ok := Normalize("birth_date", date, dates); ok && len(v) >= 4 {
				if y, err := strconv.Atoi(v[:4]); err == nil && y > Now().Year()-minLicenceAge {
					// too recent for a holder's birth: the birth row was
					// not read as a date, this is the issue date's row (4a)
					if numRow >= 0 && rowsBetween(rs, ri, numRow) != 1 {
						continue
					}
					labelled[ri], rowLabels[ri] = true, "4a"
					putIssue(out, r, date, rest, dates)
					break
				}
			}
			if numRow >= 0 && rowsBetween(rs, ri, numRow) != 2 {
				continue
			}
			birthRow, labelled[ri], rowLabels[ri] = ri, true, anchor
			putBirth(out, r, r.box, date, rest, dates)
			break
		}
	}
	// labels 1 and 2 are small and often missed: the two unlabelled rows
	// right above field 3, in its column, are the given names and surname
	if birthRow > 0 {
		x0 := rs[birthRow].box[0]
		next := []string{"given_names", "surname"}
		pitch := rowPitchBelow(rs, birthRow)
		for ri := birthRow - 1; ri >= 0 && len(next) > 0; ri-- {
			r := rs[ri]
			if labelled[ri] {
				// a labelled row consumes its field's slot
				if strings.HasPrefix(strings.TrimSpace(r.text), "2") {
					next = next[1:]
				}
				continue
			}
			// in the anchor's column: starting within three row heights of it
			if math.Abs(r.box[0]-x0) > 3*(rs[birthRow].box[3]-rs[birthRow].box[1]) {
				continue
			}
			// two row pitches above the birth row with nothing
			// between: the given names' row was lost (glare), this is
			// the surname's
			if len(next) == 2 && pitch > 0 && !us {
				if t := (rs[birthRow].cy() - r.cy()) / pitch; math.Abs(t-2) <= pitchSlack {
					next = next[1:]
				}
			}
			name := next[0]
			next = next[1:]
			if _, done := out[name]; done {
				continue
			}
			val := valueText(r)
			if v, ok := Normalize(name, val, dates); ok {
				out[name] = Read{Value: v, Raw: val, Conf: r.conf, Box: r.box, Lines: r.lines}
			}
		}
	}
	if !us {
		fillSequence(rs, labelled, rowLabels, out, dates)
	}
	// US field 9 without its (small) number: a row of the CLASS keyword
	if _, ok := out["categories"]; !ok && us {
		for _, r := range rs {
			if m := usClassRE.FindStringSubmatch(strings.TrimSpace(r.text)); m != nil {
				if v, ok := Normalize("categories", m[1], dates); ok {
					out["categories"] = Read{Value: v, Raw: r.text, Conf: r.conf, Box: r.box, Lines: r.lines}
					break
				}
			}
		}
	}
	// field 9 without its (small) number: a row of known categories, or
	// one line of a row that holds other text too (a French licence's
	// tilted DL1 line, whose box spans the categories' row)
	if _, ok := out["categories"]; !ok {
	rows:
		for _, r := range rs {
			if v, ok := categoriesRow(valueText(r)); ok {
				out["categories"] = Read{Value: v, Raw: r.text, Conf: r.conf, Box: r.box, Lines: r.lines}
				break
			}
			for _, i := range r.lines {
				if v, ok := categoriesRow(lines[i].Text); ok && len(r.lines) > 1 {
					out["categories"] = Read{Value: v, Raw: lines[i].Text, Conf: lines[i].Conf, Box: lines[i].Box, Lines: []int{i}}
					break rows
				}
			}
		}
	}
	// field 9 read with its slashes lost or characters misread: the
	// categories in the directive's order (orderedCategories), only in a
	// row below every field read (a surname "ABEL" parses as A BE L)
	if _, ok := out["categories"]; !ok && !us && len(out) >= 2 {
		floor := math.Inf(-1)
		for _, rd := range out {
			floor = math.Max(floor, (rd.Box[1]+rd.Box[3])/2)
		}
		for _, r := range rs {
			if r.box[1] <= floor {
				continue
			}
			if v, ok := orderedCategories(valueText(r)); ok {
				out["categories"] = Read{Value: v, Raw: r.text, Conf: r.conf, Box: r.box, Lines: r.lines}
				break
			}
		}
	}
	// an EU card licence is valid LicenceTerm years at most: an expiry
	// further ahead is misread ("27.052087" for 27.05.2031's blur)
	if rd, ok := out["expiry_date"]; ok && !us && rd.Value > Now().AddDate(LicenceTerm, 0, 1).Format("2006-01-02") {
		delete(out, "expiry_date")
	}
	if rd, ok := out["categories"]; ok && !us && !directiveOrdered(rd.Value) {
		// a split that names a category twice, one out of the
		// directive's order or none ("CLL" read C L L for C1/L): the
		// parse in that order, where it finds one
		// ("AL S CL C L": no category is S): left to the line's
		// spelling by field 9's grammar (the pipeline's)
		switch v, ok := orderedCategories(rd.Raw); {
		case ok:
			rd.Value = v
			out["categories"] = rd
		case !knownOnly(rd.Value):
			delete(out, "categories")
		}
	}
	return out
}

// knownOnly: every word of v is a known category.
func knownOnly(v string) bool {
	for _, c := range strings.Fields(v) {
		if !knownCategories[c] {
			return false
		}
	}
	return true
}

// directiveOrdered: v names known categories only, each once, in the
// directive's order (categoryOrder).
func directiveOrdered(v string) bool {
	last := -1
	for _, c := range strings.Fields(v) {
		o, ok := categoryOrder[c]
		if !ok || o <= last {
			return false
		}
		last = o
	}
	return last >= 0
}

// labelEcho tells whether s, the rest of a short label line after its
// label lab, is nothing but the label again and punctuation.
func labelEcho(s, lab string) bool {
	t := strings.Trim(s, " .,:;")
	return t == "" || strings.EqualFold(t, lab)
}

// datedAbove: one of the rows rs opens with a date.
func datedAbove(rs []row) bool {
	for _, r := range rs {
		if openingDate(r.text) != nil {
			return true
		}
	}
	return false
}

// numberByCheck reads a German licence's number whose field number was
// lost (glare over the labels' column, a dark card): an unlabelled row,
// or a line of one, whose value keeps the number's check character
// (licnum.Valid: the shape and the check pass one string of the shape in
// eleven, and no other field has the shape) is field 5, and labels its
// row so that fillSequence numbers the rows around it. It returns the
// row (-1: none).
func numberByCheck(rs []row, lines []Line, labelled []bool, rowLabels map[int]string, out map[string]Read, dates dateOrder) int {
	if _, ok := out["document_number"]; ok {
		return -1
	}
	for ri, r := range rs {
		if labelled[ri] {
			continue
		}
		texts := []string{valueText(r)}
		for _, i := range r.lines {
			texts = append(texts, lines[i].Text)
		}
		for _, t := range texts {
			v, ok := Normalize("document_number", t, dates)
			if !ok || !licnum.Valid(v) {
				continue
			}
			out["document_number"] = Read{Value: v, Raw: t, Conf: r.conf, Box: r.box, Lines: r.lines}
			labelled[ri], rowLabels[ri] = true, "5"
			return ri
		}
	}
	return -1
}

// rowsBetween counts the rows strictly between rows a and b (either
// order) that stand in b's column (inColumn).
func rowsBetween(rs []row, a, b int) int {
	n := 0
	for ri := min(a, b) + 1; ri < max(a, b); ri++ {
		if inColumn(rs, ri, b) {
			n++
		}
	}
	return n
}

// inColumn: row ri is a value row in the labels' column of row ref: it
// starts within three of ref's heights of ref's start and holds more than
// a misread number's text.
func inColumn(rs []row, ri, ref int) bool {
	h := rs[ref].box[3] - rs[ref].box[1]
	return len(strings.TrimSpace(rs[ri].text)) > 2 && math.Abs(rs[ri].box[0]-rs[ref].box[0]) < 3*h
}

// valueText is a row's text without a misread field number: a first line
// of at most two characters before the value ("N" for "2.").
func valueText(r row) string {
	if len(r.starts) > 1 && r.starts[1] <= 4 {
		return r.text[r.starts[1]:]
	}
	return r.text
}

// euSequence is the top-to-bottom order of the numbered rows of an EU
// licence (4c shares the row of 4a; 7, the signature, has no text).
var euSequence = []string{"1", "2", "3", "4a", "4b", "5", "9"}

// sequenceLabelled reports whether a row was labelled with a number of
// the numbered column (euSequence) but 9's: the categories sit apart,
// left of the column, and number none of its rows.
func sequenceLabelled(rowLabels map[int]string) bool {
	for _, l := range rowLabels {
		if l != "9" && slices.Contains(euSequence, l) {
			return true
		}
	}
	return false
}

// fillSequence reads a row whose number was misread ("3." as "m") from its
// place: the one unlabelled row, in the labels' column, between the rows of
// the fields before and after it. A short first line (the misread number)
// is dropped from the value.
func fillSequence(rs []row, labelled []bool, rowLabels map[int]string, out map[string]Read, dates dateOrder) {
	idx := func(l string) int {
		for k, s := range euSequence {
			if s == l {
				return k
			}
		}
		return -1
	}
	var lab []int // labelled rows in the sequence, top to bottom
	for ri := range rs {
		if labelled[ri] && idx(rowLabels[ri]) >= 0 {
			lab = append(lab, ri)
		}
	}
	fill := func(ri, k int) {
		if k < 0 || k >= len(euSequence) {
			return
		}
		r := rs[ri]
		name := euLabels[euSequence[k]]
		if _, done := out[name]; done || name == "" {
			return
		}
		val := valueText(r)
		if name == "birth_date" {
			date, place := splitDatePlace(val)
			if place == "" && placeOnly(rs, ri, lab, val) {
				date, place = "", val
			}
			putBirth(out, r, r.box, date, place, dates)
			return
		}
		if name == "issue_date" {
			date, rest := splitDatePlace(val)
			putIssue(out, r, date, rest, dates)
			return
		}
		if v, ok := Normalize(name, val, dates); ok {
			out[name] = Read{Value: v, Raw: val, Conf: r.conf, Box: r.box, Lines: r.lines}
		}
	}
	// between two labelled rows, as many rows as numbers are missing
	for k := 0; k+1 < len(lab); k++ {
		a, b := lab[k], lab[k+1]
		ka, kb := idx(rowLabels[a]), idx(rowLabels[b])
		if kb-ka < 2 {
			continue
		}
		var between []int
		for ri := a + 1; ri < b; ri++ {
			if inColumn(rs, ri, a) {
				between = append(between, ri)
			}
		}
		if len(between) == kb-ka-1 {
			for n, ri := range between {
				fill(ri, ka+1+n)
			}
			continue
		}
		for ri, k := range byPitch(rs, labelled, a, b, kb-ka) {
			fill(ri, ka+k)
		}
	}
	// above the first labelled row and below the last: the rows that
	// follow on at the rows' pitch (not the header above, nor the
	// categories' row far below), numbered on from the label
	if len(lab) > 0 {
		for _, dir := range []int{-1, 1} {
			ref := lab[0]
			if dir > 0 {
				ref = lab[len(lab)-1]
			}
			k := idx(rowLabels[ref])
			h := rs[ref].box[3] - rs[ref].box[1]
			prev := ref
			for ri := ref + dir; ri >= 0 && ri < len(rs); ri += dir {
				if !inColumn(rs, ri, ref) {
					continue
				}
				gap := rs[prev].box[1] - rs[ri].box[3]
				if dir > 0 {
					gap = rs[ri].box[1] - rs[prev].box[3]
				}
				if labelled[ri] && rowLabels[ri] != "4c" || gap > 1.5*h {
					break // (4c shares 4a's row: that row is 4a's)
				}
				k += dir
				if euSequence[max(0, min(k, len(euSequence)-1))] == "9" {
					break // the categories sit apart, read by their own rule
				}
				fill(ri, k)
				prev = ri
			}
		}
	}
}

// byPitch numbers the unlabelled rows between the labelled rows a and b,
// kab numbers apart, where they are not one to a missing number (a row
// lost, or one that starts off the labels' column: a birth row whose date
// the glare took, its place left): a row whose centre lies within
// pitchSlack of a row pitch (a to b over kab) of a number's place gets
// that number (1 to kab-1, a's on), where it is the only row there.
func byPitch(rs []row, labelled []bool, a, b, kab int) map[int]int {
	ca, cb := (rs[a].box[1]+rs[a].box[3])/2, (rs[b].box[1]+rs[b].box[3])/2
	pitch := (cb - ca) / float64(kab)
	if pitch <= 0 {
		return nil
	}
	at := map[int][]int{}
	for ri := a + 1; ri < b; ri++ {
		if labelled[ri] || len(strings.TrimSpace(rs[ri].text)) <= 2 {
			continue
		}
		t := ((rs[ri].box[1]+rs[ri].box[3])/2 - ca) / pitch
		k := int(math.Round(t))
		if k > 0 && k < kab && math.Abs(t-float64(k)) <= pitchSlack {
			at[k] = append(at[k], ri)
		}
	}
	out := map[int]int{}
	for k, ris := range at {
		if len(ris) == 1 {
			out[ris[0]] = k
		}
	}
	return out
}

// rowPitchBelow is the distance between the centres of row ri and the
// next row below in its column (inColumn) where that lies within two of
// ri's heights (one pitch: no row lost between); 0 where there is none.
func rowPitchBelow(rs []row, ri int) float64 {
	h := rs[ri].box[3] - rs[ri].box[1]
	for k := ri + 1; k < len(rs); k++ {
		if !inColumn(rs, k, ri) {
			continue
		}
		if d := rs[k].cy() - rs[ri].cy(); d > 0 && d <= 2*h {
			return d
		}
		return 0
	}
	return 0
}

// pitchSlack is the most a row's centre may lie off a number's place, in
// row pitches, for byPitch to number it.
const pitchSlack = 0.25

// placeOnly: the birth row ri holds a place and no date: no digit, and it
// starts right of the labels' column (the labelled rows' starts) by more
// than the date's width would leave (four of its heights).
func placeOnly(rs []row, ri int, lab []int, val string) bool {
	if strings.ContainsAny(val, "0123456789") || len(lab) == 0 {
		return false
	}
	col := math.Inf(1)
	for _, l := range lab {
		col = math.Min(col, rs[l].box[0])
	}
	h := rs[ri].box[3] - rs[ri].box[1]
	return rs[ri].box[0]-col > 4*h
}

var knownCategories = map[string]bool{"AM": true, "A1": true, "A2": true, "A": true, "B1": true, "B": true, "C1": true,
	"C": true, "D1": true, "D": true, "BE": true, "C1E": true, "CE": true, "D1E": true, "DE": true, "L": true, "T": true}

// categoryOrder is the order of the categories on an EU licence's field 9
// (Directive 2006/126/EC, Annex I), the national L and T last.
var categoryOrder = map[string]int{"AM": 0, "A1": 1, "A2": 2, "A": 3, "B1": 4, "B": 5, "C1": 6, "C": 7,
	"D1": 8, "D": 9, "BE": 10, "C1E": 11, "CE": 12, "D1E": 13, "DE": 14, "L": 15, "T": 16}

// CategoryOrder lists the driving licence categories in the order of the
// directive (field 9 lists them so).
func CategoryOrder() []string { return slices.Clone(categoriesInOrder) }

// glueOnes takes an L that follows A, B, C or D and comes before a category
// the order puts before L for the 1 of A1, B1, C1 or D1 read as l: blurred
// print reads B1/B as "Bl/B", which splits into B, L and B. An L at the
// row's end, or before T, is the category L.
func glueOnes(cats []string) []string {
	out := make([]string, 0, len(cats))
	for i := 0; i < len(cats); i++ {
		c := cats[i]
		if i+2 < len(cats) && cats[i+1] == "L" && knownCategories[c+"1"] && len(c) == 1 {
			if r, ok := categoryOrder[cats[i+2]]; ok && r < categoryOrder["L"] {
				out = append(out, c+"1")
				i++
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

// categoriesRow reads a row like "AM/A1/B/BE" (at least two categories
// separated by slashes, nothing else), as blurred print reads it: a part
// may hold a misread character (F for E, 8 for B, Z for 2, 0 for D, I or l
// for 1) and two categories whose slash was lost or read I (LT for L/T,
// A2IA for A2/A); each part must come apart into categories so.
func categoriesRow(t string) (string, bool) {
	parts := strings.Split(strings.ReplaceAll(strings.TrimSpace(t), " ", ""), "/")
	if len(parts) < 2 {
		return "", false
	}
	// the field's number glued to the first category ("9A1/A/B1")
	if p := strings.TrimPrefix(strings.TrimPrefix(parts[0], "9"), "."); p != parts[0] && p != "" && p[0] >= 'A' && p[0] <= 'Z' {
		parts[0] = p
	}
	var cats []string
	for _, p := range parts {
		c, ok := splitCategories(strings.ToUpper(p))
		if !ok {
			return "", false
		}
		cats = append(cats, c...)
	}
	return strings.Join(glueOnes(cats), " "), true
}

// categoryChar maps a character misread in a category to the one printed
// (I and l are 1 inside a category; between two they are a slash).
var categoryChar = map[byte]byte{'F': 'E', '8': 'B', 'Z': '2', '0': 'D', 'I': '1'}

// splitCategories splits a part of a categories row into known
// categories, reading its characters as printed or as categoryChar maps
// them, an I or | between two categories taken for a lost slash; the
// split with the fewest changed characters wins.
func splitCategories(p string) ([]string, bool) {
	n := len(p)
	type state struct {
		cost int
		cats []string
		ok   bool
	}
	best := make([]state, n+1)
	best[0] = state{ok: true}
	for i := 0; i < n; i++ {
		if !best[i].ok {
			continue
		}
		relax := func(j, cost int, cats []string) {
			if !best[j].ok || cost < best[j].cost {
				best[j] = state{cost: cost, cats: cats, ok: true}
			}
		}
		if i > 0 && (p[i] == 'I' || p[i] == '|') {
			relax(i+1, best[i].cost+1, best[i].cats)
		}
		for k := 1; k <= 3 && i+k <= n; k++ {
			w, cost := []byte(p[i:i+k]), 0
			for x := range w {
				if knownCategoryPrefix(string(w[:x+1])) {
					continue
				}
				if m, ok := categoryChar[w[x]]; ok && m != w[x] {
					w[x], cost = m, cost+1
				}
			}
			if knownCategories[string(w)] {
				relax(i+k, best[i].cost+cost, append(append([]string(nil), best[i].cats...), string(w)))
			}
		}
	}
	if !best[n].ok || len(best[n].cats) == 0 {
		return nil, false
	}
	return best[n].cats, true
}

// knownCategoryPrefix: s begins a known category.
func knownCategoryPrefix(s string) bool {
	for c := range knownCategories {
		if strings.HasPrefix(c, s) {
			return true
		}
	}
	return false
}

// putBirth stores a birth row's date and place ("14.07.1981 (Utopia
// city)": the place ends at its closing parenthesis); a place already read
// is kept.
func putBirth(out map[string]Read, r row, box [4]float64, date, place string, dates dateOrder) {
	if strings.HasPrefix(place, "(") {
		if k := strings.IndexByte(place, ')'); k > 0 {
			place = place[:k]
		}
	}
	// (a holder is minLicenceAge or older: "02.04.19", the year cut
	// short by glare, is no birth in 2019)
	if v, ok := Normalize("birth_date", date, dates); ok && v < Now().AddDate(-minLicenceAge, 0, 0).Format("2006-01-02") {
		out["birth_date"] = Read{Value: v, Raw: date, Conf: r.conf, Box: box, Lines: r.lines}
	}
	if _, done := out["birth_place"]; !done {
		if v, ok := Normalize("birth_place", place, dates); ok {
			out["birth_place"] = Read{Value: v, Raw: place, Conf: r.conf, Box: box, Lines: r.lines}
		}
	}
}

// putIssue stores an unlabelled 4a row's date and what follows it, the
// authority (4c shares the row, its number dropped); an authority already
// read is kept.
func putIssue(out map[string]Read, r row, date, rest string, dates dateOrder) {
	if v, ok := Normalize("issue_date", date, dates); ok {
		out["issue_date"] = Read{Value: v, Raw: date, Conf: r.conf, Box: r.box, Lines: r.lines}
	}
	rest = strings.TrimSpace(authorityLabelRE.ReplaceAllString(rest, ""))
	if _, done := out["issuing_authority"]; !done && rest != "" {
		if v, ok := Normalize("issuing_authority", rest, dates); ok {
			out["issuing_authority"] = Read{Value: v, Raw: rest, Conf: r.conf, Box: r.box, Lines: r.lines}
		}
	}
}

// issueRestRE finds, in the value of field 4a, a word after the date: a
// capitalised word of three letters or more (a letter misread in the date,
// 2O.07.2020, is not one).
var issueRestRE = regexp.MustCompile(`[\d\.]\s*(\p{Lu}\p{Ll}{2,}|\p{Lu}{3,})`)

// authorityOnlyRE is a value of field 4a that holds no digit and opens
// with a capitalised word of three letters or more: an authority whose
// row lost the date and 4c's number.
var authorityOnlyRE = regexp.MustCompile(`^(?:\p{Lu}\p{Ll}{2,}|\p{Lu}{3,})[^\d]*$`)

// LicenceTerm is the longest an EU card licence is valid, in years
// (Directive 2006/126/EC: 10 or 15 for categories A and B), and the term
// of a German or French card licence.
const LicenceTerm = 15

// minLicenceAge is the least age at which a driving licence is issued
// (AM from 15 in some EU states): a date this recent is no birth date.
const minLicenceAge = 15

// authorityLabelRE is field 4c's number before the authority.
var authorityLabelRE = regexp.MustCompile(`^\s*4\s?[cC]\s?[\.,:]?\s*`)

// dateStartRE is a row opening with a date, its separators possibly lost
// (23.041974) or read as colons (a blurred stop).
var dateStartRE = regexp.MustCompile(`^\s*\d{1,2}[\.\-/ :]?\d{1,2}[\.\-/ :]?\d{2,4}\b`)

// gluedWordRE is a digit followed by a word of three letters or more
// without a space between (a date and the place after it).
var gluedWordRE = regexp.MustCompile(`(\d)(\p{Lu}{3,}|\p{Lu}\p{Ll}{2,})`)

var dateRE = regexp.MustCompile(`\d{1,2}\s?[\.\-/]\s?\d{1,2}\s?[\.\-/]\s?\d{2,4}`)

// openingDate locates the date a row opens with: a whole date where its
// digits read as letters are taken for digits ("26.10.195B MUNCHEN": the
// date reaches the B, not dateStartRE's "26.10"), else the start of one,
// read the same way where it holds minDateDigits digits as read
// ("3010.197S MAINZ": the date reaches the S, not "3010"; a name such as
// BOSS is no date). fixDigits maps bytes one to one: offsets hold for t.
func openingDate(t string) []int {
	ft := fixDigits(t)
	if loc := dateRE.FindStringIndex(ft); loc != nil && strings.TrimSpace(t[:loc[0]]) == "" {
		return loc
	}
	if loc := dateStartRE.FindStringIndex(ft); loc != nil && digitCount(t[loc[0]:loc[1]]) >= minDateDigits {
		return loc
	}
	return dateStartRE.FindStringIndex(t)
}

// minDateDigits is the fewest digits, as read, of a date that opens a row
// with some of its digits read as letters (openingDate).
const minDateDigits = 4

// splitDatePlace splits "14.07.1981 (Utopia city)" into date and place,
// also where the date opens the text with a separator lost (11.022015
// Préfecture de Brest) and where the space before the place was lost
// (2107.1994ESSEN).
func splitDatePlace(s string) (string, string) {
	s = gluedWordRE.ReplaceAllString(s, "$1 $2")
	// fixDigits maps bytes one to one: offsets hold for the original
	fs := fixDigits(s)
	loc := dateRE.FindStringIndex(fs)
	if loc == nil {
		loc = dateStartRE.FindStringIndex(fs)
	}
	if loc == nil && len(fs) == len(s) {
		// a date the glare or blur left a few digits of ("965 HANNOVER"
		// for 19.07.1965 HANNOVER): the place after them still reads
		if m := brokenDateRE.FindStringSubmatchIndex(s); m != nil {
			return strings.TrimSpace(s[:m[2]]), strings.TrimSpace(s[m[2]:])
		}
	}
	if loc == nil || len(fs) != len(s) {
		return s, ""
	}
	return s[loc[0]:loc[1]], strings.TrimSpace(s[loc[1]:])
}

// brokenDateRE: digits and date separators, then, after a space, a word
// of three letters or more.
var brokenDateRE = regexp.MustCompile(`^[\s\d.,:/\-]*\d[\d.,:/\-]*\s+(\p{L}{3,}.*)$`)

// labelled passport/ID layouts (other than the German ID front): a value is
// the line under a label naming the field.
var labelNames = []labelPhrase{
	{"SURNAME", "surname"}, {"NAME", "surname"}, {"GIVEN NAMES", "given_names"}, {"VORNAMEN", "given_names"},
	{"DATE OF BIRTH", "birth_date"}, {"GEBURTSTAG", "birth_date"}, {"PLACE OF BIRTH", "birth_place"},
	{"GEBURTSORT", "birth_place"}, {"DATE OF EXPIRY", "expiry_date"}, {"GULTIG BIS", "expiry_date"},
	{"NATIONALITY", "nationality"}, {"PASSPORT NO", "document_number"}, {"PASS-NR", "document_number"},
	{"DOCUMENT NO", "document_number"}, {"DATE OF ISSUE", "issue_date"}, {"AUTHORITY", "issuing_authority"},
	{"BEHORDE", "issuing_authority"},
}

// fieldLabels are words of the printed field labels (German, English,
// French) that no name, place or date holds.
var fieldLabels = []string{"SURNAME", "GIVEN NAME", "VORNAME", "GEBURTSNAME", "NAME AT BIRTH", "NOM DE NAISSANCE",
	"DATE OF BIRTH", "DATEOF", "GEBURTSTAG", "PLACE OF BIRTH", "PLACEOF", "GEBURTSORT", "DATE OF EXPIRY", "GULTIG BIS",
	"NATIONALITY", "NATIONALITE", "STAATSANGEH", "PRENOMS", "DATE DE NAISSANCE", "LIEU DE NAISSANCE",
	"DATE D'EXPIRATION", "ZUGANGSNUMMER", "CARD ACCESS"}

// isFieldLabel reports whether a recognized line is (part of) a field label.
func isFieldLabel(text string) bool {
	t := fold(text)
	for _, l := range fieldLabels {
		if strings.Contains(t, l) {
			return true
		}
	}
	return false
}

func readLabelled(lines []Line) map[string]Read {
	// the nearest line below, starting near the label's left edge
	return underLabels(lines, labelNames, dmyOrder, nil, 4, func(Line, int) bool { return true })
}

// Alphabets returns, per field, the characters the printed value can hold
// when its line holds nothing else (the German ID card's template fields):
// the recognizer re-decodes those lines restricted to them.
func Alphabets(docType, country string) map[string]string {
	if docType == IDCard && (country == "DE" || country == "") {
		return map[string]string{
			// German card numbers avoid vowels and B, D, Q, S
			"document_number": "0123456789CFGHJKLMNPRTVWXYZ",
			"can":             "0123456789",
			"birth_date":      "0123456789.",
			"expiry_date":     "0123456789.",
		}
	}
	return nil
}

// Patterns returns, per field of a fixed length, the characters each of
// its places can hold (of the fields Alphabets lists): a German ID card's
// number is nine characters of its alphabet, its CAN six digits, its dates
// DD.MM.YYYY. A reading of another length drops or doubles a character,
// and the recognizer's output is decoded again as the pattern.
func Patterns(docType, country string) map[string][]string {
	al := Alphabets(docType, country)
	if al == nil {
		return nil
	}
	const d = "0123456789"
	date := []string{d, d, ".", d, d, ".", d, d, d, d}
	return map[string][]string{
		"document_number": slices.Repeat([]string{al["document_number"]}, 9),
		"can":             slices.Repeat([]string{d}, 6),
		"birth_date":      date,
		"expiry_date":     date,
	}
}

// NeedsReading tells, before a line is recognized, whether its position can
// hold a field of the layout: for the German ID card front only lines near
// a template slot (the long trilingual labels between them are never read;
// they cost most of the recognition time); every line for other layouts.
func NeedsReading(docType, country string, l Line, w, h int) bool {
	if docType != IDCard || country != "DE" && country != "" {
		return true
	}
	tol := 0.030 * float64(h)
	for _, s := range deIDFront {
		if math.Abs(l.cy()-s.cy*float64(h)) <= tol && l.Box[2] >= s.x0*float64(w)-0.02*float64(w) && l.Box[0] <= s.x1*float64(w) {
			return true
		}
	}
	return false
}
