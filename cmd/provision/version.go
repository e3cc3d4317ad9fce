package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/provisionhq/provision/internal/impl"
)

const versionDoc = `
Version prints the version of provision: the version of its Go module as
the go command recorded it when it built this program (a release such as
v1.2.0, or a pseudo-version of a commit), or, when it recorded none (a
build from a source tree), the version this source tree declares.
`

// modulePath is the path of provision's Go module.
const modulePath = "github.com/provisionhq/provision"

// runVersion runs `provision version`.
func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("version", "", versionDoc)
	if code, done := parseFlags(fs, args, stdout, stderr); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(fs, stderr, fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	info, _ := debug.ReadBuildInfo()
	fmt.Fprintf(stdout, "provision %s\n", toolVersion(info))
	return exitOK
}

// toolVersion returns the version of provision's module in the build
// information info, as the main module or as a dependency of another
// (a tool of its go.mod), or "v" and impl.Version when info records none.
func toolVersion(info *debug.BuildInfo) string {
	fallback := "v" + impl.Version
	if info == nil {
		return fallback
	}
	mods := append([]*debug.Module{&info.Main}, info.Deps...)
	for _, m := range mods {
		if m == nil || m.Path != modulePath {
			continue
		}
		if m.Replace != nil {
			// A replace directive points at a directory or another
			// version; a directory records no version.
			m = m.Replace
		}
		if m.Version == "" || m.Version == "(devel)" {
			return fallback
		}
		return m.Version
	}
	return fallback
}
