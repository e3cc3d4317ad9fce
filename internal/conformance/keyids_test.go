package conformance_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
)

// keyIDser is what generated code adds to every scenario message for the
// keys its Redact needs.
type keyIDser interface {
	KeyIDs() []string
}

// recordingKeys is a KeyProvider that records every key ID it is asked
// for. It holds a map, so it is not comparable: no Strategy caches a
// Hasher for it, and every Redact asks it again.
type recordingKeys struct {
	keys  impl.KeyProvider
	asked map[string]bool
}

func (r recordingKeys) Key(id string) ([]byte, error) {
	r.asked[id] = true
	return r.keys.Key(id)
}

// oneofVariants returns how many payloads it takes to set every member of
// every oneof of the scenario once: the most members of any one oneof.
func oneofVariants(s *model.Scenario) int {
	n := 1
	s.Walk(func(f *model.Field) bool {
		if od := f.Desc.ContainingOneof(); od != nil && !od.IsSynthetic() {
			n = max(n, od.Fields().Len())
		}
		return true
	})
	return n
}

// fillAll sets every field of m (one element in each list and map, every
// nested message) with values shaped for their strategy (canaryValue); of
// each oneof it sets the member at position variant modulo its size.
func fillAll(m protoreflect.Message, fields []*model.Field, variant int) {
	for _, f := range fields {
		fd := fieldOf(m, f)
		if od := fd.ContainingOneof(); od != nil && !od.IsSynthetic() && od.Fields().Get(variant%od.Fields().Len()).Number() != fd.Number() {
			continue
		}
		if len(f.Children) > 0 {
			var child protoreflect.Message
			switch {
			case fd.IsList():
				l := m.Mutable(fd).List()
				e := l.NewElement()
				l.Append(e)
				child = e.Message()
			case fd.IsMap():
				mp := m.Mutable(fd).Map()
				e := mp.NewValue()
				mp.Set(protoreflect.ValueOfString("k").MapKey(), e)
				child = e.Message()
			default:
				child = m.Mutable(fd).Message()
			}
			fillAll(child, f.Children, variant)
			continue
		}
		switch {
		case fd.IsList():
			v, _ := canaryValue(fd, f, 1)
			m.Mutable(fd).List().Append(v)
		case fd.IsMap():
			v, _ := canaryValue(fd.MapValue(), f, 1)
			m.Mutable(fd).Map().Set(protoreflect.ValueOfString("k").MapKey(), v)
		default:
			v, _ := canaryValue(fd, f, 1)
			m.Set(fd, v)
		}
	}
}

// TestKeyIDs holds each scenario's generated KeyIDs to what its Redact
// actually asks the KeyProvider for: with every item populated (each
// member of each oneof in turn), under every subset of the product's
// agreements, the key IDs asked for are exactly KeyIDs, sorted. A key
// listed but never needed fails, as does one needed but not listed.
func TestKeyIDs(t *testing.T) {
	t.Parallel()
	keys := testKeys(t)
	for _, s := range scenarios(t) {
		t.Run(s.ID, func(t *testing.T) {
			t.Parallel()
			p := newPayload(t, s)
			ki, ok := p.(keyIDser)
			if !ok {
				t.Fatalf("generated type %T has no KeyIDs method", p)
			}
			want := ki.KeyIDs()
			if !slices.IsSorted(want) || len(slices.Compact(slices.Clone(want))) != len(want) {
				t.Errorf("KeyIDs() = %q, want sorted IDs without repeats", want)
			}
			rec := recordingKeys{keys: keys, asked: map[string]bool{}}
			consents, names := allSubsets(t, s.Product)
			for i, c := range consents {
				for v := range oneofVariants(s) {
					m := newPayload(t, s)
					fillAll(m.ProtoReflect(), s.Fields, v)
					if err := m.Redact(c, rec); err != nil {
						t.Errorf("consent %s, oneof variant %d: Redact: %v", names[i], v, err)
					}
				}
			}
			got := slices.Sorted(maps.Keys(rec.asked))
			if diff := cmp.Diff(fmt.Sprint(want), fmt.Sprint(got)); diff != "" {
				t.Errorf("KeyIDs() differs from the keys Redact asked for under every consent (-KeyIDs +asked):\n%s", diff)
			}
		})
	}
}
