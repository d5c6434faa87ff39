//go:build !matprofile

package leakcheck

// Enabled reports whether Mat allocations are tracked (build tag matprofile).
const Enabled = false

// OpenMats returns 0: Mats are tracked only with -tags matprofile.
func OpenMats() (int, string) { return 0, "" }
