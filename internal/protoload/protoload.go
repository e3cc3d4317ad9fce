// Package protoload compiles .proto sources in process, the way buf and
// protoc do, into descriptors whose custom options are decoded with the
// extensions linked into this binary. Tests use it to run the model and
// the generators on fixtures without spawning buf.
package protoload

import (
	"context"
	"fmt"

	"github.com/bufbuild/protocompile"
	"github.com/bufbuild/protocompile/reporter"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/pluginpb"

	"github.com/provisionhq/provision/internal/layout"
)

// Compile compiles files (paths relative to one of importPaths) and returns
// them with all their imports, imports first, with source information.
// A syntax or link error is returned with its file:line:col.
func Compile(ctx context.Context, importPaths []string, files ...string) (*descriptorpb.FileDescriptorSet, error) {
	c := protocompile.Compiler{
		Resolver:       protocompile.WithStandardImports(&protocompile.SourceResolver{ImportPaths: importPaths}),
		SourceInfoMode: protocompile.SourceInfoStandard,
		Reporter:       reporter.NewReporter(nil, nil),
	}
	linked, err := c.Compile(ctx, files...)
	if err != nil {
		return nil, fmt.Errorf("compile %v: %w", files, err)
	}
	set := &descriptorpb.FileDescriptorSet{}
	seen := map[string]bool{}
	var add func(fd protoreflect.FileDescriptor) error
	add = func(fd protoreflect.FileDescriptor) error {
		if seen[fd.Path()] {
			return nil
		}
		seen[fd.Path()] = true
		imports := fd.Imports()
		for i := range imports.Len() {
			if err := add(imports.Get(i).FileDescriptor); err != nil {
				return err
			}
		}
		fdp, err := reresolve(protodesc.ToFileDescriptorProto(fd))
		if err != nil {
			return fmt.Errorf("%s: %w", fd.Path(), err)
		}
		set.File = append(set.File, fdp)
		return nil
	}
	for _, f := range linked {
		if err := add(f); err != nil {
			return nil, err
		}
	}
	return set, nil
}

// reresolve round-trips a descriptor through its wire form so that custom
// options decode as the generated extension types of this binary rather
// than as the compiler's dynamic messages.
func reresolve(fdp *descriptorpb.FileDescriptorProto) (*descriptorpb.FileDescriptorProto, error) {
	raw, err := proto.Marshal(fdp)
	if err != nil {
		return nil, fmt.Errorf("marshal descriptor: %w", err)
	}
	out := &descriptorpb.FileDescriptorProto{}
	if err := (proto.UnmarshalOptions{Resolver: protoregistry.GlobalTypes}).Unmarshal(raw, out); err != nil {
		return nil, fmt.Errorf("unmarshal descriptor: %w", err)
	}
	return out, nil
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

// Catalog is the repository's catalog compiled in process.
type Catalog struct {
	// Root is the repository root, the directory holding buf.yaml.
	Root string
	// Files are the catalog's .proto files, relative to proto/, in
	// lexical order (layout.CatalogFiles).
	Files []string
	// Set holds Files with all their imports, imports first (Compile).
	Set *descriptorpb.FileDescriptorSet
}

// CompileCatalog compiles the catalog (proto/) of the repository holding
// the working directory, with layout.ImportPaths as its import paths.
func CompileCatalog(ctx context.Context) (*Catalog, error) {
	root, err := layout.FindRoot(".")
	if err != nil {
		return nil, fmt.Errorf("compile catalog: %w", err)
	}
	files, err := layout.CatalogFiles(root)
	if err != nil {
		return nil, fmt.Errorf("compile catalog: %w", err)
	}
	set, err := Compile(ctx, layout.ImportPaths(root), files...)
	if err != nil {
		return nil, fmt.Errorf("compile catalog: %w", err)
	}
	return &Catalog{Root: root, Files: files, Set: set}, nil
}
