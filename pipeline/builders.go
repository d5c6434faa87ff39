package pipeline

// DefaultBuilders returns the record builders registered by default, in
// output order. The MRZ builder runs first (a photo with an MRZ is not
// read for plates; the document builder takes the card's MRZ from it), the
// document builder before the plate builder (the print of a document of
// known type is not read for plates: on a German ID card front in `auto`
// that was about 390 ms of recognition).
func DefaultBuilders() []Builder {
	return []Builder{MRZBuilder{}, DocumentBuilder{}, PlateBuilder{}}
}
