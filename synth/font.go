package synth

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"os"
	"path/filepath"
)

// DefaultFontDir is where the Debian font packages install their files.
const DefaultFontDir = "/usr/share/fonts"

// fontBackend parses one font file; see font_sfnt.go.
type fontBackend interface {
	newFace(size float64) faceBackend
}

// faceBackend is one font at one size; not safe for concurrent use.
type faceBackend interface {
	// glyph returns the mask of r drawn with its origin at (x, y) (baseline).
	glyph(x, y float64, r rune) (dr image.Rectangle, mask image.Image, mp image.Point, adv float64, ok bool)
	// bounds returns r's ink box relative to its origin (y down) and advance.
	bounds(r rune) (minX, minY, maxX, maxY, adv float64, ok bool)
}

// Font is a parsed font file. Glyphs it lacks are taken from Fallback.
type Font struct {
	Name     string
	Fallback *Font
	be       fontBackend
}

// Fonts are the faces the generators draw with.
type Fonts struct {
	OCRB     *Font // MRZ (fonts-ocr-b); '<' comes from the Sharp cut, the regular one lacks it
	DIN      *Font // plates (fonts-opendin, DIN 1451 Mittelschrift style)
	Sans     *Font // document printing (DejaVu Sans)
	SansBold *Font
	Serif    *Font
}

// fontFiles are the font files below the font directory; the base name alone
// is tried too, so a flat directory of copies works.
var fontFiles = []struct{ name, rel string }{
	{"ocrb", "opentype/ocr-b/OCRB.otf"},
	{"ocrbs", "opentype/ocr-b/OCRBS.otf"},
	{"din", "truetype/opendin/OSP-DIN.ttf"},
	{"sans", "truetype/dejavu/DejaVuSans.ttf"},
	{"sansbold", "truetype/dejavu/DejaVuSans-Bold.ttf"},
	{"serif", "truetype/dejavu/DejaVuSerif.ttf"},
}

// LoadFonts loads the generator fonts from dir (DefaultFontDir when empty).
func LoadFonts(dir string) (*Fonts, error) {
	if dir == "" {
		dir = DefaultFontDir
	}
	got := map[string]*Font{}
	for _, ff := range fontFiles {
		var f *Font
		var err error
		for _, p := range []string{filepath.Join(dir, ff.rel), filepath.Join(dir, filepath.Base(ff.rel))} {
			if f, err = LoadFont(p); err == nil {
				break
			}
		}
		if err != nil {
			return nil, fmt.Errorf("load font %s: %w", ff.name, err)
		}
		got[ff.name] = f
	}
	got["ocrb"].Fallback = got["ocrbs"]
	return &Fonts{OCRB: got["ocrb"], DIN: got["din"], Sans: got["sans"], SansBold: got["sansbold"], Serif: got["serif"]}, nil
}

// LoadFont reads and parses one OpenType/TrueType file.
func LoadFont(path string) (*Font, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read font: %w", err)
	}
	be, err := parseFont(b)
	if err != nil {
		return nil, fmt.Errorf("parse font %s: %w", path, err)
	}
	return &Font{Name: filepath.Base(path), be: be}, nil
}

// face is a font at a size with its fallback chain.
type face struct {
	faces []faceBackend
}

func (f *Font) face(size float64) *face {
	fc := &face{}
	for g := f; g != nil; g = g.Fallback {
		fc.faces = append(fc.faces, g.be.newFace(size))
	}
	return fc
}

func (fc *face) glyph(x, y float64, r rune) (image.Rectangle, image.Image, image.Point, float64, bool) {
	for _, f := range fc.faces {
		if dr, m, mp, adv, ok := f.glyph(x, y, r); ok {
			return dr, m, mp, adv, true
		}
	}
	return image.Rectangle{}, nil, image.Point{}, 0, false
}

func (fc *face) bounds(r rune) (minX, minY, maxX, maxY, adv float64, ok bool) {
	for _, f := range fc.faces {
		if minX, minY, maxX, maxY, adv, ok = f.bounds(r); ok {
			return
		}
	}
	return
}

