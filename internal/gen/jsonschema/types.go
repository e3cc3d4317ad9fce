package jsonschema

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	js "github.com/invopop/jsonschema"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// isWide reports whether protojson writes the kind as a JSON string of
// digits.
func isWide(k protoreflect.Kind) bool {
	switch k {
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind,
		protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return true
	}
	return false
}

func isFloat(k protoreflect.Kind) bool {
	return k == protoreflect.FloatKind || k == protoreflect.DoubleKind
}

// zeroSchema matches the JSON forms of a kind's default value.
func zeroSchema(fd protoreflect.FieldDescriptor) *js.Schema {
	switch k := fd.Kind(); {
	case k == protoreflect.BoolKind:
		return &js.Schema{Const: false}
	case k == protoreflect.StringKind || k == protoreflect.BytesKind:
		return &js.Schema{Const: ""}
	case k == protoreflect.EnumKind:
		zero := fd.Enum().Values().ByNumber(0)
		num := &js.Schema{Type: "integer", Const: json.Number("0")}
		if zero == nil {
			return num
		}
		return &js.Schema{AnyOf: []*js.Schema{{Const: string(zero.Name())}, num}}
	}
	return zeroNumber(fd.Kind())
}

// jsonScalar is the JSON value protojson writes for v, of fd's kind.
func jsonScalar(fd protoreflect.FieldDescriptor, v protoreflect.Value) any {
	switch k := fd.Kind(); {
	case k == protoreflect.BoolKind:
		return v.Bool()
	case k == protoreflect.StringKind:
		return v.String()
	case k == protoreflect.BytesKind:
		return base64.StdEncoding.EncodeToString(v.Bytes())
	case k == protoreflect.EnumKind:
		if ev := fd.Enum().Values().ByNumber(v.Enum()); ev != nil {
			return string(ev.Name())
		}
		return json.Number(strconv.Itoa(int(v.Enum())))
	case isWide(k):
		if k == protoreflect.Uint64Kind || k == protoreflect.Fixed64Kind {
			return strconv.FormatUint(v.Uint(), 10)
		}
		return strconv.FormatInt(v.Int(), 10)
	}
	return numberValue(fd.Kind(), v)
}

// numberValue is a numeric value as a JSON number, or its protojson
// string for NaN and the infinities.
func numberValue(k protoreflect.Kind, v protoreflect.Value) any {
	switch {
	case isFloat(k):
		f := v.Float()
		switch {
		case math.IsNaN(f):
			return "NaN"
		case math.IsInf(f, 1):
			return "Infinity"
		case math.IsInf(f, -1):
			return "-Infinity"
		}
		bits := 64
		if k == protoreflect.FloatKind {
			bits = 32
		}
		return json.Number(strconv.FormatFloat(f, 'g', -1, bits))
	case isUnsigned(k):
		return json.Number(strconv.FormatUint(v.Uint(), 10))
	}
	return json.Number(strconv.FormatInt(v.Int(), 10))
}

// listValues returns the JSON values of a repeated rule field (in,
// not_in).
func listValues(fd protoreflect.FieldDescriptor, l protoreflect.List) []any {
	out := make([]any, 0, l.Len())
	for i := range l.Len() {
		out = append(out, jsonScalar(fd, l.Get(i)))
	}
	return out
}

// scalarSchema is an element of kind fd.Kind() with its rules r (nil for
// none) applied.
func scalarSchema(fd protoreflect.FieldDescriptor, r *validate.FieldRules) *js.Schema {
	k := fd.Kind()
	switch k {
	case protoreflect.StringKind:
		return stringSchema(r.GetString())
	case protoreflect.BytesKind:
		return bytesSchema(r.GetBytes())
	case protoreflect.BoolKind:
		s := &js.Schema{Type: "boolean"}
		if c := r.GetBool(); c != nil && c.Const != nil {
			s.Const = c.GetConst()
		}
		return s
	}
	var n numeric
	if _, typed := ruleKind(r); typed != nil {
		n = readNumeric(typed)
	}
	return numericSchema(k, n)
}

// ruleFields reads the conventional rule fields of a numeric rules
// message.
type numeric struct {
	constV, lt, lte, gt, gte protoreflect.Value
	hasConst, hasLt, hasLte  bool
	hasGt, hasGte, finite    bool
	in, notIn                protoreflect.List
}

