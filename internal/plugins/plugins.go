// Package plugins holds this module's protoc plugins as values, so that a
// plugin's command and `provision generate` run the same code: each
// command's main is Plugin.Main, which reads a CodeGeneratorRequest on
// standard input as protoc and buf send it, and generate calls
// Plugin.Generate in process on a request it builds from the buf image it
// has already compiled, with no plugin process to build, start or feed.
package plugins

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"

	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/types/pluginpb"

	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/gen/golang"
	"github.com/provisionhq/provision/internal/gen/jsonschema"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/versions"
)

// Plugin is one protoc plugin of this module.
type Plugin struct {
	// Name is the plugin's command, as in cmd/<Name>.
	Name string
	// setup returns, for one request, the parser of the plugin's
	// parameters (nil for a plugin that reads them itself) and the
	// function that generates. dir is the directory the plugin's relative
	// paths (i18n=, root=) are read from: the working directory of a
	// plugin process, the repository root in generate.
	setup func(dir string) (*flag.FlagSet, func(*protogen.Plugin) error)
}

// All returns this module's protoc plugins.
func All() []Plugin { return []Plugin{Go, Docs, JSONSchema} }

// ByName returns the plugin whose command is cmd/<name>.
func ByName(name string) (Plugin, bool) {
	for _, p := range All() {
		if p.Name == name {
			return p, true
		}
	}
	return Plugin{}, false
}

// Main runs p as a protoc plugin process: the request on standard input,
// the response on standard output, relative paths read from the working
// directory.
func (p Plugin) Main() {
	fs, run := p.setup(".")
	opts := protogen.Options{}
	if fs != nil {
		opts.ParamFunc = fs.Set
	}
	opts.Run(run)
}

// Generate runs p on req in process, as Main would on the same request
// with dir as its working directory, and returns the response. A failure
// of the generator itself is the response's error, as a plugin process
// reports it; err is a request the plugin cannot take (a bad parameter).
func (p Plugin) Generate(req *pluginpb.CodeGeneratorRequest, dir string) (*pluginpb.CodeGeneratorResponse, error) {
	fs, run := p.setup(dir)
	opts := protogen.Options{}
	if fs != nil {
		opts.ParamFunc = fs.Set
	}
	gen, err := opts.New(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.Name, err)
	}
	if err := run(gen); err != nil {
		gen.Error(err)
	}
	return gen.Response(), nil
}

// Go is protoc-gen-provision-go (internal/gen/golang). Its parameter
// types=true also writes protoc-gen-go's .pb.go files.
var Go = Plugin{
	Name: "protoc-gen-provision-go",
	setup: func(string) (*flag.FlagSet, func(*protogen.Plugin) error) {
		var o golang.Options
		fs := flag.NewFlagSet("protoc-gen-provision-go", flag.ContinueOnError)
		fs.BoolVar(&o.Types, "types", false, "also write protoc-gen-go's .pb.go files, with each data item's classification in its field's doc comment")
		return fs, func(p *protogen.Plugin) error {
			p.SupportedFeatures = uint64(pluginpb.CodeGeneratorResponse_FEATURE_PROTO3_OPTIONAL)
			return o.Generate(p)
		}
	},
}

// JSONSchema is protoc-gen-provision-jsonschema (internal/gen/jsonschema),
// which reads its parameter itself.
var JSONSchema = Plugin{
	Name: "protoc-gen-provision-jsonschema",
	setup: func(string) (*flag.FlagSet, func(*protogen.Plugin) error) {
		return nil, jsonschema.Run
	},
}

// Docs is protoc-gen-provision-docs (internal/gen/docs): the disclosure
// pages, with translations (i18n=DIR) and the changelogs of the earlier
// versions a manifest lists (versions=FILE, relative to root=DIR).
var Docs = Plugin{
	Name: "protoc-gen-provision-docs",
	setup: func(dir string) (*flag.FlagSet, func(*protogen.Plugin) error) {
		var o docsOptions
		fs := flag.NewFlagSet("protoc-gen-provision-docs", flag.ContinueOnError)
		fs.StringVar(&o.i18n, "i18n", "i18n", "directory of translation files; empty for English only")
		fs.StringVar(&o.root, "root", ".", "repository root")
		fs.StringVar(&o.versions, "versions", "", "versions manifest, relative to root")
		return fs, func(p *protogen.Plugin) error { return o.run(p, dir) }
	},
}

// docsOptions are the parameters of the docs plugin.
type docsOptions struct {
	i18n     string // directory of translation files
	root     string // repository root
	versions string // versions manifest, relative to root
}

// run generates the pages of the request's catalog with the translations
// and earlier versions o points to, relative paths read from dir.
func (o *docsOptions) run(p *protogen.Plugin, dir string) error {
	var translations []*docs.Translation
	if o.i18n != "" {
		var err error
		if translations, err = docs.ReadTranslations(under(dir, o.i18n)); err != nil {
			return err
		}
	}
	c, err := model.FromPlugin(p)
	if err != nil {
		return err
	}
	changelogs, err := versions.Changelogs(context.Background(), under(dir, o.root), o.versions, c)
	if err != nil {
		return err
	}
	files, err := docs.Generate(c, translations, docsChangelogs(changelogs)...)
	if err != nil {
		return err
	}
	for _, f := range files {
		if _, err := p.NewGeneratedFile(f.Name, "").Write(f.Content); err != nil {
			return fmt.Errorf("write %s: %w", f.Name, err)
		}
	}
	return nil
}

// under returns path read from dir: path itself when it is absolute or dir
// is the working directory.
func under(dir, path string) string {
	if dir == "." || filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(dir, path)
}

// docsChangelogs returns the changelogs as the docs generator takes them.
func docsChangelogs(cls []versions.Changelog) []docs.Changelog {
	out := make([]docs.Changelog, len(cls))
	for i, cl := range cls {
		out[i] = docs.Changelog{Product: cl.Product, Slug: cl.Slug(), From: cl.From.Version,
			Example: cl.From.Example, Report: cl.Report}
		if cl.To != nil {
			out[i].To = cl.To.Version
		}
	}
	return out
}
