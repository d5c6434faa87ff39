// Package ocr wraps Tesseract (through gosseract) for reading single text
// lines cut out by the pipeline. One Tesseract client per worker, reused for
// every line: creating one costs tens of milliseconds.
package ocr

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"strconv"
	"strings"

	"github.com/otiai10/gosseract/v2"
)

// Options configure a Tesseract engine.
type Options struct {
	// Languages, default ["eng"].
	Languages []string
	// TessdataPrefix is the directory holding *.traineddata; "" uses the
	// system default (/usr/share/tesseract-ocr/5/tessdata on Debian).
	TessdataPrefix string
}

// LineOptions configure one read.
type LineOptions struct {
	// Whitelist restricts the characters Tesseract may output ("" = all).
	Whitelist string
	// Symbols asks for per-character boxes and confidences (one extra pass).
	Symbols bool
}

// Symbol is one recognized character with its box in crop pixels.
type Symbol struct {
	Char string
	Conf float64 // 0..1
	Box  image.Rectangle
	// Alts are the recognizer's readings of this character, best first
	// (SymbolReader only).
	Alts []Alt
}

// Line is the result of reading one text line.
type Line struct {
	Text    string
	Conf    float64 // 0..1, mean of the symbol confidences when known
	Symbols []Symbol
}

// Tesseract is one Tesseract client. Not safe for concurrent use.
type Tesseract struct {
	c         *gosseract.Client
	whitelist string
	closed    bool
}

// NewTesseract creates a client in single-line mode.
func NewTesseract(o Options) (*Tesseract, error) {
	c := gosseract.NewClient()
	langs := o.Languages
	if len(langs) == 0 {
		langs = []string{"eng"}
	}
	if err := c.SetLanguage(langs...); err != nil {
		c.Close()
		return nil, fmt.Errorf("tesseract languages: %w", err)
	}
	if o.TessdataPrefix != "" {
		if err := c.SetTessdataPrefix(o.TessdataPrefix); err != nil {
			c.Close()
			return nil, fmt.Errorf("tesseract data: %w", err)
		}
	}
	if err := c.SetPageSegMode(gosseract.PSM_SINGLE_LINE); err != nil {
		c.Close()
		return nil, fmt.Errorf("tesseract mode: %w", err)
	}
	_ = c.SetVariable("user_defined_dpi", "300")
	_ = c.SetVariable("debug_file", "/dev/null")
	return &Tesseract{c: c}, nil
}

// ReadLine recognizes one text line in img.
func (t *Tesseract) ReadLine(ctx context.Context, img *image.Gray, lo LineOptions) (Line, error) {
	if err := ctx.Err(); err != nil {
		return Line{}, err
	}
	if t.closed {
		return Line{}, fmt.Errorf("tesseract: client closed")
	}
	b := img.Bounds()
	if b.Dx() < 4 || b.Dy() < 4 {
		return Line{}, fmt.Errorf("tesseract: crop too small (%dx%d)", b.Dx(), b.Dy())
	}
	if lo.Whitelist != t.whitelist {
		if err := t.c.SetWhitelist(lo.Whitelist); err != nil {
			return Line{}, fmt.Errorf("tesseract whitelist: %w", err)
		}
		t.whitelist = lo.Whitelist
	}
	if err := t.c.SetImageFromBytes(encodePGM(img)); err != nil {
		return Line{}, fmt.Errorf("tesseract image: %w", err)
	}
	var l Line
	if lo.Symbols {
		boxes, err := t.c.GetBoundingBoxes(gosseract.RIL_SYMBOL)
		if err != nil {
			return Line{}, fmt.Errorf("tesseract: %w", err)
		}
		var sb strings.Builder
		var sum float64
		for _, bb := range boxes {
			s := Symbol{Char: bb.Word, Conf: bb.Confidence / 100, Box: bb.Box}
			l.Symbols = append(l.Symbols, s)
			sb.WriteString(bb.Word)
			sum += s.Conf
		}
		l.Text = sb.String()
		if len(boxes) > 0 {
			l.Conf = sum / float64(len(boxes))
		}
		return l, nil
	}
	// One recognition pass: the text-line iterator gives text and
	// confidence together (Text() followed by boxes would recognize twice).
	lines, err := t.c.GetBoundingBoxes(gosseract.RIL_TEXTLINE)
	if err != nil {
		return Line{}, fmt.Errorf("tesseract: %w", err)
	}
	var parts []string
	var sum float64
	for _, ln := range lines {
		parts = append(parts, strings.TrimSpace(ln.Word))
		sum += ln.Confidence / 100
	}
	l.Text = strings.TrimSpace(strings.Join(parts, " "))
	if len(lines) > 0 {
		l.Conf = sum / float64(len(lines))
	}
	return l, nil
}

// Close frees the client; safe to call twice.
func (t *Tesseract) Close() error {
	if t == nil || t.closed {
		return nil
	}
	t.closed = true
	return t.c.Close()
}

// Version is the Tesseract library version.
func Version() string { return gosseract.Version() }

// encodePGM writes img as a binary PGM, which Leptonica reads without the
// cost of PNG compression.
func encodePGM(img *image.Gray) []byte {
	b := img.Bounds()
	var buf bytes.Buffer
	buf.Grow(b.Dx()*b.Dy() + 32)
	buf.WriteString("P5\n" + strconv.Itoa(b.Dx()) + " " + strconv.Itoa(b.Dy()) + "\n255\n")
	for y := b.Min.Y; y < b.Max.Y; y++ {
		off := img.PixOffset(b.Min.X, y)
		buf.Write(img.Pix[off : off+b.Dx()])
	}
	return buf.Bytes()
}
