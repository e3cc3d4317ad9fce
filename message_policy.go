package provision

import (
	"fmt"
	"sync"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

// MessagePolicy holds the compiled policies of one message's fields, by
// field index. A field without an annotation has a nil policy and is never
// sent nor logged. Generated code loads one per payload message at package
// initialisation; the reflection engine loads them on first use.
type MessagePolicy struct {
	desc protoreflect.MessageDescriptor
	// Fields are the field policies by field index (declaration order).
	Fields []*FieldPolicy
	// errs are the fields whose annotation did not compile, by index.
	errs []error
}

var policies sync.Map // protoreflect.FullName → *MessagePolicy

// PolicyOf returns the compiled policy of md, from a cache shared by the
// process. Fields whose annotation is missing or does not compile get a
// nil policy (never sent); FieldError reports why.
func PolicyOf(md protoreflect.MessageDescriptor) *MessagePolicy {
	if p, ok := policies.Load(md.FullName()); ok && p.(*MessagePolicy).desc == md {
		return p.(*MessagePolicy)
	}
	p := newMessagePolicy(md)
	policies.Store(md.FullName(), p)
	return p
}

func newMessagePolicy(md protoreflect.MessageDescriptor) *MessagePolicy {
	fds := md.Fields()
	p := &MessagePolicy{desc: md, Fields: make([]*FieldPolicy, fds.Len()), errs: make([]error, fds.Len())}
	for i := range fds.Len() {
		fd := fds.Get(i)
		item, _ := proto.GetExtension(fd.Options(), provisionv1.E_Field).(*provisionv1.DataItem)
		fp, err := NewFieldPolicy(item)
		if err != nil {
			p.errs[i] = fmt.Errorf("%s: %w", fd.FullName(), err)
			continue
		}
		p.Fields[i] = fp
	}
	return p
}

// Desc returns the message's descriptor.
func (p *MessagePolicy) Desc() protoreflect.MessageDescriptor { return p.desc }

// FieldError returns why the field at index i has no policy, or nil.
func (p *MessagePolicy) FieldError(i int) error { return p.errs[i] }
