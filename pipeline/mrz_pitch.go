package pipeline

import (
	"math"
	"sort"
	"strings"

	"docscan/models"
	"docscan/mrz"
)

// maxPitchShift is how far, in character pitches, a letter or digit of a
// greedy reading may sit from the cell its column in the repaired line
// puts it in. CTC places a character within a time step (about a quarter
// of an MRZ pitch); a dropped or doubled character shifts every one after
// it by a whole pitch.
const maxPitchShift = 0.6

// maxPitchStep is the longest step, in columns, that is judged: a step
// across a long filler run drifts by more than a pitch under perspective,
// and the characters on both sides of one are rarely both names.
const maxPitchStep = 4

// pitchDrift is the allowance per column of a step for the pitch changing
// along a line photographed at an angle.
const pitchDrift = 0.04

// inPitch reports whether the letters and digits of a repaired zone sit
// at a fixed pitch where the greedy readings saw them. The repair brings a
// line to its length by adding or removing fillers; when the recognizer
// dropped letters of a name (or doubled one), that moves the following
// letters into other columns, and no check digit looks at names: a name
// read short and padded with fillers would pass every check. Each step
// between neighbouring letters and digits with a name or code character
// (no check digit covers it) on either side must span as many pitches as
// it spans columns; steps inside checked fields are the check digits'
// business, and long ones drift under perspective. A name or code
// character next to a filler in both the zone and the reading must sit
// one pitch from it too: a name's last letters dropped before the filler
// run that follows it (JON<<< for JONAS<) leave no letter after them to
// show the shift, but the first filler sits where the dropped letters
// were read as nothing. (CTC merges runs of fillers into one character
// spanning them, so the step is measured from the letter to the run's
// first time step, and from the end of a run to the letter after it.)
func inPitch(rec *mrz.Record, rs []models.Text) bool { return inPitchLines(rec, rs, nil) }

// inPitchLines is inPitch, and where the lines ls the readings were made
// from are given (their extents along the zone), it also holds the lines
// to one another: MRZ lines are printed left-aligned at one pitch, so a
// line whose letters sit a pitch away from the same columns of the others
// was read a character short at its start (I<<PAUL for LI<<PAUL, the
// repair padding the line at its end), which no step within the line
// shows.
func inPitchLines(rec *mrz.Record, rs []models.Text, ls []line) bool {
	checked := mrz.CheckedPositions(rec)
	type placed struct {
		cols  []int
		at    []float64 // along the zone's lines, in the frame's units
		pitch float64   // in the frame's units
	}
	var lines []placed
	for k, fl := range rec.Lines {
		if k >= len(rs) || checked == nil || k >= len(checked) || len(checked[k]) != len(fl) {
			break
		}
		var text []byte
		var xs, x0s, x1s []float64
		for _, c := range rs[k].Chars {
			if len(c.Char) == 1 {
				text = append(text, c.Char[0])
				xs = append(xs, (c.X0+c.X1)/2)
				x0s = append(x0s, c.X0)
				x1s = append(x1s, c.X1)
			}
		}
		m := alignBy(fl, string(text), readSub)
		var cols []int
		var pos []float64
		for i, j := range m {
			if j >= 0 && fl[i] != '<' && text[j] != '<' {
				cols = append(cols, i)
				pos = append(pos, xs[j])
			}
		}
		if len(cols) < 4 {
			continue // too few characters to judge
		}
		// Neighbouring letters give the pitch itself; where too few are
		// neighbours, Theil-Sen, the median slope over all pairs, resists
		// the shift after a dropped character and the drift of a crop under
		// perspective. (The neighbours come first: on real CTC positions
		// the median slope came out 8% long and measured a letter dropped
		// before a filler run as 3.69 pitches across 3 columns, 4.0 of its
		// neighbours' pitch.)
		var ps []float64
		for i := 1; i < len(cols); i++ {
			if cols[i]-cols[i-1] == 1 {
				ps = append(ps, pos[i]-pos[i-1])
			}
		}
		if len(ps) < 3 {
			ps = ps[:0]
			for i := 0; i < len(cols); i++ {
				for j := i + 1; j < len(cols); j++ {
					ps = append(ps, (pos[j]-pos[i])/float64(cols[j]-cols[i]))
				}
			}
		}
		pitch := median(ps)
		if pitch <= 0 {
			return false
		}
		for i := 1; i < len(cols); i++ {
			a, b := cols[i-1], cols[i]
			if checked[k][a] && checked[k][b] || b-a > maxPitchStep {
				continue
			}
			dc := float64(b - a)
			if math.Abs((pos[i]-pos[i-1])/pitch-dc) > maxPitchShift+pitchDrift*dc {
				return false
			}
		}
		for i, j := range m {
			if j < 0 || fl[i] == '<' || text[j] == '<' || checked[k][i] {
				continue
			}
			if i+1 < len(fl) && fl[i+1] == '<' && j+1 < len(text) && text[j+1] == '<' &&
				math.Abs((x0s[j+1]-x0s[j])/pitch-1) > maxPitchShift+pitchDrift {
				return false
			}
			if i > 0 && fl[i-1] == '<' && j > 0 && text[j-1] == '<' &&
				math.Abs((x1s[j]-x1s[j-1])/pitch-1) > maxPitchShift+pitchDrift {
				return false
			}
		}
		if k < len(ls) {
			w := ls[k].A1 - ls[k].A0
			at := make([]float64, len(pos))
			for i, x := range pos {
				at[i] = ls[k].A0 + x*w
			}
			lines = append(lines, placed{cols: cols, at: at, pitch: pitch * w})
		}
	}
	if len(lines) < 2 || len(lines) != len(rec.Lines) {
		return true
	}
	var pitches []float64
	for _, l := range lines {
		pitches = append(pitches, l.pitch)
	}
	pitch := median(pitches)
	for k := range lines {
		for o := range lines {
			if o == k {
				continue
			}
			if d, n := lineOffset(lines[k].cols, lines[k].at, lines[o].cols, lines[o].at, pitch); n >= minLineOffsetChars && math.Abs(d) > maxLineOffset {
				return false
			}
		}
	}
	return true
}

