package mrz

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"
)

var benchNow = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

// wellFormed reports whether lines form a valid MRZ in which every
// character fits its field type: a corruption leading there cannot be
// detected by any reader (e.g. G<->6 in a document number, whose values
// differ by 10 and leave every check digit intact).
func wellFormed(lines []string) bool {
	r, err := Parse(lines, Options{Now: benchNow})
	if err != nil || !r.Valid || len(r.Corrections) > 0 {
		return false
	}
	l := layoutFor(r.Format, r.Lines[0])
	cells := make([][]cell, len(lines))
	for i, s := range lines {
		cells[i] = normalizeLine(s, nil)
	}
	s := newSolver(l, cells, 8)
	s.fixUnchecked()
	for i := range lines {
		if string(s.b[i]) != lines[i] {
			return false
		}
	}
	return true
}

type benchRow struct {
	n, recovered, falseAcc, faNames, invalid, redrawn int
}

// runRepairBench generates per confusion level n samples spread over all
// formats and reports exact recovery and false acceptance; with ocr it
// reads through ReadOCR on simulated recognizer alternatives instead of Read.
func runRepairBench(seed int64, perLevel int, levels []int, perFormat map[string]*[4]int, ocr bool) []benchRow {
	rows := make([]benchRow, len(levels))
	for li, k := range levels {
		row := &rows[li]
		for i := 0; i < perLevel; i++ {
			// each sample draws from its own source: a change to one
			// format's generator or to what counts as well formed leaves
			// every other sample as it was, so runs compare pair by pair
			rng := rand.New(rand.NewSource(seed + int64(k)*1_000_003 + int64(i)))
			f := genFormats[i%len(genFormats)]
			orig := f.gen(rng)
			if !wellFormed(orig) {
				panic(fmt.Sprintf("generator produced an invalid %s: %q", f.name, orig))
			}
			cur := orig
			taken := map[[2]int]bool{}
			for c := 0; c < k; c++ {
				for try := 0; ; try++ {
					next, _ := corrupt(rng, cur, taken)
					// An undetectable event, alone or together with the
					// earlier ones (two edits of a field can cancel in
					// its check digit): no reader can see it; redraw.
					if try < 20 && sameLen(next, cur) && (wellFormedDiff(orig, cur, next) || wellFormed(next)) {
						row.redrawn++
						continue
					}
					cur = next
					break
				}
			}
			var r *Record
			var err error
			if ocr {
				r, err = ReadOCR(simulateOCR(rng, orig, cur), Options{Now: benchNow})
			} else {
				r, err = Read(cur, Options{Now: benchNow})
			}
			row.n++
			ok := err == nil && r.Valid && strings.Join(r.Lines, "\n") == strings.Join(orig, "\n")
			switch {
			case err != nil || !r.Valid:
				row.invalid++
			case ok:
				row.recovered++
			default:
				row.falseAcc++
				if onlyNamesDiffer(r, orig) {
					row.faNames++
				}
			}
			if perFormat != nil {
				key := fmt.Sprint(f.name, "/", k)
				pf := perFormat[key]
				if pf == nil {
					pf = &[4]int{}
					perFormat[key] = pf
				}
				pf[0]++
				if ok {
					pf[1]++
				} else if err == nil && r.Valid {
					pf[2]++
				}
			}
		}
	}
	return rows
}

// onlyNamesDiffer reports whether a wrong reading differs from the original
// only in fields no check digit covers and that type rules repair by the
// most likely letter (names, document code): 0 is read back as O although
// a D or Q was printed, 1 as I although an L was printed.
func onlyNamesDiffer(r *Record, orig []string) bool {
	l := layoutFor(r.Format, r.Lines[0])
	if l == nil || len(r.Lines) != len(orig) {
		return false
	}
	for i := range orig {
		if len(orig[i]) != len(r.Lines[i]) {
			return false
		}
		for c := range orig[i] {
			if orig[i][c] == r.Lines[i][c] {
				continue
			}
			in := false
			for _, f := range l.fields {
				if f.line == i && c >= f.start && c < f.end && (f.r == rNames || f.r == rName || f.r == rCode) {
					in = true
				}
			}
			for _, ck := range l.checks {
				for _, sp := range ck.spans {
					if sp.line == i && c >= sp.start && c < sp.end {
						in = false
					}
				}
			}
			if !in {
				return false
			}
		}
	}
	return true
}

