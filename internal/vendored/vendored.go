// Package vendored keeps the proto files that provision copies from Go
// modules identical to those modules at pinned versions:
// buf/validate/validate.proto from github.com/bufbuild/protovalidate in
// every repository, and, in a catalog repository of another company (one
// whose go.mod requires provision), the vocabulary
// provision/v1/options.proto from the provision module at the version its
// go.mod selects. No schema registry is reachable, so the files cannot come
// from a buf dependency; the go command fetches the modules instead and
// verifies their checksums against go.sum or the checksum database.
package vendored

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/provisionhq/provision/internal/gocmd"
)

const (
	// Module is the Go module validate.proto is copied from.
	Module = "github.com/bufbuild/protovalidate"
	// Version is the pinned version of Module.
	Version = "v1.2.2"
	// Source is validate.proto's slash-separated path inside Module.
	Source = "proto/protovalidate/buf/validate/validate.proto"
	// Path is validate.proto's slash-separated path in the repository,
	// relative to its root.
	Path = "third_party/protovalidate/buf/validate/validate.proto"

	// ProvisionModule is the Go module of provision, whose vocabulary a
	// catalog repository of another company vendors.
	ProvisionModule = "github.com/provisionhq/provision"
	// VocabularySource is the vocabulary's slash-separated path inside
	// ProvisionModule.
	VocabularySource = "vocabulary/provision/v1/options.proto"
	// VocabularyPath is the vocabulary's slash-separated path in a catalog
	// repository, relative to its root: the same as in provision's own, so
	// the tools find it where they look for it.
	VocabularyPath = VocabularySource
)

// File is one proto file copied from a Go module.
type File struct {
	// Module and Version name the module the file is copied from.
	Module, Version string
	// Source is the file's slash-separated path inside the module.
	Source string
	// Path is the file's slash-separated path in the repository, relative
	// to its root.
	Path string
	// dir, when set, is the module's directory: a local replacement in
	// the repository's go.mod, which the go command does not download.
	dir string
}

// validate is the vendored buf/validate/validate.proto.
var validate = File{Module: Module, Version: Version, Source: Source, Path: Path}

// DriftError reports that a vendored file is missing or differs from its
// module.
type DriftError struct {
	// Path is the file's slash-separated path relative to the repository root.
	Path string
	// Missing is true when the file does not exist.
	Missing bool
	// From names the module and file it must be a copy of
	// ("path/in/module in module@version").
	From string
}

// Error implements error.
func (e *DriftError) Error() string {
	if e.Missing {
		return fmt.Sprintf("%s is missing: it must be a copy of %s", e.Path, e.From)
	}
	return fmt.Sprintf("%s differs from %s", e.Path, e.From)
}

// from names f's origin as DriftError.From does.
func (f File) from() string {
	return fmt.Sprintf("%s in %s@%s", f.Source, f.Module, f.Version)
}

// Files returns the files vendored in the repository at root:
// validate.proto always, and the vocabulary when root's go.mod requires
// ProvisionModule (a catalog repository of another company), at the
// version and from the directory the go command selects there, a local
// replacement included.
func Files(ctx context.Context, root string) ([]File, error) {
	files := []File{validate}
	requires, err := requiresProvision(filepath.Join(root, "go.mod"))
	if err != nil || !requires {
		return files, err
	}
	out, err := gocmd.Run(ctx, root, "list", "-m", "-json", ProvisionModule)
	if err != nil {
		return nil, fmt.Errorf("vocabulary: %w", err)
	}
	var mod struct {
		Version string
		Replace *struct {
			Path, Version, Dir string
		}
	}
	if err := json.Unmarshal(out, &mod); err != nil {
		return nil, fmt.Errorf("vocabulary: decode go list -m output: %w", err)
	}
	vocab := File{Module: ProvisionModule, Version: mod.Version, Source: VocabularySource, Path: VocabularyPath}
	if r := mod.Replace; r != nil {
		vocab.Module, vocab.Version = r.Path, r.Version
		if r.Version == "" {
			// A local directory: nothing to download or verify.
			vocab.Version, vocab.dir = "(local replacement)", r.Dir
		}
	}
	return append(files, vocab), nil
}

// requiresProvision reports whether the go.mod at path requires
// ProvisionModule. No go.mod requires nothing; provision's own go.mod
// declares the module rather than requiring it.
func requiresProvision(path string) (bool, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read %s: %w", path, err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		words := strings.Fields(sc.Text())
		switch {
		case len(words) >= 2 && words[0] == "module" && strings.Trim(words[1], `"`) == ProvisionModule:
			return false, nil
		case len(words) >= 2 && words[0] == "require" && words[1] == ProvisionModule,
			len(words) >= 1 && words[0] == ProvisionModule:
			return true, nil
		}
	}
	return false, nil
}

// Check returns a *DriftError for the first vendored file under root that
// is missing or differs from its module, and another error when a module
// cannot be read.
func Check(ctx context.Context, root string) error {
	files, err := Files(ctx, root)
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := check(ctx, root, f); err != nil {
			return err
		}
	}
	return nil
}

// check is Check for the one file f.
func check(ctx context.Context, root string, f File) error {
	want, err := source(ctx, root, f)
	if err != nil {
		return err
	}
	got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f.Path)))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &DriftError{Path: f.Path, Missing: true, From: f.from()}
	case err != nil:
		return fmt.Errorf("read vendored file %s: %w", f.Path, err)
	case !bytes.Equal(got, want):
		return &DriftError{Path: f.Path, From: f.from()}
	}
	return nil
}

// Sync writes every vendored file under root (mode 0644, creating its
// directories) that is missing or differs from its module.
func Sync(ctx context.Context, root string) error {
	files, err := Files(ctx, root)
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := sync(ctx, root, f); err != nil {
			return err
		}
	}
	return nil
}

// sync is Sync for the one file f.
func sync(ctx context.Context, root string, f File) error {
	want, err := source(ctx, root, f)
	if err != nil {
		return err
	}
	dst := filepath.Join(root, filepath.FromSlash(f.Path))
	if got, err := os.ReadFile(dst); err != nil || !bytes.Equal(got, want) {
		if err := write(dst, want); err != nil {
			return fmt.Errorf("sync vendored file %s: %w", f.Path, err)
		}
	}
	// An existing file keeps its mode through WriteFile: set it either way.
	if err := os.Chmod(dst, 0o644); err != nil {
		return fmt.Errorf("sync vendored file %s: %w", f.Path, err)
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
	return moduleDir(ctx, dir, Module, Version)
}

// moduleDir is ModuleDir for module at version.
func moduleDir(ctx context.Context, dir, module, version string) (string, error) {
	mod := module + "@" + version
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

// source returns the contents of f in its module: from its local
// directory, or from the module cache after the go command has downloaded
// and verified it.
func source(ctx context.Context, root string, f File) ([]byte, error) {
	dir := f.dir
	if dir == "" {
		var err error
		if dir, err = moduleDir(ctx, root, f.Module, f.Version); err != nil {
			return nil, err
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Source)))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", f.from(), err)
	}
	return data, nil
}
