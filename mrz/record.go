package mrz

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// ErrNotMRZ reports text that is not an MRZ of a known format. Errors
// returned by Parse and Read wrap it; test with errors.Is.
var ErrNotMRZ = errors.New("mrz: not a machine readable zone of a known format")

// Options tune parsing and repair.
type Options struct {
	// Now is the reference time for century resolution and Record.Expired;
	// the zero value means time.Now().
	Now time.Time
	// Beam bounds the candidates kept per checked field during repair;
	// 0 means the default (8).
	Beam int
	// OwnCollisions leaves a reading whose check digits hold as well with
	// two or more confusable characters exchanged (Collisions) valid: for
	// a caller that settles such collisions with evidence of its own (the
	// glyphs' shapes on the photo) and refuses what it cannot settle. By
	// default Read and ReadOCR refuse it (checks.check_digit_collision).
	OwnCollisions bool
}

// CharAlt is one OCR alternative for a character position with its
// probability or confidence.
type CharAlt struct {
	Char byte
	Prob float64
}

// Line is one OCR-read MRZ line; Alts (optional) holds, per character
// (rune) position of Text, the reader's ranked alternatives.
type Line struct {
	Text string
	Alts [][]CharAlt
}

// Correction is one change the repair made, in 1-based line and column of
// the corrected lines. An insertion has an empty From, a deletion an empty To.
type Correction struct {
	Line   int    `json:"line"`
	Column int    `json:"column"`
	From   string `json:"from"`
	To     string `json:"to"`
}

// Record is the MRZ record of the CONTRACT.
type Record struct {
	Kind         string            `json:"kind"`
	Format       string            `json:"format"`
	DocumentType string            `json:"document_type"`
	Lines        []string          `json:"lines"`
	Valid        bool              `json:"valid"`
	Fields       map[string]string `json:"fields"`
	Checks       map[string]bool   `json:"checks"`
	Corrections  []Correction      `json:"corrections"`
	Expired      bool              `json:"expired"`
	// Specimen is set for the fictional ICAO specimen state UTO.
	Specimen   bool           `json:"specimen,omitempty"`
	Confidence float64        `json:"confidence"`
	Quad       *[4][2]float64 `json:"quad,omitempty"`
	// Rivals are the other readings the repair found as likely, each
	// valid, where it refused the zone as ambiguous
	// (checks.unambiguous false) for them alone: a reader that can tell
	// the differing characters apart may decide. Nil where the repair
	// could not list them all (or more than four); never in the JSON.
	Rivals [][]string `json:"-"`
}

func (o Options) now() time.Time {
	if o.Now.IsZero() {
		return time.Now()
	}
	return o.Now
}

