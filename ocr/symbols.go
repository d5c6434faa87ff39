package ocr

// #cgo LDFLAGS: -ltesseract
// #cgo CXXFLAGS: -std=c++17
// #include <stdlib.h>
// #include <tesseract/capi.h>
// #include "choices.h"
import "C"

import (
	"context"
	"fmt"
	"image"
	"strings"
	"unsafe"
)

// Alt is one alternative reading of a symbol.
type Alt struct {
	Char string
	Conf float64 // 0..1
}

// SymbolReader is a Tesseract client that reports each recognized
// character with its confidence and box and, where asked for
// (SymbolOptions.Choices), the LSTM's alternative readings (Tesseract's
// choice iterator with lstm_choice_mode 2), which gosseract does not
// expose. One per worker, reused; not safe for concurrent use. The lists
// are the iterator's as given: with the project's OCR-B model they are
// not the network's odds (TestTesseractChoices).
type SymbolReader struct {
	api       *C.TessBaseAPI
	whitelist string
	choices   bool
	closed    bool
}

// SymbolOptions configure a SymbolReader.
type SymbolOptions struct {
	// Language is the model's name (the traineddata file without its
	// extension), default "eng".
	Language string
	// Data is the .traineddata itself; when empty the model is loaded
	// from TessdataPrefix (or the system directory).
	Data []byte
	// TessdataPrefix is the directory holding Language.traineddata; ""
	// uses the system default.
	TessdataPrefix string
	// Choices asks for the choice iterator's alternatives of each
	// character (Symbol.Alts beyond the character read); without it
	// Tesseract keeps no lists (lstm_choice_mode 0) and each symbol's
	// Alts hold the character read alone.
	Choices bool
}

// NewSymbolReader loads the model in single-line mode.
func NewSymbolReader(o SymbolOptions) (*SymbolReader, error) {
	if o.Language == "" {
		o.Language = "eng"
	}
	api := C.TessBaseAPICreate()
	if api == nil {
		return nil, fmt.Errorf("tesseract: cannot create client")
	}
	lang := C.CString(o.Language)
	defer C.free(unsafe.Pointer(lang))
	var rc C.int
	if len(o.Data) > 0 {
		data := C.CBytes(o.Data)
		defer C.free(data)
		rc = C.TessBaseAPIInit5(api, (*C.char)(data), C.int(len(o.Data)), lang, C.OEM_LSTM_ONLY, nil, 0, nil, nil, 0, 0)
	} else {
		var path *C.char
		if o.TessdataPrefix != "" {
			path = C.CString(o.TessdataPrefix)
			defer C.free(unsafe.Pointer(path))
		}
		rc = C.TessBaseAPIInit2(api, path, lang, C.OEM_LSTM_ONLY)
	}
	if rc != 0 {
		C.TessBaseAPIDelete(api)
		return nil, fmt.Errorf("tesseract: cannot load model %q", o.Language)
	}
	r := &SymbolReader{api: api, choices: o.Choices}
	C.TessBaseAPISetPageSegMode(api, C.PSM_SINGLE_LINE)
	mode := "0"
	if o.Choices {
		mode = "2"
	}
	for _, kv := range [][2]string{{"lstm_choice_mode", mode}, {"debug_file", "/dev/null"},
		{"load_system_dawg", "0"}, {"load_freq_dawg", "0"}} {
		if err := r.set(kv[0], kv[1]); err != nil {
			r.Close()
			return nil, err
		}
	}
	return r, nil
}

func (r *SymbolReader) set(name, value string) error {
	n, v := C.CString(name), C.CString(value)
	defer C.free(unsafe.Pointer(n))
	defer C.free(unsafe.Pointer(v))
	if C.TessBaseAPISetVariable(r.api, n, v) == 0 {
		return fmt.Errorf("tesseract: cannot set %s", name)
	}
	return nil
}

