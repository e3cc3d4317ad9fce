package model_test

import (
	"context"
	"fmt"
	"log"

	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protoload"
)

// ExampleScenario_Transmitted lists what the fictional Acme Notes sends
// when it syncs under its terms of service: each item with the redaction
// it gets before it leaves the device. The interface language needs
// usage analytics, so it is not sent.
func ExampleScenario_Transmitted() {
	compiled, err := protoload.CompileTree(context.Background(), protoload.Acme)
	if err != nil {
		log.Fatal(err)
	}
	c, err := model.FromFileDescriptorSet(compiled.Set)
	if err != nil {
		log.Fatal(err)
	}
	s, ok := c.Scenario("acme-notes.sync")
	if !ok {
		log.Fatal("no scenario acme-notes.sync")
	}
	terms, err := s.Product.Agreements.Consent("TERMS_OF_SERVICE")
	if err != nil {
		log.Fatal(err)
	}
	for _, sent := range s.Transmitted(terms) {
		fmt.Printf("%s: %s\n", sent.Field.Path, impl.DescribeRedaction(sent.Redaction))
	}
	// Output:
	// device_id: hmac(key=acme-device)
	// client: keep
	// client.app_version: generalize_version(2)
	// client.platform: keep
	// client_ip: ip_truncate(/24, /48)
}
