package jsonschema

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"buf.build/go/protovalidate"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// expressed lists, per kind of buf.validate rules, the rules the schemas
// turn into JSON Schema keywords. Every other rule set on a field is named
// in the field's x-buf-validate-unexpressed keyword, and CEL rules are
// carried in x-buf-validate-cel: nothing is dropped silently.
var expressed = map[string][]string{
	"string": {"const", "len", "min_len", "max_len", "pattern", "prefix", "suffix", "contains", "not_contains",
		"in", "not_in", "email", "ip", "ipv4", "ipv6", "uri", "uri_ref", "uuid", "tuuid", "strict"},
	"bytes":    {"const", "len", "min_len", "max_len", "in", "not_in", "ip", "ipv4", "ipv6", "uuid"},
	"bool":     {"const"},
	"enum":     {"const", "defined_only", "in", "not_in"},
	"repeated": {"min_items", "max_items", "unique"},
	"map":      {"min_pairs", "max_pairs"},
	"int32":    numericRules, "sint32": numericRules, "sfixed32": numericRules,
	"uint32": numericRules, "fixed32": numericRules,
	"float": numericRules, "double": numericRules,
	"int64": numericRules, "sint64": numericRules, "sfixed64": numericRules,
	"uint64": numericRules, "fixed64": numericRules,
	// Timestamps, durations, Any and field masks: nothing is expressible.
	"timestamp": nil, "duration": nil, "any": nil, "field_mask": nil,
}

var numericRules = []string{"const", "lt", "lte", "gt", "gte", "in", "not_in", "finite"}

// celRule is a CEL rule as the schemas carry it.
type celRule struct {
	ID         string `json:"id,omitempty"`
	Message    string `json:"message,omitempty"`
	Expression string `json:"expression"`
	// Path is where the rule applies within the field ("repeated.items"),
	// empty for the field itself.
	Path string `json:"path,omitempty"`
}

// fieldRules is what the generator reads from a field's buf.validate
// rules.
type fieldRules struct {
	rules       *validate.FieldRules
	cel         []celRule
	unexpressed []string
}

// rulesCache holds the rules read per field descriptor: the differential
// test and Expressible read them once per violation.
var rulesCache sync.Map

// resolveRules reads the field's rules. IGNORE_ALWAYS turns every rule
// off, as protovalidate does.
func resolveRules(fd protoreflect.FieldDescriptor) (*fieldRules, error) {
	if fr, ok := rulesCache.Load(fd); ok {
		return fr.(*fieldRules), nil
	}
	fr, err := readRules(fd)
	if err != nil {
		return nil, err
	}
	rulesCache.Store(fd, fr)
	return fr, nil
}

func readRules(fd protoreflect.FieldDescriptor) (*fieldRules, error) {
	r, err := protovalidate.ResolveFieldRules(fd)
	if err != nil {
		return nil, fmt.Errorf("field %s: read buf.validate rules: %w", fd.FullName(), err)
	}
	if r.GetIgnore() == validate.Ignore_IGNORE_ALWAYS {
		r = nil
	}
	fr := &fieldRules{rules: r}
	fr.collect(r, "")
	return fr, nil
}

// collect gathers the CEL rules and the unexpressed rules of r, whose rule
// path starts with prefix.
func (fr *fieldRules) collect(r *validate.FieldRules, prefix string) {
	if r == nil {
		return
	}
	for _, c := range r.GetCel() {
		fr.cel = append(fr.cel, celRule{ID: c.GetId(), Message: c.GetMessage(), Expression: c.GetExpression(), Path: strings.TrimSuffix(prefix, ".")})
	}
	for _, e := range r.GetCelExpression() {
		fr.cel = append(fr.cel, celRule{Expression: e, Path: strings.TrimSuffix(prefix, ".")})
	}
	typ, typed := ruleKind(r)
	if typ == nil {
		return
	}
	kind := string(typ.Name())
	known, ok := expressed[kind]
	if !ok {
		fr.unexpressed = append(fr.unexpressed, prefix+kind)
		return
	}
	typed.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		name := string(fd.Name())
		switch {
		case fd.IsExtension():
			fr.unexpressed = append(fr.unexpressed, prefix+kind+".["+string(fd.FullName())+"]")
		case name == "example":
		case kind == "repeated" && name == "items":
			fr.collect(v.Message().Interface().(*validate.FieldRules), prefix+"repeated.items.")
		case kind == "map" && (name == "keys" || name == "values"):
			fr.collect(v.Message().Interface().(*validate.FieldRules), prefix+"map."+name+".")
		case !slices.Contains(known, name):
			fr.unexpressed = append(fr.unexpressed, prefix+kind+"."+name)
		}
		return true
	})
	// Unknown fields of a rules message are predefined rules this binary
	// does not know: protovalidate may still enforce them.
	if len(typed.GetUnknown()) > 0 {
		fr.unexpressed = append(fr.unexpressed, prefix+kind+".[predefined]")
	}
}

