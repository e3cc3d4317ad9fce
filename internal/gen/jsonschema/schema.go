package jsonschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"buf.build/go/protovalidate"
	js "github.com/invopop/jsonschema"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
)

// doc builds one schema document: a scenario as collected, or as
// transmitted under one consent.
type doc struct {
	// consent is nil for the document "as collected".
	consent   *impl.Consent
	validator protovalidate.Validator
	defs      js.Definitions
	// defJSON holds, per $defs key, the definition as first built (before
	// its alias properties), to tell apart the different shapes one message
	// takes at different places of a transmitted payload.
	defJSON map[string][]byte
	// defKeys lists the keys used per message full name, in order.
	defKeys map[protoreflect.FullName][]string
}

func newDoc(consent *impl.Consent, v protovalidate.Validator) *doc {
	return &doc{consent: consent, validator: v, defs: js.Definitions{}, defJSON: map[string][]byte{}, defKeys: map[protoreflect.FullName][]string{}}
}

// sentField is a field of a message as the document shows it: every field
// as collected; the fields the consent lets through, with their
// redaction, as transmitted.
type sentField struct {
	f *model.Field
	// r is the redaction applied; nil as collected.
	r *provisionv1.Redaction
}

// kept reports whether the value goes as it is.
func (s sentField) kept() bool { return s.r == nil || s.r.GetKeep() != nil }

func (d *doc) sent(fields []*model.Field) []sentField {
	var out []sentField
	for _, f := range fields {
		if d.consent == nil {
			out = append(out, sentField{f: f})
			continue
		}
		if r, ok := f.Under(*d.consent); ok {
			out = append(out, sentField{f: f, r: r})
		}
	}
	return out
}

// names are the JSON names a field is read under: its JSON name, and its
// proto name where protojson accepts that too.
func names(fd protoreflect.FieldDescriptor) []string {
	if string(fd.Name()) == fd.JSONName() {
		return []string{fd.JSONName()}
	}
	return []string{fd.JSONName(), string(fd.Name())}
}

// anyName applies mk to each name of fd and joins the results with anyOf.
func anyName(fd protoreflect.FieldDescriptor, mk func(string) *js.Schema) *js.Schema {
	ns := names(fd)
	if len(ns) == 1 {
		return mk(ns[0])
	}
	s := &js.Schema{}
	for _, n := range ns {
		s.AnyOf = append(s.AnyOf, mk(n))
	}
	return s
}

// nonNull matches an object in which fd is given a value other than null:
// protojson reads null as "not set".
func nonNull(fd protoreflect.FieldDescriptor) *js.Schema {
	return anyName(fd, func(n string) *js.Schema {
		props := js.NewProperties()
		props.Set(n, &js.Schema{Not: &js.Schema{Type: "null"}})
		return &js.Schema{Required: []string{n}, Properties: props}
	})
}

// setNonZero matches an object in which fd is set to a value protovalidate
// counts as populated: non-null and, without explicit presence, not the
// default value.
func setNonZero(fd protoreflect.FieldDescriptor) *js.Schema {
	if fd.HasPresence() {
		return nonNull(fd)
	}
	return anyName(fd, func(n string) *js.Schema {
		props := js.NewProperties()
		props.Set(n, &js.Schema{Not: &js.Schema{AnyOf: []*js.Schema{{Type: "null"}, emptyValue(fd)}}})
		return &js.Schema{Required: []string{n}, Properties: props}
	})
}

// emptyValue matches the JSON forms of the default of a field without
// presence: the zero scalar, an empty array or an empty object.
func emptyValue(fd protoreflect.FieldDescriptor) *js.Schema {
	switch {
	case fd.IsList():
		return &js.Schema{Type: "array", MaxItems: u64(0)}
	case fd.IsMap():
		return &js.Schema{Type: "object", MaxProperties: u64(0)}
	}
	return zeroSchema(fd)
}

