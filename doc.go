// Package provision is the runtime that generated data-provision code
// imports.
//
// A provision schema is annotated protobuf: every field of a payload a
// security product sends to its vendor says which agreement allows sending
// it and what is done to it first (see proto/provision/v1/options.proto).
// The generator turns those annotations into Go — validators, redaction,
// consent gating, safe logging — and that generated Go calls this package
// for everything that is not specific to one schema:
//
//   - [Consent] is the set of agreements a run of the product holds, closed
//     under the implications its catalog declares (an extended cloud mode
//     implying the standard one, which implies the licence agreement).
//     Generated code sends a field only when [Consent.Grants] its required
//     agreement.
//   - [KeyProvider] supplies the keys of keyed hashes by id; [StaticKeys]
//     is an in-memory provider. Keys never print: every type holding one
//     formats and logs as "[redacted]".
//   - The transforms, one per redaction strategy of the vocabulary:
//     [Hasher] (HMAC-SHA256), [IPTruncator], [URLSanitizer],
//     [VersionGeneralizer], [Buckets], [Masker], and the
//     differential-privacy mechanisms [Laplace] and [Geometric].
//   - [StrategyKind] defines each redaction strategy once: its name, the
//     field kinds it fits, its defaults, its description ([DescribeRedaction])
//     and its place in the strength order ([Weaker]). [NewStrategy]
//     compiles an annotation into a [Strategy] that applies it.
//
// Each transform is built once from the schema's parameters by a
// constructor that validates them, and is then applied to many values;
// the built value is immutable and safe for concurrent use unless its
// documentation says otherwise.
//
// Everything here fails closed. A value a transform cannot handle (an
// unparsable address, a NaN, a malformed version) yields an error and the
// caller drops the value: nothing is ever passed through unredacted. No
// function panics on any input, and no error message repeats the input it
// rejects, since that input is the personal data being protected; errors
// wrap sentinel values ([ErrInvalidIP], [ErrInvalidURL] …) for errors.Is.
package provision
