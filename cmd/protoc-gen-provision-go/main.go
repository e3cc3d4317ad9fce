// Command protoc-gen-provision-go is a protoc plugin that writes, beside
// protoc-gen-go's output, the consent gating, redaction, validation, safe
// logging and metadata of every data-provision scenario, and each
// product's package comment. See package internal/gen/golang.
//
// Options:
//
//	types=true  also write protoc-gen-go's .pb.go files, by protoc-gen-go's
//	            own generator run in this process (at the version of
//	            google.golang.org/protobuf this module links), with each
//	            data item's classification in the doc comment of its Go
//	            field, so that go doc shows it; a template that sets it
//	            runs no protoc-gen-go of its own for the same files.
//	            Default: false.
package main

import (
	"flag"

	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/types/pluginpb"

	"github.com/provisionhq/provision/internal/gen/golang"
)

func main() {
	var o golang.Options
	var fs flag.FlagSet
	fs.BoolVar(&o.Types, "types", false, "also write protoc-gen-go's .pb.go files, with each data item's classification in its field's doc comment")
	protogen.Options{ParamFunc: fs.Set}.Run(func(p *protogen.Plugin) error {
		p.SupportedFeatures = uint64(pluginpb.CodeGeneratorResponse_FEATURE_PROTO3_OPTIONAL)
		return o.Generate(p)
	})
}
