package jsonschema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"buf.build/go/protovalidate"
	sjs "github.com/santhosh-tekuri/jsonschema/v6"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"

	"github.com/provisionhq/provision/internal/fixture"
	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
)

// payloadsEnv is the environment variable that sets how many payloads
// TestDifferential checks per scenario: defaultPayloads unless set
// (PROVISION_DIFFERENTIAL_PAYLOADS=10000 for a thorough run), and
// shortPayloads with -short.
const (
	payloadsEnv     = "PROVISION_DIFFERENTIAL_PAYLOADS"
	defaultPayloads = 1000
	shortPayloads   = 200
)

var sharedValidator = sync.OnceValues(func() (protovalidate.Validator, error) { return protovalidate.New() })

// verdict is how protojson and protovalidate judge a JSON payload: it
// parses, and it breaks no rule the schema expresses. Rules the schema
// cannot express (CEL, x-buf-validate-unexpressed) are left out, and
// listed.
func verdict(v protovalidate.Validator, md protoreflect.MessageDescriptor, payload []byte) (bool, string, []string) {
	m := dynamicpb.NewMessage(md)
	if err := protojson.Unmarshal(payload, m); err != nil {
		return false, "protojson: " + err.Error(), nil
	}
	err := v.Validate(m)
	if err == nil {
		return true, "", nil
	}
	var verr *protovalidate.ValidationError
	if !errors.As(err, &verr) {
		return false, "protovalidate: " + err.Error(), nil
	}
	var broken, unexpressed []string
	for _, viol := range verr.Violations {
		rule := RulePath(viol)
		if rule == "" {
			rule = "message rule " + viol.Proto.GetRuleId()
		}
		what := protovalidate.FieldPathString(viol.Proto.GetField()) + " " + rule
		if Expressible(md, viol) {
			broken = append(broken, what)
		} else {
			unexpressed = append(unexpressed, what)
		}
	}
	return len(broken) == 0, strings.Join(broken, "; "), unexpressed
}

// TestDifferential checks, for every scenario, that the collected schema
// and protovalidate (after protojson) give the same verdict on generated
// payloads: valid ones, ones with one rule broken, and JSON-level changes
// (names, nulls, defaults, unknown fields, wrong types, a second oneof
// member). It checks 1,000 payloads per scenario, or as many as
// PROVISION_DIFFERENTIAL_PAYLOADS says.
func TestDifferential(t *testing.T) {
	t.Parallel()
	v, err := sharedValidator()
	if err != nil {
		t.Fatal(err)
	}
	def := defaultPayloads
	if testing.Short() {
		def = shortPayloads
	}
	n := fixture.Size(t, payloadsEnv, def)
	var mu sync.Mutex
	unexpressed := map[string]int{}
	t.Cleanup(func() {
		keys := make([]string, 0, len(unexpressed))
		for k := range unexpressed {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			t.Logf("not expressed by the schema, left out of the verdict: %s (%d payloads)", k, unexpressed[k])
		}
	})
	for setName, set := range loadGenerated(t) {
		for _, entry := range set.index.Scenarios {
			s, _ := set.catalog.Scenario(entry.ID)
			schema := set.schemas[entry.Collected]
			t.Run(setName+"/"+entry.ID, func(t *testing.T) {
				t.Parallel()
				g := newFaker(uint64(len(entry.ID))*7919+uint64(entry.ID[len(entry.ID)-1]), s)
				var valid, invalid, disagree int
				for i := range n {
					payload, how := g.payload(s, i)
					want, why, left := verdict(v, s.Message, payload)
					got, schemaWhy := validates(schema, payload)
					if want {
						valid++
					} else {
						invalid++
					}
					mu.Lock()
					for _, l := range left {
						unexpressed[entry.ID+": "+l[strings.IndexByte(l, ' ')+1:]]++
					}
					mu.Unlock()
					if got != want && !(want && holdsQuirk(s.Message, payload)) {
						disagree++
						if disagree <= 5 {
							t.Errorf("payload %d (%s): protovalidate says valid=%v (%s), schema says %v (%s)\n%s", i, how, want, why, got, schemaWhy, payload)
						}
					}
				}
				t.Logf("%d payloads: %d valid, %d invalid, %d disagreements", n, valid, invalid, disagree)
				if disagree == 0 && (valid < n/10 || invalid < n/20) {
					t.Errorf("unbalanced sample: %d valid, %d invalid of %d", valid, invalid, n)
				}
			})
		}
	}
}

func validates(schema *sjs.Schema, payload []byte) (bool, string) {
	inst, err := sjs.UnmarshalJSON(bytes.NewReader(payload))
	if err != nil {
		return false, "not JSON: " + err.Error()
	}
	if err := schema.Validate(inst); err != nil {
		msg := err.Error()
		if len(msg) > 600 {
			msg = msg[:600] + "…"
		}
		return false, msg
	}
	return true, ""
}

