package plates

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
)

func TestParseTable(t *testing.T) {
	tests := []struct {
		in, country       string
		valid             bool
		text, display, cc string
		format, series    string
		district, name    string
	}{
		// Germany: standard, umlauts, E/H, seasonal
		{"DO-AB 1234E", "", true, "DOAB1234E", "DO-AB 1234E", "DE", "standard", "electric", "DO", "Dortmund"},
		{"do ab 123 h", "DE", true, "DOAB123H", "DO-AB 123H", "DE", "standard", "historic", "DO", "Dortmund"},
		{"AÖ-X 1", "DE", true, "AÖX1", "AÖ-X 1", "DE", "standard", "", "AÖ", "Altötting"},
		{"büs a 12", "DE", true, "BÜSA12", "BÜS-A 12", "DE", "standard", "", "BÜS", "Landkreis Konstanz"},
		{"DÜW-Z 99", "DE", true, "DÜWZ99", "DÜW-Z 99", "DE", "standard", "", "DÜW", "Bad Dürkheim"},
		{"LÖ-CR 123", "DE", true, "LÖCR123", "LÖ-CR 123", "DE", "standard", "", "LÖ", "Lörrach"},
		{"TÖL-A 1", "DE", true, "TÖLA1", "TÖL-A 1", "DE", "standard", "", "TÖL", "Bad Tölz-Wolfratshausen"},
		{"B NO 1234", "DE", true, "BNO1234", "B-NO 1234", "DE", "standard", "", "B", "Berlin"},
		{"BN O 1234", "DE", true, "BNO1234", "BN-O 1234", "DE", "standard", "", "BN", "Bonn"},
		{"BNO1234", "DE", false, "BNO1234", "BNO1234", "DE", "standard", "", "B", "Berlin"}, // ambiguous
		{"GER TI 5432", "DE", false, "GERTI5432", "GER-TI 5432", "DE", "standard", "", "GER", "Germersheim"},
		{"WOB AB 123E", "DE", true, "WOBAB123E", "WOB-AB 123E", "DE", "standard", "electric", "WOB", "Wolfsburg"}, // suffix not counted
		{"GER TI 5432E", "DE", false, "GERTI5432E", "GER-TI 5432E", "DE", "standard", "electric", "GER", "Germersheim"},
		{"WOB A 12E", "DE", true, "WOBA12E", "WOB-A 12E", "DE", "standard", "electric", "WOB", "Wolfsburg"},
		{"KA TI 043", "DE", false, "KATI043", "KA-TI 043", "DE", "standard", "", "KA", "Karlsruhe"},
		{"W-SS 88", "DE", false, "WSS88", "W-SS 88", "DE", "standard", "", "W", "Wuppertal"},
		{"HH AB 123 04 10", "DE", true, "HHAB123", "HH-AB 123", "DE", "seasonal", "", "HH", "Hamburg"},
		// special series
		{"Y-123 456", "DE", true, "Y123456", "Y-123 456", "DE", "special", "bundeswehr", "Y", "Bundeswehr"},
		{"X 1234", "DE", true, "X1234", "X-1234", "DE", "special", "nato", "X", "NATO"},
		{"X 365", "DE", false, "X365", "X-365", "DE", "special", "nato", "X", "NATO"},
		{"THW 84161", "DE", true, "THW84161", "THW-84161", "DE", "special", "thw", "THW", "Technisches Hilfswerk"},
		{"THW 1234", "DE", false, "THW1234", "THW-1234", "DE", "special", "thw", "THW", "Technisches Hilfswerk"},
		{"BP 15-123", "DE", true, "BP15123", "BP 15-123", "DE", "special", "bundespolizei", "BP", "Bundespolizei"},
		{"BP 60 1E", "DE", true, "BP601E", "BP 60-1E", "DE", "special", "bundespolizei", "BP", "Bundespolizei"},
		{"BD 16-123", "DE", true, "BD16123", "BD-16123", "DE", "special", "federal", "BD", "Bundesdienst (Bundestag, Bundesrat, Bundesregierung, Bundesministerien, Zoll)"},
		{"BW 3 456", "DE", true, "BW3456", "BW-3456", "DE", "special", "federal-waterways", "BW", "Wasserstraßen- und Schifffahrtsverwaltung des Bundes"},
		{"NRW 5 4000", "DE", true, "NRW54000", "NRW-54000", "DE", "special", "state-government", "NRW", "Nordrhein-Westfalen, Landesregierung, Landtag und Polizei"},
		{"BWL 4-123", "DE", true, "BWL4123", "BWL-4123", "DE", "special", "state-government", "BWL", "Baden-Württemberg, Landesregierung, Landtag und Polizei"},
		{"NRW AB 1", "DE", false, "NRWAB1", "NRW-AB 1", "DE", "standard", "", "NRW", "Nordrhein-Westfalen, Landesregierung, Landtag und Polizei"},
		{"B 1234", "DE", true, "B1234", "B-1234", "DE", "special", "state-government", "B", "Berlin"},
		{"B 06123", "DE", true, "B06123", "B-06123", "DE", "red", "dealer", "B", "Berlin"},
		{"M 05123", "DE", true, "M05123", "M-05123", "DE", "red", "inspection", "M", "München"},
		{"K 071234", "DE", true, "K071234", "K-071234", "DE", "red", "collector", "K", "Köln"},
		{"B 0 123-4", "DE", true, "B01234", "B-0 123-4", "DE", "diplomatic", "diplomatic", "B", "Berlin"},
		{"0 1-23", "DE", true, "0123", "0 1-23", "DE", "diplomatic", "diplomatic", "", ""},
		// neighbours
		{"12-DB-16", "NL", true, "12DB16", "12-DB-16", "NL", "sidecode", "sidecode-3", "", ""},
		{"GBZ19D", "NL", true, "GBZ19D", "GBZ-19-D", "NL", "sidecode", "sidecode-11", "", ""},
		{"1ABC34", "NL", true, "1ABC34", "1-ABC-34", "NL", "sidecode", "sidecode-8", "", ""},
		{"999xx9", "NL", true, "999XX9", "999-XX-9", "NL", "sidecode", "sidecode-14", "", ""},
		{"ab 123 cd", "FR", true, "AB123CD", "AB-123-CD", "FR", "siv", "", "", ""},
		{"2928 TW 74", "FR", true, "2928TW74", "2928 TW 74", "FR", "fni", "", "74", ""},
		{"11 GY 2A", "FR", true, "11GY2A", "11 GY 2A", "FR", "fni", "", "2A", ""},
		{"1abc123", "BE", true, "1ABC123", "1-ABC-123", "BE", "standard", "", "", ""},
		{"9-123-XYZ", "BE", true, "9123XYZ", "9-123-XYZ", "BE", "special", "", "", ""},
		{"G-ABC-042", "BE", true, "GABC042", "G-ABC-042", "BE", "special", "", "", ""},
		{"ABC-123", "BE", true, "ABC123", "ABC-123", "BE", "old", "", "", ""},
		{"TRABANT1", "CZ", true, "TRABANT1", "TRABANT1", "CZ", "individual", "", "", ""},
		{"IL ABC 1", "AT", true, "ILABC1", "IL-ABC 1", "AT", "wish", "", "IL", ""},
		{"ZH 123 456", "CH", true, "ZH123456", "ZH 123456", "CH", "standard", "", "ZH", ""},
		{"XY 123", "CH", false, "XY123", "XY 123", "CH", "standard", "", "XY", ""},
		{"W-12345A", "AT", true, "W12345A", "W-12345 A", "AT", "standard", "", "W", ""},
		{"GU 351 FH", "AT", true, "GU351FH", "GU-351 FH", "AT", "standard", "", "GU", ""},
		{"ERA 75TM", "PL", true, "ERA75TM", "ERA 75TM", "PL", "standard", "", "ERA", ""},
		{"F0 MAREK", "PL", true, "F0MAREK", "F0 MAREK", "PL", "individual", "", "F0", ""},
		{"1SO3690", "CZ", true, "1SO3690", "1SO 3690", "CZ", "standard", "", "S", ""},
		{"akx1377", "CZ", true, "AKX1377", "AKX 13-77", "CZ", "old", "", "AKX", ""},
		{"BA-123AB", "SK", true, "BA123AB", "BA-123AB", "SK", "standard", "", "BA", ""},
		// guessing: German wins, then the neighbours
		{"SH 423", "", true, "SH423", "SH-423", "DE", "special", "state-government", "SH", "Schleswig-Holstein, Landesregierung, Landtag und Polizei"},
		{"XX-99-99", "", true, "XX9999", "XX-99-99", "NL", "sidecode", "sidecode-1", "", ""},
		{"AB-123-CD", "", true, "AB123CD", "AB-123-CD", "FR", "siv", "", "", ""},
		{"AG 123456", "", true, "AG123456", "AG 123456", "CH", "standard", "", "AG", ""},
	}
	for _, tc := range tests {
		rec, err := Parse(tc.in, Options{Country: tc.country})
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		if rec.Valid != tc.valid || rec.Text != tc.text || rec.Display != tc.display || rec.Country != tc.cc ||
			rec.Format != tc.format || rec.Series != tc.series || rec.Parts.District != tc.district || rec.DistrictName != tc.name {
			t.Errorf("Parse(%q, %q) = valid=%v text=%q display=%q country=%q format=%q series=%q district=%q name=%q (reason %q)",
				tc.in, tc.country, rec.Valid, rec.Text, rec.Display, rec.Country, rec.Format, rec.Series, rec.Parts.District, rec.DistrictName, rec.Reason)
		}
	}
}

