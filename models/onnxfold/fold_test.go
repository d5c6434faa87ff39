package onnxfold

import (
	"encoding/binary"
	"math"
	"slices"
	"testing"

	"docscan/internal/onnxgen"
)

// A tiny ONNX model built field by field: enough of onnx.proto for Fold.

type tnode struct {
	op    string
	ins   []string
	outs  []string
	attrs []field
}

func constNode(name string, dims []int64, vals ...float32) tnode {
	var tf []field
	for _, d := range dims {
		tf = append(tf, field{num: tensorDims, wt: wireVarint, v: uint64(d)})
	}
	tf = append(tf, field{num: tensorDataType, wt: wireVarint, v: tensorFloat})
	raw := make([]byte, 0, 4*len(vals))
	for _, v := range vals {
		raw = binary.LittleEndian.AppendUint32(raw, math.Float32bits(v))
	}
	tf = append(tf, bytesField(tensorRawData, raw))
	attr := bytesField(nodeAttr, encode([]field{bytesField(attrName, []byte("value")), bytesField(attrT, encode(tf))}))
	return tnode{op: "Constant", outs: []string{name}, attrs: []field{attr}}
}

func intsAttrField(name string, vs ...int64) field {
	fs := []field{bytesField(attrName, []byte(name))}
	for _, v := range vs {
		fs = append(fs, field{num: attrInts, wt: wireVarint, v: uint64(v)})
	}
	return bytesField(nodeAttr, encode(fs))
}

func (n tnode) field() field {
	var fs []field
	for _, s := range n.ins {
		fs = append(fs, bytesField(nodeInput, []byte(s)))
	}
	for _, s := range n.outs {
		fs = append(fs, bytesField(nodeOutput, []byte(s)))
	}
	fs = append(fs, bytesField(nodeOp, []byte(n.op)))
	fs = append(fs, n.attrs...)
	return bytesField(graphNode, encode(fs))
}

func modelOf(nodes []tnode, outputs ...string) []byte {
	var gf []field
	for _, n := range nodes {
		gf = append(gf, n.field())
	}
	for _, o := range outputs {
		gf = append(gf, bytesField(graphOutput, encode([]field{bytesField(valueInfoName, []byte(o))})))
	}
	return encode([]field{
		{num: 1, wt: wireVarint, v: 8}, // ir_version
		bytesField(modelGraph, encode(gf)),
	})
}

// readModel is the nodes of a model, for the checks.
func readModel(t *testing.T, b []byte) []*node {
	t.Helper()
	mf, err := parse(b)
	if err != nil {
		t.Fatal(err)
	}
	var nodes []*node
	for _, f := range mf {
		if f.num != modelGraph {
			continue
		}
		gf, err := parse(f.data)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range gf {
			if g.num == graphNode {
				n, err := parseNode(g.data)
				if err != nil {
					t.Fatal(err)
				}
				nodes = append(nodes, n)
			}
		}
	}
	return nodes
}

func ops(nodes []*node) []string {
	var out []string
	for _, n := range nodes {
		if n.op != "Constant" {
			out = append(out, n.op)
		}
	}
	return out
}

func constOf(t *testing.T, nodes []*node, name string) []float32 {
	t.Helper()
	for _, n := range nodes {
		if n.op == "Constant" && n.outs[0] == name {
			v, _, ok := constTensor(n)
			if !ok {
				t.Fatalf("constant %s unreadable", name)
			}
			return v
		}
	}
	t.Fatalf("no constant %s", name)
	return nil
}

// block is a PP-LCNetV3 block as paddle2onnx writes it: Conv, scalar
// affine, hard-swish in four operators, scalar affine, then a second
// convolution with the given pads reading it.
func block(pads int64) []tnode {
	return []tnode{
		constNode("w1", []int64{2, 1, 1, 1}, 1, 2),
		constNode("b1", []int64{2}, 0.5, -0.5),
		{op: "Conv", ins: []string{"x", "w1", "b1"}, outs: []string{"c1"}, attrs: []field{intsAttrField("pads", 0, 0, 0, 0)}},
		constNode("s", nil, 3),
		{op: "Mul", ins: []string{"s", "c1"}, outs: []string{"m1"}},
		constNode("t", nil, 1),
		{op: "Add", ins: []string{"m1", "t"}, outs: []string{"a1"}},
		constNode("three", nil, 3),
		{op: "Add", ins: []string{"a1", "three"}, outs: []string{"a2"}},
		constNode("lo", nil, 0),
		constNode("hi", nil, 6),
		{op: "Clip", ins: []string{"a2", "lo", "hi"}, outs: []string{"cl"}},
		{op: "Mul", ins: []string{"a1", "cl"}, outs: []string{"m2"}},
		constNode("six", nil, 6),
		{op: "Div", ins: []string{"m2", "six"}, outs: []string{"hs"}},
		constNode("a", nil, 2),
		{op: "Mul", ins: []string{"a", "hs"}, outs: []string{"m3"}},
		constNode("b", nil, 4),
		{op: "Add", ins: []string{"m3", "b"}, outs: []string{"a3"}},
		constNode("w2", []int64{1, 2, 1, 1}, 1, 10),
		constNode("b2", []int64{1}, 100),
		{op: "Conv", ins: []string{"a3", "w2", "b2"}, outs: []string{"y"}, attrs: []field{intsAttrField("pads", pads, pads, pads, pads)}},
	}
}

