// Command ocrbtrain trains the MRZ reader's OCR-B cell classifier
// (pipeline/ocrb_net.bin) from cells collected on synthetic scenes by
// TestCollectOCRBCells; scripts/train-ocrb-cells.sh runs the whole chain:
//
//	go run ./cmd/ocrbtrain -out pipeline/ocrb_net.bin /tmp/cells_0.bin /tmp/cells_1.bin
//
// With -classes plate it trains the plate reader's character classifier
// (pipeline/plate_net.bin) from the cells of TestCollectPlateCells and
// TestCollectRenderedPlateCells (scripts/train-plate-cells.sh).
//
// Scenes whose index is a multiple of -holdout are kept out of training
// and scored: overall, per character read wrong, and the cells the
// pipeline's thresholds would take for another character. With -eval a
// trained net is scored on the samples' unshifted cells instead.
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"docscan/internal/cellnet"
	"docscan/synth"
)

// Classes is the character set in the classifier's output order: the
// MRZ's, the cell table's (pipeline checks the net against it), or with
// -classes plate the plate classifier's (synth.PlateNetChars).
var Classes = synth.MRZChars

type sample struct {
	x     []float32
	y     int
	scene int
	kind  byte
}

func main() {
	out := flag.String("out", "pipeline/ocrb_net.bin", "classifier to write")
	hidden := flag.String("hidden", "128", "hidden layer sizes, comma-separated")
	epochs := flag.Int("epochs", 12, "passes over the samples")
	lr := flag.Float64("lr", 0.002, "Adam step size at the start")
	decay := flag.Float64("decay", 1e-4, "weight decay")
	holdout := flag.Int("holdout", 5, "scenes with index a multiple of this are held out (0: none)")
	seed := flag.Int64("seed", 1, "initialization and sample order")
	workers := flag.Int("workers", 2, "goroutines")
	eval := flag.String("eval", "", "score this trained net on all the samples' unshifted cells instead of training")
	classes := flag.String("classes", "mrz", "the classes: mrz (OCR-B cells) or plate (plate characters)")
	flag.Parse()
	switch *classes {
	case "mrz":
	case "plate":
		Classes = synth.PlateNetChars
	default:
		fmt.Fprintln(os.Stderr, "ocrbtrain: -classes: mrz or plate")
		os.Exit(2)
	}
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "ocrbtrain: give the sample files TestCollectOCRBCells wrote")
		os.Exit(2)
	}
	var all []sample
	size := 0
	for _, p := range flag.Args() {
		s, n, err := load(p)
		if err != nil {
			fmt.Fprintln(os.Stderr, "ocrbtrain:", err)
			os.Exit(1)
		}
		if size != 0 && n != size {
			fmt.Fprintln(os.Stderr, "ocrbtrain: sample files of different cell sizes")
			os.Exit(1)
		}
		size = n
		all = append(all, s...)
	}
	if *eval != "" {
		b, err := os.ReadFile(*eval)
		if err != nil {
			fmt.Fprintln(os.Stderr, "ocrbtrain:", err)
			os.Exit(1)
		}
		net, err := cellnet.Parse(b)
		if err != nil || net.Sizes[0] != size || net.Classes != Classes {
			fmt.Fprintln(os.Stderr, "ocrbtrain: -eval: not a net for these cells", err)
			os.Exit(1)
		}
		var cells []sample
		for _, s := range all {
			if s.kind == 0 {
				cells = append(cells, s)
			}
		}
		fmt.Println(score(net, cells, true))
		return
	}
	var train, test []sample
	for _, s := range all {
		if *holdout > 0 && s.scene%*holdout == 0 {
			if s.kind == 0 {
				test = append(test, s)
			}
		} else {
			train = append(train, s)
		}
	}
	sizes := []int{size}
	for _, h := range strings.Split(*hidden, ",") {
		if h == "" {
			continue
		}
		v, err := strconv.Atoi(h)
		if err != nil {
			fmt.Fprintln(os.Stderr, "ocrbtrain: -hidden:", err)
			os.Exit(2)
		}
		sizes = append(sizes, v)
	}
	sizes = append(sizes, len(Classes))
	net, err := cellnet.New(sizes, Classes, *seed)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ocrbtrain:", err)
		os.Exit(1)
	}
	xs := make([][]float32, len(train))
	ys := make([]int, len(train))
	for i, s := range train {
		xs[i], ys[i] = s.x, s.y
	}
	fmt.Printf("%d training cells, %d held out, net %v\n", len(train), len(test), sizes)
	err = net.Train(xs, ys, cellnet.TrainOptions{
		Epochs: *epochs, Batch: 64, LR: *lr, Decay: *decay, Seed: *seed, Workers: *workers,
		Epoch: func(ep int, loss float64) {
			fmt.Printf("epoch %d: loss %.4f, held out %s\n", ep+1, loss, score(net, test, false))
		},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "ocrbtrain:", err)
		os.Exit(1)
	}
	fmt.Println("held out:", score(net, test, true))
	b, _ := net.MarshalBinary()
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "ocrbtrain:", err)
		os.Exit(1)
	}
}

