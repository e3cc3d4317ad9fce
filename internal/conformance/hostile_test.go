package conformance_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
)

// unknownCanary is carried by the unknown fields hostile adds: unknown
// fields are never sent nor printed.
const unknownCanary = "qzUNKNOWNcanary"

// hostileKeys are the map keys hostile adds: line breaks and separators
// that could forge a log line, quotes, markup, bidirectional and
// invisible characters, an empty key, an e-mail address.
var hostileKeys = []string{
	"", "a\nb=c", "x\" y=\"z", "\u202etxt.exe", "k\u2028v", "<script>", "alice@corp.example", "\x00", "{}", "p.q", "tab\tkey",
}

// hostile makes m, a message of generated Go types, as hostile as Go
// allows, each shape with probability 1/2 where shapes allows it (bit 1:
// typed nil oneof wrappers; 2: nil list elements; 4: nil map values; 8:
// hostile map keys; 16: unknown fields in every message).
func hostile(r *rand.Rand, m proto.Message, shapes uint8) {
	if shapes&16 != 0 {
		eachMessage(m.ProtoReflect(), func(msg protoreflect.Message) {
			if r.IntN(2) == 0 {
				var b []byte
				b = protowire.AppendTag(b, protowire.Number(1000+r.IntN(1000)), protowire.BytesType)
				b = protowire.AppendString(b, unknownCanary)
				msg.SetUnknown(append(msg.GetUnknown(), b...))
			}
		})
	}
	var structs []reflect.Value
	eachMessage(m.ProtoReflect(), func(msg protoreflect.Message) {
		if v := reflect.ValueOf(msg.Interface()); v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().Kind() == reflect.Struct {
			structs = append(structs, v.Elem())
		}
	})
	for _, sv := range structs {
		for i := range sv.NumField() {
			sf, fv := sv.Type().Field(i), sv.Field(i)
			if !sf.IsExported() || !fv.CanSet() || r.IntN(2) == 0 {
				continue
			}
			switch {
			case sf.Tag.Get("protobuf_oneof") != "" && shapes&1 != 0:
				if !fv.IsNil() {
					// The wrapper type of the member set, as a typed nil.
					fv.Set(reflect.Zero(fv.Elem().Type()))
				}
			case fv.Kind() == reflect.Slice && isMessagePointer(fv.Type().Elem()) && shapes&2 != 0:
				at := r.IntN(fv.Len() + 1)
				out := reflect.MakeSlice(fv.Type(), 0, fv.Len()+1)
				out = reflect.AppendSlice(out, fv.Slice(0, at))
				out = reflect.Append(out, reflect.Zero(fv.Type().Elem()))
				out = reflect.AppendSlice(out, fv.Slice(at, fv.Len()))
				fv.Set(out)
			case fv.Kind() == reflect.Map && isMessagePointer(fv.Type().Elem()) && shapes&4 != 0 && fv.Type().Key().Kind() == reflect.String:
				if fv.IsNil() {
					fv.Set(reflect.MakeMap(fv.Type()))
				}
				fv.SetMapIndex(reflect.ValueOf("nil-value").Convert(fv.Type().Key()), reflect.Zero(fv.Type().Elem()))
			case fv.Kind() == reflect.Map && fv.Type().Key().Kind() == reflect.String && shapes&8 != 0:
				if fv.IsNil() {
					fv.Set(reflect.MakeMap(fv.Type()))
				}
				for range 1 + r.IntN(3) {
					k := hostileKeys[r.IntN(len(hostileKeys))]
					v := reflect.Zero(fv.Type().Elem())
					if isMessagePointer(fv.Type().Elem()) {
						v = reflect.New(fv.Type().Elem().Elem())
					} else if fv.Type().Elem().Kind() == reflect.Uint32 {
						v = reflect.ValueOf(uint32(r.IntN(500))).Convert(fv.Type().Elem())
					}
					fv.SetMapIndex(reflect.ValueOf(k).Convert(fv.Type().Key()), v)
				}
			}
		}
	}
}

// isMessagePointer reports whether t is a pointer to a generated message.
func isMessagePointer(t reflect.Type) bool {
	return t.Kind() == reflect.Pointer && t.Implements(reflect.TypeFor[proto.Message]())
}