// ruleKind returns the field of r's "type" oneof that is set (string,
// int32, repeated...) and its rules message, or nil and nil.
func ruleKind(r *validate.FieldRules) (protoreflect.FieldDescriptor, protoreflect.Message) {
	if r == nil {
		return nil, nil
	}
	m := r.ProtoReflect()
	typ := m.WhichOneof(m.Descriptor().Oneofs().ByName("type"))
	if typ == nil {
		return nil, nil
	}
	return typ, m.Get(typ).Message()
}

// messageCEL returns the CEL rules of a message.
func messageCEL(md protoreflect.MessageDescriptor) ([]celRule, *validate.MessageRules, error) {
	r, err := protovalidate.ResolveMessageRules(md)
	if err != nil {
		return nil, nil, fmt.Errorf("message %s: read buf.validate rules: %w", md.FullName(), err)
	}
	var out []celRule
	for _, c := range r.GetCel() {
		out = append(out, celRule{ID: c.GetId(), Message: c.GetMessage(), Expression: c.GetExpression()})
	}
	for _, e := range r.GetCelExpression() {
		out = append(out, celRule{Expression: e})
	}
	return out, r, nil
}

// RulePath names a violated rule the way x-buf-validate-unexpressed does:
// the names of the rule path's elements joined by dots
// ("repeated.items.string.min_bytes").
func RulePath(v *protovalidate.Violation) string {
	var names []string
	for _, e := range v.Proto.GetRule().GetElements() {
		names = append(names, e.GetFieldName())
	}
	return strings.Join(names, ".")
}

// ViolationField returns the field a violation of a message of root is
// about: its FieldDescriptor, or, for a violation of a list item or a map
// key or value (which protovalidate reports without one), the field its
// path names. Nil for a rule of a message or a oneof.
func ViolationField(root protoreflect.MessageDescriptor, v *protovalidate.Violation) protoreflect.FieldDescriptor {
	if v.FieldDescriptor != nil {
		return v.FieldDescriptor
	}
	var fd protoreflect.FieldDescriptor
	md := root
	for _, e := range v.Proto.GetField().GetElements() {
		if md == nil {
			return nil
		}
		fd = md.Fields().ByNumber(protoreflect.FieldNumber(e.GetFieldNumber()))
		if fd == nil {
			return nil
		}
		md = fd.Message()
		if fd.IsMap() {
			md = fd.MapValue().Message()
		}
	}
	return fd
}

// Expressible reports whether the schemas express the rule a violation
// (of a message of root) reports: false for CEL rules (of fields and
// messages) and for the rules the field's x-buf-validate-unexpressed
// names.
func Expressible(root protoreflect.MessageDescriptor, v *protovalidate.Violation) bool {
	path := RulePath(v)
	if path == "" {
		// A rule of a message or a oneof: the schema expresses oneofs
		// and required oneofs, not the message's CEL rules.
		id := v.Proto.GetRuleId()
		return id == "required" || strings.HasPrefix(id, "message.oneof")
	}
	if path == "cel" || strings.HasSuffix(path, ".cel") || path == "cel_expression" || strings.HasSuffix(path, ".cel_expression") {
		return false
	}
	fd := ViolationField(root, v)
	if fd == nil {
		return true
	}
	fr, err := resolveRules(fd)
	if err != nil {
		return true
	}
	for _, u := range fr.unexpressed {
		if path == u || strings.HasPrefix(path, u+".") {
			return false
		}
	}
	return true
}
