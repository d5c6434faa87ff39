package mrz

import "strings"

// Format names as they appear in Record.Format.
const (
	FormatTD1   = "TD1"    // ICAO 9303 TD1: 3 lines of 30 (ID cards, residence permits)
	FormatTD2   = "TD2"    // ICAO 9303 TD2: 2 lines of 36
	FormatTD3   = "TD3"    // ICAO 9303 TD3: 2 lines of 44 (passports)
	FormatMRVA  = "MRVA"   // ICAO 9303 MRV-A visa: 2 lines of 44
	FormatMRVB  = "MRVB"   // ICAO 9303 MRV-B visa: 2 lines of 36
	FormatDL1   = "DL1"    // ISO/IEC 18013 / EU driving licence: 1 line of 30, "D1"+state
	FormatFRAID = "FRA_ID" // French national ID card 1988-2021: 2 lines of 36, "IDFRA"
	FormatCHDL  = "CH_DL"  // Swiss driving licence: 3 lines of 9, 30 and 30
	FormatSVKID = "SVK_ID" // Slovak ID card variant: 2 lines of 34 (TD2 without composite)
)

// kind is the character class of an MRZ position.
type kind uint8

const (
	kAlpha  kind = iota // A-Z or <
	kDigit              // 0-9 or <
	kAlnum              // A-Z, 0-9 or <
	kSex                // M, F, X or <
	kFill               // < only
	kGerman             // German document numbers: digits and CFGHJKLMNPRTVWXYZ
	kLang               // Swiss licence language: D, F, I, R or E
)

func (k kind) accepts(c byte) bool {
	switch k {
	case kAlpha:
		return c >= 'A' && c <= 'Z' || c == '<'
	case kDigit:
		return c >= '0' && c <= '9' || c == '<'
	case kSex:
		return c == 'M' || c == 'F' || c == 'X' || c == '<'
	case kFill:
		return c == '<'
	case kGerman:
		return c >= '0' && c <= '9' || c == '<' || germanLetter[c]
	case kLang:
		return c == 'D' || c == 'F' || c == 'I' || c == 'R' || c == 'E'
	}
	return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '<'
}

var germanLetter = func() (m [256]bool) {
	for _, c := range "CFGHJKLMNPRTVWXYZ" {
		m[c] = true
	}
	return m
}()

// role says how a field is decoded into Record.Fields.
type role uint8

const (
	rRaw     role = iota // fillers become spaces, trimmed
	rCode                // document code
	rCountry             // state code, validated
	rNumber              // document number
	rDate                // YYMMDD date, validated
	rSex                 // M/F/X
	rNames               // SURNAME<<GIVEN<NAMES
	rName                // a single name field, fillers -> spaces
	rFixed               // fillers only, not reported
)

type span struct{ line, start, end int }

type field struct {
	name  string
	line  int
	start int
	end   int
	k     kind
	r     role
}

type check struct {
	name  string
	line  int // position of the check character
	pos   int
	spans []span
	long  bool // TD1 document number: may continue in the optional data
}

type layout struct {
	name   string
	lens   []int
	fields []field
	checks []check
	fixed  []fixedText // text every document of the layout carries
}

type fixedText struct {
	line, col int
	text      string
}

func (l *layout) numLines() int { return len(l.lens) }