// atMostOne forbids two of the members from being set at once.
func atMostOne(members []*js.Schema) []*js.Schema {
	var out []*js.Schema
	for i := range members {
		for j := i + 1; j < len(members); j++ {
			out = append(out, &js.Schema{Not: &js.Schema{AllOf: []*js.Schema{members[i], members[j]}}})
		}
	}
	return out
}

// message returns the schema of a message whose data items are fields:
// properties by JSON name, no other property (protojson refuses unknown
// fields), presence, oneofs and message rules. Alias properties (proto
// names) are added by define once the schema's place is known.
func (d *doc) message(md protoreflect.MessageDescriptor, fields []*model.Field) (*js.Schema, error) {
	s := &js.Schema{Type: "object", Properties: js.NewProperties(), AdditionalProperties: js.FalseSchema}
	sent := d.sent(fields)
	byName := map[protoreflect.Name]sentField{}
	for _, sf := range sent {
		byName[sf.f.Desc.Name()] = sf
	}
	allKept := len(sent) == len(fields)
	for _, f := range fields {
		fd := f.Desc
		sf, ok := byName[fd.Name()]
		if !ok {
			// Withheld: protojson reads null, and the default of a field
			// without presence, as not set.
			s.Properties.Set(fd.JSONName(), withheld(fd))
			if ns := names(fd); len(ns) > 1 {
				s.AllOf = append(s.AllOf, &js.Schema{Not: &js.Schema{Required: ns}})
			}
			continue
		}
		allKept = allKept && sf.kept()
		prop, mustBePresent, err := d.property(sf)
		if err != nil {
			return nil, err
		}
		s.Properties.Set(fd.JSONName(), prop)
		ns := names(fd)
		switch {
		case len(ns) == 1 && mustBePresent:
			s.Required = append(s.Required, ns[0])
		case mustBePresent:
			// Under exactly one of its names: protojson refuses a field
			// given under both.
			s.AllOf = append(s.AllOf, &js.Schema{OneOf: []*js.Schema{{Required: ns[:1]}, {Required: ns[1:]}}})
		case len(ns) > 1:
			s.AllOf = append(s.AllOf, &js.Schema{Not: &js.Schema{Required: ns}})
		}
	}
	oneofs := md.Oneofs()
	for i := range oneofs.Len() {
		od := oneofs.Get(i)
		if od.IsSynthetic() {
			continue
		}
		var members []*js.Schema
		everyMember := true
		ofs := od.Fields()
		for j := range ofs.Len() {
			fd := ofs.Get(j)
			sf, ok := byName[fd.Name()]
			if !ok {
				everyMember = false
				continue
			}
			if !sf.kept() {
				fr, err := resolveRules(fd)
				if err != nil {
					return nil, err
				}
				everyMember = everyMember && keepsPresence(sf.r, fr.rules)
			}
			members = append(members, nonNull(fd))
		}
		s.AllOf = append(s.AllOf, atMostOne(members)...)
		rules, err := protovalidate.ResolveOneofRules(od)
		if err != nil {
			return nil, fmt.Errorf("oneof %s: read buf.validate rules: %w", od.FullName(), err)
		}
		// Required holds after redaction only if every member is still sent
		// and stays set.
		if rules.GetRequired() && everyMember && len(members) > 0 {
			s.AllOf = append(s.AllOf, &js.Schema{AnyOf: members})
		}
	}
	cel, mrules, err := messageCEL(md)
	if err != nil {
		return nil, err
	}
	// Message rules name fields that may be redacted or withheld: as
	// transmitted they are kept only when every field goes as it is.
	if d.consent == nil || allKept {
		for _, o := range mrules.GetOneof() {
			var members []*js.Schema
			for _, name := range o.GetFields() {
				if fd := md.Fields().ByName(protoreflect.Name(name)); fd != nil {
					members = append(members, setNonZero(fd))
				}
			}
			s.AllOf = append(s.AllOf, atMostOne(members)...)
			if o.GetRequired() && len(members) > 0 {
				s.AllOf = append(s.AllOf, &js.Schema{AnyOf: members})
			}
		}
		if len(cel) > 0 {
			setExtra(s, "x-buf-validate-cel", cel)
		}
	}
	return s, nil
}

