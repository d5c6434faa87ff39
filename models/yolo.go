package models

import (
	"context"
	"fmt"

	ort "github.com/yalue/onnxruntime_go"
)

// DefaultYOLOSide is the input side used when the model's input size is
// symbolic (the usual export size).
const DefaultYOLOSide = 640

// ObjectDetector runs an object detector in the common YOLO ONNX format
// (one float input [1, 3, H, W] of RGB values in 0..1, letterboxed; one
// output decoded by DecodeYOLO), such as a licence-plate detector given by
// the user. Not safe for concurrent use: each worker owns one.
type ObjectDetector struct {
	s    *session
	w, h int
	opt  YOLOOptions
}

// NewObjectDetector loads the model at path. Its input must be a float
// tensor of rank 4 with 3 channels; fixed spatial dimensions set the input
// size, symbolic ones get DefaultYOLOSide.
func NewObjectDetector(path string, so SessionOptions, o YOLOOptions) (*ObjectDetector, error) {
	if !ort.IsInitialized() {
		return nil, fmt.Errorf("onnx runtime not initialized")
	}
	ins, outs, err := ort.GetInputOutputInfo(path)
	if err != nil {
		return nil, fmt.Errorf("object detector %s: %w", path, err)
	}
	if len(ins) != 1 || len(outs) < 1 {
		return nil, fmt.Errorf("object detector %s: %d inputs, %d outputs: want one input and an output", path, len(ins), len(outs))
	}
	in := ins[0]
	if in.DataType != ort.TensorElementDataTypeFloat || len(in.Dimensions) != 4 || (in.Dimensions[1] != 3 && in.Dimensions[1] > 0) {
		return nil, fmt.Errorf("object detector %s: input %q is %v of type %v: want float [1, 3, H, W]", path, in.Name, in.Dimensions, in.DataType)
	}
	if outs[0].DataType != ort.TensorElementDataTypeFloat {
		return nil, fmt.Errorf("object detector %s: output %q is not float", path, outs[0].Name)
	}
	w, h := int(in.Dimensions[3]), int(in.Dimensions[2])
	if w <= 0 {
		w = DefaultYOLOSide
	}
	if h <= 0 {
		h = DefaultYOLOSide
	}
	if w > 4096 || h > 4096 {
		return nil, fmt.Errorf("object detector %s: input %dx%d too large", path, w, h)
	}
	if o.Layout != YOLOAuto && o.Layout != YOLOv5 && o.Layout != YOLOv8 && o.Layout != YOLOEndToEnd {
		return nil, fmt.Errorf("object detector: unknown layout %q (v5, v8 or e2e)", o.Layout)
	}
	s, err := newSession(path, in.Name, outs[0].Name, so, false)
	if err != nil {
		return nil, err
	}
	return &ObjectDetector{s: s, w: w, h: h, opt: o}, nil
}

// InputSize is the model's input width and height.
func (d *ObjectDetector) InputSize() (w, h int) { return d.w, d.h }

// Detect runs the model on a 1 x 3 x H x W tensor of the input size and
// returns the boxes in input pixels, best first.
func (d *ObjectDetector) Detect(ctx context.Context, data []float32) ([]ObjectBox, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(data) != 3*d.w*d.h {
		return nil, fmt.Errorf("object detector: tensor has %d values, want %d", len(data), 3*d.w*d.h)
	}
	out, shape, err := d.s.run([]int64{1, 3, int64(d.h), int64(d.w)}, data)
	if err != nil {
		return nil, fmt.Errorf("object detector: %w", err)
	}
	return DecodeYOLO(out, shape, d.w, d.h, d.opt)
}

// Close frees the session; safe to call twice.
func (d *ObjectDetector) Close() error {
	if d == nil {
		return nil
	}
	return d.s.Close()
}
