package fabric

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"docscan/scan"
)

// echo is a trivial processor: one text record holding the image's hash.
func echo(_ context.Context, j Job) *scan.Result {
	sum := sha256.Sum256(j.Data)
	return &scan.Result{Records: []scan.Record{map[string]any{"kind": "text", "text": hex.EncodeToString(sum[:8])}},
		TimingsMS: map[string]float64{}}
}

func startServer(t testing.TB) *server.Server {
	t.Helper()
	s, err := StartServer(ServerOptions{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
	return s
}

func connect(t testing.TB, s *server.Server, cfg Config) *Fabric {
	t.Helper()
	nc, err := nats.Connect(s.ClientURL(), nats.InProcessServer(s))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	f, err := Setup(context.Background(), nc, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// startWorker runs Work until the test ends.
func startWorker(t testing.TB, f *Fabric, slots int, proc Processor) *WorkerStats {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stats WorkerStats
	var wg sync.WaitGroup
	wg.Go(func() { f.Work(ctx, slots, proc, &stats, t.Logf) })
	t.Cleanup(func() { cancel(); wg.Wait() })
	return &stats
}

type fileResult struct {
	File    string `json:"file"`
	Records []struct {
		Text string `json:"text"`
	} `json:"records"`
	Error *scan.ErrorBody `json:"error"`
}

// collect takes n deliveries (acking them), failing after timeout.
func collect(t testing.TB, b *Batch, n int, timeout time.Duration) map[string][]fileResult {
	t.Helper()
	got := map[string][]fileResult{}
	deadline := time.After(timeout)
	for i := 0; i < n; i++ {
		select {
		case d := <-b.Deliveries():
			var r fileResult
			if err := json.Unmarshal(d.Line, &r); err != nil {
				t.Fatalf("delivery %s: %v: %s", d.Key, err, d.Line)
			}
			got[d.Key] = append(got[d.Key], r)
			if err := d.Ack(); err != nil {
				t.Errorf("ack: %v", err)
			}
		case <-deadline:
			t.Fatalf("%d of %d results after %v", i, n, timeout)
		}
	}
	return got
}

func image(i, size int) []byte {
	b := make([]byte, size)
	for j := range b {
		b[j] = byte(i*31 + j)
	}
	return b
}

func wantText(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8])
}

func msgs(t testing.TB, s jetstream.Stream) uint64 {
	t.Helper()
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

// TestRoundTrip sends jobs inline and through the object store and checks
// every result, then that nothing is left: no job, no result, no image
// object, not even its delete marker.
func TestRoundTrip(t *testing.T) {
	s := startServer(t)
	f := connect(t, s, Config{AckWait: 2 * time.Second})
	startWorker(t, f, 2, echo)
	b, err := f.OpenBatch(context.Background(), BatchOptions{ID: "rt", InlineMax: 1000, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	const n = 40
	data := map[string][]byte{}
	for i := range n {
		size := 500
		if i%2 == 1 {
			size = 300_000 // object store, several chunks
		}
		key := fmt.Sprintf("k%02d", i)
		data[key] = image(i, size)
		if err := b.Submit(context.Background(), Job{Key: key, File: fmt.Sprintf("dir/f%02d.jpg", i), Kind: "auto", Data: data[key]}); err != nil {
			t.Fatal(err)
		}
	}
	got := collect(t, b, n, 30*time.Second)
	for key, want := range data {
		rs := got[key]
		if len(rs) != 1 {
			t.Errorf("%s: %d results", key, len(rs))
			continue
		}
		if r := rs[0]; r.File != "dir/f"+key[1:]+".jpg" || len(r.Records) != 1 || r.Records[0].Text != wantText(want) {
			t.Errorf("%s: %+v", key, r)
		}
	}
	if b.Outstanding() != 0 {
		t.Errorf("%d outstanding", b.Outstanding())
	}
	// Acks travel asynchronously; give them a moment.
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) && msgs(t, f.results)+msgs(t, f.jobs)+msgs(t, f.objSt) > 0 {
		time.Sleep(20 * time.Millisecond)
	}
	if j, r, o := msgs(t, f.jobs), msgs(t, f.results), msgs(t, f.objSt); j+r+o > 0 {
		t.Errorf("left behind: %d jobs, %d results, %d object store messages", j, r, o)
	}
}

// TestDuplicateJobs: a job submitted twice while queued is queued once; a job
// whose worker died after storing the result but before acking is
// redelivered and stored once more under the same key: one delivery each.
func TestDuplicateJobs(t *testing.T) {
	s := startServer(t)
	f := connect(t, s, Config{AckWait: 500 * time.Millisecond})
	b, err := f.OpenBatch(context.Background(), BatchOptions{ID: "dup", Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for i := range 4 {
		for range 2 { // the second submit finds the job queued
			if err := b.Submit(context.Background(), Job{Key: fmt.Sprintf("k%d", i), File: fmt.Sprint(i), Data: image(i, 10)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := msgs(t, f.jobs); n != 4 {
		t.Fatalf("%d jobs queued, want 4", n)
	}
	// A worker that stores the result and dies before the ack.
	cons, err := f.jobs.Consumer(context.Background(), WorkersConsumer)
	if err != nil {
		t.Fatal(err)
	}
	m, err := cons.Next()
	if err != nil {
		t.Fatal(err)
	}
	var job Job
	json.Unmarshal([]byte(m.Headers().Get(hdrJob)), &job)
	line, _ := json.Marshal(echo(context.Background(), Job{Data: m.Data()}))
	out := nats.NewMsg(resultSubject(job.Batch, job.Key))
	out.Data = append(line, '\n')
	if _, err := f.js.PublishMsg(context.Background(), out, jetstream.WithMsgID(job.Batch+"."+job.Key)); err != nil {
		t.Fatal(err)
	}
	stats := startWorker(t, f, 1, echo)
	got := collect(t, b, 4, 20*time.Second)
	// Nothing more may come: wait past a redelivery.
	select {
	case d := <-b.Deliveries():
		t.Errorf("extra delivery for %s", d.Key)
	case <-time.After(1500 * time.Millisecond):
	}
	if len(got) != 4 {
		t.Errorf("%d keys, want 4", len(got))
	}
	if stats.Redelivered.Load() < 1 {
		t.Errorf("redelivered %d, want the job whose worker died", stats.Redelivered.Load())
	}
}

// TestGiveUp: a job that workers take and never finish is given up after
// MaxDeliver deliveries and recorded as failed, and leaves the queue.
func TestGiveUp(t *testing.T) {
	s := startServer(t)
	f := connect(t, s, Config{AckWait: 200 * time.Millisecond, MaxDeliver: 2})
	b, err := f.OpenBatch(context.Background(), BatchOptions{ID: "poison", Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Submit(context.Background(), Job{Key: "k", File: "poison.jpg", Data: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	cons, _ := f.jobs.Consumer(context.Background(), WorkersConsumer)
	for range 2 { // a worker that hangs, twice
		if _, err := cons.Next(jetstream.FetchMaxWait(5 * time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	// The server gives the job up when it would deliver it a third time,
	// that is, to a worker that asks.
	if m, err := cons.Next(jetstream.FetchMaxWait(time.Second)); err == nil {
		t.Fatalf("delivered a third time: %s", m.Subject())
	}
	got := collect(t, b, 1, 10*time.Second)
	r := got["k"]
	if len(r) != 1 || r[0].File != "poison.jpg" || r[0].Error == nil || r[0].Error.Code != "internal" {
		t.Fatalf("given-up job: %+v", got)
	}
	if n := msgs(t, f.jobs); n != 0 {
		t.Errorf("%d jobs left", n)
	}
}

// TestLostJob: a job that vanishes from the queue (a restarted cluster drops
// its memory streams) is submitted again with its image read anew.
func TestLostJob(t *testing.T) {
	s := startServer(t)
	f := connect(t, s, Config{AckWait: 200 * time.Millisecond})
	reloaded := make(chan string, 1)
	b, err := f.OpenBatch(context.Background(), BatchOptions{ID: "lost", Logf: t.Logf,
		Reload: func(j Job) ([]byte, error) { reloaded <- j.File; return image(7, 20), nil }})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Submit(context.Background(), Job{Key: "k", File: "a.jpg", Data: image(7, 20)}); err != nil {
		t.Fatal(err)
	}
	if err := f.jobs.Purge(context.Background()); err != nil {
		t.Fatal(err)
	}
	startWorker(t, f, 1, echo)
	got := collect(t, b, 1, 15*time.Second)
	if r := got["k"]; len(r) != 1 || r[0].Records[0].Text != wantText(image(7, 20)) {
		t.Fatalf("%+v", got)
	}
	if f := <-reloaded; f != "a.jpg" {
		t.Errorf("reloaded %s", f)
	}
}

// TestResume: results a batch did not take are delivered to the next run of
// the same batch, at once when the first run closed cleanly.
func TestResume(t *testing.T) {
	s := startServer(t)
	f := connect(t, s, Config{AckWait: time.Second})
	stats := startWorker(t, f, 2, echo)
	b, err := f.OpenBatch(context.Background(), BatchOptions{ID: "res", Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	const n = 10
	for i := range n {
		if err := b.Submit(context.Background(), Job{Key: fmt.Sprintf("k%d", i), File: fmt.Sprint(i), Data: image(i, 10)}); err != nil {
			t.Fatal(err)
		}
	}
	first := collect(t, b, 3, 10*time.Second)
	// Let the rest be stored, then stop without taking them.
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) && msgs(t, f.jobs) > 0 {
		time.Sleep(10 * time.Millisecond)
	}
	b.Close()
	b2, err := f.OpenBatch(context.Background(), BatchOptions{ID: "res", Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer b2.Close()
	// The second run submits what the first did not write, some before
	// their results come (stored: not queued), the rest after (they came:
	// not queued): nothing is scanned again, nothing stays outstanding.
	submit := func(from, to int) {
		for i := from; i < to; i++ {
			if key := fmt.Sprintf("k%d", i); first[key] == nil {
				if err := b2.Submit(context.Background(), Job{Key: key, File: fmt.Sprint(i), Data: image(i, 10)}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	submit(0, n/2)
	second := collect(t, b2, n-3, 5*time.Second)
	submit(n/2, n)
	if done := stats.Done.Load(); done != n {
		t.Errorf("%d scans, want %d: the resumed batch queued jobs whose results were stored", done, n)
	}
	if o := b2.Outstanding(); o != 0 {
		t.Errorf("%d jobs outstanding whose results came", o)
	}
	for k := range first {
		if _, ok := second[k]; ok {
			t.Errorf("%s delivered to both runs", k)
		}
	}
	if len(first)+len(second) != n {
		t.Errorf("%d + %d results, want %d", len(first), len(second), n)
	}
	if err := b2.Finish(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.results.Consumer(context.Background(), "batch-res"); err == nil {
		t.Errorf("results consumer left after Finish")
	}
}
