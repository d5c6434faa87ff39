package synth

import (
	"bytes"
	"math"
	"regexp"
	"testing"
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
