package mrz

import (
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"time"
)

// This file generates valid MRZs of every format with random fields, and
// corrupts them with the confusion channel, for the repair benchmark and
// the fuzz seeds. Nothing here comes from the shared corpus.

var syllables = strings.Fields("AN NA MA RI EL LA JO HAN SEN SON BER GER MUL LER SCH MID KO WAL SKI DE VAN OS TER PE TRO VIC ALE XAN DRA LU CA MAR TIN BRU NO FI SH ER GAR CIA LO PEZ NGU YEN KIM LEE WA TA NA BE YA MA DA OK ON KWA ME NSA HU GO")

func randName(rng *rand.Rand) string {
	n := 2 + rng.Intn(2)
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(syllables[rng.Intn(len(syllables))])
	}
	return b.String()
}

func randNames(rng *rand.Rand, parts int) string {
	out := make([]string, parts)
	for i := range out {
		out[i] = randName(rng)
	}
	return strings.Join(out, "<")
}

// nameField formats SURNAME<<GIVEN<NAMES to width n, truncating if needed.
func nameField(rng *rand.Rand, n int) string {
	s := randNames(rng, 1+rng.Intn(2)) + "<<" + randNames(rng, 1+rng.Intn(2))
	return pad(s, n)
}

func pad(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s + strings.Repeat("<", n-len(s))
}

var countryList = strings.Fields(iso3166)

func randCountry(rng *rand.Rand) string {
	if rng.Intn(10) == 0 {
		return "D<<"
	}
	return countryList[rng.Intn(len(countryList))]
}

const (
	digits   = "0123456789"
	letters  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	alnum    = letters + digits
	germanDN = "0123456789CFGHJKLMNPRTVWXYZ"
)

func randFrom(rng *rand.Rand, set string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = set[rng.Intn(len(set))]
	}
	return string(b)
}

// randDocNumber draws from the numbering schemes seen on documents: all
// digits (35%), a one or two letter prefix and digits (30%), the French
// 99AA99999 pattern (15%), the German alphabet without vowels (10%), and
// uniform alphanumerics (10%).
func randDocNumber(rng *rand.Rand, n int, state string) string {
	if state == "D<<" {
		return randFrom(rng, germanDN, n)
	}
	switch x := rng.Intn(20); {
	case x < 7:
		return randFrom(rng, digits, n)
	case x < 13:
		k := 1 + rng.Intn(2)
		return randFrom(rng, letters, k) + randFrom(rng, digits, n-k)
	case x < 16:
		// French passports: 2 digits, 2 letters, 5 digits.
		return randFrom(rng, digits, 2) + randFrom(rng, letters, 2) + randFrom(rng, digits, n-4)
	case x < 18:
		return randFrom(rng, germanDN, n)
	}
	return randFrom(rng, alnum, n)
}

func randDate(rng *rand.Rand, from, to int) string {
	y := from + rng.Intn(to-from)
	d := time.Date(y, time.January, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.Intn(365))
	return d.Format("060102")
}

func cd(s string) string {
	c, _ := CheckDigit(s)
	return string(c)
}

func randSex(rng *rand.Rand) string {
	return string("MFMF<X"[rng.Intn(6)])
}

// randOptional fills optional data as issuers do: empty, a personal
// number of digits, or a short letter prefix and digits.
func randOptional(rng *rand.Rand, n int) string {
	switch rng.Intn(7) {
	case 0, 1, 2:
		return strings.Repeat("<", n)
	case 3, 4, 5:
		k := 1 + rng.Intn(n)
		return pad(randFrom(rng, digits, k), n)
	}
	k := 1 + rng.Intn(n)
	p := min(k, 1+rng.Intn(2))
	return pad(randFrom(rng, letters, p)+randFrom(rng, digits, k-p), n)
}

// genFormats are the formats the benchmark generates, with a generator each.
var genFormats = []struct {
	name string
	gen  func(rng *rand.Rand) []string
}{
	{FormatTD1, genTD1},
	{FormatTD2, func(r *rand.Rand) []string { return genTwo(r, 36, "I", true) }},
	{FormatTD3, func(r *rand.Rand) []string { return genTwo(r, 44, "P", true) }},
	{FormatMRVA, func(r *rand.Rand) []string { return genTwo(r, 44, "V", false) }},
	{FormatMRVB, func(r *rand.Rand) []string { return genTwo(r, 36, "V", false) }},
	{FormatFRAID, genFRAID},
	{FormatDL1, genDL1},
	{FormatCHDL, genCHDL},
}

func genTD1(rng *rand.Rand) []string {
	code := []string{"ID", "I<", "IR", "AR", "C<"}[rng.Intn(5)]
	state := randCountry(rng)
	var l0 string
	if rng.Intn(5) == 0 {
		// Long document number continued in the optional data.
		num := randFrom(rng, digits, 9) + randFrom(rng, alnum, 1+rng.Intn(4))
		l0 = code + state + num[:9] + "<" + num[9:] + cd(num)
		l0 = pad(l0, 30)
	} else {
		num := randDocNumber(rng, 9, state)
		l0 = code + state + num + cd(num) + randOptional(rng, 15)
	}
	birth := randDate(rng, 1930, 2020)
	exp := randDate(rng, 2015, 2040)
	nat := state
	if rng.Intn(4) == 0 {
		nat = randCountry(rng)
	}
	l1 := birth + cd(birth) + randSex(rng) + exp + cd(exp) + nat + randOptional(rng, 11)
	l1 += cd(l0[5:30] + l1[0:7] + l1[8:15] + l1[18:29])
	return []string{l0, l1, nameField(rng, 30)}
}

