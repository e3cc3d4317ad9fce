package impl

import (
	"strings"

	"buf.build/go/protovalidate"
)

// ValidationError reports why a payload may not be sent as collected: the
// fields outside the consent, and the violations of its buf.validate rules.
type ValidationError struct {
	// Consent lists populated fields the consent does not allow.
	Consent []ConsentViolation
	// Rules holds the violations of the payload's own rules, or nil.
	Rules *protovalidate.ValidationError
}

// Error lists every violation, one a line; "" for a nil *ValidationError.
func (e *ValidationError) Error() string {
	if e == nil {
		return ""
	}
	var lines []string
	for _, v := range e.Consent {
		lines = append(lines, "provision: consent: "+v.String())
	}
	if e.Rules != nil {
		lines = append(lines, "provision: rules: "+e.Rules.Error())
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the rule violations, for errors.As; nil for a nil
// *ValidationError or one without rule violations.
func (e *ValidationError) Unwrap() error {
	if e == nil || e.Rules == nil {
		return nil
	}
	return e.Rules
}

// ConsentViolation is a populated field that consent does not allow to
// send: its agreement is not granted, or it has no annotation at all.
type ConsentViolation struct {
	// Path is the field's dotted path of proto names from the payload.
	Path string
	// Requires is the ID of the agreement the field needs; empty for a
	// field without annotation, an unknown field or an extension.
	Requires string
}

// String describes the violation.
func (v ConsentViolation) String() string {
	if v.Requires == "" {
		return v.Path + ": not an annotated data item; never sent"
	}
	return v.Path + ": requires " + v.Requires + ", which the consent does not grant"
}