// withheld is the property of a field the consent does not let through:
// only what protojson reads as not set.
func withheld(fd protoreflect.FieldDescriptor) *js.Schema {
	s := &js.Schema{Type: "null"}
	if !fd.HasPresence() {
		s = &js.Schema{AnyOf: []*js.Schema{{Type: "null"}, emptyValue(fd)}}
	}
	s.Description = "Not sent under this consent: null or the default value only, which protojson reads as not set."
	setExtra(s, "x-provision-proto-name", string(fd.Name()))
	return s
}

// define stores a message schema in $defs and returns a reference to it.
// The key is the message's full name; a message that takes another shape
// elsewhere in the same document (fields withheld under one parent but not
// under another) gets the name with "@2", "@3"... appended.
func (d *doc) define(md protoreflect.MessageDescriptor, s *js.Schema) (*js.Schema, error) {
	body, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("message %s: %w", md.FullName(), err)
	}
	for _, key := range d.defKeys[md.FullName()] {
		if bytes.Equal(d.defJSON[key], body) {
			return &js.Schema{Ref: "#/$defs/" + key}, nil
		}
	}
	key := string(md.FullName())
	if n := len(d.defKeys[md.FullName()]); n > 0 {
		key += "@" + strconv.Itoa(n+1)
	}
	d.defKeys[md.FullName()] = append(d.defKeys[md.FullName()], key)
	d.defJSON[key] = body
	addAliases(s, "#/$defs/"+key)
	d.defs[key] = s
	return &js.Schema{Ref: "#/$defs/" + key}, nil
}

// addAliases adds, for each property whose field has a proto name other
// than its JSON name, a property under the proto name referring to the
// first: protojson reads either.
func addAliases(s *js.Schema, base string) {
	var aliases [][2]string
	for p := s.Properties.Oldest(); p != nil; p = p.Next() {
		if proto, ok := p.Value.Extras["x-provision-proto-name"].(string); ok && proto != p.Key {
			aliases = append(aliases, [2]string{proto, p.Key})
		}
	}
	for _, a := range aliases {
		s.Properties.Set(a[0], &js.Schema{
			Ref:         base + "/properties/" + a[1],
			Description: "The field " + a[1] + " under its proto name, which protojson also reads.",
		})
	}
}

func setExtra(s *js.Schema, key string, v any) {
	if s.Extras == nil {
		s.Extras = map[string]any{}
	}
	s.Extras[key] = v
}

// property returns the schema of one field's property, and whether the
// property must be present.
func (d *doc) property(sf sentField) (*js.Schema, bool, error) {
	f, fd := sf.f, sf.f.Desc
	fr, err := resolveRules(fd)
	if err != nil {
		return nil, false, err
	}
	// Without explicit presence an absent field is its default value, to
	// which protovalidate applies the rules: the property is required when
	// the default breaks a rule the schema expresses.
	mustBePresent := fr.rules.GetRequired()
	if !fd.HasPresence() && !mustBePresent {
		ok, err := d.zeroPasses(fd)
		if err != nil {
			return nil, false, err
		}
		mustBePresent = !ok
	}
	var value *js.Schema
	if sf.kept() {
		value, err = d.collectedValue(f, fr)
	} else {
		value, err = d.redactedValue(f, fr, sf.r)
		mustBePresent = mustBePresent && keepsPresence(sf.r, fr.rules)
		if !mustBePresent && !fd.HasPresence() && !fd.IsList() && !fd.IsMap() {
			value = &js.Schema{AnyOf: []*js.Schema{zeroSchema(fd), value}}
		}
	}
	if err != nil {
		return nil, false, err
	}
	// IGNORE_IF_ZERO_VALUE, which a message oneof rule implies for its
	// fields: a field without presence skips its rules at its default
	// value, even when given explicitly. For a field with presence it
	// changes nothing: a value set is checked, zero or not.
	if sf.kept() && !fd.HasPresence() && ignoresZero(fd) {
		value = &js.Schema{AnyOf: []*js.Schema{emptyValue(fd), value}}
	}
	// A required field without presence must not hold its default.
	if fr.rules.GetRequired() && !fd.HasPresence() && (sf.kept() || fd.IsList() || fd.IsMap()) {
		value = notEmpty(fd, value)
	}
	prop := value
	if !mustBePresent && !isValueType(fd) {
		// protojson reads null as "not set".
		prop = &js.Schema{AnyOf: []*js.Schema{{Type: "null"}, value}}
	}
	d.annotate(prop, sf, fr)
	return prop, mustBePresent, nil
}