func genTwo(rng *rand.Rand, n int, c string, composite bool) []string {
	code := c + string("<<<ADO"[rng.Intn(6)])
	state := randCountry(rng)
	if code+state == "IDFRA" || state == "SVK" && n == 34 {
		code = "I<" // IDFRA on 2x36 is the French national ID layout
	}
	l0 := code + state + nameField(rng, n-5)
	num := randDocNumber(rng, 9, state)
	if rng.Intn(8) == 0 {
		num = num[:8] + "<"
	}
	birth := randDate(rng, 1930, 2020)
	exp := randDate(rng, 2015, 2040)
	nat := state
	if rng.Intn(4) == 0 {
		nat = randCountry(rng)
	}
	l1 := num + cd(num) + nat + birth + cd(birth) + randSex(rng) + exp + cd(exp)
	switch {
	case n == 44 && composite:
		opt := randOptional(rng, 14)
		oc := cd(opt)
		if strings.Trim(opt, "<") == "" {
			oc = "<"
		}
		l1 += opt + oc
		l1 += cd(l1[0:10] + l1[13:20] + l1[21:43])
	case composite:
		l1 += randOptional(rng, 7)
		l1 += cd(l1[0:10] + l1[13:20] + l1[21:35])
	default:
		l1 += randOptional(rng, n-28)
	}
	return []string{l0, l1}
}

func genFRAID(rng *rand.Rand) []string {
	l0 := "IDFRA" + pad(randNames(rng, 1+rng.Intn(2)), 25) + randFrom(rng, digits, 6)
	num := randDate(rng, 1995, 2021)[:4] + randFrom(rng, digits, 3) + randFrom(rng, digits, 5)
	birth := randDate(rng, 1930, 2015)
	l1 := num + cd(num) + pad(strings.ReplaceAll(randNames(rng, 1+rng.Intn(2)), "<", "<<"), 14) + birth + cd(birth) + string("MF"[rng.Intn(2)])
	l1 += cd(l0 + l1)
	return []string{l0, l1}
}

func genDL1(rng *rand.Rand) []string {
	if rng.Intn(2) == 0 {
		// a French licence's number: the issue year, two letters and a
		// serial (13AA00002); it runs 15 years, 5 for the heavy
		// categories
		expiry := randDate(rng, 2015, 2040)
		y, _ := strconv.Atoi(expiry[:2])
		term := 15
		if rng.Intn(4) == 0 {
			term = 5
		}
		l := "D1FRA" + fmt.Sprintf("%02d", y-term+rng.Intn(2)) + randFrom(rng, letters, 2) + randFrom(rng, digits, 5)
		l += cd(l) + expiry + pad(randName(rng), 8)
		return []string{l + cd(l)}
	}
	state := []string{"NLD", "BEL", "DEU", "AUT"}[rng.Intn(4)]
	l := "D1" + state + "1" + randFrom(rng, digits, 10) + randFrom(rng, alnum, 13)
	return []string{l + cd(l)}
}

func genCHDL(rng *rand.Rand) []string {
	l0 := randFrom(rng, letters, 3) + randFrom(rng, digits, 3) + string("DFIR"[rng.Intn(4)]) + "<<"
	l1 := "FACHE" + randFrom(rng, digits, 9) + randFrom(rng, digits, 3) + "<<" + randDate(rng, 1940, 2008) + "<<<<<"
	return []string{l0, l1, nameField(rng, 30)}
}

// corrupt applies one realistic OCR error to lines: a substitution from the
// confusion channel (position chosen in proportion to how confusable its
// character is) or, one time in seven, a filler run of three or more read
// one '<' too short or too long. taken marks positions already corrupted.
func corrupt(rng *rand.Rand, lines []string, taken map[[2]int]bool) ([]string, string) {
	out := append([]string(nil), lines...)
	if rng.Intn(7) == 0 {
		type run struct{ line, start, end int }
		var runs []run
		for i, l := range lines {
			for j := 0; j < len(l); {
				if l[j] != '<' {
					j++
					continue
				}
				k := j
				for k < len(l) && l[k] == '<' {
					k++
				}
				if k-j >= 3 {
					runs = append(runs, run{i, j, k})
				}
				j = k
			}
		}
		if len(runs) > 0 {
			r := runs[rng.Intn(len(runs))]
			l := out[r.line]
			if rng.Intn(2) == 0 {
				out[r.line] = l[:r.start] + l[r.start+1:]
				return out, fmt.Sprintf("L%d drop <", r.line+1)
			}
			out[r.line] = l[:r.start] + "<" + l[r.start:]
			return out, fmt.Sprintf("L%d double <", r.line+1)
		}
	}
	total := 0.0
	for i, l := range lines {
		for j := 0; j < len(l); j++ {
			if taken[[2]int{i, j}] {
				continue
			}
			for _, p := range partners[l[j]] {
				total += p.w
			}
		}
	}
	x := rng.Float64() * total
	for i, l := range lines {
		for j := 0; j < len(l); j++ {
			if taken[[2]int{i, j}] {
				continue
			}
			for _, p := range partners[l[j]] {
				x -= p.w
				if x < 0 {
					taken[[2]int{i, j}] = true
					b := []byte(l)
					b[j] = p.b
					out[i] = string(b)
					return out, fmt.Sprintf("L%dC%d %c>%c", i+1, j+1, p.a, p.b)
				}
			}
		}
	}
	return out, ""
}
