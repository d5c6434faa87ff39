package fabric

import (
	"context"
	"fmt"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"docscan/internal/freeport"
	"docscan/scan"
)

// startCluster starts n servers routed to each other on loopback.
func startCluster(t testing.TB, n int) []*server.Server {
	t.Helper()
	routes := make([]string, n)
	listen := freeport.Addrs(t, n)
	for i := range n {
		routes[i] = "nats://" + listen[i]
	}
	servers := make([]*server.Server, n)
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			servers[i], errs[i] = StartServer(ServerOptions{Name: fmt.Sprintf("n%d", i), StoreDir: t.TempDir(),
				Cluster: "bench", ClusterListen: listen[i], Routes: routes})
		})
	}
	wg.Wait()
	for i, s := range servers {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		t.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
	}
	return servers
}

// BenchmarkJob measures what one job costs on its way through the fabric,
// with a processor that does nothing, against handing it to an in-process
// worker goroutine (what the pipeline pool does). ns/op is per job.
// "window1" keeps one job in flight (latency, a worker with 2 slots);
// "window64" keeps 64 (what a batch does) for a worker with 8 slots. Run: go test ./fabric -run '^$' -bench Job -benchtime 2000x
func BenchmarkJob(b *testing.B) {
	for _, size := range []int{200 << 10} { // a typical photo in ../shared/data
		for _, window := range []int{1, 64} {
			slots := 2 // docscan worker --workers 1
			if window > 1 {
				slots = 8 // four such workers
			}
			name := fmt.Sprintf("%dKiB/window%d", size>>10, window)
			b.Run("in-process/"+name, func(b *testing.B) { benchInProcess(b, window, size) })
			b.Run("embedded-inline/"+name, func(b *testing.B) {
				s := startServer(b)
				benchFabric(b, []*server.Server{s}, window, slots, size, 0)
			})
			b.Run("embedded-object/"+name, func(b *testing.B) {
				s := startServer(b)
				benchFabric(b, []*server.Server{s}, window, slots, size, 1)
			})
			b.Run("cluster3-inline/"+name, func(b *testing.B) {
				benchFabric(b, startCluster(b, 3), window, slots, size, 0)
			})
		}
	}
}

func benchInProcess(b *testing.B, window, size int) {
	data := image(1, size)
	jobs := make(chan Job, window)
	done := make(chan struct{}, window)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for j := range jobs {
				nop(context.Background(), j)
				done <- struct{}{}
			}
		})
	}
	b.ResetTimer()
	defer reportCPU(b)()
	go func() {
		for i := range b.N {
			jobs <- Job{Key: fmt.Sprint(i), Data: data}
		}
		close(jobs)
	}()
	for range b.N {
		<-done
	}
	wg.Wait()
}

// reportCPU reports the process's CPU time per job (servers, worker and
// batch all run in this process): what the fabric costs in cores, apart
// from the latency that ns/op shows on a busy machine.
func reportCPU(b *testing.B) func() {
	cpu := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := cpu()
	return func() {
		b.ReportMetric(float64(cpu()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/job")
	}
}

// nop is the processor of the benchmarks: it does nothing but answer.
func nop(_ context.Context, j Job) *scan.Result {
	return &scan.Result{Records: []scan.Record{map[string]any{"kind": "text", "text": "x", "len": len(j.Data)}},
		TimingsMS: map[string]float64{}}
}

// submitters submit jobs concurrently, as docscan batch does.
const submitters = 4

// benchFabric runs b.N jobs through the fabric: a batch on one server
// (the first), a worker with the given slots on the last.
func benchFabric(b *testing.B, servers []*server.Server, window, slots, size, inlineMax int) {
	cfg := Config{AckWait: 10 * time.Second}
	fb := connect(b, servers[0], cfg)
	fw := connect(b, servers[len(servers)-1], cfg)
	startWorker(b, fw, slots, nop)
	bt, err := fb.OpenBatch(context.Background(), BatchOptions{ID: fmt.Sprintf("bench%d", time.Now().UnixNano()), InlineMax: inlineMax})
	if err != nil {
		b.Fatal(err)
	}
	defer bt.Close()
	data := image(1, size)
	free := make(chan struct{}, window)
	b.ResetTimer()
	defer reportCPU(b)()
	next := make(chan int)
	go func() {
		for i := range b.N {
			free <- struct{}{}
			next <- i
		}
		close(next)
	}()
	for range submitters {
		go func() {
			for i := range next {
				if err := bt.Submit(context.Background(), Job{Key: fmt.Sprintf("k%d", i), File: "f", Data: data}); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	for range b.N {
		select {
		case d := <-bt.Deliveries():
			d.Ack()
			<-free
		case <-time.After(30 * time.Second):
			b.Fatal("no result for 30 s")
		}
	}
}
