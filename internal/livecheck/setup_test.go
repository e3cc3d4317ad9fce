package livecheck_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/livecheck"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protoload"
)

// catalogs are the catalogs the tests check captures of: the
// repository's own and the fictional Acme catalog.
var catalogs = sync.OnceValues(func() (map[string]*model.Catalog, error) {
	cm, err := protoload.LoadCatalogModel()
	if err != nil {
		return nil, err
	}
	acme, err := protoload.CompileTree(context.Background(), protoload.Acme)
	if err != nil {
		return nil, err
	}
	ac, err := model.FromFileDescriptorSet(acme.Set)
	if err != nil {
		return nil, err
	}
	return map[string]*model.Catalog{"catalog": cm.Catalog, "acme": ac}, nil
})

func loadCatalogs(t testing.TB) map[string]*model.Catalog {
	t.Helper()
	cs, err := catalogs()
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// testKeys returns a key for every HMAC key ID of the catalog.
func testKeys(t testing.TB, c *model.Catalog) impl.KeyProvider {
	t.Helper()
	keys := map[string][]byte{}
	for _, s := range c.Scenarios() {
		s.Walk(func(f *model.Field) bool {
			rs := []*provisionv1.Redaction{f.Redaction()}
			for _, u := range f.Item.GetRedactionUnder() {
				rs = append(rs, u.GetRedaction())
			}
			for _, r := range rs {
				if h := r.GetHmac(); h != nil {
					keys[h.GetKeyId()] = []byte(strings.Repeat("k", impl.MinKeySize) + h.GetKeyId())
				}
			}
			return true
		})
	}
	kp, err := impl.NewStaticKeys(keys)
	if err != nil {
		t.Fatal(err)
	}
	return kp
}

// consentsWith is the consent of every product of c: c for its product,
// nothing for the others.
func consentsWith(t testing.TB, cat *model.Catalog, product string, c impl.Consent) livecheck.Consents {
	t.Helper()
	cs := livecheck.Consents{}
	for _, p := range cat.Products {
		if p.ID == product {
			cs[p.ID] = c
			continue
		}
		none, err := p.Agreements.Consent()
		if err != nil {
			t.Fatal(err)
		}
		cs[p.ID] = none
	}
	return cs
}

// fullConsent is the consent of every agreement of product p.
func fullConsent(p *model.Product) impl.Consent {
	levels := p.ConsentLevels()
	return levels[len(levels)-1]
}

// examplePayload fills a payload of scenario s from its items' examples:
// each item with probability keep (every required one, and one member of
// each oneof), a message item from its own items, a list with one or two
// entries. It returns nil when the result does not validate under the
// product's full consent.
func examplePayload(t testing.TB, r *rand.Rand, s *model.Scenario, keep float64) proto.Message {
	t.Helper()
	m := dynamicpb.NewMessage(s.Message)
	fill(t, r, m, s.Fields, keep)
	if err := impl.Validate(m, fullConsent(s.Product)); err != nil {
		return nil
	}
	return m
}

func fill(t testing.TB, r *rand.Rand, m protoreflect.Message, fields []*model.Field, keep float64) {
	for _, f := range fields {
		fd := f.Desc
		if od := fd.ContainingOneof(); od != nil && !od.IsSynthetic() && m.WhichOneof(od) != nil {
			continue
		}
		if r.Float64() >= keep {
			continue
		}
		if len(f.Children) > 0 {
			n := 1
			if fd.IsList() {
				n += r.IntN(2)
			}
			for range n {
				var child protoreflect.Message
				switch {
				case fd.IsList():
					v := m.Mutable(fd).List().NewElement()
					child = v.Message()
					fill(t, r, child, f.Children, keep)
					m.Mutable(fd).List().Append(v)
				case fd.IsMap():
					// Maps are anonymous and take their example whole.
				default:
					child = m.Mutable(fd).Message()
					fill(t, r, child, f.Children, keep)
				}
			}
			if !fd.IsMap() {
				continue
			}
		}
		ex, err := model.ExampleMessage(fd, f.Item.GetExample())
		if err != nil {
			t.Fatalf("%s: example: %v", f.Path, err)
		}
		m.Set(fd, ex.Get(ex.Descriptor().Fields().ByName(fd.Name())))
	}
}

// expiryDays are the expiry dates of every scenario of cat and every item
// with one of its own, in catalog order.
func expiryDays(cat *model.Catalog) []time.Time {
	var out []time.Time
	for _, s := range cat.Scenarios() {
		if d, ok := model.ExpiryDate(s.Expires()); ok {
			out = append(out, d)
		}
		s.Walk(func(f *model.Field) bool {
			if d, ok := model.ExpiryDate(f.Item.GetExpires()); ok {
				out = append(out, d)
			}
			return true
		})
	}
	return out
}

// beforeExpiries is a checker's clock on the day before the earliest
// expiry date of cat, so that a test's verdict does not change on the day
// the catalog's expiries come; with no expiry date, today.
func beforeExpiries(cat *model.Catalog) livecheck.Option {
	day := model.Day(time.Now())
	if ds := expiryDays(cat); len(ds) > 0 {
		day = slices.MinFunc(ds, time.Time.Compare).AddDate(0, 0, -1)
	}
	return livecheck.WithClock(func() time.Time { return day })
}

// allOf is every agreement of every product of cat.
func allOf(t testing.TB, cat *model.Catalog) livecheck.Consents {
	t.Helper()
	cs := livecheck.Consents{}
	for _, p := range cat.Products {
		cs[p.ID] = fullConsent(p)
	}
	return cs
}