// payload returns the i-th payload of the scenario: a random message,
// every other one with one rule broken, and every fifth changed as JSON.
func (g *faker) payload(s *model.Scenario, i int) ([]byte, string) {
	m := g.message(s.Message, 0)
	how := "generated"
	if i%2 == 1 {
		how = g.mutate(m)
	}
	raw, err := protojson.Marshal(m)
	if err != nil {
		return []byte("{"), "marshal: " + err.Error()
	}
	if i%5 != 0 {
		return raw, how
	}
	var obj map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&obj); err != nil {
		return raw, how
	}
	how += "; " + g.mutateJSON(s.Message, obj)
	out, err := json.Marshal(obj)
	if err != nil {
		return raw, how
	}
	return out, how
}

// mutateJSON changes one field of the object as JSON, where protojson
// and the schema have to agree: a field under its proto name, under both
// names, null, an explicit default, an unknown field, a value of the
// wrong JSON type, or a second member of a oneof.
func (g *faker) mutateJSON(md protoreflect.MessageDescriptor, obj map[string]any) string {
	fields := md.Fields()
	if fields.Len() == 0 {
		obj["zzUnknown"] = 1
		return "unknown field"
	}
	fd := fields.Get(g.rng.IntN(fields.Len()))
	name := fd.JSONName()
	val, present := obj[name]
	switch g.rng.IntN(7) {
	case 0:
		if present && string(fd.Name()) != name {
			delete(obj, name)
			obj[string(fd.Name())] = val
			return name + " under its proto name"
		}
	case 1:
		if present && string(fd.Name()) != name {
			obj[string(fd.Name())] = val
			return name + " under both names"
		}
	case 2:
		obj[name] = nil
		return name + " null"
	case 3:
		if !fd.HasPresence() {
			obj[name] = jsonDefault(fd)
			return name + " explicit default"
		}
	case 4:
		obj["zzUnknown"] = 1
		return "unknown field"
	case 5:
		if wrong, ok := wrongType(fd); ok {
			obj[name] = wrong
			return name + " of the wrong JSON type"
		}
	case 6:
		if od := fd.ContainingOneof(); od != nil && !od.IsSynthetic() {
			other := g.message(md, 0)
			raw, _ := protojson.Marshal(other)
			var o map[string]any
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.UseNumber()
			_ = dec.Decode(&o)
			ofs := od.Fields()
			for j := range ofs.Len() {
				if v, ok := o[ofs.Get(j).JSONName()]; ok {
					obj[ofs.Get(j).JSONName()] = v
				}
			}
			return "oneof members from another payload"
		}
	}
	return "no JSON change"
}

// jsonDefault is the JSON of a field's default value, as protojson
// writes it.
func jsonDefault(fd protoreflect.FieldDescriptor) any {
	switch k := fd.Kind(); {
	case fd.IsList():
		return []any{}
	case fd.IsMap():
		return map[string]any{}
	case k == protoreflect.BoolKind:
		return false
	case k == protoreflect.StringKind || k == protoreflect.BytesKind:
		return ""
	case k == protoreflect.EnumKind:
		if zero := fd.Enum().Values().ByNumber(0); zero != nil {
			return string(zero.Name())
		}
		return json.Number("0")
	case isWide(k):
		return "0"
	}
	return json.Number("0")
}

// wrongType is a JSON value protojson refuses for the field.
func wrongType(fd protoreflect.FieldDescriptor) (any, bool) {
	if md := fd.Message(); md != nil && slices.Contains([]protoreflect.FullName{"google.protobuf.Value", "google.protobuf.Struct", "google.protobuf.ListValue"}, md.FullName()) {
		return nil, false
	}
	switch {
	case fd.IsList() || fd.IsMap():
		return "text", true
	case fd.Kind() == protoreflect.StringKind || fd.Kind() == protoreflect.BytesKind:
		return json.Number("12"), true
	case fd.Kind() == protoreflect.BoolKind:
		return "yes", true
	case fd.Kind() == protoreflect.MessageKind:
		return []any{1}, true
	}
	return map[string]any{"x": 1}, true
}

// corpusCase is one payload of the mutation corpus, the schema it is
// checked against and the oracle's verdict.
type corpusCase struct {
	Set      string `json:"set"`
	Scenario string `json:"scenario"`
	// Schema is the file of the schema, relative to the set's output.
	Schema string `json:"schema"`
	// Variant is "collected" or "transmitted".
	Variant string `json:"variant"`
	// Kind is "base", "rule" (one rule broken), "form" (a value or field
	// written another way) or "url" (a web address as transmitted).
	Kind    string          `json:"kind"`
	How     string          `json:"how"`
	Payload json.RawMessage `json:"payload"`
	// Valid is the oracle's verdict: for the collected schema, protojson
	// reads the payload and protovalidate finds no rule broken that the
	// schemas state; as transmitted, protojson reads the payload and it is
	// what Redact gives.
	Valid bool   `json:"valid"`
	Why   string `json:"why,omitempty"`
	// Unexpressed are the rules broken that the schemas cannot state: the
	// schema accepts the payload though protovalidate does not.
	Unexpressed []string `json:"unexpressed,omitempty"`
	// Known is the documented difference under which the schema may
	// judge the payload otherwise than the oracle.
	Known string `json:"known,omitempty"`
}

// corpusBuilder makes the mutation corpus of one set of schemas.
type corpusBuilder struct {
	t   testing.TB
	v   protovalidate.Validator
	set string
	gs  *generatedSet
	// unbroken lists the rules no candidate broke; unbreakable, those no
	// payload of the corpus can break alone, and why.
	unbroken, unbreakable []string
	cases                 []corpusCase
}

