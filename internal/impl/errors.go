package impl

import (
	"errors"
	"fmt"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// The sentinel errors of the runtime. Errors returned by this package wrap
// one of them with context, so callers test them with errors.Is. None of the
// messages contains the value that was rejected: it may be personal data.
// None carries the package prefix either: the entry points add it
// (Prefixed).
var (
	// ErrInvalidAgreement reports an agreement ID its product does not
	// declare, or agreement declarations that are invalid.
	ErrInvalidAgreement = errors.New("invalid agreement")
	// ErrConsentMismatch reports a consent made from another product's
	// agreements than the payload's: it grants nothing there.
	ErrConsentMismatch = errors.New("consent of another product")
	// ErrUnknownKey reports a key id the key provider does not hold.
	ErrUnknownKey = errors.New("unknown key")
	// ErrInvalidKey reports a key that is too short or a key id that is
	// malformed.
	ErrInvalidKey = errors.New("invalid key")
	// ErrInvalidParameter reports a transform parameter out of its range:
	// a prefix length, bucket bounds, a privacy budget.
	ErrInvalidParameter = errors.New("invalid transform parameter")
	// ErrInvalidIP reports a value that is not an IP address.
	ErrInvalidIP = errors.New("invalid IP address")
	// ErrInvalidURL reports a value that is not an absolute URL with a
	// scheme and a host.
	ErrInvalidURL = errors.New("invalid URL")
	// ErrInvalidVersion reports a value that is not a dot-separated
	// version.
	ErrInvalidVersion = errors.New("invalid version")
	// ErrInvalidNumber reports a number a transform cannot take: NaN, or
	// an infinity where a finite value is needed.
	ErrInvalidNumber = errors.New("invalid number")
	// ErrNoiseOutOfRange reports a noise sample too large to represent.
	// It happens with probability below e^-500, independently of the
	// value being protected; the caller drops the value.
	ErrNoiseOutOfRange = errors.New("noise sample out of range")
	// ErrUnannotated reports a field without a complete (provision.v1.field)
	// annotation: it is never sent and never logged.
	ErrUnannotated = errors.New("field not annotated")
	// ErrWrongMessage reports a message of another type than the one
	// asked for, or a nil message.
	ErrWrongMessage = errors.New("wrong message")
	// ErrIdentifyingMap reports a map field that is not classified
	// anonymous: no strategy applies to its keys, which are sent as they
	// are, so such a map is never sent (the catalog checks refuse it as
	// MAP_NOT_ANONYMOUS).
	ErrIdentifyingMap = errors.New("map keys may identify")
)

// NilMessageError returns the error of operation op ("redact",
// "validate") asked of a nil message of type md, or of a nil
// proto.Message when md is nil. It wraps ErrWrongMessage. The generated
// methods and the reflection engine share it, so that both say the same.
func NilMessageError(op string, md protoreflect.MessageDescriptor) error {
	if md == nil {
		return fmt.Errorf("%s: nil message: %w", op, ErrWrongMessage)
	}
	return fmt.Errorf("%s: nil %s: %w", op, md.FullName(), ErrWrongMessage)
}

// ConsentMismatchError returns the error of operation op asked of a
// message of type md under a consent made from agreements of, another
// product's than md's. It wraps ErrConsentMismatch.
func ConsentMismatchError(op string, md protoreflect.MessageDescriptor, of *Agreements) error {
	return fmt.Errorf("%s: %s: consent of %s: %w", op, md.FullName(), of.Package(), ErrConsentMismatch)
}
