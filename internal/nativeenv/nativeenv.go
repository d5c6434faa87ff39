// Package nativeenv sets the environment the native libraries read when
// they load, before main runs: the program re-executes itself once with it.
//
// OpenMP threads. Debian's Tesseract is built with OpenMP: its LSTM layers
// fork a team of threads at every time step, and libgomp's idle threads
// spin between steps. On a 2-core server running one worker per core those
// teams and spin-waits compete with the other worker and with ONNX
// Runtime; on 5 synthetic MRZ scenes in one worker the OCR stage took 1.3 s
// per scene with them and 0.55 s without, with identical readings. libgomp
// reads OMP_THREAD_LIMIT once, when it is loaded: docscan sets it to 1.
//
// Huge pages for malloc. ONNX Runtime's arenas are handed back to the
// system after large runs and malloc's free pages after every scan (see
// models.SessionOptions and pipeline.Engines.Settle), so the next run takes
// its memory afresh, a page fault per 4 KB page: over the 300 synthetic
// plate scenes in one worker about 6 million faults and a third of the CPU
// time in the kernel. glibc's tunable glibc.malloc.hugetlb=1 (glibc 2.35
// on) has malloc ask for transparent huge pages (madvise mode, the kernel's
// default) on the memory it maps, 2 MB per fault: 6.1 -> 1.0 million faults
// and 119 -> 81 s on the same scenes, peak resident size 441 -> 455 MB.
// glibc reads GLIBC_TUNABLES once, at start: docscan adds the tunable to it.
//
// A value the operator set is kept: OMP_THREAD_LIMIT as it is, and
// GLIBC_TUNABLES as it is where it names glibc.malloc.hugetlb (=0 turns the
// huge pages off).
package nativeenv

import (
	"os"
	"strings"
	"syscall"
)

// OMPVar is the environment variable that caps OpenMP's threads per process.
const OMPVar = "OMP_THREAD_LIMIT"

// TunablesVar holds glibc's tunables, colon-separated name=value pairs.
const TunablesVar = "GLIBC_TUNABLES"

// hugeTLB is the malloc tunable for transparent huge pages.
const hugeTLB = "glibc.malloc.hugetlb"

// doneVar marks a process started by Setup: it never re-executes twice,
// whatever a loader made of the environment.
const doneVar = "DOCSCAN_NATIVEENV"

// Env returns env with docscan's settings added where missing, and whether
// anything was added.
func Env(env []string) ([]string, bool) {
	out := make([]string, 0, len(env)+2)
	omp, tun := false, false
	changed := false
	for _, kv := range env {
		name, val, _ := strings.Cut(kv, "=")
		switch name {
		case OMPVar:
			omp = true
		case TunablesVar:
			tun = true
			if !hasTunable(val, hugeTLB) {
				if val != "" {
					val += ":"
				}
				kv = TunablesVar + "=" + val + hugeTLB + "=1"
				changed = true
			}
		}
		out = append(out, kv)
	}
	if !omp {
		out = append(out, OMPVar+"=1")
		changed = true
	}
	if !tun {
		out = append(out, TunablesVar+"="+hugeTLB+"=1")
		changed = true
	}
	return out, changed
}

// hasTunable reports whether the tunables list val sets name.
func hasTunable(val, name string) bool {
	for _, t := range strings.Split(val, ":") {
		if n, _, _ := strings.Cut(t, "="); n == name {
			return true
		}
	}
	return false
}

// Setup re-executes the running program with Env's settings when any is
// missing. It returns only when nothing was to be done or the re-execution
// failed, in which case the program runs on unchanged.
func Setup() {
	if _, ok := os.LookupEnv(doneVar); ok {
		return
	}
	env, changed := Env(os.Environ())
	if !changed {
		return
	}
	env = append(env, doneVar+"=1")
	exe, err := os.Executable()
	if err != nil {
		return
	}
	_ = syscall.Exec(exe, os.Args, env)
}
