package pipeline

import (
	"image"
	"image/color"
	"image/draw"
	"testing"

	"docscan/documents"
	"docscan/geom"
	"docscan/models"
	"docscan/synth"
)

// accentLine prints text in font f as a card's name line: a 48-pixel box
// whose rows [top, top+48) hold the x-height from row 15 to the baseline
// at row 40 (as the card detector boxes a mixed-case name), blurred by
// sigma pixels; chars are its letters with the recognizer's kind of
// position, a centre that strays by shift of the letter's advance.
func accentLine(t *testing.T, f *synth.Font, text string, top int, sigma, shift float64) (*image.Gray, []models.Char) {
	t.Helper()
	size := 45.0
	w := 20 + int(synth.TextWidth(f, size, text)) + 20
	img := image.NewGray(image.Rect(0, 0, w, top+48+12))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.Gray{Y: 220}), image.Point{}, draw.Src)
	base := float64(top + 40)
	x := 20.0
	var chars []models.Char
	for _, r := range text {
		adv := synth.TextWidth(f, size, string(r))
		synth.DrawText(img, f, size, x, base, string(r), color.Gray{Y: 35})
		if r != ' ' {
			c := (x + adv/2 + shift*adv) / float64(w)
			// the recognizer reads the letter bare
			chars = append(chars, models.Char{Char: string(bareLower(r)), Prob: 0.9, X0: c - 0.01, X1: c + 0.01})
		}
		x += adv
	}
	if sigma == 0 {
		return img, chars
	}
	return blurGray(img, sigma), chars
}

// bareLower is r without its accent, in its case.
func bareLower(r rune) rune {
	switch r {
	case 'é', 'è', 'ê', 'ë':
		return 'e'
	case 'É', 'È':
		return 'E'
	}
	return r
}

// TestAccentValue: a French name read without its accents gets them from
// its line's print, acute, grave or diaeresis as printed, sharp or
// blurred, where the recognizer places its letters off their centres too;
// a name printed bare keeps its letters (an i's dot beside an e, an
// ascender beside it, a line over the whole name are no accent).
func TestAccentValue(t *testing.T) {
	fs, err := synth.LoadFonts("")
	if err != nil {
		t.Skipf("fonts not installed (make deps): %v", err)
	}
	const top = 20
	for _, font := range []struct {
		name string
		f    *synth.Font
	}{{"sans bold", fs.SansBold}, {"serif", fs.Serif}} {
		for _, c := range []struct {
			printed, want string
		}{
			{"Chloé", "Chloé"},
			{"Inès", "Inès"},
			{"Émile", "Émile"},
			{"Hélène", "Hélène"},
			{"Noël", "Noël"},
			{"Chloe", ""},
			{"Marie", ""},   // the i's dot beside the e
			{"Julie", ""},   // ascender and dot beside it
			{"Estelle", ""}, // ascenders on both sides
			{"Pierre", ""},
		} {
			for _, sigma := range []float64{0, 1.5} {
				for _, shift := range []float64{0, 0.3, -0.3} {
					line, chars := accentLine(t, font.f, c.printed, top, sigma, shift)
					f, q := linePhoto(t, line, top)
					read := ""
					for _, ch := range chars {
						read += ch.Char
					}
					got, ok := accentValue(f, q, models.Text{Chars: chars}, read)
					f.Close()
					if got != c.want || ok != (c.want != "") {
						t.Errorf("%s %q (blur %.1f, positions off by %.1f) read %q: %q, %v; want %q", font.name, c.printed, sigma, shift, read, got, ok, c.want)
					}
				}
			}
		}
	}
}

// TestAccentValueLineAcross: a dark line just above the name's x-height
// (a rule, a shadow's edge) lies over the low letters too: no accent.
func TestAccentValueLineAcross(t *testing.T) {
	fs, err := synth.LoadFonts("")
	if err != nil {
		t.Skipf("fonts not installed (make deps): %v", err)
	}
	const top = 20
	line, chars := accentLine(t, fs.SansBold, "Chloe", top, 1, 0)
	for x := 0; x < line.Bounds().Dx(); x++ {
		for y := top + 8; y < top+11; y++ {
			line.SetGray(x, y, color.Gray{Y: 35})
		}
	}
	f, q := linePhoto(t, line, top)
	defer f.Close()
	if got, ok := accentValue(f, q, models.Text{Chars: chars}, "Chloe"); ok {
		t.Errorf("a line over the name taken for an accent: %q", got)
	}
}

