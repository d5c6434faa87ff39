package benchmarks

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
)

func TestPlateEqual(t *testing.T) {
	for _, tc := range []struct {
		got, want string
		eq        bool
	}{
		{"FWE50", "FWE50", true},
		{"FWE5O", "FWE50", true},       // letter O read, digit 0 labelled
		{"W0BVWMK4", "WOBVWMK4", true}, // label has O where the plate has 0
		{"DO-AB 1234E", "DOAB1234E", true},
		{"do ab 1234e", "DOAB1234E", true},
		{"D0AB1234E", "DOAB1234E", true},
		{"BY·323·YB", "BY323YB", true},
		{"MÜAB12", "MÜ-AB 12", true},
		{"MUAB12", "MÜAB12", false},
		{"FWE51", "FWE50", false},
		{"FWE5", "FWE50", false},
		{"", "", false},     // nothing read is never a hit
		{"I1", "11", false}, // only O/0 are merged
	} {
		if got := PlateEqual(tc.got, tc.want); got != tc.eq {
			t.Errorf("PlateEqual(%q, %q) = %v, want %v", tc.got, tc.want, got, tc.eq)
		}
	}
}

// textRegion has the shape of pipeline.TextRegion (a record of kind "text").
type textRegion struct {
	Kind       string        `json:"kind"`
	Text       string        `json:"text"`
	Confidence float64       `json:"confidence"`
	Quad       [4][2]float64 `json:"quad"`
	DetScore   float64       `json:"det_score"`
	Angle      int           `json:"angle"`
}

func quadOf(x, y, w, h float64) [][2]float64 {
	return [][2]float64{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}}
}

