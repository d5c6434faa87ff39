package pipeline

import (
	"context"
	"errors"

	"docscan/models"
	"docscan/preprocess"
)

// Domain errors of the pipeline (decode errors come from preprocess).
var (
	// ErrOverloaded: the queue is full; retry later.
	ErrOverloaded = errors.New("overloaded: the scan queue is full")
	// ErrClosed: the pool is shutting down.
	ErrClosed = errors.New("pipeline closed")
	// ErrBadRequest: the request itself is invalid (e.g. unknown kind).
	ErrBadRequest = errors.New("bad request")
)

// Error codes carried in error.code of a scan result.
const (
	CodeNotImage   = "not_an_image"
	CodeUnreadable = "unreadable_image"
	CodeTooLarge   = "too_large"
	CodeDeadline   = "deadline_exceeded"
	CodeCanceled   = "canceled"
	CodeOverloaded = "overloaded"
	CodeBadRequest = "bad_request"
	CodeUnavail    = "unavailable"
	CodeInternal   = "internal"
)

// Code maps an error to its domain code. The HTTP and CLI layers map codes
// to statuses and exit codes.
func Code(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, preprocess.ErrNotImage):
		return CodeNotImage
	case errors.Is(err, preprocess.ErrTooLarge):
		return CodeTooLarge
	case errors.Is(err, preprocess.ErrCorrupt):
		return CodeUnreadable
	case errors.Is(err, context.DeadlineExceeded):
		return CodeDeadline
	case errors.Is(err, context.Canceled):
		return CodeCanceled
	case errors.Is(err, ErrOverloaded):
		return CodeOverloaded
	case errors.Is(err, ErrBadRequest):
		return CodeBadRequest
	case errors.Is(err, ErrClosed), errors.Is(err, models.ErrAssetsMissing):
		return CodeUnavail
	default:
		return CodeInternal
	}
}

// ErrorResult builds the result object for a failed scan.
func ErrorResult(file string, err error) *Result {
	return &Result{File: file, Records: []Record{}, TimingsMS: map[string]float64{},
		Error: &ErrorBody{Code: Code(err), Message: err.Error()}}
}
