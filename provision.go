package provision

import (
	"log/slog"
	"math/rand/v2"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/impl"
)

// The runtime is implemented in internal/impl, shared with the package
// generated code uses (runtime/provisionimpl); this file is its client
// API. The types are aliases: a Consent made here is the Consent generated
// methods take.
//
// Errors begin with "provision: ", once. The errors of internal/impl
// carry no prefix; the functions here add it (impl.Prefixed), and so do
// the methods of the aliased types, which have no wrapper here.

// Agreements and consent.
type (
	// Agreements is the set of agreements one product declares, with the
	// implications between them closed. Consents are made from it.
	Agreements = impl.Agreements
	// AgreementDecl is one agreement as a product declares it: its ID and
	// the IDs of the agreements it implies.
	AgreementDecl = impl.AgreementDecl
	// Consent is the set of agreements a run of a product holds, closed
	// under the implications its product declares. The zero Consent
	// grants nothing.
	Consent = impl.Consent
)

const (
	// AgreementNone is the agreement ID the vocabulary reserves for data
	// that never leaves the computer; no consent grants it.
	AgreementNone = impl.AgreementNone
	// MaxAgreements is the most agreements one product may declare.
	MaxAgreements = impl.MaxAgreements
)

// NewAgreements checks a product's declarations and returns its set of
// agreements; pkg is the product's protobuf package. The same package and
// declarations give the same *Agreements.
func NewAgreements(pkg protoreflect.FullName, decls ...AgreementDecl) (*Agreements, error) {
	a, err := impl.NewAgreements(pkg, decls...)
	return a, impl.Prefixed(err)
}

// AgreementDecls returns the parts of a product's declarations that
// decide what a consent grants, for NewAgreements.
func AgreementDecls(decls []*provisionv1.Agreement) []AgreementDecl {
	return impl.AgreementDecls(decls)
}

// AgreementsOf returns the agreements declared by the product of package
// pkg: those its generated code registered, or those its product file in
// protoregistry.GlobalFiles declares.
func AgreementsOf(pkg protoreflect.FullName) (*Agreements, error) {
	a, err := impl.AgreementsOf(pkg)
	return a, impl.Prefixed(err)
}

// AgreementsIn reads the agreements declared by the product of package pkg
// from files, for descriptors known only at run time.
func AgreementsIn(files *protoregistry.Files, pkg protoreflect.FullName) (*Agreements, error) {
	a, err := impl.AgreementsIn(files, pkg)
	return a, impl.Prefixed(err)
}

// Redaction, validation, logging and metadata by reflection.
type (
	// RedactError lists the fields Redact cleared because their values
	// did not fit their strategy; the message is safe to send even then.
	RedactError = impl.RedactError
	// FieldError is one field of a RedactError.
	FieldError = impl.FieldError
	// ValidationError reports why a payload may not be sent as collected.
	ValidationError = impl.ValidationError
	// ConsentViolation is a populated field the consent does not allow.
	ConsentViolation = impl.ConsentViolation
	// FieldInfo is what a program can read of one data item of a payload.
	FieldInfo = impl.FieldInfo
)

// RedactedText is what safe logging prints for a value it may not show,
// and what every key-holding type prints for itself.
const RedactedText = impl.RedactedText

// Redact makes m safe to send under consent c, in place: the reflection
// counterpart of the generated Redact methods. keys provides HMAC keys.
func Redact(m proto.Message, c Consent, keys KeyProvider) error {
	return impl.Prefixed(impl.Redact(m, c, keys))
}

// Validate checks that m, as collected, may be sent under consent c: the
// reflection counterpart of the generated Validate methods.
func Validate(m proto.Message, c Consent) error { return impl.Prefixed(impl.Validate(m, c)) }

// SetClock makes Redact and Validate, and the generated methods, judge
// expiries at the time now returns instead of the system clock's, for the
// whole process, until restore is called; nil restores the system clock.
// An item whose expiry date has come is never sent, like one the consent
// does not allow, and Validate names it. SetClock is meant for tests,
// which fix the day so that what has expired does not change with the
// calendar; it is not safe to call from tests that run in parallel with
// others relying on the clock.
func SetClock(now func() time.Time) (restore func()) { return impl.SetClock(now) }

// LogValue renders m for log/slog showing only items classified anonymous.
func LogValue(m proto.Message) slog.Value { return impl.LogValue(m) }

// Fields lists the data items of a payload message, depth first: the
// reflection counterpart of the generated ProvisionFields methods.
func Fields(md protoreflect.MessageDescriptor) []FieldInfo { return impl.Fields(md) }

// Keys.
type (
	// KeyProvider supplies HMAC keys by key ID.
	KeyProvider = impl.KeyProvider
	// StaticKeys is an in-memory KeyProvider.
	StaticKeys = impl.StaticKeys
)

// MinKeySize is the shortest HMAC key accepted, in bytes.
const MinKeySize = impl.MinKeySize

// NewStaticKeys returns a KeyProvider holding copies of keys, each at
// least MinKeySize bytes under a well-formed key ID.
func NewStaticKeys(keys map[string][]byte) (*StaticKeys, error) {
	k, err := impl.NewStaticKeys(keys)
	return k, impl.Prefixed(err)
}