// ReadLine recognizes one text line in img; every symbol carries its
// alternatives (the chosen character first, the others only with
// SymbolOptions.Choices), confidences in 0..1.
func (r *SymbolReader) ReadLine(ctx context.Context, img *image.Gray, lo LineOptions) (Line, error) {
	if err := ctx.Err(); err != nil {
		return Line{}, err
	}
	if r == nil || r.closed {
		return Line{}, fmt.Errorf("tesseract: client closed")
	}
	b := img.Bounds()
	if b.Dx() < 4 || b.Dy() < 4 {
		return Line{}, fmt.Errorf("tesseract: crop too small (%dx%d)", b.Dx(), b.Dy())
	}
	if lo.Whitelist != r.whitelist {
		if err := r.set("tessedit_char_whitelist", lo.Whitelist); err != nil {
			return Line{}, err
		}
		r.whitelist = lo.Whitelist
	}
	// Tesseract copies the pixels in SetImage; the Go memory is only
	// borrowed for the call.
	pix := img.Pix[img.PixOffset(b.Min.X, b.Min.Y):]
	C.TessBaseAPISetImage(r.api, (*C.uchar)(unsafe.Pointer(&pix[0])), C.int(b.Dx()), C.int(b.Dy()), 1, C.int(img.Stride))
	C.TessBaseAPISetSourceResolution(r.api, 300)
	defer C.TessBaseAPIClear(r.api)
	if C.TessBaseAPIRecognize(r.api, nil) != 0 {
		return Line{}, fmt.Errorf("tesseract: recognition failed")
	}
	it := C.TessBaseAPIGetIterator(r.api)
	if it == nil {
		return Line{}, nil // nothing recognized
	}
	defer C.TessResultIteratorDelete(it)
	pit := C.TessResultIteratorGetPageIteratorConst(it)
	var l Line
	var sum float64
	for {
		if s, ok := symbol(it, pit, r.whitelist, r.choices); ok {
			l.Symbols = append(l.Symbols, s)
			l.Text += s.Char
			sum += s.Conf
		}
		if C.TessResultIteratorNext(it, C.RIL_SYMBOL) == 0 {
			break
		}
	}
	if len(l.Symbols) > 0 {
		l.Conf = sum / float64(len(l.Symbols))
	}
	return l, nil
}

// maxAlts bounds the alternatives kept per symbol.
const maxAlts = 5

// symbol reads the iterator's current symbol, with the choice iterator's
// alternatives where choices is set.
func symbol(it *C.TessResultIterator, pit *C.TessPageIterator, whitelist string, choices bool) (Symbol, bool) {
	t := C.TessResultIteratorGetUTF8Text(it, C.RIL_SYMBOL)
	if t == nil {
		return Symbol{}, false
	}
	s := Symbol{Char: C.GoString(t), Conf: float64(C.TessResultIteratorConfidence(it, C.RIL_SYMBOL)) / 100}
	C.TessDeleteText(t)
	var x0, y0, x1, y1 C.int
	if C.TessPageIteratorBoundingBox(pit, C.RIL_SYMBOL, &x0, &y0, &x1, &y1) != 0 {
		s.Box = image.Rect(int(x0), int(y0), int(x1), int(y1))
	}
	s.Alts = append(s.Alts, Alt{Char: s.Char, Conf: s.Conf})
	if !choices {
		return s, s.Char != ""
	}
	// The raw network output: keep what the whitelist allows, the chosen
	// character first.
	var chars [2 * maxAlts][8]C.char
	var probs [2 * maxAlts]C.float
	n := int(C.docscan_symbol_choices(it, &chars[0], &probs[0], 2*maxAlts))
	for k := 0; k < n && len(s.Alts) < maxAlts; k++ {
		c := C.GoString(&chars[k][0])
		if c == s.Char {
			s.Alts[0].Conf = max(s.Alts[0].Conf, float64(probs[k]))
			continue
		}
		if whitelist == "" || strings.Contains(whitelist, c) {
			s.Alts = append(s.Alts, Alt{Char: c, Conf: float64(probs[k])})
		}
	}
	return s, s.Char != ""
}

// Close frees the client; safe to call twice.
func (r *SymbolReader) Close() error {
	if r == nil || r.closed {
		return nil
	}
	r.closed = true
	C.TessBaseAPIEnd(r.api)
	C.TessBaseAPIDelete(r.api)
	return nil
}
