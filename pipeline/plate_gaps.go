package pipeline

import (
	"image"
	"sort"

	"docscan/models"
	"docscan/preprocess"
)

// The space between a German plate's letters and its digits is narrow
// (FZV: about a third of a character), too narrow for the recognizer's
// character positions, which come in steps of a quarter character or
// more: HB-I 181 and the Dutch HB-11-81 read alike as HB1181, AÖ-TI 2 and
// AÖ-T 12 as AÖT12. Between the glyphs' ink the space is plain: the run of
// blank columns there is two to three times as wide as between letters.

// inkColumns counts, per column of a gray plate crop, the pixels of its
// middle rows (where every glyph has ink and the plate's frame has none)
// darker than their Otsu threshold: plate print is dark on a light field.
func inkColumns(img *image.Gray) []int {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w < 4 || h < 8 {
		return nil
	}
	band := img.SubImage(image.Rect(b.Min.X, b.Min.Y+h/5, b.Max.X, b.Min.Y+h*4/5)).(*image.Gray)
	t := otsu(band)
	cols := make([]int, w)
	for y := 0; y < band.Rect.Dy(); y++ {
		for x, v := range band.Pix[y*band.Stride : y*band.Stride+w] {
			if v < t {
				cols[x]++
			}
		}
	}
	return cols
}

// blankRun is the longest run of columns in (a, b) holding at most
// floor inked pixels.
func blankRun(cols []int, a, b float64, floor int) int {
	best, run := 0, 0
	for x := int(a) + 1; x < int(b) && x < len(cols); x++ {
		if x >= 0 && cols[x] <= floor {
			run++
			best = max(best, run)
		} else {
			run = 0
		}
	}
	return best
}

// softGap is the kept character after which a plate's letters end and its
// digits begin, measured in the crop's ink: after the seal (the first split
// hint), the blank run between two neighbouring characters that is at
// least twice the median of the others there, 2.5 pixels or more, and
// clearly the widest (the next is under 0.6 of it). -1 when no gap stands
// out, or the reading has no seal hint or too few characters after it.
func softGap(img *image.Gray, chars []models.Char, sealAfter map[int]bool) int {
	seal := -1
	for i := 0; i < len(chars); i++ {
		if sealAfter[i] {
			seal = i
			break
		}
	}
	if seal < 0 || len(chars)-seal-1 < 3 {
		return -1
	}
	cols := inkColumns(img)
	if cols == nil {
		return -1
	}
	top, ok := widestGap(inkGaps(cols, chars, seal+1))
	if !ok {
		return -1
	}
	return top
}

// inkGaps is the blank run between each kept character from the first on
// and the next, in the crop's ink columns.
func inkGaps(cols []int, chars []models.Char, first int) []inkGap {
	w := float64(len(cols))
	var gaps []inkGap
	for i := first; i+1 < len(chars); i++ {
		a := (chars[i].X0 + chars[i].X1) / 2 * w
		b := (chars[i+1].X0 + chars[i+1].X1) / 2 * w
		gaps = append(gaps, inkGap{i, blankRun(cols, a, b, 1)})
	}
	return gaps
}

// inkGap is the blank run of px columns after kept character at.
type inkGap struct{ at, px int }

// widestGap is the character after which the widest of gaps stands out:
// 2.5 pixels or more, at least twice the median of the others, and
// clearly the widest (the next is under 0.6 of it).
func widestGap(gaps []inkGap) (int, bool) {
	if len(gaps) < 2 {
		return -1, false
	}
	gaps = append([]inkGap(nil), gaps...)
	sort.SliceStable(gaps, func(i, j int) bool { return gaps[i].px > gaps[j].px })
	top, next := gaps[0], gaps[1]
	rest := make([]int, 0, len(gaps)-1)
	for _, g := range gaps[1:] {
		rest = append(rest, g.px)
	}
	sort.Ints(rest)
	med := float64(rest[len(rest)/2])
	if float64(top.px) < 2.5 || float64(top.px) < 2*med || float64(next.px) >= 0.6*float64(top.px) {
		return -1, false
	}
	return top.at, true
}

// sealGap is the kept character after which a German plate's district
// ends, measured in the crop's ink where the reading marks no seal: the
// seal (or the space it leaves) is the widest blank run of the line,
// after its first, second or third character, 2.5 pixels or more, at least
// twice the median of the other runs and clearly the widest (the next,
// the space before the digits among them, is under 0.6 of it). -1 when
// no such run stands out.
func sealGap(img *image.Gray, chars []models.Char) int {
	if len(chars) < 4 {
		return -1
	}
	cols := inkColumns(img)
	if cols == nil {
		return -1
	}
	top, ok := widestGap(inkGaps(cols, chars, 0))
	if !ok || top > 2 {
		return -1
	}
	return top
}

// The top line of a two-line plate ends with the seal and the inspection
// sticker, which the recognizer reads, when at all, as an unsure last
// character (topLineReading drops it); a letter dimmed by glare or blur
// reads unsure too (the second D of DD over Q 3973H). The badges are
// coloured or small (a coat of arms, a year number, ticks around a
// sticker's rim), a letter's ink black and as tall as its neighbours'.

// Print tests of an unsure last character's ink (lastIsPrint): its height
// as a share of the sure characters' median, and how much more colourful
// it may be than theirs (mean max-min of its ink pixels' RGB).
const (
	printShare  = 0.8
	printChroma = 20
)

// lastIsPrint reports whether the last character of PP-OCR region r, a
// plate character read unsure, is print by its ink: as tall as the sure
// characters' (printShare of their median glyphBox height) and as
// colourless (printChroma); false where nothing measures.
func lastIsPrint(f *preprocess.Frame, r Region) bool {
	n := len(r.Chars)
	if r.Engine != "ppocr" || n < 2 || !isPlateRune(r.Chars[n-1].Char) || r.Chars[n-1].Prob >= minPlateCharProb {
		return false
	}
	var chars []models.Char
	for _, c := range r.Chars {
		if isPlateRune(c.Char) {
			chars = append(chars, c)
		}
	}
	img, top, ok := marginWarp(f, r.Quad, umlautLift, 0.25, false)
	if !ok {
		return false
	}
	rgba, ok := img.(*image.RGBA)
	if !ok {
		return false
	}
	l := newPlateLine(grayOf(rgba), top, chars)
	if l == nil {
		return false
	}
	var hs, cs []int
	for i, c := range chars[:len(chars)-1] {
		if c.Prob < minPlateCharProb {
			continue
		}
		if b, ok := l.glyphBox(i); ok {
			hs = append(hs, b.Dy())
			cs = append(cs, inkChroma(rgba, l, b))
		}
	}
	if len(hs) == 0 {
		return false
	}
	sort.Ints(hs)
	sort.Ints(cs)
	b, ok := l.glyphBox(len(chars) - 1)
	return ok && float64(b.Dy()) >= printShare*float64(hs[len(hs)/2]) && inkChroma(rgba, l, b) <= cs[len(cs)/2]+printChroma
}

// inkChroma is the mean colourfulness (max - min of RGB) of line l's ink
// pixels in box r of img (l's crop in colour).
func inkChroma(img *image.RGBA, l *plateLine, r image.Rectangle) int {
	sum, n := 0, 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if l.g.GrayAt(x, y).Y >= l.thr {
				continue
			}
			o := img.PixOffset(img.Bounds().Min.X+x, img.Bounds().Min.Y+y)
			p := img.Pix[o : o+3]
			sum += int(max(p[0], p[1], p[2]) - min(p[0], p[1], p[2]))
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / n
}
