// Package ompenv limits the OpenMP threads of the native libraries.
//
// Debian's Tesseract is built with OpenMP: its LSTM layers fork a team of
// threads at every time step, and libgomp's idle threads spin between
// steps. On a 2-core server running one worker per core those teams and
// spin-waits compete with the other worker and with ONNX Runtime; on 5
// synthetic MRZ scenes in one worker the OCR stage took 1.3 s per scene
// with them and 0.55 s without, with identical readings. libgomp reads
// OMP_THREAD_LIMIT once, when it is loaded (before main runs), so the
// variable cannot be set from Go: the program re-executes itself with it.
package ompenv

import (
	"os"
	"syscall"
)

// Var is the environment variable that caps OpenMP's threads per process.
const Var = "OMP_THREAD_LIMIT"

// Limit re-executes the running program with OMP_THREAD_LIMIT=1 when the
// variable is not set (a value set by the operator is kept). It returns
// only when nothing was to be done or the re-execution failed, in which
// case the program runs on unchanged.
func Limit() {
	if _, ok := os.LookupEnv(Var); ok {
		return
	}
	exe, err := os.Executable()
	if err != nil {
		return
	}
	env := append(os.Environ(), Var+"=1")
	_ = syscall.Exec(exe, os.Args, env)
}
