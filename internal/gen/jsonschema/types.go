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

// Ranges of protobuf's integer kinds and of float.
const (
	maxFloat32 = "3.4028234663852886e+38"
	minFloat32 = "-3.4028234663852886e+38"
)

// Patterns of protojson's 64-bit integers, which it writes as JSON strings
// in canonical decimal: every value of the kind and nothing else.
var (
	int64Pattern  = "^(?:0|-?[1-9][0-9]{0,17}|" + decimalAtMost("9223372036854775807") + "|-" + decimalAtMost("9223372036854775808") + ")$"
	uint64Pattern = "^(?:0|[1-9][0-9]{0,18}|" + decimalAtMost("18446744073709551615") + ")$"
)

// decimalAtMost returns a pattern of the decimal numbers with as many
// digits as max, no leading zero, not above max.
func decimalAtMost(max string) string {
	var alts []string
	for i := range len(max) {
		d := max[i]
		lo := byte('0')
		if i == 0 {
			lo = '1'
		}
		if d <= lo {
			continue
		}
		alt := max[:i] + "[" + string(lo) + "-" + string(d-1) + "]"
		if rest := len(max) - i - 1; rest > 0 {
			alt += "[0-9]{" + strconv.Itoa(rest) + "}"
		}
		alts = append(alts, alt)
	}
	alts = append(alts, max)
	return "(?:" + joinAlt(alts) + ")"
}

func joinAlt(xs []string) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += "|"
		}
		out += x
	}
	return out
}

