package synth

import "testing"

func TestInkExtent(t *testing.T) {
	fs, err := LoadFonts("")
	if err != nil {
		t.Skipf("fonts not installed: %v", err)
	}
	o, _, ok1 := InkExtent(fs.OCRB, 'O')
	z, b, ok2 := InkExtent(fs.OCRB, '0')
	if !ok1 || !ok2 {
		t.Fatal("O or 0 missing from OCR-B")
	}
	// OCR-B's digits rise above its capitals; both sit on the baseline
	if z > o-0.05 || b < -0.01 || b > 0.05 {
		t.Errorf("0 top %.3f, O top %.3f, 0 bottom %.3f", z, o, b)
	}
	if _, _, ok := InkExtent(fs.OCRB, '\u2603'); ok {
		t.Error("a glyph the fonts lack was measured")
	}
}
