package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode"

	"docscan/models"
	"docscan/synth"
)

// TestCollectPlateCells is not a test but the sample collection for the
// plate character classifier (cmd/ocrbtrain -classes plate,
// scripts/train-plate-cells.sh): it scans the synthetic plate scenes of a
// manifest as plate requests and, for each line PP-OCR read whose
// characters line up with a stretch of the truth's (all of them, or all
// but one, at one place only), writes each character's cell
// (plateLine.cell) labelled with the truth's character, unshifted and at
// two random shifts. It runs only when DOCSCAN_PLATE_COLLECT names the
// output file (DOCSCAN_PLATE_MANIFEST the manifest, DOCSCAN_PLATE_SHARD
// "i/n" a share of its scenes).
//
// Output: the format of TestCollectOCRBCells ("OCRS", the cell's width
// and height, then per cell its class byte (synth.PlateNetChars), its
// scene's index, 0 (unshifted) or 1, and its coverage bytes).
func TestCollectPlateCells(t *testing.T) {
	out, manifest, b, shard, shards := collectEnv(t, "DOCSCAN_PLATE")
	var entries []struct {
		File  string `json:"file"`
		Truth struct {
			Plate string `json:"plate"`
		} `json:"truth"`
	}
	if err := json.Unmarshal(b, &entries); err != nil {
		t.Fatal(err)
	}
	cf := createCellFile(t, out, plateCellW, plateCellH)

	var mu sync.Mutex
	var truth []rune
	var scene int
	var rng *rand.Rand
	lines := 0
	write := func(c byte, kind byte, v []float64) { cf.write(c, scene, kind, v) }
	plateTap = func(s *Scene) {
		mu.Lock()
		defer mu.Unlock()
		seen := map[string]bool{}
		for _, r := range s.Regions {
			if !r.Read {
				continue
			}
			l := regionLine(s.Frame, r)
			if l == nil {
				continue
			}
			var read []rune
			for _, c := range l.chars {
				rs := []rune(strings.ToUpper(c.Char))
				if len(rs) != 1 {
					read = nil
					break
				}
				read = append(read, rs[0])
			}
			at := lineUp(read, truth)
			if at < 0 {
				continue
			}
			key := fmt.Sprint(r.Quad)
			if seen[key] {
				continue
			}
			seen[key] = true
			lines++
			for i := range read {
				c := plateClass(truth[at+i])
				if c == 0 {
					continue
				}
				if v := l.cell(i, 0, 0); v != nil {
					write(c, 0, v)
				}
				for k := 0; k < 2; k++ {
					dx := (2*rng.Float64() - 1) * 0.1
					dy := (2*rng.Float64() - 1) * 0.06
					if v := l.cell(i, dx, dy); v != nil {
						write(c, 1, v)
					}
				}
			}
		}
	}
	defer func() { plateTap = nil }()

	e := testEngines(t, Options{})
	dir := filepath.Dir(manifest)
	for i, sc := range entries {
		if i%shards != shard || sc.Truth.Plate == "" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, sc.File))
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		truth, scene, rng = []rune(sc.Truth.Plate), i, rand.New(rand.NewSource(int64(i)))
		mu.Unlock()
		e.Process(context.Background(), Request{File: sc.File, Data: data, Kind: "plate"})
	}
	cf.close(t)
	t.Logf("%d lines, %d cells written to %s", lines, cf.n, out)
}

// lineUp is where read lines up with a stretch of truth: the one offset
// at which all its characters, or all but one (of three or more), match
// (umlauts and their vowels alike); -1 when none or more than one.
func lineUp(read, truth []rune) int {
	if len(read) < 2 || len(read) > len(truth) {
		return -1
	}
	fold := func(r rune) rune { return foldUmlaut(unicode.ToUpper(r)) }
	at, best, ties := -1, -1, 0
	for o := 0; o+len(read) <= len(truth); o++ {
		m := 0
		for i, r := range read {
			if fold(r) == fold(truth[o+i]) {
				m++
			}
		}
		switch {
		case m > best:
			at, best, ties = o, m, 1
		case m == best:
			ties++
		}
	}
	if ties != 1 || best < len(read)-1 || len(read) < 3 && best < len(read) {
		return -1
	}
	return at
}

