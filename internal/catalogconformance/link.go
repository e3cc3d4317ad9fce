package catalogconformance

// The Go generated for every product of the repository's catalog, linked
// into any test binary that imports this package, so that tests find a
// scenario's generated type by its name (protoregistry.GlobalTypes):
// internal/conformance, internal/gen/docs and internal/gen/jsonschema
// import it rather than naming the products themselves. A new product
// adds its package here; TestEveryScenarioLinked says which.
import (
	_ "github.com/provisionhq/provision/gen/go/kaspersky/consumer/v1"
	_ "github.com/provisionhq/provision/gen/go/kaspersky/kess/v1"
	_ "github.com/provisionhq/provision/gen/go/kaspersky/ksvla/v1"
)