func TestParseNoFormat(t *testing.T) {
	for _, in := range []string{"", "KA A/ 123", "!!!", "123456789012", "ABCD XY 123"} {
		rec, err := Parse(in, Options{Country: "DE"})
		if !errors.Is(err, ErrNoFormat) {
			t.Errorf("Parse(%q) err = %v, want ErrNoFormat", in, err)
		}
		if rec == nil || rec.Format != "generic" || rec.Valid {
			t.Errorf("Parse(%q) record = %+v, want generic invalid record", in, rec)
		}
	}
}

func TestAmbiguousCandidates(t *testing.T) {
	rec, _ := Parse("BNN1234", Options{Country: "DE"})
	if rec.Valid || !rec.Ambiguous || len(rec.Candidates) != 2 {
		t.Fatalf("BNN1234: %+v", rec)
	}
	got := rec.Candidates[0].Display + "," + rec.Candidates[1].Display
	if got != "B-NN 1234,BN-N 1234" {
		t.Errorf("candidates %s", got)
	}
}

func TestRecordJSON(t *testing.T) {
	rec, err := Parse("DO-AB 1234E", Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(rec)
	var m map[string]any
	json.Unmarshal(b, &m)
	for _, k := range []string{"kind", "text", "display", "country", "parts", "district_name", "valid", "confidence", "candidates"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, b)
		}
	}
	if _, ok := m["quad"]; ok {
		t.Errorf("quad must be omitted when nil: %s", b)
	}
	p := m["parts"].(map[string]any)
	if m["kind"] != "plate" || p["district"] != "DO" || p["letters"] != "AB" || p["digits"] != "1234" || p["suffix"] != "E" {
		t.Errorf("bad JSON %s", b)
	}
}

