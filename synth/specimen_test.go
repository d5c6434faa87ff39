package synth

import (
	"bytes"
	"math"
	"math/rand/v2"
	"regexp"
	"testing"

	"docscan/internal/licnum"
)

func TestSpecimenScene(t *testing.T) {
	fonts := testFonts(t)
	iso := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	for i, kind := range []string{SpecimenIDCard, SpecimenLicence, SpecimenIDCard, SpecimenLicence} {
		opt := SceneOptions{Format: kind, MaxLongSide: 900}
		a, err := SpecimenScene(fonts, uint64(100+i), opt)
		if err != nil {
			t.Fatal(err)
		}
		b, err := SpecimenScene(fonts, uint64(100+i), opt)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.JPEG, b.JPEG) {
			t.Errorf("%s: same seed, different bytes", kind)
		}
		e := a.Entry
		if want := map[string]string{SpecimenIDCard: "id_card", SpecimenLicence: "driving_licence"}[kind]; e.Truth.DocumentType != want {
			t.Errorf("%s: document type %q", kind, e.Truth.DocumentType)
		}
		for _, f := range []string{"surname", "given_names", "birth_date", "expiry_date", "document_number"} {
			if e.Truth.Fields[f] == "" {
				t.Errorf("%s: no %s", kind, f)
			}
		}
		for f, v := range e.Truth.Fields {
			if len(f) > 5 && f[len(f)-5:] == "_date" && !iso.MatchString(v) {
				t.Errorf("%s: %s = %q is not an ISO date", kind, f, v)
			}
		}
		q := e.Truth.Quad
		if len(q) != 4 {
			t.Fatalf("%s: quad %v", kind, q)
		}
		w := math.Hypot(q[1][0]-q[0][0], q[1][1]-q[0][1])
		h := math.Hypot(q[3][0]-q[0][0], q[3][1]-q[0][1])
		if r := w / h; r < 1.2 || r > 2.1 {
			t.Errorf("%s: quad aspect %.2f", kind, r)
		}
		if (e.Truth.Quality == "degraded") != (len(e.Truth.Capture) > 0) {
			t.Errorf("%s: quality %q with capture %v", kind, e.Truth.Quality, e.Truth.Capture)
		}
	}
}

func TestFrenchLicenceMRZ(t *testing.T) {
	fonts := testFonts(t)
	for seed := uint64(0); seed < 40; seed++ {
		sc, err := SpecimenScene(fonts, seed, SceneOptions{Format: SpecimenLicence, MaxLongSide: 400})
		if err != nil {
			t.Fatal(err)
		}
		tr := sc.Entry.Truth
		if tr.Fields["country"] != "FR" {
			continue
		}
		l := tr.MRZ[0]
		if len(l) != 30 || l[:5] != "D1FRA" || l[14] != CheckDigit(l[:14]) || l[29] != CheckDigit(l[:29]) {
			t.Errorf("bad DL1 line %q", l)
		}
		return
	}
	t.Error("no French licence in 40 seeds")
}

// TestGermanLicenceNumbers: the German licences' numbers carry their check
// character, as the real cards' do.
func TestGermanLicenceNumbers(t *testing.T) {
	fonts := testFonts(t)
	n := 0
	for seed := uint64(0); seed < 30 && n < 5; seed++ {
		sc, err := SpecimenScene(fonts, seed, SceneOptions{Format: SpecimenLicence, MaxLongSide: 400})
		if err != nil {
			t.Fatal(err)
		}
		tr := sc.Entry.Truth
		if tr.Fields["country"] != "DE" {
			continue
		}
		n++
		if v := tr.Fields["document_number"]; !licnum.Valid(v) {
			t.Errorf("seed %d: licence number %q fails its check", seed, v)
		}
	}
	if n == 0 {
		t.Error("no German licence in 30 seeds")
	}
}

// TestCameraQuad: a card square to the camera keeps the ID-1 aspect
// wherever it lies in the frame; one turned about its vertical axis is
// foreshortened across the turn (narrower than square on, not only
// keystoned as placeQuad's); a camera scene is drawn and says its focal
// and tilt.
func TestCameraQuad(t *testing.T) {
	side := func(q Quad, i int) float64 {
		a, b := q[i], q[(i+1)%4]
		return math.Hypot(b.X-a.X, b.Y-a.Y)
	}
	r := rand.New(rand.NewPCG(9, 10))
	params := map[string]float64{}
	for _, c := range [][2]float64{{800, 600}, {300, 200}, {1300, 1000}} {
		q := cameraQuad(r, 1600, 1200, c[0], c[1], 500, 0, false, params)
		// a plane square to the optical axis: a scaled copy
		if asp := side(q, 0) / side(q, 1); math.Abs(asp-id1W/id1H) > 1e-9 {
			t.Errorf("square on at %v: aspect %.6f, want %.6f", c, asp, id1W/id1H)
		}
		if math.Abs(side(q, 0)-500) > 1e-9 {
			t.Errorf("square on at %v: width %.3f, want 500", c, side(q, 0))
		}
	}
	// turned: draw until the tilt is mostly about the card's vertical axis
	for try := 0; ; try++ {
		if try == 1000 {
			t.Fatal("no tilt about the vertical axis drawn")
		}
		q := cameraQuad(r, 1600, 1200, 800, 600, 500, 0, true, params)
		if params["tilt_deg"] < 15 {
			continue
		}
		left, right := side(q, 3), side(q, 1)
		if math.Abs(left-right) < 0.1*math.Min(left, right) {
			continue // turned about the horizontal axis mostly
		}
		top, bottom := side(q, 0), side(q, 2)
		if w := (top + bottom) / 2; w >= 500 {
			t.Errorf("turned %.1f degrees: mean width %.1f, not foreshortened below 500", params["tilt_deg"], w)
		}
		break
	}
	sc, err := SpecimenScene(testFonts(t), 7, SceneOptions{Format: SpecimenIDCard, MaxLongSide: 900, Camera: true})
	if err != nil {
		t.Fatal(err)
	}
	if f := sc.Entry.Params["focal"]; f < 0.6 || f > 1.1 {
		t.Errorf("camera scene focal %v, want 0.6-1.1", f)
	}
	if _, ok := sc.Entry.Params["tilt_deg"]; !ok {
		t.Error("camera scene without its tilt")
	}
}