// The transforms, one per redaction strategy.
type (
	// Hasher replaces values by their HMAC-SHA256 under one key.
	Hasher = impl.Hasher
	// IPTruncator zeroes the host part of IP addresses.
	IPTruncator = impl.IPTruncator
	// IPOption configures an IPTruncator.
	IPOption = impl.IPOption
	// URLSanitizer strips the personal parts of a web address.
	URLSanitizer = impl.URLSanitizer
	// URLOption configures a URLSanitizer.
	URLOption = impl.URLOption
	// SensitiveName is one pattern of the published list of sensitive
	// parameter names.
	SensitiveName = impl.SensitiveName
	// NameMatch says how a SensitiveName matches.
	NameMatch = impl.NameMatch
	// VersionGeneralizer keeps the leading components of a version.
	VersionGeneralizer = impl.VersionGeneralizer
	// Buckets replaces a number by the lower bound of its range.
	Buckets[T Number] = impl.Buckets[T]
	// Number is the numeric types Buckets takes.
	Number = impl.Number
	// Masker hides all but a few characters of a string.
	Masker = impl.Masker
	// Laplace adds Laplace noise for differential privacy.
	Laplace = impl.Laplace
	// Geometric adds two-sided geometric noise to integers.
	Geometric = impl.Geometric
	// NoiseOption configures a noise mechanism.
	NoiseOption = impl.NoiseOption
)

const (
	// HashSize is the length of an HMAC-SHA256 digest in bytes.
	HashSize = impl.HashSize
	// HashVersion is the version of the keyed hash Hasher computes,
	// written at the start of every output.
	HashVersion = impl.HashVersion
	// HashStringPrefix begins every keyed hash of a string ("v2:").
	HashStringPrefix = impl.HashStringPrefix
	// HashStringLen is the length of a keyed hash of a string.
	HashStringLen = impl.HashStringLen
	// HashStringPattern matches exactly the keyed hashes of strings.
	HashStringPattern = impl.HashStringPattern
	// HashBytesLen is the length of a keyed hash of a bytes value: the
	// version byte, then the digest.
	HashBytesLen = impl.HashBytesLen
	// HashBytesBase64Pattern matches the base64 of a keyed hash of a
	// bytes value, as protojson writes it.
	HashBytesBase64Pattern = impl.HashBytesBase64Pattern
	// DefaultIPv4Prefix is the IPv4 prefix IPTruncator keeps by default.
	DefaultIPv4Prefix = impl.DefaultIPv4Prefix
	// DefaultIPv6Prefix is the IPv6 prefix IPTruncator keeps by default.
	DefaultIPv6Prefix = impl.DefaultIPv6Prefix
	// RedactedQueryValue replaces the value of a sensitive query
	// parameter.
	RedactedQueryValue = impl.RedactedQueryValue
	// MaskRune replaces each hidden character.
	MaskRune = impl.MaskRune
	// The ways a SensitiveName matches a normalised name: whole, at its
	// beginning, at its end, anywhere.
	MatchExact    = impl.MatchExact
	MatchPrefix   = impl.MatchPrefix
	MatchSuffix   = impl.MatchSuffix
	MatchContains = impl.MatchContains
	// MaxEpsilon is the largest privacy loss the noise mechanisms accept.
	MaxEpsilon = impl.MaxEpsilon
	// MaxVersionComponents is the most components a VersionGeneralizer
	// keeps.
	MaxVersionComponents = impl.MaxVersionComponents
	// MaxMaskKeep is the most leading, and trailing, characters a Masker
	// keeps.
	MaxMaskKeep = impl.MaxMaskKeep
)

// NewHasher returns a Hasher for the key keyID of keys; its hashes are
// bound to keyID as well as to the key.
func NewHasher(keys KeyProvider, keyID string) (*Hasher, error) {
	h, err := impl.NewHasher(keys, keyID)
	return h, impl.Prefixed(err)
}

// NewIPTruncator returns an IPTruncator keeping /24 of IPv4 and /48 of
// IPv6 addresses, unless opts say otherwise.
func NewIPTruncator(opts ...IPOption) (IPTruncator, error) {
	t, err := impl.NewIPTruncator(opts...)
	return t, impl.Prefixed(err)
}

// WithIPv4Prefix sets the IPv4 prefix length kept, 0 to 32.
func WithIPv4Prefix(bits int) IPOption { return impl.WithIPv4Prefix(bits) }

// WithIPv6Prefix sets the IPv6 prefix length kept, 0 to 128.
func WithIPv6Prefix(bits int) IPOption { return impl.WithIPv6Prefix(bits) }

// NewURLSanitizer returns a URLSanitizer configured by opts.
func NewURLSanitizer(opts ...URLOption) (*URLSanitizer, error) {
	s, err := impl.NewURLSanitizer(opts...)
	return s, impl.Prefixed(err)
}

// WithDropQuery drops the whole query.
func WithDropQuery() URLOption { return impl.WithDropQuery() }

