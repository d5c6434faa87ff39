package fabric

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"docscan/scan"
)

// BatchOptions configure the client side of one batch.
type BatchOptions struct {
	// ID names the batch (one subject token; see BatchID). A batch opened
	// again with the same ID receives the results its earlier run left.
	ID string
	// InlineMax: images up to this many bytes travel inside the job message,
	// larger ones through the object store (default: the server's maximum
	// payload less 64 KiB).
	InlineMax int
	// Reload reads a job's image again, for a job that was lost (a cluster
	// that restarted drops its memory streams). Nil: a lost job fails.
	Reload func(Job) ([]byte, error)
	// Logf reports trouble (never image content). Nil: silent.
	Logf func(string, ...any)
}

// Delivery is one result of a batch.
type Delivery struct {
	Key string
	// Line is the scan object as one JSON line, as the worker encoded it.
	Line []byte
	msg  jetstream.Msg // nil for a failure recorded here
}

// Ack removes the result from the results stream; call it once the line is
// durably written. Idempotent in effect: a lost ack means the result comes
// again and the caller drops it as a duplicate.
func (d Delivery) Ack() error {
	if d.msg == nil {
		return nil
	}
	return d.msg.Ack()
}

type submitted struct {
	job Job // without Data
	at  time.Time
}

// Batch submits jobs and receives their results. Results come on
// Deliveries, each exactly as often as it is stored: the caller drops
// duplicates (a job processed twice, a result redelivered after a crash).
type Batch struct {
	f         *Fabric
	o         BatchOptions
	inlineMax int
	cons      jetstream.Consumer
	msgs      jetstream.MessagesContext
	adv       *nats.Subscription
	out       chan Delivery
	ctx       context.Context // ends with Close
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	closeOnce sync.Once

	// resuming: the batch ran before, so Submit first looks for a result.
	resuming bool
	// early: results that came before their job was submitted (left by an
	// earlier run); Submit does not queue those jobs.
	early map[string]bool

	mu      sync.Mutex
	pending map[string]*submitted
}

