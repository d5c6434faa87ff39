// Command ocrbcells writes the OCR-B cell table the MRZ reader compares
// character cells with (pipeline/ocrb_cells.bin), rendered from
// fonts-ocr-b by synth.OCRBCells:
//
//	go run ./cmd/ocrbcells -out pipeline/ocrb_cells.bin
//
// TestOCRBCellsTable checks the committed table against the font.
package main

import (
	"flag"
	"fmt"
	"os"

	"docscan/synth"
)

// Pitch is the table's resolution in pixels per print pitch.
const Pitch = 24

func main() {
	out := flag.String("out", "pipeline/ocrb_cells.bin", "table to write")
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
}
