//go:build browser

package server

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestBrowserPage drives the operator page in headless Chromium against the
// real engines: the page fetches a sample (the ?src= hook), posts it to
// /v1/scan and must list a plate record. Run with `make test-browser`.
func TestBrowserPage(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("chromium not installed (make test-browser installs it): %v", err)
	}
	img, err := os.ReadFile("../testdata/samples/plate_de_1.jpg")
	if err != nil {
		t.Fatal(err)
	}
	s := New(Options{Scanner: realPool(t, 1)})
	mux := http.NewServeMux()
	mux.Handle("/", s.Handler())
	mux.HandleFunc("GET /__test/sample.jpg", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write(img)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	defer hs.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	url := "http://" + ln.Addr().String() + "/?kind=plate&src=/__test/sample.jpg"
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
		"--disable-dev-shm-usage", "--user-data-dir="+t.TempDir(),
		// Virtual time waits for the page's fetches before the DOM is dumped.
		"--virtual-time-budget=60000", "--dump-dom", url)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	dom := string(out)
	if !strings.Contains(dom, `class="record" data-kind="plate"`) {
		t.Fatalf("no plate record on the page:\n%s", dom)
	}
	if !strings.Contains(dom, "record(s) in") {
		t.Errorf("no status line:\n%s", dom)
	}
	i := strings.Index(dom, `id="records"`)
	t.Logf("page shows: %.300s", dom[i:])
}