// eachMessage calls fn on m and every valid message it holds.
func eachMessage(m protoreflect.Message, fn func(protoreflect.Message)) {
	if !m.IsValid() {
		return
	}
	fn(m)
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList() && fd.Message() != nil:
			for i := range v.List().Len() {
				eachMessage(v.List().Get(i).Message(), fn)
			}
		case fd.IsMap() && fd.MapValue().Message() != nil:
			// In key order: the payload is built again for each use, and
			// must be the same each time.
			var keys []protoreflect.MapKey
			v.Map().Range(func(k protoreflect.MapKey, _ protoreflect.Value) bool {
				keys = append(keys, k)
				return true
			})
			slices.SortFunc(keys, func(a, b protoreflect.MapKey) int { return strings.Compare(a.String(), b.String()) })
			for _, k := range keys {
				eachMessage(v.Map().Get(k).Message(), fn)
			}
		case fd.Message() != nil && !fd.IsList() && !fd.IsMap():
			eachMessage(v.Message(), fn)
		}
		return true
	})
}

// encodings are every way a program may emit a payload: the wire and
// text encodings, fmt and slog. An encoding that fails (a string that is
// not UTF-8 cannot be marshalled) emits nothing.
func encodings(m proto.Message) map[string][]byte {
	out := printed(m)
	out["binary"], _ = proto.Marshal(m)
	out["protojson"], _ = protojson.Marshal(m)
	out["prototext"] = []byte(prototext.Format(m))
	return out
}

// checkPrinted fails unless the printed forms of m are well formed: one
// log line each, valid JSON from the JSON handler, fmt's text on one line.
func checkPrinted(t *testing.T, what string, out map[string][]byte) {
	t.Helper()
	for _, name := range []string{"slog text", "slog json"} {
		if n := bytes.Count(out[name], []byte("\n")); n != 1 {
			t.Fatalf("%s: %s wrote %d lines:\n%s", what, name, n, out[name])
		}
	}
	if !json.Valid(out["slog json"]) {
		t.Fatalf("%s: the JSON handler wrote invalid JSON:\n%s", what, out["slog json"])
	}
	if bytes.ContainsAny(out["%v"], "\n\u2028") {
		t.Fatalf("%s: fmt wrote a line break:\n%s", what, out["%v"])
	}
}

// checkHostile runs everything a client does with m, a planted and
// mutated payload of scenario s, under consent c: generated and
// reflection Validate, Redact, LogValue, Format and String, and every
// encoding. It fails on a panic, on generated and reflection results that
// differ, and on a canary that shows where it may not: one of an item
// that is not printable in the printed payload as collected, one of an
// item not sent as it is in any encoding of the redacted payload, and
// unknownCanary anywhere.
//
// build returns a new copy of the payload each time: proto.Clone would
// not copy the shapes only Go allows (a typed nil oneof wrapper is unset
// to protobuf, and a clone drops it).
func checkHostile(t *testing.T, s *model.Scenario, c impl.Consent, keys impl.KeyProvider, build func() (payload, []canary)) {
	t.Helper()
	m, canaries := build()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%s under %v: panic: %v\n%s", s.ID, c, r, debug.Stack())
		}
	}()
	_ = m.(fmt.Stringer).String()
	collected := printed(m)
	checkPrinted(t, s.ID+" as collected", collected)
	for name, out := range collected {
		if bytes.Contains(out, []byte(unknownCanary)) {
			t.Fatalf("%s as collected: an unknown field shows in %s:\n%s", s.ID, name, out)
		}
		for _, cn := range canaries {
			if printable(cn.field) {
				continue
			}
			for _, tok := range cn.tokens {
				if containsToken(out, tok) {
					t.Fatalf("%s as collected: %s shows %q in %s:\n%s", s.ID, cn.field.Path, tok, name, out)
				}
			}
		}
	}

	gen, _ := build()
	refl, _ := build()
	if a, b := errString(gen.Validate(c)), errString(impl.Validate(refl, c)); a != b {
		t.Fatalf("%s under %v: Validate differs:\ngenerated:  %s\nreflection: %s", s.ID, c, a, b)
	}
	genErr, reflErr := gen.Redact(c, keys), impl.Redact(refl, c, keys)
	if !sameNoisy(gen, refl, s, c) || !proto.Equal(gen, refl) {
		t.Fatalf("%s under %v: redacted payloads differ:\ngenerated:  %v\nreflection: %v", s.ID, c, prototext.Format(gen), prototext.Format(refl))
	}
	if diff := cmp.Diff(clearedPaths(reflErr), clearedPaths(genErr)); diff != "" {
		t.Fatalf("%s under %v: cleared fields differ (-reflection +generated):\n%s", s.ID, c, diff)
	}
	// Redact once more, on a copy whose noisy fields are still set.
	sent, _ := build()
	_ = sent.Redact(c, keys)
	outs := encodings(sent)
	checkPrinted(t, s.ID+" redacted", outs)
	for name, out := range outs {
		if bytes.Contains(out, []byte(unknownCanary)) {
			t.Fatalf("%s under %v: an unknown field is sent in %s", s.ID, c, name)
		}
		for _, cn := range canaries {
			if r, ok := cn.field.Under(c); ok && r.GetKeep() != nil {
				continue
			}
			for _, tok := range cn.tokens {
				if containsToken(out, tok) {
					r, ok := cn.field.Under(c)
					t.Fatalf("%s under %v: %s (%s) leaks %q into %s:\n%s", s.ID, c, cn.field.Path, describe(r, ok), tok, name, out)
				}
			}
		}
	}
}

