package pipeline

import (
	"context"
	"math"
	"time"

	"docscan/geom"
)

// sourcePlateDetector marks regions that come from the plate detector.
const sourcePlateDetector = "plate-detector"

// addDetectedPlates runs the plate detector (once per scene; its boxes are
// kept across the fine pass, which replaces the text regions) and adds each
// plate as a region for the plate builder. A box about as high as wide is a
// two-line plate: its top and bottom halves are added too, so the builder
// reads them as the two lines of one plate.
func (s *Scene) addDetectedPlates(ctx context.Context) error {
	e := s.Eng
	if e.Plates == nil {
		return nil
	}
	for _, r := range s.Regions {
		if r.Source == sourcePlateDetector {
			return nil
		}
	}
	if !s.platesDetected {
		t0 := time.Now()
		w, h := e.Plates.InputSize()
		lb := s.Frame.LetterboxTensor(w, h)
		boxes, err := e.Plates.Detect(ctx, lb.Data)
		s.tDetect += time.Since(t0)
		if err != nil {
			return err
		}
		s.platesDetected = true
		for _, b := range boxes {
			p0, p1 := lb.ToOriginal(b.X0, b.Y0), lb.ToOriginal(b.X1, b.Y1)
			s.plateQuads = append(s.plateQuads, plateQuads(p0, p1)...)
		}
	}
	for _, q := range s.plateQuads {
		s.Regions = append(s.Regions, Region{Quad: q, DetScore: 1, Source: sourcePlateDetector})
	}
	return nil
}