// buildCorpus returns the mutation corpus of every scenario of the set:
// per scenario, a valid payload with every field set; for each rule of
// each field (nested ones included) and each message rule, that payload
// with the rule broken; for each field, its value written in every form
// protojson reads and a few it does not; the same forms of the payload as
// redacted under each consent, checked against the transmitted schemas;
// and, for every web address as transmitted, the address in clear and
// in the forms sanitising gives.
func buildCorpus(t testing.TB, v protovalidate.Validator, setName string, gs *generatedSet) *corpusBuilder {
	b := &corpusBuilder{t: t, v: v, set: setName, gs: gs}
	keys := testKeys(t, gs.catalog)
	for _, entry := range gs.index.Scenarios {
		s, _ := gs.catalog.Scenario(entry.ID)
		b.scenario(s, entry, keys)
	}
	return b
}

func (b *corpusBuilder) add(c corpusCase) {
	c.Set = b.set
	b.cases = append(b.cases, c)
}

// collected adds a payload checked against the collected schema, with
// protojson and protovalidate as the oracle.
func (b *corpusBuilder) collected(s *model.Scenario, entry IndexScenario, kind, how string, payload []byte, known string) {
	ok, why, left := verdict(b.v, s.Message, payload)
	b.add(corpusCase{Scenario: s.ID, Schema: entry.Collected, Variant: "collected", Kind: kind, How: how, Payload: payload, Valid: ok, Why: why, Unexpressed: left, Known: known})
}

// base returns a valid payload of the scenario with every field set.
func (b *corpusBuilder) base(s *model.Scenario) *dynamicpb.Message {
	g := newFaker(uint64(len(s.ID))*31+uint64(s.ID[0]), s)
	g.full = true
	var fallback *dynamicpb.Message
	for range 2000 {
		m := g.message(s.Message, 0)
		err := b.v.Validate(m)
		if err == nil {
			return m
		}
		if raw, err := protojson.Marshal(m); fallback == nil && err == nil {
			if ok, _, _ := verdict(b.v, s.Message, raw); ok {
				fallback = m
			}
		}
	}
	if fallback == nil {
		b.t.Fatalf("%s: no valid payload in 2,000 tries", s.ID)
	}
	return fallback
}

func (b *corpusBuilder) scenario(s *model.Scenario, entry IndexScenario, keys impl.KeyProvider) {
	g := newFaker(uint64(len(s.ID))*7+uint64(s.ID[len(s.ID)-1]), s)
	base := b.base(s)
	raw, err := protojson.Marshal(base)
	if err != nil {
		b.t.Fatal(err)
	}
	b.collected(s, entry, "base", "a valid payload", raw, "")

	// Each rule broken once.
	var walk func(fields []*model.Field, md protoreflect.MessageDescriptor, path []protoreflect.FieldDescriptor)
	walk = func(fields []*model.Field, md protoreflect.MessageDescriptor, path []protoreflect.FieldDescriptor) {
		for _, f := range fields {
			fd := f.Desc
			for _, target := range fieldRuleTargets(rulesOf(fd)) {
				rule := f.Path + " " + target.String()
				if b.breakRule(s, entry, base, path, g.ruleMutations(fd, rulesOf(fd), target), func(viol *protovalidate.Violation) bool {
					vf := ViolationField(s.Message, viol)
					return vf != nil && vf.FullName() == fd.FullName() && sameRule(RulePath(viol), target.path) &&
						(target.id == "" || viol.Proto.GetRuleId() == target.id)
				}, rule) {
					continue
				}
				if why := unbreakable(fd, target); why != "" {
					b.unbreakable = append(b.unbreakable, s.ID+": "+rule+": "+why)
				} else {
					b.unbroken = append(b.unbroken, s.ID+": "+rule)
				}
			}
			if len(f.Children) > 0 {
				walk(f.Children, fd.Message(), append(slices.Clone(path), fd))
			}
		}
		b.messageRules(s, entry, base, md, path, g)
	}
	walk(s.Fields, s.Message, nil)

	// Each form once.
	for _, jc := range g.jsonForms(s.Message, raw) {
		b.collected(s, entry, "form", jc.how, jc.payload, jc.known)
	}

	b.transmitted(s, entry, base, g, keys)
}

// sameRule reports whether a violation of the rule at path got is one of
// the rule at path want: protovalidate reports a value out of a range
// under the range's lower bound, whichever side it is on.
func sameRule(got, want string) bool {
	if got == want {
		return true
	}
	isBound := func(p string) bool {
		name := p[strings.LastIndexByte(p, '.')+1:]
		return name == "gt" || name == "gte" || name == "lt" || name == "lte"
	}
	prefix := func(p string) string { return p[:strings.LastIndexByte(p, '.')+1] }
	return isBound(got) && isBound(want) && prefix(got) == prefix(want)
}