// notEmpty narrows value, of a field without presence, to values other
// than the field's default.
func notEmpty(fd protoreflect.FieldDescriptor, value *js.Schema) *js.Schema {
	plain := value.Ref == "" && value.AnyOf == nil && value.Not == nil
	switch {
	case plain && fd.IsList():
		value.MinItems = u64(max(1, deref(value.MinItems)))
	case plain && fd.IsMap():
		value.MinProperties = u64(max(1, deref(value.MinProperties)))
	case plain && value.Type == "string" && (fd.Kind() == protoreflect.StringKind || fd.Kind() == protoreflect.BytesKind):
		value.MinLength = u64(max(1, deref(value.MinLength)))
	case plain && value.Type == "boolean":
		value.Const = true
	default:
		return &js.Schema{AllOf: []*js.Schema{value, {Not: emptyValue(fd)}}}
	}
	return value
}

// keepsPresence reports whether a populated value of a field with these
// rules is still populated after the strategy. Hashing and masking always
// give a value; IP truncation does for a field whose rules make it an IP
// address. The others may clear it: the runtime clears a field whose value
// the strategy cannot take (a URI without a host, a version with other
// characters, NaN), and bucketing and noise may give zero.
func keepsPresence(r *provisionv1.Redaction, rules *validate.FieldRules) bool {
	switch impl.StrategyKindOf(r) {
	case impl.StrategyKeep, impl.StrategyHMAC, impl.StrategyMask:
		return true
	case impl.StrategyIPTruncate:
		sr, br := rules.GetString(), rules.GetBytes()
		return sr.GetIp() || sr.GetIpv4() || sr.GetIpv6() || br.GetIp() || br.GetIpv4() || br.GetIpv6()
	}
	return false
}

// isValueType reports whether fd holds google.protobuf.Value, for which
// protojson reads null as a value.
func isValueType(fd protoreflect.FieldDescriptor) bool {
	return fd.Message() != nil && fd.Message().FullName() == "google.protobuf.Value"
}

// zeroPasses reports whether the default value of fd, a field without
// presence, passes every rule of the field the schema expresses.
func (d *doc) zeroPasses(fd protoreflect.FieldDescriptor) (bool, error) {
	msg := dynamicpb.NewMessage(fd.ContainingMessage())
	err := d.validator.Validate(msg)
	if err == nil {
		return true, nil
	}
	verr, ok := err.(*protovalidate.ValidationError)
	if !ok {
		return false, fmt.Errorf("field %s: validate its default: %w", fd.FullName(), err)
	}
	for _, v := range verr.Violations {
		if v.FieldDescriptor != nil && v.FieldDescriptor.FullName() == fd.FullName() && Expressible(fd.ContainingMessage(), v) {
			return false, nil
		}
	}
	return true, nil
}

