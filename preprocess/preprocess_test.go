package preprocess

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"

	"docscan/geom"
	"docscan/internal/leakcheck"
	"docscan/internal/testimg"
)

func TestMain(m *testing.M) { leakcheck.Main(m) }

// halves is a w x h image, red on the left half and blue on the right.
func halves(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{220, 20, 20, 255}
			if x >= w/2 {
				c = color.RGBA{20, 20, 220, 255}
			}
			img.Set(x, y, c)
		}
	}
	return img
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withOrientation inserts an EXIF APP1 segment with the given orientation
// right after the SOI marker.
func withOrientation(jpg []byte, o uint16, order binary.ByteOrder) []byte {
	var tiff bytes.Buffer
	if order == binary.LittleEndian {
		tiff.WriteString("II")
	} else {
		tiff.WriteString("MM")
	}
	w := func(v any) { binary.Write(&tiff, order, v) }
	w(uint16(42))
	w(uint32(8))
	w(uint16(1))      // one entry
	w(uint16(0x0112)) // orientation
	w(uint16(3))      // SHORT
	w(uint32(1))
	w(o)
	w(uint16(0))
	w(uint32(0)) // no next IFD
	payload := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

func TestJPEGOrientation(t *testing.T) {
	base := encodeJPEG(t, halves(40, 20))
	for o := uint16(1); o <= 8; o++ {
		for _, bo := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
			if got := JPEGOrientation(withOrientation(base, o, bo)); got != Orientation(o) {
				t.Errorf("orientation %d (%v): got %d", o, bo, got)
			}
		}
	}
	if got := JPEGOrientation(base); got != 1 {
		t.Errorf("no EXIF: got %d", got)
	}
	for _, junk := range [][]byte{nil, {0xFF}, {0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF}, []byte("not a jpeg")} {
		if got := JPEGOrientation(junk); got != 1 {
			t.Errorf("junk %q: got %d", junk, got)
		}
	}
}

func TestDecodeAppliesEXIFOrientation(t *testing.T) {
	base := encodeJPEG(t, halves(40, 20))
	// Where the red (left) half ends up, as (x, y) of a red and a blue pixel.
	cases := []struct {
		o          uint16
		w, h       int
		red, blue  image.Point
		swapsSides bool
	}{
		{1, 40, 20, image.Pt(5, 10), image.Pt(35, 10), false},
		{3, 40, 20, image.Pt(35, 10), image.Pt(5, 10), false},
		{6, 20, 40, image.Pt(10, 5), image.Pt(10, 35), true},  // 90 cw: left goes to top
		{8, 20, 40, image.Pt(10, 35), image.Pt(10, 5), true},  // 90 ccw: left goes to bottom
		{2, 40, 20, image.Pt(35, 10), image.Pt(5, 10), false}, // mirrored
	}
	for _, c := range cases {
		f, err := Decode(context.Background(), withOrientation(base, c.o, binary.BigEndian), DecodeOptions{MinLongSide: -1})
		if err != nil {
			t.Fatalf("orientation %d: %v", c.o, err)
		}
		w, h := f.Size()
		if w != c.w || h != c.h {
			t.Errorf("orientation %d: size %dx%d, want %dx%d", c.o, w, h, c.w, c.h)
		}
		red := f.img.GetVecbAt(c.red.Y, c.red.X)    // BGR
		blue := f.img.GetVecbAt(c.blue.Y, c.blue.X) // BGR
		if red[2] < 150 || red[0] > 100 || blue[0] < 150 || blue[2] > 100 {
			t.Errorf("orientation %d: pixel at %v is %v (want red), at %v is %v (want blue)", c.o, c.red, red, c.blue, blue)
		}
		f.Close()
		f.Close() // safe twice
	}
}

func TestDecodeLimits(t *testing.T) {
	ctx := context.Background()
	huge := testimg.PNGHeader(20000, 20000)
	if _, err := Decode(ctx, huge, DecodeOptions{}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("20000x20000 PNG header: err %v, want ErrTooLarge", err)
	}
	h, err := Probe(huge, Limits{MaxSide: 30000, MaxPixels: 1 << 40})
	if err != nil || h.Width != 20000 {
		t.Errorf("probe with raised limits: %v %+v", err, h)
	}
	if _, err := Decode(ctx, testimg.PNGHeader(5000, 5000), DecodeOptions{Limits: Limits{MaxPixels: 1e6}}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("pixel limit: err %v", err)
	}
	if _, err := ReadAll(bytes.NewReader(make([]byte, 2000)), Limits{MaxBytes: 1000}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("byte limit: err %v", err)
	}
	if data, err := ReadAll(bytes.NewReader(make([]byte, 1000)), Limits{MaxBytes: 1000}); err != nil || len(data) != 1000 {
		t.Errorf("at the byte limit: %d bytes, %v", len(data), err)
	}
}

