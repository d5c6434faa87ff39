package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// MRZ formats.
const (
	TD1 = "TD1" // ID-1 card, 3 lines of 30
	TD2 = "TD2" // ID-2 card, 2 lines of 36
	TD3 = "TD3" // passport, 2 lines of 44
)

// MRZData is the content of a machine readable zone (ICAO 9303). Dates are
// YYMMDD, Sex is M, F or < (unspecified); codes are 1-3 letters (D, DEU...).
type MRZData struct {
	Format         string
	DocumentCode   string // P, P<, I, ID, IR, AC...
	IssuingState   string
	Surname        string
	GivenNames     string
	DocumentNumber string
	Nationality    string
	BirthDate      string
	Sex            string
	ExpiryDate     string
	Optional1      string // TD3 personal number; TD1/TD2 optional data after the number
	Optional2      string // TD1 optional data of line 2
}

// MRZCharValue is the ICAO 9303 value of an MRZ character: digits 0-9, A-Z
// 10-35, '<' 0; -1 for anything else.
func MRZCharValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	case c == '<':
		return 0
	}
	return -1
}

// CheckDigit is the ICAO 9303 check digit of s (weights 7, 3, 1).
func CheckDigit(s string) byte {
	w := [3]int{7, 3, 1}
	sum := 0
	for i := 0; i < len(s); i++ {
		v := MRZCharValue(s[i])
		if v < 0 {
			v = 0
		}
		sum += v * w[i%3]
	}
	return byte('0' + sum%10)
}

// field pads s with '<' to n characters (or cuts it).
func field(s string, n int) string {
	if len(s) >= n {
		return s[:n]
	}
	return s + strings.Repeat("<", n-len(s))
}

// mrzName writes SURNAME<<GIVEN<NAMES into n characters, cutting given names
// first when too long.
func mrzName(surname, given string, n int) string {
	s := mrzText(surname)
	g := mrzText(given)
	out := s
	if g != "" {
		out += "<<" + g
	}
	return field(out, n)
}

