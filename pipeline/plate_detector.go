package pipeline

import (
	"context"
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
