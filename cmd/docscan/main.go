// Command docscan reads identity documents and licence plates in photos.
// See README.md and ../shared/CONTRACT.md for the interface.
package main

import (
	"os"

	"docscan/internal/nativeenv"
)

func main() {
	// One OpenMP thread for Tesseract, huge pages for malloc (see package
	// nativeenv): re-executes the program once where either is not set.
	nativeenv.Setup()
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
