// Package compat checks a candidate protobuf schema against the previous
// versions of its subject the way Confluent Schema Registry does for
// PROTOBUF (the diff package of its protobuf-provider, read from its
// source), at Confluent's compatibility levels, with one opt-in rule of
// ours. It reads descriptors (protoreflect.FileDescriptor, with their
// imports), so it needs neither buf nor protoc.
//
//	level, err := compat.ParseLevel("BACKWARD_TRANSITIVE")
//	...
//	diffs, err := compat.Check(level, candidate, previous) // previous: oldest first
//	...
//	for _, d := range diffs { // none: compatible
//		fmt.Println(d) // BACKWARD FIELD_SCALAR_KIND_CHANGED acme.v1.Usage.count: field count (3) is string in the old schema and int32 in the new schema, which are not wire-compatible
//	}
//
// # Levels
//
// NONE checks nothing. BACKWARD, the default, checks that the candidate
// reads data written with the latest previous version; FORWARD, that the
// latest previous version reads data written with the candidate; FULL,
// both. Their _TRANSITIVE forms check every previous version instead of
// the latest, newest first, and Check reports the differences with each
// (Confluent stops at the first incompatible version: the verdict is the
// same). ParseLevel reads Confluent's names in any case.
//
// A level whose name ends in _RESERVED (BACKWARD_RESERVED,
// FULL_TRANSITIVE_RESERVED, even NONE_RESERVED) adds our rule: a field or
// enum value that a checked previous version has and the candidate lacks
// must have its number reserved in the candidate, so that no later
// version gives the number another meaning. Level.RequireReserved makes
// such a level. The rule compares history, not readers, so its
// differences have the direction History whatever the level's direction;
// under a transitive level, a number removed at any time must stay
// reserved.
//
// # How two schemas are compared
//
// A check reads one schema, the reader, against data written with
// another, the writer: under BACKWARD the candidate reads the previous
// version's data, under FORWARD the previous version reads the
// candidate's, and a rule names what the reader lacks or changed. So the
// same edit can break a rule one way and not the other: a message added
// to the candidate is MESSAGE_REMOVED under FORWARD (the old schema, the
// reader, lacks it) and compatible under BACKWARD, as in Confluent.
//
//   - The whole file is compared, every message it declares at the top
//     level and nested, whatever message a record uses: Confluent selects
//     none either.
//   - Messages are matched by name, scope by scope (a nested message in
//     its parent of the same name), whatever the package. Fields are
//     matched by number, wherever they sit, in or out of a oneof; a
//     field's name and JSON name are not compared.
//   - Adding, removing, renaming or renumbering a field (a removal and an
//     addition) is compatible, unless a rule below says otherwise.
//   - Enums are not compared: adding, removing, renaming or renumbering
//     values, removing the enum, all are compatible. An enum field is a
//     varint scalar, wire-compatible with int32, int64, uint32, uint64
//     and bool, and may change to another enum type.
//   - A message type declared in an import is compared where a field uses
//     it (FIELD_NAMED_TYPE_CHANGED), unless both schemas import it from
//     the same file unchanged (Confluent: the same subject and version).
//     The import itself is a subject of its own, checked when it is
//     registered. A message both schemas declare themselves is compared
//     where it is declared, once, not at each field that uses it.
//   - A map field is neither a scalar nor a message: its key and its value
//     are compared as a scalar or a message type each. The map entry
//     messages are compared through their map fields only (Confluent
//     compares them again as nested messages, reporting each difference
//     twice).
//   - Labels: Confluent's schema model states a label for proto2 fields
//     (optional, required or repeated), for proto3 fields written
//     optional or repeated, and for every singular field of an editions
//     file (optional), and none for a proto3 field without keyword, a
//     oneof member, a map key or value. Only a numeric field (enums
//     included) whose label both schemas state must keep it
//     (FIELD_NUMERIC_LABEL_CHANGED). So a proto3 int32 may become
//     repeated, a string, bytes or message field may change its label
//     freely, and a proto3 field may gain or lose optional; the synthetic
//     oneof of a proto3 optional field is no oneof.
//   - Extensions, services, options, reserved declarations, defaults and
//     JSON names are not compared.
//   - A difference found twice (an imported type that several fields
//     use) is reported once.
//
// # Rules
//
// Confluent's rules keep the names of its difference types. Each example
// is an edit from the old schema to the new, under BACKWARD unless said.
//
// PACKAGE_CHANGED: the file's package changed (or was added or removed).
//
//	package acme.v1;  →  package acme.v2;
//
// MESSAGE_REMOVED: a message of the writer's schema, at the top level or
// nested, is not declared in the reader's, by name; renaming a message or
// moving it into an import or another message removes it. A map entry is
// not a message here. Under FORWARD, adding a message breaks it.
//
//	message Usage {} message Feature {}  →  message Usage {}
//
// FIELD_KIND_CHANGED: a field moved between scalar (enums included),
// message, group and map.
//
//	int32 count = 3;  →  Counter count = 3;
//	map<string, int32> counts = 4;  →  repeated CountsEntry counts = 4;
//
// FIELD_SCALAR_KIND_CHANGED: a scalar field, map key or map value left its
// wire-compatible group: {int32, int64, uint32, uint64, bool, enum},
// {sint32, sint64}, {string, bytes}, {fixed32, sfixed32}, {fixed64,
// sfixed64}, {float}, {double}.
//
//	int32 count = 3;  →  sint32 count = 3;
//	map<string, int32> counts = 4;  →  map<string, string> counts = 4;
//
// FIELD_NAMED_TYPE_CHANGED: a message field's type has another name,
// without its package; or a type of the same name declared in an import
// is no longer compatible, whose differences are reported too.
//
//	Feature used = 5;  →  Command used = 5;
//
// FIELD_NUMERIC_LABEL_CHANGED: a numeric field whose label both schemas
// state changed it.
//
//	optional int32 retries = 6;  →  repeated int32 retries = 6;   // proto2, or proto3 optional
//
// REQUIRED_FIELD_ADDED: the reader has a required field the writer lacks
// (proto2 required, or LEGACY_REQUIRED in editions). Under FORWARD,
// removing a required field breaks it.
//
//	optional string id = 1;  →  optional string id = 1; required int64 at = 2;
//
// REQUIRED_FIELD_REMOVED: the reader lacks a required field of the
// writer. Under FORWARD, adding a required field breaks it.
//
//	required string id = 1; optional int64 at = 2;  →  optional int64 at = 2;
//
// ONEOF_FIELD_REMOVED: a member of a oneof was removed while the oneof
// (by name) or another of its members remains; removing a oneof whole is
// compatible. Under FORWARD, adding a member to a oneof breaks it.
//
//	oneof source { string url = 7; bytes file = 8; }  →  oneof source { string url = 7; }
//
// MULTIPLE_FIELDS_MOVED_TO_ONEOF: a oneof of the reader holds several
// fields that are outside any oneof in the writer's schema.
//
//	string url = 7; bytes file = 8;  →  oneof source { string url = 7; bytes file = 8; }
//
// FIELD_MOVED_TO_EXISTING_ONEOF: a oneof of the reader joins fields that
// were not members of one oneof: a field moved into an existing oneof,
// or two oneofs merged. Moving one field into a new oneof of its own is
// compatible.
//
//	string url = 7; oneof source { bytes file = 8; }  →  oneof source { string url = 7; bytes file = 8; }
//
// FIELD_NUMBER_NOT_RESERVED (ours, with _RESERVED): a field of a previous
// version is missing from the candidate's message of the same name, and
// the candidate does not reserve its number (reserving its name is not
// enough).
//
//	string url = 7; bytes file = 8;  →  string url = 7;   // fine with: reserved 8;
//
// ENUM_VALUE_NUMBER_NOT_RESERVED (ours, with _RESERVED): an enum value
// number of a previous version is missing from the candidate's enum of
// the same name, and the candidate does not reserve it.
//
//	enum Mode { MODE_UNSPECIFIED = 0; MODE_FAST = 1; }  →  enum Mode { MODE_UNSPECIFIED = 0; }
//
// Rules returns each rule with one sentence saying what it checks.
//
// # Where we depart from Confluent
//
//   - A group field (proto2 group, or a delimited message in editions) and
//     a message field are of different kinds (FIELD_KIND_CHANGED): their
//     wire types differ. Confluent's text parser ignores groups, and its
//     descriptor path sees a message field either way.
//   - A LEGACY_REQUIRED field of an editions file is required. Confluent
//     reads the proto2 label of the descriptor only, which editions leave
//     optional.
//   - The _RESERVED levels and their rules are ours.
//   - Under a transitive level every incompatible version is reported,
//     not only the newest.
//
// # Where Confluent's semantics differ from buf breaking
//
// buf breaking's WIRE category is the closest of buf's to these
// semantics, and WIRE_JSON the one for JSON-facing schemas (it also
// refuses what changes the JSON form, such as renames). The tests use both
// as oracles: TestDifferentialBuf writes a corpus of 1,500 pairs, a few
// base schemas (proto3, proto2, one importing another, editions) and
// mutations of them (every scalar field to every other scalar kind, enum
// and message kinds, named types, renames, removals with and without
// reservations, renumberings, labels and presence, moves into and out of
// oneofs, defaults, JSON names, messages and enums added, removed and
// renamed, enum values, the package, a message moved into an import, and
// random combinations), each in files and packages of its own, into two
// images; runs buf breaking on them once per category (a subprocess: buf
// cannot be linked); and compares BACKWARD's verdict with buf's, each
// file checked as a registry checks it, as a subject of its own. Measured
// on the default corpus:
//
//   - buf WIRE: BACKWARD agrees with it on 1,169 of the 1,500 pairs,
//     BACKWARD_RESERVED on 1,343.
//   - buf WIRE_JSON: BACKWARD agrees with it on 920 of the 1,500 pairs,
//     BACKWARD_RESERVED on 1,094.
//
// Our FIELD_NUMBER_NOT_RESERVED goes with buf's
// FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED on every pair whose package
// stays. Every disagreement is one of the following, each shown by a
// table test that names it (ruleCase.differs, knownDifference.shownBy):
//
//   - removed field number not reserved: buf refuses removing a field
//     without reserving its number; Confluent accepts it (use a _RESERVED
//     level to refuse it).
//   - enum values: buf refuses removing an enum value without reserving
//     its number; Confluent does not compare enums.
//   - reservations: buf refuses removing a reserved range or name;
//     Confluent does not read them.
//   - defaults: buf refuses changing a proto2 default; Confluent does not
//     read them.
//   - enums: buf refuses changing a field between an enum and an integer,
//     or to an enum of another name; Confluent counts enums as varints.
//   - bytes to string: buf refuses bytes to string (the bytes may not be
//     UTF-8) and allows string to bytes; Confluent allows both.
//   - message type of the same name: buf refuses a field's message type
//     of another full name; Confluent compares names without the package,
//     and the types' fields when they come from imports.
//   - labels Confluent does not compare: buf refuses any change between
//     singular, repeated and required; Confluent compares the labels of
//     numeric fields only, and only where its model states them (above).
//   - oneof moves Confluent allows: buf refuses any field moving into,
//     out of or between oneofs, or a oneof renamed; Confluent refuses only
//     fields joining a oneof from more than one origin.
//   - services: buf refuses changing an RPC's request or response type,
//     streaming or idempotency; Confluent compares no services.
//   - messages removed: Confluent refuses removing, renaming or moving a
//     message; WIRE does not look for deleted messages (its FILE and
//     PACKAGE categories do).
//   - imported type changed: the field of an imported type that changed
//     incompatibly is FIELD_NAMED_TYPE_CHANGED beside the type's own
//     differences, which buf reports at the type only.
//   - map and repeated entries: Confluent refuses changing a map into a
//     repeated message of the entry's shape (a map is its own kind); buf
//     accepts it, the bytes being the same.
//   - oneof member removed: Confluent refuses removing a member of a
//     oneof that remains, even with its number reserved; buf accepts it
//     reserved.
//   - editions required: we count LEGACY_REQUIRED fields of editions
//     files as required (above); buf's MESSAGE_SAME_REQUIRED_FIELDS reads
//     the proto2 label only.
//   - JSON form: under WIRE_JSON only, buf refuses renaming a field or
//     enum value, changing a JSON name, removing a field or value without
//     reserving its name, and kinds or cardinalities of different JSON
//     forms (int32 and int64, a map and a repeated field); Confluent's
//     semantics are the binary wire's only.
package compat
