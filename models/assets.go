// Package models runs the ONNX models docscan uses (PP-OCRv4 text detection,
// text-line orientation and recognition, and optional YOLO-style detectors)
// through ONNX Runtime, and locates the runtime library and model files.
//
// Asset search order (first hit wins), for the model directory and for the
// ONNX Runtime library alike:
//  1. the explicit option (CLI flags --models / --ort-lib),
//  2. the environment (DOCSCAN_MODELS, DOCSCAN_ORT_LIB),
//  3. an "assets" directory next to the executable (bin/assets/...),
//  4. the repository's cache, .cache/assets, found from the executable's
//     directory or the working directory upwards.
//
// Nothing is ever downloaded at run time: `make deps` fills the cache.
package models

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// File names inside the model directory.
const (
	DetModel  = "ch_PP-OCRv4_det_infer.onnx"
	RecModel  = "ch_PP-OCRv4_rec_infer.onnx"
	ClsModel  = "ch_ppocr_mobile_v2.0_cls_infer.onnx"
	RecKeys   = "ppocr_keys_v1.txt"
	ORTLib    = "libonnxruntime.so.1"
	CacheRoot = ".cache/assets"
)

// ErrAssetsMissing means the models or the runtime library were not found.
var ErrAssetsMissing = errors.New("model assets not found (run `make deps`)")

// Assets are the resolved locations of the runtime library and models.
type Assets struct {
	ModelDir string
	ORTLib   string
}

// Model returns the path of a model file.
func (a Assets) Model(name string) string { return filepath.Join(a.ModelDir, name) }

// Locate resolves the asset locations by the documented search order.
// modelDir and ortLib are the explicit options; empty means "search".
func Locate(modelDir, ortLib string) (Assets, error) {
	var roots []string
	if exe, err := os.Executable(); err == nil {
		if exe, err = filepath.EvalSymlinks(exe); err == nil {
			dir := filepath.Dir(exe)
			roots = append(roots, filepath.Join(dir, "assets"))
			roots = append(roots, upwards(dir)...)
		}
	}
	if wd, err := os.Getwd(); err == nil {
		roots = append(roots, upwards(wd)...)
	}
	a := Assets{ModelDir: modelDir, ORTLib: ortLib}
	if a.ModelDir == "" {
		a.ModelDir = os.Getenv("DOCSCAN_MODELS")
	}
	if a.ORTLib == "" {
		a.ORTLib = os.Getenv("DOCSCAN_ORT_LIB")
	}
	if a.ModelDir == "" {
		for _, r := range roots {
			if exists(filepath.Join(r, "models", DetModel)) {
				a.ModelDir = filepath.Join(r, "models")
				break
			}
		}
	}
	if a.ORTLib == "" {
		for _, r := range roots {
			if exists(filepath.Join(r, "lib", ORTLib)) {
				a.ORTLib = filepath.Join(r, "lib", ORTLib)
				break
			}
		}
	}
	if a.ModelDir == "" || !exists(filepath.Join(a.ModelDir, DetModel)) {
		return a, fmt.Errorf("%w: no %s in the model directory %q", ErrAssetsMissing, DetModel, a.ModelDir)
	}
	if a.ORTLib == "" || !exists(a.ORTLib) {
		return a, fmt.Errorf("%w: ONNX Runtime library %q", ErrAssetsMissing, a.ORTLib)
	}
	return a, nil
}

// upwards lists dir/.cache/assets for dir and each parent.
func upwards(dir string) []string {
	var out []string
	for {
		out = append(out, filepath.Join(dir, CacheRoot))
		parent := filepath.Dir(dir)
		if parent == dir {
			return out
		}
		dir = parent
	}
}

func exists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}
