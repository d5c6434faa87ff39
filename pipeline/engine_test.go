package pipeline

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/disintegration/imaging"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"

	"docscan/internal/leakcheck"
	"docscan/internal/nativeenv"
	"docscan/models"
)

func TestMain(m *testing.M) {
	nativeenv.Setup() // the native libraries' settings docscan runs with
	leakcheck.Main(m)
}

// testEngines loads the real models. Without them the test is skipped with a
// message, unless DOCSCAN_REQUIRE_ASSETS=1 (set by `make test`) makes that a
// failure.
func testEngines(t *testing.T, o Options) *Engines {
	t.Helper()
	a, err := models.Locate("", "")
	if err != nil {
		if os.Getenv("DOCSCAN_REQUIRE_ASSETS") == "1" {
			t.Fatalf("assets required: %v", err)
		}
		t.Skipf("model assets absent (run `make deps`): %v", err)
	}
	o.Assets = a
	if o.Timeout == 0 {
		// These tests check what a scan reads, not how fast: the hardest
		// synthetic MRZ scenes take 20 s and more on a 2-core machine, near
		// the default 30 s deadline. Speed is measured by the benchmarks.
		o.Timeout = 10 * time.Minute
	}
	if o.AutoBudget == 0 {
		// nor where an auto request's second look for an MRZ stops on a
		// loaded machine (8 s of wall time by default)
		o.AutoBudget = 10 * time.Minute
	}
	e, err := NewEngines(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// textScene renders text in black on a white label, enlarges it, rotates it
// by deg degrees and places its centre at (cx, cy) on a grey w x h canvas.
func textScene(text string, scale int, deg float64, w, h, cx, cy int) []byte {
	face := basicfont.Face7x13
	tw := font.MeasureString(face, text).Ceil() + 8
	label := image.NewRGBA(image.Rect(0, 0, tw, 19))
	draw.Draw(label, label.Bounds(), image.White, image.Point{}, draw.Src)
	d := &font.Drawer{Dst: label, Src: image.Black, Face: face, Dot: fixed.P(4, 14)}
	d.DrawString(text)
	big := imaging.Resize(label, tw*scale, 19*scale, imaging.Lanczos)
	rot := imaging.Rotate(big, deg, color.White)
	canvas := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(canvas, canvas.Bounds(), &image.Uniform{color.RGBA{120, 120, 120, 255}}, image.Point{}, draw.Src)
	rb := rot.Bounds()
	off := image.Pt(cx-rb.Dx()/2, cy-rb.Dy()/2)
	draw.Draw(canvas, rb.Add(off), rot, rb.Min, draw.Src)
	var buf bytes.Buffer
	png.Encode(&buf, canvas)
	return buf.Bytes()
}

func TestEngineReadsGeneratedText(t *testing.T) {
	e := testEngines(t, Options{})
	for _, deg := range []float64{0, 12, 180} {
		img := textScene("DOCSCAN 2026", 4, deg, 900, 600, 450, 300)
		r := e.Process(context.Background(), Request{File: "gen.png", Data: img, Text: true})
		if r.Error != nil {
			t.Fatalf("%v deg: %+v", deg, r.Error)
		}
		var found *TextRegion
		for _, rec := range r.Records {
			if tr, ok := rec.(*TextRegion); ok && strings.Contains(strings.ReplaceAll(tr.Text, " ", ""), "DOCSCAN2026") {
				found = tr
			}
		}
		if found == nil {
			t.Fatalf("%v deg: text not read: %+v", deg, r.Records)
		}
		c := found.Quad.Center()
		if math.Hypot(c[0]-450, c[1]-300) > 25 {
			t.Errorf("%v deg: region centre %v, want near (450,300)", deg, c)
		}
		// imaging.Rotate turns counter-clockwise; the quad's top edge follows.
		want := -deg
		if deg == 180 {
			want = 180
		}
		got := found.Quad.Angle()
		if diff := math.Mod(math.Abs(got-want)+360, 360); diff > 4 && diff < 356 {
			t.Errorf("%v deg: region angle %.1f, want %.1f", deg, got, want)
		}
		for _, k := range []string{"decode", "normalize", "detect", "orientation", "ocr", "records", "total"} {
			if _, ok := r.TimingsMS[k]; !ok {
				t.Errorf("timing %q missing: %v", k, r.TimingsMS)
			}
		}
		if r.Quality == nil || r.Quality.Width != 900 || r.Quality.Height != 600 {
			t.Errorf("quality %+v", r.Quality)
		}
	}
}

func TestEngineTesseractReadsGeneratedText(t *testing.T) {
	e := testEngines(t, Options{OCR: "tesseract"})
	img := textScene("PLATE 4711", 4, 5, 800, 400, 400, 200)
	r := e.Process(context.Background(), Request{Data: img, Kind: "text"})
	if r.Error != nil {
		t.Fatal(r.Error)
	}
	var texts []string
	for _, rec := range r.Records {
		texts = append(texts, rec.(*TextRegion).Text)
	}
	if !strings.Contains(strings.Join(texts, "|"), "4711") {
		t.Errorf("tesseract read %q", texts)
	}
}

func TestEngineBadInput(t *testing.T) {
	e := testEngines(t, Options{})
	cases := map[string]struct {
		req  Request
		code string
	}{
		"not an image": {Request{Data: []byte("%PDF-1.4 not an image")}, CodeNotImage},
		"empty":        {Request{}, CodeNotImage},
		"bad kind":     {Request{Data: textScene("X", 2, 0, 100, 100, 50, 50), Kind: "passport"}, CodeBadRequest},
	}
	for name, c := range cases {
		r := e.Process(context.Background(), c.req)
		if r.Error == nil || r.Error.Code != c.code {
			t.Errorf("%s: %+v, want %s", name, r.Error, c.code)
		}
		if r.Records == nil {
			t.Errorf("%s: records must be an empty list, not null", name)
		}
	}
}

func TestZoomSide(t *testing.T) {
	opt := Options{DetSide: 960, FineSide: 1920}
	for _, c := range []struct{ w, h, want int }{
		{1600, 900, 3200},  // the fine pass saw 1600
		{4032, 3024, 3200}, // the fine pass saw 1920
		{1200, 800, 2400},  // the fine pass saw 1200
		{400, 300, 0},      // the first pass saw it enlarged twice already
		{900, 600, 1800},   // the first pass saw 960
		{500, 400, 0},      // 1000 is under 1.25 x the first pass's 960
	} {
		if got := zoomSideOf(c.w, c.h, opt); got != c.want {
			t.Errorf("zoomSideOf(%d, %d) = %d, want %d", c.w, c.h, got, c.want)
		}
	}
}
