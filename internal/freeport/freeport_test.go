package freeport

import (
	"net"
	"testing"
)

// TestAddrs: the addresses are distinct and each can be listened on.
func TestAddrs(t *testing.T) {
	addrs := Addrs(t, 6)
	seen := map[string]bool{}
	for _, a := range addrs {
		if seen[a] {
			t.Fatalf("%s twice in %v", a, addrs)
		}
		seen[a] = true
		l, err := net.Listen("tcp", a)
		if err != nil {
			t.Fatalf("%s: %v", a, err)
		}
		l.Close()
	}
}