// maxLineOffset is how far, in pitches, the characters of one MRZ line may
// sit from the same columns of another line read with it, and
// minLineOffsetChars how many characters must be compared to judge. The
// lines of a zone are printed on one grid; a rotation left in the frame
// or perspective shifts them by a fraction of a pitch, a character dropped
// at a line's start by a whole one.
const (
	maxLineOffset      = 0.65
	minLineOffsetChars = 3
)

// lineOffset is the median offset, in pitches, of the characters at
// columns cols (placed at) from where the other line's characters at the
// nearest columns (at most two away) put those columns, and how many
// characters were compared.
func lineOffset(cols []int, at []float64, ocols []int, oat []float64, pitch float64) (float64, int) {
	var ds []float64
	for i, c := range cols {
		best := -1
		for j, oc := range ocols {
			if d := abs(oc - c); d <= 2 && (best < 0 || d < abs(ocols[best]-c)) {
				best = j
			}
		}
		if best >= 0 {
			ds = append(ds, (at[i]-oat[best])/pitch-float64(c-ocols[best]))
		}
	}
	if len(ds) == 0 {
		return 0, 0
	}
	return median(ds), len(ds)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[len(s)/2]
}

// pitchCheck reports whether the greedy readings ts keep the pitch in the
// zone g was decided on, and withdraws g's validity when they do not.
func pitchCheck(g *group, ts []models.Text) bool {
	if g == nil {
		return false
	}
	ok := inPitchLines(g.rec, ts, g.lines)
	if !ok && g.rec.Valid {
		refuse(g, "pitch")
	}
	return ok
}

// greedyOf lists the greedy readings of lines and their texts.
func greedyOf(rs []lineReading) ([]models.Text, []string) {
	ts := make([]models.Text, len(rs))
	texts := make([]string, len(rs))
	for k, r := range rs {
		ts[k], texts[k] = r.greedy, r.greedy.Text
	}
	return ts, texts
}

