package disjoint

import "testing"

func TestSets(t *testing.T) {
	s := New(6)
	s.Union(0, 1)
	s.Union(2, 3)
	s.Union(1, 3)
	for _, c := range []struct {
		a, b int
		same bool
	}{{0, 3, true}, {2, 1, true}, {0, 4, false}, {4, 5, false}, {5, 5, true}} {
		if got := s.Find(c.a) == s.Find(c.b); got != c.same {
			t.Errorf("%d~%d: %v, want %v", c.a, c.b, got, c.same)
		}
	}
}

func TestGroups(t *testing.T) {
	s := New(6)
	s.Union(4, 1)
	s.Union(2, 5)
	s.Union(5, 1)
	got := s.Groups()
	want := [][]int{{0}, {1, 2, 4, 5}, {3}}
	if len(got) != len(want) {
		t.Fatalf("groups %v, want %v", got, want)
	}
	for i := range want {
		if len(got[i]) != len(want[i]) {
			t.Fatalf("groups %v, want %v", got, want)
		}
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Fatalf("groups %v, want %v", got, want)
			}
		}
	}
}
