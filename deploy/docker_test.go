package deploy

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// aptPkgs returns the package list of scripts/deps.sh (APT_PKGS=( ... )).
func aptPkgs(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../scripts/deps.sh")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)\nAPT_PKGS=\((.*?)\n\)`).FindSubmatch(b)
	if m == nil {
		t.Fatal("scripts/deps.sh: no APT_PKGS=( ... ) list")
	}
	var pkgs []string
	for _, line := range strings.Split(string(m[1]), "\n") {
		line, _, _ = strings.Cut(line, "#")
		pkgs = append(pkgs, strings.Fields(line)...)
	}
	slices.Sort(pkgs)
	return pkgs
}

// stages splits a Dockerfile into its stages, line continuations joined.
func stages(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	var cur string
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		if s, ok := strings.CutSuffix(strings.TrimRight(line, " "), "\\"); ok {
			cur += s + " "
			continue
		}
		cur += line
		if strings.HasPrefix(cur, "FROM ") {
			out = append(out, nil)
		}
		if len(out) > 0 && strings.TrimSpace(cur) != "" {
			out[len(out)-1] = append(out[len(out)-1], strings.Join(strings.Fields(cur), " "))
		}
		cur = ""
	}
	return out
}

// installed returns the packages of the apt-get install commands in a stage.
func installed(stage []string) []string {
	var pkgs []string
	for _, ins := range stage {
		for _, cmd := range strings.Split(ins, "&&") {
			f := strings.Fields(cmd)
			i := slices.Index(f, "install")
			if i < 0 || !slices.Contains(f[:i], "apt-get") {
				continue
			}
			for _, w := range f[i+1:] {
				if !strings.HasPrefix(w, "-") {
					pkgs = append(pkgs, w)
				}
			}
		}
	}
	slices.Sort(pkgs)
	return pkgs
}

// TestDockerfileMatchesDeps keeps the Dockerfile in step with `make deps`:
// the build stage runs scripts/deps.sh (the same packages and the same
// checksummed assets), the runtime stage installs exactly APT_PKGS, both on
// Debian 12, and the runtime image gets the binary and the assets where
// docscan looks for them.
func TestDockerfileMatchesDeps(t *testing.T) {
	want := aptPkgs(t)
	if len(want) < 5 {
		t.Fatalf("APT_PKGS parsed as %v", want)
	}
	st := stages(t, "../Dockerfile")
	if len(st) != 2 {
		t.Fatalf("%d stages, want 2 (build, runtime)", len(st))
	}
	build, runtime := st[0], st[1]
	for i, s := range st {
		if !strings.Contains(s[0], "bookworm") {
			t.Errorf("stage %d: %q is not Debian 12 (bookworm), which make deps targets", i, s[0])
		}
	}
	runsDeps := false
	for _, ins := range build {
		if strings.HasPrefix(ins, "RUN ") && strings.Contains(ins, "scripts/deps.sh") {
			runsDeps = true
		}
	}
	if !runsDeps {
		t.Error("build stage does not run scripts/deps.sh")
	}
	if got := installed(build); !slices.Equal(got, []string{"npm"}) {
		t.Errorf("build stage installs %v besides scripts/deps.sh; want only npm (which deps.sh needs)", got)
	}
	if got := installed(runtime); !slices.Equal(got, want) {
		t.Errorf("runtime stage installs %v\nscripts/deps.sh APT_PKGS %v", got, want)
	}
	joined := strings.Join(build, "\n")
	for _, s := range []string{"go build", ".cache/assets/models", ".cache/assets/lib", "./cmd/docscan"} {
		if !strings.Contains(joined, s) {
			t.Errorf("build stage lacks %q", s)
		}
	}
	joined = strings.Join(runtime, "\n")
	for _, s := range []string{"COPY --from=build /out/ /app/", `ENTRYPOINT ["/app/docscan"]`, "USER 65532"} {
		if !strings.Contains(joined, s) {
			t.Errorf("runtime stage lacks %q", s)
		}
	}
	ignore, err := os.ReadFile("../.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{".cache", ".git", "bin"} {
		if !slices.Contains(strings.Fields(string(ignore)), s) {
			t.Errorf(".dockerignore lacks %s", s)
		}
	}
}
