package models

import (
	"context"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"docscan/internal/onnxgen"
	"docscan/models/onnxfold"
)

// foldCase is one PP-OCR model run folded and as fetched on an input of
// the given shape.
type foldCase struct {
	name, file, in, out string
	shape               []int64
	want                onnxfold.Stats // the rewrites these exact (checksummed) models get
}

var foldCases = []foldCase{
	{"rec", RecModel, "x", "softmax_11.tmp_0", []int64{1, 3, 48, 320}, onnxfold.Stats{ConvAffine: 28, HardSwish: 28, InputAffine: 12, InputScale: 13}},
	{"det", DetModel, "x", "sigmoid_0.tmp_0", []int64{1, 3, 320, 480}, onnxfold.Stats{ConvAffine: 28, HardSwish: 24, InputAffine: 10, InputScale: 10}},
	{"cls", ClsModel, "x", "softmax_0.tmp_0", []int64{1, 3, 48, 192}, onnxfold.Stats{HardSwish: 18}},
}

// TestFoldedModels: each PP-OCR model, rewritten by onnxfold as sessions
// load it, gets the rewrites expected of it and gives the outputs of the
// model as fetched to within float rounding (1e-4 of a probability) on
// inputs of normalized-image statistics; the recognizer's readings of
// rendered lines are the same text.
func TestFoldedModels(t *testing.T) {
	a := testAssets(t)
	for _, c := range foldCases {
		t.Run(c.name, func(t *testing.T) {
			data, err := os.ReadFile(a.Model(c.file))
			if err != nil {
				t.Fatal(err)
			}
			_, st, err := onnxfold.Fold(data)
			if err != nil {
				t.Fatal(err)
			}
			st.Removed = 0
			if st != c.want {
				t.Errorf("rewrites %+v, want %+v", st, c.want)
			}
			folded, err := newSession(a.Model(c.file), c.in, c.out, SessionOptions{}, true)
			if err != nil {
				t.Fatal(err)
			}
			defer folded.Close()
			plain, err := newSession(a.Model(c.file), c.in, c.out, SessionOptions{Unfolded: true}, true)
			if err != nil {
				t.Fatal(err)
			}
			defer plain.Close()
			n := 1
			for _, d := range c.shape {
				n *= int(d)
			}
			r := rand.New(rand.NewSource(7))
			for round := 0; round < 3; round++ {
				in := make([]float32, n)
				for i := range in {
					in[i] = float32(r.NormFloat64())
				}
				want, _, err := plain.run(c.shape, in)
				if err != nil {
					t.Fatal(err)
				}
				got, _, err := folded.run(c.shape, in)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(want) {
					t.Fatalf("%d outputs, want %d", len(got), len(want))
				}
				worst := 0.0
				for i := range want {
					worst = math.Max(worst, math.Abs(float64(got[i]-want[i])))
				}
				if worst > 1e-4 {
					t.Errorf("round %d: outputs differ by up to %g", round, worst)
				}
			}
		})
	}
	t.Run("readings", func(t *testing.T) {
		folded := testRecognizer(t)
		plain, err := NewRecognizer(a, SessionOptions{Unfolded: true})
		if err != nil {
			t.Fatal(err)
		}
		defer plain.Close()
		ctx := context.Background()
		for _, w := range []int{120, 320, 700} {
			g, err := folded.Recognize(ctx, grayLine(w), nil)
			if err != nil {
				t.Fatal(err)
			}
			p, err := plain.Recognize(ctx, grayLine(w), nil)
			if err != nil {
				t.Fatal(err)
			}
			if g.Text != p.Text || math.Abs(g.Conf-p.Conf) > 1e-4 {
				t.Errorf("width %d: folded reads %q (%.5f), as fetched %q (%.5f)", w, g.Text, g.Conf, p.Text, p.Conf)
			}
		}
	})
}