func readNumeric(m protoreflect.Message) numeric {
	var n numeric
	get := func(name string) (protoreflect.Value, bool) {
		fd := m.Descriptor().Fields().ByName(protoreflect.Name(name))
		if fd == nil || !m.Has(fd) {
			return protoreflect.Value{}, false
		}
		return m.Get(fd), true
	}
	n.constV, n.hasConst = get("const")
	n.lt, n.hasLt = get("lt")
	n.lte, n.hasLte = get("lte")
	n.gt, n.hasGt = get("gt")
	n.gte, n.hasGte = get("gte")
	if v, ok := get("finite"); ok {
		n.finite = v.Bool()
	}
	if v, ok := get("in"); ok {
		n.in = v.List()
	}
	if v, ok := get("not_in"); ok {
		n.notIn = v.List()
	}
	return n
}

// asFloat converts a numeric rule value to float64 for comparisons.
func asFloat(k protoreflect.Kind, v protoreflect.Value) float64 {
	switch {
	case isFloat(k):
		return v.Float()
	case k == protoreflect.Uint32Kind || k == protoreflect.Fixed32Kind || k == protoreflect.Uint64Kind || k == protoreflect.Fixed64Kind:
		return float64(v.Uint())
	}
	return float64(v.Int())
}

// numericOK evaluates the numeric rules on x as protovalidate does: the
// same definition the schema's keywords express, used for NaN and the
// infinities, which JSON writes as strings.
func numericOK(k protoreflect.Kind, n numeric, x float64) bool {
	f := func(v protoreflect.Value) float64 { return asFloat(k, v) }
	if n.finite && (math.IsNaN(x) || math.IsInf(x, 0)) {
		return false
	}
	if n.hasConst && x != f(n.constV) {
		return false
	}
	if n.in != nil && n.in.Len() > 0 {
		found := false
		for i := range n.in.Len() {
			found = found || x == f(n.in.Get(i))
		}
		if !found {
			return false
		}
	}
	if n.notIn != nil {
		for i := range n.notIn.Len() {
			if x == f(n.notIn.Get(i)) {
				return false
			}
		}
	}
	lowOK, highOK := true, true
	hasLow, hasHigh := n.hasGt || n.hasGte, n.hasLt || n.hasLte
	var low, high float64
	switch {
	case n.hasGt:
		low, lowOK = f(n.gt), x > f(n.gt)
	case n.hasGte:
		low, lowOK = f(n.gte), x >= f(n.gte)
	}
	switch {
	case n.hasLt:
		high, highOK = f(n.lt), x < f(n.lt)
	case n.hasLte:
		high, highOK = f(n.lte), x <= f(n.lte)
	}
	if hasLow && hasHigh && low > high {
		// An exclusive range: outside [high, low].
		return lowOK || highOK
	}
	return lowOK && highOK
}

// rangeSchemas returns the keywords of the numeric rules, for the number
// branch of a schema: allOf members.
func rangeSchemas(k protoreflect.Kind, n numeric) []*js.Schema {
	num := func(v protoreflect.Value) json.Number { return numberValue(k, v).(json.Number) }
	list := func(l protoreflect.List) []any {
		var out []any
		for i := range l.Len() {
			if x, ok := numberValue(k, l.Get(i)).(json.Number); ok {
				out = append(out, x)
			}
		}
		return out
	}
	var out []*js.Schema
	if n.hasConst {
		out = append(out, &js.Schema{Const: numberValue(k, n.constV)})
	}
	if n.in != nil && n.in.Len() > 0 {
		out = append(out, &js.Schema{Enum: list(n.in)})
	}
	if n.notIn != nil && n.notIn.Len() > 0 {
		out = append(out, &js.Schema{Not: &js.Schema{Enum: list(n.notIn)}})
	}
	low, high := &js.Schema{}, &js.Schema{}
	switch {
	case n.hasGt:
		low.ExclusiveMinimum = num(n.gt)
	case n.hasGte:
		low.Minimum = num(n.gte)
	}
	switch {
	case n.hasLt:
		high.ExclusiveMaximum = num(n.lt)
	case n.hasLte:
		high.Maximum = num(n.lte)
	}
	hasLow, hasHigh := n.hasGt || n.hasGte, n.hasLt || n.hasLte
	switch {
	case hasLow && hasHigh:
		lo, hi := n.gt, n.lt
		if n.hasGte {
			lo = n.gte
		}
		if n.hasLte {
			hi = n.lte
		}
		crossed := asFloat(k, lo) > asFloat(k, hi)
		if !isFloat(k) {
			crossed = bigValue(k, lo).Cmp(bigValue(k, hi)) > 0
		}
		if crossed {
			out = append(out, &js.Schema{AnyOf: []*js.Schema{low, high}})
		} else {
			out = append(out, low, high)
		}
	case hasLow:
		out = append(out, low)
	case hasHigh:
		out = append(out, high)
	}
	return out
}

