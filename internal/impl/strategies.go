package impl

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

// StrategyKind is a redaction strategy of the vocabulary without its
// parameters: one case of the oneof provision.v1.Redaction.strategy. Each
// strategy is defined once, in this package — its name, the field kinds it
// fits, its defaults, its short description, its place in the strength
// order and how its parameters are compiled — and whatever needs to know
// about strategies (NewStrategy, DescribeRedaction, the catalog checks,
// the generators, the diff) asks StrategyKindOf and its methods rather
// than the oneof itself. The zero StrategyKind, StrategyNone, is no
// strategy: an item without one is never sent.
type StrategyKind uint8

// The redaction strategies, in the order options.proto declares them.
const (
	StrategyNone StrategyKind = iota
	StrategyKeep
	StrategyDrop
	StrategyHMAC
	StrategyIPTruncate
	StrategyURLSanitize
	StrategyGeneralizeVersion
	StrategyBucket
	StrategyMask
	StrategyDPNoise
)

// strength is a strategy's place in the strength order: how much of a
// value it lets leave the computer, most first.
type strength uint8

const (
	// sendsAll sends the value as it is (keep).
	sendsAll strength = iota
	// sendsPart sends a coarser value: a network part, a version prefix,
	// a bucket, a masked or noisy value. Two such strategies are not
	// ranked against each other, only by their own parameters.
	sendsPart
	// sendsLink sends a value that cannot be read back but still links
	// records (hmac).
	sendsLink
	// sendsNothing sends nothing (drop).
	sendsNothing
)

// strategyDef is the one definition of a strategy.
type strategyDef struct {
	// name is the name of the oneof case, as the vocabulary spells it;
	// StrategyKindOf finds the definition by it.
	name string
	// kinds are the field kinds the strategy fits; nil means every kind.
	kinds []protoreflect.Kind
	// strength is the strategy's place in the strength order.
	strength strength
	// illustrable: see StrategyKind.Illustrable.
	illustrable bool
	// describe is the short description of a redaction of this strategy
	// with its parameters; nil when the strategy has none, which is then
	// described by its name.
	describe func(r *provisionv1.Redaction) string
	// looser reports whether b has looser parameters than a, both of this
	// strategy; nil when parameters do not change what is sent.
	looser func(a, b *provisionv1.Redaction) bool
	// compile sets s up from r's parameters; nil when there are none.
	compile func(s *Strategy, r *provisionv1.Redaction, opts []NoiseOption) error
}

var (
	stringKinds  = []protoreflect.Kind{protoreflect.StringKind}
	textKinds    = []protoreflect.Kind{protoreflect.StringKind, protoreflect.BytesKind}
	numericKinds = []protoreflect.Kind{
		protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind,
		protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind,
		protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind,
		protoreflect.FloatKind, protoreflect.DoubleKind,
	}
)

