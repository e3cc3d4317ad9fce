package conformance_test

import (
	"bytes"
	"errors"
	"log/slog"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/provisionhq/provision/internal/fixture"
	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
)

// differential redacts and validates one random payload of scenario s under
// consent c with the generated methods and with the reflection engine, and
// reports any difference: the redacted messages, the fields each cleared
// for errors, the validation errors, the logged text.
func differential(t *testing.T, s *model.Scenario, c impl.Consent, keys impl.KeyProvider, seed uint64) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, uint64(len(s.ID))))
	gen := newPayload(t, s)
	randomMessage(r, gen.ProtoReflect(), 0)
	refl := proto.Clone(gen)
	collected := proto.Clone(gen)

	// Validation of the payload as collected.
	genV, reflV := gen.Validate(c), impl.Validate(refl, c)
	if errString(genV) != errString(reflV) {
		t.Fatalf("%s seed %d under %v: Validate differs:\ngenerated:  %v\nreflection: %v", s.ID, seed, c, genV, reflV)
	}

	genErr := gen.Redact(c, keys)
	reflErr := impl.Redact(refl, c, keys)
	if !sameNoisy(gen, refl, s, c) {
		t.Fatalf("%s seed %d under %v: noisy fields set in one redacted payload and not the other", s.ID, seed, c)
	}
	if !proto.Equal(gen, refl) {
		a, _ := protojson.Marshal(gen)
		b, _ := protojson.Marshal(refl)
		in, _ := protojson.Marshal(collected)
		t.Fatalf("%s seed %d under %v: redacted payloads differ\ninput:      %s\ngenerated:  %s\nreflection: %s", s.ID, seed, c, in, a, b)
	}
	if diff := cmp.Diff(clearedPaths(reflErr), clearedPaths(genErr)); diff != "" {
		t.Fatalf("%s seed %d under %v: cleared fields differ (-reflection +generated):\n%s", s.ID, seed, c, diff)
	}
	if logText(gen) != logText(refl) {
		t.Fatalf("%s seed %d: logged text differs:\n%s\n%s", s.ID, seed, logText(gen), logText(refl))
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// clearedPaths lists the fields a RedactError reports.
func clearedPaths(err error) []string {
	var rerr *impl.RedactError
	if !errors.As(err, &rerr) {
		return nil
	}
	var out []string
	for _, f := range rerr.Fields {
		out = append(out, f.Path)
	}
	return out
}

func logText(m proto.Message) string {
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	})).Info("payload", "p", impl.LogValue(m))
	return buf.String()
}

// payloadsEnv is the environment variable that sets how many payloads
// per scenario and consent level TestDifferential checks: 200 unless set,
// 20 with -short.
const payloadsEnv = "PROVISION_CONFORMANCE_PAYLOADS"

// TestDifferential checks generated and reflection code agree on random
// payloads of every scenario under every consent level: 200 per level, or
// as many as PROVISION_CONFORMANCE_PAYLOADS says.
func TestDifferential(t *testing.T) {
	t.Parallel()
	keys := testKeys(t)
	def := 200
	if testing.Short() {
		def = 20
	}
	perLevel := fixture.Size(t, payloadsEnv, def)
	for _, s := range scenarios(t) {
		t.Run(s.ID, func(t *testing.T) {
			t.Parallel()
			levels := s.Product.ConsentLevels()
			for li, level := range levels {
				for i := range perLevel {
					differential(t, s, level, keys, uint64(li*perLevel+i))
				}
			}
		})
	}
}

// FuzzDifferential explores seeds, scenarios and consents:
// go test -fuzz FuzzDifferential -fuzztime 60s ./internal/conformance
func FuzzDifferential(f *testing.F) {
	f.Add(uint64(1), uint8(0), uint8(0))
	f.Add(uint64(42), uint8(10), uint8(31))
	f.Fuzz(func(t *testing.T, seed uint64, scenario, consentMask uint8) {
		all := scenarios(t)
		s := all[int(scenario)%len(all)]
		consents, _ := allSubsets(t, s.Product)
		differential(t, s, consents[int(consentMask)%len(consents)], testKeys(t), seed)
	})
}

// TestMetadataAgrees checks the generated ProvisionFields equal the
// reflection engine's Fields and the model's items.
func TestMetadataAgrees(t *testing.T) {
	t.Parallel()
	for _, s := range scenarios(t) {
		p := newPayload(t, s)
		if diff := cmp.Diff(impl.Fields(p.ProtoReflect().Descriptor()), p.ProvisionFields()); diff != "" {
			t.Errorf("%s: metadata (-reflection +generated):\n%s", s.ID, diff)
		}
		var paths []string
		s.Walk(func(f *model.Field) bool {
			paths = append(paths, f.Path)
			return true
		})
		var got []string
		for _, fi := range p.ProvisionFields() {
			got = append(got, fi.Path)
		}
		if diff := cmp.Diff(paths, got); diff != "" {
			t.Errorf("%s: metadata paths (-model +generated):\n%s", s.ID, diff)
		}
	}
}

// sameNoisy reports whether a and b, the same payload redacted twice
// under c, set the same fields that get differential-privacy noise, and
// clears them in both: each draw adds its own noise, so their values
// differ from run to run and the rest is compared without them.
func sameNoisy(a, b proto.Message, s *model.Scenario, c impl.Consent) bool {
	same := true
	s.Walk(func(f *model.Field) bool {
		r, ok := f.Under(c)
		if !ok || r.GetDpNoise() == nil {
			return true
		}
		pa, pb := parentsOf(a.ProtoReflect(), f), parentsOf(b.ProtoReflect(), f)
		if len(pa) != len(pb) {
			same = false
			return true
		}
		for i := range pa {
			if !pa[i].IsValid() || !pb[i].IsValid() {
				// A nil element of a list or map holds nothing.
				same = same && pa[i].IsValid() == pb[i].IsValid()
				continue
			}
			fd := fieldOf(pa[i], f)
			if pa[i].Has(fd) != pb[i].Has(fd) {
				same = false
			}
			pa[i].Clear(fd)
			pb[i].Clear(fd)
		}
		return true
	})
	return same
}

// parentsOf returns the messages of m that hold field f.
func parentsOf(m protoreflect.Message, f *model.Field) []protoreflect.Message {
	if f.Parent == nil {
		return []protoreflect.Message{m}
	}
	return getPath(m, f.Parent)
}