var (
	td1 = &layout{
		name: FormatTD1,
		lens: []int{30, 30, 30},
		fields: []field{
			{"document_code", 0, 0, 2, kAlpha, rCode},
			{"issuing_state", 0, 2, 5, kAlpha, rCountry},
			{"document_number", 0, 5, 14, kAlnum, rNumber},
			{"optional_data_1", 0, 15, 30, kAlnum, rRaw},
			{"birth_date", 1, 0, 6, kDigit, rDate},
			{"sex", 1, 7, 8, kSex, rSex},
			{"expiry_date", 1, 8, 14, kDigit, rDate},
			{"nationality", 1, 15, 18, kAlpha, rCountry},
			{"optional_data_2", 1, 18, 29, kAlnum, rRaw},
			{"names", 2, 0, 30, kAlpha, rNames},
		},
		checks: []check{
			{"document_number", 0, 14, []span{{0, 5, 14}}, true},
			{"birth_date", 1, 6, []span{{1, 0, 6}}, false},
			{"expiry_date", 1, 14, []span{{1, 8, 14}}, false},
			{"composite", 1, 29, []span{{0, 5, 30}, {1, 0, 7}, {1, 8, 15}, {1, 18, 29}}, false},
		},
	}
	td2   = twoLine(FormatTD2, 36, true)
	td3   = twoLine(FormatTD3, 44, true)
	mrva  = twoLine(FormatMRVA, 44, false)
	mrvb  = twoLine(FormatMRVB, 36, false)
	svkID = twoLine(FormatSVKID, 34, false)

	fraID = &layout{
		name: FormatFRAID,
		lens: []int{36, 36},
		fields: []field{
			{"document_code", 0, 0, 2, kAlpha, rCode},
			{"issuing_state", 0, 2, 5, kAlpha, rCountry},
			{"surname", 0, 5, 30, kAlpha, rName},
			{"administrative_code", 0, 30, 36, kAlnum, rRaw},
			{"document_number", 1, 0, 12, kAlnum, rNumber},
			{"given_names", 1, 13, 27, kAlpha, rName},
			{"birth_date", 1, 27, 33, kDigit, rDate},
			{"sex", 1, 34, 35, kSex, rSex},
		},
		checks: []check{
			{"document_number", 1, 12, []span{{1, 0, 12}}, false},
			{"birth_date", 1, 33, []span{{1, 27, 33}}, false},
			{"composite", 1, 35, []span{{0, 0, 36}, {1, 0, 35}}, false},
		},
		fixed: []fixedText{{0, 0, "IDFRA"}},
	}
	// dl1FRA is the French layout of the one-line driving licence MRZ.
	dl1FRA = &layout{
		name: FormatDL1,
		lens: []int{30},
		fields: []field{
			{"document_code", 0, 0, 2, kAlnum, rCode},
			{"issuing_state", 0, 2, 5, kAlpha, rCountry},
			{"document_number", 0, 5, 14, kAlnum, rNumber},
			{"expiry_date", 0, 15, 21, kDigit, rDate},
			{"surname", 0, 21, 29, kAlpha, rName},
		},
		checks: []check{
			{"document_number", 0, 14, []span{{0, 0, 14}}, false},
			{"composite", 0, 29, []span{{0, 0, 29}}, false},
		},
		fixed: []fixedText{{0, 0, "D1FRA"}},
	}
	// dl1 is the layout used by the Netherlands and assumed for other issuers.
	dl1 = &layout{
		name: FormatDL1,
		lens: []int{30},
		fields: []field{
			{"document_code", 0, 0, 2, kAlnum, rCode},
			{"issuing_state", 0, 2, 5, kAlpha, rCountry},
			{"version", 0, 5, 6, kDigit, rRaw},
			{"document_number", 0, 6, 16, kDigit, rNumber},
			{"optional_data_1", 0, 16, 29, kAlnum, rRaw},
		},
		checks: []check{
			{"composite", 0, 29, []span{{0, 0, 29}}, false},
		},
		fixed: []fixedText{{0, 0, "D1"}},
	}
	chDL = &layout{
		name: FormatCHDL,
		lens: []int{9, 30, 30},
		fields: []field{
			{"document_number", 0, 0, 9, kAlnum, rNumber},
			{"language_code", 0, 6, 7, kLang, rRaw},
			{"document_code", 1, 0, 2, kAlpha, rCode},
			{"issuing_state", 1, 2, 5, kAlpha, rCountry},
			{"pin_code", 1, 5, 14, kDigit, rRaw},
			{"version_number", 1, 14, 17, kDigit, rRaw},
			{"filler_1", 1, 17, 19, kFill, rFixed},
			{"birth_date", 1, 19, 25, kDigit, rDate},
			{"filler_2", 1, 25, 30, kFill, rFixed},
			{"names", 2, 0, 30, kAlpha, rNames},
		},
		fixed: []fixedText{{1, 0, "FACHE"}},
	}
	layouts = []*layout{td1, td2, td3, mrva, mrvb, fraID, dl1FRA, dl1, chDL, svkID}
)

// twoLine builds the ICAO two-line layouts (TD2, TD3, MRV-A, MRV-B) and the
// Slovak 2x34 variant, which share the same second line up to the optional data.
func twoLine(name string, n int, composite bool) *layout {
	optEnd := n
	if composite {
		optEnd = n - 1
	}
	l := &layout{
		name: name,
		lens: []int{n, n},
		fields: []field{
			{"document_code", 0, 0, 2, kAlpha, rCode},
			{"issuing_state", 0, 2, 5, kAlpha, rCountry},
			{"names", 0, 5, n, kAlpha, rNames},
			{"document_number", 1, 0, 9, kAlnum, rNumber},
			{"nationality", 1, 10, 13, kAlpha, rCountry},
			{"birth_date", 1, 13, 19, kDigit, rDate},
			{"sex", 1, 20, 21, kSex, rSex},
			{"expiry_date", 1, 21, 27, kDigit, rDate},
		},
		checks: []check{
			{"document_number", 1, 9, []span{{1, 0, 9}}, false},
			{"birth_date", 1, 19, []span{{1, 13, 19}}, false},
			{"expiry_date", 1, 27, []span{{1, 21, 27}}, false},
		},
	}
	if name == FormatTD3 {
		optEnd = 42
		l.checks = append(l.checks, check{"optional_data", 1, 42, []span{{1, 28, 42}}, false})
	}
	l.fields = append(l.fields, field{"optional_data_1", 1, 28, optEnd, kAlnum, rRaw})
	if composite {
		l.checks = append(l.checks, check{"composite", 1, n - 1, []span{{1, 0, 10}, {1, 13, 20}, {1, 21, n - 1}}, false})
	}
	return l
}

