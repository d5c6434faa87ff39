package models

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"docscan/internal/onnxgen"
)

func TestDecodeYOLOLayouts(t *testing.T) {
	// Two overlapping boxes and one apart; the weaker overlapping one goes.
	v8 := []float32{
		100, 110, 300, // cx
		100, 104, 50, // cy
		80, 80, 40, // w
		40, 40, 20, // h
		0.9, 0.6, 0.5, // class 0
		0.1, 0.2, 0.7, // class 1
	}
	cases := []struct {
		name  string
		data  []float32
		shape []int64
		o     YOLOOptions
		want  []ObjectBox
	}{
		{"v8", v8, []int64{1, 6, 3}, YOLOOptions{Layout: YOLOv8},
			[]ObjectBox{{60, 80, 140, 120, 0.9, 0}, {280, 40, 320, 60, 0.7, 1}}},
		{"v8 class filter", v8, []int64{1, 6, 3}, YOLOOptions{Layout: YOLOv8, Classes: []int{0}},
			[]ObjectBox{{60, 80, 140, 120, 0.9, 0}, {280, 40, 320, 60, 0.5, 0}}},
		{"v5", []float32{
			100, 100, 80, 40, 0.9, 1,
			300, 50, 40, 20, 0.5, 0.4, // 0.2: below the threshold
		}, []int64{1, 2, 6}, YOLOOptions{Layout: YOLOv5},
			[]ObjectBox{{60, 80, 140, 120, 0.9, 0}}},
		{"v5 normalized", []float32{0.25, 0.5, 0.1, 0.05, 1, 0.8}, []int64{1, 1, 6}, YOLOOptions{Layout: YOLOv5},
			[]ObjectBox{{80, 190, 120, 210, 0.8, 0}}},
		{"e2e", []float32{10, 20, 110, 70, 0.95, 2, 0, 0, 0, 0, 0, 0}, []int64{1, 2, 6}, YOLOOptions{Layout: YOLOEndToEnd},
			[]ObjectBox{{10, 20, 110, 70, 0.95, 2}}},
		{"clipped", []float32{5, 5, 20, 20, 1, 1}, []int64{1, 1, 6}, YOLOOptions{Layout: YOLOv5},
			[]ObjectBox{{0, 0, 15, 15, 1, 0}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := DecodeYOLO(c.data, c.shape, 400, 400, c.o)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
			for i := range got {
				g, w := got[i], c.want[i]
				if math.Abs(g.X0-w.X0) > 1e-3 || math.Abs(g.Y0-w.Y0) > 1e-3 || math.Abs(g.X1-w.X1) > 1e-3 ||
					math.Abs(g.Y1-w.Y1) > 1e-3 || math.Abs(g.Score-w.Score) > 1e-6 || g.Class != w.Class {
					t.Errorf("box %d: got %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

// With the layout left to DecodeYOLO, the long dimension is the box count.
func TestDecodeYOLOAuto(t *testing.T) {
	const n = 100
	v8 := make([]float32, 5*n)
	v8[0], v8[n], v8[2*n], v8[3*n], v8[4*n] = 50, 60, 20, 10, 0.8
	v5 := make([]float32, 6*n)
	copy(v5, []float32{50, 60, 20, 10, 1, 0.8})
	for _, c := range []struct {
		data  []float32
		shape []int64
	}{{v8, []int64{1, 5, n}}, {v5, []int64{1, n, 6}}} {
		got, err := DecodeYOLO(c.data, c.shape, 640, 640, YOLOOptions{})
		if err != nil || len(got) != 1 || got[0] != (ObjectBox{40, 55, 60, 65, 0.800000011920929, 0}) {
			t.Errorf("%v: %+v, %v", c.shape, got, err)
		}
	}
}

func TestDecodeYOLOBadOutput(t *testing.T) {
	bad := []struct {
		data  []float32
		shape []int64
		o     YOLOOptions
	}{
		{make([]float32, 5), []int64{1, 2, 3}, YOLOOptions{}},
		{nil, []int64{1, 0, 6}, YOLOOptions{}},
		{make([]float32, 4), []int64{1, 4, 1}, YOLOOptions{Layout: YOLOv8}},
		{make([]float32, 8), []int64{1, 2, 4}, YOLOOptions{Layout: YOLOv5}},
		{make([]float32, 10), []int64{1, 2, 5}, YOLOOptions{Layout: YOLOEndToEnd}},
		{make([]float32, 6), []int64{6}, YOLOOptions{}},
		{make([]float32, 6), []int64{1, 1, 6}, YOLOOptions{Layout: "v7"}},
	}
	for i, b := range bad {
		if _, err := DecodeYOLO(b.data, b.shape, 640, 640, b.o); err == nil {
			t.Errorf("case %d: no error", i)
		}
	}
}

// TestObjectDetectorRunsTinyModel loads a YOLO-format model the test builds
// itself and checks that the input reaches it (a black image gives no
// detection, a white one the model's boxes) and the output is decoded.
func TestObjectDetectorRunsTinyModel(t *testing.T) {
	testAssets(t)
	for _, layout := range []string{"v8", "v5"} {
		path := filepath.Join(t.TempDir(), "tiny.onnx")
		boxes := [][4]float32{{320, 320, 200, 60}, {100, 500, 80, 40}}
		if err := os.WriteFile(path, onnxgen.TinyDetector(640, layout, boxes, 0.9), 0o600); err != nil {
			t.Fatal(err)
		}
		d, err := NewObjectDetector(path, SessionOptions{}, YOLOOptions{Layout: layout})
		if err != nil {
			t.Fatalf("%s: %v", layout, err)
		}
		if w, h := d.InputSize(); w != 640 || h != 640 {
			t.Errorf("%s: input size %dx%d", layout, w, h)
		}
		in := make([]float32, 3*640*640)
		got, err := d.Detect(context.Background(), in)
		if err != nil || len(got) != 0 {
			t.Errorf("%s: black image: %v, %v", layout, got, err)
		}
		for i := range in {
			in[i] = 1
		}
		got, err = d.Detect(context.Background(), in)
		if err != nil || len(got) != 2 {
			t.Fatalf("%s: white image: %v, %v", layout, got, err)
		}
		if b := got[0]; math.Abs(b.X0-220) > 1e-3 || math.Abs(b.Y1-350) > 1e-3 || math.Abs(b.Score-0.9) > 1e-5 {
			t.Errorf("%s: first box %+v", layout, b)
		}
		if _, err := d.Detect(context.Background(), in[:10]); err == nil {
			t.Errorf("%s: short tensor accepted", layout)
		}
		d.Close()
		d.Close()
	}
	// Not a detector: the text recognizer has a rank-4 input of another
	// shape and a rank-3 output; a file that is not a model fails to load.
	junk := filepath.Join(t.TempDir(), "junk.onnx")
	os.WriteFile(junk, []byte("not a model"), 0o600)
	if _, err := NewObjectDetector(junk, SessionOptions{}, YOLOOptions{}); err == nil {
		t.Error("junk model loaded")
	}
}
