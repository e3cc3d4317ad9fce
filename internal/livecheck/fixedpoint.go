package livecheck

import (
	"bytes"

	"google.golang.org/protobuf/reflect/protoreflect"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
)

// idempotent are the strategies whose output the runtime's own transform
// leaves as it is: truncating a truncated address, sanitising a
// sanitised URL or generalising a generalised version changes nothing.
// A value of such an item as transmitted must be a fixed point of its
// transform; one that is not was not redacted. The transmitted JSON
// Schema says the same of versions and URLs, but cannot say of an
// address which bits a prefix keeps.
var idempotent = map[impl.StrategyKind]bool{
	impl.StrategyIPTruncate:        true,
	impl.StrategyURLSanitize:       true,
	impl.StrategyGeneralizeVersion: true,
}

// fixedPoint reports whether v, the value of item f in one message, is
// (each of its entries, for a list) what redaction r makes of it; items
// of other strategies pass.
func fixedPoint(f *model.Field, r *provisionv1.Redaction, v protoreflect.Value) bool {
	if !idempotent[impl.StrategyKindOf(r)] || f.Desc.IsMap() {
		return true
	}
	k := f.Desc.Kind()
	if k != protoreflect.StringKind && k != protoreflect.BytesKind {
		return true
	}
	st, err := impl.NewStrategy(r)
	if err != nil {
		return false
	}
	same := func(v protoreflect.Value) bool {
		if k == protoreflect.StringKind {
			out, err := st.ApplyString(nil, v.String())
			return err == nil && out == v.String()
		}
		out, err := st.ApplyBytes(nil, v.Bytes())
		return err == nil && bytes.Equal(out, v.Bytes())
	}
	if !f.Desc.IsList() {
		return same(v)
	}
	l := v.List()
	for i := range l.Len() {
		if !same(l.Get(i)) {
			return false
		}
	}
	return true
}