// hostilePayload builds the payload FuzzHostilePayloads checks: every
// item planted with a canary, then, when shapes&32, random values over
// it, then the hostile shapes.
func hostilePayload(t *testing.T, s *model.Scenario, seed uint64, shapes uint8) (payload, []canary) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, uint64(shapes)))
	m := newPayload(t, s)
	n := 0
	canaries := plant(t, m.ProtoReflect(), s.Fields, &n)
	if shapes&32 != 0 {
		randomMessage(r, m.ProtoReflect(), 0)
	}
	hostile(r, m, shapes)
	return m, canaries
}

// TestHostilePayloads runs checkHostile on every scenario of the catalogs
// and the hostile fixture, under every consent, with every shape, for a
// few seeds each.
func TestHostilePayloads(t *testing.T) {
	t.Parallel()
	keys := testKeys(t)
	for _, s := range scenarios(t) {
		t.Run(s.ID, func(t *testing.T) {
			t.Parallel()
			consents, _ := allSubsets(t, s.Product)
			for seed := range uint64(4) {
				for ci, c := range consents {
					checkHostile(t, s, c, keys, func() (payload, []canary) {
						return hostilePayload(t, s, seed*uint64(len(consents))+uint64(ci), uint8(seed*17+uint64(ci))|31)
					})
				}
			}
		})
	}
}

// FuzzHostilePayloads explores seeds, scenarios, consents and shapes:
//
//	go test ./internal/conformance -run '^$' -fuzz FuzzHostilePayloads -fuzztime 100000x
func FuzzHostilePayloads(f *testing.F) {
	f.Add(uint64(1), uint8(0), uint8(0), uint8(0xff))
	f.Add(uint64(7), uint8(20), uint8(3), uint8(31))
	f.Add(uint64(42), uint8(5), uint8(31), uint8(0x3f))
	f.Fuzz(func(t *testing.T, seed uint64, scenario, consent, shapes uint8) {
		all := scenarios(t)
		s := all[int(scenario)%len(all)]
		consents, _ := allSubsets(t, s.Product)
		checkHostile(t, s, consents[int(consent)%len(consents)], testKeys(t), func() (payload, []canary) {
			return hostilePayload(t, s, seed, shapes)
		})
	})
}

// containsToken reports whether out holds canary token tok. A token of
// digits alone counts only where no digit touches it, so that a random
// number that happens to contain it (754009870076863388 holds 987007) is
// not taken for the canary.
func containsToken(out []byte, tok string) bool {
	if strings.Trim(tok, "0123456789") != "" {
		return bytes.Contains(out, []byte(tok))
	}
	for i := 0; ; {
		j := bytes.Index(out[i:], []byte(tok))
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(tok)
		if (start == 0 || !isDigit(out[start-1])) && (end == len(out) || !isDigit(out[end])) {
			return true
		}
		i = start + 1
	}
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }
