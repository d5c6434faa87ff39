package pipeline

import (
	_ "embed"
	"errors"
	"image"
	"math"
	"strings"
	"sync"

	"docscan/internal/cellnet"
	"docscan/models"
	"docscan/plates"
	"docscan/synth"
)

// The plate character classifier: a small fully connected net over a
// character's cell on a plate line (plateLine.cell), trained on the
// cells of synthetic plate scenes as this reader places them
// (scripts/train-plate-cells.sh: TestCollectPlateCells, cmd/ocrbtrain).
// Unlike the glyph table's templates it learned what blur, night noise,
// glare and JPEG do to the plate font's characters.

// plateCellW and plateCellH are a cell's size in samples; the cell spans
// plateCellSpanX times the capitals' height across and plateCellSpanY
// times it down, from plateCellLift of it above the capitals' top (an
// umlaut's dots).
const (
	plateCellW, plateCellH = 18, 28
	plateCellSpanX         = 0.9
	plateCellSpanY         = 1.4
	plateCellLift          = 0.3
)

// plateClass is the classifier's class byte for a plate character (Ä, Ö
// and Ü as a, o and u); 0 for a character it does not know.
func plateClass(r rune) byte {
	switch {
	case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return byte(r)
	case r >= 'a' && r <= 'z':
		return byte(r - 'a' + 'A')
	case r == 'Ä' || r == 'ä':
		return 'a'
	case r == 'Ö' || r == 'ö':
		return 'o'
	case r == 'Ü' || r == 'ü':
		return 'u'
	}
	return 0
}

// lineCaps is line l's capitals' top row and height: measured over all
// its characters where they agree (capitalsOf), else the text box's.
func (l *plateLine) lineCaps() (top, h float64) {
	if c, ok := l.capitalsOf(nil, 2); ok {
		return float64(c.top), float64(c.h)
	}
	return float64(l.top) + 4, 40
}

// cell is character i's cell on line l as the classifier takes it: the
// print's darkness (0 white .. 1 black) over plateCellW x plateCellH
// samples, each the mean of four bilinear reads, centred on the glyph's
// ink box where one is found (glyphBox), else on the reading's centre,
// shifted by dx and dy times the capitals' height. nil when i is out of
// range.
func (l *plateLine) cell(i int, dx, dy float64) []float64 {
	if l == nil || i < 0 || i >= len(l.cen) {
		return nil
	}
	top, h := l.lineCaps()
	return l.cellAt(l.cellCentre(i), top, h, dx, dy)
}

// cellCentre is the column cell centres character i's cell on.
func (l *plateLine) cellCentre(i int) float64 {
	if r, ok := l.glyphBox(i); ok {
		return float64(r.Min.X+r.Max.X) / 2
	}
	return l.cen[i]
}

// cellAt is cell for a character centred on column cx, the capitals'
// top row and height top and h (lineCaps).
func (l *plateLine) cellAt(cx, top, h, dx, dy float64) []float64 {
	cx += dx * h
	y0 := top - plateCellLift*h + dy*h
	sw, sh := plateCellSpanX*h/plateCellW, plateCellSpanY*h/plateCellH
	x0 := cx - plateCellSpanX*h/2
	out := make([]float64, plateCellW*plateCellH)
	for j := 0; j < plateCellH; j++ {
		for k := 0; k < plateCellW; k++ {
			var s float64
			for _, o := range [4][2]float64{{0.25, 0.25}, {0.75, 0.25}, {0.25, 0.75}, {0.75, 0.75}} {
				s += grayAt(l.g, x0+(float64(k)+o[0])*sw, y0+(float64(j)+o[1])*sh)
			}
			out[j*plateCellW+k] = 1 - s/4/255
		}
	}
	return out
}

