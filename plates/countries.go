package plates

import "strings"

// ---- Netherlands: kentekens by sidecode (RDW), groups separated by '-' ----

// nlSidecodes maps the letter/digit pattern of the 6 characters to the group lengths.
var nlSidecodes = []struct {
	n       int
	pattern []string
}{
	{1, []string{"LL", "DD", "DD"}},
	{2, []string{"DD", "DD", "LL"}},
	{3, []string{"DD", "LL", "DD"}},
	{4, []string{"LL", "DD", "LL"}},
	{5, []string{"LL", "LL", "DD"}},
	{6, []string{"DD", "LL", "LL"}},
	{7, []string{"DD", "LLL", "D"}},
	{8, []string{"D", "LLL", "DD"}},
	{9, []string{"LL", "DDD", "L"}},
	{10, []string{"L", "DDD", "LL"}},
	{11, []string{"LLL", "DD", "L"}},
	{12, []string{"L", "DD", "LLL"}},
	{13, []string{"D", "LL", "DDD"}},
	{14, []string{"DDD", "LL", "D"}},
}

func parseNL(in *input) []*Record {
	for _, sc := range nlSidecodes {
		if g, ok := splitFixed(in, sc.pattern...); ok {
			r := newRecord("NL", "sidecode", g, []string{"-", "-"})
			r.Series = "sidecode-" + itoa(sc.n)
			return []*Record{r}
		}
	}
	return nil
}

// ---- France: SIV AA-123-AA (2009-) and FNI 123 ABC 75 (before 2009) ----

func parseFR(in *input) []*Record {
	if g, ok := splitFixed(in, "LL", "DDD", "LL"); ok {
		r := newRecord("FR", "siv", g, []string{"-", "-"})
		r.Parts.Letters = g[0] + g[2]
		r.Parts.Digits = g[1]
		if strings.ContainsAny(g[0]+g[2], "IOU") {
			r.Valid, r.Reason = false, "SIV letters exclude I, O and U"
		} else if g[1] == "000" {
			r.Valid, r.Reason = false, "SIV number 000 is not issued"
		}
		return []*Record{r}
	}
	// FNI: 2-4 digits, 1-3 letters, département (01-95, 2A, 2B, 971-976).
	for nd := 2; nd <= 4; nd++ {
		for nl := 1; nl <= 3; nl++ {
			for _, dep := range []string{"DD", "DL", "DDD"} {
				g, ok := splitFixed(in, strings.Repeat("D", nd), strings.Repeat("L", nl), dep)
				if !ok {
					continue
				}
				if !validDepartement(g[2]) {
					continue
				}
				r := newRecord("FR", "fni", g, []string{" ", " "})
				r.Parts.Digits, r.Parts.Letters, r.Parts.District = g[0], g[1], g[2]
				return []*Record{r}
			}
		}
	}
	return nil
}

func validDepartement(s string) bool {
	switch len(s) {
	case 2:
		if s == "2A" || s == "2B" {
			return true
		}
		if s[1] < '0' || s[1] > '9' {
			return false
		}
		n := atoi(s)
		return n >= 1 && n <= 95 && n != 20
	case 3:
		n := atoi(s)
		return n >= 971 && n <= 976
	}
	return false
}

// ---- Belgium: 1-ABC-123 (2010-), old ABC-123 / 123-ABC, and special series ----

func parseBE(in *input) []*Record {
	type p struct {
		format  string
		pattern []string
	}
	for _, c := range []p{
		{"standard", []string{"D", "LLL", "DDD"}},
		{"special", []string{"D", "DDD", "LLL"}},
		{"special", []string{"L", "LLL", "DDD"}},
		{"special", []string{"LL", "DD", "LLL"}},
		{"old", []string{"LLL", "DDD"}},
		{"old", []string{"DDD", "LLL"}},
	} {
		if g, ok := splitFixed(in, c.pattern...); ok {
			seps := []string{"-", "-"}
			r := newRecord("BE", c.format, g, seps[:len(g)-1])
			if c.format == "standard" && g[0] == "0" {
				r.Valid, r.Reason = false, "first digit 0 is not issued"
			}
			return []*Record{r}
		}
	}
	return nil
}

// ---- Switzerland: canton + 1-6 digits ----

var cantons = map[string]bool{}

func init() {
	for _, c := range strings.Fields("AG AI AR BE BL BS FR GE GL GR JU LU NE NW OW SG SH SO SZ TG TI UR VD VS ZG ZH") {
		cantons[c] = true
	}
}

func parseCH(in *input) []*Record {
	rs := in.runes
	if len(rs) < 3 || !allLetters(rs[:2]) || !allDigits(rs[2:]) || len(rs) > 8 {
		return nil
	}
	for i := 1; i < len(rs); i++ {
		if i == 1 && in.hint[i] {
			return nil
		}
	}
	canton, digits := string(rs[:2]), string(rs[2:])
	r := newRecord("CH", "standard", []string{canton, digits}, []string{" "})
	r.Parts.District, r.Parts.Digits = canton, digits
	if !cantons[canton] {
		r.Valid, r.Reason = false, "unknown canton"
	} else if digits[0] == '0' {
		r.Valid, r.Reason = false, "leading zero"
	}
	return []*Record{r}
}

// ---- Austria: district code (1-2 letters) + serial ----

var atDistricts = map[string]bool{}

func init() {
	for _, c := range strings.Fields(`W
		E EU GS JE MA ND OP OW RU
		K KL FE HE SP SV VI VL VK WO
		AM BL BN GD GF HL HO KO KR KS LF MD ME MI NK P PL SB SW TU WB WN WT WY ZT WU
		L LL BR EF FR GM GR KI PE RI RO SD SE SR UU VB WE WL
		S SL HA JO TA ZE
		G GU BM DL GB HF LB LE LI LN MT MU SO VO WZ
		I IL IM KB KU LA LZ RE SZ
		B BZ DO FK
		BH BP`) {
		atDistricts[c] = true
	}
}

