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
// The schemas describe what protojson writes, and what it reads where that
// does not loosen the rules: properties by JSON name and, as aliases, by
// proto name (never both: protojson refuses that); no other property;
// null for "not set"; a field without presence absent or at its default;
// 64-bit integers as decimal strings within their range; enums by name (by
// number for values the enum does not define, unless defined_only);
// bytes as padded standard base64; Timestamp, Duration, FieldMask as
// strings, wrappers as their value, Struct, Value, ListValue, Empty and
// Any as protojson writes them; maps as objects with string keys of the
// key kind; at most one member of a oneof. The schemas do not accept the
// looser input protojson also takes (numbers written as strings for 32-bit
// kinds, 64-bit integers as JSON numbers, URL-safe or unpadded base64,
// enum numbers for defined values).
//
// # buf.validate
//
// Rules become keywords: string lengths (in characters), pattern, prefix,
// suffix, contains, not_contains, in, not_in, const, and the formats
// email, uri, uri_ref, ip, ipv4, ipv6, uuid and tuuid, each as a format
// keyword and a pattern that enforces it where formats are not asserted;
// bytes lengths (as base64 lengths, padding telling byte counts apart),
// in, not_in, const, ip, ipv4, ipv6, uuid; numeric ranges (exclusive ones
// included), in, not_in, const and finite for 32-bit integers and
// floating-point numbers; const, in and not_in for 64-bit integers; enum
// const, defined_only, in and not_in; repeated min_items, max_items,
// unique and item rules; map min_pairs, max_pairs, key and value rules;
// required; ignore; oneof required; the message oneof rule. A field
// without presence whose default breaks a rule must be present.
//
// JSON Schema cannot state, and the schemas carry instead:
//   - CEL rules of fields and messages, in x-buf-validate-cel with their
//     id, message and expression;
//   - in x-buf-validate-unexpressed: string min_bytes, max_bytes and
//     len_bytes (UTF-8 byte counts), hostname, address, the *_prefix and
//     *_with_prefixlen formats, host_and_port, ulid, the protobuf name
//     formats and well_known_regex; bytes pattern, prefix, suffix and
//     contains (they apply to the decoded bytes); ranges of 64-bit
//     integers (JSON strings cannot be compared as numbers); every
//     Timestamp, Duration, Any and FieldMask rule; predefined rules.
//
// Known differences: patterns are RE2 and run as ECMA-262 regular
// expressions elsewhere (the catalog's patterns mean the same in both);
// float bounds are compared as the decimals protojson writes; the
// Timestamp pattern does not know month lengths (format date-time does);
// protovalidate v1.4.0 accepts some strings as uri_ref, IPv6 addresses
// with a "::" and an embedded IPv4 address of eight pieces or more
// ("0:0:0:0:0:0::0.0.0.0"), and otherwise valid IPv6 addresses ending in
// a single ":" before a zone ("1::2:%eth0") only through parser slips,
// which the schema, following RFC 3986 and RFC 4291, refuses.
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
// What is sent under a consent is model.Field.Under, nothing else. A kept
// value keeps its schema; otherwise the value takes the strategy's shape
// and only the rules that still hold: hmac gives 64 lowercase hex digits
// (bytes: the base64 of 32 bytes), ip_truncate an IP address of the
// field's version without zone, url_sanitize a URI, generalize_version
// at most N components, bucket one of the bounds as the runtime converts
// them for the field's kind, mask a string of the same length in
// characters, dp_noise any value of the field's type (noise may carry it
// out of the field's range). Counts of lists and maps, and map keys, keep
// their rules. A field stays required only when the strategy cannot clear
// it: the runtime clears a value the strategy cannot take (a URI without a
// host, a version with other characters), and bucketing and noise may give
// zero. Consents under which the scenario is not sent map to a schema that
// accepts nothing.
package jsonschema
