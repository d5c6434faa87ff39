// Command docscan reads identity documents and licence plates in photos.
// See README.md and ../shared/CONTRACT.md for the interface.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