// breakRule adds the payload base changed, at path, by the first of the
// mutations that breaks the rule broken reports, preferring those that
// break nothing else; it reports whether one did.
func (b *corpusBuilder) breakRule(s *model.Scenario, entry IndexScenario, base *dynamicpb.Message, path []protoreflect.FieldDescriptor, muts []mutation, broken func(*protovalidate.Violation) bool, rule string) bool {
	var best []byte
	var bestHow string
	bestCount := -1
	for _, mu := range muts {
		m := proto.Clone(base).(*dynamicpb.Message)
		mu.apply(b.locate(m, path))
		err := b.v.Validate(m)
		var verr *protovalidate.ValidationError
		if !errors.As(err, &verr) {
			continue
		}
		if !slices.ContainsFunc(verr.Violations, broken) {
			continue
		}
		if bestCount >= 0 && len(verr.Violations) >= bestCount {
			continue
		}
		raw, err := protojson.Marshal(m)
		if err != nil {
			continue
		}
		best, bestHow, bestCount = raw, mu.how, len(verr.Violations)
		if bestCount == 1 {
			break
		}
	}
	if best == nil {
		return false
	}
	b.collected(s, entry, "rule", rule+": "+bestHow, best, "")
	return true
}

// unbreakable says why no payload of the corpus breaks the rule t of fd
// alone, or "" when one should: its bound is beyond the lengths the
// corpus builds (TestBytesLength checks the arithmetic there), or beyond
// the kind's range, or only the zero value breaks it and the required
// rule refuses that first.
func unbreakable(fd protoreflect.FieldDescriptor, t ruleTarget) string {
	r := rulesOf(fd)
	path := t.path
	for _, p := range []struct {
		prefix string
		rules  func(*validate.FieldRules) *validate.FieldRules
	}{
		{"repeated.items.", func(r *validate.FieldRules) *validate.FieldRules { return r.GetRepeated().GetItems() }},
		{"map.keys.", func(r *validate.FieldRules) *validate.FieldRules { return r.GetMap().GetKeys() }},
		{"map.values.", func(r *validate.FieldRules) *validate.FieldRules { return r.GetMap().GetValues() }},
	} {
		if rest, ok := strings.CutPrefix(path, p.prefix); ok {
			r, path = p.rules(r), rest
		}
	}
	typ, typed := ruleKind(r)
	kind, name, ok := strings.Cut(path, ".")
	if typ == nil || !ok || string(typ.Name()) != kind {
		return ""
	}
	bd := typed.Descriptor().Fields().ByName(protoreflect.Name(name))
	if bd == nil || bd.IsList() || !typed.Has(bd) {
		return ""
	}
	v := typed.Get(bd)
	switch name {
	case "max_len", "max_bytes", "max_items", "max_pairs", "len", "len_bytes":
		if v.Uint() >= maxBreakLength {
			return "its bound is beyond the lengths the corpus builds"
		}
	case "min_len", "min_bytes", "min_items", "min_pairs":
		if v.Uint() == 1 && t.path == path && r.GetRequired() && !fd.HasPresence() {
			return "only the empty value breaks it, which the required rule refuses first"
		}
	case "lte", "gte":
		k := fd.Kind()
		if isFloat(k) {
			return ""
		}
		lo, hi := kindLimits(k)
		if b := bigValue(k, v).String(); (name == "lte" && b == hi) || (name == "gte" && b == lo) {
			return "no value of the kind is beyond its bound"
		}
	}
	return ""
}

// locate returns the message at path in m, setting the messages on the
// way when they are not: a valid one, the first item of a list, the value
// of the smallest key of a map.
func (b *corpusBuilder) locate(m protoreflect.Message, path []protoreflect.FieldDescriptor) protoreflect.Message {
	g := newFaker(1, nil)
	for _, fd := range path {
		switch {
		case fd.IsList():
			l := m.Mutable(fd).List()
			if l.Len() == 0 {
				l.Append(protoreflect.ValueOfMessage(g.message(fd.Message(), 1)))
			}
			m = l.Get(0).Message()
		case fd.IsMap():
			mm := m.Mutable(fd).Map()
			if mm.Len() == 0 {
				mm.Set(g.value(fd.MapKey(), rulesOf(fd).GetMap().GetKeys(), 1).MapKey(), protoreflect.ValueOfMessage(g.message(fd.MapValue().Message(), 1)))
			}
			var keys []protoreflect.MapKey
			mm.Range(func(k protoreflect.MapKey, _ protoreflect.Value) bool { keys = append(keys, k); return true })
			slices.SortFunc(keys, func(a, b protoreflect.MapKey) int {
				return strings.Compare(fmt.Sprint(a.Interface()), fmt.Sprint(b.Interface()))
			})
			m = mm.Mutable(keys[0]).Message()
		default:
			if !m.Has(fd) {
				m.Set(fd, protoreflect.ValueOfMessage(g.message(fd.Message(), 1)))
			}
			m = m.Mutable(fd).Message()
		}
	}
	return m
}

