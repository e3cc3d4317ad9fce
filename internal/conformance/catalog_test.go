package conformance_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoregistry"

	_ "github.com/provisionhq/provision/internal/catalogconformance" // the catalog's generated Go
	_ "github.com/provisionhq/provision/internal/gen/golang/testdata/golden-acme/acme/notes/v1"
	_ "github.com/provisionhq/provision/internal/gen/golang/testdata/golden-hostile/fixture/hostile/v1"
	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protoload"
	"github.com/provisionhq/provision/internal/protosrc"
)

// payload is what generated code adds to every scenario message.
type payload interface {
	proto.Message
	Redact(impl.Consent, impl.KeyProvider) error
	Validate(impl.Consent) error
	ProvisionFields() []impl.FieldInfo
}

// hostileFixture is the fixture with every shape hostile input can take
// (a oneof with a message member, lists and maps of messages, anonymous
// maps, every strategy), whose generated Go is also a golden of
// internal/gen/golang.
const hostileFixture = "internal/gen/golang/testdata/hostile"

// loadScenarios compiles the repository's catalog (proto/), the
// fictional Acme catalog (protoload.Acme) and the hostile fixture, whose
// generated Go are the goldens of internal/gen/golang, in process, builds
// their models once, and returns the scenarios of all three: every test
// holds the generated code and the reflection engine to one another on
// each.
var loadScenarios = sync.OnceValues(func() ([]*model.Scenario, error) {
	var out []*model.Scenario
	for _, compile := range []func() (*protosrc.Catalog, error){
		func() (*protosrc.Catalog, error) { return protoload.CompileCatalog(context.Background()) },
		func() (*protosrc.Catalog, error) { return protoload.CompileTree(context.Background(), protoload.Acme) },
		func() (*protosrc.Catalog, error) { return protoload.CompileTree(context.Background(), hostileFixture) },
	} {
		cat, err := compile()
		if err != nil {
			return nil, err
		}
		c, err := model.FromFileDescriptorSet(cat.Set)
		if err != nil {
			return nil, err
		}
		out = append(out, c.Scenarios()...)
	}
	return out, nil
})

// scenarios returns the scenarios of both catalogs (loadScenarios).
func scenarios(t testing.TB) []*model.Scenario {
	t.Helper()
	s, err := loadScenarios()
	if err != nil {
		t.Fatal(err)
	}
	return s
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

// testKeys holds a key for every key id the catalogs name (testKeyBytes).
func testKeys(t testing.TB) impl.KeyProvider {
	t.Helper()
	keys, err := impl.NewStaticKeys(testKeyBytes(t))
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// testKeyBytes returns a key of 32 bytes for every key id the catalogs
// name, by id.
func testKeyBytes(t testing.TB) map[string][]byte {
	t.Helper()
	ids := map[string][]byte{}
	for _, s := range scenarios(t) {
		s.Walk(func(f *model.Field) bool {
			for _, r := range append([]*redactionT{f.Redaction()}, underRedactions(f)...) {
				if id := r.GetHmac().GetKeyId(); id != "" {
					ids[id] = []byte(fmt.Sprintf("test-key-%-23s", id))
				}
			}
			return true
		})
	}
	return ids
}
