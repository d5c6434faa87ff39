package preprocess

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // header probing and Go fallback decoding
	_ "image/jpeg"
	_ "image/png"
	"io"

	"gocv.io/x/gocv"
	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"
)

// Header is what the image header says, read before any pixel is decoded.
type Header struct {
	Format      string // jpeg, png, gif, webp, tiff, bmp
	Width       int    // as stored (before EXIF orientation)
	Height      int
	Orientation Orientation
}

// ReadAll reads at most lim.MaxBytes bytes from r; one byte more is
// ErrTooLarge.
func ReadAll(r io.Reader, lim Limits) ([]byte, error) {
	lim = lim.withDefaults()
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read image: %w", err)
	}
	if int64(len(data)) > lim.MaxBytes {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, lim.MaxBytes)
	}
	return data, nil
}

// Probe reads the header of data and checks it against the limits without
// decoding pixels, so that a decompression bomb is refused before it costs
// memory.
func Probe(data []byte, lim Limits) (Header, error) {
	lim = lim.withDefaults()
	if len(data) == 0 {
		return Header{}, fmt.Errorf("%w: empty input", ErrNotImage)
	}
	if int64(len(data)) > lim.MaxBytes {
		return Header{}, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(data), lim.MaxBytes)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		if errors.Is(err, image.ErrFormat) {
			return Header{}, fmt.Errorf("%w: unknown format", ErrNotImage)
		}
		return Header{}, fmt.Errorf("%w: bad header: %v", ErrCorrupt, err)
	}
	h := Header{Format: format, Width: cfg.Width, Height: cfg.Height, Orientation: 1}
	if h.Width <= 0 || h.Height <= 0 {
		return h, fmt.Errorf("%w: %dx%d image", ErrCorrupt, h.Width, h.Height)
	}
	if h.Width > lim.MaxSide || h.Height > lim.MaxSide ||
		int64(h.Width)*int64(h.Height) > lim.MaxPixels {
		return h, fmt.Errorf("%w: %dx%d pixels, limit %d pixels and %d per side",
			ErrTooLarge, h.Width, h.Height, lim.MaxPixels, lim.MaxSide)
	}
	if format == "jpeg" {
		h.Orientation = JPEGOrientation(data)
		if !jpegComplete(data) {
			return h, fmt.Errorf("%w: truncated JPEG (no end-of-image marker)", ErrCorrupt)
		}
	}
	return h, nil
}

// jpegComplete reports whether an end-of-image marker follows the first
// start-of-scan. Entropy-coded data stuffs 0xFF bytes, so FF D9 cannot occur
// inside a scan.
func jpegComplete(data []byte) bool {
	sos := bytes.Index(data, []byte{0xFF, 0xDA})
	if sos < 0 {
		return false
	}
	return bytes.Contains(data[sos+2:], []byte{0xFF, 0xD9})
}

// DecodeOptions control Decode.
type DecodeOptions struct {
	Limits Limits
	// MinLongSide is the smallest long side the decoded pixels must keep;
	// large JPEGs are decoded at 1/2, 1/4 or 1/8 scale down to it, which is
	// much cheaper than a full decode. 0 means 2048; -1 means full size.
	MinLongSide int
}

// Frame is a decoded, upright (EXIF orientation applied) image. It owns
// native memory: Close it.
type Frame struct {
	img    gocv.Mat // BGR, upright, possibly reduced
	closed bool
	scale  float64 // original pixels per img pixel
	width  int     // original upright size
	height int
	Header Header
	gain   float64 // the gain of a brightened copy (Brightened), 0 otherwise
}

// Decode checks the header, then decodes data into an upright Frame.
func Decode(ctx context.Context, data []byte, opt DecodeOptions) (*Frame, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	h, err := Probe(data, opt.Limits)
	if err != nil {
		return nil, err
	}
	minSide := opt.MinLongSide
	if minSide == 0 {
		minSide = 2048
	}
	long := max(h.Width, h.Height)
	flag := gocv.IMReadColor
	reduce := 1
	if h.Format == "jpeg" && minSide > 0 {
		for _, r := range []int{8, 4, 2} {
			if long/r >= minSide {
				reduce = r
				break
			}
		}
		switch reduce {
		case 2:
			flag = gocv.IMReadReducedColor2
		case 4:
			flag = gocv.IMReadReducedColor4
		case 8:
			flag = gocv.IMReadReducedColor8
		}
	}
	var img gocv.Mat
	switch h.Format {
	case "jpeg", "png", "tiff", "webp", "bmp":
		img, err = gocv.IMDecode(data, flag|gocv.IMReadIgnoreOrientation)
		if err != nil || img.Empty() {
			if err == nil {
				img.Close()
			}
			img, err = goDecode(data)
		}
	default:
		img, err = goDecode(data)
	}
	if err != nil {
		return nil, err
	}
	if img.Empty() {
		img.Close()
		return nil, fmt.Errorf("%w: decoder returned no pixels", ErrCorrupt)
	}
	oriented := applyOrientation(img, h.Orientation)
	if oriented.Ptr() != img.Ptr() {
		img.Close()
	}
	f := &Frame{img: oriented, Header: h, width: h.Width, height: h.Height}
	if h.Orientation.Swaps() {
		f.width, f.height = h.Height, h.Width
	}
	f.scale = float64(f.width) / float64(oriented.Cols())
	return f, nil
}

// goDecode decodes with Go's decoders (formats OpenCV lacks, such as GIF).
func goDecode(data []byte) (gocv.Mat, error) {
	im, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return gocv.Mat{}, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	m, err := gocv.ImageToMatRGB(im)
	if err != nil {
		return gocv.Mat{}, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	// ImageToMatRGB gives BGR channel order, as IMDecode does.
	return m, nil
}

// applyOrientation returns img turned upright. It returns img itself when
// nothing changes; otherwise a new Mat the caller owns.
func applyOrientation(img gocv.Mat, o Orientation) gocv.Mat {
	if o <= 1 || o > 8 {
		return img
	}
	dst := gocv.NewMat()
	switch o {
	case 2:
		gocv.Flip(img, &dst, 1)
	case 3:
		gocv.Rotate(img, &dst, gocv.Rotate180Clockwise)
	case 4:
		gocv.Flip(img, &dst, 0)
	case 5:
		gocv.Transpose(img, &dst)
	case 6:
		gocv.Rotate(img, &dst, gocv.Rotate90Clockwise)
	case 7:
		t := gocv.NewMat()
		gocv.Transpose(img, &t)
		gocv.Rotate(t, &dst, gocv.Rotate180Clockwise)
		t.Close()
	case 8:
		gocv.Rotate(img, &dst, gocv.Rotate90CounterClockwise)
	}
	return dst
}

// Close frees the pixels. It is safe to call twice.
func (f *Frame) Close() error {
	if f == nil || f.closed {
		return nil
	}
	f.closed = true
	return f.img.Close()
}

// Size is the upright size in original pixels (the coordinate system of every
// quad docscan returns).
func (f *Frame) Size() (w, h int) { return f.width, f.height }

// DecodedSize is the size of the pixels held (after reduced decoding).
func (f *Frame) DecodedSize() (w, h int) { return f.img.Cols(), f.img.Rows() }

// Scale is original pixels per decoded pixel.
func (f *Frame) Scale() float64 { return f.scale }

// OpenCVVersion is the linked OpenCV version.
func OpenCVVersion() string { return gocv.OpenCVVersion() }
