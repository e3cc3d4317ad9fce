package jsonschema

import (
	"reflect"
	"testing"

	js "github.com/invopop/jsonschema"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/types/descriptorpb"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/impl"
)

// TestRedactedShapeEveryStrategy checks that every strategy that changes
// a value has its own shape: keep sends the value as collected and drop
// sends nothing, so only those have none.
func TestRedactedShapeEveryStrategy(t *testing.T) {
	t.Parallel()
	var fdp descriptorpb.FileDescriptorProto
	if err := prototext.Unmarshal([]byte(`name: "shape.proto" package: "fixture.shape.v1" syntax: "proto3"
message_type {
  name: "M"
  field { name: "s" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING }
  field { name: "n" number: 2 label: LABEL_OPTIONAL type: TYPE_INT64 }
}`), &fdp); err != nil {
		t.Fatal(err)
	}
	file, err := protodesc.NewFile(&fdp, nil)
	if err != nil {
		t.Fatal(err)
	}
	fields := file.Messages().Get(0).Fields()
	od := (&provisionv1.Redaction{}).ProtoReflect().Descriptor().Oneofs().ByName("strategy")
	for i := range od.Fields().Len() {
		cd := od.Fields().Get(i)
		r := &provisionv1.Redaction{}
		r.ProtoReflect().Set(cd, r.ProtoReflect().NewField(cd))
		if b := r.GetBucket(); b != nil {
			b.Bounds = []float64{0, 10} // the vocabulary requires one at least
		}
		k := impl.StrategyKindOf(r)
		for j := range fields.Len() {
			fd := fields.Get(j)
			if !k.Fits(fd.Kind()) {
				continue
			}
			got := redactedShape(fd, nil, r)
			if none := reflect.DeepEqual(got, &js.Schema{}); none != (k == impl.StrategyKeep || k == impl.StrategyDrop) {
				t.Errorf("redactedShape(%s, %s) = %+v", fd.Kind(), cd.Name(), got)
			}
		}
	}
}
