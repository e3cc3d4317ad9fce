package jsonschema

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"buf.build/go/protovalidate"
	sjs "github.com/santhosh-tekuri/jsonschema/v6"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"

	"github.com/provisionhq/provision/internal/fixture"
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
		if Expressible(viol) {
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
					if got != want {
						disagree++
						if disagree <= 5 {
							t.Errorf("payload %d (%s): protovalidate says valid=%v (%s), schema says %v (%s)\n%s", i, how, want, why, got, schemaWhy, payload)
						}
					}
				}
				t.Logf("%d payloads: %d valid, %d invalid, %d disagreements", n, valid, invalid, disagree)
				if disagree == 0 && (valid < n/10 || invalid < n/10) {
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

// jsonDefault is the JSON of a field's default value.
func jsonDefault(fd protoreflect.FieldDescriptor) any {
	switch {
	case fd.IsList():
		return []any{}
	case fd.IsMap():
		return map[string]any{}
	}
	z := zeroSchema(fd)
	if z.Const != nil {
		return z.Const
	}
	return z.Enum[0]
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
