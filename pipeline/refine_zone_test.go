package pipeline

import (
	"context"
	"strings"
	"testing"

	"docscan/geom"
	"docscan/mrz"
	"docscan/preprocess"
)

// TestRefineZone: where the MRZ builder found a zone it could not
// validate, the next fine pass reads only around it (the zone's regions
// lie there and the builder reads the zone from them), and a pass over
// the whole photo may still follow.
func TestRefineZone(t *testing.T) {
	e := testEngines(t, Options{})
	ctx := context.Background()
	zonePasses := 0
	for _, m := range samples(t, "mrz") {
		// where the zone lies: from a whole read of the photo
		res := e.Process(ctx, Request{File: m.File, Data: m.Data, Kind: "mrz"})
		var quad geom.Quad
		var found bool
		for _, r := range res.Records {
			if mr, ok := r.(*mrz.Record); ok && mr.Quad != nil {
				for i, p := range mr.Quad {
					quad[i] = geom.Point{p[0], p[1]}
				}
				found = true
			}
		}
		if !found {
			t.Fatalf("%s: no MRZ read to place the zone", m.File)
		}
		frame, err := preprocess.Decode(ctx, m.Data, e.opt.Decode)
		if err != nil {
			t.Fatal(err)
		}
		defer frame.Close()
		f := frameOf(quad)
		zone := zoneAround(f, []line{f.project(quad)})
		s := &Scene{Frame: frame, Kind: "mrz", Eng: e}
		s.zone = &zone
		// a zone that is most of the photo is read by a whole pass
		w, h := frame.DecodedSize()
		tn := frame.DetTensor(min(e.opt.FineSide, max(w, h)))
		_, small := zoneTile(zone, preprocess.Affine{1 / tn.ScaleX, 0, 0, 0, 1 / tn.ScaleY, 0}, tn.W, tn.H)
		ran, err := s.Refine(ctx)
		if err != nil || !ran {
			t.Fatalf("%s: zone pass ran %v, %v", m.File, ran, err)
		}
		if !small {
			if !s.fine || s.zonePass {
				t.Errorf("%s: zone of most of the photo: fine=%v zonePass=%v, want a whole pass", m.File, s.fine, s.zonePass)
			}
			continue
		}
		zonePasses++
		if s.fine || !s.zonePass || !s.zoneTried || s.zone != nil {
			t.Fatalf("%s: after the zone pass fine=%v zonePass=%v zoneTried=%v zone=%v", m.File, s.fine, s.zonePass, s.zoneTried, s.zone)
		}
		if len(s.Regions) == 0 {
			t.Fatalf("%s: the zone pass found no text", m.File)
		}
		zx0, zy0, zx1, zy1 := zone.Bounds()
		const slack = 64 // the tile is rounded up to 32 tensor pixels
		for _, r := range s.Regions {
			x0, y0, x1, y1 := r.Quad.Bounds()
			if x0 < zx0-slack || y0 < zy0-slack || x1 > zx1+slack || y1 > zy1+slack {
				t.Errorf("%s: region %v outside the zone %v", m.File, r.Quad, zone)
			}
		}
		recs, err := MRZBuilder{}.Build(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 1 || !recs[0].(*mrz.Record).Valid || strings.Join(recs[0].(*mrz.Record).Lines, "\n") != strings.Join(m.Truth.MRZ, "\n") {
			t.Errorf("%s: zone pass read %+v, want %q valid", m.File, recs, m.Truth.MRZ)
		}
		// a whole-photo pass follows when asked for
		before := len(s.Regions)
		if ran, err := s.Refine(ctx); err != nil || !ran || !s.fine || s.zonePass {
			t.Fatalf("%s: full pass ran %v (%v), fine=%v zonePass=%v", m.File, ran, err, s.fine, s.zonePass)
		}
		if len(s.Regions) <= before {
			t.Errorf("%s: the whole-photo pass found %d regions, the zone pass %d", m.File, len(s.Regions), before)
		}
		if ran, _ := s.Refine(ctx); ran {
			t.Errorf("%s: a third, level pass ran", m.File)
		}
	}
	if zonePasses == 0 {
		t.Error("no sample took a zone pass")
	}
}
