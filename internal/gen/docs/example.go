package docs

import (
	"strconv"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/provisionhq/provision"
	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/model"
)

// redactExample returns the field's catalog example and what the runtime's
// strategy r makes of it, for strategies that change a value in a way a
// reader can see: IP truncation, URL sanitising, version generalisation,
// buckets and masks. Keep and drop need no example, a keyed hash depends
// on a secret key and noise is random, so those have none.
func redactExample(f *model.Field, r *provisionv1.Redaction) (from, to string, ok bool) {
	switch r.GetStrategy().(type) {
	case *provisionv1.Redaction_IpTruncate_, *provisionv1.Redaction_UrlSanitize_,
		*provisionv1.Redaction_GeneralizeVersion_, *provisionv1.Redaction_Bucket_, *provisionv1.Redaction_Mask_:
	default:
		return "", "", false
	}
	ex := f.Item.GetExample()
	if ex == "" || f.IsMessage() {
		return "", "", false
	}
	s, err := provision.NewStrategy(r)
	if err != nil {
		return "", "", false
	}
	switch f.Desc.Kind() {
	case protoreflect.StringKind:
		to, err = s.String(nil, ex)
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind,
		protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		var v int64
		if v, err = strconv.ParseInt(ex, 10, 64); err == nil {
			v, err = s.Int64(v)
			to = strconv.FormatInt(v, 10)
		}
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		var v uint64
		if v, err = strconv.ParseUint(ex, 10, 64); err == nil {
			v, err = s.Uint64(v)
			to = strconv.FormatUint(v, 10)
		}
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		var v float64
		if v, err = strconv.ParseFloat(ex, 64); err == nil {
			v, err = s.Float64(v)
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
