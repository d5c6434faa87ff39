package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"docscan/internal/leakcheck"
	"docscan/internal/nativeenv"
	"docscan/internal/testimg"
	"docscan/pipeline"
	"docscan/preprocess"
	"docscan/scan"
)

func TestMain(m *testing.M) {
	nativeenv.Setup() // the native libraries' settings docscan runs with
	leakcheck.Main(m)
}

// stubProc answers every request with one plate record, optionally waiting
// on a gate first.
type stubProc struct {
	started chan struct{}
	gate    chan struct{}
}

func (p *stubProc) Process(ctx context.Context, req pipeline.Request) *scan.Result {
	if p.started != nil {
		p.started <- struct{}{}
	}
	if p.gate != nil {
		select {
		case <-p.gate:
		case <-ctx.Done():
			return pipeline.ErrorResult(req.File, ctx.Err())
		}
	}
	rec := &scan.TextRegion{Kind: "plate", Text: "DOAB1234E", Confidence: 0.9,
		Quad: scan.Quad{{1, 1}, {30, 1}, {30, 10}, {1, 10}}}
	return &scan.Result{Records: []scan.Record{rec}, TimingsMS: map[string]float64{"decode": 1, "total": 2}}
}

func (p *stubProc) Close() error { return nil }

func stubPool(t *testing.T, workers, queue int, p *stubProc) *pipeline.Pool {
	t.Helper()
	pool, err := pipeline.NewPool(pipeline.PoolOptions{Workers: workers, QueueSize: queue,
		NewProcessor: func() (pipeline.Processor, error) { return p, nil }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	return pool
}

// syncBuffer collects log output from concurrent handlers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type testServer struct {
	*Server
	url  string
	addr string
	logs *syncBuffer
}

// start serves s's API on 127.0.0.1:0 until the test ends.
func start(t *testing.T, o Options) *testServer {
	t.Helper()
	logs := &syncBuffer{}
	o.Logger = slog.New(slog.NewJSONHandler(logs, nil))
	s := New(o)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := s.HTTPServer("")
	go hs.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(ctx)
	})
	return &testServer{Server: s, url: "http://" + ln.Addr().String(), addr: ln.Addr().String(), logs: logs}
}

func testJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func multipartBody(t *testing.T, field string, data []byte) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("note", "hello")
	fw, err := mw.CreateFormFile(field, "photo.jpg")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return mw.FormDataContentType(), b.Bytes()
}

type answer struct {
	status int
	header http.Header
	body   []byte
	code   string // error.code, "" when none
}

func decodeAnswer(t *testing.T, res *http.Response) answer {
	t.Helper()
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	a := answer{status: res.StatusCode, header: res.Header, body: body}
	var e struct {
		Error *struct{ Code, Message string } `json:"error"`
	}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(body, &e); err != nil {
			t.Fatalf("status %d: body is not JSON: %v: %q", res.StatusCode, err, body)
		}
		if e.Error != nil {
			a.code = e.Error.Code
		}
	}
	return a
}

func post(t *testing.T, url, contentType string, body []byte, hdr ...string) answer {
	t.Helper()
	req, err := http.NewRequest("POST", url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return decodeAnswer(t, res)
}

func get(t *testing.T, url string, hdr ...string) answer {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return decodeAnswer(t, res)
}

// rawExchange writes head (and then body, from a goroutine) on a fresh
// connection and reads one response.
func rawExchange(t *testing.T, addr, head string, body func(w io.Writer)) answer {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(20 * time.Second))
	if _, err := io.WriteString(c, head); err != nil {
		t.Fatal(err)
	}
	if body != nil {
		go body(c)
	}
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("read response: %v", err)
	}
	return decodeAnswer(t, res)
}

