package models

import (
	"bufio"
	"context"
	"fmt"
	"image"
	"maps"
	"math"
	"os"
	"sort"
	"strings"
	"sync"
)

// Alt is one alternative reading of a character with its probability.
type Alt struct {
	Char string  `json:"char"`
	Prob float64 `json:"prob"`
}

// Char is one recognized character: the best reading, its probability, the
// next alternatives from the allowed set, and its horizontal extent as
// fractions of the crop width.
type Char struct {
	Char   string
	Prob   float64
	Alts   []Alt
	X0, X1 float64
}

// Text is a recognized line.
type Text struct {
	Text  string
	Conf  float64 // mean character probability (0 for an empty line)
	Chars []Char
}

// Charset restricts decoding to a set of characters; nil allows all.
type Charset struct{ allowed []bool }

// Recognizer runs the PP-OCRv4 CTC recognition model. Not safe for
// concurrent use: each worker owns one (and may Fork it for a second
// goroutine).
type Recognizer struct {
	s    *session
	fork bool     // a Fork: the session is another's
	keys []string // index 0 is the CTC blank
	// steps is the output's time steps per input width, learnt from the
	// first run at that width; later runs at it write their output
	// straight into a buffer (session.runInto).
	steps map[int]int64
	// free holds the output buffers handed back by Output.Release, for
	// the next runs (at most maxFree).
	free [][]float32
	// in is the input tensor's buffer, reused by every run.
	in []float32
	// keyIdx maps each character to its label (Knows, Output.Spot),
	// made once
	keyOnce sync.Once
	keyIdx  map[string]int
}

// recKeepWidth is the widest input (pixels) after which the recognizer
// keeps its arena even where the session shrinks it: about 25 MB after a
// 1536-pixel line (a TD3 line is read at 1280), 61 MB after 3072, which
// is still handed back. The recognizer runs tens of times per scan;
// shrunk after each run, every run took its pages afresh (over the 300
// synthetic plate scenes in one worker, 8% of the wall time).
const recKeepWidth = 1536

// maxFree bounds the released output buffers a recognizer keeps (each up
// to 10 MB for the widest input).
const maxFree = 2

// NewRecognizer loads the recognition model and its character list.
func NewRecognizer(a Assets, so SessionOptions) (*Recognizer, error) {
	keys, err := loadKeys(a.Model(RecKeys))
	if err != nil {
		return nil, err
	}
	s, err := newSession(a.Model(RecModel), "x", "softmax_11.tmp_0", so, true)
	if err != nil {
		return nil, err
	}
	s.keep = 3 * 48 * recKeepWidth
	return &Recognizer{s: s, keys: keys, steps: map[int]int64{}}, nil
}

func loadKeys(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load recognition keys: %w", err)
	}
	defer f.Close()
	keys := []string{""} // blank
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		keys = append(keys, strings.TrimRight(sc.Text(), "\r\n"))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("load recognition keys: %w", err)
	}
	keys = append(keys, " ")
	return keys, nil
}

// Charset builds a decoding restriction from the characters in chars.
func (r *Recognizer) Charset(chars string) *Charset {
	want := map[string]bool{}
	for _, c := range chars {
		want[string(c)] = true
	}
	cs := &Charset{allowed: make([]bool, len(r.keys))}
	for i, k := range r.keys {
		cs.allowed[i] = want[k]
	}
	return cs
}

// Recognize reads one text line. The crop should be 48 pixels high (wider
// crops are read whole; narrow ones are padded to 320 pixels). cs may be nil.
func (r *Recognizer) Recognize(ctx context.Context, line image.Image, cs *Charset) (Text, error) {
	t, err := r.RecognizeAs(ctx, line, cs)
	if err != nil {
		return Text{}, err
	}
	return t[0], nil
}

// RecognizeAs runs the model once and decodes its output once per charset
// (nil: unrestricted), so several readings cost one inference.
func (r *Recognizer) RecognizeAs(ctx context.Context, line image.Image, css ...*Charset) ([]Text, error) {
	o, err := r.Infer(ctx, line)
	if err != nil {
		return nil, err
	}
	if len(css) == 0 {
		css = []*Charset{nil}
	}
	defer o.Release()
	out := make([]Text, len(css))
	for i, cs := range css {
		out[i] = o.Greedy(cs)
	}
	return out, nil
}

// Output is one inference of the recognizer: the per-step character
// probabilities, to be decoded as often as needed.
type Output struct {
	r     *Recognizer
	probs []float32
	steps int
	ratio float64 // padded width / crop width
}