// mrzText transliterates to MRZ characters (ICAO 9303 part 3 basics).
func mrzText(s string) string {
	repl := strings.NewReplacer("Ä", "AE", "Ö", "OE", "Ü", "UE", "ß", "SS", "É", "E", "È", "E", "Ç", "C", "Å", "AA", "Ø", "OE", "Ñ", "N", "Á", "A", "Í", "I", "Ó", "O", "Ú", "U", " ", "<", "-", "<", "'", "")
	s = repl.Replace(strings.ToUpper(s))
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if MRZCharValue(s[i]) >= 0 {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// ComposeMRZ builds the MRZ lines of d with all check digits.
func ComposeMRZ(d MRZData) ([]string, error) {
	num := field(d.DocumentNumber, 9)
	if len(d.DocumentNumber) > 9 {
		return nil, fmt.Errorf("synth: document number %q longer than 9", d.DocumentNumber)
	}
	for _, dt := range []string{d.BirthDate, d.ExpiryDate} {
		if len(dt) != 6 {
			return nil, fmt.Errorf("synth: date %q is not YYMMDD", dt)
		}
	}
	numCD := string(CheckDigit(num))
	birth := d.BirthDate + string(CheckDigit(d.BirthDate))
	expiry := d.ExpiryDate + string(CheckDigit(d.ExpiryDate))
	code := field(d.DocumentCode, 2)
	issuing, nat := field(d.IssuingState, 3), field(d.Nationality, 3)
	sex := d.Sex
	if sex == "" || sex == "X" {
		sex = "<"
	}
	switch d.Format {
	case TD3:
		pn := field(d.Optional1, 14)
		pnCD := string(CheckDigit(pn))
		if strings.Trim(pn, "<") == "" {
			pnCD = "<" // ICAO: may be '<' when the personal number is empty
		}
		l1 := code + issuing + mrzName(d.Surname, d.GivenNames, 39)
		comp := num + numCD + birth + expiry + pn + pnCD
		l2 := num + numCD + nat + birth + sex + expiry + pn + pnCD + string(CheckDigit(comp))
		return []string{l1, l2}, nil
	case TD2:
		opt := field(d.Optional1, 7)
		l1 := code + issuing + mrzName(d.Surname, d.GivenNames, 31)
		comp := num + numCD + birth + expiry + opt
		l2 := num + numCD + nat + birth + sex + expiry + opt + string(CheckDigit(comp))
		return []string{l1, l2}, nil
	case TD1:
		l1 := code + issuing + num + numCD + field(d.Optional1, 15)
		l2 := birth + sex + expiry + nat + field(d.Optional2, 11)
		comp := l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
		l2 += string(CheckDigit(comp))
		l3 := mrzName(d.Surname, d.GivenNames, 30)
		return []string{l1, l2, l3}, nil
	}
	return nil, fmt.Errorf("synth: unknown MRZ format %q", d.Format)
}

// DocumentType is the CONTRACT document_type of an MRZ document code.
func DocumentType(code string) string {
	switch {
	case strings.HasPrefix(code, "P"):
		return "passport"
	case strings.HasPrefix(code, "V"):
		return "visa"
	case code == "IR" || code == "AR" || code == "RT":
		return "residence_permit"
	case strings.HasPrefix(code, "I"), strings.HasPrefix(code, "A"), strings.HasPrefix(code, "C"):
		return "id_card"
	}
	return "other"
}

var (
	surnames = []string{"MUSTERMANN", "SCHMIDT", "MUELLER", "SCHNEIDER", "FISCHER", "WEBER", "MEYER", "WAGNER",
		"BECKER", "HOFFMANN", "SCHULZ", "KOCH", "RICHTER", "KLEIN", "WOLF", "SCHROEDER", "NEUMANN", "DUBOIS",
		"MARTIN", "BERNARD", "DE JONG", "JANSEN", "VAN DEN BERG", "ROSSI", "RUSSO", "GARCIA", "FERNANDEZ",
		"KOWALSKI", "NOWAK", "ERIKSSON", "NIELSEN", "VIRTANEN", "PAPADOPOULOS", "OBRIEN", "SMITH", "JOHNSON",
		"YILMAZ", "KAYA", "POPESCU", "HORVATH", "NOVAK", "SILVA", "SANTOS", "MAENNIK", "MUSTERFRAU",
		"SCHMIDT-KOWALSKI", "LEUTHEUSSER SCHNARRENBERGER", "O", "LI", "NGUYEN"}
	givenNames = []string{"ERIKA", "MAX", "ANNA", "ANNA MARIA", "LUKAS", "LEON", "SOPHIE", "MARIE", "PAUL", "JONAS",
		"EMMA", "MIA", "FELIX", "ELIAS", "HANNAH", "LENA", "JAN", "PETER", "KLAUS", "URSULA", "JEAN PIERRE",
		"CLAIRE", "PIETER", "SANNE", "GIULIA", "MARCO", "JOANNA", "PIOTR", "MARIA", "JOSE", "AHMET", "ELIF",
		"MEI HUA", "JOHN", "SARAH", "MARI LIIS", "KARL HEINZ FRIEDRICH", "ZOE", "AL", "OLIVIA CHARLOTTE"}
	// countries are ICAO codes; D is Germany on German documents.
	countries = []string{"D", "DEU", "FRA", "NLD", "UTO", "BEL", "AUT", "CHE", "ITA", "ESP", "PRT", "POL",
		"CZE", "SVK", "HUN", "ROU", "BGR", "GRC", "HRV", "SVN", "SWE", "NOR", "DNK", "FIN", "EST", "LVA",
		"LTU", "IRL", "GBR", "USA", "CAN", "AUS", "TUR", "UKR", "CHN", "JPN", "IND", "BRA", "MEX", "LUX"}
)

const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

// German document numbers avoid vowels and the letters B, D, Q, S.
const deDocChars = "0123456789CFGHJKLMNPRTVWXYZ"

func randString(r *rand.Rand, chars string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[r.IntN(len(chars))]
	}
	return string(b)
}

func yymmdd(t time.Time) string { return t.Format("060102") }

// RandomMRZData draws valid random MRZ content for format (TD1, TD2, TD3).
func RandomMRZData(r *rand.Rand, format string) MRZData {
	state := countries[r.IntN(len(countries))]
	d := MRZData{Format: format, IssuingState: state, Nationality: state}
	if r.IntN(5) == 0 {
		d.Nationality = countries[r.IntN(len(countries))]
	}
	d.Surname = surnames[r.IntN(len(surnames))]
	if r.IntN(10) > 0 {
		d.GivenNames = givenNames[r.IntN(len(givenNames))]
	}
	switch r.IntN(10) {
	case 0:
		d.Sex = "<"
	default:
		d.Sex = []string{"M", "F"}[r.IntN(2)]
	}
	birth := time.Date(1935, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(75*365))
	issue := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(10*365))
	if issue.Before(birth) {
		issue = birth.AddDate(1, 0, 0)
	}
	d.BirthDate = yymmdd(birth)
	d.ExpiryDate = yymmdd(issue.AddDate([]int{5, 6, 10}[r.IntN(3)], 0, -1))
	switch {
	case state == "D":
		d.DocumentNumber = randString(r, "CFGHJKLMNPRTVWXYZ", 1) + randString(r, deDocChars, 8)
	case r.IntN(3) == 0:
		d.DocumentNumber = randString(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", 2) + randString(r, "0123456789", 7)
	case r.IntN(4) == 0:
		d.DocumentNumber = randString(r, alnum, 6+r.IntN(3)) // short, padded with '<'
	default:
		d.DocumentNumber = randString(r, alnum, 9)
	}
	switch format {
	case TD3:
		d.DocumentCode = "P<"
		if state == "D" {
			d.DocumentCode = "P<"
		} else if r.IntN(8) == 0 {
			d.DocumentCode = []string{"PD", "PO", "PS"}[r.IntN(3)]
		}
		if r.IntN(3) == 0 {
			d.Optional1 = randString(r, alnum, 8+r.IntN(7))
		}
	case TD2:
		d.DocumentCode = []string{"I<", "ID", "AC", "IR"}[r.IntN(4)]
		if r.IntN(3) == 0 {
			d.Optional1 = randString(r, alnum, 1+r.IntN(7))
		}
	default:
		d.DocumentCode = []string{"ID", "I<", "IR", "IT"}[r.IntN(4)]
		if state == "D" {
			d.DocumentCode = "ID"
		}
		if r.IntN(3) == 0 {
			d.Optional1 = randString(r, alnum, 1+r.IntN(14))
		}
		if r.IntN(4) == 0 {
			d.Optional2 = randString(r, alnum, 1+r.IntN(11))
		}
	}
	return d
}
