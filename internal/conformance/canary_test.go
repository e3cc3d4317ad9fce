package conformance_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"

	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
)

// canary is the unique marker planted in one field: the texts that must not
// appear in any output when the field may not be sent as it is.
type canary struct {
	field  *model.Field
	tokens []string
}

// plant fills every field of m (every list with one element, one member of
// each oneof, every nested message) with values carrying unique tokens, and
// returns the canaries. Values are shaped so that what a strategy removes
// holds the token: the account details, sensitive query values and
// fragment of a web address, the trailing components of a version, the
// host part of an IP address.
func plant(t *testing.T, m protoreflect.Message, fields []*model.Field, next *int) []canary {
	t.Helper()
	var out []canary
	for _, f := range fields {
		// The model's descriptors are compiled apart from the generated
		// ones: find the field in m's own.
		fd := fieldOf(m, f)
		if od := fd.ContainingOneof(); od != nil && m.WhichOneof(od) != nil {
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
			out = append(out, canary{field: f})
			out = append(out, plant(t, child, f.Children, next)...)
			continue
		}
		*next++
		switch {
		case fd.IsList():
			v, tokens := canaryValue(fd, f, *next)
			m.Mutable(fd).List().Append(v)
			out = append(out, canary{field: f, tokens: tokens})
		case fd.IsMap():
			// A map is anonymous (MAP_NOT_ANONYMOUS): its key may be
			// sent; its value carries the canary.
			v, tokens := canaryValue(fd.MapValue(), f, *next)
			m.Mutable(fd).Map().Set(protoreflect.ValueOfString(fmt.Sprintf("k%d", *next)).MapKey(), v)
			out = append(out, canary{field: f, tokens: tokens})
		default:
			v, tokens := canaryValue(fd, f, *next)
			m.Set(fd, v)
			out = append(out, canary{field: f, tokens: tokens})
		}
		continue
	}
	return out
}

func canaryValue(fd protoreflect.FieldDescriptor, f *model.Field, n int) (protoreflect.Value, []string) {
	tok := fmt.Sprintf("qz%05dcanary", n)
	noisy := f.Redaction().GetDpNoise() != nil
	numeric := func(v protoreflect.Value, s string) (protoreflect.Value, []string) {
		if noisy {
			// Noise blurs a value without hiding it: a draw of zero
			// noise, which is likely, sends it as it is.
			return v, nil
		}
		return v, []string{s}
	}
	switch fd.Kind() {
	case protoreflect.StringKind:
		switch {
		case f.Redaction().GetUrlSanitize() != nil:
			return protoreflect.ValueOfString("https://" + tok + "u:" + tok + "p@host.example/path?token=" + tok + "t#" + tok + "f"),
				[]string{tok + "u", tok + "p", tok + "t", tok + "f"}
		case f.Redaction().GetGeneralizeVersion() != nil:
			digits := fmt.Sprintf("9%07d", n)
			keep := strings.Repeat("7.", int(f.Redaction().GetGeneralizeVersion().GetKeepComponents()))
			return protoreflect.ValueOfString(keep + digits + "." + digits), []string{digits}
		case f.Redaction().GetIpTruncate() != nil:
			// The whole address is the token: truncation zeroes its
			// host part.
			addr := fmt.Sprintf("198.51.%d.%d", n%256, 201+n%50)
			return protoreflect.ValueOfString(addr), []string{addr}
		}
		return protoreflect.ValueOfString(tok), []string{tok}
	case protoreflect.BytesKind:
		if f.Redaction().GetIpTruncate() != nil {
			raw := []byte{0x20, 0x01, 0x0d, 0xb8, byte(n), byte(n >> 8), 0, 0, 0, 0, 0, 0, 0xc0, 0xff, 0xee, byte(1 + n%200)}
			return protoreflect.ValueOfBytes(raw), []string{base64.StdEncoding.EncodeToString(raw), hex.EncodeToString(raw)}
		}
		raw := []byte(tok)
		return protoreflect.ValueOfBytes(raw), []string{tok, base64.StdEncoding.EncodeToString(raw), hex.EncodeToString(raw)}
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		v := uint32(987_000 + n)
		return numeric(protoreflect.ValueOfUint32(v), strconv.FormatUint(uint64(v), 10))
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		v := uint64(987_654_000 + n)
		return numeric(protoreflect.ValueOfUint64(v), strconv.FormatUint(v, 10))
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		v := int32(987_000 + n)
		return numeric(protoreflect.ValueOfInt32(v), strconv.Itoa(int(v)))
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		v := int64(987_654_000 + n)
		return numeric(protoreflect.ValueOfInt64(v), strconv.FormatInt(v, 10))
	case protoreflect.FloatKind:
		v := float32(987_000 + n)
		return numeric(protoreflect.ValueOfFloat32(v), strconv.Itoa(987_000+n))
	case protoreflect.DoubleKind:
		v := float64(987_654_000 + n)
		return numeric(protoreflect.ValueOfFloat64(v), strconv.Itoa(987_654_000+n))
	case protoreflect.BoolKind:
		return protoreflect.ValueOfBool(true), nil
	case protoreflect.EnumKind:
		// An enum cannot carry a token; that it is cleared is checked on
		// the message itself.
		return protoreflect.ValueOfEnum(fd.Enum().Values().Get(fd.Enum().Values().Len() - 1).Number()), nil
	case protoreflect.MessageKind:
		// A well-known type (Timestamp): likewise.
		msg := protoreflectNew(fd)
		msg.Set(msg.Descriptor().Fields().ByName("seconds"), protoreflect.ValueOfInt64(1_234_567_890+int64(n)))
		return protoreflect.ValueOfMessage(msg), nil
	}
	return protoreflect.ValueOfBool(true), nil
}

