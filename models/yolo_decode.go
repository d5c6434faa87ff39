package models

import (
	"fmt"
	"sort"
)

// YOLO output layouts.
const (
	// YOLOAuto picks the layout from the output shape: the longer
	// dimension is the box count, so [1, 4+nc, N] is YOLOv8-style and
	// [1, N, 5+nc] YOLOv5-style (end-to-end outputs must be named).
	YOLOAuto = ""
	// YOLOv5: [1, N, 5+nc] rows of cx, cy, w, h, objectness, class scores.
	YOLOv5 = "v5"
	// YOLOv8: [1, 4+nc, N] columns of cx, cy, w, h, class scores (also
	// YOLOv9/v11 exports).
	YOLOv8 = "v8"
	// YOLOEndToEnd: [1, N, 6] rows of x0, y0, x1, y1, score, class, already
	// suppressed (YOLOv10, or exports with NMS built in).
	YOLOEndToEnd = "e2e"
)

// YOLOOptions configure the decoding of a YOLO detector's output.
type YOLOOptions struct {
	Layout  string  // YOLOAuto, YOLOv5, YOLOv8 or YOLOEndToEnd
	MinConf float64 // boxes below are dropped (default 0.25)
	IoU     float64 // non-maximum suppression overlap (default 0.45)
	// Classes are the class ids kept (nil: all).
	Classes []int
	// MaxBoxes caps the boxes returned, best first (default 32).
	MaxBoxes int
}

func (o YOLOOptions) withDefaults() YOLOOptions {
	if o.MinConf <= 0 {
		o.MinConf = 0.25
	}
	if o.IoU <= 0 {
		o.IoU = 0.45
	}
	if o.MaxBoxes <= 0 {
		o.MaxBoxes = 32
	}
	return o
}

// ObjectBox is an axis-aligned detection in model input pixels.
type ObjectBox struct {
	X0, Y0, X1, Y1 float64
	Score          float64
	Class          int
}

func (b ObjectBox) area() float64 { return max(0, b.X1-b.X0) * max(0, b.Y1-b.Y0) }

func iou(a, b ObjectBox) float64 {
	ix := min(a.X1, b.X1) - max(a.X0, b.X0)
	iy := min(a.Y1, b.Y1) - max(a.Y0, b.Y0)
	if ix <= 0 || iy <= 0 {
		return 0
	}
	inter := ix * iy
	return inter / (a.area() + b.area() - inter)
}

// DecodeYOLO turns a YOLO detector's output (data with its shape) into
// boxes in the coordinates of a inW x inH input, best first, after
// class-agnostic non-maximum suppression. Coordinates given as fractions of
// the input (all at most 1.5) are scaled to pixels.
func DecodeYOLO(data []float32, shape []int64, inW, inH int, o YOLOOptions) ([]ObjectBox, error) {
	o = o.withDefaults()
	dims := shape
	for len(dims) > 2 && dims[0] == 1 {
		dims = dims[1:]
	}
	if len(dims) != 2 {
		return nil, fmt.Errorf("yolo: output shape %v: want [1, rows, cols]", shape)
	}
	a, b := int(dims[0]), int(dims[1])
	if a <= 0 || b <= 0 || a*b != len(data) {
		return nil, fmt.Errorf("yolo: output shape %v does not match %d values", shape, len(data))
	}
	layout := o.Layout
	if layout == YOLOAuto {
		if a < b {
			layout = YOLOv8
		} else {
			layout = YOLOv5
		}
	}
	keep := func(c int) bool {
		if o.Classes == nil {
			return true
		}
		for _, k := range o.Classes {
			if k == c {
				return true
			}
		}
		return false
	}
	best := func(score func(c int) float64, nc int) (int, float64) {
		bc, bs := -1, 0.0
		for c := 0; c < nc; c++ {
			if s := score(c); keep(c) && s > bs {
				bc, bs = c, s
			}
		}
		return bc, bs
	}
	var boxes []ObjectBox
	centre := func(cx, cy, w, h, s float64, c int) ObjectBox {
		return ObjectBox{X0: cx - w/2, Y0: cy - h/2, X1: cx + w/2, Y1: cy + h/2, Score: s, Class: c}
	}
	switch layout {
	case YOLOv8:
		if a < 5 {
			return nil, fmt.Errorf("yolo: v8 output with %d rows: want 4 + classes", a)
		}
		nc, n := a-4, b
		at := func(r, i int) float64 { return float64(data[r*n+i]) }
		for i := 0; i < n; i++ {
			c, s := best(func(c int) float64 { return at(4+c, i) }, nc)
			if c >= 0 && s >= o.MinConf {
				boxes = append(boxes, centre(at(0, i), at(1, i), at(2, i), at(3, i), s, c))
			}
		}
	case YOLOv5:
		if b < 6 {
			return nil, fmt.Errorf("yolo: v5 output with %d columns: want 5 + classes", b)
		}
		nc := b - 5
		for i := 0; i < a; i++ {
			row := data[i*b : (i+1)*b]
			obj := float64(row[4])
			c, s := best(func(c int) float64 { return obj * float64(row[5+c]) }, nc)
			if c >= 0 && s >= o.MinConf {
				boxes = append(boxes, centre(float64(row[0]), float64(row[1]), float64(row[2]), float64(row[3]), s, c))
			}
		}
	case YOLOEndToEnd:
		if b != 6 {
			return nil, fmt.Errorf("yolo: end-to-end output with %d columns: want 6", b)
		}
		for i := 0; i < a; i++ {
			row := data[i*b : (i+1)*b]
			s, c := float64(row[4]), int(row[5])
			if s >= o.MinConf && keep(c) {
				boxes = append(boxes, ObjectBox{X0: float64(row[0]), Y0: float64(row[1]), X1: float64(row[2]), Y1: float64(row[3]), Score: s, Class: c})
			}
		}
	default:
		return nil, fmt.Errorf("yolo: unknown layout %q (v5, v8 or e2e)", layout)
	}
	normalized := len(boxes) > 0
	for _, bx := range boxes {
		if max(bx.X0, bx.Y0, bx.X1, bx.Y1) > 1.5 {
			normalized = false
			break
		}
	}
	out := boxes[:0]
	for _, bx := range boxes {
		if normalized {
			bx.X0, bx.X1 = bx.X0*float64(inW), bx.X1*float64(inW)
			bx.Y0, bx.Y1 = bx.Y0*float64(inH), bx.Y1*float64(inH)
		}
		bx.X0, bx.X1 = max(0, bx.X0), min(float64(inW), bx.X1)
		bx.Y0, bx.Y1 = max(0, bx.Y0), min(float64(inH), bx.Y1)
		if bx.X1-bx.X0 >= 2 && bx.Y1-bx.Y0 >= 2 {
			out = append(out, bx)
		}
	}
	return suppress(out, o.IoU, o.MaxBoxes), nil
}

// suppress keeps the best-scoring boxes that overlap no better one by more
// than thr, at most n of them.
func suppress(boxes []ObjectBox, thr float64, n int) []ObjectBox {
	sort.SliceStable(boxes, func(i, j int) bool { return boxes[i].Score > boxes[j].Score })
	var kept []ObjectBox
	for _, b := range boxes {
		ok := true
		for _, k := range kept {
			if iou(b, k) > thr {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, b)
			if len(kept) == n {
				break
			}
		}
	}
	return kept
}
