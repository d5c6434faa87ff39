package plates

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// Reading is one OCR engine's reading of a plate crop. Text may contain ' ' (or '-')
// where a wide gap was measured; such a gap is a hard split hint (see Parse).
//
// CharConf, when set, holds one confidence in [0,1] per non-separator rune of Text
// (spaces and hyphens excluded), in order. When its length does not match, it is
// ignored and every rune gets Confidence.
type Reading struct {
	Text       string
	Confidence float64
	CharConf   []float64
	Engine     string
}

// confusions lists, for a character read where the grammar wants the other class,
// what it most likely was.
var toLetter = map[rune][]rune{'0': {'O', 'D', 'Q'}, '1': {'I'}, '2': {'Z'}, '4': {'A'}, '5': {'S'}, '6': {'G'}, '7': {'T'}, '8': {'B'}}
var toDigit = map[rune][]rune{'O': {'0'}, 'D': {'0'}, 'Q': {'0'}, 'U': {'0'}, 'I': {'1'}, 'L': {'1'}, 'T': {'7'}, 'Z': {'2'}, 'A': {'4'}, 'S': {'5'}, 'G': {'6'}, 'B': {'8'}}

const (
	maxSubst    = 3   // substitutions per variant
	maxVariants = 512 // variants per reading
	invalidPen  = 0.02
	ambigPen    = 0.5
	// foreignPen weighs a valid reading of another country than
	// Options.Prefer (unless that is Germany, see Rank), and otherPen an American plate of no listed format
	// (us-other): one confusion repair (at most 0.52) on a character read
	// with confidence under 0.94 makes a plate of the expected kind win.
	foreignPen = 0.05
	otherPen   = 0.05
)

type variant struct {
	runes []rune
	seps  []bool
	score float64
}

// Rank combines readings from several engines. Each reading is parsed as read and in
// variants where up to three characters are swapped for their usual OCR confusions
// (O/0, D/0, Q/O, I/1, Z/2, A/4, S/5, G/6, T/7, B/8). A variant's score is the reading
// confidence times, per swapped character, 0.5*(1-c)+0.02 (c = that character's
// confidence), times 1 for a valid reading, 0.5 for an ambiguous split and 0.02 for an
// invalid one. Scores of the same plate (same display) from different readings add up;
// the candidates' confidences are the normalised scores and the best is returned.
func Rank(readings []Reading, opts Options) (*Record, error) {
	type agg struct {
		rec   *Record
		score float64
	}
	prefer := strings.ToUpper(strings.TrimSpace(opts.Prefer))
	// Germany is the guessing order's first country already: preferring
	// it keeps the weights as they are (on 300 synthetic German scenes the
	// penalty on its neighbours' readings cost 3 plates, a fragment's
	// reading outranking the whole plate's).
	foreign := prefer != "" && prefer != grammars[0].country && opts.Country == ""
	byDisplay := map[string]*agg{}
	var order []string
	var lastErr error
	for _, rd := range readings {
		base := rd.Confidence
		if base <= 0 || base > 1 {
			base = 0.5
		}
		runes, seps, conf := splitReading(rd)
		if len(runes) == 0 || len(runes) > 16 {
			continue
		}
		for _, v := range variants(runes, seps, conf) {
			text := render(v.runes, v.seps)
			rec, err := Parse(text, opts)
			if err != nil {
				lastErr = err
				continue
			}
			s := base * v.score
			switch {
			case rec.Valid:
			case rec.Ambiguous:
				s *= ambigPen
			default:
				s *= invalidPen
			}
			if rec.Valid && rec.Format == "us-other" {
				s *= otherPen
			}
			if foreign && rec.Country != prefer && (rec.Valid || rec.Ambiguous) {
				s *= foreignPen
			}
			key := rec.Country + "|" + rec.Display
			a := byDisplay[key]
			if a == nil {
				a = &agg{rec: rec}
				byDisplay[key] = a
				order = append(order, key)
			}
			a.score += s
		}
	}
	if len(byDisplay) == 0 {
		if lastErr == nil {
			lastErr = fmt.Errorf("%w: no readings", ErrNoFormat)
		}
		text := ""
		if len(readings) > 0 {
			text = readings[0].Text
		}
		return genericRecord(text, strings.ToUpper(opts.Country)), lastErr
	}
	aggs := make([]*agg, 0, len(order))
	total := 0.0
	for _, k := range order {
		aggs = append(aggs, byDisplay[k])
		total += byDisplay[k].score
	}
	sort.SliceStable(aggs, func(i, j int) bool { return aggs[i].score > aggs[j].score })
	best := *aggs[0].rec
	best.Confidence = round3(aggs[0].score / total)
	best.Candidates = nil
	for i, a := range aggs {
		if i == 10 {
			break
		}
		best.Candidates = append(best.Candidates, Candidate{Text: a.rec.Text, Display: a.rec.Display, Confidence: round3(a.score / total)})
	}
	return &best, nil
}

func round3(f float64) float64 { return float64(int(f*1000+0.5)) / 1000 }

// splitReading returns the upper-cased non-separator runes, a separator-before flag
// per rune, and per-rune confidences.
func splitReading(rd Reading) ([]rune, []bool, []float64) {
	var runes []rune
	var seps []bool
	pending := false
	for _, r := range rd.Text {
		if isSep(r) {
			pending = len(runes) > 0
			continue
		}
		runes = append(runes, unicode.ToUpper(r))
		seps = append(seps, pending)
		pending = false
	}
	conf := make([]float64, len(runes))
	useChar := len(rd.CharConf) == len(runes)
	for i := range conf {
		c := rd.Confidence
		if useChar {
			c = rd.CharConf[i]
		}
		if c < 0 || c > 1 || c != c {
			c = 0.5
		}
		conf[i] = c
	}
	return runes, seps, conf
}

func render(runes []rune, seps []bool) string {
	var b strings.Builder
	for i, r := range runes {
		if seps[i] {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// variants enumerates the reading and its confusion variants, most likely first.
func variants(runes []rune, seps []bool, conf []float64) []variant {
	type pos struct {
		i    int
		alts []rune
	}
	var ps []pos
	for i, r := range runes {
		var alts []rune
		alts = append(alts, toLetter[r]...)
		alts = append(alts, toDigit[r]...)
		if len(alts) > 0 {
			ps = append(ps, pos{i, alts})
		}
	}
	out := []variant{{runes: runes, seps: seps, score: 1}}
	var rec func(k, subst int, cur []rune, score float64)
	rec = func(k, subst int, cur []rune, score float64) {
		if len(out) >= maxVariants {
			return
		}
		for j := k; j < len(ps); j++ {
			p := ps[j]
			orig := cur[p.i]
			for _, a := range p.alts {
				next := append([]rune(nil), cur...)
				next[p.i] = a
				s := score * (0.5*(1-conf[p.i]) + 0.02)
				out = append(out, variant{runes: next, seps: seps, score: s})
				if subst+1 < maxSubst {
					rec(j+1, subst+1, next, s)
				}
				if len(out) >= maxVariants {
					return
				}
			}
			_ = orig
		}
	}
	rec(0, 0, runes, 1)
	return out
}
