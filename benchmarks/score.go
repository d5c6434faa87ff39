package benchmarks

import (
	"encoding/json"
	"errors"
	"math"
	"sort"
	"strings"
	"time"
	"unicode"

	"docscan/mrz"
)

// Metric names. Rates count hits over the entries (or fields) they apply to;
// see Metrics for what each one means and which entries it applies to.
const (
	PlateRead          = "plate_read"
	PlateSplit         = "plate_split"
	TextDetRecall      = "text_det_recall"
	MRZFalsePositive   = "mrz_false_positive"
	MRZExact           = "mrz_exact"
	MRZCharAcc         = "mrz_char_acc"
	MRZFalseAccept     = "mrz_false_accept"
	PlateFalsePositive = "plate_false_positive"
	FieldAcc           = "field_acc"
	FieldsAll          = "fields_all"
	DocType            = "doc_type"
	CornerHit          = "corner_hit"
	CornerErr          = "corner_err"
)

// MetricDef describes one metric.
type MetricDef struct {
	Name string `json:"name"`
	// Short is the column header used in tables and charts.
	Short string `json:"short"`
	// AppliesTo says which entries are counted.
	AppliesTo string `json:"applies_to"`
	// Desc is the definition in one sentence.
	Desc string `json:"desc"`
	// LowerIsBetter marks error rates (false positives, corner error).
	LowerIsBetter bool `json:"lower_is_better"`
	// Mean marks a mean of per-entry values rather than a count of hits.
	Mean bool `json:"mean"`
}

// Metrics lists every metric in report column order.
var Metrics = append([]MetricDef{
	{PlateRead, "plate read", "plate entries",
		"the first plate record's text equals truth.plate, ignoring case and separators, O and 0 counted equal", false, false},
	{PlateSplit, "plate split", "plate entries read exactly whose truth has parts",
		"the first plate record's parts.district and parts.letters equal truth.parts' (the district/letters boundary, B-NO 1234 against BN-O 1234)", false, false},
	{TextDetRecall, "text det recall", "plate entries with a bbox",
		"some text or plate record's quad (or the union of the text quads centred inside the bbox) has a bounding box that covers >= 50% of the bbox area and is at most 4x its area", false, false},
	{MRZFalsePositive, "MRZ FP", "plate entries",
		"an MRZ record was returned for a plate photo", true, false},
	{MRZExact, "MRZ exact", "entries whose truth has mrz",
		"some MRZ record has lines identical to the truth lines and valid=true; where the truth lines themselves fail the ICAO checks (a specimen with a made-up state or a wrong check digit), valid=false", false, false},
	{MRZCharAcc, "MRZ char acc", "entries whose truth has mrz",
		"mean over entries of the best MRZ record's 1 - edit distance / truth length (lines joined by newlines); 0 when there is no MRZ record", false, true},
	{MRZFalseAccept, "MRZ false accept", "entries whose truth has mrz",
		"some MRZ record has valid=true but lines that differ from the truth", true, false},
	{PlateFalsePositive, "plate FP", "entries of kinds other than plate",
		"a plate record was returned for a document photo", true, false},
	{FieldAcc, "field acc", "truth fields of licence/document entries",
		"share of truth fields whose value was read exactly (dates as dates, case and spaces ignored)", false, false},
	{FieldsAll, "all fields", "licence/document entries with truth fields",
		"every truth field of the entry was read exactly", false, false},
	{DocType, "doc type", "entries whose truth has document_type",
		"the first document (else MRZ) record's document_type equals the truth", false, false},
	{CornerHit, "corners ok", "entries whose truth has a quad",
		"a document record's quad has a mean corner error <= 5% of the truth quad's diagonal", false, false},
	{CornerErr, "corner err", "entries whose truth has a quad and a document quad was found",
		"mean corner distance / truth diagonal (best of the four cyclic corner orders)", true, true},
}, documentMetrics...)

