// Package freeport gives tests loopback addresses to listen on.
package freeport

import (
	"net"
	"testing"
)

// Addrs returns n distinct loopback addresses (127.0.0.1:port) free now:
// every listener is held until the last is open, so the kernel cannot hand
// one port out twice (it may reuse a port as soon as its listener closes).
// Another process may still take one before the caller listens on it.
func Addrs(tb testing.TB, n int) []string {
	tb.Helper()
	addrs := make([]string, n)
	for i := range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			tb.Fatal(err)
		}
		defer l.Close()
		addrs[i] = l.Addr().String()
	}
	return addrs
}