// strategyDefs holds the definition of every strategy, by kind. A
// strategy added to options.proto needs a constant above and a definition
// here (TestStrategyKindsCoverOneof fails until it has one), then its case
// in the Strategy methods that apply it to values and in the renderings
// that word or shape it per strategy (the pages' treatment, the diff's
// RedactionWords, the JSON Schema's redacted shape).
var strategyDefs = [...]strategyDef{
	StrategyNone: {
		name:  "none",
		kinds: []protoreflect.Kind{},
	},
	StrategyKeep: {
		name:     "keep",
		strength: sendsAll,
	},
	StrategyDrop: {
		name:     "drop",
		strength: sendsNothing,
	},
	StrategyHMAC: {
		name:     "hmac",
		kinds:    textKinds,
		strength: sendsLink,
		describe: func(r *provisionv1.Redaction) string {
			return fmt.Sprintf("hmac(key=%s)", r.GetHmac().GetKeyId())
		},
		compile: func(s *Strategy, r *provisionv1.Redaction, _ []NoiseOption) error {
			s.keyID = r.GetHmac().GetKeyId()
			return checkKeyID(s.keyID)
		},
	},
	StrategyIPTruncate: {
		name:        "ip_truncate",
		kinds:       textKinds,
		strength:    sendsPart,
		illustrable: true,
		describe: func(r *provisionv1.Redaction) string {
			v4, v6 := IPPrefixes(r.GetIpTruncate())
			return fmt.Sprintf("ip_truncate(/%d, /%d)", v4, v6)
		},
		looser: func(a, b *provisionv1.Redaction) bool {
			a4, a6 := IPPrefixes(a.GetIpTruncate())
			b4, b6 := IPPrefixes(b.GetIpTruncate())
			return b4 > a4 || b6 > a6
		},
		compile: func(s *Strategy, r *provisionv1.Redaction, _ []NoiseOption) (err error) {
			v4, v6 := IPPrefixes(r.GetIpTruncate())
			s.ip, err = NewIPTruncator(WithIPv4Prefix(int(v4)), WithIPv6Prefix(int(v6)))
			return err
		},
	},
	StrategyURLSanitize: {
		name:        "url_sanitize",
		kinds:       stringKinds,
		strength:    sendsPart,
		illustrable: true,
		describe: func(r *provisionv1.Redaction) string {
			p := r.GetUrlSanitize()
			var params []string
			if p.GetDropQuery() {
				params = append(params, "drop query")
			}
			if extra := p.GetRedactQuery(); len(extra) > 0 {
				params = append(params, "redact "+strings.Join(extra, ","))
			}
			return "url_sanitize(" + strings.Join(params, "; ") + ")"
		},
		// Looser: the query no longer dropped, or fewer parameters
		// redacted.
		looser: func(a, b *provisionv1.Redaction) bool {
			x, y := a.GetUrlSanitize(), b.GetUrlSanitize()
			if x.GetDropQuery() && !y.GetDropQuery() {
				return true
			}
			if y.GetDropQuery() {
				return false
			}
			return slices.ContainsFunc(x.GetRedactQuery(), func(name string) bool {
				return !slices.Contains(y.GetRedactQuery(), name)
			})
		},
		compile: func(s *Strategy, r *provisionv1.Redaction, _ []NoiseOption) (err error) {
			p := r.GetUrlSanitize()
			o := []URLOption{WithRedactQuery(p.GetRedactQuery()...)}
			if p.GetDropQuery() {
				o = append(o, WithDropQuery())
			}
			s.url, err = NewURLSanitizer(o...)
			return err
		},
	},
	StrategyGeneralizeVersion: {
		name:        "generalize_version",
		kinds:       stringKinds,
		strength:    sendsPart,
		illustrable: true,
		describe: func(r *provisionv1.Redaction) string {
			return fmt.Sprintf("generalize_version(%d)", r.GetGeneralizeVersion().GetKeepComponents())
		},
		looser: func(a, b *provisionv1.Redaction) bool {
			return b.GetGeneralizeVersion().GetKeepComponents() > a.GetGeneralizeVersion().GetKeepComponents()
		},
		compile: func(s *Strategy, r *provisionv1.Redaction, _ []NoiseOption) (err error) {
			s.version, err = NewVersionGeneralizer(int(r.GetGeneralizeVersion().GetKeepComponents()))
			return err
		},
	},
	StrategyBucket: {
		name:        "bucket",
		kinds:       numericKinds,
		strength:    sendsPart,
		illustrable: true,
		describe: func(r *provisionv1.Redaction) string {
			return "bucket(" + strings.Join(FormatBounds(r.GetBucket().GetBounds()), ",") + ")"
		},
		// Looser: finer buckets, every old bound still there and more.
		looser: func(a, b *provisionv1.Redaction) bool {
			x, y := a.GetBucket().GetBounds(), b.GetBucket().GetBounds()
			return len(y) > len(x) && !slices.ContainsFunc(x, func(v float64) bool { return !slices.Contains(y, v) })
		},
		compile: func(s *Strategy, r *provisionv1.Redaction, _ []NoiseOption) error {
			return s.compileBuckets(r.GetBucket().GetBounds())
		},
	},
	StrategyMask: {
		name:        "mask",
		kinds:       stringKinds,
		strength:    sendsPart,
		illustrable: true,
		describe: func(r *provisionv1.Redaction) string {
			p := r.GetMask()
			return fmt.Sprintf("mask(keep %d+%d)", p.GetKeepPrefix(), p.GetKeepSuffix())
		},
		looser: func(a, b *provisionv1.Redaction) bool {
			x, y := a.GetMask(), b.GetMask()
			return y.GetKeepPrefix()+y.GetKeepSuffix() > x.GetKeepPrefix()+x.GetKeepSuffix()
		},
		compile: func(s *Strategy, r *provisionv1.Redaction, _ []NoiseOption) (err error) {
			p := r.GetMask()
			s.masker, err = NewMasker(int(p.GetKeepPrefix()), int(p.GetKeepSuffix()))
			return err
		},
	},
	StrategyDPNoise: {
		name:     "dp_noise",
		kinds:    numericKinds,
		strength: sendsPart,
		describe: func(r *provisionv1.Redaction) string {
			p := r.GetDpNoise()
			return fmt.Sprintf("dp_noise(ε=%g, Δ=%g)", p.GetEpsilon(), p.GetSensitivity())
		},
		// Looser: a smaller noise scale, sensitivity/ε.
		looser: func(a, b *provisionv1.Redaction) bool {
			x, y := a.GetDpNoise(), b.GetDpNoise()
			if y.GetEpsilon() <= 0 || x.GetEpsilon() <= 0 {
				return false
			}
			return y.GetSensitivity()/y.GetEpsilon() < x.GetSensitivity()/x.GetEpsilon()
		},
		compile: func(s *Strategy, r *provisionv1.Redaction, opts []NoiseOption) (err error) {
			p := r.GetDpNoise()
			eps, sens := p.GetEpsilon(), p.GetSensitivity()
			if s.laplace, err = NewLaplace(sens, eps, opts...); err == nil {
				s.geometric, err = NewGeometric(sens, eps, opts...)
			}
			return err
		},
	},
}

