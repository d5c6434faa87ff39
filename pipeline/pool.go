package pipeline

import (
	"context"
	"fmt"
	"sync"
)

// Request is one image to scan.
type Request struct {
	File string // name reported in the result (may be empty)
	Data []byte // encoded image bytes
	Kind string // auto|mrz|plate|document|text
	Text bool   // also emit raw text regions as records, all recognized
	// Regions emits every detected region as a text record, recognizing
	// only those a builder wanted (cheap; for detection benchmarks).
	Regions bool
	// Country is the plate country to prefer when guessing (ISO alpha-2,
	// e.g. "DE" or "US"; "" guesses Germany first, then its neighbours):
	// the region a deployment expects.
	Country string
}

// Processor turns one request into a result. Each worker owns one and calls
// it from a single goroutine, so it may hold non-thread-safe engines.
type Processor interface {
	Process(ctx context.Context, req Request) *Result
	Close() error
}

// Settler is a Processor with clean-up to do between scans. The worker
// calls Settle after it has handed a result over, so the clean-up is not
// part of the request's latency (the next request waits for it only when
// it was already queued for this worker).
type Settler interface {
	Settle()
}

// PoolOptions configure a Pool.
type PoolOptions struct {
	Workers   int // number of workers (each with its own Processor); default 1
	QueueSize int // requests waiting beyond the busy workers; default = Workers
	// NewProcessor creates one worker's processor.
	NewProcessor func() (Processor, error)
}

type job struct {
	ctx  context.Context
	req  Request
	done chan *Result
}

// Pool is a fixed set of workers fed from a bounded queue.
type Pool struct {
	jobs    chan *job
	wg      sync.WaitGroup
	procs   []Processor
	mu      sync.RWMutex
	closed  bool
	workers int
}

// NewPool starts the workers. If any processor fails to start, the ones
// already made are closed and the error returned.
func NewPool(o PoolOptions) (*Pool, error) {
	if o.NewProcessor == nil {
		return nil, fmt.Errorf("pool: no processor factory")
	}
	if o.Workers <= 0 {
		o.Workers = 1
	}
	if o.QueueSize < 0 {
		o.QueueSize = 0
	} else if o.QueueSize == 0 {
		o.QueueSize = o.Workers
	}
	p := &Pool{jobs: make(chan *job, o.QueueSize), workers: o.Workers}
	for i := 0; i < o.Workers; i++ {
		proc, err := o.NewProcessor()
		if err != nil {
			for _, q := range p.procs {
				q.Close()
			}
			return nil, fmt.Errorf("start worker %d: %w", i, err)
		}
		p.procs = append(p.procs, proc)
	}
	for _, proc := range p.procs {
		p.wg.Add(1)
		go p.work(proc)
	}
	return p, nil
}

// Workers is the number of workers.
func (p *Pool) Workers() int { return p.workers }

// QueueDepth is the number of requests waiting for a worker.
func (p *Pool) QueueDepth() int { return len(p.jobs) }

func (p *Pool) work(proc Processor) {
	defer p.wg.Done()
	for j := range p.jobs {
		var r *Result
		if err := j.ctx.Err(); err != nil {
			r = ErrorResult(j.req.File, err)
		} else {
			r = p.safeProcess(proc, j)
		}
		j.done <- r
		if st, ok := proc.(Settler); ok {
			st.Settle()
		}
	}
}

// safeProcess turns a panic in a processor into an internal error result, so
// one bad image never takes the worker down.
func (p *Pool) safeProcess(proc Processor, j *job) (r *Result) {
	defer func() {
		if v := recover(); v != nil {
			r = ErrorResult(j.req.File, fmt.Errorf("internal error: %v", v))
		}
	}()
	r = proc.Process(j.ctx, j.req)
	if r == nil {
		r = ErrorResult(j.req.File, fmt.Errorf("internal error: no result"))
	}
	r.File = j.req.File
	return r
}

// Scan queues req, waiting for room in the queue as long as ctx allows, and
// returns its result. Errors (overload, closed, deadline) are reported in
// the result's error.
func (p *Pool) Scan(ctx context.Context, req Request) *Result {
	return p.submit(ctx, req, true)
}

// TryScan is Scan that fails at once with ErrOverloaded when the queue is
// full, instead of waiting (the HTTP server's 429).
func (p *Pool) TryScan(ctx context.Context, req Request) *Result {
	return p.submit(ctx, req, false)
}

func (p *Pool) submit(ctx context.Context, req Request, wait bool) *Result {
	j := &job{ctx: ctx, req: req, done: make(chan *Result, 1)}
	p.mu.RLock()
	if p.closed {
		p.mu.RUnlock()
		return ErrorResult(req.File, ErrClosed)
	}
	if wait {
		select {
		case p.jobs <- j:
		case <-ctx.Done():
			p.mu.RUnlock()
			return ErrorResult(req.File, ctx.Err())
		}
	} else {
		select {
		case p.jobs <- j:
		default:
			p.mu.RUnlock()
			return ErrorResult(req.File, ErrOverloaded)
		}
	}
	p.mu.RUnlock()
	// The worker always answers (a cancelled job is answered at once when
	// it is dequeued), so waiting on done alone cannot leak the job.
	select {
	case r := <-j.done:
		return r
	case <-ctx.Done():
		return ErrorResult(req.File, ctx.Err())
	}
}

// Close stops accepting requests, lets the workers finish what is queued and
// closes their processors. Safe to call twice.
func (p *Pool) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	close(p.jobs)
	p.mu.Unlock()
	p.wg.Wait()
	var first error
	for _, proc := range p.procs {
		if err := proc.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
