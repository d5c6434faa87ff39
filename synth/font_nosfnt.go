//go:build !sfnt

package synth

func parseFont(b []byte) (fontBackend, error) { return nil, ErrNoFontSupport }
