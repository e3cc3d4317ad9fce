package livecheck_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"buf.build/go/protovalidate"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/livecheck"
	"github.com/provisionhq/provision/internal/model"
)

// situation is a scenario under a consent level, with a payload of it
// filled from every example (collected) and that payload redacted as a
// product sends it (sent).
type situation struct {
	cat       *model.Catalog
	s         *model.Scenario
	c         impl.Consent
	collected proto.Message
	sent      proto.Message
}

// defect makes one wrong capture of a situation, with the field at which
// exactly one finding of its rule is expected; ok is false when the
// situation offers nothing to break this way.
type defect struct {
	name string
	rule livecheck.Rule
	make func(t *testing.T, x situation) (rec livecheck.Record, field string, ok bool)
	// today, when set, is the day the defective record is checked on;
	// otherwise, as the clean payload, the day before the catalog's
	// first expiry.
	today func(x situation) time.Time
}

// defects are the deliberately wrong captures, one defect each. Each is
// made on the first situation of the catalogs (repository's, then Acme's)
// that offers it, so the corpus follows the catalogs.
var defects = []defect{
	unredacted(impl.StrategyHMAC),
	unredacted(impl.StrategyIPTruncate),
	unredacted(impl.StrategyURLSanitize),
	unredacted(impl.StrategyGeneralizeVersion),
	{name: "hash without its 64 hex digits", rule: livecheck.RuleRedactionShape, make: func(t *testing.T, x situation) (livecheck.Record, string, bool) {
		f := findSent(x, func(f *model.Field, r *provisionv1.Redaction) bool {
			return impl.StrategyKindOf(r) == impl.StrategyHMAC && f.Desc.Kind() == protoreflect.StringKind
		})
		if f == nil {
			return livecheck.Record{}, "", false
		}
		out := proto.Clone(x.sent)
		setAt(out.ProtoReflect(), f, protoreflect.ValueOfString("v2:"+strings.Repeat("0", 63)+"g"))
		return jsonRecord(t, x, out), f.Path, true
	}},
	{name: "item the consent does not allow", rule: livecheck.RuleFieldNotAllowed, make: func(t *testing.T, x situation) (livecheck.Record, string, bool) {
		var found *model.Field
		x.s.Walk(func(f *model.Field) bool {
			if _, sent := f.Under(x.c); sent || !singular(f) || !has(x.collected.ProtoReflect(), f) {
				return true
			}
			if f.Parent != nil {
				if _, ok := f.Parent.Under(x.c); !ok {
					return true
				}
			}
			found = f
			return false
		})
		if found == nil {
			return livecheck.Record{}, "", false
		}
		out := proto.Clone(x.sent)
		setAt(out.ProtoReflect(), found, valueAt(x.collected.ProtoReflect(), found))
		return jsonRecord(t, x, out), found.Path, true
	}},
	{name: "property no message declares", rule: livecheck.RuleFieldUnknown, make: func(t *testing.T, x situation) (livecheck.Record, string, bool) {
		return editJSON(t, x, func(doc map[string]any) { doc["notAField"] = 1 }), "notAField", true
	}},
	{name: "property a nested message does not declare", rule: livecheck.RuleFieldUnknown, make: func(t *testing.T, x situation) (livecheck.Record, string, bool) {
		var found *model.Field
		for _, f := range x.s.Fields {
			if len(f.Children) > 0 && singular(f) && has(x.sent.ProtoReflect(), f) {
				found = f
				break
			}
		}
		if found == nil {
			return livecheck.Record{}, "", false
		}
		return editJSON(t, x, func(doc map[string]any) {
			doc[found.Desc.JSONName()].(map[string]any)["notAField"] = true
		}), found.Path + ".notAField", true
	}},
	{name: "binary field number no message declares", rule: livecheck.RuleFieldUnknown, make: func(t *testing.T, x situation) (livecheck.Record, string, bool) {
		n := protowire.Number(9999)
		if x.s.Message.Fields().ByNumber(n) != nil {
			return livecheck.Record{}, "", false
		}
		bin, err := proto.Marshal(x.sent)
		if err != nil {
			t.Fatal(err)
		}
		bin = protowire.AppendTag(bin, n, protowire.VarintType)
		bin = protowire.AppendVarint(bin, 1)
		return livecheck.Record{Source: "x.binpb", Message: x.s.Message.FullName(), Format: livecheck.FormatBinary, Data: bin}, "9999", true
	}},
	{name: "required item missing", rule: livecheck.RuleValueRule, make: func(t *testing.T, x situation) (livecheck.Record, string, bool) {
		f := findSent(x, func(f *model.Field, r *provisionv1.Redaction) bool {
			rules, err := protovalidate.ResolveFieldRules(f.Desc)
			return err == nil && f.Parent == nil && impl.StrategyKindOf(r) == impl.StrategyKeep && rules.GetRequired()
		})
		if f == nil {
			return livecheck.Record{}, "", false
		}
		return editJSON(t, x, func(doc map[string]any) { delete(doc, f.Desc.JSONName()) }), f.Path, true
	}},
	{name: "payload sent on the day its scenario expires", rule: livecheck.RuleItemExpired, make: func(t *testing.T, x situation) (livecheck.Record, string, bool) {
		if _, ok := model.ExpiryDate(x.s.Expires()); !ok {
			return livecheck.Record{}, "", false
		}
		return jsonRecord(t, x, x.sent), "", true
	}, today: func(x situation) time.Time {
		d, _ := model.ExpiryDate(x.s.Expires())
		return d
	}},
	{name: "message that is no scenario", rule: livecheck.RuleMessageUndeclared, make: func(t *testing.T, x situation) (livecheck.Record, string, bool) {
		var md protoreflect.MessageDescriptor
		x.s.Walk(func(f *model.Field) bool {
			if len(f.Children) > 0 {
				md = f.Desc.Message()
				return false
			}
			return true
		})
		if md == nil {
			return livecheck.Record{}, "", false
		}
		return livecheck.Record{Source: "x.json", Message: md.FullName(), Format: livecheck.FormatJSON, Data: []byte("{}")}, "", true
	}},
}

