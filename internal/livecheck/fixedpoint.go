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

// fixedPoint reports whether every value of item f held in root is what
// redaction r makes of it; items of other strategies pass.
func fixedPoint(f *model.Field, r *provisionv1.Redaction, root protoreflect.Message) bool {
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
	ok := true
	eachValue(f, root, func(v protoreflect.Value) {
		if k == protoreflect.StringKind {
			out, err := st.ApplyString(nil, v.String())
			ok = ok && err == nil && out == v.String()
			return
		}
		out, err := st.ApplyBytes(nil, v.Bytes())
		ok = ok && err == nil && bytes.Equal(out, v.Bytes())
	})
	return ok
}

// eachValue calls fn with every value of item f held in root, following
// its enclosing items through lists and maps.
func eachValue(f *model.Field, root protoreflect.Message, fn func(protoreflect.Value)) {
	var chain []*model.Field
	for g := f; g != nil; g = g.Parent {
		chain = append([]*model.Field{g}, chain...)
	}
	var visit func(m protoreflect.Message, i int)
	visit = func(m protoreflect.Message, i int) {
		g := chain[i]
		if !m.Has(g.Desc) {
			return
		}
		v := m.Get(g.Desc)
		last := i == len(chain)-1
		each := func(v protoreflect.Value) {
			if last {
				fn(v)
			} else {
				visit(v.Message(), i+1)
			}
		}
		switch {
		case g.Desc.IsList():
			l := v.List()
			for j := range l.Len() {
				each(l.Get(j))
			}
		case g.Desc.IsMap():
			v.Map().Range(func(_ protoreflect.MapKey, mv protoreflect.Value) bool {
				each(mv)
				return true
			})
		default:
			each(v)
		}
	}
	visit(root, 0)
}
