package synth

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func newTestImage(w, h int) *image.RGBA { return image.NewRGBA(image.Rect(0, 0, w, h)) }

// testFonts loads the Debian fonts; without them (make deps installs them)
// the test skips with a message, or fails under DOCSCAN_REQUIRE_ASSETS=1.
func testFonts(t *testing.T) *Fonts {
	t.Helper()
	f, err := LoadFonts(os.Getenv("SYNTH_FONTS"))
	if err != nil {
		if os.Getenv("DOCSCAN_REQUIRE_ASSETS") == "1" {
			t.Fatalf("fonts required: %v", err)
		}
		t.Skipf("fonts not installed (make deps): %v", err)
	}
	return f
}

func TestScenesDeterministic(t *testing.T) {
	fonts := testFonts(t)
	for _, tc := range []struct {
		name string
		gen  func(*Fonts, uint64, SceneOptions) (*Scene, error)
		opt  SceneOptions
	}{
		{"td1", MRZScene, SceneOptions{Format: TD1, MaxLongSide: 900}},
		{"td3", MRZScene, SceneOptions{Format: TD3, MaxLongSide: 900}},
		{"plate", PlateScene, SceneOptions{Width: 640, Height: 480}},
		{"plate2", PlateScene, SceneOptions{Width: 640, Height: 480, TwoLines: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := tc.gen(fonts, 12345, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			b, err := tc.gen(fonts, 12345, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.JPEG, b.JPEG) {
				t.Fatal("same seed, different bytes")
			}
			c, _ := tc.gen(fonts, 12346, tc.opt)
			if bytes.Equal(a.JPEG, c.JPEG) {
				t.Fatal("different seeds, same bytes")
			}
			if _, err := jpeg.Decode(bytes.NewReader(a.JPEG)); err != nil {
				t.Fatal(err)
			}
			if a.Entry.Kind == "mrz" {
				verifyMRZ(t, a.Entry.Truth.Format, a.Entry.Truth.MRZ)
			}
			if len(a.Entry.Quad) != 4 {
				t.Fatalf("quad %v", a.Entry.Quad)
			}
			for _, p := range a.Entry.Quad {
				if p[0] < 0 || p[1] < 0 || p[0] > float64(a.Entry.Width) || p[1] > float64(a.Entry.Height) {
					t.Errorf("quad corner %v outside the %dx%d image", p, a.Entry.Width, a.Entry.Height)
				}
			}
		})
	}
}

// TestMRZQuadHoldsText checks that the MRZ quad of a clean, unrotated scene
// covers dark text pixels and that the card quad is its frame.
func TestMRZQuadHoldsText(t *testing.T) {
	fonts := testFonts(t)
	sc, err := MRZScene(fonts, 7, SceneOptions{Format: TD3, Width: 1600, Height: 1200, Mild: true})
	if err != nil {
		t.Fatal(err)
	}
	q := sc.Entry.Quad
	dark := 0
	img := sc.Image
	for y := int(q[0][1]); y < int(q[3][1]); y++ {
		for x := int(q[0][0]); x < int(q[1][0]); x++ {
			o := img.PixOffset(x, y)
			if img.Pix[o] < 90 && img.Pix[o+1] < 90 {
				dark++
			}
		}
	}
	if dark < 2000 {
		t.Errorf("only %d dark pixels inside the MRZ quad %v", dark, q)
	}
}

func TestGenerateSetDeterministic(t *testing.T) {
	fonts := testFonts(t)
	a, b := t.TempDir(), t.TempDir()
	for i, dir := range []string{a, b} {
		if _, err := GenerateSet(Options{Set: SetMini, Seed: 3, Out: dir, Fonts: fonts, Workers: 1 + i}); err != nil {
			t.Fatal(err)
		}
	}
	ents, err := os.ReadDir(a)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 13 {
		t.Errorf("%d files, want 12 images and the manifest", len(ents))
	}
	for _, e := range ents {
		x, _ := os.ReadFile(filepath.Join(a, e.Name()))
		y, _ := os.ReadFile(filepath.Join(b, e.Name()))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between runs", e.Name())
		}
	}
}

// TestCommittedTestdata checks that testdata/synth and testdata/samples are
// what gen_testdata.sh makes today.
func TestCommittedTestdata(t *testing.T) {
	fonts := testFonts(t)
	for _, set := range []struct{ name, dir string }{{SetMini, "../testdata/synth"}, {SetSamples, "../testdata/samples"}} {
		want, err := ReadManifest(filepath.Join(set.dir, "manifest.json"))
		if err != nil {
			t.Skipf("no committed %s: %v", set.name, err)
		}
		out := t.TempDir()
		got, err := GenerateSet(Options{Set: set.name, Seed: 1, Out: out, Fonts: fonts})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d entries, committed %d", set.name, len(got), len(want))
		}
		for _, e := range got {
			x, _ := os.ReadFile(filepath.Join(out, e.File))
			y, err := os.ReadFile(filepath.Join(set.dir, e.File))
			if err != nil || !bytes.Equal(x, y) {
				t.Errorf("%s/%s differs from a fresh run; run synth/gen_testdata.sh", set.dir, e.File)
			}
			if e.Kind == "mrz" {
				verifyMRZ(t, e.Truth.Format, e.Truth.MRZ)
			}
			if e.Kind == "plate" && strings.ContainsAny(e.Truth.Plate, " -") {
				t.Errorf("plate text %q has separators", e.Truth.Plate)
			}
		}
	}
}

// TestUmlautDots: every umlaut of the plate font has ink above its base
// letter (OSP-DIN draws Ö as a plain O; DrawText adds the dots), and the
// base letters have none.
func TestUmlautDots(t *testing.T) {
	fonts := testFonts(t)
	const size, base = 100.0, 150.0
	inkAbove := func(r rune) int {
		img := newTestImage(120, 200)
		draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
		DrawText(img, fonts.DIN, size, 10, base, string(r), color.Black)
		top := base - CapHeight(fonts.DIN)*size - 3
		n := 0
		for y := 0; y < int(top); y++ {
			for x := 0; x < 120; x++ {
				if img.RGBAAt(x, y).R < 128 {
					n++
				}
			}
		}
		return n
	}
	for r, b := range umlautBase {
		if n := inkAbove(r); n < 40 {
			t.Errorf("%c: %d dark pixels above the capitals, want its dots", r, n)
		}
		if n := inkAbove(b); n != 0 {
			t.Errorf("%c: %d dark pixels above the capitals", b, n)
		}
	}
}