// unredacted is the defect of an item of the strategy sent as collected,
// where the strategy changes its example.
func unredacted(k impl.StrategyKind) defect {
	return defect{name: "unredacted " + k.String(), rule: livecheck.RuleRedactionShape, make: func(t *testing.T, x situation) (livecheck.Record, string, bool) {
		f := findSent(x, func(f *model.Field, r *provisionv1.Redaction) bool {
			return impl.StrategyKindOf(r) == k && has(x.collected.ProtoReflect(), f) && has(x.sent.ProtoReflect(), f) &&
				!valueAt(x.collected.ProtoReflect(), f).Equal(valueAt(x.sent.ProtoReflect(), f))
		})
		if f == nil {
			return livecheck.Record{}, "", false
		}
		out := proto.Clone(x.sent)
		setAt(out.ProtoReflect(), f, valueAt(x.collected.ProtoReflect(), f))
		return jsonRecord(t, x, out), f.Path, true
	}}
}

// TestDefects checks each wrong capture of the corpus: exactly the one
// finding its defect makes, at its field; and each situation's own sent
// payload first, which has none.
func TestDefects(t *testing.T) {
	t.Parallel()
	cats := loadCatalogs(t)
	for _, d := range defects {
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			for _, name := range []string{"catalog", "acme"} {
				cat := cats[name]
				keys := testKeys(t, cat)
				for _, s := range cat.Scenarios() {
					if s.Local() || len(s.Fields) == 0 {
						continue
					}
					collected := examplePayload(t, rand.New(rand.NewPCG(1, 2)), s, 1)
					if collected == nil {
						continue
					}
					for _, c := range s.Product.ConsentLevels() {
						if !c.Grants(s.Agreement) {
							continue
						}
						sent := proto.Clone(collected)
						_ = impl.Redact(sent, c, keys)
						x := situation{cat: cat, s: s, c: c, collected: collected, sent: sent}
						rec, field, ok := d.make(t, x)
						if !ok {
							continue
						}
						ch, err := livecheck.New(cat, consentsWith(t, cat, s.Product.ID, c), beforeExpiries(cat))
						if err != nil {
							t.Fatal(err)
						}
						if fs, err := ch.Check(context.Background(), jsonRecord(t, x, sent)); err != nil || len(fs) > 0 {
							t.Fatalf("%s under %v: the clean payload: %+v, %v", s.ID, c, fs, err)
						}
						if d.today != nil {
							day := d.today(x)
							if ch, err = livecheck.New(cat, consentsWith(t, cat, s.Product.ID, c), livecheck.WithClock(func() time.Time { return day })); err != nil {
								t.Fatal(err)
							}
						}
						fs, err := ch.Check(context.Background(), rec)
						if err != nil {
							t.Fatalf("%s under %v: %v", s.ID, c, err)
						}
						type got struct {
							Rule  livecheck.Rule
							Field string
						}
						var gots []got
						for _, f := range fs {
							gots = append(gots, got{f.Rule, f.Field})
						}
						if diff := cmp.Diff([]got{{d.rule, field}}, gots); diff != "" {
							t.Fatalf("%s under %v (%s): findings (-want +got):\n%s\n%+v", s.ID, c, rec.Data, diff, fs)
						}
						return
					}
				}
			}
			t.Fatalf("no scenario of the catalogs offers the defect %q", d.name)
		})
	}
}

