package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"docscan/mrz"
)

func init() { extraCommands["mrz"] = cmdMRZ }

// maxMRZInput bounds what `docscan mrz` reads from stdin.
const maxMRZInput = 64 << 10

func cmdMRZ(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mrz", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: docscan mrz < lines.txt")
		return exitUsage
	}
	data, err := io.ReadAll(io.LimitReader(stdin, maxMRZInput+1))
	if err != nil {
		fmt.Fprintf(stderr, "docscan mrz: read stdin: %v\n", err)
		return exitFailed
	}
	if len(data) > maxMRZInput {
		fmt.Fprintf(stderr, "docscan mrz: input longer than %d bytes\n", maxMRZInput)
		return exitFailed
	}
	// Exit 1 for text that is not an MRZ of a known format (mrz.ErrNotMRZ)
	// and for anything else that stops the parse.
	rec, err := mrz.ReadText(string(data), mrz.Options{})
	if err != nil {
		fmt.Fprintf(stderr, "docscan mrz: %v\n", err)
		return exitFailed
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rec); err != nil {
		fmt.Fprintf(stderr, "docscan mrz: %v\n", err)
		return exitFailed
	}
	return exitOK
}
