package pipeline

import (
	"slices"
	"testing"

	"docscan/mrz"
)

// reading makes a reader's line: every character with probability p,
// except those given in low (column -> probability).
func reading(text string, p float64, low map[int]float64) mrz.Line {
	l := mrz.Line{Text: text}
	for i := 0; i < len(text); i++ {
		q := p
		if v, ok := low[i]; ok {
			q = v
		}
		l.Alts = append(l.Alts, []mrz.CharAlt{{Char: text[i], Prob: q}})
	}
	return l
}

func TestConfirm(t *testing.T) {
	lines := []string{"I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"}
	rec, err := mrz.Parse(lines, mrz.Options{})
	if err != nil || !rec.Valid {
		t.Fatalf("test record invalid: %v %v", err, rec.Checks)
	}
	pp := func(low map[int]map[int]float64) []mrz.Line {
		var out []mrz.Line
		for k, s := range lines {
			out = append(out, reading(s, 0.8, low[k]))
		}
		return out
	}
	tess := func(k int, s string) []mrz.Line {
		var out []mrz.Line
		for i, l := range lines {
			if i == k {
				l = s
			}
			out = append(out, reading(l, 0.8, nil))
		}
		return out
	}
	for _, c := range []struct {
		name string
		in   []mrz.Line
		t    []mrz.Line
		want float64
		at   []glyphHit // the cells in doubt
	}{
		{"both agree", pp(nil), tess(-1, ""), 1, nil},
		{"faint name letter confirmed", pp(map[int]map[int]float64{2: {2: 0.1}}), tess(-1, ""), 1, nil},
		{"faint name letter not confirmed", pp(map[int]map[int]float64{2: {2: 0.1}}), tess(2, "ERNKSSON<<ANNA<MARIA<<<<<<<<<<"), 0.1, []glyphHit{{2, 2}}},
		{"faint checked digit confirmed", pp(map[int]map[int]float64{1: {3: 0.05}}), tess(-1, ""), 1, nil},
		{"name letter read as another", pp(nil), tess(2, "ERIKSSON<<ANNA<MAPIA<<<<<<<<<<"), 0, []glyphHit{{2, 17}}},
		{"name letter read as filler", pp(nil), tess(2, "ERIKSSON<<ANNA<<ARIA<<<<<<<<<<"), 0, []glyphHit{{2, 15}}},
		{"filler read as a name letter", pp(nil), tess(2, "ERIKSSON<KANNA<MARIA<<<<<<<<<<"), 0, []glyphHit{{2, 9}}},
		{"document code letter", pp(nil), tess(0, "IKUTOD231458907<<<<<<<<<<<<<<<"), 0, []glyphHit{{0, 1}}},
		{"checked digit read otherwise", pp(nil), tess(0, "I<UTOD231458901<<<<<<<<<<<<<<<"), 1, nil},
		{"line Tesseract misread throughout", pp(nil), tess(2, "FPLKSS0N<<AWNA<NAPLA<<<<<<<<<<"), 1, nil},
		{"sure name letter read as another", pp(map[int]map[int]float64{2: {17: 0.95}}), tess(2, "ERIKSSON<<ANNA<MAPIA<<<<<<<<<<"), 1, nil},
		{"sure filler read as a letter", pp(map[int]map[int]float64{2: {9: 0.99}}), tess(2, "ERIKSSON<KANNA<MARIA<<<<<<<<<<"), 0, []glyphHit{{2, 9}}},
	} {
		g := &group{rec: rec, in: c.in, minP: 1}
		got, at := confirmAt(g, c.t)
		if got != c.want {
			t.Errorf("%s: lowest unconfirmed %v, want %v", c.name, got, c.want)
		}
		if !slices.Equal(at, c.at) {
			t.Errorf("%s: cells in doubt %v, want %v", c.name, at, c.at)
		}
	}
}

func TestDoubtful(t *testing.T) {
	lines := []string{"I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"}
	rec, err := mrz.Parse(lines, mrz.Options{})
	if err != nil || !rec.Valid {
		t.Fatalf("test record invalid: %v", err)
	}
	clean := func() []mrz.Line {
		var out []mrz.Line
		for _, s := range lines {
			out = append(out, reading(s, 0.95, nil))
		}
		return out
	}
	in := clean()
	if doubtful(&group{rec: rec, in: in}) {
		t.Error("a confident reading of the printed lines is doubtful")
	}
	in = clean()
	in[1].Alts[3] = append(in[1].Alts[3], mrz.CharAlt{Char: '8', Prob: 0.3}) // checked birth date digit
	if doubtful(&group{rec: rec, in: in}) {
		t.Error("a runner-up on a checked digit made the zone doubtful")
	}
	in = clean()
	in[2].Alts[2] = append(in[2].Alts[2], mrz.CharAlt{Char: 'L', Prob: 0.3}) // the I of ERIKSSON
	if !doubtful(&group{rec: rec, in: in}) {
		t.Error("a runner-up on a name letter did not make the zone doubtful")
	}
	in = clean()
	in[2] = reading("ERIKSSON<<ANNA<MARIA<<<<<<<", 0.95, nil) // shorter: padded by the repair
	if !doubtful(&group{rec: rec, in: in}) {
		t.Error("a reading the repair lengthened is not doubtful")
	}
}
