package models

import "math"

// Spot tells how well the line's output holds text somewhere along it:
// the log-probability of the best CTC alignment of text over a span of
// the time steps, the steps before and after it each taking its likeliest
// label, below that of the best path over all steps (0 where the greedy
// reading holds text; larger the more the output must be bent to read
// it). ok is false for an empty text or one with a character the
// recognizer does not know. A value read from part of a line (a field
// after its label) is weighed this way against a lexicon's entries
// without knowing where in the line it stands.
func (o *Output) Spot(text string) (cost float64, ok bool) {
	return o.r.spot(o.probs, o.steps, text)
}

// Knows reports whether c is one of the recognizer's characters.
func (r *Recognizer) Knows(c rune) bool {
	r.keyOnce.Do(r.indexKeys)
	_, ok := r.keyIdx[string(c)]
	return ok
}

func (r *Recognizer) indexKeys() {
	r.keyIdx = make(map[string]int, len(r.keys))
	for i, k := range r.keys[1:] {
		r.keyIdx[k] = i + 1
	}
}

func (r *Recognizer) spot(probs []float32, steps int, text string) (float64, bool) {
	nk := len(r.keys)
	if len(probs) < steps*nk || steps == 0 {
		return 0, false
	}
	r.keyOnce.Do(r.indexKeys)
	var labels []int
	for _, c := range text {
		l, ok := r.keyIdx[string(c)]
		if !ok {
			return 0, false
		}
		labels = append(labels, l)
	}
	n := len(labels)
	if n == 0 {
		return 0, false
	}
	logp := func(t, l int) float64 { return math.Log(math.Max(float64(probs[t*nk+l]), 1e-30)) }
	// states: 0 the free steps before text; 1..2n+1 text's CTC states
	// (odd: a blank, even 2k: the k-th label); 2n+2 the free steps after
	S := 2*n + 3
	neg := math.Inf(-1)
	cur, next := make([]float64, S), make([]float64, S)
	for i := range cur {
		cur[i] = neg
	}
	best := 0.0 // the best path's log-probability
	label := func(s int) int {
		if s%2 == 1 {
			return 0
		}
		return labels[s/2-1]
	}
	for t := 0; t < steps; t++ {
		top := neg
		for l := 0; l < nk; l++ {
			top = math.Max(top, logp(t, l))
		}
		best += top
		for s := range next {
			next[s] = neg
		}
		// free before: from the start or itself
		prevFree := 0.0
		if t > 0 {
			prevFree = cur[0]
		}
		next[0] = prevFree + top
		for s := 1; s <= 2*n+1; s++ {
			from := cur[s]
			if s > 1 {
				from = math.Max(from, cur[s-1])
			}
			if s%2 == 0 && s > 2 && labels[s/2-1] != labels[s/2-2] {
				from = math.Max(from, cur[s-2]) // skip the blank between two labels
			}
			if s <= 2 {
				from = math.Max(from, prevFree) // text starts here
			}
			if !math.IsInf(from, -1) {
				next[s] = from + logp(t, label(s))
			}
		}
		// free after: from text's last label or blank, or itself
		after := math.Max(cur[2*n+2], math.Max(cur[2*n], cur[2*n+1]))
		if !math.IsInf(after, -1) {
			next[2*n+2] = after + top
		}
		cur, next = next, cur
	}
	end := math.Max(cur[2*n+2], math.Max(cur[2*n], cur[2*n+1]))
	if math.IsInf(end, -1) {
		return 0, false
	}
	return best - end, true
}
