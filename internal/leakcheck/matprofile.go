//go:build matprofile

package leakcheck

import (
	"bytes"

	"gocv.io/x/gocv"
)

// Enabled reports whether Mat allocations are tracked (build tag matprofile).
const Enabled = true

// OpenMats returns the number of Mats still open and their allocation stacks.
func OpenMats() (int, string) {
	var b bytes.Buffer
	n := gocv.MatProfile.Count()
	if n > 0 {
		gocv.MatProfile.WriteTo(&b, 1)
	}
	return n, b.String()
}
