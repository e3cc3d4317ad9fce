package jsonschema

import (
	sjs "github.com/santhosh-tekuri/jsonschema/v6"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	_ "github.com/provisionhq/provision/internal/catalogconformance" // the catalog's generated Go
	"github.com/provisionhq/provision/internal/fixture"
	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
)

// redactor is what the generated Go types of the scenarios offer.
type redactor interface {
	Redact(impl.Consent, impl.KeyProvider) error
}

// testKeys returns a key for every HMAC key id of the catalog.
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

// transmittedPayloadsEnv is the environment variable that sets how many
// valid payloads per scenario TestRedactedPayloadsMatchTransmitted redacts
// under each consent: defaultTransmittedPayloads unless set, and
// shortTransmittedPayloads with -short.
const (
	transmittedPayloadsEnv     = "PROVISION_TRANSMITTED_PAYLOADS"
	defaultTransmittedPayloads = 100
	shortTransmittedPayloads   = 50
)

// TestRedactedPayloadsMatchTransmitted redacts valid payloads under every
// consent level, with the runtime's reflection Redact and, for the
// catalog's scenarios, with the Redact methods of the generated Go types,
// and validates what protojson makes of the result against the schema the
// index gives for that consent. Under a consent that does not allow the
// scenario, its schema accepts nothing. It redacts 100 payloads per
// scenario, or as many as PROVISION_TRANSMITTED_PAYLOADS says.
func TestRedactedPayloadsMatchTransmitted(t *testing.T) {
	t.Parallel()
	v, err := sharedValidator()
	if err != nil {
		t.Fatal(err)
	}
	def := defaultTransmittedPayloads
	if testing.Short() {
		def = shortTransmittedPayloads
	}
	n := fixture.Size(t, transmittedPayloadsEnv, def)
	for setName, set := range loadGenerated(t) {
		keys := testKeys(t, set.catalog)
		for _, entry := range set.index.Scenarios {
			s, _ := set.catalog.Scenario(entry.ID)
			t.Run(setName+"/"+entry.ID, func(t *testing.T) {
				t.Parallel()
				var typed protoreflect.MessageType
				if mt, err := protoregistry.GlobalTypes.FindMessageByName(s.Message.FullName()); err == nil && setName == "catalog" {
					typed = mt
				}
				g := newFaker(uint64(len(entry.ID)), s)
				checked := 0
				for i := 0; checked < n && i < 50*n; i++ {
					m := g.message(s.Message, 0)
					raw, err := protojson.Marshal(m)
					if err != nil {
						continue
					}
					if ok, _, _ := verdict(v, s.Message, raw); !ok {
						continue
					}
					checked++
					for ci, c := range s.Product.ConsentLevels() {
						ic := entry.Transmitted[ci]
						schema := set.schemas[ic.Schema]
						if !ic.Sent {
							if ok, _ := validates(schema, raw); ok {
								t.Fatalf("consent %s: %s accepts a payload, but nothing is sent", ic.Consent, ic.Schema)
							}
							continue
						}
						out := proto.Clone(m)
						// A value the strategy cannot take (a URI without a
						// host) is cleared and reported; the output must
						// match the schema all the same.
						_ = impl.Redact(out, c, keys)
						check(t, schema, ic, "reflection Redact", out)
						if typed == nil {
							continue
						}
						tm := typed.New().Interface()
						b, _ := proto.Marshal(m)
						if err := proto.Unmarshal(b, tm); err != nil {
							t.Fatal(err)
						}
						_ = tm.(redactor).Redact(c, keys)
						check(t, schema, ic, "generated Redact", tm)
					}
				}
				if checked < n {
					t.Fatalf("only %d valid payloads of %d", checked, n)
				}
			})
		}
	}
}

func check(t *testing.T, schema *sjs.Schema, ic IndexConsent, how string, m proto.Message) {
	t.Helper()
	out, err := protojson.Marshal(m)
	if err != nil {
		t.Fatalf("consent %s: %s: marshal: %v", ic.Consent, how, err)
	}
	if ok, why := validates(schema, out); !ok {
		t.Fatalf("consent %s: %s output does not match %s: %s\n%s", ic.Consent, how, ic.Schema, why, out)
	}
}
