package pipeline

import (
	"testing"

	"docscan/documents"
	"docscan/geom"
	"docscan/plates"
)

func TestDropPlatesOnDocuments(t *testing.T) {
	plate := func(x, y float64) *plates.Record {
		q := [4][2]float64{{x, y}, {x + 100, y}, {x + 100, y + 20}, {x, y + 20}}
		return &plates.Record{Text: "B1", Quad: &q}
	}
	card := geom.Quad{{100, 100}, {600, 120}, {590, 420}, {90, 400}}
	onCard, offCard := plate(200, 200), plate(700, 500)
	for _, c := range []struct {
		docType string
		want    int
	}{{documents.DrivingLicence, 2}, {documents.IDCard, 2}, {documents.Unknown, 3}} {
		recs := []Record{onCard, offCard, &documents.Record{DocumentType: c.docType, Quad: card}}
		got := dropPlatesOnDocuments(recs)
		if len(got) != c.want {
			t.Errorf("%s: %d records, want %d", c.docType, len(got), c.want)
		}
		if c.want == 2 && got[0] != offCard {
			t.Errorf("%s: kept %v", c.docType, got[0])
		}
	}
	if got := dropPlatesOnDocuments([]Record{onCard}); len(got) != 1 {
		t.Error("no document: plate dropped")
	}
	if !inside(geom.Point{300, 300}, card) || inside(geom.Point{50, 50}, card) || inside(geom.Point{300, 300}, card.Rotate180()) == false {
		t.Error("inside")
	}
}
