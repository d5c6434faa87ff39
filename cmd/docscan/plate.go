package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"docscan/plates"
)

func init() { extraCommands["plate"] = cmdPlate }

func cmdPlate(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	country := fs.String("country", "", "country code (DE, NL, FR, BE, CH, AT, PL, CZ, SK, BR, US); default: guess")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: docscan plate [--country CC] TEXT")
		return exitUsage
	}
	text := strings.Join(fs.Args(), " ")
	rec, err := plates.Parse(text, plates.Options{Country: strings.ToUpper(*country)})
	if rec != nil {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		if werr := enc.Encode(rec); werr != nil {
			fmt.Fprintln(stderr, werr)
			return exitFailed
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "docscan plate: %v\n", err)
		if errors.Is(err, plates.ErrNoFormat) {
			return exitFailed
		}
		return exitUsage
	}
	return exitOK
}
