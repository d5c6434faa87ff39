package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"docscan/pipeline"
)

// Error codes the HTTP layer adds to the pipeline's (pipeline/errors.go).
const (
	CodeUnauthorized   = "unauthorized"
	CodeUnsupported    = "unsupported_media_type"
	CodeRequestTimeout = "request_timeout"
	CodeNotFound       = "not_found"
	CodeMethod         = "method_not_allowed"
)

// statusOf maps a domain error code to its HTTP status. It is the only place
// where codes become statuses.
func statusOf(code string) int {
	switch code {
	case "":
		return http.StatusOK
	case pipeline.CodeBadRequest, pipeline.CodeUnreadable:
		return http.StatusBadRequest
	case CodeUnauthorized:
		return http.StatusUnauthorized
	case CodeNotFound:
		return http.StatusNotFound
	case CodeMethod:
		return http.StatusMethodNotAllowed
	case CodeRequestTimeout:
		return http.StatusRequestTimeout
	case pipeline.CodeTooLarge:
		return http.StatusRequestEntityTooLarge
	case pipeline.CodeNotImage, CodeUnsupported:
		return http.StatusUnsupportedMediaType
	case pipeline.CodeOverloaded:
		return http.StatusTooManyRequests
	case pipeline.CodeCanceled:
		return 499 // client closed the request; nobody reads it, the logs do
	case pipeline.CodeUnavail:
		return http.StatusServiceUnavailable
	case pipeline.CodeDeadline:
		return http.StatusGatewayTimeout
	default:
		return http.StatusInternalServerError
	}
}

// errorBody is the JSON error answer of every endpoint.
type errorBody struct {
	Error errorObj `json:"error"`
}

type errorObj struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	RequestID string `json:"request_id,omitempty"`
}

// writeError answers {"error":{...}} with the status of code.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, code, msg string) {
	st := statusOf(code)
	if st == http.StatusTooManyRequests || st == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", strconv.Itoa(s.retryAfterSeconds()))
	}
	if st == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="docscan"`)
	}
	setCode(r, code)
	writeJSON(w, st, errorBody{Error: errorObj{Code: code, Message: msg, RequestID: RequestID(r.Context())}})
}

// writeJSON answers v as JSON (MRZ fillers '<' unescaped, as the CLI prints
// them).
func writeJSON(w http.ResponseWriter, status int, v any) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		b.Reset()
		b.WriteString(`{"error":{"code":"internal","message":"encode response"}}` + "\n")
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(status)
	w.Write(b.Bytes())
}
