// Package fabric runs scan jobs over NATS JetStream: a work-queue stream of
// jobs, an object store for image bytes too large to travel inside a job, and
// a results stream that a batch collects from. It is pure Go; the pipeline
// is handed in as a Processor, so the fabric can be tested and measured
// without the native engines.
//
// Everything lives in memory storage, replicated (R3 in a cluster): image
// bytes and recognized text never touch a NATS server's disk. "Stored"
// therefore means acknowledged by a quorum of replicas. A job is acked only
// after its result is stored; a result is acked only after the batch has
// written it to its output file and synced it. Image objects are deleted as
// soon as their result arrives, jobs leave the work queue when acked, and a
// TTL (MaxAge) removes whatever an abandoned batch leaves behind.
package fabric

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Names of the JetStream assets. Batches and workers must agree on them.
const (
	StreamJobs      = "DOCSCAN_JOBS"
	StreamResults   = "DOCSCAN_RESULTS"
	Bucket          = "DOCSCAN_IMAGES"
	WorkersConsumer = "docscan-workers"

	subjJobs    = "docscan.jobs"
	subjResults = "docscan.results"
	// hdrJob carries the job's metadata (JSON) on a job message.
	hdrJob = "Docscan-Job"
)

// Config sets the streams' limits and the redelivery policy. The first
// client to create the streams sets them; later clients use what exists.
type Config struct {
	// Replicas of each stream: 1 for a single server, 3 in a cluster
	// (0: 3 when the server is part of a cluster, else 1).
	Replicas int
	// TTL drops jobs, results and image objects older than this (24 h).
	TTL time.Duration
	// AckWait: a job neither acked nor touched within this is redelivered
	// (30 s). Workers touch the jobs they run every AckWait/3.
	AckWait time.Duration
	// MaxDeliver: deliveries of one job before it is given up and the batch
	// records it as failed (5).
	MaxDeliver int
	// MaxBytes bounds the memory of each stream and of the object store
	// (512 MiB; deploy/nats.yaml gives each server 2 GB of memory store).
	MaxBytes int64
}

func (c Config) withDefaults(nc *nats.Conn) Config {
	if c.Replicas <= 0 {
		c.Replicas = 1
		if nc.ConnectedClusterName() != "" {
			c.Replicas = 3
		}
	}
	if c.TTL <= 0 {
		c.TTL = 24 * time.Hour
	}
	if c.AckWait <= 0 {
		c.AckWait = 30 * time.Second
	}
	if c.MaxDeliver <= 0 {
		c.MaxDeliver = 5
	}
	if c.MaxBytes <= 0 {
		c.MaxBytes = 512 << 20
	}
	return c
}

// Fabric is a client's handle on the JetStream assets. It does not own the
// connection.
type Fabric struct {
	nc      *nats.Conn
	js      jetstream.JetStream
	jobs    jetstream.Stream
	results jetstream.Stream
	objs    jetstream.ObjectStore
	objSt   jetstream.Stream
	cfg     Config
}

// Setup creates the streams, the object store and the workers' consumer
// where they do not exist yet, and returns a handle on them.
func Setup(ctx context.Context, nc *nats.Conn, cfg Config) (*Fabric, error) {
	cfg = cfg.withDefaults(nc)
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("jetstream: %w", err)
	}
	f := &Fabric{nc: nc, js: js, cfg: cfg}
	// A cluster that is starting has no JetStream leader yet: retry.
	if err := retry(ctx, f.setup); err != nil {
		return nil, err
	}
	return f, nil
}

