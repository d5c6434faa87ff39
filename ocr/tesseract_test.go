package ocr

import (
	"context"
	"image"
	"image/draw"
	"os"
	"strings"
	"testing"

	"github.com/disintegration/imaging"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"

	"docscan/internal/nativeenv"
)

func TestMain(m *testing.M) {
	nativeenv.Setup() // the native libraries' settings docscan runs with
	os.Exit(m.Run())
}

// line renders text black on white, enlarged 3x, as a gray image.
func line(text string) *image.Gray {
	face := basicfont.Face7x13
	w := font.MeasureString(face, text).Ceil() + 12
	img := image.NewGray(image.Rect(0, 0, w, 21))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	(&font.Drawer{Dst: img, Src: image.Black, Face: face, Dot: fixed.P(6, 15)}).DrawString(text)
	big := imaging.Resize(img, 3*w, 63, imaging.Lanczos)
	out := image.NewGray(big.Bounds())
	draw.Draw(out, out.Bounds(), big, image.Point{}, draw.Src)
	return out
}

func TestReadLine(t *testing.T) {
	tess, err := NewTesseract(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer tess.Close()
	ctx := context.Background()
	for _, c := range []struct {
		text string
		lo   LineOptions
	}{
		{"KA AB 1234", LineOptions{}},
		{"KA AB 1234", LineOptions{Whitelist: "ABK0123456789 ", Symbols: true}},
	} {
		l, err := tess.ReadLine(ctx, line(c.text), c.lo)
		if err != nil {
			t.Fatal(err)
		}
		if strings.ReplaceAll(l.Text, " ", "") != strings.ReplaceAll(c.text, " ", "") {
			t.Errorf("%+v: read %q, want %q", c.lo, l.Text, c.text)
		}
		if l.Conf <= 0.5 || l.Conf > 1 {
			t.Errorf("%+v: confidence %.2f", c.lo, l.Conf)
		}
		if c.lo.Symbols && len(l.Symbols) != len(strings.ReplaceAll(c.text, " ", "")) {
			t.Errorf("symbols %d: %+v", len(l.Symbols), l.Symbols)
		}
	}
	if _, err := tess.ReadLine(ctx, image.NewGray(image.Rect(0, 0, 2, 2)), LineOptions{}); err == nil {
		t.Errorf("tiny crop accepted")
	}
	tess.Close()
	tess.Close() // safe twice
	if _, err := tess.ReadLine(ctx, line("X"), LineOptions{}); err == nil {
		t.Errorf("read after close")
	}
}

func TestSymbolReader(t *testing.T) {
	r, err := NewSymbolReader(SymbolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx := context.Background()
	const text = "KA AB 1234"
	l, err := r.ReadLine(ctx, line(text), LineOptions{Whitelist: "ABK0123456789 "})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.ReplaceAll(text, " ", "")
	if l.Text != want || len(l.Symbols) != len(want) {
		t.Fatalf("read %q in %d symbols, want %q", l.Text, len(l.Symbols), want)
	}
	for _, s := range l.Symbols {
		if len(s.Alts) == 0 || s.Alts[0].Char != s.Char {
			t.Errorf("symbol %q: alternatives %+v do not start with it", s.Char, s.Alts)
		}
		if s.Conf <= 0.3 || s.Conf > 1 || s.Box.Empty() {
			t.Errorf("symbol %q: confidence %.2f, box %v", s.Char, s.Conf, s.Box)
		}
		for _, a := range s.Alts {
			if !strings.Contains("ABK0123456789", a.Char) {
				t.Errorf("alternative %q outside the whitelist", a.Char)
			}
		}
	}
	if _, err := NewSymbolReader(SymbolOptions{Language: "nonexistent"}); err == nil {
		t.Error("missing model loaded")
	}
	r.Close()
	r.Close() // safe twice
	if _, err := r.ReadLine(ctx, line("X"), LineOptions{}); err == nil {
		t.Error("read after close")
	}
}
