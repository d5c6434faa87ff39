package benchmarks

import (
	"sort"
	"strings"
)

// Document metrics (visual zone, capture quality gate).
const (
	CornerHit2       = "corner_hit_2"
	QualityWarn      = "quality_warn"
	QualityFalseWarn = "quality_false_warn"
)

var documentMetrics = []MetricDef{
	{CornerHit2, "corners <2%", "entries whose truth has a quad",
		"a document record's quad has a mean corner error < 2% of the truth quad's diagonal", false, false},
	{QualityWarn, "gate warns (degraded)", "entries whose truth.quality is degraded",
		"quality.warnings is not empty for a photo with a capture problem put in on purpose", false, false},
	{QualityFalseWarn, "gate warns (clean)", "entries whose truth.quality is clean",
		"quality.warnings is not empty for a photo without a capture problem", true, false},
}

// scoreDocument adds the document metrics to s.
func scoreDocument(e *Entry, res *Result, recs []record, s *Scores) {
	if len(e.Truth.Quad) == 4 {
		hit := false
		for _, r := range recs {
			if r.Kind == "document" && len(r.Quad) == 4 && quadArea(r.Quad) > 0 {
				hit = CornerError(r.Quad, e.Truth.Quad) < 0.02
				break
			}
		}
		s.hit(CornerHit2, hit)
	}
	warned := res != nil && res.Quality != nil && len(res.Quality.Warnings) > 0
	switch e.Truth.Quality {
	case "degraded":
		s.hit(QualityWarn, warned)
	case "clean":
		s.hit(QualityFalseWarn, warned)
	}
}

// sameCategories compares licence categories as sets ("AM/A1/B" equals
// "B A1 AM"): issuers print them in different orders.
func sameCategories(got, want string) bool {
	set := func(s string) string {
		f := strings.FieldsFunc(strings.ToUpper(s), func(r rune) bool { return r == '/' || r == ',' || r == ' ' || r == ';' })
		sort.Strings(f)
		return strings.Join(f, " ")
	}
	g, w := set(got), set(want)
	return g != "" && g == w
}
