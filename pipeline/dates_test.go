package pipeline

import (
	"testing"
	"time"

	"docscan/documents"
	"docscan/synth"
)

func TestDateGrammar(t *testing.T) {
	g := dateGrammar(func(rune) bool { return true })
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"07.11.2022", true},
		{"4b.21.01.2035", true},
		{"4a 07.11.2022", true},
		{"3. 25.04.1980 (Marseille)", true},
		{"09.10.1954 GÖTTINGEN", true},
		{"25.04.1980(Marseille)", true},
		{"31.12.1999", true},
		{"0741162022", false}, // no dots
		{"07.11.22", false},   // two-digit year
		{"32.01.2020", false}, // no such day
		{"00.01.2020", false},
		{"15.13.2020", false}, // no such month
		{"15.00.2020", false},
		{"15.07.1822", false}, // nor century
		{"15.07.2022GOTTINGEN", false},
		{"5. 15.07.2022", false},
		{"", false},
	} {
		if got := spellsIn(g, c.s); got != c.want {
			t.Errorf("date grammar spells %q: %v, want %v", c.s, got, c.want)
		}
	}
	// a character the recognizer does not know is left out
	g = dateGrammar(func(r rune) bool { return r != 'Ö' })
	if spellsIn(g, "09.10.1954 GÖTTINGEN") || !spellsIn(g, "09.10.1954 GOTTINGEN") {
		t.Error("the place's characters should be those the recognizer knows")
	}
}

func TestDateLike(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"0741162022", true}, // dots read as digits
		{"4b./210120359", true},
		{"07.11.2022", false}, // a date already
		{"07112022", false},   // DDMMYYYY is one to the field reader
		{"12345", false},      // too few digits
		{"Stadt Köln", false},
	} {
		if got := dateLike(c.s); got != c.want {
			t.Errorf("dateLike(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

func TestGains(t *testing.T) {
	defer func(now func() time.Time) { documents.Now = now }(documents.Now)
	documents.Now = func() time.Time { return time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC) }
	rd := func(v string) documents.Read { return documents.Read{Value: v} }
	before := map[string]documents.Read{"surname": rd("WOLF"), "birth_date": rd("1969-04-05")}
	for _, c := range []struct {
		after map[string]documents.Read
		want  bool
	}{
		{map[string]documents.Read{"surname": rd("WOLF"), "birth_date": rd("1969-04-05"), "issue_date": rd("2020-02-08")}, true},
		{map[string]documents.Read{"surname": rd("WOLF"), "birth_date": rd("1969-04-05")}, false},                                 // nothing gained
		{map[string]documents.Read{"surname": rd("WOLF"), "birth_date": rd("1969-04-06"), "issue_date": rd("2020-02-08")}, false}, // one changed
		{map[string]documents.Read{"birth_date": rd("1969-04-05"), "issue_date": rd("2020-02-08"), "expiry_date": rd("2035-02-07")}, false},
		// licence_0063: its expiry's line taken for the issue date
		{map[string]documents.Read{"surname": rd("WOLF"), "birth_date": rd("1969-04-05"), "issue_date": rd("2037-10-30")}, false},
		{map[string]documents.Read{"surname": rd("WOLF"), "birth_date": rd("1969-04-05"), "expiry_date": rd("2045-02-07")}, false}, // 15 years on at most
		{map[string]documents.Read{"surname": rd("WOLF"), "birth_date": rd("1969-04-05"), "place": rd("DORTMUND")}, true},
	} {
		if got := gains(before, c.after, 3); got != c.want {
			t.Errorf("gains(%v) = %v, want %v", c.after, got, c.want)
		}
	}
}

// A word field read from the respelled line may change with it (the
// place after a birth date spelled in letters), none from another line.
func TestGainsRespelledPlace(t *testing.T) {
	defer func(now func() time.Time) { documents.Now = now }(documents.Now)
	documents.Now = func() time.Time { return time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC) }
	on := func(v string, lines ...int) documents.Read { return documents.Read{Value: v, Lines: lines} }
	before := map[string]documents.Read{"surname": on("SCHRODER", 2), "birth_place": on("WARCHAU", 4)}
	for _, c := range []struct {
		what  string
		after map[string]documents.Read
		want  bool
	}{
		{"the place on the respelled line (licence_0068)", map[string]documents.Read{"surname": on("SCHRODER", 2), "birth_place": on("WARSCHAU", 4), "birth_date": on("1994-08-29", 4)}, true},
		{"a name on another line", map[string]documents.Read{"surname": on("SCHRODEA", 2), "birth_place": on("WARCHAU", 4), "birth_date": on("1994-08-29", 4)}, false},
		{"the place moved to another line", map[string]documents.Read{"surname": on("SCHRODER", 2), "birth_place": on("WARSCHAU", 5), "birth_date": on("1994-08-29", 4)}, false},
	} {
		if got := gains(before, c.after, 4); got != c.want {
			t.Errorf("%s: gains = %v, want %v", c.what, got, c.want)
		}
	}
	dates := map[string]documents.Read{"birth_date": on("1994-08-29", 4)}
	if gains(dates, map[string]documents.Read{"birth_date": on("1994-08-28", 4), "issue_date": on("2023-04-27", 4)}, 4) {
		t.Error("a date on the respelled line changed")
	}
}

// TestGrammarDates scans licence_0058 of the synthetic licence set (seed
// 42, motion blur): its issue date 07.11.2022 read 0741162022, the dots
// as digits, which no field reader takes; decoded as a date line it is
// the date.
func TestGrammarDates(t *testing.T) {
	fs, e := synthEngines(t)
	readsTruth(t, e, fs, synth.SetLicence, 58, synth.CaptureMotion, "issue_date")
}

func TestLicenceDateFits(t *testing.T) {
	defer func(now func() time.Time) { documents.Now = now }(documents.Now)
	documents.Now = func() time.Time { return time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC) }
	rd := func(v string) documents.Read { return documents.Read{Value: v} }
	for _, c := range []struct {
		name  string
		reads map[string]documents.Read
		want  bool
	}{
		{"birth_date", map[string]documents.Read{"birth_date": rd("2001-07-09")}, true},
		{"birth_date", map[string]documents.Read{"birth_date": rd("2015-07-09")}, false}, // eleven
		{"birth_date", map[string]documents.Read{"birth_date": rd("1901-07-09")}, false},
		{"issue_date", map[string]documents.Read{"issue_date": rd("2026-12-06")}, true},
		{"issue_date", map[string]documents.Read{"issue_date": rd("2027-01-06")}, false},
		{"issue_date", map[string]documents.Read{"issue_date": rd("2020-01-06"), "expiry_date": rd("2019-01-05")}, false},
		{"expiry_date", map[string]documents.Read{"expiry_date": rd("2041-12-06")}, true},
		{"expiry_date", map[string]documents.Read{"expiry_date": rd("2042-01-06")}, false},
		{"expiry_date", map[string]documents.Read{"issue_date": rd("2022-01-06"), "expiry_date": rd("2022-01-06")}, false},
		{"expiry_date", map[string]documents.Read{"expiry_date": rd("2037-13-01")}, false},
		{"surname", map[string]documents.Read{"surname": rd("WOLF")}, true},
	} {
		if got := licenceDateFits(c.name, c.reads); got != c.want {
			t.Errorf("licenceDateFits(%s, %v) = %v, want %v", c.name, c.reads, got, c.want)
		}
	}
}
