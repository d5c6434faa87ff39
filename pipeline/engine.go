package pipeline

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"sort"
	"time"

	"docscan/geom"
	"docscan/models"
	"docscan/ocr"
	"docscan/preprocess"
)

// Options configure the engine-backed processor of each worker.
type Options struct {
	Assets  models.Assets
	Decode  preprocess.DecodeOptions
	DetSide int // long side of the detector input; default 960
	// OCR selects the recognizer of text regions: "ppocr" (default),
	// "tesseract" or "both" (both run; the more confident reading is kept).
	OCR string
	// MaxRegions bounds the regions recognized per image (best detector
	// scores first); default 80.
	MaxRegions int
	// Threads per ONNX session; default 1.
	Threads int
	// Timeout per request when the caller's context has none; default 30s.
	Timeout time.Duration
	// Builders turn regions into records; default DefaultBuilders().
	Builders []Builder
	// TessdataPrefix overrides Tesseract's data directory.
	TessdataPrefix string
}

func (o Options) withDefaults() Options {
	if o.DetSide <= 0 {
		o.DetSide = 960
	}
	if o.OCR == "" {
		o.OCR = "ppocr"
	}
	if o.MaxRegions <= 0 {
		o.MaxRegions = 80
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.Builders == nil {
		o.Builders = DefaultBuilders()
	}
	return o
}

// Engines are one worker's native engines. It owns them and closes them.
type Engines struct {
	opt  Options
	Det  *models.Detector
	Cls  *models.Classifier
	Rec  *models.Recognizer
	Tess *ocr.Tesseract

	mrzCS *models.Charset // lazily built MRZ alphabet restriction
}

// NewEngines loads every model of one worker.
func NewEngines(o Options) (*Engines, error) {
	o = o.withDefaults()
	switch o.OCR {
	case "ppocr", "tesseract", "both":
	default:
		return nil, fmt.Errorf("%w: unknown OCR engine %q", ErrBadRequest, o.OCR)
	}
	if err := models.Init(o.Assets.ORTLib); err != nil {
		return nil, err
	}
	e := &Engines{opt: o}
	so := models.SessionOptions{Threads: o.Threads}
	var err error
	if e.Det, err = models.NewDetector(o.Assets, so, models.DBOptions{}); err != nil {
		return nil, errors.Join(err, e.Close())
	}
	if e.Cls, err = models.NewClassifier(o.Assets, so); err != nil {
		return nil, errors.Join(err, e.Close())
	}
	if e.Rec, err = models.NewRecognizer(o.Assets, so); err != nil {
		return nil, errors.Join(err, e.Close())
	}
	if e.Tess, err = ocr.NewTesseract(ocr.Options{Languages: []string{"eng"}, TessdataPrefix: o.TessdataPrefix}); err != nil {
		return nil, errors.Join(err, e.Close())
	}
	return e, nil
}

// Close frees every engine; safe to call twice.
func (e *Engines) Close() error {
	return errors.Join(e.Det.Close(), e.Cls.Close(), e.Rec.Close(), e.Tess.Close())
}

// Region is a detected and recognized text region handed to the builders.
type Region struct {
	Quad     geom.Quad // original upright coordinates, reading direction
	DetScore float64
	Angle    int // 0 or 180 (already applied to Quad)
	Text     string
	Conf     float64
	Chars    []models.Char // PP-OCR per-character readings, when run
	// MRZ is the PP-OCR reading restricted to the MRZ alphabet (same
	// inference, second decoding), for regions the MRZ builder wants.
	MRZ    *models.Text
	Engine string
	Read   bool // recognized (some builder wanted it, or raw text was asked)
}

// Scene is what the builders see: the decoded frame, the regions and the
// engines, to re-read regions with other settings.
type Scene struct {
	Frame   *preprocess.Frame
	Regions []Region
	Kind    string
	Eng     *Engines
	Quality preprocess.Quality
}

// Builder turns a scene into records of one kind.
type Builder interface {
	// Kind is the record kind it makes ("mrz", "plate", "document").
	Kind() string
	// Want says, from geometry alone, whether a detected region should be
	// read for this builder; regions nobody wants are not recognized.
	Want(q geom.Quad, detScore float64) bool
	Build(ctx context.Context, s *Scene) ([]Record, error)
}

// validKind reports whether k is a kind a request may ask for.
func validKind(k string) bool {
	switch k {
	case "", "auto", "mrz", "plate", "document", "text":
		return true
	}
	return false
}

// Process runs every stage on one request.
func (e *Engines) Process(ctx context.Context, req Request) *Result {
	start := time.Now()
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, e.opt.Timeout)
		defer cancel()
	}
	res := &Result{File: req.File, Records: []Record{}, TimingsMS: map[string]float64{}}
	fail := func(err error) *Result {
		r := ErrorResult(req.File, err)
		r.TimingsMS = res.TimingsMS
		r.Quality = res.Quality
		r.TimingsMS["total"] = ms(time.Since(start))
		return r
	}
	if !validKind(req.Kind) {
		return fail(fmt.Errorf("%w: unknown kind %q", ErrBadRequest, req.Kind))
	}
	stage := func(name string, t0 time.Time) { res.TimingsMS[name] = ms(time.Since(t0)) }

	t0 := time.Now()
	frame, err := preprocess.Decode(ctx, req.Data, e.opt.Decode)
	stage("decode", t0)
	if err != nil {
		return fail(fmt.Errorf("decode: %w", err))
	}
	defer frame.Close()

	t0 = time.Now()
	w, h := frame.Size()
	q := frame.Measure()
	res.Quality = qualityOf(w, h, q)
	tensor := frame.DetTensor(e.opt.DetSide)
	stage("normalize", t0)

	t0 = time.Now()
	dets, err := e.Det.Detect(ctx, tensor.Data, tensor.W, tensor.H, tensor.ScaleX, tensor.ScaleY)
	stage("detect", t0)
	if err != nil {
		return fail(err)
	}
	if len(dets) > e.opt.MaxRegions {
		sort.SliceStable(dets, func(i, j int) bool { return dets[i].Score > dets[j].Score })
		dets = dets[:e.opt.MaxRegions]
	}

	var builders []Builder
	for _, b := range e.opt.Builders {
		if req.Kind == "" || req.Kind == "auto" || req.Kind == b.Kind() {
			builders = append(builders, b)
		}
	}
	want := make([]bool, len(dets))
	for i, d := range dets {
		want[i] = req.Text || req.Kind == "text"
		for _, b := range builders {
			want[i] = want[i] || b.Want(d.Quad, d.Score)
		}
	}
	regions, err := e.recognize(ctx, frame, dets, want, res.TimingsMS)
	if err != nil {
		return fail(err)
	}

	t0 = time.Now()
	scene := &Scene{Frame: frame, Regions: regions, Kind: req.Kind, Eng: e, Quality: q}
	for _, b := range builders {
		recs, err := b.Build(ctx, scene)
		if err != nil {
			return fail(fmt.Errorf("%s: %w", b.Kind(), err))
		}
		res.Records = append(res.Records, recs...)
	}
	if req.Text || req.Regions || req.Kind == "text" {
		for _, r := range regions {
			res.Records = append(res.Records, &TextRegion{Kind: "text", Text: r.Text,
				Confidence: round3(r.Conf), Quad: roundQuad(r.Quad), DetScore: round3(r.DetScore), Angle: r.Angle})
		}
	}
	stage("records", t0)
	res.TimingsMS["total"] = ms(time.Since(start))
	return res
}

