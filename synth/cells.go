package synth

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
)

// MRZChars are the characters an MRZ is printed with.
const MRZChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"

// Cell geometry of OCRBCells, in units of the print pitch (the advance
// width): a cell spans CellHalfWidth either side of its character's
// centre, CellAbove above the baseline and CellBelow below it. OCR-B's
// widest glyphs are 0.69 pitches wide and its digits rise 1.07 pitches.
const (
	CellHalfWidth = 0.6
	CellAbove     = 1.25
	CellBelow     = 0.2
)

// OCRBCells renders each MRZ character of f centred in a cell of the
// geometry above at pitch pixels per pitch, black on white, and returns
// the cells' ink coverage (0 paper .. 255 ink) in a binary table:
// "OCRB", then pitch, width, height and the baseline's row as uint16
// (little endian), the count of characters as uint16, and per character
// its byte followed by width*height coverage bytes, row by row. The table
// is what pipeline/ocrb_cells.bin holds (made by cmd/ocrbcells).
func OCRBCells(f *Font, pitch int) ([]byte, error) {
	if pitch < 8 || pitch > 200 {
		return nil, fmt.Errorf("ocrb cells: pitch %d out of range", pitch)
	}
	p := float64(pitch)
	w := int(math.Round(2 * CellHalfWidth * p))
	h := int(math.Round((CellAbove + CellBelow) * p))
	base := int(math.Round(CellAbove * p))
	size := p / 0.7227 // OCR-B's advance is 0.7227 em
	var buf bytes.Buffer
	buf.WriteString("OCRB")
	for _, v := range []int{pitch, w, h, base, len(MRZChars)} {
		binary.Write(&buf, binary.LittleEndian, uint16(v))
	}
	for i := 0; i < len(MRZChars); i++ {
		c := MRZChars[i]
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
		adv := DrawText(img, f, size, float64(w)/2-p/2, float64(base), string(c), color.Black)
		if math.Abs(adv-p) > 0.05*p {
			return nil, fmt.Errorf("ocrb cells: %q advances %.2f px, not the pitch %d", c, adv, pitch)
		}
		buf.WriteByte(c)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				r, g, b, _ := img.At(x, y).RGBA()
				lum := (299*float64(r) + 587*float64(g) + 114*float64(b)) / 1000 / 0xffff
				buf.WriteByte(uint8(math.Round(255 * (1 - lum))))
			}
		}
	}
	return buf.Bytes(), nil
}

// PlateChars are the characters of a German plate that DINGlyphs renders.
const PlateChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// DINGlyphs renders each plate character of f (the plate font) with its
// capitals capH pixels high, black on white, cropped to the glyph's ink
// columns and to the capitals' rows, pad pixels of paper around, and
// returns the glyphs' ink coverage (0 paper .. 255 ink) in a binary table:
// "DIN1", then capH, pad and the count of characters as uint16 (little
// endian), and per character its byte, its width as uint16 and
// width*(capH+2*pad) coverage bytes, row by row. The table is what
// pipeline/din_glyphs.bin holds (made by cmd/ocrbcells).
func DINGlyphs(f *Font, capH, pad int) ([]byte, error) {
	if capH < 8 || capH > 200 || pad < 0 || pad > capH {
		return nil, fmt.Errorf("din glyphs: cap height %d, pad %d out of range", capH, pad)
	}
	size := float64(capH) / CapHeight(f)
	h := capH + 2*pad
	var buf bytes.Buffer
	buf.WriteString("DIN1")
	for _, v := range []int{capH, pad, len(PlateChars)} {
		binary.Write(&buf, binary.LittleEndian, uint16(v))
	}
	for i := 0; i < len(PlateChars); i++ {
		c := PlateChars[i]
		cw := int(math.Ceil(TextWidth(f, size, string(c)))) + 2*capH
		img := image.NewRGBA(image.Rect(0, 0, cw, h))
		draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
		DrawText(img, f, size, float64(capH), float64(pad+capH), string(c), color.Black)
		cov := make([]uint8, cw*h)
		x0, x1 := cw, 0
		for y := 0; y < h; y++ {
			for x := 0; x < cw; x++ {
				r, g, b, _ := img.At(x, y).RGBA()
				lum := (299*float64(r) + 587*float64(g) + 114*float64(b)) / 1000 / 0xffff
				v := uint8(math.Round(255 * (1 - lum)))
				cov[y*cw+x] = v
				if v > 127 {
					x0, x1 = min(x0, x), max(x1, x+1)
				}
			}
		}
		if x1 <= x0 {
			return nil, fmt.Errorf("din glyphs: %q has no ink", c)
		}
		x0, x1 = max(0, x0-pad), min(cw, x1+pad)
		buf.WriteByte(c)
		binary.Write(&buf, binary.LittleEndian, uint16(x1-x0))
		for y := 0; y < h; y++ {
			buf.Write(cov[y*cw+x0 : y*cw+x1])
		}
	}
	return buf.Bytes(), nil
}

// PlateNetChars are the plate character classifier's classes in output
// order: PlateChars, then the umlauts Ä, Ö and Ü as a, o and u.
const PlateNetChars = PlateChars + "aou"
