package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"docscan/fabric"
	"docscan/internal/freeport"
)

func TestBatchNATSUsage(t *testing.T) {
	for _, args := range [][]string{{"worker"}, {"worker", "--nats", "x", "extra"}, {"worker", "--bogus"}} {
		if code, _, _ := runCLI(t, "", args...); code != exitUsage {
			t.Errorf("%q: exit %d, want %d", args, code, exitUsage)
		}
	}
}

// TestHelperNATSNode is not a test: TestNATSKill runs this test binary as a
// NATS node process, configured by DOCSCAN_TEST_NATS_NODE, to kill it.
func TestHelperNATSNode(t *testing.T) {
	spec := os.Getenv("DOCSCAN_TEST_NATS_NODE")
	if spec == "" {
		t.Skip("helper process of TestNATSKill")
	}
	var o fabric.ServerOptions
	if err := json.Unmarshal([]byte(spec), &o); err != nil {
		t.Fatal(err)
	}
	s, err := fabric.StartServer(o)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("ready")
	s.WaitForShutdown()
}

// killImages copies the kill test's images into dir: the synthetic set,
// the samples and, from ../shared/data when present, every tenth photo
// (every photo with DOCSCAN_NATS_KILL_LONG=1).
func killImages(t *testing.T, dir string) int {
	t.Helper()
	var files []string
	for _, g := range []string{"../../testdata/synth/*.jpg", "../../testdata/samples/*.jpg"} {
		m, _ := filepath.Glob(g)
		files = append(files, m...)
	}
	step := 10
	if os.Getenv("DOCSCAN_NATS_KILL_LONG") == "1" {
		step = 1
	}
	if shared, err := findImages("../../../shared/data"); err == nil {
		for i := 0; i < len(shared); i += step {
			files = append(files, shared[i])
		}
	} else {
		t.Logf("../shared/data absent: synthetic images and samples only")
	}
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sub := filepath.Join(dir, fmt.Sprintf("d%d", i%3))
		os.MkdirAll(sub, 0o755)
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("%03d_%s", i, filepath.Base(f))), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return len(files)
}

func countLines(path string) int {
	b, _ := os.ReadFile(path)
	return bytes.Count(b, []byte("\n"))
}