// MetricByName returns the definition of a metric.
func MetricByName(name string) (MetricDef, bool) {
	for _, m := range Metrics {
		if m.Name == name {
			return m, true
		}
	}
	return MetricDef{}, false
}

// Stat accumulates one metric: Sum of per-entry values (hits for rates) over
// N entries (or fields, for field_acc).
type Stat struct {
	Sum float64 `json:"sum"`
	N   int     `json:"n"`
}

// Value is Sum/N, or NaN when N is 0.
func (s Stat) Value() float64 {
	if s.N == 0 {
		return math.NaN()
	}
	return s.Sum / float64(s.N)
}

// MarshalJSON adds the value.
func (s Stat) MarshalJSON() ([]byte, error) {
	v := s.Value()
	var vp *float64
	if !math.IsNaN(v) {
		v = math.Round(v*1e6) / 1e6
		vp = &v
	}
	return json.Marshal(struct {
		Value *float64 `json:"value"`
		Sum   float64  `json:"sum"`
		N     int      `json:"n"`
	}{vp, s.Sum, s.N})
}

func (s *Stat) add(o Stat) { s.Sum += o.Sum; s.N += o.N }

// Scores are the metrics of one entry.
type Scores struct {
	Metrics map[string]Stat `json:"metrics"`
	// FieldMisses are the truth fields (by their manifest name) not read.
	FieldMisses []string `json:"field_misses,omitempty"`
}

func (s *Scores) set(name string, v float64) { s.Metrics[name] = Stat{Sum: v, N: 1} }

func (s *Scores) hit(name string, ok bool) {
	v := 0.0
	if ok {
		v = 1
	}
	s.set(name, v)
}

// Missed reports whether any metric is worse than perfect.
func (s *Scores) Missed() bool {
	for name, st := range s.Metrics {
		def, _ := MetricByName(name)
		v := st.Value()
		if math.IsNaN(v) {
			continue
		}
		if def.Name == CornerErr {
			continue // corner_hit carries the verdict
		}
		if def.LowerIsBetter && v > 0 || !def.LowerIsBetter && v < 1 {
			return true
		}
	}
	return false
}

// record is the generic view of any record: the fields scoring reads.
type record struct {
	Kind         string                     `json:"kind"`
	Text         string                     `json:"text"`
	Lines        []string                   `json:"lines"`
	Valid        *bool                      `json:"valid"`
	Quad         [][2]float64               `json:"quad"`
	Fields       map[string]json.RawMessage `json:"fields"`
	DocumentType string                     `json:"document_type"`
	Country      string                     `json:"country"`
	Parts        PlateParts                 `json:"parts"`
}

// decodeRecords marshals each record and reads the generic fields. A field
// of an unexpected type is left empty; the rest of the record still counts.
func decodeRecords(recs []Record) []record {
	out := make([]record, 0, len(recs))
	for _, r := range recs {
		b, err := json.Marshal(r)
		if err != nil {
			continue
		}
		var g record
		if err := json.Unmarshal(b, &g); err != nil {
			var te *json.UnmarshalTypeError
			if !errors.As(err, &te) {
				continue
			}
		}
		out = append(out, g)
	}
	return out
}

// Score scores one scan result against its entry's truth. A nil result
// (a failed scan) scores as a scan that found nothing.
func Score(e *Entry, res *Result) Scores {
	var recs []record
	if res != nil {
		recs = decodeRecords(res.Records)
	}
	s := scoreRecords(e, recs)
	scoreDocument(e, res, recs, &s)
	return s
}

