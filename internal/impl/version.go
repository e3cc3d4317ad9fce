package impl

// EnforceVersion is used by generated code to refuse, at compile time, a
// runtime and generated code that do not fit each other, in both
// directions. A generated file of generator version N contains
//
//	const (
//		_ = provision.EnforceVersion(N - provision.MinGeneratedCodeVersion)
//		_ = provision.EnforceVersion(provision.GeneratedCodeVersion - N)
//	)
//
// The first overflows, and does not compile, when the generated code is
// older than this runtime still supports (regenerate it); the second when
// the runtime is older than the generated code needs (upgrade it).
type EnforceVersion uint

const (
	// GeneratedCodeVersion is the newest version of generated code this
	// runtime supports.
	GeneratedCodeVersion = 5
	// MinGeneratedCodeVersion is the oldest version of generated code
	// this runtime supports. Version 5 tests, in Redact and Validate, the
	// expiry of each item with an expiry date (FieldPolicy.Expired,
	// Gate.Expire), which a runtime before it does not have; version 4
	// code, generated before the vocabulary had expiries, runs unchanged.
	// Version 4 keeps its own copy of each
	// message's field policies (MessagePolicy.Fields is a method that
	// copies, no longer a slice every caller shares), clears a typed nil
	// oneof wrapper, and formats payloads for fmt (Format) without
	// identifying values. Version 3 takes the errors of its methods
	// from the runtime (NilMessageError, ConsentMismatchError), which
	// prefixes them; version 2 declares each product's agreements in its
	// package (catalog-declared agreements); version 1 used the
	// vocabulary's former Agreement enum.
	MinGeneratedCodeVersion = 4
)
