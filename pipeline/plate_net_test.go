package pipeline

import (
	"image"
	"image/color"
	"image/draw"
	"testing"

	"docscan/synth"
)

// plateNetSHA256 is pipeline/plate_net.bin's checksum, as
// scripts/train-plate-cells.sh printed it.
const plateNetSHA256 = "73751d8ba57d504243bea788463c5c9d63e241795a0afd732a87535d38ebfe83"

func TestPlateNet(t *testing.T) {
	checkTrained(t, "pipeline/plate_net.bin", plateNetBin, plateNetSHA256)
	n, err := loadPlateNet()
	if err != nil {
		t.Fatal(err)
	}
	if n.Classes != synth.PlateNetChars {
		t.Errorf("classes %q", n.Classes)
	}
}

// renderedPlateLine is printed in the plate font as marginCrop crops a
// line (umlautLine, 12 rows more below), blurred (sigma 1 pixel) if blur,
// its characters read as read at probability prob.
func renderedPlateLine(t testing.TB, printed, read string, prob float64, blur bool) *plateLine {
	t.Helper()
	const top = 12
	img, chars := umlautLine(t, printed, top, nil)
	rs := []rune(read)
	for i := range chars {
		chars[i].Char, chars[i].Prob = string(rs[i]), prob
	}
	g := image.NewGray(image.Rect(0, 0, img.Bounds().Dx(), img.Bounds().Dy()+12))
	draw.Draw(g, g.Bounds(), image.NewUniform(color.Gray{Y: 225}), image.Point{}, draw.Src)
	draw.Draw(g, img.Bounds(), img, image.Point{}, draw.Src)
	if blur {
		g = blurGray(g, 1)
	}
	l := newPlateLine(g, top, chars)
	if l == nil {
		t.Fatalf("%s: no line", printed)
	}
	return l
}

// TestPlateNetReads: the classifier names the plate font's characters
// printed clean and blurred, the confusable ones among them (Ä, Ö and Ü
// as its classes a, o and u).
func TestPlateNetReads(t *testing.T) {
	for _, blur := range []bool{false, true} {
		for _, text := range []string{"DOQ0MN8BI1JT", "S5Z2G6UVWHKX", "YAEFLPRC3479", "BÖÄÜC"} {
			l := renderedPlateLine(t, text, text, 0.5, blur)
			got := []rune{}
			for i, r := range []rune(text) {
				_, p := l.readProbs(i)
				if p == nil {
					t.Fatalf("%s: no cell for %c", text, r)
				}
				k := 0
				for j := range p {
					if p[j] > p[k] {
						k = j
					}
				}
				got = append(got, rune(synth.PlateNetChars[k]))
			}
			want := []rune{}
			for _, r := range text {
				want = append(want, rune(plateClass(r)))
			}
			if string(got) != string(want) {
				t.Errorf("%s (blurred %v): classified %s", text, blur, string(got))
			}
		}
	}
}

// TestNetFlips: rendered plate print read with confusions at low
// probability: the classifier names the printed character (Q read D, D
// read O, N read M); read right, or read sure, nothing is offered.
func TestNetFlips(t *testing.T) {
	for _, c := range []struct {
		printed, read string
		prob          float64
		want          map[int]byte
	}{
		{"MQM4247", "MDM4247", 0.5, map[int]byte{1: 'Q'}},
		{"DDND66", "DONO66", 0.5, map[int]byte{1: 'D', 3: 'D'}},
		{"BNG55", "BMG55", 0.5, map[int]byte{1: 'N'}},
		{"MQM4247", "MQM4247", 0.5, nil},
		{"DDND66", "DDND66", 0.5, nil},
		{"MQM4247", "MDM4247", plateNetUnsure, nil},
	} {
		got := netFlips(renderedPlateLine(t, c.printed, c.read, c.prob, false))
		if len(got) != len(c.want) {
			t.Errorf("%s read %s at %.2f: flips %v, want %v", c.printed, c.read, c.prob, got, c.want)
			continue
		}
		for i, to := range c.want {
			if got[i].to != to {
				t.Errorf("%s read %s at %.2f: flips %v, want %v", c.printed, c.read, c.prob, got, c.want)
			}
		}
	}
	// the classifier backs a character read right, not one read wrong
	l := renderedPlateLine(t, "HNW74", "HMW74", 0.9, false)
	if !backs(l, 0) || backs(l, 1) {
		t.Errorf("backs H %v, M for N %v", backs(l, 0), backs(l, 1))
	}
}

// BenchmarkNetProbs is the classifier's cost for one character (five
// shifted cells and their classification).
func BenchmarkNetProbs(b *testing.B) {
	l := renderedPlateLine(b, "MQM4247", "MDM4247", 0.5, true)
	if _, err := loadPlateNet(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if l.classify(i%len(l.chars)) == nil { // netProbs keeps what it computed
			b.Fatal("no probabilities")
		}
	}
}

// TestTwinByNet: a letter read as its digit twin is named by the
// classifier among the digit's twins (D, not O, for the 0 read over a
// printed D; Ö for its class); a digit without twins, or a cell the
// classifier reads as the digit itself only, gives none.
func TestTwinByNet(t *testing.T) {
	for _, c := range []struct {
		printed, read string
		i             int
		want          string
		ok            bool
	}{
		{"DDX365", "00X365", 0, "D", true},
		{"BOD867", "80D867", 0, "B", true},
		{"BOD867", "B0D867", 1, "O", true},
		{"BÖO867", "B0O867", 1, "Ö", true},
		{"KSQ88", "KS088", 2, "Q", true},
		{"KS388", "KS388", 2, "", false}, // 3 has no letter twin
	} {
		l := renderedPlateLine(t, c.printed, c.read, 0.95, false)
		got, ok := twinByNet(l, c.i, string([]rune(c.read)[c.i]))
		if got != c.want || ok != c.ok {
			t.Errorf("%s read %s, character %d: %q %v, want %q %v", c.printed, c.read, c.i, got, ok, c.want, c.ok)
		}
	}
}
