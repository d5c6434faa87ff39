package models

import (
	"context"
	"fmt"

	"docscan/geom"
)

// Region is a detected text region in original image coordinates.
type Region struct {
	Quad  geom.Quad
	Score float64
}

// Detector runs the PP-OCRv4 text detection model. Not safe for concurrent
// use: each worker owns one.
type Detector struct {
	s   *session
	opt DBOptions
	// prob is the probability map's buffer, reused by every run (the
	// map is read into boxes before Detect returns).
	prob []float32
}

// NewDetector loads the detection model.
func NewDetector(a Assets, so SessionOptions, db DBOptions) (*Detector, error) {
	s, err := newSession(a.Model(DetModel), "x", "sigmoid_0.tmp_0", so, true)
	if err != nil {
		return nil, err
	}
	return &Detector{s: s, opt: db}, nil
}

// Detect runs the model on a 1x3xHxW tensor (data, w, h) and returns the text
// regions, with corners scaled by sx, sy into original coordinates.
func (d *Detector) Detect(ctx context.Context, data []float32, w, h int, sx, sy float64) ([]Region, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(data) != 3*w*h {
		return nil, fmt.Errorf("detect: tensor has %d values, want %d", len(data), 3*w*h)
	}
	if cap(d.prob) < w*h {
		d.prob = make([]float32, w*h)
	}
	prob := d.prob[:w*h]
	if err := d.s.runInto([]int64{1, 3, int64(h), int64(w)}, data, []int64{1, 1, int64(h), int64(w)}, prob); err != nil {
		return nil, fmt.Errorf("detect: %w", err)
	}
	boxes := DBBoxes(prob, w, h, d.opt)
	out := make([]Region, len(boxes))
	for i, b := range boxes {
		out[i] = Region{Quad: b.Quad.Scale(sx, sy), Score: b.Score}
	}
	return out, nil
}

// Close frees the session; safe to call twice.
func (d *Detector) Close() error {
	if d == nil {
		return nil
	}
	return d.s.Close()
}