// plateQuads turns a plate box (corners p0 top left, p1 bottom right) into
// the quads to read: the box with a small margin (detectors box the plate
// tightly, the recognizer wants some space), and for a box less than twice
// as wide as high its two halves, each one line of a two-line plate.
func plateQuads(p0, p1 geom.Point) []geom.Quad {
	w, h := p1[0]-p0[0], p1[1]-p0[1]
	if w < 4 || h < 4 {
		return nil
	}
	rect := func(x0, y0, x1, y1 float64) geom.Quad {
		return geom.Quad{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
	}
	mx, my := 0.03*w, 0.08*h
	out := []geom.Quad{rect(p0[0]-mx, p0[1]-my, p1[0]+mx, p1[1]+my)}
	if w < 2*h {
		mid := p0[1] + h/2
		out = append(out, rect(p0[0]-mx, p0[1]-my, p1[0]+mx, mid+my), rect(p0[0]-mx, mid-my, p1[0]+mx, p1[1]+my))
	}
	return out
}

// sourcePlateLines marks regions from the classical plate-print finder.
const sourcePlateLines = "plate-lines"

// Plate-print finder settings: the working size, the lines kept and the
// score a line needs (a row of 2 even characters scores up to 2, a plate
// line of 6-8 up to 8; windows and grilles on a painted body score low).
const (
	plateLinesSide  = 1280
	plateLinesMax   = 4
	plateLinesScore = 1.2
	// The best two lines are read down to a score of 0.15: blur, glare and
	// night leave a plate's print a few broken glyphs, so it scores low.
	plateLinesWeak      = 2
	plateLinesWeakScore = 0.15
)

// addPlateLines adds the rows of character-like print the classical finder
// (preprocess.PlateLines: dark glyphs of even height on a light field)
// sees, for the text detector's misses: small, blurred or glared plates.
// The finder runs once per scene (its lines are kept across the fine
// pass); a line for which a region of nearly the same box is there is not
// added again. The band above a line that has print in it is added
// too: the first line of a two-line plate.
func (s *Scene) addPlateLines() {
	for _, r := range s.Regions {
		if r.Source == sourcePlateLines {
			return
		}
	}
	if !s.plateLinesFound {
		t0 := time.Now()
		for k, l := range s.Frame.PlateLines(plateLinesSide, plateLinesMax) {
			if l.Score < plateLinesScore && (k >= plateLinesWeak || l.Score < plateLinesWeakScore) {
				continue
			}
			score := plateLineStrong
			if l.Score < plateLinesScore {
				score = plateLineWeak
			}
			s.plateLines = append(s.plateLines, scoredQuad{Quad: l.Quad, score: score})
			if l.Above != nil {
				s.plateLines = append(s.plateLines, scoredQuad{Quad: *l.Above, score: score, under: &l.Quad})
			}
		}
		s.plateLinesFound = true
		s.tDetect += time.Since(t0)
	}
	for _, q := range s.plateLines {
		if coveredBy(q.Quad, s.Regions) {
			continue
		}
		s.Regions = append(s.Regions, Region{Quad: q.Quad, DetScore: q.score, Source: sourcePlateLines, under: q.under})
	}
}

// The DetScore of the finder's regions: a line that scored as a plate,
// and one of the best two read although it scored low (a plate read there
// does not answer a plate request without the text detector).
const (
	plateLineStrong = 0.5
	plateLineWeak   = 0.2
)

type scoredQuad struct {
	geom.Quad
	score float64
	under *geom.Quad // for the band above a line: the line
}

// blankBelow: region r is the band above a finder line (its under) that
// was read without a plate character ("", "电装", "#"): a sign, a grille,
// a window's edge. Such a band is the first line of no two-line plate, and
// is not read (two of every five finder lines on the synthetic plate
// scenes are such print, and their bands another recognition each).
// The line's reading is the scene's (Scene.Read), whichever way up it
// was read.
func blankBelow(s *Scene, r Region) bool {
	if r.under == nil {
		return false
	}
	line, ok := s.readings[readKey{*r.under, false}]
	if !ok {
		return false
	}
	for _, c := range line.Text {
		if isPlateRune(string(c)) {
			return false
		}
	}
	return true
}

// bandUpright: the band above a finder line that was read upright is read
// upright too, without the orientation model, which turns a short top
// line (C and the seal over PV 8H, read 83 upside down) as often as not.
func bandUpright(s *Scene, r *Region) {
	if r.under == nil || r.Read {
		return
	}
	if line, ok := s.readings[readKey{*r.under, false}]; ok && line.Angle == 0 {
		r.upright = true
	}
}

// weakRegions: a plate read from regs was read on low-scoring finder
// lines only (a two-line plate whose other line the detector or a strong
// finder line vouches for is not: C over FL78, C-FL 78).
func weakRegions(regs []*Region) bool {
	for _, r := range regs {
		if !weakLine(r) {
			return false
		}
	}
	return len(regs) > 0
}

// weakLine: the region is one of the finder's low-scoring lines.
func weakLine(r *Region) bool {
	return r.Source == sourcePlateLines && r.DetScore < plateLineStrong
}

// coveredBy: a region of nearly the same box as q (centre within half a
// height, height and width within a quarter) is already there.
func coveredBy(q geom.Quad, rs []Region) bool {
	c, h, w := q.Center(), q.Height(), q.Width()
	for _, r := range rs {
		rc, rh, rw := r.Quad.Center(), r.Quad.Height(), r.Quad.Width()
		if math.Hypot(rc[0]-c[0], rc[1]-c[1]) < 0.5*h && rh > 0.8*h && rh < 1.25*h && rw > 0.8*w && rw < 1.25*w {
			return true
		}
	}
	return false
}

// unsureCutStart: a plate read on one line whose reading starts within
// this share of the line's crop from its left edge may continue beyond it
// (DY50 of AC-OY 50 on a finder line that missed the district): too
// unsure to answer a plate request without the text detector. (Lines read
// at a low mean probability are not: the top line of most two-line plates
// reads so, S. over NP2; asking the detector for those too cost 170 ms of
// median latency on 300 synthetic scenes for 2 more plates.)
const unsureCutStart = 0.02

// unsureRegions: a plate read from regs may have lost its start.
func unsureRegions(regs []*Region) bool {
	return len(regs) == 1 && len(regs[0].Chars) > 0 && regs[0].Chars[0].X0 < unsureCutStart
}
