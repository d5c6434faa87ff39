package benchmarks

import (
	"fmt"
	"math"
	"strings"
)

// Chart geometry, in SVG user units (pixels).
const (
	svgWidth   = 960
	svgLabelW  = 210 // row labels on the left
	svgRightW  = 90  // room for value labels
	svgBarH    = 12
	svgBarGap  = 2
	svgRowGap  = 10
	svgAxisH   = 40 // ticks, tick labels and axis label below a panel
	svgLegendH = 22
)

var palette = []string{
	"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2",
	"#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
}

var svgEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")

func esc(s string) string { return svgEscaper.Replace(s) }

type svgDoc struct {
	b strings.Builder
	y float64 // top of the next element
}

func (d *svgDoc) printf(format string, args ...any) { fmt.Fprintf(&d.b, format, args...) }

func (d *svgDoc) text(x, y float64, anchor, weight, s string) {
	d.printf(`<text x="%.1f" y="%.1f" text-anchor="%s" font-weight="%s">%s</text>`+"\n", x, y, anchor, weight, esc(s))
}

func (d *svgDoc) rect(x, y, w, h float64, fill, title string) {
	d.printf(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s</title></rect>`+"\n", x, y, math.Max(w, 0), h, fill, esc(title))
}

// legend draws colour keys in one or more lines and advances y.
func (d *svgDoc) legend(names []string, colors []string) {
	x := float64(svgLabelW)
	for i, n := range names {
		w := float64(24 + 7*len([]rune(n)))
		if x+w > svgWidth-10 {
			x = svgLabelW
			d.y += svgLegendH
		}
		d.printf(`<rect x="%.1f" y="%.1f" width="12" height="12" fill="%s"/>`+"\n", x, d.y, colors[i])
		d.text(x+16, d.y+10, "start", "normal", n)
		x += w
	}
	d.y += svgLegendH
}

// xAxis draws gridlines from top to d.y, ticks and labels below, and the axis label.
func (d *svgDoc) xAxis(top float64, ticks []float64, scale func(float64) float64, format func(float64) string, label string) {
	for _, t := range ticks {
		x := scale(t)
		d.printf(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/>`+"\n", x, top, x, d.y)
		d.printf(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#333"/>`+"\n", x, d.y, x, d.y+4)
		d.text(x, d.y+16, "middle", "normal", format(t))
	}
	d.printf(`<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#333"/>`+"\n", svgLabelW, d.y, svgWidth-svgRightW, d.y)
	d.printf(`<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#333"/>`+"\n", svgLabelW, top, svgLabelW, d.y)
	d.text(float64(svgLabelW+(svgWidth-svgRightW-svgLabelW)/2), d.y+34, "middle", "normal", label)
	d.y += svgAxisH
}

// niceTicks returns 0 and multiples of a 1-2-5 step up to at least max.
func niceTicks(max float64) []float64 {
	if max <= 0 || math.IsNaN(max) || math.IsInf(max, 0) {
		max = 1
	}
	raw := max / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	var out []float64
	for v := 0.0; ; v += step {
		out = append(out, v)
		if v >= max-1e-9 {
			break
		}
	}
	return out
}

type chartRow struct {
	label string
	g     *GroupReport
}

func (r *Report) chartRows() []chartRow {
	var rows []chartRow
	for i := range r.Sets {
		s := &r.Sets[i]
		for j := range s.Groups {
			label := s.Groups[j].Group
			if len(r.Sets) > 1 {
				label = s.Name + " · " + label
			}
			rows = append(rows, chartRow{label, &s.Groups[j]})
		}
	}
	return rows
}

