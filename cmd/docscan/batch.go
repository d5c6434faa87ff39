package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"docscan/pipeline"
	"docscan/preprocess"
	"docscan/scan"
)

func init() { extraCommands["batch"] = cmdBatch }

// imageExts are the file name extensions batch scans.
var imageExts = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".tif": true, ".tiff": true,
	".webp": true, ".bmp": true, ".gif": true}

// Durability of the output: fsync after this many lines or this long.
const (
	syncEvery    = 32
	syncInterval = 2 * time.Second
)

func cmdBatch(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("batch", flag.ContinueOnError)
	fset.SetOutput(stderr)
	var ef engineFlags
	ef.register(fset)
	out := fset.String("out", "", "output file, appended to and resumed (default: stdout, not resumable)")
	asCSV := fset.Bool("csv", false, "write CSV (one row per record) instead of JSON Lines")
	kind := fset.String("kind", "auto", "records to look for: auto, mrz, plate, document")
	text := fset.Bool("text", false, "also emit the raw recognized text regions (kind \"text\")")
	progress := fset.String("progress", "auto", "progress bar on stderr: auto (when a terminal), on, off")
	nf := registerBatchNATS(fset)
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: docscan batch [flags] DIR")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		return exitUsage
	}
	if fset.NArg() != 1 {
		fset.Usage()
		return exitUsage
	}
	if err := nf.check(); err != nil {
		fmt.Fprintf(stderr, "docscan batch: %v\n", err)
		return exitUsage
	}
	switch *kind {
	case "auto", "mrz", "plate", "document":
	default:
		fmt.Fprintf(stderr, "docscan batch: unknown --kind %q\n", *kind)
		return exitUsage
	}
	showBar := false
	switch *progress {
	case "on":
		showBar = true
	case "off":
	case "auto":
		showBar = isTerminal(stderr)
	default:
		fmt.Fprintf(stderr, "docscan batch: --progress %q: auto, on or off\n", *progress)
		return exitUsage
	}
	dir := fset.Arg(0)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		fmt.Fprintf(stderr, "docscan batch: %s is not a directory\n", dir)
		return exitUsage
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	files, err := findImages(dir)
	if err != nil {
		fmt.Fprintf(stderr, "docscan batch: %v\n", err)
		return exitFailed
	}
	var w io.Writer = stdout
	var syncer interface{ Sync() error }
	done := map[string]bool{}
	if *out != "" {
		f, d, err := openResumable(*out, *asCSV)
		if err != nil {
			fmt.Fprintf(stderr, "docscan batch: %v\n", err)
			return exitFailed
		}
		defer f.Close()
		w, syncer, done = f, f, d
	}
	todo := files[:0:0]
	for _, name := range files {
		if !done[name] {
			todo = append(todo, name)
		}
	}
	sum := &batchSummary{files: len(files), skipped: len(files) - len(todo), records: map[string]int{}, failures: map[string]int{}}
	if len(todo) > 0 {
		if len(todo) < ef.workers {
			ef.workers = len(todo)
		}
		var bar *progressBar
		if showBar {
			bar = &progressBar{w: stderr, total: len(todo), start: time.Now()}
		}
		o := batchOptions{kind: *kind, text: *text, csv: *asCSV, limits: ef.limits(), out: w, syncer: syncer, bar: bar}
		if nf.url == natsOff {
			var pool *pipeline.Pool
			if pool, err = ef.pool(); err == nil {
				err = runBatch(ctx, pool, todo, o, sum)
				pool.Close()
			}
		} else {
			err = runBatchNATS(ctx, nf, &ef, todo, o, *out, sum, stderr)
		}
		if err != nil {
			fmt.Fprintf(stderr, "docscan batch: %v\n", err)
			sum.print(stderr)
			return exitFailed
		}
	}
	sum.print(stderr)
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "docscan batch: interrupted; run the same command again to resume")
		return exitFailed
	}
	if sum.failed > 0 {
		return exitFailed
	}
	return exitOK
}

// findImages walks dir recursively for image files, in lexical order.
func findImages(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && imageExts[strings.ToLower(filepath.Ext(path))] {
			files = append(files, path)
		}
		return nil
	})
	return files, err
}

