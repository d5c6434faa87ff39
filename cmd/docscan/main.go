// Command docscan reads identity documents and licence plates in photos.
// See README.md and ../shared/CONTRACT.md for the interface.
package main

import (
	"os"

	"docscan/internal/ompenv"
)

func main() {
	// One OpenMP thread for Tesseract (see package ompenv): re-executes
	// the program once when OMP_THREAD_LIMIT is not set.
	ompenv.Limit()
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
