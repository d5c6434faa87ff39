package pipeline

import (
	"strings"
	"testing"

	"docscan/mrz"
)

// lineOf is a recognizer reading of text with the given runner-ups
// (position -> character, probability 0.05) and 0.95 for the top choice.
func lineOf(text string, runnerUp map[int]byte) mrz.Line {
	l := mrz.Line{Text: text, Alts: make([][]mrz.CharAlt, len(text))}
	for i := range text {
		l.Alts[i] = []mrz.CharAlt{{Char: text[i], Prob: 0.95}}
		if c, ok := runnerUp[i]; ok {
			l.Alts[i] = append(l.Alts[i], mrz.CharAlt{Char: c, Prob: 0.05})
		}
	}
	return l
}

func TestSwapAmbiguous(t *testing.T) {
	names := "I<NORMUSTERFRAU<<LEON<<<<<<<<<<<<<<<"
	// Printed SROL0VO7W, check digit 0. Read with every O as 0 (O the
	// runner-up at columns 3 and 7), the repair's single exchange at
	// column 5 validates as well.
	printed := []string{names, "SROL0VO7W0NOR5006236M2705022<<<<<<<8"}
	repaired := []string{names, "SR0LOV07W0NOR5006236M2705022<<<<<<<8"}
	// A number of digits: no O between two digits is taken for a 0.
	num := "123400789"
	cd, _ := mrz.CheckDigit(num)
	rest := "NOR5006236M2705022<<<<<<<"
	comp, _ := mrz.CheckDigit(num + string(cd) + rest[3:10] + rest[11:])
	digits := []string{names, num + string(cd) + rest + string(comp)}
	for _, l := range [][]string{printed, repaired, digits} {
		r, err := mrz.Parse(l, mrz.Options{})
		if err != nil || !r.Valid {
			t.Fatalf("test zone not valid: %q %v", l, err)
		}
	}
	cases := []struct {
		name  string
		lines []string
		in    []mrz.Line
		want  bool
	}{
		{"O and 0 exchanged twice cancel in the check digit", repaired,
			[]mrz.Line{lineOf(names, nil), lineOf("SR0L0V07W0N0R5006236M2705022<<<<<<<8", map[int]byte{2: 'O', 6: 'O'})}, true},
		{"the same, the recognizer sure of its zeros", repaired,
			[]mrz.Line{lineOf(names, nil), lineOf("SR0L0V07W0N0R5006236M2705022<<<<<<<8", nil)}, false},
		{"digits between digits", digits,
			[]mrz.Line{lineOf(names, nil), lineOf(digits[1], nil)}, false},
		{"read as printed: its exchanges do not cancel", printed,
			[]mrz.Line{lineOf(names, nil), lineOf(printed[1], nil)}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := mrz.Parse(c.lines, mrz.Options{})
			if err != nil {
				if c.want {
					t.Fatal(err)
				}
				return
			}
			if got, _ := swapAmbiguous(r, c.in); (got != nil) != c.want || got != nil && len(got) < 2 {
				t.Errorf("swapAmbiguous = %v, want a collision: %v", got, c.want)
			}
		})
	}
}

// TestDL1Fillers: K read for the fillers that end the French licence
// MRZ's surname field, or standing apart after the name, become fillers
// again (no check digit sees K for '<'); a K inside the name, a field
// that ends in a name's own letters and other layouts are left as read.
func TestDL1Fillers(t *testing.T) {
	line := func(name string) string {
		head := "D1FRA15ZM19434"
		cd, _ := mrz.CheckDigit(head)
		l := head + string(cd) + "300629" + name
		cd, _ = mrz.CheckDigit(l)
		return l + string(cd)
	}
	cases := []struct{ read, want string }{
		{"RICHARDK", "RICHARD<"},
		{"DUBOISKK", "DUBOIS<<"},
		{"NOWAK<<<", "NOWAK<<<"}, // a K followed by fillers is the name's
		{"MARTINKK", "MARTIN<<"},
		{"KKKKKKKK", "KKKKKKKK"}, // no letter before the run: left
		{"ABKKKK<<", "ABKKKK<<"}, // the run does not end the field
		{"ABCDKKKK", "ABCDKKKK"}, // four K: a name, not a misread
		{"DAVID<K<", "DAVID<<<"}, // a K apart after the name
		{"DAVID<KK", "DAVID<<<"},
		{"DU<BOIS<", "DU<BOIS<"}, // a second part of the name is not a K alone
		{"DAVID<KA", "DAVID<KA"}, // a letter after it: a name's part
		{"K<DAVID<", "K<DAVID<"}, // a K before the name
	}
	for _, c := range cases {
		rec, err := mrz.Parse([]string{line(c.read)}, mrz.Options{})
		if err != nil || !rec.Valid {
			t.Fatalf("%s: test line invalid: %v", c.read, err)
		}
		got := dl1Fillers(rec)
		if got.Lines[0] != line(c.want) || !got.Valid {
			t.Errorf("%s: got %s (valid %v), want %s", c.read, got.Lines[0], got.Valid, line(c.want))
		}
		if c.read != c.want && len(got.Corrections) != strings.Count(c.read, "K")-strings.Count(c.want, "K") {
			t.Errorf("%s: corrections %v", c.read, got.Corrections)
		}
	}
	// the Dutch layout has no surname field: left as read
	nl := "D1NLD1" + "1234567890" + "ABCDEFGHIJKLK"
	cd, _ := mrz.CheckDigit(nl)
	nl += string(cd)
	rec, err := mrz.Parse([]string{nl}, mrz.Options{})
	if err != nil || !rec.Valid {
		t.Fatalf("Dutch test line invalid: %v", err)
	}
	if got := dl1Fillers(rec); got.Lines[0] != nl {
		t.Errorf("Dutch DL1 changed: %s", got.Lines[0])
	}
}

