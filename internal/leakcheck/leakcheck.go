// Package leakcheck fails a test binary that leaves OpenCV Mats open. Use it
// from TestMain; it is effective when tests run with -tags matprofile (as
// `make test-leaks` and CI do) and a no-op otherwise.
package leakcheck

import (
	"fmt"
	"os"
	"testing"
)

// Main runs the tests, then fails the binary when any Mat is still open.
func Main(m *testing.M) {
	code := m.Run()
	if n, stacks := OpenMats(); n > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: %d gocv Mat(s) left open:\n%s\n", n, stacks)
		if code == 0 {
			code = 1
		}
	} else if Enabled {
		fmt.Fprintln(os.Stderr, "leakcheck: no gocv Mat left open")
	}
	os.Exit(code)
}
