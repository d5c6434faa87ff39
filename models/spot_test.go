package models

import (
	"math"
	"testing"
)

func TestSpot(t *testing.T) {
	r := &Recognizer{keys: []string{"", "A", "B", "C", "X", "Y"}}
	nk := len(r.keys)
	// X A B Y, one step each with blanks between; under the B a C at 0.3
	probs := probsFor(nk, []int{4, 0, 1, 0, 2, 0, 5}, 0.9)
	probs[4*nk+2], probs[4*nk+3], probs[4*nk] = 0.6, 0.3, 0.1
	cases := []struct {
		text string
		cost float64
		ok   bool
	}{
		{"AB", 0, true},
		{"XABY", 0, true},
		{"AC", math.Log(0.6 / 0.3), true},
		{"B", 0, true},
		{"Z", 0, false},
		{"", 0, false},
	}
	for _, c := range cases {
		cost, ok := r.spot(probs, 7, c.text)
		if ok != c.ok || ok && math.Abs(cost-c.cost) > 1e-6 {
			t.Errorf("spot(%q) = %.4f, %v; want %.4f, %v", c.text, cost, ok, c.cost, c.ok)
		}
	}
	// a letter the output never shows costs far more than a weak one
	far, _ := r.spot(probs, 7, "AA")
	near, _ := r.spot(probs, 7, "AC")
	if far < near+5 {
		t.Errorf("spot(AA) = %.2f, want far above spot(AC) = %.2f", far, near)
	}
}
