package models

import (
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	ort "github.com/yalue/onnxruntime_go"
)

// TestRunOptionsLayout guards the one unsafe step of newShrinkRunOptions:
// ort.RunOptions must be exactly one pointer to the native options.
func TestRunOptionsLayout(t *testing.T) {
	rt := reflect.TypeOf(ort.RunOptions{})
	if rt.NumField() != 1 || rt.Field(0).Type.Kind() != reflect.Pointer || rt.Size() != reflect.TypeOf(ortRunOptions{}).Size() {
		t.Fatalf("ort.RunOptions changed layout (%d fields, size %d): update arena.go", rt.NumField(), rt.Size())
	}
}

// testAssets locates the model assets and loads ONNX Runtime. Without them
// the test is skipped with a message, unless DOCSCAN_REQUIRE_ASSETS=1 (set
// by `make test`) makes that a failure.
func testAssets(tb testing.TB) Assets {
	tb.Helper()
	a, err := Locate("", "")
	if err != nil {
		if os.Getenv("DOCSCAN_REQUIRE_ASSETS") == "1" {
			tb.Fatal(err)
		}
		tb.Skipf("model assets absent (run `make deps`): %v", err)
	}
	if err := Init(a.ORTLib); err != nil {
		tb.Fatal(err)
	}
	return a
}

// rssMiB is this process's resident size.
func rssMiB(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	f := strings.Fields(string(b))
	pages, _ := strconv.Atoi(f[1])
	return pages * os.Getpagesize() >> 20
}

// TestDetectorShrinkArena runs the text detector on a large input with and
// without arena shrinkage: both give the same probability map, and only
// the shrinking one hands the arena's memory back after the run.
func TestDetectorShrinkArena(t *testing.T) {
	a := testAssets(t)
	const w, h = 1280, 1280
	in := make([]float32, 3*w*h)
	for i := range in {
		in[i] = float32((i*7919)%255)/127.5 - 1
	}
	shape := []int64{1, 3, h, w}
	run := func(shrink bool) ([]float32, int) {
		d, err := NewDetector(a, SessionOptions{ShrinkArena: shrink}, DBOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		TrimHeap()
		before := rssMiB(t)
		var out []float32
		for i := 0; i < 2; i++ {
			if out, _, err = d.s.run(shape, in); err != nil {
				t.Fatal(err)
			}
		}
		TrimHeap()
		return out, rssMiB(t) - before
	}
	shrunk, grewShrink := run(true)
	kept, grewKeep := run(false)
	t.Logf("resident growth after two %dx%d runs: %d MiB with shrinkage, %d MiB without", w, h, grewShrink, grewKeep)
	if len(shrunk) != len(kept) {
		t.Fatalf("outputs differ in size: %d vs %d", len(shrunk), len(kept))
	}
	for i := range kept {
		if d := shrunk[i] - kept[i]; d > 1e-4 || d < -1e-4 {
			t.Fatalf("output %d differs: %v vs %v", i, shrunk[i], kept[i])
		}
	}
	if grewKeep < 200 || grewShrink*3 > grewKeep {
		t.Errorf("arena shrinkage did not hand memory back: %d MiB kept with it, %d MiB without", grewShrink, grewKeep)
	}
}

// TestKeepArenaBelow: a session that shrinks its arena runs inputs up to
// its keep limit (the recognizer's: lines up to recKeepWidth) without the
// shrinking options, larger ones with them; one that does not shrink never
// has options.
func TestKeepArenaBelow(t *testing.T) {
	ro := &ort.RunOptions{}
	s := &session{ro: ro, keep: 3 * 48 * recKeepWidth}
	for _, c := range []struct {
		n    int
		want *ort.RunOptions
	}{{3 * 48 * 320, nil}, {3 * 48 * 1536, nil}, {3 * 48 * 2048, ro}} {
		if got := s.runOptions(c.n); got != c.want {
			t.Errorf("%d values: options %p, want %p", c.n, got, c.want)
		}
	}
	if got := (&session{keep: 0}).runOptions(10); got != nil {
		t.Errorf("a session without shrinking ran with options %p", got)
	}
	if got := (&session{ro: ro}).runOptions(1); got != ro {
		t.Errorf("a session that keeps nothing ran without its options")
	}
}
