package pipeline

import (
	_ "embed"
	"errors"
	"sync"

	"docscan/internal/cellnet"
	"docscan/synth"
)

// ocrbNet is the OCR-B cell classifier: a small fully connected net over
// a character's cell (the cell table's size, cut where the line's grid
// places it, at netScale), trained on the cells
// of synthetic scenes as this reader places them (cmd/ocrbtrain,
// scripts/train-ocrb-cells.sh). Unlike the font's templates it learned
// what blur, noise and JPEG do to each glyph, and what tells O from 0 and
// U from 0 when they do.
//
//go:embed ocrb_net.bin
var ocrbNetBin []byte

var loadCellNet = sync.OnceValues(func() (*cellnet.Net, error) {
	n, err := cellnet.Parse(ocrbNetBin)
	if err != nil {
		return nil, err
	}
	cs, err := loadShapes()
	if err != nil {
		return nil, err
	}
	if n.Classes != synth.MRZChars || n.Sizes[0] != cs.w*cs.h {
		return nil, errors.New("ocrb net: classes or input size differ from the cell table's")
	}
	return n, nil
})

// netScale is the glyph scale (shapeScales) the classifier's cells are
// cut at: it was trained on cells cut at each line's best fitting scale
// and at all three, and fitting the scale per line costs more than the
// classification.
const netScale = 0.93

// netScores classifies the cells of line final on grid g: out[i] is the
// probability of each character of the table (synth.MRZChars order) for
// cell i, fillers' cells included; nil for cells off the crop, and all nil
// without a classifier or grid, or while its samples are collected
// (cellTap set: the reader the samples are taken from is the one without
// it, so that the collection does not depend on the net it trains).
func netScores(g *cellGrid, final string) [][]float64 {
	if cellTap != nil {
		return nil // collecting the classifier's samples: read without it
	}
	net, err := loadCellNet()
	cs, cerr := loadShapes()
	if err != nil || cerr != nil || g == nil || g.w == 0 || len(g.dark) == 0 {
		return nil
	}
	out := make([][]float64, len(final))
	var x []float32
	for i := range final {
		v := cs.cut(g, i, 0, 0, netScale)
		if v == nil {
			continue
		}
		x = cellnet.Prepare(x, v)
		out[i] = net.Probs(x)
	}
	return out
}
