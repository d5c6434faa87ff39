package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestBatchUsage(t *testing.T) {
	for _, args := range [][]string{{"batch"}, {"batch", "a", "b"}, {"batch", "/nonexistent-dir"}, {"batch", "--kind", "cat", "."},
		{"batch", "--progress", "maybe", "."}, {"batch", "--nats", "", "."}, {"batch", "--inflight", "-1", "."},
		{"batch", "--nats", "off", "--nats-listen", "127.0.0.1:0", "."}, {"batch", "--nats", "nats://127.0.0.1:1", "--nats-listen", "127.0.0.1:0", "."}} {
		if code, _, _ := runCLI(t, "", args...); code != exitUsage {
			t.Errorf("%q: exit %d, want %d", args, code, exitUsage)
		}
	}
}

func TestResumeState(t *testing.T) {
	good := `{"file":"a.jpg","records":[],"timings_ms":{},"error":null}` + "\n" + `{"file":"b.jpg","records":[],"timings_ms":{},"error":null}` + "\n"
	cases := []struct {
		name, content string
		keep          int
		files         []string
		bad           bool
	}{
		{"empty", "", 0, nil, false},
		{"intact", good, len(good), []string{"a.jpg", "b.jpg"}, false},
		{"torn last line", good + `{"file":"c.jpg","rec`, len(good), []string{"a.jpg", "b.jpg"}, false},
		{"broken last line", good + "{\"file\":\n", len(good), []string{"a.jpg", "b.jpg"}, false},
		{"damaged middle", "garbage\n" + good, 0, nil, true},
	}
	for _, c := range cases {
		path := filepath.Join(t.TempDir(), "out.jsonl")
		os.WriteFile(path, []byte(c.content), 0o600)
		f, done, err := openResumable(path, false)
		if c.bad {
			if err == nil {
				f.Close()
				t.Errorf("%s: accepted", c.name)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		f.WriteString(`{"file":"z.jpg","records":[],"timings_ms":{},"error":null}` + "\n")
		f.Close()
		b, _ := os.ReadFile(path)
		if want := c.content[:c.keep] + `{"file":"z.jpg","records":[],"timings_ms":{},"error":null}` + "\n"; string(b) != want {
			t.Errorf("%s: file after append %q, want %q", c.name, b, want)
		}
		if len(done) != len(c.files) {
			t.Errorf("%s: done %v, want %v", c.name, done, c.files)
		}
		for _, n := range c.files {
			if !done[n] {
				t.Errorf("%s: %s not done", c.name, n)
			}
		}
	}
	// CSV: the header is not a file; a torn row is cut.
	path := filepath.Join(t.TempDir(), "out.csv")
	os.WriteFile(path, []byte(strings.Join(csvHeader, ",")+"\n"+"a.jpg"+strings.Repeat(",", len(csvHeader)-1)+"\nb.jpg,pla"), 0o600)
	f, done, err := openResumable(path, true)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if len(done) != 1 || !done["a.jpg"] {
		t.Errorf("csv done %v", done)
	}
}

// buildDocscan builds the binary for subprocess tests.
func buildDocscan(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "docscan")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

type batchLine struct {
	File    string            `json:"file"`
	Records []json.RawMessage `json:"records"`
	Error   *struct{ Code string }
}

// sameLines compares two outputs read by readLines: every file of want in
// got with the same records, and no other.
func sameLines(t *testing.T, got, want map[string]string, gotName, wantName string) {
	t.Helper()
	for file, w := range want {
		g, ok := got[file]
		switch {
		case !ok:
			t.Errorf("lost: %s", file)
		case g != w:
			t.Errorf("%s: %s %s, %s %s", file, gotName, g, wantName, w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%s: %d files, %s: %d", gotName, len(got), wantName, len(want))
	}
}

func readLines(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for i, l := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		var r batchLine
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("%s line %d: %v: %q", path, i+1, err, l)
		}
		if _, dup := got[r.File]; dup {
			t.Errorf("%s: %s recorded twice", path, r.File)
		}
		recs, _ := json.Marshal(r.Records)
		code := ""
		if r.Error != nil {
			code = r.Error.Code
		}
		got[r.File] = code + " " + string(recs)
	}
	return got
}

// TestBatchKillResume interrupts a batch with Ctrl-C (SIGINT) and kills it
// with SIGKILL mid-run, tears its last line as a crash inside a write would,
// resumes it and compares the output with a clean run: no file lost, none
// twice, the same records. It does so on the default path (an embedded NATS
// server in the batch process) and with --nats off (the pipeline pool in the
// process), whose records must be the same.
func TestBatchKillResume(t *testing.T) {
	needAssets(t)
	bin := buildDocscan(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	samples, _ := filepath.Glob("../../testdata/synth/plate_0[0-4].jpg")
	mrz, _ := filepath.Glob("../../testdata/synth/mrz_00.jpg")
	samples = append(samples, mrz...)
	for i, s := range samples {
		sub := filepath.Join(in, []string{"x", "y/z"}[i%2])
		os.MkdirAll(sub, 0o755)
		b, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(sub, filepath.Base(s)), b, 0o600)
	}
	os.WriteFile(filepath.Join(in, "x", "broken.jpg"), []byte("not a jpeg"), 0o600)
	os.WriteFile(filepath.Join(in, "notes.txt"), []byte("skipped: not an image name"), 0o600)
	total := len(samples) + 1

	runBatchCmd := func(out string, extra ...string) (*exec.Cmd, *bytes.Buffer) {
		cmd := exec.Command(bin, append(append([]string{"batch", "--workers", "2", "--timeout", scanTimeout, "--auto-budget", autoBudget, "--out", out}, extra...), in)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		return cmd, &stderr
	}
	// The reference: a clean run on the default path.
	clean := filepath.Join(dir, "clean.jsonl")
	cmd, stderr := runBatchCmd(clean)
	if err := cmd.Run(); cmd.ProcessState.ExitCode() != exitFailed {
		t.Fatalf("clean run: %v (want exit 1 for the broken file)\n%s", err, stderr)
	}
	for _, s := range []string{"images/s", "CPU time / wall time", "not_an_image=1", "records by kind: "} {
		if !strings.Contains(stderr.String(), s) {
			t.Errorf("summary without %q: %s", s, stderr)
		}
	}
	want := readLines(t, clean)
	if len(want) != total {
		t.Fatalf("clean run: %d lines, want %d", len(want), total)
	}

	// waitLines waits until out has min lines, or the batch ended.
	waitLines := func(out string, min int, exited <-chan struct{}) int {
		deadline := time.Now().Add(60 * time.Second)
		for time.Now().Before(deadline) {
			if n := countLines(out); n >= min {
				return n
			}
			select {
			case <-exited:
				return countLines(out)
			case <-time.After(10 * time.Millisecond):
			}
		}
		return countLines(out)
	}
	for _, mode := range []struct {
		name   string
		extra  []string
		sigint bool
	}{{"default", nil, true}, {"nats off", []string{"--nats", "off"}, false}} {
		t.Run(strings.ReplaceAll(mode.name, " ", "_"), func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(mode.name, " ", "_")+".jsonl")
			lines := 0
			if mode.sigint {
				// Ctrl-C: the scans in flight end and are not written.
				cmd, stderr := runBatchCmd(out, mode.extra...)
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				exited := make(chan struct{})
				go func() { cmd.Wait(); close(exited) }()
				lines = waitLines(out, 2, exited)
				cmd.Process.Signal(os.Interrupt)
				<-exited
				if code := cmd.ProcessState.ExitCode(); code != exitFailed {
					t.Errorf("after Ctrl-C: exit %d, want %d\n%s", code, exitFailed, stderr)
				}
				if lines < total && !strings.Contains(stderr.String(), "interrupted; run the same command again") {
					t.Errorf("after Ctrl-C at %d of %d lines: %s", lines, total, stderr)
				}
				if b, _ := os.ReadFile(out); bytes.Contains(b, []byte(`"canceled"`)) {
					t.Errorf("a scan cut short by Ctrl-C was written:\n%s", b)
				}
				t.Logf("interrupted after %d of %d lines", countLines(out), total)
			}
			cmd, _ := runBatchCmd(out, mode.extra...)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan struct{})
			go func() { cmd.Wait(); close(exited) }()
			waitLines(out, lines+2, exited)
			cmd.Process.Signal(syscall.SIGKILL)
			<-exited
			t.Logf("killed after %d of %d lines", countLines(out), total)
			// A crash inside a write leaves a torn line.
			f, _ := os.OpenFile(out, os.O_WRONLY|os.O_APPEND, 0)
			f.WriteString(`{"file":"` + filepath.Join(in, "x", "plate_00.jpg") + `","records":[{"kind":"pl`)
			f.Close()

			cmd, stderr := runBatchCmd(out, mode.extra...)
			cmd.Run()
			if !strings.Contains(stderr.String(), "already done") {
				t.Errorf("resume summary: %s", stderr)
			}
			sameLines(t, readLines(t, out), want, "resumed", "clean")
			// A third run has nothing to do.
			cmd, stderr = runBatchCmd(out, mode.extra...)
			if err := cmd.Run(); err != nil || !strings.Contains(stderr.String(), "0 scanned") {
				t.Errorf("rerun of a finished batch: %v %s", err, stderr)
			}
		})
	}
}

// TestSweepStores: the embedded server's directory of a batch killed with
// SIGKILL is removed by the next batch; one of a live process, one that
// holds a file and one that is not ours stay.
func TestSweepStores(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	deadPid := dead.ProcessState.Pid()
	mk := func(name string, file bool) string {
		p := filepath.Join(tmp, name)
		os.MkdirAll(filepath.Join(p, "jetstream"), 0o700)
		if file {
			os.WriteFile(filepath.Join(p, "jetstream", "meta"), nil, 0o600)
		}
		return p
	}
	gone := mk(fmt.Sprintf("%s%d-1", storePrefix, deadPid), false)
	stay := []string{mk(fmt.Sprintf("%s%d-2", storePrefix, os.Getpid()), false),
		mk(fmt.Sprintf("%s%d-3", storePrefix, deadPid), true), mk(storePrefix+"4", false), mk("other-5-6", false)}
	sweepStores()
	if _, err := os.Stat(gone); !os.IsNotExist(err) {
		t.Errorf("%s: not removed (%v)", gone, err)
	}
	for _, p := range stay {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}