// messageRules breaks each rule of the message md at path: a required
// oneof left empty, a message oneof rule with two members set (or none,
// when required), each CEL rule.
func (b *corpusBuilder) messageRules(s *model.Scenario, entry IndexScenario, base *dynamicpb.Message, md protoreflect.MessageDescriptor, path []protoreflect.FieldDescriptor, g *faker) {
	oneofs := md.Oneofs()
	for i := range oneofs.Len() {
		od := oneofs.Get(i)
		if od.IsSynthetic() {
			continue
		}
		rules, err := protovalidate.ResolveOneofRules(od)
		if err != nil || !rules.GetRequired() {
			continue
		}
		clear := mutation{how: "none set", apply: func(m protoreflect.Message) {
			if fd := m.WhichOneof(od); fd != nil {
				m.Clear(fd)
			}
		}}
		rule := string(od.FullName()) + " oneof required"
		b.must(s, rule, b.breakRule(s, entry, base, path, []mutation{clear}, func(v *protovalidate.Violation) bool {
			return v.Proto.GetRuleId() == "required" && v.FieldDescriptor == nil
		}, rule))
	}
	mr, err := protovalidate.ResolveMessageRules(md)
	if err != nil {
		return
	}
	for _, o := range mr.GetOneof() {
		var fds []protoreflect.FieldDescriptor
		for _, name := range o.GetFields() {
			fds = append(fds, md.Fields().ByName(protoreflect.Name(name)))
		}
		muts := []mutation{{how: "two set", apply: func(m protoreflect.Message) {
			for _, fd := range fds[:2] {
				for i := 0; i < 20 && !m.Has(fd); i++ {
					g.set(m.(*dynamicpb.Message), fd, 1)
				}
			}
		}}}
		if o.GetRequired() {
			muts = append(muts, mutation{how: "none set", apply: func(m protoreflect.Message) {
				for _, fd := range fds {
					m.Clear(fd)
				}
			}})
		}
		rule := string(md.FullName()) + " message oneof " + strings.Join(o.GetFields(), ",")
		b.must(s, rule, b.breakRule(s, entry, base, path, muts, func(v *protovalidate.Violation) bool {
			return v.Proto.GetRuleId() == "message.oneof"
		}, rule))
	}
	for _, c := range mr.GetCel() {
		var muts []mutation
		// The fields the expression names, or every field.
		named := map[string]bool{}
		for _, m := range regexp.MustCompile(`this\.([A-Za-z_][A-Za-z0-9_]*)`).FindAllStringSubmatch(c.GetExpression(), -1) {
			named[m[1]] = true
		}
		fields := md.Fields()
		for i := range fields.Len() {
			fd := fields.Get(i)
			if fd.IsList() || fd.IsMap() || (len(named) > 0 && !named[string(fd.Name())]) {
				continue
			}
			for _, v := range g.elementCandidates(fd, rulesOf(fd)) {
				muts = append(muts, mutation{how: fmt.Sprintf("%s = %s", fd.Name(), shortValue(v)), apply: func(m protoreflect.Message) { m.Set(fd, v) }})
			}
			muts = append(muts, mutation{how: string(fd.Name()) + " cleared", apply: func(m protoreflect.Message) { m.Clear(fd) }})
		}
		// Pairs: a CEL rule often ties two fields.
		n := len(muts)
		for i := 0; i < n && i < 400; i++ {
			for j := i + 1; j < n && j < 400; j++ {
				x, y := muts[i], muts[j]
				muts = append(muts, mutation{how: x.how + ", " + y.how, apply: func(m protoreflect.Message) { x.apply(m); y.apply(m) }})
			}
		}
		rule := string(md.FullName()) + " cel[" + c.GetId() + "]"
		b.must(s, rule, b.breakRule(s, entry, base, path, muts, func(v *protovalidate.Violation) bool {
			return v.Proto.GetRuleId() == c.GetId() && v.FieldDescriptor == nil
		}, rule))
	}
}

// must notes a rule no mutation broke.
func (b *corpusBuilder) must(s *model.Scenario, rule string, broken bool) {
	if !broken {
		b.unbroken = append(b.unbroken, s.ID+": "+rule)
	}
}

// transmitted adds, for each schema of the payload as transmitted, the
// valid payload redacted under its first consent, its forms (valid when
// protojson reads them as the same message) and the web addresses it
// holds in clear and sanitised; and the valid payload against the schemas
// under which nothing is sent.
func (b *corpusBuilder) transmitted(s *model.Scenario, entry IndexScenario, base *dynamicpb.Message, g *faker, keys impl.KeyProvider) {
	levels := s.Product.ConsentLevels()
	done := map[string]bool{}
	collected, _ := protojson.Marshal(base)
	for i, ic := range entry.Transmitted {
		if done[ic.Schema] {
			continue
		}
		done[ic.Schema] = true
		add := func(kind, how string, payload []byte, valid bool, why, known string) {
			b.add(corpusCase{Scenario: s.ID, Schema: ic.Schema, Variant: "transmitted", Kind: kind, How: ic.Consent + ": " + how, Payload: payload, Valid: valid, Why: why, Known: known})
		}
		if !ic.Sent {
			add("base", "the payload as collected, under a consent that sends nothing", collected, false, "nothing is sent", "")
			continue
		}
		c := levels[i]
		red := proto.Clone(base).(*dynamicpb.Message)
		_ = impl.Redact(red, c, keys)
		raw, err := protojson.Marshal(red)
		if err != nil {
			b.t.Fatal(err)
		}
		add("base", "the valid payload, redacted", raw, true, "", "")
		// A form protojson refuses is invalid; one it reads as the
		// redacted payload is valid; one that changes the payload has no
		// oracle here (whether some valid payload redacts to it), and is
		// left to the collected schema's cases.
		for _, jc := range g.jsonForms(s.Message, raw) {
			m := dynamicpb.NewMessage(s.Message)
			switch err := protojson.Unmarshal(jc.payload, m); {
			case err != nil:
				add("form", jc.how, jc.payload, false, "protojson: "+err.Error(), jc.known)
			case proto.Equal(m, red):
				add("form", jc.how, jc.payload, true, "", jc.known)
			}
		}
		b.urls(s, c, red, add)
	}
}