func TestDecodeBadInput(t *testing.T) {
	ctx := context.Background()
	jpg := encodeJPEG(t, halves(64, 48))
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrNotImage},
		{"text", []byte("hello, this is not an image"), ErrNotImage},
		{"truncated jpeg", jpg[:len(jpg)/2], ErrCorrupt},
		{"png header only", testimg.PNGHeader(100, 100), ErrCorrupt},
		{"zero size png", testimg.PNGHeader(0, 10), ErrCorrupt},
	}
	for _, c := range cases {
		f, err := Decode(ctx, c.data, DecodeOptions{})
		if !errors.Is(err, c.want) {
			t.Errorf("%s: err %v, want %v", c.name, err, c.want)
		}
		if f != nil {
			f.Close()
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Decode(cctx, jpg, DecodeOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestDecodeFormats(t *testing.T) {
	img := halves(64, 48)
	var p, g bytes.Buffer
	png.Encode(&p, img)
	gif.Encode(&g, img, nil)
	for name, data := range map[string][]byte{"png": p.Bytes(), "gif": g.Bytes(), "jpeg": encodeJPEG(t, img)} {
		f, err := Decode(context.Background(), data, DecodeOptions{})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if w, h := f.Size(); w != 64 || h != 48 {
			t.Errorf("%s: %dx%d", name, w, h)
		}
		f.Close()
	}
}

func TestReducedDecodeKeepsCoordinates(t *testing.T) {
	big := halves(2400, 1200)
	f, err := Decode(context.Background(), encodeJPEG(t, big), DecodeOptions{MinLongSide: 1000})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if dw, _ := f.DecodedSize(); dw != 1200 {
		t.Errorf("decoded width %d, want 1200 (1/2 scale)", dw)
	}
	if w, h := f.Size(); w != 2400 || h != 1200 {
		t.Errorf("size %dx%d", w, h)
	}
	// A warp of the right half (original coordinates) must come out blue.
	crop, err := f.Warp(geom.Quad{{1300, 100}, {2300, 100}, {2300, 1100}, {1300, 1100}}, 50, 50, false)
	if err != nil {
		t.Fatal(err)
	}
	r, g, b, _ := crop.At(25, 25).RGBA()
	if b>>8 < 150 || r>>8 > 100 || g>>8 > 100 {
		t.Errorf("warped right half is %d,%d,%d; want blue", r>>8, g>>8, b>>8)
	}
	tn := f.DetTensor(960)
	if tn.W%32 != 0 || tn.H%32 != 0 || tn.W != 960 {
		t.Errorf("det tensor %dx%d", tn.W, tn.H)
	}
	if tn.ScaleX != 2400.0/float64(tn.W) {
		t.Errorf("det scale %v", tn.ScaleX)
	}
	// 960 x 480 of image, padded to 960 x 512 (multiples of 64) with
	// zeros; the scale is the image's, not the padding's.
	if tn.H != 512 || tn.ScaleY != 1200.0/480 {
		t.Errorf("det tensor height %d, scale %v", tn.H, tn.ScaleY)
	}
	if v := tn.Data[2*tn.W*tn.H+511*tn.W+5]; v != 0 {
		t.Errorf("padding %v, want 0", v)
	}
	if v := tn.Data[2*tn.W*tn.H+479*tn.W+5]; v == 0 {
		t.Error("last image row is padding")
	}
	q := f.Measure()
	if q.Glare != 0 || q.Blur < 0 || q.Blur > 1 {
		t.Errorf("quality %+v", q)
	}
}

func FuzzProbe(f *testing.F) {
	f.Add(testimg.PNGHeader(10, 10))
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x10})
	f.Add([]byte("GIF89a"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := Probe(data, Limits{})
		if err == nil && (h.Width <= 0 || h.Height <= 0) {
			t.Fatalf("accepted %dx%d", h.Width, h.Height)
		}
		JPEGOrientation(data)
	})
}
