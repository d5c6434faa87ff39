package pipeline

import (
	"testing"

	"docscan/models"
	"docscan/synth"
)

// spells walks field 9's grammar along s's characters (an NFA: every
// state reached) and reports whether s ends in an accepting state.
func spells(s string) bool {
	g, _ := categoryGrammar()
	return spellsIn(g, s)
}

// spellsIn is spells for any grammar.
func spellsIn(g *models.Grammar, s string) bool {
	at := map[int]bool{0: true}
	for _, c := range s {
		next := map[int]bool{}
		for q := range at {
			for _, q2 := range g.Next[q] {
				if g.In[q2] == string(c) {
					next[q2] = true
				}
			}
		}
		at = next
	}
	for q := range at {
		if g.Accept[q] {
			return true
		}
	}
	return false
}

func TestCategoryGrammar(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"B", true},
		{"A2B1BCD1CET", true},
		{"AM/A1/B/C1E", true},
		{"9. B C1E", true},
		{"9.B/", true},
		{"BA", false},   // out of the directive's order
		{"B B", false},  // twice
		{"B//C", false}, // two separators
		{"", false},
		{"9.", false},
		{"X", false},
	} {
		if got := spells(c.s); got != c.want {
			t.Errorf("grammar spells %q: %v, want %v", c.s, got, c.want)
		}
	}
	g, tags := categoryGrammar()
	if len(tags) != len(g.In) {
		t.Fatalf("%d tags for %d states", len(tags), len(g.In))
	}
}

// TestGrammarCategories scans licence_0189 of the synthetic licence set
// (`go run ./cmd/synth -set licence -n 200 -seed 42 -maxside 1600`,
// rendered here): motion blur made its field 9 (AM A B C BE C1E CE DE T)
// read AM/A/B/C/BE/CTE/CE/DL/T, which no text parse places; the line's
// output decoded as field 9's grammar spells it. (licence_0068, this
// test's card before the licence numbers carried their check, no longer
// reads its categories: the blur estimate is taken over the whole card.)
func TestGrammarCategories(t *testing.T) {
	fs, e := synthEngines(t)
	_, doc, _ := scanLicence(t, e, fs, 189, synth.CaptureMotion)
	if got, want := doc.Fields["categories"].Value, "AM A B C BE C1E CE DE T"; got != want {
		t.Errorf("categories %q, want %q", got, want)
	}
}
