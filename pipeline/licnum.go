package pipeline

import (
	"strings"
	"sync"

	"docscan/internal/licnum"
	"docscan/models"
)

// A German licence's number by its check. The number's tenth character
// checks its first nine (licnum.Check); a number read
// that fails it has a character wrong, one too many (a blur's double
// stroke: licence_0043 5D214YXHMSN9) or one too few. Its line's
// recognizer output is decoded again as the numbers that keep the check
// (licenceNumberGrammar: optionally "5.", then a capital, three digits,
// five digits or capitals, the check of the nine, a digit or capital):
// the likeliest such spelling is taken where it costs at most
// licNumMaxCost below the best path (log-probability units). The check
// leaves one wrong number in eleven to pass it, so the cost is what
// bounds a guess: a character exchanged for an alternative at 0.1 beside
// 0.8 costs 2.1; an unreadable number costs far more than its one
// valid-looking spelling would be worth.
const licNumMaxCost = 3.0

var (
	licNumOnce sync.Once
	licNumG    *models.Grammar
	licNumPart []bool // per state, whether it spells a character of the number (not the "5." label)
)

// licenceNumberGrammar is the automaton of a German licence number's line
// (see above); states of the number carry the check's running sum, so
// that only numbers keeping it reach an accepting state.
func licenceNumberGrammar() (*models.Grammar, []bool) {
	licNumOnce.Do(func() {
		g := models.NewGrammar()
		part := []bool{false}
		add := func(c string, num bool, from ...int) int {
			part = append(part, num)
			return g.Add(c, from...)
		}
		l5 := add("5", false, 0)
		ld := add(".", false, l5)
		ls := add(" ", false, l5, ld)
		heads := []int{0, l5, ld, ls}

		const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		type node struct {
			q, sum int
		}
		// place 0: a capital, weight 9
		var layer []node
		for _, c := range alnum[10:] {
			v := int(c-'A') + 10
			layer = append(layer, node{add(string(c), true, heads...), v * 9 % 11})
		}
		// places 1-8, weights 8-1: one state per character and sum
		for p := 1; p <= 8; p++ {
			chars := alnum
			if p <= 3 {
				chars = alnum[:10]
			}
			at := map[[2]int]int{} // (character index, sum) -> state
			var next []node
			for _, prev := range layer {
				for k, c := range chars {
					v := k // alnum's index is the character's value
					s := (prev.sum + v*(9-p)) % 11
					q, ok := at[[2]int{k, s}]
					if !ok {
						q = add(string(c), true)
						at[[2]int{k, s}] = q
						next = append(next, node{q, s})
					}
					g.Next[prev.q] = append(g.Next[prev.q], q)
				}
			}
			layer = next
		}
		// place 9: the check of the sum; place 10: the issue counter
		checks := make([]int, 11)
		for s := range checks {
			c := "X"
			if s < 10 {
				c = string(rune('0' + s))
			}
			checks[s] = add(c, true)
		}
		for _, n := range layer {
			g.Next[n.q] = append(g.Next[n.q], checks[n.sum])
		}
		for _, c := range alnum {
			q := add(string(c), true, checks...)
			g.Accept[q] = true
		}
		licNumG, licNumPart = g, part
	})
	return licNumG, licNumPart
}

// checkedLicenceNumber is the line's text spelled as a German licence
// number that keeps its check, where out (the line's recognizer output)
// bears one within licNumMaxCost; "" otherwise.
func checkedLicenceNumber(out *models.Output) string {
	g, part := licenceNumberGrammar()
	states, _, ok := out.GrammarWithin(g, licNumMaxCost)
	if !ok {
		return ""
	}
	var b, num strings.Builder
	for _, q := range states {
		b.WriteString(g.In[q])
		if part[q] {
			num.WriteString(g.In[q])
		}
	}
	if !licnum.Valid(num.String()) {
		return "" // cannot be: the automaton spells only such numbers
	}
	return b.String()
}
