// Package benchmarks runs a Scanner over the images of one or more manifests,
// scores the records it returns against the manifests' ground truth, and
// reports accuracy, latency, throughput and memory per set and group as a
// markdown table, JSON and an SVG chart.
//
// The manifest format is the one of ../shared/data/manifest.json; the
// project's own synthetic sets use the same format. See README.md.
package benchmarks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Manifest is one loaded manifest file: one benchmark set.
type Manifest struct {
	// Name is the set name: the manifest's "name" when it is an object,
	// else derived from its path (see SetName).
	Name string `json:"name"`
	// Path is the manifest file as given.
	Path string `json:"path"`
	// Dir is the directory that entry files are relative to.
	Dir     string  `json:"-"`
	Entries []Entry `json:"entries"`
}

// Entry is one image with its ground truth.
type Entry struct {
	// File is relative to the manifest's directory (or absolute).
	File string `json:"file"`
	// Kind is what the image shows: plate, mrz, licence, document, ...
	Kind  string `json:"kind"`
	Truth Truth  `json:"truth"`
	// BBox is the pixel box of the plate (or other object) in the image.
	BBox *BBox `json:"bbox,omitempty"`
	// Scene is "whole" (object in a scene) or "crop" (image is the object).
	Scene string `json:"scene,omitempty"`
	// Group overrides the default group (kind/region); truth.group does too.
	Group string `json:"group,omitempty"`
	// Degradations applied to a synthetic image (blur, glare, ...); may
	// also be given inside truth.
	Degradations []string `json:"degradations,omitempty"`
}

// BBox is an axis-aligned box; only format "xywh_pixels" (the default) is known.
type BBox struct {
	X      float64 `json:"x"`
	Y      float64 `json:"y"`
	W      float64 `json:"w"`
	H      float64 `json:"h"`
	Format string  `json:"format,omitempty"`
}

// Truth is the ground truth of one entry. Known keys are decoded into the
// typed fields; every key is also kept in Raw. For licence entries the flat
// string keys other than the known ones (surname, date_of_birth, ...) are the
// fields to read; synthetic sets may instead give them under "fields".
type Truth struct {
	Plate  string `json:"plate,omitempty"`
	Region string `json:"region,omitempty"`
	// Parts is a plate's structure where the manifest gives it (synthetic
	// German plates: district, letters, digits, suffix).
	Parts *PlateParts `json:"parts,omitempty"`
	// MRZ lines; a single string in the manifest becomes one line.
	MRZ          []string `json:"mrz,omitempty"`
	DocumentType string   `json:"document_type,omitempty"`
	// Quad is the document's corners, clockwise from its top-left, in pixels.
	Quad [][2]float64 `json:"quad,omitempty"`
	// Fields are the expected field values, from "fields" (values may be
	// strings or {"value": "..."}) and, for kinds other than plate and mrz,
	// the flat string keys of truth that are not reserved.
	Fields       map[string]string `json:"fields,omitempty"`
	Degradations []string          `json:"degradations,omitempty"`
	Group        string            `json:"group,omitempty"`
	// Quality is "clean" or "degraded": whether the capture quality gate
	// should warn (synthetic specimen scenes).
	Quality string `json:"quality,omitempty"`
	// Raw is the truth object as it appears in the manifest.
	Raw map[string]json.RawMessage `json:"-"`
}

// PlateParts are the structured parts of a plate.
type PlateParts struct {
	District string `json:"district"`
	Letters  string `json:"letters"`
	Digits   string `json:"digits"`
	Suffix   string `json:"suffix"`
}

// reservedTruthKeys are truth keys that are never fields to read.
var reservedTruthKeys = map[string]bool{
	"plate": true, "raw": true, "region": true, "annotation_path": true,
	"mrz": true, "document_type": true, "quad": true, "fields": true,
	"degradations": true, "group": true, "notes": true, "note": true,
	"quality": true, "capture": true, "parts": true,
}

