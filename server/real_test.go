package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"docscan/models"
	"docscan/pipeline"
	"docscan/preprocess"
)

// realPool starts a pool with the real engines, or skips when the model
// assets are absent (fails under DOCSCAN_REQUIRE_ASSETS=1).
func realPool(t *testing.T, workers int) *pipeline.Pool {
	t.Helper()
	assets, err := models.Locate("", "")
	if err != nil {
		if os.Getenv("DOCSCAN_REQUIRE_ASSETS") == "1" {
			t.Fatalf("assets required: %v", err)
		}
		t.Skipf("model assets absent (make deps): %v", err)
	}
	opt := pipeline.Options{Assets: assets, Decode: preprocess.DecodeOptions{}}
	pool, err := pipeline.NewPool(pipeline.PoolOptions{Workers: workers, QueueSize: workers,
		NewProcessor: func() (pipeline.Processor, error) { return pipeline.NewEngines(opt) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	return pool
}

// TestLogsCarryNoPersonalData runs a full scan of an ID card (with the raw
// text regions) and a failing one, and checks that no MRZ line, name,
// number or date the server answered, nor any recognized text, appears in
// any log line.
func TestLogsCarryNoPersonalData(t *testing.T) {
	pool := realPool(t, 1)
	img, err := os.ReadFile("../testdata/samples/idcard_td1.jpg")
	if err != nil {
		t.Fatal(err)
	}
	ts := start(t, Options{Scanner: pool})
	// Whatever else logs through the default logger goes to the same place.
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(ts.logs, nil)))
	defer slog.SetDefault(prev)

	a := post(t, ts.url+"/v1/scan?text=1", "image/jpeg", img)
	post(t, ts.url+"/v1/scan", "image/jpeg", img[:len(img)/2]) // a failure too

	var secrets []string
	for _, ans := range []answer{a} {
		if ans.status != 200 {
			t.Fatalf("scan: %d %s", ans.status, ans.body)
		}
		var res struct {
			Records []struct {
				Kind  string   `json:"kind"`
				Text  string   `json:"text"`
				Lines []string `json:"lines"`
				// MRZ fields are strings; document fields objects with a value.
				Fields map[string]json.RawMessage `json:"fields"`
			} `json:"records"`
		}
		if err := json.Unmarshal(ans.body, &res); err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Records {
			secrets = append(secrets, r.Lines...)
			for k, raw := range r.Fields {
				var v string
				if json.Unmarshal(raw, &v) != nil {
					var f struct{ Value string }
					if err := json.Unmarshal(raw, &f); err != nil {
						t.Fatalf("field %s: %v", k, err)
					}
					v = f.Value
				}
				if k != "sex" && len(v) >= 3 {
					secrets = append(secrets, v)
				}
			}
			if len(r.Text) >= 4 {
				secrets = append(secrets, r.Text)
			}
		}
	}
	if !slices.ContainsFunc(secrets, func(s string) bool { return s == "KAYA" }) {
		t.Fatalf("the scan did not read the sample's MRZ (surname KAYA); secrets %q", secrets)
	}
	logs := ts.logs.String()
	if strings.Count(logs, `"msg":"request"`) != 2 {
		t.Errorf("want 2 request log lines:\n%s", logs)
	}
	for _, s := range secrets {
		if strings.Contains(logs, s) {
			t.Errorf("log carries %q", s)
		}
	}
	// Nor the image: its bytes, or a base64 rendering of its start.
	if strings.Contains(logs, string(img[:64])) || strings.Contains(logs, "/9j/") {
		t.Error("log carries image bytes")
	}
	t.Logf("%d personal strings checked against %d bytes of logs", len(secrets), len(logs))
}

type loadResult struct {
	clients, ok, overloaded, fiveXX, failed int
	wall                                    time.Duration
	lat                                     []time.Duration
}

func (r loadResult) pct(p float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	s := slices.Clone(r.lat)
	slices.Sort(s)
	return s[min(len(s)-1, int(p*float64(len(s))))]
}

// loadLevel runs clients concurrent clients until okWanted scans succeeded
// or maxWall passed; a 429 backs off 25 ms.
func loadLevel(url string, img []byte, clients, okWanted int, maxWall time.Duration) loadResult {
	var mu sync.Mutex
	res := loadResult{clients: clients}
	stop := time.Now().Add(maxWall)
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	var wg sync.WaitGroup
	t0 := time.Now()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				done := res.ok >= okWanted || time.Now().After(stop)
				mu.Unlock()
				if done {
					return
				}
				s := time.Now()
				resp, err := client.Post(url+"/v1/scan?kind=plate", "image/jpeg", bytes.NewReader(img))
				d := time.Since(s)
				status := 0
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					status = resp.StatusCode
				}
				mu.Lock()
				switch {
				case status == 200:
					res.ok++
					res.lat = append(res.lat, d)
				case status == 429:
					res.overloaded++
				case status >= 500:
					res.fiveXX++
				default:
					res.failed++
				}
				mu.Unlock()
				if status == 429 {
					time.Sleep(25 * time.Millisecond)
				}
			}
		}()
	}
	wg.Wait()
	res.wall = time.Since(t0)
	client.CloseIdleConnections()
	return res
}

