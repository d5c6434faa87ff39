package pipeline

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"math"
	"strings"
	"testing"
	"time"

	"docscan/documents"
	"docscan/geom"
	"docscan/mrz"
	"docscan/plates"
	"docscan/preprocess"
	"docscan/synth"
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

// TestZoneLinesShadowSlope: a zone's lines are cut apart where a shadow
// darkens part of the zone below Otsu's threshold and where the zone's
// rectangle lies two degrees off the lines (a ragged blob's rectangle):
// without the local threshold the shadowed half is one band of print, and
// without the slope search the two lines run into one band.
func TestZoneLinesShadowSlope(t *testing.T) {
	fs, err := synth.LoadFonts("")
	if err != nil {
		t.Skipf("fonts not installed (make deps): %v", err)
	}
	const size, x0, y0, pitch = 40.0, 60.0, 120.0, 62.0
	lines := []string{"P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<", "C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4"}
	for _, c := range []struct {
		name   string
		shadow float64 // strength of the shadow over the right half
		tilt   float64 // degrees the zone's rectangle lies off the lines
	}{{"plain", 0, 0}, {"shadow", 0.45, 0}, {"tilt", 0, 2}, {"shadow and tilt", 0.45, -2}} {
		t.Run(c.name, func(t *testing.T) {
			img := image.NewRGBA(image.Rect(0, 0, 1400, 360))
			synth.Fill(img, color.RGBA{205, 205, 200, 255})
			w := 0.0
			for k, s := range lines {
				w = math.Max(w, synth.DrawText(img, fs.OCRB, size, x0, y0+float64(k)*pitch, s, color.RGBA{30, 30, 35, 255})-x0)
			}
			if c.shadow > 0 {
				synth.Shadow(img, x0+w/2, 0, 90, c.shadow, 40)
			}
			f := photoFrame(t, img)
			defer f.Close()
			// the text's baselines are at y0 and y0+pitch; its capitals
			// stand about 0.7 size above them
			top, bottom := y0-0.75*size-10, y0+pitch+10
			cx, cy := x0+w/2, (top+bottom)/2
			sin, cos := math.Sincos(c.tilt * math.Pi / 180)
			pt := func(x, y float64) geom.Point {
				dx, dy := x-cx, y-cy
				return geom.Point{cx + dx*cos - dy*sin, cy + dx*sin + dy*cos}
			}
			zone := geom.Quad{pt(x0-10, top), pt(x0+w+10, top), pt(x0+w+10, bottom), pt(x0-10, bottom)}
			got := zoneLines(f, zone)
			if len(got) != 2 {
				t.Fatalf("%d lines, want 2: %v", len(got), got)
			}
			for k, q := range got {
				want := y0 + float64(k)*pitch - 0.35*size // the capitals' middle
				for _, x := range []float64{x0 + 40, x0 + w - 40} {
					if y := yAt(q, x); math.Abs(y-want) > 0.25*pitch {
						t.Errorf("line %d runs through y %.0f at x %.0f, want %.0f", k, y, x, want)
					}
				}
				if q.Width() < 0.9*w || q.Width() > 1.2*w {
					t.Errorf("line %d is %.0f long, want about %.0f", k, q.Width(), w)
				}
			}
		})
	}
}

// yAt is the y of the middle line of quad q (first edge along it) at x.
func yAt(q geom.Quad, x float64) float64 {
	a := geom.Point{(q[0][0] + q[3][0]) / 2, (q[0][1] + q[3][1]) / 2}
	b := geom.Point{(q[1][0] + q[2][0]) / 2, (q[1][1] + q[2][1]) / 2}
	if b[0] == a[0] {
		return a[1]
	}
	return a[1] + (x-a[0])*(b[1]-a[1])/(b[0]-a[0])
}