// Release hands the output's buffer back to its recognizer for a later
// run; the output reads as empty afterwards. Optional: an output never
// released is collected as any Go value. Not safe while the recognizer
// runs in another goroutine (neither is the recognizer).
func (o *Output) Release() {
	if o == nil || o.probs == nil {
		return
	}
	if r := o.r; len(r.free) < maxFree {
		r.free = append(r.free, o.probs[:cap(o.probs)])
	}
	o.probs, o.steps = nil, 0
}

// Greedy is greedy CTC decoding restricted to cs (nil: all characters).
func (o *Output) Greedy(cs *Charset) Text { return o.r.decode(o.probs, o.steps, o.ratio, cs) }

// Cells reads a fixed-pitch line (an MRZ line) of exactly n characters: one
// per cell between the first and the last character of the greedy reading
// g, each the most probable allowed character within its cell. A character
// the greedy decoding dropped or doubled still gets its cell.
func (o *Output) Cells(cs *Charset, g Text, n int) Text {
	return o.r.decodeCells(o.probs, o.steps, o.ratio, cs, g, n)
}

// Infer runs the model on a 48-pixel-high line crop (wider crops are read
// whole; narrow ones are padded to 320 pixels).
func (r *Recognizer) Infer(ctx context.Context, line image.Image) (*Output, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b := line.Bounds()
	if b.Dy() != 48 || b.Dx() < 1 {
		return nil, fmt.Errorf("recognize: crop is %dx%d, want height 48", b.Dx(), b.Dy())
	}
	padW := recWidth(b.Dx())
	if padW == 0 {
		return nil, fmt.Errorf("recognize: crop too wide (%d)", b.Dx())
	}
	r.in = chw48Into(r.in, line, padW)
	data := r.in
	in := []int64{1, 3, 48, int64(padW)}
	ratio := float64(padW) / float64(b.Dx())
	if steps, ok := r.steps[padW]; ok {
		probs := r.buffer(int(steps) * len(r.keys))
		if err := r.s.runInto(in, data, []int64{1, steps, int64(len(r.keys))}, probs); err != nil {
			return nil, fmt.Errorf("recognize: %w", err)
		}
		return &Output{r: r, probs: probs, steps: int(steps), ratio: ratio}, nil
	}
	probs, shape, err := r.s.run(in, data)
	if err != nil {
		return nil, fmt.Errorf("recognize: %w", err)
	}
	if len(shape) != 3 || int(shape[2]) != len(r.keys) || shape[1] < 1 {
		return nil, fmt.Errorf("recognize: output shape %v, %d keys", shape, len(r.keys))
	}
	r.steps[padW] = shape[1]
	return &Output{r: r, probs: probs, steps: int(shape[1]), ratio: ratio}, nil
}

// buffer is an output buffer of n values: a released one that holds them,
// else a new one.
func (r *Recognizer) buffer(n int) []float32 {
	for i := len(r.free) - 1; i >= 0; i-- {
		if b := r.free[i]; cap(b) >= n {
			r.free = append(r.free[:i], r.free[i+1:]...)
			return b[:n]
		}
	}
	return make([]float32, n)
}

// recWidths are the input widths the recognizer is run at: a crop is
// padded to the next one. Few distinct shapes keep ONNX Runtime's memory
// arena from growing with every new crop width (one shape per 8 pixels
// made a serving process grow for minutes); the padding costs at most a
// quarter more recognition time.
var recWidths = []int{320, 384, 448, 512, 576, 640, 768, 896, 1024, 1280, 1536, 1792, 2048, 2560, 3072}

// recWidth is the input width for a crop of width w (0: too wide).
func recWidth(w int) int {
	for _, r := range recWidths {
		if w <= r {
			return r
		}
	}
	return 0
}