func TestBoxMatches(t *testing.T) {
	truth := BBox{X: 100, Y: 100, W: 100, H: 20} // area 2000
	for _, tc := range []struct {
		name string
		quad [][2]float64
		want bool
	}{
		{"identical", quadOf(100, 100, 100, 20), true},
		{"shifted 20%", quadOf(120, 100, 100, 20), true},
		{"left half", quadOf(100, 100, 50, 20), true},
		{"left quarter", quadOf(100, 100, 25, 20), false},
		{"covers, 3.5x area", quadOf(75, 90, 175, 40), true}, // covered 100%
		{"covers, 5x area", quadOf(50, 80, 200, 50), false},
		{"40% covered, same size", quadOf(160, 100, 100, 20), false},
		{"disjoint", quadOf(300, 300, 100, 20), false},
		{"rotated quad covering", [][2]float64{{95, 105}, {200, 95}, {205, 118}, {100, 125}}, true},
		{"degenerate", quadOf(100, 100, 0, 0), false},
		{"too few points", [][2]float64{{100, 100}, {200, 120}}, false},
	} {
		if got := BoxMatches(tc.quad, truth); got != tc.want {
			t.Errorf("%s: BoxMatches = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestDetectedMergesSplitPlate(t *testing.T) {
	truth := BBox{X: 100, Y: 100, W: 100, H: 20}
	// "DO AB" and "1234E" as two regions, each covering less than half.
	split := []record{
		{Kind: "text", Quad: quadOf(102, 101, 45, 18)},
		{Kind: "text", Quad: quadOf(152, 101, 45, 18)},
		{Kind: "text", Quad: quadOf(400, 300, 80, 20)}, // elsewhere
	}
	if !detected(split, truth) {
		t.Error("two halves of the plate not counted as detected")
	}
	if detected(split[:1], truth) {
		t.Error("one half alone counted as detected")
	}
	if detected(split[2:], truth) {
		t.Error("a region elsewhere counted as detected")
	}
}

var (
	mrzTD1 = []string{"IDD<<T220001293<<<<<<<<<<<<<<<", "6408125<2010315D<<<<<<<<<<<<<4", "MUSTERMANN<<ERIKA<<<<<<<<<<<<<"}
	mrzBad = []string{"IDD<<T220001293<<<<<<<<<<<<<<<", "6408125<2010315D<<<<<<<<<<<<<4", "MUSTERMANN<<ERIKE<<<<<<<<<<<<<"}
)

func mrzRec(lines []string, valid bool) map[string]any {
	return map[string]any{"kind": "mrz", "format": "TD1", "lines": lines, "valid": valid}
}

func TestScoreMRZ(t *testing.T) {
	e := &Entry{File: "a.jpg", Kind: "mrz", Truth: Truth{MRZ: mrzTD1}}
	oneWrong := 1 - 1.0/float64(3*30+2)
	for _, tc := range []struct {
		name               string
		recs               []Record
		exact, falseAccept float64
		charAcc, plateFP   float64
	}{
		{"exact valid", []Record{mrzRec(mrzTD1, true)}, 1, 0, 1, 0},
		{"exact but invalid", []Record{mrzRec(mrzTD1, false)}, 0, 0, 1, 0},
		{"wrong and valid", []Record{mrzRec(mrzBad, true)}, 0, 1, oneWrong, 0},
		{"wrong and invalid", []Record{mrzRec(mrzBad, false)}, 0, 0, oneWrong, 0},
		{"best of two", []Record{mrzRec(mrzBad, false), mrzRec(mrzTD1, true)}, 1, 0, 1, 0},
		{"nothing", nil, 0, 0, 0, 0},
		{"plate on document", []Record{map[string]any{"kind": "plate", "text": "AB123"}}, 0, 0, 0, 1},
		{"missing line", []Record{mrzRec(mrzTD1[:2], true)}, 0, 1, 61.0 / 92, 0},
	} {
		s := Score(e, &Result{Records: tc.recs})
		check := func(metric string, want float64) {
			t.Helper()
			if got := s.Metrics[metric].Value(); math.Abs(got-want) > 1e-9 {
				t.Errorf("%s: %s = %v, want %v", tc.name, metric, got, want)
			}
		}
		check(MRZExact, tc.exact)
		check(MRZFalseAccept, tc.falseAccept)
		check(MRZCharAcc, tc.charAcc)
		check(PlateFalsePositive, tc.plateFP)
		if _, ok := s.Metrics[PlateRead]; ok {
			t.Errorf("%s: plate_read scored on an mrz entry", tc.name)
		}
	}
}

func TestCharAccuracy(t *testing.T) {
	for _, tc := range []struct {
		got, want []string
		acc       float64
	}{
		{[]string{"ABCD"}, []string{"ABCD"}, 1},
		{[]string{"ABXD"}, []string{"ABCD"}, 0.75},
		{[]string{"ABD"}, []string{"ABCD"}, 0.75},
		{[]string{"AB", "CD"}, []string{"AB", "CD"}, 1},
		{nil, []string{"ABCD"}, 0},
		{[]string{"ZZZZZZZZZZZZ"}, []string{"ABCD"}, 0}, // clamped
		{[]string{"ABCD"}, nil, 0},
	} {
		if got := CharAccuracy(tc.got, tc.want); math.Abs(got-tc.acc) > 1e-9 {
			t.Errorf("CharAccuracy(%q, %q) = %v, want %v", tc.got, tc.want, got, tc.acc)
		}
	}
}

func TestScorePlate(t *testing.T) {
	e := &Entry{File: "a.jpg", Kind: "plate", Truth: Truth{Plate: "FWE50", Region: "eu"}, BBox: &BBox{X: 348, Y: 185, W: 91, H: 21}}
	plateRec := func(text string) Record {
		return map[string]any{"kind": "plate", "text": text, "valid": true, "quad": quadOf(0, 0, 10, 10)}
	}
	region := textRegion{Kind: "text", Text: "FWE5O", Confidence: 0.9,
		Quad: [4][2]float64{{346, 186}, {440, 184}, {441, 205}, {347, 207}}}
	for _, tc := range []struct {
		name                string
		recs                []Record
		read, recall, mrzFP float64
	}{
		{"read via O/0 and detected", []Record{plateRec("FWE5O"), region}, 1, 1, 0},
		{"first plate counts", []Record{plateRec("XX123"), plateRec("FWE50"), region}, 0, 1, 0},
		{"text only", []Record{region}, 0, 1, 0},
		{"nothing", nil, 0, 0, 0},
		{"mrz on a plate photo", []Record{mrzRec(mrzTD1, false)}, 0, 0, 1},
		{"pointer record", []Record{&region}, 0, 1, 0},
	} {
		s := Score(e, &Result{Records: tc.recs})
		for metric, want := range map[string]float64{PlateRead: tc.read, TextDetRecall: tc.recall, MRZFalsePositive: tc.mrzFP} {
			if got := s.Metrics[metric]; got.N != 1 || got.Value() != want {
				t.Errorf("%s: %s = %+v, want %v", tc.name, metric, got, want)
			}
		}
		if _, ok := s.Metrics[PlateFalsePositive]; ok {
			t.Errorf("%s: plate_false_positive scored on a plate entry", tc.name)
		}
	}
	// No bbox: no detection metric.
	nb := *e
	nb.BBox = nil
	if _, ok := Score(&nb, nil).Metrics[TextDetRecall]; ok {
		t.Error("text_det_recall scored without a bbox")
	}
}

func TestFieldEqual(t *testing.T) {
	for _, tc := range []struct {
		name, got, want string
		eq              bool
	}{
		{"date_of_birth", "1957-02-01", "1957-02-01", true},
		{"date_of_birth", "01.02.1957", "1957-02-01", true},
		{"date_of_birth", "02/01/1957", "1957-02-01", true}, // US layout
		{"date_of_birth", "570201", "1957-02-01", true},     // MRZ YYMMDD
		{"date_of_birth", "01.02.57", "1957-02-01", true},
		{"date_of_birth", "01 FEB 1957", "1957-02-01", true},
		{"date_of_birth", "1 February 1957", "1957-02-01", true},
		{"date_of_birth", "1957-02-02", "1957-02-01", false},
		{"date_of_birth", "1967-02-01", "1957-02-01", false},
		{"date_of_birth", "garbage", "1957-02-01", false},
		{"expiry_date", "2018-12-31", "2018-12-31", true},
		{"issued", "14.07.1981", "1981-07-14", true}, // ISO truth marks a date
		{"surname", "Mustermann", "MUSTERMANN", true},
		{"given_names", "ERIKA  MARIA", "Erika Maria", true},
		{"given_names", "ERIKA<MARIA", "ERIKA MARIA", true},
		{"surname", "MUSTERMAN", "MUSTERMANN", false},
		{"document_id", "13AA 00002", "13AA00002", true},
		{"document_id", "13AA00003", "13AA00002", false},
	} {
		if got := FieldEqual(tc.name, tc.got, tc.want); got != tc.eq {
			t.Errorf("FieldEqual(%q, %q, %q) = %v, want %v", tc.name, tc.got, tc.want, got, tc.eq)
		}
	}
}

func TestScoreDocument(t *testing.T) {
	e := &Entry{File: "d.jpg", Kind: "licence", Truth: Truth{
		DocumentType: "driving_licence",
		Quad:         [][2]float64{{100, 100}, {500, 100}, {500, 350}, {100, 350}},
		Fields: map[string]string{
			"last_name": "SAMPLE", "first_name": "JELANI", "date_of_birth": "1957-02-01",
			"license_id": "D12345678", "class_": "D",
		},
	}}
	doc := map[string]any{
		"kind": "document", "document_type": "driving_license",
		"fields": map[string]any{
			"surname":         map[string]any{"value": "Sample", "confidence": 0.9},
			"given_names":     map[string]any{"value": "JELANl"}, // misread
			"birth_date":      "02/01/1957",
			"document_number": map[string]any{"value": "D1234 5678"},
		},
		// rotated by one corner (document upside down) and 10 px off
		"quad": [][2]float64{{500, 360}, {100, 360}, {100, 110}, {500, 110}},
	}
	s := Score(e, &Result{Records: []Record{doc}})
	if got := s.Metrics[FieldAcc]; got.Sum != 3 || got.N != 5 {
		t.Errorf("field_acc %+v, want 3/5", got)
	}
	if want := []string{"class_", "first_name"}; !reflect.DeepEqual(s.FieldMisses, want) {
		t.Errorf("field misses %v, want %v", s.FieldMisses, want)
	}
	if got := s.Metrics[FieldsAll].Value(); got != 0 {
		t.Errorf("fields_all %v", got)
	}
	if got := s.Metrics[DocType].Value(); got != 1 {
		t.Errorf("doc_type %v (license vs licence spelling)", got)
	}
	diag := math.Hypot(400, 250)
	if got := s.Metrics[CornerErr].Value(); math.Abs(got-10/diag) > 1e-9 {
		t.Errorf("corner_err %v, want %v", got, 10/diag)
	}
	if got := s.Metrics[CornerHit].Value(); got != 1 {
		t.Errorf("corner_hit %v", got)
	}
	if !s.Missed() {
		t.Error("Missed() false with two fields wrong")
	}

	// Fields may come from an MRZ record; a missing document quad is a miss
	// without a corner error.
	mrz := map[string]any{"kind": "mrz", "document_type": "passport", "lines": []string{"x"}, "valid": false,
		"fields": map[string]any{"surname": "SAMPLE", "given_names": "JELANI", "birth_date": "1957-02-01",
			"document_number": "D12345678"}}
	s = Score(e, &Result{Records: []Record{mrz}})
	if got := s.Metrics[FieldAcc]; got.Sum != 4 {
		t.Errorf("field_acc from mrz fields %+v, want 4/5", got)
	}
	if got := s.Metrics[DocType].Value(); got != 0 {
		t.Errorf("doc_type passport vs driving_licence scored %v", got)
	}
	if _, ok := s.Metrics[CornerErr]; ok {
		t.Error("corner_err without a document quad")
	}
	if got := s.Metrics[CornerHit]; got.N != 1 || got.Sum != 0 {
		t.Errorf("corner_hit %+v, want 0/1", got)
	}
}

func TestCornerError(t *testing.T) {
	want := [][2]float64{{0, 0}, {30, 0}, {30, 40}, {0, 40}} // diagonals 50
	for _, tc := range []struct {
		name string
		got  [][2]float64
		err  float64
	}{
		{"same", want, 0},
		{"shifted 5", [][2]float64{{5, 0}, {35, 0}, {35, 40}, {5, 40}}, 0.1},
		{"rotated order", [][2]float64{{30, 40}, {0, 40}, {0, 0}, {30, 0}}, 0},
		{"three corners", want[:3], math.Inf(1)},
	} {
		if got := CornerError(tc.got, want); math.Abs(got-tc.err) > 1e-9 && !(math.IsInf(tc.err, 1) && math.IsInf(got, 1)) {
			t.Errorf("%s: CornerError = %v, want %v", tc.name, got, tc.err)
		}
	}
}

func TestPercentile(t *testing.T) {
	xs := []float64{5, 1, 4, 2, 3}
	for p, want := range map[float64]float64{0: 1, 50: 3, 90: 4.6, 100: 5} {
		if got := Percentile(xs, p); math.Abs(got-want) > 1e-9 {
			t.Errorf("Percentile(%v) = %v, want %v", p, got, want)
		}
	}
	if Percentile(nil, 50) != 0 {
		t.Error("Percentile of nothing")
	}
	if xs[0] != 5 {
		t.Error("Percentile sorted its input")
	}
}

// TestScoreMRZInvalidTruth: printed lines that fail the ICAO checks
// themselves (a specimen with a made-up state and a wrong composite) are
// read exactly only with valid=false.
func TestScoreMRZInvalidTruth(t *testing.T) {
	truth := []string{"IDCMW<512849702<<<<<<<<<<<<<<<", "6104128M1402209CMW<<<<<<<<<<<1", "PUBLIC<<JON<<<<<<<<<<<<<<<<<<<"}
	e := &Entry{File: "cmw.png", Kind: "mrz", Truth: Truth{MRZ: truth}}
	for _, tc := range []struct {
		name  string
		recs  []Record
		exact float64
	}{
		{"identical, invalid", []Record{mrzRec(truth, false)}, 1},
		{"identical but declared valid", []Record{mrzRec(truth, true)}, 0},
		{"one character off, invalid", []Record{mrzRec([]string{truth[0], truth[1], "PUBL1C<<JON<<<<<<<<<<<<<<<<<<<"}, false)}, 0},
	} {
		if got := Score(e, &Result{Records: tc.recs}).Metrics[MRZExact].Value(); got != tc.exact {
			t.Errorf("%s: mrz_exact %v, want %v", tc.name, got, tc.exact)
		}
	}
}

// TestScorePlateSplit: the district/letters boundary counts among plates
// read exactly, when the truth gives the parts.
func TestScorePlateSplit(t *testing.T) {
	var e Entry
	if err := json.Unmarshal([]byte(`{"file": "p.jpg", "kind": "plate", "truth": {"plate": "BNO1234", "parts": {"district": "B", "letters": "NO", "digits": "1234", "suffix": ""}}}`), &e); err != nil {
		t.Fatal(err)
	}
	rec := func(text, district, letters string) Record {
		return map[string]any{"kind": "plate", "text": text, "valid": true, "parts": map[string]any{"district": district, "letters": letters}}
	}
	for _, tc := range []struct {
		name  string
		recs  []Record
		n     int
		split float64
	}{
		{"right split", []Record{rec("BNO1234", "B", "NO")}, 1, 1},
		{"wrong split", []Record{rec("BNO1234", "BN", "O")}, 1, 0},
		{"not read", []Record{rec("BN01235", "B", "NO")}, 0, 0},
	} {
		got := Score(&e, &Result{Records: tc.recs}).Metrics[PlateSplit]
		if got.N != tc.n || (tc.n > 0 && got.Value() != tc.split) {
			t.Errorf("%s: %+v", tc.name, got)
		}
	}
	if _, ok := e.Truth.Fields["parts"]; ok {
		t.Error("parts taken for a field")
	}
}
