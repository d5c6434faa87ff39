package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"strings"
	"testing"

	"github.com/disintegration/imaging"

	"docscan/mrz"
)

// TestMRZSamplesTurned reads the bundled MRZ samples turned by 90, 180 and
// 270 degrees: a phone photo may come in any orientation without EXIF. No
// turn may give a valid record with wrong lines; every turn must be read
// exactly except the known misses below, which must be refused.
func TestMRZSamplesTurned(t *testing.T) {
	// Known misses (2026-11-30): turned, the passport's crops read
	// OBRIEN<<MARIE as OBRIE<<<MARI (PP-OCR drops a letter before a
	// filler; Tesseract sees the N and E, so the zone is refused).
	known := map[string]bool{"passport_td3.jpg/90": true, "passport_td3.jpg/180": true}
	e := testEngines(t, Options{})
	for _, m := range samples(t, "mrz") {
		src, _, err := image.Decode(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		for _, turn := range []struct {
			deg int
			f   func(image.Image) *image.NRGBA
		}{{90, imaging.Rotate90}, {180, imaging.Rotate180}, {270, imaging.Rotate270}} {
			var buf bytes.Buffer
			if err := jpeg.Encode(&buf, turn.f(src), &jpeg.Options{Quality: 92}); err != nil {
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
				t.Errorf("%s turned %d: false accept %q", m.File, turn.deg, got.Lines)
			case known[fmt.Sprintf("%s/%d", m.File, turn.deg)]:
				t.Logf("%s turned %d: known miss, read %v valid=%v", m.File, turn.deg, got != nil, got != nil && got.Valid)
			case got == nil || !got.Valid || !exact:
				t.Errorf("%s turned %d: got %+v, want %q valid", m.File, turn.deg, got, m.Truth.MRZ)
			}
		}
	}
}
