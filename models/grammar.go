package models

import "math"

// Grammar is a finite automaton over characters that a line must spell:
// state 0 starts, and every other state q is entered by one character,
// In[q], along any edge into it (so a path's characters are its states').
// Next lists each state's successors; Accept the states a line may end in.
type Grammar struct {
	In     []string
	Next   [][]int
	Accept []bool
}

// NewGrammar is a grammar of the start state alone.
func NewGrammar() *Grammar {
	return &Grammar{In: []string{""}, Next: [][]int{nil}, Accept: []bool{false}}
}

// Add adds a state entered by character c from each of the states from
// (none: edges into it are added later) and returns it.
func (g *Grammar) Add(c string, from ...int) int {
	q := len(g.In)
	g.In, g.Next, g.Accept = append(g.In, c), append(g.Next, nil), append(g.Accept, false)
	for _, f := range from {
		g.Next[f] = append(g.Next[f], q)
	}
	return q
}

// Grammar reads the whole line as the grammar's likeliest spelling: the
// best CTC path whose characters walk the automaton from state 0 to an
// accepting state (Viterbi over time steps x states x whether the state's
// character is held). It returns the states entered, one per character,
// and the path's cost: how far its log-probability lies below the best
// path's (0 where the greedy reading is spelled by the grammar). ok is
// false where the grammar cannot spell a path over the line's steps, or a
// state's character is no character of the recognizer.
func (o *Output) Grammar(g *Grammar) (states []int, cost float64, ok bool) {
	return o.r.decodeGrammar(o.probs, o.steps, g, math.Inf(1))
}

// GrammarWithin is Grammar for spellings that cost at most bound: ok is
// false also where none does. A path's prefix lies at most bound below
// the best path's prefix when the whole path does (no step gives a path
// more than the step's best), so prefixes further below are dropped as
// they arise: for a large grammar (a German licence number's, 2400
// states) most of the work.
func (o *Output) GrammarWithin(g *Grammar, bound float64) (states []int, cost float64, ok bool) {
	states, cost, ok = o.r.decodeGrammar(o.probs, o.steps, g, bound)
	if !ok || cost > bound {
		return nil, 0, false
	}
	return states, cost, true
}

func (r *Recognizer) decodeGrammar(probs []float32, steps int, g *Grammar, bound float64) ([]int, float64, bool) {
	nk, nq := len(r.keys), len(g.In)
	if steps == 0 || nq == 0 || len(g.Next) != nq || len(g.Accept) != nq || len(probs) < steps*nk {
		return nil, 0, false
	}
	r.keyOnce.Do(r.indexKeys)
	label := make([]int, nq) // the label entering each state (0 for the start)
	for q := 1; q < nq; q++ {
		l, ok := r.keyIdx[g.In[q]]
		if !ok {
			return nil, 0, false
		}
		label[q] = l
	}
	// state index 2q: in q after a blank (or at the start); 2q+1: in q
	// holding its character
	S := 2 * nq
	neg := math.Inf(-1)
	cur, next := make([]float64, S), make([]float64, S)
	for i := range cur {
		cur[i] = neg
	}
	cur[0] = 0
	back := make([]int32, steps*S)
	best := 0.0
	for t := 0; t < steps; t++ {
		row := probs[t*nk : (t+1)*nk]
		lp := func(l int) float64 { return math.Log(math.Max(float64(row[l]), 1e-30)) }
		top := neg
		for l := 0; l < nk; l++ {
			top = math.Max(top, float64(row[l]))
		}
		floor := best - bound // the prefixes through step t-1 worth going on
		best += math.Log(math.Max(top, 1e-30))
		bk := back[t*S : (t+1)*S]
		for i := range next {
			next[i], bk[i] = neg, -1
		}
		relax := func(to, from int, v float64) {
			if v > next[to] {
				next[to], bk[to] = v, int32(from)
			}
		}
		blank := lp(0)
		for q := 0; q < nq; q++ {
			for m := 0; m < 2; m++ {
				from := 2*q + m
				v := cur[from]
				if math.IsInf(v, -1) || v < floor {
					continue
				}
				relax(2*q, from, v+blank)
				if m == 1 {
					relax(from, from, v+lp(label[q]))
				}
				for _, q2 := range g.Next[q] {
					// the same character after itself needs a blank between
					if m == 1 && label[q2] == label[q] {
						continue
					}
					relax(2*q2+1, from, v+lp(label[q2]))
				}
			}
		}
		cur, next = next, cur
	}
	end := -1
	for q := 0; q < nq; q++ {
		if !g.Accept[q] {
			continue
		}
		for m := 0; m < 2; m++ {
			if i := 2*q + m; !math.IsInf(cur[i], -1) && (end < 0 || cur[i] > cur[end]) {
				end = i
			}
		}
	}
	if end < 0 {
		return nil, 0, false
	}
	cost := best - cur[end]
	// the states entered, from the path back
	var rev []int
	for t, s := steps-1, end; t >= 0; t-- {
		prev := int(back[t*S+s])
		if s%2 == 1 && prev != s {
			rev = append(rev, s/2)
		}
		s = prev
	}
	out := make([]int, len(rev))
	for i, q := range rev {
		out[len(rev)-1-i] = q
	}
	return out, cost, true
}
