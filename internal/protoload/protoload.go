// Package protoload is for tests only: it compiles the catalog of the
// repository holding the working directory, the fictional Acme catalog
// that the engine's tests run on (Acme) and test fixtures beside it, in
// process with internal/protosrc, and makes the CodeGeneratorRequest a
// plugin would receive. Tests use it to run the model and the generators
// without spawning buf. No non-test package imports it.
package protoload

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/pluginpb"

	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protosrc"
)

// CompileCatalog compiles the catalog (proto/) of the repository holding
// the working directory (protosrc.CompileCatalog).
func CompileCatalog(ctx context.Context) (*protosrc.Catalog, error) {
	root, err := layout.FindRoot(".")
	if err != nil {
		return nil, fmt.Errorf("compile catalog: %w", err)
	}
	return protosrc.CompileCatalog(ctx, root)
}

// catalogModel is the repository's catalog and its model, built once per
// test binary.
var catalogModel = sync.OnceValues(func() (*CatalogModel, error) {
	cat, err := CompileCatalog(context.Background())
	if err != nil {
		return nil, err
	}
	c, err := model.FromFileDescriptorSet(cat.Set)
	if err != nil {
		return nil, fmt.Errorf("the catalog does not build:\n%w", err)
	}
	return &CatalogModel{Catalog: c, Root: cat.Root}, nil
})

// CatalogModel is the model of the repository's catalog and the root of
// the repository it was read from.
type CatalogModel struct {
	Catalog *model.Catalog
	Root    string
}

// LoadCatalogModel compiles the catalog (proto/) of the repository holding
// the working directory and builds its model, once for the whole test
// binary; every caller gets the same model, which must not be modified.
func LoadCatalogModel() (*CatalogModel, error) { return catalogModel() }

// CompileFixture compiles files, relative to dir, with the import paths of
// the repository holding the working directory after dir, so a fixture
// imports the vocabulary, validate.proto and the catalog's files.
func CompileFixture(ctx context.Context, dir string, files ...string) (*descriptorpb.FileDescriptorSet, error) {
	root, err := layout.FindRoot(".")
	if err != nil {
		return nil, fmt.Errorf("compile fixture: %w", err)
	}
	return protosrc.Compile(ctx, append([]string{dir}, layout.ImportPaths(root)...), files...)
}

// Acme is the fictional catalog of testdata/catalogs (Acme Notes 1.0),
// relative to the repository root: the small catalog the engine's tests
// run on, so that they do not change when the repository's own catalog
// does. AcmeV2 is its second version, with one change that gives less
// privacy.
const (
	Acme   = "testdata/catalogs/acme"
	AcmeV2 = "testdata/catalogs/acme-v2"
)

// CompileTree compiles every .proto file under dir, a slash path relative
// to the root of the repository holding the working directory (such as
// Acme), with the repository's import paths after dir (CompileFixture).
// The catalog's Root is that root and its Files are relative to dir.
func CompileTree(ctx context.Context, dir string) (*protosrc.Catalog, error) {
	root, err := layout.FindRoot(".")
	if err != nil {
		return nil, fmt.Errorf("compile %s: %w", dir, err)
	}
	abs := filepath.Join(root, filepath.FromSlash(dir))
	files, err := layout.ProtoFiles(abs)
	if err != nil {
		return nil, fmt.Errorf("compile %s: %w", dir, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("compile %s: no .proto file", dir)
	}
	set, err := protosrc.Compile(ctx, append([]string{abs}, layout.ImportPaths(root)...), files...)
	if err != nil {
		return nil, fmt.Errorf("compile %s: %w", dir, err)
	}
	return &protosrc.Catalog{Root: root, Files: files, Set: set}, nil
}

// Request makes the CodeGeneratorRequest buf or protoc would send a plugin
// asked to generate files, with parameter as its options.
func Request(set *descriptorpb.FileDescriptorSet, parameter string, files ...string) *pluginpb.CodeGeneratorRequest {
	req := &pluginpb.CodeGeneratorRequest{
		FileToGenerate: files,
		ProtoFile:      set.GetFile(),
	}
	if parameter != "" {
		req.Parameter = proto.String(parameter)
	}
	return req
}
