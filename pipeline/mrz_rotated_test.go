package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"strings"
	"testing"

	"github.com/disintegration/imaging"

	"docscan/mrz"
)

// transform is a way a photo of a bundled sample may come in.
type transform struct {
	name string
	f    func(image.Image) *image.NRGBA
}

// readTransformed reads each bundled MRZ sample through each transform.
// No transform may give a valid record with wrong lines; each must be
// read exactly, except the known misses (sample/transform), which must
// be found and refused.
func readTransformed(t *testing.T, ts []transform, known map[string]bool) {
	e := testEngines(t, Options{})
	for _, m := range samples(t, "mrz") {
		src, _, err := image.Decode(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range ts {
			var buf bytes.Buffer
			if err := jpeg.Encode(&buf, tr.f(src), &jpeg.Options{Quality: 92}); err != nil {
				t.Fatal(err)
			}
			r := e.Process(context.Background(), Request{File: m.File, Data: buf.Bytes(), Kind: "mrz"})
			var got *mrz.Record
			for _, rec := range r.Records {
				if mr, ok := rec.(*mrz.Record); ok {
					got = mr
				}
			}
			exact := got != nil && strings.Join(got.Lines, "\n") == strings.Join(m.Truth.MRZ, "\n")
			switch {
			case got != nil && got.Valid && !exact:
				t.Errorf("%s %s: false accept %q", m.File, tr.name, got.Lines)
			case known[m.File+"/"+tr.name]:
				if got == nil {
					t.Errorf("%s %s: known miss, but no zone found", m.File, tr.name)
				}
				t.Logf("%s %s: known miss, read valid=%v", m.File, tr.name, got != nil && got.Valid)
			case got == nil || !got.Valid || !exact:
				t.Errorf("%s %s: got %+v, want %q valid", m.File, tr.name, got, m.Truth.MRZ)
			}
		}
	}
}

// TestMRZSamplesTurned reads the bundled MRZ samples turned by 90, 180 and
// 270 degrees: a phone photo may come in any orientation without EXIF.
func TestMRZSamplesTurned(t *testing.T) {
	readTransformed(t, []transform{
		{"turned 90", imaging.Rotate90}, {"turned 180", imaging.Rotate180}, {"turned 270", imaging.Rotate270},
	}, nil)
}

// TestMRZSamplesTilted reads the bundled MRZ samples tilted 35 and 40
// degrees, where the text detector, trained on level text, cuts the lines
// or misses them: the fine pass reads the photo turned level by the tilt
// of the detected lines (Scene.skew).
func TestMRZSamplesTilted(t *testing.T) {
	var ts []transform
	for _, deg := range []float64{40, -35} {
		ts = append(ts, transform{fmt.Sprintf("tilted %v", deg), func(img image.Image) *image.NRGBA {
			return imaging.Rotate(img, deg, color.RGBA{90, 100, 90, 255})
		}})
	}
	// Known miss (2026-11-30): tilted 40 degrees, the passport's zone is
	// read exactly but refused (names_unambiguous: PP-OCR's crops read
	// OBRIEN<<MARIE as OBRIE<<<MARI, a letter dropped before a filler).
	readTransformed(t, ts, map[string]bool{"passport_td3.jpg/tilted 40": true})
}
