package model

import (
	"fmt"
	"sort"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// Position is a place in a .proto source file. Line and Column count from
// 1; they are 0 when the descriptors carry no source information.
type Position struct {
	File   string
	Line   int
	Column int
}

// String formats the position as file:line:col, or just the file when the
// line is unknown.
func (p Position) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// Rule names one check of the model. The IDs are shared with the buf lint
// plugin, so a finding reads the same in both.
type Rule string

// The rules the model enforces. Each Diagnostic names one.
const (
	RuleFieldUnclassified     Rule = "FIELD_UNCLASSIFIED"
	RuleSpecialCategory       Rule = "SPECIAL_CATEGORY_FORBIDDEN"
	RuleAgreementUnknown      Rule = "AGREEMENT_UNKNOWN"
	RuleAgreementDeclaration  Rule = "AGREEMENT_DECLARATION_INVALID"
	RuleAgreementWeaker       Rule = "AGREEMENT_WEAKER_THAN_SCENARIO"
	RuleRedactionMismatch     Rule = "REDACTION_TYPE_MISMATCH"
	RuleExampleInvalid        Rule = "EXAMPLE_INVALID"
	RuleScenarioIncomplete    Rule = "SCENARIO_INCOMPLETE"
	RuleScenarioEmpty         Rule = "SCENARIO_EMPTY"
	RuleDuplicateID           Rule = "DUPLICATE_ID"
	RuleProductMissing        Rule = "PRODUCT_MISSING"
	RulePolicyUnknown         Rule = "POLICY_UNKNOWN"
	RulePurposeOutOfScope     Rule = "PURPOSE_OUT_OF_SCOPE"
	RulePersonalDataAgreement Rule = "PERSONAL_DATA_AGREEMENT"
	RuleLocalOnly             Rule = "LOCAL_ONLY_TRANSMITTED"
	RuleHostileText           Rule = "TEXT_HOSTILE"
	RuleOptionsInvalid        Rule = "OPTIONS_INVALID"
	RuleExtensionForbidden    Rule = "EXTENSION_FORBIDDEN"
	RuleRecursiveMessage      Rule = "RECURSIVE_MESSAGE"
	// RuleMapNotAnonymous: a map field is classified anonymous. A
	// redaction strategy applies to a map's values; its keys are sent as
	// they are, so a map whose keys may identify someone is never sent
	// (impl.ErrIdentifyingMap) and the catalog refuses it.
	RuleMapNotAnonymous Rule = "MAP_NOT_ANONYMOUS"
	// RuleProvenanceMissing: every statement around the data items (a
	// trigger, a purpose, storage, retention, a product's region, a
	// policy's promise, any further statement) quotes one of its own
	// sources or is the maintainers' assessment. Baselines are spared it
	// (AsBaseline).
	RuleProvenanceMissing Rule = "PROVENANCE_MISSING"
)

// Diagnostic is one problem found in the catalog, with where it is.
type Diagnostic struct {
	Pos     Position
	Rule    Rule
	Message string
}

// Error formats the diagnostic as "file:line:col: message (RULE)".
func (d Diagnostic) Error() string {
	return fmt.Sprintf("%s: %s (%s)", d.Pos, d.Message, d.Rule)
}

// Diagnostics is every problem found; as an error it lists them one a line,
// sorted by position.
type Diagnostics []Diagnostic

// Error lists the diagnostics one a line.
func (ds Diagnostics) Error() string {
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = d.Error()
	}
	return strings.Join(lines, "\n")
}

// Relocate returns a copy of ds with the file of each position named by
// name(file): a tool that knows where the files are on disk names them by
// their path in the repository, as buf does, rather than by their import
// path.
func (ds Diagnostics) Relocate(name func(file string) string) Diagnostics {
	out := make(Diagnostics, len(ds))
	for i, d := range ds {
		d.Pos.File = name(d.Pos.File)
		out[i] = d
	}
	return out
}

func (ds Diagnostics) sorted() Diagnostics {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i].Pos, ds[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return ds[i].Message < ds[j].Message
	})
	return ds
}

// Source paths of options inside descriptors (descriptor.proto field
// numbers), used to point a diagnostic at the option rather than the
// declaration when the source has it.
const (
	pathFieldOptions   = 8 // FieldDescriptorProto.options
	pathMessageOptions = 7 // DescriptorProto.options
	pathFileOptions    = 8 // FileDescriptorProto.options
)

// position finds the source position of d, or of the part of it at the
// extra path elements below d (an option, a field of an option). It falls
// back to the nearest enclosing element the source records.
func position(d protoreflect.Descriptor, extra ...int32) Position {
	file := d.ParentFile()
	pos := Position{File: file.Path()}
	locs := file.SourceLocations()
	var base []int32
	if _, isFile := d.(protoreflect.FileDescriptor); !isFile {
		loc := locs.ByDescriptor(d)
		if loc.Path == nil {
			return pos
		}
		base = loc.Path
	}
	for n := len(extra); n >= 0; n-- {
		path := append(append(protoreflect.SourcePath{}, base...), extra[:n]...)
		loc := locs.ByPath(path)
		if loc.Path != nil || (len(path) == 0 && loc.StartLine != 0) {
			pos.Line, pos.Column = loc.StartLine+1, loc.StartColumn+1
			return pos
		}
	}
	return pos
}

// elementPosition is the position of element i of the repeated option
// field at extra below d. Where the source info has no location of its
// own for each element, as buf's images for a list written [a, b, c],
// whose one location is that of element 0 and spans the list, it is the
// list's; failing both, position's nearest enclosing element.
func elementPosition(d protoreflect.Descriptor, i int32, extra ...int32) Position {
	for _, idx := range []int32{i, 0} {
		if pos, exact := exactPosition(d, append(append([]int32{}, extra...), idx)...); exact {
			return pos
		}
	}
	return position(d, extra...)
}

// exactPosition is position when the source info has a location for the
// whole path; exact is false when it has not.
func exactPosition(d protoreflect.Descriptor, extra ...int32) (pos Position, exact bool) {
	file := d.ParentFile()
	locs := file.SourceLocations()
	var base []int32
	if _, isFile := d.(protoreflect.FileDescriptor); !isFile {
		loc := locs.ByDescriptor(d)
		if loc.Path == nil {
			return Position{}, false
		}
		base = loc.Path
	}
	loc := locs.ByPath(append(append(protoreflect.SourcePath{}, base...), extra...))
	if loc.Path == nil {
		return Position{}, false
	}
	return Position{File: file.Path(), Line: loc.StartLine + 1, Column: loc.StartColumn + 1}, true
}
