package models

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// abGrammar spells "A" then any of "B" or "C", and "AA" (the state of the
// second A entered from the first).
func abGrammar() *Grammar {
	return &Grammar{
		In:     []string{"", "A", "B", "C", "A"},
		Next:   [][]int{{1}, {2, 3, 4}, nil, nil, nil},
		Accept: []bool{false, false, true, true, true},
	}
}

func TestDecodeGrammar(t *testing.T) {
	r := &Recognizer{keys: []string{"", "A", "B", "C", "X"}}
	nk := len(r.keys)
	cases := []struct {
		name   string
		steps  []int
		edit   func(p []float32)
		states []int
		cost   float64
		ok     bool
	}{
		{name: "spelled as read", steps: []int{1, 0, 2, 0}, states: []int{1, 2}, cost: 0, ok: true},
		{name: "held A is one", steps: []int{1, 1, 0, 2}, states: []int{1, 2}, cost: 0, ok: true},
		{
			// an X the grammar has no place for: the C under it (0.3 to 0.6)
			name: "character the grammar allows", steps: []int{1, 0, 4, 0},
			edit:   func(p []float32) { p[2*nk+4], p[2*nk+3], p[2*nk] = 0.6, 0.3, 0.1 },
			states: []int{1, 3}, cost: math.Log(0.6 / 0.3), ok: true,
		},
		{
			// AA needs a blank between the two; read as one held A, the
			// path puts the blank on the second step
			name: "repeated character", steps: []int{1, 1, 0, 0},
			states: []int{1, 2}, ok: true, cost: -1,
		},
		{name: "no steps", steps: nil, ok: false},
	}
	for _, c := range cases {
		probs := probsFor(nk, c.steps, 0.9)
		if c.edit != nil {
			c.edit(probs)
		}
		states, cost, ok := r.decodeGrammar(probs, len(c.steps), abGrammar(), math.Inf(1))
		if ok != c.ok {
			t.Errorf("%s: ok %v, want %v", c.name, ok, c.ok)
			continue
		}
		if !ok || c.cost < 0 {
			continue
		}
		if !slices.Equal(states, c.states) || math.Abs(cost-c.cost) > 1e-6 {
			t.Errorf("%s: states %v cost %.4f, want %v %.4f", c.name, states, cost, c.states, c.cost)
		}
	}
	// AA read as A, blank, A
	probs := probsFor(nk, []int{1, 0, 1, 0}, 0.9)
	states, cost, _ := r.decodeGrammar(probs, 4, abGrammar(), math.Inf(1))
	if !slices.Equal(states, []int{1, 4}) || cost > 1e-9 {
		t.Errorf("A blank A: states %v cost %.4f, want [1 4] 0", states, cost)
	}
	// an unknown character in the grammar
	bad := abGrammar()
	bad.In[2] = "Z"
	if _, _, ok := r.decodeGrammar(probs, 4, bad, math.Inf(1)); ok {
		t.Error("grammar with an unknown character decoded")
	}
}

// TestGrammarWithin: the bounded decoder finds the unbounded one's
// spelling wherever that costs at most the bound, and none elsewhere
// (random outputs over a grammar of two- and three-letter words).
func TestGrammarWithin(t *testing.T) {
	r := &Recognizer{keys: []string{"", "A", "B", "C", "X"}}
	nk := len(r.keys)
	g := &Grammar{
		In:     []string{"", "A", "B", "C", "B", "A", "C"},
		Next:   [][]int{{1, 4}, {2, 3}, {6}, nil, {5}, nil, nil},
		Accept: []bool{false, false, true, true, false, true, true},
	}
	rng := rand.New(rand.NewPCG(3, 4))
	within, beyond := 0, 0
	for k := 0; k < 300; k++ {
		steps := 4 + rng.IntN(10)
		probs := make([]float32, steps*nk)
		for s := 0; s < steps; s++ {
			sum := float32(0)
			for l := 0; l < nk; l++ {
				p := rng.Float32()
				p *= p * p // peaked, as a recognizer's rows are
				probs[s*nk+l], sum = p, sum+p
			}
			for l := 0; l < nk; l++ {
				probs[s*nk+l] /= sum
			}
		}
		o := &Output{r: r, probs: probs, steps: steps}
		want, wantCost, wantOK := o.Grammar(g)
		for _, bound := range []float64{0.5, 2, 5} {
			got, cost, ok := o.GrammarWithin(g, bound)
			if in := wantOK && wantCost <= bound; ok != in {
				t.Fatalf("case %d bound %.1f: ok %v, unbounded cost %.3f ok %v", k, bound, ok, wantCost, wantOK)
			}
			if !ok {
				beyond++
				continue
			}
			within++
			if !slices.Equal(got, want) || math.Abs(cost-wantCost) > 1e-9 {
				t.Fatalf("case %d bound %.1f: %v %.4f, unbounded %v %.4f", k, bound, got, cost, want, wantCost)
			}
		}
	}
	if within == 0 || beyond == 0 {
		t.Errorf("within %d, beyond %d: the cases should fall both ways", within, beyond)
	}
}

// TestGrammarAdd: states added one by one make abGrammar.
func TestGrammarAdd(t *testing.T) {
	g := NewGrammar()
	a := g.Add("A", 0)
	g.Add("B", a)
	g.Add("C", a)
	g.Add("A", a)
	for _, q := range []int{2, 3, 4} {
		g.Accept[q] = true
	}
	want := abGrammar()
	if !slices.Equal(g.In, want.In) || !slices.Equal(g.Accept, want.Accept) || len(g.Next) != len(want.Next) {
		t.Fatalf("built %+v, want %+v", g, want)
	}
	for q := range want.Next {
		if !slices.Equal(g.Next[q], want.Next[q]) {
			t.Errorf("state %d: next %v, want %v", q, g.Next[q], want.Next[q])
		}
	}
}
