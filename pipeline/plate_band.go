package pipeline

import (
	"image"
	"math"

	"docscan/geom"
	"docscan/preprocess"
)

// The blue EU band: plates of the EU's members (and of some neighbours)
// carry a blue field with the stars and the country's letters at their
// left end, about half a character height wide, right before the print.
// American, Brazilian and Swiss plates have none: where the band is seen,
// the plate is not guessed to be one of those (plates.Options.Band). Its
// absence tells little (older plates, Slovak and Czech series without it,
// a band lost in shade or glare), and is not used.

// Where the band is looked for, in heights of the print's box: from
// bandReach before the box's start to bandInside into it (a box may take
// in part of the band), and bandPad above and below it.
const (
	bandReach  = 1.6
	bandInside = 0.3
	bandPad    = 0.15
	bandRows   = 24 // rows of the strip as measured
)

// The band's extent along the line, in box heights: a run of blue columns
// narrower is a speck, one wider a blue car around the plate (the bands
// seen measure 0.2-0.6 on synthetic German plates, 0.3-0.5 on the real
// European photos; a dark blue car's body left of an American plate 1.0).
const (
	bandMinWidth = 0.2
	bandMaxWidth = 0.75
	// a column is blue when this share of its rows is
	bandColumn = 0.5
	// before the band, at least this much of a box height, and at most
	// this share of it blue
	bandLead     = 0.15
	bandLeadBlue = 0.2
)

// euBand reports whether the blue EU band stands before the print of box
// q (original coordinates, reading direction from q[0] to q[1]). A box
// less than twice as wide as high (two lines, or a part) is not judged.
func euBand(f *preprocess.Frame, q geom.Quad) bool {
	h := q.Height()
	if h < 8 || q.Width() < 2*h {
		return false
	}
	boxRows := float64(bandRows) / (1 + 2*bandPad)
	img, err := f.Warp(bandStrip(q, h), int(boxRows*(bandReach+bandInside)+0.5), bandRows, false)
	if err != nil {
		return false
	}
	rgba, ok := img.(*image.RGBA)
	if !ok {
		return false
	}
	return bandIn(rgba, boxRows)
}

// bandStrip is the quad before box q (height h) where the band may lie.
func bandStrip(q geom.Quad, h float64) geom.Quad {
	along := unit(geom.Point{q[1][0] - q[0][0], q[1][1] - q[0][1]})
	down := unit(geom.Point{q[3][0] - q[0][0], q[3][1] - q[0][1]})
	at := func(p geom.Point, a, d float64) geom.Point {
		return geom.Point{p[0] + a*along[0] + d*down[0], p[1] + a*along[1] + d*down[1]}
	}
	return geom.Quad{
		at(q[0], -bandReach*h, -bandPad*h),
		at(q[0], bandInside*h, -bandPad*h),
		at(q[3], bandInside*h, bandPad*h),
		at(q[3], -bandReach*h, bandPad*h),
	}
}

func unit(p geom.Point) geom.Point {
	n := math.Hypot(p[0], p[1])
	if n == 0 {
		return geom.Point{1, 0}
	}
	return geom.Point{p[0] / n, p[1] / n}
}

// bandIn judges the strip img, whose box height is boxH pixels: the band
// is a run of blue columns of a band's width (narrower is a speck of blue)
// with other colours before it, for at least bandLead of a box height and
// most of the way from the strip's start (blue from the strip's start on,
// even broken, is a blue car around the plate).
func bandIn(img *image.RGBA, boxH float64) bool {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	found, blueCols := false, 0
	for x, start := 0, -1; x <= w; x++ {
		blue := 0
		for y := 0; x < w && y < h; y++ {
			o := img.PixOffset(b.Min.X+x, b.Min.Y+y)
			if isBandBlue(int(img.Pix[o]), int(img.Pix[o+1]), int(img.Pix[o+2])) {
				blue++
			}
		}
		switch {
		case x < w && float64(blue) >= bandColumn*float64(h):
			if start < 0 {
				start = x
			}
		case start >= 0:
			wb := float64(x-start) / boxH
			lead := float64(start) >= bandLead*boxH && float64(blueCols) <= bandLeadBlue*float64(start)
			found = found || lead && wb >= bandMinWidth && wb <= bandMaxWidth
			blueCols += x - start
			start = -1
		}
	}
	return found
}

// isBandBlue: the band's blue (RGB 0, 51, 153), also darkened by shade
// or night (down to about 3, 15, 42 on synthetic night scenes): blue well
// above red and above green.
func isBandBlue(r, g, b int) bool {
	return b >= 36 && b >= r+35 && b >= g+15 && 2*b >= 3*r
}
