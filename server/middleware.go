package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"time"

	"docscan/pipeline"
)

type ctxKey struct{}

// reqInfo is what the access log and the metrics learn about a request.
type reqInfo struct {
	id      string
	code    string // domain error code, "" when it succeeded
	bytesIn int64
	timings map[string]float64
}

func infoOf(r *http.Request) *reqInfo {
	i, _ := r.Context().Value(ctxKey{}).(*reqInfo)
	return i
}

func setCode(r *http.Request, code string) {
	if i := infoOf(r); i != nil {
		i.code = code
	}
}

// RequestID is the id of the request ctx belongs to ("" outside a request).
func RequestID(ctx context.Context) string {
	if i, ok := ctx.Value(ctxKey{}).(*reqInfo); ok {
		return i.id
	}
	return ""
}

// validID accepts a client's X-Request-ID when it is short and plain, so it
// cannot forge log lines.
func validID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

func newID() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe gives every request an id (X-Request-ID, kept when the client sent
// a plain one), turns panics into 500, counts it in the metrics and writes
// one access-log line: id, method, route, status, code, sizes and timings.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-ID")
		if !validID(id) {
			id = newID()
		}
		info := &reqInfo{id: id}
		r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, info))
		w.Header().Set("X-Request-ID", id)
		sw := &statusWriter{ResponseWriter: w}
		s.metrics.inflight.Add(1)
		defer func() {
			s.metrics.inflight.Add(-1)
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic in handler", "request_id", id)
				if sw.status == 0 {
					s.writeError(sw, r, pipeline.CodeInternal, "internal error")
				}
			}
			if sw.status == 0 {
				sw.status = http.StatusOK
			}
			route := r.Pattern
			if route == "" {
				route = "other"
			}
			d := time.Since(start)
			s.metrics.observeRequest(route, sw.status, d)
			attrs := []slog.Attr{
				slog.String("request_id", id),
				slog.String("method", r.Method),
				slog.String("route", route),
				slog.Int("status", sw.status),
				slog.Int64("bytes_in", info.bytesIn),
				slog.Int64("bytes_out", sw.bytes),
				slog.Float64("duration_ms", float64(d.Microseconds())/1000),
			}
			if info.code != "" {
				attrs = append(attrs, slog.String("code", info.code))
			}
			if len(info.timings) > 0 {
				t := make([]any, 0, len(info.timings))
				for k, v := range info.timings {
					t = append(t, slog.Float64(k, v))
				}
				attrs = append(attrs, slog.Group("timings_ms", t...))
			}
			s.log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
		}()
		next.ServeHTTP(sw, r)
	})
}

// authenticate requires a valid bearer token when the server has tokens.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.opt.Tokens != nil && !s.opt.Tokens.Check(r.Header.Get("Authorization")) {
			s.writeError(w, r, CodeUnauthorized, "missing or invalid bearer token")
			return
		}
		next.ServeHTTP(w, r)
	})
}