func TestNameSeparator(t *testing.T) {
	td1 := []string{"I<LTU9RUFNO5P80<<<<<<<<<<<<<<<", "0212193<2503192LTU<<<<<<<<<<<4", ""}
	cases := []struct{ read, want string }{
		{"LEUTHEUSSER<SCHNARRENBERGER<KP", "LEUTHEUSSER<SCHNARRENBERGER<<P"},
		{"LEUTHEUSSER<SCHNARRENBERGER<<P", "LEUTHEUSSER<SCHNARRENBERGER<<P"}, // has its separator
		{"SMITH<<KAREN<KP<<<<<<<<<<<<<<<", "SMITH<<KAREN<KP<<<<<<<<<<<<<<<"}, // a K beside a filler where the separator is
		{"ABCDEFGHIJ<KLMNOPQRST<KUVWXYZA", "ABCDEFGHIJ<KLMNOPQRST<KUVWXYZA"}, // two such K: neither
		{"ABCDEFGHIJKLMNOPQRSTUVWXYZABCD", "ABCDEFGHIJKLMNOPQRSTUVWXYZABCD"}, // a surname filling the field
		{"ABCDEFGHIJKLMNOPQRSTUVWXYZABCK", "ABCDEFGHIJKLMNOPQRSTUVWXYZABCK"}, // a K after a letter
	}
	for _, c := range cases {
		lines := append([]string(nil), td1...)
		lines[2] = c.read
		rec, err := mrz.Parse(lines, mrz.Options{})
		if err != nil || !rec.Valid {
			t.Fatalf("%s: test zone invalid: %v", c.read, err)
		}
		got := nameSeparator(rec)
		if got.Lines[2] != c.want || !got.Valid {
			t.Errorf("%s: got %s (valid %v), want %s", c.read, got.Lines[2], got.Valid, c.want)
		}
		if c.read != c.want {
			if n := len(got.Corrections); n != 1 || got.Corrections[0] != (mrz.Correction{Line: 3, Column: 29, From: "K", To: "<"}) {
				t.Errorf("%s: corrections %v", c.read, got.Corrections)
			}
			if got.Fields["given_names"] != "P" {
				t.Errorf("%s: given names %q", c.read, got.Fields["given_names"])
			}
		}
	}
	// a TD3 page's names field starts at column 6 of its first line
	td3 := "P<UTOERIKSSON<ANNA<MARIA<KARLSSON<LINDQVIST"
	l2 := "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
	rec, err := mrz.Parse([]string{td3 + "P", l2}, mrz.Options{})
	if err != nil || !rec.Valid {
		t.Fatalf("TD3 test zone invalid: %v", err)
	}
	if got := nameSeparator(rec); got.Lines[0] != "P<UTOERIKSSON<ANNA<MARIA<<ARLSSON<LINDQVISTP" {
		t.Errorf("TD3: got %s", got.Lines[0])
	}
	// an invalid zone is left as read
	bad := append([]string(nil), td1...)
	bad[2] = "LEUTHEUSSER<SCHNARRENBERGER<KP"
	bad[1] = "0212193<2503192LTU<<<<<<<<<<<5"
	rec, err = mrz.Parse(bad, mrz.Options{})
	if err != nil || rec.Valid {
		t.Fatalf("invalid test zone: valid %v, %v", rec != nil && rec.Valid, err)
	}
	if got := nameSeparator(rec); got.Lines[2] != bad[2] {
		t.Errorf("invalid zone changed: %s", got.Lines[2])
	}
}

