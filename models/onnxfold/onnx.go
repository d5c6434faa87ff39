package onnxfold

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Field numbers of the ONNX messages read here (onnx.proto).
const (
	modelGraph = 7

	graphNode        = 1
	graphInitializer = 5
	graphInput       = 11
	graphOutput      = 12

	nodeInput  = 1
	nodeOutput = 2
	nodeOp     = 4
	nodeAttr   = 5

	attrName   = 1
	attrF      = 2
	attrS      = 4
	attrT      = 5
	attrG      = 6
	attrInts   = 8
	attrGraphs = 11
	attrType   = 20

	attrTypeFloat = 1

	tensorDims      = 1
	tensorDataType  = 2
	tensorFloatData = 4
	tensorName      = 8
	tensorRawData   = 9
	tensorExternal  = 13

	tensorFloat = 1

	valueInfoName = 1
)

// node is a NodeProto: its fields, with its inputs, outputs and operator
// read out; encode writes the (possibly changed) inputs, outputs and
// operator back in place of the originals.
type node struct {
	fs   []field
	op   string
	ins  []string
	outs []string
	drop bool
}

func parseNode(b []byte) (*node, error) {
	fs, err := parse(b)
	if err != nil {
		return nil, fmt.Errorf("node: %w", err)
	}
	n := &node{fs: fs}
	for _, f := range fs {
		if f.wt != wireBytes {
			continue
		}
		switch f.num {
		case nodeInput:
			n.ins = append(n.ins, string(f.data))
		case nodeOutput:
			n.outs = append(n.outs, string(f.data))
		case nodeOp:
			n.op = string(f.data)
		}
	}
	return n, nil
}

func (n *node) encode() []byte {
	fs := make([]field, 0, len(n.fs)+len(n.ins))
	in, out := 0, 0
	for _, f := range n.fs {
		switch f.num {
		case nodeInput:
			// the inputs go where the first stood, all of them
			if in == 0 {
				for _, s := range n.ins {
					fs = append(fs, bytesField(nodeInput, []byte(s)))
				}
			}
			in++
		case nodeOutput:
			if out == 0 {
				for _, s := range n.outs {
					fs = append(fs, bytesField(nodeOutput, []byte(s)))
				}
			}
			out++
		case nodeOp:
			fs = append(fs, bytesField(nodeOp, []byte(n.op)))
		default:
			fs = append(fs, f)
		}
	}
	if in == 0 {
		for _, s := range n.ins {
			fs = append(fs, bytesField(nodeInput, []byte(s)))
		}
	}
	return encode(fs)
}

// attr is the node's attribute of that name, its fields; ok false where
// it has none.
func (n *node) attr(name string) ([]field, bool) {
	for _, f := range n.fs {
		if f.num != nodeAttr || f.wt != wireBytes {
			continue
		}
		af, err := parse(f.data)
		if err != nil {
			continue
		}
		for _, a := range af {
			if a.num == attrName && a.wt == wireBytes && string(a.data) == name {
				return af, true
			}
		}
	}
	return nil, false
}

// hasSubgraph: an attribute of the node holds a graph (If, Loop, Scan),
// whose nodes may read names of the outer graph.
func (n *node) hasSubgraph() bool {
	for _, f := range n.fs {
		if f.num != nodeAttr || f.wt != wireBytes {
			continue
		}
		af, err := parse(f.data)
		if err != nil {
			return true
		}
		for _, a := range af {
			if a.num == attrG || a.num == attrGraphs {
				return true
			}
		}
	}
	return false
}

// floatAttr is the value of the node's float attribute name.
func (n *node) floatAttr(name string) (float32, bool) {
	af, ok := n.attr(name)
	if !ok {
		return 0, false
	}
	for _, a := range af {
		if a.num == attrF && a.wt == wireFixed32 {
			return math.Float32frombits(uint32(a.v)), true
		}
	}
	return 0, false
}

// intsAttr is the value of the node's ints attribute name (nil: none).
func (n *node) intsAttr(name string) ([]int64, error) {
	af, ok := n.attr(name)
	if !ok {
		return nil, nil
	}
	var out []int64
	for _, a := range af {
		if a.num != attrInts {
			continue
		}
		vs, err := varints(a)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			out = append(out, int64(v))
		}
	}
	return out, nil
}

// stringAttr is the value of the node's string attribute name.
func (n *node) stringAttr(name string) (string, bool) {
	af, ok := n.attr(name)
	if !ok {
		return "", false
	}
	for _, a := range af {
		if a.num == attrS && a.wt == wireBytes {
			return string(a.data), true
		}
	}
	return "", false
}

// newFloatAttr is an AttributeProto field holding a float.
func newFloatAttr(name string, v float32) field {
	return bytesField(nodeAttr, encode([]field{
		bytesField(attrName, []byte(name)),
		{num: attrF, wt: wireFixed32, v: uint64(math.Float32bits(v))},
		{num: attrType, wt: wireVarint, v: attrTypeFloat},
	}))
}

// readTensor reads a float TensorProto: its values and dims. ok is false
// for a tensor of another type, one stored outside the model or one whose
// values do not fill its dims.
func readTensor(b []byte) (vals []float32, dims []int64, ok bool) {
	tf, err := parse(b)
	if err != nil {
		return nil, nil, false
	}
	dt := uint64(0)
	for _, t := range tf {
		switch t.num {
		case tensorDims:
			vs, err := varints(t)
			if err != nil {
				return nil, nil, false
			}
			for _, v := range vs {
				dims = append(dims, int64(v))
			}
		case tensorDataType:
			dt = t.v
		case tensorRawData:
			if t.wt != wireBytes || len(t.data)%4 != 0 {
				return nil, nil, false
			}
			for i := 0; i < len(t.data); i += 4 {
				vals = append(vals, math.Float32frombits(binary.LittleEndian.Uint32(t.data[i:])))
			}
		case tensorFloatData:
			switch t.wt {
			case wireFixed32:
				vals = append(vals, math.Float32frombits(uint32(t.v)))
			case wireBytes:
				if len(t.data)%4 != 0 {
					return nil, nil, false
				}
				for i := 0; i < len(t.data); i += 4 {
					vals = append(vals, math.Float32frombits(binary.LittleEndian.Uint32(t.data[i:])))
				}
			}
		case tensorExternal:
			return nil, nil, false
		}
	}
	if dt != tensorFloat {
		return nil, nil, false
	}
	count := int64(1)
	for _, d := range dims {
		if d < 0 {
			return nil, nil, false
		}
		count *= d
	}
	if count != int64(len(vals)) {
		return nil, nil, false
	}
	return vals, dims, true
}

// writeTensor is the TensorProto b with its values replaced by vals (the
// same count), as raw data.
func writeTensor(b []byte, vals []float32) []byte {
	tf, err := parse(b)
	if err != nil {
		return b
	}
	kept := tf[:0:0]
	for _, t := range tf {
		if t.num != tensorFloatData && t.num != tensorRawData {
			kept = append(kept, t)
		}
	}
	raw := make([]byte, 0, 4*len(vals))
	for _, v := range vals {
		raw = binary.LittleEndian.AppendUint32(raw, math.Float32bits(v))
	}
	return encode(append(kept, bytesField(tensorRawData, raw)))
}

// constValue is where a Constant node keeps its tensor: the index of the
// attribute field and of the tensor field within it; ok false for no
// Constant or one whose value is not a tensor.
func constValue(n *node) (ai, ti int, ok bool) {
	if n == nil || n.op != "Constant" {
		return 0, 0, false
	}
	for i, f := range n.fs {
		if f.num != nodeAttr || f.wt != wireBytes {
			continue
		}
		af, err := parse(f.data)
		if err != nil {
			continue
		}
		isValue, t := false, -1
		for j, a := range af {
			switch {
			case a.num == attrName && string(a.data) == "value":
				isValue = true
			case a.num == attrT && a.wt == wireBytes:
				t = j
			}
		}
		if isValue && t >= 0 {
			return i, t, true
		}
	}
	return 0, 0, false
}

// constTensor reads the float tensor a Constant node holds.
func constTensor(n *node) ([]float32, []int64, bool) {
	ai, ti, ok := constValue(n)
	if !ok {
		return nil, nil, false
	}
	af, _ := parse(n.fs[ai].data)
	return readTensor(af[ti].data)
}

// setConst replaces the values of a Constant node's float tensor.
func setConst(n *node, vals []float32) {
	ai, ti, ok := constValue(n)
	if !ok {
		return
	}
	af, _ := parse(n.fs[ai].data)
	af[ti].data = writeTensor(af[ti].data, vals)
	n.fs[ai].data = encode(af)
}