// decodeCells splits the span of the greedy reading into n equal cells.
func (r *Recognizer) decodeCells(probs []float32, steps int, ratio float64, cs *Charset, greedy Text, n int) Text {
	if n < 2 || len(greedy.Chars) < 2 {
		return greedy
	}
	nk := len(r.keys)
	// Centres in time steps of the first and last characters.
	toStep := func(x float64) float64 { return x / ratio * float64(steps) }
	c0 := toStep((greedy.Chars[0].X0 + greedy.Chars[0].X1) / 2)
	last := greedy.Chars[len(greedy.Chars)-1]
	c1 := toStep((last.X0 + last.X1) / 2)
	pitch := (c1 - c0) / float64(n-1)
	if pitch <= 0 {
		return greedy
	}
	var t Text
	var sum float64
	var sb strings.Builder
	for i := 0; i < n; i++ {
		lo := int(math.Floor(c0 + (float64(i)-0.5)*pitch + 0.5))
		hi := int(math.Ceil(c0 + (float64(i)+0.5)*pitch - 0.5))
		lo, hi = max(0, lo), min(steps-1, max(hi, lo))
		// Per allowed character, its best probability within the cell.
		best := make(map[int]float32)
		for s := lo; s <= hi; s++ {
			row := probs[s*nk : (s+1)*nk]
			for k := 1; k < nk; k++ {
				if (cs != nil && !cs.allowed[k]) || row[k] < 0.005 {
					continue
				}
				if row[k] > best[k] {
					best[k] = row[k]
				}
			}
		}
		type kp struct {
			k int
			p float32
		}
		var ranked []kp
		for k, p := range best {
			ranked = append(ranked, kp{k, p})
		}
		sort.Slice(ranked, func(a, b int) bool {
			if ranked[a].p != ranked[b].p {
				return ranked[a].p > ranked[b].p
			}
			return ranked[a].k < ranked[b].k
		})
		ch := Char{X0: float64(lo) / float64(steps) * ratio, X1: float64(hi+1) / float64(steps) * ratio}
		if len(ranked) == 0 {
			ch.Char, ch.Prob = "<", 0
		} else {
			ch.Char, ch.Prob = r.keys[ranked[0].k], float64(ranked[0].p)
			for _, a := range ranked[1:min(len(ranked), 4)] {
				ch.Alts = append(ch.Alts, Alt{Char: r.keys[a.k], Prob: float64(a.p)})
			}
		}
		t.Chars = append(t.Chars, ch)
		sb.WriteString(ch.Char)
		sum += ch.Prob
	}
	t.Text = sb.String()
	t.Conf = sum / float64(n)
	return t
}

// decode is greedy CTC decoding restricted to cs. widthRatio converts
// fractions of the padded input to fractions of the crop.
func (r *Recognizer) decode(probs []float32, steps int, widthRatio float64, cs *Charset) Text {
	n := len(r.keys)
	var t Text
	prev := -1
	var sum float64
	for s := 0; s < steps; s++ {
		row := probs[s*n : (s+1)*n]
		best, bestP := 0, row[0]
		for i := 1; i < n; i++ {
			if cs != nil && !cs.allowed[i] {
				continue
			}
			if row[i] > bestP {
				best, bestP = i, row[i]
			}
		}
		x0 := float64(s) / float64(steps) * widthRatio
		x1 := float64(s+1) / float64(steps) * widthRatio
		if best == 0 {
			prev = 0
			continue
		}
		if best == prev && len(t.Chars) > 0 {
			c := &t.Chars[len(t.Chars)-1]
			c.X1 = x1
			if float64(bestP) > c.Prob {
				sum += float64(bestP) - c.Prob
				c.Prob = float64(bestP)
				c.Alts = r.alts(row, best, cs)
			}
			continue
		}
		prev = best
		t.Chars = append(t.Chars, Char{Char: r.keys[best], Prob: float64(bestP), Alts: r.alts(row, best, cs), X0: x0, X1: x1})
		sum += float64(bestP)
	}
	var sb strings.Builder
	for _, c := range t.Chars {
		sb.WriteString(c.Char)
	}
	t.Text = sb.String()
	if len(t.Chars) > 0 {
		t.Conf = sum / float64(len(t.Chars))
	}
	return t
}

// alts returns the up to three most probable allowed characters other than
// best at one time step, with probability above 1%.
func (r *Recognizer) alts(row []float32, best int, cs *Charset) []Alt {
	type ip struct {
		i int
		p float32
	}
	var top []ip
	for i := 1; i < len(row); i++ {
		if i == best || row[i] < 0.01 || (cs != nil && !cs.allowed[i]) {
			continue
		}
		top = append(top, ip{i, row[i]})
	}
	sort.Slice(top, func(a, b int) bool { return top[a].p > top[b].p })
	if len(top) > 3 {
		top = top[:3]
	}
	out := make([]Alt, len(top))
	for k, v := range top {
		out[k] = Alt{Char: r.keys[v.i], Prob: float64(v.p)}
	}
	return out
}

// Close frees the session; safe to call twice.
func (r *Recognizer) Close() error {
	if r == nil || r.fork {
		return nil
	}
	return r.s.Close()
}

// Fork is a recognizer on r's session for another goroutine, with
// buffers of its own (input, outputs and the output steps it learns):
// ONNX Runtime runs one session's Run calls concurrently, each on its
// caller's thread, where runs of one call each after the other use one
// core. Its Close does nothing; r's closes the session, after the fork's
// last run.
func (r *Recognizer) Fork() *Recognizer {
	return &Recognizer{s: r.s, fork: true, keys: r.keys, steps: maps.Clone(r.steps)}
}
