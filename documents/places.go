package documents

import (
	"sort"
	"strings"
	"unicode"

	"docscan/plates"
)

// placeByFold maps the folded form (fold: capitals, no umlaut dots or
// accents) of each place the plates package's district table names to
// the place as written, where the form is the fold of one spelling only
// and that spelling has an umlaut or accent to restore.
var placeByFold = func() map[string]string {
	m := placesBy(fold)
	for k, p := range m {
		if k == strings.ToUpper(p) {
			delete(m, k)
		}
	}
	return m
}()

// placesBy maps key(p) of each place p of the plates package's district
// table to p, where that key is one place's alone.
func placesBy(key func(string) string) map[string]string {
	m := placeForms(key)
	for k, p := range m {
		if p == "" {
			delete(m, k)
		}
	}
	return m
}

// placeForms maps key(p) of each place p of the district table to p, or
// to "" where two places share that key.
func placeForms(key func(string) string) map[string]string {
	m := map[string]string{}
	for _, p := range plates.Places() {
		k := key(p)
		if q, ok := m[k]; ok && q != p {
			p = ""
		}
		m[k] = p
	}
	return m
}

// withUmlauts writes a place read without the dots of its umlauts
// ("SAARBRUCKEN", "Munchen") as the gazetteer spells it (SAARBRÜCKEN,
// München), in the case it was read in: only where the whole reading is
// one known place and every letter that differs is the bare letter of
// the place's umlaut or accented letter. Anything else is returned as it
// is.
func withUmlauts(v string) string {
	p, ok := placeByFold[fold(v)]
	if !ok {
		return v
	}
	read := []rune(strings.Join(strings.Fields(v), " "))
	want := []rune(p)
	if len(read) != len(want) {
		return v
	}
	for i, r := range read {
		w := want[i]
		switch {
		case unicode.ToUpper(r) == unicode.ToUpper(w):
		case fold(string(r)) == string(unicode.ToUpper(r)): // the bare letter of w
			if unicode.IsUpper(r) {
				w = unicode.ToUpper(w)
			} else {
				w = unicode.ToLower(w)
			}
			read[i] = w
		default:
			return v
		}
	}
	return string(read)
}

// placeByJoin maps the form of each place of the district table without
// its hyphens and spaces (joined) to the place as written, where that form
// is the place's alone.
var placeByJoin = placesBy(joined)

// joined is s folded (capitals, no dots or accents) with only its letters.
func joined(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) {
			return r
		}
		return -1
	}, fold(s))
}

// withSeparators writes a place of the district table read with its
// hyphens or spaces lost or swapped ("Rhein-Sieg Kreis", "FREIBURGIM
// BREISGAU"; its umlauts' dots with them, and a stray mark or digit
// beside it, "2 Kreis Borken": no place is written with one) as the table
// writes it, in capitals where it was read in capitals; anything else is
// returned as it is. Only where the place or the reading has a hyphen or
// space: a single word is left to withUmlauts.
func withSeparators(v string) string {
	p, ok := placeByJoin[joined(v)]
	if !ok || p == v || !strings.ContainsAny(p+v, " -") {
		return v
	}
	if strings.ToUpper(v) == v {
		p = strings.ToUpper(p)
	}
	return p
}

// authorityPlace restores the umlauts of the place an issuing authority
// names after its first word ("Landeshauptstadt Munchen", "Kreis
// Gutersloh"), or of the whole authority where the gazetteer names it
// ("Landkreis Gottingen"), and its hyphens and spaces ("Rhein-Sieg
// Kreis").
func authorityPlace(v string) string {
	if w := withUmlauts(withSeparators(v)); w != v {
		return w
	}
	head, rest, ok := strings.Cut(v, " ")
	if !ok {
		return v
	}
	return head + " " + withUmlauts(rest)
}

// Near places. A place of the district table read with one letter wrong
// ("Rhein-Sieg-Krels", "NORNBERG", "Gutersioh") is written as the table
// writes it, where the recognizer was unsure of the line (nearPlaceConf:
// a clean reading of a place the table does not hold, Sonnenberg beside
// the table's Sonneberg, comes back sure), the reading's letters number
// nearPlaceMin or more (short names lie one letter apart: Bonn, Born)
// and one place alone of the table lies one letter off it.
const (
	nearPlaceConf = 0.95
	nearPlaceMin  = 7
)

