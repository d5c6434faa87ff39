package nativeenv

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const helperEnv = "DOCSCAN_NATIVEENV_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "1" {
		Setup()
		os.Stdout.WriteString(OMPVar + "=" + os.Getenv(OMPVar) + " " + TunablesVar + "=" + os.Getenv(TunablesVar) + "\n")
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestEnv(t *testing.T) {
	for _, tc := range []struct {
		in, want []string
		changed  bool
	}{
		{[]string{"PATH=/bin"}, []string{"PATH=/bin", "OMP_THREAD_LIMIT=1", "GLIBC_TUNABLES=glibc.malloc.hugetlb=1"}, true},
		{[]string{"OMP_THREAD_LIMIT=3"}, []string{"OMP_THREAD_LIMIT=3", "GLIBC_TUNABLES=glibc.malloc.hugetlb=1"}, true},
		{[]string{"GLIBC_TUNABLES=glibc.malloc.trim_threshold=1024", "OMP_THREAD_LIMIT=1"},
			[]string{"GLIBC_TUNABLES=glibc.malloc.trim_threshold=1024:glibc.malloc.hugetlb=1", "OMP_THREAD_LIMIT=1"}, true},
		{[]string{"GLIBC_TUNABLES=", "OMP_THREAD_LIMIT=1"}, []string{"GLIBC_TUNABLES=glibc.malloc.hugetlb=1", "OMP_THREAD_LIMIT=1"}, true},
		// the operator's choice stands, off included
		{[]string{"GLIBC_TUNABLES=glibc.malloc.hugetlb=0", "OMP_THREAD_LIMIT=2"}, []string{"GLIBC_TUNABLES=glibc.malloc.hugetlb=0", "OMP_THREAD_LIMIT=2"}, false},
		{[]string{"OMP_THREAD_LIMIT=1", "GLIBC_TUNABLES=glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1"},
			[]string{"OMP_THREAD_LIMIT=1", "GLIBC_TUNABLES=glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1"}, false},
		// a tunable whose name only begins like it is another one
		{[]string{"OMP_THREAD_LIMIT=1", "GLIBC_TUNABLES=glibc.malloc.hugetlbx=1"},
			[]string{"OMP_THREAD_LIMIT=1", "GLIBC_TUNABLES=glibc.malloc.hugetlbx=1:glibc.malloc.hugetlb=1"}, true},
	} {
		got, changed := Env(tc.in)
		if !slices.Equal(got, tc.want) || changed != tc.changed {
			t.Errorf("Env(%q) = %q, %v; want %q, %v", tc.in, got, changed, tc.want, tc.changed)
		}
	}
}

// TestSetup runs this test binary as a helper that calls Setup and prints
// what it then runs with: the settings added once, the operator's kept.
func TestSetup(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ omp, tun, want string }{
		{"", "", "OMP_THREAD_LIMIT=1 GLIBC_TUNABLES=glibc.malloc.hugetlb=1"},
		{"3", "", "OMP_THREAD_LIMIT=3 GLIBC_TUNABLES=glibc.malloc.hugetlb=1"},
		{"", "glibc.malloc.hugetlb=0", "OMP_THREAD_LIMIT=1 GLIBC_TUNABLES=glibc.malloc.hugetlb=0"},
	} {
		var env []string
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, OMPVar+"=") && !strings.HasPrefix(kv, TunablesVar+"=") && !strings.HasPrefix(kv, doneVar+"=") {
				env = append(env, kv)
			}
		}
		env = append(env, helperEnv+"=1")
		if tc.omp != "" {
			env = append(env, OMPVar+"="+tc.omp)
		}
		if tc.tun != "" {
			env = append(env, TunablesVar+"="+tc.tun)
		}
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = env
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%+v: %v", tc, err)
		}
		if got := strings.TrimSpace(string(out)); got != tc.want {
			t.Errorf("%+v: got %q, want %q", tc, got, tc.want)
		}
	}
}