func TestFoldBlock(t *testing.T) {
	out, st, err := Fold(modelOf(block(0), "y"))
	if err != nil {
		t.Fatal(err)
	}
	if st.ConvAffine != 1 || st.HardSwish != 1 || st.InputAffine != 1 || st.InputScale != 0 {
		t.Fatalf("stats %+v", st)
	}
	nodes := readModel(t, out)
	if got, want := ops(nodes), []string{"Conv", "HardSigmoid", "Mul", "Conv"}; !slices.Equal(got, want) {
		t.Fatalf("ops %v, want %v", got, want)
	}
	// Conv·3 + 1: weights 3, 6, bias 0.5·3+1, -0.5·3+1
	if w := constOf(t, nodes, "w1"); !slices.Equal(w, []float32{3, 6}) {
		t.Errorf("w1 %v", w)
	}
	if b := constOf(t, nodes, "b1"); !slices.Equal(b, []float32{2.5, -0.5}) {
		t.Errorf("b1 %v", b)
	}
	// 2·x + 4 into the unpadded 1x1 conv: weights 2, 20, bias 100 + 4·11
	if w := constOf(t, nodes, "w2"); !slices.Equal(w, []float32{2, 20}) {
		t.Errorf("w2 %v", w)
	}
	if b := constOf(t, nodes, "b2"); !slices.Equal(b, []float32{144}) {
		t.Errorf("b2 %v", b)
	}
	for _, n := range nodes {
		switch n.op {
		case "HardSigmoid":
			alpha, ok1 := n.floatAttr("alpha")
			beta, ok2 := n.floatAttr("beta")
			if !ok1 || !ok2 || alpha != float32(1.0/6) || beta != 0.5 || !slices.Equal(n.ins, []string{"a1"}) {
				t.Errorf("HardSigmoid %v alpha %v beta %v", n.ins, alpha, beta)
			}
		case "Mul":
			if !slices.Equal(n.outs, []string{"hs"}) || !slices.Contains(n.ins, "a1") || !slices.Contains(n.ins, "cl") {
				t.Errorf("hard-swish Mul %v -> %v", n.ins, n.outs)
			}
		case "Conv":
			if n.outs[0] == "y" && n.ins[0] != "hs" {
				t.Errorf("second conv reads %s", n.ins[0])
			}
			if n.outs[0] != "y" && n.outs[0] != "a1" {
				t.Errorf("first conv writes %s", n.outs[0])
			}
		case "Constant":
			if n.outs[0] == "s" || n.outs[0] == "three" || n.outs[0] == "six" {
				t.Errorf("constant %s no longer read is kept", n.outs[0])
			}
		}
	}
}

// A padded convolution reads zeros beyond the border, not b: the scale
// goes into its weights and an Add of b/a stays.
func TestFoldPaddedInput(t *testing.T) {
	out, st, err := Fold(modelOf(block(1), "y"))
	if err != nil {
		t.Fatal(err)
	}
	if st.InputAffine != 0 || st.InputScale != 1 {
		t.Fatalf("stats %+v", st)
	}
	nodes := readModel(t, out)
	if got, want := ops(nodes), []string{"Conv", "HardSigmoid", "Mul", "Add", "Conv"}; !slices.Equal(got, want) {
		t.Fatalf("ops %v, want %v", got, want)
	}
	if b := constOf(t, nodes, "b"); !slices.Equal(b, []float32{2}) {
		t.Errorf("b/a %v", b)
	}
	if b := constOf(t, nodes, "b2"); !slices.Equal(b, []float32{100}) {
		t.Errorf("padded conv's bias changed: %v", b)
	}
}

// What the rewrites must leave alone.
func TestFoldLeavesAlone(t *testing.T) {
	replace := func(ns []tnode, i int, n tnode) []tnode {
		out := slices.Clone(ns)
		out[i] = n
		return out
	}
	find := func(ns []tnode, out string) int {
		for i, n := range ns {
			if slices.Contains(n.outs, out) {
				return i
			}
		}
		t.Fatalf("no node writes %s", out)
		return -1
	}
	b := block(0)
	cases := []struct {
		name  string
		nodes []tnode
		outs  []string
		want  Stats
	}{
		{"conv output read twice", append(slices.Clone(b), tnode{op: "Relu", ins: []string{"c1"}, outs: []string{"r"}}), []string{"y", "r"},
			Stats{HardSwish: 1, InputAffine: 1}},
		{"a name folded away is a graph output", b, []string{"y", "m1", "cl"}, Stats{InputAffine: 1}},
		{"clip to 0..5", replace(b, find(b, "hi"), constNode("hi", nil, 5)), []string{"y"}, Stats{ConvAffine: 1, InputAffine: 1}},
		{"add of 2", replace(b, find(b, "three"), constNode("three", nil, 2)), []string{"y"}, Stats{ConvAffine: 1, InputAffine: 1}},
		{"per-channel scale", replace(b, find(b, "s"), constNode("s", []int64{2, 1, 1}, 1, 2)), []string{"y"}, Stats{HardSwish: 1, InputAffine: 1}},
		{"zero scale", replace(b, find(b, "a"), constNode("a", nil, 0)), []string{"y"}, Stats{ConvAffine: 1, HardSwish: 1}},
		{"shared weights", append(slices.Clone(b), tnode{op: "Relu", ins: []string{"w2"}, outs: []string{"r"}}), []string{"y", "r"},
			Stats{ConvAffine: 1, HardSwish: 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, st, err := Fold(modelOf(c.nodes, c.outs...))
			if err != nil {
				t.Fatal(err)
			}
			st.Removed = 0
			if st != c.want {
				t.Errorf("stats %+v, want %+v", st, c.want)
			}
		})
	}
}

