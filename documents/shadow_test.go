package documents

import "testing"

// snapOf is a side's snap with candidates (offset, polarity, support),
// the first chosen.
func snapOf(cands ...sideCand) sideSnap {
	s := sideSnap{cands: cands, best: 0}
	for _, c := range cands {
		s.bestN = max(s.bestN, c.support)
	}
	return s
}

func TestUnshadowed(t *testing.T) {
	lightOut := func(off float64, n int) sideCand { return sideCand{off: off, sign: 1, support: n} }
	darkOut := func(off float64, n int) sideCand { return sideCand{off: off, sign: -1, support: n} }
	for _, c := range []struct {
		name  string
		snaps [4]sideSnap
		want  [4]int
	}{
		// idcard_0129: the shadow's outer edge beat the card's
		{"shadow", [4]sideSnap{
			snapOf(lightOut(-6, 40)), snapOf(lightOut(-3.5, 29)),
			snapOf(darkOut(-7.8, 39), lightOut(-17.9, 29), lightOut(-19.1, 13)),
			snapOf(lightOut(-13.8, 38)),
		}, [4]int{0, 0, 1, 0}},
		// the card's edge too weak (under shadowShare of the best)
		{"weak", [4]sideSnap{
			snapOf(lightOut(-6, 40)), snapOf(lightOut(-3.5, 29)),
			snapOf(darkOut(-7.8, 39), lightOut(-17.9, 20)),
			snapOf(lightOut(-13.8, 38)),
		}, [4]int{0, 0, 0, 0}},
		// the fourth side's edge itself weak (idcard_0175, cut off:
		// 13 of 40 samples): nothing to go by
		{"weak edge", [4]sideSnap{
			snapOf(lightOut(-6, 40)), snapOf(lightOut(-3.5, 29)),
			snapOf(darkOut(-6, 13), lightOut(-7, 8)),
			snapOf(lightOut(-13.8, 38)),
		}, [4]int{0, 0, 0, 0}},
		// too far inside for a shadow (short side 150: 15 pixels)
		{"far", [4]sideSnap{
			snapOf(lightOut(-6, 40)), snapOf(lightOut(-3.5, 29)),
			snapOf(darkOut(-7.8, 39), lightOut(-24, 39)),
			snapOf(lightOut(-13.8, 38)),
		}, [4]int{0, 0, 0, 0}},
		// only outwards of the chosen edge
		{"outwards", [4]sideSnap{
			snapOf(lightOut(-6, 40)), snapOf(lightOut(-3.5, 29)),
			snapOf(darkOut(-7.8, 39), lightOut(-2, 39)),
			snapOf(lightOut(-13.8, 38)),
		}, [4]int{0, 0, 0, 0}},
		// two sides each way: no polarity to go by
		{"split", [4]sideSnap{
			snapOf(lightOut(-6, 40)), snapOf(darkOut(-3.5, 29), lightOut(-8, 29)),
			snapOf(darkOut(-7.8, 39), lightOut(-12, 39)),
			snapOf(lightOut(-13.8, 38)),
		}, [4]int{0, 0, 0, 0}},
		// a dark card on light ground, its shadow's edge light to dark
		{"dark card", [4]sideSnap{
			snapOf(darkOut(-6, 40)), snapOf(lightOut(-3, 35), darkOut(-9, 30)),
			snapOf(darkOut(-7.8, 39)), snapOf(darkOut(-13.8, 38)),
		}, [4]int{0, 1, 0, 0}},
	} {
		snaps := c.snaps
		unshadowed(&snaps, 150)
		for i, s := range snaps {
			if s.best != c.want[i] {
				t.Errorf("%s: side %d chose %d, want %d", c.name, i, s.best, c.want[i])
			}
		}
	}
	// a side with no edge leaves the others alone
	snaps := [4]sideSnap{snapOf(lightOut(-6, 40)), {best: -1}, snapOf(darkOut(-7.8, 39), lightOut(-12, 39)), snapOf(lightOut(-13.8, 38))}
	unshadowed(&snaps, 150)
	if snaps[2].best != 0 {
		t.Errorf("three sides found: side 2 chose %d, want 0", snaps[2].best)
	}
}
