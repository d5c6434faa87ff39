package pipeline

import (
	"image"
	"image/color"
	"testing"

	"docscan/geom"
	"docscan/models"
	"docscan/plates"
)

// plateCrop draws dark glyph blocks spanning the given column ranges on a
// light 48-pixel-high crop, and the PP-OCR characters read at their
// centres.
func plateCrop(w int, glyphs [][2]int, text string) (*image.Gray, []models.Char) {
	img := image.NewGray(image.Rect(0, 0, w, 48))
	for i := range img.Pix {
		img.Pix[i] = 225
	}
	var chars []models.Char
	for i, g := range glyphs {
		for x := g[0]; x < g[1]; x++ {
			for y := 8; y < 40; y++ {
				img.SetGray(x, y, color.Gray{Y: 30})
			}
		}
		c := float64(g[0]+g[1]) / 2 / float64(w)
		chars = append(chars, models.Char{Char: string(text[i]), Prob: 0.95, X0: c - 0.01, X1: c + 0.01})
	}
	return img, chars
}

func TestSoftGap(t *testing.T) {
	// HB, the seal, I (read 1), the wider space, 181: the space after
	// the I is where the letters end.
	glyphs := [][2]int{{10, 30}, {34, 54}, {90, 96}, {110, 116}, {120, 140}, {144, 150}}
	img, chars := plateCrop(170, glyphs, "HB1181")
	seal := map[int]bool{1: true}
	if k := softGap(img, chars, seal); k != 2 {
		t.Errorf("soft gap after character %d, want 2", k)
	}
	// even spacing after the seal: no gap stands out
	even := [][2]int{{10, 30}, {34, 54}, {90, 96}, {100, 106}, {110, 130}, {134, 140}}
	img, chars = plateCrop(170, even, "HB1181")
	if k := softGap(img, chars, seal); k != -1 {
		t.Errorf("soft gap after character %d in even print", k)
	}
	// no seal hint: nothing to measure after
	img, chars = plateCrop(170, glyphs, "HB1181")
	if k := softGap(img, chars, nil); k != -1 {
		t.Errorf("soft gap after character %d without a seal", k)
	}
	// the reading with the hint: HB-I 181, neither the Dutch HB-11-81
	// nor Bremen's official HB 1181 that the characters make without it
	withSeal := append(append(append([]models.Char(nil), chars[:2]...), models.Char{Char: ":", Prob: 0.9}), chars[2:]...)
	txt, cc := plateText(Region{Text: "HB:1181", Chars: withSeal}, true, 2)
	if txt != "HB 1 181" {
		t.Fatalf("hinted reading %q", txt)
	}
	b := PlateBuilder{}
	if x := b.gapReading(plates.Reading{Text: txt, Confidence: 0.9, CharConf: cc}, 3); x == nil || x.Text != "HBI181" || x.Display != "HB-I 181" {
		t.Errorf("hinted reading made %+v", x)
	}
	if y := b.accept(plates.Reading{Text: "HB 1181", Confidence: 0.9}); y == nil || lettersEndAt(y, 3) {
		t.Errorf("unhinted reading made %+v", y)
	}
	// a split where no German plate's letters can end: nothing
	if x := b.gapReading(plates.Reading{Text: "HB 1 181", Confidence: 0.9}, 5); x != nil {
		t.Errorf("letters ending at 5 in %+v", x)
	}
}

// The second line of a two-line plate boxed short is read again extended
// to the right; the reading counts when it continues the short one.
func TestSecondLineExtension(t *testing.T) {
	q := geom.Quad{{100, 50}, {160, 50}, {160, 80}, {100, 80}}
	o, ok := extendRight(q, 0.5, 640, 480)
	if !ok || o[0] != q[0] || o[3] != q[3] || o[1][0] != 190 || o[2][0] != 190 {
		t.Errorf("extended %v (%v)", o, ok)
	}
	// at the photo's edge the reach shrinks to what fits
	o, ok = extendRight(q, 0.5, 175, 480)
	if !ok || o[1][0] > 175 || o[1][0] < 160 {
		t.Errorf("at the edge: %v (%v)", o, ok)
	}
	if _, ok := extendRight(q, 0.5, 161, 480); ok {
		t.Error("extended past the photo")
	}
	for _, c := range []struct {
		long, short string
		want        bool
	}{{"MP 27H", "MP2", true}, {"K6494", "K6", true}, {"MP2", "MP2", false}, {"NP27H", "MP2", false}, {"MP", "MP2", false}} {
		if got := longerReading(c.long, c.short); got != c.want {
			t.Errorf("longerReading(%q, %q) = %v", c.long, c.short, got)
		}
	}
	// A one-line reading cut short is continued only into a German plate
	// of the standard format: the frame read as a last 1 or L makes a
	// plate of any reading elsewhere.
	b := PlateBuilder{}
	for _, c := range []struct {
		text string
		want bool
	}{{"RE IZ8", true}, {"RE IZ818", true}, {"FFB P1087", true}, {"CDK-5751", false}, {"0-8231L", false}, {"Y-123456", false}} {
		if got := germanStandard(b, Region{Text: c.text, Conf: 0.9}); got != c.want {
			t.Errorf("germanStandard(%q) = %v", c.text, got)
		}
	}
	if !plateChars(Region{Text: "RE:IZ8", Conf: 0.9}) || plateChars(Region{Text: "里里", Conf: 0.9}) || plateChars(Region{Text: "REIZ8", Conf: 0.3}) {
		t.Error("plateChars")
	}
}

// TestSealGap: MD, the seal's space, T, the narrower space before the
// digits, 52: the district ends after the D. Even print, a wide space
// past the third character (not a district's end) and a short line are
// not measured.
func TestSealGap(t *testing.T) {
	cases := []struct {
		name   string
		glyphs [][2]int
		text   string
		want   int
	}{
		{"seal after MD", [][2]int{{10, 30}, {34, 54}, {84, 104}, {116, 136}, {140, 160}}, "MDT52", 1},
		{"seal after M", [][2]int{{10, 30}, {60, 80}, {84, 104}, {116, 136}, {140, 160}}, "MDT52", 0},
		{"even print", [][2]int{{10, 30}, {34, 54}, {58, 78}, {82, 102}, {106, 126}}, "MDT52", -1},
		{"wide space late", [][2]int{{10, 30}, {34, 54}, {58, 78}, {82, 102}, {140, 160}}, "ABCD1", -1},
		{"two widest alike", [][2]int{{10, 30}, {34, 54}, {84, 104}, {130, 150}, {154, 174}}, "MDT52", -1},
		{"too short", [][2]int{{10, 30}, {60, 80}, {84, 104}}, "MD5", -1},
	}
	for _, c := range cases {
		img, chars := plateCrop(180, c.glyphs, c.text)
		if k := sealGap(img, chars); k != c.want {
			t.Errorf("%s: seal after character %d, want %d", c.name, k, c.want)
		}
	}
}
