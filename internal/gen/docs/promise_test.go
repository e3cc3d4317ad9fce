package docs_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/dynamicpb"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	_ "github.com/provisionhq/provision/internal/catalogconformance" // the catalog's generated Go
	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
)

// generatedRedacter is the Redact method protoc-gen-provision-go generates
// on every scenario's payload type.
type generatedRedacter interface {
	Redact(impl.Consent, impl.KeyProvider) error
}

// TestPagesPromiseWhatRedactLetsThrough checks, for every scenario and
// consent level, that the items the published pages send (every cell of
// the HTML site's tables, alternatives included, and the data map, read
// back from docs/) are exactly the fields the generated Redact lets
// through a payload holding every item's example — and that the runtime's
// reflection Redact agrees — and that each cell names the treatment the
// data map gives. The pages can then promise neither less nor more than
// the code sends.
func TestPagesPromiseWhatRedactLetsThrough(t *testing.T) {
	t.Parallel()
	c := loadCatalog(t)
	keys := catalogKeys(t, c)
	listed := pageCells(t, c)
	mapped := dataMapLists(t, c)
	for _, s := range c.Scenarios() {
		t.Run(s.ID, func(t *testing.T) {
			t.Parallel()
			mt, err := protoregistry.GlobalTypes.FindMessageByName(s.Message.FullName())
			if err != nil {
				t.Fatalf("no generated Go type for %s: %v", s.Message.FullName(), err)
			}
			for _, consent := range s.Product.ConsentLevels() {
				var viaGenerated, viaReflection []string
				for variant := range oneofVariants(s) {
					// The payload is built on the model's descriptors and
					// copied through the wire into the generated type.
					dyn := dynamicpb.NewMessage(s.Message)
					fillExamples(t, dyn, s.Fields, variant)
					wire, err := proto.Marshal(dyn)
					if err != nil {
						t.Fatal(err)
					}
					m := mt.New()
					if err := proto.Unmarshal(wire, m.Interface()); err != nil {
						t.Fatal(err)
					}
					gen, ok := m.Interface().(generatedRedacter)
					if !ok {
						t.Fatalf("%T has no generated Redact method", m.Interface())
					}
					if err := gen.Redact(consent, keys); err != nil {
						t.Fatalf("generated Redact under %v: %v", consent, err)
					}
					if err := impl.Redact(dyn, consent, keys); err != nil {
						t.Fatalf("reflection Redact under %v: %v", consent, err)
					}
					viaGenerated = appendPresent(viaGenerated, m, "")
					viaReflection = appendPresent(viaReflection, dyn.ProtoReflect(), "")
				}
				viaGenerated, viaReflection = sortedSet(viaGenerated), sortedSet(viaReflection)
				if diff := cmp.Diff(viaGenerated, viaReflection); diff != "" {
					t.Errorf("under %v the generated and the reflection Redact differ (-generated +reflection):\n%s", consent, diff)
				}
				key := s.ID + " " + consent.String()
				if diff := cmp.Diff(viaGenerated, sortedSet(paths(listed[key]))); diff != "" {
					t.Errorf("under %v the page sends other items than Redact lets through (-redact +page):\n%s", consent, diff)
				}
				if diff := cmp.Diff(viaGenerated, sortedSet(paths(mapped[key]))); diff != "" {
					t.Errorf("under %v the data map lists other items than Redact lets through (-redact +data map):\n%s", consent, diff)
				}
				if diff := cmp.Diff(sortedSet(mapped[key]), sortedSet(listed[key])); diff != "" {
					t.Errorf("under %v the page names other treatments than the data map (-data map +page):\n%s", consent, diff)
				}
			}
		})
	}
}

// pageCells reads the English site's tables: scenario ID and consent →
// "path=redaction" for every item whose cell in the consent's column says
// it is sent. A consent no column of a scenario's table names sends
// nothing. Every row of an item must have a cell per column, and on a
// page the words of a cell always mean the same treatment.
func pageCells(t *testing.T, c *model.Catalog) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, p := range c.Products {
		data, err := os.ReadFile(filepath.Join(loadCatalogModel(t).Root, "docs", docs.HTMLPath(docs.SourceLanguage, p)))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := parseHTML(data)
		if err != nil {
			t.Fatal(err)
		}
		meaning := map[string]string{} // words of a sent cell → redaction
		for _, sec := range doc.find(byClass("section", "scenario")) {
			id := sec.Attr["id"]
			var columns [][]string
			for _, th := range sec.find(byClass("th", "level")) {
				columns = append(columns, strings.Split(th.Attr["data-consents"], ";"))
			}
			sent := make([][]string, len(columns))
			for _, tr := range sec.find(func(n *node) bool { return n.Tag == "tr" && n.Attr["data-path"] != "" }) {
				cells := tr.find(func(n *node) bool { return n.Tag == "td" && (n.hasClass("sent") || n.hasClass("not-sent")) })
				if len(cells) != len(columns) {
					t.Errorf("%s: the row of %s has %d cells for %d columns", id, tr.Attr["data-path"], len(cells), len(columns))
					continue
				}
				for i, td := range cells {
					if !td.hasClass("sent") {
						continue
					}
					r := td.Attr["data-redaction"]
					if was, ok := meaning[td.Text()]; ok && was != r {
						t.Errorf("%s: %q names %s in the row of %s, and %s elsewhere on the page", id, td.Text(), r, tr.Attr["data-path"], was)
					}
					meaning[td.Text()] = r
					sent[i] = append(sent[i], tr.Attr["data-path"]+"="+r)
				}
			}
			for i, consents := range columns {
				for _, consent := range consents {
					key := id + " " + consent
					if _, dup := out[key]; dup {
						t.Errorf("%s has consent %s in two columns", id, consent)
					}
					out[key] = sent[i]
				}
			}
		}
	}
	return out
}

