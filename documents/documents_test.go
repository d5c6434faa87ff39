package documents

import (
	"fmt"
	"maps"
	"math"
	"testing"
	"time"

	"docscan/geom"
)

func TestParseDate(t *testing.T) {
	Now = func() time.Time { return time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC) }
	defer func() { Now = time.Now }()
	cases := []struct {
		in    string
		order dateOrder
		birth bool
		want  string
		ok    bool
	}{
		{"14.07.1981", dmyOrder, true, "1981-07-14", true},
		{"14.O7.198l", dmyOrder, true, "1981-07-14", true},
		{"02/01/2018", mdyOrder, false, "2018-02-01", true},
		{"01.02.26", dmyOrder, false, "2026-02-01", true},
		{"01.02.70", dmyOrder, true, "1970-02-01", true},
		{"31.02.2000", dmyOrder, true, "", false},
		{"14071981", dmyOrder, true, "1981-07-14", true},
		{"no date", dmyOrder, true, "", false},
		{"14.07.1981", dmyFull, true, "1981-07-14", true},
		{"14071981", dmyFull, true, "1981-07-14", true},
		{"12.03.19", dmyFull, true, "", false}, // a German ID card's date cut short by glare, not 2019
		{"12.03.19", dmyOrder, true, "2019-03-12", true},
		// nine digits: a stray one before or after the date
		{"/210120359", dmyOrder, false, "2035-01-21", true},
		{"421012035", dmyOrder, false, "2035-01-21", true},
		{"121012019", dmyOrder, false, "2019-01-21", true}, // 12.10.1201 is none
		{"123456789", dmyOrder, false, "", false},          // neither window is a date
		{"1234567890", dmyOrder, false, "", false},         // ten digits
	}
	for _, c := range cases {
		got, ok := ParseDate(c.in, c.order, c.birth)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseDate(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestNormalize(t *testing.T) {
	cases := []struct{ field, in, want string }{
		{"categories", "AM/A1/B/BE", "AM A1 B BE"},
		{"can", "O12345", "012345"},
		{"document_number", "l01X-00T47", "L01X00T47"},
		{"birth_place", "(Utopia city)", "Utopia city"},
		{"surname", "SCHMIDT-KOWALSKI", "SCHMIDT-KOWALSKI"},
		{"sex", "m", "M"},
		{"issuing_authority", "Prefecture deReims", "Préfecture de Reims"},
		{"issuing_authority", "PrefecturedeLyon", "Préfecture de Lyon"},
		{"issuing_authority", "Pröfecture  de Nancy", "Préfecture de Nancy"},
		{"issuing_authority", "sous-prefecture du Havre", "Sous-préfecture du Havre"},
		{"issuing_authority", "PREFECTURE DE PARIS", "PRÉFECTURE DE PARIS"},
		{"issuing_authority", "PrefecturedeSeine", "Préfecture de Seine"},
		{"issuing_authority", "Prefecture des Vosges", "Préfecture des Vosges"},
		{"issuing_authority", "Prefecture Ge Angers", "Préfecture de Angers"},
		{"issuing_authority", "Prefecture Gers", "Prefecture Gers"},
		{"issuing_authority", "Stadt Bonn", "Stadt Bonn"},
		{"issuing_authority", "Prefect", "Prefect"},
		{"categories", "A1 B C1F D1E", "A1 B C1E D1E"},
		{"categories", "I A2 B D1E", "A2 B D1E"},
		{"categories", "A B1 B L", "A B1 B L"},
		{"categories", "AM A1 B L B BE CE", "AM A1 B1 B BE CE"}, // B1 read "B l"
		{"categories", "B C L C1E CE DE", "B C1 C1E CE DE"},
		{"categories", "A 8 BE", "A B BE"},
		{"categories", "A2 B LT", "A2 B L T"},
		{"categories", "8 BE", "8 BE"}, // too few to tell an EU row
		{"categories", "D", "D"},
		{"categories", "C M", "C M"}, // a US class list stays as read
		{"categories", "A2 X B", "A2 X B"},
		{"categories", "AB C CIE CE DE", "A B C C1E CE DE"}, // two odd tokens, both categories run together or misread
		{"categories", "I AB C CE CIE DE", "A B C CE C1E DE"},
		{"categories", "AB CIE C", "AB CIE C"},       // fewer categories than odd tokens
		{"categories", "A2 B XY C1E", "A2 B XY C1E"}, // one odd token reads as nothing: all stay
		{"issuing_authority", "Ac.Stadt Essen", "Stadt Essen"},
		{"issuing_authority", "#cKreis Borken", "Kreis Borken"},
		{"issuing_authority", "Ae,Stadt Dortmund", "Stadt Dortmund"},
		{"issuing_authority", "46 Stadt Bonn", "Stadt Bonn"},
		{"issuing_authority", "4O. Kreis Borken", "Kreis Borken"},
		{"issuing_authority", "46Stadt Bonn", "46Stadt Bonn"}, // glued: a number, not a label
		{"issuing_authority", "AcPrefecture de Lyon", "Préfecture de Lyon"},
		{"issuing_authority", "E Bezirksamt Mitte", "Bezirksamt Mitte"},
		{"issuing_authority", "eLandkreis Göttingen", "Landkreis Göttingen"},
		{"issuing_authority", "Kreis Borken", "Kreis Borken"},
		{"issuing_authority", "Amt Hüttener Berge", "Amt Hüttener Berge"},
		{"issuing_authority", "LRA Ebersberg", "LRA Ebersberg"},
		{"issuing_authority", "Stadk Essen", "Stadt Essen"},
		{"issuing_authority", "Stndt Essen", "Stadt Essen"},
		{"issuing_authority", "Stat Leipzig", "Stadt Leipzig"},
		{"issuing_authority", "Pretecture de Angers", "Préfecture de Angers"},
		{"issuing_authority", "LcHetecture de Paris", "Préfecture de Paris"},
		{"issuing_authority", "LcHetecture Paris", "LcHetecture Paris"}, // no "de": not told
		{"issuing_authority", "Architecture de Paris", "Architecture de Paris"},
		{"issuing_authority", "Landrtsamt Musterhausen", "Landratsamt Musterhausen"},
		{"issuing_authority", "STADT KOLN", "STADT KÖLN"},             // the word as printed, the place with its umlaut (withUmlauts)
		{"issuing_authority", "Rhein-Sieg Kreis", "Rhein-Sieg-Kreis"}, // the table's hyphens (withSeparators)
		{"issuing_authority", "RheinSieg-Kreis", "Rhein-Sieg-Kreis"},
		{"issuing_authority", "Rhein-Sieg-Kreis", "Rhein-Sieg-Kreis"},
		{"issuing_authority", "Landkreis Gottingen", "Landkreis Göttingen"},
		{"birth_place", "FREIBURGIM BREISGAU", "FREIBURG IM BREISGAU"},
		{"birth_place", "BADTOLZ", "BAD TÖLZ"},
		{"birth_place", "Rhein Sieg", "Rhein Sieg"}, // no place of the table
		{"birth_place", "ESSEN", "ESSEN"},
		{"issuing_authority", "2 Kreis Borken", "Kreis Borken"}, // a stray digit: no place has one
		{"issuing_authority", "Staat Bonn", "Stadt Bonn"},
		{"issuing_authority", "Kreis Borken", "Kreis Borken"},
		{"issuing_authority", "Rhein-Sieg-Kreis", "Rhein-Sieg-Kreis"},
		{"issuing_authority", "Amt Hüttener Berge", "Amt Hüttener Berge"},
		// the space after the authority's word lost
		{"issuing_authority", "StadtBonn", "Stadt Bonn"},
		{"issuing_authority", "StadtLeipzig", "Stadt Leipzig"},
		{"issuing_authority", "LandkreisGottingen", "Landkreis Göttingen"},
		{"issuing_authority", "STADTBONN", "STADT BONN"},
		{"issuing_authority", "STADTXY", "STADTXY"},                   // no place of the table
		{"issuing_authority", "Stadtverwaltung", "Stadtverwaltung"},   // one word
		{"issuing_authority", "StadtverwaltungX", "StadtverwaltungX"}, // too short a place
		{"issuing_authority", "StadtUlm", "Stadt Ulm"},
	}
	for _, c := range cases {
		if got, _ := Normalize(c.field, c.in, dmyOrder); got != c.want {
			t.Errorf("Normalize(%s, %q) = %q, want %q", c.field, c.in, got, c.want)
		}
	}
}

func TestMergeUmlauts(t *testing.T) {
	cases := []struct{ pp, tess, want string }{
		{"MOLLER", "MÖLLER", "MÖLLER"},
		{"BAD TOLZ", "BAD TÖLZ", "BAD TÖLZ"},
		{"LandkreisGottingen", "Landkreis Göttingen", "Landkreis Göttingen"},
		{"JORG", "voRs", "JORG"},
		{"4c.Landeshauptstadt Munchen", "dc. Landeshauptstadt München", "4c.Landeshauptstadt München"},
		{"MAX", "MAX", "MAX"},
	}
	for _, c := range cases {
		if got := MergeUmlauts(c.pp, c.tess); got != c.want {
			t.Errorf("MergeUmlauts(%q, %q) = %q, want %q", c.pp, c.tess, got, c.want)
		}
	}
}

func line(text string, x0, y0, x1, y1 float64) Line {
	return Line{Text: text, Conf: 0.99, Box: [4]float64{x0, y0, x1, y1}}
}

func TestNearSubstring(t *testing.T) {
	for _, c := range []struct {
		text, phrase string
		want         int
	}{
		{"XXPERSONALAUSWEISYY", "PERSONALAUSWEIS", 0},
		{"PESONALAUSNEIS", "PERSONALAUSWEIS", 2},
		{"PERMISDECOIIDUIRE", "PERMISDECONDUIRE", 2},
		{"AB\nPERSONAL", "PERSONALAUSWEIS", 7},
		{"", "PERSONALAUSWEIS", 15},
	} {
		if got := nearSubstring(c.text, c.phrase); got != c.want {
			t.Errorf("nearSubstring(%q, %q) = %d, want %d", c.text, c.phrase, got, c.want)
		}
	}
}

func TestClassify(t *testing.T) {
	cases := []struct {
		lines             []string
		mrzType, mrzState string
		wantType, country string
	}{
		{[]string{"BUNDESREPUBLIKDEUTSCHLAND", "PERSONALAUSWEIS"}, "", "", IDCard, "DE"},
		{[]string{"FUHRERSCHEIN", "BUNDESREPUBLIK DEUTSCHLAND", "4a 01.02.2020"}, "", "", DrivingLicence, "DE"},
		{[]string{"PERMIS DECONDUIRE", "REPUBLIQUE FRANCAISE"}, "", "", DrivingLicence, "FR"},
		{[]string{"DRIVERLICENSE", "USA"}, "", "", DrivingLicence, "US"},
		{[]string{"ZULASSUNGSBESCHEINIGUNG TEIL I"}, "", "", VehicleRegistration, "DE"},
		{[]string{"AUFENTHALTSTITEL"}, "", "", ResidencePermit, "DE"},
		{[]string{"PASSPORT"}, "passport", "UTO", Passport, "UTO"},
		{[]string{"JERUSALEM"}, "", "", Unknown, ""},
		// titles of a blurred card, misread in a few letters
		{[]string{"SUUNDESREPUUELIK DEUTSONLAND", "PESONALAUSNEIS", "RIONTER"}, "", "", IDCard, "DE"},
		{[]string{"D1F842440529258391111808E81666", "PERMISDECOIIDUIRE", "ROBERI"}, "", "", DrivingLicence, "FR"},
		// a licence title alone tells its country where the state's name
		// was not read; a card with titles in several languages does not
		{[]string{"FUHRERSCHEIN", "1. MEYER"}, "", "", DrivingLicence, "DE"},
		{[]string{"FUHRFRSCHFIN", "1. MEYER"}, "", "", DrivingLicence, "DE"},
		{[]string{"FUHRERSCHEIN", "REPUBLIK OSTERREICH"}, "", "", DrivingLicence, "AT"},
		{[]string{"PERMIS DE CONDUIRE", "FUHRERSCHEIN"}, "", "", DrivingLicence, ""},
		// nor does text far from any keyword, or a short one misread
		{[]string{"PERSONALITIES", "BUNDESLIGA TABELLE"}, "", "", Unknown, ""},
		{[]string{"PASSPOET"}, "", "", Unknown, ""},
	}
	for _, c := range cases {
		var ls []Line
		for i, s := range c.lines {
			ls = append(ls, line(s, 0, float64(i*40), 300, float64(i*40+30)))
		}
		gt, gc, _ := Classify(ls, c.mrzType, c.mrzState)
		if gt != c.wantType || gc != c.country {
			t.Errorf("Classify(%q) = %s, %s; want %s, %s", c.lines, gt, gc, c.wantType, c.country)
		}
	}
}

func TestReadFieldsLicence(t *testing.T) {
	// a French specimen as PP-OCR reads it: labels 1 and 9 missed, 3, 4b and
	// 5 glued to their values, a hologram read beside the place
	lines := []Line{
		line("PERMIS DECONDUIRE", 274, 39, 632, 70),
		line("MARTIN", 332, 94, 494, 135),
		line("OUE", 669, 126, 771, 163),
		line("2.Paul", 297, 155, 431, 187),
		line("314.07.1981 (Utopia city)", 297, 208, 635, 246),
		line("DETUN", 681, 227, 769, 256),
		line("4a.01.01.2013", 299, 258, 471, 292),
		line("4c.99999 Utopia City", 500, 263, 711, 294),
		line("4b31.12.2018", 299, 305, 470, 341),
		line("513AA00002", 298, 355, 473, 389),
		line("AM/A1/B1/B/BE/D/DE", 97, 467, 322, 496),
	}
	got := ReadFields(DrivingLicence, "FR", lines, 1000, 630)
	// a German one with the numbers 3 and 5 lost
	de := ReadFields(DrivingLicence, "DE", []Line{
		line("FUHRERSCHEIN", 222, 40, 585, 78), line("WAGNER", 396, 167, 542, 195), line("1", 340, 176, 354, 189),
		line("JAN", 387, 214, 458, 254), line("2", 338, 225, 354, 242), line("12.06.1997", 395, 272, 567, 298),
		line("BREMEN", 584, 273, 710, 298), line("m", 337, 276, 356, 297), line("24.10.2021", 394, 322, 562, 353),
		line("4a", 337, 327, 371, 352), line("4c.Landeshauptstadt München", 650, 327, 970, 358),
		line("23.10.2036", 395, 376, 563, 404), line("4b", 338, 381, 370, 404), line("J407HHBYGC3", 391, 426, 625, 461),
		line("7", 342, 490, 359, 509), line("AM/B/D1/CE/L", 98, 541, 301, 570), line("9", 45, 546, 64, 565),
	}, 1000, 630)
	for k, v := range map[string]string{"birth_date": "1997-06-12", "birth_place": "BREMEN", "document_number": "J407HHBYGC3",
		"issuing_authority": "Landeshauptstadt München", "categories": "AM B D1 CE L", "surname": "WAGNER"} {
		if de[k].Value != v {
			t.Errorf("DE %s = %q, want %q", k, de[k].Value, v)
		}
	}
	// number 1 read as nothing and 3 as "m": the surname is the row right
	// above field 2's (not the header further up)
	de1 := ReadFields(DrivingLicence, "DE", []Line{
		line("FUHRERSCHEIN", 226, 42, 590, 84), line("BUNDESREPUBLIKDEUTSCHLAND", 223, 101, 599, 123),
		line("", 345, 181, 352, 190), line("HUBER", 398, 169, 512, 197), line("2", 343, 231, 357, 246),
		line("ERIKA", 397, 221, 498, 250), line("m", 341, 280, 360, 301), line("31.05.1994", 399, 274, 570, 303),
		line("HAMBURG", 578, 276, 741, 302), line("4a.", 340, 332, 375, 355), line("17.04.2019", 398, 326, 566, 355),
		line("4c. Kreis Gütersloh", 656, 331, 904, 355), line("4b.", 340, 384, 377, 408),
		line("16.04.2034", 397, 380, 567, 408), line("5", 341, 438, 360, 458), line("D090874H915", 399, 432, 630, 460),
	}, 1000, 630)
	wantFields(t, "DE (1 lost)", de1, map[string]string{"surname": "HUBER", "given_names": "ERIKA", "birth_date": "1994-05-31", "birth_place": "HAMBURG"})
	// only 4a and 4b found: the rows above and below are numbered on
	de2 := ReadFields(DrivingLicence, "DE", []Line{
		line("FUHRERSCHEIN", 222, 39, 586, 79), line("BUNDESREPUBLIKDEUTSCHLAND", 220, 99, 596, 121),
		line("SCHULZ", 395, 166, 528, 196), line("JONAS", 389, 217, 501, 253), line("m", 338, 277, 356, 296),
		line("24.10.1983", 396, 273, 564, 299), line("BAD TOLZ", 582, 270, 736, 300), line("4a", 337, 329, 371, 352),
		line("26.12.2023", 395, 324, 562, 352), line("4c. Kreis Borken", 651, 325, 870, 355), line("4b", 337, 381, 370, 404),
		line("25.12.2038", 395, 377, 563, 405), line("S689MYELLB6", 396, 430, 628, 457), line("", 46, 548, 62, 565),
		line("A/B/C1/D1/T", 97, 542, 277, 570),
	}, 1000, 630)
	wantFields(t, "DE (1, 2, 3, 5 lost)", de2, map[string]string{"surname": "SCHULZ", "given_names": "JONAS", "birth_date": "1983-10-24",
		"birth_place": "BAD TÖLZ", "document_number": "S689MYELLB6", "categories": "A B C1 D1 T"}) // the place's dots from the gazetteer
	// a dark photo: no field number read at all, the birth date's dot lost
	// ("23.041974" is no field 2 glued to a value): the first row opening
	// with a date is field 3 and the sequence numbers the rest
	dark := ReadFields(DrivingLicence, "FR", []Line{
		line("D1FRA15ZM194342300629RICHARDK4", 79, 576, 920, 611), line("PERMIS DE CONDUIRE", 224, 46, 690, 80),
		line("23.041974(Nancy)", 398, 269, 704, 307), line("BEPUGLQUE-RANCAISE", 222, 98, 495, 125),
		line("Prefecture Ge Angers", 704, 329, 973, 357), line("15ZM19434", 399, 429, 591, 461),
		line("A2/A/BIC/BE", 98, 544, 280, 570), line("29.062030", 397, 376, 569, 408),
		line("30.06.2015", 401, 325, 566, 355), line("RICHARD", 397, 166, 550, 197), line("Emlle", 394, 213, 494, 255),
	}, 1000, 630)
	wantFields(t, "FR (no numbers)", dark, map[string]string{"surname": "RICHARD", "given_names": "Emlle", "birth_date": "1974-04-23",
		"birth_place": "Nancy", "issue_date": "2015-06-30", "expiry_date": "2030-06-29", "document_number": "15ZM19434",
		"issuing_authority": "Préfecture de Angers"})
	// and with the birth date unreadable: the first row opening with a date
	// is the issue date's (too recent for a birth), and the rows above it
	// are numbered back from 4a
	// (issued three years ago, whatever year the test runs in)
	issued := time.Now().Year() - 3
	dark2 := ReadFields(DrivingLicence, "FR", []Line{
		line("PERMIS DE CONDUIRE", 224, 46, 690, 80), line("Xa.O4.I974 (Nancy)", 398, 269, 704, 307),
		line("Prefecture Ge Angers", 704, 329, 973, 357), line("15ZM19434", 399, 429, 591, 461),
		line(fmt.Sprintf("29.06%d", issued+15), 397, 376, 569, 408), line(fmt.Sprintf("30.06.%d", issued), 401, 325, 566, 355),
		line("RICHARD", 397, 166, 550, 197), line("Emlle", 394, 213, 494, 255),
	}, 1000, 630)
	wantFields(t, "FR (no numbers, birth date unread)", dark2, map[string]string{"surname": "RICHARD", "given_names": "Emlle",
		"issue_date": fmt.Sprintf("%d-06-30", issued), "expiry_date": fmt.Sprintf("%d-06-29", issued+15), "document_number": "15ZM19434",
		"issuing_authority": "Préfecture de Angers"})
	if v, ok := dark2["birth_date"]; ok {
		t.Errorf("FR (birth date unread): birth_date %q from another row", v.Value)
	}
	// a blurred photo (licence_0045 of the synthetic set): of the field
	// numbers only 4c, printed larger and glued to the authority, was read;
	// the sequence is numbered from the birth row all the same, 4a's row
	// (shared with 4c) included
	blurred := ReadFields(DrivingLicence, "DE", []Line{
		line("BUNDESREPUBLKDEUTSCHUAND", 223, 100, 600, 124), line("FUHRERSCHEIN", 224, 39, 591, 86),
		line("Y271R0N1JE3", 398, 430, 620, 463), line("4c.Kreis Borken", 657, 328, 872, 357), line("ISTANBUL", 558, 274, 732, 303),
		line("12.04.1962", 400, 274, 570, 303), line("15.08.2021", 398, 324, 566, 357), line("14.08.2036", 398, 378, 566, 409),
		line("MOLLER", 396, 164, 535, 200), line("URSULA", 396, 220, 532, 252), line("B/BE/T", 98, 543, 199, 572),
	}, 1000, 630)
	wantFields(t, "DE (only 4c)", blurred, map[string]string{"surname": "MOLLER", "given_names": "URSULA", "birth_date": "1962-04-12",
		"birth_place": "ISTANBUL", "issue_date": "2021-08-15", "issuing_authority": "Kreis Borken", "expiry_date": "2036-08-14",
		"document_number": "Y271R0N1JE3", "categories": "B BE T"})
	// the DL1 line's tilted box spans the categories' row (licence_0050):
	// the categories are read from their own line of that row
	tilted := ReadFields(DrivingLicence, "FR", []Line{
		line("PERMIS DE CONDUIRE", 224, 46, 690, 80), line("THOMAS", 397, 166, 550, 197),
		line("D1FRA16PA292805311218TH0MAS<<0", 97, 477, 941, 618), line("A2/A/B/C", 118, 529, 276, 575),
	}, 1000, 630)
	wantFields(t, "FR (categories beside the DL1 line)", tilted, map[string]string{"categories": "A2 A B C"})
	// motion blur (licence_0010): no number read, the stops read as colons
	colons := ReadFields(DrivingLicence, "FR", []Line{
		line("PERMIS DE CONDUIRE", 223, 40, 683, 84), line("15:071974 (Rennes)", 395, 265, 717, 309),
		line("ISLF13340", 398, 425, 576, 463), line("10:022030", 388, 371, 564, 410), line("11:022015", 391, 318, 564, 358),
		line("LAURENT", 393, 161, 547, 200), line("Lueas", 392, 213, 494, 256), line("Prefecture de Brest", 655, 323, 954, 356),
	}, 1000, 630)
	wantFields(t, "FR (colons)", colons, map[string]string{"surname": "LAURENT", "birth_date": "1974-07-15", "birth_place": "Rennes",
		"issue_date": "2015-02-11", "expiry_date": "2030-02-10", "issuing_authority": "Préfecture de Brest"})
	want := map[string]string{"surname": "MARTIN", "given_names": "Paul", "birth_date": "1981-07-14",
		"birth_place": "Utopia city", "issue_date": "2013-01-01", "issuing_authority": "99999 Utopia City",
		"expiry_date": "2018-12-31", "document_number": "13AA00002", "categories": "AM A1 B1 B BE D DE"}
	for k, v := range want {
		if got[k].Value != v {
			t.Errorf("%s = %q, want %q", k, got[k].Value, v)
		}
	}
}

func TestReadFieldsUS(t *testing.T) {
	lines := []Line{
		line("DRIVERLICENSE", 461, 32, 797, 78),
		line("CLASSD", 349, 157, 460, 191),
		line("9", 322, 163, 341, 181),
		line("D12345678", 693, 185, 917, 231),
		line("4dDLN", 605, 191, 698, 218),
		line("02/01/1957", 705, 231, 919, 281),
		line("DOB", 635, 237, 701, 266),
		line("3", 605, 243, 621, 259),
		line("SAMPLE", 349, 260, 492, 304),
		line("JELANI", 352, 299, 472, 342),
		line("123MAINSTREET", 352, 340, 574, 384),
		line("8", 325, 347, 334, 358),
		line("PHOENIX,AZ85007", 351, 368, 592, 415),
		line("4bEXP", 320, 438, 406, 470),
		line("02/01/2018", 409, 438, 607, 491),
		line("01/10/2013", 699, 465, 928, 521),
		line("4aISS", 630, 467, 715, 499),
	}
	got := ReadFields(DrivingLicence, "US", lines, 1000, 630)
	want := map[string]string{"surname": "SAMPLE", "given_names": "JELANI", "birth_date": "1957-02-01",
		"expiry_date": "2018-02-01", "issue_date": "2013-01-10", "document_number": "D12345678",
		"categories": "D", "state": "AZ"}
	for k, v := range want {
		if got[k].Value != v {
			t.Errorf("%s = %q, want %q", k, got[k].Value, v)
		}
	}
	// the same card photographed again: 9 lost, "4a" glued to "ISs"
	// with a lower-case s, on the expiry's row
	var again []Line
	for _, l := range lines {
		switch l.Text {
		case "9", "4aISS", "01/10/2013":
			continue
		}
		again = append(again, l)
	}
	again = append(again, line("4aISs01/10/2013", 630, 440, 921, 490))
	wantFields(t, "again", ReadFields(DrivingLicence, "US", again, 1000, 630), want)
	// outlined exactly (the card fills the photo): the address's 8 glued
	// to the house number, and the tail of 4b's 8 glued to 4a as a 3
	// (lines as the recognizer read mindee_us_az_driver_license_sample)
	exact := []Line{
		line("DRIVER LICENSE", 492, 35, 823, 76), line("9CLASSD", 349, 150, 505, 185),
		line("4d DLN D12345678", 626, 154, 929, 204), line("3DOB02/01/1957", 636, 200, 927, 241),
		line("1 SAMPLE", 347, 242, 533, 282), line("2 JELANI", 346, 275, 514, 320),
		line("8123MAIN STREET", 343, 312, 613, 348), line("PHOENIX, AZ 85007", 377, 339, 631, 375),
		line("4b EXP 02/01/2018", 347, 396, 643, 438), line("34aIss01/10/2013", 623, 396, 932, 438),
	}
	want["address"] = "123MAIN STREET PHOENIX AZ 85007"
	wantFields(t, "exact", ReadFields(DrivingLicence, "US", exact, 1000, 630), want)
}

// wantFields reports the fields of got whose values are not want's.
func wantFields(t *testing.T, what string, got map[string]Read, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got[k].Value != v {
			t.Errorf("%s: %s = %q, want %q", what, k, got[k].Value, v)
		}
	}
}

func TestLikeGerman(t *testing.T) {
	for v, want := range map[string]bool{"DEUTSCH": true, "DEUTSOH": true, "UTSCH": true, "DEWTSON": true, "SCH": true,
		"ISCH": true, "JTSCH": true, "CH": false, "POLNISCH": false, "ITALIENISCH": false, "FRANZOSISCH": false, "TURKISCH": false, "": false} {
		if got := likeGerman(v); got != want {
			t.Errorf("likeGerman(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestReadFieldsIDCard(t *testing.T) {
	H := 630.0
	y := func(mm float64) float64 { return mm / 53.98 * H }
	x := func(mm float64) float64 { return mm / 85.6 * 1000 }
	val := func(s string, xmm, cymm float64) Line {
		return line(s, x(xmm), y(cymm)-14, x(xmm)+20*float64(len(s)), y(cymm)+14)
	}
	lab := func(s string, cymm float64) Line {
		return line(s, x(30), y(cymm)-6, x(30)+8*float64(len(s)), y(cymm)+6)
	}
	lines := []Line{
		val("T22000129", 61.5, 5.4),
		lab("Name / Surname / Nom", 13.7), val("MUSTERMANN", 30, 16.6),
		lab("Geburtsname / Name at birth", 19.8), val("GABLER", 30, 22.7),
		lab("Vornamen / Given names", 25.9), val("ERIKA", 30, 28.8),
		val("12.08.1964", 30, 34.9), val("DEUTSCH", 56, 34.9),
		val("BERLIN", 30, 41.0), val("31.10.2030", 30, 47.1), val("123456", 70, 50.2),
	}
	got := ReadFields(IDCard, "DE", lines, 1000, 630)
	want := map[string]string{"document_number": "T22000129", "surname": "MUSTERMANN", "birth_name": "GABLER",
		"given_names": "ERIKA", "birth_date": "1964-08-12", "nationality": "DEUTSCH", "birth_place": "BERLIN",
		"expiry_date": "2030-10-31", "can": "123456"}
	for k, v := range want {
		if got[k].Value != v {
			t.Errorf("%s = %q, want %q", k, got[k].Value, v)
		}
	}
	// The number taken into the title's line by the detector (idcard_0056),
	// O read for its 0 (the card number holds no vowel)
	var titled []Line
	for _, l := range lines {
		if l.Text != "T22000129" {
			titled = append(titled, l)
		}
	}
	titled = append(titled, line("BUNDESREPUBLIK DEUTSCHLAND T22OOO129", 61, y(5.4)-16, 940, y(5.4)+16))
	wantFields(t, "number in the title's line", ReadFields(IDCard, "DE", titled, 1000, 630), map[string]string{"document_number": "T22000129"})
	if r := ReadFields(IDCard, "DE", titled, 1000, 630)["document_number"]; !r.Part {
		t.Error("a number read off its title's line is not marked part of its line")
	}
	// A CAN read with a junk character makes no value; its line is listed
	// for decoding again restricted to digits (idcard_0126)
	var junk []Line
	canAt := -1
	for _, l := range lines {
		if l.Text == "123456" {
			l.Text, canAt = "$23456", len(junk)
		}
		junk = append(junk, l)
	}
	if _, ok := ReadFields(IDCard, "DE", junk, 1000, 630)["can"]; ok {
		t.Error("a CAN read from $23456")
	}
	if u := Unread(IDCard, "DE", junk, 1000, 630); u["can"] != canAt || len(u) != 1 {
		t.Errorf("Unread = %v, want can at %d", u, canAt)
	}
	if u := Unread(IDCard, "DE", lines, 1000, 630); len(u) != 0 {
		t.Errorf("Unread = %v on a card read whole", u)
	}
	// A card placed off by more than the template's row search (idcard_0047
	// of the seed-42 set: a side snapped to the sheet of paper under the
	// card): the values stand under their labels.
	var off []Line
	for _, l := range lines {
		off = append(off, line(l.Text, l.Box[0]+25, l.Box[1]+0.09*H, l.Box[2]+25, l.Box[3]+0.09*H))
	}
	wantFields(t, "placed off", ReadFields(IDCard, "DE", off, 1000, 630), map[string]string{"surname": "MUSTERMANN",
		"birth_name": "GABLER", "given_names": "ERIKA"})
	// Labels read on a card in place (idcard_0153): the birth date taken
	// under its label leaves the nationality beside it to its own slot,
	// though the nationality's label was misread.
	var withLabels []Line
	for _, l := range lines {
		if l.Text == "DEUTSCH" {
			l = val("DEUTSCH", 54.5, 34.9) // printed a little left, inside the date's span
		}
		withLabels = append(withLabels, l)
	}
	withLabels = append(withLabels, lab("Geburtstag / Date of birth", 32.0),
		lab("Geburtsort / Place of birth", 38.1), line("Suaatsangehorigker /Nationalty", x(56), y(32.0)-6, x(56)+250, y(32.0)+6))
	wantFields(t, "labels read", ReadFields(IDCard, "DE", withLabels, 1000, 630), want)
	// No birth name: its slot holds nothing but the label, which is not a
	// value (nor is the next label, written large by the recognizer).
	var noBirthName []Line
	for _, l := range lines {
		if l.Text != "GABLER" {
			noBirthName = append(noBirthName, l)
		}
	}
	noBirthName = append(noBirthName, val("Geburtstag/Dateof birth", 30, 22.9))
	got = ReadFields(IDCard, "DE", noBirthName, 1000, 630)
	if r, ok := got["birth_name"]; ok {
		t.Errorf("birth_name = %q read from a label", r.Value)
	}
	if got["surname"].Value != "MUSTERMANN" || got["given_names"].Value != "ERIKA" {
		t.Errorf("surname %q given_names %q", got["surname"].Value, got["given_names"].Value)
	}
	// The nationality printed a little left of where the template puts
	// its column (54.7 mm; a card photographed at an angle shifts it too)
	// and a pixel taller than the birth date: each stays in its own slot.
	shifted := append([]Line(nil), lines...)
	for i, l := range shifted {
		if l.Text == "DEUTSCH" {
			shifted[i] = line("DEUTSCH", x(54.7), y(34.9)-15, x(54.7)+140, y(34.9)+15)
		}
	}
	got = ReadFields(IDCard, "DE", shifted, 1000, 630)
	if got["birth_date"].Value != "1964-08-12" || got["nationality"].Value != "DEUTSCH" {
		t.Errorf("birth_date %q nationality %q", got["birth_date"].Value, got["nationality"].Value)
	}
	for _, tc := range []struct {
		text  string
		label bool
	}{{"Geburtsname / Name at birth", true}, {"Staatsangehörigkeit/Nationality", true}, {"Vornamen/Givennames", true},
		{"MUSTERMANN", false}, {"GABLER", false}, {"22.10.1989", false}, {"BERLIN", false}, {"NAMEKAWA", false}} {
		if got := isFieldLabel(tc.text); got != tc.label {
			t.Errorf("isFieldLabel(%q) = %v", tc.text, got)
		}
	}
}

func TestCrossCheckAndFromMRZ(t *testing.T) {
	visual := map[string]string{"surname": "MÜLLER", "given_names": "HANS-PETER", "birth_date": "1964-08-12", "document_number": "T22000I29"}
	mrz := map[string]string{"surname": "MUELLER", "given_names": "HANS<PETER", "birth_date": "1964-08-12", "document_number": "T22000129"}
	cc := CrossCheck(visual, mrz, 0)
	for f, want := range map[string]bool{"surname": true, "given_names": true, "birth_date": true, "document_number": false} {
		if cc[f].Agree != want {
			t.Errorf("cross check %s = %v, want %v", f, cc[f].Agree, want)
		}
	}
	if cc := CrossCheck(map[string]string{"surname": "MARTINEZ"}, map[string]string{"surname": "MARTINEZ"[:8]}, 8); !cc["surname"].Agree {
		t.Error("a name truncated by the DL1 MRZ should agree")
	}
	if cc := CrossCheck(map[string]string{"surname": "MARTINA"}, map[string]string{"surname": "MARTIN"}, 8); cc["surname"].Agree {
		t.Error("MARTINA and MARTIN agree")
	}
	fix := FromMRZ(visual, mrz, true, 0)
	if fix["document_number"] != "T22000129" || fix["surname"] != "" {
		t.Errorf("FromMRZ = %v", fix)
	}
	if len(FromMRZ(visual, mrz, false, 0)) != 0 {
		t.Error("an invalid MRZ must not override")
	}
	// a field with a check digit of its own: the valid MRZ's value however
	// far the visual reading is; a name as far off stays as read
	far := FromMRZ(map[string]string{"document_number": "2SMNESAS9", "expiry_date": "2040-04-24", "birth_date": "2001-07-09", "surname": "GARCIA"},
		map[string]string{"document_number": "25HN25419", "expiry_date": "2040-06-24", "birth_date": "2001-07-09", "surname": "LEFEVRE"}, true, 0)
	if want := map[string]string{"document_number": "25HN25419", "expiry_date": "2040-06-24"}; !maps.Equal(far, want) {
		t.Errorf("FromMRZ far off = %v, want %v", far, want)
	}
	// the century is the visual zone's: the MRZ prints two digits of a year
	if c := FromMRZ(map[string]string{"birth_date": "1920-03-04"}, map[string]string{"birth_date": "2020-03-04"}, true, 0); len(c) != 0 {
		t.Errorf("FromMRZ over a four-digit year = %v", c)
	}
}

// TestFromMRZTruncated: a DL1 surname that fills the line's 8 letters may
// be cut there; it corrects the letters of the visual reading it covers
// (one or two slips), never the visual's letters past them, and nothing
// where the visual reading is shorter, differs more, or has an umlaut.
func TestFromMRZTruncated(t *testing.T) {
	for _, c := range []struct {
		visual, mrz, want string
	}{
		{"BERTRANO", "BERTRAND", "BERTRAND"},
		{"LEFEBVRF", "LEFEBVRE", "LEFEBVRE"},
		{"MARTlNEZ", "MARTINEZ", "MARTINEZ"},
		{"MARTINFZIGUERA", "MARTINEZ", "MARTINEZIGUERA"}, // past the 8 kept
		{"DA SlLVO", "DA<SILVA", "DA SILVA"},
		{"Lefebvro", "LEFEBVRE", "Lefebvre"},
		{"LÉFEBVRO", "LEFEBVRE", "LÉFEBVRE"}, // the accent kept
		{"BERTRAND", "BERTRAND", ""},         // agrees
		{"BERTRA", "BERTRAND", ""},           // shorter: a letter lost, not a slip
		{"BORTRANO", "BERTRAND", "BERTRAND"},
		{"BOPTRANO", "BERTRAND", ""}, // three letters differ: another name
		{"MÜLLERIN", "MUELLERI", ""}, // umlaut: the letters move in the MRZ
	} {
		fix := FromMRZ(map[string]string{"surname": c.visual}, map[string]string{"surname": c.mrz}, true, 8)
		if got := fix["surname"]; got != c.want {
			t.Errorf("visual %q, MRZ %q: %q, want %q", c.visual, c.mrz, got, c.want)
		}
	}
}

// card renders a bright card (quad q) on a darker, textured background.
func card(w, h int, q geom.Quad, bg, fg byte) Gray {
	g := Gray{Pix: make([]byte, w*h), W: w, H: h}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := bg + byte((x*7+y*13)%11)
			if pointIn(q, geom.Point{float64(x) + 0.5, float64(y) + 0.5}) {
				v = fg
			}
			g.Pix[y*w+x] = v
		}
	}
	return g
}

// cardOnPaper renders a card (quad truth, grey 200) lying over a sheet of
// paper (quad paper, grey tone) on a darker, textured background.
func cardOnPaper(truth, paper geom.Quad, tone byte) Gray {
	g := card(640, 480, paper, 60, tone)
	for y := 0; y < g.H; y++ {
		for x := 0; x < g.W; x++ {
			if pointIn(truth, geom.Point{float64(x) + 0.5, float64(y) + 0.5}) {
				g.Pix[y*g.W+x] = 200
			}
		}
	}
	return g
}

// textIn places n lines of text on card q (canonQuads).
func textIn(q geom.Quad, n int) []geom.Quad {
	boxes := make([][4]float64, n)
	for i := range boxes {
		y := 50 + float64(i)*90
		boxes[i] = [4]float64{60, y, 940 - float64(i%3)*150, y + 40}
	}
	return canonQuads(q, boxes)
}

func TestPickCard(t *testing.T) {
	truth := geom.Quad{{120, 80}, {520, 110}, {500, 370}, {100, 340}}
	g := card(640, 480, truth, 60, 200)
	text := textIn(truth, 6)
	// a rough contour candidate, and none at all (text-led search)
	rough := geom.Quad{{124, 84}, {515, 108}, {497, 366}, {104, 337}}
	for _, cands := range [][]geom.Quad{{rough}, nil} {
		q, src, ok := PickCard(g, cands, text)
		if !ok {
			t.Fatalf("no card (%d candidates)", len(cands))
		}
		if e := cornerErr(q, truth); e > 0.01 {
			t.Errorf("%s: corner error %.3f > 1%% (%v)", src, e, q)
		}
	}
	if _, _, ok := PickCard(g, nil, nil); ok {
		t.Error("a card without text or outline")
	}
}

// A card lying across a sheet of paper: the contour of the two together
// passes the area and aspect tests, but two of its sides cut across the
// paper and the background without an edge, so the card is found from its
// text and its own edges.
func TestPickCardOnPaper(t *testing.T) {
	truth := geom.Quad{{120, 80}, {520, 110}, {500, 370}, {100, 340}}
	paper := geom.Quad{{20, 20}, {300, 40}, {280, 300}, {10, 280}}
	g := cardOnPaper(truth, paper, 150)
	text := textIn(truth, 6)
	union := geom.Quad{{20, 20}, {520, 110}, {500, 370}, {10, 280}}
	if outlined(g, snapQuad(g, union, -0.04, 0.04, 0)) {
		t.Error("the outline of card and paper together taken for a card's")
	}
	if !outlined(g, snapQuad(g, truth, -0.04, 0.04, 0)) {
		t.Error("the card's own outline refused")
	}
	q, src, ok := PickCard(g, []geom.Quad{union}, text)
	if !ok {
		t.Fatal("no card")
	}
	if e := cornerErr(q, truth); e > 0.02 {
		t.Errorf("%s: corner error %.3f > 2%% (%v)", src, e, q)
	}
	q, src, _ = PickCard(g, []geom.Quad{union, truth}, text)
	if e := cornerErr(q, truth); src != "edges" || e > 0.01 {
		t.Errorf("with the card's contour too: %s, corner error %.3f", src, e)
	}
}

// A card whose print the detector did not find (motion blur): its outline
// alone places it, when the contour runs along an edge all round and is
// a fair share of the photo; a contour through the background does not.
func TestPickCardOutlineOnly(t *testing.T) {
	truth := geom.Quad{{120, 80}, {520, 110}, {500, 370}, {100, 340}}
	g := card(640, 480, truth, 60, 200)
	rough := geom.Quad{{124, 84}, {515, 108}, {497, 366}, {104, 337}}
	q, src, ok := PickCard(g, []geom.Quad{rough}, nil)
	if !ok || src != "edges" {
		t.Fatalf("no card from its outline (%q)", src)
	}
	if e := cornerErr(q, truth); e > 0.01 {
		t.Errorf("corner error %.3f > 1%%", e)
	}
	background := geom.Quad{{20, 300}, {300, 330}, {290, 470}, {10, 450}}
	if q, _, ok := PickCard(g, []geom.Quad{background}, nil); ok {
		t.Errorf("a card where there is no edge: %v", q)
	}
	// a region of text found outside the outline: the outline is not the
	// card it belongs to
	if q, _, ok := PickCard(g, []geom.Quad{rough}, []geom.Quad{{{560, 420}, {630, 420}, {630, 440}, {560, 440}}}); ok {
		t.Errorf("a card holding none of the text found: %v", q)
	}
	// three thin text regions that do not cluster (ruled lines of a
	// sheet beside a small card): the outline alone does not decide
	ruled := []geom.Quad{{{150, 120}, {300, 120}, {300, 124}, {150, 124}}, {{150, 220}, {300, 220}, {300, 224}, {150, 224}},
		{{150, 320}, {300, 320}, {300, 324}, {150, 324}}}
	if q, _, ok := PickCard(g, []geom.Quad{rough}, ruled); ok {
		t.Errorf("a card from its outline beside %d unclustered text regions: %v", len(ruled), q)
	}
	small := geom.Quad{{300, 200}, {360, 204}, {358, 240}, {298, 236}}
	gs := card(640, 480, small, 60, 200)
	if q, _, ok := PickCard(gs, []geom.Quad{small}, nil); ok {
		t.Errorf("a card of %.1f%% of the photo: %v", 100*small.Area()/(640*480), q)
	}
}

// canonQuads maps boxes given on the canonical 1000 x 630 card into the
// photo of card q.
func canonQuads(q geom.Quad, boxes [][4]float64) []geom.Quad {
	hm, _ := CardHomography(q, 1000, 630)
	var out []geom.Quad
	for _, b := range boxes {
		var t geom.Quad
		for k, p := range [][2]float64{{b[0], b[1]}, {b[2], b[1]}, {b[2], b[3]}, {b[0], b[3]}} {
			t[k] = hm.Apply(p[0], p[1])
		}
		out = append(out, t)
	}
	return out
}

// A card of which the detector found only the header's lines: their
// extent is a fifth of the card, and the card's contour, five times as
// large, is still its outline; a contour of the whole photo is not.
func TestPickCardFewLines(t *testing.T) {
	truth := geom.Quad{{120, 80}, {520, 110}, {500, 370}, {100, 340}}
	g := card(640, 480, truth, 60, 200)
	header := canonQuads(truth, [][4]float64{{300, 40, 900, 90}, {300, 100, 900, 150}, {300, 160, 800, 240}})
	if c := mainCluster(header); len(c) != 3 {
		t.Fatalf("the header's lines do not cluster: %d", len(c))
	}
	ext, _, _, _ := textExtent(header)
	rough := geom.Quad{{124, 84}, {515, 108}, {497, 366}, {104, 337}}
	if r := rough.Area() / ext.Area(); r <= maxOutlineOverText || r > maxOutlineOverFewText {
		t.Fatalf("the contour is %.1f times the header's extent: not the case under test", r)
	}
	whole := geom.Quad{{0, 0}, {639, 0}, {639, 479}, {0, 479}}
	q, src, ok := PickCard(g, []geom.Quad{whole, rough}, header)
	if !ok || src != "edges" {
		t.Fatalf("the card's contour not taken (%q)", src)
	}
	if e := cornerErr(q, truth); e > 0.01 {
		t.Errorf("corner error %.3f > 1%% (%v)", e, q)
	}
	// six lines of the same extent are the card's text: a contour five
	// times their extent is not the card's where a side of it runs along
	// an edge for less than clearSideSupport of its length (here the card's
	// right side hides a fifth of its length against paper of its tone)
	six := canonQuads(truth, [][4]float64{{300, 40, 900, 70}, {300, 75, 900, 105}, {300, 110, 900, 140},
		{300, 145, 900, 175}, {300, 180, 900, 210}, {300, 215, 800, 240}})
	hidden := card(640, 480, truth, 60, 200)
	for y := 250; y < 310; y++ {
		for x := 500; x < 560; x++ {
			if !pointIn(truth, geom.Point{float64(x) + 0.5, float64(y) + 0.5}) {
				hidden.Pix[y*hidden.W+x] = 200
			}
		}
	}
	if sc, ok := snappedOutline(hidden, rough); !ok || clearlyOutlined(hidden, sc) {
		t.Fatalf("the hidden side: outlined %v, clearly %v: not the case under test", ok, clearlyOutlined(hidden, sc))
	}
	if _, src, _ := PickCard(hidden, []geom.Quad{rough}, six); src == "edges" {
		t.Errorf("a contour %.1f times a six-line cluster's extent taken, a side hidden", rough.Area()/ext.Area())
	}
	// all its sides in sight, and no border found outwards from the text,
	// it is the card's (clearlyOutlined)
	q, src, ok = PickCard(g, []geom.Quad{rough}, six)
	if e := cornerErr(q, truth); !ok || src != "edges" || e > 0.01 {
		t.Errorf("the clear contour around six lines: %q, corner error %.3f", src, e)
	}
	// a motion-blurred card: four short lines cluster in a corner, three
	// pieces of print lie apart on the card; the contour, many times the
	// cluster's extent, holds them all and is the card's
	four := canonQuads(truth, [][4]float64{{300, 40, 500, 70}, {300, 75, 500, 105}, {300, 110, 500, 140}, {300, 145, 450, 175}})
	pieces := canonQuads(truth, [][4]float64{{100, 500, 160, 530}, {800, 550, 900, 580}, {850, 300, 950, 330}})
	ext4, _, _, _ := textExtent(four)
	if r := rough.Area() / ext4.Area(); r <= maxOutlineOverFewText {
		t.Fatalf("the contour is %.1f times the four lines' extent: not the case under test", r)
	}
	if _, src, _ := PickCard(g, []geom.Quad{rough}, four); src == "edges" {
		t.Errorf("a contour %.1f times four lines' extent taken with nothing else on it", rough.Area()/ext4.Area())
	}
	all := append(append([]geom.Quad{}, four...), pieces...)
	if c := mainCluster(all); len(c) != 4 {
		t.Fatalf("the pieces join the cluster: %d", len(c))
	}
	q, src, ok = PickCard(g, []geom.Quad{whole, rough}, all)
	if !ok || src != "edges" {
		t.Fatalf("the card's contour holding the lines and the pieces not taken (%q)", src)
	}
	if e := cornerErr(q, truth); e > 0.01 {
		t.Errorf("corner error %.3f > 1%% (%v)", e, q)
	}
}

// The direction of a blurred card's lines, told from a few pieces, is
// rough: a contour whose long sides run 17 degrees off it is still the
// card's outline; one 25 degrees off is not (text running across the
// contour of something else).
func TestPickCardTextDirection(t *testing.T) {
	truth := geom.Quad{{120, 80}, {520, 110}, {500, 370}, {100, 340}}
	g := card(640, 480, truth, 60, 200)
	rough := geom.Quad{{124, 84}, {515, 108}, {497, 366}, {104, 337}}
	for _, tc := range []struct {
		deg  float64
		want bool
	}{{0, true}, {17, true}, {25, false}} {
		c := truth.Center()
		sin, cos := math.Sincos(tc.deg * math.Pi / 180)
		var text []geom.Quad
		for _, tq := range textIn(truth, 6) {
			for k, p := range tq {
				x, y := p[0]-c[0], p[1]-c[1]
				tq[k] = geom.Point{c[0] + x*cos - y*sin, c[1] + x*sin + y*cos}
			}
			text = append(text, tq)
		}
		_, src, _ := PickCard(g, []geom.Quad{rough}, text)
		if got := src == "edges"; got != tc.want {
			t.Errorf("text turned %.0f degrees: contour taken %v, want %v", tc.deg, got, tc.want)
		}
	}
}

// A blurred card whose print came out as a few scattered pieces, no three
// of them close: the card's contour holding them places it, not the
// contour of the whole photo, which holds them too.
func TestPickCardScattered(t *testing.T) {
	truth := geom.Quad{{120, 80}, {520, 110}, {500, 370}, {100, 340}}
	g := card(640, 480, truth, 60, 200)
	pieces := canonQuads(truth, [][4]float64{{100, 100, 160, 140}, {600, 300, 660, 340}, {200, 500, 260, 540}})
	if c := mainCluster(pieces); len(c) >= 3 {
		t.Fatalf("the pieces cluster: %d", len(c))
	}
	rough := geom.Quad{{124, 84}, {515, 108}, {497, 366}, {104, 337}}
	whole := geom.Quad{{0, 0}, {639, 0}, {639, 479}, {0, 479}}
	q, src, ok := PickCard(g, []geom.Quad{whole, rough}, pieces)
	if !ok || src != "outline" {
		t.Fatalf("no card from its outline (%q)", src)
	}
	if e := cornerErr(q, truth); e > 0.01 {
		t.Errorf("corner error %.3f > 1%% (%v)", e, q)
	}
	// the pieces beside the card, not on it
	off := []geom.Quad{{{560, 400}, {600, 400}, {600, 425}, {560, 425}}, {{30, 420}, {70, 420}, {70, 445}, {30, 445}},
		{{580, 20}, {620, 20}, {620, 45}, {580, 45}}}
	if q, _, ok := PickCard(g, []geom.Quad{rough}, off); ok {
		t.Errorf("a card holding none of the scattered print: %v", q)
	}
	// a card too small to read lying on a sheet of paper: the sheet's
	// outline holds the card's print too, but the card's smaller contour
	// holds as much
	sheet := geom.Quad{{150, 100}, {500, 100}, {500, 340}, {150, 340}}
	small := geom.Quad{{280, 190}, {360, 190}, {360, 240}, {280, 240}}
	gp := card(640, 480, sheet, 60, 150)
	for y := 190; y < 240; y++ {
		for x := 280; x < 360; x++ {
			gp.Pix[y*gp.W+x] = 220
		}
	}
	cardPrint := []geom.Quad{{{285, 195}, {297, 195}, {297, 201}, {285, 201}}, {{330, 215}, {342, 215}, {342, 221}, {330, 221}},
		{{290, 230}, {302, 230}, {302, 236}, {290, 236}}}
	if c := mainCluster(cardPrint); len(c) >= 3 {
		t.Fatalf("the small card's pieces cluster: %d", len(c))
	}
	if q, _, ok := PickCard(gp, []geom.Quad{sheet}, cardPrint); !ok || cornerErr(q, sheet) > 0.01 {
		t.Fatalf("the sheet alone is not taken: the case below tells nothing (%v %v)", ok, q)
	}
	if q, src, ok := PickCard(gp, []geom.Quad{sheet, small}, cardPrint); ok {
		t.Errorf("the sheet under a small card taken (%s): %v", src, q)
	}
	// a small card (3.5% of the photo, under minOutlineShare) whose
	// contour holds every piece of print found is taken; one holding
	// three of four is not
	smallCard := geom.Quad{{250, 180}, {380, 180}, {380, 262}, {250, 262}}
	gc := card(640, 480, smallCard, 60, 200)
	share := smallCard.Area() / (640 * 480)
	if share >= minOutlineShare || share < minHeldShare {
		t.Fatalf("the small card covers %.1f%% of the photo: not the case under test", 100*share)
	}
	corners := []geom.Quad{{{255, 185}, {269, 185}, {269, 191}, {255, 191}}, {{360, 185}, {374, 185}, {374, 191}, {360, 191}},
		{{255, 250}, {269, 250}, {269, 256}, {255, 256}}, {{360, 250}, {374, 250}, {374, 256}, {360, 256}}}
	q, src, ok = PickCard(gc, []geom.Quad{smallCard}, corners)
	if !ok || src != "outline" {
		t.Fatalf("the small card holding all the print not taken (%q)", src)
	}
	if e := cornerErr(q, smallCard); e > 0.01 {
		t.Errorf("corner error %.3f > 1%% (%v)", e, q)
	}
	apart := append(append([]geom.Quad{}, corners[:3]...), geom.Quad{{560, 400}, {574, 400}, {574, 406}, {560, 406}})
	if q, _, ok := PickCard(gc, []geom.Quad{smallCard}, apart); ok {
		t.Errorf("a small card holding 3 of 4 pieces taken: %v", q)
	}
}

func cornerErr(got, want geom.Quad) float64 {
	diag := (math.Hypot(want[2][0]-want[0][0], want[2][1]-want[0][1]) + math.Hypot(want[3][0]-want[1][0], want[3][1]-want[1][1])) / 2
	best := math.Inf(1)
	for s := 0; s < 4; s++ {
		sum := 0.0
		for i := 0; i < 4; i++ {
			g := got[(i+s)%4]
			sum += math.Hypot(g[0]-want[i][0], g[1]-want[i][1])
		}
		best = math.Min(best, sum/4/diag)
	}
	return best
}

func TestGate(t *testing.T) {
	q := geom.Quad{{100, 100}, {900, 100}, {900, 600}, {100, 600}}
	gt := DefaultGate
	sharp := Capture{Sharpness: 0.4, Brightness: 180, Contrast: 180}
	if w := gt.Warnings(sharp, q, 1000, 800, [4]float64{}); len(w) != 0 {
		t.Errorf("clean capture warned: %v", w)
	}
	cases := []struct {
		c    Capture
		q    geom.Quad
		mrz  [4]float64
		want string
	}{
		{Capture{Sharpness: 0.05, Brightness: 180}, q, [4]float64{}, WarnBlur},
		{Capture{Sharpness: 0.4, Brightness: 30}, q, [4]float64{}, WarnDark},
		{Capture{Sharpness: 0.4, Brightness: 180, Glare: 0.1, GlareBox: [4]float64{0, 0, 100, 100}}, q, [4]float64{}, WarnGlare},
		{Capture{Sharpness: 0.4, Brightness: 180, Glare: 0.1, GlareBox: [4]float64{0, 500, 300, 600}}, q, [4]float64{0, 480, 1000, 620}, WarnGlareMRZ},
		{sharp, geom.Quad{{-50, 100}, {900, 100}, {900, 600}, {-50, 600}}, [4]float64{}, WarnCutOff},
		{sharp, geom.Quad{{100, 100}, {300, 100}, {300, 230}, {100, 230}}, [4]float64{}, WarnSmall},
	}
	for _, c := range cases {
		w := gt.Warnings(c.c, c.q, 1000, 800, c.mrz)
		if len(w) == 0 || w[0] != c.want {
			t.Errorf("warnings %v, want %q first", w, c.want)
		}
	}
	// A card 450 px long in the photo, enlarged 2.2x to the normalized
	// 1000 px: its edges spread, 0.22 there is a sharp print (0.33 at the
	// photo's scale), while 0.15 (0.22) is blurred; at 1000 px and more
	// the figure is taken as measured.
	small := geom.Quad{{100, 100}, {550, 100}, {550, 384}, {100, 384}}
	if w := gt.Warnings(Capture{Sharpness: 0.22, Brightness: 180, Width: 1000}, small, 1000, 800, [4]float64{}); len(w) != 0 {
		t.Errorf("sharp 450 px card warned: %v", w)
	}
	if w := gt.Warnings(Capture{Sharpness: 0.15, Brightness: 180, Width: 1000}, small, 1000, 800, [4]float64{}); len(w) != 1 || w[0] != WarnBlur {
		t.Errorf("blurred 450 px card: %v, want only %q", w, WarnBlur)
	}
	big := geom.Quad{{0, 0}, {1500, 0}, {1500, 946}, {0, 946}}
	if got := (Capture{Sharpness: 0.22, Width: 1000}).PhotoSharpness(math.Max(big.Width(), big.Height())); got != 0.22 {
		t.Errorf("PhotoSharpness of a 1500 px card %.3f, want 0.22 as measured", got)
	}
	if got := (Capture{Sharpness: 0.2, Width: 1000}).PhotoSharpness(250); math.Abs(got-0.4) > 1e-9 {
		t.Errorf("PhotoSharpness of a 250 px card %.3f, want 0.4 (twice: the square root of a 4x enlargement)", got)
	}
}

func TestMeasureCard(t *testing.T) {
	g := Gray{Pix: make([]byte, 200*120), W: 200, H: 120}
	for y := 0; y < 120; y++ {
		for x := 0; x < 200; x++ {
			v := byte(200)
			if (x/10+y/10)%2 == 0 {
				v = 40
			}
			g.Pix[y*200+x] = v
		}
	}
	sharp := MeasureCard(g)
	// box blur of radius 3
	b := Gray{Pix: make([]byte, len(g.Pix)), W: 200, H: 120}
	for y := 0; y < 120; y++ {
		for x := 0; x < 200; x++ {
			s, n := 0, 0
			for dy := -3; dy <= 3; dy++ {
				for dx := -3; dx <= 3; dx++ {
					if xx, yy := x+dx, y+dy; xx >= 0 && xx < 200 && yy >= 0 && yy < 120 {
						s += int(g.Pix[yy*200+xx])
						n++
					}
				}
			}
			b.Pix[y*200+x] = byte(s / n)
		}
	}
	blurred := MeasureCard(b)
	if !(sharp.Sharpness > 2*blurred.Sharpness) {
		t.Errorf("sharpness sharp %.3f vs blurred %.3f", sharp.Sharpness, blurred.Sharpness)
	}
	for i := range g.Pix[:200*60] {
		g.Pix[i] = 255
	}
	if c := MeasureCard(g); c.Glare < 0.3 {
		t.Errorf("glare %.3f on a half-white card", c.Glare)
	}
}

func TestHomographyRoundTrip(t *testing.T) {
	q := geom.Quad{{120, 80}, {520, 110}, {500, 370}, {100, 340}}
	hm, ok := CardHomography(q, 1000, 630)
	ph, ok2 := PhotoHomography(q, 1000, 630)
	if !ok || !ok2 {
		t.Fatal("singular")
	}
	for _, p := range [][2]float64{{0, 0}, {1000, 630}, {500, 300}} {
		a := hm.Apply(p[0], p[1])
		b := ph.Apply(a[0], a[1])
		if math.Hypot(b[0]-p[0], b[1]-p[1]) > 1e-6 {
			t.Errorf("round trip %v -> %v", p, b)
		}
	}
	if o := OrderQuad(geom.Quad{q[2], q[0], q[3], q[1]}); o != q && o != Rotate(q, 2) {
		t.Errorf("OrderQuad = %v", o)
	}
}

func TestSplitDatePlace(t *testing.T) {
	for _, c := range []struct{ in, date, place string }{
		{"14.07.1981 (Utopia city)", "14.07.1981", "(Utopia city)"},
		{"11.022015 Préfecture de Brest", "11.022015", "Préfecture de Brest"},
		{"2107.1994ESSEN", "2107.1994", "ESSEN"},
		{"23.04.1974Nancy", "23.04.1974", "Nancy"},
		{"26.10.1958 MUNCHEN", "26.10.1958", "MUNCHEN"},
		{"Stadt Bonn", "Stadt Bonn", ""},
		{"965 HANNOVER", "965", "HANNOVER"}, // 19.07.1965 under glare
		{"0.1 Bad Homburg", "0.1", "Bad Homburg"},
		{"965 AB", "965 AB", ""},
		{"HANNOVER", "HANNOVER", ""},
	} {
		if d, p := splitDatePlace(c.in); d != c.date || p != c.place {
			t.Errorf("splitDatePlace(%q) = %q, %q; want %q, %q", c.in, d, p, c.date, c.place)
		}
	}
}

func TestCategoriesRow(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"AM/A1/B/BE", "AM A1 B BE", true},
		{"A/B/D1E", "A B D1E", true},
		{"AZIA/B/DIE/L", "A2 A B D1E L", true},
		{"AM/B/C/D1/D/BE/LT", "AM B C D1 D BE L T", true},
		{"A1/B/C1F/D1E", "A1 B C1E D1E", true},
		{"8/BE", "B BE", true},
		{"AM/B/Dl/D/CE/D1E/L", "AM B D1 D CE D1E L", true}, // D1 read Dl
		{"B1/B/D1/DE/L", "B1 B D1 DE L", true},             // the category L at the end
		{"Al/Bl/B/CE", "A1 B1 B CE", true},
		{"B/L/T", "B L T", true},
		{"9A1/A/B1/B/CE/D1E/DE", "A1 A B1 B CE D1E DE", true}, // field 9's number glued
		{"9.B/BE", "B BE", true},
		{"B", "", false},
		{"CLASS D", "", false},
		{"A2/XY", "", false},
		{"12.04.1962/ISTANBUL", "", false},
	} {
		got, ok := categoriesRow(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("categoriesRow(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestOrderedCategories(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		// as blurred synthetic licences read (the truth after the arrow)
		{"AMABLBBE", "AM A B1 B BE", true},                           // slashes lost, B1 read BL
		{"ANBLB/BECTE", "AM B1 B BE C1E", true},                      // AM read AN, C1E read CTE
		{"A2/8/CLBU/D1E/L", "A2 B C1 BE D1E L", true},                // BE read BU
		{"AMUB/CLC/L", "AM B C1 C L", true},                          // a stray U
		{"AM/A/B/C/BE/CTEICE/DE/T", "AM A B C BE C1E CE DE T", true}, // a slash read I
		{"A3/A/81/8/C/D/D1E/DE", "A1 A B1 B C D D1E DE", true},       // 1 read 3, B read 8
		{"9.AMABLBBE", "AM A B1 B BE", true},                         // the field's number
		{"A2BCDI0EDEL", "", false},                                   // E is no stray character: too dear
		{"AL/B/BIE", "", false},                                      // A1 B BE with a stray I: too dear
		{"M/A/B/C1", "", false},                                      // cut at the start
		{"B", "", false},                                             // one category
		{"BERTRAND", "", false}, {"KRAUSE", "", false}, {"BEATE", "", false}, {"", "", false},
		{"ABEL", "A BE L", true}, // a name that parses: ReadFields reads only rows below the fields
	} {
		got, ok := orderedCategories(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("orderedCategories(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestReadFieldsOrderedCategories(t *testing.T) {
	base := []Line{
		line("FUHRERSCHEIN", 222, 40, 585, 78), line("WAGNER", 396, 167, 542, 195), line("1", 340, 176, 354, 189),
		line("JAN", 387, 214, 458, 254), line("2", 338, 225, 354, 242), line("12.06.1997", 395, 272, 567, 298),
		line("BREMEN", 584, 273, 710, 298), line("24.10.2021", 394, 322, 562, 353),
		line("4a", 337, 327, 371, 352), line("23.10.2036", 395, 376, 563, 404), line("4b", 338, 381, 370, 404),
		line("J407HHBYGC3", 391, 426, 625, 461),
	}
	// the categories' row at the bottom, its slashes lost
	got := ReadFields(DrivingLicence, "DE", append(append([]Line(nil), base...), line("AMABLBBE", 98, 541, 301, 570)), 1000, 630)
	if got["categories"].Value != "AM A B1 B BE" {
		t.Errorf("categories = %q, want %q", got["categories"].Value, "AM A B1 B BE")
	}
	// a name that parses as categories above the fields read is none
	got = ReadFields(DrivingLicence, "DE", append(append([]Line(nil), base...), line("ABEL", 700, 110, 790, 140)), 1000, 630)
	if v, ok := got["categories"]; ok {
		t.Errorf("categories = %q from a row above the fields, want none", v.Value)
	}
}

func TestPlausibleDate(t *testing.T) {
	defer func(f func() time.Time) { Now = f }(Now)
	Now = func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		field, text string
		ok          bool
	}{
		{"expiry_date", "25.09.2033", true},
		{"expiry_date", "25.09.2083", false},
		{"expiry_date", "15.06.2020", true}, // an expired card
		{"expiry_date", "15.06.1990", false},
		{"birth_date", "16.08.1988", true},
		{"birth_date", "16.08.1909", false},
		{"birth_date", "16.08.2030", false},
		{"birth_date", "31.02.1988", false},
	} {
		if _, ok := PlausibleDate(c.field, c.text); ok != c.ok {
			t.Errorf("PlausibleDate(%s, %q) = %v, want %v", c.field, c.text, ok, c.ok)
		}
	}
}

func TestFoldWidth(t *testing.T) {
	for in, want := range map[string]string{
		"10.01.1978（Dijon)":  "10.01.1978(Dijon)", // PP-OCR's bracket on licence_0066
		"（Ｄｉｊｏｎ）":            "(Dijon)",
		"Ａ１／Ｂ":               "A1/B",
		"Köln　Mitte。":        "Köln Mitte.",
		"Préfecture de Lyon": "Préfecture de Lyon",
		"":                   "",
	} {
		if got := FoldWidth(in); got != want {
			t.Errorf("FoldWidth(%q) = %q, want %q", in, got, want)
		}
	}
	// a line with a full-width bracket is Latin once folded
	if got := Clean([]Line{{Text: FoldWidth("10.01.1978（Dijon)"), Conf: 0.95}}); len(got) != 1 {
		t.Errorf("Clean dropped the folded line")
	}
}

func TestWithUmlauts(t *testing.T) {
	for _, c := range []struct{ field, in, want string }{
		{"birth_place", "SAARBRUCKEN", "SAARBRÜCKEN"}, // the dots lost to blur (licence_0113)
		{"birth_place", "NURNBERG", "NÜRNBERG"},
		{"birth_place", "BAD TOLZ", "BAD TÖLZ"},
		{"birth_place", "(Koln)", "Köln"},
		{"birth_place", "SAARBRÜCKEN", "SAARBRÜCKEN"},
		{"birth_place", "NORNBERG", "NORNBERG"}, // another letter misread: as read
		{"birth_place", "MUNCHENER", "MUNCHENER"},
		{"birth_place", "Paris", "Paris"},
		{"issuing_authority", "Landeshauptstadt Munchen", "Landeshauptstadt München"},
		{"issuing_authority", "Kreis Gutersloh", "Kreis Gütersloh"},
		{"issuing_authority", "Landkreis Gottingen", "Landkreis Göttingen"},
		{"issuing_authority", "Bezirksamt Mitte", "Bezirksamt Mitte"},
		{"issuing_authority", "Ländeshauptstädt München", "Landeshauptstadt München"}, // dots the merge added (licence_0159)
		{"issuing_authority", "Ac Prefecture de Lyon", "Préfecture de Lyon"},          // 4c read Ac, a space after (licence_0096)
		{"issuing_authority", "LANDESHAUPTSTADT MUNCHEN", "LANDESHAUPTSTADT MÜNCHEN"},
		{"surname", "MULLER", "MULLER"}, // names: no gazetteer
	} {
		if got, _ := Normalize(c.field, c.in, dmyOrder); got != c.want {
			t.Errorf("Normalize(%s, %q) = %q, want %q", c.field, c.in, got, c.want)
		}
	}
}

func TestReadFieldsLabelDotMisread(t *testing.T) {
	// licence_0003: field 5's number read "5i", a line of its own before
	// the licence number
	got := ReadFields(DrivingLicence, "DE", []Line{
		line("FUHRERSCHEIN", 225, 42, 590, 84), line("MULLER", 398, 165, 532, 200), line("1", 342, 179, 359, 193),
		line("KARLHEINZ", 398, 222, 597, 250), line("2", 340, 227, 360, 249), line("16.12.1964", 400, 276, 568, 302),
		line("BREMEN", 587, 276, 713, 302), line("m", 339, 279, 360, 302), line("09.11.2017", 398, 326, 565, 355),
		line("4a.", 338, 331, 376, 357), line("4c.KreisGutersloh", 655, 331, 904, 355), line("08.11.2032", 397, 380, 565, 406),
		line("4b.", 339, 383, 377, 409), line("5i", 338, 435, 363, 461), line("P871L9BZ0H3", 398, 433, 628, 460),
	}, 1000, 630)
	if v := got["document_number"].Value; v != "P871L9BZ0H3" {
		t.Errorf("document_number = %q, want P871L9BZ0H3", v)
	}
}

func TestReadFieldsLabelEcho(t *testing.T) {
	// licence_0043 (motion blur): field 5's label read "5.5", a line of
	// its own before the number; the echoed 5 is no part of the value
	for _, label := range []string{"5.5", "5 5", "5.", "5"} {
		got := ReadFields(DrivingLicence, "DE", []Line{
			line("FUHRERSCHEIN", 225, 42, 590, 84), line("MULLER", 398, 165, 532, 200), line("1.", 342, 179, 359, 193),
			line("KARLHEINZ", 398, 222, 597, 250), line("2.", 340, 227, 360, 249), line("16.12.1964", 400, 276, 568, 302),
			line("BREMEN", 587, 276, 713, 302), line("3.", 339, 279, 360, 302), line("09.11.2017", 398, 326, 565, 355),
			line("4a.", 338, 331, 376, 357), line("4c.KreisGutersloh", 655, 331, 904, 355), line("08.11.2032", 397, 380, 565, 406),
			line("4b.", 339, 383, 377, 409), line(label, 338, 437, 371, 461), line("D214YXHMS69", 388, 426, 653, 467),
		}, 1000, 630)
		if v := got["document_number"].Value; v != "D214YXHMS69" {
			t.Errorf("label %q: document_number = %q, want D214YXHMS69", label, v)
		}
	}
	// not an echo: a character of the number glued to its label stays
	if !labelEcho(" 5", "5") || !labelEcho(".", "5") || labelEcho("J", "5") || labelEcho("55", "5") {
		t.Error("labelEcho")
	}
}

func TestReadFieldsNumberByCheck(t *testing.T) {
	// licence_0119 (glare over the labels' column): no field number read
	// but 4c's; the one value that keeps a German licence number's check
	// is field 5 (the rows above it, their starts eaten by the glare, lie
	// outside the column to be numbered from it). The lines as read less
	// 4b's "3.2035", whose "3." (the end of the expiry's month) is taken
	// for field 3's label and numbers the rows from there.
	lines := []Line{
		line("FUHRERSCHEIN", 222, 41, 585, 76), line("A1/A/B/D1/D1E/DE/L/T", 99, 542, 423, 569),
		line("K090EDJFC23", 395, 429, 615, 460), line("EUTSCHLAND", 447, 97, 597, 121),
		line("StadtKoln", 700, 326, 839, 354), line("LEIPZIG", 581, 272, 699, 299), line("EIDER", 484, 164, 587, 196),
		line("BUNDES", 218, 96, 312, 121), line("2020", 488, 322, 565, 353),
		line("1972", 496, 272, 565, 299), line("4c.", 652, 329, 707, 351), line("9", 45, 547, 62, 564),
		line("LO", 339, 437, 350, 452),
	}
	got := ReadFields(DrivingLicence, "DE", lines, 1000, 630)
	wantFields(t, "licence_0119", got, map[string]string{"document_number": "K090EDJFC23"})
	// the check character misread: nothing is read as field 5
	lines[2].Text = "K090EDJFC73"
	if v, ok := ReadFields(DrivingLicence, "DE", lines, 1000, 630)["document_number"]; ok {
		t.Errorf("K090EDJFC73 (check fails): document_number %q, want none", v.Value)
	}
	// licence_0063 (small): no field number read, the birth row garbled;
	// 4a's row opens with something like a date ("31.19.202)"), which made
	// it the birth row and the names one row off (surname ANNA). The
	// number two rows below it says it is not: 4a lies one row above 4b,
	// 4b one above 5, and the names are numbered up from the number.
	got = ReadFields(DrivingLicence, "DE", []Line{
		line("", 222, 99, 604, 127), line("FUHRERSCHEIN", 226, 42, 593, 80), line("11CE.2UGUmNCCN", 402, 271, 767, 300),
		line("tLuru", 659, 327, 917, 359), line("D526Y02W845", 398, 430, 639, 460), line("31.19.202)", 398, 324, 569, 356),
		line("30.16.2037", 400, 377, 568, 409), line("KOHLER", 395, 164, 534, 202), line("AM/R-BE", 99, 542, 229, 574),
		line("ANNA", 395, 219, 496, 255),
	}, 1000, 630)
	wantFields(t, "licence_0063", got, map[string]string{"document_number": "D526Y02W845", "surname": "KOHLER", "given_names": "ANNA"})
}

func TestReadFieldsDateLetterOpensRow(t *testing.T) {
	// licence_0195: no field number read, the birth year's 8 read B; the
	// birth row opens with the whole date, not "26.10"
	got := ReadFields(DrivingLicence, "DE", []Line{
		line("BUNDESREPURLIKDEUFSOILAND", 182, 97, 577, 124), line("FUHRERSCHEIN", 182, 38, 567, 82),
		line("26.10.195B MUNCHEN", 364, 271, 724, 303), line("4c.Rhein-Sieg-Krpis", 633, 324, 915, 359),
		line("Z42625Y2HH0", 364, 431, 610, 459), line("B/CI/C/D/CE/L", 53, 541, 267, 573), line("SCHNEIDER", 365, 166, 565, 198),
		line("11.01.2033", 364, 375, 543, 408), line("12.01.2018", 364, 323, 542, 356), line("ERIKA", 364, 218, 472, 250),
		line("L", 310, 335, 332, 349),
	}, 1000, 630)
	wantFields(t, "DE (birth year 195B)", got, map[string]string{"birth_date": "1958-10-26", "birth_place": "MÜNCHEN",
		"surname": "SCHNEIDER", "given_names": "ERIKA", "issue_date": "2018-01-12", "expiry_date": "2033-01-11"})
}

func TestReadFieldsDateLetterNoDot(t *testing.T) {
	// licence_0049 (blurred): no field number read, the birth row's first
	// dot lost and the year's 5 read S; the row opens with the whole date,
	// not "3010", whose ".197S" left the place read "S MAINZ"
	got := ReadFields(DrivingLicence, "DE", []Line{
		line("EUACCSAEREUNDEVTOUANO", 226, 100, 599, 124), line("FUHRERSCHEIN", 225, 39, 595, 86),
		line("3010.197S MAINZ", 400, 271, 689, 307), line("MT3SAHRLWYI", 398, 431, 649, 462),
		line("BCLALCILC", 98, 543, 331, 575), line("RheinegEen", 704, 328, 915, 360),
		line("01.05.2015", 397, 324, 570, 359), line("30.04.2030", 399, 376, 570, 411),
		line("RICHITER", 398, 167, 542, 199), line("JURGEN", 394, 214, 529, 257),
	}, 1000, 630)
	wantFields(t, "DE (3010.197S)", got, map[string]string{"birth_date": "1975-10-30", "birth_place": "MAINZ",
		"issue_date": "2015-05-01", "expiry_date": "2030-04-30"})
}

func TestOpeningDate(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"26.10.195B MUNCHEN", "26.10.195B"},
		{"3010.197S MAINZ", "3010.197S"},
		{"12.01.2018", "12.01.2018"},
		{"BOSS", ""},    // a name whose letters fixDigits reads as digits
		{"ODDS 12", ""}, // nor a row that opens with one
		{"SCHNEIDER", ""},
	} {
		got := ""
		if loc := openingDate(c.in); loc != nil {
			got = c.in[loc[0]:loc[1]]
		}
		if got != c.want {
			t.Errorf("openingDate(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestReadFieldsGlued4c(t *testing.T) {
	// licence_0034: the dot of 4c lost between the c and the capital of
	// the authority, on the row of 4a
	got := ReadFields(DrivingLicence, "FR", []Line{
		line("PERMISDECONDOIRE", 224, 49, 690, 83), line("REPUBLIOUEFRANCAISE", 223, 99, 497, 126),
		line("LEROY", 397, 167, 507, 199), line("jean", 342, 221, 472, 255),
		line("12.03.1970 (Marseille)", 343, 272, 744, 306),
		line("4a. 11.06.2018 4cPrefecture de Marseille", 339, 326, 970, 357),
		line("40. 10.06.2033", 338, 378, 567, 409), line("18TL74403", 340, 432, 580, 460),
	}, 1000, 630)
	wantFields(t, "FR (4cPrefecture)", got, map[string]string{"issue_date": "2018-06-11",
		"issuing_authority": "Préfecture de Marseille"})
	// licence_0043: 4a's dot read 7 as well; its value is still cut at 4c
	got = ReadFields(DrivingLicence, "DE", []Line{
		line("FUHRERSCHEIN", 220, 38, 601, 88), line("BUNDESREPUBLIK DEUTSCHLAND", 213, 95, 610, 131),
		line("1 PETERS", 338, 167, 531, 202), line("ZIMARIE-LUISE", 326, 215, 622, 260),
		line("3 09.10.1974 FREIBURG IM BREISGAU", 330, 268, 951, 310),
		line("4a. 22.01.2020 4cStadt Essen", 339, 325, 873, 362), line("5. D214YXHMSN9", 338, 426, 656, 467),
	}, 1000, 630)
	wantFields(t, "DE (4cStadt)", got, map[string]string{"issue_date": "2020-01-22", "issuing_authority": "Stadt Essen",
		"document_number": "D214YXHMSN9"})
	// licence_0053: 4c's number lost to glare, the authority after 4a's
	// date (cut short itself)
	got = ReadFields(DrivingLicence, "DE", []Line{
		line("1 SCHMIDT", 338, 167, 531, 202), line("2. ANNA", 338, 215, 531, 260),
		line("3. 09.10.1974 LEIPZIG", 330, 268, 951, 310), line("4a. 20.07.2 Stadt Leipzig", 338, 325, 877, 360),
		line("4b19.07.2031", 337, 376, 529, 410),
	}, 1000, 630)
	wantFields(t, "DE (4c lost)", got, map[string]string{"issuing_authority": "Stadt Leipzig", "birth_place": "LEIPZIG"})
	if v, ok := got["issue_date"]; ok {
		t.Errorf("issue_date %q from a cut date", v.Value)
	}
	got = ReadFields(DrivingLicence, "DE", []Line{
		line("1 SCHMIDT", 338, 167, 531, 202), line("2. ANNA", 338, 215, 531, 260),
		line("3. 09.10.1974 LEIPZIG", 330, 268, 951, 310), line("4a. 20.07.2016 Stadt Leipzig", 338, 325, 877, 360),
	}, 1000, 630)
	wantFields(t, "DE (4c lost, whole date)", got, map[string]string{"issuing_authority": "Stadt Leipzig", "issue_date": "2016-07-20"})
	// licence_0036: 4c's 4 lost; licence_0064: its c read e
	for _, row := range []string{"4a. 01.12.2019 c. Kreis Borken", "4a 01.12.2019 4e Kreis Borken"} {
		got = ReadFields(DrivingLicence, "DE", []Line{
			line("1. POPESCU", 335, 166, 559, 206), line("2. MARIE", 334, 218, 511, 257),
			line("3. 28.07.1990 KÖLN", 338, 267, 556, 315), line(row, 338, 323, 880, 366),
		}, 1000, 630)
		wantFields(t, row, got, map[string]string{"issuing_authority": "Kreis Borken", "issue_date": "2019-12-01"})
	}
	// licence_0142: "cStadt"; an authority in capitals starting with C
	// keeps its C
	for row, want := range map[string]string{"4a26.12.2022 cStadt Dortmund": "Stadt Dortmund",
		"4a. 26.12.2022 COTTBUS": "COTTBUS"} {
		got = ReadFields(DrivingLicence, "DE", []Line{
			line("1. POPESCU", 335, 166, 559, 206), line("2. MARIE", 334, 218, 511, 257),
			line("3. 28.07.1990 KÖLN", 338, 267, 556, 315), line(row, 338, 323, 880, 366),
		}, 1000, 630)
		wantFields(t, row, got, map[string]string{"issuing_authority": want, "issue_date": "2022-12-26"})
	}
	// an unlabelled 4a row (no field number read): the authority after
	// "c." (licence_0182)
	got = ReadFields(DrivingLicence, "DE", []Line{
		line("BUNDESREPUBLIK DEUTSCHLAND", 213, 95, 610, 131), line("FUHRERSCHEIN", 220, 38, 601, 88),
		line("MULLER", 378, 170, 560, 205), line("ANNA", 378, 240, 560, 280),
		line("19.12.1957 WARSCHAU", 378, 337, 749, 387), line("29.12.2022 c.Rhein-Sieg-Kreis", 377, 403, 914, 465),
		line("28.12.2037", 378, 469, 547, 514),
	}, 1000, 630)
	wantFields(t, "unlabelled c.", got, map[string]string{"issuing_authority": "Rhein-Sieg-Kreis", "issue_date": "2022-12-29"})
	// a 4c inside a word is no label
	got = ReadFields(DrivingLicence, "DE", []Line{
		line("1. MULLER", 338, 167, 531, 202), line("2. ANNA", 338, 215, 531, 260),
		line("3. 09.10.1974 BERLIN", 330, 268, 951, 310), line("4a. 22.01.2020 4c. Kreis A4cB", 339, 325, 873, 362),
	}, 1000, 630)
	wantFields(t, "DE (A4cB)", got, map[string]string{"issuing_authority": "Kreis A4cB"})
	// licence_0075: no field number read; the licence number under the
	// dates read "2SMNESAS9" is no field 2 glued to its value (the names
	// come before the dates), and the rows are numbered from the birth row
	got = ReadFields(DrivingLicence, "FR", []Line{
		line("PERMIS DE CONDUIRE", 224, 43, 688, 82), line("GARCIA", 395, 163, 524, 199),
		line("Lucas", 395, 218, 496, 255), line("09.07.2001", 397, 269, 571, 304),
		line("25.06.2025", 397, 320, 567, 357), line("24.06.2040", 397, 373, 568, 410),
		line("2SMNESAS9", 399, 428, 591, 461),
	}, 1000, 630)
	wantFields(t, "glued 2 under the dates", got, map[string]string{"surname": "GARCIA", "given_names": "Lucas", "birth_date": "2001-07-09"})
}

// TestMidWord: whether a place's first n folded letters end inside a word
// (a cut) or at a word's end.
func TestMidWord(t *testing.T) {
	for _, c := range []struct {
		p    string
		n    int
		want bool
	}{
		{"Halle (Saale)", 5, false}, {"Halle (Saale)", 4, true}, {"Rhein-Sieg-Kreis", 5, false},
		{"Rhein-Sieg-Kreis", 13, true}, {"Gießen", 4, true}, {"Gießen", 6, false}, {"Düsseldorf", 8, true},
	} {
		if got := midWord(c.p, c.n); got != c.want {
			t.Errorf("midWord(%q, %d) = %v, want %v", c.p, c.n, got, c.want)
		}
	}
}

// TestNearPlaces: a place of the district table read one letter off, on a
// line the recognizer was unsure of, is written as the table writes it;
// not a sure line (Sonnenberg is a place the table does not hold, one
// letter off its Sonneberg), a short name, a place two letters off, or
// one no table place lies near. A place cut short (at most three letters
// lost, inside a word) or with its first letter lost is written whole,
// sure or not; a cut that begins several places, ends at a word or is
// too short is left as read.
func TestNearPlaces(t *testing.T) {
	for _, c := range []struct {
		field, value string
		conf         float64
		want         string
	}{
		{"birth_place", "NORNBERG", 0.8, "NÜRNBERG"},
		{"birth_place", "DSSELDORF", 0.9, "DÜSSELDORF"},
		{"birth_place", "SAARBHUCKEN", 0.7, "SAARBRÜCKEN"},
		{"birth_place", "NORNBERG", 0.97, "NORNBERG"},
		{"birth_place", "Sonnenberg", 0.99, "Sonnenberg"},
		{"birth_place", "BERLN", 0.5, "BERLN"},
		{"birth_place", "HANBURG", 0.5, "HAMBURG"},
		{"birth_place", "HUMBURG", 0.5, "HUMBURG"}, // Hamburg and Homburg alike near
		{"birth_place", "NURNBERC", 0.5, "NÜRNBERG"},
		{"birth_place", "NORNBERC", 0.5, "NORNBERC"},
		{"birth_place", "NÜRNBERG", 0.5, "NÜRNBERG"},
		{"issuing_authority", "Rhein-Sieg-Krels", 0.8, "Rhein-Sieg-Kreis"},
		{"issuing_authority", "Kreis Gutersioh", 0.8, "Kreis Gütersloh"},
		{"issuing_authority", "Landratsamt Musterhausen", 0.5, "Landratsamt Musterhausen"},
		{"surname", "NORNBERG", 0.5, "NORNBERG"},
		// cut short at its end or its first letter lost, read sure
		{"birth_place", "DÜSSELDO", 0.995, "DÜSSELDORF"},
		{"birth_place", "EIPZIG", 0.88, "LEIPZIG"},
		{"birth_place", "FREIBURG IM BREIS", 0.93, "FREIBURG IM BREISGAU"},
		{"birth_place", "FREIBUR", 0.99, "FREIBUR"}, // Freiburg, or Freiburg im Breisgau
		{"birth_place", "HALLE", 0.99, "HALLE"},     // a word of Halle (Saale): another Halle
		{"birth_place", "DORT", 0.99, "DORT"},       // too few letters
		{"issuing_authority", "Landkreis Göttinge", 0.98, "Landkreis Göttingen"},
		{"issuing_authority", "Stadt Dortmu", 0.98, "Stadt Dortmund"},
		{"issuing_authority", "Landratsamt Muster", 0.96, "Landratsamt Muster"},
		{"issuing_authority", "Bezirksamt Mitte", 0.98, "Bezirksamt Mitte"}, // not Mittelsachsen
		// an umlaut the recognizer has no letter for left out, read sure
		{"birth_place", "DSSELDORF", 0.96, "DÜSSELDORF"},
		{"birth_place", "LBECK", 0.99, "LÜBECK"},
		{"issuing_authority", "Landkreis Gttingen", 0.99, "Landkreis Göttingen"},
		{"birth_place", "KLN", 0.99, "KLN"},           // too few letters
		{"birth_place", "DSSELDRF", 0.99, "DSSELDRF"}, // a second letter lost
		{"birth_place", "ESSEN", 0.99, "ESSEN"},       // a place as read
		// a lone character beside the place
		{"birth_place", "S MAINZ", 0.83, "MAINZ"},
		{"birth_place", "MAINZ I", 0.99, "MAINZ"},
		{"birth_place", "SS MAINZ", 0.83, "SS MAINZ"}, // two: a word
		{"issuing_authority", "Stadt Essen", 0.99, "Stadt Essen"},
	} {
		out := map[string]Read{c.field: {Value: c.value, Conf: c.conf}}
		nearPlaces(out)
		if got := out[c.field].Value; got != c.want {
			t.Errorf("%s %q (%.2f) = %q, want %q", c.field, c.value, c.conf, got, c.want)
		}
	}
}

// TestReadFieldsPlaceByPitch: licence_0081 of the synthetic licence set
// (`go run ./cmd/synth -set licence -n 200 -seed 42 -maxside 1600`), its
// glare over rows 1-3: labels 2 and 3 and the birth date lost, the place
// KOLN left alone in row 3, starting where the date ended, and 4a's row
// labelled 4c by its authority. Two numbers are missing between the rows
// of 1 and 4b and one unlabelled row lies between them: by the rows'
// pitch it is row 3, and with no digit, starting right of the labels'
// column by more than a date, it is the place. A row halfway between two
// numbers' places, or a row of digits, is not so read.
func TestReadFieldsPlaceByPitch(t *testing.T) {
	read := func(place Line) map[string]Read {
		return ReadFields(DrivingLicence, "DE", []Line{
			line("BUNDESREPUBLIKDEUTSCHLAND", 218, 95, 605, 131), line("FUHRERSCHEIN", 220, 35, 598, 94),
			line("9.A/B/D1/BE/D1E/T", 39, 539, 357, 581), line("4c. Rhein-Sieg-Kreis", 650, 327, 928, 362),
			line("D037M92RY26", 395, 430, 644, 466), place, line("2031", 488, 375, 574, 417),
			line("RZ", 518, 166, 570, 202), line("sr", 400, 171, 442, 196), line("D", 96, 59, 133, 94),
			line("4b", 340, 385, 374, 412), line("7.", 338, 489, 368, 512), line("6", 546, 332, 574, 357),
			line("5.", 338, 440, 365, 463), line("1", 343, 182, 357, 195),
		}, 1000, 630)
	}
	if got := read(line("KOLN", 584, 267, 679, 309))["birth_place"].Value; got != "KÖLN" {
		t.Errorf("birth_place = %q, want KÖLN", got)
	}
	for _, l := range []Line{line("KOLN", 584, 240, 679, 282), line("1965", 584, 267, 679, 309)} {
		if got, ok := read(l)["birth_place"]; ok {
			t.Errorf("%q at %v: birth_place %q, want none", l.Text, l.Box, got.Value)
		}
	}
}

func TestByPitch(t *testing.T) {
	rs := []row{
		{text: "1 PETERS", box: [4]float64{340, 170, 530, 200}},
		{text: "KOLN", box: [4]float64{584, 267, 679, 309}},    // centre 288: number 2
		{text: "noise", box: [4]float64{584, 201, 679, 221}},   // centre 211: half a pitch
		{text: "4b 2031", box: [4]float64{340, 380, 574, 412}}, // centre 396
	}
	got := byPitch(rs, []bool{true, false, false, true}, 0, 3, 4)
	if len(got) != 1 || got[1] != 2 {
		t.Errorf("byPitch = %v, want row 1 numbered 2", got)
	}
	// two rows at one number's place: neither
	rs[2].box = [4]float64{400, 270, 500, 300}
	if got := byPitch(rs, []bool{true, false, false, true}, 0, 3, 4); len(got) != 0 {
		t.Errorf("byPitch = %v, want none", got)
	}
}

// TestMainClusterAcrossGlare: licence_0191 of the synthetic licence set
// (`go run ./cmd/synth -set licence -n 200 -seed 42 -maxside 1600`), glare
// over the middle of its rows: the detector's lines cluster as the header
// and row 1 (the card's top two fifths of its width), the rest of the
// print found apart (4c's authority, 4b's date, the number). That group
// lies 0.83 of the header's width across from its centre, a card's
// height for a header so much narrower than its card, and joins it (the
// categories' row with it, on the extent so grown); a line of a sheet
// beside the card stays apart.
func TestMainClusterAcrossGlare(t *testing.T) {
	truth := geom.Quad{{600, 100}, {1600, 100}, {1600, 730}, {600, 730}}
	top := canonQuads(truth, [][4]float64{{220, 40, 600, 90}, {220, 95, 600, 125}, {400, 165, 530, 200}})
	rows := canonQuads(truth, [][4]float64{{700, 325, 880, 360}, {395, 378, 570, 412}, {395, 413, 640, 447}})
	cats := canonQuads(truth, [][4]float64{{100, 540, 310, 575}})
	sheet := canonQuads(truth, [][4]float64{{-500, 300, -150, 330}})
	all := append(append(append(append([]geom.Quad{}, top...), rows...), cats...), sheet...)
	c := mainCluster(all)
	if len(c) != 7 {
		t.Errorf("the cluster holds %d lines, want the card's 7", len(c))
	}
	for _, q := range c {
		if q == sheet[0] {
			t.Error("the sheet's line joined the card's print")
		}
	}
}

// A card beside a brighter sheet whose edge runs a few degrees off the
// card's bottom border, across a strip of background: the card's lines
// lean on a quad whose bottom side lies on the sheet's edge (textLean),
// not on the card's own; of the sides' edges, uprightSnap takes those
// that make them upright (pipeline's TestBesideSheet: idcard_0044 of the
// held-out ID cards, where the sheet's edge outdid the card's border).
func TestTextLean(t *testing.T) {
	truth := geom.Quad{{120, 80}, {520, 80}, {520, 330}, {120, 330}}
	sheet := geom.Quad{{60, 342}, {600, 414}, {600, 480}, {60, 480}}
	g := card(640, 480, sheet, 50, 250)
	for y := 0; y < g.H; y++ {
		for x := 0; x < g.W; x++ {
			if pointIn(truth, geom.Point{float64(x) + 0.5, float64(y) + 0.5}) {
				g.Pix[y*g.W+x] = 190
			}
		}
	}
	text := textIn(truth, 6)
	skewed := geom.Quad{{120, 80}, {520, 80}, {520, 403}, {120, 350}}
	if l, ok := textLean(skewed, text); !ok || l < leanMost {
		t.Errorf("lines on a quad with its bottom on the sheet: lean %.2f, %v; want %.1f or more", l, ok, leanMost)
	}
	if l, ok := textLean(truth, text); !ok || l > 0.5 {
		t.Errorf("lines on the card's own quad: lean %.2f, %v", l, ok)
	}
	if _, ok := textLean(truth, text[:1]); ok {
		t.Error("a lean from one line")
	}
	ext, _, _, _ := textExtent(text)
	q, ok := uprightSnap(g, ext, text, 0.01, 0.6, 0.12)
	if !ok {
		t.Fatal("uprightSnap found no quad")
	}
	if e := cornerErr(q, truth); e > 0.02 {
		t.Errorf("uprightSnap: corner error %.3f > 2%% (%v)", e, q)
	}
}
