package synth

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
)

// Set names.
const (
	SetMRZ     = "mrz"     // MRZ scenes, TD1/TD2/TD3 in turn
	SetPlates  = "plates"  // German plate scenes
	SetSamples = "samples" // the demo samples: 1 TD3, 1 TD1, 2 plates
	SetMini    = "mini"    // the small test sample: 6 MRZ, 6 plates
	SetIDCard  = "idcard"  // German ID card fronts in photo scenes
	SetLicence = "licence" // EU driving licence fronts in photo scenes
	SetDocMini = "docmini" // the document test sample: 1 ID card, 1 licence
)

// Options configure GenerateSet.
type Options struct {
	Set     string
	N       int    // images (mrz, plates); fixed for samples and mini
	Seed    uint64 // set seed; each image's seed derives from it and its index
	Out     string // output directory (created)
	Fonts   *Fonts
	Workers int // default: number of CPUs
	// MaxLongSide caps the photo size of the idcard and licence sets (0: up
	// to 12 megapixels); Width and Height fix it.
	MaxLongSide   int
	Width, Height int
	// Camera photographs the idcard and licence sets' cards through a
	// pinhole camera (SceneOptions.Camera).
	Camera bool
	// Progress, when set, is called after each image.
	Progress func(done, total int)
}

// job is one image to make.
type job struct {
	name string
	gen  func(*Fonts, uint64, SceneOptions) (*Scene, error)
	seed uint64
	opt  SceneOptions
}

// ImageSeed derives the seed of image i of a set from the set seed.
func ImageSeed(set string, seed uint64, i int) uint64 {
	h := seed*0x9E3779B97F4A7C15 + uint64(i+1)*0xBF58476D1CE4E5B9
	for _, c := range set {
		h = (h ^ uint64(c)) * 0x100000001B3
	}
	h ^= h >> 31
	h *= 0x94D049BB133111EB
	h ^= h >> 29
	return h & (1<<53 - 1) // exact in JSON numbers
}

func planSet(o Options) ([]job, error) {
	var jobs []job
	add := func(name string, gen func(*Fonts, uint64, SceneOptions) (*Scene, error), i int, opt SceneOptions) {
		jobs = append(jobs, job{name, gen, ImageSeed(o.Set, o.Seed, i), opt})
	}
	switch o.Set {
	case SetMRZ:
		for i := 0; i < o.N; i++ {
			f := []string{TD1, TD2, TD3}[i%3]
			add(fmt.Sprintf("mrz_%04d.jpg", i), MRZScene, i, SceneOptions{Format: f})
		}
	case SetPlates:
		for i := 0; i < o.N; i++ {
			add(fmt.Sprintf("plate_%04d.jpg", i), PlateScene, i, SceneOptions{})
		}
	case SetSamples:
		add("passport_td3.jpg", MRZScene, 0, SceneOptions{Format: TD3, Width: 1600, Height: 1200, Quality: 85, Mild: true})
		add("idcard_td1.jpg", MRZScene, 1, SceneOptions{Format: TD1, Width: 1600, Height: 1200, Quality: 85, Mild: true})
		add("plate_de_1.jpg", PlateScene, 2, SceneOptions{Width: 1280, Height: 960, Quality: 85, Mild: true, TwoLines: -1})
		add("plate_de_2.jpg", PlateScene, 3, SceneOptions{Width: 1280, Height: 960, Quality: 85, TwoLines: -1})
	case SetMini:
		for i := 0; i < 6; i++ {
			add(fmt.Sprintf("mrz_%02d.jpg", i), MRZScene, i, SceneOptions{Format: []string{TD1, TD2, TD3}[i%3], MaxLongSide: 1000, Quality: 80})
		}
		for i := 0; i < 6; i++ {
			tl := -1
			if i == 5 {
				tl = 1
			}
			add(fmt.Sprintf("plate_%02d.jpg", i), PlateScene, 6+i, SceneOptions{Width: 800, Height: 600, Quality: 80, TwoLines: tl})
		}
	case SetDocMini:
		for i, k := range []string{SpecimenIDCard, SpecimenLicence} {
			add(fmt.Sprintf("%s_mild.jpg", k), SpecimenScene, i, SceneOptions{Format: k, Width: 1280, Height: 960, Quality: 85, Mild: true})
		}
	case SetIDCard, SetLicence:
		for i := 0; i < o.N; i++ {
			add(fmt.Sprintf("%s_%04d.jpg", o.Set, i), SpecimenScene, i, SceneOptions{Format: o.Set, MaxLongSide: o.MaxLongSide, Width: o.Width, Height: o.Height, Camera: o.Camera})
		}
	default:
		return nil, fmt.Errorf("synth: unknown set %q (want mrz, plates, samples, mini, idcard or licence)", o.Set)
	}
	return jobs, nil
}

// GenerateSet writes the images of a set and its manifest.json into o.Out.
// The bytes depend only on the set, N and the seed, not on Workers.
func GenerateSet(o Options) ([]Entry, error) {
	if o.Fonts == nil {
		return nil, errors.New("synth: no fonts")
	}
	jobs, err := planSet(o)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	entries := make([]Entry, len(jobs))
	errs := make([]error, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				j := jobs[i]
				sc, err := j.gen(o.Fonts, j.seed, j.opt)
				if err == nil {
					err = os.WriteFile(filepath.Join(o.Out, j.name), sc.JPEG, 0o644)
				}
				if err != nil {
					errs[i] = fmt.Errorf("synth: %s: %w", j.name, err)
				} else {
					sc.Entry.File = j.name
					entries[i] = sc.Entry
				}
				if o.Progress != nil {
					mu.Lock()
					done++
					o.Progress(done, len(jobs))
					mu.Unlock()
				}
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return entries, WriteManifest(filepath.Join(o.Out, "manifest.json"), entries)
}