// build decodes lines (already of the layout's shape) into a Record.
func build(l *layout, b [][]byte, now time.Time) *Record {
	r := &Record{
		Kind:        "mrz",
		Format:      l.name,
		Lines:       make([]string, len(b)),
		Fields:      make(map[string]string, 16),
		Checks:      make(map[string]bool, 12),
		Corrections: []Correction{},
	}
	for i := range b {
		r.Lines[i] = string(b[i])
	}
	charset := true
	for _, line := range b {
		for _, c := range line {
			if _, ok := charValue(c); !ok {
				charset = false
			}
		}
	}
	r.Checks["charset"] = charset

	for _, c := range l.checks {
		r.Checks[c.name] = c.verify(b)
	}
	for _, f := range l.fields {
		raw := string(b[f.line][f.start:f.end])
		typed := true
		for i := 0; i < len(raw); i++ {
			if !f.k.accepts(raw[i]) {
				typed = false
			}
		}
		switch f.r {
		case rCode:
			r.Fields[f.name] = strings.TrimRight(raw, "<")
			if !typed || raw[0] == '<' {
				r.Checks["document_code"] = false
			}
			// ICAO 9303-6: a TD2 document code starts with A, C or I (a
			// passport's P belongs to TD3: a TD3 zone decoded in 36 cells
			// must not pass as TD2)
			if l == td2 && !strings.ContainsRune("ACI", rune(raw[0])) {
				r.Checks["document_code"] = false
			}
		case rCountry:
			code := strings.TrimRight(raw, "<")
			r.Fields[f.name] = code
			if iso := countryISO(code); iso != "" {
				r.Fields[f.name+"_iso"] = iso
			}
			ok := ValidCountry(raw)
			if specimenSet[raw] {
				r.Specimen = true
			}
			if l == chDL {
				ok = raw == "CHE"
			}
			r.Checks[f.name] = ok
		case rNumber:
			r.Fields[f.name] = strings.TrimRight(raw, "<")
			// numbers are left-aligned: fillers only pad them on the right
			if !typed || (raw[0] == '<' && !allFill([]byte(raw))) {
				r.Checks[f.name+"_chars"] = false
			}
			if l == dl1FRA && !frenchLicenceNumber(raw) {
				r.Checks[f.name+"_chars"] = false
			}
		case rDate:
			r.Fields[f.name+"_raw"] = raw
			iso, ok := decodeDate(raw, f.name == "birth_date", now)
			r.Fields[f.name] = iso
			r.Checks[f.name+"_valid"] = ok
		case rSex:
			s := raw
			if s == "<" {
				s = "X"
			}
			r.Fields[f.name] = s
			r.Checks["sex"] = typed
		case rNames:
			sur, given := splitNames(raw)
			r.Fields["surname"] = sur
			r.Fields["given_names"] = given
			if l == chDL && !typed {
				r.Checks["names"] = false
			}
		case rName:
			r.Fields[f.name] = nameText(raw)
			if l == chDL && !typed {
				r.Checks["names"] = false
			}
		case rFixed:
			if strings.Trim(raw, "<") != "" {
				r.Checks["fillers"] = false
			}
		default:
			r.Fields[f.name] = rawText(raw)
			if l == chDL && !typed {
				r.Checks[f.name] = false
			}
		}
	}
	finishFields(l, b, r)
	if l == dl1FRA {
		// the number opens with the card's issue year, and a French
		// licence runs 15 years at most (5 for the heavy categories): an
		// expiry outside that is a misread, of the expiry or of the
		// number (their one check in common is the composite)
		if n, e := r.Fields["document_number"], r.Fields["expiry_date"]; frenchLicenceNumber(n) && r.Checks["expiry_date_valid"] {
			issue := 2000 + int(n[0]-'0')*10 + int(n[1]-'0')
			if y, err := strconv.Atoi(e[:4]); err == nil {
				r.Checks["expiry_date_term"] = y >= issue && y <= issue+frenchLicenceTerm
			}
		}
	}
	r.DocumentType = documentType(l, r.Fields["document_code"])
	if e := r.Fields["expiry_date"]; e != "" && r.Checks["expiry_date_valid"] {
		if t, err := time.Parse("2006-01-02", e); err == nil {
			y, m, d := now.Date()
			r.Expired = t.Before(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
		}
	}
	r.Valid = true
	for _, ok := range r.Checks {
		if !ok {
			r.Valid = false
		}
	}
	r.Confidence = 1
	if !r.Valid {
		r.Confidence = 0.3
	}
	return r
}

// frenchLicenceTerm is the most years a French licence runs from its
// issue to its expiry (15, and a year's slack for a card issued late in
// the year its number was given).
const frenchLicenceTerm = 16

// frenchLicenceForm is the class of each character of a French
// licence's number as its card prints it (field 5) and its MRZ carries
// it: the issue year, two letters and a five-digit serial (13AA00002).
var frenchLicenceForm = [9]kind{kDigit, kDigit, kAlpha, kAlpha, kDigit, kDigit, kDigit, kDigit, kDigit}

// frenchLicenceNumber reports whether n has frenchLicenceForm, without
// fillers.
func frenchLicenceNumber(n string) bool {
	if len(n) != len(frenchLicenceForm) {
		return false
	}
	for i, k := range frenchLicenceForm {
		if n[i] == '<' || !k.accepts(n[i]) {
			return false
		}
	}
	return true
}

// finishFields applies the layout specific rules: the TD1 long document
// number and the French ID card's composed number.
func finishFields(l *layout, b [][]byte, r *Record) {
	for _, k := range []string{"optional_data_1", "optional_data_2"} {
		if _, ok := r.Fields[k]; !ok && (l == td1 || k == "optional_data_1") {
			r.Fields[k] = ""
		}
	}
	if l == td1 {
		if num, rest, ok := td1Long(b[0]); ok {
			r.Fields["document_number"] = num
			r.Fields["optional_data_1"] = rawText(rest)
		}
	}
	if l == fraID {
		n := string(b[1][0:12])
		r.Fields["issue_date_raw"] = n[0:4]
		r.Fields["office_code"] = rawText(n[4:7])
		r.Fields["document_serial"] = rawText(n[7:12])
		r.Fields["nationality"] = "FRA"
		r.Fields["optional_data_2"] = ""
	}
	if l == chDL {
		r.Fields["nationality"] = ""
		r.Fields["sex"] = ""
		r.Fields["expiry_date"] = ""
	}
	if l == dl1 || l == dl1FRA {
		for _, k := range []string{"nationality", "sex", "birth_date"} {
			if _, ok := r.Fields[k]; !ok {
				r.Fields[k] = ""
			}
		}
	}
	for _, k := range []string{"surname", "given_names", "nationality", "sex", "birth_date", "expiry_date", "optional_data_2"} {
		if _, ok := r.Fields[k]; !ok {
			r.Fields[k] = ""
		}
	}
}

// td1Long decodes the TD1 long document number: the first line holds '<'
// in the check position and the number continues at column 16 up to the
// next filler, its last character being the check digit.
func td1Long(l0 []byte) (num, rest string, ok bool) {
	if len(l0) != 30 || l0[14] != '<' || l0[15] == '<' {
		return "", "", false
	}
	k := 15
	for k < 30 && l0[k] != '<' {
		k++
	}
	if k-15 < 2 {
		return "", "", false
	}
	return strings.TrimRight(string(l0[5:14]), "<") + string(l0[15:k-1]), string(l0[k:]), true
}

// verify evaluates one check on lines b.
func (c *check) verify(b [][]byte) bool {
	if c.long {
		l0 := b[0]
		if l0[14] == '<' {
			if l0[15] == '<' {
				return allFill(l0[5:14])
			}
			k := 15
			for k < 30 && l0[k] != '<' {
				k++
			}
			if k-15 < 2 {
				return false
			}
			cd := l0[k-1]
			s1 := 0 // without the filler at column 15
			i := 0
			for _, ch := range l0[5:k] {
				if _, ok := charValue(ch); !ok {
					return false
				}
			}
			for _, ch := range l0[5:14] {
				s1 += cv(ch) * weights[i%3]
				i++
			}
			s2 := s1 // with the filler (weight only shifts the index)
			j := i + 1
			for _, ch := range l0[15 : k-1] {
				s1 += cv(ch) * weights[i%3]
				s2 += cv(ch) * weights[j%3]
				i++
				j++
			}
			return checkChar(s1, cd, false) || checkChar(s2, cd, false)
		}
	}
	sum, i, empty := 0, 0, true
	for _, s := range c.spans {
		for _, ch := range b[s.line][s.start:s.end] {
			v, ok := charValue(ch)
			if !ok {
				return false
			}
			sum += v * weights[i%3]
			if ch != '<' {
				empty = false
			}
			i++
		}
	}
	return checkChar(sum, b[c.line][c.pos], empty)
}

func allFill(s []byte) bool {
	for _, c := range s {
		if c != '<' {
			return false
		}
	}
	return true
}

// rawText turns fillers into spaces, collapses runs and trims.
func rawText(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '<' || r == ' ' }), " ")
}