// grayAt is g's value at (x, y) in pixel units from its corner, bilinear,
// the edge's value beyond it.
func grayAt(g *image.Gray, x, y float64) float64 {
	b := g.Bounds()
	x, y = x-0.5, y-0.5
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	fx, fy := x-float64(x0), y-float64(y0)
	px := func(x, y int) float64 {
		x = min(max(x, 0), b.Dx()-1)
		y = min(max(y, 0), b.Dy()-1)
		return float64(g.Pix[y*g.Stride+x])
	}
	return (1-fy)*((1-fx)*px(x0, y0)+fx*px(x0+1, y0)) + fy*((1-fx)*px(x0, y0+1)+fx*px(x0+1, y0+1))
}

// plateTap, when set (only by the plate classifier's sample collection,
// TestCollectPlateCells), sees each plate scene once its regions are
// read.
var plateTap func(s *Scene)

// plateNetBin is the trained classifier (cellnet format).
//
//go:embed plate_net.bin
var plateNetBin []byte

var loadPlateNet = sync.OnceValues(func() (*cellnet.Net, error) {
	n, err := cellnet.Parse(plateNetBin)
	if err != nil {
		return nil, err
	}
	if n.Classes != synth.PlateNetChars || n.Sizes[0] != plateCellW*plateCellH {
		return nil, errors.New("plate net: classes or input size differ from the cell's")
	}
	return n, nil
})

// netProbs is the classifier's probability of each class
// (synth.PlateNetChars) for character i of line l, computed once per
// line and character; nil without a net or cell.
func (l *plateLine) netProbs(i int) []float64 {
	if plateTap != nil {
		return nil // collecting the classifier's samples: read without it
	}
	if i < 0 || i >= len(l.cen) {
		return nil
	}
	if p, ok := l.probs[i]; ok {
		return p
	}
	p := l.classify(i)
	if l.probs == nil {
		l.probs = map[int][]float64{}
	}
	l.probs[i] = p
	return p
}

// classify is netProbs's classification: the mean over the cell's
// shifts (plateNetShifts).
func (l *plateLine) classify(i int) []float64 {
	n, err := loadPlateNet()
	if err != nil {
		return nil
	}
	cx := l.cellCentre(i)
	top, h := l.lineCaps()
	var sum []float64
	var x []float32
	for _, d := range plateNetShifts {
		x = cellnet.Prepare(x, l.cellAt(cx, top, h, d[0], d[1]))
		p := n.Probs(x)
		if sum == nil {
			sum = make([]float64, len(p))
		}
		for k := range p {
			sum[k] += p[k] / float64(len(plateNetShifts))
		}
	}
	return sum
}

// plateNetShifts are the cell's shifts (in capitals' heights) whose
// classifications netProbs averages: the glyph's place is known to a few
// pixels only.
var plateNetShifts = [][2]float64{{0, 0}, {-0.04, 0}, {0.04, 0}, {0, -0.03}, {0, 0.03}}

// plateNetSure and plateNetDoubt: the classifier contradicts a reading's
// character when it gives another character at least plateNetSure and
// the one read at most plateNetDoubt.
const plateNetSure, plateNetDoubt = 0.9, 0.05

// plateNetUnsure: only a character PP-OCR read under this probability is
// contradicted by the classifier (KA-I 467's 1 at 0.95 is no J).
const plateNetUnsure = 0.9

// plateNetBacks: a glyph fit's exchange (shapeFlips) is not offered
// where the classifier gives the character read this probability or more.
const plateNetBacks = 0.5

// netFlips are, per position of line l's characters read unsure (under
// plateNetUnsure), the plate character the classifier contradicts the
// reading with (an umlaut is left to the dots' test, dotted), and by how
// much.
func netFlips(l *plateLine) map[int]flip {
	if l == nil {
		return nil
	}
	out := map[int]flip{}
	for i, c := range l.chars {
		if c.Prob >= plateNetUnsure {
			continue
		}
		read, p := l.readProbs(i)
		if p == nil {
			continue
		}
		k := 0
		for j := range p {
			if p[j] > p[k] {
				k = j
			}
		}
		to := synth.PlateNetChars[k]
		if k == read || to >= 'a' || p[k] < plateNetSure || p[read] > plateNetDoubt { // a, o, u: the umlauts
			continue
		}
		out[i] = flip{to, p[k] - p[read]}
	}
	return out
}

