package pipeline

import (
	"context"
	"sort"
	"strings"
	"unicode"

	"docscan/geom"
	"docscan/models"
	"docscan/mrz"
	"docscan/plates"
)

// PlateBuilder turns text regions shaped like licence plates into plate
// records, ranked by the plate grammar. Only grammar-valid plates become
// records, so text on documents does not turn into plates.
type PlateBuilder struct {
	// Country restricts the grammar ("" guesses).
	Country string
}

// Kind implements Builder.
func (PlateBuilder) Kind() string { return "plate" }

// plateShape picks regions with a plate's proportions: one-line plates are
// 2-8 times as wide as high (a word region inside a plate is narrower).
func plateShape(q geom.Quad) bool {
	w, h := q.Width(), q.Height()
	return h >= 8 && w >= 24 && w/h >= 1.2 && w/h <= 9
}

// Build implements Builder. A photo in which an MRZ was found shows a
// document, not a car: its text is not read for plates.
func (b PlateBuilder) Build(ctx context.Context, s *Scene) ([]Record, error) {
	for _, r := range s.Records {
		if _, ok := r.(*mrz.Record); ok {
			return nil, nil
		}
	}
	var out []*plates.Record
	for i := range s.Regions {
		r := &s.Regions[i]
		if !plateShape(r.Quad) {
			continue
		}
		if ok, err := s.Read(ctx, i); err != nil {
			return nil, err
		} else if !ok {
			continue
		}
		text, conf := plateReading(*r)
		n, letters, digits := alnumCount(text)
		// Plates carry letters and digits; words on documents mostly not.
		if n < 2 || n > 10 || letters == 0 || digits == 0 {
			continue
		}
		rec, err := plates.Rank([]plates.Reading{{Text: text, Confidence: r.Conf, CharConf: conf, Engine: r.Engine}},
			plates.Options{Country: b.Country})
		if err != nil || rec == nil || !rec.Valid {
			continue
		}
		// Free-text series (individual plates) match any word: only when
		// the caller names the country. More than one OCR-confusion repair
		// on a reading is more likely a word than a plate.
		if (rec.Format == "individual" && b.Country == "") || changed(text, rec.Text) > 1 {
			continue
		}
		rq := roundQuad(r.Quad)
		q := [4][2]float64{rq[0], rq[1], rq[2], rq[3]}
		rec.Quad = &q
		out = append(out, rec)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Confidence > out[j].Confidence })
	recs := make([]Record, len(out))
	for i, r := range out {
		recs[i] = r
	}
	return recs, nil
}

// plateReading rebuilds the text of a region with a space wherever the
// character boxes show a wide gap (the seal position on German plates, the
// group gaps elsewhere), and the per-character confidences.
func plateReading(r Region) (string, []float64) {
	if len(r.Chars) == 0 {
		return r.Text, nil
	}
	var chars []models.Char
	for _, c := range r.Chars {
		if isPlateRune(c.Char) {
			chars = append(chars, c)
		}
	}
	if len(chars) == 0 {
		return "", nil
	}
	// Character pitch: the median distance between neighbouring centres.
	var pitch []float64
	for i := 1; i < len(chars); i++ {
		pitch = append(pitch, (chars[i].X0+chars[i].X1)/2-(chars[i-1].X0+chars[i-1].X1)/2)
	}
	sort.Float64s(pitch)
	med := 0.0
	if len(pitch) > 0 {
		med = pitch[len(pitch)/2]
	}
	var sb strings.Builder
	conf := make([]float64, 0, len(chars))
	for i, c := range chars {
		if i > 0 && med > 0 {
			d := (c.X0+c.X1)/2 - (chars[i-1].X0+chars[i-1].X1)/2
			if d > 1.6*med {
				sb.WriteByte(' ')
			}
		}
		sb.WriteString(strings.ToUpper(c.Char))
		conf = append(conf, c.Prob)
	}
	// Separators PP-OCR itself printed are kept as split hints too.
	if strings.ContainsAny(r.Text, " -") && !strings.Contains(sb.String(), " ") {
		return strings.ToUpper(r.Text), nil
	}
	return sb.String(), conf
}

func isPlateRune(s string) bool {
	for _, c := range s {
		if !(unicode.IsLetter(c) || unicode.IsDigit(c)) {
			return false
		}
	}
	return s != ""
}

// alnumCount counts the letters and digits of s.
func alnumCount(s string) (n, letters, digits int) {
	for _, c := range s {
		switch {
		case unicode.IsLetter(c):
			letters++
		case unicode.IsDigit(c):
			digits++
		}
	}
	return letters + digits, letters, digits
}

// changed counts the positions where the plate text differs from the
// reading's letters and digits (a length change counts as many).
func changed(reading, text string) int {
	var a []rune
	for _, c := range strings.ToUpper(reading) {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			a = append(a, c)
		}
	}
	b := []rune(text)
	if len(a) != len(b) {
		return 1 + max(len(a), len(b)) - min(len(a), len(b))
	}
	n := 0
	for i := range a {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}
