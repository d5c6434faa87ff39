// Package onnxfold rewrites the PP-OCR ONNX models docscan runs into
// equivalent graphs that ONNX Runtime runs faster, in memory, when a
// session is made (the files on disk stay as fetched and checksummed).
//
// The PP-OCRv4 models were converted from PaddlePaddle (paddle2onnx), and
// their PP-LCNetV3 backbone came out as small operators ONNX Runtime does
// not fuse: each block's convolution is followed by a learnable scalar
// affine (Mul by a constant, Add of one; the constant is Mul's first input,
// which ONNX Runtime's Conv-Mul fusion does not look for), hard-swish is
// written as Add(x, 3), Clip(0, 6), Mul(x, ·), Div(·, 6), and another
// scalar affine follows it. Every one of those operators passes over the
// whole activation tensor: on this project's 2-core machine they took 10
// of the recognizer's 34 ms per 48 x 320 line, a third of its time.
//
// Fold makes three exact rewrites (up to float rounding):
//
//   - Conv, then Mul by a scalar s, then Add of a scalar t (each the only
//     reader of what came before): the convolution's weights are scaled by
//     s and its bias becomes bias·s + t (ConvAffine);
//   - hard-swish as above becomes Mul(x, HardSigmoid(x; 1/6, 1/2)), two
//     operators instead of four (HardSwish);
//   - Mul by a scalar a (not 0), then Add of a scalar b, read only by a
//     Conv's input: a scales the convolution's weights (zero padding
//     commutes with scaling); an unpadded convolution also takes b into
//     its bias (b times the sum of each output channel's weights) and both
//     operators go (InputAffine), a padded one keeps an Add of b/a
//     (InputScale).
//
// Constants are float32 tensors of Constant nodes (these models keep
// their weights there) or of initializers; a pattern whose constants are
// stored otherwise (another type, outside the model), or read by another
// node too, is left as it is. Initializers no longer read are kept. A model with
// a subgraph (If, Loop) is returned unchanged.
package onnxfold

import (
	"fmt"
	"math"
)

// Stats count the rewrites Fold made.
type Stats struct {
	ConvAffine  int // Conv·s + t folded into the convolution
	HardSwish   int // hard-swish written as x·HardSigmoid(x)
	InputAffine int // a·x + b folded into the next (unpadded) convolution
	InputScale  int // a folded into the next (padded) convolution, b/a kept
	Removed     int // nodes removed, the constants no longer read included
}

// Fold returns the model rewritten (see the package comment) and what was
// done. A model it cannot parse is an error; one with nothing to rewrite
// comes back as it was.
func Fold(model []byte) ([]byte, Stats, error) {
	var st Stats
	mf, err := parse(model)
	if err != nil {
		return nil, st, fmt.Errorf("onnx model: %w", err)
	}
	gi := -1
	for i, f := range mf {
		if f.num == modelGraph && f.wt == wireBytes {
			gi = i
		}
	}
	if gi < 0 {
		return nil, st, fmt.Errorf("onnx model: no graph")
	}
	gf, err := parse(mf[gi].data)
	if err != nil {
		return nil, st, fmt.Errorf("onnx graph: %w", err)
	}
	g := &graph{fields: gf, inits: map[string]int{}, inputs: map[string]bool{}, outputs: map[string]bool{}}
	for i, f := range gf {
		switch {
		case f.num == graphInitializer && f.wt == wireBytes:
			tf, err := parse(f.data)
			if err != nil {
				return nil, st, fmt.Errorf("onnx initializer: %w", err)
			}
			for _, t := range tf {
				if t.num == tensorName && t.wt == wireBytes {
					g.inits[string(t.data)] = i
				}
			}
		case f.num == graphNode && f.wt == wireBytes:
			n, err := parseNode(f.data)
			if err != nil {
				return nil, st, fmt.Errorf("onnx graph: %w", err)
			}
			if n.hasSubgraph() {
				return model, st, nil
			}
			g.nodes = append(g.nodes, n)
		case (f.num == graphInput || f.num == graphOutput) && f.wt == wireBytes:
			vf, err := parse(f.data)
			if err != nil {
				return nil, st, fmt.Errorf("onnx graph input or output: %w", err)
			}
			set := g.outputs
			if f.num == graphInput {
				set = g.inputs
			}
			for _, v := range vf {
				if v.num == valueInfoName && v.wt == wireBytes {
					set[string(v.data)] = true
				}
			}
		}
	}
	g.index()
	st.ConvAffine = g.foldConvAffine()
	g.index()
	st.HardSwish = g.hardSwish()
	g.index()
	st.InputAffine, st.InputScale = g.foldInputAffine()
	g.index()
	st.Removed = g.removeDropped()
	if st == (Stats{}) {
		return model, st, nil
	}
	out := make([]field, 0, len(gf))
	k := 0
	for _, f := range g.fields {
		if f.num == graphNode && f.wt == wireBytes {
			n := g.nodes[k]
			k++
			if !n.drop {
				out = append(out, bytesField(graphNode, n.encode()))
			}
			continue
		}
		out = append(out, f)
	}
	mf[gi].data = encode(out)
	return encode(mf), st, nil
}

