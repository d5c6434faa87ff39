package pipeline

import (
	"bytes"
	"testing"

	"docscan/synth"
)

// TestDINGlyphsTable checks the embedded plate font table against the
// font it was rendered from (go run ./cmd/ocrbcells remakes it).
func TestDINGlyphsTable(t *testing.T) {
	fs, err := synth.LoadFonts("")
	if err != nil {
		t.Skipf("fonts not installed (make deps): %v", err)
	}
	d, err := loadDIN()
	if err != nil {
		t.Fatal(err)
	}
	want, err := synth.DINGlyphs(fs.DIN, d.capH, d.pad)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, dinGlyphsTable) {
		t.Error("pipeline/din_glyphs.bin differs from the font's glyphs: go run ./cmd/ocrbcells")
	}
	for i := 0; i < len(synth.PlateChars); i++ {
		if d.index[synth.PlateChars[i]] == 0 {
			t.Errorf("table lacks %q", synth.PlateChars[i])
		}
	}
	if _, err := parseDIN(dinGlyphsTable[:len(dinGlyphsTable)-1]); err == nil {
		t.Error("a table cut short parsed")
	}
}

// TestShapeFlips: rendered plate print read with the recognizer's
// confusions (the 1 for I, I for J, T for I, 0 for O): the glyphs name the
// printed character; read right, nothing is offered.
func TestShapeFlips(t *testing.T) {
	for _, c := range []struct {
		printed, read string
		want          map[int]byte
	}{
		{"SOMBI746", "SOMB1746", map[int]byte{4: 'I'}},
		{"PLOPJ78", "PLOPI78", map[int]byte{4: 'J'}},
		{"ULTZ15", "ULIZ15", map[int]byte{2: 'T'}},
		{"BOLI5", "BOL15", map[int]byte{3: 'I'}},
		{"SOMBI746", "SOMBI746", nil},
		{"ULTZ15", "ULTZ15", nil},
		{"B1LB8", "B1LB8", nil},
	} {
		got := shapeFlips(renderedPlateLine(t, c.printed, c.read, 0.9, false))
		if len(got) != len(c.want) {
			t.Errorf("%s read %s: flips %v, want %v", c.printed, c.read, got, c.want)
			continue
		}
		for i, to := range c.want {
			if got[i].to != to {
				t.Errorf("%s read %s: flips %v, want %v", c.printed, c.read, got, c.want)
			}
		}
	}
	// a character read sure (shapeSureProb) keeps its reading: the T of
	// ULTZ15 read I at 1.00 is not offered
	l := renderedPlateLine(t, "ULTZ15", "ULIZ15", 0.9, false)
	l.chars[2].Prob = 1
	if got := shapeFlips(l); len(got) != 0 {
		t.Errorf("a sure character flipped: %v", got)
	}
}

// TestReshapedPlate: BO L15 read from a plate printed BO-LI 5 comes out
// BO-LI 5; printed BO-L 15 it stays.
func TestReshapedPlate(t *testing.T) {
	for _, c := range []struct{ printed, want string }{{"BOLI5", "BOLI5"}, {"BOL15", "BOL15"}} {
		f, r, reading, rec := printedPlate(t, c.printed, "BO L15")
		b := PlateBuilder{}
		if got := b.reshaped(regionLine(f, r), reading, rec); got.Text != c.want {
			t.Errorf("printed %s: %s (%s), want %s", c.printed, got.Text, got.Display, c.want)
		}
		// a plate of another country is left alone
		if got := (PlateBuilder{Country: "NL"}).reshaped(regionLine(f, r), reading, rec); got != rec {
			t.Errorf("printed %s, country NL: %s", c.printed, got.Text)
		}
		f.Close()
	}
	if got := exchange("BO L15", map[int]byte{3: 'I'}); got != "BO LI5" {
		t.Errorf("exchange: %q", got)
	}
}
