package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/nats-io/nats.go"

	"docscan/fabric"
	"docscan/pipeline"
	"docscan/scan"
)

// Values of batch's --nats besides a URL: natsEmbedded (the default) starts
// a NATS server and the workers inside the batch process; natsOff scans with
// the pipeline pool in this process, without NATS.
const (
	natsEmbedded = "embedded"
	natsOff      = "off"
)

// fabricFlags are the NATS flags batch and worker share.
type fabricFlags struct {
	url                  string
	replicas, maxDeliver int
	ttl, ackWait         time.Duration
}

func (f *fabricFlags) register(fs *flag.FlagSet, urlDefault, urlUsage string) {
	fs.StringVar(&f.url, "nats", urlDefault, urlUsage)
	fs.IntVar(&f.replicas, "replicas", 0, "replicas of the NATS streams when this client creates them (0: 3 in a cluster, else 1)")
	fs.DurationVar(&f.ttl, "ttl", 24*time.Hour, "jobs, results and image objects older than this are dropped (stream MaxAge)")
	fs.DurationVar(&f.ackWait, "ack-wait", 30*time.Second, "a job a worker neither finishes nor touches within this goes to another worker")
	fs.IntVar(&f.maxDeliver, "max-deliver", 5, "deliveries of one job before it is recorded as failed")
}

func (f *fabricFlags) config() fabric.Config {
	return fabric.Config{Replicas: f.replicas, TTL: f.ttl, AckWait: f.ackWait, MaxDeliver: f.maxDeliver}
}

// connect dials the NATS URL (a comma-separated list of servers) and keeps
// reconnecting for as long as the process runs.
func (f *fabricFlags) connect(name string, logf func(string, ...any), extra ...nats.Option) (*nats.Conn, error) {
	opts := append([]nats.Option{nats.Name(name), nats.MaxReconnects(-1), nats.ReconnectWait(250 * time.Millisecond),
		nats.RetryOnFailedConnect(true), // a worker may start before the servers
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				logf("nats: disconnected: %v", err)
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) { logf("nats: connected to %s", nc.ConnectedUrlRedacted()) }),
	}, extra...)
	nc, err := nats.Connect(f.url, opts...)
	if err != nil {
		return nil, fmt.Errorf("nats %s: %w", f.url, err)
	}
	if !nc.IsConnected() {
		logf("nats: %s not reachable yet; retrying", f.url)
	}
	return nc, nil
}

// batchNATSFlags are batch's flags for the NATS path.
type batchNATSFlags struct {
	fabricFlags
	listen    string
	inflight  int
	inlineMax int
}

func registerBatchNATS(fs *flag.FlagSet) *batchNATSFlags {
	nf := &batchNATSFlags{}
	nf.register(fs, natsEmbedded, "where the scans run: \"embedded\" (a NATS JetStream server and --workers workers in this process), "+
		"a server URL (comma-separated for a cluster; workers run elsewhere, see docscan worker), "+
		"or \"off\" (the pipeline pool in this process, no NATS)")
	fs.StringVar(&nf.listen, "nats-listen", "", "with the embedded server: serve NATS on this address (host:port) so more workers can join")
	fs.IntVar(&nf.inflight, "inflight", 0, "jobs queued or running at once through NATS, each holding its image in NATS memory "+
		"(0: 4 per --workers with the embedded server alone, 64 with a URL or --nats-listen)")
	fs.IntVar(&nf.inlineMax, "inline-max", 0, "images up to this many bytes travel inside the job, larger ones through the object store (0: the server's payload limit less 64 KiB)")
	return nf
}

// check validates the NATS flags of batch; the error is a usage error.
func (nf *batchNATSFlags) check() error {
	switch {
	case nf.url == "":
		return fmt.Errorf("--nats: give embedded, off or a server URL")
	case nf.inflight < 0:
		return fmt.Errorf("--inflight %d: must not be negative", nf.inflight)
	case nf.listen != "" && nf.url != natsEmbedded:
		return fmt.Errorf("--nats-listen serves the embedded server; it does not go with --nats %s", nf.url)
	}
	return nil
}

// jobsInFlight is --inflight with its default filled in: with the embedded
// server alone, the local workers hold 2 jobs each and as many more wait
// queued, so no more images than that sit in the server's memory.
func (nf *batchNATSFlags) jobsInFlight(workers int) int {
	switch {
	case nf.inflight > 0:
		return nf.inflight
	case nf.url == natsEmbedded && nf.listen == "":
		return 4 * max(1, workers)
	}
	return 64
}

