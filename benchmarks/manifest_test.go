package benchmarks

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

const sharedManifest = "../../shared/data/manifest.json"

// synthManifest is the format of the project's own synthetic sets.
const synthManifest = `{
  "name": "synth",
  "entries": [
    {"file": "doc/0001.png", "kind": "document", "group": "id_card/glare",
     "degradations": ["glare", "perspective"],
     "truth": {"document_type": "id_card",
               "quad": [[10,20],[610,25],[605,400],[12,395]],
               "mrz": ["IDD<<T220001293<<<<<<<<<<<<<<<", "6408125<2010315D<<<<<<<<<<<<<4", "MUSTERMANN<<ERIKA<<<<<<<<<<<<<"],
               "fields": {"surname": "MUSTERMANN", "birth_date": {"value": "1964-08-12"}, "height": 160}}},
    {"file": "plates/0001.png", "kind": "plate",
     "truth": {"plate": "DOAB1234E", "region": "de", "group": "de/blur", "degradations": ["blur"]},
     "bbox": {"x": 1, "y": 2, "w": 30, "h": 10}}
  ]
}`

func TestParseManifestObject(t *testing.T) {
	m, err := ParseManifest([]byte(synthManifest))
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "synth" || len(m.Entries) != 2 {
		t.Fatalf("name %q, %d entries", m.Name, len(m.Entries))
	}
	doc := m.Entries[0]
	if doc.GroupName() != "id_card/glare" {
		t.Errorf("group %q", doc.GroupName())
	}
	if !reflect.DeepEqual(doc.Degradations, []string{"glare", "perspective"}) {
		t.Errorf("degradations %v", doc.Degradations)
	}
	tr := doc.Truth
	if tr.DocumentType != "id_card" || len(tr.Quad) != 4 || len(tr.MRZ) != 3 {
		t.Errorf("truth %+v", tr)
	}
	want := map[string]string{"surname": "MUSTERMANN", "birth_date": "1964-08-12", "height": "160"}
	if !reflect.DeepEqual(tr.Fields, want) {
		t.Errorf("fields %v, want %v", tr.Fields, want)
	}
	plate := m.Entries[1]
	if plate.GroupName() != "de/blur" || !reflect.DeepEqual(plate.Degradations, []string{"blur"}) {
		t.Errorf("plate group %q degradations %v", plate.GroupName(), plate.Degradations)
	}
	if plate.Truth.Fields != nil {
		t.Errorf("plate entries have no fields to read, got %v", plate.Truth.Fields)
	}
}

func TestParseManifestList(t *testing.T) {
	m, err := ParseManifest([]byte(`[
	 {"file": "a.jpg", "kind": "plate", "truth": {"plate": "FWE50", "raw": "FWE50", "region": "eu", "annotation_path": "x"},
	  "bbox": {"x": 348, "y": 185, "w": 91, "h": 21, "format": "xywh_pixels"}, "scene": "whole"},
	 {"file": "b.jpg", "kind": "mrz", "truth": {"mrz": ["P<UTO", "L898"]}},
	 {"file": "c.jpg", "kind": "licence", "note": "x",
	  "truth": {"last_name": "SAMPLE", "date_of_birth": "1957-02-01", "mrz": "D1FRA13AA000026181231MARTIN<<9"}}
	]`))
	if err != nil {
		t.Fatal(err)
	}
	groups := []string{m.Entries[0].GroupName(), m.Entries[1].GroupName(), m.Entries[2].GroupName()}
	if !reflect.DeepEqual(groups, []string{"plate/eu", "mrz", "licence"}) {
		t.Errorf("groups %v", groups)
	}
	if m.Entries[0].BBox == nil || m.Entries[0].BBox.W != 91 {
		t.Errorf("bbox %+v", m.Entries[0].BBox)
	}
	lic := m.Entries[2].Truth
	if !reflect.DeepEqual(lic.MRZ, []string{"D1FRA13AA000026181231MARTIN<<9"}) {
		t.Errorf("licence mrz %v", lic.MRZ)
	}
	if !reflect.DeepEqual(lic.Fields, map[string]string{"last_name": "SAMPLE", "date_of_birth": "1957-02-01"}) {
		t.Errorf("licence fields %v", lic.Fields)
	}
}