// outputs are every encoding of a redacted payload a program may emit.
func outputs(t *testing.T, m proto.Message) map[string][]byte {
	t.Helper()
	bin, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	js, err := protojson.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("payload", "p", impl.LogValue(m))
	var jsonLog bytes.Buffer
	slog.New(slog.NewJSONHandler(&jsonLog, nil)).Info("payload", "p", m)
	return map[string][]byte{
		"binary": bin, "protojson": js, "prototext": []byte(prototext.Format(m)),
		"slog text": text.Bytes(), "slog json": jsonLog.Bytes(), "%v": fmt.Appendf(nil, "%v %+v %s", m, m, m),
	}
}

// printed is what a program prints or logs of a payload before it is
// redacted: fmt (the generated Format) and slog's two handlers (the
// generated LogValue). Only printable items (anonymous, without
// debug_redact) may show there.
func printed(m proto.Message) map[string][]byte {
	var text, jsonLog bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("payload", "p", m)
	slog.New(slog.NewJSONHandler(&jsonLog, nil)).Info("payload", "p", m)
	return map[string][]byte{
		"%v": fmt.Appendf(nil, "%v %+v %#v %s %q", m, m, m, m, m), "slog text": text.Bytes(), "slog json": jsonLog.Bytes(),
	}
}

// printable reports whether safe printing may show field f in clear: it
// and every message field it is in are anonymous and do not set
// debug_redact.
func printable(f *model.Field) bool {
	for ; f != nil; f = f.Parent {
		o, _ := f.Desc.Options().(*descriptorpb.FieldOptions)
		if f.Identifiability() != provisionv1.Identifiability_IDENTIFIABILITY_ANONYMOUS || o.GetDebugRedact() {
			return false
		}
	}
	return true
}

