// Package provisionimpl contains the parts of the provision runtime that
// only generated code may use: the code protoc-gen-provision-go writes
// calls it, and nothing else should. Its API is not covered by any
// compatibility promise and may change without notice; client programs
// use package github.com/provisionhq/provision instead.
//
// Generated files check, at compile time, that they and this runtime fit
// each other in both directions (EnforceVersion).
//
// The errors of this package, like those of the client API, begin with
// "provision: ", once: generated methods return them as they are.
package provisionimpl

import (
	"fmt"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/provisionhq/provision/internal/impl"
)

// EnforceVersion is used by generated code to refuse, at compile time, a
// runtime and generated code that do not fit each other: a generated file
// of generator version N contains
//
//	const (
//		_ = provisionimpl.EnforceVersion(N - provisionimpl.MinVersion)
//		_ = provisionimpl.EnforceVersion(provisionimpl.MaxVersion - N)
//	)
//
// The first overflows, and does not compile, when the generated code is
// older than this runtime supports (regenerate it); the second when the
// runtime is older than the generated code needs (upgrade it).
type EnforceVersion = impl.EnforceVersion

const (
	// MaxVersion is the newest version of generated code this runtime
	// supports.
	MaxVersion = impl.GeneratedCodeVersion
	// MinVersion is the oldest version of generated code this runtime
	// supports.
	MinVersion = impl.MinGeneratedCodeVersion
)

type (
	// AgreementDecl is one agreement as a product declares it.
	AgreementDecl = impl.AgreementDecl
	// MessagePolicy holds the compiled policies of one message's fields.
	MessagePolicy = impl.MessagePolicy
	// FieldPolicy is a data item's annotation compiled for use.
	FieldPolicy = impl.FieldPolicy
	// Strategy is one redaction strategy ready to apply.
	Strategy = impl.Strategy
	// Gate collects the consent violations of a payload for Validate.
	Gate = impl.Gate
)

// MustAgreements checks a product's declarations, which the generator has
// already checked, and panics on an error.
func MustAgreements(pkg protoreflect.FullName, decls ...AgreementDecl) *impl.Agreements {
	return impl.MustAgreements(pkg, decls...)
}

// RegisterAgreements makes a the agreements provision.AgreementsOf returns
// for its package, and returns the registered set.
func RegisterAgreements(a *impl.Agreements) *impl.Agreements { return impl.RegisterAgreements(a) }

// ConsentOf returns the consent of agreements a holding the agreements at
// the given declaration positions and all they imply.
func ConsentOf(a *impl.Agreements, indexes ...int) (impl.Consent, error) {
	c, err := impl.ConsentOf(a, indexes...)
	return c, impl.Prefixed(err)
}

// GrantedSet returns the agreements consent c grants as a bit set of
// declaration positions of a, none when c was made from other agreements;
// generated code tests one constant bit of it per field.
func GrantedSet(c impl.Consent, a *impl.Agreements) uint64 { return impl.GrantedSet(c, a) }

// NowUnix returns the time expiries are judged at, in Unix seconds
// (provision.SetClock replaces the clock in tests). Generated code reads
// it once per message for FieldPolicy.SelectAt and ExpiredAt.
func NowUnix() int64 { return impl.NowUnix() }

// PolicyFor returns the compiled policy of md under agreements a, cached
// for the process.
func PolicyFor(md protoreflect.MessageDescriptor, a *impl.Agreements) *MessagePolicy {
	return impl.PolicyFor(md, a)
}

// Format writes m for fmt, whatever the verb: anonymous items in clear,
// every other item as [redacted]. Generated Format methods call it.
func Format(f fmt.State, _ rune, m proto.Message) { impl.FormatMessage(f, m) }

// ClearUnknown clears the unknown fields of m and of every message it
// holds.
func ClearUnknown(m protoreflect.Message) { impl.ClearUnknown(m) }

// ClearExtensions clears every extension field set on m.
func ClearExtensions(m protoreflect.Message) { impl.ClearExtensions(m) }

// NilMessageError returns the error of a generated method, operation op
// ("redact", "validate"), called on a nil message of type md. It wraps
// provision.ErrWrongMessage.
func NilMessageError(op string, md protoreflect.MessageDescriptor) error {
	return impl.Prefixed(impl.NilMessageError(op, md))
}

// ConsentMismatchError returns the error of a generated method, operation
// op, called on a message of type md with a consent made from agreements
// of, another product's. It wraps provision.ErrConsentMismatch.
func ConsentMismatchError(op string, md protoreflect.MessageDescriptor, of *impl.Agreements) error {
	return impl.Prefixed(impl.ConsentMismatchError(op, md, of))
}