// backs reports whether the classifier gives character i of line l, as
// read, plateNetBacks or more.
func backs(l *plateLine, i int) bool {
	read, p := l.readProbs(i)
	return p != nil && p[read] >= plateNetBacks
}

// readProbs is the class of character i of line l as read and the
// classifier's probabilities for its cell (netProbs); p is nil where the
// character is none of the classes or there is no cell.
func (l *plateLine) readProbs(i int) (read int, p []float64) {
	rs := []rune(strings.ToUpper(l.chars[i].Char))
	if len(rs) != 1 {
		return -1, nil
	}
	if read = strings.IndexByte(synth.PlateNetChars, plateClass(rs[0])); read < 0 {
		return -1, nil
	}
	return read, l.netProbs(i)
}

// digitTwins are the plate letters each digit is read for (Ö as its
// classifier class o).
var digitTwins = map[string]string{"0": "ODQo", "1": "I", "2": "Z", "4": "A", "5": "S", "6": "G", "7": "T", "8": "B"}

// twinByNet is the letter among digit d's twins that the classifier gives
// line l's character i with at least twice the probability of any other
// twin ("Ö" for its class o); false where none does or there is no net.
func twinByNet(l *plateLine, i int, d string) (string, bool) {
	tw, ok := digitTwins[d]
	if !ok {
		return "", false
	}
	p := l.netProbs(i)
	if p == nil {
		return "", false
	}
	best, bp, second := byte(0), -1.0, 0.0
	for k := 0; k < len(tw); k++ {
		j := strings.IndexByte(synth.PlateNetChars, tw[k])
		if j < 0 {
			continue
		}
		switch {
		case p[j] > bp:
			second, best, bp = max(second, bp), tw[k], p[j]
		case p[j] > second:
			second = p[j]
		}
	}
	if best == 0 || bp < 2*second || bp <= 0 {
		return "", false
	}
	if best == 'o' {
		return "Ö", true
	}
	return string(best), true
}

// twinFlips are, per position of line l's characters, the letter to read
// where the German plate rec made a letter of a digit read (a twin, as
// digitTwins lists them) and the plate character classifier gives another
// of the digit's twins twice the probability of any other (twinByNet):
// the grammar takes the first twin it tries (SÖM-Q 3037 read SOM03037
// became SÖM-O 3037; the classifier saw the Q's tail), so where PP-OCR's
// alternatives for the character give that twin more probability than
// the grammar's letter, the classifier's twin is read. An umlaut is left
// to the dots' test.
func twinFlips(l *plateLine, reading string, rec *plates.Record) map[int]flip {
	if l == nil || rec == nil || rec.Country != "DE" {
		return nil
	}
	read := alnumRunes(reading)
	plate := []rune(deUmlaut(rec.Text))
	if len(read) != len(plate) || len(read) != len(l.chars) {
		return nil
	}
	var out map[int]flip
	for i, c := range read {
		if c < '0' || c > '9' || plate[i] < 'A' || plate[i] > 'Z' {
			continue
		}
		tw, ok := twinByNet(l, i, string(c))
		if !ok || len(tw) != 1 || tw[0] == byte(plate[i]) {
			continue
		}
		// the recognizer's alternatives agree (WI-YO 95 read WI Y095:
		// the classifier gave D, PP-OCR's alternative was O)
		if altProb(l.chars[i], tw[0]) <= altProb(l.chars[i], byte(plate[i])) {
			continue
		}
		// both are classes of the classifier (twinByNet found tw, plate[i]
		// is a capital)
		p := l.netProbs(i)
		to := strings.IndexByte(synth.PlateNetChars, tw[0])
		was := strings.IndexByte(synth.PlateNetChars, byte(plate[i]))
		if out == nil {
			out = map[int]flip{}
		}
		out[i] = flip{tw[0], p[to] - p[was]}
	}
	return out
}

// altProb is the probability PP-OCR's alternatives for character c give
// letter x (0 where it lists none).
func altProb(c models.Char, x byte) float64 {
	for _, a := range c.Alts {
		if len(a.Char) == 1 && a.Char[0] == x {
			return a.Prob
		}
	}
	return 0
}