// TestDefectsCoverRules: every rule about a payload has a defect in the
// corpus.
func TestDefectsCoverRules(t *testing.T) {
	t.Parallel()
	shown := map[livecheck.Rule]bool{livecheck.RuleScenarioNotAllowed: true} // TestRedactedCapturesAreClean
	for _, d := range defects {
		shown[d.rule] = true
	}
	for _, spec := range livecheck.Rules {
		if spec.Level != livecheck.Info && !shown[spec.ID] {
			t.Errorf("rule %s has no defect in the corpus", spec.ID)
		}
	}
}

// findSent returns the first item sent under x's consent, singular all
// the way down, for which ok holds.
func findSent(x situation, ok func(*model.Field, *provisionv1.Redaction) bool) *model.Field {
	for _, st := range x.s.Transmitted(x.c) {
		if singular(st.Field) && ok(st.Field, st.Redaction) {
			return st.Field
		}
	}
	return nil
}

// singular reports whether f and every item above it is neither a list
// nor a map.
func singular(f *model.Field) bool {
	for ; f != nil; f = f.Parent {
		if f.Desc.IsList() || f.Desc.IsMap() {
			return false
		}
	}
	return true
}

// chain is f's items from the top.
func chain(f *model.Field) []*model.Field {
	var out []*model.Field
	for ; f != nil; f = f.Parent {
		out = append(out, f)
	}
	slices.Reverse(out)
	return out
}

func has(m protoreflect.Message, f *model.Field) bool {
	for _, g := range chain(f) {
		if !m.Has(g.Desc) {
			return false
		}
		if g != f {
			m = m.Get(g.Desc).Message()
		}
	}
	return true
}

func valueAt(m protoreflect.Message, f *model.Field) protoreflect.Value {
	c := chain(f)
	for _, g := range c[:len(c)-1] {
		m = m.Get(g.Desc).Message()
	}
	return m.Get(f.Desc)
}

func setAt(m protoreflect.Message, f *model.Field, v protoreflect.Value) {
	c := chain(f)
	for _, g := range c[:len(c)-1] {
		m = m.Mutable(g.Desc).Message()
	}
	m.Set(f.Desc, v)
}

func jsonRecord(t *testing.T, x situation, m proto.Message) livecheck.Record {
	t.Helper()
	js, err := protojson.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return livecheck.Record{Source: "x.json", Message: x.s.Message.FullName(), Format: livecheck.FormatJSON, Data: js}
}

// editJSON is x's sent payload as protojson, edited.
func editJSON(t *testing.T, x situation, edit func(map[string]any)) livecheck.Record {
	t.Helper()
	rec := jsonRecord(t, x, x.sent)
	var doc map[string]any
	if err := json.Unmarshal(rec.Data, &doc); err != nil {
		t.Fatal(err)
	}
	edit(doc)
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	rec.Data = data
	return rec
}