// openResumable opens out for appending and returns the files it already
// records. A torn last line (a crash in the middle of a write) is cut off; a
// broken line elsewhere is an error, not something to silently append after.
func openResumable(out string, asCSV bool) (*os.File, map[string]bool, error) {
	f, err := os.OpenFile(out, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nil, err
	}
	done, keep, err := scanDone(f, asCSV)
	if err == nil {
		if st, serr := f.Stat(); serr == nil && st.Size() != keep {
			err = f.Truncate(keep)
		}
	}
	if err == nil {
		_, err = f.Seek(keep, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%s: %w", out, err)
	}
	return f, done, nil
}

// scanDone reads the records file and returns the files it holds and the
// length of its intact prefix.
func scanDone(r io.Reader, asCSV bool) (map[string]bool, int64, error) {
	done := map[string]bool{}
	br := bufio.NewReaderSize(r, 1<<20)
	var off int64
	lineNo := 0
	for {
		line, err := br.ReadBytes('\n')
		if err == io.EOF {
			// No newline: a torn write, dropped.
			return done, off, nil
		}
		if err != nil {
			return nil, 0, err
		}
		lineNo++
		name, ok := fileOfLine(line, asCSV, lineNo)
		if !ok {
			if _, perr := br.Peek(1); perr == io.EOF {
				return done, off, nil // a broken last line, dropped
			}
			return nil, 0, fmt.Errorf("line %d is not a record; not appending to a damaged file", lineNo)
		}
		if name != "" {
			done[name] = true
		}
		off += int64(len(line))
	}
}

func fileOfLine(line []byte, asCSV bool, lineNo int) (string, bool) {
	if asCSV {
		rec, err := csv.NewReader(bytes.NewReader(line)).Read()
		if err != nil || len(rec) != len(csvHeader) {
			return "", false
		}
		if lineNo == 1 && rec[0] == csvHeader[0] {
			return "", true
		}
		return rec[0], true
	}
	var v struct {
		File *string `json:"file"`
	}
	if err := json.Unmarshal(line, &v); err != nil || v.File == nil {
		return "", false
	}
	return *v.File, true
}

type batchOptions struct {
	kind   string
	text   bool
	csv    bool
	limits preprocess.Limits
	out    io.Writer
	syncer interface{ Sync() error }
	bar    *progressBar
}

// runBatch scans todo with the pool and appends one block per file (one
// line of JSON, or the CSV rows of its records) in a single write, fsynced
// every syncEvery lines or syncInterval. Results of scans cut short by ctx
// are not written, so a rerun does them again.
func runBatch(ctx context.Context, pool *pipeline.Pool, todo []string, o batchOptions, sum *batchSummary) error {
	results := make(chan *pipeline.Result, pool.Workers()*2)
	jobs := make(chan string)
	var wg sync.WaitGroup
	for i := 0; i < pool.Workers()*2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for name := range jobs {
				results <- scanFile(ctx, pool, name, o.kind, o.text, o.limits)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, name := range todo {
			select {
			case jobs <- name:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()

	w, err := newBatchWriter(o, sum, nil)
	if err != nil {
		return err
	}
	start := time.Now()
	cpu0 := cpuTime()
	var werr error
	for r := range results {
		if werr != nil {
			continue // drain
		}
		if interrupted(ctx, r) {
			continue // interrupted, not failed: done again on resume
		}
		werr = w.write(r, nil)
	}
	if err := w.close(); err != nil && werr == nil {
		werr = err
	}
	sum.wall = time.Since(start)
	sum.cpu = cpuTime() - cpu0
	return werr
}

// interrupted reports a scan cut short by the end of ctx (Ctrl-C): not a
// failure of its file, which a rerun scans again, so it is not written.
func interrupted(ctx context.Context, r *pipeline.Result) bool {
	return r.Error != nil && (r.Error.Code == pipeline.CodeCanceled || r.Error.Code == pipeline.CodeUnavail) && ctx.Err() != nil
}

// batchWriter appends one block per file to the output (one JSON line, or
// the CSV rows of its records) in a single write, fsynced every syncEvery
// lines or syncInterval, and counts it in the summary.
type batchWriter struct {
	o        batchOptions
	sum      *batchSummary
	buf      bytes.Buffer
	enc      *json.Encoder
	lastSync time.Time
	unsynced int
	// synced, when set, is called once the lines written so far are durable
	// (fsynced; or written, for an output that cannot be synced).
	synced func()
}

// newBatchWriter writes the CSV header to a fresh CSV output.
func newBatchWriter(o batchOptions, sum *batchSummary, synced func()) (*batchWriter, error) {
	w := &batchWriter{o: o, sum: sum, lastSync: time.Now(), synced: synced}
	w.enc = json.NewEncoder(&w.buf)
	w.enc.SetEscapeHTML(false)
	if o.csv && isEmptyFile(o.out) {
		cw := csv.NewWriter(&w.buf)
		cw.Write(csvHeader)
		cw.Flush()
		if _, err := o.out.Write(w.buf.Bytes()); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// write appends the result of one file. line, when not nil, is r already
// encoded as a JSON line, written as it is in JSON mode.
func (w *batchWriter) write(r *pipeline.Result, line []byte) error {
	w.buf.Reset()
	switch {
	case w.o.csv:
		writeCSV(&w.buf, r)
	case line != nil:
		w.buf.Write(line)
	default:
		if err := w.enc.Encode(r); err != nil {
			return err
		}
	}
	if _, err := w.o.out.Write(w.buf.Bytes()); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	w.sum.add(r)
	w.unsynced++
	if w.o.bar != nil {
		w.o.bar.update(w.sum.scanned)
	}
	if w.unsynced >= syncEvery || time.Since(w.lastSync) >= syncInterval || w.o.syncer == nil {
		return w.sync()
	}
	return nil
}

func (w *batchWriter) sync() error {
	if w.o.syncer != nil && w.unsynced > 0 {
		if err := w.o.syncer.Sync(); err != nil {
			return fmt.Errorf("fsync: %w", err)
		}
	}
	w.lastSync, w.unsynced = time.Now(), 0
	if w.synced != nil {
		w.synced()
	}
	return nil
}

// close syncs what is left and ends the progress bar.
func (w *batchWriter) close() error {
	err := w.sync()
	if w.o.bar != nil {
		w.o.bar.finish()
	}
	return err
}

// isEmptyFile reports whether w is at its start: a fresh output file, or a
// stream (which always gets the CSV header).
func isEmptyFile(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return true
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return true
	}
	off, err := f.Seek(0, io.SeekCurrent)
	return err == nil && off == 0
}

var csvHeader = []string{"file", "kind", "text", "country", "format", "document_type", "valid", "confidence",
	"surname", "given_names", "document_number", "nationality", "birth_date", "expiry_date", "sex", "error_code", "error_message"}

// writeCSV writes one row per record of r (one row when it has none).
func writeCSV(b *bytes.Buffer, r *pipeline.Result) {
	cw := csv.NewWriter(b)
	var code, msg string
	if r.Error != nil {
		code, msg = r.Error.Code, r.Error.Message
	}
	if len(r.Records) == 0 {
		row := make([]string, len(csvHeader))
		row[0], row[15], row[16] = r.File, code, msg
		cw.Write(row)
	}
	for _, rec := range r.Records {
		var m map[string]any
		raw, _ := json.Marshal(rec)
		json.Unmarshal(raw, &m)
		fields, _ := m["fields"].(map[string]any)
		var str func(v any) string
		str = func(v any) string {
			switch x := v.(type) {
			case nil:
				return ""
			case string:
				return x
			case float64:
				return strconv.FormatFloat(x, 'f', -1, 64)
			case bool:
				return strconv.FormatBool(x)
			case map[string]any: // document fields carry {value, ...}
				return str(x["value"])
			}
			return fmt.Sprint(v)
		}
		txt := str(m["display"])
		if txt == "" {
			txt = str(m["text"])
		}
		row := []string{r.File, str(m["kind"]), txt, str(m["country"]), str(m["format"]), str(m["document_type"]),
			str(m["valid"]), str(m["confidence"]), str(fields["surname"]), str(fields["given_names"]),
			str(fields["document_number"]), str(fields["nationality"]), str(fields["birth_date"]),
			str(fields["expiry_date"]), str(fields["sex"]), code, msg}
		cw.Write(row)
	}
	cw.Flush()
}

// batchSummary counts what one run did.
type batchSummary struct {
	files, skipped, scanned, failed int
	records                         map[string]int
	failures                        map[string]int
	wall, cpu                       time.Duration
}

func (s *batchSummary) add(r *scan.Result) {
	s.scanned++
	if r.Error != nil {
		s.failed++
		s.failures[r.Error.Code]++
	}
	for _, rec := range r.Records {
		s.records[scan.KindOf(rec)]++
	}
}

func (s *batchSummary) print(w io.Writer) {
	fmt.Fprintf(w, "batch: %d image files, %d already done, %d scanned, %d failed\n", s.files, s.skipped, s.scanned, s.failed)
	fmt.Fprintf(w, "batch: records by kind: %s\n", counts(s.records))
	if len(s.failures) > 0 {
		fmt.Fprintf(w, "batch: failures by code: %s\n", counts(s.failures))
	}
	if s.wall > 0 {
		fmt.Fprintf(w, "batch: %.1f s, %.2f images/s, CPU time / wall time %.2f\n",
			s.wall.Seconds(), float64(s.scanned)/s.wall.Seconds(), s.cpu.Seconds()/s.wall.Seconds())
	}
}

func counts(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%d", k, m[k])
	}
	return strings.Join(parts, " ")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progressBar redraws one line on a terminal: done/total, rate and ETA.
type progressBar struct {
	w     io.Writer
	total int
	start time.Time
	last  time.Time
	done  int
}

func (p *progressBar) update(done int) {
	p.done = done
	if time.Since(p.last) < 200*time.Millisecond && done < p.total {
		return
	}
	p.last = time.Now()
	el := time.Since(p.start).Seconds()
	rate := float64(done) / max(el, 1e-9)
	eta := "--:--"
	if rate > 0 {
		eta = fmtDuration(time.Duration(float64(p.total-done) / rate * float64(time.Second)))
	}
	const width = 30
	n := width * done / max(p.total, 1)
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d %3d%%  %.2f img/s  ETA %s ", strings.Repeat("#", n), strings.Repeat(".", width-n),
		done, p.total, 100*done/max(p.total, 1), rate, eta)
}

func (p *progressBar) finish() {
	p.last = time.Time{}
	p.update(p.done)
	fmt.Fprintln(p.w)
}

func fmtDuration(d time.Duration) string {
	s := int(d.Seconds())
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
