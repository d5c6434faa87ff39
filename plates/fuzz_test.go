package plates

import (
	"encoding/json"
	"testing"
	"unicode/utf8"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{"DO-AB 1234E", "B NO 1234", "BNO1234", "Y-123 456", "B 0 123-4", "HH AB 123 04 10",
		"12-DB-16", "AA-001-AB", "2928 TW 74", "1-ABC-123", "ZH 123456", "ERA 75TM", "F0 MAREK", "AKX 13-77", "W-12345A", "BA-123AB", "", "äöüß-", "0"} {
		f.Add(s, "")
		f.Add(s, "DE")
	}
	f.Fuzz(func(t *testing.T, text, country string) {
		rec, err := Parse(text, Options{Country: country})
		if rec == nil {
			t.Fatalf("nil record for %q (err %v)", text, err)
		}
		if rec.Valid && err != nil {
			t.Fatalf("valid record with error for %q", text)
		}
		if rec.Valid && !utf8.ValidString(rec.Text) {
			t.Fatalf("invalid UTF-8 text %q", rec.Text)
		}
		if _, err := json.Marshal(rec); err != nil {
			t.Fatalf("marshal: %v", err)
		}
		if rec.Valid {
			// A valid record's display must parse to the same text.
			again, err := Parse(rec.Display, Options{Country: rec.Country})
			if err != nil || again.Text != rec.Text {
				t.Fatalf("display %q of %q does not round-trip: %v %+v", rec.Display, text, err, again)
			}
		}
	})
}

func FuzzRank(f *testing.F) {
	f.Add("B N0 1234", 0.9, "DO AB 1234 E", 0.5, byte(3))
	f.Add("12-D8-16", 0.7, "", 0.0, byte(0))
	f.Add("8 XY 7OO", 1.5, "BN O I234", -1.0, byte(200))
	f.Fuzz(func(t *testing.T, a string, ca float64, b string, cb float64, cc byte) {
		conf := make([]float64, int(cc)%12)
		for i := range conf {
			conf[i] = float64(i) / 10
		}
		rec, err := Rank([]Reading{{Text: a, Confidence: ca, CharConf: conf}, {Text: b, Confidence: cb}}, Options{})
		if rec == nil {
			t.Fatalf("nil record (err %v)", err)
		}
		if err == nil && (rec.Confidence < 0 || rec.Confidence > 1 || rec.Confidence != rec.Confidence) {
			t.Fatalf("confidence %v", rec.Confidence)
		}
	})
}