// SVG draws the report as a standalone SVG image: a panel of horizontal bars
// of each accuracy metric per group (higher is better; error rates are left
// to the table), and a panel of stacked bars of the median time per pipeline
// stage per group, with a black tick at the median wall latency.
func (r *Report) SVG() []byte {
	d := &svgDoc{}
	rows := r.chartRows()
	plotW := float64(svgWidth - svgLabelW - svgRightW)

	// Panel 1: accuracy.
	var accDefs []MetricDef
	for _, def := range Metrics {
		if def.LowerIsBetter {
			continue
		}
		for _, row := range rows {
			if row.g.Metrics[def.Name].N > 0 {
				accDefs = append(accDefs, def)
				break
			}
		}
	}
	color := map[string]string{}
	var accNames, accColors []string
	for i, def := range accDefs {
		color[def.Name] = palette[i%len(palette)]
		accNames = append(accNames, def.Short)
		accColors = append(accColors, color[def.Name])
	}
	d.y = 24
	mode := "full run"
	if r.Quick {
		mode = "quick run"
	}
	d.text(10, d.y, "start", "bold", fmt.Sprintf("docscan benchmark (%s, %d worker(s), %d CPU(s))", mode, r.Workers, r.NumCPU))
	d.y += 28
	d.text(10, d.y, "start", "bold", "Accuracy per group")
	d.y += 12
	if len(accDefs) == 0 {
		d.y += 14
		d.text(svgLabelW, d.y, "start", "normal", "no accuracy metric applies")
		d.y += 20
	} else {
		d.legend(accNames, accColors)
		top := d.y
		scale := func(v float64) float64 { return svgLabelW + plotW*v/100 }
		for _, row := range rows {
			var defs []MetricDef
			for _, def := range accDefs {
				if row.g.Metrics[def.Name].N > 0 {
					defs = append(defs, def)
				}
			}
			if len(defs) == 0 {
				continue
			}
			d.y += svgRowGap / 2
			h := float64(len(defs)*(svgBarH+svgBarGap) - svgBarGap)
			d.text(svgLabelW-8, d.y+h/2+4, "end", weightOf(row.g), fmt.Sprintf("%s (n=%d)", row.label, row.g.Count))
			for _, def := range defs {
				st := row.g.Metrics[def.Name]
				v := 100 * st.Value()
				title := fmt.Sprintf("%s %s: %s", row.label, def.Short, FormatStat(def, st))
				// At least 2 px, so that the colour of a 0% bar still shows.
				d.rect(svgLabelW, d.y, math.Max(scale(v)-svgLabelW, 2), svgBarH, color[def.Name], title)
				d.printf(`<text x="%.1f" y="%.1f" font-size="10">%.0f%%</text>`+"\n", scale(v)+3, d.y+svgBarH-2, v)
				d.y += svgBarH + svgBarGap
			}
			d.y += svgRowGap/2 - svgBarGap
		}
		d.y += 4
		d.xAxis(top, []float64{0, 25, 50, 75, 100}, scale, func(v float64) string { return fmt.Sprintf("%.0f", v) }, "accuracy (%)")
	}

	// Panel 2: time per stage.
	d.y += 16
	d.text(10, d.y, "start", "bold", "Median time per stage")
	d.y += 12
	seen := map[string]bool{}
	maxMS := 0.0
	for _, row := range rows {
		for k := range row.g.StageMedianMS {
			if k != "total" {
				seen[k] = true
			}
		}
	}
	stages := orderStages(seen)
	stageColor := map[string]string{}
	var stageColors []string
	for i, st := range stages {
		stageColor[st] = palette[i%len(palette)]
		stageColors = append(stageColors, stageColor[st])
	}
	for _, row := range rows {
		sum := 0.0
		for _, st := range stages {
			sum += row.g.StageMedianMS[st]
		}
		maxMS = math.Max(maxMS, math.Max(sum, row.g.LatencyMedianMS))
	}
	if len(rows) == 0 {
		d.y += 14
		d.text(svgLabelW, d.y, "start", "normal", "no images scanned")
		d.y += 20
	} else {
		if len(stages) > 0 {
			d.legend(append(stages, "median wall latency"), append(stageColors, "#000"))
		} else {
			d.legend([]string{"median wall latency (no stage timings)"}, []string{"#000"})
		}
		ticks := niceTicks(maxMS)
		top := d.y
		scale := func(v float64) float64 { return svgLabelW + plotW*v/ticks[len(ticks)-1] }
		for _, row := range rows {
			d.y += svgRowGap / 2
			h := float64(svgBarH + 4)
			d.text(svgLabelW-8, d.y+h/2+4, "end", weightOf(row.g), fmt.Sprintf("%s (n=%d)", row.label, row.g.Count))
			x := 0.0
			for _, st := range stages {
				v, ok := row.g.StageMedianMS[st]
				if !ok {
					continue
				}
				d.rect(scale(x), d.y, scale(x+v)-scale(x), h, stageColor[st], fmt.Sprintf("%s %s: %s ms", row.label, st, ms(v)))
				x += v
			}
			lx := scale(row.g.LatencyMedianMS)
			d.printf(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#000" stroke-width="2"><title>%s</title></line>`+"\n",
				lx, d.y-2, lx, d.y+h+2, esc(fmt.Sprintf("%s median latency %s ms", row.label, ms(row.g.LatencyMedianMS))))
			d.printf(`<text x="%.1f" y="%.1f" font-size="10">%s ms</text>`+"\n", math.Max(lx, scale(x))+4, d.y+h-3, ms(row.g.LatencyMedianMS))
			d.y += h + svgRowGap/2
		}
		d.y += 4
		d.xAxis(top, ticks, scale, func(v float64) string { return trimFloat(v) }, "milliseconds per image (median)")
	}

	var out strings.Builder
	fmt.Fprintf(&out, `<?xml version="1.0" encoding="UTF-8"?>`+"\n")
	fmt.Fprintf(&out, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%.0f" viewBox="0 0 %d %.0f" font-family="sans-serif" font-size="12">`+"\n",
		svgWidth, d.y+10, svgWidth, d.y+10)
	out.WriteString("<title>docscan benchmark: accuracy per group and median time per stage</title>\n")
	fmt.Fprintf(&out, `<rect width="100%%" height="100%%" fill="#fff"/>`+"\n")
	out.WriteString(d.b.String())
	out.WriteString("</svg>\n")
	return []byte(out.String())
}

func weightOf(g *GroupReport) string {
	if g.Group == AllGroup {
		return "bold"
	}
	return "normal"
}

func trimFloat(v float64) string {
	s := fmt.Sprintf("%.3f", v)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}
