package synth

// InkExtent renders r at a large size and returns the rows where its ink
// starts and ends relative to the baseline (y down, so top is negative), in
// units of the advance width, at the half-coverage level a scanner's
// threshold would see. ok is false when the font (and its fallbacks) lack r.
func InkExtent(f *Font, r rune) (top, bottom float64, ok bool) {
	const size = 400
	fc := f.face(size)
	dr, m, mp, adv, found := fc.glyph(0, 0, r)
	if !found || m == nil || adv <= 0 {
		return 0, 0, false
	}
	rows := make([]float64, dr.Dy())
	for y := 0; y < dr.Dy(); y++ {
		for x := 0; x < dr.Dx(); x++ {
			_, _, _, a := m.At(mp.X+x, mp.Y+y).RGBA()
			rows[y] = max(rows[y], float64(a)/0xffff)
		}
	}
	first, last := -1, -1
	for y, v := range rows {
		if v >= 0.5 {
			if first < 0 {
				first = y
			}
			last = y
		}
	}
	if first < 0 {
		return 0, 0, false
	}
	// sub-pixel: where the coverage crosses one half between two rows
	edge := func(in, out int) float64 {
		if out < 0 || out >= len(rows) {
			return float64(in)
		}
		a, b := rows[in], rows[out]
		return float64(in) + float64(out-in)*(a-0.5)/(a-b)
	}
	// row i covers i..i+1: a crossing between rows i and i+1 lies at i+1
	t := edge(first, first-1) + 0.5 + float64(dr.Min.Y)
	b := edge(last, last+1) + 0.5 + float64(dr.Min.Y)
	return t / adv, b / adv, true
}
