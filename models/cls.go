package models

import (
	"context"
	"fmt"
	"image"

	"github.com/disintegration/imaging"
)

// Classifier runs the PP-OCR text-line orientation model (0 or 180 degrees).
// Not safe for concurrent use: each worker owns one.
type Classifier struct{ s *session }

// NewClassifier loads the orientation model.
func NewClassifier(a Assets, so SessionOptions) (*Classifier, error) {
	s, err := newSession(a.Model(ClsModel), "x", "softmax_0.tmp_0", so, true)
	if err != nil {
		return nil, err
	}
	return &Classifier{s: s}, nil
}

// Orientation returns 0 or 180 for a text-line crop, with the probability of
// the answer.
func (c *Classifier) Orientation(ctx context.Context, line image.Image) (int, float64, error) {
	if err := ctx.Err(); err != nil {
		return 0, 0, err
	}
	b := line.Bounds()
	if b.Dx() < 1 || b.Dy() < 1 {
		return 0, 0, fmt.Errorf("orientation: empty crop")
	}
	w := min(192, max(1, (48*b.Dx()+b.Dy()-1)/b.Dy()))
	small := imaging.Resize(line, w, 48, imaging.Linear)
	data := chw48(small, 192)
	probs, _, err := c.s.run([]int64{1, 3, 48, 192}, data)
	if err != nil {
		return 0, 0, fmt.Errorf("orientation: %w", err)
	}
	if len(probs) != 2 {
		return 0, 0, fmt.Errorf("orientation: %d outputs, want 2", len(probs))
	}
	if probs[1] > probs[0] {
		return 180, float64(probs[1]), nil
	}
	return 0, float64(probs[0]), nil
}

// Close frees the session; safe to call twice.
func (c *Classifier) Close() error {
	if c == nil {
		return nil
	}
	return c.s.Close()
}
