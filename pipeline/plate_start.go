package pipeline

import (
	"image"
	"strings"

	"docscan/geom"
	"docscan/preprocess"
)

// A plate line whose reading lost its first characters still makes a
// plate (S-S 73 of HÖS-S 73, the plate finder's row starting at the
// district's last letter; S-V 1152 of KS over V 1152, the K read as a
// '#'; Y24 under BÜS, the recognizer passing over the O at the crop's
// start): such a plate must not answer a plate request before the text
// detector's regions are read. The print says so: between the blue band
// (or the plate's edge) and the first character read there stands another
// glyph's ink. On the 300 synthetic plate scenes (seed 11) this sent 8
// scenes on to the text detector, each with a plate start lost, and read
// 3 more plates right (251 -> 254), none fewer; two workers, median
// latency 147/138 -> 156/146 ms in alternate runs.

// Where unread print is looked for before a line's first read character:
// from printReach of the line's box heights before the box's start.
const printReach = 1.2

// The test's thresholds: a column is inked with printColInk pixels of ink
// (dark and not the band's blue) among the box's middle rows; a run of
// inked columns is a glyph when printMinWidth to printMaxWidth heights
// wide with a blank column before it (a run from the search's start is a
// car's body or the plate's surround, a thin one the plate's rim).
const (
	printColInk   = 3
	printMinWidth = 0.15
	printMaxWidth = 0.9
)

// startsUnread: a line of regs has unread print before its reading
// (printBefore). Asked only of a plate that would answer a plate request
// (confidentPlates), not of every plate the builder makes.
func startsUnread(f *preprocess.Frame, regs []Region) bool {
	for _, r := range regs {
		if printBefore(f, r) {
			return true
		}
	}
	return false
}

// printBefore reports whether unread print stands before region r's
// first plate character (PP-OCR readings; false where nothing measures):
// a character read as no plate's (K as '#') before it, or a glyph's ink
// between the band and the glyph of that character (found at its centre:
// the reading's character spans are coarse, a W's starts a fifth of a
// height late).
func printBefore(f *preprocess.Frame, r Region) bool {
	first := -1
	for k, c := range r.Chars {
		if isPlateRune(c.Char) {
			first = k
			break
		}
	}
	if first < 0 || r.Engine != "ppocr" {
		return false
	}
	for _, c := range r.Chars[:first] {
		if strings.TrimSpace(c.Char) != "" && !isSealMark(c.Char) && !strings.ContainsAny(c.Char, "-.:·") {
			return true
		}
	}
	q := r.Quad
	h, w := q.Height(), q.Width()
	if h < 8 || w < 2 {
		return false
	}
	reach := printReach * h / w
	const hh = 48
	img, err := f.Warp(extendLeft(q, reach), max(8, int(hh*(w+reach*w)/h+0.5)), hh, false)
	if err != nil {
		return false
	}
	rgba, ok := img.(*image.RGBA)
	if !ok {
		return false
	}
	c := r.Chars[first]
	centre := hh*reach*w/h + (c.X0+c.X1)/2*hh*w/h // in crop columns
	return glyphBefore(rgba, centre, hh)
}

// extendLeft lengthens q against its reading direction by reach times its
// width (past the photo's edge the warp repeats the border, which holds
// no glyph; extendRight instead shrinks its reach to stay in the photo).
func extendLeft(q geom.Quad, reach float64) geom.Quad {
	top := geom.Point{q[1][0] - q[0][0], q[1][1] - q[0][1]}
	bot := geom.Point{q[2][0] - q[3][0], q[2][1] - q[3][1]}
	o := q
	o[0] = geom.Point{q[0][0] - reach*top[0], q[0][1] - reach*top[1]}
	o[3] = geom.Point{q[3][0] - reach*bot[0], q[3][1] - reach*bot[1]}
	return o
}

// glyphBefore reports whether line crop img (hh rows high) holds, after
// the blue band where there is one, a glyph's run of inked columns (blank
// columns before it) that ends before the run at column centre starts,
// or that run starts a glyph's width or more before centre (two glyphs
// run together).
func glyphBefore(img *image.RGBA, centre float64, hh int) bool {
	b := img.Bounds()
	end := min(int(centre), b.Dx())
	if end < 4 {
		return false
	}
	g := grayOf(img)
	y0, y1 := hh/5, hh*4/5
	t := otsu(g.SubImage(image.Rect(0, y0, b.Dx(), y1)).(*image.Gray))
	count := func(x int) (ink, blue int) {
		for y := y0; y < y1; y++ {
			o := img.PixOffset(b.Min.X+x, b.Min.Y+y)
			if isBandBlue(int(img.Pix[o]), int(img.Pix[o+1]), int(img.Pix[o+2])) {
				blue++
			} else if g.Pix[y*g.Stride+x] < t {
				ink++
			}
		}
		return ink, blue
	}
	// the search starts after the band (its last column a quarter blue
	// or more): its blurred edges are dark, and not blue enough
	from := 0
	inked := make([]bool, end)
	for x := end - 1; x >= 0; x-- {
		ink, blue := count(x)
		if 4*blue >= y1-y0 {
			from = x + 1
			break
		}
		inked[x] = ink >= printColInk
	}
	// the run holding centre (or ending right before it)
	s0 := end
	for s0 > from && inked[s0-1] {
		s0--
	}
	if s0 > from && float64(end-s0) >= printMaxWidth*float64(hh) {
		return true
	}
	lo, hi := printMinWidth*float64(hh), printMaxWidth*float64(hh)
	start := -1
	for x := from; x < s0; x++ {
		if inked[x] {
			if start < 0 {
				start = x
			}
			continue
		}
		if start > from { // a run from the search's start is the band's edge or the surround
			if wr := float64(x - start); wr >= lo && wr <= hi {
				return true
			}
		}
		start = -1
	}
	return false
}

// grayOf is img in gray (ITU-R BT.601 luma, as OpenCV converts).
func grayOf(img *image.RGBA) *image.Gray {
	b := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			o := img.PixOffset(b.Min.X+x, b.Min.Y+y)
			r, gg, bb := int(img.Pix[o]), int(img.Pix[o+1]), int(img.Pix[o+2])
			g.Pix[y*g.Stride+x] = uint8((299*r + 587*gg + 114*bb + 500) / 1000)
		}
	}
	return g
}
