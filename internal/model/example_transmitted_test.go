package model_test

import (
	"context"
	"fmt"
	"log"

	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protoload"
)

// ExampleScenario_Transmitted lists what the Light Agent sends when
// following a link from its interface under the EULA: each item with the
// redaction it gets before it leaves the computer.
func ExampleScenario_Transmitted() {
	compiled, err := protoload.CompileCatalog(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	c, err := model.FromFileDescriptorSet(compiled.Set)
	if err != nil {
		log.Fatal(err)
	}
	s, ok := c.Scenario("ksvla.links")
	if !ok {
		log.Fatal("no scenario ksvla.links")
	}
	eula, err := s.Product.Agreements.Consent("EULA")
	if err != nil {
		log.Fatal(err)
	}
	for _, sent := range s.Transmitted(eula) {
		fmt.Printf("%s: %s\n", sent.Field.Path, impl.DescribeRedaction(sent.Redaction))
	}
	// Output:
	// application_type: keep
	// version: generalize_version(2)
	// interface_language: keep
	// web_page_id: keep
	// detected_threat_hash: keep
	// detected_threat_name: keep
}
