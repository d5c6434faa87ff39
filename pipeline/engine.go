package pipeline

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"docscan/documents"
	"docscan/geom"
	"docscan/internal/grayimg"
	"docscan/models"
	"docscan/mrz"
	"docscan/ocr"
	"docscan/plates"
	"docscan/preprocess"
)

// Options configure the engine-backed processor of each worker.
type Options struct {
	Assets  models.Assets
	Decode  preprocess.DecodeOptions
	DetSide int // long side of the detector input; default 960
	// FineSide is the long side of the second, finer detection pass that
	// a builder may ask for when small text was missed; default 1920.
	FineSide int
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
	// AutoBudget bounds the second look an auto request takes for an MRZ
	// it saw and could not read (autoMRZPasses); the texture probe before
	// the text detector gets half of it. Default autoPassBudget (8 s).
	// What a scan answers past a budget depends on how fast the machine
	// runs it: runs that must agree with each other on a loaded machine
	// raise it.
	AutoBudget time.Duration
	// Builders turn regions into records; default DefaultBuilders().
	Builders []Builder
	// TessdataPrefix overrides Tesseract's data directory.
	TessdataPrefix string
	// MRZTesseract is the MRZ builder's second line reader: "mrz" (the
	// project's OCR-B model, default), "eng" (stock, MRZ alphabet) or "off".
	MRZTesseract string
	// PlateModel is an optional licence-plate detector in the YOLO ONNX
	// format; its boxes join the text detector's regions for the plate
	// builder. PlateLayout names its output layout (models.YOLOAuto...).
	PlateModel  string
	PlateLayout string
	// Country is the plate country preferred when a request names none
	// (Request.Country).
	Country string
	// KeepArenas keeps each worker's memory at its high-water mark between
	// scans for speed: the text detector's ONNX Runtime arena (about 250 MB
	// per worker after a large pass) and malloc's free pages. By default
	// both are handed back (the detector after every run, malloc after
	// every scan), which costs about 0.1 s of system time per photo in
	// page faults and keeps a 2-worker server under 1 GB.
	KeepArenas bool
}

