package jsonschema

import "testing"

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
// collected schema, as a collector would.
func BenchmarkValidateCollected(b *testing.B) {
	sets := loadGenerated(b)
	set := sets["catalog"]
	s, ok := set.catalog.Scenario("ksvla.activation")
	if !ok {
		b.Fatal("no ksvla.activation")
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