// TestFillersAfterName: K and C after a run of three fillers in a names
// field, with only K, C and fillers to its end, are fillers read blurred;
// a letter after a double filler, another letter among them, or a K or C
// inside the names is left as read, and so is an invalid zone.
func TestFillersAfterName(t *testing.T) {
	// fill pads a names line with fillers to the TD1 line's 30 characters
	fill := func(s string) string { return s + strings.Repeat("<", 30-len(s)) }
	cases := []struct{ read, want string }{
		{fill("RICHTER<<JOHN<<<<CCC<<<<<CC"), fill("RICHTER<<JOHN")},
		{fill("RICHTER<<JOHN<<<K"), fill("RICHTER<<JOHN")},
		{fill("RICHTER<<JOHN")[:28] + "KC", fill("RICHTER<<JOHN")},
		{fill("RICHTER<<JOHNKC<<C"), fill("RICHTER<<JOHNKC<<C")},     // after a double filler: may be a name part
		{fill("RICHTER<<JOHN<<<<CCA"), fill("RICHTER<<JOHN<<<<CCA")}, // another letter: not fillers alone
		{fill("RICHTER<<JOHN<<<<CC")[:29] + "A", fill("RICHTER<<JOHN<<<<CC")[:29] + "A"},
		{fill("MACK<<CARL<C"), fill("MACK<<CARL<C")}, // an initial after one filler
		{fill("MACCARTHY<<KAREN"), fill("MACCARTHY<<KAREN")},
	}
	for _, c := range cases {
		rec := namesZone(t, c.read)
		got := fillersAfterName(rec)
		if got.Lines[2] != c.want || !got.Valid {
			t.Errorf("%s: got %s (valid %v), want %s", c.read, got.Lines[2], got.Valid, c.want)
		}
		if n := strings.Count(c.read, "K") + strings.Count(c.read, "C") - strings.Count(c.want, "K") - strings.Count(c.want, "C"); len(got.Corrections) != len(rec.Corrections)+n {
			t.Errorf("%s: corrections %v, want %d more", c.read, got.Corrections, n)
		}
		for _, x := range got.Corrections[len(rec.Corrections):] {
			if x.Line != 3 || x.To != "<" || x.From != string(c.read[x.Column-1]) {
				t.Errorf("%s: correction %+v", c.read, x)
			}
		}
	}
	// a zone whose check digits fail is left as read
	bad := namesZone(t, fill("RICHTER<<JOHN<<<<CCC<<<<<CC"))
	bad.Valid = false
	if got := fillersAfterName(bad); got.Lines[2] != fill("RICHTER<<JOHN<<<<CCC<<<<<CC") {
		t.Errorf("invalid zone changed: %s", got.Lines[2])
	}
}

// namesZone is a valid TD1 zone with the names line names.
func namesZone(t *testing.T, names string) *mrz.Record {
	t.Helper()
	lines := []string{"ITBEL5LD6NFZQL1131N5J80HZB<<<<", "5708024M2910286BELQQ4PK<<<<<<0", names}
	rec, err := mrz.Parse(lines, mrz.Options{})
	if err != nil || !rec.Valid {
		t.Fatalf("%s: test zone invalid: %v", names, err)
	}
	return rec
}

func TestEmptyPrimary(t *testing.T) {
	for _, c := range []struct {
		names string
		want  bool
	}{
		{"O<<LUKAS<<<<<<<<<<<<<<<<<<<<<<", false},
		{"<<LUKAS<<<<<<<<<<<<<<<<<<<<<<<", true},
		{"<LUKAS<<<<<<<<<<<<<<<<<<<<<<<<", true},
	} {
		if got := emptyPrimary(namesZone(t, c.names)); got != c.want {
			t.Errorf("%s: empty primary %v, want %v", c.names, got, c.want)
		}
	}
	// the French licence zone's surname field is no names field: a
	// surname of fillers there is the licence's business
	head := "D1FRA15ZM19434"
	cd, _ := mrz.CheckDigit(head)
	l := head + string(cd) + "300629" + "<<<<<<<<"
	cd, _ = mrz.CheckDigit(l)
	rec, err := mrz.Parse([]string{l + string(cd)}, mrz.Options{})
	if err != nil {
		t.Fatalf("DL1 test zone: %v", err)
	}
	if emptyPrimary(rec) {
		t.Errorf("DL1: empty primary")
	}
}

// TestTwoLineZone: a reading of two lines of a two-line format has no
// line to complete; one of a one-line or three-line format, a reading of
// fewer lines than its format has, or none, may have.
func TestTwoLineZone(t *testing.T) {
	td3 := []string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"}
	td1 := []string{"I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"}
	parse := func(lines []string) *mrz.Record {
		r, err := mrz.Parse(lines, mrz.Options{})
		if err != nil {
			t.Fatalf("%v: %v", lines, err)
		}
		return r
	}
	two := make([]line, 2)
	cases := []struct {
		name string
		g    *group
		want bool
	}{
		{"passport", &group{lines: two, rec: parse(td3)}, true},
		{"card of three lines", &group{lines: make([]line, 3), rec: parse(td1)}, false},
		{"passport from one line", &group{lines: two[:1], rec: parse(td3)}, false},
		{"no reading", nil, false},
	}
	for _, c := range cases {
		if got := twoLineZone(c.g); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
