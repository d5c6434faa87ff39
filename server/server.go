// Package server is docscan's HTTP edge: the scan endpoint for the phone app,
// health and readiness, Prometheus metrics, the OpenAPI document and a small
// operator page. It maps domain error codes to HTTP statuses in one place
// (errors.go), bounds every request (body bytes, header pixels, read time,
// scan deadline, queue room) and logs only request ids, sizes, codes and
// timings: never image bytes, records or personal fields.
package server

import (
	"context"
	_ "embed"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"docscan/pipeline"
	"docscan/plates"
	"docscan/preprocess"
	"docscan/scan"
)

// Scanner is what the server needs of the worker pool (*pipeline.Pool).
type Scanner interface {
	// TryScan fails at once with code "overloaded" when the queue is full.
	TryScan(ctx context.Context, req pipeline.Request) *scan.Result
	QueueDepth() int
	Workers() int
}

// Options configure a Server. Zero values take the defaults.
type Options struct {
	// Scanner serves the scans; nil until the models are loaded (see
	// SetScanner): /readyz answers 503 and scans "unavailable" meanwhile.
	Scanner Scanner
	// Limits bound the body (MaxBytes) and the image header (pixels).
	Limits preprocess.Limits
	// Timeout is the deadline of one scan (queue wait and work); default 30s.
	Timeout time.Duration
	// Tokens, when set, are required as "Authorization: Bearer ..." on the
	// scan and metrics endpoints.
	Tokens *Tokens
	// Logger receives one line per request; default slog.Default().
	Logger *slog.Logger
	// RetryAfter is the hint sent with 429 and 503; default 1s.
	RetryAfter time.Duration
	// Timeouts of the http.Server made by HTTPServer (against slowloris).
	// Defaults: header 10s, read 60s, write 90s, idle 120s.
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
}

// Server serves the API. Create it with New.
type Server struct {
	opt      Options
	log      *slog.Logger
	scanner  atomic.Pointer[scannerBox]
	draining atomic.Bool
	metrics  *metrics
	handler  http.Handler
}

type scannerBox struct{ Scanner }

//go:embed openapi.json
var openAPI []byte

//go:embed web/index.html
var indexHTML []byte

// route is one endpoint; the OpenAPI test checks this table against
// openapi.json.
type route struct {
	method, path string
	auth         bool
	handle       func(*Server, http.ResponseWriter, *http.Request)
}

var routes = []route{
	{"POST", "/v1/scan", true, (*Server).handleScan},
	{"GET", "/healthz", false, (*Server).handleHealthz},
	{"GET", "/readyz", false, (*Server).handleReadyz},
	{"GET", "/metrics", true, (*Server).handleMetrics},
	{"GET", "/openapi.json", false, (*Server).handleOpenAPI},
	{"GET", "/", false, (*Server).handleIndex},
}

// New makes a server; it starts nothing.
func New(o Options) *Server {
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.RetryAfter <= 0 {
		o.RetryAfter = time.Second
	}
	if o.Limits.MaxBytes <= 0 {
		o.Limits.MaxBytes = preprocess.DefaultMaxBytes
	}
	if o.ReadHeaderTimeout <= 0 {
		o.ReadHeaderTimeout = 10 * time.Second
	}
	if o.ReadTimeout <= 0 {
		o.ReadTimeout = 60 * time.Second
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = max(90*time.Second, o.Timeout+30*time.Second)
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = 120 * time.Second
	}
	s := &Server{opt: o, log: o.Logger, metrics: newMetrics()}
	if s.log == nil {
		s.log = slog.Default()
	}
	if o.Scanner != nil {
		s.SetScanner(o.Scanner)
	}
	mux := http.NewServeMux()
	for _, rt := range routes {
		pattern := rt.method + " " + rt.path
		if rt.path == "/" {
			pattern = rt.method + " /{$}"
		}
		h := http.Handler(s.bind(rt.handle))
		if rt.auth {
			h = s.authenticate(h)
		}
		mux.Handle(pattern, h)
	}
	s.handler = s.observe(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern == "" {
			s.notFound(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	}))
	return s
}

