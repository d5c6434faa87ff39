package pipeline

import (
	"math"
	"slices"
	"strings"
	"time"
	"unicode"

	"docscan/documents"
	"docscan/models"
)

// Licence dates by grammar. Motion blur reads a date's dots as digits
// (licence_0058's 4a 07.11.2022 read 0741162022) or drops them, and the
// row's value is then no date the field reader takes. A licence missing a
// date field has its lines of six digits or more that hold no date
// decoded again as a date line (dateGrammar: optionally a field number
// "3", "4a" or "4b" with its dot, then DD.MM.YYYY with days 01-31, months
// 01-12 and years 19xx or 20xx, then optionally a space or bracket and a
// place's letters). The spelling replaces the line where it costs at most
// dateMaxCost below the best path and the fields read again gain one,
// every field read before keeps its value, and the dates gained fit a
// card licence (licenceDateFits). On the 27 synthetic licences with a
// date unread, the right spellings cost 0.04-5.48; two wrong ones cost
// 1.15 and 3.37 (a digit the recognizer was sure of, read wrong), the
// other wrong ones 8.9 and more.
const dateMaxCost = 5.5

// dateTail are the characters of the place after a birth date (those the
// recognizer knows are kept).
const dateTail = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzÄÖÜäöüßÉÈÊËÀÂÇÎÏÔÛÙéèêëàâçîïôûù -()'."

// dateGrammar is the grammar of a licence's date line; knows tells which
// of the place's characters it may spell (a grammar holds only characters
// the recognizer knows). About 200 states: built where it is needed.
func dateGrammar(knows func(rune) bool) *models.Grammar {
	g := models.NewGrammar()
	add := g.Add
	// the field's number
	l3 := add("3", 0)
	l4 := add("4", 0)
	la, lb := add("a", l4), add("b", l4)
	ld := add(".", l3, la, lb)
	ls := add(" ", l3, la, lb, ld)
	heads := []int{0, l3, la, lb, ld, ls}
	// DD.MM.YYYY: days 01-31, months 01-12, years 19xx and 20xx
	digits := func(set string, from []int) []int {
		var out []int
		for _, c := range set {
			out = append(out, add(string(c), from...))
		}
		return out
	}
	pair := func(firsts map[rune]string, from []int) []int {
		var out []int
		for _, f := range "0123" {
			seconds, ok := firsts[f]
			if !ok {
				continue
			}
			q := add(string(f), from...)
			out = append(out, digits(seconds, []int{q})...)
		}
		return out
	}
	day := pair(map[rune]string{'0': "123456789", '1': "0123456789", '2': "0123456789", '3': "01"}, heads)
	dot1 := add(".", day...)
	month := pair(map[rune]string{'0': "123456789", '1': "012"}, []int{dot1})
	dot2 := add(".", month...)
	century := []int{add("9", add("1", dot2)), add("0", add("2", dot2))}
	prev := digits("0123456789", digits("0123456789", century))
	for _, q := range prev {
		g.Accept[q] = true
	}
	// the place: after a space or a bracket, any of its characters
	var tail []int
	for _, c := range dateTail {
		if !knows(c) {
			continue
		}
		from := []int(nil)
		if c == ' ' || c == '(' {
			from = prev
		}
		tail = append(tail, add(string(c), from...))
	}
	for _, q := range tail {
		g.Accept[q] = true
		g.Next[q] = append(g.Next[q], tail...)
	}
	return g
}

// dateFields are a licence's date fields.
var dateFields = []string{"birth_date", "issue_date", "expiry_date"}

// grammarDates decodes again as date lines the lines of a licence missing
// a date field that hold six digits or more and no date (see
// dateMaxCost); the fields read again are returned where one line's
// spelling gained one and changed none, else reads itself. lines' texts
// are left as the returned reads read them.
func grammarDates(rec *models.Recognizer, docType, country string, lines []documents.Line, outs []*models.Output, reads map[string]documents.Read, w, h int) map[string]documents.Read {
	missing := false
	for _, f := range dateFields {
		if _, ok := reads[f]; !ok {
			missing = true
		}
	}
	if !missing {
		return reads
	}
	held := map[int]bool{} // the number's lines
	for _, i := range reads["document_number"].Lines {
		held[i] = true
	}
	var g *models.Grammar
	for i := range lines {
		if i >= len(outs) || outs[i] == nil || held[i] || !dateLike(lines[i].Text) {
			continue
		}
		if g == nil {
			g = dateGrammar(rec.Knows)
		}
		states, cost, ok := outs[i].GrammarWithin(g, dateMaxCost)
		if !ok || len(states) == 0 {
			continue
		}
		var b strings.Builder
		for _, q := range states {
			b.WriteString(g.In[q])
		}
		text := b.String()
		if text == lines[i].Text {
			continue
		}
		saved := lines[i]
		// the spelling's confidence: its characters' share of the cost
		lines[i].Text, lines[i].Conf = text, saved.Conf*math.Exp(-cost/float64(len(states)))
		r := documents.ReadFields(docType, country, lines, w, h)
		if gains(reads, r, i) {
			reads = r
			continue
		}
		lines[i] = saved
	}
	return reads
}

// dateLike: text holds six digits or more and no date a field reader
// takes (documents.PlausibleDate's parse, plausible or not).
func dateLike(text string) bool {
	n := 0
	for _, c := range text {
		if unicode.IsDigit(c) {
			n++
		}
	}
	if n < 6 {
		return false
	}
	v, _ := documents.PlausibleDate("issue_date", text)
	return v == ""
}

// gains: after holds every field of before, and more, and the dates it
// gained are ones a licence can bear (licenceDateFits). Each keeps its
// value but a word field (documents.TextFields) read from the respelled
// line i: the grammar spells a place after the date with letters only
// (licence_0068's 29.08.194 WAR5CHAU spelled 29.08.1994 WARSCHAU).
func gains(before, after map[string]documents.Read, i int) bool {
	if len(after) <= len(before) {
		return false
	}
	for name, rd := range before {
		a, ok := after[name]
		if !ok {
			return false
		}
		if a.Value != rd.Value && !(documents.TextFields[name] && slices.Contains(a.Lines, i) && slices.Contains(rd.Lines, i)) {
			return false
		}
	}
	for name := range after {
		if _, ok := before[name]; !ok && !licenceDateFits(name, after) {
			return false
		}
	}
	return true
}

// licenceDateFits tells whether field name of reads, where a date, is one
// a card licence can bear: a holder at least 16 at the issue and born
// within 110 years, an issue not in the future and before the expiry, an
// expiry at most 15 years ahead. Other fields fit.
func licenceDateFits(name string, reads map[string]documents.Read) bool {
	at := func(f string) (time.Time, bool) {
		rd, ok := reads[f]
		if !ok {
			return time.Time{}, false
		}
		t, err := time.Parse("2006-01-02", rd.Value)
		return t, err == nil
	}
	t, ok := at(name)
	now := documents.Now()
	switch name {
	case "birth_date":
		return ok && t.Before(now.AddDate(-16, 0, 0)) && t.After(now.AddDate(-110, 0, 0))
	case "issue_date":
		if e, has := at("expiry_date"); has && ok && !t.Before(e) {
			return false
		}
		return ok && !t.After(now.AddDate(0, 0, 1)) && t.After(now.AddDate(-60, 0, 0))
	case "expiry_date":
		if i, has := at("issue_date"); has && ok && !i.Before(t) {
			return false
		}
		return ok && !t.After(now.AddDate(documents.LicenceTerm, 0, 1)) && t.After(now.AddDate(-60, 0, 0))
	}
	return true
}
