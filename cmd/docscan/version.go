package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"

	"docscan/models"
	"docscan/ocr"
	"docscan/preprocess"
)

func cmdVersion(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(stderr)
	modelDir := fs.String("models", "", "model directory")
	ortLib := fs.String("ort-lib", "", "ONNX Runtime library")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	v := map[string]any{
		"docscan":   version,
		"go":        runtime.Version(),
		"opencv":    preprocess.OpenCVVersion(),
		"tesseract": ocr.Version(),
	}
	assets, err := models.Locate(*modelDir, *ortLib)
	if err != nil {
		v["onnxruntime"] = "unavailable: " + err.Error()
	} else {
		if err := models.Init(assets.ORTLib); err != nil {
			v["onnxruntime"] = "unavailable: " + err.Error()
		} else {
			v["onnxruntime"] = models.RuntimeVersion()
		}
		sums := map[string]string{}
		for _, m := range []string{models.DetModel, models.RecModel, models.ClsModel, models.RecKeys} {
			sums[m] = fileSum(assets.Model(m))
		}
		v["models"] = sums
		v["model_dir"] = assets.ModelDir
		v["onnxruntime_lib"] = assets.ORTLib
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintln(stderr, err)
		return exitFailed
	}
	return exitOK
}

func fileSum(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return "missing"
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "unreadable"
	}
	return hex.EncodeToString(h.Sum(nil))
}
