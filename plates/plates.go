// Package plates parses and ranks licence plate text as read by OCR.
//
// It knows the full German grammar (district codes from the project's own table in
// districts.txt, 1-2 letters, 1-4 digits without leading zero, the 8-character limit, E/H
// suffixes, seasonal plates, red 05/06/07 plates, Bundeswehr, NATO, THW, Bundespolizei,
// federal and state government codes, diplomatic 0-plates) and the plate formats of the
// neighbours NL (all sidecodes), FR (SIV and FNI), BE, PL, CH, CZ, AT and SK, Brazil
// (grey and Mercosul plates) and the common US passenger formats, with a generic
// fallback. See README.md for the rules chosen where sources disagree and
// CONFORMANCE.md for the conformance figure.
//
// Input conventions: separators may be spaces or hyphens (runs count as one) or missing;
// lower case is accepted; umlauts are kept. A separator is a hard split hint: a part
// boundary can fall where there is no separator only between a letter and a digit, and
// on German plates the district/letters boundary (the seal gap) must be marked whenever
// the input carries any separator at all. So "B NO 1234" is B-NO 1234 and "BN O 1234" is
// BN-O 1234, while "BNO1234" without any separator is ambiguous (valid=false,
// ambiguous=true, both splits in candidates).
//
// Country guessing (Options.Country == ""): the grammars are tried in the order DE, NL,
// FR, BE, CH, AT, PL, CZ, SK, BR, US and the first valid reading wins, so a text that is a valid
// German plate is German. If no grammar gives a valid reading, the first grammar with a
// structurally fitting but invalid reading is returned (valid=false); if none fits at
// all, Parse returns a generic record together with an error wrapping ErrNoFormat.
package plates

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// ErrNoFormat is returned (wrapped) when no known plate format fits the text.
var ErrNoFormat = errors.New("plates: no known plate format fits")

// Options select the grammar.
type Options struct {
	// Country is an ISO 3166-1 alpha-2 code ("DE", "NL", "FR", "BE", "PL", "CH", "CZ",
	// "AT", "SK", "BR", "US"); "" guesses (see the package documentation for the order).
	Country string
	// Prefer, when Country is "", is tried before the others when guessing
	// (the region a deployment or a request expects: "US" makes 5DJ0529 the
	// Californian plate rather than a Polish one). Rank also weighs a reading
	// of another country well below one of the preferred country (foreignPen).
	// Where the US is named (Country or Prefer), a text no grammar fits is
	// still an American plate of 2-7 letters and digits (format "us-other":
	// vanity plates and the states' other series), ranked below the listed
	// formats.
	Prefer string
	// Band: the plate shows the blue EU band at its left end. When guessing
	// (Country ""), the countries whose plates carry none (noBand: the US,
	// Brazil, Switzerland) are not tried, nor is the American free form.
	Band bool
}

// noBand lists the grammars' countries whose plates carry no EU band.
var noBand = map[string]bool{"US": true, "BR": true, "CH": true}

// Parts are the structured parts of a plate. German plates fill District, Letters,
// Digits and Suffix; other countries fill what fits (District is the region, canton or
// département code where the format has one) and list the printed groups in Groups.
type Parts struct {
	District string   `json:"district"`
	Letters  string   `json:"letters"`
	Digits   string   `json:"digits"`
	Suffix   string   `json:"suffix"`
	Season   string   `json:"season,omitempty"` // German seasonal plates: "MM-MM"
	Groups   []string `json:"groups,omitempty"`
}

// Candidate is one ranked alternative reading.
type Candidate struct {
	Text       string  `json:"text"`
	Display    string  `json:"display,omitempty"`
	Confidence float64 `json:"confidence"`
}

// Record is a plate record as defined in CONTRACT.md.
type Record struct {
	Kind         string         `json:"kind"`
	Text         string         `json:"text"`
	Display      string         `json:"display"`
	Country      string         `json:"country"`
	Format       string         `json:"format,omitempty"`
	Series       string         `json:"series,omitempty"`
	Parts        Parts          `json:"parts"`
	DistrictName string         `json:"district_name,omitempty"`
	Valid        bool           `json:"valid"`
	Ambiguous    bool           `json:"ambiguous,omitempty"`
	Reason       string         `json:"reason,omitempty"`
	Confidence   float64        `json:"confidence"`
	Candidates   []Candidate    `json:"candidates"`
	Quad         *[4][2]float64 `json:"quad,omitempty"`
}