// TestNATSKill runs a batch through a 3-node NATS cluster on loopback with 3
// worker processes (real pipeline and models), kills one worker and the
// node leading the job stream with SIGKILL mid-run, and compares the output
// with a single-process batch: every file once, the same records.
func TestNATSKill(t *testing.T) {
	needAssets(t)
	if testing.Short() {
		t.Skip("-short")
	}
	bin := buildDocscan(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	total := killImages(t, in)

	// The reference: one process, no NATS. --threads 1 everywhere: ONNX
	// Runtime's results may differ in the last bits with the thread count.
	ref := filepath.Join(dir, "ref.jsonl")
	start := time.Now()
	cmd := exec.Command(bin, "batch", "--nats", "off", "--workers", "2", "--threads", "1", "--timeout", scanTimeout, "--auto-budget", autoBudget, "--progress", "off", "--out", ref, in)
	if out, err := cmd.CombinedOutput(); err != nil && cmd.ProcessState.ExitCode() != exitFailed {
		t.Fatalf("reference batch: %v\n%s", err, out)
	}
	t.Logf("reference: %d images in %.1f s", total, time.Since(start).Seconds())
	want := readLines(t, ref)
	if len(want) != total {
		t.Fatalf("reference: %d lines, want %d", len(want), total)
	}

	url, nodes := startNATSCluster(t, 3)
	fabricArgs := []string{"--nats", url, "--ack-wait", "3s"}
	workers, workerLogs := startWorkers(t, bin, 3, fabricArgs)
	out := filepath.Join(dir, "out.jsonl")
	// Images over 150 kB go through the object store, the others inline.
	var batch *exec.Cmd
	var batchLog bytes.Buffer
	exited := make(chan error, 1)
	startBatch := func() {
		batch = exec.Command(bin, append([]string{"batch", "--progress", "off", "--inline-max", "150000", "--out", out}, append(fabricArgs, in)...)...)
		batch.Stderr = &batchLog
		if err := batch.Start(); err != nil {
			t.Fatal(err)
		}
		go func(c *exec.Cmd) { exited <- c.Wait() }(batch)
		t.Cleanup(func() { batch.Process.Kill() })
	}
	// Generous: 10 s per image (a loaded CI machine) and 2 minutes more.
	limit := 2*time.Minute + time.Duration(total)*10*time.Second
	start = time.Now()
	startBatch()

	waitLines := func(min int) {
		t.Helper()
		deadline := time.Now().Add(limit)
		for countLines(out) < min {
			select {
			case err := <-exited:
				t.Fatalf("batch ended early (%v) with %d of %d lines\n%s", err, countLines(out), total, batchLog.String())
			default:
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d of %d lines after %v\n%s", countLines(out), total, limit, batchLog.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitLines(total / 4)
	workers[0].Process.Signal(syscall.SIGKILL)
	t.Logf("worker 0 killed at %d of %d lines", countLines(out), total)

	waitLines(total / 2)
	leader := jobsLeader(t, url)
	var victim int
	fmt.Sscanf(leader, "n%d", &victim)
	nodes[victim].Process.Signal(syscall.SIGKILL)
	t.Logf("NATS node %s (leading the job stream) killed at %d of %d lines", leader, countLines(out), total)

	// The batch itself dies and is run again: it resumes from its output
	// and the results its first run left in the stream.
	waitLines(total * 3 / 4)
	batch.Process.Signal(syscall.SIGKILL)
	<-exited
	t.Logf("batch killed at %d of %d lines, run again", countLines(out), total)
	startBatch()

	var err error
	select {
	case err = <-exited:
	case <-time.After(limit):
		t.Fatalf("batch not done after %v: %d of %d lines\n%s", limit, countLines(out), total, batchLog.String())
	}
	wall := time.Since(start)
	if code := batch.ProcessState.ExitCode(); code != exitOK && code != exitFailed {
		t.Fatalf("batch: %v\n%s", err, batchLog.String())
	}
	// readLines fails on a file recorded twice.
	sameLines(t, readLines(t, out), want, "through NATS", "in one process")
	for i := 1; i < len(workers); i++ {
		workers[i].Process.Signal(syscall.SIGTERM)
		if err := workers[i].Wait(); err != nil {
			t.Errorf("worker %d after SIGTERM: %v\n%s", i, err, workerLogs[i])
		}
	}
	t.Logf("through NATS: %d images in %.1f s with a worker and a node killed\nbatch:\n%s", total, wall.Seconds(), batchLog.String())
	for i := 1; i < len(workers); i++ {
		t.Logf("worker %d: %s", i, lastLine(workerLogs[i].String()))
	}
	if t.Failed() {
		t.Logf("worker 0:\n%s", workerLogs[0])
	}
}

// startNATSCluster starts n NATS nodes routed to each other on loopback,
// each a process (this test binary as TestHelperNATSNode), and returns the
// client URL list and the processes. A port taken by another process
// between freePorts and a node's start fails that node at once: the
// cluster is started again on new ports, three tries in all.
func startNATSCluster(t *testing.T, n int) (string, []*exec.Cmd) {
	t.Helper()
	var why string
	for try := 0; try < 3; try++ {
		url, nodes, err := tryNATSCluster(t, n)
		if err == nil {
			return url, nodes
		}
		why = err.Error()
		t.Logf("NATS cluster, try %d: %v", try+1, err)
	}
	t.Fatalf("NATS cluster not started in 3 tries: %s", why)
	return "", nil
}

func tryNATSCluster(t *testing.T, n int) (string, []*exec.Cmd, error) {
	ports := freeport.Addrs(t, 2*n)
	clientAddr, routeAddr, routes := ports[:n], ports[n:], make([]string, n)
	for i := range n {
		routes[i] = "nats://" + routeAddr[i]
	}
	nodes := make([]*exec.Cmd, 0, n)
	stop := func() {
		for _, c := range nodes {
			c.Process.Kill()
			c.Wait()
		}
	}
	for i := range n {
		spec, _ := json.Marshal(fabric.ServerOptions{Name: fmt.Sprintf("n%d", i), Listen: clientAddr[i],
			StoreDir: t.TempDir(), Cluster: "killtest", ClusterListen: routeAddr[i], Routes: routes})
		c := exec.Command(os.Args[0], "-test.run=^TestHelperNATSNode$")
		c.Env = append(os.Environ(), "DOCSCAN_TEST_NATS_NODE="+string(spec))
		stdout, _ := c.StdoutPipe()
		c.Stderr = os.Stderr
		if err := c.Start(); err != nil {
			stop()
			return "", nil, err
		}
		nodes = append(nodes, c)
		if line, _ := bufio.NewReader(stdout).ReadString('\n'); line != "ready\n" {
			rest, _ := io.ReadAll(stdout)
			stop()
			return "", nil, fmt.Errorf("node %d: %q", i, line+string(rest))
		}
	}
	t.Cleanup(stop)
	return "nats://" + strings.Join(clientAddr, ",nats://"), nodes, nil
}

// startWorkers starts n docscan worker processes of one engine worker and
// one ONNX thread each.
func startWorkers(t *testing.T, bin string, n int, fabricArgs []string) ([]*exec.Cmd, []*bytes.Buffer) {
	t.Helper()
	workers := make([]*exec.Cmd, n)
	logs := make([]*bytes.Buffer, n)
	for i := range n {
		c := exec.Command(bin, append([]string{"worker", "--workers", "1", "--threads", "1", "--timeout", scanTimeout, "--auto-budget", autoBudget}, fabricArgs...)...)
		logs[i] = &bytes.Buffer{}
		c.Stderr = logs[i]
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Process.Kill(); c.Wait() })
		workers[i] = c
	}
	return workers, logs
}

// jobsLeader names the node that leads the job stream.
func jobsLeader(t *testing.T, url string) string {
	t.Helper()
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	var last string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		var info *jetstream.StreamInfo
		st, err := js.Stream(ctx, fabric.StreamJobs)
		if err == nil {
			info, err = st.Info(ctx)
		}
		cancel()
		switch {
		case err != nil:
			last = err.Error()
		case info.Cluster == nil || info.Cluster.Leader == "" || len(info.Cluster.Replicas) != 2:
			last = fmt.Sprintf("cluster %+v; want a leader and 2 other replicas", info.Cluster)
		default:
			return info.Cluster.Leader
		}
	}
	t.Fatalf("job stream: %s", last)
	return ""
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// TestNATSScale is a measurement, run with DOCSCAN_NATS_SCALE=1: the kill
// test's images in one process without NATS (--nats off; 1 and 2 workers),
// through the embedded server (the default; 1 and 2 workers) and through a 3-node cluster with 1, 2 and 3
// worker processes, all with one ONNX thread per worker. It reports wall
// time, images/s and CPU seconds per image (all processes: batch, workers,
// NATS nodes), and fails only when a run's records differ from the first.
func TestNATSScale(t *testing.T) {
	if os.Getenv("DOCSCAN_NATS_SCALE") != "1" {
		t.Skip("a measurement: DOCSCAN_NATS_SCALE=1 runs it")
	}
	needAssets(t)
	bin := buildDocscan(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	total := killImages(t, in)
	cpuOf := func(cs ...*exec.Cmd) time.Duration {
		var d time.Duration
		for _, c := range cs {
			if c.ProcessState != nil {
				d += c.ProcessState.UserTime() + c.ProcessState.SystemTime()
			}
		}
		return d
	}
	var want map[string]string
	report := []string{"| run | wall s | images/s | CPU s per image |", "| --- | --: | --: | --: |"}
	batchRun := func(name string, args []string, others func() []*exec.Cmd) {
		out := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".jsonl")
		c := exec.Command(bin, append(append([]string{"batch", "--progress", "off", "--threads", "1", "--timeout", scanTimeout, "--auto-budget", autoBudget, "--out", out}, args...), in)...)
		start := time.Now()
		if b, err := c.CombinedOutput(); err != nil && c.ProcessState.ExitCode() != exitFailed {
			t.Fatalf("%s: %v\n%s", name, err, b)
		}
		wall := time.Since(start)
		procs := []*exec.Cmd{c}
		if others != nil {
			procs = append(procs, others()...)
		}
		got := readLines(t, out)
		if want == nil {
			want = got
		} else {
			sameLines(t, got, want, name, "the first run")
		}
		row := fmt.Sprintf("| %s | %.1f | %.2f | %.2f |", name, wall.Seconds(), float64(total)/wall.Seconds(),
			cpuOf(procs...).Seconds()/float64(total))
		t.Log(row)
		report = append(report, row)
	}
	for _, w := range []string{"1", "2"} {
		batchRun("in-process (--nats off), "+w+" workers", []string{"--workers", w, "--nats", "off"}, nil)
		batchRun("embedded NATS (default), "+w+" workers", []string{"--workers", w}, nil)
	}
	for n := 1; n <= 3; n++ {
		url, nodes := startNATSCluster(t, 3)
		workers, _ := startWorkers(t, bin, n, []string{"--nats", url})
		batchRun(fmt.Sprintf("3-node cluster, %d worker processes", n), []string{"--nats", url}, func() []*exec.Cmd {
			for _, c := range append(workers, nodes...) {
				c.Process.Signal(syscall.SIGTERM)
				c.Wait()
			}
			return append(workers, nodes...)
		})
	}
	t.Logf("%d images\n%s", total, strings.Join(report, "\n"))
}
