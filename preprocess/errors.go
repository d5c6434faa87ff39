// Package preprocess decodes untrusted image bytes within limits and turns
// them into the pixels the models and OCR engines need: the oriented image at
// working resolution, detector tensors, rectified crops and quality figures.
// OpenCV Mats stay inside this package; callers see Go types only.
package preprocess

import "errors"

// Domain errors of decoding. The CLI and HTTP layers map them to codes.
var (
	// ErrNotImage: the bytes are not an image format docscan reads.
	ErrNotImage = errors.New("not a supported image")
	// ErrCorrupt: the header looked like an image but the pixels do not decode.
	ErrCorrupt = errors.New("unreadable image")
	// ErrTooLarge: the byte or pixel limit was exceeded.
	ErrTooLarge = errors.New("image too large")
)

// Limits bound what Decode accepts. Zero values take the defaults.
type Limits struct {
	MaxBytes  int64 // default 40 MiB
	MaxPixels int64 // default 50 megapixels
	MaxSide   int   // default 12000 pixels on either side
}

const (
	DefaultMaxBytes  = 40 << 20
	DefaultMaxPixels = 50_000_000
	DefaultMaxSide   = 12000
)

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = DefaultMaxPixels
	}
	if l.MaxSide <= 0 {
		l.MaxSide = DefaultMaxSide
	}
	return l
}
