package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"docscan/internal/nativeenv"
	"docscan/internal/testimg"
	"docscan/models"
)

func TestMain(m *testing.M) {
	nativeenv.Setup() // the native libraries' settings docscan runs with
	os.Exit(m.Run())
}

func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func needAssets(t *testing.T) {
	t.Helper()
	if _, err := models.Locate("", ""); err != nil {
		if os.Getenv("DOCSCAN_REQUIRE_ASSETS") == "1" {
			t.Fatalf("assets required: %v", err)
		}
		t.Skipf("model assets absent (make deps): %v", err)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{}, {"nope"}, {"scan"}, {"scan", "--kind", "cat", "x.jpg"}, {"plate"}, {"bench"}, {"scan", "--bogus"}} {
		if code, _, _ := runCLI(t, "", args...); code != exitUsage {
			t.Errorf("%q: exit %d, want %d", args, code, exitUsage)
		}
	}
	if code, out, _ := runCLI(t, "", "help"); code != 0 || !strings.Contains(out, "scan [flags] FILE") {
		t.Errorf("help: %d %q", code, out)
	}
}

func TestScanErrorsAndOrder(t *testing.T) {
	needAssets(t)
	dir := t.TempDir()
	notImage := filepath.Join(dir, "notes.txt")
	os.WriteFile(notImage, []byte("not an image at all"), 0o600)
	bomb := filepath.Join(dir, "bomb.png")
	os.WriteFile(bomb, testimg.PNGHeader(20000, 20000), 0o600)
	sample, _ := filepath.Abs("../../testdata/samples/plate_de_1.jpg")
	missing := filepath.Join(dir, "missing.jpg")

	code, out, _ := runCLI(t, "", "scan", "--workers", "2", "--text", notImage, bomb, sample, missing)
	if code != exitFailed {
		t.Errorf("exit %d, want 1", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines, want 4:\n%s", len(lines), out)
	}
	want := []struct{ file, code string }{{notImage, "not_an_image"}, {bomb, "too_large"}, {sample, ""}, {missing, "unreadable_file"}}
	for i, l := range lines {
		var r struct {
			File    string            `json:"file"`
			Records []json.RawMessage `json:"records"`
			Timings map[string]float64
			Error   *struct{ Code, Message string }
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		if r.File != want[i].file {
			t.Errorf("line %d: file %q, want %q (input order)", i, r.File, want[i].file)
		}
		switch {
		case want[i].code == "" && r.Error != nil:
			t.Errorf("%s: unexpected error %+v", r.File, r.Error)
		case want[i].code != "" && (r.Error == nil || r.Error.Code != want[i].code):
			t.Errorf("%s: error %+v, want code %s", r.File, r.Error, want[i].code)
		}
		if r.Records == nil {
			t.Errorf("%s: records must be a list", r.File)
		}
		if want[i].code == "" && !strings.Contains(l, `"kind":"text"`) {
			t.Errorf("%s: no text regions with --text: %s", r.File, l)
		}
	}
}

func TestPlateCommand(t *testing.T) {
	code, out, _ := runCLI(t, "", "plate", "DO AB 1234E")
	if code != 0 || !strings.Contains(out, `"display":"DO-AB 1234E"`) {
		t.Errorf("plate: %d %s", code, out)
	}
	if code, _, _ := runCLI(t, "", "plate", "###"); code != exitFailed {
		t.Errorf("garbage plate: exit %d", code)
	}
}

func TestMRZCommand(t *testing.T) {
	in := "IDD<<T220001293<<<<<<<<<<<<<<<\n6408125<2010315D<<<<<<<<<<<<<4\nMUSTERMANN<<ERIKA<<<<<<<<<<<<<\n"
	code, out, _ := runCLI(t, in, "mrz")
	if code != 0 || !strings.Contains(out, `"valid":true`) || !strings.Contains(out, `"document_number":"T22000129"`) {
		t.Errorf("mrz: %d %s", code, out)
	}
	if code, _, _ := runCLI(t, "hello\n", "mrz"); code != exitFailed {
		t.Errorf("not an MRZ: exit %d", code)
	}
	if code, _, _ := runCLI(t, strings.Repeat("<", 1<<20), "mrz"); code != exitFailed {
		t.Errorf("huge input: exit %d", code)
	}
}

// scanTimeout is the deadline of one scan in the batch and worker processes
// the tests start: their runs are compared with each other (through NATS
// and in one process, killed and resumed), and a scan past the default 30 s
// on a slow or loaded machine would fail in one run and not the other (the
// hardest MRZ scenes take 20 s and more on a 2-core machine). Speed is
// measured by the benchmarks, not here.
const scanTimeout = "10m"

// autoBudget is the auto budget (--auto-budget) of the same processes: an
// auto scan's second look for an MRZ it could not read stops at a wall-clock
// budget (8 s by default), so what it answers depends on the machine's
// load; the project's CI failed TestNATSKill where the loaded NATS workers
// answered an ID card's MRZ from another pass than the reference run.
const autoBudget = "10m"

// TestScanTimeout: --timeout bounds one scan; a scan past it is a line with
// the deadline_exceeded code, not a hang; a deadline of zero is refused.
func TestScanTimeout(t *testing.T) {
	needAssets(t)
	sample, _ := filepath.Abs("../../testdata/samples/plate_de_1.jpg")
	code, out, _ := runCLI(t, "", "scan", "--workers", "1", "--timeout", "1ms", sample)
	if code != exitFailed || !strings.Contains(out, `"code":"deadline_exceeded"`) {
		t.Errorf("--timeout 1ms: exit %d, %s; want exit 1 and deadline_exceeded", code, out)
	}
	if code, _, errOut := runCLI(t, "", "scan", "--timeout", "0s", sample); code == exitOK || !strings.Contains(errOut, "--timeout") {
		t.Errorf("--timeout 0s: exit %d, %q; want a refusal naming the flag", code, errOut)
	}
	if code, _, errOut := runCLI(t, "", "scan", "--auto-budget", "0s", sample); code == exitOK || !strings.Contains(errOut, "--auto-budget") {
		t.Errorf("--auto-budget 0s: exit %d, %q; want a refusal naming the flag", code, errOut)
	}
}
