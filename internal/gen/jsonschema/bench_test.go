package jsonschema

import (
	"testing"

	"github.com/provisionhq/provision/internal/model"
)

// BenchmarkGenerate generates the schemas of the whole catalog.
func BenchmarkGenerate(b *testing.B) {
	cats, err := catalogs()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Generate(cats["catalog"], nil, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidateCollected validates one valid payload against its
// collected schema, as a collector would: a payload of the catalog's
// scenario with the most items.
func BenchmarkValidateCollected(b *testing.B) {
	sets := loadGenerated(b)
	set := sets["catalog"]
	var s *model.Scenario
	items := 0
	for _, sc := range set.catalog.Scenarios() {
		n := 0
		sc.Walk(func(*model.Field) bool { n++; return true })
		if n > items {
			s, items = sc, n
		}
	}
	if s == nil {
		b.Fatal("the catalog has no item")
	}
	var entry IndexScenario
	for _, e := range set.index.Scenarios {
		if e.ID == s.ID {
			entry = e
		}
	}
	v, err := sharedValidator()
	if err != nil {
		b.Fatal(err)
	}
	g := newFaker(1, s)
	var payload []byte
	for payload == nil {
		p, _ := g.payload(s, 2)
		if ok, _, _ := verdict(v, s.Message, p); ok {
			payload = p
		}
	}
	schema := set.schemas[entry.Collected]
	b.ReportAllocs()
	for b.Loop() {
		if ok, why := validates(schema, payload); !ok {
			b.Fatal(why)
		}
	}
}
