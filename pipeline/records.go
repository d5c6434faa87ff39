package pipeline

import (
	"docscan/documents"
	"docscan/geom"
	"docscan/plates"
)

// dropPlatesOnDocuments removes the plate records that lie on a document
// of a known type: the numbers and codes printed on a card (a driving
// licence's "15 SEX", say) are not licence plates. A document of unknown
// type may itself be a plate's rectangle, so it removes nothing. (A
// vehicle registration certificate prints the plate, but as a field of the
// document record, not as a plate seen in the scene.)
func dropPlatesOnDocuments(recs []Record) []Record {
	docs := knownDocuments(recs)
	if len(docs) == 0 {
		return recs
	}
	out := recs[:0]
	for _, r := range recs {
		if p, ok := r.(*plates.Record); ok && p.Quad != nil {
			q := geom.Quad{p.Quad[0], p.Quad[1], p.Quad[2], p.Quad[3]}
			if onAny(q.Center(), docs) {
				continue
			}
		}
		out = append(out, r)
	}
	return out
}

// knownDocuments are the outlines of recs' documents of a known type.
func knownDocuments(recs []Record) []geom.Quad {
	var docs []geom.Quad
	for _, r := range recs {
		if d, ok := r.(*documents.Record); ok && d.DocumentType != documents.Unknown && d.DocumentType != "" {
			docs = append(docs, d.Quad)
		}
	}
	return docs
}

// onAny reports whether p lies inside one of the quads qs.
func onAny(p geom.Point, qs []geom.Quad) bool {
	for _, q := range qs {
		if inside(p, q) {
			return true
		}
	}
	return false
}

// inside reports whether p lies inside the convex quad q (either winding).
func inside(p geom.Point, q geom.Quad) bool {
	sign := 0.0
	for i := range q {
		a, b := q[i], q[(i+1)%4]
		c := (b[0]-a[0])*(p[1]-a[1]) - (b[1]-a[1])*(p[0]-a[0])
		if c == 0 {
			continue
		}
		if sign == 0 {
			sign = c
		} else if (c > 0) != (sign > 0) {
			return false
		}
	}
	return sign != 0
}
