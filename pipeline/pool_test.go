package pipeline

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// gateProc blocks each request until the test releases it.
type gateProc struct {
	started chan string
	release chan struct{}
	closed  *atomic.Int32
	panicOn string
}

func (g *gateProc) Process(ctx context.Context, req Request) *Result {
	if req.File == g.panicOn {
		panic("boom")
	}
	g.started <- req.File
	select {
	case <-g.release:
	case <-ctx.Done():
		return ErrorResult(req.File, ctx.Err())
	}
	return &Result{Records: []Record{}, TimingsMS: map[string]float64{}}
}

func (g *gateProc) Close() error { g.closed.Add(1); return nil }

func newGatePool(t *testing.T, workers, queue int) (*Pool, *gateProc) {
	t.Helper()
	g := &gateProc{started: make(chan string, 100), release: make(chan struct{}), closed: &atomic.Int32{}, panicOn: "panic"}
	p, err := NewPool(PoolOptions{Workers: workers, QueueSize: queue, NewProcessor: func() (Processor, error) { return g, nil }})
	if err != nil {
		t.Fatal(err)
	}
	return p, g
}

func TestPoolBackPressure(t *testing.T) {
	p, g := newGatePool(t, 1, 1)
	ctx := context.Background()
	var wg sync.WaitGroup
	results := make(chan *Result, 2)
	// One request busy in the worker, one waiting in the queue.
	wg.Add(1)
	go func() { defer wg.Done(); results <- p.TryScan(ctx, Request{File: "a"}) }()
	<-g.started
	wg.Add(1)
	go func() { defer wg.Done(); results <- p.TryScan(ctx, Request{File: "b"}) }()
	deadline := time.Now().Add(5 * time.Second)
	for p.QueueDepth() != 1 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	// The third is refused at once.
	t0 := time.Now()
	r := p.TryScan(ctx, Request{File: "c"})
	if r.Error == nil || r.Error.Code != CodeOverloaded {
		t.Fatalf("third request: %+v, want overloaded", r.Error)
	}
	if d := time.Since(t0); d > time.Second {
		t.Errorf("overload answer took %v", d)
	}
	close(g.release) // let everything finish
	wg.Wait()
	close(results)
	for r := range results {
		if r.Error != nil {
			t.Errorf("%s: %v", r.File, r.Error)
		}
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	p.Close() // twice is fine
	if g.closed.Load() != 1 {
		t.Errorf("processor closed %d times", g.closed.Load())
	}
	if r := p.Scan(ctx, Request{File: "late"}); r.Error == nil || r.Error.Code != CodeUnavail {
		t.Errorf("after close: %+v", r.Error)
	}
}

func TestPoolCancellation(t *testing.T) {
	p, g := newGatePool(t, 1, 4)
	defer p.Close()
	defer close(g.release)
	// A request cancelled while running returns promptly with its code.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	r := p.Scan(ctx, Request{File: "slow"})
	if r.Error == nil || r.Error.Code != CodeDeadline {
		t.Fatalf("deadline: %+v", r.Error)
	}
	<-g.started
	// A request whose context is already cancelled never reaches a processor.
	cctx, ccancel := context.WithCancel(context.Background())
	ccancel()
	r = p.Scan(cctx, Request{File: "dead"})
	if r.Error == nil || r.Error.Code != CodeCanceled {
		t.Fatalf("cancelled: %+v", r.Error)
	}
	select {
	case f := <-g.started:
		if f == "dead" {
			t.Errorf("cancelled request was processed")
		}
	case <-time.After(100 * time.Millisecond):
	}
}

func TestPoolPanicIsAnError(t *testing.T) {
	p, g := newGatePool(t, 1, 1)
	defer p.Close()
	r := p.Scan(context.Background(), Request{File: "panic"})
	if r.Error == nil || r.Error.Code != CodeInternal || r.File != "panic" {
		t.Fatalf("panic: %+v", r)
	}
	// The worker survives.
	go func() { <-g.started; g.release <- struct{}{} }()
	if r := p.Scan(context.Background(), Request{File: "ok"}); r.Error != nil {
		t.Fatalf("after panic: %+v", r.Error)
	}
}

func TestNewPoolClosesOnFailure(t *testing.T) {
	var made, closed atomic.Int32
	_, err := NewPool(PoolOptions{Workers: 3, NewProcessor: func() (Processor, error) {
		if made.Add(1) == 3 {
			return nil, errors.New("no model")
		}
		return &gateProc{closed: &closed}, nil
	}})
	if err == nil || closed.Load() != 2 {
		t.Fatalf("err %v, closed %d", err, closed.Load())
	}
}

// settleProc's Settle waits for the test's release.
type settleProc struct {
	settling chan string
	release  chan struct{}
	settled  atomic.Int32
	last     string
}

func (s *settleProc) Process(ctx context.Context, req Request) *Result {
	s.last = req.File
	return &Result{Records: []Record{}, TimingsMS: map[string]float64{}}
}

func (s *settleProc) Settle() {
	s.settling <- s.last
	<-s.release
	s.settled.Add(1)
}

func (s *settleProc) Close() error { return nil }

// TestPoolSettlesAfterHandOver: a Settler's clean-up runs once after each
// scan, and the scan's caller has its result while the clean-up still
// runs (it is no part of the request's latency).
func TestPoolSettlesAfterHandOver(t *testing.T) {
	sp := &settleProc{settling: make(chan string, 1), release: make(chan struct{})}
	p, err := NewPool(PoolOptions{Workers: 1, NewProcessor: func() (Processor, error) { return sp, nil }})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"a", "b"} {
		// A worker settling before the hand-over would hold the result
		// until the release below: the scan times out.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		r := p.Scan(ctx, Request{File: f})
		cancel()
		if r.Error != nil || r.File != f {
			t.Fatalf("scan %s: %+v", f, r)
		}
		select {
		case got := <-sp.settling:
			if got != f {
				t.Errorf("settling after %s, want after %s", got, f)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no settle after %s", f)
		}
		if n := sp.settled.Load(); n != int32(strings.IndexByte("ab", f[0])) {
			t.Errorf("after %s: %d settled before its result was handed over", f, n)
		}
		sp.release <- struct{}{}
	}
	p.Close()
	if n := sp.settled.Load(); n != 2 {
		t.Errorf("settled %d times for 2 scans", n)
	}
}
