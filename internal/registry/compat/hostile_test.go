package compat

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
)

// TestImportedTypeDAG checks that an imported type reached by
// exponentially many paths (each level uses the next twice) is compared
// once per pair of types, not once per path.
func TestImportedTypeDAG(t *testing.T) {
	t.Parallel()
	const levels = 60
	dep := func(leaf string) string {
		var b strings.Builder
		b.WriteString("syntax = \"proto3\"; package d;\n")
		for i := range levels {
			fmt.Fprintf(&b, "message L%d { L%d a = 1; L%d b = 2; }\n", i, i+1, i+1)
		}
		fmt.Fprintf(&b, "message L%d { %s x = 1; }\n", levels, leaf)
		return b.String()
	}
	main := "import \"dep.proto\"; message M { d.L0 root = 1; }"
	oldFD := compile(t, main, map[string]string{"dep.proto": dep("int32")})
	newFD := compile(t, main, map[string]string{"dep.proto": dep("string")})
	diffs, err := Check(Backward, newFD, []protoreflect.FileDescriptor{oldFD})
	if err != nil {
		t.Fatal(err)
	}
	count := map[Rule]int{}
	for _, d := range diffs {
		count[d.Rule]++
	}
	// The leaf's kind once; a named-type change at each of the 2 fields of
	// each level and at M.root.
	want := map[Rule]int{RuleFieldScalarKindChanged: 1, RuleFieldNamedTypeChanged: 2*levels + 1}
	if d := cmp.Diff(want, count); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestManyRemovedFields checks the reserved rule on a message that lost
// many fields, each reserved by a range of its own, and one not reserved.
func TestManyRemovedFields(t *testing.T) {
	t.Parallel()
	const n = 20000
	oldMsg := &descriptorpb.DescriptorProto{Name: proto.String("M")}
	newMsg := &descriptorpb.DescriptorProto{Name: proto.String("M")}
	for i := int32(1); i <= n; i++ {
		oldMsg.Field = append(oldMsg.Field, &descriptorpb.FieldDescriptorProto{
			Name: proto.String(fmt.Sprintf("f%d", i)), Number: proto.Int32(i),
			Label: descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum(), Type: descriptorpb.FieldDescriptorProto_TYPE_INT32.Enum(),
		})
		if i != n/2 {
			newMsg.ReservedRange = append(newMsg.ReservedRange, &descriptorpb.DescriptorProto_ReservedRange{
				Start: proto.Int32(i), End: proto.Int32(i + 1),
			})
		}
	}
	file := func(m *descriptorpb.DescriptorProto) protoreflect.FileDescriptor {
		s := schema{main: &descriptorpb.FileDescriptorProto{
			Name: proto.String("big.proto"), Package: proto.String("t"), Syntax: proto.String("proto3"),
			MessageType: []*descriptorpb.DescriptorProto{m},
		}}
		fd, err := s.build()
		if err != nil {
			t.Fatal(err)
		}
		return fd
	}
	diffs, err := Check(Full.RequireReserved(), file(newMsg), []protoreflect.FileDescriptor{file(oldMsg)})
	if err != nil {
		t.Fatal(err)
	}
	if len(diffs) != 1 || diffs[0].Rule != RuleFieldNumberNotReserved || diffs[0].Path != fmt.Sprintf("t.M.f%d", n/2) {
		t.Errorf("differences: %v", diffs)
	}
}

func TestNumberRanges(t *testing.T) {
	t.Parallel()
	rs := merged(numberRanges{{10, 12}, {1, 1}, {13, 13}, {5, 8}, {6, 7}, {20, 30}})
	if d := cmp.Diff(numberRanges{{1, 1}, {5, 8}, {10, 13}, {20, 30}}, rs); d != "" {
		t.Errorf("merged (-want +got):\n%s", d)
	}
	tests := []struct {
		n    int64
		want bool
	}{{0, false}, {1, true}, {2, false}, {5, true}, {8, true}, {9, false}, {13, true}, {14, false}, {30, true}, {31, false}}
	for _, tt := range tests {
		if got := rs.has(tt.n); got != tt.want {
			t.Errorf("has(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
	if (numberRanges{}).has(1) {
		t.Error("an empty set has 1")
	}
}
