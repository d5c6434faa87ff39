package scan

import "testing"

func TestKindOf(t *testing.T) {
	var nilText *TextRegion
	cases := []struct {
		rec  Record
		want string
	}{
		{&TextRegion{Kind: "text"}, "text"},
		{TextRegion{Kind: "text"}, "text"},
		{map[string]any{"kind": "plate"}, "plate"},
		{map[string]any{"kind": 3}, "unknown"},
		{nilText, "unknown"},
		{nil, "unknown"},
		{42, "unknown"},
	}
	for _, c := range cases {
		if got := KindOf(c.rec); got != c.want {
			t.Errorf("KindOf(%#v) = %q, want %q", c.rec, got, c.want)
		}
	}
}