// collectedValue is the value of a field as collected: its protojson form
// with every rule the schema can express.
func (d *doc) collectedValue(f *model.Field, fr *fieldRules) (*js.Schema, error) {
	fd, r := f.Desc, fr.rules
	switch {
	case fd.IsMap():
		vr, vzero := elementRules(r.GetMap().GetValues())
		values, err := d.element(fd.MapValue(), f.Children, vr)
		if err != nil {
			return nil, err
		}
		if vzero && fd.MapValue().Message() == nil {
			values = &js.Schema{AnyOf: []*js.Schema{zeroSchema(fd.MapValue()), values}}
		}
		kr, kzero := elementRules(r.GetMap().GetKeys())
		keys := mapKey(fd.MapKey(), kr)
		if kzero {
			keys = &js.Schema{AnyOf: []*js.Schema{zeroKey(fd.MapKey()), keys}}
		}
		s := &js.Schema{Type: "object", PropertyNames: keys, AdditionalProperties: values}
		mapRules(s, r.GetMap())
		return s, nil
	case fd.IsList():
		ir, izero := elementRules(r.GetRepeated().GetItems())
		items, err := d.element(fd, f.Children, ir)
		if err != nil {
			return nil, err
		}
		if izero && fd.Message() == nil {
			items = &js.Schema{AnyOf: []*js.Schema{zeroSchema(fd), items}}
		}
		s := &js.Schema{Type: "array", Items: items}
		listRules(s, r.GetRepeated(), true)
		return s, nil
	}
	return d.element(fd, f.Children, r)
}

// elementRules returns the rules of a list's items, or of a map's keys or
// values, as protovalidate applies them: none when they are ignored
// always; and whether a zero value skips them.
func elementRules(r *validate.FieldRules) (*validate.FieldRules, bool) {
	switch r.GetIgnore() {
	case validate.Ignore_IGNORE_ALWAYS:
		return nil, false
	case validate.Ignore_IGNORE_IF_ZERO_VALUE:
		return r, true
	}
	return r, false
}

// zeroKey matches the forms of a map key's zero value.
func zeroKey(fd protoreflect.FieldDescriptor) *js.Schema {
	switch k := fd.Kind(); k {
	case protoreflect.StringKind:
		return &js.Schema{Const: ""}
	case protoreflect.BoolKind:
		return &js.Schema{Const: "false"}
	default:
		return &js.Schema{Pattern: keyPattern(k, points([]*big.Int{new(big.Int)}))}
	}
}

// ignoresZero reports whether protovalidate skips the rules of fd at its
// zero value: IGNORE_IF_ZERO_VALUE, set on the field or implied by a
// message oneof rule that names it (unless the field sets ignore itself).
func ignoresZero(fd protoreflect.FieldDescriptor) bool {
	raw, err := protovalidate.ResolveFieldRules(fd)
	if err != nil || raw == nil {
		return false
	}
	if raw.HasIgnore() {
		return raw.GetIgnore() == validate.Ignore_IGNORE_IF_ZERO_VALUE
	}
	mr, err := protovalidate.ResolveMessageRules(fd.ContainingMessage())
	if err != nil {
		return false
	}
	for _, o := range mr.GetOneof() {
		if slices.Contains(o.GetFields(), string(fd.Name())) {
			return true
		}
	}
	return false
}

// mapRules sets the bounds on the number of a map's pairs.
func mapRules(s *js.Schema, mr *validate.MapRules) {
	if mr == nil {
		return
	}
	if mr.MinPairs != nil {
		s.MinProperties = u64(mr.GetMinPairs())
	}
	if mr.MaxPairs != nil {
		s.MaxProperties = u64(mr.GetMaxPairs())
	}
}

// listRules sets the bounds on the number of a list's items, and asks
// for unique items when the rules do and unique says the values sent stay
// distinct.
func listRules(s *js.Schema, rr *validate.RepeatedRules, unique bool) {
	if rr == nil {
		return
	}
	if rr.MinItems != nil {
		s.MinItems = u64(rr.GetMinItems())
	}
	if rr.MaxItems != nil {
		s.MaxItems = u64(rr.GetMaxItems())
	}
	s.UniqueItems = unique && rr.GetUnique()
}

