package documents

import (
	"strings"
	"unicode"
)

// crossFields are the fields both the visual zone and the MRZ carry.
var crossFields = []string{"surname", "given_names", "birth_date", "document_number", "expiry_date"}

// mrzTranslit spells a visual-zone name the way ICAO 9303 writes it in the
// MRZ (Ä -> AE, ß -> SS, other accents dropped, separators as '<').
func mrzTranslit(s string) string {
	r := strings.NewReplacer("Ä", "AE", "Ö", "OE", "Ü", "UE", "ß", "SS", "ä", "AE", "ö", "OE", "ü", "UE")
	s = fold(r.Replace(s))
	var b strings.Builder
	for _, c := range s {
		switch {
		case c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
			b.WriteRune(c)
		default:
			b.WriteByte('<')
		}
	}
	return b.String()
}

// CrossCheck compares the visual fields with the MRZ fields (as in an MRZ
// record: names with '<' separators, ISO dates). Names agree when their MRZ
// spelling is equal, or when the MRZ name fills its maxName letters (0: no
// limit) and is a prefix of it (truncated).
func CrossCheck(visual map[string]string, mrz map[string]string, maxName int) map[string]Check {
	out := map[string]Check{}
	for _, f := range crossFields {
		v, okV := visual[f]
		m, okM := mrz[f]
		m = strings.Trim(m, "<")
		if !okV || !okM || v == "" || m == "" {
			continue
		}
		var agree bool
		switch f {
		case "surname", "given_names":
			tv := strings.Trim(mrzTranslit(v), "<")
			mm := strings.ReplaceAll(strings.ReplaceAll(m, " ", "<"), "<<", "<")
			tv = strings.ReplaceAll(tv, "<<", "<")
			agree = tv == mm || maxName > 0 && len(mm) >= maxName && strings.HasPrefix(tv, mm)
		case "document_number":
			agree = strings.EqualFold(onlyAlnum(v), onlyAlnum(m))
		default:
			agree = v == m
		}
		out[f] = Check{Visual: v, MRZ: m, Agree: agree}
	}
	return out
}

// FromMRZ returns the MRZ values to put in the record in place of visual
// ones: fields the visual zone lacks, the fields a check digit of their
// own vouches for (birth date, document number, expiry) wherever the
// visual reading differs (the visual zone has no check digit: a licence
// number read "2SMNESAS9" under a DL1 line's valid 25HN25419; the cross
// check still reports the disagreement), and names whose visual reading
// is within two edits of the MRZ's (an OCR slip, not another value). Only
// a valid MRZ (check digits passed) is trusted. A name that fills the MRZ's
// maxName letters (0: no limit) may be truncated there: it is not taken
// whole, but it corrects the letters of the visual reading it covers
// (truncatedName).
func FromMRZ(visual map[string]string, mrz map[string]string, valid bool, maxName int) map[string]string {
	out := map[string]string{}
	if !valid {
		return out
	}
	for _, f := range crossFields {
		m := strings.Trim(mrz[f], "<")
		if m == "" {
			continue
		}
		name := f == "surname" || f == "given_names"
		if name {
			if maxName > 0 && len(m) >= maxName {
				if v, ok := truncatedName(visual[f], m, maxName); ok {
					out[f] = v
				}
				continue
			}
			m = strings.Join(strings.FieldsFunc(m, func(r rune) bool { return r == '<' || r == ' ' }), " ")
		}
		v, ok := visual[f]
		if !ok || v == "" {
			out[f] = m
			continue
		}
		if !name {
			// (a date that differs in its century alone keeps the
			// visual zone's four-digit year: the MRZ prints two)
			if !strings.EqualFold(onlyAlnum(v), onlyAlnum(m)) && !(f != "document_number" && len(v) == 10 && len(m) == 10 && v[2:] == m[2:]) {
				out[f] = m
			}
			continue
		}
		// a name: an OCR slip within two edits, or its reading cut short
		// (glare over the rest: DUR for a DL1 line's DURAND), not one
		// with an umlaut
		cv := strings.ToUpper(strings.ReplaceAll(mrzTranslit(v), "<", " "))
		d := editDistance(cv, strings.ToUpper(m))
		cut := len(cv) >= minCutName && len(cv) < len(m) && strings.HasPrefix(strings.ToUpper(m), cv)
		if (d > 0 && d <= 2 || cut) && !strings.ContainsAny(v, "ÄÖÜäöüß") {
			out[f] = m
		}
	}
	return out
}

// minCutName is the fewest letters of a name's visual reading that FromMRZ
// takes for the start of the MRZ's.
const minCutName = 3

// truncatedName is visual name v with its first n letters as the MRZ's
// name m, which fills its n letters (and may be cut there), spells them:
// only where v has at least n letters, its MRZ spelling (mrzTranslit, no
// umlaut: Ä is AE there, which moves the letters) has the same length, and
// one or two of the n differ (BERTRANO on a French licence whose DL1 line
// holds BERTRAND: an OCR slip on a letter the line's composite digit
// covers). v's letters past the n and its accents are kept, and its case
// (a letter after a lower-case one is written in lower case).
func truncatedName(v, m string, n int) (string, bool) {
	rv, cv, rm := []rune(v), []rune(mrzTranslit(v)), []rune(m)
	if len(rv) < n || len(cv) != len(rv) || len(rm) < n {
		return "", false
	}
	diff := 0
	for i := 0; i < n; i++ {
		if cv[i] != rm[i] {
			diff++
		}
	}
	if diff == 0 || diff > 2 {
		return "", false
	}
	for i := 0; i < n; i++ {
		if cv[i] == rm[i] {
			continue
		}
		c := rm[i]
		switch {
		case c == '<':
			c = ' '
		case i > 0 && unicode.IsLower(rv[i-1]):
			c = unicode.ToLower(c)
		}
		rv[i] = c
	}
	return string(rv), true
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := 1
			if ra[i-1] == rb[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Clean drops detector noise before the fields are read: empty or
// unconfident readings and readings in scripts no European or US document
// prints (the recognizer's alphabet is mostly Chinese; it names tiny blobs
// with CJK characters).
func Clean(lines []Line) []Line {
	out := lines[:0:0]
	for _, l := range lines {
		if strings.TrimSpace(l.Text) == "" || l.Conf < 0.3 || !latin(l.Text) {
			continue
		}
		out = append(out, l)
	}
	return out
}

func latin(s string) bool {
	for _, r := range s {
		if r > 0x24F && r != '’' {
			return false
		}
	}
	return true
}
