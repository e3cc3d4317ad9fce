package compat

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// ruleCase is a change from old to new and the rules it breaks in each
// direction: backward (new reads old: BACKWARD) and forward (old reads
// new: FORWARD). FULL must break their union.
type ruleCase struct {
	name              string
	old, new          string
	oldDeps, newDeps  map[string]string
	backward, forward []Rule
	// differs names the known difference (knownDifferences, in the
	// package documentation) by which BACKWARD and buf breaking's WIRE
	// disagree on the case, "" when they agree; TestDifferentialBuf
	// checks it.
	differs string
}

// p2 starts a proto2 schema of package t.
const p2 = "syntax = \"proto2\";\npackage t;\n"

// ruleCases cover every rule of Confluent's, each in both directions, and
// the changes Confluent counts as compatible, including those where it
// differs from buf (the package documentation lists them).
var ruleCases = []ruleCase{
	// PACKAGE_CHANGED
	{
		name:     "package changed",
		old:      "syntax = \"proto3\"; package a; message M { int32 x = 1; }",
		new:      "syntax = \"proto3\"; package b; message M { int32 x = 1; }",
		backward: []Rule{RulePackageChanged},
		forward:  []Rule{RulePackageChanged},
	},
	{
		name: "package changed, field types keep their names without it",
		old:  "syntax = \"proto3\"; package a; message M { N n = 1; } message N {}",
		new:  "syntax = \"proto3\"; package b; message M { N n = 1; } message N {}",
		// FIELD_NAMED_TYPE_CHANGED compares names without the package.
		backward: []Rule{RulePackageChanged},
		forward:  []Rule{RulePackageChanged},
	},
	{
		name:     "package added",
		old:      "syntax = \"proto3\"; message M { int32 x = 1; }",
		new:      "syntax = \"proto3\"; package a; message M { int32 x = 1; }",
		backward: []Rule{RulePackageChanged},
		forward:  []Rule{RulePackageChanged},
	},

	// MESSAGE_REMOVED
	{
		name:     "message removed",
		old:      "message M { int32 x = 1; } message N {}",
		new:      "message M { int32 x = 1; }",
		backward: []Rule{RuleMessageRemoved},
		differs:  "messages removed",
	},
	{
		name:    "message added: the old schema lacks it",
		old:     "message M { int32 x = 1; }",
		new:     "message M { int32 x = 1; } message N {}",
		forward: []Rule{RuleMessageRemoved},
	},
	{
		name:     "message renamed",
		old:      "message M {}",
		new:      "message N {}",
		backward: []Rule{RuleMessageRemoved},
		forward:  []Rule{RuleMessageRemoved},
		differs:  "messages removed",
	},
	{
		name:     "nested message removed",
		old:      "message M { message Inner {} }",
		new:      "message M {}",
		backward: []Rule{RuleMessageRemoved},
		differs:  "messages removed",
	},
	{
		name:     "message moved into an import",
		old:      "message M { N n = 1; } message N { int32 x = 1; }",
		new:      "import \"dep.proto\"; message M { N n = 1; }",
		newDeps:  map[string]string{"dep.proto": "message N { int32 x = 1; }"},
		backward: []Rule{RuleMessageRemoved},
		differs:  "messages removed",
	},
	{
		name:     "message moved into another message",
		old:      "message M { } message N {}",
		new:      "message M { message N {} }",
		backward: []Rule{RuleMessageRemoved},
		forward:  []Rule{RuleMessageRemoved},
		differs:  "messages removed",
	},
	{
		name: "messages reordered",
		old:  "message M {} message N {}",
		new:  "message N {} message M {}",
	},
	{
		name:    "map entry gone with its map field",
		old:     "message M { map<string, int32> counts = 1; }",
		new:     "message M {}",
		differs: "removed field number not reserved",
	},

	// FIELD_KIND_CHANGED
	{
		name:     "scalar to message",
		old:      "message M { int32 x = 1; } message N {}",
		new:      "message M { N x = 1; } message N {}",
		backward: []Rule{RuleFieldKindChanged},
		forward:  []Rule{RuleFieldKindChanged},
	},
	{
		name:     "enum to message",
		old:      "message M { E x = 1; } message N {} enum E { E_ZERO = 0; }",
		new:      "message M { N x = 1; } message N {} enum E { E_ZERO = 0; }",
		backward: []Rule{RuleFieldKindChanged},
		forward:  []Rule{RuleFieldKindChanged},
	},
	{
		name:     "scalar to map",
		old:      "message M { string x = 1; }",
		new:      "message M { map<string, string> x = 1; }",
		backward: []Rule{RuleFieldKindChanged},
		forward:  []Rule{RuleFieldKindChanged},
	},
	{
		name:     "map to a repeated message of the same shape",
		old:      "message M { map<string, int32> x = 1; }",
		new:      "message M { message XEntry { string key = 1; int32 value = 2; } repeated XEntry x = 1; }",
		backward: []Rule{RuleFieldKindChanged},
		forward:  []Rule{RuleFieldKindChanged},
		differs:  "map and repeated entries",
	},
	{
		name:     "group to message (our addition: the wire types differ)",
		old:      p2 + "message M { optional group G = 1 { optional int32 x = 2; } }",
		new:      p2 + "message M { message G { optional int32 x = 2; } optional G g = 1; }",
		backward: []Rule{RuleFieldKindChanged},
		forward:  []Rule{RuleFieldKindChanged},
	},
	{
		name:     "message to delimited message in editions (our addition)",
		old:      "edition = \"2023\"; package t; message M { N n = 1; } message N {}",
		new:      "edition = \"2023\"; package t; message M { N n = 1 [features.message_encoding = DELIMITED]; } message N {}",
		backward: []Rule{RuleFieldKindChanged},
		forward:  []Rule{RuleFieldKindChanged},
	},

	// FIELD_SCALAR_KIND_CHANGED and the groups
	{
		name:     "int32 to sint32",
		old:      "message M { int32 x = 1; }",
		new:      "message M { sint32 x = 1; }",
		backward: []Rule{RuleFieldScalarKindChanged},
		forward:  []Rule{RuleFieldScalarKindChanged},
	},
	{
		name:     "string to int64",
		old:      "message M { string x = 1; }",
		new:      "message M { int64 x = 1; }",
		backward: []Rule{RuleFieldScalarKindChanged},
		forward:  []Rule{RuleFieldScalarKindChanged},
	},
	{
		name:     "float to double",
		old:      "message M { float x = 1; }",
		new:      "message M { double x = 1; }",
		backward: []Rule{RuleFieldScalarKindChanged},
		forward:  []Rule{RuleFieldScalarKindChanged},
	},
	{
		name:     "fixed32 to fixed64",
		old:      "message M { fixed32 x = 1; }",
		new:      "message M { fixed64 x = 1; }",
		backward: []Rule{RuleFieldScalarKindChanged},
		forward:  []Rule{RuleFieldScalarKindChanged},
	},
	{
		name:     "enum to string",
		old:      "message M { E x = 1; } enum E { E_ZERO = 0; }",
		new:      "message M { string x = 1; } enum E { E_ZERO = 0; }",
		backward: []Rule{RuleFieldScalarKindChanged},
		forward:  []Rule{RuleFieldScalarKindChanged},
	},
	{
		name:     "oneof member changes kind",
		old:      "message M { oneof o { int32 a = 1; string b = 2; } }",
		new:      "message M { oneof o { int32 a = 1; double b = 2; } }",
		backward: []Rule{RuleFieldScalarKindChanged},
		forward:  []Rule{RuleFieldScalarKindChanged},
	},
	{
		name:     "map value kind",
		old:      "message M { map<string, int32> x = 1; }",
		new:      "message M { map<string, string> x = 1; }",
		backward: []Rule{RuleFieldScalarKindChanged},
		forward:  []Rule{RuleFieldScalarKindChanged},
	},
	{
		name:     "map key kind",
		old:      "message M { map<string, int32> x = 1; }",
		new:      "message M { map<int64, int32> x = 1; }",
		backward: []Rule{RuleFieldScalarKindChanged},
		forward:  []Rule{RuleFieldScalarKindChanged},
	},
	{name: "int32 to uint64", old: "message M { int32 x = 1; }", new: "message M { uint64 x = 1; }"},
	{name: "int64 to bool", old: "message M { int64 x = 1; }", new: "message M { bool x = 1; }"},
	{name: "sint32 to sint64", old: "message M { sint32 x = 1; }", new: "message M { sint64 x = 1; }"},
	{name: "string to bytes", old: "message M { string x = 1; }", new: "message M { bytes x = 1; }"},
	{name: "bytes to string", old: "message M { bytes x = 1; }", new: "message M { string x = 1; }", differs: "bytes to string"},
	{name: "fixed32 to sfixed32", old: "message M { fixed32 x = 1; }", new: "message M { sfixed32 x = 1; }"},
	{name: "sfixed64 to fixed64", old: "message M { sfixed64 x = 1; }", new: "message M { fixed64 x = 1; }"},
	{name: "enum to int32", old: "message M { E x = 1; } enum E { E_ZERO = 0; }", new: "message M { int32 x = 1; } enum E { E_ZERO = 0; }", differs: "enums"},
	{name: "uint32 to enum", old: "message M { uint32 x = 1; }", new: "message M { E x = 1; } enum E { E_ZERO = 0; }", differs: "enums"},
	{
		name:    "enum type changed to another enum",
		old:     "message M { E x = 1; } enum E { E_ZERO = 0; } enum F { F_ZERO = 0; }",
		new:     "message M { F x = 1; } enum E { E_ZERO = 0; } enum F { F_ZERO = 0; }",
		differs: "enums",
	},
	{name: "map key int32 to int64", old: "message M { map<int32, string> x = 1; }", new: "message M { map<int64, string> x = 1; }"},

	// FIELD_NAMED_TYPE_CHANGED
	{
		name:     "message type changed",
		old:      "message M { A x = 1; } message A { int32 a = 1; } message B { int32 a = 1; }",
		new:      "message M { B x = 1; } message A { int32 a = 1; } message B { int32 a = 1; }",
		backward: []Rule{RuleFieldNamedTypeChanged},
		forward:  []Rule{RuleFieldNamedTypeChanged},
	},
	{
		name:     "map value message type changed",
		old:      "message M { map<string, A> x = 1; } message A {} message B {}",
		new:      "message M { map<string, B> x = 1; } message A {} message B {}",
		backward: []Rule{RuleFieldNamedTypeChanged},
		forward:  []Rule{RuleFieldNamedTypeChanged},
	},
	{
		name:    "imported type of the same name, other package, compatible",
		old:     "import \"dep.proto\"; message M { d.N n = 1; }",
		oldDeps: map[string]string{"dep.proto": "syntax = \"proto3\"; package d; message N { int32 x = 1; }"},
		new:     "import \"dep2.proto\"; message M { e.N n = 1; }",
		newDeps: map[string]string{"dep2.proto": "syntax = \"proto3\"; package e; message N { int64 x = 1; string y = 2; }"},
		differs: "message type of the same name",
	},
	{
		name:     "imported type changed incompatibly",
		old:      "import \"dep.proto\"; message M { d.N n = 1; }",
		oldDeps:  map[string]string{"dep.proto": "syntax = \"proto3\"; package d; message N { int32 x = 1; }"},
		new:      "import \"dep.proto\"; message M { d.N n = 1; }",
		newDeps:  map[string]string{"dep.proto": "syntax = \"proto3\"; package d; message N { string x = 1; }"},
		backward: []Rule{RuleFieldNamedTypeChanged, RuleFieldScalarKindChanged},
		forward:  []Rule{RuleFieldNamedTypeChanged, RuleFieldScalarKindChanged},
	},
	{
		name:     "imported type's nested message removed",
		old:      "import \"dep.proto\"; message M { d.N n = 1; }",
		oldDeps:  map[string]string{"dep.proto": "syntax = \"proto3\"; package d; message N { message O {} }"},
		new:      "import \"dep.proto\"; message M { d.N n = 1; }",
		newDeps:  map[string]string{"dep.proto": "syntax = \"proto3\"; package d; message N { }"},
		backward: []Rule{RuleFieldNamedTypeChanged, RuleMessageRemoved},
		differs:  "imported type changed",
	},
	{
		name:    "imported recursive type changed compatibly",
		old:     "import \"dep.proto\"; message M { d.N n = 1; }",
		oldDeps: map[string]string{"dep.proto": "syntax = \"proto3\"; package d; message N { N next = 1; }"},
		new:     "import \"dep.proto\"; message M { d.N n = 1; }",
		newDeps: map[string]string{"dep.proto": "syntax = \"proto3\"; package d; message N { N next = 1; int32 x = 2; }"},
	},
	{
		name: "local message changed incompatibly is reported where it is declared",
		old:  "message M { N n = 1; } message N { int32 x = 1; }",
		new:  "message M { N n = 1; } message N { string x = 1; }",
		// The field n is not FIELD_NAMED_TYPE_CHANGED: N is compared once.
		backward: []Rule{RuleFieldScalarKindChanged},
		forward:  []Rule{RuleFieldScalarKindChanged},
	},
	{
		name: "well-known type kept",
		old:  "import \"google/protobuf/timestamp.proto\"; message M { google.protobuf.Timestamp at = 1; }",
		new:  "import \"google/protobuf/timestamp.proto\"; message M { google.protobuf.Timestamp when = 1; }",
	},

	// FIELD_NUMERIC_LABEL_CHANGED and the labels Confluent ignores
	{
		name:     "proto2 optional int32 to repeated",
		old:      p2 + "message M { optional int32 x = 1; }",
		new:      p2 + "message M { repeated int32 x = 1; }",
		backward: []Rule{RuleFieldNumericLabelChanged},
		forward:  []Rule{RuleFieldNumericLabelChanged},
	},
	{
		name:     "proto3 optional enum to repeated",
		old:      "message M { optional E x = 1; } enum E { E_ZERO = 0; }",
		new:      "message M { repeated E x = 1; } enum E { E_ZERO = 0; }",
		backward: []Rule{RuleFieldNumericLabelChanged},
		forward:  []Rule{RuleFieldNumericLabelChanged},
	},
	{
		name:     "proto2 required int64 to optional",
		old:      p2 + "message M { required int64 x = 1; }",
		new:      p2 + "message M { optional int64 x = 1; }",
		backward: []Rule{RuleFieldNumericLabelChanged},
		forward:  []Rule{RuleFieldNumericLabelChanged},
	},
	{
		name:     "proto2 repeated double to optional",
		old:      p2 + "message M { repeated double x = 1; }",
		new:      p2 + "message M { optional double x = 1; }",
		backward: []Rule{RuleFieldNumericLabelChanged},
		forward:  []Rule{RuleFieldNumericLabelChanged},
	},
	{
		name:    "proto3 int32 without label to repeated: Confluent sees no label",
		old:     "message M { int32 x = 1; }",
		new:     "message M { repeated int32 x = 1; }",
		differs: "labels Confluent does not compare",
	},
	{
		name: "proto3 int32 to optional",
		old:  "message M { int32 x = 1; }",
		new:  "message M { optional int32 x = 1; }",
	},
	{
		name:    "oneof member int32 to a repeated field",
		old:     "message M { oneof o { int32 x = 1; } }",
		new:     "message M { repeated int32 x = 1; }",
		differs: "labels Confluent does not compare",
	},
	{
		name:    "proto2 optional string to repeated",
		old:     p2 + "message M { optional string x = 1; }",
		new:     p2 + "message M { repeated string x = 1; }",
		differs: "labels Confluent does not compare",
	},
	{
		name:    "proto2 required bytes to optional",
		old:     p2 + "message M { required bytes x = 1; }",
		new:     p2 + "message M { optional bytes x = 1; }",
		differs: "labels Confluent does not compare",
	},
	{
		name:    "message to repeated message",
		old:     "message M { N x = 1; } message N {}",
		new:     "message M { repeated N x = 1; } message N {}",
		differs: "labels Confluent does not compare",
	},

	// REQUIRED_FIELD_ADDED, REQUIRED_FIELD_REMOVED
	{
		name:     "required field added",
		old:      p2 + "message M { optional int32 x = 1; }",
		new:      p2 + "message M { optional int32 x = 1; required string y = 2; }",
		backward: []Rule{RuleRequiredFieldAdded},
		forward:  []Rule{RuleRequiredFieldRemoved},
	},
	{
		name:     "required field removed",
		old:      p2 + "message M { optional int32 x = 1; required string y = 2; }",
		new:      p2 + "message M { optional int32 x = 1; }",
		backward: []Rule{RuleRequiredFieldRemoved},
		forward:  []Rule{RuleRequiredFieldAdded},
	},
	{
		name:     "required field added in editions",
		old:      "edition = \"2023\"; package t; message M { int32 x = 1; }",
		new:      "edition = \"2023\"; package t; message M { int32 x = 1; int32 y = 2 [features.field_presence = LEGACY_REQUIRED]; }",
		backward: []Rule{RuleRequiredFieldAdded},
		forward:  []Rule{RuleRequiredFieldRemoved},
		differs:  "editions required",
	},

	{
		name:     "required field removed in editions, its number reserved",
		old:      "edition = \"2023\"; package t; message M { int32 x = 1; int32 y = 2 [features.field_presence = LEGACY_REQUIRED]; }",
		new:      "edition = \"2023\"; package t; message M { int32 x = 1; reserved 2; }",
		backward: []Rule{RuleRequiredFieldRemoved},
		forward:  []Rule{RuleRequiredFieldAdded},
		differs:  "editions required",
	},

	// ONEOF_FIELD_REMOVED
	{
		name:     "oneof member removed, the oneof remains",
		old:      "message M { oneof o { int32 a = 1; string b = 2; } }",
		new:      "message M { oneof o { int32 a = 1; } }",
		backward: []Rule{RuleOneofFieldRemoved},
	},
	{
		name:    "oneof member added",
		old:     "message M { oneof o { int32 a = 1; } }",
		new:     "message M { oneof o { int32 a = 1; string b = 2; } }",
		forward: []Rule{RuleOneofFieldRemoved},
	},
	{
		name:     "oneof member removed, its number reserved",
		old:      "message M { oneof o { int32 a = 1; string b = 2; } }",
		new:      "message M { oneof o { int32 a = 1; } reserved 2; }",
		backward: []Rule{RuleOneofFieldRemoved},
		differs:  "oneof member removed",
	},
	{
		name:     "oneof member removed and the oneof renamed",
		old:      "message M { oneof o { int32 a = 1; string b = 2; } }",
		new:      "message M { oneof p { int32 a = 1; } }",
		backward: []Rule{RuleOneofFieldRemoved},
	},
	{
		name:    "oneof removed whole",
		old:     "message M { int32 x = 3; oneof o { int32 a = 1; string b = 2; } }",
		new:     "message M { int32 x = 3; }",
		differs: "removed field number not reserved",
	},
	{
		name:    "oneof renamed",
		old:     "message M { oneof o { int32 a = 1; string b = 2; } }",
		new:     "message M { oneof p { int32 a = 1; string b = 2; } }",
		differs: "oneof moves Confluent allows",
	},
	{
		name: "oneof member moved out to the top level",
		old:  "message M { oneof o { int32 a = 1; string b = 2; } }",
		new:  "message M { int32 a = 1; oneof o { string b = 2; } }",
		// FORWARD: the new schema's top-level a joins oneof o of the old.
		forward: []Rule{RuleFieldMovedToExistingOneof},
		differs: "oneof moves Confluent allows",
	},

	// MULTIPLE_FIELDS_MOVED_TO_ONEOF
	{
		name:     "two fields moved into a new oneof",
		old:      "message M { int32 a = 1; string b = 2; }",
		new:      "message M { oneof o { int32 a = 1; string b = 2; } }",
		backward: []Rule{RuleMultipleFieldsMovedToOneof},
	},
	{
		name:     "two fields moved into a oneof with a new member",
		old:      "message M { int32 a = 1; string b = 2; }",
		new:      "message M { oneof o { int32 a = 1; string b = 2; bool c = 3; } }",
		backward: []Rule{RuleMultipleFieldsMovedToOneof},
		forward:  []Rule{RuleOneofFieldRemoved},
	},

	// FIELD_MOVED_TO_EXISTING_ONEOF
	{
		name:     "field moved into an existing oneof",
		old:      "message M { int32 a = 1; oneof o { string b = 2; } }",
		new:      "message M { oneof o { int32 a = 1; string b = 2; } }",
		backward: []Rule{RuleFieldMovedToExistingOneof},
	},
	{
		name:     "two oneofs merged",
		old:      "message M { oneof o { int32 a = 1; } oneof p { string b = 2; } }",
		new:      "message M { oneof q { int32 a = 1; string b = 2; } }",
		backward: []Rule{RuleFieldMovedToExistingOneof},
	},
	{
		name: "field moved into a new oneof of its own",
		old:  "message M { int32 a = 1; }",
		new:  "message M { oneof o { int32 a = 1; string b = 2; } }",
		// FORWARD: b, a member of the new schema's oneof, is missing from the old.
		forward: []Rule{RuleOneofFieldRemoved},
		differs: "oneof moves Confluent allows",
	},
	{
		name:    "field moved into a new singleton oneof",
		old:     "message M { int32 a = 1; }",
		new:     "message M { oneof o { int32 a = 1; } }",
		differs: "oneof moves Confluent allows",
	},
	{
		name: "proto3 optional fields are not oneof members",
		old:  "message M { optional int32 a = 1; optional string b = 2; }",
		new:  "message M { int32 a = 1; string b = 2; }",
	},

	// Compatible changes.
	{name: "field added", old: "message M { int32 x = 1; }", new: "message M { int32 x = 1; string y = 2; }"},
	{name: "field removed", old: "message M { int32 x = 1; string y = 2; }", new: "message M { int32 x = 1; }", differs: "removed field number not reserved"},
	{name: "field renamed", old: "message M { int32 x = 1; }", new: "message M { int32 y = 1; }"},
	{name: "field renumbered", old: "message M { int32 x = 1; }", new: "message M { int32 x = 2; }", differs: "removed field number not reserved"},
	{name: "json_name changed", old: "message M { int32 x = 1; }", new: "message M { int32 x = 1 [json_name = \"why\"]; }"},
	{name: "enum removed", old: "message M {} enum E { E_ZERO = 0; }", new: "message M {}"},
	{name: "enum value removed", old: "enum E { E_ZERO = 0; E_ONE = 1; }", new: "enum E { E_ZERO = 0; }", differs: "enum values"},
	{name: "enum value renamed", old: "enum E { E_ZERO = 0; E_ONE = 1; }", new: "enum E { E_ZERO = 0; E_UNO = 1; }"},
	{name: "enum value renumbered", old: "enum E { E_ZERO = 0; E_ONE = 1; }", new: "enum E { E_ZERO = 0; E_ONE = 2; }", differs: "enum values"},
	{name: "reserved range removed", old: "message M { reserved 2 to 5; }", new: "message M {}", differs: "reservations"},
	{
		name:    "proto2 default changed",
		old:     p2 + "message M { optional int32 x = 1 [default = 4]; }",
		new:     p2 + "message M { optional int32 x = 1 [default = 5]; }",
		differs: "defaults",
	},
	{
		name: "extension removed",
		old:  p2 + "message M { extensions 100 to 200; } extend M { optional int32 x = 100; }",
		new:  p2 + "message M { extensions 100 to 200; }",
	},
	{
		name: "service changed",
		old:  "message M {} service S { rpc Do(M) returns (M); }",
		new:  "message M {} message N {} service S { rpc Do(N) returns (M); }",
		// FORWARD: the old schema lacks message N.
		forward: []Rule{RuleMessageRemoved},
		differs: "services",
	},
}

