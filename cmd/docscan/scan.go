package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"docscan/pipeline"
	"docscan/preprocess"
)

func cmdScan(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var ef engineFlags
	ef.register(fs)
	kind := fs.String("kind", "auto", "records to look for: auto, mrz, plate, document")
	text := fs.Bool("text", false, "also emit the raw recognized text regions (kind \"text\")")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: docscan scan [flags] FILE...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	switch *kind {
	case "auto", "mrz", "plate", "document":
	default:
		fmt.Fprintf(stderr, "docscan scan: unknown --kind %q\n", *kind)
		return exitUsage
	}
	files := fs.Args()
	if len(files) == 0 {
		fs.Usage()
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(files) < ef.workers {
		ef.workers = len(files)
	}
	pool, err := ef.pool()
	if err != nil {
		fmt.Fprintf(stderr, "docscan scan: %v\n", err)
		return exitFailed
	}
	defer pool.Close()

	// Scan concurrently, print in input order.
	results := make([]chan *pipeline.Result, len(files))
	sem := make(chan struct{}, pool.Workers()*2)
	for i, name := range files {
		results[i] = make(chan *pipeline.Result, 1)
		go func(i int, name string) {
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i] <- scanFile(ctx, pool, name, *kind, *text, ef.limits())
		}(i, name)
	}
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	code := exitOK
	for i := range files {
		r := <-results[i]
		if r.Error != nil {
			code = exitFailed
		}
		if err := enc.Encode(r); err != nil {
			fmt.Fprintf(stderr, "docscan scan: write: %v\n", err)
			return exitFailed
		}
		out.Flush()
	}
	return code
}

// scanFile reads one file within the byte limit and scans it.
func scanFile(ctx context.Context, pool *pipeline.Pool, name, kind string, text bool, lim preprocess.Limits) *pipeline.Result {
	data, fail := readImage(name, lim)
	if fail != nil {
		return fail
	}
	return pool.Scan(ctx, pipeline.Request{File: name, Data: data, Kind: kind, Text: text})
}

// readImage reads one file within the byte limit; a failure comes back as
// the file's result.
func readImage(name string, lim preprocess.Limits) ([]byte, *pipeline.Result) {
	f, err := os.Open(name)
	if err != nil {
		r := pipeline.ErrorResult(name, err)
		r.Error.Code = "unreadable_file"
		return nil, r
	}
	data, err := preprocess.ReadAll(f, lim)
	f.Close()
	if err != nil {
		return nil, pipeline.ErrorResult(name, err)
	}
	return data, nil
}
