// Package scan holds the scan object of the contract and the record types
// shared by every stage. It is pure Go, so the harness, the server and tools
// can use it without linking the native engines.
package scan

import "docscan/geom"

// Point is an (x, y) position in original image pixel coordinates.
type Point = geom.Point

// Quad is a quadrilateral in original image coordinates (after EXIF
// orientation), clockwise from the top-left corner. It marshals as
// [[x,y],[x,y],[x,y],[x,y]].
type Quad = geom.Quad

// Record is any record a builder emits (MRZ, plate, document, text). It is
// marshalled to JSON as is; every record type carries a "kind" field.
type Record any

// TextRegion is a detected and recognized text region, emitted as a record of
// kind "text" when the caller asks for raw text (--text).
type TextRegion struct {
	Kind       string  `json:"kind"`
	Text       string  `json:"text"`
	Confidence float64 `json:"confidence"`
	Quad       Quad    `json:"quad"`
	// DetScore is the text detector's box score.
	DetScore float64 `json:"det_score"`
	// Angle is 0 or 180: the orientation chosen for recognition.
	Angle int `json:"angle"`
}

// Quality describes the input image and capture problems.
type Quality struct {
	Width    int      `json:"width"`
	Height   int      `json:"height"`
	Blur     float64  `json:"blur"`
	Glare    float64  `json:"glare"`
	Warnings []string `json:"warnings"`
}

// ErrorBody is the JSON error object of a scan result.
type ErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Result is the scan object of the contract (without "file" when served).
type Result struct {
	File      string             `json:"file,omitempty"`
	Records   []Record           `json:"records"`
	Quality   *Quality           `json:"quality,omitempty"`
	TimingsMS map[string]float64 `json:"timings_ms"`
	Error     *ErrorBody         `json:"error"`
}
