package pipeline

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"docscan/geom"
)

// sample is an entry of testdata/samples/manifest.json with its image.
type sample struct {
	File  string
	Kind  string
	Quad  geom.Quad
	Truth struct {
		MRZ            []string
		Plate, Display string
	}
	Data []byte `json:"-"`
}

// samples reads the bundled samples of one kind (at least one).
func samples(t *testing.T, kind string) []sample {
	return manifestSamples(t, "../testdata/samples", kind)
}

// manifestSamples reads the entries of one kind (at least one) of the
// manifest in dir, with their images.
func manifestSamples(t *testing.T, dir, kind string) []sample {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var all []sample
	if err := json.Unmarshal(raw, &all); err != nil {
		t.Fatal(err)
	}
	var out []sample
	for _, s := range all {
		if s.Kind != kind {
			continue
		}
		if s.Data, err = os.ReadFile(filepath.Join(dir, s.File)); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		t.Fatalf("no %s entries in %s", kind, dir)
	}
	return out
}
