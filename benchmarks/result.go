package benchmarks

import "docscan/scan"

// The harness speaks the scan object of the contract (package scan, pure
// Go), so anything returning *pipeline.Result is a Scanner as is.
type (
	// Result is the scan object.
	Result = scan.Result
	// Record is one record of a scan object.
	Record = scan.Record
	// ErrorBody is the error object of a scan.
	ErrorBody = scan.ErrorBody
)