// TestLoadLoopback is a short load test on 127.0.0.1 against the real
// engines (2 workers, plate scene) at 1, 2, 8 and 64 clients. It reports
// throughput, p50/p99 and peak RSS in its log; it asserts no 5xx, no
// transport failure, and 429s (not timeouts) when 64 clients overload the
// queue. No wall-clock assertion. DOCSCAN_LOAD_SCALE=N runs N times longer.
func TestLoadLoopback(t *testing.T) {
	pool := realPool(t, 2)
	img, err := os.ReadFile("../testdata/samples/plate_de_1.jpg")
	if err != nil {
		t.Fatal(err)
	}
	scale := 1
	if v, err := strconv.Atoi(os.Getenv("DOCSCAN_LOAD_SCALE")); err == nil && v > 0 {
		scale = v
	}
	ts := start(t, Options{Scanner: pool})
	loadLevel(ts.url, img, 1, 1, time.Minute) // warm up
	levels := []struct {
		clients, ok int
		wall        time.Duration
	}{{1, 3 * scale, time.Minute}, {2, 4 * scale, time.Minute}, {8, 6 * scale, time.Minute}, {64, 1 << 30, time.Duration(scale) * 2 * time.Second}}
	var single time.Duration
	var report strings.Builder
	fmt.Fprintf(&report, "\n| clients | ok | 429 | 5xx | other | images/s | p50 ms | p99 ms | p99 / single p50 |\n|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, l := range levels {
		r := loadLevel(ts.url, img, l.clients, l.ok, l.wall)
		if l.clients == 1 {
			single = r.pct(0.5)
		}
		fmt.Fprintf(&report, "| %d | %d | %d | %d | %d | %.2f | %.0f | %.0f | %.2f |\n", l.clients, r.ok, r.overloaded, r.fiveXX, r.failed,
			float64(r.ok)/r.wall.Seconds(), ms(r.pct(0.5)), ms(r.pct(0.99)), ms(r.pct(0.99))/max(ms(single), 1e-9))
		if r.fiveXX > 0 || r.failed > 0 {
			t.Errorf("%d clients: %d 5xx, %d other failures", l.clients, r.fiveXX, r.failed)
		}
		if l.clients == 64 && r.overloaded == 0 {
			t.Errorf("64 clients on 2 workers got no 429")
		}
	}
	_, peak := procMemory()
	fmt.Fprintf(&report, "peak RSS of the test process (server, 2 workers, clients): %.0f MiB\n", float64(peak)/(1<<20))
	t.Log(report.String())
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