// TestDistrictTableCoversCorpus checks that every code of the shared reference list is
// in the project's own table.
func TestDistrictTableCoversCorpus(t *testing.T) {
	f, err := os.Open("../../shared/corpus/de_district_codes.csv")
	if err != nil {
		t.Skipf("district reference list not available (%v); it lives in ../shared/corpus", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, row := range rows[1:] {
		code := strings.TrimSpace(row[0])
		n++
		if _, ok := LookupDistrict(code); !ok {
			t.Errorf("district %s (%s) missing from districts.txt", code, row[1])
		}
	}
	t.Logf("%d reference codes checked; table has %d codes", n, Districts())
}

func TestRank(t *testing.T) {
	tests := []struct {
		name     string
		readings []Reading
		display  string
	}{
		{"zero in letter position", []Reading{{Text: "B N0 1234", Confidence: 0.9}}, "B-NO 1234"},
		{"gap decides B NO", []Reading{{Text: "B NO 1234", Confidence: 0.9}}, "B-NO 1234"},
		{"gap decides BN O", []Reading{{Text: "BN O 1234", Confidence: 0.9}}, "BN-O 1234"},
		{"gap with confusions", []Reading{{Text: "BN O I234", Confidence: 0.8}}, "BN-O 1234"},
		{"suffix with gap", []Reading{{Text: "DO AB 1234 E", Confidence: 0.9}}, "DO-AB 1234E"},
		{"O in digit position", []Reading{{Text: "DO AB 12O4", Confidence: 0.9}}, "DO-AB 1204"},
		{"8 for B", []Reading{{Text: "8 XY 700", Confidence: 0.9}}, "B-XY 700"},
		{"low char conf decides", []Reading{{Text: "KA A8 123", Confidence: 0.9, CharConf: []float64{.99, .99, .99, .3, .99, .99, .99}}}, "KA-AB 123"},
		{"engines vote", []Reading{
			{Text: "M AB 1234", Confidence: 0.6, Engine: "tesseract"},
			{Text: "M AB 1234", Confidence: 0.7, Engine: "ppocr"},
			{Text: "N AB 1234", Confidence: 0.9, Engine: "other"},
		}, "M-AB 1234"},
		{"NL sidecode", []Reading{{Text: "12-D8-16", Confidence: 0.9}}, "12-DB-16"},
	}
	for _, tc := range tests {
		rec, err := Rank(tc.readings, Options{Country: countryOf(tc.display)})
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if rec.Display != tc.display || !rec.Valid {
			t.Errorf("%s: got %q valid=%v, want %q; candidates %+v", tc.name, rec.Display, rec.Valid, tc.display, rec.Candidates)
		}
		if rec.Confidence <= 0 || rec.Confidence > 1 || len(rec.Candidates) == 0 {
			t.Errorf("%s: confidence %v candidates %d", tc.name, rec.Confidence, len(rec.Candidates))
		}
	}
}

func countryOf(display string) string {
	if strings.Count(display, "-") == 2 {
		return "NL"
	}
	return "DE"
}

func TestRankNoReadings(t *testing.T) {
	if _, err := Rank(nil, Options{}); !errors.Is(err, ErrNoFormat) {
		t.Errorf("Rank(nil) err = %v", err)
	}
}

func TestAmericasAndPrefer(t *testing.T) {
	cases := []struct {
		text, country, prefer string
		wantCountry, display  string
		valid                 bool
	}{
		{"ML0 C2S", "", "", "US", "ML0 C2S", true},       // Missouri: no European format fits
		{"7CID930", "", "", "BE", "7-CID-930", true},     // guessed European first
		{"7CID930", "", "US", "US", "7CID930", true},     // California when preferred
		{"7CID930", "US", "", "US", "7CID930", true},     // and when restricted
		{"5DJ0529", "", "US", "US", "5 DJ 0529", true},   // Maryland's pattern
		{"ABC1D23", "BR", "", "BR", "ABC1D23", true},     // Mercosul
		{"ABC 1234", "", "BR", "BR", "ABC-1234", true},   // grey Brazilian plate
		{"AB 12345", "US", "", "US", "AB 12345", true},   // Illinois
		{"1A MW240", "US", "", "US", "1AMW240", true},    // a gap in the artwork is no separator
		{"ABCDE", "US", "", "US", "ABCDE", true},         // no listed format: a vanity plate (us-other)
		{"CCLVN-3", "", "US", "US", "CCLVN 3", true},     // where the US is preferred too
		{"CCLVN-3", "", "", "", "", false},               // but not when guessing
		{"ABCDEFGH", "US", "", "US", "", false},          // 8 characters: no US plate
		{"DÜW 12", "US", "", "US", "", false},            // umlauts: no US plate
		{"B MW 1234", "", "US", "DE", "B-MW 1234", true}, // the preference does not make a German plate American
	}
	for _, c := range cases {
		r, err := Parse(c.text, Options{Country: c.country, Prefer: c.prefer})
		if c.valid && err != nil {
			t.Errorf("%q: %v", c.text, err)
			continue
		}
		if r.Valid != c.valid || (c.valid && (r.Country != c.wantCountry || r.Display != c.display)) {
			t.Errorf("%q (country %q, prefer %q): got %s %q valid=%v, want %s %q valid=%v", c.text, c.country, c.prefer, r.Country, r.Display, r.Valid, c.wantCountry, c.display, c.valid)
		}
	}
}

// TestRankPrefer: with a preferred country, a reading of another country
// yields to a plate of the preferred one after a confusion repair on an
// unsure character, and an unlisted American text ranks below a listed
// format one repair away.
func TestRankPrefer(t *testing.T) {
	conf := []float64{0.8, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99}
	rd := []Reading{{Text: "AFCW533", Confidence: 0.9, CharConf: conf}}
	cases := []struct {
		prefer, want, country, format string
	}{
		{"", "AFCW533", "BE", "special"},      // guessing: the Belgian reading as read
		{"US", "4FCW533", "US", "us-1abc234"}, // California after A/4 on the unsure first character
	}
	for _, c := range cases {
		r, err := Rank(rd, Options{Prefer: c.prefer})
		if err != nil || r.Text != c.want || r.Country != c.country || r.Format != c.format {
			t.Errorf("prefer %q: got %s %s %s (%v), want %s %s %s", c.prefer, r.Text, r.Country, r.Format, err, c.want, c.country, c.format)
		}
	}
	// a sure first character stays as read (a text a listed grammar
	// accepts keeps that country: us-other is for texts none accepts)
	sure := []Reading{{Text: "AFCW533", Confidence: 0.99, CharConf: []float64{0.99, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99}}}
	if r, _ := Rank(sure, Options{Prefer: "US"}); r.Text != "AFCW533" {
		t.Errorf("sure AFCW533 preferring US: got %s %s %s, want it as read", r.Text, r.Country, r.Format)
	}
	// an unlisted text preferring the US: a vanity plate as read, not a
	// listed format two repairs away
	vanity := []Reading{{Text: "CCLVN 3", Confidence: 0.98}}
	if r, _ := Rank(vanity, Options{Prefer: "US"}); r.Text != "CCLVN3" || r.Country != "US" || r.Format != "us-other" || !r.Valid {
		t.Errorf("CCLVN 3 preferring US: got %s %s %s valid=%v, want CCLVN3 US us-other", r.Text, r.Country, r.Format, r.Valid)
	}
}

// TestBandOption: a plate with the blue EU band is not guessed American,
// Brazilian or Swiss, nor taken for an American free-form plate where the
// US is preferred; a country the request names still stands.
func TestBandOption(t *testing.T) {
	cases := []struct {
		text, country, prefer string
		wantCountry, display  string
		valid                 bool
	}{
		{"7CID930", "", "US", "BE", "7-CID-930", true}, // preferred American, but with the band Belgian
		{"ML0 C2S", "", "", "", "", false},             // Missouri without its grammar: nothing fits
		{"ABC 1234", "", "BR", "PL", "ABC 1234", true}, // preferred Brazilian, but with the band Polish
		{"CCLVN-3", "", "US", "", "", false},           // no free-form American plate
		{"B MW 1234", "", "", "DE", "B-MW 1234", true}, // German plates as before
		{"ABC1D23", "BR", "", "BR", "ABC1D23", true},   // the request's country stands
		{"ZH 123456", "", "", "", "", false},           // no Swiss plate
	}
	for _, c := range cases {
		r, err := Parse(c.text, Options{Country: c.country, Prefer: c.prefer, Band: true})
		if c.valid && err != nil {
			t.Errorf("%q: %v", c.text, err)
			continue
		}
		if r.Valid != c.valid || (c.valid && (r.Country != c.wantCountry || r.Display != c.display)) {
			t.Errorf("%q (country %q, prefer %q, band): got %s %q valid=%v, want %s %q valid=%v", c.text, c.country, c.prefer, r.Country, r.Display, r.Valid, c.wantCountry, c.display, c.valid)
		}
	}
	// without the band the same texts are American and Swiss
	for text, want := range map[string]string{"ML0 C2S": "US", "ZH 123456": "CH"} {
		if r, err := Parse(text, Options{}); err != nil || !r.Valid || r.Country != want {
			t.Errorf("%q without the band: %v %v, want %s", text, r, err, want)
		}
	}
}

func TestPlaces(t *testing.T) {
	ps := Places()
	seen := map[string]bool{}
	for _, p := range ps {
		if seen[p] || p == "" || strings.Contains(p, " / ") {
			t.Errorf("Places: %q empty, listed twice or a list", p)
		}
		seen[p] = true
	}
	for _, p := range []string{"München", "Saarbrücken", "Bad Tölz", "Landkreis Göttingen", "Nürnberger Land"} {
		if !seen[p] {
			t.Errorf("Places lacks %q", p)
		}
	}
}
