package jsonschema

import (
	"encoding/json"
	"math"
	"math/big"
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

// redactedShape is one value after the strategy, for a field of fd's kind
// whose rules (before redaction) are r.
func redactedShape(fd protoreflect.FieldDescriptor, rules *validate.FieldRules, r *provisionv1.Redaction) *js.Schema {
	bytesKind := fd.Kind() == protoreflect.BytesKind
	switch impl.StrategyKindOf(r) {
	case impl.StrategyHMAC:
		if bytesKind {
			return hashedBytes()
		}
		return &js.Schema{Type: "string", Pattern: impl.HashStringPattern}
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
		return sanitisedURL(r.GetUrlSanitize(), rules.GetString())
	case impl.StrategyGeneralizeVersion:
		keep := max(int(r.GetGeneralizeVersion().GetKeepComponents()), 1)
		return &js.Schema{Type: "string", Pattern: "^" + versionPattern + `(?:\.` + versionPattern + "){0," + strconv.Itoa(keep-1) + "}$"}
	case impl.StrategyBucket:
		return bucketSchema(fd.Kind(), r.GetBucket().GetBounds())
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
		// field's own range rules no longer hold. The runtime never gives
		// NaN or an infinity.
		if k := fd.Kind(); isFloat(k) {
			return &js.Schema{AnyOf: []*js.Schema{numberSchema(k), {Type: "string", Pattern: decimalPattern}}}
		}
		return integerSchema(fd.Kind(), numeric{})
	}
	return &js.Schema{}
}

// bucketSchema is the values bucketing can give, in every form protojson
// reads, following the runtime: floating-point kinds take the bounds as
// written (float rounds them to 32 bits); integer kinds take them rounded
// up, unsigned kinds only those not below zero (or zero when none is),
// 32-bit kinds clamped to their range.
func bucketSchema(k protoreflect.Kind, bounds []float64) *js.Schema {
	if isFloat(k) {
		var out []json.Number
		for _, b := range bounds {
			v := json.Number(strconv.FormatFloat(b, 'g', -1, 64))
			if k == protoreflect.FloatKind {
				v = json.Number(strconv.FormatFloat(float64(float32(b)), 'g', -1, 32))
			}
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		return floatValues(out)
	}
	var out []*big.Int
	add := func(v *big.Int) {
		if !slices.ContainsFunc(out, func(x *big.Int) bool { return x.Cmp(v) == 0 }) {
			out = append(out, v)
		}
	}
	unsigned := isUnsigned(k)
	for _, b := range bounds {
		c := math.Ceil(b)
		switch {
		case unsigned && (c < 0 || c >= 1<<64):
		case !unsigned && (c < -(1<<63) || c >= 1<<63):
		case unsigned && isWide(k):
			add(new(big.Int).SetUint64(uint64(c)))
		case unsigned:
			add(new(big.Int).SetUint64(min(uint64(c), math.MaxUint32)))
		case isWide(k):
			add(big.NewInt(int64(c)))
		default:
			add(big.NewInt(max(math.MinInt32, min(int64(c), math.MaxInt32))))
		}
	}
	if len(out) == 0 && unsigned {
		out = append(out, new(big.Int))
	}
	return integerValues(k, out)
}
