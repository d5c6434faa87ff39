package plates

import "testing"

// BenchmarkParse compares a German parse, an ambiguous German parse and a guessed
// neighbour parse side by side.
func BenchmarkParse(b *testing.B) {
	for _, bc := range []struct{ name, text, country string }{
		{"DE", "DO-AB 1234E", "DE"},
		{"DE-ambiguous", "BNN1234", "DE"},
		{"guess-NL", "12-DB-16", ""},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := Parse(bc.text, Options{Country: bc.country}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRank ranks two engines' readings of one plate, with and without a country.
func BenchmarkRank(b *testing.B) {
	readings := []Reading{
		{Text: "B N0 1234", Confidence: 0.8, Engine: "tesseract"},
		{Text: "BNO I234", Confidence: 0.9, Engine: "ppocr"},
	}
	for _, bc := range []struct{ name, country string }{{"DE", "DE"}, {"guess", ""}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := Rank(readings, Options{Country: bc.country}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