// OpenBatch starts receiving the results of batch o.ID.
func (f *Fabric) OpenBatch(ctx context.Context, o BatchOptions) (*Batch, error) {
	if !validToken(o.ID) {
		return nil, fmt.Errorf("batch id %q: not a subject token", o.ID)
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	b := &Batch{f: f, o: o, inlineMax: o.InlineMax, out: make(chan Delivery, 64),
		pending: map[string]*submitted{}, early: map[string]bool{}}
	if b.inlineMax <= 0 {
		b.inlineMax = max(0, int(f.nc.MaxPayload())-64<<10)
	}
	b.ctx, b.cancel = context.WithCancel(context.Background())
	ok := false
	defer func() {
		if !ok {
			b.cancel()
		}
	}()
	// A consumer that exists already means an earlier run of this batch:
	// results it left may be waiting (see Submit).
	_, cerr := f.results.Consumer(ctx, "batch-"+o.ID)
	b.resuming = !errors.Is(cerr, jetstream.ErrConsumerNotFound)
	err := retry(ctx, func(ctx context.Context) (err error) {
		b.cons, err = f.results.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{
			Durable: "batch-" + o.ID, FilterSubject: resultSubject(o.ID, "*"),
			AckPolicy: jetstream.AckExplicitPolicy, AckWait: 10 * time.Second, MaxAckPending: 4096,
			InactiveThreshold: f.cfg.TTL,
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("results consumer: %w", err)
	}
	if b.msgs, err = b.cons.Messages(jetstream.PullMaxMessages(256), jetstream.PullExpiry(5*time.Second)); err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	// A job that made workers fail MaxDeliver times is given up: the
	// server says so in an advisory, and the batch records a failure.
	b.adv, err = f.nc.Subscribe(fmt.Sprintf("$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.%s.%s", StreamJobs, WorkersConsumer),
		b.onMaxDeliveries)
	if err != nil {
		b.msgs.Stop()
		return nil, fmt.Errorf("advisories: %w", err)
	}
	b.wg.Go(b.receive)
	b.wg.Go(b.reconcile)
	ok = true
	return b, nil
}

// Deliveries are the results, in the order they are stored.
func (b *Batch) Deliveries() <-chan Delivery { return b.out }

// Outstanding is the number of submitted jobs without a result yet.
func (b *Batch) Outstanding() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.pending)
}

// Submit queues a job: its image inline or in the object store, then the job
// message. A job with the same key still queued is left as it is; in a
// resumed batch, so is a job whose result an earlier run left stored.
func (b *Batch) Submit(ctx context.Context, job Job) error {
	if !validToken(job.Key) {
		return fmt.Errorf("job key %q: not a subject token", job.Key)
	}
	job.Batch = b.o.ID
	job.Object = ""
	b.mu.Lock()
	if b.early[job.Key] { // its result, left by an earlier run, came already
		delete(b.early, job.Key)
		b.mu.Unlock()
		return nil
	}
	b.pending[job.Key] = &submitted{job: job, at: time.Now()}
	b.mu.Unlock()
	if b.resuming && b.stored(ctx, job.Key) {
		return nil // an earlier run's result is stored: it is on its way here
	}
	err := b.publish(ctx, job)
	if err != nil {
		b.mu.Lock()
		delete(b.pending, job.Key)
		b.mu.Unlock()
	}
	return err
}

// stored reports whether a result for key is in the results stream.
func (b *Batch) stored(ctx context.Context, key string) bool {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, err := b.f.results.GetLastMsgForSubject(ctx, resultSubject(b.o.ID, key))
	return err == nil
}

func (b *Batch) publish(ctx context.Context, job Job) error {
	data := job.Data
	if len(data) > b.inlineMax {
		job.Object = objectName(job.Batch, job.Key)
		err := retry(ctx, func(ctx context.Context) error {
			_, err := b.f.objs.PutBytes(ctx, job.Object, data)
			return err
		})
		if err != nil {
			return fmt.Errorf("store image: %w", err)
		}
		data = nil
		b.mu.Lock()
		if p := b.pending[job.Key]; p != nil {
			p.job.Object = job.Object
		}
		b.mu.Unlock()
	}
	meta := job
	meta.Data = nil
	hdr, err := json.Marshal(meta)
	if err != nil {
		return err
	}
	msg := nats.NewMsg(jobSubject(job.Batch, job.Key))
	msg.Header.Set(hdrJob, string(hdr))
	msg.Data = data
	err = retry(ctx, func(ctx context.Context) error {
		_, err := b.f.js.PublishMsg(ctx, msg)
		return err
	})
	if isPerSubjectLimit(err) {
		return nil // queued already (by an earlier run, or a retry whose PubAck was lost)
	}
	if err != nil {
		return fmt.Errorf("queue job: %w", err)
	}
	return nil
}

// receive moves results from the consumer to Deliveries, deleting each
// job's image object on the way: the result is stored, so the image has no
// reason to exist any longer.
func (b *Batch) receive() {
	for {
		msg, err := b.msgs.Next()
		if errors.Is(err, jetstream.ErrMsgIteratorClosed) {
			return
		}
		if err != nil {
			b.o.Logf("results: %v", err)
			sleepCtx(b.ctx, 200*time.Millisecond)
			continue
		}
		key := keyOf(msg.Subject())
		b.settle(key)
		select {
		case b.out <- Delivery{Key: key, Line: msg.Data(), msg: msg}:
		case <-b.ctx.Done():
			return
		}
	}
}

// settle forgets a job that has its result and deletes its image object.
func (b *Batch) settle(key string) {
	b.mu.Lock()
	p, mine := b.pending[key]
	delete(b.pending, key)
	if !mine {
		b.early[key] = true
	}
	b.mu.Unlock()
	if mine && p.job.Object == "" {
		return
	}
	// Not submitted by this run (a resumed batch): it may have an object.
	if err := b.deleteObject(objectName(b.o.ID, key)); err != nil && !errors.Is(err, jetstream.ErrObjectNotFound) {
		b.o.Logf("delete image %s: %v (the TTL will remove it)", key, err)
	}
}

// deleteObject deletes an image object and then its delete marker, so that
// not even the name stays behind.
func (b *Batch) deleteObject(name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := retry(ctx, func(ctx context.Context) error { return b.f.objs.Delete(ctx, name) })
	if err != nil {
		return err
	}
	meta := fmt.Sprintf("$O.%s.M.%s", Bucket, base64.URLEncoding.EncodeToString([]byte(name)))
	return retry(ctx, func(ctx context.Context) error {
		return b.f.objSt.Purge(ctx, jetstream.WithPurgeSubject(meta))
	})
}

type maxDeliverAdvisory struct {
	Stream     string `json:"stream"`
	Consumer   string `json:"consumer"`
	StreamSeq  uint64 `json:"stream_seq"`
	Deliveries uint64 `json:"deliveries"`
}

func (b *Batch) onMaxDeliveries(m *nats.Msg) {
	var a maxDeliverAdvisory
	if json.Unmarshal(m.Data, &a) != nil || a.StreamSeq == 0 {
		return
	}
	// Advisories are rare: handled on the subscription's goroutine.
	func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		var raw *jetstream.RawStreamMsg
		err := retry(ctx, func(ctx context.Context) (err error) {
			raw, err = b.f.jobs.GetMsg(ctx, a.StreamSeq)
			return err
		})
		if err != nil || raw.Subject != jobSubject(b.o.ID, keyOf(raw.Subject)) {
			return // gone already, or another batch's job
		}
		key := keyOf(raw.Subject)
		b.mu.Lock()
		p := b.pending[key]
		b.mu.Unlock()
		if p == nil {
			return
		}
		// Drop the job so it neither lingers nor blocks a rerun.
		if err := retry(ctx, func(ctx context.Context) error { return b.f.jobs.DeleteMsg(ctx, a.StreamSeq) }); err != nil {
			b.o.Logf("job %s: delete after %d deliveries: %v", key, a.Deliveries, err)
		}
		b.fail(key, p.job.File, fmt.Sprintf("scan failed: the job was delivered %d times without a result (a worker crashed or hung on it)", a.Deliveries))
	}()
}

