package tesseract

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

// TestChecksum: the embedded model and the file are the one SHA256SUMS
// names (train.sh writes both).
func TestChecksum(t *testing.T) {
	f, err := os.Open("SHA256SUMS")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sums := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fs := strings.Fields(sc.Text()); len(fs) == 2 {
			sums[strings.TrimPrefix(fs[1], "*")] = fs[0]
		}
	}
	want, ok := sums["mrz.traineddata"]
	if !ok {
		t.Fatal("SHA256SUMS lists no mrz.traineddata")
	}
	file, err := os.ReadFile("mrz.traineddata")
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"embedded": MRZ, "file": file} {
		h := sha256.Sum256(b)
		if got := hex.EncodeToString(h[:]); got != want {
			t.Errorf("%s model: sha256 %s, SHA256SUMS says %s", name, got, want)
		}
	}
	if len(MRZ) > 4<<20 {
		t.Errorf("model of %d bytes: keep it a few MB at most", len(MRZ))
	}
}