func scoreRecords(e *Entry, recs []record) Scores {
	s := Scores{Metrics: map[string]Stat{}}
	byKind := func(kinds ...string) []record {
		var out []record
		for _, r := range recs {
			for _, k := range kinds {
				if r.Kind == k {
					out = append(out, r)
					break
				}
			}
		}
		return out
	}
	plates := byKind("plate")
	mrzs := byKind("mrz")

	if e.Kind == "plate" {
		if e.Truth.Plate != "" {
			read := len(plates) > 0 && PlateEqual(plates[0].Text, e.Truth.Plate)
			s.hit(PlateRead, read)
			if p := e.Truth.Parts; read && p != nil && p.District != "" {
				got := plates[0].Parts
				s.hit(PlateSplit, strings.EqualFold(got.District, p.District) && strings.EqualFold(got.Letters, p.Letters))
			}
		}
		if e.BBox != nil {
			s.hit(TextDetRecall, detected(byKind("text", "plate"), *e.BBox))
		}
		s.hit(MRZFalsePositive, len(mrzs) > 0)
	} else {
		s.hit(PlateFalsePositive, len(plates) > 0)
	}

	if len(e.Truth.MRZ) > 0 {
		exact, falseAccept, best := false, false, 0.0
		// A reader that reads invalid printed lines exactly must say so:
		// valid=true there would be a false acceptance of the print.
		truthValid := false
		if t, err := mrz.Parse(e.Truth.MRZ, mrz.Options{}); err == nil {
			truthValid = t.Valid
		}
		for _, r := range mrzs {
			same := linesEqual(r.Lines, e.Truth.MRZ)
			valid := r.Valid != nil && *r.Valid
			exact = exact || same && valid == truthValid
			falseAccept = falseAccept || !same && valid
			best = math.Max(best, CharAccuracy(r.Lines, e.Truth.MRZ))
		}
		s.hit(MRZExact, exact)
		s.hit(MRZFalseAccept, falseAccept)
		s.set(MRZCharAcc, best)
	}

	if len(e.Truth.Fields) > 0 {
		got := collectFields(append(byKind("document"), mrzs...))
		hits := 0
		for name, want := range e.Truth.Fields {
			if v, ok := got[canonicalField(name)]; ok && FieldEqual(name, v, want) {
				hits++
			} else {
				s.FieldMisses = append(s.FieldMisses, name)
			}
		}
		sort.Strings(s.FieldMisses)
		s.Metrics[FieldAcc] = Stat{Sum: float64(hits), N: len(e.Truth.Fields)}
		s.hit(FieldsAll, hits == len(e.Truth.Fields))
	}

	if e.Truth.DocumentType != "" {
		got := ""
		for _, r := range append(byKind("document"), mrzs...) {
			if r.DocumentType != "" {
				got = r.DocumentType
				break
			}
		}
		s.hit(DocType, got != "" && normDocType(got) == normDocType(e.Truth.DocumentType))
	}

	if len(e.Truth.Quad) == 4 {
		found := false
		for _, r := range byKind("document") {
			if len(r.Quad) == 4 && quadArea(r.Quad) > 0 {
				err := CornerError(r.Quad, e.Truth.Quad)
				s.set(CornerErr, err)
				s.hit(CornerHit, err <= 0.05)
				found = true
				break
			}
		}
		if !found {
			s.hit(CornerHit, false)
		}
	}
	return s
}

// PlateEqual compares plate texts: case-insensitive, only letters and digits
// count (separators dropped), and the letter O equals the digit 0.
func PlateEqual(got, want string) bool {
	g, w := normPlate(got), normPlate(want)
	return g != "" && g == w
}

func normPlate(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == 'O':
			b.WriteRune('0')
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

func linesEqual(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if strings.TrimSpace(got[i]) != strings.TrimSpace(want[i]) {
			return false
		}
	}
	return true
}

// CharAccuracy is 1 - Levenshtein(got, want) / len(want) over the lines
// joined by newlines, in runes, clamped to [0, 1].
func CharAccuracy(got, want []string) float64 {
	w := []rune(strings.Join(want, "\n"))
	if len(w) == 0 {
		return 0
	}
	g := []rune(strings.Join(got, "\n"))
	acc := 1 - float64(levenshtein(g, w))/float64(len(w))
	return math.Max(0, acc)
}

func levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// box is an axis-aligned rectangle [x0,x1) x [y0,y1).
type box struct{ x0, y0, x1, y1 float64 }