// mapKey is the schema of a map's keys, which protojson writes as
// strings, with the key rules r.
func mapKey(fd protoreflect.FieldDescriptor, r *validate.FieldRules) *js.Schema {
	switch k := fd.Kind(); k {
	case protoreflect.StringKind:
		return stringSchema(r.GetString())
	case protoreflect.BoolKind:
		s := &js.Schema{Enum: []any{"true", "false"}}
		if c := r.GetBool(); c != nil && c.Const != nil {
			s.Enum = []any{strconv.FormatBool(c.GetConst())}
		}
		return s
	default:
		var n numeric
		if _, typed := ruleKind(r); typed != nil {
			n = readNumeric(typed)
		}
		return &js.Schema{Pattern: keyPattern(k, allowedIntegers(k, n))}
	}
}

// element is one value of the field's type (an item of a list, a value of
// a map) with its rules.
func (d *doc) element(fd protoreflect.FieldDescriptor, children []*model.Field, r *validate.FieldRules) (*js.Schema, error) {
	switch fd.Kind() {
	case protoreflect.MessageKind, protoreflect.GroupKind:
		md := fd.Message()
		if !impl.IsPayloadMessage(fd) {
			return wellKnownSchema(md, r), nil
		}
		s, err := d.message(md, children)
		if err != nil {
			return nil, err
		}
		return d.define(md, s)
	case protoreflect.EnumKind:
		return enumSchema(fd.Enum(), r.GetEnum()), nil
	}
	return scalarSchema(fd, r), nil
}

// annotate adds the privacy metadata of the field and the rules the
// keywords do not express.
func (d *doc) annotate(s *js.Schema, sf sentField, fr *fieldRules) {
	f := sf.f
	s.Description = f.Label()
	setExtra(s, "x-provision-label", f.Label())
	setExtra(s, "x-provision-category", shortName(f.Category()))
	setExtra(s, "x-provision-identifiability", shortName(f.Identifiability()))
	setExtra(s, "x-provision-agreement", agreementName(f.Requires()))
	var purposes []string
	for _, p := range f.Purposes {
		purposes = append(purposes, strings.ToLower(p))
	}
	setExtra(s, "x-provision-purposes", purposes)
	if sf.r == nil {
		setExtra(s, "x-provision-strategy", f.DescribeRedactions())
	} else {
		setExtra(s, "x-provision-strategy", model.DescribeRedaction(sf.r))
	}
	setExtra(s, "x-provision-proto-name", string(f.Desc.Name()))
	if sf.kept() {
		if len(fr.cel) > 0 {
			setExtra(s, "x-buf-validate-cel", fr.cel)
		}
		if len(fr.unexpressed) > 0 {
			setExtra(s, "x-buf-validate-unexpressed", fr.unexpressed)
		}
	}
}

// agreementName is an agreement ID as the schemas write it, in lower
// case: CLOUD_STANDARD gives "cloud_standard".
func agreementName(id string) string { return strings.ToLower(id) }

// shortName is an enum value's name without its enum's prefix, in lower
// case: IDENTIFIABILITY_PERSONAL gives "personal".
func shortName(e protoreflect.Enum) string {
	v := e.Descriptor().Values().ByNumber(e.Number())
	if v == nil {
		return strconv.Itoa(int(e.Number()))
	}
	prefix := camelToUpperSnake(string(e.Descriptor().Name())) + "_"
	return strings.ToLower(strings.TrimPrefix(string(v.Name()), prefix))
}

func camelToUpperSnake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && r >= 'A' && r <= 'Z' {
			b.WriteByte('_')
		}
		b.WriteRune(r)
	}
	return strings.ToUpper(b.String())
}