// urlVariants are web addresses a sanitised field may or may not hold as
// transmitted; the runtime's sanitiser says which.
func urlVariants() []string {
	out := []string{
		"https://alice:secret@host.example/files?session=abc#frag",
		"https://alice@host.example/files",
		"https://:@host.example/files",
		"https://host.example/files#frag",
		"https://host.example/files#",
		"https://host.example/files?lang=en",
		"https://host.example/files?",
		"https://host.example/files?session=abc",
		"https://host.example/files?session=REDACTED",
		"https://host.example/files?lang=en&session=REDACTED",
		"https://host.example/files?lang=en&session=REDACTED&lang=de",
		"https://host.example/files?lang=en;token=abc",
		"https://host.example/files?lang=en;token=REDACTED",
		"https://host.example/files?Session=abc",
		"https://host.example/files?SESSION=REDACTED",
		"https://host.example/files?X-Session-Id=abc",
		"https://host.example/files?access_token=abc",
		"https://host.example/files?access_token=REDACTED",
		"https://host.example/files?%73ession=abc",
		"https://host.example/files?%73ession=REDACTED",
		"https://host.example/files?ses%2Dsion=abc",
		"https://host.example/files?se-ss_io.n=abc",
		"https://host.example/files?%E2%84%AAey=abc",
		"https://host.example/files?%e2%84%aaey=abc",
		"https://host.example/files?u%C4%B0d=abc",
		"https://host.example/files?token",
		"https://host.example/files?token=",
		"https://host.example/files?token=REDACTEDX",
		"https://host.example/files?token=REDACTE",
		"https://host.example/files?token=REDACTED=",
		"https://host.example/files?token=a=b",
		"https://host.example/files?to+ken=abc",
		"https://host.example/files?q=abc",
		"https://host.example/files?Q=REDACTED",
		"https://host.example/files?qq=abc",
		"https://host.example/files?a=1&&b=2",
		"https://host.example/files?=abc",
		"https://host.example/files?redirect=https%3A%2F%2Fu%3Apw%40evil%2F%3Ftoken%3Dx",
		"https://host.example/a;token=abc/b?lang=en",
		"https://host.example/a?b?token=abc",
		"https://host.example",
		"https://host.example/",
		"https://HOST.example/x",
		"HTTPS://host.example/x",
		"https://[fe80::1%25eth0]/x",
		"https://[2001:db8::1]:8443/x?lang=en",
		"https://198.51.100.23/x",
		"https://host.example:8080/x",
		"http://:80/",
		"mailto:alice@host.example",
		"urn:isbn:0451450523",
		"/relative/path",
		"//host.example/x",
		"https:///x",
		// Path parameters, segments and values that carry addresses.
		"https://host.example/a;jsessionid=abc/b",
		"https://host.example/a;jsessionid=REDACTED/b",
		"https://host.example/a;lang=en/b",
		"https://host.example/a;lang=en;pw2=x/b?lang=en",
		"https://host.example/alice@host.example/x",
		"https://host.example/alice%40host.example/x",
		"https://host.example/REDACTED/x",
		"https://host.example/files?next=https%3A%2F%2Fhost.example%2Fx",
		"https://host.example/files?next=https%3A%2F%2Fu%40evil%2F",
		"https://host.example/files?next=https%3A%2F%2Fhost.example%2Fx%3Ftoken%3DREDACTED",
		"https://host.example/files?next=javascript%3Aalert(1)%2F%2F",
		"https://host.example/files?next=mailto%3Aa%40b",
		"https://host.example/files?next=REDACTED",
		"https://host.example/files?next=https%3A%2F%2Fweb.example%2Fweb%2Fhttps%3A%2F%2Fhost.example%2F",
		"https://host.example/web/https://host.example/x",
		"https://host.example/files?a%40b=c",
		"https://host.example/files?REDACTED",
		"https://host.example/files?a=%zz",
		"https://host.example/files?a=%2540",
		// Hosts, ports and schemes.
		"https://198.51.100.0/x",
		"https://[2001:db8::]:8443/x?lang=en",
		"https://[2001:db8::]/x",
		"https://[::ffff:198.51.100.0]/x",
		"https://3232235777/x",
		"https://0x7f.1/x",
		"https://host.1/x",
		"https://host.example./x",
		"https://host.example:08080/x",
		"https://host.example:65535/x",
		"https://host.example:65536/x",
		"https://host.example:0/x",
		"https://host.example:/x",
		"ws://host.example/x",
		"wss://host.example/x",
		"ftp://host.example/x",
		"gopher://host.example/x",
	}
	for _, p := range impl.SensitiveQueryNames() {
		name := p.Pattern
		out = append(out, "https://host.example/x?"+name+"=abc", "https://host.example/x?"+name+"7=abc", "https://host.example/x?"+name+"xy=abc",
			"https://host.example/x?xy"+name+"=abc", "https://host.example/x?a=1&x"+name+"y=REDACTED", "https://host.example/x?X"+strings.ToUpper(name)+"_y=abc",
			"https://host.example/a;"+name+"=abc/x", "https://host.example/a;"+name+"=REDACTED/x")
	}
	return out
}

