// Package vendored keeps the proto file that provision copies from a Go
// module, buf/validate/validate.proto, identical to that module at a pinned
// version. No schema registry is reachable, so the file cannot come from a
// buf dependency; the go command fetches the module instead and verifies its
// checksum.
package vendored

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/provisionhq/provision/internal/gocmd"
)

const (
	// Module is the Go module the vendored file is copied from.
	Module = "github.com/bufbuild/protovalidate"
	// Version is the pinned version of Module.
	Version = "v1.2.2"
	// Source is the file's slash-separated path inside Module.
	Source = "proto/protovalidate/buf/validate/validate.proto"
	// Path is the file's slash-separated path in the repository, relative to
	// its root.
	Path = "third_party/protovalidate/buf/validate/validate.proto"
)

// DriftError reports that the vendored file at Path is missing or differs
// from Source in Module at Version.
type DriftError struct {
	// Path is the file's slash-separated path relative to the repository root.
	Path string
	// Missing is true when the file does not exist.
	Missing bool
}

// Error implements error.
func (e *DriftError) Error() string {
	if e.Missing {
		return fmt.Sprintf("%s is missing: it must be a copy of %s in %s@%s", e.Path, Source, Module, Version)
	}
	return fmt.Sprintf("%s differs from %s in %s@%s", e.Path, Source, Module, Version)
}

// Check returns a *DriftError when the vendored file under root is missing
// or differs from the pinned module, and another error when the module
// cannot be read.
func Check(ctx context.Context, root string) error {
	want, err := source(ctx, root)
	if err != nil {
		return err
	}
	got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(Path)))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &DriftError{Path: Path, Missing: true}
	case err != nil:
		return fmt.Errorf("read vendored file: %w", err)
	case !bytes.Equal(got, want):
		return &DriftError{Path: Path}
	}
	return nil
}

// Sync writes the vendored file under root (mode 0644, creating its
// directories) when it is missing or differs from the pinned module.
func Sync(ctx context.Context, root string) error {
	want, err := source(ctx, root)
	if err != nil {
		return err
	}
	dst := filepath.Join(root, filepath.FromSlash(Path))
	if got, err := os.ReadFile(dst); err != nil || !bytes.Equal(got, want) {
		if err := write(dst, want); err != nil {
			return fmt.Errorf("sync vendored file: %w", err)
		}
	}
	// An existing file keeps its mode through WriteFile: set it either way.
	if err := os.Chmod(dst, 0o644); err != nil {
		return fmt.Errorf("sync vendored file: %w", err)
	}
	return nil
}

// write writes data to the file at path, creating its directories.
func write(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// ModuleDir returns the directory of Module at Version in the module cache,
// downloading it first if needed. The go command runs in dir, so it checks
// the module against dir's go.sum when dir is in a module and against the
// checksum database otherwise.
func ModuleDir(ctx context.Context, dir string) (string, error) {
	mod := Module + "@" + Version
	out, runErr := gocmd.Run(ctx, dir, "mod", "download", "-json", mod)
	var info struct {
		Dir   string
		Error string
	}
	if err := json.Unmarshal(out, &info); err != nil {
		if runErr != nil {
			return "", fmt.Errorf("download %s: %w", mod, runErr)
		}
		return "", fmt.Errorf("download %s: decode go mod download output: %w", mod, err)
	}
	switch {
	case info.Error != "":
		return "", fmt.Errorf("download %s: %s", mod, info.Error)
	case runErr != nil:
		return "", fmt.Errorf("download %s: %w", mod, runErr)
	case info.Dir == "":
		return "", fmt.Errorf("download %s: go mod download reported no directory", mod)
	}
	return info.Dir, nil
}

// source returns the contents of Source in the pinned module.
func source(ctx context.Context, root string) ([]byte, error) {
	dir, err := ModuleDir(ctx, root)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(Source)))
	if err != nil {
		return nil, fmt.Errorf("read %s@%s: %w", Module, Version, err)
	}
	return data, nil
}
