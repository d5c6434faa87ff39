package models

import "testing"

func TestDecodePattern(t *testing.T) {
	r := &Recognizer{keys: []string{"", "A", "B", "1", "2", "x"}}
	nk := len(r.keys)
	letters, digits := r.Charset("AB"), r.Charset("12")
	cases := []struct {
		name  string
		steps []int // the key each step puts 0.9 on (0: blank)
		edit  func(p []float32)
		sets  []*Charset
		want  string
		ok    bool
	}{
		{
			// a weak B under blank (0.3 to 0.7): greedy drops it, the
			// pattern of three keeps its place
			name:  "dropped letter",
			steps: []int{1, 0, 0, 0, 3, 0},
			edit:  func(p []float32) { p[2*nk+2], p[2*nk] = 0.3, 0.7 },
			sets:  []*Charset{letters, letters, digits},
			want:  "AB1", ok: true,
		},
		{
			// a doubled key held over two steps is one character; the
			// same key after a blank is two
			name:  "held and repeated",
			steps: []int{1, 1, 0, 1, 3, 3},
			sets:  []*Charset{letters, letters, digits},
			want:  "AA1", ok: true,
		},
		{
			// the likeliest key at a step is not allowed at its place: the
			// best allowed one is taken (x at 0.6 over a 2 at 0.3)
			name:  "position alphabet",
			steps: []int{1, 0, 5, 0, 0, 0},
			edit:  func(p []float32) { p[2*nk+5], p[2*nk+4], p[2*nk] = 0.6, 0.3, 0.1 },
			sets:  []*Charset{letters, digits},
			want:  "A2", ok: true,
		},
		{
			name:  "any character",
			steps: []int{1, 0, 5, 0, 0, 0},
			edit:  func(p []float32) { p[2*nk+5], p[2*nk+4], p[2*nk] = 0.6, 0.3, 0.1 },
			sets:  []*Charset{nil, nil},
			want:  "Ax", ok: true,
		},
		{
			name:  "too few steps",
			steps: []int{1, 2},
			sets:  []*Charset{letters, letters, letters},
			ok:    false,
		},
		{
			name:  "empty pattern",
			steps: []int{1, 2},
			ok:    false,
		},
	}
	for _, c := range cases {
		probs := probsFor(nk, c.steps, 0.9)
		if c.edit != nil {
			c.edit(probs)
		}
		got, ok := r.decodePattern(probs, len(c.steps), 1, c.sets)
		if ok != c.ok || ok && got.Text != c.want {
			t.Errorf("%s: %q, %v; want %q, %v", c.name, got.Text, ok, c.want, c.ok)
			continue
		}
		if !ok {
			continue
		}
		if len(got.Chars) != len(c.sets) {
			t.Errorf("%s: %d chars, want %d", c.name, len(got.Chars), len(c.sets))
		}
		for i := 1; i < len(got.Chars); i++ {
			if got.Chars[i].X0 < got.Chars[i-1].X1 {
				t.Errorf("%s: char %d starts at %.2f before char %d ends at %.2f", c.name, i, got.Chars[i].X0, i-1, got.Chars[i-1].X1)
			}
		}
	}
	// the dropped letter's probability is its step's
	probs := probsFor(nk, []int{1, 0, 0, 0, 3, 0}, 0.9)
	probs[2*nk+2], probs[2*nk] = 0.3, 0.7
	got, _ := r.decodePattern(probs, 6, 1, []*Charset{letters, letters, digits})
	if p := got.Chars[1].Prob; p < 0.29 || p > 0.31 {
		t.Errorf("dropped letter's probability %.2f, want 0.3", p)
	}
	if g := r.decode(probs, 6, 1, nil); g.Text != "A1" {
		t.Errorf("greedy %q, want A1 (the B dropped)", g.Text)
	}
}
