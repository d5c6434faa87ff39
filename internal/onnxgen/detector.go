package onnxgen

// TinyDetector builds a YOLO-format detector for tests: input "images"
// [1, 3, side, side], output "output0" holding the given boxes (cx, cy, w, h
// in input pixels), each scored gain x the mean input value. A black image
// gives scores of 0 (no detections), a bright one high scores, so a test
// sees whether the input reached the model. Layout "v8" gives [1, 5, N]
// (one class), "v5" gives [1, N, 6] (objectness gain x mean, class 1).
func TinyDetector(side int64, layout string, boxes [][4]float32, gain float32) []byte {
	n := len(boxes)
	var dims []int64
	base := make([]float32, 0, 6*n)
	scale := make([]float32, 0, 6*n)
	switch layout {
	case "v5":
		dims = []int64{1, int64(n), 6}
		for _, b := range boxes {
			base = append(base, b[0], b[1], b[2], b[3], 0, 1)
			scale = append(scale, 0, 0, 0, 0, gain, 0)
		}
	default: // v8
		dims = []int64{1, 5, int64(n)}
		for r := 0; r < 5; r++ {
			for _, b := range boxes {
				if r < 4 {
					base = append(base, b[r])
					scale = append(scale, 0)
				} else {
					base = append(base, 0)
					scale = append(scale, gain)
				}
			}
		}
	}
	return Model{
		Opset: 13,
		Nodes: []Node{
			{Op: "ReduceMean", Inputs: []string{"images"}, Outputs: []string{"mean"},
				Attrs: []Attr{{Name: "axes", Kind: AttrInts, Ints: []int64{1, 2, 3}}, {Name: "keepdims", Kind: AttrInt, I: 0}}},
			{Op: "Mul", Inputs: []string{"mean", "scale"}, Outputs: []string{"scaled"}},
			{Op: "Add", Inputs: []string{"scaled", "base"}, Outputs: []string{"output0"}},
		},
		Initializers: []Tensor{{Name: "scale", Dims: dims, Float: scale}, {Name: "base", Dims: dims, Float: base}},
		Inputs:       []Value{{Name: "images", ElemType: Float, Dims: []int64{1, 3, side, side}}},
		Outputs:      []Value{{Name: "output0", ElemType: Float, Dims: dims}},
	}.Marshal()
}
