package model

import (
	"fmt"

	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
)

// FromPlugin builds the catalog from a protoc plugin request: every file
// of the request, generated or imported, so that a scenario sees its
// product and policy wherever they are declared.
func FromPlugin(p *protogen.Plugin) (*Catalog, error) {
	files := make([]protoreflect.FileDescriptor, 0, len(p.Files))
	for _, f := range p.Files {
		files = append(files, f.Desc)
	}
	return Build(files)
}

// FromFileDescriptorSet builds the catalog from a set of file descriptors
// holding every file and its imports.
func FromFileDescriptorSet(set *descriptorpb.FileDescriptorSet, opts ...Option) (*Catalog, error) {
	reg, err := protodesc.NewFiles(set)
	if err != nil {
		return nil, fmt.Errorf("model: link descriptors: %w", err)
	}
	files := make([]protoreflect.FileDescriptor, 0, reg.NumFiles())
	reg.RangeFiles(func(f protoreflect.FileDescriptor) bool {
		files = append(files, f)
		return true
	})
	return Build(files, opts...)
}

// FromImage builds the catalog from a buf image (buf build -o x.binpb) or
// a serialized FileDescriptorSet: buf images are wire-compatible with it.
// Options are decoded with the vocabulary linked into this binary.
func FromImage(data []byte, opts ...Option) (*Catalog, error) {
	set, err := ParseImage(data)
	if err != nil {
		return nil, err
	}
	return FromFileDescriptorSet(set, opts...)
}

// ParseImage decodes a buf image or serialized FileDescriptorSet, resolving
// custom options against the extensions linked into this binary.
func ParseImage(data []byte) (*descriptorpb.FileDescriptorSet, error) {
	set := &descriptorpb.FileDescriptorSet{}
	opts := proto.UnmarshalOptions{Resolver: protoregistry.GlobalTypes}
	if err := opts.Unmarshal(data, set); err != nil {
		return nil, fmt.Errorf("model: decode image: %w", err)
	}
	if len(set.GetFile()) == 0 {
		return nil, fmt.Errorf("model: decode image: no files")
	}
	return set, nil
}
