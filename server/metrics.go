package server

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"docscan/scan"
)

// Latency buckets in seconds, for requests and scan stages.
var buckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

type histogram struct {
	counts []uint64 // per bucket, plus +Inf
	sum    float64
	n      uint64
}

func (h *histogram) observe(v float64) {
	if h.counts == nil {
		h.counts = make([]uint64, len(buckets)+1)
	}
	i, _ := slices.BinarySearch(buckets, v)
	h.counts[i]++
	h.sum += v
	h.n++
}

// metrics are hand-written Prometheus counters, gauges and histograms; label
// values come from fixed sets (routes, statuses, stages, kinds, codes), never
// from request content.
type metrics struct {
	mu       sync.Mutex
	requests map[[2]string]uint64 // route, status
	latency  map[string]*histogram
	stages   map[string]*histogram
	records  map[string]uint64
	errors   map[string]uint64
	inflight atomic.Int64
}

func newMetrics() *metrics {
	return &metrics{
		requests: map[[2]string]uint64{}, latency: map[string]*histogram{},
		stages: map[string]*histogram{}, records: map[string]uint64{}, errors: map[string]uint64{},
	}
}

func (m *metrics) observeRequest(route string, status int, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[[2]string{route, strconv.Itoa(status)}]++
	h := m.latency[route]
	if h == nil {
		h = &histogram{}
		m.latency[route] = h
	}
	h.observe(d.Seconds())
}

func (m *metrics) observeScan(r *scan.Result) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r.Error != nil {
		m.errors[r.Error.Code]++
	}
	for stage, ms := range r.TimingsMS {
		h := m.stages[stage]
		if h == nil {
			h = &histogram{}
			m.stages[stage] = h
		}
		h.observe(ms / 1000)
	}
	for _, rec := range r.Records {
		m.records[scan.KindOf(rec)]++
	}
}

func (m *metrics) write(w io.Writer, sc Scanner, ready bool) {
	var b bytes.Buffer
	m.mu.Lock()
	b.WriteString("# HELP docscan_http_requests_total HTTP requests by route and status.\n# TYPE docscan_http_requests_total counter\n")
	keys := sortedKeys(m.requests, func(a, b [2]string) int {
		if c := cmpStr(a[0], b[0]); c != 0 {
			return c
		}
		return cmpStr(a[1], b[1])
	})
	for _, k := range keys {
		fmt.Fprintf(&b, "docscan_http_requests_total{route=%q,status=%q} %d\n", k[0], k[1], m.requests[k])
	}
	b.WriteString("# HELP docscan_http_request_duration_seconds HTTP request latency by route.\n# TYPE docscan_http_request_duration_seconds histogram\n")
	for _, route := range sortedKeys(m.latency, cmpStr) {
		writeHist(&b, "docscan_http_request_duration_seconds", "route", route, m.latency[route])
	}
	b.WriteString("# HELP docscan_scan_stage_duration_seconds Time per pipeline stage (from timings_ms).\n# TYPE docscan_scan_stage_duration_seconds histogram\n")
	for _, st := range sortedKeys(m.stages, cmpStr) {
		writeHist(&b, "docscan_scan_stage_duration_seconds", "stage", st, m.stages[st])
	}
	b.WriteString("# HELP docscan_records_total Records found by kind.\n# TYPE docscan_records_total counter\n")
	for _, k := range sortedKeys(m.records, cmpStr) {
		fmt.Fprintf(&b, "docscan_records_total{kind=%q} %d\n", k, m.records[k])
	}
	b.WriteString("# HELP docscan_scan_errors_total Failed scans by error code.\n# TYPE docscan_scan_errors_total counter\n")
	for _, k := range sortedKeys(m.errors, cmpStr) {
		fmt.Fprintf(&b, "docscan_scan_errors_total{code=%q} %d\n", k, m.errors[k])
	}
	m.mu.Unlock()

	depth, workers := 0, 0
	if sc != nil {
		depth, workers = sc.QueueDepth(), sc.Workers()
	}
	gauge(&b, "docscan_queue_depth", "Scans waiting for a worker.", float64(depth))
	gauge(&b, "docscan_workers", "Scan workers.", float64(workers))
	gauge(&b, "docscan_http_inflight_requests", "Requests being served.", float64(m.inflight.Load()))
	gauge(&b, "docscan_ready", "1 when the models are loaded and the server is not draining.", b2f(ready))
	rss, peak := procMemory()
	gauge(&b, "process_resident_memory_bytes", "Resident set size.", float64(rss))
	gauge(&b, "docscan_process_peak_resident_memory_bytes", "Peak resident set size (VmHWM).", float64(peak))
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gauge(&b, "go_memstats_heap_inuse_bytes", "Go heap in use.", float64(ms.HeapInuse))
	gauge(&b, "go_goroutines", "Goroutines.", float64(runtime.NumGoroutine()))
	w.Write(b.Bytes())
}

func writeHist(b *bytes.Buffer, name, label, value string, h *histogram) {
	var cum uint64
	for i, le := range buckets {
		cum += h.counts[i]
		fmt.Fprintf(b, "%s_bucket{%s=%q,le=%q} %d\n", name, label, value, strconv.FormatFloat(le, 'g', -1, 64), cum)
	}
	cum += h.counts[len(buckets)]
	fmt.Fprintf(b, "%s_bucket{%s=%q,le=\"+Inf\"} %d\n", name, label, value, cum)
	fmt.Fprintf(b, "%s_sum{%s=%q} %s\n", name, label, value, strconv.FormatFloat(h.sum, 'g', -1, 64))
	fmt.Fprintf(b, "%s_count{%s=%q} %d\n", name, label, value, h.n)
}

func gauge(b *bytes.Buffer, name, help string, v float64) {
	fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s gauge\n%s %s\n", name, help, name, name, strconv.FormatFloat(v, 'g', -1, 64))
}

func b2f(v bool) float64 {
	if v {
		return 1
	}
	return 0
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func sortedKeys[K comparable, V any](m map[K]V, cmp func(a, b K) int) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, cmp)
	return keys
}

// procMemory reads VmRSS and VmHWM from /proc/self/status (Linux; 0 elsewhere).
func procMemory() (rss, peak int64) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var kb int64
		line := sc.Text()
		if n, _ := fmt.Sscanf(line, "VmRSS: %d kB", &kb); n == 1 {
			rss = kb << 10
		} else if n, _ := fmt.Sscanf(line, "VmHWM: %d kB", &kb); n == 1 {
			peak = kb << 10
		}
	}
	return rss, peak
}
