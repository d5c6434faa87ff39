package pipeline

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"docscan/geom"
	"docscan/models"
	"docscan/plates"
)

func TestPlateReadingSealAndGaps(t *testing.T) {
	ch := func(c string, p, x float64) models.Char { return models.Char{Char: c, Prob: p, X0: x, X1: x + 0.04} }
	// "HAL", a seal read as a weak 8, "C", gap, "18H".
	r := Region{Text: "HAL8C18H", Chars: []models.Char{
		ch("H", 1, 0.05), ch("A", 1, 0.14), ch("L", 1, 0.23), ch("8", 0.34, 0.37), ch("C", 1, 0.46),
		ch("1", 1, 0.64), ch("8", 1, 0.73), ch("H", 1, 0.82)}}
	text, conf := plateReading(r)
	if text != "HAL C 18H" || len(conf) != 7 {
		t.Errorf("reading %q (%d confidences)", text, len(conf))
	}
	if v := umlautVariants("PLO UL155"); len(v) != 1 || v[0] != "PLÖ UL155" {
		t.Errorf("umlaut variants %q", v)
	}
	if v := umlautVariants("WUOF5"); len(v) != 3 || v[0] != "WÜOF5" || v[1] != "WUÖF5" || v[2] != "WÜÖF5" {
		t.Errorf("umlaut variants %q", v)
	}
	left := geom.Quad{{100, 100}, {160, 100}, {160, 130}, {100, 130}}
	right := geom.Quad{{190, 101}, {300, 101}, {300, 131}, {190, 131}}
	far := geom.Quad{{400, 100}, {500, 100}, {500, 130}, {400, 130}}
	below := geom.Quad{{190, 150}, {300, 150}, {300, 180}, {190, 180}}
	if !sideBySide(left, right) || sideBySide(left, far) || sideBySide(left, below) || sideBySide(right, left) {
		t.Error("sideBySide")
	}
	top := geom.Quad{{100, 100}, {200, 100}, {200, 130}, {100, 130}}
	bottom := geom.Quad{{95, 140}, {205, 140}, {205, 172}, {95, 172}}
	if !stacked(top, bottom) || stacked(bottom, top) || stacked(top, far) {
		t.Error("stacked")
	}
	if !twoLineText("KÜN J", "867") || twoLineText("SAO PAULO", "ABC1234") || twoLineText("AB12", "345") {
		t.Error("twoLineText")
	}
}

// TestPlateSamples reads the generated plate scenes end to end.
func TestPlateSamples(t *testing.T) {
	e := testEngines(t, Options{})
	raw, err := os.ReadFile("../testdata/samples/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var man []struct {
		File  string
		Kind  string
		Truth struct{ Plate, Display string }
	}
	if err := json.Unmarshal(raw, &man); err != nil {
		t.Fatal(err)
	}
	for _, m := range man {
		if m.Kind != "plate" {
			continue
		}
		data, err := os.ReadFile(filepath.Join("../testdata/samples", m.File))
		if err != nil {
			t.Fatal(err)
		}
		r := e.Process(context.Background(), Request{Data: data})
		if len(r.Records) == 0 {
			t.Errorf("%s: no record", m.File)
			continue
		}
		p, ok := r.Records[0].(*plates.Record)
		if !ok || p.Text != m.Truth.Plate || p.Display != m.Truth.Display || !p.Valid || p.Quad == nil {
			t.Errorf("%s: got %+v, want %s (%s)", m.File, r.Records[0], m.Truth.Plate, m.Truth.Display)
		}
	}
}
