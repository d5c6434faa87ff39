package pipeline

import (
	"testing"

	"docscan/documents"
	"docscan/geom"
	"docscan/plates"
)

// box is an upright w x h text box centred at (x, y).
func box(x, y, w, h float64) geom.Quad {
	return rect(x-w/2, y-h/2, x+w/2, y+h/2)
}

func plateAt(q geom.Quad) *plates.Record {
	pq := quadArray(q)
	return &plates.Record{Kind: "plate", Text: "ZG43179", Quad: &pq}
}

// TestPlateAmongPrint: a plate line with five lines of its height around
// it is a card's print; four such lines (a US plate's frame print), lines
// half its height or twice it, or lines far off are not; nor is any plate
// of a scene that has its card.
func TestPlateAmongPrint(t *testing.T) {
	plate := box(500, 300, 60, 20)
	lines := func(n int, h, gap float64) []Region {
		rs := []Region{{Quad: plate}}
		for i := range n {
			rs = append(rs, Region{Quad: box(500, 300+float64(i+1)*gap, 80, h)})
		}
		return rs
	}
	for _, c := range []struct {
		name    string
		regions []Region
		card    bool
		want    bool
	}{
		{"five lines of its height", lines(5, 18, 30), false, true},
		{"four lines", lines(4, 18, 30), false, false},
		{"half its height", lines(8, 10, 30), false, false},
		{"twice its height", lines(8, 40, 45), false, false},
		{"far off", append(lines(0, 0, 0), lines(5, 18, 60)[1:]...), false, false},
		{"the card found", lines(5, 18, 30), true, false},
	} {
		scene := &Scene{Regions: c.regions, Records: []Record{plateAt(plate)}}
		if c.card {
			scene.Records = append(scene.Records, &documents.Record{Quad: box(500, 350, 400, 250)})
		}
		if got := plateAmongPrint(scene); got != c.want {
			t.Errorf("%s: plateAmongPrint %v, want %v (%d around)", c.name, got, c.want, printAround(c.regions, quadArray(plate)))
		}
	}
}

// TestDropPrintedPlates: a plate whose centre lies in a card's outline
// goes, one beside the card stays.
func TestDropPrintedPlates(t *testing.T) {
	on, off := plateAt(box(500, 300, 60, 20)), plateAt(box(1200, 300, 60, 20))
	card := &documents.Record{Quad: box(500, 350, 400, 250)}
	got := dropPrintedPlates([]Record{on, card, off})
	if len(got) != 2 || got[0] != card || got[1] != off {
		t.Errorf("kept %v, want the card and the plate beside it", got)
	}
}

func quadArray(q geom.Quad) [4][2]float64 {
	return [4][2]float64{q[0], q[1], q[2], q[3]}
}