// input is normalised plate text: upper-case alphanumeric runes with split hints.
type input struct {
	runes []rune // letters (incl. umlauts) and digits, upper case
	hint  []bool // hint[i]: a separator was seen before runes[i] (i>0)
	any   bool   // at least one separator between runes
}

func (in *input) text() string { return string(in.runes) }

// tokens returns the groups split at the hints.
func (in *input) tokens() []string {
	var out []string
	start := 0
	for i := 1; i <= len(in.runes); i++ {
		if i == len(in.runes) || in.hint[i] {
			out = append(out, string(in.runes[start:i]))
			start = i
		}
	}
	return out
}

// hintsOnlyAt reports whether every hint falls on one of the given boundaries.
func (in *input) hintsOnlyAt(bounds ...int) bool {
	for i := 1; i < len(in.runes); i++ {
		if !in.hint[i] {
			continue
		}
		ok := false
		for _, b := range bounds {
			if b == i {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func isSep(r rune) bool { return r == ' ' || r == '-' || r == '\t' || r == '–' }

func isLetter(r rune) bool { return r >= 'A' && r <= 'Z' }
func isUmlaut(r rune) bool { return r == 'Ä' || r == 'Ö' || r == 'Ü' }
func isDigit(r rune) bool  { return r >= '0' && r <= '9' }

// normalize upper-cases text and splits it into runes and hints. Characters other than
// letters, digits and separators make it fail.
func normalize(text string) (*input, error) {
	in := &input{}
	pending := false
	for _, r := range text {
		if isSep(r) {
			pending = true
			continue
		}
		r = unicode.ToUpper(r)
		if r == 'ß' {
			return nil, fmt.Errorf("%w: character %q", ErrNoFormat, r)
		}
		if !isLetter(r) && !isDigit(r) && !isUmlaut(r) {
			return nil, fmt.Errorf("%w: character %q", ErrNoFormat, r)
		}
		h := pending && len(in.runes) > 0
		if h {
			in.any = true
		}
		in.runes = append(in.runes, r)
		in.hint = append(in.hint, h)
		pending = false
	}
	return in, nil
}

type grammar struct {
	country string
	parse   func(in *input) []*Record // valid and structurally fitting invalid readings
}

var grammars = []grammar{
	{"DE", parseDE},
	{"NL", parseNL},
	{"FR", parseFR},
	{"BE", parseBE},
	{"CH", parseCH},
	{"AT", parseAT},
	{"PL", parsePL},
	{"CZ", parseCZ},
	{"SK", parseSK},
	{"BR", parseBR},
	{"US", parseUS},
}

// Parse parses plate text as read by OCR. On ErrNoFormat it still returns a generic
// record (format "generic", valid=false) so callers can show what was read.
func Parse(text string, opts Options) (*Record, error) {
	country := strings.ToUpper(strings.TrimSpace(opts.Country))
	in, err := normalize(text)
	if err != nil {
		return genericRecord(text, country), err
	}
	if len(in.runes) == 0 {
		return genericRecord(text, country), fmt.Errorf("%w: empty text", ErrNoFormat)
	}
	var firstInvalid *Record
	found := false
	for _, g := range ordered(strings.ToUpper(strings.TrimSpace(opts.Prefer))) {
		if country != "" && g.country != country || country == "" && opts.Band && noBand[g.country] {
			continue
		}
		found = true
		rec := pick(g.parse(in))
		if rec == nil {
			continue
		}
		if rec.Valid {
			return rec, nil
		}
		if firstInvalid == nil {
			firstInvalid = rec
		}
	}
	if country != "" && !found {
		return genericRecord(text, country), fmt.Errorf("%w: unsupported country %q", ErrNoFormat, country)
	}
	if us := country == "US" || (country == "" && !opts.Band && strings.EqualFold(strings.TrimSpace(opts.Prefer), "US")); us {
		if r := usOther(in); r != nil {
			return r, nil
		}
	}
	if firstInvalid != nil {
		return firstInvalid, nil
	}
	return genericRecord(text, country), fmt.Errorf("%w: %q", ErrNoFormat, text)
}

// ordered is the grammars with the preferred country's first.
func ordered(prefer string) []grammar {
	if prefer == "" {
		return grammars
	}
	out := make([]grammar, 0, len(grammars))
	for _, g := range grammars {
		if g.country == prefer {
			out = append(out, g)
		}
	}
	for _, g := range grammars {
		if g.country != prefer {
			out = append(out, g)
		}
	}
	return out
}

// pick chooses among the readings of one grammar: the single valid one, an ambiguous
// record when several distinct valid splits exist, else the first invalid one.
func pick(recs []*Record) *Record {
	var valid []*Record
	var invalid *Record
	seen := map[string]bool{}
	for _, r := range recs {
		if r.Valid {
			if !seen[r.Display] {
				seen[r.Display] = true
				valid = append(valid, r)
			}
		} else if invalid == nil {
			invalid = r
		}
	}
	switch {
	case len(valid) == 1:
		r := valid[0]
		r.Confidence = 1
		r.Candidates = []Candidate{{Text: r.Text, Display: r.Display, Confidence: 1}}
		return r
	case len(valid) > 1:
		r := *valid[0]
		r.Valid = false
		r.Ambiguous = true
		r.Display = r.Text
		r.Reason = "ambiguous split without separator"
		r.Confidence = 0
		r.Candidates = nil
		for _, v := range valid {
			r.Candidates = append(r.Candidates, Candidate{Text: v.Text, Display: v.Display, Confidence: 1 / float64(len(valid))})
		}
		return &r
	case invalid != nil:
		invalid.Confidence = 0
		invalid.Candidates = []Candidate{{Text: invalid.Text, Display: invalid.Display, Confidence: 0}}
		return invalid
	}
	return nil
}

func genericRecord(text, country string) *Record {
	var b strings.Builder
	var disp []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			disp = append(disp, cur.String())
			cur.Reset()
		}
	}
	for _, r := range text {
		r = unicode.ToUpper(r)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			cur.WriteRune(r)
		} else {
			flush()
		}
	}
	flush()
	return &Record{
		Kind:       "plate",
		Text:       b.String(),
		Display:    strings.Join(disp, " "),
		Country:    country,
		Format:     "generic",
		Parts:      Parts{Groups: disp},
		Valid:      false,
		Reason:     "no known format fits",
		Candidates: []Candidate{},
	}
}

// newRecord builds a record from printed groups joined with the given separators.
func newRecord(country, format string, groups []string, seps []string) *Record {
	var d strings.Builder
	var t strings.Builder
	for i, g := range groups {
		if i > 0 {
			d.WriteString(seps[i-1])
		}
		d.WriteString(g)
		t.WriteString(g)
	}
	return &Record{Kind: "plate", Text: t.String(), Display: d.String(), Country: country, Format: format,
		Parts: Parts{Groups: groups}, Valid: true}
}

// classOf returns 'L' for A-Z, 'U' for umlauts, 'D' for digits.
func classOf(r rune) byte {
	switch {
	case isDigit(r):
		return 'D'
	case isUmlaut(r):
		return 'U'
	default:
		return 'L'
	}
}

func classes(rs []rune) string {
	b := make([]byte, len(rs))
	for i, r := range rs {
		b[i] = classOf(r)
	}
	return string(b)
}

func allLetters(rs []rune) bool {
	for _, r := range rs {
		if !isLetter(r) {
			return false
		}
	}
	return len(rs) > 0
}

func allDigits(rs []rune) bool {
	for _, r := range rs {
		if !isDigit(r) {
			return false
		}
	}
	return len(rs) > 0
}

// splitFixed tries to split in according to fixed group lengths and class patterns
// (pattern chars: L letter A-Z, D digit, A alphanumeric A-Z/0-9). Hints must fall on
// group boundaries; missing hints are allowed.
func splitFixed(in *input, pattern ...string) ([]string, bool) {
	n := 0
	for _, p := range pattern {
		n += len(p)
	}
	if n != len(in.runes) {
		return nil, false
	}
	bounds := make([]int, 0, len(pattern))
	groups := make([]string, 0, len(pattern))
	pos := 0
	for _, p := range pattern {
		for i := 0; i < len(p); i++ {
			r := in.runes[pos+i]
			switch p[i] {
			case 'L':
				if !isLetter(r) {
					return nil, false
				}
			case 'D':
				if !isDigit(r) {
					return nil, false
				}
			case 'A':
				if !isLetter(r) && !isDigit(r) {
					return nil, false
				}
			}
		}
		groups = append(groups, string(in.runes[pos:pos+len(p)]))
		pos += len(p)
		bounds = append(bounds, pos)
	}
	if !in.hintsOnlyAt(bounds...) {
		return nil, false
	}
	return groups, true
}

// Supported reports whether country (ISO alpha-2, any case) has a grammar.
func Supported(country string) bool {
	c := strings.ToUpper(strings.TrimSpace(country))
	for _, g := range grammars {
		if g.country == c {
			return true
		}
	}
	return false
}