// urls adds, for every field the consent sends sanitised, the payload
// with each of urlVariants in it: valid when sanitising leaves it as it
// is, for then Redact could have sent it.
func (b *corpusBuilder) urls(s *model.Scenario, c impl.Consent, red *dynamicpb.Message, add func(kind, how string, payload []byte, valid bool, why, known string)) {
	s.Walk(func(f *model.Field) bool {
		r, ok := f.Under(c)
		if !ok || impl.StrategyKindOf(r) != impl.StrategyURLSanitize {
			return true
		}
		st, err := impl.NewStrategy(r)
		if err != nil {
			b.t.Fatal(err)
		}
		var path []protoreflect.FieldDescriptor
		for p := f.Parent; p != nil; p = p.Parent {
			path = append([]protoreflect.FieldDescriptor{p.Desc}, path...)
		}
		fd := f.Desc
		for _, u := range urlVariants() {
			m := proto.Clone(red).(*dynamicpb.Message)
			holder := b.locate(m, path)
			v := protoreflect.ValueOfString(u)
			switch {
			case fd.IsList():
				holder.Clear(fd)
				holder.Mutable(fd).List().Append(v)
			case fd.IsMap():
				holder.Clear(fd)
				holder.Mutable(fd).Map().Set(protoreflect.ValueOfString("k").MapKey(), v)
			default:
				holder.Set(fd, v)
			}
			raw, err := protojson.Marshal(m)
			if err != nil {
				continue
			}
			out, err := st.ApplyString(nil, u)
			valid, why := err == nil && out == u, ""
			if !valid {
				why = fmt.Sprintf("sanitising gives %q (%v)", out, err)
			}
			add("url", f.Path+" = "+u, raw, valid, why, "")
		}
		return true
	})
}

// corpusSummary counts a run of the corpus through one validator.
type corpusSummary struct {
	cases, valid, invalid                 int
	validRejected, invalidAccepted        int
	excused, inexpressible                map[string]int
	unexpectedRejected, unexpectedAccepts []string
}

