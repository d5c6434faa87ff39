package documents

import (
	"strings"
	"unicode"

	"docscan/plates"
)

// placeByFold maps the folded form (fold: capitals, no umlaut dots or
// accents) of each place the plates package's district table names to
// the place as written, where the form is the fold of one spelling only
// and that spelling has an umlaut or accent to restore.
var placeByFold = func() map[string]string {
	m := map[string]string{}
	ambiguous := map[string]bool{}
	for _, p := range plates.Places() {
		k := fold(p)
		if q, ok := m[k]; ok && q != p {
			ambiguous[k] = true
		}
		m[k] = p
	}
	for k, p := range m {
		if ambiguous[k] || k == strings.ToUpper(p) {
			delete(m, k)
		}
	}
	return m
}()

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

// authorityPlace restores the umlauts of the place an issuing authority
// names after its first word ("Landeshauptstadt Munchen", "Kreis
// Gutersloh"), or of the whole authority where the gazetteer names it
// ("Landkreis Gottingen").
func authorityPlace(v string) string {
	if w := withUmlauts(v); w != v {
		return w
	}
	head, rest, ok := strings.Cut(v, " ")
	if !ok {
		return v
	}
	return head + " " + withUmlauts(rest)
}
