package benchmarks

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Report is the result of one Run.
type Report struct {
	Started     time.Time   `json:"started"`
	Quick       bool        `json:"quick"`
	Workers     int         `json:"workers"`
	NumCPU      int         `json:"num_cpu"`
	GOMAXPROCS  int         `json:"gomaxprocs"`
	GoVersion   string      `json:"go_version"`
	Interrupted bool        `json:"interrupted,omitempty"`
	RegionHint  bool        `json:"region_hint,omitempty"` // the scanner was told each plate's region
	ScanKind    string      `json:"scan_kind,omitempty"`   // what each image was scanned for (empty: auto)
	Sets        []SetReport `json:"sets"`
}

// SetReport is one manifest's results.
type SetReport struct {
	Name     string `json:"name"`
	Manifest string `json:"manifest"`
	// ManifestCount is the number of entries in the manifest; Count the
	// number scanned (after kind filter, quick mode and limit).
	ManifestCount int     `json:"manifest_count"`
	Count         int     `json:"count"`
	Errors        int     `json:"errors"`
	WallS         float64 `json:"wall_s"`
	ImagesPerSec  float64 `json:"images_per_s"`
	// PeakRSSMiB is the peak resident set size while the set ran (see
	// RSSSource: "VmHWM", "VmHWM (process lifetime)" or "go-sys"); 0 when unknown.
	PeakRSSMiB float64 `json:"peak_rss_mib"`
	RSSSource  string  `json:"rss_source,omitempty"`
	// Groups are sorted by name with the "all" row last.
	Groups []GroupReport `json:"groups"`
	// Misses are the entries that failed or missed a metric (Options.Details).
	Misses []Miss `json:"-"`
}

// GroupReport is one row of the table.
type GroupReport struct {
	Group  string `json:"group"`
	Count  int    `json:"count"`
	Errors int    `json:"errors"`
	// Metrics holds the metrics that apply to at least one entry of the group.
	Metrics         map[string]Stat `json:"metrics"`
	LatencyMedianMS float64         `json:"latency_median_ms"`
	LatencyP90MS    float64         `json:"latency_p90_ms"`
	// ImagesPerSec is set on the "all" row only: images over the set's wall time.
	ImagesPerSec float64 `json:"images_per_s,omitempty"`
	// StageMedianMS is the median of each Result.TimingsMS key.
	StageMedianMS map[string]float64 `json:"stage_median_ms,omitempty"`
}

// Miss is one entry that failed or missed a metric, for debugging.
type Miss struct {
	File         string          `json:"file"`
	Group        string          `json:"group"`
	Kind         string          `json:"kind"`
	Truth        Truth           `json:"truth"`
	BBox         *BBox           `json:"bbox,omitempty"`
	Scene        string          `json:"scene,omitempty"`
	Degradations []string        `json:"degradations,omitempty"`
	Failed       []string        `json:"failed,omitempty"`
	FieldMisses  []string        `json:"field_misses,omitempty"`
	Scores       map[string]Stat `json:"scores"`
	Error        string          `json:"error,omitempty"`
	LatencyMS    float64         `json:"latency_ms"`
	// Got are the records returned; text records only when text detection
	// missed (TextRecords counts those left out).
	Got         []json.RawMessage `json:"got"`
	TextRecords int               `json:"text_records_omitted,omitempty"`
}

// StageOrder is the column order of known pipeline stages; other timing keys
// follow in name order.
var StageOrder = []string{"decode", "normalize", "detect", "orientation", "ocr", "records", "total"}

// stages returns the timing keys present in the set, in StageOrder.
func (s *SetReport) stages() []string {
	seen := map[string]bool{}
	for _, g := range s.Groups {
		for k := range g.StageMedianMS {
			seen[k] = true
		}
	}
	return orderStages(seen)
}

func orderStages(seen map[string]bool) []string {
	var out []string
	for _, k := range StageOrder {
		if seen[k] {
			out = append(out, k)
			delete(seen, k)
		}
	}
	var rest []string
	for k := range seen {
		rest = append(rest, k)
	}
	sort.Strings(rest)
	return append(out, rest...)
}

// metrics returns the metrics with data in the set, in Metrics order.
func (s *SetReport) metrics() []MetricDef {
	var out []MetricDef
	for _, def := range Metrics {
		for _, g := range s.Groups {
			if g.Metrics[def.Name].N > 0 {
				out = append(out, def)
				break
			}
		}
	}
	return out
}

// FormatStat formats a metric value for the table: "80.4% (37/46)" for
// rates, "93.1% (n=19)" for means, "–" when it does not apply.
func FormatStat(def MetricDef, s Stat) string {
	if s.N == 0 {
		return "–"
	}
	pct := 100 * s.Value()
	if def.Mean {
		return fmt.Sprintf("%.1f%% (n=%d)", pct, s.N)
	}
	return fmt.Sprintf("%.1f%% (%d/%d)", pct, int(math.Round(s.Sum)), s.N)
}

func header(def MetricDef) string {
	if def.LowerIsBetter {
		return def.Short + " ↓"
	}
	return def.Short
}

