package pipeline

import (
	"math"
	"slices"

	"docscan/documents"
	"docscan/plates"
)

// plateAmongPrint: an auto request's scene without a card whose plate was
// read on a line among print of its own size (printAroundLines other text
// lines or more, heights within printAroundHeights of the plate line's,
// centres within printAroundReach of its heights), as a card's lines stand
// around its number. A card too small for its outline to be drawn (the
// synthetic idcard_0135: 265 pixels of a 1600-pixel photo, its number
// Z64317P39 read as the Swiss plate ZG 43179) shows so; no plate of the
// 190 real plate photos nor of 300 synthetic plate scenes does (at most
// 4 such lines stand around theirs: a US plate's state name and slogan
// are half its characters' height, a dealer's frame print smaller).
func plateAmongPrint(scene *Scene) bool {
	if holds[*documents.Record](scene.Records) {
		return false
	}
	for _, r := range scene.Records {
		p, ok := r.(*plates.Record)
		if ok && p.Quad != nil && printAround(scene.Regions, *p.Quad) >= printAroundLines {
			return true
		}
	}
	return false
}

const (
	printAroundLines   = 5
	printAroundHeights = 1.6
	printAroundReach   = 12
)

// printAround counts the text regions other than the one at q (a region
// whose centre lies in q is q's own line) whose height is within
// printAroundHeights of q's and whose centre lies within printAroundReach
// of q's heights of q's centre.
func printAround(regions []Region, pq [4][2]float64) int {
	q := quadOf(pq)
	h := math.Min(q.Width(), q.Height())
	if h <= 0 {
		return 0
	}
	c := q.Center()
	n := 0
	for i := range regions {
		r := &regions[i]
		if r.bad || r.extended || r.Source != "" {
			continue
		}
		rc := r.Quad.Center()
		if inside(rc, q) {
			continue
		}
		rh := math.Min(r.Quad.Width(), r.Quad.Height())
		if rh >= h/printAroundHeights && rh <= printAroundHeights*h && math.Hypot(c[0]-rc[0], c[1]-rc[1]) <= printAroundReach*h {
			n++
		}
	}
	return n
}

// dropPrintedPlates removes the plates read on a card's print: those whose
// centre lies in a card's outline.
func dropPrintedPlates(rs []Record) []Record {
	var cards []documents.Record
	for _, r := range rs {
		if d, ok := r.(*documents.Record); ok {
			cards = append(cards, *d)
		}
	}
	return slices.DeleteFunc(rs, func(r Record) bool {
		p, ok := r.(*plates.Record)
		if !ok || p.Quad == nil {
			return false
		}
		c := quadOf(*p.Quad).Center()
		for _, d := range cards {
			if inside(c, d.Quad) {
				return true
			}
		}
		return false
	})
}