func (b box) area() float64 { return math.Max(0, b.x1-b.x0) * math.Max(0, b.y1-b.y0) }

func (b box) intersect(o box) box {
	return box{math.Max(b.x0, o.x0), math.Max(b.y0, o.y0), math.Min(b.x1, o.x1), math.Min(b.y1, o.y1)}
}

func (b box) union(o box) box {
	return box{math.Min(b.x0, o.x0), math.Min(b.y0, o.y0), math.Max(b.x1, o.x1), math.Max(b.y1, o.y1)}
}

func quadBox(q [][2]float64) box {
	b := box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, p := range q {
		b.x0, b.y0 = math.Min(b.x0, p[0]), math.Min(b.y0, p[1])
		b.x1, b.y1 = math.Max(b.x1, p[0]), math.Max(b.y1, p[1])
	}
	return b
}

// BoxMatches is the text detection criterion: the predicted quad's bounding
// box covers at least half of the truth box's area, and its own area is at
// most 4 times the truth box's (so a region that swallows the whole car is
// not a plate detection; together these imply IoU >= 0.1).
func BoxMatches(quad [][2]float64, truth BBox) bool {
	if len(quad) < 3 {
		return false
	}
	return boxMatches(quadBox(quad), truthBox(truth))
}

func truthBox(t BBox) box { return box{t.X, t.Y, t.X + t.W, t.Y + t.H} }

func boxMatches(p, t box) bool {
	ta, pa := t.area(), p.area()
	if ta <= 0 || pa <= 0 {
		return false
	}
	return p.intersect(t).area() >= 0.5*ta && pa <= 4*ta
}

// detected reports whether some record's quad matches the truth box, or the
// union of the text quads whose centres lie inside the box does (a plate
// read as two text regions).
func detected(recs []record, truth BBox) bool {
	t := truthBox(truth)
	var merged box
	n := 0
	for _, r := range recs {
		if len(r.Quad) < 3 {
			continue
		}
		b := quadBox(r.Quad)
		if boxMatches(b, t) {
			return true
		}
		cx, cy := (b.x0+b.x1)/2, (b.y0+b.y1)/2
		if cx >= t.x0 && cx <= t.x1 && cy >= t.y0 && cy <= t.y1 {
			if n == 0 {
				merged = b
			} else {
				merged = merged.union(b)
			}
			n++
		}
	}
	return n > 1 && boxMatches(merged, t)
}

func quadArea(q [][2]float64) float64 {
	a := 0.0
	for i := range q {
		j := (i + 1) % len(q)
		a += q[i][0]*q[j][1] - q[j][0]*q[i][1]
	}
	return math.Abs(a) / 2
}

// CornerError is the mean distance between corresponding corners divided by
// the mean length of the truth quad's diagonals, minimised over the four
// cyclic orders of the predicted corners (a document read upside down still
// has its corners found). Both quads must have 4 corners.
func CornerError(got, want [][2]float64) float64 {
	if len(got) != 4 || len(want) != 4 {
		return math.Inf(1)
	}
	diag := (math.Hypot(want[2][0]-want[0][0], want[2][1]-want[0][1]) +
		math.Hypot(want[3][0]-want[1][0], want[3][1]-want[1][1])) / 2
	if diag <= 0 {
		return math.Inf(1)
	}
	best := math.Inf(1)
	for shift := 0; shift < 4; shift++ {
		sum := 0.0
		for i := 0; i < 4; i++ {
			g := got[(i+shift)%4]
			sum += math.Hypot(g[0]-want[i][0], g[1]-want[i][1])
		}
		best = math.Min(best, sum/4/diag)
	}
	return best
}

func normDocType(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.ReplaceAll(s, "license", "licence")
	return strings.ReplaceAll(s, " ", "_")
}

