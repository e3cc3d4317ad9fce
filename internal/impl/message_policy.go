package impl

import (
	"fmt"
	"sync"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

// MessagePolicy holds the compiled policies of one message's fields, by
// field index, for the agreements of one product. A field without an
// annotation has a nil policy and is never sent nor logged. Generated code
// loads one per payload message on first use; the reflection engine loads
// them as it walks a message.
type MessagePolicy struct {
	desc protoreflect.MessageDescriptor
	// Fields are the field policies by field index (declaration order).
	Fields []*FieldPolicy
	// errs are the fields whose annotation did not compile, by index.
	errs []error
}

// policyKey identifies a compiled policy: a message of one product's
// agreements. Two versions of a message (two registered schemas) have
// distinct descriptors and so distinct policies.
type policyKey struct {
	desc       protoreflect.MessageDescriptor
	agreements *Agreements
}

var policies sync.Map // policyKey → *MessagePolicy

// PolicyFor returns the compiled policy of md under the agreements a, from
// a cache shared by the process. A nil a compiles the annotations without
// agreements: the policy describes and logs, and grants nothing. Fields
// whose annotation is missing, names an agreement a does not declare or
// does not compile get a nil policy (never sent); FieldError reports why.
func PolicyFor(md protoreflect.MessageDescriptor, a *Agreements) *MessagePolicy {
	key := policyKey{md, a}
	if p, ok := policies.Load(key); ok {
		return p.(*MessagePolicy)
	}
	p, _ := policies.LoadOrStore(key, newMessagePolicy(md, a))
	return p.(*MessagePolicy)
}

func newMessagePolicy(md protoreflect.MessageDescriptor, a *Agreements) *MessagePolicy {
	fds := md.Fields()
	p := &MessagePolicy{desc: md, Fields: make([]*FieldPolicy, fds.Len()), errs: make([]error, fds.Len())}
	for i := range fds.Len() {
		fd := fds.Get(i)
		item, _ := proto.GetExtension(fd.Options(), provisionv1.E_Field).(*provisionv1.DataItem)
		fp, err := newFieldPolicy(item, a)
		if err != nil {
			p.errs[i] = fmt.Errorf("%s: %w", fd.FullName(), err)
			continue
		}
		p.Fields[i] = fp
	}
	return p
}

// FieldError returns why the field at index i has no policy, or nil.
func (p *MessagePolicy) FieldError(i int) error { return p.errs[i] }
