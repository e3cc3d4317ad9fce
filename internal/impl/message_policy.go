package impl

import (
	"fmt"
	"slices"
	"sync"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

// MessagePolicy holds the compiled policies of one message's fields, by
// field index, for the agreements of one product. A field without an
// annotation has a nil policy and is never sent nor logged. Generated code
// loads one per payload message on first use; the reflection engine loads
// them as it walks a message.
//
// A MessagePolicy is shared by the process and immutable: what it holds
// decides what every Redact sends, so nothing it hands out can change it
// (Fields returns a copy, FieldPolicy has no setter, Item a clone).
type MessagePolicy struct {
	desc protoreflect.MessageDescriptor
	// fields are the field policies by field index (declaration order).
	fields []*FieldPolicy
	// errs are the fields whose annotation did not compile, by index.
	errs []error
	// hasExpiry says a field expires by date (HasExpiry).
	hasExpiry bool
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
	p := &MessagePolicy{desc: md, fields: make([]*FieldPolicy, fds.Len()), errs: make([]error, fds.Len())}
	// The fields of a scenario's message expire with the scenario at the
	// latest; nested items go with their parent.
	scenario, _ := proto.GetExtension(md.Options(), provisionv1.E_Scenario).(*provisionv1.Scenario)
	for i := range fds.Len() {
		fd := fds.Get(i)
		item, _ := proto.GetExtension(fd.Options(), provisionv1.E_Field).(*provisionv1.DataItem)
		fp, err := newFieldPolicy(item, a)
		if err == nil {
			err = checkMapField(fd, item)
		}
		if err != nil {
			p.errs[i] = fmt.Errorf("%s: %w", fd.FullName(), err)
			continue
		}
		if o, ok := fd.Options().(*descriptorpb.FieldOptions); ok {
			fp.debugRedact = o.GetDebugRedact()
		}
		// An item never outlives its scenario: the earlier date wins.
		if at, day := expiryOf(scenario.GetExpires()); at != 0 && (fp.expiresAt == 0 || at < fp.expiresAt) {
			fp.expiresAt, fp.expires = at, day
		}
		p.hasExpiry = p.hasExpiry || fp.expiresAt != 0
		p.fields[i] = fp
	}
	return p
}

// Len returns the number of fields of the message; 0 for a nil policy.
func (p *MessagePolicy) Len() int {
	if p == nil {
		return 0
	}
	return len(p.fields)
}

// Field returns the policy of the field at index i: nil for a field that
// is never sent (FieldError says why) and for an index out of range.
func (p *MessagePolicy) Field(i int) *FieldPolicy {
	if p == nil || i < 0 || i >= len(p.fields) {
		return nil
	}
	return p.fields[i]
}

// Fields returns a copy of the field policies by field index: the caller
// may keep and index it without a call per field (generated code holds
// one per message), and nothing it does to the copy changes the policy.
func (p *MessagePolicy) Fields() []*FieldPolicy {
	if p == nil {
		return nil
	}
	return slices.Clone(p.fields)
}

// FieldError returns why the field at index i has no policy, or nil when
// it has one. An index out of range, or a nil policy, gives an error
// wrapping ErrUnannotated.
func (p *MessagePolicy) FieldError(i int) error {
	if p == nil || i < 0 || i >= len(p.errs) {
		return fmt.Errorf("field index %d: no such field: %w", i, ErrUnannotated)
	}
	return p.errs[i]
}

// checkMapField refuses a map field, described by item, whose keys may
// identify someone. Redaction strategies apply to values; a map's keys
// are sent as they are, whatever the values get (a map of e-mail
// addresses to hashed IDs would send every address). So a map field must
// be classified anonymous, which covers its keys; an identifying keyed
// list is a repeated message whose key field has its own annotation.
func checkMapField(fd protoreflect.FieldDescriptor, item *provisionv1.DataItem) error {
	if fd.IsMap() && item.GetIdentifiability() != provisionv1.Identifiability_IDENTIFIABILITY_ANONYMOUS {
		return fmt.Errorf("map field classified %s, not anonymous: %w", item.GetIdentifiability(), ErrIdentifyingMap)
	}
	return nil
}
