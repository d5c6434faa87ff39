package plates

import (
	"sort"
	"strings"
)

// German rules (FZV 2023 §9-§10, Anlage 1-2; see README.md for sources):
//   - district code: 1-3 letters incl. umlauts, from the project's table (districts.txt)
//   - letters: 1-2 of A-Z (no umlauts), digits: 1-4 without leading zero
//   - at most 8 characters for district + letters + digits (KBA: "Das Kennzeichen darf
//     insgesamt nicht mehr als acht Zeichen enthalten"); the E/H suffix is not counted:
//     FZV calls it an "amtlicher Zusatz hinter der Erkennungsnummer" (old §9a(2)), and
//     CONTRACT.md's example DO-AB 1234E (9 characters) is valid. Some authorities keep
//     8 printed characters for plate-width reasons; that is a production limit, not a
//     validity rule here.
//   - E (electric) and H (historic) suffix after the digits
//   - seasonal plates: the month range is printed but is not part of the text
//   - digits-only series: Y (Bundeswehr), X (NATO, four digits), THW, BP (Bundespolizei), BD, BW and
//     the state government codes; red plates 05/06/07; diplomatic 0-plates.

// stateCodes are the Land government/police codes (digits only).
var stateCodes = map[string]string{
	"BBL": "Brandenburg", "BWL": "Baden-Württemberg", "BYL": "Bayern", "HEL": "Hessen",
	"LSA": "Sachsen-Anhalt", "LSN": "Sachsen", "MVL": "Mecklenburg-Vorpommern", "NL": "Niedersachsen",
	"NRW": "Nordrhein-Westfalen", "RPL": "Rheinland-Pfalz", "SAL": "Saarland", "SH": "Schleswig-Holstein",
	"THL": "Thüringen",
}

// forbiddenLetters are letter groups that registration authorities do not issue
// (sittenwidrig, BMV recommendation): HJ, KZ, NS, SA, SD, SS.
var forbiddenLetters = map[string]bool{"HJ": true, "KZ": true, "NS": true, "SA": true, "SD": true, "SS": true}

const deMaxLen = 8

func isMonth(s string) bool {
	return len(s) == 2 && ((s[0] == '0' && s[1] >= '1' && s[1] <= '9') || (s[0] == '1' && s[1] >= '0' && s[1] <= '2'))
}

