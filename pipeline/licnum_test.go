package pipeline

import (
	"math/rand/v2"
	"testing"

	"docscan/documents"
	"docscan/internal/licnum"
	"docscan/synth"
)

// TestLicenceNumberGrammar: the automaton spells a German licence number
// (after an optional "5." label) exactly where licnum.Valid holds.
func TestLicenceNumberGrammar(t *testing.T) {
	g, part := licenceNumberGrammar()
	if len(part) != len(g.In) {
		t.Fatalf("%d part flags for %d states", len(part), len(g.In))
	}
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"B072RRE2I55", true},
		{"5. B072RRE2I55", true},
		{"5.B072RRE2I55", true},
		{"5 B072RRE2I55", true},
		{"B072RRE2I45", false},  // check one off
		{"B072RRE2I5", false},   // short
		{"B072RRE2I551", false}, // long
		{"8072RRE2I55", false},  // the state a digit
		{"B0A2RRE2I55", false},  // a letter in the authority's digits
		{"4. B072RRE2I55", false},
		{"", false},
	} {
		if got := spellsIn(g, c.s); got != c.want {
			t.Errorf("grammar spells %q: %v, want %v", c.s, got, c.want)
		}
	}
	// random numbers of the right form, their check drawn at random too:
	// spelled exactly when they keep it
	const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	r := rand.New(rand.NewPCG(1, 2))
	valid := 0
	for k := 0; k < 400; k++ {
		b := []byte{alnum[10+r.IntN(26)]}
		for i := 1; i <= 3; i++ {
			b = append(b, alnum[r.IntN(10)])
		}
		for i := 4; i <= 8; i++ {
			b = append(b, alnum[r.IntN(36)])
		}
		if r.IntN(11) == 10 {
			b = append(b, 'X')
		} else {
			b = append(b, alnum[r.IntN(10)])
		}
		b = append(b, alnum[r.IntN(36)])
		want := licnum.Valid(string(b))
		if want {
			valid++
		}
		if got := spellsIn(g, string(b)); got != want {
			t.Errorf("grammar spells %s: %v, licnum.Valid %v", b, got, want)
		}
	}
	if valid < 10 || valid > 90 {
		t.Errorf("%d of 400 random numbers valid; about 36 expected", valid)
	}
}

func TestNumberLine(t *testing.T) {
	ls := []documents.Line{{Text: "5."}, {Text: "D214YXHMS69"}, {Text: "5.5"}, {Text: "K024"}, {Text: "WGRBG07"}}
	for _, c := range []struct {
		lines []int
		want  int
	}{
		{[]int{1}, 1},
		{[]int{0}, 0}, // a read's only line, whatever it holds
		{[]int{2, 1}, 1},
		{[]int{0, 1}, 1},
		{[]int{3, 4}, 4}, // K024: four characters, as a label's line could be
		{[]int{1, 4}, -1},
		{[]int{0, 2}, -1},
	} {
		if got := numberLine(documents.Read{Lines: c.lines}, ls); got != c.want {
			t.Errorf("numberLine(%v) = %d, want %d", c.lines, got, c.want)
		}
	}
}

// TestLicenceNumberByCheck scans two cards of the synthetic licence set
// (seed 42): licence_0025 (small in the photo), whose number K9051LS0591
// greedy decoding read K9057LS0591 (the check fails; the grammar's
// spelling exchanges the 7 for the recognizer's second choice, a 1), and
// licence_0043 (motion blur), whose label line read "5.5" before the
// number (the echoed 5 is no part of it). Both records say the number
// keeps its check.
func TestLicenceNumberByCheck(t *testing.T) {
	fs, e := synthEngines(t)
	for _, c := range []struct {
		index   int
		capture string
	}{{25, synth.CaptureSmall}, {43, synth.CaptureMotion}} {
		_, doc, entry, _ := scanSpecimen(t, e, fs, synth.SetLicence, c.index, c.capture)
		want := entry.Truth.Fields["document_number"]
		if got := doc.Fields["document_number"].Value; got != want {
			t.Errorf("licence_%04d: number %q, want %q", c.index, got, want)
		}
		if kept, said := doc.Checks["document_number"]; !said || !kept {
			t.Errorf("licence_%04d: checks %v, want the number's check kept", c.index, doc.Checks)
		}
	}
}
