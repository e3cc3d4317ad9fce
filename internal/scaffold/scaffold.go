// Package scaffold creates a new catalog repository for another company:
// the layout of provision's own (proto/, vocabulary/, third_party/, gen/,
// docs/, i18n/), a go.mod whose tool directives run provision's CLI and
// plugins at a version of the provision module (so the repository holds
// no copy of provision's code), buf.yaml with the privacy lint and
// breaking rules, buf.gen.yaml, a CI script, a README and a sample catalog
// of the fictional Acme Telemetry Ltd. It is what `provision init` runs.
package scaffold

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/provisionhq/provision/internal/gocmd"
	"github.com/provisionhq/provision/internal/vendored"
)

// BufVersion is the version of buf that a new repository's tools/go.mod
// requires: the one provision's own tools/go.mod pins
// (TestBufVersionPinned).
const BufVersion = "v1.75.0"

// skeleton holds the files of a new repository, each named with a .tmpl
// suffix so that the go command and buf leave them alone here. The sample
// catalog under proto/ is a copy of the fictional Acme catalog of
// testdata/catalogs/acme (TestSampleIsAcme).
//
//go:embed all:skeleton
var skeleton embed.FS

const (
	skeletonDir = "skeleton"
	suffix      = ".tmpl"
	// sampleGoPackage is the prefix of the sample's go_package options,
	// replaced by the new repository's module path.
	sampleGoPackage = `"example.com/acme/gen/go/`
)

// Options says what a new repository depends on.
type Options struct {
	// Module is the Go module path of the new repository
	// ("example.com/acme/catalog").
	Module string
	// Version is the version of the provision module its go.mod requires.
	Version string
	// Replace, when not empty, is a directory holding the provision
	// module that go.mod resolves it to instead (a replace directive): a
	// checkout of provision, for its own tests and for development.
	Replace string
}

// ErrNotEmpty is returned when the directory of a new repository exists
// and is not empty: scaffold never overwrites a file.
var ErrNotEmpty = errors.New("directory exists and is not empty")

// Create writes a new repository into dir (Write), resolves its Go
// modules (go mod tidy in dir and in dir/tools) and copies the vocabulary
// and buf/validate into it from their modules, checksum-verified by the go
// command (vendored.Sync).
func Create(ctx context.Context, dir string, o Options) error {
	if err := Write(dir, o); err != nil {
		return err
	}
	for _, mod := range []string{".", "tools"} {
		if _, err := gocmd.Run(ctx, filepath.Join(dir, mod), "mod", "tidy"); err != nil {
			return fmt.Errorf("init %s: resolve %s: %w", dir, path.Join(mod, "go.mod"), err)
		}
	}
	if err := vendored.Sync(ctx, dir); err != nil {
		return fmt.Errorf("init %s: %w", dir, err)
	}
	return nil
}

// Write writes the files of a new repository into dir, creating it. It
// refuses a dir that exists and is not empty, and options that would make
// an invalid go.mod.
func Write(dir string, o Options) error {
	if err := o.check(); err != nil {
		return fmt.Errorf("init %s: %w", dir, err)
	}
	entries, err := os.ReadDir(dir)
	switch {
	case err == nil && len(entries) > 0:
		return fmt.Errorf("init %s: %w", dir, ErrNotEmpty)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("init %s: %w", dir, err)
	}
	files, err := o.files()
	if err != nil {
		return fmt.Errorf("init %s: %w", dir, err)
	}
	for name, data := range files {
		dst := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return fmt.Errorf("init %s: %w", dir, err)
		}
		mode := os.FileMode(0o644)
		if name == ".ci/run" {
			mode = 0o755
		}
		if err := os.WriteFile(dst, data, mode); err != nil {
			return fmt.Errorf("init %s: %w", dir, err)
		}
	}
	return nil
}

// files returns the files of a new repository with the options o, by
// slash-separated path.
func (o Options) files() (map[string][]byte, error) {
	replace := ""
	if o.Replace != "" {
		replace = "\nreplace " + vendored.ProvisionModule + " => " + o.Replace + "\n"
	}
	fill := strings.NewReplacer(
		"{{MODULE}}", o.Module,
		"{{PROVISION_VERSION}}", o.Version,
		"{{BUF_VERSION}}", BufVersion,
		"{{REPLACE}}", replace,
	)
	files := make(map[string][]byte)
	err := fs.WalkDir(skeleton, skeletonDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := skeleton.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimSuffix(strings.TrimPrefix(p, skeletonDir+"/"), suffix)
		text := string(data)
		if path.Ext(name) == ".proto" {
			// The sample's own text is Acme's, word for word: only its Go
			// packages move into the new module.
			text = strings.ReplaceAll(text, sampleGoPackage, `"`+o.Module+"/gen/go/")
		} else {
			text = fill.Replace(text)
		}
		files[name] = []byte(text)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read skeleton: %w", err)
	}
	return files, nil
}

// check refuses options that would write an invalid go.mod.
func (o Options) check() error {
	if err := checkModulePath(o.Module); err != nil {
		return err
	}
	if !strings.HasPrefix(o.Version, "v") || strings.ContainsFunc(o.Version, unicode.IsSpace) {
		return fmt.Errorf("version %q of %s: want a module version such as v1.2.3", o.Version, vendored.ProvisionModule)
	}
	if o.Replace != "" && !filepath.IsAbs(o.Replace) {
		return fmt.Errorf("replace %q: want an absolute directory", o.Replace)
	}
	if strings.ContainsAny(o.Replace, "\n\"`") {
		return fmt.Errorf("replace %q: a directory name with a newline or quote cannot be written in go.mod", o.Replace)
	}
	return nil
}

// checkModulePath refuses a module path that go.mod cannot hold or that
// the go command rejects: empty, with spaces or quotes, a leading dash or
// dot, an empty or dot-only element.
func checkModulePath(p string) error {
	bad := func(why string) error { return fmt.Errorf("module path %q: %s", p, why) }
	switch {
	case p == "":
		return bad("empty")
	case strings.HasPrefix(p, "-"):
		return bad("starts with a dash")
	}
	for _, r := range p {
		ok := r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-._~/", r))
		if !ok {
			return bad(fmt.Sprintf("character %q is not allowed", r))
		}
	}
	for _, elem := range strings.Split(p, "/") {
		if elem == "" || strings.Trim(elem, ".") == "" || strings.HasPrefix(elem, ".") || strings.HasSuffix(elem, ".") {
			return bad(fmt.Sprintf("element %q is empty or starts or ends with a dot", elem))
		}
	}
	return nil
}