// graph is the graph's nodes in order with who makes and who reads each
// name.
type graph struct {
	nodes   []*node        // every node, dropped ones too, in the file's order
	fields  []field        // the graph's fields (initializers are rewritten here)
	inits   map[string]int // initializer name -> index in fields
	inputs  map[string]bool
	outputs map[string]bool
	prod    map[string]*node
	users   map[string][]*node
}

// index finds again who makes and who reads each name among the nodes
// not dropped.
func (g *graph) index() {
	g.prod = map[string]*node{}
	g.users = map[string][]*node{}
	for _, n := range g.nodes {
		if n.drop {
			continue
		}
		for _, o := range n.outs {
			g.prod[o] = n
		}
		for _, in := range n.ins {
			g.users[in] = append(g.users[in], n)
		}
	}
}

// reads is how often name is read: by nodes, and once more where it is a
// graph output.
func (g *graph) reads(name string) int {
	n := len(g.users[name])
	if g.outputs[name] {
		n++
	}
	return n
}

// only is the one node that reads name, nil where more do, none do or it
// is a graph output.
func (g *graph) only(name string) *node {
	if len(g.users[name]) != 1 || g.outputs[name] {
		return nil
	}
	return g.users[name][0]
}

// tensor is the float tensor of that name, a Constant node's or an
// initializer's.
func (g *graph) tensor(name string) ([]float32, []int64, bool) {
	if n := g.prod[name]; n != nil {
		return constTensor(n)
	}
	// an initializer that is also a graph input is a default the caller
	// may replace: not a constant
	if i, ok := g.inits[name]; ok && !g.inputs[name] {
		return readTensor(g.fields[i].data)
	}
	return nil, nil, false
}

// setTensor replaces the values of the float tensor of that name.
func (g *graph) setTensor(name string, vals []float32) {
	if n := g.prod[name]; n != nil {
		setConst(n, vals)
	} else if i, ok := g.inits[name]; ok {
		g.fields[i].data = writeTensor(g.fields[i].data, vals)
	}
}

// scalar is the value of a constant holding one float read only by one
// node.
func (g *graph) scalar(name string) (float32, bool) {
	v, _, ok := g.tensor(name)
	if !ok || len(v) != 1 || g.reads(name) != 1 {
		return 0, false
	}
	return v[0], true
}

// other is the input of a two-input node that is not name ("" where
// neither or both are).
func other(n *node, name string) string {
	if len(n.ins) != 2 {
		return ""
	}
	switch name {
	case n.ins[0]:
		if n.ins[1] == name {
			return ""
		}
		return n.ins[1]
	case n.ins[1]:
		return n.ins[0]
	}
	return ""
}

// convConsts are a Conv's weights and bias when both are Constants of
// floats that only it reads (the weights four-dimensional).
func (g *graph) convConsts(conv *node) (w, b []float32, ok bool) {
	if conv.op != "Conv" || len(conv.ins) != 3 || len(conv.outs) != 1 {
		return nil, nil, false
	}
	w, wd, ok1 := g.tensor(conv.ins[1])
	b, _, ok2 := g.tensor(conv.ins[2])
	if !ok1 || !ok2 || len(wd) != 4 || len(b) == 0 || len(w)%len(b) != 0 ||
		g.reads(conv.ins[1]) != 1 || g.reads(conv.ins[2]) != 1 || int64(len(b)) != wd[0] {
		return nil, nil, false
	}
	return w, b, true
}

func (g *graph) foldConvAffine() int {
	count := 0
	for _, conv := range g.nodes {
		if conv.drop {
			continue
		}
		w, b, ok := g.convConsts(conv)
		if !ok {
			continue
		}
		mul := g.only(conv.outs[0])
		if mul == nil || mul.op != "Mul" || len(mul.outs) != 1 {
			continue
		}
		s, ok := g.scalar(other(mul, conv.outs[0]))
		if !ok {
			continue
		}
		add := g.only(mul.outs[0])
		if add == nil || add.op != "Add" || len(add.outs) != 1 {
			continue
		}
		t, ok := g.scalar(other(add, mul.outs[0]))
		if !ok {
			continue
		}
		for i := range w {
			w[i] *= s
		}
		for i := range b {
			b[i] = b[i]*s + t
		}
		g.setTensor(conv.ins[1], w)
		g.setTensor(conv.ins[2], b)
		mul.drop, add.drop = true, true
		conv.outs[0] = add.outs[0]
		g.index()
		count++
	}
	return count
}

