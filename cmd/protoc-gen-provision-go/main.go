// Command protoc-gen-provision-go is a protoc plugin that writes, beside
// protoc-gen-go's output, the consent gating, redaction, validation, safe
// logging and metadata of every data-provision scenario. See package
// internal/gen/golang.
package main

import (
	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/types/pluginpb"

	"github.com/provisionhq/provision/internal/gen/golang"
)

func main() {
	protogen.Options{}.Run(func(p *protogen.Plugin) error {
		p.SupportedFeatures = uint64(pluginpb.CodeGeneratorResponse_FEATURE_PROTO3_OPTIONAL)
		return golang.Generate(p)
	})
}
