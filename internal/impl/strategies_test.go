package impl_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/reflect/protoreflect"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/impl"
)

// strategyExamples is one valid annotation of each strategy. A strategy
// added to options.proto needs one here (TestStrategyKindsCoverOneof).
var strategyExamples = map[impl.StrategyKind]string{
	impl.StrategyKeep:              `keep: {}`,
	impl.StrategyDrop:              `drop: {}`,
	impl.StrategyHMAC:              `hmac: {key_id: "k"}`,
	impl.StrategyIPTruncate:        `ip_truncate: {}`,
	impl.StrategyURLSanitize:       `url_sanitize: {}`,
	impl.StrategyGeneralizeVersion: `generalize_version: {keep_components: 2}`,
	impl.StrategyBucket:            `bucket: {bounds: [0, 10]}`,
	impl.StrategyMask:              `mask: {keep_prefix: 1}`,
	impl.StrategyDPNoise:           `dp_noise: {epsilon: 1, sensitivity: 1}`,
}

func parseRedaction(t *testing.T, text string) *provisionv1.Redaction {
	t.Helper()
	r := &provisionv1.Redaction{}
	if err := prototext.Unmarshal([]byte(text), r); err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	return r
}

// TestStrategyKindsCoverOneof checks that every case of the oneof
// Redaction.strategy, as the descriptor lists them, has exactly one
// definition, named after it, in declaration order, and that each
// definition compiles and describes itself under that name.
func TestStrategyKindsCoverOneof(t *testing.T) {
	t.Parallel()
	od := (&provisionv1.Redaction{}).ProtoReflect().Descriptor().Oneofs().ByName("strategy")
	if od == nil {
		t.Fatal("provision.v1.Redaction has no oneof strategy")
	}
	var cases []string
	var found []impl.StrategyKind
	for i := range od.Fields().Len() {
		fd := od.Fields().Get(i)
		cases = append(cases, string(fd.Name()))
		r := &provisionv1.Redaction{}
		m := r.ProtoReflect()
		m.Set(fd, m.NewField(fd))
		k := impl.StrategyKindOf(r)
		if k == impl.StrategyNone {
			t.Errorf("oneof case %s has no definition: add it to strategyDefs (strategies.go)", fd.Name())
			continue
		}
		if k.Name() != string(fd.Name()) {
			t.Errorf("oneof case %s: StrategyKindOf = %s, want the definition named %s", fd.Name(), k, fd.Name())
		}
		found = append(found, k)
	}
	var names []string
	for _, k := range impl.StrategyKinds() {
		names = append(names, k.Name())
	}
	if diff := cmp.Diff(cases, names); diff != "" {
		t.Errorf("StrategyKinds() against the oneof cases (-oneof +definitions):\n%s", diff)
	}
	if diff := cmp.Diff(impl.StrategyKinds(), found); diff != "" {
		t.Errorf("definitions found for the oneof cases (-want +got):\n%s", diff)
	}
	for _, k := range impl.StrategyKinds() {
		text, ok := strategyExamples[k]
		if !ok {
			t.Errorf("strategy %s has no example in strategyExamples", k)
			continue
		}
		r := parseRedaction(t, text)
		if got := impl.StrategyKindOf(r); got != k {
			t.Errorf("StrategyKindOf(%s) = %s, want %s", text, got, k)
		}
		s, err := impl.NewStrategy(r)
		if err != nil {
			t.Errorf("NewStrategy(%s): %v", text, err)
		} else if s.Name() != k.Name() {
			t.Errorf("NewStrategy(%s).Name() = %q, want %q", text, s.Name(), k.Name())
		}
		if d := impl.DescribeRedaction(r); d != k.Name() && !strings.HasPrefix(d, k.Name()+"(") {
			t.Errorf("DescribeRedaction(%s) = %q, want %s or %s(…)", text, d, k, k)
		}
	}
}

func TestStrategyNone(t *testing.T) {
	t.Parallel()
	for _, r := range []*provisionv1.Redaction{nil, {}} {
		k := impl.StrategyKindOf(r)
		if k != impl.StrategyNone {
			t.Errorf("StrategyKindOf(%v) = %s, want none", r, k)
		}
		if k.Name() != "none" || impl.DescribeRedaction(r) != "none" {
			t.Errorf("StrategyKindOf(%v): name %q, description %q, want none", r, k.Name(), impl.DescribeRedaction(r))
		}
		if _, err := impl.NewStrategy(r); !errors.Is(err, impl.ErrInvalidParameter) {
			t.Errorf("NewStrategy(%v): err = %v, want %v", r, err, impl.ErrInvalidParameter)
		}
	}
	if k := impl.StrategyKind(200); k.Name() != "none" || k.Fits(protoreflect.StringKind) {
		t.Errorf("StrategyKind(200) = %s, fits string %v: want none, fitting nothing", k, k.Fits(protoreflect.StringKind))
	}
}

