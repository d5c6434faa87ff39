package documents

import (
	"math"
	"strings"
)

// categoryMisreads lists, per character a category is printed with, the
// characters blurred print is read as in its place: the 1 of A1 as I, L,
// T, 3 or 7 ("AL", "CTE", "A3"), B as 8, D as 0 or O, E as F or U ("BU"
// for BE), M as N or H, 2 as Z or 7, C as G.
var categoryMisreads = map[byte]string{
	'1': "IL|T37J!",
	'2': "Z7",
	'A': "4",
	'B': "8",
	'C': "G",
	'D': "0O",
	'E': "FU",
	'M': "NH",
}

// categoriesInOrder are the categories by categoryOrder (a fixed order of
// trial keeps the cheapest parse the same from run to run).
var categoriesInOrder = func() []string {
	cs := make([]string, len(categoryOrder))
	for c, o := range categoryOrder {
		cs[o] = c
	}
	return cs
}()

// The costs of the parse that orderedCategories makes.
const (
	costMisread   = 1 // a character read as one of its categoryMisreads
	costSlashRead = 1 // a slash read as I, | or !
	costJunk      = 2 // a character between two categories that no category holds
)

// orderedCategories reads a categories row whose slashes were lost or
// whose characters blur misread ("AMABLBBE" for AM/A/B1/B/BE, "ANBLB/BECTE"
// for AM/B1/B/BE/C1E), the one fact the split by slashes cannot use: field
// 9 lists the categories in the order of the directive (categoryOrder),
// each at most once. Among the ways to cut the row into categories in that
// order (a character read as a categoryMisreads partner, a slash read as
// I, a stray character between two categories that no category is written
// with, each at a cost), the cheapest wins where it names at least two
// categories and costs at most half of them (rounded up); a row that
// starts or ends in a character no category explains is refused (the row
// was cut, or is no categories row).
func orderedCategories(t string) (string, bool) {
	s := strings.ToUpper(strings.Join(strings.Fields(t), ""))
	if p := strings.TrimPrefix(strings.TrimPrefix(s, "9"), "."); p != s && p != "" && p[0] >= 'A' && p[0] <= 'Z' {
		s = p
	}
	n := len(s)
	if n < 2 || n > 64 {
		return "", false
	}
	const states = 18 // last category's order + 1 (0: none yet)
	inf := math.MaxInt32
	type cell struct {
		cost int
		prev int // previous position
		last int // previous state
		cat  string
	}
	dp := make([][states]cell, n+1)
	for i := range dp {
		for k := range dp[i] {
			dp[i][k].cost = inf
		}
	}
	dp[0][0].cost = 0
	relax := func(i, k, j, kk, cost int, cat string) {
		if c := dp[i][k].cost + cost; c < dp[j][kk].cost {
			dp[j][kk] = cell{cost: c, prev: i, last: k, cat: cat}
		}
	}
	for i := 0; i < n; i++ {
		for k := 0; k < states; k++ {
			if dp[i][k].cost == inf {
				continue
			}
			switch {
			case s[i] == '/':
				relax(i, k, i+1, k, 0, "")
			case k > 0 && strings.IndexByte("I|!", s[i]) >= 0:
				relax(i, k, i+1, k, costSlashRead, "")
			}
			if k > 0 && i+1 < n && strings.IndexByte("ABCDELMT12", s[i]) < 0 {
				relax(i, k, i+1, k, costJunk, "")
			}
			for o, c := range categoriesInOrder {
				if o+1 <= k || i+len(c) > n {
					continue
				}
				cost := 0
				for x := 0; x < len(c) && cost < inf; x++ {
					switch {
					case s[i+x] == c[x]:
					case strings.IndexByte(categoryMisreads[c[x]], s[i+x]) >= 0:
						cost += costMisread
					default:
						cost = inf
					}
				}
				if cost < inf {
					relax(i, k, i+len(c), o+1, cost, c)
				}
			}
		}
	}
	best := -1
	for k := 1; k < states; k++ {
		if dp[n][k].cost < inf && (best < 0 || dp[n][k].cost < dp[n][best].cost) {
			best = k
		}
	}
	if best < 0 {
		return "", false
	}
	var cats []string
	for i, k := n, best; i > 0; {
		c := dp[i][k]
		if c.cat != "" {
			cats = append(cats, c.cat)
		}
		i, k = c.prev, c.last
	}
	if len(cats) < 2 || 2*dp[n][best].cost > len(cats)+1 {
		return "", false
	}
	for i, j := 0, len(cats)-1; i < j; i, j = i+1, j-1 {
		cats[i], cats[j] = cats[j], cats[i]
	}
	return strings.Join(cats, " "), true
}
