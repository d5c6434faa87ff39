package documents

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Date orders of printed dates.
type dateOrder int

const (
	dmyOrder dateOrder = iota // 14.07.1981 (Europe)
	mdyOrder                  // 07/14/1981 (United States)
	// dmyFull is dmyOrder where the card prints every year in four
	// digits (the German identity card): a date read with two is cut
	// short (glare over its end: 12.03.19 for 12.03.1968), no date
	dmyFull
)

// fixDigits maps letters that OCR confuses with digits inside number-like
// text (O -> 0, I/l -> 1, ...), and a comma or colon (a blurred stop) to a
// stop.
func fixDigits(s string) string {
	r := strings.NewReplacer("O", "0", "o", "0", "D", "0", "Q", "0", "I", "1", "l", "1", "|", "1", "S", "5", "B", "8", "Z", "2", ",", ".", ":", ".")
	return r.Replace(s)
}

// Now is the reference date for two-digit years; tests may set it.
var Now = time.Now

// ParseDate reads a printed date in the given order and returns it as an
// ISO date. Two-digit years are placed in the past for birth dates and
// within 30 years ahead otherwise.
func ParseDate(s string, order dateOrder, birth bool) (string, bool) {
	s = fixDigits(strings.TrimSpace(s))
	m := dateRE.FindString(s)
	if m == "" {
		// digits only: DDMMYYYY
		var d []rune
		for _, r := range s {
			if unicode.IsDigit(r) {
				d = append(d, r)
			}
		}
		switch len(d) {
		case 8:
		case 9:
			// a stray digit before or after (the rest of a field
			// number, a speck): the one window that is a date
			return strayDigitDate(d, order, birth)
		default:
			return "", false
		}
		m = string(d[0:2]) + "." + string(d[2:4]) + "." + string(d[4:8])
	}
	parts := strings.FieldsFunc(m, func(r rune) bool { return r == '.' || r == '-' || r == '/' || r == ' ' })
	if len(parts) != 3 {
		return "", false
	}
	var a, b, y int
	if _, err := fmt.Sscanf(parts[0]+" "+parts[1]+" "+parts[2], "%d %d %d", &a, &b, &y); err != nil {
		return "", false
	}
	day, month := a, b
	if order == mdyOrder {
		day, month = b, a
	}
	if len(parts[2]) == 2 && order == dmyFull {
		return "", false
	}
	if len(parts[2]) == 2 {
		now := Now().Year()
		y += 2000
		if birth && y > now {
			y -= 100
		} else if !birth && y > now+30 {
			y -= 100
		}
	}
	t := time.Date(y, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day || int(t.Month()) != month || y < 1900 || y > 2100 {
		return "", false
	}
	return t.Format("2006-01-02"), true
}

// strayDigitDate reads nine digits as a DDMMYYYY date with a stray digit
// before or after it (licence_0043's 4b row "4b./210120359": 21.01.2035
// and a 9): the date of the window that is one, where only one is.
func strayDigitDate(d []rune, order dateOrder, birth bool) (string, bool) {
	found := ""
	for _, w := range [][]rune{d[:8], d[1:]} {
		if v, ok := ParseDate(string(w), order, birth); ok {
			if found != "" && found != v {
				return "", false
			}
			found = v
		}
	}
	return found, found != ""
}

// Normalize cleans a field value as read: dates become ISO dates, numbers
// lose separators and OCR letter-for-digit swaps, names keep letters,
// spaces, hyphens and apostrophes. ok is false when nothing usable is left.
func Normalize(field, raw string, order dateOrder) (string, bool) {
	raw = strings.TrimSpace(raw)
	switch field {
	case "birth_date", "expiry_date", "issue_date":
		return ParseDate(raw, order, field == "birth_date")
	case "can":
		d := onlyAlnum(fixDigits(strings.ToUpper(raw)))
		if len(d) != 6 || strings.Trim(d, "0123456789") != "" {
			return "", false
		}
		return d, true
	case "document_number":
		d := onlyAlnum(strings.ToUpper(raw))
		return d, len(d) >= 5
	case "categories":
		var cats []string
		for _, f := range strings.FieldsFunc(strings.ToUpper(raw), func(r rune) bool { return r == '/' || r == ',' || r == ' ' || r == ';' || r == '|' }) {
			f = strings.Trim(f, ".:")
			if f != "" {
				cats = append(cats, f)
			}
		}
		cats = glueOnes(euCategories(cats))
		return strings.Join(cats, " "), len(cats) > 0
	case "sex":
		u := strings.ToUpper(raw)
		if u != "" && strings.ContainsRune("MFX", rune(u[0])) {
			return u[:1], true
		}
		return "", false
	case "nationality", "surname", "birth_name", "given_names", "birth_place":
		v := cleanName(raw)
		if field == "birth_place" {
			v = withUmlauts(withSeparators(strings.TrimSpace(strings.Trim(v, "()"))))
		}
		return v, v != ""
	}
	v := strings.Join(strings.Fields(raw), " ")
	if field == "issuing_authority" {
		v = authorityPlace(prefecture(authorityWord(authorityLabelJunk(v))))
	}
	return v, v != ""
}

// prefectureRE is a French licence's authority, "Préfecture de Lyon", as
// PP-OCR reads it: without the accent (its alphabet has no é; Tesseract
// deu reads it ö) and often without the spaces around "de".
var prefectureRE = regexp.MustCompile(`^(?i:(sous-)?pr[eéèö]fecture)\s*(des|de|du|DES|DE|DU)\s*(\S.*)$`)

// prefectureGeRE is "de" read "Ge" (a d's bowl taken for a G) between
// spaces.
var prefectureGeRE = regexp.MustCompile(`^((?i:(?:sous-)?pr[eéèö]fecture))\s+Ge\s+`)

// authorityWords are the words an issuing authority's name opens with (the
// kind of office: German towns, districts and their offices, French
// prefectures).
var authorityWords = []string{"Stadt", "Kreis", "Landkreis", "Landratsamt", "Landeshauptstadt", "Bezirksamt",
	"Stadtverwaltung", "Ordnungsamt", "Gemeinde", "Préfecture", "Sous-préfecture"}

// authorityWord writes the first word of an authority as printed when it
// is one misread letter off a word authorities open with (Stadk, Stndt,
// Stat for Stadt), two in words of eight letters or more (Pretecture,
// Landkrele), and a prefecture's word whose end alone was read; the place
// after it is left as read.
func authorityWord(v string) string {
	first, rest, _ := strings.Cut(v, " ")
	if rest == "" {
		return gluedAuthority(v)
	}
	f := fold(first)
	for _, w := range authorityWords {
		fw := fold(w)
		d := editDistance(f, fw)
		// the word with dots or an accent it does not have (the umlaut
		// merge's "Ländeshauptstädt") is written as printed; without its
		// own ("Prefecture") it is left to prefecture
		if d == 0 && (first == w || first == strings.ToUpper(w) || !strings.ContainsFunc(first, func(r rune) bool { return r > unicode.MaxASCII })) {
			return v
		}
		if d <= 1 && len(fw) >= 4 || d == 2 && len(fw) >= 8 {
			if strings.ToUpper(first) == first && len(first) > 1 {
				w = strings.ToUpper(w) // printed in capitals
			}
			return w + " " + rest
		}
	}
	// a French licence's "Préfecture de": the word's end read, its start
	// lost to blur or glare (LcHetecture de Paris; not Architecture)
	if strings.HasSuffix(f, "ECTURE") && editDistance(f, "PREFECTURE") <= 4 && prefectureOfRE.MatchString(rest) {
		w := "Préfecture"
		if strings.ToUpper(first) == first {
			w = strings.ToUpper(w)
		}
		return w + " " + rest
	}
	return v
}

// gluedAuthority writes an authority read without the space after its
// first word (StadtBonn, KreisBorken: PP-OCR loses a narrow space) with
// it: v opens with a word authorities open with (the longest that fits),
// and what follows has gluedPlaceMin letters or more and starts with a
// capital after the word's lower-case end (a word that goes on in lower
// case is another: Stadtverwaltung), or, read all in capitals, is a place
// of the district table (STADTBONN). Anything else is returned as it is.
func gluedAuthority(v string) string {
	best := ""
	for _, w := range authorityWords {
		if len(w) > len(best) && len(v) > len(w) && strings.EqualFold(v[:len(w)], w) {
			best = w
		}
	}
	if best == "" {
		return v
	}
	head, place := v[:len(best)], v[len(best):]
	if len([]rune(joined(place))) < gluedPlaceMin {
		return v
	}
	first, _ := utf8.DecodeRuneInString(place)
	last, _ := utf8.DecodeLastRuneInString(head)
	camel := unicode.IsLower(last) && unicode.IsUpper(first)
	if !camel && !(strings.ToUpper(v) == v && isPlace(place)) {
		return v
	}
	return head + " " + place
}

// gluedPlaceMin is the fewest letters of a place glued to its authority's
// word that gluedAuthority parts from it (Ulm, Hof).
const gluedPlaceMin = 3

// prefectureOfRE is the "de" (du, des) and place after a prefecture.
var prefectureOfRE = regexp.MustCompile(`^(?i:de|du|des)\s+\S`)

// prefecture writes the French licence authority's fixed words correctly;
// any other authority comes back unchanged.
func prefecture(v string) string {
	v = prefectureGeRE.ReplaceAllString(v, "${1} de ")
	m := prefectureRE.FindStringSubmatch(v)
	if m == nil {
		return v
	}
	out := "Préfecture " + strings.ToLower(m[2]) + " "
	if m[1] != "" {
		out = "Sous-p" + out[1:]
	}
	if word := m[0][:len(m[0])-len(m[3])]; strings.ToUpper(word) == word {
		out = strings.ToUpper(out) // printed in capitals
	}
	return out + m[3]
}

func onlyAlnum(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// cleanName keeps letters, spaces, hyphens, apostrophes and parentheses,
// squeezing spaces.
func cleanName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsLetter(r), r == '-', r == '\'', r == '(', r == ')':
			b.WriteRune(r)
		case unicode.IsSpace(r), r == '.', r == ',':
			b.WriteRune(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// MergeUmlauts puts back the umlauts and accents that a second reading
// (Tesseract deu) saw where the first (PP-OCR, whose alphabet lacks Ä, Ö
// and ß) read the plain letter: when both readings fold to the same text,
// the second one's accented letters are taken.
func MergeUmlauts(first, second string) string {
	a, b := []rune(first), []rune(second)
	nospace := func(s string) string { return strings.ReplaceAll(fold(s), " ", "") }
	if nospace(first) == nospace(second) && strings.Count(strings.TrimSpace(second), " ") > strings.Count(strings.TrimSpace(first), " ") {
		// the same letters, but the first reading lost a word space
		return strings.TrimSpace(second)
	}
	if len(a) != len(b) || fold(first) != fold(second) {
		return mergeWords(first, second)
	}
	out := make([]rune, len(a))
	for i := range a {
		out[i] = a[i]
		if b[i] != a[i] && fold(string(b[i])) == fold(string(a[i])) {
			out[i] = b[i]
		}
	}
	return string(out)
}

// mergeWords takes the accented words of the second reading into the
// first wherever the first holds the same letters without the accents (the
// readings differ elsewhere: a label read otherwise, a lost space).
func mergeWords(first, second string) string {
	fr := []rune(first)
	ff := make([]rune, len(fr))
	for i, c := range fr {
		ff[i] = []rune(fold(string(c)) + " ")[0]
	}
	for _, w := range strings.Fields(second) {
		wr := []rune(w)
		plain := true
		for _, c := range wr {
			if c > 127 {
				plain = false
			}
		}
		if plain {
			continue
		}
		fw := make([]rune, len(wr))
		for k, c := range wr {
			fw[k] = []rune(fold(string(c)) + " ")[0]
		}
		for i := 0; i+len(fw) <= len(ff); i++ {
			match := true
			for k := range fw {
				if ff[i+k] != fw[k] {
					match = false
					break
				}
			}
			if !match {
				continue
			}
			for k, c := range wr {
				if c > 127 && unicode.IsLetter(c) {
					fr[i+k] = c
				}
			}
			break
		}
	}
	return string(fr)
}

// euCategories repairs a row of EU licence categories: where at least
// two tokens, and no fewer than the odd ones, are categories, three or
// more in all (the row is an EU licence's field 9, not a US class or
// endorsement list), each odd token becomes the categories it reads as
// (splitCategories: C1F -> C1E, LT -> L T, AB -> A B), or is dropped when
// it is one character at the row's start or end (the field number "9."
// read as I); when one odd token reads as nothing, the row stays as read.
func euCategories(cats []string) []string {
	var odd []int
	for i, c := range cats {
		if !knownCategories[c] {
			odd = append(odd, i)
		}
	}
	known := len(cats) - len(odd)
	if len(odd) == 0 || len(cats) < 3 || known < 2 || known < len(odd) {
		return cats
	}
	fixed := make([][]string, len(cats))
	for _, i := range odd {
		if f, ok := splitCategories(cats[i]); ok {
			fixed[i] = f
			continue
		}
		if len([]rune(cats[i])) == 1 && (i == 0 || i == len(cats)-1) {
			fixed[i] = []string{}
			continue
		}
		return cats
	}
	var out []string
	for i, c := range cats {
		if fixed[i] != nil {
			out = append(out, fixed[i]...)
		} else {
			out = append(out, c)
		}
	}
	return out
}

// authorityJunkRE is what is left of field 4c's number before the
// authority when the recognizer misread it ("4c." as "Ac.", "Ae,", "E",
// "e" glued to the first word, "#c"): one or two characters ending in c
// or e with a stop, "Ac" glued to a capital or a space before it ("Ac
// Prefecture"), the 4 and its c read as a digit or a G, o or O apart
// ("46 Stadt Bonn", lic7 licence_0033), or one character apart or glued
// lower-case before a capitalized word.
var authorityJunkRE = regexp.MustCompile(`^(?:[4A#]?\s?[cCeE]\s?[\.,:]\s*|[4A#][ce]\s?|4[60GoO][\.,:]?\s+|[a-zA-Z4]\s+|[a-z4])([A-ZÄÖÜ][a-zäöüéèA-ZÄÖÜÉ]{2,})`)

// authorityLabelJunk drops a misread field number before an authority.
func authorityLabelJunk(v string) string {
	return authorityJunkRE.ReplaceAllString(v, "$1")
}

// plausible reports whether a date field's ISO value can be on a German
// identity card read now: a birth date within the last 110 years, an
// expiry date at most ten years ahead (the card's longest validity) and
// at most thirty back. Other fields are always plausible.
func plausible(field, iso string) bool {
	t, err := time.Parse("2006-01-02", iso)
	if err != nil {
		return false
	}
	now := Now()
	switch field {
	case "birth_date":
		return !t.After(now) && t.After(now.AddDate(-110, 0, 0))
	case "expiry_date":
		return !t.After(now.AddDate(10, 0, 1)) && t.After(now.AddDate(-30, 0, 0))
	}
	return true
}

// PlausibleDate reads text as a field printed day first (Normalize) and
// returns its value, and whether it is one the German identity card can
// bear (dates only are judged).
func PlausibleDate(field, text string) (string, bool) {
	v, ok := Normalize(field, text, dmyOrder)
	return v, ok && plausible(field, v)
}

// FoldWidth writes the full-width forms of ASCII characters (U+FF01 to
// U+FF5E), the ideographic space, full stop and comma as the ASCII
// characters they are. PP-OCR's alphabet holds both (it was trained on
// Chinese print): it reads the bracket of "10.01.1978 (Dijon)" as "（", and
// a line with such a character was dropped as not Latin. One rune for one,
// so the recognizer's characters keep their positions.
func FoldWidth(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= 0x3000 }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFF01 + '!'
		case r == 0x3000:
			return ' '
		case r == 0x3002:
			return '.'
		case r == 0x3001:
			return ','
		}
		return r
	}, s)
}