// WithRedactQuery adds query parameter names whose values are redacted.
func WithRedactQuery(names ...string) URLOption { return impl.WithRedactQuery(names...) }

// SensitiveQueryNames returns the published list of sensitive parameter
// names, patterns matched against a normalised name (NormaliseParamName):
// a query or path parameter that matches one has its value replaced by
// RedactedQueryValue.
func SensitiveQueryNames() []SensitiveName { return impl.SensitiveQueryNames() }

// NormaliseParamName returns a decoded parameter name as the sensitive
// names are matched against it: its letters and digits, lower-cased.
func NormaliseParamName(name string) string { return impl.NormaliseParamName(name) }

// URLSchemes returns the schemes a URLSanitizer accepts.
func URLSchemes() []string { return impl.URLSchemes() }

// DefaultSensitiveQueryNames returns the patterns of SensitiveQueryNames
// that match whole names.
func DefaultSensitiveQueryNames() []string { return impl.DefaultSensitiveQueryNames() }

// DefaultSensitiveQuerySubstrings returns the patterns of
// SensitiveQueryNames that match anywhere in a name.
func DefaultSensitiveQuerySubstrings() []string { return impl.DefaultSensitiveQuerySubstrings() }

// NewVersionGeneralizer returns a VersionGeneralizer keeping keep
// components.
func NewVersionGeneralizer(keep int) (VersionGeneralizer, error) {
	g, err := impl.NewVersionGeneralizer(keep)
	return g, impl.Prefixed(err)
}

// NewBuckets returns Buckets with the given strictly increasing lower
// bounds.
func NewBuckets[T Number](bounds ...T) (*Buckets[T], error) {
	b, err := impl.NewBuckets(bounds...)
	return b, impl.Prefixed(err)
}

// NewMasker returns a Masker keeping keepPrefix leading and keepSuffix
// trailing characters.
func NewMasker(keepPrefix, keepSuffix int) (Masker, error) {
	m, err := impl.NewMasker(keepPrefix, keepSuffix)
	return m, impl.Prefixed(err)
}

// NewLaplace returns the Laplace mechanism for sensitivity and privacy
// loss epsilon.
func NewLaplace(sensitivity, epsilon float64, opts ...NoiseOption) (*Laplace, error) {
	l, err := impl.NewLaplace(sensitivity, epsilon, opts...)
	return l, impl.Prefixed(err)
}

// NewGeometric returns the two-sided geometric mechanism for integer
// sensitivity and privacy loss epsilon.
func NewGeometric(sensitivity, epsilon float64, opts ...NoiseOption) (*Geometric, error) {
	g, err := impl.NewGeometric(sensitivity, epsilon, opts...)
	return g, impl.Prefixed(err)
}

// WithRandomSource makes a noise mechanism draw from src instead of a
// cryptographic source: for reproducible tests only.
func WithRandomSource(src rand.Source) NoiseOption { return impl.WithRandomSource(src) }

// The sentinel errors. Errors of this package wrap one of them, for
// errors.Is; none repeats the value it rejects. Every error message
// begins with "provision: ", once.
var (
	// ErrInvalidAgreement reports an agreement ID its product does not
	// declare, or invalid agreement declarations.
	ErrInvalidAgreement = impl.ErrInvalidAgreement
	// ErrConsentMismatch reports a consent of another product's agreements
	// than the payload's.
	ErrConsentMismatch = impl.ErrConsentMismatch
	// ErrUnknownKey reports a key ID the key provider does not hold.
	ErrUnknownKey = impl.ErrUnknownKey
	// ErrInvalidKey reports a key too short or a malformed key ID.
	ErrInvalidKey = impl.ErrInvalidKey
	// ErrInvalidParameter reports a transform parameter out of its range.
	ErrInvalidParameter = impl.ErrInvalidParameter
	// ErrInvalidIP reports a value that is not an IP address.
	ErrInvalidIP = impl.ErrInvalidIP
	// ErrInvalidURL reports a value that is not an absolute URL.
	ErrInvalidURL = impl.ErrInvalidURL
	// ErrInvalidVersion reports a value that is not a dotted version.
	ErrInvalidVersion = impl.ErrInvalidVersion
	// ErrInvalidNumber reports a number a transform cannot take.
	ErrInvalidNumber = impl.ErrInvalidNumber
	// ErrNoiseOutOfRange reports a noise sample too large to represent.
	ErrNoiseOutOfRange = impl.ErrNoiseOutOfRange
	// ErrUnannotated reports a field without a complete annotation: it is
	// never sent and never logged.
	ErrUnannotated = impl.ErrUnannotated
	// ErrWrongMessage reports a nil message or one of another type.
	ErrWrongMessage = impl.ErrWrongMessage
	// ErrStrategyMismatch reports a strategy applied to a value it does
	// not fit.
	ErrStrategyMismatch = impl.ErrStrategyMismatch
	// ErrIdentifyingMap reports a map field that is not classified
	// anonymous: its keys cannot be redacted, so it is never sent.
	ErrIdentifyingMap = impl.ErrIdentifyingMap
)