// fail records a job as failed with a result made here.
func (b *Batch) fail(key, file, message string) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(&scan.Result{File: file, Records: []scan.Record{}, TimingsMS: map[string]float64{},
		Error: &scan.ErrorBody{Code: "internal", Message: message}})
	b.settle(key)
	select {
	case b.out <- Delivery{Key: key, Line: buf.Bytes()}:
	case <-b.ctx.Done():
	}
}

// reconcile looks for jobs that were lost: neither queued nor with a stored
// result (a cluster restarted and dropped its memory streams, the TTL
// expired them, a worker found the image gone). They are submitted again
// with their image read anew.
func (b *Batch) reconcile() {
	every := max(2*time.Second, b.f.cfg.AckWait)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-b.ctx.Done():
			return
		case <-t.C:
		}
		b.mu.Lock()
		var old []Job
		for _, p := range b.pending {
			if time.Since(p.at) > every {
				old = append(old, p.job)
			}
		}
		b.mu.Unlock()
		for _, job := range old {
			if b.lost(job) {
				b.resubmit(job)
			}
		}
	}
}

// lost reports whether a job is neither queued nor done. The result is
// stored before the job is acked, so a job missing from the queue either has
// its result stored, or was received meanwhile (no longer pending), or is lost.
func (b *Batch) lost(job Job) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := b.f.jobs.GetLastMsgForSubject(ctx, jobSubject(job.Batch, job.Key))
	if !errors.Is(err, jetstream.ErrMsgNotFound) {
		return false // queued, or the cluster cannot say now
	}
	_, err = b.f.results.GetLastMsgForSubject(ctx, resultSubject(job.Batch, job.Key))
	if !errors.Is(err, jetstream.ErrMsgNotFound) {
		return false
	}
	b.mu.Lock()
	_, still := b.pending[job.Key]
	b.mu.Unlock()
	return still
}

func (b *Batch) resubmit(job Job) {
	if b.o.Reload == nil {
		b.fail(job.Key, job.File, "scan failed: the job was lost")
		return
	}
	data, err := b.o.Reload(job)
	if err != nil {
		b.fail(job.Key, job.File, fmt.Sprintf("scan failed: the job was lost and its image could not be read again: %v", err))
		return
	}
	job.Data = data
	b.o.Logf("job %s: lost, submitted again", job.Key)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b.mu.Lock()
	if p := b.pending[job.Key]; p != nil {
		p.at = time.Now()
	}
	b.mu.Unlock()
	if err := b.publish(ctx, job); err != nil {
		b.o.Logf("job %s: submit again: %v", job.Key, err)
	}
}

// Close stops receiving. Results not acked yet stay in the stream for the
// next run of the same batch; those received but not taken are handed back
// at once. Safe to call twice.
func (b *Batch) Close() error {
	b.closeOnce.Do(func() {
		b.cancel()
		b.adv.Unsubscribe()
		b.msgs.Stop()
		b.wg.Wait()
		// Results received but not taken: hand them back for the next run.
		for {
			select {
			case d := <-b.out:
				if d.msg != nil {
					d.msg.Nak()
				}
			default:
				return
			}
		}
	})
	return nil
}

// Finish closes the batch and deletes its results consumer: call it when
// every result is written and acked.
func (b *Batch) Finish(ctx context.Context) error {
	b.Close()
	return retry(ctx, func(ctx context.Context) error {
		err := b.f.results.DeleteConsumer(ctx, "batch-"+b.o.ID)
		if errors.Is(err, jetstream.ErrConsumerNotFound) {
			return nil
		}
		return err
	})
}
