package models

import "math"

// Pattern reads the line as exactly len(sets) characters, the k-th one
// from sets[k] (nil: any character): the most probable CTC alignment
// (best path) that collapses to such a string, found by Viterbi over the
// time steps, the characters emitted so far and the last label. Greedy
// decoding takes each step's likeliest label on its own: where blur
// smears a narrow letter (a J between a 2 and an M) its steps' blank
// outweighs it and the letter is dropped, though it is the likeliest
// character there; a field of fixed length and alphabet (a German ID
// card's number, its CAN) holds a place for it. ok is false for an empty
// pattern or fewer time steps than characters.
func (o *Output) Pattern(sets []*Charset) (Text, bool) {
	return o.r.decodePattern(o.probs, o.steps, o.ratio, sets)
}

func (r *Recognizer) decodePattern(probs []float32, steps int, ratio float64, sets []*Charset) (Text, bool) {
	n, nk := len(sets), len(r.keys)
	if n == 0 || steps < n || len(probs) < steps*nk {
		return Text{}, false
	}
	// the labels any position allows; state 0 is the blank, state j > 0
	// the label labs[j-1]
	var labs []int
	for l := 1; l < nk; l++ {
		for _, cs := range sets {
			if cs == nil || cs.allowed[l] {
				labs = append(labs, l)
				break
			}
		}
	}
	L := len(labs) + 1
	allowed := func(k, j int) bool { return sets[k] == nil || sets[k].allowed[labs[j-1]] }
	neg := math.Inf(-1)
	score, next := make([]float64, (n+1)*L), make([]float64, (n+1)*L)
	for i := range score {
		score[i] = neg
	}
	score[0] = 0 // no character emitted, last label the blank
	// back[t][state] is the state at step t-1 the best path to state at t
	// came from (-1: none)
	back := make([]int32, steps*(n+1)*L)
	lp := make([]float64, nk)
	for t := 0; t < steps; t++ {
		row := probs[t*nk : (t+1)*nk]
		lp[0] = math.Log(math.Max(float64(row[0]), 1e-30))
		for _, l := range labs {
			lp[l] = math.Log(math.Max(float64(row[l]), 1e-30))
		}
		bk := back[t*(n+1)*L : (t+1)*(n+1)*L]
		for i := range next {
			next[i], bk[i] = neg, -1
		}
		// best and second best state with k-1 characters: a new k-th
		// character follows any but itself
		b1, b2 := -1, -1
		for k := 0; k <= n; k++ {
			if k > 0 {
				for j := 1; j < L; j++ {
					if !allowed(k-1, j) {
						continue
					}
					s, from := score[k*L+j], k*L+j // the same character, held
					prev := b1
					if prev == (k-1)*L+j {
						prev = b2
					}
					if prev >= 0 && score[prev] > s {
						s, from = score[prev], prev
					}
					if !math.IsInf(s, -1) {
						next[k*L+j], bk[k*L+j] = s+lp[labs[j-1]], int32(from)
					}
				}
			}
			// the blank after any state with k characters
			b1, b2 = -1, -1
			for j := 0; j < L; j++ {
				i := k*L + j
				if math.IsInf(score[i], -1) {
					continue
				}
				switch {
				case b1 < 0 || score[i] > score[b1]:
					b1, b2 = i, b1
				case b2 < 0 || score[i] > score[b2]:
					b2 = i
				}
			}
			if b1 >= 0 {
				next[k*L], bk[k*L] = score[b1]+lp[0], int32(b1)
			}
		}
		score, next = next, score
	}
	end := -1
	for j := 0; j < L; j++ {
		if i := n*L + j; !math.IsInf(score[i], -1) && (end < 0 || score[i] > score[end]) {
			end = i
		}
	}
	if end < 0 {
		return Text{}, false
	}
	// the path back, one state per step
	path := make([]int, steps)
	for t, s := steps-1, end; t >= 0; t-- {
		path[t] = s
		s = int(back[t*(n+1)*L+s])
	}
	var out Text
	var sum float64
	prev := 0
	for t, s := range path {
		k, j := s/L, s%L
		if j == 0 {
			prev = s
			continue
		}
		row := probs[t*nk : (t+1)*nk]
		l := labs[j-1]
		x0 := float64(t) / float64(steps) * ratio
		x1 := float64(t+1) / float64(steps) * ratio
		p := float64(row[l])
		if s == prev {
			c := &out.Chars[len(out.Chars)-1]
			c.X1 = x1
			if p > c.Prob {
				sum += p - c.Prob
				c.Prob, c.Alts = p, r.alts(row, l, sets[k-1])
			}
			continue
		}
		prev = s
		out.Chars = append(out.Chars, Char{Char: r.keys[l], Prob: p, Alts: r.alts(row, l, sets[k-1]), X0: x0, X1: x1})
		sum += p
	}
	for _, c := range out.Chars {
		out.Text += c.Char
	}
	if len(out.Chars) > 0 {
		out.Conf = sum / float64(len(out.Chars))
	}
	return out, len(out.Chars) == n
}
