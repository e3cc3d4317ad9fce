package conformance_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoregistry"

	_ "github.com/provisionhq/provision/gen/go/kaspersky/consumer/v1"
	_ "github.com/provisionhq/provision/gen/go/kaspersky/kess/v1"
	_ "github.com/provisionhq/provision/gen/go/kaspersky/ksvla/v1"
	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protoload"
)

// payload is what generated code adds to every scenario message.
type payload interface {
	proto.Message
	Redact(impl.Consent, impl.KeyProvider) error
	Validate(impl.Consent) error
	ProvisionFields() []impl.FieldInfo
}

var (
	catalogOnce sync.Once
	catalog     *model.Catalog
	catalogErr  error
)

// loadCatalog compiles proto/ in process and builds the model once.
func loadCatalog(t testing.TB) *model.Catalog {
	t.Helper()
	catalogOnce.Do(func() {
		cat, err := protoload.CompileCatalog(context.Background())
		if err != nil {
			catalogErr = err
			return
		}
		catalog, catalogErr = model.FromFileDescriptorSet(cat.Set)
	})
	if catalogErr != nil {
		t.Fatal(catalogErr)
	}
	return catalog
}

// newPayload returns an empty message of the generated type of scenario s.
func newPayload(t testing.TB, s *model.Scenario) payload {
	t.Helper()
	mt, err := protoregistry.GlobalTypes.FindMessageByName(s.Message.FullName())
	if err != nil {
		t.Fatalf("scenario %s: no generated type: %v", s.ID, err)
	}
	p, ok := mt.New().Interface().(payload)
	if !ok {
		t.Fatalf("scenario %s: generated type %T lacks the provision methods", s.ID, mt.New().Interface())
	}
	return p
}

// allSubsets returns the consent of every subset of product p's declared
// agreements and the reserved NONE, with a name for each.
func allSubsets(t testing.TB, p *model.Product) ([]impl.Consent, []string) {
	t.Helper()
	agreements := append(p.Agreements.IDs(), impl.AgreementNone)
	var out []impl.Consent
	var names []string
	for mask := range 1 << len(agreements) {
		var set []string
		for i, a := range agreements {
			if mask&(1<<i) != 0 {
				set = append(set, a)
			}
		}
		c, err := p.Agreements.Consent(set...)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
		names = append(names, fmt.Sprint(set))
	}
	return out, names
}

// testKeys holds a key for every key id the catalog names.
func testKeys(t testing.TB) impl.KeyProvider {
	t.Helper()
	ids := map[string][]byte{}
	for _, s := range loadCatalog(t).Scenarios() {
		s.Walk(func(f *model.Field) bool {
			for _, r := range append([]*redactionT{f.Redaction()}, underRedactions(f)...) {
				if id := r.GetHmac().GetKeyId(); id != "" {
					ids[id] = []byte(fmt.Sprintf("test-key-%-23s", id))
				}
			}
			return true
		})
	}
	keys, err := impl.NewStaticKeys(ids)
	if err != nil {
		t.Fatal(err)
	}
	return keys
}