// judge compares what a validator said of each case (accepted[i]) with
// the oracle: a valid payload must be accepted; an invalid one rejected,
// unless it breaks only rules the schemas cannot state (counted by rule)
// or it is a form of a documented difference (counted by difference).
// excuse may excuse more, for one validator.
func judge(cases []corpusCase, accepted []bool, excuse func(corpusCase) string) corpusSummary {
	s := corpusSummary{excused: map[string]int{}, inexpressible: map[string]int{}}
	for i, c := range cases {
		s.cases++
		got := accepted[i]
		want := c.Valid && len(c.Unexpressed) == 0
		if c.Valid {
			s.valid++
		} else {
			s.invalid++
		}
		line := func() string {
			return fmt.Sprintf("%s %s [%s] %s: %s\n\t%s", c.Set, c.Schema, c.Kind, c.How, c.Why, truncate(string(c.Payload), 400))
		}
		switch {
		case want && !got:
			if c.Known != "" {
				s.excused[c.Known]++
				continue
			}
			if x := excuse(c); x != "" {
				s.excused[x]++
				continue
			}
			s.validRejected++
			s.unexpectedRejected = append(s.unexpectedRejected, line())
		case c.Valid && !want && got:
			for _, u := range c.Unexpressed {
				s.inexpressible[u[strings.IndexByte(u, ' ')+1:]]++
			}
		case !c.Valid && got:
			if c.Known != "" {
				s.excused[c.Known]++
				continue
			}
			if x := excuse(c); x != "" {
				s.excused[x]++
				continue
			}
			s.invalidAccepted++
			s.unexpectedAccepts = append(s.unexpectedAccepts, line())
		}
	}
	return s
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// report logs the summary and fails t on every disagreement.
func (s corpusSummary) report(t *testing.T, who string) {
	t.Helper()
	t.Logf("%s: %d cases (%d valid, %d invalid): %d valid rejected, %d invalid accepted", who, s.cases, s.valid, s.invalid, s.validRejected, s.invalidAccepted)
	for _, m := range []struct {
		what string
		n    map[string]int
	}{{"accepted, breaking only a rule the schemas cannot state", s.inexpressible}, {"accepted or rejected under a documented difference", s.excused}} {
		keys := make([]string, 0, len(m.n))
		for k := range m.n {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			t.Logf("%s: %s: %s (%d)", who, m.what, k, m.n[k])
		}
	}
	for i, l := range s.unexpectedRejected {
		if i == 20 {
			t.Errorf("%s: … and %d more valid payloads rejected", who, len(s.unexpectedRejected)-20)
			break
		}
		t.Errorf("%s: valid payload rejected: %s", who, l)
	}
	for i, l := range s.unexpectedAccepts {
		if i == 20 {
			t.Errorf("%s: … and %d more invalid payloads accepted", who, len(s.unexpectedAccepts)-20)
			break
		}
		t.Errorf("%s: invalid payload accepted: %s", who, l)
	}
}

// corpora builds the corpus of every set once per test binary.
var corpora = sync.OnceValues(func() ([]corpusCase, error) {
	v, err := sharedValidator()
	if err != nil {
		return nil, err
	}
	sets, err := generatedSets()
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(sets))
	for n := range sets {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []corpusCase
	var unbroken []string
	tb := &corpusTB{}
	for _, n := range names {
		var b *corpusBuilder
		func() {
			defer func() {
				if r := recover(); r != nil && r != any(tb) {
					panic(r)
				}
			}()
			b = buildCorpus(tb, v, n, sets[n])
		}()
		if tb.err != nil {
			return nil, fmt.Errorf("%s: %w", n, tb.err)
		}
		out = append(out, b.cases...)
		unbroken = append(unbroken, b.unbroken...)
		corpusUnbreakable = append(corpusUnbreakable, b.unbreakable...)
	}
	corpusUnbroken = unbroken
	return out, nil
})

// corpusUnbroken lists the rules no mutation of the corpus breaks;
// corpusUnbreakable, those no payload can break alone, and why.
var corpusUnbroken, corpusUnbreakable []string

// corpusTB lets buildCorpus run outside a test: it keeps the first
// failure.
type corpusTB struct {
	testing.TB
	err error
}

func (c *corpusTB) Helper() {}
func (c *corpusTB) Fatal(args ...any) {
	if c.err == nil {
		c.err = errors.New(fmt.Sprint(args...))
	}
	panic(c)
}
func (c *corpusTB) Fatalf(format string, args ...any) { c.Fatal(fmt.Sprintf(format, args...)) }

// quirkExcuse excuses a valid payload refused because it holds a value
// protovalidate accepts only through a slip of its parser
// (protovalidateQuirk).
func quirkExcuse(sets map[string]*generatedSet) func(corpusCase) string {
	return func(c corpusCase) string {
		s, ok := sets[c.Set].catalog.Scenario(c.Scenario)
		if ok && c.Valid && c.Variant == "collected" && holdsQuirk(s.Message, c.Payload) {
			return "protovalidate's parser slips (uri_ref, ipv6)"
		}
		return ""
	}
}

// TestMutationCorpus runs the mutation corpus (buildCorpus) through the
// schemas, compiled by an independent validator with format assertions
// off and on, with protojson and protovalidate as the oracle: no valid
// payload may be rejected, and an invalid one accepted only when the rule
// it breaks is one the package documentation lists as inexpressible, or
// its form one of the documented differences. Every rule must be broken
// by some payload of the corpus, unless no payload can break it alone
// (unbreakable).
func TestMutationCorpus(t *testing.T) {
	t.Parallel()
	cases, err := corpora()
	if err != nil {
		t.Fatal(err)
	}
	sets := loadGenerated(t)
	for _, assert := range []bool{false, true} {
		accepted := make([]bool, len(cases))
		for i, c := range cases {
			set := sets[c.Set]
			schema := set.schemas[c.Schema]
			if assert {
				schema = set.asserting[c.Schema]
			}
			if schema == nil {
				t.Fatalf("%s: no schema %s", c.Set, c.Schema)
			}
			accepted[i], _ = validates(schema, c.Payload)
		}
		who := "santhosh-tekuri/jsonschema"
		if assert {
			who += " asserting formats"
		}
		judge(cases, accepted, quirkExcuse(sets)).report(t, who)
		// PROVISION_CORPUS_OUT=DIR writes the schemas and the corpus with
		// these verdicts, to look into.
		if dir := os.Getenv("PROVISION_CORPUS_OUT"); dir != "" {
			if assert {
				dir = filepath.Join(dir, "asserting")
			}
			if err := writeCorpus(dir, sets, cases, accepted); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, u := range corpusUnbreakable {
		t.Logf("not broken alone: %s", u)
	}
	for _, u := range corpusUnbroken {
		t.Errorf("no mutation breaks %s: give ruleMutations a candidate that does", u)
	}
}

// writeCorpus writes the schemas of every set (under dir/<set>/) and the
// corpus (dir/corpus.json, one case a line, with the verdict of
// accepted, when given, as "accepted").
func writeCorpus(dir string, sets map[string]*generatedSet, cases []corpusCase, accepted []bool) error {
	for name, set := range sets {
		for fname, content := range set.files {
			p := filepath.Join(dir, name, filepath.FromSlash(fname))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(p, content, 0o644); err != nil {
				return err
			}
		}
	}
	var buf bytes.Buffer
	for i, c := range cases {
		line, err := json.Marshal(struct {
			corpusCase
			Accepted *bool `json:"accepted,omitempty"`
		}{c, func() *bool {
			if accepted == nil {
				return nil
			}
			return &accepted[i]
		}()})
		if err != nil {
			return err
		}
		buf.Write(line)
		buf.WriteByte('\n')
	}
	return os.WriteFile(filepath.Join(dir, "corpus.json"), buf.Bytes(), 0o644)
}
