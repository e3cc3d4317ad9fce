package jsonschema

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	js "github.com/invopop/jsonschema"
	"google.golang.org/protobuf/reflect/protoreflect"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
)

// redactedValue is the value of a field as transmitted after a strategy
// other than keep: the shape the strategy gives, with only the rules that
// still hold. Strategies apply to each item of a list and each value of a
// map; counts and keys do not change.
func (d *doc) redactedValue(f *model.Field, fr *fieldRules, r *provisionv1.Redaction) (*js.Schema, error) {
	fd, rules := f.Desc, fr.rules
	switch {
	case fd.IsMap():
		s := &js.Schema{Type: "object", PropertyNames: mapKey(fd.MapKey(), rules.GetMap().GetKeys()),
			AdditionalProperties: redactedShape(fd.MapValue(), rules.GetMap().GetValues(), r)}
		mapRules(s, rules.GetMap())
		return s, nil
	case fd.IsList():
		s := &js.Schema{Type: "array", Items: redactedShape(fd, rules.GetRepeated().GetItems(), r)}
		// A keyed hash keeps distinct values distinct; other strategies
		// may merge them.
		listRules(s, rules.GetRepeated(), r.GetHmac() != nil)
		return s, nil
	}
	return redactedShape(fd, rules, r), nil
}

// hmacBytesPattern is the base64 of a 32-byte digest.
const hmacBytesPattern = `^[A-Za-z0-9+/]{43}=$`

// redactedShape is one value after the strategy, for a field of fd's kind
// whose rules (before redaction) are r.
func redactedShape(fd protoreflect.FieldDescriptor, rules *validate.FieldRules, r *provisionv1.Redaction) *js.Schema {
	bytesKind := fd.Kind() == protoreflect.BytesKind
	switch impl.StrategyKindOf(r) {
	case impl.StrategyHMAC:
		if bytesKind {
			return &js.Schema{Type: "string", ContentEncoding: "base64", Pattern: hmacBytesPattern}
		}
		return &js.Schema{Type: "string", Pattern: hexSHA256Pattern}
	case impl.StrategyIPTruncate:
		if bytesKind {
			b := rules.GetBytes()
			switch {
			case b.GetIpv4():
				return bytesOfLength(4)
			case b.GetIpv6():
				return bytesOfLength(16)
			}
			return &js.Schema{AnyOf: []*js.Schema{bytesOfLength(4), bytesOfLength(16)}}
		}
		sr := rules.GetString()
		switch {
		case sr.GetIpv4():
			return &js.Schema{Type: "string", Format: "ipv4", Pattern: ipv4OutPattern}
		case sr.GetIpv6():
			return &js.Schema{Type: "string", Format: "ipv6", Pattern: ipv6OutPattern}
		}
		return &js.Schema{Type: "string", Pattern: ipOutPattern}
	case impl.StrategyURLSanitize:
		return &js.Schema{Type: "string", Format: "uri", Pattern: uriPattern}
	case impl.StrategyGeneralizeVersion:
		keep := max(int(r.GetGeneralizeVersion().GetKeepComponents()), 1)
		return &js.Schema{Type: "string", Pattern: "^" + versionPattern + `(?:\.` + versionPattern + "){0," + strconv.Itoa(keep-1) + "}$"}
	case impl.StrategyBucket:
		return &js.Schema{Enum: bucketValues(fd.Kind(), r.GetBucket().GetBounds())}
	case impl.StrategyMask:
		// Each hidden character becomes one asterisk: lengths in
		// characters still hold, nothing else does.
		s := &js.Schema{Type: "string"}
		if sr := rules.GetString(); sr != nil {
			lengths := stringSchema(&validate.StringRules{Len: sr.Len, MinLen: sr.MinLen, MaxLen: sr.MaxLen})
			s.MinLength, s.MaxLength = lengths.MinLength, lengths.MaxLength
		}
		return s
	case impl.StrategyDPNoise:
		// Noise may carry the value anywhere in its type's range: the
		// field's own range rules no longer hold.
		switch k := fd.Kind(); {
		case isWide(k):
			return kindSchema(k)
		case isFloat(k):
			return numberSchema(k)
		default:
			return kindSchema(k)
		}
	}
	return &js.Schema{}
}

func bytesOfLength(n uint64) *js.Schema {
	s := kindSchema(protoreflect.BytesKind)
	s.AllOf = []*js.Schema{bytesLength(&n, &n)}
	return s
}

// bucketValues are the values bucketing can give, as protojson writes
// them for the field's kind, following the runtime: floating-point kinds
// take the bounds as written (float rounds them to 32 bits); integer kinds
// take them rounded up, unsigned kinds only those not below zero (or zero
// when none is), 32-bit kinds clamped to their range, 64-bit kinds as
// strings.
func bucketValues(k protoreflect.Kind, bounds []float64) []any {
	var out []any
	add := func(v any) {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	unsigned := k == protoreflect.Uint32Kind || k == protoreflect.Fixed32Kind || k == protoreflect.Uint64Kind || k == protoreflect.Fixed64Kind
	for _, b := range bounds {
		c := math.Ceil(b)
		switch {
		case k == protoreflect.FloatKind:
			add(json.Number(strconv.FormatFloat(float64(float32(b)), 'g', -1, 32)))
		case k == protoreflect.DoubleKind:
			add(json.Number(strconv.FormatFloat(b, 'g', -1, 64)))
		case unsigned && (c < 0 || c >= 1<<64):
		case !unsigned && (c < -(1<<63) || c >= 1<<63):
		case k == protoreflect.Uint64Kind || k == protoreflect.Fixed64Kind:
			add(strconv.FormatUint(uint64(c), 10))
		case unsigned:
			add(json.Number(strconv.FormatUint(min(uint64(c), math.MaxUint32), 10)))
		case isWide(k):
			add(strconv.FormatInt(int64(c), 10))
		default:
			add(json.Number(strconv.FormatInt(max(math.MinInt32, min(int64(c), math.MaxInt32)), 10)))
		}
	}
	if len(out) == 0 && unsigned {
		if isWide(k) {
			return []any{"0"}
		}
		return []any{json.Number("0")}
	}
	return out
}
