package conformance_test

import (
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/dynamicpb"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/model"
)

type (
	redactionT = provisionv1.Redaction
)

func underRedactions(f *model.Field) []*redactionT {
	var out []*redactionT
	for _, u := range f.Item.GetRedactionUnder() {
		out = append(out, u.GetRedaction())
	}
	return out
}

// protoreflectNew returns a new message of the field's message type: the
// generated one when linked, else a dynamic one.
func protoreflectNew(fd protoreflect.FieldDescriptor) protoreflect.Message {
	if mt, err := protoregistry.GlobalTypes.FindMessageByName(fd.Message().FullName()); err == nil {
		return mt.New()
	}
	return dynamicpb.NewMessage(fd.Message())
}
