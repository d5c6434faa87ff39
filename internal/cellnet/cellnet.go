// Package cellnet is a small fully connected classifier (ReLU hidden
// layers, softmax output) for fixed-size image cells, in pure Go: the
// MRZ reader's OCR-B cell classifier (pipeline/ocrb_net.bin, trained by
// cmd/ocrbtrain). Inference allocates two buffers per call; training is
// deterministic for a seed (fixed sample order, fixed reduction order).
package cellnet

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand"
)

// Net is a trained classifier. Sizes[0] is the input length, the last
// size the number of classes.
type Net struct {
	Sizes   []int
	Classes string      // one byte per class, in output order
	W       [][]float32 // layer l: Sizes[l+1] rows of Sizes[l]
	B       [][]float32
}

// New is a net of the given sizes with weights drawn from seed (He
// initialization) and zero biases.
func New(sizes []int, classes string, seed int64) (*Net, error) {
	if len(sizes) < 2 || sizes[len(sizes)-1] != len(classes) {
		return nil, errors.New("cellnet: the last size must be the number of classes")
	}
	for _, s := range sizes {
		if s < 1 || s > 1<<16 {
			return nil, fmt.Errorf("cellnet: layer size %d out of range", s)
		}
	}
	rng := rand.New(rand.NewSource(seed))
	n := &Net{Sizes: append([]int(nil), sizes...), Classes: classes}
	for l := 0; l+1 < len(sizes); l++ {
		w := make([]float32, sizes[l]*sizes[l+1])
		sd := math.Sqrt(2 / float64(sizes[l]))
		for i := range w {
			w[i] = float32(rng.NormFloat64() * sd)
		}
		n.W = append(n.W, w)
		n.B = append(n.B, make([]float32, sizes[l+1]))
	}
	return n, nil
}

// Prepare turns a cell's ink coverage into the net's input: less its
// mean, scaled to unit variance per element (all zero when flat), so the
// classifier sees shape, not contrast. It writes into dst (grown to
// len(v)) and returns it.
func Prepare(dst []float32, v []float64) []float32 {
	if cap(dst) < len(v) {
		dst = make([]float32, len(v))
	}
	dst = dst[:len(v)]
	var m float64
	for _, x := range v {
		m += x
	}
	m /= float64(len(v))
	var ss float64
	for _, x := range v {
		ss += (x - m) * (x - m)
	}
	if ss < 1e-12 {
		for i := range dst {
			dst[i] = 0
		}
		return dst
	}
	k := math.Sqrt(float64(len(v)) / ss)
	for i, x := range v {
		dst[i] = float32((x - m) * k)
	}
	return dst
}

// Probs is the class probabilities of a prepared input x (len Sizes[0]).
func (n *Net) Probs(x []float32) []float64 {
	acts := n.forward(x, nil)
	return softmax(acts[len(acts)-1])
}

// forward returns every layer's activations (the input first; the last
// are the output's logits), reusing acts when given.
func (n *Net) forward(x []float32, acts [][]float32) [][]float32 {
	if acts == nil {
		acts = make([][]float32, len(n.Sizes))
		for l := 1; l < len(n.Sizes); l++ {
			acts[l] = make([]float32, n.Sizes[l])
		}
	}
	acts[0] = x
	last := len(n.W) - 1
	for l, w := range n.W {
		in, out := acts[l], acts[l+1]
		k := len(in)
		for j := range out {
			row := w[j*k : (j+1)*k]
			s := n.B[l][j]
			for i, v := range in {
				s += row[i] * v
			}
			if l < last && s < 0 {
				s = 0
			}
			out[j] = s
		}
	}
	return acts
}

func softmax(z []float32) []float64 {
	p := make([]float64, len(z))
	m := math.Inf(-1)
	for _, v := range z {
		m = math.Max(m, float64(v))
	}
	var s float64
	for i, v := range z {
		p[i] = math.Exp(float64(v) - m)
		s += p[i]
	}
	for i := range p {
		p[i] /= s
	}
	return p
}

const magic = "CNET"

// MarshalBinary writes "CNET", the layer count and sizes (uint16 LE), the
// classes, then per layer its weights and biases (float32 LE).
func (n *Net) MarshalBinary() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(magic)
	u16 := func(v int) { binary.Write(&b, binary.LittleEndian, uint16(v)) }
	u16(len(n.Sizes))
	for _, s := range n.Sizes {
		u16(s)
	}
	b.WriteString(n.Classes)
	for l := range n.W {
		binary.Write(&b, binary.LittleEndian, n.W[l])
		binary.Write(&b, binary.LittleEndian, n.B[l])
	}
	return b.Bytes(), nil
}

// Parse reads a net written by MarshalBinary.
func Parse(data []byte) (*Net, error) {
	if len(data) < 6 || string(data[:4]) != magic {
		return nil, errors.New("cellnet: not a cell net")
	}
	r := bytes.NewReader(data[4:])
	var nl uint16
	if err := binary.Read(r, binary.LittleEndian, &nl); err != nil || nl < 2 || nl > 16 {
		return nil, errors.New("cellnet: bad layer count")
	}
	sizes := make([]uint16, nl)
	if err := binary.Read(r, binary.LittleEndian, sizes); err != nil {
		return nil, fmt.Errorf("cellnet: sizes: %w", err)
	}
	n := &Net{}
	want := 0
	for i, s := range sizes {
		if s == 0 {
			return nil, errors.New("cellnet: empty layer")
		}
		n.Sizes = append(n.Sizes, int(s))
		if i > 0 {
			want += int(sizes[i-1])*int(s) + int(s)
		}
	}
	classes := make([]byte, n.Sizes[nl-1])
	if _, err := r.Read(classes); err != nil {
		return nil, fmt.Errorf("cellnet: classes: %w", err)
	}
	n.Classes = string(classes)
	if r.Len() != 4*want {
		return nil, fmt.Errorf("cellnet: %d weight bytes, want %d", r.Len(), 4*want)
	}
	for l := 0; l+1 < len(n.Sizes); l++ {
		w := make([]float32, n.Sizes[l]*n.Sizes[l+1])
		b := make([]float32, n.Sizes[l+1])
		binary.Read(r, binary.LittleEndian, w)
		binary.Read(r, binary.LittleEndian, b)
		n.W = append(n.W, w)
		n.B = append(n.B, b)
	}
	return n, nil
}