// TestCanaryNoLeak plants a unique canary in every field of every scenario,
// redacts the payload under every subset of the agreements, and checks that
// no canary of a field that may not be sent, or may be sent only
// transformed, appears in the binary, protojson or logged output, and that
// every field that may not be sent is cleared.
func TestCanaryNoLeak(t *testing.T) {
	t.Parallel()
	keys := testKeys(t)
	leaks, checks, sets := 0, 0, 0
	for _, s := range scenarios(t) {
		consents, names := allSubsets(t, s.Product)
		sets += len(consents)
		for ci, c := range consents {
			p := newPayload(t, s)
			n := 0
			canaries := plant(t, p.ProtoReflect(), s.Fields, &n)
			if ci == 0 {
				// As collected, printed or logged.
				for _, cn := range canaries {
					if printable(cn.field) {
						continue
					}
					for _, tok := range cn.tokens {
						for name, out := range printed(p) {
							checks++
							if bytes.Contains(out, []byte(tok)) {
								leaks++
								t.Errorf("%s as collected: %s (not printable) leaks %q into %s", s.ID, cn.field.Path, tok, name)
							}
						}
					}
				}
			}
			if err := p.Redact(c, keys); err != nil {
				t.Fatalf("%s under %s: %v", s.ID, names[ci], err)
			}
			outs := outputs(t, p)
			for _, cn := range canaries {
				r, sent := cn.field.Under(c)
				if !sent && has(p.ProtoReflect(), cn.field) {
					leaks++
					t.Errorf("%s under %s: %s may not be sent but is still set", s.ID, names[ci], cn.field.Path)
				}
				if sent && r.GetKeep() != nil {
					continue
				}
				for _, tok := range cn.tokens {
					for name, out := range outs {
						checks++
						if bytes.Contains(out, []byte(tok)) {
							leaks++
							t.Errorf("%s under %s: %s (%s) leaks %q into %s", s.ID, names[ci], cn.field.Path, describe(r, sent), tok, name)
						}
					}
				}
			}
		}
	}
	t.Logf("%d scenarios, %d scenario × consent sets: %d token checks, %d leaks", len(scenarios(t)), sets, checks, leaks)
}

func describe(r *redactionT, sent bool) string {
	if !sent {
		return "not sent"
	}
	return impl.DescribeRedaction(r)
}

// has reports whether the field is set anywhere in m along its path.
func has(m protoreflect.Message, f *model.Field) bool {
	if f.Parent == nil {
		return m.Has(fieldOf(m, f))
	}
	if !has(m, f.Parent) {
		return false
	}
	pv := getPath(m, f.Parent)
	found := false
	for _, parent := range pv {
		if parent.Has(fieldOf(parent, f)) {
			found = true
		}
	}
	return found
}

// getPath returns the messages held by the message field f in m.
func getPath(m protoreflect.Message, f *model.Field) []protoreflect.Message {
	var parents []protoreflect.Message
	if f.Parent == nil {
		parents = []protoreflect.Message{m}
	} else {
		parents = getPath(m, f.Parent)
	}
	var out []protoreflect.Message
	for _, p := range parents {
		fd := fieldOf(p, f)
		if !p.Has(fd) {
			continue
		}
		v := p.Get(fd)
		switch {
		case f.Desc.IsList():
			for i := range v.List().Len() {
				out = append(out, v.List().Get(i).Message())
			}
		case f.Desc.IsMap():
			// In key order, so that two copies of a payload give their
			// messages in the same order.
			var keys []protoreflect.MapKey
			v.Map().Range(func(k protoreflect.MapKey, _ protoreflect.Value) bool {
				keys = append(keys, k)
				return true
			})
			slices.SortFunc(keys, func(a, b protoreflect.MapKey) int { return strings.Compare(a.String(), b.String()) })
			for _, k := range keys {
				out = append(out, v.Map().Get(k).Message())
			}
		default:
			out = append(out, v.Message())
		}
	}
	return out
}

// fieldOf returns the descriptor of the model's field f in m's own
// descriptors.
func fieldOf(m protoreflect.Message, f *model.Field) protoreflect.FieldDescriptor {
	return m.Descriptor().Fields().ByNumber(f.Desc.Number())
}