// TestMRZByTexture: an MRZ request on a photo larger than the text
// detector's input by half whose zone the texture search finds and reads
// valid is answered without the text detector (its detect stage is
// zero), with the zone's exact lines; a smaller photo is read the
// detector's way. The scenes: the bundled samples (1600 px) and scenes 1,
// 2, 15 and 24 of the synthetic MRZ set (`go run ./cmd/synth -set mrz -n
// 300 -seed 1`), rendered here from their seeds: a TD2 page turned 67
// degrees half in shadow (its zone's lines ran into one band at one
// threshold), a TD3 page turned 274 degrees, and two TD1 cards whose zone
// takes in the card's field lines above it (six and five lines were cut:
// the three at one end are the zone); and a 1000-pixel scene of testdata.
func TestMRZByTexture(t *testing.T) {
	e := testEngines(t, Options{})
	type scene struct {
		name  string
		data  []byte
		truth []string
	}
	var scenes []scene
	for _, m := range samples(t, "mrz") {
		scenes = append(scenes, scene{m.File, m.Data, m.Truth.MRZ})
	}
	if !testing.Short() {
		fs := ocrbFonts(t)
		// 6 and 152: 12-megapixel scenes (a TD1 card, a passport) read
		// exactly only decoded at half scale (mrzDecodeSide).
		for _, i := range []int{1, 2, 15, 24, 6, 152} {
			sc, err := synth.MRZScene(fs, synth.ImageSeed(synth.SetMRZ, 1, i), synth.SceneOptions{Format: []string{synth.TD1, synth.TD2, synth.TD3}[i%3]})
			if err != nil {
				t.Fatal(err)
			}
			scenes = append(scenes, scene{fmt.Sprintf("mrz_%04d.jpg", i), sc.JPEG, sc.Entry.Truth.MRZ})
		}
	}
	for _, sc := range scenes {
		r := e.Process(context.Background(), Request{File: sc.name, Data: sc.data, Kind: "mrz"})
		if r.Error != nil {
			t.Fatalf("%s: %v", sc.name, r.Error)
		}
		var got *mrz.Record
		for _, rec := range r.Records {
			if m, ok := rec.(*mrz.Record); ok {
				got = m
			}
		}
		if got == nil || !got.Valid || strings.Join(got.Lines, "\n") != strings.Join(sc.truth, "\n") {
			t.Errorf("%s: got %+v, want %q valid", sc.name, got, sc.truth)
		}
		if d := r.TimingsMS["detect"]; d != 0 {
			t.Errorf("%s: the text detector ran (%.0f ms)", sc.name, d)
		}
	}
	if dec := e.decodeOptions("mrz"); dec.MinLongSide != mrzDecodeSide {
		t.Errorf("an MRZ request decodes to %d pixels, want %d", dec.MinLongSide, mrzDecodeSide)
	}
	if dec := e.decodeOptions("auto"); dec.MinLongSide != 0 {
		t.Errorf("an auto request decodes to %d pixels, want the default", dec.MinLongSide)
	}
	// A photo the detector reads near full size (1000 px) goes its way.
	for _, m := range manifestSamples(t, "../testdata/synth", "mrz")[:1] {
		r := e.Process(context.Background(), Request{File: m.File, Data: m.Data, Kind: "mrz"})
		if r.Error != nil {
			t.Fatalf("%s: %v", m.File, r.Error)
		}
		if r.TimingsMS["detect"] == 0 {
			t.Errorf("%s: a 1000-pixel photo was not read by the text detector", m.File)
		}
	}
}

