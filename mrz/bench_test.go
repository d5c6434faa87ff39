package mrz

import (
	"math/rand"
	"sort"
	"testing"
	"time"
)

// benchInputs returns clean MRZs of every format and the same with two
// confusions each.
func benchInputs() (clean, damaged [][]string) {
	rng := rand.New(rand.NewSource(42))
	for i := 0; i < 64; i++ {
		lines := genFormats[i%len(genFormats)].gen(rng)
		clean = append(clean, lines)
		taken := map[[2]int]bool{}
		d, _ := corrupt(rng, lines, taken)
		d, _ = corrupt(rng, d, taken)
		damaged = append(damaged, d)
	}
	return clean, damaged
}

func BenchmarkParse(b *testing.B) {
	clean, _ := benchInputs()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Parse(clean[i%len(clean)], Options{Now: benchNow}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRead(b *testing.B) {
	clean, damaged := benchInputs()
	for _, c := range []struct {
		name string
		in   [][]string
	}{{"clean", clean}, {"2confusions", damaged}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			d := make([]time.Duration, 0, b.N)
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				if _, err := Read(c.in[i%len(c.in)], Options{Now: benchNow}); err != nil {
					b.Fatal(err)
				}
				d = append(d, time.Since(t0))
			}
			sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
			b.ReportMetric(float64(d[len(d)/2].Nanoseconds()), "median-ns")
			b.ReportMetric(float64(d[len(d)*99/100].Nanoseconds()), "p99-ns")
		})
	}
}
