package documents

import (
	"regexp"
	"strings"
	"unicode"

	"docscan/internal/licnum"
)

// keyword is a phrase that votes for a document type (and maybe a country).
type keyword struct {
	phrase  string // folded (see fold)
	docType string
	country string
	weight  float64
}

var keywords = []keyword{
	{"PERSONALAUSWEIS", IDCard, "DE", 3},
	{"IDENTITY CARD", IDCard, "", 1.5},
	{"CARTE D'IDENTITE", IDCard, "", 1.5},
	{"CARTE NATIONALE D'IDENTITE", IDCard, "FR", 2},
	{"IDENTITEITSKAART", IDCard, "NL", 2},
	{"FUHRERSCHEIN", DrivingLicence, "", 3},
	{"FUEHRERSCHEIN", DrivingLicence, "", 3},
	{"PERMIS DE CONDUIRE", DrivingLicence, "", 3},
	{"DRIVING LICENCE", DrivingLicence, "", 3},
	{"DRIVER LICENSE", DrivingLicence, "US", 3},
	{"DRIVERS LICENSE", DrivingLicence, "US", 3},
	{"DRIVER'S LICENSE", DrivingLicence, "US", 3},
	{"RIJBEWIJS", DrivingLicence, "NL", 3},
	{"PATENTE DI GUIDA", DrivingLicence, "IT", 3},
	{"PERMISO DE CONDUCCION", DrivingLicence, "ES", 3},
	{"PRAWO JAZDY", DrivingLicence, "PL", 3},
	{"REISEPASS", Passport, "DE", 3},
	{"PASSPORT", Passport, "", 2},
	{"PASSEPORT", Passport, "", 2},
	{"AUFENTHALTSTITEL", ResidencePermit, "DE", 3},
	{"RESIDENCE PERMIT", ResidencePermit, "", 3},
	{"TITRE DE SEJOUR", ResidencePermit, "FR", 3},
	{"ZULASSUNGSBESCHEINIGUNG", VehicleRegistration, "DE", 3},
	{"FAHRZEUGSCHEIN", VehicleRegistration, "DE", 3},
	{"BUNDESREPUBLIK DEUTSCHLAND", "", "DE", 0},
	{"REPUBLIQUE FRANCAISE", "", "FR", 0},
	{"KONINKRIJK DER NEDERLANDEN", "", "NL", 0},
	{"REPUBLIK OSTERREICH", "", "AT", 0},
	{"REPUBBLICA ITALIANA", "", "IT", 0},
	{"USA", "", "US", 0},
}