func TestScanOK(t *testing.T) {
	ts := start(t, Options{Scanner: stubPool(t, 1, 1, &stubProc{})})
	img := testJPEG(t, 64, 48)
	a := post(t, ts.url+"/v1/scan?kind=plate", "image/jpeg", img, "X-Request-ID", "abc-123")
	if a.status != 200 {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	if got := a.header.Get("X-Request-ID"); got != "abc-123" {
		t.Errorf("X-Request-ID %q, want the client's", got)
	}
	var res map[string]json.RawMessage
	json.Unmarshal(a.body, &res)
	if _, ok := res["file"]; ok {
		t.Errorf("served scan carries file: %s", a.body)
	}
	if !bytes.Contains(a.body, []byte(`"kind":"plate"`)) || string(res["error"]) != "null" {
		t.Errorf("body %s", a.body)
	}
	ct, body := multipartBody(t, "image", img)
	if a := post(t, ts.url+"/v1/scan", ct, body); a.status != 200 {
		t.Errorf("multipart: %d %s", a.status, a.body)
	}
	// A forged id (log injection) is replaced.
	a = post(t, ts.url+"/v1/scan", "image/jpeg", img, "X-Request-ID", "x\" injected=1")
	if id := a.header.Get("X-Request-ID"); id == "" || strings.Contains(id, "injected") {
		t.Errorf("id %q", id)
	}
	// Every log line carries a request id.
	for _, l := range strings.Split(strings.TrimSpace(ts.logs.String()), "\n") {
		if !strings.Contains(l, `"request_id":"`) {
			t.Errorf("log line without request id: %s", l)
		}
	}
}

func TestMalformedInputs(t *testing.T) {
	ts := start(t, Options{
		Scanner:     stubPool(t, 1, 1, &stubProc{}),
		ReadTimeout: time.Second, ReadHeaderTimeout: time.Second,
	})
	img := testJPEG(t, 64, 48)
	noField, noFieldBody := multipartBody(t, "photo", img)
	cases := []struct {
		name, ct string
		body     []byte
		status   int
		code     string
	}{
		{"truncated jpeg", "image/jpeg", img[:len(img)/2], 400, "unreadable_image"},
		{"png bomb header", "image/png", testimg.PNGHeader(60000, 60000), 413, "too_large"},
		{"png bomb within sides", "image/png", testimg.PNGHeader(11000, 11000), 413, "too_large"},
		{"wrong content type", "text/plain", img, 415, "unsupported_media_type"},
		{"json content type", "application/json", []byte(`{"image":"x"}`), 415, "unsupported_media_type"},
		{"no content type", "", img, 415, "unsupported_media_type"},
		{"bad content type", "image/", img, 415, "unsupported_media_type"},
		{"not an image", "image/jpeg", []byte("GIF? no, just text"), 415, "not_an_image"},
		{"empty body", "image/jpeg", nil, 400, "bad_request"},
		{"multipart without field", noField, noFieldBody, 400, "bad_request"},
		{"multipart without boundary", "multipart/form-data", []byte("x"), 400, "bad_request"},
		{"multipart garbage", "multipart/form-data; boundary=zz", []byte("garbage"), 400, "bad_request"},
	}
	for _, c := range cases {
		a := post(t, ts.url+"/v1/scan", c.ct, c.body)
		if a.status != c.status || a.code != c.code {
			t.Errorf("%s: %d %q, want %d %q (%s)", c.name, a.status, a.code, c.status, c.code, a.body)
		}
	}
	if a := post(t, ts.url+"/v1/scan?kind=cat", "image/jpeg", img); a.status != 400 || a.code != "bad_request" {
		t.Errorf("unknown kind: %d %s", a.status, a.body)
	}
	if a := post(t, ts.url+"/v1/scan?country=XX", "image/jpeg", img); a.status != 400 || a.code != "bad_request" {
		t.Errorf("unknown plate country: %d %s", a.status, a.body)
	}

	// 100 MB announced: refused from the header, nothing read.
	a := rawExchange(t, ts.addr, "POST /v1/scan HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\nContent-Length: 104857600\r\n\r\n", nil)
	if a.status != 413 || a.code != "too_large" {
		t.Errorf("100 MB content-length: %d %s", a.status, a.body)
	}
	// 100 MB chunked: cut off at the limit.
	a = rawExchange(t, ts.addr, "POST /v1/scan HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\nTransfer-Encoding: chunked\r\n\r\n",
		func(w io.Writer) {
			chunk := bytes.Repeat([]byte{0xFF}, 1<<20)
			for i := 0; i < 100; i++ {
				if _, err := fmt.Fprintf(w, "%x\r\n%s\r\n", len(chunk), chunk); err != nil {
					return
				}
			}
			io.WriteString(w, "0\r\n\r\n")
		})
	if a.status != 413 || a.code != "too_large" {
		t.Errorf("100 MB chunked: %d %s", a.status, a.body)
	}
	// Multipart with a 100 MB image part.
	a = rawExchange(t, ts.addr, "POST /v1/scan HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=BB\r\nTransfer-Encoding: chunked\r\n\r\n",
		func(w io.Writer) {
			head := "--BB\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\n\r\n"
			fmt.Fprintf(w, "%x\r\n%s\r\n", len(head), head)
			chunk := bytes.Repeat([]byte{0xFF}, 1<<20)
			for i := 0; i < 100; i++ {
				if _, err := fmt.Fprintf(w, "%x\r\n%s\r\n", len(chunk), chunk); err != nil {
					return
				}
			}
		})
	if a.status != 413 || a.code != "too_large" {
		t.Errorf("100 MB multipart: %d %s", a.status, a.body)
	}
	// Slow body (slowloris): 10 of 1000 bytes, then nothing.
	t0 := time.Now()
	a = rawExchange(t, ts.addr, "POST /v1/scan HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\nContent-Length: 1000\r\n\r\n0123456789", nil)
	if a.status != 408 || a.code != "request_timeout" {
		t.Errorf("slow body: %d %s", a.status, a.body)
	}
	if d := time.Since(t0); d > 10*time.Second {
		t.Errorf("slow body held the connection %v", d)
	}
	// Slow headers: the connection is closed without a request.
	c, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(c, "POST /v1/scan HTTP/1.1\r\nHost: x\r\n")
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.ReadAll(c); err != nil {
		t.Errorf("slow headers: connection not closed by the server: %v", err)
	}
	c.Close()

	// Still healthy and still scanning.
	if a := get(t, ts.url+"/healthz"); a.status != 200 {
		t.Errorf("healthz after malformed inputs: %d", a.status)
	}
	if a := post(t, ts.url+"/v1/scan", "image/jpeg", img); a.status != 200 {
		t.Errorf("scan after malformed inputs: %d %s", a.status, a.body)
	}
}

func TestOverload(t *testing.T) {
	p := &stubProc{started: make(chan struct{}, 10), gate: make(chan struct{})}
	pool := stubPool(t, 1, 1, p)
	ts := start(t, Options{Scanner: pool, RetryAfter: 2 * time.Second})
	img := testJPEG(t, 32, 32)
	var wg sync.WaitGroup
	statuses := make(chan int, 2)
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := http.Post(ts.url+"/v1/scan", "image/jpeg", bytes.NewReader(img))
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			statuses <- res.StatusCode
		}()
		if i == 0 {
			<-p.started // the worker is busy
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for pool.QueueDepth() != 1 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	t0 := time.Now()
	a := post(t, ts.url+"/v1/scan", "image/jpeg", img)
	if a.status != 429 || a.code != "overloaded" || a.header.Get("Retry-After") != "2" {
		t.Errorf("full queue: %d %q Retry-After %q", a.status, a.body, a.header.Get("Retry-After"))
	}
	if d := time.Since(t0); d > 2*time.Second {
		t.Errorf("429 took %v", d)
	}
	m := get(t, ts.url+"/metrics")
	if !bytes.Contains(m.body, []byte("docscan_queue_depth 1\n")) {
		t.Errorf("metrics without queue depth 1:\n%s", m.body)
	}
	close(p.gate)
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != 200 {
			t.Errorf("queued request: %d", s)
		}
	}
}

