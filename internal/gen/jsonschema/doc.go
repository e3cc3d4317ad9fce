// Package jsonschema generates JSON Schema (draft 2020-12) for every
// scenario of the catalog: one schema of the payload as collected, with
// every field, and one per distinct consent level of the payload as
// transmitted, with only the fields that consent lets through, each in the
// shape its redaction gives it. An index maps every scenario and consent
// level to its file. It is a pure generator: model in, files out; the
// plugin command protoc-gen-provision-jsonschema only wires it to protogen.
//
// # protojson
//
// The schemas accept every payload protojson reads, in each form it
// reads: properties by JSON name or, as aliases, by proto name (never
// both: protojson refuses that); no other property; null for "not set";
// a field without presence absent, null or at its default; integers as
// JSON numbers (1, 1.0, 1e0) or as strings holding one ("1", "1.0"),
// whatever the kind, within its range; floating-point numbers as JSON
// numbers, as strings holding one, or as "NaN", "Infinity", "-Infinity";
// enums by name or by number (any number of the int32 range the rules
// allow); bytes as base64 in the standard or the URL-safe alphabet,
// padded or not, whatever the last character's unused bits; Timestamp,
// Duration and FieldMask as the strings protojson parses (an offset up to
// 24:60, a fraction after "," as well as "."; "+1s" and ".5s"; white
// space around a mask, a path segment with a capital); wrappers as their
// value; Struct, Value, ListValue, Empty and Any as protojson writes them;
// maps as objects whose keys protojson parses as the key kind (integer
// keys with leading zeros and, for signed kinds, a "+"); at most one
// member of a oneof.
//
// # buf.validate
//
// Rules become keywords: string lengths (in characters), pattern, prefix,
// suffix, contains, not_contains, in, not_in, const, and the formats
// email, uri, uri_ref, ip, ipv4, ipv6, uuid and tuuid as patterns that
// enforce them; a format keyword only where its usual meaning agrees with
// protovalidate's (ipv4 and uuid, and ipv6 for a truncated address, which
// has no zone): ajv-formats and other validators refuse
// "a@localhost" as an email, "fe80::1%eth0" as an IPv6 address and
// "http://[fe80::1%25eth0]/" as a URI, which protovalidate accepts. Bytes
// lengths (as base64 lengths, padding telling byte counts apart), in,
// not_in, const (as patterns matching every encoding of the value), ip,
// ipv4, ipv6, uuid. Integer ranges, in, not_in and const, of every width
// (as keywords on JSON numbers and as patterns of the decimals protojson
// reads from strings); floating-point ranges, in, not_in, const and
// finite; enum const, defined_only, in and not_in; repeated min_items,
// max_items, unique and item rules; map min_pairs, max_pairs, key rules
// (of every key kind) and value rules; required; ignore, on fields, items,
// keys and values (IGNORE_IF_ZERO_VALUE only for what has no presence, as
// protovalidate does; a message oneof rule implies it for its fields);
// oneof required; the message oneof rule. A field without presence whose
// default breaks a rule must be present.
//
// JSON Schema cannot state, and the schemas carry instead:
//   - CEL rules of fields and messages, in x-buf-validate-cel with their
//     id, message and expression;
//   - in x-buf-validate-unexpressed: string min_bytes, max_bytes and
//     len_bytes (UTF-8 byte counts), hostname, address, the *_prefix and
//     *_with_prefixlen formats, host_and_port, ulid, the protobuf name
//     formats and well_known_regex; bytes pattern, prefix, suffix and
//     contains (they apply to the decoded bytes); every Timestamp,
//     Duration, Any and FieldMask rule; predefined rules.
//
// These forms protojson reads are checked in part, and a payload that
// breaks a rule in one of them may be accepted:
//   - a number written as a string in exponent notation ("5e0") into an
//     integer field, and a number written as a string into a
//     floating-point field ("1.5"): only its syntax (a regular expression
//     cannot tell whether 55e-1 is integral, or compare 1.5e1 with a bound);
//   - base64 with line breaks, which Go's decoder skips: only its
//     characters;
//   - a double beyond double's range (1e309): any JSON number passes,
//     since JavaScript reads double's limit as Infinity, which Ajv refuses
//     as a bound;
//   - -0 as a JSON number in a floating-point field is zero to JSON
//     Schema and set to protobuf: a required field refuses it, a field
//     with IGNORE_IF_ZERO_VALUE skips its rules for it; a number that
//     rounds to zero (1e-400) is not taken for zero;
//   - within a day and an hour of the ends of the Timestamp range, an
//     offset that carries the time out of it is compared by the hour, not
//     the minute.
//
// Known differences: patterns are RE2 and run as ECMA-262 regular
// expressions elsewhere (the patterns of the catalogs and of this package
// mean the same in both); float bounds are compared as the decimals
// protojson writes; a validator that reads JSON numbers as doubles (Ajv,
// and JavaScript generally) compares integers beyond 2^53 as doubles, so
// that 2^64 passes for the largest uint64; protovalidate v1.4.0 accepts
// some strings as uri_ref, IPv6 addresses with a "::" and an embedded IPv4
// address of eight pieces or more ("0:0:0:0:0:0::0.0.0.0"), and otherwise
// valid IPv6 addresses ending in a single ":" before a zone ("1::2:%eth0")
// only through parser slips, which the schema, following RFC 3986 and RFC
// 4291, refuses.
//
// The tests hold the schemas to this: TestMutationCorpus breaks each rule
// of each field of every scenario once and writes each value in each form
// protojson reads, and checks the verdicts of the schemas against
// protojson and protovalidate; TestAjv runs the same corpus through Ajv.
//
// # Validators
//
// Every keyword the schemas add to JSON Schema's own is an annotation
// whose name begins with "x-", and index.json lists them under
// "vocabulary": a validator that refuses unknown keywords, as Ajv does in
// its default strict mode, is told of them once
// (ajv.addVocabulary(index.vocabulary)).
//
// # Privacy metadata
//
// Every property carries x-provision-label (and the label as its
// description), x-provision-category, x-provision-identifiability,
// x-provision-agreement, x-provision-purposes, x-provision-strategy (as
// collected, the strategy and its overrides; as transmitted, the one that
// applies) and x-provision-proto-name. The root names the scenario,
// product, message, agreement, variant and, as transmitted, the consent
// levels the file stands for.
//
// # As transmitted
//
// What is sent under a consent is model.Field.Under, nothing else; a
// field withheld takes only what protojson reads as not set (null, or the
// default of a field without presence). A kept value keeps its schema;
// otherwise the value takes the strategy's shape and only the rules that
// still hold: hmac gives impl.HashStringPattern ("v2:" and 64 lowercase
// hex digits; bytes: the impl.HashBytesLen bytes of a versioned hash, its
// first byte impl.HashVersion, in every base64 form protojson reads, of
// which impl.HashBytesBase64Pattern is the one it writes), ip_truncate an
// IP address of the field's version without zone, url_sanitize a web
// address as the runtime's sanitiser writes it (below),
// generalize_version at most N components, bucket one of the bounds as the
// runtime converts them for the field's kind, mask a string of the same
// length in characters, dp_noise any value of the field's type (noise may
// carry it out of the field's range). Counts of lists and maps, and map
// keys, keep their rules. A field stays required only when the strategy
// cannot clear it: the runtime clears a value the strategy cannot take (a
// URI without a host, a version with other characters), and bucketing and
// noise may give zero. Consents under which the scenario is not sent map
// to a schema that accepts nothing.
//
// A sanitised web address has one of impl.URLSchemes, "//", a host (in
// lower case; an IPv4 address, or an IPv6 address in brackets without
// zone, truncated to impl.DefaultIPv4Prefix or impl.DefaultIPv6Prefix
// bits; a name whose last label is no number), a port of 1 to 65535
// without leading zeros or none, no user information, a path, path
// parameters and a query only where the strategy keeps them, and no
// fragment. After the host nothing holds an "@" (a segment or parameter
// that held one is redacted), every "%" begins an escape, and a "://",
// escaped or not, appears only where a parameter's value is a web address
// that the sanitiser sanitised and escaped: the value then begins with
// one of the schemes and "%3A%2F%2F". A parameter of the query or of a
// path segment that the sanitiser deems sensitive holds no value or
// "REDACTED" (impl.RedactedQueryValue). The sensitive names are the
// runtime's, read from it: the patterns of impl.SensitiveQueryNames, each
// matched whole, as a prefix, as a suffix or anywhere (impl.NameMatch;
// whole and suffix patterns ignore trailing digits), and the strategy's
// redact_query, matched whole; a name is compared percent-decoded and
// normalised (impl.NormaliseParamName: its letters and digits, in lower
// case, Unicode's: the Kelvin sign is a "k"). FuzzSanitisedURL holds the
// pattern to the sanitiser.
//
// The pattern accepts some addresses the sanitiser would change:
//   - a sensitive name spelled with a character that is not ASCII and is
//     neither a letter nor a digit (or a byte that is no UTF-8) among its
//     letters, which normalising drops: the pattern knows only the ASCII
//     ones;
//   - an "@", a "://" or a broken escape hidden under more than one level
//     of percent-encoding ("%252540"), which the sanitiser finds by
//     decoding up to four times: the pattern decodes once;
//   - a web address carried, escaped, in a parameter's value: only that
//     the value begins with one of the schemes and "%3A%2F%2F" and holds
//     no "@" is checked, not the address's host, path or query;
//   - a host name escaped with a non-ASCII character that lower-casing
//     would change, and an IPv6 host that embeds IPv4 where the sanitiser
//     keeps fewer bits (6to4): it is checked to impl.DefaultIPv6Prefix
//     bits.
package jsonschema