// foldBound merges r into s when r is a single integer bound, keeping the
// tighter one.
func foldBound(s, r *js.Schema) bool {
	tighter := func(a, b json.Number, lower bool) json.Number {
		x, errA := a.Int64()
		y, errB := b.Int64()
		if errA != nil || errB != nil {
			return b
		}
		if lower == (x > y) {
			return a
		}
		return b
	}
	switch {
	case r.Minimum != "" && reflect.DeepEqual(r, &js.Schema{Minimum: r.Minimum}):
		s.Minimum = tighter(s.Minimum, r.Minimum, true)
	case r.Maximum != "" && reflect.DeepEqual(r, &js.Schema{Maximum: r.Maximum}):
		s.Maximum = tighter(s.Maximum, r.Maximum, false)
	default:
		return false
	}
	return true
}

func u64(n uint64) *uint64 { return &n }

// stringSchema applies string rules.
func stringSchema(r *validate.StringRules) *js.Schema {
	s := &js.Schema{Type: "string"}
	if r == nil {
		return s
	}
	if r.Const != nil {
		s.Const = r.GetConst()
	}
	if r.Len != nil {
		s.MinLength, s.MaxLength = u64(r.GetLen()), u64(r.GetLen())
	}
	if r.MinLen != nil {
		s.MinLength = u64(max(r.GetMinLen(), deref(s.MinLength)))
	}
	if r.MaxLen != nil {
		s.MaxLength = u64(r.GetMaxLen())
		if r.Len != nil {
			s.MaxLength = u64(min(r.GetMaxLen(), r.GetLen()))
		}
	}
	var patterns []string
	if r.Pattern != nil {
		patterns = append(patterns, r.GetPattern())
	}
	if r.Prefix != nil {
		patterns = append(patterns, "^"+quoteRegexp(r.GetPrefix()))
	}
	if r.Suffix != nil {
		patterns = append(patterns, quoteRegexp(r.GetSuffix())+"$")
	}
	if r.Contains != nil {
		patterns = append(patterns, quoteRegexp(r.GetContains()))
	}
	if r.NotContains != nil {
		s.Not = &js.Schema{Pattern: quoteRegexp(r.GetNotContains())}
	}
	if len(r.GetIn()) > 0 {
		s.Enum = anys(r.GetIn())
	}
	if len(r.GetNotIn()) > 0 {
		not := &js.Schema{Enum: anys(r.GetNotIn())}
		if s.Not != nil {
			not = &js.Schema{AnyOf: []*js.Schema{s.Not, not}}
		}
		s.Not = not
	}
	// A format keyword only where its common meaning agrees with
	// protovalidate's (ajv-formats and other validators refuse "a@localhost"
	// as an email, IPv6 zones, and zones in URIs): the pattern carries
	// the rule everywhere.
	switch {
	case r.GetEmail():
		patterns = append(patterns, emailPattern)
	case r.GetIp():
		patterns = append(patterns, ipPattern)
	case r.GetIpv4():
		s.Format = "ipv4"
		patterns = append(patterns, ipv4Pattern)
	case r.GetIpv6():
		patterns = append(patterns, ipv6Pattern)
	case r.GetUri():
		patterns = append(patterns, uriPattern)
	case r.GetUriRef():
		patterns = append(patterns, uriRefPattern)
	case r.GetUuid():
		s.Format = "uuid"
		patterns = append(patterns, uuidPattern)
	case r.GetTuuid():
		patterns = append(patterns, tuuidPattern)
	}
	setPatterns(s, patterns)
	return s
}

func setPatterns(s *js.Schema, patterns []string) {
	for i, p := range patterns {
		if i == 0 {
			s.Pattern = p
			continue
		}
		s.AllOf = append(s.AllOf, &js.Schema{Pattern: p})
	}
}