// MarshalJSON writes the truth as it appeared in the manifest.
func (t Truth) MarshalJSON() ([]byte, error) {
	if t.Raw != nil {
		return json.Marshal(t.Raw)
	}
	type plain Truth
	return json.Marshal(plain(t))
}

// UnmarshalJSON accepts the truth objects of all manifest kinds.
func (t *Truth) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("truth: %w", err)
	}
	*t = Truth{Raw: raw}
	str := func(key string, dst *string) error {
		if v, ok := raw[key]; ok && !isNull(v) {
			if err := json.Unmarshal(v, dst); err != nil {
				return fmt.Errorf("truth.%s: %w", key, err)
			}
		}
		return nil
	}
	for key, dst := range map[string]*string{
		"plate": &t.Plate, "region": &t.Region, "document_type": &t.DocumentType, "group": &t.Group,
		"quality": &t.Quality,
	} {
		if err := str(key, dst); err != nil {
			return err
		}
	}
	if v, ok := raw["parts"]; ok && !isNull(v) {
		var p PlateParts
		if err := json.Unmarshal(v, &p); err != nil {
			return fmt.Errorf("truth.parts: %w", err)
		}
		t.Parts = &p
	}
	if v, ok := raw["mrz"]; ok && !isNull(v) {
		var one string
		if err := json.Unmarshal(v, &one); err == nil {
			t.MRZ = []string{one}
		} else if err := json.Unmarshal(v, &t.MRZ); err != nil {
			return fmt.Errorf("truth.mrz: want a string or a list of strings: %w", err)
		}
	}
	if v, ok := raw["quad"]; ok && !isNull(v) {
		if err := json.Unmarshal(v, &t.Quad); err != nil {
			return fmt.Errorf("truth.quad: want [[x,y],...]: %w", err)
		}
		if len(t.Quad) != 4 {
			return fmt.Errorf("truth.quad: want 4 corners, have %d", len(t.Quad))
		}
	}
	if v, ok := raw["degradations"]; ok && !isNull(v) {
		if err := json.Unmarshal(v, &t.Degradations); err != nil {
			return fmt.Errorf("truth.degradations: %w", err)
		}
	}
	if v, ok := raw["fields"]; ok && !isNull(v) {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(v, &fields); err != nil {
			return fmt.Errorf("truth.fields: %w", err)
		}
		for name, fv := range fields {
			s, ok := fieldString(fv)
			if !ok {
				return fmt.Errorf("truth.fields.%s: want a string, number or {\"value\": ...}", name)
			}
			t.setField(name, s)
		}
	}
	return nil
}

func (t *Truth) setField(name, value string) {
	if t.Fields == nil {
		t.Fields = map[string]string{}
	}
	t.Fields[name] = value
}

// addFlatFields takes the flat string keys of truth as fields to read; used
// for kinds whose truth is a flat field list (licence, document, ...).
func (t *Truth) addFlatFields() {
	for key, v := range t.Raw {
		if reservedTruthKeys[key] {
			continue
		}
		if _, done := t.Fields[key]; done {
			continue
		}
		var s string
		if json.Unmarshal(v, &s) == nil && s != "" {
			t.setField(key, s)
		}
	}
}

// fieldString reads a field value: a string, a number, or an object with "value".
func fieldString(v json.RawMessage) (string, bool) {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s, true
	}
	var n json.Number
	if json.Unmarshal(v, &n) == nil {
		return n.String(), true
	}
	var obj struct {
		Value *json.RawMessage `json:"value"`
	}
	if json.Unmarshal(v, &obj) == nil && obj.Value != nil {
		return fieldString(*obj.Value)
	}
	return "", false
}

func isNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }

// GroupName is the entry's group: entry.group, else truth.group, else kind
// and truth.region ("plate/eu"), else kind.
func (e *Entry) GroupName() string {
	switch {
	case e.Group != "":
		return e.Group
	case e.Truth.Group != "":
		return e.Truth.Group
	case e.Truth.Region != "":
		return e.Kind + "/" + e.Truth.Region
	case e.Kind != "":
		return e.Kind
	}
	return "unknown"
}

