package models

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>

// The ONNX Runtime C API is a table of function pointers (OrtApi) that
// only ever grows at the end, so an entry's index is fixed from the
// version that added it on. onnxruntime_go keeps its table private and
// does not wrap AddRunConfigEntry; docscan looks the three entries it
// needs up in the same loaded library.
enum {
	dsApiVersion = 24,          // ONNX Runtime 1.24
	dsGetErrorMessage = 2,      // OrtApi::GetErrorMessage
	dsReleaseStatus = 93,       // OrtApi::ReleaseStatus
	dsAddRunConfigEntry = 165,  // OrtApi::AddRunConfigEntry
};

typedef struct {
	const void *(*GetApi)(uint32_t version);
	const char *(*GetVersionString)(void);
} dsApiBase;

typedef void *(*dsAddRunConfigEntryFn)(void *opts, const char *key, const char *value);
typedef const char *(*dsGetErrorMessageFn)(const void *status);
typedef void (*dsReleaseStatusFn)(void *status);

static void *const *ds_api;

// ds_bind finds the API table of the ONNX Runtime library at path (already
// loaded by onnxruntime_go; dlopen returns the same handle).
static int ds_bind(const char *path) {
	void *h = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
	if (!h) h = dlopen(path, RTLD_NOW);
	if (!h) return -1;
	const dsApiBase *(*get)(void) = (const dsApiBase *(*)(void))dlsym(h, "OrtGetApiBase");
	if (!get) return -2;
	const void *api = get()->GetApi(dsApiVersion);
	if (!api) return -3;
	ds_api = (void *const *)api;
	return 0;
}

// ds_add_run_config sets key=value on an OrtRunOptions; it returns NULL or
// an error message the caller frees.
static char *ds_add_run_config(void *opts, const char *key, const char *value) {
	void *st = ((dsAddRunConfigEntryFn)ds_api[dsAddRunConfigEntry])(opts, key, value);
	if (!st) return NULL;
	const char *msg = ((dsGetErrorMessageFn)ds_api[dsGetErrorMessage])(st);
	char *out = msg ? strdup(msg) : strdup("unknown error");
	((dsReleaseStatusFn)ds_api[dsReleaseStatus])(st);
	return out;
}
*/
import "C"

import (
	"fmt"
	"sync"
	"unsafe"

	ort "github.com/yalue/onnxruntime_go"
)

var (
	bindOnce sync.Once
	bindErr  error
)

func bindAPI() error {
	bindOnce.Do(func() {
		if envLib == "" {
			bindErr = fmt.Errorf("onnx runtime not initialized")
			return
		}
		p := C.CString(envLib)
		defer C.free(unsafe.Pointer(p))
		if rc := C.ds_bind(p); rc != 0 {
			bindErr = fmt.Errorf("onnx runtime api table from %s: code %d", envLib, int(rc))
		}
	})
	return bindErr
}

// ortRunOptions is the layout of ort.RunOptions: one pointer to the
// native OrtRunOptions (checked by a test against the pinned version).
type ortRunOptions struct {
	o unsafe.Pointer
}

// newShrinkRunOptions makes run options that hand the CPU arena's free
// regions back at the end of every run (ONNX Runtime's
// memory.enable_memory_arena_shrinkage). Without it a session's arena
// keeps the peak of the largest input it ever saw, per worker.
func newShrinkRunOptions() (*ort.RunOptions, error) {
	if err := bindAPI(); err != nil {
		return nil, err
	}
	ro, err := ort.NewRunOptions()
	if err != nil {
		return nil, fmt.Errorf("run options: %w", err)
	}
	native := (*ortRunOptions)(unsafe.Pointer(ro)).o
	if native == nil {
		ro.Destroy()
		return nil, fmt.Errorf("run options: no native handle")
	}
	k := C.CString("memory.enable_memory_arena_shrinkage")
	v := C.CString("cpu:0")
	defer C.free(unsafe.Pointer(k))
	defer C.free(unsafe.Pointer(v))
	if msg := C.ds_add_run_config(native, k, v); msg != nil {
		defer C.free(unsafe.Pointer(msg))
		ro.Destroy()
		return nil, fmt.Errorf("run options: arena shrinkage: %s", C.GoString(msg))
	}
	return ro, nil
}

// TrimHeap hands the C heap's free pages back to the system (glibc
// malloc_trim): OpenCV, Tesseract and ONNX Runtime free large transient
// buffers into malloc's arenas, which otherwise keep them resident.
func TrimHeap() { C.malloc_trim(0) }