// agreeCheck withdraws validity from a zone decided on fixed-pitch cells
// that reads a name or code differently from the greedy reading t of the
// same inference, when t keeps the pitch (no character dropped or doubled
// there). Cells are cut at a pitch estimated from the ends of the reading;
// where that estimate is off, a cell takes its neighbour's letter (a name
// read with a doubled letter and a filler less), which no check digit sees.
func agreeCheck(c, t *group) {
	if c != nil && t != nil && c.rec.Valid && namesDiffer(c.rec, t.rec) {
		refuse(c, "readings_agree")
	}
}

// resizedCheck withdraws validity from a greedy reading g that the repair
// made valid by changing a line's length (a character lost or gained
// somewhere: resized) when the fixed-pitch cell reading c of the same
// inference, which has the lines' lengths, is valid and reads a name or
// code otherwise: where the greedy reading lost its character is the
// repair's guess (O<<MA with a filler appended, the cells O<<MAX). Such a
// greedy reading is not trusted to judge the cells either (agreeCheck).
func resizedCheck(g, c *group) {
	if resized(g) && g.rec.Valid && c != nil && c.rec.Valid && namesDiffer(c.rec, g.rec) {
		refuse(g, "readings_agree")
	}
}

// resized: g's reading needed a character inserted or deleted (the
// repair changed a line's length).
func resized(g *group) bool {
	if g == nil {
		return false
	}
	for _, c := range g.rec.Corrections {
		if c.From == "" || c.To == "" {
			return true
		}
	}
	return false
}

// disagreeing withdraws validity from every valid reading of a zone that
// another valid reading of it contradicts in a name or code: the checks
// cannot tell which is right.
func disagreeing(all []*group) {
	var bad []*group
	for i, a := range all {
		if !a.rec.Valid {
			continue
		}
		for j, b := range all {
			if i != j && b.rec.Valid && namesDiffer(a.rec, b.rec) {
				bad = append(bad, a)
				break
			}
		}
	}
	for _, g := range bad {
		refuse(g, "readings_agree")
	}
}

// namesDiffer reports whether two readings of one zone in the same format
// differ where no check digit looks.
func namesDiffer(a, b *mrz.Record) bool {
	d, ok := differWhere(a, b, false)
	return ok && d
}

// differWhere reports whether two readings of one zone differ at a
// position a's check digits cover (checked) or at one they do not
// (!checked); ok is false where they cannot be compared (other formats or
// line lengths, no known layout).
func differWhere(a, b *mrz.Record, checked bool) (differ, ok bool) {
	if a.Format != b.Format || len(a.Lines) != len(b.Lines) {
		return false, false
	}
	ck := mrz.CheckedPositions(a)
	if ck == nil {
		return false, false
	}
	for k, l := range a.Lines {
		o := b.Lines[k]
		if len(o) != len(l) || len(ck[k]) != len(l) {
			return false, false
		}
		for i := 0; i < len(l); i++ {
			if ck[k][i] == checked && l[i] != o[i] {
				return true, true
			}
		}
	}
	return false, true
}

// refuse withdraws a zone's validity, naming the failed check, and ranks
// it below every valid reading.
func refuse(g *group, check string) {
	g.rec.Valid = false
	g.rec.Checks[check] = false
	g.score -= 10
}

// doubledCheck withdraws validity from a zone decided on fixed-pitch cells
// whose name or code holds a doubled letter the greedy readings of its
// lines do not: CTC separates a printed double letter by a blank, so the
// greedy reading shows it, while a cell cut off the pitch repeats its
// neighbour's letter (KKLAUS, WAGNERR). A double the greedy reading merged
// is refused too: the names cannot be told apart then.
func doubledCheck(c *group, greedy []string) {
	if c == nil || !c.rec.Valid || len(greedy) != len(c.rec.Lines) {
		return
	}
	checked := mrz.CheckedPositions(c.rec)
	if checked == nil {
		return
	}
	for k, l := range c.rec.Lines {
		if len(checked[k]) != len(l) {
			return
		}
		for i := 0; i < len(l); {
			j := i + 1
			for j < len(l) && l[j] == l[i] {
				j++
			}
			if j-i >= 2 && isLetter(l[i]) && !(checked[k][i] && checked[k][j-1]) && !strings.Contains(greedy[k], l[i:j]) {
				refuse(c, "readings_agree")
				return
			}
			i = j
		}
	}
}