func (g *graph) hardSwish() int {
	count := 0
	for _, add := range g.nodes {
		if add.drop || add.op != "Add" || len(add.ins) != 2 || len(add.outs) != 1 {
			continue
		}
		x := add.ins[0]
		three, ok := g.scalar(add.ins[1])
		if !ok {
			x = add.ins[1]
			if three, ok = g.scalar(add.ins[0]); !ok {
				continue
			}
		}
		if three != 3 {
			continue
		}
		clip := g.only(add.outs[0])
		if clip == nil || clip.op != "Clip" || len(clip.outs) != 1 || clip.ins[0] != add.outs[0] || !g.clipsTo(clip, 0, 6) {
			continue
		}
		mul := g.only(clip.outs[0])
		if mul == nil || mul.op != "Mul" || len(mul.outs) != 1 || other(mul, clip.outs[0]) != x {
			continue
		}
		div := g.only(mul.outs[0])
		if div == nil || div.op != "Div" || len(div.ins) != 2 || div.ins[0] != mul.outs[0] || len(div.outs) != 1 {
			continue
		}
		if six, ok := g.scalar(div.ins[1]); !ok || six != 6 {
			continue
		}
		// a graph output keeps its name: the Mul takes the Div's
		if g.reads(mul.outs[0]) != 1 {
			continue
		}
		// Clip becomes HardSigmoid(x): its inputs and attributes go
		kept := clip.fs[:0:0]
		for _, f := range clip.fs {
			if f.num != nodeInput && f.num != nodeAttr {
				kept = append(kept, f)
			}
		}
		clip.fs = append(kept, newFloatAttr("alpha", float32(1.0/6)), newFloatAttr("beta", 0.5))
		clip.op, clip.ins = "HardSigmoid", []string{x}
		add.drop, div.drop = true, true
		mul.outs[0] = div.outs[0]
		g.index()
		count++
	}
	return count
}

// clipsTo: the Clip bounds its input to [lo, hi], by attributes (before
// opset 11) or by Constant inputs.
func (g *graph) clipsTo(clip *node, lo, hi float32) bool {
	if len(clip.ins) == 1 {
		mn, ok1 := clip.floatAttr("min")
		mx, ok2 := clip.floatAttr("max")
		return ok1 && ok2 && mn == lo && mx == hi
	}
	if len(clip.ins) != 3 {
		return false
	}
	mn, _, ok1 := g.tensor(clip.ins[1])
	mx, _, ok2 := g.tensor(clip.ins[2])
	return ok1 && ok2 && len(mn) == 1 && len(mx) == 1 && mn[0] == lo && mx[0] == hi
}

// unpadded: the convolution pads nothing, explicitly or automatically.
func unpadded(conv *node) bool {
	if ap, ok := conv.stringAttr("auto_pad"); ok && ap != "NOTSET" && ap != "VALID" {
		return false
	}
	pads, err := conv.intsAttr("pads")
	if err != nil {
		return false
	}
	for _, p := range pads {
		if p != 0 {
			return false
		}
	}
	return true
}

func (g *graph) foldInputAffine() (affine, scale int) {
	for _, mul := range g.nodes {
		if mul.drop || mul.op != "Mul" || len(mul.ins) != 2 || len(mul.outs) != 1 {
			continue
		}
		x := mul.ins[1]
		a, ok := g.scalar(mul.ins[0])
		if !ok {
			x = mul.ins[0]
			if a, ok = g.scalar(mul.ins[1]); !ok {
				continue
			}
		}
		if a == 0 || math.IsInf(float64(a), 0) || math.IsNaN(float64(a)) {
			continue
		}
		add := g.only(mul.outs[0])
		if add == nil || add.op != "Add" || len(add.outs) != 1 {
			continue
		}
		bName := other(add, mul.outs[0])
		b, ok := g.scalar(bName)
		if !ok {
			continue
		}
		conv := g.only(add.outs[0])
		if conv == nil || conv.drop || len(conv.ins) != 3 || conv.ins[0] != add.outs[0] {
			continue
		}
		w, bias, ok := g.convConsts(conv)
		if !ok {
			continue
		}
		flat := unpadded(conv)
		if flat {
			per := len(w) / len(bias)
			for o := range bias {
				var sum float64
				for _, v := range w[o*per : (o+1)*per] {
					sum += float64(v)
				}
				bias[o] += float32(float64(b) * sum)
			}
			g.setTensor(conv.ins[2], bias)
		}
		for i := range w {
			w[i] *= a
		}
		g.setTensor(conv.ins[1], w)
		mul.drop = true
		if flat {
			add.drop = true
			conv.ins[0] = x
			affine++
		} else {
			// a·x + b = a·(x + b/a)
			g.setTensor(bName, []float32{b / a})
			if add.ins[0] == mul.outs[0] {
				add.ins[0] = x
			} else {
				add.ins[1] = x
			}
			scale++
		}
		g.index()
	}
	return affine, scale
}

// removeDropped drops, with the nodes already dropped, the Constants no
// node reads any more, and counts them all.
func (g *graph) removeDropped() int {
	removed := 0
	for _, n := range g.nodes {
		if !n.drop && n.op == "Constant" && len(n.outs) == 1 && g.reads(n.outs[0]) == 0 {
			n.drop = true
		}
		if n.drop {
			removed++
		}
	}
	return removed
}
