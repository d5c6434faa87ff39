package fabric

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"docscan/scan"
)

// Processor scans one job. It is called from several goroutines at once
// (one per slot); the result's File is set by the fabric.
type Processor func(ctx context.Context, job Job) *scan.Result

// WorkerStats counts what a worker did.
type WorkerStats struct {
	Done, Failed, Redelivered, Gone, Requeued atomic.Int64
}

// Work pulls jobs with slots goroutines, each holding at most one job, runs
// proc on them and publishes their results until ctx ends. A job is acked
// only after its result is stored. Jobs already taken when ctx ends are
// finished (their own context does not end with ctx); jobs fetched after it
// are handed back at once. logf reports trouble (never image content).
func (f *Fabric) Work(ctx context.Context, slots int, proc Processor, stats *WorkerStats, logf func(string, ...any)) error {
	if stats == nil {
		stats = &WorkerStats{}
	}
	var cons jetstream.Consumer
	err := retry(ctx, func(ctx context.Context) (err error) {
		cons, err = f.jobs.Consumer(ctx, WorkersConsumer)
		return err
	})
	if err != nil {
		return fmt.Errorf("consumer %s: %w", WorkersConsumer, err)
	}
	var wg sync.WaitGroup
	for range max(1, slots) {
		wg.Go(func() {
			var lastErr time.Time
			for ctx.Err() == nil {
				msg, err := cons.Next(jetstream.FetchMaxWait(time.Second))
				if err != nil {
					if !errors.Is(err, nats.ErrTimeout) && time.Since(lastErr) > 5*time.Second {
						logf("fetch: %v", err)
						lastErr = time.Now()
					}
					if !errors.Is(err, nats.ErrTimeout) {
						sleepCtx(ctx, 200*time.Millisecond)
					}
					continue
				}
				if ctx.Err() != nil {
					msg.Nak() // taken after the stop: hand it back now
					stats.Requeued.Add(1)
					return
				}
				f.handle(context.WithoutCancel(ctx), msg, proc, stats, logf)
			}
		})
	}
	wg.Wait()
	return nil
}

func (f *Fabric) handle(ctx context.Context, msg jetstream.Msg, proc Processor, stats *WorkerStats, logf func(string, ...any)) {
	var job Job
	if err := json.Unmarshal([]byte(msg.Headers().Get(hdrJob)), &job); err != nil || !validToken(job.Batch) || keyOf(msg.Subject()) != job.Key {
		logf("job %s: malformed metadata, dropped", msg.Subject())
		msg.Term()
		return
	}
	if md, err := msg.Metadata(); err == nil && md.NumDelivered > 1 {
		stats.Redelivered.Add(1)
	}
	// Touch the job while it runs, so a slow scan is not redelivered; a
	// worker that dies stops touching it and the job goes to another.
	touch := make(chan struct{})
	var touched sync.WaitGroup
	touched.Go(func() {
		t := time.NewTicker(f.cfg.AckWait / 3)
		defer t.Stop()
		for {
			select {
			case <-touch:
				return
			case <-t.C:
				msg.InProgress()
			}
		}
	})
	defer func() { close(touch); touched.Wait() }()

	if job.Object == "" {
		job.Data = msg.Data()
	} else {
		gctx, cancel := context.WithTimeout(ctx, max(30*time.Second, f.cfg.AckWait))
		err := retry(gctx, func(ctx context.Context) (err error) {
			job.Data, err = f.objs.GetBytes(ctx, job.Object)
			return err
		})
		cancel()
		if errors.Is(err, jetstream.ErrObjectNotFound) {
			// The batch deletes an image once it has the result (this is a
			// late redelivery), or the TTL removed it: nothing to do.
			stats.Gone.Add(1)
			msg.Term()
			return
		}
		if err != nil {
			logf("job %s: image: %v", job.Key, err)
			msg.NakWithDelay(time.Second)
			return
		}
	}
	r := proc(ctx, job)
	if r == nil {
		r = &scan.Result{Records: []scan.Record{}, TimingsMS: map[string]float64{},
			Error: &scan.ErrorBody{Code: "internal", Message: "internal error: no result"}}
	}
	r.File = job.File
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		logf("job %s: encode result: %v", job.Key, err)
		msg.Term()
		return
	}
	out := nats.NewMsg(resultSubject(job.Batch, job.Key))
	out.Data = buf.Bytes()
	pctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	err := retry(pctx, func(ctx context.Context) error {
		// The message id makes a result published twice (a retry after a
		// lost PubAck, a redelivered job) one stored message.
		_, err := f.js.PublishMsg(ctx, out, jetstream.WithMsgID(job.Batch+"."+job.Key))
		return err
	})
	if err != nil {
		logf("job %s: publish result: %v", job.Key, err)
		msg.Nak()
		return
	}
	if r.Error != nil {
		stats.Failed.Add(1)
	}
	stats.Done.Add(1)
	// A lost ack means a redelivery and a second, identical result, which
	// the result stream or the batch drops; so the ack is not confirmed.
	if err := msg.Ack(); err != nil {
		logf("job %s: ack: %v", job.Key, err)
	}
}

func sleepCtx(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
