package plates

import (
	_ "embed"
	"strings"
)

//go:embed districts.txt
var districtsTxt string

// District describes one German Unterscheidungszeichen.
type District struct {
	Code   string // e.g. "DÜW"
	Origin string // place or body the code is derived from
	Area   string // registration district today
	State  string // ISO 3166-2:DE subdivision without "DE-", or "DE" for federal codes
}

var districts = loadDistricts()

func loadDistricts() map[string]District {
	m := make(map[string]District, 800)
	for _, line := range strings.Split(districtsTxt, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, ";")
		if len(f) != 4 {
			panic("plates: bad districts.txt line: " + line)
		}
		d := District{Code: f[0], Origin: f[1], Area: f[2], State: f[3]}
		if d.Area == "" {
			d.Area = d.Origin
		}
		m[d.Code] = d
	}
	return m
}

// LookupDistrict returns the German district code's entry.
func LookupDistrict(code string) (District, bool) {
	d, ok := districts[strings.ToUpper(code)]
	return d, ok
}

// Districts returns the number of German district codes in the table.
func Districts() int { return len(districts) }

// Places returns the places and registration districts the table names
// (origins, and each district of an area such as "Amberg-Sulzbach /
// Bayreuth"), each once, as written there with their umlauts: a gazetteer
// of German towns and districts for readers of printed place names.
func Places() []string {
	seen := map[string]bool{}
	var out []string
	for _, d := range districts {
		for _, p := range append([]string{d.Origin}, strings.Split(d.Area, " / ")...) {
			if p = strings.TrimSpace(p); p != "" && !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}