func nameText(s string) string { return rawText(s) }

// splitNames splits SURNAME<<GIVEN<NAMES into surname and given names.
func splitNames(s string) (string, string) {
	s = strings.TrimRight(s, "<")
	if i := strings.Index(s, "<<"); i >= 0 {
		return nameText(s[:i]), nameText(s[i+2:])
	}
	return nameText(s), ""
}

// decodeDate turns YYMMDD into an ISO date. Birth dates are placed in the
// past (at most 100 years back); other dates (expiry) up to 20 years ahead.
// An all-filler date is empty and valid (unknown, e.g. no expiry).
func decodeDate(raw string, birth bool, now time.Time) (string, bool) {
	if raw == "<<<<<<" {
		return "", true
	}
	if len(raw) != 6 {
		return "", false
	}
	n := [6]int{}
	for i := 0; i < 6; i++ {
		if raw[i] < '0' || raw[i] > '9' {
			return "", false
		}
		n[i] = int(raw[i] - '0')
	}
	yy, mm, dd := n[0]*10+n[1], n[2]*10+n[3], n[4]*10+n[5]
	if mm < 1 || mm > 12 || dd < 1 || dd > 31 {
		return "", false
	}
	y := 2000 + yy
	if birth {
		if time.Date(y, time.Month(mm), dd, 0, 0, 0, 0, time.UTC).After(now) {
			y -= 100
		}
	} else if y > now.Year()+20 {
		y -= 100
	}
	t := time.Date(y, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if t.Day() != dd {
		return "", false
	}
	return t.Format("2006-01-02"), true
}
