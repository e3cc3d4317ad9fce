// Command protoc-gen-provision-jsonschema is a protoc/buf plugin that
// writes the JSON Schema of every scenario of the catalog, as collected
// and as transmitted under each consent level, and an index.json mapping
// scenarios and consents to files. The parameter base_uri=URI sets the
// prefix of the schemas' $id. `provision generate` runs the same code in
// process (internal/plugins).
package main

import "github.com/provisionhq/provision/internal/plugins"

func main() { plugins.JSONSchema.Main() }
