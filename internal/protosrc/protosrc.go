// Package protosrc compiles .proto sources in process, the way buf and
// protoc do, into descriptors whose custom options are decoded with the
// extensions linked into this binary, so the model reads them without
// spawning buf. The CLI compiles the catalog versions it compares with it
// (internal/catalogref); the tests compile their fixtures with it, through
// internal/protoload.
package protosrc

import (
	"context"
	"errors"
	"fmt"

	"github.com/bufbuild/protocompile"
	"github.com/bufbuild/protocompile/reporter"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/provisionhq/provision/internal/layout"
)

// Compile compiles files (paths relative to one of importPaths) and returns
// them with all their imports, imports first, with source information.
// A syntax or link error is returned with its file:line:col.
func Compile(ctx context.Context, importPaths []string, files ...string) (*descriptorpb.FileDescriptorSet, error) {
	return compile(ctx, protocompile.SourceInfoStandard, importPaths, files)
}

// CompileAsBuf is Compile with the source information buf's images carry:
// also the location of every element of an option's message literal, so
// that a finding can point at one storage country of a list, as buf
// breaking does.
func CompileAsBuf(ctx context.Context, importPaths []string, files ...string) (*descriptorpb.FileDescriptorSet, error) {
	return compile(ctx, protocompile.SourceInfoStandard|protocompile.SourceInfoExtraOptionLocations, importPaths, files)
}

func compile(ctx context.Context, mode protocompile.SourceInfoMode, importPaths, files []string) (*descriptorpb.FileDescriptorSet, error) {
	c := protocompile.Compiler{
		Resolver:       protocompile.WithStandardImports(&protocompile.SourceResolver{ImportPaths: importPaths}),
		SourceInfoMode: mode,
		Reporter:       reporter.NewReporter(nil, nil),
	}
	linked, err := c.Compile(ctx, files...)
	var located reporter.ErrorWithPos
	if errors.As(err, &located) {
		// The error names its file and place: the list of files would
		// only hide it.
		return nil, fmt.Errorf("compile: %w", err)
	}
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

// Located returns err, an error of Compile, with the file of its position
// named by name(file) instead of by its path relative to an import path;
// an error without a position is returned as it is.
func Located(err error, name func(file string) string) error {
	var located reporter.ErrorWithPos
	if !errors.As(err, &located) {
		return err
	}
	pos := located.GetPosition()
	return fmt.Errorf("%s:%d:%d: %w", name(pos.Filename), pos.Line, pos.Col, located.Unwrap())
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

// Catalog is a repository's catalog compiled in process.
type Catalog struct {
	// Root is the root of the repository it was compiled from.
	Root string
	// Files are the catalog's .proto files, relative to proto/, in
	// lexical order (layout.CatalogFiles).
	Files []string
	// Set holds Files with all their imports, imports first (Compile).
	Set *descriptorpb.FileDescriptorSet
}

// CompileCatalog compiles the catalog (proto/) of the repository at root,
// with layout.ImportPaths as its import paths.
func CompileCatalog(ctx context.Context, root string) (*Catalog, error) {
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