// blockModel is a PP-LCNetV3 block as paddle2onnx writes it (Conv, a
// scalar affine, hard-swish in four operators, a scalar affine, a second
// Conv with the given padding), its weights as initializers, for
// TestFoldedBlock.
func blockModel(pads int64) []byte {
	r := rand.New(rand.NewSource(3))
	vals := func(n int) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = float32(r.NormFloat64())
		}
		return v
	}
	scalar := func(name string, v float32) onnxgen.Tensor {
		return onnxgen.Tensor{Name: name, Float: []float32{v}}
	}
	conv := func(in, w, b, out string, p int64) onnxgen.Node {
		return onnxgen.Node{Op: "Conv", Inputs: []string{in, w, b}, Outputs: []string{out}, Attrs: []onnxgen.Attr{
			{Name: "kernel_shape", Kind: onnxgen.AttrInts, Ints: []int64{3, 3}},
			{Name: "pads", Kind: onnxgen.AttrInts, Ints: []int64{p, p, p, p}},
		}}
	}
	return onnxgen.Model{
		Opset: 13,
		Nodes: []onnxgen.Node{
			conv("x", "w1", "b1", "c1", 1),
			{Op: "Mul", Inputs: []string{"s", "c1"}, Outputs: []string{"m1"}},
			{Op: "Add", Inputs: []string{"m1", "t"}, Outputs: []string{"a1"}},
			{Op: "Add", Inputs: []string{"a1", "three"}, Outputs: []string{"a2"}},
			{Op: "Clip", Inputs: []string{"a2", "zero", "six"}, Outputs: []string{"cl"}},
			{Op: "Mul", Inputs: []string{"a1", "cl"}, Outputs: []string{"m2"}},
			{Op: "Div", Inputs: []string{"m2", "six2"}, Outputs: []string{"hs"}},
			{Op: "Mul", Inputs: []string{"a", "hs"}, Outputs: []string{"m3"}},
			{Op: "Add", Inputs: []string{"m3", "b"}, Outputs: []string{"a3"}},
			conv("a3", "w2", "b2", "y", pads),
		},
		Initializers: []onnxgen.Tensor{
			{Name: "w1", Dims: []int64{4, 2, 3, 3}, Float: vals(72)},
			{Name: "b1", Dims: []int64{4}, Float: vals(4)},
			scalar("s", 1.7), scalar("t", -0.4), scalar("three", 3), scalar("zero", 0), scalar("six", 6),
			scalar("six2", 6), scalar("a", 0.8), scalar("b", 0.3),
			{Name: "w2", Dims: []int64{3, 4, 3, 3}, Float: vals(108)},
			{Name: "b2", Dims: []int64{3}, Float: vals(3)},
		},
		Inputs:  []onnxgen.Value{{Name: "x", ElemType: onnxgen.Float, Dims: []int64{1, 2, 9, 9}}},
		Outputs: []onnxgen.Value{{Name: "y", ElemType: onnxgen.Float, Dims: []int64{1, 3, 9 - 2 + 2*pads, 9 - 2 + 2*pads}}},
	}.Marshal()
}

// TestFoldedBlock runs a block built here, folded and not, in ONNX
// Runtime: the same outputs (the folded one's operators fewer), with the
// second convolution unpadded (the affine all folded into it) and padded
// (an Add of b/a kept: zero padding is not b).
func TestFoldedBlock(t *testing.T) {
	testAssets(t)
	for _, pads := range []int64{0, 1} {
		m := blockModel(pads)
		folded, st, err := onnxfold.Fold(m)
		if err != nil {
			t.Fatal(err)
		}
		if st.ConvAffine != 1 || st.HardSwish != 1 || st.InputAffine+st.InputScale != 1 || (pads == 0) != (st.InputAffine == 1) {
			t.Fatalf("pads %d: rewrites %+v", pads, st)
		}
		dir := t.TempDir()
		plainPath, foldedPath := filepath.Join(dir, "plain.onnx"), filepath.Join(dir, "folded.onnx")
		if err := os.WriteFile(plainPath, m, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(foldedPath, folded, 0o600); err != nil {
			t.Fatal(err)
		}
		run := func(path string, in []float32) []float32 {
			s, err := newSession(path, "x", "y", SessionOptions{Unfolded: true}, false)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			out, _, err := s.run([]int64{1, 2, 9, 9}, in)
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		r := rand.New(rand.NewSource(11))
		in := make([]float32, 2*9*9)
		for i := range in {
			in[i] = 3 * float32(r.NormFloat64()) // over hard-swish's bends at -3 and 3
		}
		want, got := run(plainPath, in), run(foldedPath, in)
		if len(got) != len(want) || len(want) == 0 {
			t.Fatalf("pads %d: %d outputs, want %d", pads, len(got), len(want))
		}
		for i := range want {
			if d := math.Abs(float64(got[i] - want[i])); d > 1e-4*math.Max(1, math.Abs(float64(want[i]))) {
				t.Fatalf("pads %d: output %d is %v folded, %v not", pads, i, got[i], want[i])
			}
		}
	}
}

// BenchmarkFolded times the recognizer (a 48 x 320 line) and the detector
// (a 736 x 1280 input, a 1280 x 720 scene's) as fetched and rewritten.
func BenchmarkFolded(b *testing.B) {
	a := testAssets(b)
	for _, c := range []foldCase{foldCases[0], {name: "det", file: DetModel, in: "x", out: "sigmoid_0.tmp_0", shape: []int64{1, 3, 736, 1280}}} {
		n := 1
		for _, d := range c.shape {
			n *= int(d)
		}
		in := make([]float32, n)
		r := rand.New(rand.NewSource(7))
		for i := range in {
			in[i] = float32(r.NormFloat64())
		}
		for _, unfolded := range []bool{true, false} {
			name := c.name + "/folded"
			if unfolded {
				name = c.name + "/as-fetched"
			}
			b.Run(name, func(b *testing.B) {
				s, err := newSession(a.Model(c.file), c.in, c.out, SessionOptions{Unfolded: unfolded}, true)
				if err != nil {
					b.Fatal(err)
				}
				defer s.Close()
				for i := 0; i < b.N; i++ {
					if _, _, err := s.run(c.shape, in); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
