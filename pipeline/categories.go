package pipeline

import (
	"math"
	"strings"
	"sync"

	"docscan/documents"
	"docscan/models"
)

// Field 9 by grammar. A blurred licence's categories row reads as letters
// no split or parse of the text can place (licence_0049's B C1 BE C1E CE
// read BCLALCILC, licence_0144's eight categories ALAZEIACICALOIE), but
// the recognizer's output still holds each category's letters, second to
// the blur's: decoded as field 9's grammar (categoryGrammar: optionally
// "9.", then categories in the directive's order, each at most once, after
// a slash, a space or nothing), the line's likeliest spelling names them.
// A licence whose categories no text parse found takes the spelling of
// the line below its other fields that costs least (models.Output.Grammar),
// where it costs at most catMaxCost a character over the best path and
// spells catMinChars characters or more on a line read with as many (an
// empty line's steps spell a D at 0.83 a character).
const (
	catMaxCost  = 0.5
	catMinChars = 2
)

var (
	catOnce sync.Once
	catG    *models.Grammar
	catTag  []string // per state, the category it ends ("" for none)
)

// categoryGrammar is field 9's grammar and the category each state ends.
func categoryGrammar() (*models.Grammar, []string) {
	catOnce.Do(func() {
		g := models.NewGrammar()
		add := g.Add
		tagAt := map[int]string{} // the state ending each category
		n9 := add("9", 0)
		n9d := add(".", n9)
		n9s := add(" ", n9d)
		heads := []int{0, n9, n9d, n9s}
		order := documents.CategoryOrder()
		firsts := make([]int, len(order))
		ends := make([][]int, len(order)) // the states after which a later category may follow
		for i, c := range order {
			q := -1
			for k, ch := range c {
				if k == 0 {
					q = add(string(ch))
					firsts[i] = q
				} else {
					q = add(string(ch), q)
				}
			}
			tagAt[q] = c
			ends[i] = []int{q, add("/", q), add(" ", q)}
			for _, e := range ends[i] {
				g.Accept[e] = true
			}
		}
		for j := range order {
			for _, h := range heads {
				g.Next[h] = append(g.Next[h], firsts[j])
			}
			for i := 0; i < j; i++ {
				for _, e := range ends[i] {
					g.Next[e] = append(g.Next[e], firsts[j])
				}
			}
		}
		tags := make([]string, len(g.In))
		for q, c := range tagAt {
			tags[q] = c
		}
		catG, catTag = g, tags
	})
	return catG, catTag
}

// grammarCategories reads the categories of a licence whose text parse
// found none (see catMaxCost) from the lines lying below every field
// read; ok is false where none spells them cheaply enough.
func grammarCategories(lines []documents.Line, outs []*models.Output, reads map[string]documents.Read) (documents.Read, bool) {
	if _, ok := reads["categories"]; ok || len(reads) < 2 {
		return documents.Read{}, false
	}
	floor := math.Inf(-1)
	for _, rd := range reads {
		floor = math.Max(floor, (rd.Box[1]+rd.Box[3])/2)
	}
	g, tags := categoryGrammar()
	var best documents.Read
	bestCost := math.Inf(1)
	for i, l := range lines {
		if i >= len(outs) || outs[i] == nil || l.Box[1] <= floor {
			continue
		}
		states, cost, ok := outs[i].Grammar(g)
		if !ok || len(states) < catMinChars || len([]rune(strings.TrimSpace(l.Text))) < catMinChars {
			continue
		}
		var cats []string
		for _, q := range states {
			if tags[q] != "" {
				cats = append(cats, tags[q])
			}
		}
		per := cost / float64(len(states))
		if len(cats) == 0 || per > catMaxCost || per >= bestCost {
			continue
		}
		best = documents.Read{Value: strings.Join(cats, " "), Raw: l.Text, Conf: l.Conf, Box: l.Box, Lines: []int{i}}
		bestCost = per
	}
	return best, !math.IsInf(bestCost, 1)
}
