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
//
// `provision generate` runs the same code in process (internal/plugins).
package main

import "github.com/provisionhq/provision/internal/plugins"

func main() { plugins.Go.Main() }
