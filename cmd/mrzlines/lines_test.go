package main

import (
	"bytes"
	"strings"
	"testing"

	"docscan/synth"
)

func TestLines(t *testing.T) {
	fonts, err := synth.LoadFonts("")
	if err != nil {
		t.Skipf("fonts absent (run scripts/deps.sh): %v", err)
	}
	g := Generator{Fonts: fonts, Seed: 1}
	for i := 0; i < 12; i++ {
		s, err := g.Line(i)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(s.Text); n != 30 && n != 36 && n != 44 {
			t.Errorf("line %d: %d characters", i, n)
		}
		if strings.Trim(s.Text, mrzAlphabet) != "" {
			t.Errorf("line %d: characters outside the MRZ alphabet", i)
		}
		b := s.Img.Bounds()
		if b.Dy() != cropH+2*cropPad || b.Dx() < 8+2*cropPad {
			t.Errorf("line %d: crop %v", i, b)
		}
		again, err := g.Line(i)
		if err != nil {
			t.Fatal(err)
		}
		if again.Text != s.Text || !bytes.Equal(again.Img.Pix, s.Img.Pix) {
			t.Errorf("line %d differs between two runs", i)
		}
	}
	if box := lineBox("P<UTO", 100, 64); box != "WordStr 0 0 100 64 0 #P<UTO\n\t 100 64 101 65 0\n" {
		t.Errorf("box file %q", box)
	}
}