// poolProcessor runs fabric jobs on the pipeline pool.
func poolProcessor(pool *pipeline.Pool) fabric.Processor {
	return func(ctx context.Context, j fabric.Job) *scan.Result {
		return pool.Scan(ctx, pipeline.Request{File: j.File, Data: j.Data, Kind: j.Kind, Text: j.Text})
	}
}

// runBatchNATS scans todo through NATS JetStream and writes the results as
// runBatch does. Results are acked once they are synced to the output; a
// result for a file already written (a job processed twice, a result
// redelivered) is dropped, so every file has one line.
func runBatchNATS(ctx context.Context, nf *batchNATSFlags, ef *engineFlags, todo []string, o batchOptions, outName string,
	sum *batchSummary, stderr io.Writer) error {
	logf := func(format string, args ...any) { fmt.Fprintf(stderr, "docscan batch: "+format+"\n", args...) }
	var extra []nats.Option
	if nf.url == natsEmbedded {
		stop, opt, err := startEmbedded(ctx, nf, ef, logf)
		if err != nil {
			return err
		}
		defer stop()
		extra = append(extra, opt)
	}
	nc, err := nf.connect("docscan-batch", logf, extra...)
	if err != nil {
		return err
	}
	defer nc.Close()
	fab, err := fabric.Setup(ctx, nc, nf.config())
	if err != nil {
		return err
	}
	id, err := batchID(outName)
	if err != nil {
		return err
	}
	b, err := fab.OpenBatch(ctx, fabric.BatchOptions{ID: id, InlineMax: nf.inlineMax, Logf: logf,
		Reload: func(j fabric.Job) ([]byte, error) {
			data, fail := readImage(j.File, o.limits)
			if fail != nil {
				return nil, fmt.Errorf("%s", fail.Error.Message)
			}
			return data, nil
		}})
	if err != nil {
		return err
	}
	defer b.Close()

	keys := make([]string, len(todo))
	expected := make(map[string]string, len(todo)) // job key -> file
	for i, name := range todo {
		var size int64
		var mod time.Time
		if st, err := os.Stat(name); err == nil {
			size, mod = st.Size(), st.ModTime()
		}
		keys[i] = fabric.JobKey(name, size, mod, o.kind, o.text)
		expected[keys[i]] = name
	}

	// The producer submits jobs while fewer than --inflight are unanswered;
	// a file it cannot read is answered at once, here.
	var (
		mu        sync.Mutex
		done      = map[string]bool{} // key -> written
		submitted = map[string]bool{} // key -> holds an inflight slot
	)
	slots := make(chan struct{}, nf.jobsInFlight(ef.workers))
	type failure struct {
		key string
		r   *pipeline.Result
	}
	local := make(chan failure)
	prodErr := make(chan error, 1)
	pctx, stopProducer := context.WithCancel(ctx)
	var producer sync.WaitGroup
	defer func() { stopProducer(); producer.Wait() }()
	producer.Go(func() {
		for i, name := range todo {
			select {
			case slots <- struct{}{}:
			case <-pctx.Done():
				return
			}
			mu.Lock()
			skip := done[keys[i]] // answered by a result an earlier run left
			submitted[keys[i]] = !skip
			mu.Unlock()
			if skip {
				<-slots
				continue
			}
			data, fail := readImage(name, o.limits)
			if fail != nil {
				select {
				case local <- failure{keys[i], fail}:
				case <-pctx.Done():
					return
				}
				continue
			}
			job := fabric.Job{Key: keys[i], File: name, Kind: o.kind, Text: o.text, Data: data}
			if err := b.Submit(pctx, job); err != nil {
				if pctx.Err() == nil {
					prodErr <- fmt.Errorf("%s: %w", name, err)
				}
				return
			}
		}
	})

	var unacked []fabric.Delivery
	w, err := newBatchWriter(o, sum, func() {
		for _, d := range unacked {
			d.Ack()
		}
		unacked = unacked[:0]
	})
	if err != nil {
		return err
	}
	written := func(key string) {
		mu.Lock()
		done[key] = true
		if submitted[key] {
			submitted[key] = false
			<-slots
		}
		mu.Unlock()
	}
	start, cpu0 := time.Now(), cpuTime()
	tick := time.NewTicker(syncInterval)
	defer tick.Stop()
	remaining, dups := len(todo), 0
	var werr error
loop:
	for remaining > 0 && werr == nil {
		select {
		case d := <-b.Deliveries():
			var r scan.Result
			if err := json.Unmarshal(d.Line, &r); err != nil {
				logf("result %s: undecodable, dropped: %v", d.Key, err)
				d.Ack()
				continue
			}
			if interrupted(ctx, &r) {
				continue // an embedded worker's scan cut short: done again on resume
			}
			mu.Lock()
			dup := done[d.Key]
			mu.Unlock()
			if file, ok := expected[d.Key]; !ok || file != r.File || dup {
				dups++ // processed twice, or left by a run over other files
				d.Ack()
				continue
			}
			unacked = append(unacked, d)
			werr = w.write(&r, d.Line)
			written(d.Key)
			remaining--
		case f := <-local:
			werr = w.write(f.r, nil)
			written(f.key)
			remaining--
		case err := <-prodErr:
			werr = err
		case <-tick.C:
			werr = w.sync()
		case <-ctx.Done():
			break loop
		}
	}
	if err := w.close(); err != nil && werr == nil {
		werr = err
	}
	sum.wall, sum.cpu = time.Since(start), cpuTime()-cpu0
	if dups > 0 {
		logf("%d duplicate results dropped (jobs processed twice)", dups)
	}
	if werr != nil || ctx.Err() != nil {
		return werr // what is not written stays queued for the next run
	}
	stopProducer()
	producer.Wait()
	fctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := b.Finish(fctx); err != nil {
		logf("remove the results consumer: %v (it expires after --ttl)", err)
	}
	return nil
}