// TestPrintedAccents: only a French card's names and place are looked at,
// on the line of the field's read that holds the value.
func TestPrintedAccents(t *testing.T) {
	fs, err := synth.LoadFonts("")
	if err != nil {
		t.Skipf("fonts not installed (make deps): %v", err)
	}
	const top = 20
	line, chars := accentLine(t, fs.SansBold, "Chloé", top, 1, 0)
	f, q := linePhoto(t, line, top)
	defer f.Close()
	quads := []geom.Quad{q, q}
	for _, c := range []struct {
		country, want string
	}{{"FR", "Chloé"}, {"DE", "Chloe"}} {
		reads := map[string]documents.Read{"given_names": {Value: "Chloe", Lines: []int{0, 1}}}
		texts := []models.Text{{Text: "2", Chars: []models.Char{{Char: "2"}}}, {Text: "Chloe", Chars: chars}}
		printedAccentsOf(f, quads, func(i int) (models.Text, bool) { return texts[i], true }, c.country, reads)
		if got := reads["given_names"].Value; got != c.want {
			t.Errorf("%s card: %q, want %q", c.country, got, c.want)
		}
	}
}

// TestAccentValueParenthesis: a French licence prints the place of birth
// in parentheses after the date. The closing one, read by the recognizer
// but no letter of the value, stands beside the value's last e; its top,
// above the e's x-height, is no accent, however near the e it is printed
// (pull: how far, in the e's advance, it is drawn into the gap); the
// accent of a value's last é is still read.
func TestAccentValueParenthesis(t *testing.T) {
	fs, err := synth.LoadFonts("")
	if err != nil {
		t.Skipf("fonts not installed (make deps): %v", err)
	}
	const top = 20
	for _, c := range []struct{ printed, value, want string }{
		{"(Nice)", "Nice", ""},
		{"(Marseille)", "Marseille", ""},
		{"(Chloé)", "Chloe", "Chloé"},
	} {
		for _, sigma := range []float64{0, 1.5} {
			for _, pull := range []float64{0, 0.15, 0.25} {
				line, chars := closedLine(fs.Sans, c.printed, top, sigma, pull)
				f, q := linePhoto(t, line, top)
				got, ok := accentValue(f, q, models.Text{Chars: chars}, c.value)
				f.Close()
				if got != c.want || ok != (c.want != "") {
					t.Errorf("%q (blur %.1f, parenthesis pulled in %.2f) value %q: %q, %v; want %q", c.printed, sigma, pull, c.value, got, ok, c.want)
				}
			}
		}
	}
}

// closedLine is accentLine's line with the closing parenthesis drawn pull
// of the letter before it's advance nearer to it.
func closedLine(f *synth.Font, text string, top int, sigma, pull float64) (*image.Gray, []models.Char) {
	size := 45.0
	w := 20 + int(synth.TextWidth(f, size, text)) + 20
	img := image.NewGray(image.Rect(0, 0, w, top+48+12))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.Gray{Y: 220}), image.Point{}, draw.Src)
	base := float64(top + 40)
	x, prev := 20.0, 0.0
	var chars []models.Char
	for _, r := range text {
		adv := synth.TextWidth(f, size, string(r))
		if r == ')' {
			x -= pull * prev
		}
		synth.DrawText(img, f, size, x, base, string(r), color.Gray{Y: 35})
		c := (x + adv/2) / float64(w)
		chars = append(chars, models.Char{Char: string(bareLower(r)), Prob: 0.9, X0: c - 0.01, X1: c + 0.01})
		x += adv
		prev = adv
	}
	if sigma == 0 {
		return img, chars
	}
	return blurGray(img, sigma), chars
}