func sameLen(a, b []string) bool {
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
	}
	return true
}

// wellFormedDiff applies the substitution that turned cur into next to the
// original alone and reports whether the result is undetectable.
func wellFormedDiff(orig, cur, next []string) bool {
	single := append([]string(nil), orig...)
	for i := range cur {
		if cur[i] == next[i] || len(orig[i]) != len(next[i]) {
			continue
		}
		b := []byte(orig[i])
		for j := range b {
			if cur[i][j] != next[i][j] {
				b[j] = next[i][j]
			}
		}
		single[i] = string(b)
	}
	return wellFormed(single)
}

// Issue targets and this implementation's regression floors: the measured
// values (README.md), which equal or beat the targets where those are met
// (Read and ReadOCR FA at 1 and 2 confusions, ReadOCR recovery at 3).
// Measured since session 46 on samples that each draw from their own
// source (runRepairBench), with French licence numbers of their real form
// and term; the repair before that session's French licence rules read
// these samples 88.07/76.57/67.87% (FA 0.03/0.10/0.77%) with Read and
// 98.43/96.23/91.67% (FA 0.00/0.13/0.87%) with ReadOCR. Since session 54
// Read and ReadOCR refuse check digit collisions (Collisions): ReadOCR
// 98.57/96.77/93.03% (FA 0.00/0.10/0.67%) before, 98.27/95.87/91.87%
// (FA 0.00/0.10/0.20%) after; Read 88.70/78.03/69.97% (FA
// 0.03/0.07/0.57%) before, 88.70/77.90/69.67% (FA the same) after.
// Since session 62 a 0 read where D or Q was printed (weak partners, seen
// where the recognizer was unsure) counts in collisions too, and a
// runner-up at minWeakSwapProb counts whatever the neighbours: ReadOCR
// 98.27/95.80/91.83% (FA 0.00/0.10/0.17%), from 98.27/95.87/91.87% (FA
// 0.00/0.10/0.20%); Read 88.70/77.87/69.67% (FA the same): one false
// acceptance (a D read 0 and an S read 5 cancelling) is refused, and so are
// four right readings whose exchanges with such partners validate too.
// Since session 65 a K after nothing but fillers in an optional data field
// is a filler (fixUnchecked; K and < differ by 20, no check digit sees
// it): such corruptions no longer count as undetectable and redrawn (505
// -> 419 at one confusion), so the samples differ: ReadOCR
// 98.30/96.03/92.00% (FA 0.00/0.07/0.13%), Read 88.97/78.60/70.53% (FA
// 0.03/0.07/0.57%).
var (
	targetRecovery = map[int]float64{1: 99.5, 2: 97, 3: 85}
	targetFA       = 0.1
	floorRecovery  = map[bool]map[int]float64{false: {1: 88.9, 2: 78.6, 3: 70.5}, true: {1: 98.3, 2: 96.0, 3: 92.0}}
	ceilFA         = map[bool]map[int]float64{false: {1: 0.1, 2: 0.1, 3: 0.6}, true: {1: 0.1, 2: 0.1, 3: 0.14}}
)

