package benchmarks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
)

// Scanner scans one image file. The harness measures the wall time around
// each call. For the text detection metric the scanner must return the raw
// text regions as records of kind "text" (docscan scan --text).
type Scanner interface {
	ScanFile(ctx context.Context, path string) (*Result, error)
}

// ScannerFunc adapts a function to Scanner.
type ScannerFunc func(ctx context.Context, path string) (*Result, error)

// ScanFile calls f.
func (f ScannerFunc) ScanFile(ctx context.Context, path string) (*Result, error) {
	return f(ctx, path)
}

// DefaultQuickPerGroup is the number of entries per group in quick mode.
const DefaultQuickPerGroup = 5

// Options configure Run.
type Options struct {
	// Manifest is a manifest file; it becomes the set named Set (default:
	// SetName(Manifest)).
	Manifest string
	Set      string
	// Manifests are more manifests, each its own set, as "PATH" or
	// "NAME=PATH". Sets run in order: Manifest first, then these.
	Manifests []string
	// Quick runs the first QuickPerGroup entries of every group (manifest
	// order, so the subset is the same on every run).
	Quick         bool
	QuickPerGroup int
	// Limit caps the entries per set after the kind filter and quick mode
	// (0: no cap).
	Limit int
	// Workers is the number of concurrent ScanFile calls (default 1).
	Workers int
	// Kinds keeps only entries of these kinds (empty: all).
	Kinds []string
	// Details keeps, per set, the entries that missed a metric or failed,
	// with what the scanner returned (SetReport.Misses, misses.json).
	Details bool
	// Progress, when set, gets one line per scanned image.
	Progress io.Writer
	// RegionHint hands each entry's truth region to the scanner
	// (RegionOf(ctx)), as ALPR benchmarks run OpenALPR with -c us or -c eu:
	// a deployment knows where it reads plates. Reports say so.
	RegionHint bool
	// ScanKind is what the scanner was asked to look for ("" or "auto":
	// everything), for the report.
	ScanKind string
}

type regionKey struct{}

// RegionOf is the plate country the entry being scanned comes from, when
// Options.RegionHint is set: "US", "BR", "DE" for those regions, "" for
// Europe at large and for entries without a region.
func RegionOf(ctx context.Context) string {
	r, _ := ctx.Value(regionKey{}).(string)
	switch r {
	case "us", "br", "de":
		return strings.ToUpper(r)
	}
	return ""
}

// SetSpec is one set to run.
type SetSpec struct {
	Name string
	Path string
}

