package mrz

import (
	"fmt"
	"strings"
)

// Input bounds: anything larger is rejected before any work is done.
const (
	maxInputBytes = 4096
	maxLines      = 16
	maxLineRunes  = 200
)

// cell is one normalized input character with its OCR alternatives.
type cell struct {
	c     byte
	space bool // a blank preceded it in the input (candidate filler position)
	alts  []CharAlt
}

// normChar maps an input rune to an MRZ byte; 0 drops it (blank).
func normChar(r rune) byte {
	switch {
	case r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '<':
		return byte(r)
	case r >= 'a' && r <= 'z':
		return byte(r - 'a' + 'A')
	case r == '«', r == '‹', r == '≤', r == '〈':
		return '<'
	case r == ' ', r == '\t', r == '\r', r == '\n', r == '\u00a0', r == '\ufeff':
		return 0
	}
	return '?'
}

func normalizeLine(text string, alts [][]CharAlt) []cell {
	out := make([]cell, 0, len(text))
	space := false
	i := 0
	for _, r := range text {
		c := normChar(r)
		if c == 0 {
			space = len(out) > 0
			i++
			continue
		}
		ce := cell{c: c, space: space}
		if i < len(alts) && len(alts[i]) > 0 {
			ce.alts = normAlts(alts[i])
		}
		out = append(out, ce)
		space = false
		i++
	}
	return out
}

func normAlts(a []CharAlt) []CharAlt {
	out := make([]CharAlt, 0, len(a))
	for _, x := range a {
		c := normChar(rune(x.Char))
		if c == 0 || c == '?' || !(x.Prob > 0) {
			continue
		}
		out = append(out, CharAlt{Char: c, Prob: x.Prob})
	}
	return out
}

// prepare bounds and normalizes input lines, dropping blank ones.
func prepare(lines []Line) ([][]cell, error) {
	total := 0
	for _, l := range lines {
		total += len(l.Text)
		if total > maxInputBytes {
			return nil, fmt.Errorf("%w: input longer than %d bytes", ErrNotMRZ, maxInputBytes)
		}
	}
	var out [][]cell
	for _, l := range lines {
		n := normalizeLine(l.Text, l.Alts)
		if len(n) == 0 {
			continue
		}
		if len(n) > maxLineRunes {
			return nil, fmt.Errorf("%w: line longer than %d characters", ErrNotMRZ, maxLineRunes)
		}
		out = append(out, n)
		if len(out) > maxLines {
			return nil, fmt.Errorf("%w: more than %d lines", ErrNotMRZ, maxLines)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no text", ErrNotMRZ)
	}
	return out, nil
}

func cellsString(c []cell) string {
	b := make([]byte, len(c))
	for i := range c {
		b[i] = c[i].c
	}
	return string(b)
}

func textLines(lines []string) []Line {
	out := make([]Line, len(lines))
	for i, s := range lines {
		out[i] = Line{Text: s}
	}
	return out
}

// Parse reads an MRZ strictly: it normalizes case, blanks and '«', classifies
// the lines by count, length and document code (a 2x36 zone starting IDFRA
// is France's 1988 card unless only TD2's checks hold), decodes every field and
// evaluates every check, without repairing anything. The only change it
// makes is padding a line that ends in fillers and is one or two fillers
// short, which is reported in Corrections.
func Parse(lines []string, opts Options) (*Record, error) {
	cells, err := prepare(textLines(lines))
	if err != nil {
		return nil, err
	}
	if len(cells) > 3 {
		return nil, fmt.Errorf("%w: %d lines", ErrNotMRZ, len(cells))
	}
	b := make([][]byte, len(cells))
	lens := make([]int, len(cells))
	for i := range cells {
		b[i] = []byte(cellsString(cells[i]))
		lens[i] = len(b[i])
	}
	first := string(b[0])
	if ls := classify(lens, first); len(ls) > 0 {
		r := build(ls[0], b, opts.now())
		// IDFRA starts France's 1988 card; a TD2 zone of that start whose
		// checks hold as TD2 (and not as the card's) is a TD2 zone.
		if !r.Valid && ls[0] == fraID {
			if t := build(td2, b, opts.now()); t.Valid {
				return t, nil
			}
		}
		return r, nil
	}
	// Short trailing filler runs.
	for _, l := range layouts {
		if len(l.lens) != len(b) || !fitsCode(l, first) {
			continue
		}
		ok := true
		for i, n := range l.lens {
			d := n - len(b[i])
			if d < 0 || d > 2 || (d > 0 && (len(b[i]) == 0 || b[i][len(b[i])-1] != '<')) {
				ok = false
			}
		}
		if !ok {
			continue
		}
		var corr []Correction
		for i, n := range l.lens {
			for len(b[i]) < n {
				b[i] = append(b[i], '<')
				corr = append(corr, Correction{Line: i + 1, Column: len(b[i]), From: "", To: "<"})
			}
		}
		r := build(l, b, opts.now())
		r.Corrections = corr
		return r, nil
	}
	return nil, fmt.Errorf("%w: %d lines of lengths %v", ErrNotMRZ, len(b), lens)
}

// ReadText reads 1 to 3 MRZ lines separated by newlines (blank lines and
// surrounding blanks ignored) and repairs them like Read.
func ReadText(text string, opts Options) (*Record, error) {
	if len(text) > maxInputBytes {
		return nil, fmt.Errorf("%w: input longer than %d bytes", ErrNotMRZ, maxInputBytes)
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	return Read(strings.Split(text, "\n"), opts)
}

// Read normalizes and repairs OCR text of an MRZ (the usual entry point):
// see the package documentation for the algorithm.
func Read(lines []string, opts Options) (*Record, error) {
	return ReadOCR(textLines(lines), opts)
}

// ReadOCR is Read with the OCR engine's per-character alternatives and
// confidences, which replace the static confusion table where given.
func ReadOCR(lines []Line, opts Options) (*Record, error) {
	cells, err := prepare(lines)
	if err != nil {
		return nil, err
	}
	r, err := repair(cells, opts)
	if err == nil && !opts.OwnCollisions {
		refuseCollisions(r, lines)
	}
	return r, err
}