// TestCollectRenderedPlateCells is, like TestCollectPlateCells, sample
// collection for the plate classifier, from plate lines rendered here in
// the plate font rather than photographed: sharp or blurred, high or low
// contrast, noisy or clean, at the capital heights a plate crop has (the
// scenes' plates are mostly small, blurred and dark; a sharp plate up
// close must be classified too). Each line's reading positions are the
// glyphs' centres moved by up to a tenth of the capitals' height, as a
// recognizer places them. It runs only when DOCSCAN_PLATE_RENDER names
// the output file (DOCSCAN_PLATE_RENDER_N lines, default 4000; seed
// DOCSCAN_PLATE_RENDER_SEED, default 1).
func TestCollectRenderedPlateCells(t *testing.T) {
	out := os.Getenv("DOCSCAN_PLATE_RENDER")
	if out == "" {
		t.Skip("sample collection for cmd/ocrbtrain: set DOCSCAN_PLATE_RENDER")
	}
	n, seed := 4000, int64(1)
	if s := os.Getenv("DOCSCAN_PLATE_RENDER_N"); s != "" {
		fmt.Sscan(s, &n)
	}
	if s := os.Getenv("DOCSCAN_PLATE_RENDER_SEED"); s != "" {
		fmt.Sscan(s, &seed)
	}
	fs, err := synth.LoadFonts("")
	if err != nil {
		t.Fatal(err)
	}
	cf := createCellFile(t, out, plateCellW, plateCellH)
	rng := rand.New(rand.NewSource(seed))
	chars := []rune(synth.PlateChars + "ÄÖÜ")
	for line := 0; line < n; line++ {
		k := 4 + rng.Intn(5)
		text := make([]rune, k)
		for i := range text {
			text[i] = chars[rng.Intn(len(chars))]
		}
		l := renderedLine(fs, string(text), rng)
		if l == nil {
			continue
		}
		for i, r := range text {
			c := plateClass(r)
			for kind := 0; kind < 3; kind++ {
				dx, dy := 0.0, 0.0
				if kind > 0 {
					dx, dy = (2*rng.Float64()-1)*0.1, (2*rng.Float64()-1)*0.06
				}
				if v := l.cell(i, dx, dy); v != nil {
					cf.write(c, line, byte(min(kind, 1)), v)
				}
			}
		}
	}
	cf.close(t)
	t.Logf("%d lines, %d cells written to %s", n, cf.n, out)
}

// renderedLine draws text in the plate font as marginCrop crops a plate
// line (the box 48 rows from row 24, 12 rows below it), with random
// capital height, position in the box, contrast, blur and noise, and
// returns it as a plateLine with the glyphs' centres moved a little as
// its reading's positions.
func renderedLine(fs *synth.Fonts, text string, rng *rand.Rand) *plateLine {
	const top = 24
	capH := 24 + 14*rng.Float64()
	size := capH / synth.CapHeight(fs.DIN)
	gap := 0.0
	if rng.Intn(2) == 0 {
		gap = capH * (0.3 + 0.5*rng.Float64()) // the seal's gap
	}
	at := 1 + rng.Intn(max(1, len([]rune(text))-1))
	width := 16 + synth.TextWidth(fs.DIN, size, text) + gap + 16
	img := image.NewGray(image.Rect(0, 0, int(width), top+48+12))
	paper := 150 + rng.Intn(100)
	ink := rng.Intn(max(1, paper-90))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.Gray{Y: uint8(paper)}), image.Point{}, draw.Src)
	base := float64(top) + 24 + capH/2 + (2*rng.Float64()-1)*4
	x := 16.0
	var cs []models.Char
	for k, r := range []rune(text) {
		if k == at {
			x += gap
		}
		adv := synth.TextWidth(fs.DIN, size, string(r))
		synth.DrawText(img, fs.DIN, size, x, base, string(r), color.Gray{Y: uint8(ink)})
		c := (x + adv/2 + (2*rng.Float64()-1)*0.1*capH) / width
		cs = append(cs, models.Char{Char: string(r), Prob: 0.5, X0: c - 0.01, X1: c + 0.01})
		x += adv
	}
	g := img
	if s := 1.6 * rng.Float64(); s > 0.3 {
		g = blurGray(g, s)
	}
	if sd := 10 * rng.Float64(); sd > 2 {
		for i := range g.Pix {
			g.Pix[i] = uint8(min(max(float64(g.Pix[i])+rng.NormFloat64()*sd, 0), 255))
		}
	}
	return newPlateLine(g, top, cs)
}