// fieldAliases maps field names used by manifests and records to one name.
var fieldAliases = map[string]string{
	"last_name":            "surname",
	"family_name":          "surname",
	"primary_identifier":   "surname",
	"first_name":           "given_names",
	"first_names":          "given_names",
	"given_name":           "given_names",
	"forenames":            "given_names",
	"secondary_identifier": "given_names",
	"date_of_birth":        "birth_date",
	"dob":                  "birth_date",
	"date_of_expiry":       "expiry_date",
	"expiration_date":      "expiry_date",
	"valid_until":          "expiry_date",
	"date_of_issue":        "issue_date",
	"document_id":          "document_number",
	"license_id":           "document_number",
	"licence_id":           "document_number",
	"license_number":       "document_number",
	"licence_number":       "document_number",
	"id_number":            "document_number",
	"class_":               "categories",
	"class":                "categories",
	"classes":              "categories",
	"place_of_birth":       "birth_place",
}

func canonicalField(name string) string {
	n := strings.ToLower(strings.TrimSpace(name))
	if a, ok := fieldAliases[n]; ok {
		return a
	}
	return n
}

// collectFields gathers field values from records in order: for each
// canonical field name the first record that has it wins. A record's
// top-level "country" counts as field country.
func collectFields(recs []record) map[string]string {
	out := map[string]string{}
	for _, r := range recs {
		for name, raw := range r.Fields {
			c := canonicalField(name)
			if _, done := out[c]; done {
				continue
			}
			if v, ok := fieldString(raw); ok && v != "" {
				out[c] = v
			}
		}
		if _, done := out["country"]; !done && r.Country != "" {
			out["country"] = r.Country
		}
	}
	return out
}

// FieldEqual compares a read field value with the truth. Dates (the truth is
// an ISO date, or the field name says date) are compared as dates, whatever
// layout was read; other values ignoring case, white space and MRZ fillers.
func FieldEqual(name, got, want string) bool {
	if canonicalField(name) == "categories" {
		return sameCategories(got, want)
	}
	if isDateField(name, want) {
		if wd := parseDates(want); len(wd) > 0 {
			return datesMatch(parseDates(got), wd)
		}
	}
	return normText(got) == normText(want)
}

func normText(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r == '<' || unicode.IsSpace(r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isDateField(name, truth string) bool {
	n := strings.ToLower(name)
	if strings.Contains(n, "date") || n == "dob" || strings.HasSuffix(n, "_until") {
		return true
	}
	_, err := time.Parse("2006-01-02", strings.TrimSpace(truth))
	return err == nil
}

type ymd struct {
	y, m, d  int
	twoDigit bool
}

var dateLayouts4 = []string{
	"2006-01-02", "2006/01/02", "2006.01.02", "20060102",
	"02.01.2006", "02/01/2006", "01/02/2006", "02-01-2006", "01-02-2006",
	"2.1.2006", "1/2/2006", "2/1/2006",
	"02 Jan 2006", "2 Jan 2006", "02 January 2006", "2 January 2006",
	"Jan 2, 2006", "January 2, 2006",
}

var dateLayouts2 = []string{
	"060102", "02.01.06", "02/01/06", "01/02/06", "02-01-06", "01-02-06",
}

func parseDates(s string) []ymd {
	s = strings.TrimSpace(s)
	var out []ymd
	for _, l := range dateLayouts4 {
		if t, err := time.Parse(l, s); err == nil {
			out = append(out, ymd{t.Year(), int(t.Month()), t.Day(), false})
		}
	}
	for _, l := range dateLayouts2 {
		if t, err := time.Parse(l, s); err == nil {
			out = append(out, ymd{t.Year(), int(t.Month()), t.Day(), true})
		}
	}
	return out
}

// datesMatch reports whether any reading of got equals any reading of want;
// a two-digit year matches on its last two digits.
func datesMatch(got, want []ymd) bool {
	for _, g := range got {
		for _, w := range want {
			if g.m != w.m || g.d != w.d {
				continue
			}
			if g.y == w.y || (g.twoDigit || w.twoDigit) && g.y%100 == w.y%100 {
				return true
			}
		}
	}
	return false
}