// batchID names the batch after its output file, so that a rerun resumes it;
// output to stdout cannot resume and gets a fresh id.
func batchID(out string) (string, error) {
	if out == "" {
		var b [8]byte
		rand.Read(b[:])
		return hex.EncodeToString(b[:]), nil
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return "", fmt.Errorf("output path: %w", err)
	}
	return fabric.BatchID(abs), nil
}

// startEmbedded starts a NATS server in this process and --workers workers
// on it; it returns what stops them and the option that connects to it
// without a socket.
func startEmbedded(ctx context.Context, nf *batchNATSFlags, ef *engineFlags, logf func(string, ...any)) (func(), nats.Option, error) {
	sweepStores()
	dir, err := os.MkdirTemp("", fmt.Sprintf("%s%d-", storePrefix, os.Getpid()))
	if err != nil {
		return nil, nil, fmt.Errorf("nats store: %w", err)
	}
	srv, err := fabric.StartServer(fabric.ServerOptions{Listen: nf.listen, StoreDir: dir})
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	stopServer := func() {
		srv.Shutdown()
		srv.WaitForShutdown()
		os.RemoveAll(dir)
	}
	if nf.listen != "" {
		logf("embedded NATS server on %s; more workers can join: docscan worker --nats %s", srv.ClientURL(), srv.ClientURL())
	}
	opt := nats.InProcessServer(srv)
	pool, err := ef.pool()
	if err != nil {
		stopServer()
		return nil, nil, err
	}
	// The scans of this process's workers end with the batch (Ctrl-C), as
	// in-process ones do; their results are not written (see interrupted).
	proc := func(_ context.Context, j fabric.Job) *scan.Result {
		return pool.Scan(ctx, pipeline.Request{File: j.File, Data: j.Data, Kind: j.Kind, Text: j.Text})
	}
	wnc, err := nf.connect("docscan-batch-workers", logf, opt)
	var wf *fabric.Fabric
	if err == nil {
		wf, err = fabric.Setup(ctx, wnc, nf.config())
	}
	if err != nil {
		if wnc != nil {
			wnc.Close()
		}
		pool.Close()
		stopServer()
		return nil, nil, err
	}
	wctx, stopWorkers := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { wf.Work(wctx, pool.Workers()*2, proc, nil, logf) })
	return func() {
		stopWorkers()
		wg.Wait()
		pool.Close()
		wnc.Close()
		stopServer()
	}, opt, nil
}

// storePrefix names the embedded server's JetStream directories in the
// temporary directory: storePrefix<pid>-<random>.
const storePrefix = "docscan-nats-"

// sweepStores removes the JetStream directories that embedded servers of
// batches killed with SIGKILL left behind: those of processes that no longer
// exist, and only while they hold nothing but directories (the docscan
// streams are memory streams; the server writes no file for them).
func sweepStores() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), storePrefix+"*-*"))
	for _, dir := range dirs {
		pidText, _, _ := strings.Cut(strings.TrimPrefix(filepath.Base(dir), storePrefix), "-")
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid <= 0 || syscall.Kill(pid, 0) != syscall.ESRCH {
			continue // not one of ours, or its process (or one with its pid) runs
		}
		onlyDirs := true
		filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				onlyDirs = false
				return filepath.SkipAll
			}
			return nil
		})
		if onlyDirs {
			os.RemoveAll(dir)
		}
	}
}
