package preprocess

import (
	"image"
	"image/color"
	"testing"

	"docscan/geom"
	"docscan/synth"
)

// TestMRZZonesJoinedColumn (MRZZonesWide): a close-up zone, whose two lines lie further
// apart than the first closing reaches (each line alone is too long for a
// zone), is found by the wider closing; and where that closing also joins
// the zone to a narrow column of print above it (stacked short fields),
// the blob has no long rectangle's shape as a whole and the wider
// openings cut the column away. Without the wider closing neither photo
// gives the zone; without the wider openings the one with the column
// does not.
func TestMRZZonesJoinedColumn(t *testing.T) {
	fs, err := synth.LoadFonts("")
	if err != nil {
		t.Skipf("fonts not installed (make deps): %v", err)
	}
	const size, x0, y0, pitch = 30.0, 100.0, 640.0, 44.0
	lines := []string{"P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<", "C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4"}
	for _, column := range []bool{false, true} {
		img := image.NewRGBA(image.Rect(0, 0, 1200, 900))
		synth.Fill(img, color.RGBA{90, 100, 110, 255})
		synth.FillRect(img, 60, 300, 1140, 760, color.RGBA{222, 220, 210, 255})
		ink := color.RGBA{30, 30, 35, 255}
		w := 0.0
		for k, s := range lines {
			w = max(w, synth.DrawText(img, fs.OCRB, size, x0, y0+float64(k)*pitch, s, ink)-x0)
		}
		if column {
			// two-digit fields stacked down to the zone
			for y := 340.0; y < y0-size; y += 28 {
				synth.DrawText(img, fs.Sans, 22, 520, y, "12", ink)
			}
		}
		f := frameOf(t, img)
		zones := f.MRZZonesWide(1200, 3)
		f.Close()
		want := geom.Point{x0 + w/2, y0 + pitch/2 - 0.35*size}
		hit := false
		for _, z := range zones {
			hit = hit || inQuad(z, want)
		}
		if !hit {
			t.Errorf("column %v: no zone around the MRZ's centre %v among %v", column, want, zones)
		}
	}
}