// Specs lists the sets the options name, in run order.
func (o *Options) Specs() []SetSpec {
	var out []SetSpec
	if o.Manifest != "" {
		out = append(out, SetSpec{Name: o.Set, Path: o.Manifest})
	}
	for _, m := range o.Manifests {
		if name, path, ok := strings.Cut(m, "="); ok && name != "" && !strings.ContainsAny(name, `/\`) {
			out = append(out, SetSpec{Name: name, Path: path})
		} else {
			out = append(out, SetSpec{Path: m})
		}
	}
	return out
}

// Run loads every manifest, scans the selected entries with s and returns
// the report. A manifest that cannot be loaded fails the run before any scan;
// a scan that fails is counted as an error of its group, never fatal. When
// ctx ends, Run returns the report of the images scanned so far (Interrupted
// set) together with ctx's error.
func Run(ctx context.Context, s Scanner, opts Options) (*Report, error) {
	specs := opts.Specs()
	if len(specs) == 0 {
		return nil, errors.New("benchmarks: no manifest")
	}
	manifests := make([]*Manifest, len(specs))
	for i, sp := range specs {
		m, err := LoadManifest(sp.Path)
		if err != nil {
			return nil, fmt.Errorf("benchmarks: %w", err)
		}
		if sp.Name != "" {
			m.Name = sp.Name
		}
		manifests[i] = m
	}
	workers := max(opts.Workers, 1)
	perGroup := 0
	if opts.Quick {
		perGroup = opts.QuickPerGroup
		if perGroup <= 0 {
			perGroup = DefaultQuickPerGroup
		}
	}
	rep := &Report{
		Started:    time.Now().UTC(),
		Quick:      opts.Quick,
		RegionHint: opts.RegionHint,
		ScanKind:   opts.ScanKind,
		Workers:    workers,
		NumCPU:     runtime.NumCPU(),
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		GoVersion:  runtime.Version(),
	}
	for _, m := range manifests {
		entries := m.Select(opts.Kinds, perGroup, opts.Limit)
		set := runSet(ctx, s, m, entries, workers, opts)
		rep.Sets = append(rep.Sets, set)
		if err := ctx.Err(); err != nil {
			rep.Interrupted = true
			return rep, err
		}
	}
	return rep, nil
}

// outcome is one scanned image.
type outcome struct {
	done      bool
	entry     *Entry
	latencyMS float64
	res       *Result
	err       error
	scores    Scores
}

func (o *outcome) failed() bool { return o.err != nil || o.res == nil || o.res.Error != nil }

func (o *outcome) errString() string {
	switch {
	case o.err != nil:
		return o.err.Error()
	case o.res == nil:
		return "no result"
	case o.res.Error != nil:
		return o.res.Error.Code + ": " + o.res.Error.Message
	}
	return ""
}

func runSet(ctx context.Context, s Scanner, m *Manifest, entries []Entry, workers int, opts Options) SetReport {
	rssReset := ResetPeakRSS()
	outs := make([]outcome, len(entries))
	jobs := make(chan int)
	var wg sync.WaitGroup
	var progressMu sync.Mutex
	done := 0
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				if ctx.Err() != nil {
					continue
				}
				o := &outs[i]
				o.entry = &entries[i]
				t0 := time.Now()
				sctx := ctx
				if opts.RegionHint {
					sctx = context.WithValue(ctx, regionKey{}, o.entry.Truth.Region)
				}
				o.res, o.err = scanSafely(sctx, s, o.entry.Path(m.Dir))
				o.latencyMS = float64(time.Since(t0)) / float64(time.Millisecond)
				o.scores = Score(o.entry, o.res)
				if o.err != nil && ctx.Err() != nil {
					continue // cancelled mid-scan: not a result
				}
				o.done = true
				if opts.Progress != nil {
					progressMu.Lock()
					done++
					status := "ok"
					if o.failed() {
						status = "error: " + o.errString()
					} else if o.scores.Missed() {
						status = "miss"
					}
					fmt.Fprintf(opts.Progress, "[%s %d/%d] %s %.0fms %s\n", m.Name, done, len(entries), o.entry.File, o.latencyMS, status)
					progressMu.Unlock()
				}
			}
		}()
	}
feed:
	for i := range entries {
		if ctx.Err() != nil {
			break
		}
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	wall := time.Since(start)

	var finished []outcome
	for _, o := range outs {
		if o.done {
			finished = append(finished, o)
		}
	}
	set := SetReport{
		Name:          m.Name,
		Manifest:      m.Path,
		ManifestCount: len(m.Entries),
		Count:         len(finished),
		WallS:         wall.Seconds(),
	}
	if wall > 0 {
		set.ImagesPerSec = float64(len(finished)) / wall.Seconds()
	}
	if rss, src, ok := PeakRSS(); ok {
		set.PeakRSSMiB = float64(rss) / (1 << 20)
		set.RSSSource = src
		if src == "VmHWM" && !rssReset {
			set.RSSSource = "VmHWM (process lifetime)"
		}
	}
	byGroup := map[string][]outcome{}
	for _, o := range finished {
		if o.failed() {
			set.Errors++
		}
		g := o.entry.GroupName()
		byGroup[g] = append(byGroup[g], o)
	}
	names := make([]string, 0, len(byGroup))
	for g := range byGroup {
		names = append(names, g)
	}
	sort.Strings(names)
	for _, g := range names {
		set.Groups = append(set.Groups, aggregate(g, byGroup[g]))
	}
	all := aggregate(AllGroup, finished)
	all.ImagesPerSec = set.ImagesPerSec
	set.Groups = append(set.Groups, all)
	if opts.Details {
		for _, o := range finished {
			if o.failed() || o.scores.Missed() {
				set.Misses = append(set.Misses, missOf(&o))
			}
		}
	}
	return set
}

// scanSafely turns a scanner panic into an error so one image never stops a run.
func scanSafely(ctx context.Context, s Scanner, path string) (res *Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("scanner panic: %v", p)
		}
	}()
	return s.ScanFile(ctx, path)
}

// AllGroup is the name of the row that aggregates every group of a set.
const AllGroup = "all"

func aggregate(name string, outs []outcome) GroupReport {
	g := GroupReport{Group: name, Count: len(outs), Metrics: map[string]Stat{}}
	lat := make([]float64, 0, len(outs))
	stages := map[string][]float64{}
	for _, o := range outs {
		if o.failed() {
			g.Errors++
		}
		lat = append(lat, o.latencyMS)
		for k, st := range o.scores.Metrics {
			cur := g.Metrics[k]
			cur.add(st)
			g.Metrics[k] = cur
		}
		if o.res != nil {
			for k, v := range o.res.TimingsMS {
				stages[k] = append(stages[k], v)
			}
		}
	}
	g.LatencyMedianMS = Percentile(lat, 50)
	g.LatencyP90MS = Percentile(lat, 90)
	if len(stages) > 0 {
		g.StageMedianMS = map[string]float64{}
		for k, v := range stages {
			g.StageMedianMS[k] = Percentile(v, 50)
		}
	}
	return g
}

// Percentile is the p-th percentile (0..100) of xs with linear
// interpolation between closest ranks; 0 for no values.
func Percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	pos := p / 100 * float64(len(s)-1)
	lo := int(pos)
	if lo >= len(s)-1 {
		return s[len(s)-1]
	}
	frac := pos - float64(lo)
	return s[lo] + frac*(s[lo+1]-s[lo])
}

func missOf(o *outcome) Miss {
	m := Miss{
		File:         o.entry.File,
		Group:        o.entry.GroupName(),
		Kind:         o.entry.Kind,
		Truth:        o.entry.Truth,
		BBox:         o.entry.BBox,
		Scene:        o.entry.Scene,
		Degradations: o.entry.Degradations,
		FieldMisses:  o.scores.FieldMisses,
		Error:        o.errString(),
		LatencyMS:    o.latencyMS,
		Scores:       o.scores.Metrics,
	}
	for name, st := range o.scores.Metrics {
		def, _ := MetricByName(name)
		v := st.Value()
		if name != CornerErr && (def.LowerIsBetter && v > 0 || !def.LowerIsBetter && v < 1) {
			m.Failed = append(m.Failed, name)
		}
	}
	sort.Strings(m.Failed)
	keepText := false
	for _, f := range m.Failed {
		keepText = keepText || f == TextDetRecall
	}
	if o.res != nil {
		for _, r := range o.res.Records {
			b, err := json.Marshal(r)
			if err != nil {
				continue
			}
			var k struct {
				Kind string `json:"kind"`
			}
			_ = json.Unmarshal(b, &k)
			if k.Kind == "text" && !keepText {
				m.TextRecords++
				continue
			}
			m.Got = append(m.Got, b)
		}
	}
	return m
}
