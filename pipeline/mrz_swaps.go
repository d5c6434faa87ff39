package pipeline

import "docscan/mrz"

// swapAmbiguous reports whether another reading of the zone, exchanging
// two or more characters in checked alphanumeric fields for their
// confusable partners, is as valid as the record (mrz.Collisions: the
// decision the repair leaves to the pipeline, mrz.Options.OwnCollisions,
// which settles it by the glyphs' shapes); it lists the characters that
// were exchanged (nil when none collides).
func swapAmbiguous(rec *mrz.Record, in []mrz.Line) []glyphHit {
	var at []glyphHit
	for _, p := range mrz.Collisions(rec, in) {
		at = append(at, glyphHit{p[0], p[1]})
	}
	return at
}
