package server

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"

	"docscan/pipeline"
	"docscan/preprocess"
)

// requestError is a request refused before scanning, with its code.
type requestError struct{ code, msg string }

func (e *requestError) Error() string { return e.code + ": " + e.msg }

func reqErr(code, format string, a ...any) error {
	return &requestError{code: code, msg: fmt.Sprintf(format, a...)}
}

// multipartSlack is what a multipart body may carry beyond the image: the
// boundaries, part headers and small other fields.
const multipartSlack = 64 << 10

// readImage reads the image of a scan request: the raw body (image/* or
// application/octet-stream) or the part "image" of a multipart/form-data body.
// At most lim.MaxBytes image bytes are read; the multipart form is streamed,
// never spilled to a temporary file.
func readImage(w http.ResponseWriter, r *http.Request, lim preprocess.Limits) ([]byte, error) {
	maxBytes := lim.MaxBytes
	if maxBytes <= 0 {
		maxBytes = preprocess.DefaultMaxBytes
	}
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return nil, reqErr(CodeUnsupported, "missing Content-Type: send image/* or multipart/form-data with field \"image\"")
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return nil, reqErr(CodeUnsupported, "bad Content-Type: %v", err)
	}
	raw := strings.HasPrefix(mt, "image/") || mt == "application/octet-stream"
	multi := mt == "multipart/form-data"
	if !raw && !multi {
		return nil, reqErr(CodeUnsupported, "Content-Type %s: send image/* or multipart/form-data with field \"image\"", quote(mt))
	}
	bodyLimit := maxBytes
	if multi {
		bodyLimit += multipartSlack
	}
	if r.ContentLength > bodyLimit {
		return nil, reqErr(pipeline.CodeTooLarge, "body of %d bytes, limit %d", r.ContentLength, maxBytes)
	}
	if w != nil {
		r.Body = http.MaxBytesReader(w, r.Body, bodyLimit)
	} else {
		r.Body = io.NopCloser(io.LimitReader(r.Body, bodyLimit+1))
	}
	var data []byte
	if raw {
		data, err = readLimited(r.Body, maxBytes)
	} else {
		data, err = readPart(r.Body, params["boundary"], maxBytes)
	}
	if err != nil {
		return nil, err
	}
	if len(data) == 0 {
		return nil, reqErr(pipeline.CodeBadRequest, "empty image")
	}
	return data, nil
}

// readLimited reads at most max bytes; more is too_large.
func readLimited(r io.Reader, max int64) ([]byte, error) {
	data, err := preprocess.ReadAll(r, preprocess.Limits{MaxBytes: max})
	if err != nil {
		return nil, readError(err, max)
	}
	return data, nil
}

func readPart(body io.Reader, boundary string, max int64) ([]byte, error) {
	if boundary == "" {
		return nil, reqErr(pipeline.CodeBadRequest, "multipart/form-data without boundary")
	}
	mr := multipart.NewReader(body, boundary)
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return nil, reqErr(pipeline.CodeBadRequest, "multipart/form-data without the field \"image\"")
		}
		if err != nil {
			return nil, readError(err, max)
		}
		if p.FormName() != "image" {
			// Other fields are skipped; the body limit bounds them.
			if _, err := io.Copy(io.Discard, p); err != nil {
				return nil, readError(err, max)
			}
			continue
		}
		if pct := p.Header.Get("Content-Type"); pct != "" {
			if mt, _, err := mime.ParseMediaType(pct); err == nil &&
				!strings.HasPrefix(mt, "image/") && mt != "application/octet-stream" {
				return nil, reqErr(CodeUnsupported, "field \"image\" has Content-Type %s", quote(mt))
			}
		}
		return readLimited(p, max)
	}
}

// readError classifies a body read failure.
func readError(err error, max int64) error {
	var mbe *http.MaxBytesError
	var ne net.Error
	switch {
	case errors.As(err, &mbe), errors.Is(err, preprocess.ErrTooLarge):
		return reqErr(pipeline.CodeTooLarge, "body larger than %d bytes", max)
	case errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return reqErr(CodeRequestTimeout, "the body was not received in time")
	default:
		return reqErr(pipeline.CodeBadRequest, "read body: %v", err)
	}
}

// quote quotes s for a message, cut to a sane length.
func quote(s string) string {
	if len(s) > 64 {
		s = s[:64] + "..."
	}
	return strconv.Quote(s)
}