// allKinds is every field kind protobuf has.
var allKinds = []protoreflect.Kind{
	protoreflect.BoolKind, protoreflect.EnumKind,
	protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind,
	protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind,
	protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind,
	protoreflect.FloatKind, protoreflect.DoubleKind,
	protoreflect.StringKind, protoreflect.BytesKind,
	protoreflect.MessageKind, protoreflect.GroupKind,
}

var numericKinds = []protoreflect.Kind{
	protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind,
	protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind,
	protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind,
	protoreflect.FloatKind, protoreflect.DoubleKind,
}

func TestStrategyFits(t *testing.T) {
	t.Parallel()
	text := []protoreflect.Kind{protoreflect.StringKind, protoreflect.BytesKind}
	str := []protoreflect.Kind{protoreflect.StringKind}
	tests := []struct {
		k    impl.StrategyKind
		fits []protoreflect.Kind // nil: every kind
	}{
		{impl.StrategyNone, []protoreflect.Kind{}},
		{impl.StrategyKeep, nil},
		{impl.StrategyDrop, nil},
		{impl.StrategyHMAC, text},
		{impl.StrategyIPTruncate, text},
		{impl.StrategyURLSanitize, str},
		{impl.StrategyGeneralizeVersion, str},
		{impl.StrategyBucket, numericKinds},
		{impl.StrategyMask, str},
		{impl.StrategyDPNoise, numericKinds},
	}
	if len(tests) != len(impl.StrategyKinds())+1 {
		t.Errorf("%d cases, want one per strategy and none", len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.k.Name(), func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.fits, tt.k.Kinds()); diff != "" {
				t.Errorf("Kinds() (-want +got):\n%s", diff)
			}
			for _, kind := range allKinds {
				want := tt.fits == nil || slices.Contains(tt.fits, kind)
				if got := tt.k.Fits(kind); got != want {
					t.Errorf("Fits(%s) = %v, want %v", kind, got, want)
				}
			}
		})
	}
}