func parseAT(in *input) []*Record {
	rs := in.runes
	for dl := 1; dl <= 2 && dl < len(rs); dl++ {
		code := string(rs[:dl])
		if !allLetters(rs[:dl]) || !atDistricts[code] {
			continue
		}
		if in.any && !in.hint[dl] {
			continue
		}
		serial := rs[dl:]
		cl := classes(serial)
		// Standard: 1-5 digits + 1-3 letters; wish plates: 1-5 letters + 1-3 digits.
		nd := strings.IndexByte(cl, 'L')
		var a, b []rune
		var format string
		switch {
		case nd > 0 && strings.Count(cl[nd:], "L") == len(cl)-nd:
			a, b, format = serial[:nd], serial[nd:], "standard"
		default:
			nl := strings.IndexByte(cl, 'D')
			if nl <= 0 || strings.Count(cl[nl:], "D") != len(cl)-nl {
				continue
			}
			a, b, format = serial[:nl], serial[nl:], "wish"
		}
		if !in.hintsOnlyAt(dl, dl+len(a)) || len(a) > 5 || len(b) > 3 || len(serial) < 3 || len(serial) > 6 {
			continue
		}
		r := newRecord("AT", format, []string{code, string(a), string(b)}, []string{"-", " "})
		r.Parts.District = code
		if format == "standard" {
			r.Parts.Digits, r.Parts.Letters = string(a), string(b)
		} else {
			r.Parts.Letters, r.Parts.Digits = string(a), string(b)
		}
		return []*Record{r}
	}
	return nil
}

// ---- Poland: 2-3 letter district + 4-5 alphanumerics; individual plates ----

func parsePL(in *input) []*Record {
	rs := in.runes
	var out []*Record
	for dl := 2; dl <= 3 && dl < len(rs); dl++ {
		if !allLetters(rs[:dl]) || !in.hintsOnlyAt(dl) {
			continue
		}
		rest := rs[dl:]
		if len(rest) < 4 || len(rest) > 5 || !isDigit(rest[0]) {
			continue
		}
		ok := true
		for _, r := range rest {
			if !isLetter(r) && !isDigit(r) {
				ok = false
			}
		}
		if !ok {
			continue
		}
		r := newRecord("PL", "standard", []string{string(rs[:dl]), string(rest)}, []string{" "})
		r.Parts.District = string(rs[:dl])
		out = append(out, r)
	}
	// District code letters followed by digits, e.g. "RBI A168" (3-letter district, serial starting with a letter).
	if len(out) == 0 && len(rs) == 7 && allLetters(rs[:3]) && in.hintsOnlyAt(3) && isLetter(rs[3]) && allDigits(rs[4:]) {
		r := newRecord("PL", "standard", []string{string(rs[:3]), string(rs[3:])}, []string{" "})
		r.Parts.District = string(rs[:3])
		out = append(out, r)
	}
	// Individual plates: voivodeship letter + digit, then 3-5 characters starting
	// with a letter: letters then at most 2 digits.
	if len(rs) >= 5 && len(rs) <= 7 && isLetter(rs[0]) && isDigit(rs[1]) && in.hintsOnlyAt(2) {
		rest := rs[2:]
		cl := classes(rest)
		nd := strings.IndexByte(cl, 'D')
		if nd < 0 {
			nd = len(cl)
		}
		if nd >= 1 && strings.Count(cl[nd:], "D") == len(cl)-nd && len(cl)-nd <= 2 && !strings.Contains(cl, "U") {
			r := newRecord("PL", "individual", []string{string(rs[:2]), string(rest)}, []string{" "})
			r.Parts.District = string(rs[:2])
			out = append(out, r)
		}
	}
	return out
}

// ---- Czechia: 1AB 2345 (region + serial), old Czechoslovak ABC 12-34, individual 8 ----

func parseCZ(in *input) []*Record {
	rs := in.runes
	if len(rs) == 7 && isDigit(rs[0]) && isLetter(rs[1]) && (isLetter(rs[2]) || isDigit(rs[2])) && allDigits(rs[3:]) {
		bounds := []int{3}
		ok := true
		for i := 1; i < 7; i++ {
			if in.hint[i] && i != 3 && i != 5 {
				ok = false
			}
		}
		if ok && in.hintsOnlyAt(append(bounds, 5)...) {
			r := newRecord("CZ", "standard", []string{string(rs[:3]), string(rs[3:])}, []string{" "})
			r.Parts.District = string(rs[1:2])
			return []*Record{r}
		}
	}
	for _, dl := range []int{2, 3} {
		if g, ok := splitFixed(in, strings.Repeat("L", dl), "DD", "DD"); ok {
			r := newRecord("CZ", "old", g, []string{" ", "-"})
			r.Parts.District = g[0]
			return []*Record{r}
		}
	}
	if len(rs) == 8 && !in.any {
		for _, r := range rs {
			if !isLetter(r) && !isDigit(r) {
				return nil
			}
		}
		r := newRecord("CZ", "individual", []string{string(rs)}, nil)
		return []*Record{r}
	}
	return nil
}

// ---- Slovakia: AB-123CD ----

func parseSK(in *input) []*Record {
	g, ok := splitFixed(in, "LL", "DDD", "LL")
	if !ok {
		return nil
	}
	r := newRecord("SK", "standard", []string{g[0], g[1] + g[2]}, []string{"-"})
	r.Parts.District = g[0]
	return []*Record{r}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return string(rune('0'+n/10)) + string(rune('0'+n%10))
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
