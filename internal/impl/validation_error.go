package impl

import (
	"strconv"
	"strings"

	"buf.build/go/protovalidate"
)

// ValidationError reports why a payload may not be sent as collected: the
// fields outside the consent, and the violations of its buf.validate rules.
// It is what the generated Validate methods and the reflection engine
// return, and its message carries the package prefix:
//
//	provision: validate: activation_code: requires ACTIVATION_CODE, which the consent does not grant
//
// or, for several violations, one a line, the consent's first:
//
//	provision: validate: 2 violations:
//	 - activation_code: requires ACTIVATION_CODE, which the consent does not grant
//	 - installation_id: value must be a valid UUID
type ValidationError struct {
	// Consent lists populated fields the consent does not allow.
	Consent []ConsentViolation
	// Rules holds the violations of the payload's own rules, or nil.
	Rules *protovalidate.ValidationError
}

// Error lists every violation; "" for a nil *ValidationError or one that
// holds none.
func (e *ValidationError) Error() string {
	if e == nil {
		return ""
	}
	var lines []string
	for _, v := range e.Consent {
		lines = append(lines, v.String())
	}
	if e.Rules != nil {
		for _, v := range e.Rules.Violations {
			lines = append(lines, v.String())
		}
	}
	switch len(lines) {
	case 0:
		return ""
	case 1:
		return prefix + "validate: " + lines[0]
	}
	var b strings.Builder
	b.WriteString(prefix + "validate: " + strconv.Itoa(len(lines)) + " violations:")
	for _, l := range lines {
		b.WriteString("\n - ")
		b.WriteString(l)
	}
	return b.String()
}

// Unwrap returns the rule violations, for errors.As; nil for a nil
// *ValidationError or one without rule violations.
func (e *ValidationError) Unwrap() error {
	if e == nil || e.Rules == nil {
		return nil
	}
	return e.Rules
}

// ConsentViolation is a populated field that may not be sent: consent
// does not allow it (its agreement is not granted, or it has no
// annotation at all), or it has expired.
type ConsentViolation struct {
	// Path is the field's dotted path of proto names from the payload.
	Path string
	// Requires is the ID of the agreement the field needs; empty for a
	// field without annotation, an unknown field, an extension or an
	// expired item.
	Requires string
	// Expired is the day (YYYY-MM-DD) on which the item expired and
	// stopped being sent; empty for a violation of consent.
	Expired string
}

// String describes the violation.
func (v ConsentViolation) String() string {
	if v.Expired != "" {
		return v.Path + ": expired on " + v.Expired + "; no longer sent"
	}
	if v.Requires == "" {
		return v.Path + ": not an annotated data item; never sent"
	}
	return v.Path + ": requires " + v.Requires + ", which the consent does not grant"
}
