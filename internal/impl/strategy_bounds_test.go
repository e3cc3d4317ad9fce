package impl_test

import (
	"errors"
	"strings"
	"testing"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/impl"
)

// TestNewStrategyVocabularyBounds compiles annotations that break one
// rule of the vocabulary each, as a descriptor built at run time may
// carry them (the catalog checks never saw it): NewStrategy refuses every
// one, so the field is never sent, instead of sending the exact value
// (ε = 1e300 adds no noise) or more than the vocabulary allows.
func TestNewStrategyVocabularyBounds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text string
	}{
		{"epsilon above 10", `dp_noise: {epsilon: 10.5, sensitivity: 1}`},
		{"huge epsilon", `dp_noise: {epsilon: 1e300, sensitivity: 1}`},
		{"zero epsilon", `dp_noise: {epsilon: 0, sensitivity: 1}`},
		{"negative sensitivity", `dp_noise: {epsilon: 1, sensitivity: -1}`},
		{"no sensitivity", `dp_noise: {epsilon: 1}`},
		{"keep 1000 components", `generalize_version: {keep_components: 1000}`},
		{"keep 9 components", `generalize_version: {keep_components: 9}`},
		{"keep no component", `generalize_version: {}`},
		{"IPv4 prefix 33", `ip_truncate: {ipv4_prefix: 33}`},
		{"IPv6 prefix 129", `ip_truncate: {ipv6_prefix: 129}`},
		{"mask keeps 65", `mask: {keep_prefix: 65}`},
		{"mask keeps 4294967295", `mask: {keep_suffix: 4294967295}`},
		{"bucket without bounds", `bucket: {}`},
		{"bucket bounds not increasing", `bucket: {bounds: [3, 1]}`},
		{"key ID malformed", `hmac: {key_id: "Key ID"}`},
		{"key ID empty", `hmac: {}`},
		{"redacted query name empty", `url_sanitize: {redact_query: [""]}`},
		{"redacted query name too long", `url_sanitize: {redact_query: ["` + strings.Repeat("n", 101) + `"]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := &provisionv1.Redaction{}
			if err := parseRedactionText(tt.text, r); err != nil {
				t.Fatal(err)
			}
			s, err := impl.NewStrategy(r)
			if s != nil || !errors.Is(err, impl.ErrInvalidParameter) && !errors.Is(err, impl.ErrInvalidKey) {
				t.Errorf("NewStrategy(%s) = %v, %v; want nil and ErrInvalidParameter", tt.text, s, err)
			}
		})
	}
	// The bounds themselves are accepted.
	for _, text := range []string{
		`dp_noise: {epsilon: 10, sensitivity: 1}`, `generalize_version: {keep_components: 8}`,
		`ip_truncate: {ipv4_prefix: 32, ipv6_prefix: 128}`, `mask: {keep_prefix: 64, keep_suffix: 64}`,
	} {
		r := &provisionv1.Redaction{}
		if err := parseRedactionText(text, r); err != nil {
			t.Fatal(err)
		}
		if _, err := impl.NewStrategy(r); err != nil {
			t.Errorf("NewStrategy(%s): %v", text, err)
		}
	}
}

// TestBoundsMatchVocabulary checks that the bounds the transforms enforce
// on their own (for clients that use them without an annotation) are the
// vocabulary's, read from its buf.validate rules.
func TestBoundsMatchVocabulary(t *testing.T) {
	t.Parallel()
	rules := func(m proto.Message, field protoreflect.Name) *validate.FieldRules {
		fd := m.ProtoReflect().Descriptor().Fields().ByName(field)
		return proto.GetExtension(fd.Options(), validate.E_Field).(*validate.FieldRules)
	}
	if got := rules(&provisionv1.Redaction_DpNoise{}, "epsilon").GetDouble().GetLte(); got != impl.MaxEpsilon {
		t.Errorf("vocabulary bounds epsilon at %g, runtime at %d", got, impl.MaxEpsilon)
	}
	if got := rules(&provisionv1.Redaction_GeneralizeVersion{}, "keep_components").GetUint32().GetLte(); got != impl.MaxVersionComponents {
		t.Errorf("vocabulary bounds keep_components at %d, runtime at %d", got, impl.MaxVersionComponents)
	}
	for _, f := range []protoreflect.Name{"keep_prefix", "keep_suffix"} {
		if got := rules(&provisionv1.Redaction_Mask{}, f).GetUint32().GetLte(); got != impl.MaxMaskKeep {
			t.Errorf("vocabulary bounds %s at %d, runtime at %d", f, got, impl.MaxMaskKeep)
		}
	}
	if _, err := impl.NewVersionGeneralizer(impl.MaxVersionComponents + 1); !errors.Is(err, impl.ErrInvalidParameter) {
		t.Errorf("NewVersionGeneralizer(%d): %v, want ErrInvalidParameter", impl.MaxVersionComponents+1, err)
	}
	if _, err := impl.NewLaplace(1, impl.MaxEpsilon*1.01); !errors.Is(err, impl.ErrInvalidParameter) {
		t.Errorf("NewLaplace with ε above the bound: %v, want ErrInvalidParameter", err)
	}
}

func parseRedactionText(text string, r *provisionv1.Redaction) error {
	return prototext.Unmarshal([]byte(text), r)
}
