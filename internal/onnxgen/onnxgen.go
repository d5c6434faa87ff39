// Package onnxgen writes small ONNX models (the protobuf wire format by
// hand, pure Go) so that tests can build the models they run instead of
// shipping binary fixtures. It covers what such test models need: float
// and int64 initializers, nodes with int, ints, float and string
// attributes, and typed inputs and outputs with fixed or symbolic
// dimensions.
package onnxgen

import (
	"encoding/binary"
	"math"
)

// Element types (onnx.TensorProto.DataType).
const (
	Float = 1
	Int64 = 7
)

// Tensor is an initializer.
type Tensor struct {
	Name  string
	Dims  []int64
	Float []float32 // for Float tensors
	Int64 []int64   // for Int64 tensors
}

// Attr is a node attribute; exactly one of the value fields is used, by Kind.
type Attr struct {
	Name  string
	Kind  AttrKind
	F     float32
	I     int64
	S     string
	Ints  []int64
	Float []float32
}

// AttrKind is onnx.AttributeProto.AttributeType.
type AttrKind int

// Attribute kinds.
const (
	AttrFloat  AttrKind = 1
	AttrInt    AttrKind = 2
	AttrString AttrKind = 3
	AttrFloats AttrKind = 6
	AttrInts   AttrKind = 7
)

// Node is one operator.
type Node struct {
	Op      string
	Inputs  []string
	Outputs []string
	Attrs   []Attr
}

// Value is a graph input or output: a tensor of ElemType with Dims, where a
// negative dimension is symbolic (named by DimNames at the same index, or
// "d<i>").
type Value struct {
	Name     string
	ElemType int
	Dims     []int64
	DimNames []string
}

// Model is a single-graph model in the default (ai.onnx) domain.
type Model struct {
	Opset        int64
	Nodes        []Node
	Initializers []Tensor
	Inputs       []Value
	Outputs      []Value
}

// Marshal encodes m as an ONNX ModelProto.
func (m Model) Marshal() []byte {
	var g buf
	for _, n := range m.Nodes {
		g.msg(1, n.encode())
	}
	g.str(2, "graph")
	for _, t := range m.Initializers {
		g.msg(5, t.encode())
	}
	for _, v := range m.Inputs {
		g.msg(11, v.encode())
	}
	for _, v := range m.Outputs {
		g.msg(12, v.encode())
	}
	var opset buf
	opset.str(1, "")
	opset.varintField(2, uint64(m.Opset))

	var b buf
	b.varintField(1, 8) // ir_version 8 (ONNX 1.10+)
	b.str(2, "docscan-onnxgen")
	b.msg(7, g.b)
	b.msg(8, opset.b)
	return b.b
}

func (n Node) encode() []byte {
	var b buf
	for _, in := range n.Inputs {
		b.str(1, in)
	}
	for _, out := range n.Outputs {
		b.str(2, out)
	}
	b.str(4, n.Op)
	for _, a := range n.Attrs {
		b.msg(5, a.encode())
	}
	return b.b
}

func (a Attr) encode() []byte {
	var b buf
	b.str(1, a.Name)
	switch a.Kind {
	case AttrFloat:
		b.tag(2, 5)
		b.fixed32(math.Float32bits(a.F))
	case AttrInt:
		b.varintField(3, uint64(a.I))
	case AttrString:
		b.bytes(4, []byte(a.S))
	case AttrFloats:
		b.packedFloats(7, a.Float)
	case AttrInts:
		b.packedInts(8, a.Ints)
	}
	b.varintField(20, uint64(a.Kind))
	return b.b
}

func (t Tensor) encode() []byte {
	var b buf
	b.packedInts(1, t.Dims)
	if t.Int64 != nil {
		b.varintField(2, Int64)
		b.packedInts(7, t.Int64)
	} else {
		b.varintField(2, Float)
		b.packedFloats(4, t.Float)
	}
	b.str(8, t.Name)
	return b.b
}

func (v Value) encode() []byte {
	var shape buf
	for i, d := range v.Dims {
		var dim buf
		if d >= 0 {
			dim.varintField(1, uint64(d))
		} else {
			name := "d" + itoa(i)
			if i < len(v.DimNames) && v.DimNames[i] != "" {
				name = v.DimNames[i]
			}
			dim.str(2, name)
		}
		shape.msg(1, dim.b)
	}
	var tt buf
	tt.varintField(1, uint64(v.ElemType))
	tt.msg(2, shape.b)
	var typ buf
	typ.msg(1, tt.b)
	var b buf
	b.str(1, v.Name)
	b.msg(2, typ.b)
	return b.b
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var d []byte
	for ; i > 0; i /= 10 {
		d = append([]byte{byte('0' + i%10)}, d...)
	}
	return string(d)
}

// buf is a protobuf writer.
type buf struct{ b []byte }

func (b *buf) varint(v uint64) { b.b = binary.AppendUvarint(b.b, v) }

func (b *buf) tag(field, wire int) { b.varint(uint64(field<<3 | wire)) }

func (b *buf) varintField(field int, v uint64) {
	b.tag(field, 0)
	b.varint(v)
}

func (b *buf) fixed32(v uint32) { b.b = binary.LittleEndian.AppendUint32(b.b, v) }

func (b *buf) bytes(field int, p []byte) {
	b.tag(field, 2)
	b.varint(uint64(len(p)))
	b.b = append(b.b, p...)
}

func (b *buf) str(field int, s string) { b.bytes(field, []byte(s)) }

func (b *buf) msg(field int, p []byte) { b.bytes(field, p) }

func (b *buf) packedInts(field int, v []int64) {
	var p buf
	for _, x := range v {
		p.varint(uint64(x))
	}
	b.bytes(field, p.b)
}

func (b *buf) packedFloats(field int, v []float32) {
	var p buf
	for _, x := range v {
		p.fixed32(math.Float32bits(x))
	}
	b.bytes(field, p.b)
}