// Timestamps and durations as protojson writes and reads them.
const (
	timestampPattern = `^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,9})?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$`
	durationPattern  = `^-?[0-9]{1,12}(?:\.[0-9]{1,9})?s$`
	fieldMaskPattern = `^(?:[a-z][a-zA-Z0-9]*(?:\.[a-z][a-zA-Z0-9]*)*(?:,[a-z][a-zA-Z0-9]*(?:\.[a-z][a-zA-Z0-9]*)*)*)?$`
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

// intRange returns the bounds of a 32-bit integer kind.
func intRange(k protoreflect.Kind) (lo, hi string) {
	switch k {
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return "0", "4294967295"
	}
	return "-2147483648", "2147483647"
}

// kindSchema is the JSON form protojson gives a value of a scalar kind,
// with no rules.
func kindSchema(k protoreflect.Kind) *js.Schema {
	switch k {
	case protoreflect.BoolKind:
		return &js.Schema{Type: "boolean"}
	case protoreflect.StringKind:
		return &js.Schema{Type: "string"}
	case protoreflect.BytesKind:
		return &js.Schema{Type: "string", ContentEncoding: "base64", Pattern: base64Pattern}
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return &js.Schema{Type: "string", Pattern: int64Pattern}
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return &js.Schema{Type: "string", Pattern: uint64Pattern}
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		return &js.Schema{AnyOf: []*js.Schema{numberSchema(k), {Enum: []any{"NaN", "Infinity", "-Infinity"}}}}
	}
	lo, hi := intRange(k)
	return &js.Schema{Type: "integer", Minimum: json.Number(lo), Maximum: json.Number(hi)}
}

func numberSchema(k protoreflect.Kind) *js.Schema {
	s := &js.Schema{Type: "number"}
	if k == protoreflect.FloatKind {
		s.Minimum, s.Maximum = minFloat32, maxFloat32
	}
	return s
}

// zeroSchema matches the JSON forms of a kind's default value.
func zeroSchema(fd protoreflect.FieldDescriptor) *js.Schema {
	switch k := fd.Kind(); {
	case k == protoreflect.BoolKind:
		return &js.Schema{Const: false}
	case k == protoreflect.StringKind || k == protoreflect.BytesKind:
		return &js.Schema{Const: ""}
	case isWide(k):
		return &js.Schema{Const: "0"}
	case k == protoreflect.EnumKind:
		zero := fd.Enum().Values().ByNumber(0)
		if zero == nil {
			return &js.Schema{Const: json.Number("0")}
		}
		return &js.Schema{Enum: []any{string(zero.Name()), json.Number("0")}}
	}
	return &js.Schema{Const: json.Number("0")}
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

// numberValue is a 32-bit integer or floating-point value as a JSON
// number, or its protojson string for NaN and infinities.
func numberValue(k protoreflect.Kind, v protoreflect.Value) any {
	switch k {
	case protoreflect.FloatKind, protoreflect.DoubleKind:
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
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
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
// none) applied. rulesMsg is the kind's rules message (StringRules...),
// nil when not set.
func scalarSchema(fd protoreflect.FieldDescriptor, r *validate.FieldRules) *js.Schema {
	k := fd.Kind()
	_, typed := ruleKind(r)
	switch {
	case k == protoreflect.StringKind:
		return stringSchema(r.GetString())
	case k == protoreflect.BytesKind:
		return bytesSchema(r.GetBytes())
	case k == protoreflect.BoolKind:
		s := kindSchema(k)
		if c := r.GetBool(); c != nil && c.Const != nil {
			s.Const = c.GetConst()
		}
		return s
	case isWide(k):
		s := kindSchema(k)
		if typed != nil {
			wideRulesTo(s, fd, typed)
		}
		return s
	case isFloat(k):
		return floatSchema(fd, typed)
	}
	s := kindSchema(k)
	if typed != nil {
		intRulesTo(s, fd, typed)
	}
	return s
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
func rangeSchemas(fd protoreflect.FieldDescriptor, n numeric) []*js.Schema {
	k := fd.Kind()
	num := func(v protoreflect.Value) json.Number { return numberValue(k, v).(json.Number) }
	var out []*js.Schema
	if n.hasConst {
		out = append(out, &js.Schema{Const: numberValue(k, n.constV)})
	}
	if n.in != nil && n.in.Len() > 0 {
		out = append(out, &js.Schema{Enum: listValues(fd, n.in)})
	}
	if n.notIn != nil && n.notIn.Len() > 0 {
		out = append(out, &js.Schema{Not: &js.Schema{Enum: listValues(fd, n.notIn)}})
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
		if asFloat(k, lo) > asFloat(k, hi) {
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

// intRulesTo adds the rules to a 32-bit integer schema, folding plain
// bounds into the kind's own.
func intRulesTo(s *js.Schema, fd protoreflect.FieldDescriptor, typed protoreflect.Message) {
	for _, r := range rangeSchemas(fd, readNumeric(typed)) {
		if !foldBound(s, r) {
			s.AllOf = append(s.AllOf, r)
		}
	}
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

func wideRulesTo(s *js.Schema, fd protoreflect.FieldDescriptor, typed protoreflect.Message) {
	n := readNumeric(typed)
	if n.hasConst {
		s.Const = jsonScalar(fd, n.constV)
	}
	if n.in != nil && n.in.Len() > 0 {
		s.Enum = listValues(fd, n.in)
	}
	if n.notIn != nil && n.notIn.Len() > 0 {
		s.Not = &js.Schema{Enum: listValues(fd, n.notIn)}
	}
}

// floatSchema is a float or double: a JSON number, or one of the strings
// protojson writes for NaN and the infinities where the rules allow them.
func floatSchema(fd protoreflect.FieldDescriptor, typed protoreflect.Message) *js.Schema {
	k := fd.Kind()
	num := numberSchema(k)
	var n numeric
	if typed != nil {
		n = readNumeric(typed)
		num.AllOf = rangeSchemas(fd, n)
	}
	var specials []any
	for _, sp := range []struct {
		name string
		v    float64
	}{{"NaN", math.NaN()}, {"Infinity", math.Inf(1)}, {"-Infinity", math.Inf(-1)}} {
		if numericOK(k, n, sp.v) {
			specials = append(specials, sp.name)
		}
	}
	if len(specials) == 0 {
		return num
	}
	return &js.Schema{AnyOf: []*js.Schema{num, {Enum: specials}}}
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
	switch {
	case r.GetEmail():
		s.Format = "email"
		patterns = append(patterns, emailPattern)
	case r.GetIp():
		patterns = append(patterns, ipPattern)
	case r.GetIpv4():
		s.Format = "ipv4"
		patterns = append(patterns, ipv4Pattern)
	case r.GetIpv6():
		s.Format = "ipv6"
		patterns = append(patterns, ipv6Pattern)
	case r.GetUri():
		s.Format = "uri"
		patterns = append(patterns, uriPattern)
	case r.GetUriRef():
		s.Format = "uri-reference"
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

// base64Len is the length of the padded base64 of n bytes.
func base64Len(n uint64) uint64 { return (n + 2) / 3 * 4 }

// bytesSchema applies bytes rules to protojson's base64 string. A length
// in bytes becomes a length in characters; where a length in characters
// stands for several byte lengths, the padding tells them apart.
func bytesSchema(r *validate.BytesRules) *js.Schema {
	s := kindSchema(protoreflect.BytesKind)
	if r == nil {
		return s
	}
	b64 := func(b []byte) any { return base64.StdEncoding.EncodeToString(b) }
	if r.Const != nil {
		s.Const = b64(r.GetConst())
	}
	if len(r.GetIn()) > 0 {
		for _, v := range r.GetIn() {
			s.Enum = append(s.Enum, b64(v))
		}
	}
	if len(r.GetNotIn()) > 0 {
		not := &js.Schema{}
		for _, v := range r.GetNotIn() {
			not.Enum = append(not.Enum, b64(v))
		}
		s.Not = not
	}
	var lo, hi *uint64
	if r.Len != nil {
		lo, hi = u64(r.GetLen()), u64(r.GetLen())
	}
	if r.MinLen != nil {
		lo = u64(max(r.GetMinLen(), deref(lo)))
	}
	if r.MaxLen != nil {
		hi = u64(r.GetMaxLen())
		if r.Len != nil {
			hi = u64(min(r.GetLen(), r.GetMaxLen()))
		}
	}
	switch {
	case r.GetIpv4():
		lo, hi = u64(4), u64(4)
	case r.GetIpv6(), r.GetUuid():
		lo, hi = u64(16), u64(16)
	case r.GetIp():
		s.AllOf = append(s.AllOf, &js.Schema{AnyOf: []*js.Schema{bytesLength(u64(4), u64(4)), bytesLength(u64(16), u64(16))}})
	}
	if lo != nil || hi != nil {
		s.AllOf = append(s.AllOf, bytesLength(lo, hi))
	}
	return s
}

// bytesLength matches the padded base64 of lo to hi bytes.
func bytesLength(lo, hi *uint64) *js.Schema {
	s := &js.Schema{}
	// n bytes take 4*ceil(n/3) characters; the last group ends in "==" for
	// n%3 == 1 and in one "=" for n%3 == 2.
	if lo != nil && *lo > 0 {
		n := *lo
		s.MinLength = u64(base64Len(n))
		var excluded string
		switch n % 3 {
		case 2: // 4g characters may hold 3g-2 bytes: refuse "=="
			excluded = "==$"
		case 0: // 4g characters may hold 3g-2 or 3g-1 bytes: refuse any padding
			excluded = "=$"
		}
		if excluded != "" {
			s.AllOf = append(s.AllOf, &js.Schema{If: &js.Schema{MaxLength: u64(base64Len(n))}, Then: &js.Schema{Not: &js.Schema{Pattern: excluded}}})
		}
	}
	if hi != nil {
		n := *hi
		s.MaxLength = u64(base64Len(n))
		var needed string
		switch n % 3 {
		case 1: // 4g characters must hold 3g-2 bytes
			needed = "==$"
		case 2: // 4g characters must hold 3g-2 or 3g-1 bytes
			needed = "=$"
		}
		if needed != "" {
			s.AllOf = append(s.AllOf, &js.Schema{If: &js.Schema{MinLength: u64(base64Len(n))}, Then: &js.Schema{Pattern: needed}})
		}
	}
	return s
}

// enumSchema is an enum value: its name, or its number where protojson
// writes one (a value the enum does not define), with the rules applied.
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
	var names []any
	values := ed.Values()
	for i := range values.Len() {
		if v := values.Get(i); allowed(v.Number()) {
			names = append(names, string(v.Name()))
		}
	}
	named := &js.Schema{Type: "string", Enum: names}
	if len(names) == 0 {
		named = &js.Schema{Not: &js.Schema{}}
	}
	if r.GetDefinedOnly() {
		return named
	}
	// Numbers: protojson writes those of undefined values.
	num := &js.Schema{Type: "integer", Minimum: "-2147483648", Maximum: "2147483647"}
	var defined []any
	for i := range values.Len() {
		defined = append(defined, json.Number(strconv.Itoa(int(values.Get(i).Number()))))
	}
	num.Not = &js.Schema{Enum: defined}
	if r != nil {
		if r.Const != nil {
			num.Const = json.Number(strconv.Itoa(int(r.GetConst())))
		}
		if len(r.GetIn()) > 0 {
			num.Enum = nil
			for _, n := range r.GetIn() {
				num.Enum = append(num.Enum, json.Number(strconv.Itoa(int(n))))
			}
		}
		if len(r.GetNotIn()) > 0 {
			for _, n := range r.GetNotIn() {
				defined = append(defined, json.Number(strconv.Itoa(int(n))))
			}
			num.Not = &js.Schema{Enum: defined}
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
		return &js.Schema{Type: "string", Format: "date-time", Pattern: timestampPattern}
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
