package model_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"

	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protoload"
)

func mustMarshalSet(t *testing.T, file string) []byte {
	t.Helper()
	fdp := &descriptorpb.FileDescriptorProto{}
	if err := prototext.Unmarshal([]byte(file), fdp); err != nil {
		t.Fatal(err)
	}
	raw, err := proto.Marshal(&descriptorpb.FileDescriptorSet{File: []*descriptorpb.FileDescriptorProto{fdp}})
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// kinds is the message of testdata/kinds.proto, with a field of every
// kind an example is written for.
var kinds = sync.OnceValues(func() (protoreflect.MessageDescriptor, error) {
	set, err := protoload.CompileFixture(context.Background(), "testdata", "kinds.proto")
	if err != nil {
		return nil, err
	}
	files, err := protodesc.NewFiles(set)
	if err != nil {
		return nil, err
	}
	d, err := files.FindDescriptorByName("fixture.kinds.v1.Kinds")
	if err != nil {
		return nil, err
	}
	return d.(protoreflect.MessageDescriptor), nil
})

// field finds a field of testdata/kinds.proto by name.
func field(t testing.TB, name string) protoreflect.FieldDescriptor {
	t.Helper()
	md, err := kinds()
	if err != nil {
		t.Fatal(err)
	}
	fd := md.Fields().ByName(protoreflect.Name(name))
	if fd == nil {
		t.Fatalf("no field %s in %s", name, md.FullName())
	}
	return fd
}

func TestExampleJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		field, example string
		want           string
		wantErr        string
	}{
		{"text", "6.2.0.1234", `"6.2.0.1234"`, ""},
		{"text", `quote"d`, `"quote\"d"`, ""},
		{"os", "OS_LINUX", `"OS_LINUX"`, ""},
		{"at", "2024-03-14T09:26:53Z", `"2024-03-14T09:26:53Z"`, ""},
		{"ids", "KSC-14.2", `["KSC-14.2"]`, ""},
		{"count", "500", `500`, ""},
		{"count", "five", "", "not a valid uint32"},
		{"big", "4811235", `"4811235"`, ""},
		{"digest", "AAAA", `"AAAA"`, ""},
		{"pair", `{"type":"KVM"}`, `{"type":"KVM"}`, ""},
		{"pair", `{"type":`, "", "not a valid"},
	}
	for _, tt := range tests {
		t.Run(tt.field+"="+tt.example, func(t *testing.T) {
			t.Parallel()
			got, err := model.ExampleJSON(field(t, tt.field), tt.example)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ExampleJSON = %s, %v; want %s", got, err, tt.want)
			}
		})
	}
}

// FuzzExampleMessage feeds arbitrary example text to every kind of field
// (testdata/kinds.proto): parsing must fail with an error or give a
// message with the field set, never panic.
func FuzzExampleMessage(f *testing.F) {
	var fields []protoreflect.FieldDescriptor
	for _, name := range []string{"text", "os", "at", "ids", "count", "pair", "big", "digest"} {
		fields = append(fields, field(f, name))
	}
	for _, s := range []string{"1", "6.2", "OS_LINUX", "2024-03-14T09:26:53Z", `{"type":"x"}`, "AAAA", "-1", "1e99", `"`, "null"} {
		for i := range fields {
			f.Add(uint8(i), s)
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, example string) {
		fd := fields[int(which)%len(fields)]
		msg, err := model.ExampleMessage(fd, example)
		if err != nil {
			return
		}
		out, err := protojson.Marshal(msg)
		if err != nil {
			t.Fatalf("parsed example %q does not marshal: %v", example, err)
		}
		back := dynamicpb.NewMessage(fd.ContainingMessage())
		if err := protojson.Unmarshal(out, back); err != nil || !proto.Equal(msg, back) {
			t.Fatalf("example %q does not round-trip through %s: %v", example, out, err)
		}
	})
}
