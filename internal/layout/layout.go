// Package layout knows where things are in a provision repository: its
// root (the directory holding buf.yaml), the catalog's proto/ tree, the
// vocabulary's own module under vocabulary/ and the vendored protos under
// third_party/ that the catalog imports. Everything
// that looks for the repository or its .proto files asks here, so the
// layout is written down once.
package layout

import (
	"fmt"
	"os"
	"path/filepath"
)

const (
	// ProtoDir is the directory, relative to the root, of the catalog: one
	// buf module and import path.
	ProtoDir = "proto"
	// VocabularyDir is the directory, relative to the root, of the
	// provision vocabulary (provision/v1/options.proto): a buf module of
	// its own that the catalog depends on. In provision's repository it is
	// the vocabulary's source; in a catalog repository that `provision
	// init` created, a copy that internal/vendored keeps in sync.
	VocabularyDir = "vocabulary"
	// ThirdPartyDir is the directory, relative to the root, of the protos
	// copied from elsewhere (internal/vendored keeps them in sync).
	ThirdPartyDir = "third_party"
	// ValidateDir is the import path, relative to the root, of the vendored
	// buf/validate/validate.proto.
	ValidateDir = ThirdPartyDir + "/protovalidate"
)

// FindRoot returns the repository root: dir (relative to the working
// directory, "." for the working directory itself) or the nearest of its
// parents that holds buf.yaml.
func FindRoot(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("find repository root: %w", err)
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "buf.yaml")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("find repository root: no buf.yaml in %s or any parent", abs)
		}
	}
}

// ImportPaths are the import paths of the protos of the repository at
// root: the catalog (ProtoDir), the vocabulary (VocabularyDir) and the
// vendored validate.proto (ValidateDir).
func ImportPaths(root string) []string {
	return []string{filepath.Join(root, ProtoDir), filepath.Join(root, VocabularyDir), filepath.Join(root, filepath.FromSlash(ValidateDir))}
}

// CatalogFiles lists the .proto files of the catalog of the repository at
// root (those under ProtoDir), relative to ProtoDir, in lexical order.
func CatalogFiles(root string) ([]string, error) {
	files, err := ProtoFiles(filepath.Join(root, ProtoDir))
	if err != nil {
		return nil, fmt.Errorf("list catalog files: %w", err)
	}
	return files, nil
}

// ProtoFiles lists the .proto files under dir, relative to it, with
// forward slashes, in lexical order.
func ProtoFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && filepath.Ext(path) == ".proto" {
			rel, err := filepath.Rel(dir, path)
			if err != nil {
				return err
			}
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return files, nil
}

// RepoPath returns the path, relative to the repository root and with
// forward slashes, of the .proto file that compilers and buf images name
// by its import path file (relative to one of ImportPaths). Messages that
// point at a file use this path, as buf does, so that every tool names a
// file alike.
func RepoPath(root, file string) string {
	return FilePath(root, ImportPaths(root), file)
}

// FilePath returns where the .proto file named file, relative to one of
// the import paths imports, is: relative to root with forward slashes
// when it is under root, else the path on disk. The first import path
// that holds the file wins, as in the compiler; a file none of them holds
// is returned unchanged.
func FilePath(root string, imports []string, file string) string {
	if filepath.IsAbs(file) {
		return file
	}
	for _, dir := range imports {
		path := filepath.Join(dir, filepath.FromSlash(file))
		if _, err := os.Stat(path); err != nil {
			continue
		}
		abs, err := filepath.Abs(path)
		if err != nil {
			return path
		}
		if rel, err := filepath.Rel(root, abs); err == nil && filepath.IsLocal(rel) {
			return filepath.ToSlash(rel)
		}
		return abs
	}
	return file
}
