package livecheck_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoregistry"

	_ "github.com/provisionhq/provision/internal/catalogconformance" // the catalog's generated Go
	"github.com/provisionhq/provision/internal/fixture"
	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/livecheck"
)

// redactor is what the generated Go types of the scenarios offer.
type redactor interface {
	Redact(impl.Consent, impl.KeyProvider) error
}

// livePayloadsEnv sets how many payloads per scenario and consent level
// TestRedactedCapturesAreClean checks.
const livePayloadsEnv = "PROVISION_LIVECHECK_PAYLOADS"

// TestRedactedCapturesAreClean checks captures made as a product makes
// them: payloads of every scenario of both catalogs, filled from the
// items' examples and valid, redacted under every consent level of their
// product by the reflection Redact and, for the repository's catalog, by
// the generated Redact, then sent as protojson (with JSON names and with
// proto names), as binary and in a Confluent frame. Under a level that
// allows the scenario, live-check finds nothing; under one that does
// not, exactly SCENARIO_NOT_ALLOWED.
func TestRedactedCapturesAreClean(t *testing.T) {
	t.Parallel()
	def := 20
	if testing.Short() {
		def = 5
	}
	n := fixture.Size(t, livePayloadsEnv, def)
	for name, cat := range loadCatalogs(t) {
		keys := testKeys(t, cat)
		for _, s := range cat.Scenarios() {
			t.Run(name+"/"+s.ID, func(t *testing.T) {
				t.Parallel()
				typed, _ := protoregistry.GlobalTypes.FindMessageByName(s.Message.FullName())
				if name != "catalog" {
					typed = nil
				}
				levels := s.Product.ConsentLevels()
				checkers := make([]*livecheck.Checker, len(levels))
				for i, c := range levels {
					var err error
					if checkers[i], err = livecheck.New(cat, consentsWith(t, cat, s.Product.ID, c), beforeExpiries(cat)); err != nil {
						t.Fatal(err)
					}
				}
				r := rand.New(rand.NewPCG(uint64(len(s.ID)), 17))
				checked := 0
				for i := 0; checked < n && i < 50*n; i++ {
					keep := 1.0
					if i > 0 {
						keep = 0.5 + r.Float64()/2
					}
					m := examplePayload(t, r, s, keep)
					if m == nil {
						continue
					}
					checked++
					for li, c := range levels {
						ch := checkers[li]
						outs := map[string]proto.Message{}
						out := proto.Clone(m)
						_ = impl.Redact(out, c, keys)
						outs["reflection"] = out
						if typed != nil {
							tm := typed.New().Interface()
							b, _ := proto.Marshal(m)
							if err := proto.Unmarshal(b, tm); err != nil {
								t.Fatal(err)
							}
							_ = tm.(redactor).Redact(c, keys)
							outs["generated"] = tm
						}
						for how, out := range outs {
							js, err := protojson.Marshal(out)
							if err != nil {
								t.Fatal(err)
							}
							protoNames, err := protojson.MarshalOptions{UseProtoNames: true}.Marshal(out)
							if err != nil {
								t.Fatal(err)
							}
							bin, err := proto.Marshal(out)
							if err != nil {
								t.Fatal(err)
							}
							for _, rec := range []livecheck.Record{
								{Source: how + ".json", Message: s.Message.FullName(), Format: livecheck.FormatJSON, Data: js},
								{Source: how + ".proto-names.json", Message: s.Message.FullName(), Format: livecheck.FormatJSON, Data: protoNames},
								{Source: how + ".binpb", Message: s.Message.FullName(), Format: livecheck.FormatBinary, Data: bin},
								{Source: how + ".frame", Message: s.Message.FullName(), Format: livecheck.FormatFrame, Data: append([]byte{0, 0, 0, 0, 1, 0}, bin...)},
							} {
								fs, err := ch.Check(context.Background(), rec)
								if err != nil {
									t.Fatalf("consent %v: %s: %v", c, rec.Source, err)
								}
								if !c.Grants(s.Agreement) {
									if len(fs) != 1 || fs[0].Rule != livecheck.RuleScenarioNotAllowed {
										t.Fatalf("consent %v: %s: %+v; want SCENARIO_NOT_ALLOWED only", c, rec.Source, fs)
									}
									continue
								}
								if len(fs) > 0 {
									t.Fatalf("consent %v: %s: %d findings, first %+v\n%s", c, rec.Source, len(fs), fs[0], js)
								}
							}
						}
					}
				}
				if checked < n {
					t.Fatalf("only %d valid payloads of %d", checked, n)
				}
			})
		}
	}
}
