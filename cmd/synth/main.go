// Command synth writes the project's seeded synthetic image sets (MRZ
// documents, German plates, demo samples) with a harness manifest.
//
//	go run ./cmd/synth -set mrz -n 300 -seed 1 -out out/synth/mrz
//
// See synth/README.md.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"docscan/synth"
)

func main() {
	set := flag.String("set", "", "set to generate: mrz, plates, samples, mini, idcard, licence, docmini")
	n := flag.Int("n", 300, "number of images (mrz, plates)")
	seed := flag.Uint64("seed", 1, "set seed")
	out := flag.String("out", "", "output directory")
	fontDir := flag.String("fonts", synth.DefaultFontDir, "font directory (Debian layout or flat)")
	workers := flag.Int("workers", 0, "parallel workers (default: CPUs); output does not depend on it")
	quiet := flag.Bool("q", false, "no progress on stderr")
	maxSide := flag.Int("maxside", 0, "cap the photo long side (idcard, licence; 0: up to 12 MP)")
	size := flag.String("size", "", "photo size WxH (idcard, licence; e.g. 4032x3024)")
	camera := flag.Bool("camera", false, "photograph the cards through a pinhole camera instead of a keystone (idcard, licence)")
	flag.Parse()
	if *set == "" || *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: synth -set mrz|plates|samples|mini|idcard|licence|docmini [-n N] [-maxside PX] [-size WxH] [-seed S] -out DIR [-fonts DIR]")
		os.Exit(2)
	}
	fonts, err := synth.LoadFonts(*fontDir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "synth:", err)
		os.Exit(1)
	}
	var w, h int
	if *size != "" {
		if _, err := fmt.Sscanf(*size, "%dx%d", &w, &h); err != nil || w <= 0 || h <= 0 {
			fmt.Fprintln(os.Stderr, "synth: -size wants WxH")
			os.Exit(2)
		}
	}
	start := time.Now()
	opt := synth.Options{Set: *set, N: *n, Seed: *seed, Out: *out, Fonts: fonts, Workers: *workers, MaxLongSide: *maxSide, Width: w, Height: h, Camera: *camera}
	if !*quiet {
		opt.Progress = func(done, total int) { fmt.Fprintf(os.Stderr, "\r%d/%d", done, total) }
	}
	entries, err := synth.GenerateSet(opt)
	if !*quiet {
		fmt.Fprintln(os.Stderr)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "synth:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "wrote %d images and manifest.json to %s in %s\n", len(entries), *out, time.Since(start).Round(time.Millisecond))
}