func deref(p *uint64) uint64 {
	if p == nil {
		return 0
	}
	return *p
}

func anys[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

func quoteRegexp(s string) string { return regexp.QuoteMeta(s) }

// enumSchema is an enum value with the rules applied: its name, or its
// number (protojson reads any number of the int32 range, and writes the
// numbers of the values the enum does not define).
func enumSchema(ed protoreflect.EnumDescriptor, r *validate.EnumRules) *js.Schema {
	if ed.FullName() == "google.protobuf.NullValue" {
		return &js.Schema{Type: "null"}
	}
	allowed := func(n protoreflect.EnumNumber) bool {
		if r == nil {
			return true
		}
		if r.Const != nil && n != protoreflect.EnumNumber(r.GetConst()) {
			return false
		}
		if len(r.GetIn()) > 0 && !slices.Contains(r.GetIn(), int32(n)) {
			return false
		}
		return !slices.Contains(r.GetNotIn(), int32(n))
	}
	var names, numbers []any
	values := ed.Values()
	for i := range values.Len() {
		if v := values.Get(i); allowed(v.Number()) {
			names = append(names, string(v.Name()))
			numbers = append(numbers, json.Number(strconv.Itoa(int(v.Number()))))
		}
	}
	named := &js.Schema{Type: "string", Enum: names}
	if len(names) == 0 {
		named = &js.Schema{Not: &js.Schema{}}
	}
	num := &js.Schema{Type: "integer", Minimum: "-2147483648", Maximum: "2147483647"}
	number := func(n int32) json.Number { return json.Number(strconv.Itoa(int(n))) }
	switch {
	case r.GetDefinedOnly():
		num.Enum = numbers
		if len(numbers) == 0 {
			num = &js.Schema{Not: &js.Schema{}}
		}
	case r != nil:
		if r.Const != nil {
			num.Const = number(r.GetConst())
		}
		for _, n := range r.GetIn() {
			num.Enum = append(num.Enum, number(n))
		}
		if len(r.GetNotIn()) > 0 {
			not := &js.Schema{}
			for _, n := range r.GetNotIn() {
				not.Enum = append(not.Enum, number(n))
			}
			num.Not = not
		}
	}
	return &js.Schema{AnyOf: []*js.Schema{named, num}}
}

// wrapperValue returns the value field of a wrapper type
// (google.protobuf.StringValue...), nil for other messages.
func wrapperValue(md protoreflect.MessageDescriptor) protoreflect.FieldDescriptor {
	switch md.FullName() {
	case "google.protobuf.DoubleValue", "google.protobuf.FloatValue", "google.protobuf.Int64Value",
		"google.protobuf.UInt64Value", "google.protobuf.Int32Value", "google.protobuf.UInt32Value",
		"google.protobuf.BoolValue", "google.protobuf.StringValue", "google.protobuf.BytesValue":
		return md.Fields().ByName("value")
	}
	return nil
}

// wellKnownSchema is a well-known type (a message that is not a payload
// message, provision.IsPayloadMessage) as protojson writes it; any value
// for one it does not know.
func wellKnownSchema(md protoreflect.MessageDescriptor, r *validate.FieldRules) *js.Schema {
	if v := wrapperValue(md); v != nil {
		return scalarSchema(v, r)
	}
	switch md.FullName() {
	case "google.protobuf.Timestamp":
		return &js.Schema{Type: "string", Pattern: timestampPattern}
	case "google.protobuf.Duration":
		return &js.Schema{Type: "string", Pattern: durationPattern}
	case "google.protobuf.FieldMask":
		return &js.Schema{Type: "string", Pattern: fieldMaskPattern}
	case "google.protobuf.Struct":
		return &js.Schema{Type: "object"}
	case "google.protobuf.ListValue":
		return &js.Schema{Type: "array"}
	case "google.protobuf.Value":
		return &js.Schema{}
	case "google.protobuf.Empty":
		return &js.Schema{Type: "object", MaxProperties: u64(0)}
	case "google.protobuf.Any":
		props := js.NewProperties()
		props.Set("@type", &js.Schema{Type: "string"})
		return &js.Schema{Type: "object", Properties: props, Required: []string{"@type"}}
	}
	return &js.Schema{}
}
