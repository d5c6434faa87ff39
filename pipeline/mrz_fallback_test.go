package pipeline

import (
	"context"
	"math"
	"strings"
	"testing"

	"docscan/mrz"
	"docscan/preprocess"
)

// TestClassicalFallback reads the bundled MRZ samples with the classical
// zone search alone: the scene has no detector regions, so only
// preprocess.MRZZones and zoneLines can lead to the zone.
func TestClassicalFallback(t *testing.T) {
	e := testEngines(t, Options{})
	ctx := context.Background()
	for _, m := range samples(t, "mrz") {
		f, err := preprocess.Decode(ctx, m.Data, e.opt.Decode)
		if err != nil {
			t.Fatal(err)
		}
		zones := f.MRZZones(zoneSide, maxZones)
		// the truth zone's centre lies inside one of the zones found
		var tc [2]float64
		for _, p := range m.Quad {
			tc[0], tc[1] = tc[0]+p[0]/4, tc[1]+p[1]/4
		}
		hit := false
		for _, z := range zones {
			fr := frameOf(z)
			l := fr.project(z)
			dx, dy := tc[0]-fr.O[0], tc[1]-fr.O[1]
			a, p := dx*fr.U[0]+dy*fr.U[1], dx*fr.N[0]+dy*fr.N[1]
			if a >= l.A0 && a <= l.A1 && math.Abs(p-l.P) <= l.H {
				hit = true
			}
		}
		for _, z := range zones {
			t.Logf("%s: zone %.0fx%.0f, %d lines", m.File, z.Width(), z.Height(), len(zoneLines(f, z)))
		}
		if !hit {
			t.Errorf("%s: no zone around the MRZ among %d", m.File, len(zones))
		}
		s := &Scene{Frame: f, Kind: "mrz", Eng: e}
		recs, err := MRZBuilder{}.Build(ctx, s)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 1 {
			t.Errorf("%s: %d records from the fallback", m.File, len(recs))
			continue
		}
		got, ok := recs[0].(*mrz.Record)
		if !ok || !got.Valid || strings.Join(got.Lines, "\n") != strings.Join(m.Truth.MRZ, "\n") {
			t.Errorf("%s: fallback read %+v, want %q valid", m.File, recs[0], m.Truth.MRZ)
		}
	}
}
