// Package provision is what a client program uses to send a data-provision
// payload safely: consent, keys, redaction, validation and safe logging.
//
// A provision schema is annotated protobuf: every field of a payload a
// product sends to its vendor says which agreement allows sending it, how
// far it identifies a person and what is done to it first (see
// vocabulary/provision/v1/options.proto). The generator turns those annotations
// into Go beside protoc-gen-go's output: each scenario message gets Redact,
// Redacted, Validate, LogValue, Format and ProvisionFields methods (every
// payload message LogValue and Format, so that log/slog and fmt show only
// anonymous items in clear; String, protoc-gen-go's, prints every value),
// and each product package declares its agreements as typed constants with
// a NewConsent of its own. This package holds what those methods share:
//
//   - [Consent] is the set of agreements a run of a product holds, closed
//     under the implications the product declares ([Agreements]). A field
//     is sent only when the consent grants the agreement it requires, and a
//     consent of one product grants nothing of another's.
//   - [KeyProvider] supplies the keys of keyed hashes by ID; [StaticKeys]
//     is an in-memory provider. Keys never print: every type holding one
//     formats and logs as "[redacted]".
//   - [Redact], [Validate], [LogValue] and [Fields] are the reflection
//     counterparts of the generated methods, for messages known only at run
//     time (a registry, a collector): they give the same results.
//   - The transforms, one per redaction strategy of the vocabulary, usable
//     on their own: [Hasher] (HMAC-SHA256 bound to the key ID, its output
//     versioned), [IPTruncator], [URLSanitizer] (with the published list of
//     sensitive parameter names, [SensitiveQueryNames]),
//     [VersionGeneralizer], [Buckets], [Masker], and the
//     differential-privacy mechanisms [Laplace] and [Geometric]. Their zero
//     values work or return an error.
//
// What only generated code calls lives in package
// github.com/provisionhq/provision/runtime/provisionimpl.
//
// Everything here fails closed. A value a transform cannot handle (an
// unparsable address, a NaN, a malformed version) yields an error and the
// caller drops the value: nothing is ever passed through unredacted. No
// function panics on any input, and no error message repeats the input it
// rejects, since that input is the personal data being protected; errors
// wrap sentinel values ([ErrInvalidIP], [ErrInvalidURL] …) for errors.Is.
// Every error message, of this package and of the generated methods,
// begins with "provision: " once, however many layers it passed through.
package provision
