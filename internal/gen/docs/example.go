package docs

import (
	"strconv"

	"google.golang.org/protobuf/reflect/protoreflect"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
)

// redactExample returns the field's catalog example and what the runtime's
// strategy r makes of it, for strategies an example illustrates
// (impl.StrategyKind.Illustrable).
func redactExample(f *model.Field, r *provisionv1.Redaction) (from, to string, ok bool) {
	if !impl.StrategyKindOf(r).Illustrable() {
		return "", "", false
	}
	ex := f.Item.GetExample()
	if ex == "" || f.IsMessage() {
		return "", "", false
	}
	s, err := impl.NewStrategy(r)
	if err != nil {
		return "", "", false
	}
	switch f.Desc.Kind() {
	case protoreflect.StringKind:
		to, err = s.ApplyString(nil, ex)
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind,
		protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		var v int64
		if v, err = strconv.ParseInt(ex, 10, 64); err == nil {
			v, err = s.ApplyInt64(v)
			to = strconv.FormatInt(v, 10)
		}
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		var v uint64
		if v, err = strconv.ParseUint(ex, 10, 64); err == nil {
			v, err = s.ApplyUint64(v)
			to = strconv.FormatUint(v, 10)
		}
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		var v float64
		if v, err = strconv.ParseFloat(ex, 64); err == nil {
			v, err = s.ApplyFloat64(v)
			to = strconv.FormatFloat(v, 'g', -1, 64)
		}
	default:
		return "", "", false
	}
	if err != nil || to == ex {
		return "", "", false
	}
	return ex, to, true
}