func TestAuth(t *testing.T) {
	tokens, err := ParseTokens(strings.NewReader("# officers' app\n" + HashToken("s3cret") + " app\n\n" + HashToken("other") + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	ts := start(t, Options{Scanner: stubPool(t, 1, 1, &stubProc{}), Tokens: tokens})
	img := testJPEG(t, 32, 32)
	for _, h := range []string{"", "Bearer", "Bearer ", "Bearer wrong", "Basic czNjcmV0", "s3cret", "Bearer s3cret2"} {
		a := post(t, ts.url+"/v1/scan", "image/jpeg", img, "Authorization", h)
		if a.status != 401 || a.code != "unauthorized" || a.header.Get("WWW-Authenticate") == "" {
			t.Errorf("Authorization %q: %d %s", h, a.status, a.body)
		}
	}
	for _, h := range []string{"Bearer s3cret", "bearer other"} {
		if a := post(t, ts.url+"/v1/scan", "image/jpeg", img, "Authorization", h); a.status != 200 {
			t.Errorf("Authorization %q: %d %s", h, a.status, a.body)
		}
	}
	if a := get(t, ts.url+"/metrics"); a.status != 401 {
		t.Errorf("metrics without token: %d", a.status)
	}
	if a := get(t, ts.url+"/metrics", "Authorization", "Bearer s3cret"); a.status != 200 {
		t.Errorf("metrics with token: %d", a.status)
	}
	for _, p := range []string{"/healthz", "/readyz", "/", "/openapi.json"} {
		if a := get(t, ts.url+p); a.status != 200 {
			t.Errorf("%s without token: %d", p, a.status)
		}
	}
	if strings.Contains(ts.logs.String(), "s3cret") {
		t.Error("a token reached the logs")
	}
	for _, bad := range []string{"", "# nothing\n", "abc\n", HashToken("x")[:60] + "\n"} {
		if _, err := ParseTokens(strings.NewReader(bad)); err == nil {
			t.Errorf("token file %q accepted", bad)
		}
	}
}

func TestReadinessAndMetrics(t *testing.T) {
	ts := start(t, Options{})
	if a := get(t, ts.url+"/healthz"); a.status != 200 {
		t.Errorf("healthz: %d", a.status)
	}
	if a := get(t, ts.url+"/readyz"); a.status != 503 || a.header.Get("Retry-After") == "" {
		t.Errorf("readyz before models: %d", a.status)
	}
	img := testJPEG(t, 32, 32)
	if a := post(t, ts.url+"/v1/scan", "image/jpeg", img); a.status != 503 || a.code != "unavailable" {
		t.Errorf("scan before models: %d %s", a.status, a.body)
	}
	ts.SetScanner(stubPool(t, 2, 2, &stubProc{}))
	if a := get(t, ts.url+"/readyz"); a.status != 200 {
		t.Errorf("readyz: %d %s", a.status, a.body)
	}
	post(t, ts.url+"/v1/scan", "image/jpeg", img)
	post(t, ts.url+"/v1/scan", "text/plain", img)
	a := get(t, ts.url+"/metrics")
	if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("metrics content type %q", ct)
	}
	for _, want := range []string{
		`docscan_http_requests_total{route="POST /v1/scan",status="200"} 1`,
		`docscan_http_requests_total{route="POST /v1/scan",status="415"} 1`,
		`docscan_http_requests_total{route="POST /v1/scan",status="503"} 1`,
		`docscan_records_total{kind="plate"} 1`,
		`docscan_scan_stage_duration_seconds_bucket{stage="decode",le="0.005"} 1`,
		`docscan_scan_stage_duration_seconds_count{stage="total"} 1`,
		`docscan_http_request_duration_seconds_bucket{route="POST /v1/scan",le="+Inf"} 3`,
		"docscan_queue_depth 0", "docscan_workers 2", "docscan_ready 1", "process_resident_memory_bytes ",
	} {
		if !bytes.Contains(a.body, []byte(want)) {
			t.Errorf("metrics lack %q", want)
		}
	}
	// Unknown paths are not a label of their own.
	get(t, ts.url+"/nope/12345")
	if a := get(t, ts.url+"/metrics"); bytes.Contains(a.body, []byte("12345")) {
		t.Error("request path leaked into metric labels")
	}
	ts.Drain()
	if a := get(t, ts.url+"/readyz"); a.status != 503 {
		t.Errorf("readyz while draining: %d", a.status)
	}
}

func TestStatusMapping(t *testing.T) {
	want := map[string]int{
		"bad_request": 400, "unreadable_image": 400, "unauthorized": 401, "request_timeout": 408,
		"too_large": 413, "not_an_image": 415, "unsupported_media_type": 415, "overloaded": 429,
		"internal": 500, "unavailable": 503, "deadline_exceeded": 504, "something_new": 500,
	}
	for code, st := range want {
		if got := statusOf(code); got != st {
			t.Errorf("%s: %d, want %d", code, got, st)
		}
	}
}

// deadlineProc never finishes before the context does.
type deadlineProc struct{}

func (deadlineProc) Process(ctx context.Context, req pipeline.Request) *scan.Result {
	<-ctx.Done()
	return pipeline.ErrorResult(req.File, ctx.Err())
}
func (deadlineProc) Close() error { return nil }

func TestDeadline(t *testing.T) {
	pool, err := pipeline.NewPool(pipeline.PoolOptions{Workers: 1,
		NewProcessor: func() (pipeline.Processor, error) { return deadlineProc{}, nil }})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	ts := start(t, Options{Scanner: pool, Timeout: 200 * time.Millisecond})
	a := post(t, ts.url+"/v1/scan", "image/jpeg", testJPEG(t, 32, 32))
	if a.status != 504 || a.code != "deadline_exceeded" {
		t.Errorf("deadline: %d %s", a.status, a.body)
	}
}

// FuzzReadImage feeds arbitrary content types and bodies to the request
// decoding: it must never panic, never return more than the limit, and
// refuse with a known code.
func FuzzReadImage(f *testing.F) {
	img := testJPEG(f, 16, 16)
	f.Add("image/jpeg", img)
	f.Add("multipart/form-data; boundary=BB", []byte("--BB\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\nabc\r\n--BB--\r\n"))
	f.Add("multipart/form-data; boundary=BB", []byte("--BB\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nabc\r\n--BB--\r\n"))
	f.Add("text/plain", []byte("hi"))
	f.Add("image/png", testimg.PNGHeader(1, 1))
	f.Add("", []byte{})
	codes := map[string]bool{"bad_request": true, "too_large": true, "unsupported_media_type": true}
	const limit = 4096
	f.Fuzz(func(t *testing.T, ct string, body []byte) {
		r, err := http.NewRequest("POST", "/v1/scan", bytes.NewReader(body))
		if err != nil {
			return
		}
		r.Header.Set("Content-Type", ct)
		data, err := readImage(nil, r, pipelineLimits(limit))
		if err != nil {
			re, ok := err.(*requestError)
			if !ok || !codes[re.code] {
				t.Fatalf("error %v (%T)", err, err)
			}
			return
		}
		if len(data) == 0 || len(data) > limit {
			t.Fatalf("%d bytes accepted", len(data))
		}
	})
}

func pipelineLimits(n int64) preprocess.Limits { return preprocess.Limits{MaxBytes: n} }