func parseDE(in *input) []*Record {
	var out []*Record
	// Seasonal plate: a trailing "MM MM" month range after a complete plate.
	if toks := in.tokens(); len(toks) >= 3 && isMonth(toks[len(toks)-1]) && isMonth(toks[len(toks)-2]) {
		cut := len(in.runes) - 4
		sub := &input{runes: in.runes[:cut], hint: in.hint[:cut], any: in.any}
		for _, r := range parseDEPlain(sub) {
			if r.Valid && r.Format == "standard" {
				r.Format = "seasonal"
				r.Parts.Season = toks[len(toks)-2] + "-" + toks[len(toks)-1]
				out = append(out, r)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	if r := parseDiplomatic(in); r != nil {
		return []*Record{r}
	}
	return parseDEPlain(in)
}

// parseDiplomatic reads "[district] 0 digits...", the 0 set off by a separator.
func parseDiplomatic(in *input) *Record {
	toks := in.tokens()
	i := 0
	district := ""
	if len(toks) >= 2 && toks[0] != "0" {
		district = toks[0]
		i = 1
	}
	if len(toks) < i+2 || toks[i] != "0" {
		return nil
	}
	digits := ""
	for _, t := range toks[i+1:] {
		if !allDigits([]rune(t)) {
			return nil
		}
		digits += t
	}
	r := &Record{Kind: "plate", Country: "DE", Format: "diplomatic", Series: "diplomatic", Valid: true}
	if district != "" {
		d, ok := districts[district]
		if !ok || !allLettersOrUmlauts([]rune(district)) {
			return nil
		}
		r.DistrictName = d.Area
		r.Display = district + "-"
	}
	r.Text = district + "0" + digits
	r.Display += "0 " + strings.Join(toks[i+1:], "-")
	r.Parts = Parts{District: district, Digits: "0" + digits}
	if digits[0] == '0' {
		r.Valid, r.Reason = false, "diplomatic number with leading zero"
	}
	if len([]rune(r.Text)) > deMaxLen || len(digits) > 5 {
		r.Valid, r.Reason = false, "more than 8 characters"
	}
	return r
}

func allLettersOrUmlauts(rs []rune) bool {
	for _, r := range rs {
		if !isLetter(r) && !isUmlaut(r) {
			return false
		}
	}
	return len(rs) > 0
}

func parseDEPlain(in *input) []*Record {
	rs := in.runes
	n := len(rs)
	var out []*Record
	for dl := 1; dl <= 3 && dl < n; dl++ {
		if !allLettersOrUmlauts(rs[:dl]) {
			break
		}
		for ll := 0; ll <= 2 && dl+ll < n; ll++ {
			if ll > 0 && !allLetters(rs[dl:dl+ll]) {
				break
			}
			// The district/letters boundary is the seal gap: with any separator in the
			// input it must be marked.
			if ll > 0 && in.any && !in.hint[dl] {
				continue
			}
			rest := rs[dl+ll:]
			for _, withSuffix := range []bool{false, true} {
				digits := rest
				suffix := ""
				if withSuffix {
					last := rest[len(rest)-1]
					if last != 'E' && last != 'H' || len(rest) < 2 {
						continue
					}
					digits = rest[:len(rest)-1]
					suffix = string(last)
				}
				if !allDigits(digits) {
					continue
				}
				end := dl + ll + len(digits)
				digitsOnly := ll == 0
				if digitsOnly {
					// Hints may split digit groups (Y-123 456, NRW-5 4000).
					ok := true
					for i := 1; i < dl; i++ {
						if in.hint[i] {
							ok = false
						}
					}
					if !ok {
						continue
					}
				} else if !in.hintsOnlyAt(dl, dl+ll, end) {
					continue
				}
				out = append(out, deRecord(string(rs[:dl]), string(rs[dl:dl+ll]), string(digits), suffix))
			}
		}
	}
	// Readings with a known district first, valid first.
	sort.SliceStable(out, func(i, j int) bool {
		return rank(out[i]) > rank(out[j])
	})
	return out
}

func rank(r *Record) int {
	s := 0
	if r.Valid {
		s += 2
	}
	if r.DistrictName != "" {
		s++
	}
	return s
}

func deRecord(district, letters, digits, suffix string) *Record {
	r := &Record{Kind: "plate", Country: "DE", Valid: true,
		Text:  district + letters + digits + suffix,
		Parts: Parts{District: district, Letters: letters, Digits: digits, Suffix: suffix}}
	d, known := districts[district]
	if known {
		r.DistrictName = d.Area
	}
	invalid := func(reason string) *Record {
		r.Valid = false
		if r.Reason == "" {
			r.Reason = reason
		}
		return r
	}
	if len([]rune(district+letters+digits)) > deMaxLen {
		invalid("more than 8 characters")
	}
	if !known {
		invalid("unknown district code")
	}
	_, state := stateCodes[district]
	special := state || district == "Y" || district == "X" || district == "THW" || district == "BP" || district == "BD" || district == "BW"
	if letters != "" {
		r.Format = "standard"
		r.Display = district + "-" + letters + " " + digits + suffix
		switch suffix {
		case "E":
			r.Series = "electric"
		case "H":
			r.Series = "historic"
		}
		if special {
			return invalid("code " + district + " takes digits only")
		}
		if len(digits) > 4 {
			return invalid("more than 4 digits")
		}
		if digits[0] == '0' {
			return invalid("leading zero")
		}
		if forbiddenLetters[letters] {
			return invalid("letter group " + letters + " is not issued")
		}
		return r
	}
	// Digits-only series.
	r.Format = "special"
	r.Display = district + "-" + digits + suffix
	noSuffix := func() {
		if suffix != "" {
			invalid("no " + suffix + " suffix on this series")
		}
	}
	plain := func(max int) {
		if len(digits) > max {
			invalid("too many digits")
		}
		if digits[0] == '0' {
			invalid("leading zero")
		}
	}
	switch {
	case district == "Y":
		r.Series = "bundeswehr"
		plain(6)
		noSuffix()
		if len(digits) == 6 {
			r.Display = "Y-" + digits[:3] + " " + digits[3:]
		}
	case district == "X":
		// NATO headquarters' plates: X and four digits (X-1234; ADAC
		// and the plate makers describe no shorter ones). A shorter
		// X plate is a fragment's reading (X365 of DD-X 365).
		r.Series = "nato"
		plain(4)
		noSuffix()
		if len(digits) != 4 {
			invalid("NATO numbers have 4 digits")
		}
	case district == "THW":
		r.Series = "thw"
		noSuffix()
		if len(digits) < 4 || len(digits) > 5 || (digits[0] != '8' && digits[0] != '9') {
			invalid("THW numbers have 4-5 digits starting with 8 or 9")
		}
	case district == "BP":
		r.Series = "bundespolizei"
		bpRules(r, digits, suffix, invalid)
	case district == "BD":
		r.Series = "federal"
		plain(6)
		if suffix == "H" {
			invalid("no H suffix on this series")
		}
	case district == "BW":
		r.Series = "federal-waterways"
		plain(6)
		if suffix == "H" {
			invalid("no H suffix on this series")
		}
	case state:
		r.Series = "state-government"
		plain(6)
		if suffix == "H" {
			invalid("no H suffix on this series")
		}
	case len(digits) >= 3 && digits[0] == '0' && digits[1] >= '5' && digits[1] <= '7':
		r.Format = "red"
		r.Series = map[byte]string{'5': "inspection", '6': "dealer", '7': "collector"}[digits[1]]
		noSuffix()
		if len(digits) > 6 {
			invalid("red plate number longer than 6 digits")
		}
	case district == "B" || district == "HH" || district == "HB":
		r.Series = "state-government"
		plain(6)
		if suffix == "H" {
			invalid("no H suffix on this series")
		}
	default:
		invalid("no letter group")
	}
	return r
}

// bpRules: Bundespolizei numbers are a 2-digit vehicle type code (10-12, 15-59, 60-61
// electric with mandatory E) and a 1-3 digit serial; red test plates 0600-0699.
func bpRules(r *Record, digits, suffix string, invalid func(string) *Record) {
	if strings.HasPrefix(digits, "06") && len(digits) == 4 {
		r.Format = "red"
		if suffix != "" {
			invalid("red plates take no suffix")
		}
		r.Display = "BP " + digits
		return
	}
	if len(digits) < 3 || len(digits) > 5 {
		invalid("BP numbers are a 2-digit type code and a 1-3 digit serial")
		return
	}
	t := int(digits[0]-'0')*10 + int(digits[1]-'0')
	r.Display = "BP " + digits[:2] + "-" + digits[2:] + suffix
	switch {
	case t >= 10 && t <= 12, t >= 15 && t <= 59:
		if suffix != "" {
			invalid("suffix on a non-electric BP type code")
		}
	case t == 60 || t == 61:
		if suffix != "E" {
			invalid("electric BP type codes 60-61 need the E suffix")
		}
	default:
		invalid("unknown BP vehicle type code")
	}
}
