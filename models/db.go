package models

import (
	"math"
	"sort"

	"docscan/geom"
)

// DBOptions are the differentiable-binarization post-processing settings
// (PaddleOCR's defaults).
type DBOptions struct {
	Thresh      float32 // pixel threshold of the probability map (0.3)
	BoxThresh   float64 // minimum mean probability of a box (0.6)
	UnclipRatio float64 // box expansion (1.5)
	MinSize     float64 // minimum short side in map pixels (3)
	MaxBoxes    int     // keep at most this many, best first (1000)
}

func (o DBOptions) withDefaults() DBOptions {
	if o.Thresh == 0 {
		o.Thresh = 0.3
	}
	if o.BoxThresh == 0 {
		o.BoxThresh = 0.6
	}
	if o.UnclipRatio == 0 {
		o.UnclipRatio = 1.5
	}
	if o.MinSize == 0 {
		o.MinSize = 3
	}
	if o.MaxBoxes == 0 {
		o.MaxBoxes = 1000
	}
	return o
}

// Box is a detected text region in probability-map pixels.
type Box struct {
	Rect  geom.RotatedRect
	Quad  geom.Quad
	Score float64
}

// DBBoxes turns a text probability map (w x h, row-major) into rotated boxes:
// threshold, 8-connected components, mean-probability score, minimum-area
// rectangle, and the DB "unclip" expansion that undoes the shrunk training
// targets. Boxes come back sorted top to bottom, then left to right.
func DBBoxes(prob []float32, w, h int, opt DBOptions) []Box {
	opt = opt.withDefaults()
	if w <= 0 || h <= 0 || len(prob) < w*h {
		return nil
	}
	labels := make([]int32, w*h)
	var boxes []Box
	stack := make([]int32, 0, 1024)
	// Per-row extreme columns of the current component, reset after use.
	rowMin := make([]int32, h)
	rowMax := make([]int32, h)
	for i := range rowMin {
		rowMin[i], rowMax[i] = -1, -1
	}
	var next int32
	for start := 0; start < w*h; start++ {
		if labels[start] != 0 || prob[start] <= opt.Thresh {
			continue
		}
		next++
		// Flood fill; per row keep the extreme columns for the hull.
		y0, y1 := h, -1
		var sum float64
		var n int
		stack = append(stack[:0], int32(start))
		labels[start] = next
		for len(stack) > 0 {
			p := int(stack[len(stack)-1])
			stack = stack[:len(stack)-1]
			x, y := p%w, p/w
			sum += float64(prob[p])
			n++
			if rowMin[y] < 0 || int32(x) < rowMin[y] {
				rowMin[y] = int32(x)
			}
			if int32(x) > rowMax[y] {
				rowMax[y] = int32(x)
			}
			y0, y1 = min(y0, y), max(y1, y)
			for dy := -1; dy <= 1; dy++ {
				yy := y + dy
				if yy < 0 || yy >= h {
					continue
				}
				for dx := -1; dx <= 1; dx++ {
					xx := x + dx
					if xx < 0 || xx >= w || (dx == 0 && dy == 0) {
						continue
					}
					q := yy*w + xx
					if labels[q] == 0 && prob[q] > opt.Thresh {
						labels[q] = next
						stack = append(stack, int32(q))
					}
				}
			}
		}
		pts := make([]geom.Point, 0, 4*(y1-y0+1))
		for y := y0; y <= y1; y++ {
			if rowMin[y] >= 0 {
				x0, x1 := float64(rowMin[y]), float64(rowMax[y]+1)
				fy := float64(y)
				pts = append(pts, geom.Point{x0, fy}, geom.Point{x1, fy}, geom.Point{x0, fy + 1}, geom.Point{x1, fy + 1})
			}
			rowMin[y], rowMax[y] = -1, -1
		}
		if n < 4 {
			continue
		}
		score := sum / float64(n)
		if score < opt.BoxThresh {
			continue
		}
		r := geom.MinAreaRect(pts)
		if r.H < opt.MinSize {
			continue
		}
		area := r.W * r.H
		perim := 2 * (r.W + r.H)
		r = r.Expand(area * opt.UnclipRatio / perim)
		if r.H < opt.MinSize+2 {
			continue
		}
		boxes = append(boxes, Box{Rect: r, Quad: r.Quad(), Score: score})
	}
	sort.SliceStable(boxes, func(i, j int) bool { return boxes[i].Score > boxes[j].Score })
	if len(boxes) > opt.MaxBoxes {
		boxes = boxes[:opt.MaxBoxes]
	}
	sortReading(boxes)
	return boxes
}

// sortReading orders boxes top to bottom, then left to right within a line.
func sortReading(b []Box) {
	sort.SliceStable(b, func(i, j int) bool {
		ci, cj := b[i].Rect.C, b[j].Rect.C
		if math.Abs(ci[1]-cj[1]) < math.Min(b[i].Rect.H, b[j].Rect.H)/2 {
			return ci[0] < cj[0]
		}
		return ci[1] < cj[1]
	})
}