func TestRules(t *testing.T) {
	t.Parallel()
	for _, tt := range ruleCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			oldFD := compile(t, tt.old, tt.oldDeps)
			newFD := compile(t, tt.new, tt.newDeps)
			prev := []protoreflect.FileDescriptor{oldFD}
			want := map[Level][]Rule{
				None:               nil,
				Backward:           tt.backward,
				Forward:            tt.forward,
				Full:               union(tt.backward, tt.forward),
				BackwardTransitive: tt.backward,
				ForwardTransitive:  tt.forward,
				FullTransitive:     union(tt.backward, tt.forward),
			}
			for level, rules := range want {
				diffs, err := Check(level, newFD, prev)
				if err != nil {
					t.Fatalf("%v: %v", level, err)
				}
				if d := cmp.Diff(rules, rulesOf(diffs)); d != "" {
					t.Errorf("%v: rules (-want +got):\n%s\n%v", level, d, diffs)
				}
			}
			// Backward from old to new is forward from new to old.
			back, _ := Check(Forward, oldFD, []protoreflect.FileDescriptor{newFD})
			if d := cmp.Diff(tt.backward, rulesOf(back)); d != "" {
				t.Errorf("FORWARD with the versions swapped (-BACKWARD +got):\n%s", d)
			}
			// A schema is compatible with itself.
			for _, fd := range []protoreflect.FileDescriptor{oldFD, newFD} {
				if diffs, _ := Check(FullTransitive.RequireReserved(), fd, []protoreflect.FileDescriptor{fd}); len(diffs) != 0 {
					t.Errorf("a schema against itself: %v", diffs)
				}
			}
		})
	}
}