// notFound answers unknown paths (404) and known paths with another method
// (405) in the JSON error format.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, rt := range routes {
		if rt.path == r.URL.Path {
			allow = append(allow, rt.method)
		}
	}
	if len(allow) == 0 {
		s.writeError(w, r, CodeNotFound, "no such endpoint")
		return
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	s.writeError(w, r, CodeMethod, "use "+strings.Join(allow, ", "))
}

func (s *Server) bind(f func(*Server, http.ResponseWriter, *http.Request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { f(s, w, r) }
}

// Handler is the whole API with its middleware.
func (s *Server) Handler() http.Handler { return s.handler }

// HTTPServer is an http.Server for addr with the server's timeouts and an
// error log that goes to the logger.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s.handler,
		ReadHeaderTimeout: s.opt.ReadHeaderTimeout,
		ReadTimeout:       s.opt.ReadTimeout,
		WriteTimeout:      s.opt.WriteTimeout,
		IdleTimeout:       s.opt.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}

// SetScanner makes the server ready with sc (the pool, once its models are
// loaded).
func (s *Server) SetScanner(sc Scanner) { s.scanner.Store(&scannerBox{sc}) }

// Drain marks the server not ready (shutting down): /readyz answers 503 so
// that load balancers stop sending; requests in flight finish.
func (s *Server) Drain() { s.draining.Store(true) }

func (s *Server) currentScanner() Scanner {
	if b := s.scanner.Load(); b != nil {
		return b.Scanner
	}
	return nil
}

func (s *Server) retryAfterSeconds() int {
	return max(1, int(math.Ceil(s.opt.RetryAfter.Seconds())))
}

var kinds = map[string]bool{"": true, "auto": true, "mrz": true, "plate": true, "document": true}

func (s *Server) handleScan(w http.ResponseWriter, r *http.Request) {
	info := infoOf(r)
	q := r.URL.Query()
	kind := q.Get("kind")
	if !kinds[kind] {
		s.writeError(w, r, pipeline.CodeBadRequest, "unknown kind "+quote(kind)+" (auto, mrz, plate, document)")
		return
	}
	text := q.Get("text") == "1" || q.Get("text") == "true"
	country := q.Get("country")
	if country != "" && !plates.Supported(country) {
		s.writeError(w, r, pipeline.CodeBadRequest, "no plate grammar for country "+quote(country))
		return
	}
	sc := s.currentScanner()
	if sc == nil || s.draining.Load() {
		s.writeError(w, r, pipeline.CodeUnavail, "not ready: the models are loading or the server is shutting down")
		return
	}
	data, err := readImage(w, r, s.opt.Limits)
	if info != nil {
		info.bytesIn = int64(len(data))
	}
	if err != nil {
		var re *requestError
		if errors.As(err, &re) {
			s.writeError(w, r, re.code, re.msg)
		} else {
			s.writeError(w, r, pipeline.CodeBadRequest, err.Error())
		}
		return
	}
	// Refuse what is not an image, too many pixels or a truncated JPEG from
	// the header alone, before it takes room in the queue.
	if _, err := preprocess.Probe(data, s.opt.Limits); err != nil {
		s.writeError(w, r, pipeline.Code(err), err.Error())
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.opt.Timeout)
	defer cancel()
	res := sc.TryScan(ctx, pipeline.Request{Data: data, Kind: kind, Text: text, Country: country})
	if res == nil {
		s.writeError(w, r, pipeline.CodeInternal, "no result")
		return
	}
	res.File = ""
	if info != nil {
		info.timings = res.TimingsMS
	}
	s.metrics.observeScan(res)
	if res.Error != nil {
		s.writeError(w, r, res.Error.Code, res.Error.Message)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	sc := s.currentScanner()
	switch {
	case s.draining.Load():
		s.writeError(w, r, pipeline.CodeUnavail, "shutting down")
	case sc == nil:
		s.writeError(w, r, pipeline.CodeUnavail, "models loading")
	default:
		writeJSON(w, http.StatusOK, map[string]any{"status": "ready", "workers": sc.Workers()})
	}
}

func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	s.metrics.write(w, s.currentScanner(), s.currentScanner() != nil && !s.draining.Load())
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(openAPI)
}

func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// The page only talks to its own origin; images are shown from blob: URLs.
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	w.Write(indexHTML)
}
