package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"buf.build/go/protovalidate"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"
)

// ExampleJSON returns the protojson value of a field's example: the text
// as the vocabulary writes it (strings as they are, numbers in decimal,
// enums by name, bytes in base64, timestamps in RFC 3339, messages and maps
// as protojson objects), quoted where protojson wants a string. A repeated
// field's example is one element; the value returned is then a one-element
// array.
func ExampleJSON(fd protoreflect.FieldDescriptor, example string) (string, error) {
	var elem string
	switch {
	case fd.IsMap():
		elem = example
	case fd.Message() != nil && !quotedWellKnown(fd.Message()):
		elem = example
	case quotedKind(fd):
		q, err := json.Marshal(example)
		if err != nil {
			return "", fmt.Errorf("quote example: %w", err)
		}
		elem = string(q)
	default:
		elem = example
	}
	if !json.Valid([]byte(elem)) {
		return "", fmt.Errorf("not a valid %s value", typeName(fd))
	}
	if fd.IsList() {
		return "[" + elem + "]", nil
	}
	return elem, nil
}

// quotedKind reports whether protojson writes the field's scalar values as
// JSON strings.
func quotedKind(fd protoreflect.FieldDescriptor) bool {
	switch fd.Kind() {
	case protoreflect.StringKind, protoreflect.BytesKind, protoreflect.EnumKind,
		protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind,
		protoreflect.Uint64Kind, protoreflect.Fixed64Kind, protoreflect.MessageKind:
		return true
	}
	return false
}

// quotedWellKnown reports whether protojson writes the message as a JSON
// string (Timestamp, Duration, FieldMask).
func quotedWellKnown(md protoreflect.MessageDescriptor) bool {
	switch md.FullName() {
	case "google.protobuf.Timestamp", "google.protobuf.Duration", "google.protobuf.FieldMask":
		return true
	}
	return false
}

// ExampleMessage returns a message of the field's containing type with
// only the field set to its example.
func ExampleMessage(fd protoreflect.FieldDescriptor, example string) (*dynamicpb.Message, error) {
	value, err := ExampleJSON(fd, example)
	if err != nil {
		return nil, err
	}
	msg := dynamicpb.NewMessage(fd.ContainingMessage())
	doc := fmt.Sprintf("{%q:%s}", fd.JSONName(), value)
	if err := protojson.Unmarshal([]byte(doc), msg); err != nil {
		return nil, fmt.Errorf("parse as %s: %w", typeName(fd), stripProtojsonPrefix(err))
	}
	return msg, nil
}

// checkExample parses the example as the field's type and runs the field's
// own validation rules on it; rules of other fields and of the message as
// a whole are not the example's concern.
func (b *builder) checkExample(fd protoreflect.FieldDescriptor, example string) error {
	msg, err := ExampleMessage(fd, example)
	if err != nil {
		return err
	}
	err = b.validator.Validate(msg)
	if err == nil {
		return nil
	}
	var verr *protovalidate.ValidationError
	if !asValidationError(err, &verr) {
		return fmt.Errorf("validate: %w", err)
	}
	var msgs []string
	for _, v := range verr.Violations {
		elems := v.Proto.GetField().GetElements()
		if len(elems) == 0 || elems[0].GetFieldNumber() != int32(fd.Number()) {
			continue
		}
		msgs = append(msgs, v.Proto.GetMessage())
	}
	if len(msgs) == 0 {
		return nil
	}
	return errors.New("fails the field's rules: " + strings.Join(msgs, "; "))
}

func asValidationError(err error, target **protovalidate.ValidationError) bool {
	return errors.As(err, target)
}

func stripProtojsonPrefix(err error) error {
	return errors.New(strings.TrimPrefix(err.Error(), "proto: "))
}