// fold upper-cases s, drops accents and umlaut dots (Ü -> U: FoldLetter)
// and squeezes white space, for keyword matching.
func fold(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		r = FoldLetter(r)
		if r == ' ' || r == '\t' || r == '\n' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// FoldLetter is r in capitals without its accent or umlaut dots (é -> E,
// Ü -> U); a typographic apostrophe is the plain one.
func FoldLetter(r rune) rune {
	r = unicode.ToUpper(r)
	switch r {
	case 'Ä', 'À', 'Á', 'Â':
		return 'A'
	case 'Ö', 'Ó', 'Ô':
		return 'O'
	case 'Ü', 'Ù', 'Ú', 'Û':
		return 'U'
	case 'É', 'È', 'Ê', 'Ë':
		return 'E'
	case 'Ç':
		return 'C'
	case 'Í', 'Î', 'Ï':
		return 'I'
	case '’', '`':
		return '\''
	}
	return r
}

// licenceNumbering matches the numbered field labels of a driving licence.
var licenceNumbering = regexp.MustCompile(`(^|\s)4\s?[ABC][\.,]`)

// mrzCountry maps ICAO state codes to ISO 3166 alpha-2.
var mrzCountry = map[string]string{
	"D": "DE", "DEU": "DE", "FRA": "FR", "NLD": "NL", "AUT": "AT", "BEL": "BE", "ITA": "IT", "ESP": "ES",
	"POL": "PL", "CHE": "CH", "LUX": "LU", "DNK": "DK", "SWE": "SE", "FIN": "FI", "NOR": "NO", "PRT": "PT",
	"CZE": "CZ", "SVK": "SK", "HUN": "HU", "ROU": "RO", "BGR": "BG", "GRC": "GR", "HRV": "HR", "SVN": "SI",
	"EST": "EE", "LVA": "LV", "LTU": "LT", "IRL": "IE", "GBR": "GB", "USA": "US", "UTO": "UTO",
}

// CountryOfMRZ converts an MRZ issuing state to ISO alpha-2 ("" unknown).
func CountryOfMRZ(state string) string { return mrzCountry[strings.Trim(state, "<")] }

// Classify tells the document type and issuing country from the lines'
// keywords, the numbered licence fields and the MRZ (its document type and
// issuing state, when an MRZ was read; they win over keywords for the types
// an MRZ names). conf is the share of the winning type's votes.
func Classify(lines []Line, mrzType, mrzState string) (docType, country string, conf float64) {
	var all strings.Builder
	for _, l := range lines {
		all.WriteString(fold(l.Text))
		all.WriteByte('\n')
	}
	text := all.String()
	// OCR drops word spaces: long phrases match without them
	squeezed := strings.ReplaceAll(text, " ", "")
	votes := map[string]float64{}
	countries := map[string]float64{}
	titles := map[string]bool{} // the type-naming phrases read
	for _, k := range keywords {
		if len(k.phrase) <= 4 && !containsPhrase(text, k.phrase) ||
			len(k.phrase) > 4 && !strings.Contains(squeezed, strings.ReplaceAll(k.phrase, " ", "")) {
			continue
		}
		if k.docType != "" {
			votes[k.docType] += k.weight
			titles[k.phrase] = true
		}
		if k.country != "" {
			countries[k.country] += 1 + k.weight
		}
	}
	if len(votes) == 0 {
		if t := fuzzyVotes(squeezed, votes, countries); t != "" {
			titles[t] = true
		} else if t := pieceVotes(text, votes, countries); t != "" {
			titles[t] = true
		}
	}
	if n := len(licenceNumbering.FindAllString(text, -1)); n > 0 {
		votes[DrivingLicence] += float64(min(n, 3))
	}
	cats, deNumber := licenceSigns(lines)
	if cats {
		votes[DrivingLicence] += 2
	}
	if deNumber {
		votes[DrivingLicence]++
		countries["DE"] += 2
	}
	switch mrzType {
	case Passport, IDCard, ResidencePermit, DrivingLicence:
		votes[mrzType] += 5
	}
	if c := CountryOfMRZ(mrzState); c != "" {
		countries[c] += 5
	}
	docType, conf = Unknown, 0
	total, best := 0.0, 0.0
	for t, v := range votes {
		total += v
		if v > best || v == best && t < docType {
			docType, best = t, v
		}
	}
	if total > 0 {
		conf = best / total
	}
	bestC := 0.0
	for c, v := range countries {
		if v > bestC || v == bestC && c < country {
			country, bestC = c, v
		}
	}
	if country == "" && docType == DrivingLicence {
		country = licenceTitleCountry(titles)
	}
	return docType, country, conf
}

// licenceTitleCountry tells a driving licence's country from its title
// alone, where no country was read (the state's name is small print under
// the title, the first to blur): FÜHRERSCHEIN alone is Germany's (Austria
// prints REPUBLIK ÖSTERREICH beside it, Switzerland and Liechtenstein say
// FÜHRERAUSWEIS), PERMIS DE CONDUIRE alone France's (Belgium prints it
// with RIJBEWIJS and FÜHRERSCHEIN; a Luxembourg or Swiss card names its
// state). "" when the titles tell none or several languages.
func licenceTitleCountry(titles map[string]bool) string {
	de := titles["FUHRERSCHEIN"] || titles["FUEHRERSCHEIN"]
	fr := titles["PERMIS DE CONDUIRE"]
	switch {
	case titles["RIJBEWIJS"] || de == fr:
		return ""
	case de:
		return "DE"
	}
	return "FR"
}

// minFuzzyPhrase is the shortest keyword (without spaces) matched with
// misread letters: shorter ones (PASSEPORT) are too easily met by chance.
const minFuzzyPhrase = 10

// fuzzyVotes: where no keyword is printed exactly, the titles of a
// blurred or glared card misread in a few letters (SUUNDESREPUUELIK
// DEUTSONLAND, PERMISDECOIIDUIRE) still tell it. A keyword of
// minFuzzyPhrase letters or more counts when some stretch of a line is
// within 30% of its length in edits; of those naming a type only the
// nearest counts (PERMIS DE CONDUIRE misread is near the Spanish PERMISO
// DE CONDUCCION too), at half its weight. It returns that keyword's phrase
// ("" when none).
func fuzzyVotes(squeezed string, votes, countries map[string]float64) (title string) {
	var typed *keyword
	bestRel := 1.0
	for i := range keywords {
		k := &keywords[i]
		sq := strings.ReplaceAll(k.phrase, " ", "")
		if len(sq) < minFuzzyPhrase {
			continue
		}
		d := nearSubstring(squeezed, sq)
		if d > len(sq)*3/10 {
			continue
		}
		if k.docType == "" {
			countries[k.country] += 1
			continue
		}
		if rel := float64(d) / float64(len(sq)); typed == nil || rel < bestRel {
			typed, bestRel = k, rel
		}
	}
	if typed != nil {
		votes[typed.docType] += typed.weight / 2
		if typed.country != "" {
			countries[typed.country] += 1 + typed.weight/2
		}
		return typed.phrase
	}
	return ""
}

// nearSubstring is the fewest edits (insertions, deletions,
// substitutions) that turn some substring of one line of text into
// phrase.
func nearSubstring(text, phrase string) int {
	best := len(phrase)
	prev := make([]int, len(phrase)+1)
	cur := make([]int, len(phrase)+1)
	for _, line := range strings.Split(text, "\n") {
		// column i: phrase[:i] against a substring ending at the
		// current position of line (it may start anywhere)
		for i := range prev {
			prev[i] = i
		}
		for j := 0; j < len(line); j++ {
			cur[0] = 0
			for i := 1; i <= len(phrase); i++ {
				c := prev[i-1]
				if line[j] != phrase[i-1] {
					c++
				}
				cur[i] = min(c, prev[i]+1, cur[i-1]+1)
			}
			best = min(best, cur[len(phrase)])
			prev, cur = cur, prev
		}
	}
	return best
}

// containsPhrase matches a phrase at word boundaries (letters).
func containsPhrase(text, phrase string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], phrase)
		if j < 0 {
			return false
		}
		j += i
		before := j == 0 || !isLetter(text[j-1])
		end := j + len(phrase)
		after := end >= len(text) || !isLetter(text[end])
		if before && after {
			return true
		}
		i = j + 1
	}
}