// placeJoined lists each form of the district table's places by its
// letters folded (joined), once, with the place it writes; "" where two
// places share the form (it is a place, but which one is not known).
var placeJoined = func() []placeForm {
	by := placeForms(joined)
	out := make([]placeForm, 0, len(by))
	for k, p := range by {
		out = append(out, placeForm{k, p})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out
}()

type placeForm struct{ key, place string }

// placeWithKey is the place whose folded letters (joined) are key: ok is
// false where no place has them, and the place "" where several do.
func placeWithKey(key string) (string, bool) {
	i := sort.Search(len(placeJoined), func(i int) bool { return placeJoined[i].key >= key })
	if i == len(placeJoined) || placeJoined[i].key != key {
		return "", false
	}
	return placeJoined[i].place, true
}

// isPlace reports whether v's folded letters (joined) are those of a place
// of the district table.
func isPlace(v string) bool {
	_, ok := placeWithKey(joined(v))
	return ok
}

// asRead is place p in capitals where v was read in capitals; ok is
// false where p is "" (no place, or several).
func asRead(v, p string) (string, bool) {
	if p == "" {
		return "", false
	}
	if strings.ToUpper(v) == v {
		p = strings.ToUpper(p)
	}
	return p, true
}

// nearPlace is the table's place one letter off v (counted over its
// folded letters), in capitals where v was read in capitals; ok is false
// where v is a place of the table, has fewer than nearPlaceMin letters, or
// no place or more than one lies one letter off.
func nearPlace(v string) (string, bool) {
	k := joined(v)
	n := len([]rune(k))
	if n < nearPlaceMin {
		return "", false
	}
	found, near := "", 0
	for _, f := range placeJoined {
		if d := len([]rune(f.key)) - n; d > 1 || d < -1 {
			continue
		}
		switch editDistance(k, f.key) {
		case 0:
			return "", false
		case 1:
			found, near = f.place, near+1
		}
	}
	if near != 1 {
		return "", false
	}
	return asRead(v, found)
}

// Cut places. A place read cut short, its end lost at the card's or the
// photo's edge, under a finger or in glare (DÜSSELDO, Landkreis Göttinge),
// or its first letter lost at the line's start (EIPZIG), comes back sure:
// what shows is read right. Where the letters read (cutPlaceMin or more)
// begin exactly one place of the district table with at most cutPlaceLost
// letters more, or end one with a single letter more, and are no place
// themselves, the place is written as the table writes it. More lost is
// another place as likely (Berlin's Bezirksamt Mitte is no cut of
// Mittelsachsen); a reading that begins a place only up to the
// end of one of its words (HALLE of Halle (Saale)) may name another place,
// and one that begins several (FREIBUR: Freiburg, Freiburg im Breisgau)
// is not known to name which: both are left as read.
const (
	cutPlaceMin  = 5
	cutPlaceLost = 3
)

// cutPlace is the place of the district table that v's folded letters
// begin (cutPlaceLost letters more at most), or end with one letter before
// them; ok is false where v has fewer than cutPlaceMin letters, is a place
// of the table, or begins or ends no place or more than one.
func cutPlace(v string) (string, bool) {
	k := joined(v)
	n := len([]rune(k))
	if _, ok := placeWithKey(k); ok || n < cutPlaceMin {
		return "", false
	}
	found := ""
	i := sort.Search(len(placeJoined), func(i int) bool { return placeJoined[i].key >= k })
	for ; i < len(placeJoined) && strings.HasPrefix(placeJoined[i].key, k); i++ {
		if found != "" || placeJoined[i].place == "" || !midWord(placeJoined[i].place, n) || len([]rune(placeJoined[i].key)) > n+cutPlaceLost {
			return "", false
		}
		found = placeJoined[i].place
	}
	for _, f := range placeJoined {
		if r := []rune(f.key); len(r) == n+1 && string(r[1:]) == k {
			if found != "" || f.place == "" {
				return "", false
			}
			found = f.place
		}
	}
	return asRead(v, found)
}

// midWord reports whether place p's n-th letter (joined keeps each letter
// as one) is followed by a letter of the same word: a reading that ends
// with a word of the place (HALLE of Halle (Saale)) may name another
// place, one cut inside a word does not.
func midWord(p string, n int) bool {
	r := []rune(p)
	for i, c := range r {
		if unicode.IsLetter(c) {
			if n--; n == 0 {
				return i+1 < len(r) && unicode.IsLetter(r[i+1])
			}
		}
	}
	return false
}

// nearPlaces writes a birth place, or the place an issuing authority
// names (after its first word, or the whole authority), one letter off a
// place of the district table as the table writes it (nearPlace), where
// the line was read under nearPlaceConf, or cut from one (cutPlace).
func nearPlaces(out map[string]Read) {
	if r, ok := out["birth_place"]; ok {
		if p, ok := placeOf(r, r.Value); ok {
			r.Value = p
			out["birth_place"] = r
		}
	}
	if r, ok := out["issuing_authority"]; ok {
		if p, ok := placeOf(r, r.Value); ok {
			r.Value = p
			out["issuing_authority"] = r
		} else if head, rest, cut := strings.Cut(r.Value, " "); cut {
			if p, ok := placeOf(r, rest); ok {
				r.Value = head + " " + p
				out["issuing_authority"] = r
			}
		}
	}
}

// placeOf is the district table's place that v, read in r, is one letter
// off (nearPlace, where r was read unsure), lacks an umlaut of
// (umlautLost) or is cut from (cutPlace).
func placeOf(r Read, v string) (string, bool) {
	if r.Conf < nearPlaceConf {
		if p, ok := nearPlace(v); ok {
			return p, true
		}
	}
	if p, ok := umlautLost(v); ok {
		return p, true
	}
	if p, ok := strayBeside(v); ok {
		return p, true
	}
	return cutPlace(v)
}

// strayBeside is the district table's place v holds beside a lone
// character, a word of its own before or after it (S MAINZ: a speck or
// the edge of a letter of the date before it read), in capitals where v
// was read in capitals; ok is false where v is a place as read or is none
// without that character.
func strayBeside(v string) (string, bool) {
	f := strings.Fields(v)
	if len(f) < 2 || isPlace(v) {
		return "", false
	}
	for _, c := range []struct {
		lone string
		rest []string
	}{{f[0], f[1:]}, {f[len(f)-1], f[:len(f)-1]}} {
		if len([]rune(c.lone)) != 1 {
			continue
		}
		if p, ok := placeWithKey(joined(strings.Join(c.rest, " "))); ok && p != "" {
			return asRead(v, p)
		}
	}
	return "", false
}

// Lost umlauts. PP-OCR's alphabet (ppocr_keys_v1) has no Ä or Ö, and its
// model all but never emits the Ü it has: it reads DÜSSELDORF as
// DSSELDORF, sure of it (0.96 on licence_0145), or LÜBECK as LBECK, where
// Tesseract's second reading did not restore the letter. A reading of
// umlautLostMin letters or more that is no place of the district table
// but becomes one, and one alone, with an A, O or U put in where the
// place has its umlaut is that place.
const umlautLostMin = 4

// umlautLost is the district table's place that v lacks one umlaut of, in
// capitals where v was read in capitals; ok is false where v is a place
// of the table, is too short, or no place or several are v with one
// umlaut's letter put in.
func umlautLost(v string) (string, bool) {
	key := joined(v)
	k := []rune(key)
	if _, ok := placeWithKey(key); ok || len(k) < umlautLostMin {
		return "", false
	}
	found := ""
	for i := 0; i <= len(k); i++ {
		for _, u := range "AOU" {
			p, ok := placeWithKey(string(k[:i]) + string(u) + string(k[i:]))
			if !ok || p == "" || !umlautAt(p, i) {
				continue
			}
			if found != "" && found != p {
				return "", false
			}
			found = p
		}
	}
	return asRead(v, found)
}

// umlautAt reports whether the i-th letter of place p is an umlaut.
func umlautAt(p string, i int) bool {
	for _, r := range p {
		if !unicode.IsLetter(r) {
			continue
		}
		if i == 0 {
			return strings.ContainsRune("ÄÖÜäöü", r)
		}
		i--
	}
	return false
}