func TestParseManifestErrors(t *testing.T) {
	for name, in := range map[string]string{
		"empty":       ``,
		"not json":    `plates`,
		"no file":     `[{"kind": "plate", "truth": {}}]`,
		"no kind":     `[{"file": "a.jpg", "truth": {}}]`,
		"bbox format": `[{"file": "a.jpg", "kind": "plate", "truth": {}, "bbox": {"x":1,"y":1,"w":1,"h":1,"format":"xyxy"}}]`,
		"quad":        `[{"file": "a.jpg", "kind": "document", "truth": {"quad": [[1,2],[3,4]]}}]`,
		"mrz type":    `[{"file": "a.jpg", "kind": "mrz", "truth": {"mrz": 5}}]`,
	} {
		if _, err := ParseManifest([]byte(in)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestSelect(t *testing.T) {
	m := &Manifest{}
	for i, k := range []string{"plate", "plate", "mrz", "plate", "mrz", "licence", "mrz"} {
		m.Entries = append(m.Entries, Entry{File: string(rune('a' + i)), Kind: k})
	}
	files := func(es []Entry) string {
		s := ""
		for _, e := range es {
			s += e.File
		}
		return s
	}
	for _, tc := range []struct {
		kinds           []string
		perGroup, limit int
		want            string
	}{
		{nil, 0, 0, "abcdefg"},
		{nil, 1, 0, "acf"},
		{nil, 2, 0, "abcef"},
		{nil, 2, 3, "abc"},
		{[]string{"mrz"}, 0, 0, "ceg"},
		{[]string{"mrz", "licence"}, 1, 0, "cf"},
	} {
		if got := files(m.Select(tc.kinds, tc.perGroup, tc.limit)); got != tc.want {
			t.Errorf("Select(%v, %d, %d) = %q, want %q", tc.kinds, tc.perGroup, tc.limit, got, tc.want)
		}
	}
}

func TestSetName(t *testing.T) {
	for in, want := range map[string]string{
		"../shared/data/manifest.json": "data",
		"testdata/synth/plates.json":   "plates",
		"manifest.json":                filepath.Base(mustGetwd(t)),
	} {
		if got := SetName(in); got != want {
			t.Errorf("SetName(%q) = %q, want %q", in, got, want)
		}
	}
}

func mustGetwd(t *testing.T) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}

func TestOptionsSpecs(t *testing.T) {
	o := Options{Manifest: "a/manifest.json", Set: "real", Manifests: []string{"synth=testdata/s.json", "b.json", "dir/x=y.json"}}
	want := []SetSpec{{"real", "a/manifest.json"}, {"synth", "testdata/s.json"}, {"", "b.json"}, {"", "dir/x=y.json"}}
	if got := o.Specs(); !reflect.DeepEqual(got, want) {
		t.Errorf("Specs() = %v, want %v", got, want)
	}
}

// TestSharedManifest loads ../shared/data/manifest.json when present and
// checks its groups and that every image is there.
func TestSharedManifest(t *testing.T) {
	if _, err := os.Stat(sharedManifest); err != nil {
		t.Skipf("shared data not present (%s): %v", sharedManifest, err)
	}
	m, err := LoadManifest(sharedManifest)
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "data" {
		t.Errorf("set name %q, want data", m.Name)
	}
	counts := map[string]int{}
	bboxes := 0
	for i := range m.Entries {
		e := &m.Entries[i]
		counts[e.GroupName()]++
		if e.BBox != nil {
			bboxes++
		}
		if _, err := os.Stat(e.Path(m.Dir)); err != nil {
			t.Errorf("entry %s: %v", e.File, err)
		}
		switch e.Kind {
		case "plate":
			if e.Truth.Plate == "" {
				t.Errorf("%s: no truth.plate", e.File)
			}
		case "mrz":
			if len(e.Truth.MRZ) < 1 || len(e.Truth.MRZ) > 3 {
				t.Errorf("%s: %d mrz lines", e.File, len(e.Truth.MRZ))
			}
		case "licence":
			if len(e.Truth.Fields) < 5 {
				t.Errorf("%s: fields %v", e.File, e.Truth.Fields)
			}
		}
	}
	t.Logf("%d entries, %d with bbox, groups %v", len(m.Entries), bboxes, counts)
	if len(m.Entries) < 200 || counts["plate/us"] < 100 || counts["plate/eu"] < 40 || counts["mrz"] < 15 || counts["licence"] < 2 {
		t.Errorf("unexpected group counts %v", counts)
	}
	if bboxes < 150 {
		t.Errorf("only %d entries have a bbox", bboxes)
	}
	quick := m.Select(nil, DefaultQuickPerGroup, 0)
	if want := len(m.Groups()); len(quick) > want*DefaultQuickPerGroup || len(quick) < want {
		t.Errorf("quick subset %d entries for %d groups", len(quick), want)
	}
}
