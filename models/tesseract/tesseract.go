// Package tesseract holds the project's Tesseract model for MRZ lines: an
// LSTM trained from scratch on OCR-B lines rendered, photographed and cut
// out the way the pipeline cuts them (train.sh, cmd/mrzlines). It is
// embedded, so the binary needs no model path; SHA256SUMS records it.
package tesseract

import _ "embed"

// MRZName is the model's language name (Tesseract loads it under it).
const MRZName = "mrz"

// MRZ is mrz.traineddata (integer weights; the MRZ alphabet A-Z 0-9 <).
//
//go:embed mrz.traineddata
var MRZ []byte