func (o Options) withDefaults() Options {
	if o.DetSide <= 0 {
		o.DetSide = 960
	}
	if o.FineSide <= 0 {
		o.FineSide = 1920
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
	if o.AutoBudget <= 0 {
		o.AutoBudget = autoPassBudget
	}
	if o.Builders == nil {
		o.Builders = DefaultBuilders()
	}
	return o
}

// Engines are one worker's native engines. It owns them and closes them.
type Engines struct {
	opt Options
	Det *models.Detector
	Cls *models.Classifier
	Rec *models.Recognizer
	// recFork is Rec forked for a second goroutine (cardRecognizers),
	// made on first use.
	recFork *models.Recognizer
	Tess    *ocr.Tesseract
	// MRZTess reads MRZ lines with per-character alternatives (nil when
	// Options.MRZTesseract is "off").
	MRZTess *ocr.SymbolReader
	// Plates is the optional plate detector (nil without Options.PlateModel).
	Plates *models.ObjectDetector
	// Deu is a German Tesseract client: the document builder's second
	// reading of names and places (umlauts PP-OCR's alphabet lacks).
	Deu *ocr.Tesseract

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
	dso := so
	dso.ShrinkArena = !o.KeepArenas
	if e.Det, err = models.NewDetector(o.Assets, dso, models.DBOptions{}); err != nil {
		return nil, errors.Join(err, e.Close())
	}
	if e.Cls, err = models.NewClassifier(o.Assets, so); err != nil {
		return nil, errors.Join(err, e.Close())
	}
	if e.Rec, err = models.NewRecognizer(o.Assets, dso); err != nil {
		return nil, errors.Join(err, e.Close())
	}
	if e.Tess, err = ocr.NewTesseract(ocr.Options{Languages: []string{"eng"}, TessdataPrefix: o.TessdataPrefix}); err != nil {
		return nil, errors.Join(err, e.Close())
	}
	if o.PlateModel != "" {
		if e.Plates, err = models.NewObjectDetector(o.PlateModel, so, models.YOLOOptions{Layout: o.PlateLayout}); err != nil {
			return nil, errors.Join(err, e.Close())
		}
	}
	if e.Deu, err = ocr.NewTesseract(ocr.Options{Languages: []string{"deu"}, TessdataPrefix: o.TessdataPrefix}); err != nil {
		return nil, errors.Join(err, e.Close())
	}
	if e.MRZTess, err = newMRZTesseract(o); err != nil {
		return nil, errors.Join(err, e.Close())
	}
	return e, nil
}

// Close frees every engine; safe to call twice.
func (e *Engines) Close() error {
	return errors.Join(e.Det.Close(), e.Cls.Close(), e.Rec.Close(), e.Tess.Close(), e.Plates.Close(), e.Deu.Close(), e.MRZTess.Close())
}

// Region is a detected text region handed to the builders; it is
// recognized on demand (Scene.Read).
type Region struct {
	Quad     geom.Quad // original upright coordinates, reading direction
	DetScore float64
	Angle    int // 0 or 180 (already applied to Quad once read)
	Text     string
	Conf     float64
	Chars    []models.Char // PP-OCR per-character readings, when run
	// MRZ is the PP-OCR reading restricted to the MRZ alphabet (same
	// inference, second decoding), for MRZ-shaped regions.
	MRZ *models.Text
	// MRZCells are the same inference read in fixed-pitch cells, per MRZ
	// line length.
	MRZCells map[int]models.Text
	Engine   string
	// Source is "plate-detector" for regions from the plate detector
	// (empty: the text detector).
	Source string
	Read   bool // recognized
	bad    bool // degenerate box: cannot be read
	// extended: the plate builder's reading of another region's line
	// lengthened past its box (Scene.readExtended), no text the detector
	// found
	extended bool
	// joined: a line the plate builder read extended to the left, with
	// the characters read there before the line's own (joinedStart); it
	// serves the build that made it only (a later build, with more of the
	// scene's regions, decides again)
	joined bool
	// upright: the region is read as its quad runs, without the
	// orientation model (the other line of a two-line plate read upright
	// tells it: a lone K read turned over is a Y)
	upright bool
	// under: for the plate finder's band above one of its lines, that
	// line (blankBelow)
	under *geom.Quad
	// stretched: the plate builder has read the line stretched wider
	// (readStretched)
	stretched bool
}

// Scene is what the builders see: the decoded frame, the regions and the
// engines, to read regions on demand and re-read them with other settings.
type Scene struct {
	Frame   *preprocess.Frame
	Regions []Region
	Kind    string
	Eng     *Engines
	Quality preprocess.Quality
	// Records made so far by earlier builders (the MRZ builder runs first).
	Records []Record
	// PlateCountry is the request's preferred plate country ("" guesses).
	PlateCountry string
	// Warnings are capture-quality warnings of the builders (the document
	// builder judges the card itself); they join quality.warnings.
	Warnings []string

	// look is the frame the scene looks for print and outlines on (nil:
	// Frame; the dark pass's, darkPass, the photo brightened)
	look *preprocess.Frame
	// zoomSide is the long side the zoom pass's fine passes detect at (0:
	// the fine pass's, Options.FineSide at most)
	zoomSide int

	tOrient, tOCR, tDetect time.Duration
	fine                   bool    // a fine detection pass has run
	turned                 bool    // a fine pass has read the photo turned level
	skew                   float64 // degrees the last level pass's lines lie off level (skewOf)
	plateQuads             []geom.Quad
	platesDetected         bool
	plateLines             []scoredQuad                // the classical plate-print finder's lines
	weakPlates             map[*plates.Record]bool     // plates read on a low-scoring finder line
	unsurePlates           map[*plates.Record]bool     // plates read on one line whose reading starts at its crop's edge (unsureRegions)
	plateRegs              map[*plates.Record][]Region // the regions each plate was read from (confidentPlates asks startsUnread of them)
	tessPlates             map[geom.Quad]tessReading   // Tesseract's plate readings, by quad
	plateLinesFound        bool
	wantFine               bool // a builder asks for the fine pass
	classicalTried         bool // the MRZ builder's classical zone search has run
	chainTried             bool // the MRZ builder has chained line fragments
	mrzHint                bool // a zone of 2-3 lines was found by texture, not read as other print
	// zone is where an MRZ the builder found but could not validate lies
	// (original coordinates, margins included); the next fine pass reads
	// only there (zoneTried).
	zone      *geom.Quad
	zoneTried bool
	// zonePass: the regions come from a pass around an MRZ zone; a full
	// pass follows when they do not validate, so the MRZ builder reads
	// only the lines the detector found (no completion, chaining or
	// texture search).
	zonePass bool
	// wantCells: the MRZ builder keeps the cells of a valid zone it reports
	// in mrzCells (a card's sub-scene: cardSettled).
	wantCells bool
	mrzCells  *zoneShapes
	// mrzRequest: the document builder runs for an MRZ request's card
	// (Engines.cardMRZ), which keeps only the card's MRZ records
	mrzRequest bool
	// readings are the regions this scene has read, by quad and upright
	// flag (Read).
	readings map[readKey]Region
	// lineReads are the MRZ builder's readings of line crops of this
	// scene's frame, by the crop's quad (mrzReader.readLine).
	lineReads map[geom.Quad]lineReading
	// texture holds the lines of the frame's texture zones once found
	// (textureLines).
	texture *textureZones
}

// textureZones are the lines of a frame's MRZ texture zones.
type textureZones struct {
	lines [][]geom.Quad
	done  bool
}

// sameFrame is a scene of s's frame that shares s's readings and texture
// zones: the same quad of the same frame reads the same, so a search run
// twice over the frame (the texture search before the text detector and
// after it) finds its zones and reads each crop once.
func (s *Scene) sameFrame(kind string) *Scene {
	if s.readings == nil {
		s.readings = map[readKey]Region{}
	}
	if s.lineReads == nil {
		s.lineReads = map[geom.Quad]lineReading{}
	}
	if s.texture == nil {
		s.texture = &textureZones{}
	}
	return &Scene{Frame: s.Frame, Kind: kind, Eng: s.Eng, Quality: s.Quality, PlateCountry: s.PlateCountry,
		readings: s.readings, lineReads: s.lineReads, texture: s.texture}
}

// takeReading sets r's reading (turn, text, characters, MRZ decodings)
// to o's; r keeps what it is (detection score, source, band, flags).
func (r *Region) takeReading(o Region) {
	r.Quad, r.Angle, r.Text, r.Conf, r.Chars = o.Quad, o.Angle, o.Text, o.Conf, o.Chars
	r.MRZ, r.MRZCells, r.Engine, r.Read = o.MRZ, o.MRZCells, o.Engine, o.Read
}

// readKey names a region's reading: the same quad read the same way gives
// the same reading.
type readKey struct {
	quad    geom.Quad
	upright bool
}

// finePass admits one fine detection pass at a time in the process.
var finePass = make(chan struct{}, 1)

// Refine runs the text detector again at the finer resolution, when the
// first pass shrank the image or its lines lie tilted, and replaces the
// regions (the earlier readings are dropped; a pass around a zone keeps,
// outside an MRZ request, those outside it for the other builders; it
// builds the whole fine tensor, which the whole-photo pass after it
// builds again rather than holding it beyond finePass). A photo whose lines lie
// minSkew or more off level is read turned level. It reports whether it
// ran; it runs at most three times: around an MRZ zone the builder found
// but could not validate (zonePass), over the whole photo, and a level
// pass whose own lines turn out tilted may be followed by a turned one.
func (s *Scene) Refine(ctx context.Context) (bool, error) {
	e := s.Eng
	w, h := s.Frame.DecodedSize()
	turn := math.Abs(s.skew) >= minSkew
	if s.turned || (s.fine && !turn) || (!turn && s.zoomSide == 0 && float64(max(w, h)) < 1.25*float64(e.opt.DetSide)) {
		return false, nil
	}
	t0 := time.Now()
	defer func() { s.tDetect += time.Since(t0) }()
	// The fine pass runs in tiles no larger than the first pass's input
	// (fine_tiles.go), so the detector's memory arena does not grow to a
	// whole enlarged photo's size; one at a time per process bounds the
	// peak of the enlarged image's tensor whatever the worker count.
	select {
	case finePass <- struct{}{}:
		defer func() { <-finePass }()
	case <-ctx.Done():
		return false, ctx.Err()
	}
	side := min(e.opt.FineSide, max(w, h))
	if s.zoomSide > 0 {
		side = s.zoomSide
	}
	// toTensor maps original coordinates into the pass's tensor.
	var t preprocess.Tensor
	var toTensor, back preprocess.Affine
	if turn {
		// Text tilted well off level: the detector reads the photo turned
		// level (its regions are mapped back to the photo).
		t, back = s.lookFrame().TurnedTensor(side, -s.skew)
		toTensor = back.Inverse()
	} else {
		t = s.lookFrame().DetTensor(side)
		toTensor = preprocess.Affine{1 / t.ScaleX, 0, 0, 0, 1 / t.ScaleY, 0}
		back = preprocess.Affine{1, 0, 0, 0, 1, 0} // detectTiles scales back
	}
	tiles, roi := tilesOf(t.W, t.H), (*geom.Quad)(nil)
	if s.zone != nil && !s.zoneTried {
		s.zoneTried = true
		if r, ok := zoneTile(*s.zone, toTensor, t.W, t.H); ok {
			tiles = tilesIn(r)
			q := back.Quad(geom.Quad{{float64(r.x), float64(r.y)}, {float64(r.x + r.w), float64(r.y)},
				{float64(r.x + r.w), float64(r.y + r.h)}, {float64(r.x), float64(r.y + r.h)}})
			if !turn {
				q = q.Scale(t.ScaleX, t.ScaleY)
			}
			roi = &q
		}
	}
	if roi == nil {
		// the whole photo
		s.fine = true
		s.turned = turn
	}
	s.zonePass = roi != nil
	dets, err := detectTiles(ctx, e.Det, t, tiles)
	if err != nil {
		return false, err
	}
	if turn {
		for i := range dets {
			dets[i].Quad = back.Quad(dets[i].Quad)
		}
	} else if roi == nil {
		// The first pass may have found too little to tell the tilt: the
		// fine pass's lines tell it for a turned pass after it.
		s.skew = skewOf(dets)
	}
	if len(dets) > 2*e.opt.MaxRegions {
		sort.SliceStable(dets, func(i, j int) bool { return dets[i].Score > dets[j].Score })
		dets = dets[:2*e.opt.MaxRegions]
	}
	s.chainTried = false // new regions: chain their pieces again
	regions := make([]Region, len(dets), len(dets)+len(s.Regions))
	for i, d := range dets {
		regions[i] = Region{Quad: d.Quad, DetScore: d.Score}
	}
	if roi != nil && s.Kind != "mrz" {
		// Around the zone the fine regions replace the earlier ones; the
		// rest of the photo keeps its regions and their readings for the
		// other builders.
		for _, r := range s.Regions {
			if !overlaps(r.Quad, *roi) {
				regions = append(regions, r)
			}
		}
	}
	s.Regions = regions
	s.zone = nil
	return true, nil
}

// zoneTile is the rectangle of a w x h detector tensor that holds the
// quad zone (original coordinates; toTensor maps them into the tensor);
// ok is false when that is most of the tensor.
func zoneTile(zone geom.Quad, toTensor preprocess.Affine, w, h int) (tile, bool) {
	x0, y0, x1, y1 := toTensor.Quad(zone).Bounds()
	return roiTile(w, h, x0, y0, x1, y1)
}

// overlaps reports whether the bounding boxes of a and b intersect.
func overlaps(a, b geom.Quad) bool {
	ax0, ay0, ax1, ay1 := a.Bounds()
	bx0, by0, bx1, by1 := b.Bounds()
	return ax0 < bx1 && bx0 < ax1 && ay0 < by1 && by0 < ay1
}

// overlapShare is the area of the intersection of the bounding boxes of a
// and b over the smaller box's area (0 for degenerate boxes).
func overlapShare(a, b geom.Quad) float64 {
	ax0, ay0, ax1, ay1 := a.Bounds()
	bx0, by0, bx1, by1 := b.Bounds()
	iw, ih := math.Min(ax1, bx1)-math.Max(ax0, bx0), math.Min(ay1, by1)-math.Max(ay0, by0)
	sa, sb := (ax1-ax0)*(ay1-ay0), (bx1-bx0)*(by1-by0)
	if iw <= 0 || ih <= 0 || sa <= 0 || sb <= 0 {
		return 0
	}
	return iw * ih / math.Min(sa, sb)
}

// quadOf is a record's quad as a geom.Quad.
func quadOf(q [4][2]float64) geom.Quad {
	return geom.Quad{q[0], q[1], q[2], q[3]}
}

// minSkew is the tilt (degrees off level) of a photo's text from which
// the fine pass reads the photo turned level: at 0-10 degrees off level
// 70% of 207 synthetic MRZ scenes read exactly, at 20-30 43%, at 30-45
// 2 of 25, most of them with no zone found at all (the detector cuts
// tilted lines into pieces or misses them).
const minSkew = 10

// skewOf is the tilt of the text lines among regions, in degrees off the
// nearest axis (-45, 45]: the mean direction of the long regions (three
// times as long as high or more), weighted by length, on the circle of
// four-fold angles (a line and its quarter turn agree). 0 when there are
// none or they disagree (mean resultant under 0.5).
func skewOf(rs []models.Region) float64 {
	var sx, sy, sw float64
	for _, r := range rs {
		w, h := r.Quad.Width(), r.Quad.Height()
		if h < 4 || w < 3*h {
			continue
		}
		a := 4 * r.Quad.Angle() * math.Pi / 180
		sx, sy, sw = sx+w*math.Cos(a), sy+w*math.Sin(a), sw+w
	}
	if sw == 0 || math.Hypot(sx, sy) < 0.5*sw {
		return 0
	}
	return math.Atan2(sy, sx) / 4 * 180 / math.Pi
}

// Builder turns a scene into records of one kind. It reads (Scene.Read)
// only the regions it needs: recognition is the expensive stage.
type Builder interface {
	// Kind is the record kind it makes ("mrz", "plate", "document").
	Kind() string
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

// Settle runs between scans (Settler): a scan's transient buffers
// (decoded photo, OpenCV images, Tesseract and ONNX Runtime scratch) are
// freed into malloc's arenas; their pages are handed back so that a
// worker's resident size returns to its base between scans instead of
// keeping every scan's high-water mark. That takes a few milliseconds,
// after the result is handed over.
func (e *Engines) Settle() {
	if !e.opt.KeepArenas {
		models.TrimHeap()
	}
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
	if req.Country != "" && !plates.Supported(req.Country) {
		return fail(fmt.Errorf("%w: no plate grammar for country %q", ErrBadRequest, req.Country))
	}
	req.Country = strings.ToUpper(strings.TrimSpace(req.Country))
	if req.Country == "" {
		req.Country = e.opt.Country
	}
	stage := func(name string, t0 time.Time) { res.TimingsMS[name] = ms(time.Since(t0)) }

	t0 := time.Now()
	frame, err := preprocess.Decode(ctx, req.Data, e.decodeOptions(req.Kind))
	stage("decode", t0)
	if err != nil {
		return fail(fmt.Errorf("decode: %w", err))
	}
	defer frame.Close()

	t0 = time.Now()
	w, h := frame.Size()
	q := frame.Measure()
	res.Quality = qualityOf(w, h, q)
	stage("normalize", t0)
	scene := &Scene{Frame: frame, Kind: req.Kind, Eng: e, Quality: q, PlateCountry: req.Country}

	// A plate request first reads what the classical plate-print finder
	// sees; a confident plate there answers it without the text detector
	// (the slowest stage). Otherwise its readings stay in the scene.
	var built time.Duration // time in the builders
	answered := false
	if req.Kind == "plate" && !req.Text && !req.Regions {
		t0 = time.Now()
		if err := e.build(ctx, scene, req.Kind); err != nil {
			return fail(err)
		}
		built = time.Since(t0)
		if answered = confidentPlates(scene); !answered {
			scene.Records, scene.Warnings = nil, nil
		}
	}
	// An MRZ request on a photo the text detector would shrink (long side
	// over 1.5 times its input: small print may then need its fine pass)
	// first reads the zones the classical texture search finds
	// (preprocess.MRZZonesWide): a zone that validates answers it without
	// the text detector. Otherwise the search's readings stay in the
	// scene's caches for the detector's regions. A smaller photo is read
	// faster by the detector's path: the 19 real MRZ photos (at most 1600
	// px) one at a time, median 413 ms that way, 534 ms texture first.
	// An auto request (the contract's default) on such a photo reads the
	// same zones first (its text regions, where asked for, still come from
	// the detector, which runs anyway): a valid zone there is its MRZ
	// record (the document builder takes the card's format and
	// cross-check from it; the plate builder leaves the document's print
	// alone), and the text detector's pass goes on for the card and
	// plates. The detector's regions of a 12-megapixel photo shrunk to 960
	// pixels lose the zone's small print, and the card the document
	// builder finds there ends the search before the fine pass: the 300
	// synthetic MRZ scenes asked for auto read 256 exact before this
	// probe, 279 with it (283 asked for mrz), no plate record on them (2
	// before), no wrong valid record either way. On an auto request the
	// probe is a guess: a zone it cannot settle in half the auto budget
	// (Options.AutoBudget) is left to the detector's pass.
	var textureMRZ []Record
	mrzHint := false // the probe found print of an MRZ's texture
	auto := req.Kind == "" || req.Kind == "auto"
	if (req.Kind == "mrz" && !req.Text && !req.Regions || auto) && 2*max(w, h) > 3*e.opt.DetSide {
		t0 = time.Now()
		var recs []Record
		probe := func(ctx context.Context) (err error) {
			recs, mrzHint, err = e.mrzByTexture(ctx, scene)
			return err
		}
		var err error
		if auto {
			_, err = withinBudget(ctx, e.opt.AutoBudget/2, probe)
		} else {
			err = probe(ctx)
		}
		if err != nil {
			return fail(err)
		}
		built = time.Since(t0)
		if validMRZ(recs) {
			if req.Kind == "mrz" {
				answered = true
			} else {
				textureMRZ = recs
			}
			scene.Records = recs
		}
	}
	if !answered {
		d, err := e.detectAndBuild(ctx, scene, req.Kind, res)
		if err != nil {
			return fail(err)
		}
		built += d
		if textureMRZ != nil && !validMRZ(scene.Records) {
			// a fine pass started over without it: it stands for that
			// pass's MRZ reading
			scene.Records = withMRZ(textureMRZ, scene.Records)
		}
		if auto && (mrzHint || mrzBearing(scene.Records)) && !validMRZ(scene.Records) {
			d, err := e.autoMRZPasses(ctx, scene)
			if err != nil {
				return fail(err)
			}
			built += d
		}
		if auto || req.Kind == "document" {
			d, err := e.darkPass(ctx, scene, req.Kind == "document")
			if err != nil {
				return fail(err)
			}
			built += d
		}
		if printed := auto && plateAmongPrint(scene); req.Kind == "document" || printed {
			d, err := e.zoomPass(ctx, scene, printed)
			if err != nil {
				return fail(err)
			}
			built += d
		}
	}
	res.Records = append(res.Records, scene.Records...)
	res.Quality.Warnings = mergeWarnings(res.Quality.Warnings, scene.Warnings)
	if req.Text || req.Regions || req.Kind == "text" {
		for i := range scene.Regions {
			r := &scene.Regions[i]
			if req.Text || req.Kind == "text" {
				if _, err := scene.Read(ctx, i); err != nil {
					return fail(err)
				}
			}
			if r.bad {
				continue
			}
			res.Records = append(res.Records, &TextRegion{Kind: "text", Text: r.Text,
				Confidence: round3(r.Conf), Quad: roundQuad(r.Quad), DetScore: round3(r.DetScore), Angle: r.Angle})
		}
	}
	stageTimes(res, scene, built)
	res.TimingsMS["total"] = ms(time.Since(start))
	return res
}

// autoMRZPasses gives an auto request's scene, whose probe saw an MRZ it
// could not read or whose card carries one on this side, and whose card
// ended the search without a valid zone, an MRZ request's passes (the
// fine detection pass, the card) on a scene of its own; their valid
// reading replaces the scene's MRZ records. They are a second search after
// a complete answer: within autoPassBudget and half the time the request
// has left, past which the answer stands as it is.
func (e *Engines) autoMRZPasses(ctx context.Context, scene *Scene) (time.Duration, error) {
	sub := scene.sameFrame("mrz")
	sub.Regions, sub.skew = slices.Clone(scene.Regions), scene.skew
	budget := e.opt.AutoBudget
	if dl, ok := ctx.Deadline(); ok {
		budget = min(budget, time.Until(dl)/2)
	}
	var d time.Duration
	done, err := withinBudget(ctx, budget, func(ctx context.Context) (err error) {
		d, err = e.buildPasses(ctx, sub, "mrz")
		return err
	})
	scene.addTimes(sub)
	if err != nil || !done {
		return d, err
	}
	var valid []Record
	for _, r := range sub.Records {
		if m, ok := r.(*mrz.Record); ok && m.Valid {
			valid = append(valid, m)
		}
	}
	if len(valid) > 0 {
		scene.Records = withMRZ(valid, scene.Records)
	}
	return d, nil
}

// withinBudget runs f under a deadline of at most budget; where that
// deadline, not the request's, ends it, done is false and no error comes
// back.
func withinBudget(ctx context.Context, budget time.Duration, f func(context.Context) error) (done bool, err error) {
	bctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	if err := f(bctx); err != nil {
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			return false, nil
		}
		return false, err
	}
	return true, nil
}

// withMRZ is recs with its MRZ records replaced by ms (first).
func withMRZ(ms, recs []Record) []Record {
	out := slices.Clone(ms)
	for _, r := range recs {
		if _, ok := r.(*mrz.Record); !ok {
			out = append(out, r)
		}
	}
	return out
}

// mrzBearing reports whether recs hold a document whose photographed side
// carries an MRZ: a passport's data page, an ID card or residence permit
// not known to be German (the German cards' fronts carry none).
func mrzBearing(recs []Record) bool {
	for _, r := range recs {
		d, ok := r.(*documents.Record)
		if !ok {
			continue
		}
		switch d.DocumentType {
		case "passport":
			return true
		case "id_card", "residence_permit":
			if d.Country != "DE" {
				return true
			}
		}
	}
	return false
}

// autoPassBudget bounds the MRZ request's passes an auto request runs for
// a card that carries an MRZ none of its passes read (Process), and so
// does half the time the request has left: mrz_0012 of the 300 synthetic
// MRZ scenes (glare over an ID card's zone, read by none, 25 s before
// them with two workers) ran past the 30 s scan deadline with them and
// lost its card. The default of Options.AutoBudget, half of which bounds
// the texture search an auto request runs before the text detector
// (Process): where it validates, it takes about a second; a zone it cannot
// settle can take ten times that (mrz_0012, 14 s asked for mrz), which on
// top of the detector's pass ran past an auto request's deadline.
const autoPassBudget = 8 * time.Second

// mrzDecodeSide is the smallest long side an MRZ request's photo is
// decoded to (preprocess.DecodeOptions.MinLongSide; other requests keep
// its default, 2048): a 12-megapixel JPEG is decoded at half scale, 2016
// pixels, in a third of the time, and its zone read better. The 87
// synthetic 4032-pixel MRZ scenes of the 300-scene set, one worker: 82
// -> 85 exact, no wrong valid record, median 1000 -> 827 ms (decode 146
// -> 61 ms). Document requests lost fields that way (the 40 12-megapixel
// synthetic ID cards: 345 -> 338 of 374 fields), plates are small print.
const mrzDecodeSide = 2000

// decodeOptions are the decode options for a request of kind.
func (e *Engines) decodeOptions(kind string) preprocess.DecodeOptions {
	dec := e.opt.Decode
	if kind == "mrz" && dec.MinLongSide == 0 {
		dec.MinLongSide = mrzDecodeSide
	}
	return dec
}

// mrzByTexture runs the MRZ builder on a scene of s's frame without
// regions: its texture search alone (MRZBuilder.classical) finds and
// reads the zone. The readings are shared with s (sameFrame), so the same
// search after the text detector, where this one did not validate, reads
// nothing again.
func (e *Engines) mrzByTexture(ctx context.Context, s *Scene) (recs []Record, hint bool, err error) {
	for _, b := range e.opt.Builders {
		mb, ok := b.(MRZBuilder)
		if !ok {
			continue
		}
		probe := s.sameFrame("mrz")
		probe.chainTried = true
		recs, err := mb.Build(ctx, probe)
		s.tOCR += probe.tOCR
		s.tOrient += probe.tOrient
		return recs, probe.mrzHint, err
	}
	return nil, false, nil
}

// addTimes adds the recognition, orientation and detection time of sub, a
// scene of the same photo run as a second pass, to s's.
func (s *Scene) addTimes(sub *Scene) {
	s.tOCR += sub.tOCR
	s.tOrient += sub.tOrient
	s.tDetect += sub.tDetect
}

// lookFrame is the photo print and outlines are looked for on.
func (s *Scene) lookFrame() *preprocess.Frame {
	if s.look != nil {
		return s.look
	}
	return s.Frame
}

// darkWeak is the most fields a card read on a dark photo may have for the
// dark pass to look for it again on the photo brightened.
const darkWeak = 2

// darkPass looks for the card of a dark photo again on the photo
// brightened (preprocess.Frame.Brightened) where none was found or it
// gave darkWeak fields or fewer: the text detector, normalized for
// daylight, finds little of a card's print at a ground of 30 gray levels,
// and the outline drawn around the little it found misses the rest (the
// synthetic idcard_0152: no field read, 8 of 9 with the pass). Only the
// looking is done on the brightened photo; the recognizers read the photo
// as taken, as the capture gate judges it. Done for every dark photo, not
// only as a second pass, it cost more than it gained: on the 42 dark
// synthetic cards, reading the scene brightened lost 20 fields to its
// lifted noise where it found 8, looking there and reading as taken lost
// 14. The pass's card replaces the scene's where it has more fields (its
// gate's warnings join the scene's). An auto request runs it only where
// a card was found (a document request also where none was).
func (e *Engines) darkPass(ctx context.Context, scene *Scene, document bool) (time.Duration, error) {
	// a photo whose mean is this light has a light end lighter still
	if scene.Quality.Brightness >= preprocess.DarkBright {
		return 0, nil
	}
	have := -1
	var mrzs []Record
	for _, r := range scene.Records {
		switch v := r.(type) {
		case *documents.Record:
			have = max(have, len(v.Fields))
		case *mrz.Record:
			mrzs = append(mrzs, v)
		}
	}
	// an auto request without a card (a plate at night) is not searched
	// for one
	if have > darkWeak || have < 0 && !document {
		return 0, nil
	}
	bright, ok := scene.Frame.Brightened()
	if !ok {
		return 0, nil
	}
	defer bright.Close()
	sub := scene.sameFrame("document")
	sub.look = bright
	sub.Records = slices.Clone(mrzs)
	sr := &Result{TimingsMS: map[string]float64{}}
	start := time.Now()
	_, err := e.detectAndBuild(ctx, sub, "document", sr)
	d := time.Since(start) // the whole pass, its first detection too
	scene.addTimes(sub)
	scene.tDetect += time.Duration((sr.TimingsMS["detect"] + sr.TimingsMS["normalize"]) * float64(time.Millisecond))
	if err != nil {
		return d, err
	}
	var found []Record
	for _, r := range sub.Records {
		if v, ok := r.(*documents.Record); ok && len(v.Fields) > have {
			found = append(found, v)
		}
	}
	if len(found) == 0 {
		return d, nil
	}
	recs := slices.DeleteFunc(slices.Clone(scene.Records), func(r Record) bool {
		_, ok := r.(*documents.Record)
		return ok
	})
	scene.Records = append(recs, found...)
	scene.Warnings = mergeWarnings(scene.Warnings, sub.Warnings)
	return d, nil
}

// zoomMaxSide is the longest side the zoom pass enlarges a photo to, and
// zoomGain the least it must enlarge it over the fine pass's side.
const (
	zoomMaxSide = 3200
	zoomGain    = 1.25
)

// zoomPass looks for a card in a photo where nothing was found, with the
// fine passes run on the photo enlarged twice (at most zoomMaxSide): the
// print of a card a sixth of the photo wide is 7 pixels high at the
// photo's own size, too small for the text detector, which finds pieces
// of it that no outline is drawn around (the synthetic idcard_0135, 265
// pixels of a 1600-pixel photo, its border on white paper: nothing found
// before, all ten fields with the pass). It costs a photo with no card a
// second or two, so a document request runs it, and an auto request only
// where a plate was read among print of its own size (plateAmongPrint: a
// small card's number read as a plate): run for every auto request
// without a card it would cost every plate photo whose plate is not read
// (the real photos' p90 latency 1982 -> 2173 ms, nothing more read).
// printed says the scene's plate is such print: the pass then runs
// without the plate records, and a card found takes those on it off.
func (e *Engines) zoomPass(ctx context.Context, scene *Scene, printed bool) (time.Duration, error) {
	if scene.found() && !printed {
		return 0, nil
	}
	w, h := scene.Frame.DecodedSize()
	side := zoomSideOf(w, h, e.opt)
	if side == 0 {
		return 0, nil
	}
	sub := scene.sameFrame("document")
	sub.zoomSide, sub.skew = side, scene.skew
	sub.Records = slices.Clone(scene.Records)
	var plateRecs []Record
	if printed {
		// the plate read on the card's print would end the passes
		sub.Records = sub.Records[:0]
		for _, r := range scene.Records {
			if _, ok := r.(*plates.Record); ok {
				plateRecs = append(plateRecs, r)
			} else {
				sub.Records = append(sub.Records, r)
			}
		}
	}
	d, err := e.buildPasses(ctx, sub, "document")
	scene.addTimes(sub)
	if err != nil {
		return d, err
	}
	if printed && holds[*documents.Record](sub.Records) {
		scene.Records = dropPrintedPlates(append(sub.Records, plateRecs...))
		scene.Warnings = mergeWarnings(scene.Warnings, sub.Warnings)
	} else if !printed && sub.found() {
		scene.Records = sub.Records
		scene.Warnings = mergeWarnings(scene.Warnings, sub.Warnings)
	}
	return d, nil
}

// zoomSideOf is the long side the zoom pass detects a w x h photo at:
// twice the photo's (at most zoomMaxSide), where that is zoomGain times
// what the first pass (a small photo enlarged up to twice) and the fine
// pass saw or more; 0 where it is not.
func zoomSideOf(w, h int, opt Options) int {
	long := max(w, h)
	side := min(2*long, zoomMaxSide)
	seen := max(min(2*long, opt.DetSide), min(opt.FineSide, long))
	if float64(side) < zoomGain*float64(seen) {
		return 0
	}
	return side
}

// detectAndBuild runs the text detector, adds its regions to the scene's
// (those a plate request's first pass read stay), runs the builders of
// kind, and the fine detection pass when they found nothing or ask for
// it. It returns the time spent from the builders on.
func (e *Engines) detectAndBuild(ctx context.Context, scene *Scene, kind string, res *Result) (time.Duration, error) {
	t0 := time.Now()
	tensor := scene.lookFrame().DetTensor(e.opt.DetSide)
	res.TimingsMS["normalize"] += ms(time.Since(t0))
	t0 = time.Now()
	dets, err := e.Det.Detect(ctx, tensor.Data, tensor.W, tensor.H, tensor.ScaleX, tensor.ScaleY)
	res.TimingsMS["detect"] = ms(time.Since(t0))
	if err != nil {
		return 0, err
	}
	scene.skew = skewOf(dets)
	if len(dets) > e.opt.MaxRegions {
		sort.SliceStable(dets, func(i, j int) bool { return dets[i].Score > dets[j].Score })
		dets = dets[:e.opt.MaxRegions]
	}
	read := scene.Regions // the plate pass's regions, already read
	scene.Regions = make([]Region, len(dets), len(dets)+len(read))
	for i, d := range dets {
		scene.Regions[i] = Region{Quad: d.Quad, DetScore: d.Score}
	}
	scene.Regions = append(scene.Regions, read...)
	return e.buildPasses(ctx, scene, kind)
}

// buildPasses runs the builders of kind over the scene's regions, and the
// fine detection pass when they found nothing or ask for it; an MRZ
// request without a valid zone then looks on the card (cardMRZ). It
// returns the time spent.
func (e *Engines) buildPasses(ctx context.Context, scene *Scene, kind string) (time.Duration, error) {
	t0 := time.Now()
	if err := e.build(ctx, scene, kind); err != nil {
		return 0, err
	}
	// Look harder when nothing was found, or a builder found something it
	// could not read: small print on a large photo is lost when the first
	// detection pass shrinks it. The fine pass replaces the regions and the
	// builders run again on them. A level fine pass whose lines lie tilted
	// is followed by one turned level when it did not find enough.
	for pass := 0; pass < 3 && (!scene.found() || scene.wantFine); pass++ {
		before := scene.Records
		ran, err := scene.Refine(ctx)
		if err != nil {
			return 0, err
		}
		if !ran {
			break
		}
		scene.Records, scene.Warnings = nil, nil
		if err := e.build(ctx, scene, kind); err != nil {
			return 0, err
		}
		if scene.zonePass {
			// A pass around an MRZ zone ends the search when it validates
			// the zone; otherwise a pass over the whole photo follows.
			scene.wantFine = !validMRZ(scene.Records)
		}
		if better(before, scene.Records) {
			scene.Records = before
		}
	}
	if kind == "mrz" && !validMRZ(scene.Records) {
		if err := e.cardMRZ(ctx, scene); err != nil {
			return 0, err
		}
	}
	return time.Since(t0), nil
}

// cardMRZ looks for the MRZ of an MRZ request whose scene search found no
// valid zone on the document's normalized card, as a document request
// does (a card small in the photo or tilted has its MRZ read there at a
// known print size, upright): the document builder runs, and only its MRZ
// records are kept (a valid reading of the same lines replaces the scene's
// refused one; see DocumentBuilder.Build).
// The document record and the card's capture warnings are not part of an
// MRZ request's answer.
func (e *Engines) cardMRZ(ctx context.Context, scene *Scene) error {
	for _, b := range e.opt.Builders {
		db, ok := b.(DocumentBuilder)
		if !ok {
			continue
		}
		kind, warnings := scene.Kind, scene.Warnings
		scene.Kind = "auto" // the card's MRZ comes back as a record of its own
		scene.mrzRequest = true
		recs, err := db.Build(ctx, scene)
		scene.Kind, scene.Warnings, scene.mrzRequest = kind, warnings, false
		if err != nil {
			return fmt.Errorf("document: %w", err)
		}
		for _, r := range recs {
			if m, ok := r.(*mrz.Record); ok {
				scene.Records = append(scene.Records, m)
			}
		}
	}
	return nil
}

// validMRZ reports whether recs hold a valid MRZ record.
func validMRZ(recs []Record) bool {
	for _, r := range recs {
		if m, ok := r.(*mrz.Record); ok && m.Valid {
			return true
		}
	}
	return false
}

// stageTimes reports the recognition (and any detection pass) that
// happened inside the builders as their own stages; built is the time
// since the builders started.
func stageTimes(res *Result, scene *Scene, built time.Duration) {
	rec := built - scene.tOrient - scene.tOCR - scene.tDetect
	res.TimingsMS["detect"] += ms(scene.tDetect)
	res.TimingsMS["orientation"] = ms(scene.tOrient)
	res.TimingsMS["ocr"] = ms(scene.tOCR)
	res.TimingsMS["records"] = ms(max(0, rec))
}

// found: the builders made a record that is not a plate read on a
// low-scoring finder line or a free-form American plate (such a plate
// alone does not stop the search: a finer pass may read a listed format).
func (s *Scene) found() bool {
	for _, r := range s.Records {
		if p, ok := r.(*plates.Record); ok && (s.weakPlates[p] || unlisted(p)) {
			continue
		}
		return true
	}
	return false
}

// confidentPlates: a valid plate that the grammar ranks well above its
// alternatives (0.8 of the candidates' weight), that is not a free-text
// series or a free-form American plate and was not read on a low-scoring finder line is enough to
// answer a plate request. (Such a plate may still be a part of a plate the
// finder broke, or one line of a two-line plate; asking for 5 characters
// or more instead cost 160 ms of median latency on 300 synthetic scenes
// for one plate more.) Nor is a plate read on one line whose reading starts
// at its crop's edge (unsureRegions) or after unread print (startsUnread),
// or one that another reading of the same print contests (contested), or
// a plate of another country than the one expected (the request's, else
// Germany: GAPE16, GAP-EI 6 with its seal unread, is the Dutch GA-PE-16;
// the text detector's box of it reads the seal's gap).
func confidentPlates(s *Scene) bool {
	expected := strings.ToUpper(s.PlateCountry)
	if expected == "" {
		expected = "DE"
	}
	for _, r := range s.Records {
		if p, ok := r.(*plates.Record); ok && p.Country == expected && p.Valid && !p.Ambiguous && p.Confidence >= 0.8 && !freeText(p) && !unlisted(p) && !s.weakPlates[p] && !s.unsurePlates[p] && !contested(s.Records, p) && !startsUnread(s.Frame, s.plateRegs[p]) {
			return true
		}
	}
	return false
}

// contested: another plate record of as many characters, nearly as sure
// (contestConf), lies where p does (their boxes overlap by half of the
// smaller) with another text: two readings of one print (WIP2 and WÜP2),
// which the text detector's regions decide better. (A part of the plate
// read alone, K649A under GEK6494, is no rival.)
const contestConf = 0.8

func contested(recs []Record, p *plates.Record) bool {
	for _, r := range recs {
		o, ok := r.(*plates.Record)
		if ok && o != p && o.Text != p.Text && o.Confidence >= contestConf && alnumLen(o.Text) == alnumLen(p.Text) && samePlace(p, o) {
			return true
		}
	}
	return false
}

// build runs the builders of the requested kind over the scene.
func (e *Engines) build(ctx context.Context, s *Scene, kind string) error {
	for _, b := range e.opt.Builders {
		if kind != "" && kind != "auto" && kind != b.Kind() {
			continue
		}
		recs, err := b.Build(ctx, s)
		if err != nil {
			return fmt.Errorf("%s: %w", b.Kind(), err)
		}
		s.Records = append(s.Records, recs...)
	}
	s.Records = dropPlatesOnDocuments(s.Records)
	return nil
}

// better reports whether the first pass's records beat the fine pass's:
// more valid records win, then more records.
func better(first, fine []Record) bool {
	count := func(rs []Record) (valid int) {
		for _, r := range rs {
			switch v := r.(type) {
			case *mrz.Record:
				if v.Valid {
					valid++
				}
			case *plates.Record:
				if v.Valid {
					valid++
				}
			}
		}
		return valid
	}
	vf, vn := count(first), count(fine)
	if vf != vn {
		return vf > vn
	}
	if vf == 0 && formedMRZ(first) && !formedMRZ(fine) && holds[*mrz.Record](fine) {
		// Neither validates: a zone whose check digits, dates and codes
		// all hold (refused for a doubt they cannot settle: a glyph's
		// height, a rival reading) is nearer the print than one where any
		// fails (a later pass's reading with characters doubled: mrz_0188
		// and mrz_0246 of the synthetic scenes), and the card's reading of
		// the same lines may yet confirm it (cardMRZ).
		return true
	}
	return len(first) > len(fine)
}

// formedChecks are the checks an MRZ record fails when its lines cannot
// be the print of a document (besides its check digits): dates that do
// not exist, unknown codes, characters out of their fields' sets. The
// others are doubts about a possible reading (legibility, rivals, glyph
// shapes).
var formedChecks = []string{"birth_date_valid", "expiry_date_valid", "expiry_date_term", "issuing_state", "nationality", "document_code", "charset", "sex", "document_number_chars"}

// formedMRZ: one of recs is an MRZ record of a known layout whose check
// digits all hold and which fails none of formedChecks.
func formedMRZ(recs []Record) bool {
	for _, r := range recs {
		m, ok := r.(*mrz.Record)
		if !ok {
			continue
		}
		if f, n := mrz.CheckDigits(m); n == 0 || f > 0 {
			continue
		}
		if !slices.ContainsFunc(formedChecks, func(c string) bool { ok, seen := m.Checks[c]; return seen && !ok }) {
			return true
		}
	}
	return false
}

// holds: rs holds a record of type T (an MRZ, a card).
func holds[T Record](rs []Record) bool {
	for _, r := range rs {
		if _, ok := r.(T); ok {
			return true
		}
	}
	return false
}

// Read decides the orientation of region i and recognizes it, once; later
// calls return the cached result. A degenerate region comes back with
// ok=false. A region whose quad the scene has read before (the plate
// finder's lines added again after a fine pass replaced the regions, a
// two-line plate's second line extended for each of two boxes of its first
// line) takes that reading instead of running the models again: the frame
// and the models are the same, so is the reading.
func (s *Scene) Read(ctx context.Context, i int) (ok bool, err error) {
	reg := &s.Regions[i]
	if reg.Read || reg.bad {
		return reg.Read, nil
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	key := readKey{reg.Quad, reg.upright}
	if done, ok := s.readings[key]; ok {
		reg.takeReading(done)
		return true, nil
	}
	defer func() {
		if err == nil && reg.Read {
			if s.readings == nil {
				s.readings = map[readKey]Region{}
			}
			s.readings[key] = *reg
		}
	}()
	e, f := s.Eng, s.Frame
	t0 := time.Now()
	line, err := e.LineCrop(f, reg.Quad)
	if err != nil {
		reg.bad = true
		return false, nil
	}
	if !reg.upright {
		ang, p, err := e.Cls.Orientation(ctx, line)
		if err != nil {
			return false, err
		}
		if ang == 180 && p > 0.9 {
			reg.Quad = reg.Quad.Rotate180()
			reg.Angle = 180
			if line, err = e.LineCrop(f, reg.Quad); err != nil {
				reg.bad = true
				return false, nil
			}
		}
	}
	s.tOrient += time.Since(t0)
	t0 = time.Now()
	defer func() { s.tOCR += time.Since(t0) }()
	if err := s.recognize(ctx, reg, line); err != nil {
		return false, err
	}
	// The orientation model is unsure of lines without words: an upside-down
	// MRZ line reads as '>' runs and digits. A whole-line-shaped region whose
	// reading is not MRZ-like, and holds a '>' or was read with little
	// confidence, is read turned once more, and the turn is kept when that
	// reading is an MRZ line.
	if reg.MRZ != nil && mrzSeedShape(reg.Quad) && !mrzLike(reg.Text) && (strings.Contains(reg.Text, ">") || reg.Conf < 0.6) {
		alt := Region{Quad: reg.Quad.Rotate180(), DetScore: reg.DetScore, Source: reg.Source, Angle: 180 - reg.Angle}
		if line, err := e.LineCrop(f, alt.Quad); err == nil {
			if err := s.recognize(ctx, &alt, line); err != nil {
				return false, err
			}
			if mrzLike(alt.Text) {
				*reg = alt
			}
		}
	}
	reg.Read = true
	return true, nil
}

// recognize reads one region's crop with the configured engines.
func (s *Scene) recognize(ctx context.Context, reg *Region, line image.Image) error {
	e, f := s.Eng, s.Frame
	// MRZ-shaped lines always get the PP-OCR reading restricted to the
	// MRZ alphabet (a second decoding of the same inference).
	mrzShaped := mrzShape(reg.Quad)
	if e.opt.OCR == "ppocr" || e.opt.OCR == "both" || mrzShaped {
		o, err := e.Rec.Infer(ctx, line)
		if err != nil {
			return err
		}
		t := o.Greedy(nil)
		reg.Text, reg.Conf, reg.Chars, reg.Engine = t.Text, t.Conf, t.Chars, "ppocr"
		if mrzShaped {
			m := o.Greedy(e.mrzCharset())
			reg.MRZ = &m
			reg.MRZCells = map[int]models.Text{}
			for _, n := range mrzLengths {
				reg.MRZCells[n] = o.Cells(e.mrzCharset(), m, n)
			}
		}
		o.Release()
	}
	if e.opt.OCR == "tesseract" || e.opt.OCR == "both" {
		l, err := e.ReadTesseract(ctx, f, reg.Quad, ocr.LineOptions{})
		if err != nil && !errors.Is(err, errSmall) {
			return err
		}
		if err == nil && (reg.Engine == "" || l.Conf > reg.Conf) {
			reg.Text, reg.Conf, reg.Chars, reg.Engine = l.Text, l.Conf, nil, "tesseract"
		}
	}
	return nil
}

var errSmall = errors.New("region too small")

// cardRecognizers are the recognizers a card's lines are read with at
// once (readCardLines): Rec and its fork, made on first use.
func (e *Engines) cardRecognizers() []*models.Recognizer {
	if e.recFork == nil {
		e.recFork = e.Rec.Fork()
	}
	return []*models.Recognizer{e.Rec, e.recFork}
}

// LineCrop warps a text region to the 48-pixel-high colour crop the PP-OCR
// models read.
func (e *Engines) LineCrop(f *preprocess.Frame, q geom.Quad) (image.Image, error) {
	return lineCrop(f, q, false)
}

// lineCrop is LineCrop's crop, in gray where gray is set.
func lineCrop(f *preprocess.Frame, q geom.Quad, gray bool) (image.Image, error) {
	return wideLineCrop(f, q, gray, 1)
}

// wideLineCrop is lineCrop's crop k times wider than the quad's proportion.
func wideLineCrop(f *preprocess.Frame, q geom.Quad, gray bool, k float64) (image.Image, error) {
	qw, qh := q.Width(), q.Height()
	if qw < 2 || qh < 2 {
		return nil, errSmall
	}
	w := int(math.Round(48 * k * qw / qh))
	w = max(8, min(w, 48*60))
	return f.Warp(q, w, 48, gray)
}

// ReadTesseract reads a region with Tesseract on a gray crop normalized to a
// 40-pixel text height plus a margin.
func (e *Engines) ReadTesseract(ctx context.Context, f *preprocess.Frame, q geom.Quad, lo ocr.LineOptions) (ocr.Line, error) {
	g, err := TesseractCrop(f, q)
	if err != nil {
		return ocr.Line{}, err
	}
	return e.Tess.ReadLine(ctx, g, lo)
}

// TesseractCrop is the gray crop Tesseract reads a region from: warped to a
// 48-pixel height and padded by 8 pixels.
func TesseractCrop(f *preprocess.Frame, q geom.Quad) (*image.Gray, error) {
	qw, qh := q.Width(), q.Height()
	if qw < 2 || qh < 2 {
		return nil, errSmall
	}
	const hh = 48
	w := int(math.Round(hh * qw / qh))
	w = max(8, min(w, hh*60))
	img, err := f.Warp(q, w, hh, true)
	if err != nil {
		return nil, err
	}
	g, ok := img.(*image.Gray)
	if !ok {
		return nil, fmt.Errorf("tesseract crop: unexpected %T", img)
	}
	return grayimg.Pad(g, 8), nil
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
