package model_test

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"

	"github.com/provisionhq/provision/internal/model"
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

// field finds a field of the catalog by scenario ID and path.
func field(t testing.TB, scenario, path string) protoreflect.FieldDescriptor {
	t.Helper()
	s, ok := loadCatalog(t).Scenario(scenario)
	if !ok {
		t.Fatalf("no scenario %s", scenario)
	}
	var fd protoreflect.FieldDescriptor
	s.Walk(func(f *model.Field) bool {
		if f.Path == path {
			fd = f.Desc
		}
		return fd == nil
	})
	if fd == nil {
		t.Fatalf("no field %s in %s", path, scenario)
	}
	return fd
}

func TestExampleJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		scenario, path, example string
		want                    string
		wantErr                 string
	}{
		{"ksvla.update", "full_version", "6.2.0.1234", `"6.2.0.1234"`, ""},
		{"ksvla.update", "full_version", `quote"d`, `"quote\"d"`, ""},
		{"ksvla.activation", "os_type", "OS_TYPE_LINUX", `"OS_TYPE_LINUX"`, ""},
		{"ksvla.activation", "activation_time", "2024-03-14T09:26:53Z", `"2024-03-14T09:26:53Z"`, ""},
		{"ksvla.activation", "compatible_application_ids", "KSC-14.2", `["KSC-14.2"]`, ""},
		{"ksvla.license-statistics", "licensing_units_allowed", "500", `500`, ""},
		{"ksvla.license-statistics", "licensing_units_allowed", "five", "", "not a valid uint32"},
		{"ksvla.ksn-standard", "file_scan.detected_threat_id", "4811235", `"4811235"`, ""},
		{"ksvla.license-statistics", "hypervisor", `{"type":"KVM"}`, `{"type":"KVM"}`, ""},
		{"ksvla.license-statistics", "hypervisor", `{"type":`, "", "not a valid"},
	}
	for _, tt := range tests {
		t.Run(tt.path+"="+tt.example, func(t *testing.T) {
			t.Parallel()
			got, err := model.ExampleJSON(field(t, tt.scenario, tt.path), tt.example)
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
// the catalog has: parsing must fail with an error or give a message with
// the field set, never panic.
func FuzzExampleMessage(f *testing.F) {
	fields := []protoreflect.FieldDescriptor{
		field(f, "ksvla.update", "full_version"),
		field(f, "ksvla.activation", "os_type"),
		field(f, "ksvla.activation", "activation_time"),
		field(f, "ksvla.activation", "compatible_application_ids"),
		field(f, "ksvla.license-statistics", "licensing_units_allowed"),
		field(f, "ksvla.license-statistics", "hypervisor"),
		field(f, "ksvla.ksn-standard", "file_scan.detected_threat_id"),
		field(f, "ksvla.ksn-standard", "file_scan.scanned_object_checksum"),
	}
	for _, s := range []string{"1", "6.2", "OS_TYPE_LINUX", "2024-03-14T09:26:53Z", `{"type":"x"}`, "AAAA", "-1", "1e99", `"`, "null"} {
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
