package main

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/layout"
)

func TestToolVersion(t *testing.T) {
	t.Parallel()
	fallback := "v" + impl.Version
	tests := []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{"no build information", nil, fallback},
		{"built in its source tree", &debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "(devel)"}}, fallback},
		{"go install of a release", &debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "v1.2.3"}}, "v1.2.3"},
		{"a tool of another module", &debug.BuildInfo{Main: debug.Module{Path: "example.com/catalog", Version: "(devel)"},
			Deps: []*debug.Module{{Path: "golang.org/x/text", Version: "v0.30.0"}, {Path: modulePath, Version: "v1.4.0"}}}, "v1.4.0"},
		{"replaced by a directory", &debug.BuildInfo{Main: debug.Module{Path: "example.com/catalog"},
			Deps: []*debug.Module{{Path: modulePath, Version: "v1.4.0", Replace: &debug.Module{Path: "../provision"}}}}, fallback},
		{"not in the build", &debug.BuildInfo{Main: debug.Module{Path: "example.com/other", Version: "v0.1.0"}}, fallback},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := toolVersion(tt.info); got != tt.want {
				t.Errorf("toolVersion = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestVersionIsReleased checks that the version the tree declares is a
// semantic version whose major version is the runtime's Major, and that
// CHANGELOG.md has its section, the first after Unreleased.
func TestVersionIsReleased(t *testing.T) {
	t.Parallel()
	m := regexp.MustCompile(`^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$`).FindStringSubmatch(impl.Version)
	if m == nil {
		t.Fatalf("impl.Version = %q, want MAJOR.MINOR.PATCH", impl.Version)
	}
	if major, _ := strconv.Atoi(m[1]); major != impl.Major {
		t.Errorf("impl.Version %s has major version %d, impl.Major is %d", impl.Version, major, impl.Major)
	}
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	changelog, err := os.ReadFile(filepath.Join(root, "CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	var sections []string
	for line := range strings.Lines(string(changelog)) {
		if strings.HasPrefix(line, "## [") {
			sections = append(sections, strings.TrimSpace(line))
		}
	}
	if len(sections) < 2 || sections[0] != "## [Unreleased]" || !strings.HasPrefix(sections[1], "## ["+impl.Version+"] - ") {
		t.Errorf("CHANGELOG.md sections %q, want [Unreleased] and then [%s] - DATE", sections, impl.Version)
	}
}

func TestVersionCommand(t *testing.T) {
	t.Parallel()
	runCLICases(t, []cliCase{
		{name: "version", args: []string{"version"}, wantCode: exitOK, wantStdout: []string{"provision v"}},
		{name: "version extra argument", args: []string{"version", "now"}, wantCode: exitUsage, wantStderr: []string{`provision: version: unexpected argument "now"`}},
		{name: "help version", args: []string{"help", "version"}, wantCode: exitOK, wantStdout: []string{"provision version"}},
	})
}
