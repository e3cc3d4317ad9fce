package model

import (
	"errors"
	"fmt"

	"google.golang.org/protobuf/reflect/protoreflect"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

// ErrVocabularyMismatch reports a catalog written against another version
// of the provision vocabulary than the one linked into this binary: its
// options would decode into nonsense (an enum number read as a string), so
// the catalog is refused whole.
var ErrVocabularyMismatch = errors.New("written for another version of the provision vocabulary")

// checkVocabulary compares the vocabulary file among files, if there is
// one, with the vocabulary linked into this binary: every field both
// declare under one number must have the same kind, cardinality and type.
// New fields on either side are fine; a changed one is refused.
func checkVocabulary(files []protoreflect.FileDescriptor) error {
	linked := provisionv1.File_provision_v1_options_proto
	for _, f := range files {
		if f.Path() != linked.Path() {
			continue
		}
		msgs := f.Messages()
		for i := range msgs.Len() {
			if err := compareMessage(msgs.Get(i), linked); err != nil {
				return err
			}
		}
	}
	return nil
}

func compareMessage(md protoreflect.MessageDescriptor, linked protoreflect.FileDescriptor) error {
	want := findMessage(linked, md.FullName())
	if want == nil {
		return nil // a message this binary does not know: not decoded
	}
	fields := md.Fields()
	for i := range fields.Len() {
		got := fields.Get(i)
		w := want.Fields().ByNumber(got.Number())
		if w == nil {
			continue
		}
		if describeField(got) != describeField(w) {
			return fmt.Errorf("model: %s: field %s is %s there and %s in this build: %w; rebuild it from this version's proto/",
				got.ParentFile().Path(), got.FullName(), describeField(got), describeField(w), ErrVocabularyMismatch)
		}
	}
	nested := md.Messages()
	for i := range nested.Len() {
		if err := compareMessage(nested.Get(i), linked); err != nil {
			return err
		}
	}
	return nil
}

func findMessage(f protoreflect.FileDescriptor, name protoreflect.FullName) protoreflect.MessageDescriptor {
	var find func(protoreflect.MessageDescriptors) protoreflect.MessageDescriptor
	find = func(ms protoreflect.MessageDescriptors) protoreflect.MessageDescriptor {
		for i := range ms.Len() {
			if ms.Get(i).FullName() == name {
				return ms.Get(i)
			}
			if m := find(ms.Get(i).Messages()); m != nil {
				return m
			}
		}
		return nil
	}
	return find(f.Messages())
}

// describeField words a field's shape: cardinality, kind and named type.
func describeField(fd protoreflect.FieldDescriptor) string {
	s := fd.Cardinality().String() + " " + fd.Kind().String()
	switch {
	case fd.Message() != nil:
		s += " " + string(fd.Message().FullName())
	case fd.Enum() != nil:
		s += " " + string(fd.Enum().FullName())
	}
	return s
}
