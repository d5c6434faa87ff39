package pipeline

import (
	"context"
	"strings"
	"testing"

	"docscan/mrz"
	"docscan/synth"
)

// TestMRZRequestCardFallback: an MRZ request whose scene search finds no
// zone looks on the normalized card, as a document request does. The
// scene is image 21 of the synthetic MRZ set (`go run ./cmd/synth -set mrz
// -n 300 -seed 7`), rendered here from its seed: a TD1 card turned 268
// degrees in a 1080x1920 photo, blurred and noisy, whose zone the scene
// search does not find (no MRZ record before the fallback).
func TestMRZRequestCardFallback(t *testing.T) {
	if testing.Short() {
		t.Skip("renders a 1080x1920 scene and reads it")
	}
	fs := ocrbFonts(t)
	sc, err := synth.MRZScene(fs, synth.ImageSeed(synth.SetMRZ, 7, 21), synth.SceneOptions{Format: synth.TD1})
	if err != nil {
		t.Fatal(err)
	}
	e := testEngines(t, Options{})
	r := e.Process(context.Background(), Request{File: "mrz_0021.jpg", Data: sc.JPEG, Kind: "mrz"})
	var got *mrz.Record
	for _, rec := range r.Records {
		switch x := rec.(type) {
		case *mrz.Record:
			got = x
		default:
			t.Errorf("an MRZ request answered with a %T", rec)
		}
	}
	want := strings.Join(sc.Entry.Truth.MRZ, "\n")
	if got == nil || !got.Valid || strings.Join(got.Lines, "\n") != want {
		t.Fatalf("got %+v, want %q valid", got, sc.Entry.Truth.MRZ)
	}
}

func TestKFillers(t *testing.T) {
	for _, c := range []struct {
		lines []string
		want  bool
	}{
		{[]string{"GARCIAKKAHMETKKKKKKKKKK<KKKKKK"}, true},
		{[]string{"GP29758129UKR9305018F2806284K<K<K<K4"}, true},
		{[]string{"KORHONEN<<HEIKKI<<<<<<<<<<<<<<"}, false},
		{[]string{"MARK<<KAREN<<<<<<<<<<<<<<<<<<<"}, false},
		{[]string{"P<FINVIRTANEN<<JUKKA<PEKKA<<<<<<<<<<<<<<<<<<"}, false},
		{[]string{"AKKK", "<<<"}, true},
	} {
		if got := kFillers(c.lines); got != c.want {
			t.Errorf("kFillers(%q) = %v", c.lines, got)
		}
	}
}
