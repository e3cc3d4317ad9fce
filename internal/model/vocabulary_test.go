package model_test

import (
	"errors"
	"testing"

	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/model"
)

// TestVocabularyMismatch builds from a vocabulary whose fields changed
// type, as an image of an older release has: the catalog is refused with
// ErrVocabularyMismatch, not decoded into nonsense; added fields are fine.
func TestVocabularyMismatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		edit    func(*descriptorpb.FileDescriptorProto)
		wantErr error
	}{
		{"same", func(*descriptorpb.FileDescriptorProto) {}, nil},
		{"field added", func(fd *descriptorpb.FileDescriptorProto) {
			m := protoMessage(fd, "DataItem")
			m.Field = append(m.Field, &descriptorpb.FieldDescriptorProto{
				Name: ptr("future"), Number: ptr(int32(900)), Label: descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum(),
				Type: descriptorpb.FieldDescriptorProto_TYPE_STRING.Enum(), JsonName: ptr("future"),
			})
		}, nil},
		{"string became bytes", func(fd *descriptorpb.FileDescriptorProto) {
			protoField(protoMessage(fd, "DataItem"), "requires").Type = descriptorpb.FieldDescriptorProto_TYPE_BYTES.Enum()
		}, model.ErrVocabularyMismatch},
		{"single became repeated", func(fd *descriptorpb.FileDescriptorProto) {
			protoField(protoMessage(fd, "Scenario"), "agreement").Label = descriptorpb.FieldDescriptorProto_LABEL_REPEATED.Enum()
		}, model.ErrVocabularyMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fdp := protodesc.ToFileDescriptorProto(provisionv1.File_provision_v1_options_proto)
			tt.edit(fdp)
			f, err := protodesc.NewFile(fdp, protoregistry.GlobalFiles)
			if err != nil {
				t.Fatal(err)
			}
			_, err = model.Build([]protoreflect.FileDescriptor{f})
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("Build error = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func protoMessage(fd *descriptorpb.FileDescriptorProto, name string) *descriptorpb.DescriptorProto {
	for _, m := range fd.GetMessageType() {
		if m.GetName() == name {
			return m
		}
	}
	panic("no message " + name)
}

func protoField(m *descriptorpb.DescriptorProto, name string) *descriptorpb.FieldDescriptorProto {
	for _, f := range m.GetField() {
		if f.GetName() == name {
			return f
		}
	}
	panic("no field " + name)
}

func ptr[T any](v T) *T { return &v }
