package cellnet

import (
	"bytes"
	"math/rand"
	"testing"
)

// blobs are four classes of 12-element inputs, each a noisy copy of its
// own random prototype.
func blobs(n int, seed int64) ([][]float32, []int) {
	rng := rand.New(rand.NewSource(1))
	protos := make([][]float64, 4)
	for c := range protos {
		protos[c] = make([]float64, 12)
		for i := range protos[c] {
			protos[c][i] = rng.Float64()
		}
	}
	rng = rand.New(rand.NewSource(seed))
	var xs [][]float32
	var ys []int
	for k := 0; k < n; k++ {
		c := k % 4
		v := make([]float64, 12)
		for i := range v {
			v[i] = protos[c][i] + 0.15*rng.NormFloat64()
		}
		xs = append(xs, Prepare(nil, v))
		ys = append(ys, c)
	}
	return xs, ys
}

func argmax(p []float64) int {
	b := 0
	for i := range p {
		if p[i] > p[b] {
			b = i
		}
	}
	return b
}

func TestTrainLearnsAndIsDeterministic(t *testing.T) {
	xs, ys := blobs(800, 2)
	vx, vy := blobs(400, 3)
	var saved [][]byte
	for _, workers := range []int{1, 2} {
		n, err := New([]int{12, 16, 4}, "ABCD", 7)
		if err != nil {
			t.Fatal(err)
		}
		before := 0
		for i := range vx {
			if argmax(n.Probs(vx[i])) == vy[i] {
				before++
			}
		}
		if err := n.Train(xs, ys, TrainOptions{Epochs: 20, Batch: 32, LR: 0.01, Seed: 5, Workers: workers}); err != nil {
			t.Fatal(err)
		}
		right := 0
		for i := range vx {
			if argmax(n.Probs(vx[i])) == vy[i] {
				right++
			}
		}
		if right < 380 {
			t.Errorf("workers %d: %d of 400 held-out samples right after training (%d before), want 380 or more", workers, right, before)
		}
		b, _ := n.MarshalBinary()
		saved = append(saved, b)
		m, err := Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		for i := range vx[:20] {
			if p, q := n.Probs(vx[i]), m.Probs(vx[i]); argmax(p) != argmax(q) || p[0] != q[0] {
				t.Fatalf("parsed net differs: %v vs %v", p, q)
			}
		}
	}
	if !bytes.Equal(saved[0], saved[1]) {
		t.Error("weights depend on the number of workers")
	}
}

func TestParseRejects(t *testing.T) {
	n, _ := New([]int{3, 2}, "XY", 1)
	good, _ := n.MarshalBinary()
	for name, b := range map[string][]byte{
		"empty":     nil,
		"magic":     []byte("CNEX\x02\x00\x03\x00\x02\x00XY"),
		"truncated": good[:len(good)-1],
		"longer":    append(append([]byte(nil), good...), 0),
		"layers":    []byte("CNET\x00\x00"),
		"zero size": []byte("CNET\x02\x00\x00\x00\x02\x00XY"),
	} {
		if _, err := Parse(b); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
	if _, err := New([]int{3, 2}, "XYZ", 1); err == nil {
		t.Error("New took 3 classes for 2 outputs")
	}
	if err := n.Train([][]float32{{1, 2}}, []int{0}, TrainOptions{Epochs: 1}); err == nil {
		t.Error("Train took a sample of the wrong length")
	}
}

func FuzzParse(f *testing.F) {
	n, _ := New([]int{3, 2}, "XY", 1)
	good, _ := n.MarshalBinary()
	f.Add(good)
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := Parse(b)
		if err != nil {
			return
		}
		x := make([]float32, n.Sizes[0])
		if p := n.Probs(x); len(p) != len(n.Classes) {
			t.Fatalf("%d probabilities for %d classes", len(p), len(n.Classes))
		}
	})
}