func ms(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

// Markdown renders the report: per set, a table of accuracy, errors,
// latency and throughput per group, a table of median stage times, and the
// definitions of the metrics shown.
func (r *Report) Markdown() string {
	var b strings.Builder
	mode := "full"
	if r.Quick {
		mode = "quick"
	}
	fmt.Fprintf(&b, "Benchmark (%s run, %d worker(s), %d CPU(s), GOMAXPROCS %d, %s, %s)",
		mode, r.Workers, r.NumCPU, r.GOMAXPROCS, r.GoVersion, r.Started.Format("2006-01-02 15:04 MST"))
	if r.ScanKind != "" && r.ScanKind != "auto" {
		fmt.Fprintf(&b, ", scanned for %s only", r.ScanKind)
	}
	if r.RegionHint {
		b.WriteString(", plate region given per entry (--region-hint)")
	}
	if r.Interrupted {
		b.WriteString(", **interrupted**")
	}
	b.WriteString("\n")
	used := map[string]bool{}
	for i := range r.Sets {
		s := &r.Sets[i]
		fmt.Fprintf(&b, "\n### Set `%s`\n\n", s.Name)
		fmt.Fprintf(&b, "%d of %d images from `%s`, %d error(s), %.2f images/s, wall %.1f s", s.Count, s.ManifestCount, s.Manifest, s.Errors, s.ImagesPerSec, s.WallS)
		if s.PeakRSSMiB > 0 {
			fmt.Fprintf(&b, ", peak RSS %.0f MiB (%s)", s.PeakRSSMiB, s.RSSSource)
		}
		b.WriteString("\n\n")
		defs := s.metrics()
		cols := []string{"group", "n"}
		align := []string{"---", "--:"}
		for _, d := range defs {
			cols = append(cols, header(d))
			align = append(align, "--:")
			used[d.Name] = true
		}
		cols = append(cols, "errors", "median ms", "p90 ms", "images/s")
		align = append(align, "--:", "--:", "--:", "--:")
		writeRow(&b, cols)
		writeRow(&b, align)
		for _, g := range s.Groups {
			name := g.Group
			if name == AllGroup {
				name = "**all**"
			}
			row := []string{name, fmt.Sprint(g.Count)}
			for _, d := range defs {
				row = append(row, FormatStat(d, g.Metrics[d.Name]))
			}
			ips := "–"
			if g.ImagesPerSec > 0 {
				ips = fmt.Sprintf("%.2f", g.ImagesPerSec)
			}
			row = append(row, fmt.Sprint(g.Errors), ms(g.LatencyMedianMS), ms(g.LatencyP90MS), ips)
			writeRow(&b, row)
		}
		if stages := s.stages(); len(stages) > 0 {
			b.WriteString("\nMedian time per stage (ms, from the scan's timings_ms):\n\n")
			writeRow(&b, append([]string{"group"}, stages...))
			align := []string{"---"}
			for range stages {
				align = append(align, "--:")
			}
			writeRow(&b, align)
			for _, g := range s.Groups {
				name := g.Group
				if name == AllGroup {
					name = "**all**"
				}
				row := []string{name}
				for _, st := range stages {
					if v, ok := g.StageMedianMS[st]; ok {
						row = append(row, ms(v))
					} else {
						row = append(row, "–")
					}
				}
				writeRow(&b, row)
			}
		}
	}
	if len(used) > 0 {
		b.WriteString("\nMetrics (↓: lower is better; latency is wall time around each scan):\n\n")
		for _, d := range Metrics {
			if used[d.Name] {
				fmt.Fprintf(&b, "- **%s** (`%s`, %s): %s.\n", d.Short, d.Name, d.AppliesTo, d.Desc)
			}
		}
	}
	return b.String()
}

func writeRow(b *strings.Builder, cells []string) {
	b.WriteString("|")
	for _, c := range cells {
		b.WriteString(" ")
		b.WriteString(strings.ReplaceAll(c, "|", `\|`))
		b.WriteString(" |")
	}
	b.WriteString("\n")
}

// JSON renders the report with the definitions of every metric.
func (r *Report) JSON() ([]byte, error) {
	return json.MarshalIndent(struct {
		*Report
		Definitions []MetricDef `json:"metric_definitions"`
	}{r, Metrics}, "", "  ")
}

// MissesJSON renders the misses of every set (Options.Details) as a list.
func (r *Report) MissesJSON() ([]byte, error) {
	type setMiss struct {
		Set string `json:"set"`
		Miss
	}
	out := []setMiss{}
	for _, s := range r.Sets {
		for _, m := range s.Misses {
			out = append(out, setMiss{s.Name, m})
		}
	}
	return json.MarshalIndent(out, "", "  ")
}

// Write writes report.md, report.json and report.svg into dir (created when
// missing), and misses.json when any set kept misses.
func (r *Report) Write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	js, err := r.JSON()
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	files := map[string][]byte{
		"report.md":   []byte(r.Markdown()),
		"report.json": append(js, '\n'),
		"report.svg":  r.SVG(),
	}
	for _, s := range r.Sets {
		if len(s.Misses) > 0 {
			mj, err := r.MissesJSON()
			if err != nil {
				return fmt.Errorf("write report: %w", err)
			}
			files["misses.json"] = append(mj, '\n')
			break
		}
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	}
	return nil
}
