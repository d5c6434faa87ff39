package benchmarks

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"docscan/mrz"
)

// oracle answers every entry with the records a perfect scanner would
// return, except for the files listed in wrong (plate misread, MRZ off by
// one character but claimed valid), fail (scan error), bad (result error)
// and boom (panic).
type oracle struct {
	entries                map[string]*Entry
	wrong, fail, bad, boom map[string]bool
	calls                  atomic.Int64
}

func newOracle(t *testing.T, m *Manifest) *oracle {
	t.Helper()
	o := &oracle{entries: map[string]*Entry{}, wrong: map[string]bool{}, fail: map[string]bool{}, bad: map[string]bool{}, boom: map[string]bool{}}
	for i := range m.Entries {
		o.entries[m.Entries[i].Path(m.Dir)] = &m.Entries[i]
	}
	return o
}

func (o *oracle) ScanFile(ctx context.Context, path string) (*Result, error) {
	o.calls.Add(1)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	e, ok := o.entries[path]
	if !ok {
		return nil, errors.New("unknown file " + path)
	}
	name := filepath.Base(path)
	switch {
	case o.fail[name]:
		return nil, errors.New("decoder exploded")
	case o.bad[name]:
		return &Result{File: path, Records: []Record{}, Error: &ErrorBody{Code: "unreadable_image", Message: "not an image"}}, nil
	case o.boom[name]:
		panic("index out of range")
	}
	res := &Result{File: path, TimingsMS: map[string]float64{"decode": 2, "detect": 10, "ocr": 20, "total": 33}}
	wrong := o.wrong[name]
	if e.Truth.Plate != "" {
		text := e.Truth.Plate
		if wrong {
			text += "X"
		}
		res.Records = append(res.Records, map[string]any{"kind": "plate", "text": text, "valid": true})
	}
	if b := e.BBox; b != nil {
		res.Records = append(res.Records, textRegion{Kind: "text", Text: e.Truth.Plate, Confidence: 0.9,
			Quad: [4][2]float64{{b.X, b.Y}, {b.X + b.W, b.Y}, {b.X + b.W, b.Y + b.H}, {b.X, b.Y + b.H}}})
	}
	if len(e.Truth.MRZ) > 0 {
		lines := append([]string(nil), e.Truth.MRZ...)
		if wrong {
			lines[0] = "X" + lines[0][1:]
		}
		// The oracle says valid=false for printed lines that fail the checks
		// themselves; a wrong reading claims valid=true (a false accept).
		valid := wrong
		if t, err := mrz.Parse(e.Truth.MRZ, mrz.Options{}); err == nil && t.Valid {
			valid = true
		}
		res.Records = append(res.Records, map[string]any{"kind": "mrz", "lines": lines, "valid": valid})
	}
	if len(e.Truth.Fields) > 0 || e.Truth.DocumentType != "" || e.Truth.Quad != nil {
		fields := map[string]any{}
		for k, v := range e.Truth.Fields {
			fields[k] = map[string]any{"value": v, "confidence": 0.9}
		}
		res.Records = append(res.Records, map[string]any{"kind": "document", "document_type": e.Truth.DocumentType,
			"fields": fields, "quad": e.Truth.Quad})
	}
	return res, nil
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

const smallManifest = `[
 {"file": "p/eu1.jpg", "kind": "plate", "truth": {"plate": "FWE50", "region": "eu"}, "bbox": {"x": 10, "y": 10, "w": 90, "h": 20}},
 {"file": "p/eu2.jpg", "kind": "plate", "truth": {"plate": "WOBVWMK4", "region": "eu"}, "bbox": {"x": 10, "y": 10, "w": 90, "h": 20}},
 {"file": "p/eu3.jpg", "kind": "plate", "truth": {"plate": "AB123", "region": "eu"}, "bbox": {"x": 10, "y": 10, "w": 90, "h": 20}},
 {"file": "p/eu4.jpg", "kind": "plate", "truth": {"plate": "CD456", "region": "eu"}, "bbox": {"x": 10, "y": 10, "w": 90, "h": 20}},
 {"file": "p/us1.jpg", "kind": "plate", "truth": {"plate": "7ABC123", "region": "us"}},
 {"file": "p/us2.jpg", "kind": "plate", "truth": {"plate": "8XYZ999", "region": "us"}},
 {"file": "m/td1.jpg", "kind": "mrz", "truth": {"mrz": ["IDD<<T220001293<<<<<<<<<<<<<<<", "6408125<2010315D<<<<<<<<<<<<<4", "MUSTERMANN<<ERIKA<<<<<<<<<<<<<"]}},
 {"file": "m/td1b.jpg", "kind": "mrz", "truth": {"mrz": ["IDD<<T220001293<<<<<<<<<<<<<<<", "6408125<2010315D<<<<<<<<<<<<<4", "MUSTERMANN<<ERIKA<<<<<<<<<<<<<"]}},
 {"file": "m/boom.jpg", "kind": "mrz", "truth": {"mrz": ["P<UTO"]}},
 {"file": "d/lic.jpg", "kind": "licence", "truth": {"surname": "MARTIN", "given_names": "PAUL", "date_of_birth": "1981-07-14"}},
 {"file": "d/id<&>.jpg", "kind": "document", "group": "id \"card\" <&>", "truth": {"document_type": "id_card", "quad": [[0,0],[100,0],[100,60],[0,60]], "fields": {"surname": "X"}}}
]`

func smallSet(t *testing.T) (string, *oracle) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "small", "manifest.json")
	writeFile(t, path, smallManifest)
	m, err := LoadManifest(path)
	if err != nil {
		t.Fatal(err)
	}
	o := newOracle(t, m)
	o.wrong["eu2.jpg"] = true
	o.wrong["td1b.jpg"] = true
	o.fail["eu4.jpg"] = true
	o.bad["us2.jpg"] = true
	o.boom["boom.jpg"] = true
	return path, o
}

