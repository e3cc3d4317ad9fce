package impl

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"buf.build/go/protovalidate"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Gate collects consent violations; generated Validate methods fill one.
type Gate struct {
	Violations []ConsentViolation
}

// Deny records that the populated field at path needs agreement requires.
func (g *Gate) Deny(path string, requires string) {
	g.Violations = append(g.Violations, ConsentViolation{Path: path, Requires: requires})
}

// Finish runs the shared protovalidate validator on m and returns the
// combined *ValidationError, or nil when m passes both the gate and its
// rules. It is an entry point (generated Validate methods return its
// error): any other error it returns is prefixed.
func (g *Gate) Finish(m proto.Message) error {
	v, err := Validator()
	if err != nil {
		return Prefixed(fmt.Errorf("validate: %w", err))
	}
	// The error is allocated only when there is one: a payload that
	// passes costs no more than protovalidate alone.
	var verr *ValidationError
	if err := v.Validate(m); err != nil {
		var rules *protovalidate.ValidationError
		if !errors.As(err, &rules) {
			return Prefixed(fmt.Errorf("validate: %w", err))
		}
		verr = &ValidationError{Rules: rules}
	}
	if len(g.Violations) == 0 && verr == nil {
		return nil
	}
	if verr == nil {
		verr = &ValidationError{}
	}
	slices.SortStableFunc(g.Violations, func(a, b ConsentViolation) int { return strings.Compare(a.Path, b.Path) })
	verr.Consent = g.Violations
	return verr
}

// Validator returns the protovalidate validator the runtime and generated
// code share: built once, safe for concurrent use.
func Validator() (protovalidate.Validator, error) { return sharedValidator() }

var sharedValidator = sync.OnceValues(func() (protovalidate.Validator, error) {
	v, err := protovalidate.New()
	if err != nil {
		return nil, fmt.Errorf("build validator: %w", err)
	}
	return v, nil
})

// Validate checks that m, as collected, may be sent under consent c: every
// populated field is an annotated data item whose agreement c grants, no
// unknown field or extension is present, and m passes its buf.validate
// rules. It is the reflection counterpart of the generated Validate
// methods. Validate the payload as collected, then Redact it: redaction
// changes values (a hashed ID is no longer a UUID).
func Validate(m proto.Message, c Consent) error {
	if m == nil {
		return NilMessageError("validate", nil)
	}
	if r := m.ProtoReflect(); !r.IsValid() {
		return NilMessageError("validate", r.Descriptor())
	}
	if err := checkConsentOf("validate", c, m.ProtoReflect().Descriptor()); err != nil {
		return err
	}
	var g Gate
	gateMessage(m.ProtoReflect(), c, "", &g)
	return g.Finish(m)
}

func gateMessage(m protoreflect.Message, c Consent, prefix string, g *Gate) {
	if len(m.GetUnknown()) > 0 {
		g.Deny(prefix+"(unknown fields)", "")
	}
	pol := PolicyFor(m.Descriptor(), c.of)
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		path := prefix + string(fd.Name())
		if fd.IsExtension() {
			g.Deny(prefix+"("+string(fd.FullName())+")", "")
			return true
		}
		fp := pol.fields[fd.Index()]
		if fp == nil {
			g.Deny(path, "")
			return true
		}
		if !c.Grants(fp.requiresID) {
			g.Deny(path, fp.requiresID)
			return true
		}
		if fp.Expired() {
			g.Expire(path, fp.expires)
			return true
		}
		if !IsPayloadMessage(fd) {
			return true
		}
		switch {
		case fd.IsList():
			for i := range v.List().Len() {
				gateMessage(v.List().Get(i).Message(), c, path+".", g)
			}
		case fd.IsMap():
			v.Map().Range(func(_ protoreflect.MapKey, mv protoreflect.Value) bool {
				gateMessage(mv.Message(), c, path+".", g)
				return true
			})
		default:
			gateMessage(v.Message(), c, path+".", g)
		}
		return true
	})
}

// GateExtensions records every extension set on m as a violation: generated
// code calls it for messages that declare extension ranges.
func (g *Gate) GateExtensions(m protoreflect.Message, prefix string) {
	m.Range(func(fd protoreflect.FieldDescriptor, _ protoreflect.Value) bool {
		if fd.IsExtension() {
			g.Deny(prefix+"("+string(fd.FullName())+")", "")
		}
		return true
	})
}

// checkConsentOf reports, for operation op, a consent made from another
// product's agreements than those of md's package. The zero consent
// belongs to no product and passes: it grants nothing anyway.
func checkConsentOf(op string, c Consent, md protoreflect.MessageDescriptor) error {
	if c.of == nil || c.of.Package() == md.ParentFile().Package() {
		return nil
	}
	return ConsentMismatchError(op, md, c.of)
}