// A model with nothing to rewrite comes back byte for byte.
func TestFoldNothing(t *testing.T) {
	m := modelOf([]tnode{{op: "Relu", ins: []string{"x"}, outs: []string{"y"}}}, "y")
	out, st, err := Fold(m)
	if err != nil || st != (Stats{}) || !slices.Equal(out, m) {
		t.Fatalf("got %d bytes, %+v, %v", len(out), st, err)
	}
}

func TestFoldBadInput(t *testing.T) {
	for _, b := range [][]byte{
		{0x3a, 0x05, 0x0a}, // graph field longer than the data
		{0xff},             // truncated key
		{0x0b, 0x00},       // group wire type
		encode([]field{{num: 1, wt: wireVarint, v: 8}}), // no graph
	} {
		if _, _, err := Fold(b); err == nil {
			t.Errorf("% x: no error", b)
		}
	}
}

func FuzzFold(f *testing.F) {
	f.Add(modelOf(block(0), "y"))
	f.Add(modelOf(block(1), "y"))
	f.Add([]byte{0x3a, 0x02, 0x0a, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		out, _, err := Fold(b)
		if err != nil {
			return
		}
		// what Fold writes it reads again, to the same
		again, _, err := Fold(out)
		if err != nil {
			t.Fatalf("folded model unreadable: %v", err)
		}
		if !slices.Equal(again, out) {
			t.Fatalf("folding twice changed the model again")
		}
	})
}

// Weights kept as initializers fold too, unless the caller may replace
// them (an initializer also declared a graph input is only a default).
func TestFoldInitializers(t *testing.T) {
	model := func(scaleIsInput bool) []byte {
		m := onnxgen.Model{
			Opset: 13,
			Nodes: []onnxgen.Node{
				{Op: "Conv", Inputs: []string{"x", "w", "bias"}, Outputs: []string{"c"}},
				{Op: "Mul", Inputs: []string{"c", "s"}, Outputs: []string{"m"}},
				{Op: "Add", Inputs: []string{"m", "t"}, Outputs: []string{"y"}},
			},
			Initializers: []onnxgen.Tensor{
				{Name: "w", Dims: []int64{2, 1, 1, 1}, Float: []float32{1, 2}},
				{Name: "bias", Dims: []int64{2}, Float: []float32{1, 1}},
				{Name: "s", Float: []float32{2}},
				{Name: "t", Float: []float32{5}},
			},
			Inputs:  []onnxgen.Value{{Name: "x", ElemType: onnxgen.Float, Dims: []int64{1, 1, 2, 2}}},
			Outputs: []onnxgen.Value{{Name: "y", ElemType: onnxgen.Float, Dims: []int64{1, 2, 2, 2}}},
		}
		if scaleIsInput {
			m.Inputs = append(m.Inputs, onnxgen.Value{Name: "s", ElemType: onnxgen.Float})
		}
		return m.Marshal()
	}
	out, st, err := Fold(model(false))
	if err != nil || st.ConvAffine != 1 {
		t.Fatalf("initializers: %+v, %v", st, err)
	}
	mf, _ := parse(out)
	var w, b []float32
	for _, f := range mf {
		if f.num != modelGraph {
			continue
		}
		gf, _ := parse(f.data)
		for _, g := range gf {
			if g.num != graphInitializer {
				continue
			}
			vals, _, _ := readTensor(g.data)
			tf, _ := parse(g.data)
			for _, x := range tf {
				switch {
				case x.num == tensorName && string(x.data) == "w":
					w = vals
				case x.num == tensorName && string(x.data) == "bias":
					b = vals
				}
			}
		}
	}
	if !slices.Equal(w, []float32{2, 4}) || !slices.Equal(b, []float32{7, 7}) {
		t.Errorf("weights %v, bias %v; want [2 4], [7 7]", w, b)
	}
	if _, st, err := Fold(model(true)); err != nil || st != (Stats{}) {
		t.Errorf("a scale the caller may feed was folded: %+v, %v", st, err)
	}
}