// TestAutoRequestMRZByTexture: an auto request (the contract's default)
// on a photo the detector shrinks reads the texture search's zones first,
// as an MRZ request does, and goes on for the card. Scene 201 of the
// synthetic MRZ set (`go run ./cmd/synth -set mrz -n 300 -seed 1`),
// rendered here from its seed: a TD1 residence permit in a 1920-pixel
// photo, turned and shadowed, whose card the document builder found on the
// detector's regions while no MRZ record came back (the card ended the
// search before a fine pass could read the zone's print).
func TestAutoRequestMRZByTexture(t *testing.T) {
	if testing.Short() {
		t.Skip("renders a 1920-pixel scene and reads it")
	}
	fs := ocrbFonts(t)
	sc, err := synth.MRZScene(fs, synth.ImageSeed(synth.SetMRZ, 1, 201), synth.SceneOptions{Format: synth.TD1})
	if err != nil {
		t.Fatal(err)
	}
	e := testEngines(t, Options{})
	r := e.Process(context.Background(), Request{File: "mrz_0201.jpg", Data: sc.JPEG, Kind: "auto"})
	if r.Error != nil {
		t.Fatal(r.Error)
	}
	var ms []*mrz.Record
	for _, rec := range r.Records {
		switch x := rec.(type) {
		case *mrz.Record:
			ms = append(ms, x)
		case *plates.Record:
			t.Errorf("a plate record %q on a document photo", x.Text)
		}
	}
	want := strings.Join(sc.Entry.Truth.MRZ, "\n")
	if len(ms) != 1 || !ms[0].Valid || strings.Join(ms[0].Lines, "\n") != want {
		t.Fatalf("got %d MRZ records %+v, want one valid %q", len(ms), ms, sc.Entry.Truth.MRZ)
	}
	if r.TimingsMS["detect"] == 0 {
		t.Errorf("an auto request stopped at the MRZ: the detector's pass looks for the card and plates")
	}
	// A probe past its budget leaves the request to the detector's pass:
	// no deadline error, the card still found.
	defer func(b time.Duration) { e.opt.AutoBudget = b }(e.opt.AutoBudget)
	e.opt.AutoBudget = 2 * time.Millisecond
	r = e.Process(context.Background(), Request{File: "mrz_0201.jpg", Data: sc.JPEG, Kind: "auto"})
	if r.Error != nil {
		t.Fatalf("probe past its budget: %v", r.Error)
	}
	doc := false
	for _, rec := range r.Records {
		if _, ok := rec.(*documents.Record); ok {
			doc = true
		}
	}
	if !doc {
		t.Errorf("probe past its budget: no document record in %d records", len(r.Records))
	}
}

// TestAutoRequestCardMRZ: an auto request whose detector pass found a card
// of a kind that carries an MRZ on its photographed side, and no valid
// zone, gives the photo an MRZ request's passes. Scenes 71 and 274 of the
// synthetic MRZ set (`go run ./cmd/synth -set mrz -n 300 -seed 1`),
// rendered here from their seeds: a passport page and a Norwegian ID card
// (TD2) whose zones the texture probe does not find and whose cards ended
// the auto search with no MRZ record (an MRZ request reads both in its fine
// pass).
func TestAutoRequestCardMRZ(t *testing.T) {
	if testing.Short() {
		t.Skip("renders two scenes and reads them")
	}
	fs := ocrbFonts(t)
	e := testEngines(t, Options{})
	for _, i := range []int{71, 274} {
		sc, err := synth.MRZScene(fs, synth.ImageSeed(synth.SetMRZ, 1, i), synth.SceneOptions{Format: []string{synth.TD1, synth.TD2, synth.TD3}[i%3]})
		if err != nil {
			t.Fatal(err)
		}
		r := e.Process(context.Background(), Request{File: fmt.Sprintf("mrz_%04d.jpg", i), Data: sc.JPEG, Kind: "auto"})
		if r.Error != nil {
			t.Fatalf("scene %d: %v", i, r.Error)
		}
		var ms []*mrz.Record
		doc := false
		for _, rec := range r.Records {
			switch x := rec.(type) {
			case *mrz.Record:
				ms = append(ms, x)
			case *documents.Record:
				doc = true
			}
		}
		want := strings.Join(sc.Entry.Truth.MRZ, "\n")
		if len(ms) != 1 || !ms[0].Valid || strings.Join(ms[0].Lines, "\n") != want {
			t.Errorf("scene %d: got %d MRZ records %+v, want one valid %q", i, len(ms), ms, sc.Entry.Truth.MRZ)
		}
		if !doc {
			t.Errorf("scene %d: no document record", i)
		}
	}
}

func TestMRZBearing(t *testing.T) {
	for _, c := range []struct {
		typ, country string
		want         bool
	}{
		{"passport", "", true},
		{"passport", "DE", true},
		{"id_card", "", true},
		{"id_card", "NO", true},
		{"id_card", "DE", false},
		{"residence_permit", "DE", false},
		{"driving_licence", "FR", false},
		{"unknown", "", false},
	} {
		recs := []Record{&documents.Record{Kind: "document", DocumentType: c.typ, Country: c.country}}
		if got := mrzBearing(recs); got != c.want {
			t.Errorf("mrzBearing(%s, %q) = %v, want %v", c.typ, c.country, got, c.want)
		}
	}
	if mrzBearing(nil) {
		t.Error("mrzBearing(nil) = true")
	}
}