// TestRepairBenchmark measures repair on generated MRZs of every format
// with 1, 2 and 3 OCR confusions, for Read (static confusion table) and
// ReadOCR (simulated recognizer alternatives). It fails below the
// regression floors and reports the targets per row.
func TestRepairBenchmark(t *testing.T) {
	per := 3000
	if testing.Short() {
		per = 400
	}
	levels := []int{1, 2, 3}
	for _, ocr := range []bool{false, true} {
		mode := "Read (static confusion table)"
		if ocr {
			mode = "ReadOCR (simulated recognizer alternatives)"
		}
		pf := map[string]*[4]int{}
		start := time.Now()
		rows := runRepairBench(20260101, per, levels, pf, ocr)
		t.Logf("%s: seed 20260101, %d samples per level over %d formats (%v)", mode, per, len(genFormats), time.Since(start).Round(time.Millisecond))
		t.Logf("| confusions | samples | recovered | false accepted | of which names/code only | valid:false | undetectable redrawn | targets |")
		t.Logf("|---|---|---|---|---|---|---|---|")
		for i, r := range rows {
			k := levels[i]
			rec := 100 * float64(r.recovered) / float64(r.n)
			fa := 100 * float64(r.falseAcc) / float64(r.n)
			met := "met"
			if rec < targetRecovery[k] || fa > targetFA {
				status := func(ok bool) string {
					if ok {
						return "met"
					}
					return "MISSED"
				}
				met = fmt.Sprintf("recovery >= %.1f%%: %s, FA <= %.1f%%: %s", targetRecovery[k], status(rec >= targetRecovery[k]), targetFA, status(fa <= targetFA))
			}
			t.Logf("| %d | %d | %.2f%% | %.2f%% | %.2f%% | %.2f%% | %d | %s |", k, r.n, rec, fa,
				100*float64(r.faNames)/float64(r.n), 100*float64(r.invalid)/float64(r.n), r.redrawn, met)
			if !testing.Short() && (rec < floorRecovery[ocr][k] || fa > ceilFA[ocr][k]) {
				t.Errorf("%s, %d confusions: recovery %.2f%% / FA %.2f%% regressed past floor %.1f%% / %.1f%%", mode, k, rec, fa, floorRecovery[ocr][k], ceilFA[ocr][k])
			}
		}
		for _, f := range genFormats {
			var parts []string
			for _, k := range levels {
				if p := pf[fmt.Sprint(f.name, "/", k)]; p != nil {
					parts = append(parts, fmt.Sprintf("%d: %.1f%% rec %.2f%% FA", k, 100*float64(p[1])/float64(p[0]), 100*float64(p[2])/float64(p[0])))
				}
			}
			t.Logf("  %-7s %s", f.name, strings.Join(parts, " | "))
		}
	}
}

// simulateOCR turns corrupted lines into OCR output with per-character
// alternatives, the way a recognizer reports them: clean characters come
// with high confidence (sometimes a low-probability confusion partner as
// runner-up); misread characters with lower confidence, the printed
// character being the runner-up in 85% of cases.
func simulateOCR(rng *rand.Rand, orig, cur []string) []Line {
	out := make([]Line, len(cur))
	for i, s := range cur {
		o := ""
		if i < len(orig) {
			o = orig[i]
		}
		// align: common prefix and suffix; the rest is suspect
		p := 0
		for p < len(s) && p < len(o) && s[p] == o[p] {
			p++
		}
		q := 0
		for q < len(s)-p && q < len(o)-p && s[len(s)-1-q] == o[len(o)-1-q] {
			q++
		}
		alts := make([][]CharAlt, len(s))
		for j := 0; j < len(s); j++ {
			c := s[j]
			bad := j >= p && j < len(s)-q && len(s) == len(o)
			if bad && s[j] == o[j] {
				bad = false
			}
			if !bad {
				pc := 0.9 + 0.099*rng.Float64()
				alts[j] = []CharAlt{{c, pc}}
				if ps := partners[c]; len(ps) > 0 && rng.Float64() < 0.15 {
					alts[j] = append(alts[j], CharAlt{ps[rng.Intn(len(ps))].b, 0.001 + 0.08*rng.Float64()})
				}
				continue
			}
			pc := 0.45 + 0.4*rng.Float64()
			alts[j] = []CharAlt{{c, pc}}
			if rng.Float64() < 0.85 {
				alts[j] = append(alts[j], CharAlt{o[j], (1 - pc) * (0.3 + 0.7*rng.Float64())})
			} else if ps := partners[c]; len(ps) > 0 {
				alts[j] = append(alts[j], CharAlt{ps[rng.Intn(len(ps))].b, (1 - pc) * rng.Float64()})
			}
		}
		out[i] = Line{Text: s, Alts: alts}
	}
	return out
}
