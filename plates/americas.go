package plates

import "strings"

// ---- Brazil: grey plates LLL-9999 (1990-2018), Mercosul LLL9L99 (2018-) ----

func parseBR(in *input) []*Record {
	if g, ok := splitFixed(in, "LLL", "DDDD"); ok {
		r := newRecord("BR", "old", g, []string{"-"})
		r.Parts.Letters, r.Parts.Digits = g[0], g[1]
		return []*Record{r}
	}
	if g, ok := splitFixed(in, "LLL", "DLDD"); ok {
		r := newRecord("BR", "mercosul", []string{g[0] + g[1]}, nil)
		r.Parts.Groups = g
		r.Parts.Letters, r.Parts.Digits = g[0], g[1]
		return []*Record{r}
	}
	return nil
}

// ---- United States: the common passenger formats of the states ----

// usFormats are the serial patterns of the standard passenger plates
// most states issue (L letter, D digit), with the printed grouping. There
// is no national grammar: a plate that fits none of them (vanity plates,
// special series, older formats) is not recognized as American, and a
// fitting text does not tell the state.
var usFormats = []struct {
	pattern []string
	name    string // where the pattern is issued, for the record's format
}{
	{[]string{"D", "LLL", "DDD"}, "us-1abc234"}, // California
	{[]string{"LLL", "DDDD"}, "us-abc1234"},     // New York, Pennsylvania, Texas, Georgia, Ohio, Michigan, ...
	{[]string{"LLL", "DDD"}, "us-abc123"},       // many states' older series
	{[]string{"DDD", "LLL"}, "us-123abc"},       // Arizona, Colorado, Minnesota, Washington (older)
	{[]string{"LLD", "LDL"}, "us-ab1c2d"},       // Missouri (2008-)
	{[]string{"LLLL", "DD"}, "us-abcd12"},       // Florida (2010s)
	{[]string{"D", "LL", "DDDD"}, "us-1ab2345"}, // Maryland
	{[]string{"LL", "DDDDD"}, "us-ab12345"},     // Illinois
}

func parseUS(in *input) []*Record {
	// A gap on an American plate is often the state's artwork (an emblem,
	// a sticker), not a group separator: one gap is ignored. Two gaps are
	// taken as read (B MW 1234 is German, whatever the preference).
	gaps := 0
	for _, h := range in.hint {
		if h {
			gaps++
		}
	}
	if gaps == 1 {
		in = &input{runes: in.runes, hint: make([]bool, len(in.runes))}
	}
	for _, f := range usFormats {
		g, ok := splitFixed(in, f.pattern...)
		if !ok {
			continue
		}
		// California prints 1ABC234 as one group; the others set their
		// groups apart.
		if f.name == "us-1abc234" {
			g = []string{strings.Join(g, "")}
		}
		return []*Record{usRecord(f.name, g, in)}
	}
	return nil
}

// usRecord is an American plate of the given format: its groups set apart
// by spaces, its letters and digits in Parts.
func usRecord(format string, groups []string, in *input) *Record {
	seps := make([]string, len(groups)-1)
	for i := range seps {
		seps[i] = " "
	}
	r := newRecord("US", format, groups, seps)
	var letters, digits strings.Builder
	for _, c := range in.runes {
		if isDigit(c) {
			digits.WriteRune(c)
		} else {
			letters.WriteRune(c)
		}
	}
	r.Parts.Letters, r.Parts.Digits = letters.String(), digits.String()
	return r
}

// usOther is an American plate that fits none of usFormats: the states
// issue vanity plates of any 2-7 letters and digits and many series of
// their own (all digits, 1ABC23, ABC1D), so where the US is named any such
// text is a plate, printed as read. Umlauts and longer texts are not.
func usOther(in *input) *Record {
	if len(in.runes) < 2 || len(in.runes) > 7 {
		return nil
	}
	var groups []string
	var cur []rune
	for i, c := range in.runes {
		if isUmlaut(c) {
			return nil
		}
		if in.hint[i] && len(cur) > 0 {
			groups = append(groups, string(cur))
			cur = nil
		}
		cur = append(cur, c)
	}
	groups = append(groups, string(cur))
	r := usRecord("us-other", groups, in)
	r.Confidence = 1
	r.Candidates = []Candidate{{Text: r.Text, Display: r.Display, Confidence: 1}}
	return r
}
