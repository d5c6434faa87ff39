package pipeline

import "docscan/mrz"

// swapAmbiguous reports whether another reading of the zone, exchanging
// two or more characters in checked alphanumeric fields for their
// confusable partners, is as valid as the record (mrz.Collisions: the
// decision the repair leaves to the pipeline, mrz.Options.OwnCollisions,
// which settles it by the glyphs' shapes); it lists the characters that
// were exchanged (nil when none collides) and the partner each is
// exchanged for.
func swapAmbiguous(rec *mrz.Record, in []mrz.Line) ([]glyphHit, map[glyphHit]byte) {
	var at []glyphHit
	var to map[glyphHit]byte
	for _, x := range mrz.CollisionExchanges(rec, in) {
		h := glyphHit{x.Line, x.Col}
		if to == nil {
			to = map[glyphHit]byte{}
		}
		at, to[h] = append(at, h), x.To
	}
	return at, to
}

// partnerOf is the character cell h, read r, is exchanged for: its entry
// in to (a collision's partners), else r's confusable partner of the other
// type (mrz.SwapPartner; 0 where it has none).
func partnerOf(to map[glyphHit]byte, h glyphHit, r byte) byte {
	if o := to[h]; o != 0 {
		return o
	}
	return mrz.SwapPartner(r)
}
