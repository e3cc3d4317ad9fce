package impl_test

import (
	"testing"

	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
	_ "google.golang.org/protobuf/types/known/timestamppb" // for payloadFile

	"github.com/provisionhq/provision/internal/impl"
)

// payloadFile is a tiny file with every sort of field IsPayloadMessage
// tells apart.
const payloadFile = `
name: "payload.proto" package: "fixture.payload.v1" syntax: "proto3"
dependency: "google/protobuf/timestamp.proto"
message_type { name: "Child" }
message_type {
  name: "Parent"
  field { name: "child" number: 1 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".fixture.payload.v1.Child" }
  field { name: "children" number: 2 label: LABEL_REPEATED type: TYPE_MESSAGE type_name: ".fixture.payload.v1.Child" }
  field { name: "by_name" number: 3 label: LABEL_REPEATED type: TYPE_MESSAGE type_name: ".fixture.payload.v1.Parent.ByNameEntry" }
  field { name: "counts" number: 4 label: LABEL_REPEATED type: TYPE_MESSAGE type_name: ".fixture.payload.v1.Parent.CountsEntry" }
  field { name: "at" number: 5 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".google.protobuf.Timestamp" }
  field { name: "times" number: 6 label: LABEL_REPEATED type: TYPE_MESSAGE type_name: ".fixture.payload.v1.Parent.TimesEntry" }
  field { name: "name" number: 7 label: LABEL_OPTIONAL type: TYPE_STRING }
  nested_type {
    name: "ByNameEntry" options { map_entry: true }
    field { name: "key" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING }
    field { name: "value" number: 2 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".fixture.payload.v1.Child" }
  }
  nested_type {
    name: "CountsEntry" options { map_entry: true }
    field { name: "key" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING }
    field { name: "value" number: 2 label: LABEL_OPTIONAL type: TYPE_INT64 }
  }
  nested_type {
    name: "TimesEntry" options { map_entry: true }
    field { name: "key" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING }
    field { name: "value" number: 2 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".google.protobuf.Timestamp" }
  }
}
`

func TestIsPayloadMessage(t *testing.T) {
	t.Parallel()
	var fdp descriptorpb.FileDescriptorProto
	if err := prototext.Unmarshal([]byte(payloadFile), &fdp); err != nil {
		t.Fatal(err)
	}
	fd, err := protodesc.NewFile(&fdp, protoregistry.GlobalFiles)
	if err != nil {
		t.Fatal(err)
	}
	fields := fd.Messages().ByName("Parent").Fields()
	want := map[protoreflect.Name]bool{
		"child": true, "children": true, "by_name": true,
		"counts": false, "at": false, "times": false, "name": false,
	}
	for i := range fields.Len() {
		f := fields.Get(i)
		if got := impl.IsPayloadMessage(f); got != want[f.Name()] {
			t.Errorf("IsPayloadMessage(%s) = %v, want %v", f.Name(), got, want[f.Name()])
		}
	}
}
