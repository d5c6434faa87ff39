package pipeline

import "docscan/scan"

// The scan object and its parts live in the pure-Go package scan; these
// aliases keep the pipeline's API self-contained.
type (
	Point      = scan.Point
	Quad       = scan.Quad
	Record     = scan.Record
	TextRegion = scan.TextRegion
	Quality    = scan.Quality
	ErrorBody  = scan.ErrorBody
	Result     = scan.Result
)
