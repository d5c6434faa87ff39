package ompenv

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// helperEnv makes the test binary act as a program that calls Limit and
// prints the variable it then sees.
const helperEnv = "DOCSCAN_OMPENV_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "1" {
		Limit()
		os.Stdout.WriteString("limit=" + os.Getenv(Var) + "\n")
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestLimit runs the test binary as such a program: without the variable
// it re-executes itself with OMP_THREAD_LIMIT=1; an operator's value is
// kept.
func TestLimit(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ set, want string }{
		{"", "limit=1"},
		{"3", "limit=3"},
	} {
		var env []string
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, Var+"=") {
				env = append(env, kv)
			}
		}
		env = append(env, helperEnv+"=1")
		if tc.set != "" {
			env = append(env, Var+"="+tc.set)
		}
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = env
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("set %q: %v", tc.set, err)
		}
		if got := strings.TrimSpace(string(out)); got != tc.want {
			t.Errorf("set %q: got %q, want %q", tc.set, got, tc.want)
		}
	}
}
