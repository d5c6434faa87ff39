package models

import (
	"fmt"
	"os"
	"sync"

	"docscan/models/onnxfold"

	ort "github.com/yalue/onnxruntime_go"
)

var (
	envOnce sync.Once
	envErr  error
	envLib  string
)

// Init loads the ONNX Runtime library once per process. Later calls with a
// different path return an error; the same path is fine.
func Init(lib string) error {
	envOnce.Do(func() {
		envLib = lib
		ort.SetSharedLibraryPath(lib)
		if err := ort.InitializeEnvironment(ort.WithLogLevelError()); err != nil {
			envErr = fmt.Errorf("initialize onnx runtime from %s: %w", lib, err)
		}
	})
	if envErr == nil && lib != envLib {
		return fmt.Errorf("onnx runtime already loaded from %s", envLib)
	}
	return envErr
}

// RuntimeVersion is the loaded ONNX Runtime version ("" before Init).
func RuntimeVersion() string {
	if !ort.IsInitialized() {
		return ""
	}
	return ort.GetVersion()
}

// SessionOptions tune a model session.
type SessionOptions struct {
	// Threads is the intra-op thread count; 0 means 1 (docscan runs one
	// session per worker and one worker per core).
	Threads int
	// ShrinkArena hands the free regions of ONNX Runtime's CPU arena back
	// to the system at the end of every run (ONNX Runtime's
	// memory.enable_memory_arena_shrinkage). Without it a session keeps
	// the high-water mark of the largest input it ever saw: about 250 MB
	// per text detector. With it each run takes fresh pages (system time
	// for page faults).
	ShrinkArena bool
	// Unfolded runs the PP-OCR models as fetched, without the rewrite
	// of package onnxfold (for comparison: tests and benchmarks).
	Unfolded bool
}

// session is one ONNX Runtime session with one input and one output.
type session struct {
	s        *ort.DynamicAdvancedSession
	ro       *ort.RunOptions // nil: plain runs
	keep     int             // inputs of at most this many values run without ro (set by the model's owner)
	in, out  string
	closeMu  sync.Mutex
	isClosed bool
}

// newSession makes a session for the model at path; fold rewrites it
// first (onnxfold.Fold, for the PP-OCR models) unless o.Unfolded.
func newSession(path, in, out string, o SessionOptions, fold bool) (*session, error) {
	if !ort.IsInitialized() {
		return nil, fmt.Errorf("onnx runtime not initialized")
	}
	opts, err := ort.NewSessionOptions()
	if err != nil {
		return nil, fmt.Errorf("session options: %w", err)
	}
	defer opts.Destroy()
	th := o.Threads
	if th <= 0 {
		th = 1
	}
	if err := opts.SetIntraOpNumThreads(th); err != nil {
		return nil, fmt.Errorf("session options: %w", err)
	}
	if err := opts.SetInterOpNumThreads(1); err != nil {
		return nil, fmt.Errorf("session options: %w", err)
	}
	// ONNX Runtime's pool threads spin for a while after each operator
	// waiting for the next, by default. A scan runs many small models with
	// Go, OpenCV and Tesseract work between them, which the spinning
	// threads then compete with: one worker with two threads on this
	// 2-core machine answered the 300 synthetic plate scenes at a median
	// of 266 ms and 2.9 scenes/s spinning, 155 ms and 4.4 scenes/s not.
	// (With one thread there is no pool and nothing spins.)
	if err := opts.AddSessionConfigEntry("session.intra_op.allow_spinning", "0"); err != nil {
		return nil, fmt.Errorf("session options: %w", err)
	}
	var s *ort.DynamicAdvancedSession
	if fold && !o.Unfolded {
		// the PP-OCR models are run rewritten (package onnxfold): the
		// same results up to float rounding, a fifth less time
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("load model: %w", err)
		}
		if data, _, err = onnxfold.Fold(data); err != nil {
			return nil, fmt.Errorf("load model %s: %w", path, err)
		}
		s, err = ort.NewDynamicAdvancedSessionWithONNXData(data, []string{in}, []string{out}, opts)
		if err != nil {
			return nil, fmt.Errorf("load model %s: %w", path, err)
		}
	} else if s, err = ort.NewDynamicAdvancedSession(path, []string{in}, []string{out}, opts); err != nil {
		return nil, fmt.Errorf("load model %s: %w", path, err)
	}
	ss := &session{s: s, in: in, out: out}
	if o.ShrinkArena {
		if ss.ro, err = newShrinkRunOptions(); err != nil {
			s.Destroy()
			return nil, err
		}
	}
	return ss, nil
}

// run feeds one float32 tensor and returns the output data and shape.
func (s *session) run(shape []int64, data []float32) ([]float32, []int64, error) {
	in, err := ort.NewTensor(ort.NewShape(shape...), data)
	if err != nil {
		return nil, nil, fmt.Errorf("input tensor: %w", err)
	}
	defer in.Destroy()
	outs := []ort.Value{nil}
	if err := s.s.RunWithOptions([]ort.Value{in}, outs, s.runOptions(len(data))); err != nil {
		return nil, nil, fmt.Errorf("run model: %w", err)
	}
	defer outs[0].Destroy()
	t, ok := outs[0].(*ort.Tensor[float32])
	if !ok {
		return nil, nil, fmt.Errorf("run model: unexpected output type %T", outs[0])
	}
	// onnxruntime_go already copied the output into Go memory that
	// outlives the tensor: hand that slice on instead of a second copy.
	return t.GetData(), t.GetShape(), nil
}

// runInto feeds one float32 tensor and has ONNX Runtime write the output,
// of shape outShape, straight into out (at least as long): run's output
// is a fresh Go copy of ONNX Runtime's, and a recognizer's (3 to 10 MB for
// an MRZ line) faulted in new pages on every copy, 4% of the CPU time of a
// 12 MP MRZ scan. A buffer the caller reuses stays resident. A model whose
// output has another shape fails the run.
func (s *session) runInto(shape []int64, data []float32, outShape []int64, out []float32) error {
	in, err := ort.NewTensor(ort.NewShape(shape...), data)
	if err != nil {
		return fmt.Errorf("input tensor: %w", err)
	}
	defer in.Destroy()
	ot, err := ort.NewTensor(ort.NewShape(outShape...), out)
	if err != nil {
		return fmt.Errorf("output tensor: %w", err)
	}
	defer ot.Destroy()
	if err := s.s.RunWithOptions([]ort.Value{in}, []ort.Value{ot}, s.runOptions(len(data))); err != nil {
		return fmt.Errorf("run model: %w", err)
	}
	return nil
}

// runOptions are the options of a run on n input values: the shrinking
// ones unless the input is small enough to keep the arena.
func (s *session) runOptions(n int) *ort.RunOptions {
	if n <= s.keep {
		return nil
	}
	return s.ro
}

// Close frees the session; safe to call twice.
func (s *session) Close() error {
	if s == nil {
		return nil
	}
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	if s.isClosed {
		return nil
	}
	s.isClosed = true
	if s.ro != nil {
		s.ro.Destroy()
	}
	return s.s.Destroy()
}
