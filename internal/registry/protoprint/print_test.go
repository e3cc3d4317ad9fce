package protoprint_test

import (
	"context"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/bufbuild/protocompile"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protosrc"
	"github.com/provisionhq/provision/internal/registry/protoprint"
)

// TestRoundTrip prints every file of the catalog, the vocabulary and
// buf/validate, compiles the printed text again and compares the
// descriptors, source information and JSON names left out.
func TestRoundTrip(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..", "..")
	cat, err := protosrc.CompileCatalog(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	files, err := protodesc.NewFiles(cat.Set)
	if err != nil {
		t.Fatal(err)
	}
	printed := map[string]string{}
	files.RangeFiles(func(fd protoreflect.FileDescriptor) bool {
		if strings.HasPrefix(fd.Path(), "google/protobuf/") {
			return true
		}
		text, err := protoprint.Print(fd)
		if err != nil {
			t.Fatal(err)
		}
		if again, _ := protoprint.Print(fd); again != text {
			t.Errorf("%s prints differently twice", fd.Path())
		}
		printed[fd.Path()] = text
		return true
	})
	c := protocompile.Compiler{Resolver: protocompile.WithStandardImports(&protocompile.SourceResolver{
		Accessor: protocompile.SourceAccessorFromMap(printed),
	})}
	var names []string
	for name := range printed {
		names = append(names, name)
	}
	linked, err := c.Compile(context.Background(), names...)
	if err != nil {
		t.Fatalf("compile the printed files: %v", err)
	}
	got := &descriptorpb.FileDescriptorSet{}
	for _, f := range linked {
		got.File = append(got.File, protodesc.ToFileDescriptorProto(f))
	}
	got = reparse(t, got)
	want := reparse(t, cat.Set)
	byName := map[string]*descriptorpb.FileDescriptorProto{}
	for _, f := range want.File {
		byName[f.GetName()] = f
	}
	for _, g := range got.File {
		w := byName[g.GetName()]
		if diff := cmp.Diff(w, g, protocmp.Transform()); diff != "" {
			t.Errorf("%s: printed and compiled again differs (-want +got):\n%s\nprinted:\n%s", g.GetName(), diff, printed[g.GetName()])
		}
	}
}

// reparse decodes options as this binary's types and drops what printing
// does not keep: source information and JSON names.
func reparse(t *testing.T, set *descriptorpb.FileDescriptorSet) *descriptorpb.FileDescriptorSet {
	t.Helper()
	raw, err := proto.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	out, err := model.ParseImage(raw)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range out.File {
		f.SourceCodeInfo = nil
		var clear func(ms []*descriptorpb.DescriptorProto)
		clear = func(ms []*descriptorpb.DescriptorProto) {
			for _, m := range ms {
				for _, fd := range m.Field {
					fd.JsonName = nil
				}
				clear(m.NestedType)
			}
		}
		clear(f.MessageType)
		for _, x := range f.Extension {
			x.JsonName = nil
		}
	}
	return out
}