// classify returns the layouts that fit lines of the given lengths; first
// holds the first characters of the first line (document code and state).
func classify(lens []int, first string) []*layout {
	var out []*layout
	for _, l := range layouts {
		if len(l.lens) != len(lens) {
			continue
		}
		ok := true
		for i, n := range l.lens {
			if lens[i] != n {
				ok = false
			}
		}
		if ok && fitsCode(l, first) {
			out = append(out, l)
		}
	}
	return out
}

// fitsCode decides between layouts of equal shape by the document code.
func fitsCode(l *layout, first string) bool {
	c0 := byte(0)
	if len(first) > 0 {
		c0 = first[0]
	}
	isFRA := len(first) >= 5 && first[:5] == "IDFRA"
	switch l {
	case td3, td2:
		return c0 != 'V' && !(l == td2 && isFRA)
	case mrva, mrvb:
		return c0 == 'V'
	case fraID:
		return isFRA
	case dl1FRA:
		return c0 == 'D' && len(first) >= 5 && first[2:5] == "FRA"
	case dl1:
		return c0 == 'D' && !(len(first) >= 5 && first[2:5] == "FRA")
	case svkID:
		return len(first) >= 5 && first[2:5] == "SVK"
	}
	return true
}

// fitsRead is fitsCode for the readings the repair weighs: a zone of two
// 36-character lines starting IDFRA is tried as a TD2 zone too (France's
// 1988 card owns that start, so Parse reads it as FRA_ID; a TD2 document
// of the same start whose check digits hold as TD2 is read as one).
func fitsRead(l *layout, first string) bool {
	return fitsCode(l, first) || l == td2 && len(first) >= 5 && first[:5] == "IDFRA"
}

// layoutFor returns the layout for a format name (DL1 picks the French
// variant for issuer FRA).
func layoutFor(name string, first string) *layout {
	for _, l := range layouts {
		if l.name == name && fitsRead(l, first) {
			return l
		}
	}
	return nil
}

// documentType maps a layout and document code to the CONTRACT's document_type.
func documentType(l *layout, code string) string {
	switch l {
	case dl1, dl1FRA, chDL:
		return "driving_licence"
	case mrva, mrvb:
		return "visa"
	}
	if code == "" {
		return "other"
	}
	switch code[0] {
	case 'P':
		return "passport"
	case 'V':
		return "visa"
	case 'I', 'A', 'C':
		if len(code) > 1 && code[1] == 'R' {
			return "residence_permit"
		}
		return "id_card"
	case 'R':
		if len(code) > 1 && code[1] == 'P' {
			return "residence_permit"
		}
	}
	return "other"
}

// recordLayout is the layout r's format and lines name (nil: none, or
// lines not of its lengths).
func recordLayout(r *Record) *layout {
	if r == nil || len(r.Lines) == 0 {
		return nil
	}
	l := layoutFor(r.Format, r.Lines[0])
	if l == nil || len(l.lens) != len(r.Lines) {
		return nil
	}
	for i, s := range r.Lines {
		if len(s) != l.lens[i] {
			return nil
		}
	}
	return l
}

// ListedState reports whether correction c of r turned a digit into a
// letter inside a state code (issuing state, nationality) that now reads
// as a code on the ICAO list: the field's type forced the change, and the
// list, sparse among three-letter strings, vouches for its outcome much as
// a check digit would (N0R read for NOR).
func ListedState(r *Record, c Correction) bool {
	l := recordLayout(r)
	if l == nil || len(c.From) != 1 || len(c.To) != 1 || !isDigit(c.From[0]) || !isLetter(c.To[0]) {
		return false
	}
	line, col := c.Line-1, c.Column-1
	for _, f := range l.fields {
		if f.r != rCountry || f.line != line || col < f.start || col >= f.end {
			continue
		}
		code := strings.TrimRight(r.Lines[line][f.start:f.end], "<")
		return ValidCountry(code)
	}
	return false
}

// CheckDigits counts the check digits of r's layout and those of them that
// fail (0, 0 where r has no known layout).
func CheckDigits(r *Record) (failed, total int) {
	l := recordLayout(r)
	if l == nil {
		return 0, 0
	}
	for _, c := range l.checks {
		total++
		if ok, seen := r.Checks[c.name]; seen && !ok {
			failed++
		}
	}
	return failed, total
}