// TestStrategyFitsRuntime checks the definition against the runtime: a
// compiled strategy refuses a value with ErrStrategyMismatch exactly when
// its kind does not fit.
func TestStrategyFitsRuntime(t *testing.T) {
	t.Parallel()
	keys, err := impl.NewStaticKeys(map[string][]byte{"k": make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	values := map[protoreflect.Kind]protoreflect.Value{
		protoreflect.BoolKind:     protoreflect.ValueOfBool(true),
		protoreflect.EnumKind:     protoreflect.ValueOfEnum(1),
		protoreflect.Int32Kind:    protoreflect.ValueOfInt32(5),
		protoreflect.Sint32Kind:   protoreflect.ValueOfInt32(5),
		protoreflect.Sfixed32Kind: protoreflect.ValueOfInt32(5),
		protoreflect.Int64Kind:    protoreflect.ValueOfInt64(5),
		protoreflect.Sint64Kind:   protoreflect.ValueOfInt64(5),
		protoreflect.Sfixed64Kind: protoreflect.ValueOfInt64(5),
		protoreflect.Uint32Kind:   protoreflect.ValueOfUint32(5),
		protoreflect.Fixed32Kind:  protoreflect.ValueOfUint32(5),
		protoreflect.Uint64Kind:   protoreflect.ValueOfUint64(5),
		protoreflect.Fixed64Kind:  protoreflect.ValueOfUint64(5),
		protoreflect.FloatKind:    protoreflect.ValueOfFloat32(5),
		protoreflect.DoubleKind:   protoreflect.ValueOfFloat64(5),
		protoreflect.StringKind:   protoreflect.ValueOfString("192.0.2.1"),
		protoreflect.BytesKind:    protoreflect.ValueOfBytes([]byte{192, 0, 2, 1}),
	}
	for _, k := range impl.StrategyKinds() {
		s, err := impl.NewStrategy(parseRedaction(t, strategyExamples[k]))
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		for kind, v := range values {
			if k == impl.StrategyDrop && (kind == protoreflect.BoolKind || kind == protoreflect.EnumKind) {
				continue // a dropped item is gated out before any value is redacted
			}
			_, err := s.Value(keys, kind, v)
			if mismatch := errors.Is(err, impl.ErrStrategyMismatch); mismatch == k.Fits(kind) {
				t.Errorf("%s on a %s value: err = %v, but Fits = %v", k, kind, err, k.Fits(kind))
			}
		}
	}
}

func TestStrategyIllustrable(t *testing.T) {
	t.Parallel()
	want := []impl.StrategyKind{
		impl.StrategyIPTruncate, impl.StrategyURLSanitize, impl.StrategyGeneralizeVersion,
		impl.StrategyBucket, impl.StrategyMask,
	}
	for _, k := range append(impl.StrategyKinds(), impl.StrategyNone) {
		if got := k.Illustrable(); got != slices.Contains(want, k) {
			t.Errorf("%s.Illustrable() = %v, want %v", k, got, !got)
		}
	}
}

// TestWeaker checks the strength order: between strategies, and between
// the parameters of one strategy.
func TestWeaker(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want bool
	}{
		{`hmac: {key_id: "k"}`, `keep: {}`, true},
		{`keep: {}`, `hmac: {key_id: "k"}`, false},
		{`drop: {}`, `mask: {keep_prefix: 2}`, true},
		{`drop: {}`, `hmac: {key_id: "k"}`, true},
		{`mask: {keep_prefix: 2}`, `keep: {}`, true},
		{`hmac: {key_id: "k"}`, `ip_truncate: {}`, true},
		{`ip_truncate: {}`, `hmac: {key_id: "k"}`, false},
		{`hmac: {key_id: "a"}`, `hmac: {key_id: "b"}`, false},
		{`keep: {}`, ``, false},
		{``, `keep: {}`, false},
		{`hmac: {key_id: "k"}`, ``, true},
		{`ip_truncate: {}`, `ip_truncate: {ipv4_prefix: 32}`, true},
		{`ip_truncate: {ipv4_prefix: 32}`, `ip_truncate: {}`, false},
		{`ip_truncate: {}`, `ip_truncate: {ipv6_prefix: 64}`, true},
		{`ip_truncate: {}`, `ip_truncate: {ipv4_prefix: 24, ipv6_prefix: 48}`, false},
		{`url_sanitize: {drop_query: true}`, `url_sanitize: {}`, true},
		{`url_sanitize: {}`, `url_sanitize: {drop_query: true}`, false},
		{`url_sanitize: {redact_query: ["a", "b"]}`, `url_sanitize: {redact_query: ["a"]}`, true},
		{`url_sanitize: {redact_query: ["a"]}`, `url_sanitize: {redact_query: ["a", "b"]}`, false},
		{`generalize_version: {keep_components: 2}`, `generalize_version: {keep_components: 3}`, true},
		{`generalize_version: {keep_components: 3}`, `generalize_version: {keep_components: 2}`, false},
		{`bucket: {bounds: [0, 10]}`, `bucket: {bounds: [0, 5, 10]}`, true},
		{`bucket: {bounds: [0, 10]}`, `bucket: {bounds: [0, 20, 30]}`, false},
		{`mask: {keep_prefix: 1}`, `mask: {keep_prefix: 1, keep_suffix: 2}`, true},
		{`dp_noise: {epsilon: 1, sensitivity: 1}`, `dp_noise: {epsilon: 2, sensitivity: 1}`, true},
		{`dp_noise: {epsilon: 2, sensitivity: 1}`, `dp_noise: {epsilon: 1, sensitivity: 1}`, false},
		{`dp_noise: {epsilon: 1, sensitivity: 1}`, `dp_noise: {sensitivity: 1}`, false},
		{`mask: {keep_prefix: 1}`, `bucket: {bounds: [1]}`, false},
		{`ip_truncate: {ipv4_prefix: 8}`, `generalize_version: {keep_components: 8}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.a+" → "+tt.b, func(t *testing.T) {
			t.Parallel()
			if got := impl.Weaker(parseRedaction(t, tt.a), parseRedaction(t, tt.b)); got != tt.want {
				t.Errorf("Weaker(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

// TestWeakerOrder checks every pair of strategies against the order keep
// < the strategies that send a coarser value < hmac < drop.
func TestWeakerOrder(t *testing.T) {
	t.Parallel()
	order := func(k impl.StrategyKind) int {
		switch k {
		case impl.StrategyKeep:
			return 0
		case impl.StrategyHMAC:
			return 2
		case impl.StrategyDrop:
			return 3
		}
		return 1
	}
	for _, ka := range impl.StrategyKinds() {
		for _, kb := range impl.StrategyKinds() {
			a, b := parseRedaction(t, strategyExamples[ka]), parseRedaction(t, strategyExamples[kb])
			if got, want := impl.Weaker(a, b), order(kb) < order(ka); got != want {
				t.Errorf("Weaker(%s, %s) = %v, want %v", ka, kb, got, want)
			}
		}
	}
}

func TestIPPrefixes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text   string
		v4, v6 uint32
	}{
		{``, impl.DefaultIPv4Prefix, impl.DefaultIPv6Prefix},
		{`ip_truncate: {}`, 24, 48},
		{`ip_truncate: {ipv4_prefix: 0}`, 0, 48},
		{`ip_truncate: {ipv6_prefix: 0}`, 24, 0},
		{`ip_truncate: {ipv4_prefix: 16, ipv6_prefix: 32}`, 16, 32},
	}
	for _, tt := range tests {
		v4, v6 := impl.IPPrefixes(parseRedaction(t, tt.text).GetIpTruncate())
		if v4 != tt.v4 || v6 != tt.v6 {
			t.Errorf("IPPrefixes(%s) = /%d, /%d, want /%d, /%d", tt.text, v4, v6, tt.v4, tt.v6)
		}
	}
}

func TestFormatBounds(t *testing.T) {
	t.Parallel()
	got := impl.FormatBounds([]float64{-1, 0, 10.5, 1e21, 0.1})
	if diff := cmp.Diff([]string{"-1", "0", "10.5", "1e+21", "0.1"}, got); diff != "" {
		t.Errorf("FormatBounds (-want +got):\n%s", diff)
	}
}