// paths are the paths of "path=redaction" entries.
func paths(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i], _, _ = strings.Cut(c, "=")
	}
	return out
}

// dataMapLists reads docs/datamap.json: scenario ID and consent →
// "path=redaction" for every item sent.
func dataMapLists(t *testing.T, c *model.Catalog) map[string][]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(loadCatalogModel(t).Root, "docs", docs.DataMapFile))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Products []struct {
			Scenarios []struct {
				ID            string `json:"id"`
				ConsentLevels []struct {
					Agreements []string `json:"agreements"`
					Sent       []struct {
						Path      string `json:"path"`
						Redaction string `json:"redaction"`
					} `json:"sent"`
				} `json:"consent_levels"`
			} `json:"scenarios"`
		} `json:"products"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, p := range m.Products {
		for _, s := range p.Scenarios {
			sc, ok := c.Scenario(s.ID)
			if !ok {
				t.Fatalf("data map: unknown scenario %s", s.ID)
			}
			if want := len(sc.Product.ConsentLevels()); len(s.ConsentLevels) != want {
				t.Errorf("data map: %s lists %d consent levels, want %d", s.ID, len(s.ConsentLevels), want)
			}
			for _, lv := range s.ConsentLevels {
				consent, err := sc.Product.Agreements.Consent(lv.Agreements...)
				if err != nil {
					t.Fatalf("data map: %s: consent %v: %v", s.ID, lv.Agreements, err)
				}
				sent := []string{}
				for _, sn := range lv.Sent {
					sent = append(sent, sn.Path+"="+sn.Redaction)
				}
				out[s.ID+" "+consent.String()] = sent
			}
		}
	}
	return out
}

// catalogKeys holds a key for every HMAC key ID the catalog names.
func catalogKeys(t *testing.T, c *model.Catalog) impl.KeyProvider {
	t.Helper()
	keys := map[string][]byte{}
	add := func(r *provisionv1.Redaction) {
		if id := r.GetHmac().GetKeyId(); id != "" {
			keys[id] = []byte(fmt.Sprintf("%-32s", "test key "+id))
		}
	}
	for _, s := range c.Scenarios() {
		s.Walk(func(f *model.Field) bool {
			add(f.Redaction())
			for _, u := range f.Item.GetRedactionUnder() {
				add(u.GetRedaction())
			}
			return true
		})
	}
	kp, err := impl.NewStaticKeys(keys)
	if err != nil {
		t.Fatal(err)
	}
	return kp
}

// oneofVariants is how many payloads it takes for every member of every
// oneof of the scenario to be set in one of them.
func oneofVariants(s *model.Scenario) int {
	n := 1
	s.Walk(func(f *model.Field) bool {
		if od := f.Desc.ContainingOneof(); od != nil && !od.IsSynthetic() {
			n = max(n, od.Fields().Len())
		}
		return true
	})
	return n
}

// fillExamples sets every item of m to its example; of a oneof, variant
// picks the member (modulo the members).
func fillExamples(t *testing.T, m protoreflect.Message, fields []*model.Field, variant int) {
	t.Helper()
	for _, f := range fields {
		if od := f.Desc.ContainingOneof(); od != nil && !od.IsSynthetic() {
			if od.Fields().Get(variant%od.Fields().Len()) != f.Desc {
				continue
			}
		}
		if f.IsMessage() {
			if f.Desc.IsList() {
				fillExamples(t, m.Mutable(f.Desc).List().AppendMutable().Message(), f.Children, variant)
			} else {
				fillExamples(t, m.Mutable(f.Desc).Message(), f.Children, variant)
			}
			continue
		}
		ex, err := model.ExampleMessage(f.Desc, f.Item.GetExample())
		if err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		wire, err := proto.Marshal(ex)
		if err != nil {
			t.Fatal(err)
		}
		if err := (proto.UnmarshalOptions{Merge: true}).Unmarshal(wire, m.Interface()); err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
	}
}

// appendPresent appends the dotted path of every populated field of m.
func appendPresent(out []string, m protoreflect.Message, prefix string) []string {
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		path := prefix + string(fd.Name())
		out = append(out, path)
		if fd.Message() != nil && !fd.IsMap() && fd.Message().ParentFile().Package() != "google.protobuf" {
			if fd.IsList() {
				for i := range v.List().Len() {
					out = appendPresent(out, v.List().Get(i).Message(), path+".")
				}
			} else {
				out = appendPresent(out, v.Message(), path+".")
			}
		}
		return true
	})
	return out
}

func sortedSet(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	out = slices.Compact(out)
	if out == nil {
		out = []string{}
	}
	return out
}
