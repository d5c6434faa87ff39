//go:build cgo

package benchmarks

import "docscan/pipeline"

// With cgo (the normal build), the harness speaks the pipeline's own types,
// so anything returning *pipeline.Result is a Scanner as is.

// Result is the scan object: pipeline.Result.
type Result = pipeline.Result

// Record is one record of a scan object: pipeline.Record.
type Record = pipeline.Record

// ErrorBody is the error object of a scan: pipeline.ErrorBody.
type ErrorBody = pipeline.ErrorBody