func group(t *testing.T, s *SetReport, name string) GroupReport {
	t.Helper()
	for _, g := range s.Groups {
		if g.Group == name {
			return g
		}
	}
	t.Fatalf("no group %q in %v", name, s.Groups)
	return GroupReport{}
}

func TestRun(t *testing.T) {
	path, o := smallSet(t)
	var progress bytes.Buffer
	rep, err := Run(context.Background(), o, Options{Manifest: path, Workers: 3, Details: true, Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Sets) != 1 {
		t.Fatalf("%d sets", len(rep.Sets))
	}
	s := &rep.Sets[0]
	if s.Name != "small" || s.Count != 11 || s.ManifestCount != 11 || s.Errors != 3 {
		t.Errorf("set %q count %d/%d errors %d, want small 11/11 3", s.Name, s.Count, s.ManifestCount, s.Errors)
	}
	var names []string
	for _, g := range s.Groups {
		names = append(names, g.Group)
	}
	if want := `id "card" <&>,licence,mrz,plate/eu,plate/us,all`; strings.Join(names, ",") != want {
		t.Errorf("groups %v, want %s", names, want)
	}
	eu := group(t, s, "plate/eu")
	if eu.Count != 4 || eu.Errors != 1 {
		t.Errorf("eu count %d errors %d", eu.Count, eu.Errors)
	}
	if r := eu.Metrics[PlateRead]; r.Sum != 2 || r.N != 4 { // eu1, eu3 (eu2 wrong, eu4 failed)
		t.Errorf("eu plate_read %+v, want 2/4", r)
	}
	if r := eu.Metrics[TextDetRecall]; r.Sum != 3 || r.N != 4 {
		t.Errorf("eu text_det_recall %+v, want 3/4", r)
	}
	if r := group(t, s, "plate/us").Metrics[TextDetRecall]; r.N != 0 {
		t.Errorf("us has no bboxes, text_det_recall %+v", r)
	}
	mrz := group(t, s, "mrz")
	if r := mrz.Metrics[MRZExact]; r.Sum != 1 || r.N != 3 {
		t.Errorf("mrz_exact %+v, want 1/3", r)
	}
	if r := mrz.Metrics[MRZFalseAccept]; r.Sum != 1 || r.N != 3 {
		t.Errorf("mrz_false_accept %+v, want 1/3", r)
	}
	if mrz.Errors != 1 {
		t.Errorf("panic not counted as an error: %d", mrz.Errors)
	}
	lic := group(t, s, "licence")
	if r := lic.Metrics[FieldAcc]; r.Sum != 3 || r.N != 3 {
		t.Errorf("licence field_acc %+v", r)
	}
	doc := group(t, s, `id "card" <&>`)
	if doc.Metrics[DocType].Value() != 1 || doc.Metrics[CornerHit].Value() != 1 || doc.Metrics[CornerErr].Value() != 0 {
		t.Errorf("document metrics %+v", doc.Metrics)
	}
	all := s.Groups[len(s.Groups)-1]
	if all.Count != 11 || all.Errors != 3 || all.ImagesPerSec <= 0 || all.ImagesPerSec != s.ImagesPerSec {
		t.Errorf("all row %+v", all)
	}
	if r := all.Metrics[PlateRead]; r.Sum != 3 || r.N != 6 {
		t.Errorf("all plate_read %+v, want 3/6", r)
	}
	if all.StageMedianMS["ocr"] != 20 || all.StageMedianMS["total"] != 33 {
		t.Errorf("stage medians %v", all.StageMedianMS)
	}
	if all.LatencyP90MS < all.LatencyMedianMS {
		t.Errorf("p90 %v < median %v", all.LatencyP90MS, all.LatencyMedianMS)
	}
	if got := strings.Count(progress.String(), "\n"); got != 11 {
		t.Errorf("%d progress lines, want 11:\n%s", got, progress.String())
	}
	missed := map[string]Miss{}
	for _, m := range s.Misses {
		missed[filepath.Base(m.File)] = m
	}
	for _, f := range []string{"eu2.jpg", "eu4.jpg", "us2.jpg", "td1b.jpg", "boom.jpg"} {
		if _, ok := missed[f]; !ok {
			t.Errorf("%s not among the misses", f)
		}
	}
	if len(missed) != 5 {
		t.Errorf("%d misses, want 5", len(missed))
	}
	if m := missed["eu2.jpg"]; len(m.Failed) != 1 || m.Failed[0] != PlateRead || len(m.Got) != 1 || m.TextRecords != 1 {
		t.Errorf("eu2 miss %+v", m)
	}
	if m := missed["boom.jpg"]; !strings.Contains(m.Error, "panic") {
		t.Errorf("boom miss error %q", m.Error)
	}
	if rep.Sets[0].PeakRSSMiB <= 0 {
		t.Logf("no peak RSS on this system (%q)", rep.Sets[0].RSSSource)
	}
}

func metricsOf(rep *Report) map[string]map[string]Stat {
	out := map[string]map[string]Stat{}
	for _, s := range rep.Sets {
		for _, g := range s.Groups {
			out[s.Name+"/"+g.Group] = g.Metrics
		}
	}
	return out
}

func TestRunWorkersAgree(t *testing.T) {
	path, o := smallSet(t)
	one, err := Run(context.Background(), o, Options{Manifest: path, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	many, err := Run(context.Background(), o, Options{Manifest: path, Workers: 8})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(metricsOf(one))
	b, _ := json.Marshal(metricsOf(many))
	if !bytes.Equal(a, b) {
		t.Errorf("metrics differ with 1 and 8 workers:\n%s\n%s", a, b)
	}
}

func TestRunSelection(t *testing.T) {
	path, o := smallSet(t)
	synth := filepath.Join(filepath.Dir(path), "synth.json")
	writeFile(t, synth, synthManifest)
	rep, err := Run(context.Background(), ScannerFunc(func(ctx context.Context, p string) (*Result, error) {
		if strings.Contains(p, "0001.png") {
			return &Result{}, nil
		}
		return o.ScanFile(ctx, p)
	}), Options{Manifest: path, Set: "real", Manifests: []string{"gen=" + synth}, Quick: true, QuickPerGroup: 1, Kinds: []string{"plate", "mrz"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Sets) != 2 || rep.Sets[0].Name != "real" || rep.Sets[1].Name != "gen" {
		t.Fatalf("sets %+v", rep.Sets)
	}
	if c := rep.Sets[0].Count; c != 3 { // one each of plate/eu, plate/us, mrz
		t.Errorf("quick real set scanned %d, want 3", c)
	}
	if c := rep.Sets[1].Count; c != 1 { // the document is filtered out by kind
		t.Errorf("quick gen set scanned %d, want 1", c)
	}
	if !rep.Quick {
		t.Error("report not marked quick")
	}
	rep, err = Run(context.Background(), o, Options{Manifest: path, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Sets[0].Count != 2 {
		t.Errorf("limit 2 scanned %d", rep.Sets[0].Count)
	}
	if _, err := Run(context.Background(), o, Options{}); err == nil {
		t.Error("no manifest: no error")
	}
	if _, err := Run(context.Background(), o, Options{Manifest: filepath.Join(t.TempDir(), "none.json")}); err == nil {
		t.Error("missing manifest: no error")
	}
}

func TestRunCancel(t *testing.T) {
	path, o := smallSet(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var n atomic.Int64
	s := ScannerFunc(func(c context.Context, p string) (*Result, error) {
		if n.Add(1) == 3 {
			cancel()
			return nil, c.Err()
		}
		return o.ScanFile(c, p)
	})
	rep, err := Run(ctx, s, Options{Manifest: path, Manifests: []string{path}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if rep == nil || !rep.Interrupted || len(rep.Sets) != 1 {
		t.Fatalf("report %+v", rep)
	}
	if c := rep.Sets[0].Count; c != 2 {
		t.Errorf("interrupted set counts %d images, want the 2 finished", c)
	}
	if n.Load() > 4 {
		t.Errorf("%d scans after cancel", n.Load())
	}
}

// checkXML decodes every token of b.
func checkXML(t *testing.T, b []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	var root string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, b)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
			if se.Name.Space != "http://www.w3.org/2000/svg" {
				t.Errorf("root namespace %q", se.Name.Space)
			}
		}
	}
	if root != "svg" {
		t.Errorf("root element %q, want svg", root)
	}
}

func TestReportOutputs(t *testing.T) {
	path, o := smallSet(t)
	rep, err := Run(context.Background(), o, Options{Manifest: path, Manifests: []string{"second=" + path}, Workers: 2, Details: true})
	if err != nil {
		t.Fatal(err)
	}
	svg := rep.SVG()
	checkXML(t, svg)
	for _, want := range []string{"Accuracy per group", "Median time per stage", "accuracy (%)", "milliseconds per image", "small · plate/eu", "second · all", "&lt;&amp;&gt;"} {
		if !bytes.Contains(svg, []byte(want)) {
			t.Errorf("SVG lacks %q", want)
		}
	}

	md := rep.Markdown()
	for _, want := range []string{"### Set `small`", "### Set `second`", "| **all** | 11 |", "| plate read |", "MRZ FP ↓", "50.0% (2/4)", "| decode |", "text_det_recall"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}

	dir := filepath.Join(t.TempDir(), "out")
	if err := rep.Write(dir); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"report.md", "report.json", "report.svg", "misses.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Sets []struct {
			Name   string `json:"name"`
			Groups []struct {
				Group   string `json:"group"`
				Metrics map[string]struct {
					Value *float64 `json:"value"`
					N     int      `json:"n"`
				} `json:"metrics"`
			} `json:"groups"`
		} `json:"sets"`
		Definitions []MetricDef `json:"metric_definitions"`
	}
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Sets) != 2 || len(back.Definitions) != len(Metrics) {
		t.Fatalf("report.json: %d sets, %d definitions", len(back.Sets), len(back.Definitions))
	}
	eu := back.Sets[0].Groups[3]
	if v := eu.Metrics[PlateRead].Value; eu.Group != "plate/eu" || v == nil || *v != 0.5 {
		t.Errorf("report.json plate/eu %+v", eu)
	}
	var misses []map[string]any
	mb, _ := os.ReadFile(filepath.Join(dir, "misses.json"))
	if err := json.Unmarshal(mb, &misses); err != nil || len(misses) != 10 {
		t.Errorf("misses.json: %d entries, %v", len(misses), err)
	}
}

func TestSVGEdgeCases(t *testing.T) {
	checkXML(t, (&Report{}).SVG())
	noMetrics := &Report{Sets: []SetReport{{Name: "x", Groups: []GroupReport{{Group: "all", Count: 1, LatencyMedianMS: 0}}}}}
	checkXML(t, noMetrics.SVG())
	for _, max := range []float64{0, 0.3, 7, 99, 1234} {
		ticks := niceTicks(max)
		if ticks[0] != 0 || ticks[len(ticks)-1] < max || len(ticks) > 12 {
			t.Errorf("niceTicks(%v) = %v", max, ticks)
		}
	}
	if md := (&Report{}).Markdown(); !strings.Contains(md, "Benchmark") {
		t.Errorf("empty markdown %q", md)
	}
}

func TestFormatStat(t *testing.T) {
	rate, _ := MetricByName(PlateRead)
	mean, _ := MetricByName(MRZCharAcc)
	for _, tc := range []struct {
		def  MetricDef
		s    Stat
		want string
	}{
		{rate, Stat{Sum: 37, N: 46}, "80.4% (37/46)"},
		{rate, Stat{}, "–"},
		{mean, Stat{Sum: 17.5, N: 19}, "92.1% (n=19)"},
	} {
		if got := FormatStat(tc.def, tc.s); got != tc.want {
			t.Errorf("FormatStat = %q, want %q", got, tc.want)
		}
	}
	b, _ := json.Marshal(Stat{})
	if string(b) != `{"value":null,"sum":0,"n":0}` {
		t.Errorf("empty stat JSON %s", b)
	}
}

// TestOracleOnSharedData runs a scanner that answers from the truth over
// ../shared/data: every accuracy metric must come out perfect, which checks
// that scoring reads the real truth (licence field names, O/0 labels,
// bboxes) the way the records carry it.
func TestOracleOnSharedData(t *testing.T) {
	if _, err := os.Stat(sharedManifest); err != nil {
		t.Skipf("shared data not present (%s): %v", sharedManifest, err)
	}
	m, err := LoadManifest(sharedManifest)
	if err != nil {
		t.Fatal(err)
	}
	o := newOracle(t, m)
	rep, err := Run(context.Background(), o, Options{Manifest: sharedManifest, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	s := rep.Sets[0]
	if s.Count != len(m.Entries) || s.Errors != 0 {
		t.Errorf("count %d errors %d", s.Count, s.Errors)
	}
	all := s.Groups[len(s.Groups)-1]
	for name, st := range all.Metrics {
		def, _ := MetricByName(name)
		want := 1.0
		if def.LowerIsBetter {
			want = 0
		}
		if v := st.Value(); math.Abs(v-want) > 1e-9 {
			t.Errorf("%s = %v over %d, want %v", name, v, st.N, want)
		}
	}
	for _, name := range []string{PlateRead, TextDetRecall, MRZExact, FieldAcc} {
		if all.Metrics[name].N == 0 {
			t.Errorf("%s not scored on the shared data", name)
		}
	}
	t.Logf("\n%s", rep.Markdown())
}

// TestRegionHint: with RegionHint the scanner sees each entry's plate
// region (US for plate/us, "" for Europe at large), without it nothing,
// and the report says so.
func TestRegionHint(t *testing.T) {
	path, o := smallSet(t)
	for _, hint := range []bool{false, true} {
		var mu sync.Mutex
		seen := map[string]string{}
		rep, err := Run(context.Background(), ScannerFunc(func(ctx context.Context, p string) (*Result, error) {
			mu.Lock()
			seen[p] = RegionOf(ctx)
			mu.Unlock()
			return o.ScanFile(ctx, p)
		}), Options{Manifest: path, Kinds: []string{"plate"}, RegionHint: hint, ScanKind: "plate", Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		if rep.RegionHint != hint || !strings.Contains(rep.Markdown(), "scanned for plate only") {
			t.Errorf("hint %v: report %v / %q", hint, rep.RegionHint, strings.SplitN(rep.Markdown(), "\n", 2)[0])
		}
		us := 0
		for p, r := range seen {
			switch {
			case !hint && r != "":
				t.Errorf("no hint: %s saw %q", p, r)
			case hint && strings.Contains(p, "us") && r != "US":
				t.Errorf("hint: %s saw %q, want US", p, r)
			case r == "US":
				us++
			}
		}
		if hint && us == 0 {
			t.Errorf("hint: no entry saw US (%v)", seen)
		}
	}
}