func (f *Fabric) setup(ctx context.Context) error {
	js, cfg := f.js, f.cfg
	var err error
	common := jetstream.StreamConfig{
		Retention: jetstream.WorkQueuePolicy,
		Storage:   jetstream.MemoryStorage,
		Replicas:  cfg.Replicas,
		MaxAge:    cfg.TTL,
		MaxBytes:  cfg.MaxBytes,
		// One message per job key: a job queued again while it waits is
		// refused (jobs), a result stored again replaces the first (results).
		MaxMsgsPerSubject: 1,
		Duplicates:        2 * time.Minute,
	}
	jobs := common
	jobs.Name, jobs.Subjects = StreamJobs, []string{subjJobs + ".>"}
	jobs.Discard, jobs.DiscardNewPerSubject = jetstream.DiscardNew, true
	if f.jobs, err = ensureStream(ctx, js, jobs); err != nil {
		return err
	}
	results := common
	results.Name, results.Subjects = StreamResults, []string{subjResults + ".>"}
	if f.results, err = ensureStream(ctx, js, results); err != nil {
		return err
	}
	if f.objs, err = js.ObjectStore(ctx, Bucket); errors.Is(err, jetstream.ErrBucketNotFound) {
		f.objs, err = js.CreateObjectStore(ctx, jetstream.ObjectStoreConfig{Bucket: Bucket,
			Description: "docscan image bytes in transit, deleted when the result is stored",
			TTL:         cfg.TTL, MaxBytes: cfg.MaxBytes, Storage: jetstream.MemoryStorage, Replicas: cfg.Replicas})
		if errors.Is(err, jetstream.ErrBucketExists) { // another client won the race
			f.objs, err = js.ObjectStore(ctx, Bucket)
		}
	}
	if err != nil {
		return fmt.Errorf("object store %s: %w", Bucket, err)
	}
	if f.objSt, err = js.Stream(ctx, "OBJ_"+Bucket); err != nil {
		return fmt.Errorf("object store stream: %w", err)
	}
	_, err = f.jobs.Consumer(ctx, WorkersConsumer)
	if errors.Is(err, jetstream.ErrConsumerNotFound) {
		_, err = f.jobs.CreateConsumer(ctx, jetstream.ConsumerConfig{
			Durable: WorkersConsumer, FilterSubject: subjJobs + ".>",
			AckPolicy: jetstream.AckExplicitPolicy, AckWait: cfg.AckWait, MaxDeliver: cfg.MaxDeliver,
			MaxAckPending: 10000,
		})
	}
	if err != nil {
		return fmt.Errorf("consumer %s: %w", WorkersConsumer, err)
	}
	return nil
}

func ensureStream(ctx context.Context, js jetstream.JetStream, cfg jetstream.StreamConfig) (jetstream.Stream, error) {
	s, err := js.Stream(ctx, cfg.Name)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		s, err = js.CreateStream(ctx, cfg)
		if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
			s, err = js.Stream(ctx, cfg.Name)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("stream %s: %w", cfg.Name, err)
	}
	return s, nil
}

// Config is the configuration in force (defaults filled in).
func (f *Fabric) Config() Config { return f.cfg }

// Job is one image to scan.
type Job struct {
	Batch string `json:"batch"`
	Key   string `json:"key"`
	File  string `json:"file"`
	Kind  string `json:"kind"`
	Text  bool   `json:"text,omitempty"`
	// Object names the image in the object store; empty when the bytes
	// travel inside the job message.
	Object string `json:"object,omitempty"`
	Data   []byte `json:"-"`
}

// JobKey is the idempotency key of scanning one file: the same file, size,
// modification time and options give the same key, in every run.
func JobKey(file string, size int64, mod time.Time, kind string, text bool) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%d\x00%d\x00%s\x00%t", file, size, mod.UnixNano(), kind, text)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// BatchID names a batch after its output file, so that a rerun with the same
// output resumes the same batch.
func BatchID(out string) string {
	h := sha256.Sum256([]byte(out))
	return hex.EncodeToString(h[:8])
}

func jobSubject(batch, key string) string    { return subjJobs + "." + batch + "." + key }
func resultSubject(batch, key string) string { return subjResults + "." + batch + "." + key }
func objectName(batch, key string) string    { return batch + "." + key }

// keyOf returns the last token of a job or result subject.
func keyOf(subject string) string {
	return subject[strings.LastIndexByte(subject, '.')+1:]
}

// validToken reports whether s can stand as one subject token.
func validToken(s string) bool {
	return s != "" && !strings.ContainsAny(s, ". *>\t\r\n")
}

// retry runs op until it succeeds, ctx ends or op fails for good, backing off
// from 50 ms to 2 s: a cluster electing a new leader answers "no responders"
// or times out for a few seconds.
func retry(ctx context.Context, op func(context.Context) error) error {
	wait := 50 * time.Millisecond
	for {
		octx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := op(octx)
		cancel()
		if err == nil || !transient(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last error: %w)", ctx.Err(), err)
		case <-time.After(wait):
		}
		wait = min(2*wait, 2*time.Second)
	}
}

// transient reports whether an error of a JetStream call may go away when
// the call is repeated.
func transient(err error) bool {
	var apiErr *jetstream.APIError
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, nats.ErrTimeout),
		errors.Is(err, nats.ErrNoResponders), errors.Is(err, jetstream.ErrNoStreamResponse),
		errors.Is(err, nats.ErrConnectionReconnecting), errors.Is(err, nats.ErrDisconnected):
		return true
	case errors.As(err, &apiErr):
		// 503: no leader / cluster not ready / store temporarily full.
		return apiErr.Code == 503 && !isPerSubjectLimit(err)
	}
	return false
}

// isPerSubjectLimit reports a job refused because the same job is queued.
func isPerSubjectLimit(err error) bool {
	var apiErr *jetstream.APIError
	return errors.As(err, &apiErr) && strings.Contains(apiErr.Description, "maximum messages per subject")
}
