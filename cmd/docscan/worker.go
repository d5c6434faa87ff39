package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"docscan/fabric"
)

func init() { extraCommands["worker"] = cmdWorker }

// cmdWorker pulls scan jobs from NATS JetStream until SIGTERM/SIGINT, then
// finishes the jobs it holds and exits.
func cmdWorker(args []string, _ io.Reader, _, stderr io.Writer) int {
	fset := flag.NewFlagSet("worker", flag.ContinueOnError)
	fset.SetOutput(stderr)
	var ef engineFlags
	ef.register(fset)
	var ff fabricFlags
	ff.register(fset, "", "NATS server URL (comma-separated for a cluster), required")
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: docscan worker --nats URL [flags]")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		return exitUsage
	}
	if ff.url == "" || fset.NArg() != 0 {
		fset.Usage()
		return exitUsage
	}
	logf := func(format string, args ...any) { fmt.Fprintf(stderr, "docscan worker: "+format+"\n", args...) }
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	pool, err := ef.pool()
	if err != nil {
		logf("%v", err)
		return exitFailed
	}
	defer pool.Close()
	nc, err := ff.connect("docscan-worker", logf)
	if err != nil {
		logf("%v", err)
		return exitFailed
	}
	defer nc.Close()
	fab, err := fabric.Setup(ctx, nc, ff.config())
	if err != nil {
		logf("%v", err)
		return exitFailed
	}
	var stats fabric.WorkerStats
	logf("%d workers pulling jobs from %s", pool.Workers(), nc.ConnectedUrlRedacted())
	err = fab.Work(ctx, pool.Workers()*2, poolProcessor(pool), &stats, logf)
	logf("stopped: %d scanned (%d failed), %d redelivered to this worker, %d handed back, %d with the image already gone",
		stats.Done.Load(), stats.Failed.Load(), stats.Redelivered.Load(), stats.Requeued.Load(), stats.Gone.Load())
	if err != nil {
		logf("%v", err)
		return exitFailed
	}
	return exitOK
}
