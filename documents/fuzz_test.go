package documents

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"docscan/geom"
)

// FuzzReadFields: any recognized lines, of any text and anywhere on the
// card, are classified as one of the types (or unknown) and read as any
// document type's fields without a panic, and every field read names
// lines that exist.
func FuzzReadFields(f *testing.F) {
	f.Add("FUHRERSCHEIN\n1. MULLER\n2. ERIKA\n3. 12.08.1964 BERLIN\n4a. 19.01.2013 4c. Stadt Köln\n4b. 18.01.2028\n5. B072RRE2I55\n9. AM/B/L", uint64(1))
	f.Add("BUNDESREPUBLIK DEUTSCHLAND\nPERSONALAUSWEIS\nL01X00T47\nMUSTERMANN\nERIKA\n12.08.1964\nDEUTSCH\nBERLIN\n31.10.2031\n123456", uint64(2))
	f.Add("31.19.202)\nK090EDJFC23\n1972 LEIPZIG\n4c.\n\n5.5\n\x00\xff", uint64(3))
	f.Add("ERSCHEIN\nA2/B1/B/DL/D/BE/CE/D1E\n5. B072RRE2I55\nSONALAUSWEIS\n46 Stadt Bonn", uint64(4))
	f.Fuzz(func(t *testing.T, text string, seed uint64) {
		r := rand.New(rand.NewPCG(seed, 7))
		var lines []Line
		for _, s := range strings.Split(text, "\n") {
			if len(lines) == 40 {
				break
			}
			x0, y0 := r.Float64()*1000, r.Float64()*630
			w, h := r.Float64()*600, 4+r.Float64()*60
			if r.IntN(8) == 0 {
				w, h = 0, 0 // degenerate boxes too
			}
			lines = append(lines, Line{Text: s, Conf: r.Float64(), Box: [4]float64{x0, y0, x0 + w, y0 + h}})
		}
		switch typ, _, conf := Classify(lines, "", ""); typ {
		case IDCard, Passport, DrivingLicence, ResidencePermit, VehicleRegistration, Unknown:
			if conf < 0 || conf > 1 || math.IsNaN(conf) {
				t.Fatalf("Classify: confidence %v", conf)
			}
		default:
			t.Fatalf("Classify: type %q", typ)
		}
		for _, c := range [][2]string{
			{IDCard, "DE"}, {DrivingLicence, "DE"}, {DrivingLicence, "FR"}, {DrivingLicence, "US"},
			{Passport, "DE"}, {ResidencePermit, ""}, {Unknown, ""},
		} {
			for name, rd := range ReadFields(c[0], c[1], lines, 1000, 630) {
				for _, i := range rd.Lines {
					if i < 0 || i >= len(lines) {
						t.Fatalf("%s %s: field %s names line %d of %d", c[0], c[1], name, i, len(lines))
					}
				}
			}
		}
	})
}

// FuzzPickCard: any gray view (a card of random tone and outline on a
// random ground, noise), any contour candidates and any text regions,
// degenerate ones too, give an outline without a panic; an outline given
// is four finite corners.
func FuzzPickCard(f *testing.F) {
	f.Add(uint64(1), uint8(6), uint8(2))
	f.Add(uint64(2), uint8(0), uint8(5))
	f.Add(uint64(3), uint8(30), uint8(0))
	f.Fuzz(func(t *testing.T, seed uint64, nText, nCands uint8) {
		r := rand.New(rand.NewPCG(seed, 11))
		pt := func() geom.Point { return geom.Point{r.Float64()*360 - 20, r.Float64()*280 - 20} }
		quad := func() geom.Quad {
			if r.IntN(6) == 0 {
				p := pt() // degenerate: all corners one point
				return geom.Quad{p, p, p, p}
			}
			return geom.Quad{pt(), pt(), pt(), pt()}
		}
		card := quad()
		ground, tone, noise := r.IntN(256), r.IntN(256), 1+r.IntN(64)
		g := Gray{Pix: make([]byte, 320*240), W: 320, H: 240}
		for i := range g.Pix {
			v := ground
			if pointIn(card, geom.Point{float64(i%g.W) + 0.5, float64(i/g.W) + 0.5}) {
				v = tone
			}
			g.Pix[i] = byte(min(255, max(0, v+r.IntN(noise)-noise/2)))
		}
		var text, cands []geom.Quad
		for range int(nText % 40) {
			text = append(text, quad())
		}
		for range int(nCands % 8) {
			cands = append(cands, quad())
		}
		q, _, ok := PickCard(g, cands, text)
		if !ok {
			return
		}
		for _, p := range q {
			if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
				t.Fatalf("outline %v", q)
			}
		}
	})
}
