// Package catalogref loads a version of the catalog named on a command
// line: a directory of .proto files, a buf image file, or a git ref of the
// repository. It is what `provision diff OLD NEW` reads both sides with.
// Each is built as a baseline (model.AsBaseline): a version released
// before the vocabulary required provenance still loads.
package catalogref

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protosrc"
	"github.com/provisionhq/provision/internal/suggest"
)

// Load returns the checked catalog ref names, for the repository at root:
//
//   - an existing directory: its .proto files are compiled as a proto
//     tree, with the repository's proto/ and vendored validate.proto as
//     further import paths, so a directory holding one product package
//     (testdata/versions/…) finds the vocabulary. A directory that
//     declares no policy takes the policies the repository declares:
//     policies are company-wide, not part of a product's version;
//   - an existing file: a buf image (buf build -o FILE) or serialized
//     FileDescriptorSet;
//   - anything else: a git ref of the repository, whose proto/ and
//     third_party/ are read with git archive and compiled on their own.
func Load(ctx context.Context, root, ref string) (*model.Catalog, error) {
	info, err := os.Stat(ref)
	switch {
	case err == nil && info.IsDir():
		return loadDir(ctx, root, ref)
	case err == nil:
		data, err := os.ReadFile(ref)
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", ref, err)
		}
		c, err := model.FromImage(data, model.AsBaseline())
		if err != nil {
			return nil, fmt.Errorf("load image %s: %w", ref, err)
		}
		return c, nil
	case errors.Is(err, os.ErrNotExist):
		return loadGitRef(ctx, root, ref)
	}
	return nil, fmt.Errorf("load %s: %w", ref, err)
}

func loadDir(ctx context.Context, root, dir string) (*model.Catalog, error) {
	files, err := layout.ProtoFiles(dir)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", dir, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("load %s: no .proto files", dir)
	}
	if !declaresPolicy(dir, files) {
		repoFiles, err := layout.CatalogFiles(root)
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", dir, err)
		}
		for _, f := range repoFiles {
			if declaresPolicy(filepath.Join(root, layout.ProtoDir), []string{f}) {
				files = append(files, f)
			}
		}
	}
	imports := append([]string{dir}, layout.ImportPaths(root)...)
	return compile(ctx, root, dir, imports, files)
}

// compile compiles files, relative to imports, and checks their catalog.
// Errors and findings name each file by its path relative to root (the
// repository, or the tree of a git ref), as buf does, and a misspelled
// option field is named with what it was meant to be.
func compile(ctx context.Context, root, what string, imports, files []string) (*model.Catalog, error) {
	where := func(file string) string { return layout.FilePath(root, imports, file) }
	set, err := protosrc.CompileAsBuf(ctx, imports, files...)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", what, suggest.Error(root, protosrc.Located(err, where)))
	}
	c, err := model.FromFileDescriptorSet(set, model.AsBaseline())
	if ds, ok := err.(model.Diagnostics); ok {
		err = ds.Relocate(where)
	}
	if err != nil {
		return nil, fmt.Errorf("load %s:\n%w", what, err)
	}
	return c, nil
}

// declaresPolicy reports whether one of files (relative to dir) sets the
// (provision.v1.policy) file option.
func declaresPolicy(dir string, files []string) bool {
	for _, f := range files {
		src, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f)))
		if err == nil && bytes.Contains(src, []byte("option (provision.v1.policy)")) {
			return true
		}
	}
	return false
}

// loadGitRef extracts proto/, vocabulary/ and third_party/ at ref into a
// temporary directory and compiles the catalog found there.
func loadGitRef(ctx context.Context, root, ref string) (*model.Catalog, error) {
	if strings.HasPrefix(ref, "-") {
		return nil, fmt.Errorf("load %q: not a directory, a file or a git ref", ref)
	}
	if _, err := git(ctx, root, "rev-parse", "--verify", "--quiet", ref+"^{commit}"); err != nil {
		return nil, fmt.Errorf("load %q: not a directory, a file or a git ref of %s", ref, root)
	}
	// The vocabulary has its own directory since it became a module of
	// its own; an older ref keeps it under proto/.
	dirs := []string{layout.ProtoDir, layout.ThirdPartyDir}
	if _, err := git(ctx, root, "cat-file", "-e", ref+":"+layout.VocabularyDir); err == nil {
		dirs = append(dirs, layout.VocabularyDir)
	}
	archive, err := git(ctx, root, append([]string{"archive", "--format=tar", ref, "--"}, dirs...)...)
	if err != nil {
		return nil, fmt.Errorf("load git ref %s: %w", ref, err)
	}
	tmp, err := os.MkdirTemp("", "provision-ref-")
	if err != nil {
		return nil, fmt.Errorf("load git ref %s: %w", ref, err)
	}
	defer os.RemoveAll(tmp)
	if err := untar(bytes.NewReader(archive), tmp); err != nil {
		return nil, fmt.Errorf("load git ref %s: %w", ref, err)
	}
	files, err := layout.CatalogFiles(tmp)
	if err != nil {
		return nil, fmt.Errorf("load git ref %s: %w", ref, err)
	}
	return compile(ctx, tmp, "git ref "+ref, layout.ImportPaths(tmp), files)
}

func git(ctx context.Context, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// untar writes the regular files of a tar stream under dir, refusing
// names that would leave it.
func untar(r io.Reader, dir string) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read archive: %w", err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		name := filepath.FromSlash(h.Name)
		if !filepath.IsLocal(name) {
			return fmt.Errorf("read archive: file name %q leaves the directory", h.Name)
		}
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		_, err = io.Copy(f, io.LimitReader(tr, 64<<20))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("write %s: %w", h.Name, err)
		}
	}
}
