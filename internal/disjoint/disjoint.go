// Package disjoint is a union-find over 0..n-1 (path halving), for
// clustering boxes into lines and cards.
package disjoint

// Sets partitions 0..n-1.
type Sets []int

// New returns n singleton sets.
func New(n int) Sets {
	s := make(Sets, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// Find returns the representative of i's set.
func (s Sets) Find(i int) int {
	for s[i] != i {
		s[i] = s[s[i]]
		i = s[i]
	}
	return i
}

// Union joins the sets of a and b; b's representative joins a's.
func (s Sets) Union(a, b int) {
	s[s.Find(b)] = s.Find(a)
}

// Groups lists the members of every set, each in increasing order, the
// sets ordered by their smallest member: deterministic, unlike ranging
// over a map keyed by representative.
func (s Sets) Groups() [][]int {
	at := make(map[int]int, len(s)) // representative -> index in out
	var out [][]int
	for i := range s {
		r := s.Find(i)
		k, ok := at[r]
		if !ok {
			k = len(out)
			at[r] = k
			out = append(out, nil)
		}
		out[k] = append(out[k], i)
	}
	return out
}