// DrawText draws s with its baseline origin at (x, y), em size in pixels,
// and returns the advance.
func DrawText(dst draw.Image, f *Font, size, x, y float64, s string, c color.Color) float64 {
	fc := f.face(size)
	src := image.NewUniform(c)
	x0 := x
	for _, r := range s {
		dr, m, mp, adv, ok := fc.glyph(x, y, r)
		if !ok {
			continue
		}
		if m != nil {
			draw.DrawMask(dst, dr, src, image.Point{}, m, mp, draw.Over)
		}
		fc.dieresis(dst, src, x, y, r)
		x += adv
	}
	return x - x0
}

// umlautBase maps the German umlauts to their base letters.
var umlautBase = map[rune]rune{'Ä': 'A', 'Ö': 'O', 'Ü': 'U'}

// dieresis draws the dots of an umlaut whose glyph the font draws without
// them (OSP-DIN's Ö is a plain O: a plate rendered with it shows BO where
// the truth says BÖ), borrowed from another umlaut of the font that has
// them and centred over the letter.
func (fc *face) dieresis(dst draw.Image, src image.Image, x, y float64, r rune) {
	base, ok := umlautBase[r]
	if !ok {
		return
	}
	x0, top, x1, _, _, ok1 := fc.bounds(r)
	_, baseTop, _, _, _, ok2 := fc.bounds(base)
	if !ok1 || !ok2 || top < baseTop-0.5 {
		return // the glyph reaches above its base letter: it has its dots
	}
	for _, d := range []rune{'Ü', 'Ä', 'Ö'} {
		if d == r {
			continue
		}
		dx0, dTop, dx1, _, _, ok := fc.bounds(d)
		_, dBaseTop, _, _, _, okB := fc.bounds(umlautBase[d])
		if !ok || !okB || dTop >= dBaseTop-0.5 {
			continue
		}
		shift := (x0+x1)/2 - (dx0+dx1)/2
		dr, m, mp, _, ok := fc.glyph(x+shift, y, d)
		if !ok || m == nil {
			return
		}
		// only the rows above the base letter: the dots
		clip := dr
		if lim := int(math.Floor(y + dBaseTop - 0.5)); clip.Max.Y > lim {
			clip.Max.Y = lim
		}
		if clip.Empty() {
			return
		}
		draw.DrawMask(dst, clip, src, image.Point{}, m, mp.Add(clip.Min.Sub(dr.Min)), draw.Over)
		return
	}
}

// TextWidth is the advance of s at size.
func TextWidth(f *Font, size float64, s string) float64 {
	fc := f.face(size)
	w := 0.0
	for _, r := range s {
		if _, _, _, _, adv, ok := fc.bounds(r); ok {
			w += adv
		}
	}
	return w
}

// CapHeight is the height of 'H' as a fraction of the em size.
func CapHeight(f *Font) float64 {
	fc := f.face(100)
	if _, minY, _, maxY, _, ok := fc.bounds('H'); ok && maxY-minY > 0 {
		return (maxY - minY) / 100
	}
	return 0.7
}

// DrawFixedPitch draws s in len(s) equal cells across width starting at x,
// with the baseline at y and capitals capH pixels high; each glyph is centred
// in its cell (MRZ lines: 44, 36 or 30 cells of OCR-B).
func DrawFixedPitch(dst draw.Image, f *Font, s string, x, y, width, capH float64, c color.Color) {
	rs := []rune(s)
	if len(rs) == 0 {
		return
	}
	size := capH / CapHeight(f)
	fc := f.face(size)
	src := image.NewUniform(c)
	cell := width / float64(len(rs))
	for i, r := range rs {
		minX, _, maxX, _, _, ok := fc.bounds(r)
		if !ok {
			continue
		}
		gx := x + cell*float64(i) + cell/2 - (minX+maxX)/2
		dr, m, mp, _, ok := fc.glyph(gx, y, r)
		if ok && m != nil {
			draw.DrawMask(dst, dr, src, image.Point{}, m, mp, draw.Over)
		}
	}
}

// FitTextSize returns the largest em size <= size at which s is at most width wide.
func FitTextSize(f *Font, size, width float64, s string) float64 {
	if w := TextWidth(f, size, s); w > width && w > 0 {
		return size * width / w
	}
	return size
}
