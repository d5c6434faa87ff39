package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"

	"docscan/benchmarks"
	"docscan/pipeline"
	"docscan/preprocess"
)

func init() { extraCommands["bench"] = cmdBench }

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func cmdBench(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var ef engineFlags
	ef.register(fs)
	var manifests multiFlag
	fs.Var(&manifests, "manifest", "manifest to run, PATH or NAME=PATH (repeatable)")
	quick := fs.Bool("quick", false, "quick mode: the first few images of each group")
	perGroup := fs.Int("quick-per-group", benchmarks.DefaultQuickPerGroup, "images per group in quick mode")
	limit := fs.Int("limit", 0, "at most this many images per set (0: all)")
	kind := fs.String("kind", "", "only entries of these kinds (comma-separated: plate,mrz,licence,document)")
	details := fs.Bool("details", false, "also write misses.json with every miss")
	out := fs.String("out", "", "directory for report.md, report.json and report.svg")
	progress := fs.Bool("progress", false, "print one line per image on stderr")
	scanKind := fs.String("scan-kind", "auto", "what each image is scanned for (auto, mrz, plate, document: as the phone apps ask); other than auto, text regions are not reported")
	cpuProfile := fs.String("cpuprofile", "", "write a Go CPU profile of the run to this file (time in ONNX Runtime and Tesseract shows as cgo calls)")
	regionHint := fs.Bool("region-hint", false, "prefer each entry's plate region (truth.region us, br, de) as a deployment would (scan --country)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if len(manifests) == 0 || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: docscan bench --manifest [NAME=]PATH [--manifest ...] [--quick] [--out DIR]")
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	pool, err := ef.pool()
	if err != nil {
		fmt.Fprintf(stderr, "docscan bench: %v\n", err)
		return exitFailed
	}
	defer pool.Close()
	lim := ef.limits()
	scanner := benchmarks.ScannerFunc(func(ctx context.Context, path string) (*benchmarks.Result, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		data, err := preprocess.ReadAll(f, lim)
		f.Close()
		if err != nil {
			return pipeline.ErrorResult(path, err), nil
		}
		req := pipeline.Request{File: path, Data: data, Regions: true, Country: benchmarks.RegionOf(ctx)}
		if *scanKind != "auto" {
			req.Kind, req.Regions = *scanKind, false
		}
		return pool.Scan(ctx, req), nil
	})
	opt := benchmarks.Options{
		Manifests: manifests, Quick: *quick, QuickPerGroup: *perGroup, Limit: *limit,
		Workers: pool.Workers(), Details: *details, RegionHint: *regionHint, ScanKind: *scanKind,
	}
	if *kind != "" {
		opt.Kinds = strings.Split(*kind, ",")
	}
	if *progress {
		opt.Progress = stderr
	}
	if *cpuProfile != "" {
		pf, perr := os.Create(*cpuProfile)
		if perr == nil {
			perr = pprof.StartCPUProfile(pf)
		}
		if perr != nil {
			fmt.Fprintf(stderr, "docscan bench: cpu profile: %v\n", perr)
			return exitFailed
		}
		defer func() {
			pprof.StopCPUProfile()
			pf.Close()
		}()
	}
	rep, err := benchmarks.Run(ctx, scanner, opt)
	if rep != nil {
		fmt.Fprint(stdout, rep.Markdown())
		if *out != "" {
			if werr := rep.Write(*out); werr != nil {
				fmt.Fprintf(stderr, "docscan bench: %v\n", werr)
				return exitFailed
			}
			fmt.Fprintf(stderr, "docscan bench: wrote %s/report.{md,json,svg}\n", *out)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "docscan bench: %v\n", err)
		return exitFailed
	}
	return exitOK
}