func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }

// licenceSigns looks for the print of a driving licence whose title and
// labels went unread (a finger over the title, glare, a dark card): a row
// of field 9's categories (three or more known categories between
// slashes, as categoriesRow reads them: no other document prints such a
// row; lic7 licence_0120 read A2/B1/B/DL/D/BE/CE/D1E under the title's
// ERSCHEIN), and a German licence's number keeping its check character
// (licnum.Valid: a capital, three digits, five digits or capitals, the
// check, a digit or capital; one string of that shape in eleven passes,
// and no field of another document has it), which tells Germany too.
func licenceSigns(lines []Line) (categories, deNumber bool) {
	for _, l := range lines {
		t := strings.TrimSpace(l.Text)
		if strings.Count(t, "/") >= 2 {
			if v, ok := categoriesRow(t); ok && len(strings.Fields(v)) >= 3 {
				categories = true
			}
		}
		n := strings.ToUpper(strings.ReplaceAll(t, " ", ""))
		n = strings.TrimPrefix(strings.TrimPrefix(n, "5."), "5,")
		if licnum.Valid(n) {
			deNumber = true
		}
	}
	return categories, deNumber
}

// minTitlePiece is the fewest letters of a line that pieceVotes takes for
// a piece of a title.
const minTitlePiece = 8

// pieceVotes takes a line that is a piece of a type-naming phrase and of
// none naming another type or country (minTitlePiece letters or more,
// word spaces dropped) for that phrase, at half its weight as fuzzyVotes
// does: a finger or glare over the title's start or end (lic7
// licence_0120: ERSCHEIN of FÜHRERSCHEIN) leaves a piece too short for
// fuzzyVotes' share of edits. It returns the phrase ("" when no line is
// such a piece).
func pieceVotes(text string, votes, countries map[string]float64) (title string) {
	for _, line := range strings.Split(text, "\n") {
		piece := strings.ReplaceAll(line, " ", "")
		if len(piece) < minTitlePiece {
			continue
		}
		var in *keyword
		one := true
		for i := range keywords {
			k := &keywords[i]
			if !strings.Contains(strings.ReplaceAll(k.phrase, " ", ""), piece) {
				continue
			}
			if in == nil {
				in = k
			} else if k.docType != in.docType || k.country != in.country {
				one = false // FUHRERSCHEIN and FUEHRERSCHEIN are one title
			}
		}
		if in == nil || !one || in.docType == "" {
			continue
		}
		votes[in.docType] += in.weight / 2
		if in.country != "" {
			countries[in.country] += 1 + in.weight/2
		}
		return in.phrase
	}
	return ""
}