// recognize decides each region's orientation and reads it.
func (e *Engines) recognize(ctx context.Context, f *preprocess.Frame, dets []models.Region, want []bool, tm map[string]float64) ([]Region, error) {
	var tOrient, tOCR time.Duration
	out := make([]Region, 0, len(dets))
	for i, d := range dets {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		reg := Region{Quad: d.Quad, DetScore: d.Score}
		if !want[i] {
			out = append(out, reg)
			continue
		}
		reg.Read = true
		t0 := time.Now()
		line, err := e.LineCrop(f, reg.Quad)
		if err != nil {
			continue // degenerate box
		}
		if ang, p, err := e.Cls.Orientation(ctx, line); err != nil {
			return nil, err
		} else if ang == 180 && p > 0.9 {
			reg.Quad = reg.Quad.Rotate180()
			reg.Angle = 180
			if line, err = e.LineCrop(f, reg.Quad); err != nil {
				continue
			}
		}
		tOrient += time.Since(t0)
		t0 = time.Now()
		// MRZ-shaped lines always get the PP-OCR reading restricted to the
		// MRZ alphabet (a second decoding of the same inference).
		mrzShaped := MRZBuilder{}.Want(reg.Quad, reg.DetScore)
		if e.opt.OCR == "ppocr" || e.opt.OCR == "both" || mrzShaped {
			css := []*models.Charset{nil}
			if mrzShaped {
				css = append(css, e.mrzCharset())
			}
			ts, err := e.Rec.RecognizeAs(ctx, line, css...)
			if err != nil {
				return nil, err
			}
			reg.Text, reg.Conf, reg.Chars, reg.Engine = ts[0].Text, ts[0].Conf, ts[0].Chars, "ppocr"
			if mrzShaped {
				reg.MRZ = &ts[1]
			}
		}
		if e.opt.OCR == "tesseract" || e.opt.OCR == "both" {
			l, err := e.ReadTesseract(ctx, f, reg.Quad, ocr.LineOptions{})
			if err != nil && !errors.Is(err, errSmall) {
				return nil, err
			}
			if err == nil && (reg.Engine == "" || l.Conf > reg.Conf) {
				reg.Text, reg.Conf, reg.Chars, reg.Engine = l.Text, l.Conf, nil, "tesseract"
			}
		}
		tOCR += time.Since(t0)
		out = append(out, reg)
	}
	tm["orientation"] = ms(tOrient)
	tm["ocr"] = ms(tOCR)
	return out, nil
}

