//go:build !cgo

package benchmarks

// Package pipeline links OpenCV, Tesseract and ONNX Runtime through cgo, so
// without cgo the harness cannot import it. These mirror its result types
// (same fields, same JSON) so that the harness and its tests build and run
// as pure Go (CGO_ENABLED=0); with cgo they are aliases of the pipeline's
// types (result_cgo.go). Scoring reads records only through their JSON.

// Result mirrors pipeline.Result, the scan object of the contract.
type Result struct {
	File      string             `json:"file,omitempty"`
	Records   []Record           `json:"records"`
	Quality   *Quality           `json:"quality,omitempty"`
	TimingsMS map[string]float64 `json:"timings_ms"`
	Error     *ErrorBody         `json:"error"`
}

// Record mirrors pipeline.Record: any record, marshalled to JSON as is.
type Record any

// Quality mirrors pipeline.Quality.
type Quality struct {
	Width    int      `json:"width"`
	Height   int      `json:"height"`
	Blur     float64  `json:"blur"`
	Glare    float64  `json:"glare"`
	Warnings []string `json:"warnings"`
}

// ErrorBody mirrors pipeline.ErrorBody.
type ErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}
