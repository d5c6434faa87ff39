package pipeline

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestCollectOCRBCells is not a test but the sample collection for the
// OCR-B cell classifier (cmd/ocrbtrain, scripts/train-ocrb-cells.sh): it
// scans the synthetic MRZ scenes of a manifest as MRZ requests and, for
// each zone the MRZ builder reports whose lines match the truth's within a
// quarter of their characters, places the truth's cells on the print as
// the reader places its own (lineCells) and writes each cell's ink at the
// glyph scale the line fits best, unshifted and at two random shifts
// within the shape search's reach. Fillers are kept one in seven. It runs
// only when DOCSCAN_OCRB_COLLECT names the output file
// (DOCSCAN_OCRB_MANIFEST the manifest, DOCSCAN_OCRB_SHARD "i/n" a share of
// its scenes).
//
// Output: "OCRS", the cell's width and height (uint16 LE), then per cell
// its character, its scene's index (uint16 LE), 0 (unshifted) or 1, and
// its w*h coverage bytes (0..255, row-major).
func TestCollectOCRBCells(t *testing.T) {
	out, manifest, b, shard, shards := collectEnv(t, "DOCSCAN_OCRB")
	var entries []struct {
		File  string `json:"file"`
		Truth struct {
			MRZ json.RawMessage `json:"mrz"` // lines, or one string of lines (../shared/data)
		} `json:"truth"`
	}
	if err := json.Unmarshal(b, &entries); err != nil {
		t.Fatal(err)
	}
	type entry struct {
		file string
		mrz  []string
	}
	scenes := make([]entry, len(entries))
	for i, e := range entries {
		scenes[i].file = e.File
		var one string
		if json.Unmarshal(e.Truth.MRZ, &scenes[i].mrz) != nil && json.Unmarshal(e.Truth.MRZ, &one) == nil && one != "" {
			scenes[i].mrz = strings.Split(strings.TrimSpace(one), "\n")
		}
	}
	cs, err := loadShapes()
	if err != nil {
		t.Fatal(err)
	}
	cf := createCellFile(t, out, cs.w, cs.h)

	var mu sync.Mutex
	var truth []string
	var scene int
	var rng *rand.Rand
	zones := 0
	write := func(c byte, kind byte, v []float64) { cf.write(c, scene, kind, v) }
	cellTap = func(read []string, place func(k int, text string) *cellGrid) {
		mu.Lock()
		defer mu.Unlock()
		if len(read) != len(truth) {
			return
		}
		for k := range read {
			if editDistance(read[k], truth[k]) > len(truth[k])/4 {
				return
			}
		}
		zones++
		for k, text := range truth {
			g := place(k, text)
			sc := newCellScorer(g, len(text))
			if sc == nil {
				continue
			}
			j, _ := sc.fit(text)
			for i := range text {
				if text[i] == '<' && rng.Intn(7) != 0 {
					continue
				}
				v := cs.cut(g, i, 0, 0, shapeScales[j])
				if v == nil {
					continue
				}
				write(text[i], 0, v)
				for r := 0; r < 2; r++ {
					dx := (2*rng.Float64() - 1) * shapeReach * shapeStepX
					dy := (2*rng.Float64() - 1) * shapeReach * shapeStepY
					if v := cs.cut(g, i, dx, dy, shapeScales[rng.Intn(len(shapeScales))]); v != nil {
						write(text[i], 1, v)
					}
				}
			}
		}
	}
	defer func() { cellTap = nil }()

	e := testEngines(t, Options{})
	dir := filepath.Dir(manifest)
	for i, sc := range scenes {
		if i%shards != shard || len(sc.mrz) == 0 {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, sc.file))
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		truth, scene, rng = sc.mrz, i, rand.New(rand.NewSource(int64(i)))
		mu.Unlock()
		e.Process(context.Background(), Request{File: sc.file, Data: data, Kind: "mrz"})
	}
	cf.close(t)
	t.Logf("%d zones, %d cells written to %s", zones, cf.n, out)
}

// cellFile is a cell sample file for cmd/ocrbtrain being written: "OCRS",
// the cell's width and height (uint16 LE), then per cell its class byte,
// its scene's index (uint16 LE), its kind (0 unshifted, 1 shifted) and
// its w*h coverage bytes (0..255, row-major).
type cellFile struct {
	f *os.File
	w *bufio.Writer
	n int // cells written
}

// createCellFile creates the file at path for cells of w x h.
func createCellFile(t *testing.T, path string, w, h int) *cellFile {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	c := &cellFile{f: f, w: bufio.NewWriter(f)}
	c.w.WriteString("OCRS")
	binary.Write(c.w, binary.LittleEndian, [2]uint16{uint16(w), uint16(h)})
	return c
}

// write adds a cell of coverage v (0..1).
func (c *cellFile) write(class byte, scene int, kind byte, v []float64) {
	c.w.WriteByte(class)
	binary.Write(c.w, binary.LittleEndian, uint16(scene))
	c.w.WriteByte(kind)
	for _, x := range v {
		c.w.WriteByte(byte(math.Round(255 * min(max(x, 0), 1))))
	}
	c.n++
}

// close flushes and closes the file.
func (c *cellFile) close(t *testing.T) {
	t.Helper()
	if err := c.w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := c.f.Close(); err != nil {
		t.Fatal(err)
	}
}

// collectEnv is a sample collection's set-up from the environment
// variables prefix_COLLECT (the output file; the test is skipped without
// it), prefix_MANIFEST (the scenes' manifest, read into data) and
// prefix_SHARD (the share "i/n" of the scenes to collect; all of them, 0
// of 1, when unset).
func collectEnv(t *testing.T, prefix string) (out, manifest string, data []byte, shard, shards int) {
	t.Helper()
	out = os.Getenv(prefix + "_COLLECT")
	if out == "" {
		t.Skipf("sample collection for cmd/ocrbtrain: set %s_COLLECT and %s_MANIFEST", prefix, prefix)
	}
	manifest = os.Getenv(prefix + "_MANIFEST")
	shard, shards = 0, 1
	if s := os.Getenv(prefix + "_SHARD"); s != "" {
		if _, err := fmt.Sscanf(s, "%d/%d", &shard, &shards); err != nil || shards < 1 || shard < 0 {
			t.Fatalf("%s_SHARD %q: want i/n", prefix, s)
		}
	}
	data, err := os.ReadFile(manifest)
	if err != nil {
		t.Fatal(err)
	}
	return out, manifest, data, shard, shards
}
