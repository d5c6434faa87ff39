// Command ocrbcells writes the OCR-B cell table the MRZ reader compares
// character cells with (pipeline/ocrb_cells.bin), rendered from
// fonts-ocr-b by synth.OCRBCells, and the plate font's glyph table the
// plate reader compares confusable characters with
// (pipeline/din_glyphs.bin), rendered from fonts-opendin by
// synth.DINGlyphs:
//
//	go run ./cmd/ocrbcells
//
// TestOCRBCellsTable and TestDINGlyphsTable check the committed tables
// against the fonts.
package main

import (
	"flag"
	"fmt"
	"os"

	"docscan/synth"
)

// Pitch is the OCR-B table's resolution in pixels per print pitch.
const Pitch = 24

// DINCapHeight and DINPad are the plate table's capital height and the
// paper around each glyph, in pixels.
const (
	DINCapHeight = 32
	DINPad       = 3
)

func main() {
	out := flag.String("out", "pipeline/ocrb_cells.bin", "OCR-B table to write")
	dinOut := flag.String("din-out", "pipeline/din_glyphs.bin", "plate font table to write")
	fonts := flag.String("fonts", "", "font directory (default: the system's)")
	flag.Parse()
	fs, err := synth.LoadFonts(*fonts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ocrbcells:", err)
		os.Exit(1)
	}
	b, err := synth.OCRBCells(fs.OCRB, Pitch)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ocrbcells:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "ocrbcells:", err)
		os.Exit(1)
	}
	d, err := synth.DINGlyphs(fs.DIN, DINCapHeight, DINPad)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ocrbcells:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*dinOut, d, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "ocrbcells:", err)
		os.Exit(1)
	}
}
