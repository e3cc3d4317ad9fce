package compat

// Rule is the stable ID of a compatibility rule, in UPPER_SNAKE. The
// rules of Confluent Schema Registry keep the names of its difference
// types (protobuf-provider, diff/Difference.java), so that a finding reads
// the same on either registry.
type Rule string

// The rules of Confluent Schema Registry's protobuf compatibility: each
// names a difference Confluent counts as incompatible. The package
// documentation gives an example of each.
const (
	RulePackageChanged             Rule = "PACKAGE_CHANGED"
	RuleMessageRemoved             Rule = "MESSAGE_REMOVED"
	RuleFieldKindChanged           Rule = "FIELD_KIND_CHANGED"
	RuleFieldScalarKindChanged     Rule = "FIELD_SCALAR_KIND_CHANGED"
	RuleFieldNamedTypeChanged      Rule = "FIELD_NAMED_TYPE_CHANGED"
	RuleFieldNumericLabelChanged   Rule = "FIELD_NUMERIC_LABEL_CHANGED"
	RuleRequiredFieldAdded         Rule = "REQUIRED_FIELD_ADDED"
	RuleRequiredFieldRemoved       Rule = "REQUIRED_FIELD_REMOVED"
	RuleOneofFieldRemoved          Rule = "ONEOF_FIELD_REMOVED"
	RuleMultipleFieldsMovedToOneof Rule = "MULTIPLE_FIELDS_MOVED_TO_ONEOF"
	RuleFieldMovedToExistingOneof  Rule = "FIELD_MOVED_TO_EXISTING_ONEOF"
)

// The rules of our opt-in addition, checked under a level with
// RequireReserved.
const (
	RuleFieldNumberNotReserved     Rule = "FIELD_NUMBER_NOT_RESERVED"
	RuleEnumValueNumberNotReserved Rule = "ENUM_VALUE_NUMBER_NOT_RESERVED"
)

// RuleSpec describes a rule: its ID, one sentence saying what it checks,
// and whether Confluent Schema Registry has it.
type RuleSpec struct {
	ID        Rule
	Purpose   string
	Confluent bool
}

// rules are the specs of every rule, in the order of the package
// documentation.
var rules = []RuleSpec{
	{RulePackageChanged, "Checks that the file keeps its package.", true},
	{RuleMessageRemoved, "Checks that every message the writer's schema declares, at the top level or nested, is still declared, by name, in the reader's.", true},
	{RuleFieldKindChanged, "Checks that a field keeps its kind: scalar (enums included), message, group or map.", true},
	{RuleFieldScalarKindChanged, "Checks that a scalar field, map key or map value stays in its wire-compatible group: {int32, int64, uint32, uint64, bool, enum}, {sint32, sint64}, {string, bytes}, {fixed32, sfixed32}, {fixed64, sfixed64}, {float}, {double}.", true},
	{RuleFieldNamedTypeChanged, "Checks that a message field keeps its message type, by name without the package, and that a type declared in an import stays compatible.", true},
	{RuleFieldNumericLabelChanged, "Checks that a numeric field (enums included) whose label both schemas state keeps it: optional, required or repeated.", true},
	{RuleRequiredFieldAdded, "Checks that the reader's schema has no required field the writer's lacks.", true},
	{RuleRequiredFieldRemoved, "Checks that the reader's schema keeps every required field of the writer's.", true},
	{RuleOneofFieldRemoved, "Checks that a member of a oneof is not removed while its oneof, or another of its members, remains.", true},
	{RuleMultipleFieldsMovedToOneof, "Checks that several fields outside any oneof are not moved into one oneof.", true},
	{RuleFieldMovedToExistingOneof, "Checks that a oneof does not join fields that were not members of one oneof.", true},
	{RuleFieldNumberNotReserved, "Checks that a field a previous version has and the candidate lacks has its number reserved in the candidate.", false},
	{RuleEnumValueNumberNotReserved, "Checks that an enum value number a previous version has and the candidate lacks is reserved in the candidate.", false},
}

// Rules returns the specs of every rule, Confluent's first, then ours.
func Rules() []RuleSpec { return append([]RuleSpec(nil), rules...) }