// Path is the entry's image path, resolved against dir when relative.
func (e *Entry) Path(dir string) string {
	if filepath.IsAbs(e.File) || dir == "" {
		return e.File
	}
	return filepath.Join(dir, e.File)
}

// LoadManifest reads a manifest file: either a JSON list of entries or an
// object {"name": "...", "entries": [...]}.
func LoadManifest(path string) (*Manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	m, err := ParseManifest(b)
	if err != nil {
		return nil, fmt.Errorf("manifest %s: %w", path, err)
	}
	m.Path = path
	m.Dir = filepath.Dir(path)
	if m.Name == "" {
		m.Name = SetName(path)
	}
	return m, nil
}

// ParseManifest decodes manifest bytes; Path, Dir and (for a list) Name are
// left empty.
func ParseManifest(b []byte) (*Manifest, error) {
	b = bytes.TrimSpace(b)
	m := &Manifest{}
	switch {
	case len(b) > 0 && b[0] == '[':
		if err := json.Unmarshal(b, &m.Entries); err != nil {
			return nil, fmt.Errorf("decode entries: %w", err)
		}
	case len(b) > 0 && b[0] == '{':
		if err := json.Unmarshal(b, m); err != nil {
			return nil, fmt.Errorf("decode manifest object: %w", err)
		}
	default:
		return nil, errors.New("not a JSON list or object")
	}
	for i := range m.Entries {
		e := &m.Entries[i]
		if e.File == "" {
			return nil, fmt.Errorf("entry %d: no file", i)
		}
		if e.Kind == "" {
			return nil, fmt.Errorf("entry %d (%s): no kind", i, e.File)
		}
		if e.BBox != nil && e.BBox.Format != "" && e.BBox.Format != "xywh_pixels" {
			return nil, fmt.Errorf("entry %d (%s): bbox format %q not supported", i, e.File, e.BBox.Format)
		}
		if e.Kind != "plate" && e.Kind != "mrz" {
			e.Truth.addFlatFields()
		}
		if len(e.Degradations) == 0 {
			e.Degradations = e.Truth.Degradations
		}
	}
	return m, nil
}

// SetName derives a set name from a manifest path: the file name without
// extension, or the directory name when the file is called manifest.json
// ("../shared/data/manifest.json" -> "data").
func SetName(path string) string {
	base := filepath.Base(path)
	name := strings.TrimSuffix(base, filepath.Ext(base))
	if name == "manifest" {
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
		if d := filepath.Base(filepath.Dir(path)); d != "." && d != string(filepath.Separator) {
			return d
		}
	}
	return name
}

// Groups returns the group names of the entries, sorted.
func (m *Manifest) Groups() []string {
	seen := map[string]bool{}
	for i := range m.Entries {
		seen[m.Entries[i].GroupName()] = true
	}
	out := make([]string, 0, len(seen))
	for g := range seen {
		out = append(out, g)
	}
	sort.Strings(out)
	return out
}

// Select returns the entries to run: those of the given kinds (all when
// kinds is empty), then the first perGroup of each group in manifest order
// (all when perGroup <= 0), then the first limit (all when limit <= 0).
func (m *Manifest) Select(kinds []string, perGroup, limit int) []Entry {
	want := map[string]bool{}
	for _, k := range kinds {
		if k = strings.TrimSpace(k); k != "" {
			want[k] = true
		}
	}
	taken := map[string]int{}
	var out []Entry
	for _, e := range m.Entries {
		if len(want) > 0 && !want[e.Kind] {
			continue
		}
		g := e.GroupName()
		if perGroup > 0 && taken[g] >= perGroup {
			continue
		}
		taken[g]++
		out = append(out, e)
		if limit > 0 && len(out) >= limit {
			break
		}
	}
	return out
}
