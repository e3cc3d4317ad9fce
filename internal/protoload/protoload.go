// Package protoload is for tests only: it compiles the catalog of the
// repository holding the working directory, and test fixtures beside it,
// in process with internal/protosrc, and makes the CodeGeneratorRequest a
// plugin would receive. Tests use it to run the model and the generators
// without spawning buf. No non-test package imports it.
package protoload

import (
	"context"
	"fmt"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/pluginpb"

	"github.com/provisionhq/provision/internal/layout"
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
