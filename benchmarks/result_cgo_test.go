//go:build cgo

package benchmarks

import (
	"context"
	"encoding/json"
	"reflect"
	"sort"
	"testing"

	"docscan/pipeline"
)

// TestPipelineTypes checks, in the cgo build, that the pipeline's own types
// work with the harness: a func returning *pipeline.Result is a Scanner, a
// pipeline.TextRegion record is scored, and the scan object has the JSON
// keys that the pure-Go mirror (result_nocgo.go) declares.
func TestPipelineTypes(t *testing.T) {
	var _ Scanner = ScannerFunc(func(context.Context, string) (*pipeline.Result, error) { return nil, nil })
	e := &Entry{File: "a.jpg", Kind: "plate", Truth: Truth{Plate: "FWE50"}, BBox: &BBox{X: 10, Y: 10, W: 90, H: 20}}
	res := &pipeline.Result{Records: []pipeline.Record{pipeline.TextRegion{Kind: "text", Text: "FWE50",
		Quad: pipeline.Quad{{10, 10}, {100, 10}, {100, 30}, {10, 30}}}}}
	if got := Score(e, res).Metrics[TextDetRecall].Value(); got != 1 {
		t.Errorf("text_det_recall of a pipeline.TextRegion = %v", got)
	}
	full := pipeline.Result{File: "f", Quality: &pipeline.Quality{}, Error: &pipeline.ErrorBody{}}
	for _, tc := range []struct {
		v    any
		keys []string
	}{
		{full, []string{"error", "file", "quality", "records", "timings_ms"}},
		{pipeline.ErrorBody{}, []string{"code", "message"}},
		{pipeline.Quality{}, []string{"blur", "glare", "height", "warnings", "width"}},
	} {
		b, err := json.Marshal(tc.v)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		var keys []string
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if !reflect.DeepEqual(keys, tc.keys) {
			t.Errorf("%T JSON keys %v, the mirror in result_nocgo.go has %v: update it", tc.v, keys, tc.keys)
		}
	}
}