// strategyOneof is the oneof provision.v1.Redaction.strategy.
var strategyOneof = (&provisionv1.Redaction{}).ProtoReflect().Descriptor().Oneofs().ByName("strategy")

// strategyByNumber finds a strategy by the field number of its oneof case.
var strategyByNumber = func() map[protoreflect.FieldNumber]StrategyKind {
	m := make(map[protoreflect.FieldNumber]StrategyKind, len(strategyDefs))
	for _, k := range StrategyKinds() {
		if fd := strategyOneof.Fields().ByName(protoreflect.Name(k.Name())); fd != nil {
			m[fd.Number()] = k
		}
	}
	return m
}()

// StrategyKindOf returns the strategy of a redaction annotation:
// StrategyNone when r is nil or sets none.
func StrategyKindOf(r *provisionv1.Redaction) StrategyKind {
	if r == nil {
		return StrategyNone
	}
	fd := r.ProtoReflect().WhichOneof(strategyOneof)
	if fd == nil {
		return StrategyNone
	}
	return strategyByNumber[fd.Number()]
}

// StrategyKinds lists every strategy, StrategyNone aside, in the order
// options.proto declares them.
func StrategyKinds() []StrategyKind {
	out := make([]StrategyKind, 0, len(strategyDefs)-1)
	for k := StrategyNone + 1; int(k) < len(strategyDefs); k++ {
		out = append(out, k)
	}
	return out
}

func (k StrategyKind) def() *strategyDef {
	if int(k) < len(strategyDefs) {
		return &strategyDefs[k]
	}
	return &strategyDefs[StrategyNone]
}

// Name returns the strategy's name as the vocabulary spells it, the name
// of its oneof case: "keep", "hmac", "ip_truncate"…; "none" for
// StrategyNone.
func (k StrategyKind) Name() string { return k.def().name }

// String returns the strategy's name.
func (k StrategyKind) String() string { return k.Name() }

// Kinds lists the field kinds the strategy fits, nil when it fits every
// kind (keep, drop). A repeated or map field fits when its values do.
func (k StrategyKind) Kinds() []protoreflect.Kind { return slices.Clone(k.def().kinds) }

// Fits reports whether the strategy applies to values of the field kind.
// StrategyNone fits none.
func (k StrategyKind) Fits(kind protoreflect.Kind) bool {
	d := k.def()
	return d.kinds == nil || slices.Contains(d.kinds, kind)
}

// Illustrable reports whether an example shows what the strategy does:
// it changes a value in a way a reader can see, and the same value always
// gives the same result (IP truncation, URL sanitising, version
// generalisation, buckets, masks). Keep and drop have nothing to show, a
// keyed hash depends on a secret key and noise is random.
func (k StrategyKind) Illustrable() bool { return k.def().illustrable }

// describe is the short description of r, a redaction of strategy k.
func (k StrategyKind) describe(r *provisionv1.Redaction) string {
	d := k.def()
	if d.describe == nil {
		return d.name
	}
	return d.describe(r)
}

// Weaker reports whether redaction b protects the value less than a: a
// strategy that lets more of the value leave (hmac → keep, drop →
// anything), or the same strategy with looser parameters (IPv4 /24 → /32,
// two version components → three, a query no longer dropped, fewer query
// parameters redacted, finer buckets, fewer masked characters, less noise
// (a smaller sensitivity/ε)). Two different strategies that each send a coarser value
// (ip_truncate, url_sanitize, generalize_version, bucket, mask, dp_noise)
// are not ranked: such a change is not weaker. No strategy ranks as keep.
func Weaker(a, b *provisionv1.Redaction) bool {
	ka, kb := StrategyKindOf(a), StrategyKindOf(b)
	sa, sb := ka.def().strength, kb.def().strength
	switch {
	case sa != sb:
		return sb < sa
	case ka != kb || ka.def().looser == nil:
		return false
	}
	return ka.def().looser(a, b)
}

// IPPrefixes returns the number of leading bits an ip_truncate annotation
// keeps of IPv4 and of IPv6 addresses: its own prefixes, or
// DefaultIPv4Prefix and DefaultIPv6Prefix where it sets none.
func IPPrefixes(t *provisionv1.Redaction_IpTruncate) (ipv4, ipv6 uint32) {
	ipv4, ipv6 = DefaultIPv4Prefix, DefaultIPv6Prefix
	if t != nil && t.Ipv4Prefix != nil {
		ipv4 = t.GetIpv4Prefix()
	}
	if t != nil && t.Ipv6Prefix != nil {
		ipv6 = t.GetIpv6Prefix()
	}
	return ipv4, ipv6
}

// FormatBounds writes the bounds of a bucket annotation as descriptions
// print them, each in the shortest form that reads back exactly ("0",
// "10.5", "1e+21").
func FormatBounds(bounds []float64) []string {
	out := make([]string, len(bounds))
	for i, b := range bounds {
		out[i] = strconv.FormatFloat(b, 'g', -1, 64)
	}
	return out
}
