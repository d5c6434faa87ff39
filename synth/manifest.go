package synth

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
)

// Generator names this generator in manifest entries.
const Generator = "docscan/synth v4" // v3: umlauts with their dots in fonts that lack them (OSP-DIN Ö); v4: a saturating glare kept off the text

// BBox is an axis-aligned pixel box ("xywh_pixels").
type BBox struct {
	X      float64 `json:"x"`
	Y      float64 `json:"y"`
	W      float64 `json:"w"`
	H      float64 `json:"h"`
	Format string  `json:"format"`
}

// Truth is the ground truth of one image in the harness manifest format.
type Truth struct {
	// MRZ documents
	MRZ          []string `json:"mrz,omitempty"`
	Format       string   `json:"format,omitempty"`
	DocumentType string   `json:"document_type,omitempty"`
	// plates
	Plate    string      `json:"plate,omitempty"`
	Display  string      `json:"display,omitempty"`
	Region   string      `json:"region,omitempty"`
	Parts    *PlateParts `json:"parts,omitempty"`
	TwoLines bool        `json:"two_lines,omitempty"`
	// documents (visual zone): field values and the document quad
	Fields map[string]string `json:"fields,omitempty"`
	Quad   [][2]float64      `json:"quad,omitempty"`
	// Quality is "clean" or "degraded" (specimen scenes); Capture lists the
	// capture problems put in on purpose (blur, glare, dark, ...).
	Quality string   `json:"quality,omitempty"`
	Capture []string `json:"capture,omitempty"`
}

// Entry is one manifest entry. Quad is the MRZ region (kind mrz) or the plate
// (kind plate), corners TL, TR, BR, BL in the object's reading orientation;
// DocumentQuad is the whole card or page.
type Entry struct {
	File         string             `json:"file"`
	Kind         string             `json:"kind"`
	Truth        Truth              `json:"truth"`
	TruthOrigin  string             `json:"truth_origin"`
	Group        string             `json:"group"`
	Scene        string             `json:"scene"`
	Degradations []string           `json:"degradations"`
	Seed         uint64             `json:"seed"`
	Width        int                `json:"width"`
	Height       int                `json:"height"`
	BBox         *BBox              `json:"bbox,omitempty"`
	Quad         [][2]float64       `json:"quad,omitempty"`
	DocumentQuad [][2]float64       `json:"document_quad,omitempty"`
	Background   string             `json:"background,omitempty"`
	Params       map[string]float64 `json:"params,omitempty"`
	Generator    string             `json:"generator"`
}

// MarshalManifest encodes entries as an indented JSON list (keys of maps
// sorted by encoding/json, so the bytes are deterministic).
func MarshalManifest(entries []Entry) ([]byte, error) {
	for i := range entries {
		if entries[i].Degradations == nil {
			entries[i].Degradations = []string{}
		}
		entries[i].TruthOrigin = "synthetic"
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(entries); err != nil {
		return nil, fmt.Errorf("encode manifest: %w", err)
	}
	return buf.Bytes(), nil
}

// ReadManifest reads a manifest written by WriteManifest.
func ReadManifest(path string) ([]Entry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	var out []Entry
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("decode manifest %s: %w", path, err)
	}
	return out, nil
}

// WriteManifest writes entries to path.
func WriteManifest(path string, entries []Entry) error {
	b, err := MarshalManifest(entries)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	return nil
}