// sure and doubt are the pipeline's thresholds for a contradiction
// (pipeline.netSure, netDoubt): the classifier gives another character at
// least sure and the cell's own at most doubt.
const sure, doubt = 0.9, 0.02

// score is the share of held-out cells classified right and, when
// detail, the confusions counted.
func score(net *cellnet.Net, test []sample, detail bool) string {
	if len(test) == 0 {
		return "none"
	}
	right, sureWrong := 0, 0
	conf := map[string]int{}
	for _, s := range test {
		p := net.Probs(s.x)
		b := 0
		for i := range p {
			if p[i] > p[b] {
				b = i
			}
		}
		if p[b] >= sure && p[s.y] <= doubt {
			sureWrong++
		}
		if b == s.y {
			right++
		} else {
			conf[fmt.Sprintf("%c>%c", Classes[s.y], Classes[b])]++
		}
	}
	r := fmt.Sprintf("%.2f%% (%d/%d), sure and wrong %d", 100*float64(right)/float64(len(test)), right, len(test), sureWrong)
	if detail {
		var keys []string
		for k := range conf {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			return conf[keys[i]] > conf[keys[j]] || conf[keys[i]] == conf[keys[j]] && keys[i] < keys[j]
		})
		var parts []string
		for _, k := range keys[:min(len(keys), 30)] {
			parts = append(parts, fmt.Sprintf("%s %d", k, conf[k]))
		}
		r += "; wrong: " + strings.Join(parts, ", ")
	}
	return r
}

// load reads a sample file of TestCollectOCRBCells: "OCRS", w, h, then
// per cell its character, scene (uint16), kind and w*h coverage bytes.
func load(path string) ([]sample, int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, err
	}
	if len(b) < 8 || string(b[:4]) != "OCRS" {
		return nil, 0, fmt.Errorf("%s: not a cell sample file", path)
	}
	w, h := int(binary.LittleEndian.Uint16(b[4:])), int(binary.LittleEndian.Uint16(b[6:]))
	n := w * h
	rec := 4 + n
	body := b[8:]
	if n == 0 || len(body)%rec != 0 {
		return nil, 0, fmt.Errorf("%s: %w", path, io.ErrUnexpectedEOF)
	}
	var out []sample
	v := make([]float64, n)
	for off := 0; off < len(body); off += rec {
		y := strings.IndexByte(Classes, body[off])
		if y < 0 {
			return nil, 0, errors.New(path + ": a cell of no character of the classes")
		}
		for i, c := range body[off+4 : off+rec] {
			v[i] = float64(c) / 255
		}
		out = append(out, sample{
			x:     cellnet.Prepare(nil, v),
			y:     y,
			scene: int(binary.LittleEndian.Uint16(body[off+1:])),
			kind:  body[off+3],
		})
	}
	return out, n, nil
}