// CheckedPositions marks, per line of r, the positions a check digit
// verifies (the checked spans and the check characters themselves). It
// returns nil when r's format and lines do not name a known layout.
func CheckedPositions(r *Record) [][]bool {
	l := recordLayout(r)
	if l == nil {
		return nil
	}
	out := make([][]bool, len(r.Lines))
	for i, s := range r.Lines {
		out[i] = make([]bool, len(s))
	}
	for _, c := range l.checks {
		out[c.line][c.pos] = true
		for _, sp := range c.spans {
			for k := sp.start; k < sp.end && k < len(out[sp.line]); k++ {
				out[sp.line][k] = true
			}
		}
	}
	return out
}

// NamesField locates r's names field holding the primary and secondary
// identifiers (SURNAME<<GIVEN<NAMES): its line (0-based) and columns
// [start, end). ok is false for layouts without one (separate surname and
// given-name fields, the one-line licence zone).
func NamesField(r *Record) (line, start, end int, ok bool) {
	l := recordLayout(r)
	if l == nil {
		return 0, 0, 0, false
	}
	for _, f := range l.fields {
		if f.r == rNames && f.line < len(r.Lines) && f.end <= len(r.Lines[f.line]) {
			return f.line, f.start, f.end, true
		}
	}
	return 0, 0, 0, false
}

// NamesShaped reports whether r's names field has the shape ICAO 9303-3
// gives names: name parts joined by single fillers, at most one double
// filler (between the primary and the secondary identifiers), and fillers
// only after the last part. A run of three fillers or a second double
// filler before a letter is a misread zone (JOHNKC<<C<<<CCCC: blurred
// fillers read as C), which no check digit sees. A field of one name (the
// French card's surname and given names, the French licence's surname)
// holds no run of three fillers before a letter either (LI<<<<T<, a
// blurred LAURENT< on a synthetic 12-megapixel licence decoded at half
// scale, its composite holding). true where r has no names field.
func NamesShaped(r *Record) bool {
	l := recordLayout(r)
	if l == nil {
		return true
	}
	for _, f := range l.fields {
		if f.r != rNames && f.r != rName {
			continue
		}
		run, doubles := 0, 0
		for _, c := range r.Lines[f.line][f.start:f.end] {
			if c == '<' {
				run++
				continue
			}
			if noPartAfter(run, doubles) {
				return false
			}
			if run == 2 && f.r == rNames {
				doubles++
			}
			run = 0
		}
	}
	return true
}

// noPartAfter: in a names field, no name part follows a run of run
// fillers after doubles double fillers before it: not three fillers, and
// not a second double filler (ICAO 9303-3: one separator between the
// primary and the secondary identifiers).
func noPartAfter(run, doubles int) bool {
	return run >= 3 || run == 2 && doubles > 0
}

// MaxCheckedCorrections is the largest number of r's corrections that lie
// in the span of one check digit other than the composite (the only check
// of a one-line licence zone counts; the check character itself is
// included): one check digit tells little about a field the repair
// changed in several places.
func MaxCheckedCorrections(r *Record) int {
	if r == nil || len(r.Lines) == 0 {
		return 0
	}
	l := layoutFor(r.Format, r.Lines[0])
	if l == nil {
		return 0
	}
	most := 0
	for _, c := range l.checks {
		if c.name == "composite" && len(l.checks) > 1 {
			continue
		}
		n := 0
		for _, x := range r.Corrections {
			line, col := x.Line-1, x.Column-1
			in := line == c.line && col == c.pos
			for _, sp := range c.spans {
				in = in || (line == sp.line && col >= sp.start && col < sp.end)
			}
			if in {
				n++
			}
		}
		most = max(most, n)
	}
	return most
}

// Character classes of CharClasses.
const (
	ClassLetter = 'A' // a letter or filler only (codes, states, names, sex)
	ClassDigit  = 'N' // a digit or filler only (dates, check digits)
	ClassEither = 'X' // letters and digits both (document numbers, optional data)
)

// CharClasses gives, per line of r, each position's character class
// (ClassLetter, ClassDigit, ClassEither; 0 where the layout fixes nothing).
// It returns nil when r's format and lines do not name a known layout.
func CharClasses(r *Record) [][]byte {
	l := recordLayout(r)
	if l == nil {
		return nil
	}
	out := make([][]byte, len(r.Lines))
	for i, s := range r.Lines {
		out[i] = make([]byte, len(s))
	}
	for _, f := range l.fields {
		c := byte(0)
		switch f.k {
		case kAlpha, kSex, kLang:
			c = ClassLetter
		case kDigit:
			c = ClassDigit
		case kAlnum, kGerman:
			c = ClassEither
		}
		for k := f.start; k < f.end && k < len(out[f.line]); k++ {
			out[f.line][k] = c
		}
	}
	for _, c := range l.checks {
		out[c.line][c.pos] = ClassDigit
	}
	return out
}
