// Command mrzlines writes the training lines of the project's Tesseract
// OCR-B model (models/tesseract/train.sh): MRZ lines rendered in OCR-B,
// photographed (paper texture, uneven light, blur, noise, JPEG) and cut out
// the way the pipeline cuts a line for Tesseract (tight detector box, 48
// pixels high, 8-pixel pad). Each line is NAME.png with NAME.gt.txt and a
// line box file NAME.box for `tesseract NAME.png NAME --psm 13 lstm.train`.
// Same seed and count give the same files.
//
//	go run ./cmd/mrzlines -n 6000 -seed 1 -out out/tesstrain/lines
package main

import (
	"bufio"
	"flag"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"docscan/synth"
)

func main() {
	n := flag.Int("n", 1000, "number of lines")
	first := flag.Int("first", 0, "index of the first line (disjoint sets from one seed)")
	seed := flag.Uint64("seed", 1, "seed")
	out := flag.String("out", "", "output directory")
	fontDir := flag.String("fonts", synth.DefaultFontDir, "font directory (Debian layout or flat)")
	workers := flag.Int("workers", runtime.NumCPU(), "parallel workers; output does not depend on it")
	flag.Parse()
	if *out == "" || *n <= 0 || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: mrzlines [-n N] [-first I] [-seed S] -out DIR [-fonts DIR]")
		os.Exit(2)
	}
	if err := run(*out, *fontDir, *seed, *first, *n, max(1, *workers)); err != nil {
		fmt.Fprintln(os.Stderr, "mrzlines:", err)
		os.Exit(1)
	}
}

func run(out, fontDir string, seed uint64, first, n, workers int) error {
	fonts, err := synth.LoadFonts(fontDir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	g := Generator{Fonts: fonts, Seed: seed}
	jobs := make(chan int)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				if err := write(g, out, i); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	var ferr error
feed:
	for i := first; i < first+n; i++ {
		select {
		case jobs <- i:
		case ferr = <-errs:
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	close(errs)
	if ferr != nil {
		return ferr
	}
	return <-errs
}

// write renders line i to out/mrz_NNNNNN.{png,gt.txt,box}.
func write(g Generator, out string, i int) error {
	s, err := g.Line(i)
	if err != nil {
		return fmt.Errorf("line %d: %w", i, err)
	}
	base := filepath.Join(out, fmt.Sprintf("mrz_%06d", i))
	f, err := os.Create(base + ".png")
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	if err := png.Encode(bw, s.Img); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(base+".gt.txt", []byte(s.Text+"\n"), 0o644); err != nil {
		return err
	}
	return os.WriteFile(base+".box", []byte(lineBox(s.Text, s.Img.Bounds().Dx(), s.Img.Bounds().Dy())), 0o644)
}

// lineBox is a Tesseract box file for a whole-line ground truth (WordStr
// format, as tesstrain's generate_line_box.py writes it).
func lineBox(text string, w, h int) string {
	return fmt.Sprintf("WordStr 0 0 %d %d 0 #%s\n\t %d %d %d %d 0\n", w, h, text, w, h, w+1, h+1)
}