var errSmall = errors.New("region too small")

// LineCrop warps a text region to the 48-pixel-high colour crop the PP-OCR
// models read.
func (e *Engines) LineCrop(f *preprocess.Frame, q geom.Quad) (image.Image, error) {
	qw, qh := q.Width(), q.Height()
	if qw < 2 || qh < 2 {
		return nil, errSmall
	}
	w := int(math.Round(48 * qw / qh))
	w = max(8, min(w, 48*60))
	return f.Warp(q, w, 48, false)
}

// ReadTesseract reads a region with Tesseract on a gray crop normalized to a
// 40-pixel text height plus a margin.
func (e *Engines) ReadTesseract(ctx context.Context, f *preprocess.Frame, q geom.Quad, lo ocr.LineOptions) (ocr.Line, error) {
	qw, qh := q.Width(), q.Height()
	if qw < 2 || qh < 2 {
		return ocr.Line{}, errSmall
	}
	const hh = 48
	w := int(math.Round(hh * qw / qh))
	w = max(8, min(w, hh*60))
	img, err := f.Warp(q, w, hh, true)
	if err != nil {
		return ocr.Line{}, err
	}
	g, ok := img.(*image.Gray)
	if !ok {
		return ocr.Line{}, fmt.Errorf("tesseract crop: unexpected %T", img)
	}
	return e.Tess.ReadLine(ctx, pad(g, 8), lo)
}

// pad surrounds g with a border of its edge median-ish (the corner pixel)
// value so Tesseract sees margins.
func pad(g *image.Gray, m int) *image.Gray {
	b := g.Bounds()
	out := image.NewGray(image.Rect(0, 0, b.Dx()+2*m, b.Dy()+2*m))
	bg := g.GrayAt(b.Min.X, b.Min.Y).Y
	for i := range out.Pix {
		out.Pix[i] = bg
	}
	for y := 0; y < b.Dy(); y++ {
		copy(out.Pix[(y+m)*out.Stride+m:], g.Pix[g.PixOffset(b.Min.X, b.Min.Y+y):g.PixOffset(b.Min.X, b.Min.Y+y)+b.Dx()])
	}
	return out
}

func qualityOf(w, h int, q preprocess.Quality) *Quality {
	out := &Quality{Width: w, Height: h, Blur: round3(q.Blur), Glare: round3(q.Glare), Warnings: []string{}}
	if q.Blur > 0.7 {
		out.Warnings = append(out.Warnings, "blurry")
	}
	if q.Glare > 0.03 {
		out.Warnings = append(out.Warnings, "glare")
	}
	if q.Brightness < 50 {
		out.Warnings = append(out.Warnings, "too_dark")
	}
	if max(w, h) < 640 {
		out.Warnings = append(out.Warnings, "too_small")
	}
	return out
}

func ms(d time.Duration) float64 { return math.Round(float64(d.Microseconds())/100) / 10 }

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

func roundQuad(q geom.Quad) geom.Quad {
	for i := range q {
		q[i][0] = math.Round(q[i][0]*10) / 10
		q[i][1] = math.Round(q[i][1]*10) / 10
	}
	return q
}
