package models

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

// probsFor builds a CTC output where each step puts probability p on one
// key (index into keys) and the rest on blank.
func probsFor(nk int, steps []int, p float32) []float32 {
	out := make([]float32, len(steps)*nk)
	for s, k := range steps {
		out[s*nk] = 1 - p
		if k > 0 {
			out[s*nk+k] = p
		} else {
			out[s*nk] = 1
		}
	}
	return out
}

func TestDecodeGreedyAndCells(t *testing.T) {
	r := &Recognizer{keys: []string{"", "A", "B", "<", "x"}}
	nk := len(r.keys)
	// "AB<" printed at a pitch of 3 steps; the middle B is weak (0.4)
	// and lost to blank in greedy decoding; a lower-case x is not allowed.
	steps := []int{1, 1, 0, 4, 0, 0, 3, 3, 0}
	probs := probsFor(nk, steps, 0.9)
	probs[4*nk+2] = 0.45 // a B under the x
	probs[4*nk+4] = 0.5
	probs[4*nk] = 0.05
	cs := r.Charset("AB<")
	g := r.decode(probs, len(steps), 1, cs)
	if g.Text != "AB<" {
		t.Fatalf("greedy %q", g.Text)
	}
	g2 := r.decode(probs, len(steps), 1, nil)
	if g2.Text != "Ax<" {
		t.Fatalf("unrestricted %q", g2.Text)
	}
	// Drop the B entirely from greedy: fixed-pitch cells still find it.
	probs[4*nk+2] = 0.2
	probs[4*nk] = 0.8
	probs[4*nk+4] = 0
	g = r.decode(probs, len(steps), 1, cs)
	if g.Text != "A<" {
		t.Fatalf("greedy without B: %q", g.Text)
	}
	cells := r.decodeCells(probs, len(steps), 1, cs, g, 3)
	if cells.Text != "AB<" || len(cells.Chars) != 3 {
		t.Fatalf("cells %q", cells.Text)
	}
	if p := cells.Chars[1].Prob; p < 0.19 || p > 0.21 {
		t.Errorf("cell B probability %.2f", p)
	}
	// Fewer than two characters: nothing to span.
	if c := r.decodeCells(probs, len(steps), 1, cs, Text{Text: "A", Chars: g.Chars[:1]}, 3); c.Text != "A" {
		t.Errorf("single char: %q", c.Text)
	}
}

func TestRecWidthBuckets(t *testing.T) {
	for _, c := range [][2]int{{1, 320}, {320, 320}, {321, 384}, {700, 768}, {1281, 1536}, {3072, 3072}, {3073, 0}} {
		if got := recWidth(c[0]); got != c[1] {
			t.Errorf("recWidth(%d) = %d, want %d", c[0], got, c[1])
		}
	}
	for i := 1; i < len(recWidths); i++ {
		if recWidths[i] <= recWidths[i-1] || recWidths[i]%64 != 0 || float64(recWidths[i]) > 1.25*float64(recWidths[i-1]) {
			t.Errorf("widths %d, %d: not increasing by at most a quarter in multiples of 64", recWidths[i-1], recWidths[i])
		}
	}
}

// TestInferIntoBuffers reads the same lines through both output paths: the
// first run at a width copies ONNX Runtime's output (and learns its time
// steps), later ones have it written into a reused buffer. Every
// probability must be the same, whichever buffer a run got (a released
// one of a wider or narrower line included), and a released output reads
// as empty.
func TestInferIntoBuffers(t *testing.T) {
	r := testRecognizer(t)
	ctx := context.Background()
	widths := []int{300, 1000, 640}
	first := map[int][]float32{}
	for _, w := range widths {
		o, err := r.Infer(ctx, grayLine(w))
		if err != nil {
			t.Fatal(err)
		}
		first[w] = append([]float32(nil), o.probs...)
		o.Release()
	}
	if len(r.steps) != len(widths) {
		t.Fatalf("learnt %d widths' steps, want %d", len(r.steps), len(widths))
	}
	for round := 0; round < 2; round++ {
		for _, w := range []int{1000, 300, 640, 1000} {
			o, err := r.Infer(ctx, grayLine(w))
			if err != nil {
				t.Fatal(err)
			}
			if len(o.probs) != len(first[w]) {
				t.Fatalf("width %d: %d probabilities, want %d", w, len(o.probs), len(first[w]))
			}
			for i, p := range o.probs {
				if p != first[w][i] {
					t.Fatalf("width %d, round %d: probability %d is %v, want %v", w, round, i, p, first[w][i])
				}
			}
			want := (&Output{r: r, probs: first[w], steps: o.steps, ratio: o.ratio}).Greedy(nil)
			if got := o.Greedy(nil); got.Text != want.Text || got.Conf != want.Conf {
				t.Fatalf("width %d: reads %q (%v), want %q (%v)", w, got.Text, got.Conf, want.Text, want.Conf)
			}
			o.Release()
			if got := o.Greedy(nil); got.Text != "" || len(got.Chars) != 0 {
				t.Fatalf("released output reads %q", got.Text)
			}
			o.Release() // twice is harmless
		}
	}
	if len(r.free) > maxFree {
		t.Errorf("%d buffers kept, at most %d", len(r.free), maxFree)
	}
}

// TestCHW48IntoReusedBuffer: a reused input buffer, dirty and longer than
// needed, gives the same tensor as a fresh one (the padding zeroed).
func TestCHW48IntoReusedBuffer(t *testing.T) {
	dirty := make([]float32, 3*48*1024)
	for i := range dirty {
		dirty[i] = 7
	}
	for _, c := range []struct{ w, padW int }{{300, 320}, {500, 512}, {1000, 1024}} {
		want := chw48(grayLine(c.w), c.padW)
		got := chw48Into(dirty, grayLine(c.w), c.padW)
		if len(got) != len(want) {
			t.Fatalf("width %d: %d values, want %d", c.w, len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("width %d: value %d is %v, want %v", c.w, i, got[i], want[i])
			}
		}
		dirty = got
	}
}

// TestRecognizerFork: a recognizer and its fork run on one session at
// once, each from its own goroutine, give what the recognizer gives alone,
// keep buffers of their own, and the fork's Close leaves the session to
// the recognizer.
func TestRecognizerFork(t *testing.T) {
	r := testRecognizer(t)
	ctx := context.Background()
	widths := []int{300, 1000, 640, 480, 1200, 360}
	want := map[int][]float32{}
	for _, w := range widths {
		o, err := r.Infer(ctx, grayLine(w))
		if err != nil {
			t.Fatal(err)
		}
		want[w] = append([]float32(nil), o.probs...)
	}
	f := r.Fork()
	errs := make(chan error, 2)
	for _, rec := range []*Recognizer{r, f} {
		go func() {
			for round := 0; round < 3; round++ {
				for _, w := range widths {
					o, err := rec.Infer(ctx, grayLine(w))
					if err != nil {
						errs <- err
						return
					}
					if !slices.Equal(o.probs, want[w]) {
						errs <- fmt.Errorf("width %d read apart from the recognizer alone", w)
						return
					}
				}
			}
			errs <- nil
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	f.steps[1<<30] = 1
	if _, shared := r.steps[1<<30]; shared || &f.in[0] == &r.in[0] {
		t.Fatal("the fork shares the recognizer's buffers")
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Infer(ctx, grayLine(300)); err != nil {
		t.Fatalf("the recognizer after its fork's Close: %v", err)
	}
}
