// Command protoc-gen-provision-docs is a protoc plugin that writes the
// disclosure pages of the catalog: Markdown and a static HTML site per
// product and region, in English and in every language of the translation
// directory, a data map (JSON) and a GDPR Art. 30 record of processing
// (CSV). The work is done by internal/gen/docs.
//
// Options:
//
//	i18n=DIR  the directory of translations (<language>.json), read
//	          relative to the working directory (buf runs local plugins
//	          from the repository root). Default: i18n. An empty DIR
//	          (i18n=) writes the pages in English only.
//	root=DIR  the repository root, against which the versions manifest
//	          and the directories it lists are read. Default: the working
//	          directory.
//	versions=FILE  the manifest of earlier product versions to write
//	          changelogs for (internal/versions), relative to root.
//	          Default: none.
package main

import (
	"context"
	"flag"
	"fmt"

	"google.golang.org/protobuf/compiler/protogen"

	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/versions"
)

func main() {
	var o options
	protogen.Options{ParamFunc: o.flags().Set}.Run(o.run)
}

// options are the plugin's parameters.
type options struct {
	i18n     string // directory of translation files
	root     string // repository root
	versions string // versions manifest, relative to root
}

// flags parses the plugin's parameters into o.
func (o *options) flags() *flag.FlagSet {
	var fs flag.FlagSet
	fs.StringVar(&o.i18n, "i18n", "i18n", "directory of translation files; empty for English only")
	fs.StringVar(&o.root, "root", ".", "repository root")
	fs.StringVar(&o.versions, "versions", "", "versions manifest, relative to root")
	return &fs
}

// run generates the files of the request with the translations and
// earlier versions o points to.
func (o *options) run(p *protogen.Plugin) error {
	var translations []*docs.Translation
	if o.i18n != "" {
		var err error
		if translations, err = docs.ReadTranslations(o.i18n); err != nil {
			return err
		}
	}
	return generate(p, translations, o.root, o.versions)
}

// generate writes the pages of the request's catalog and the changelogs
// of the earlier versions the manifest at root/manifest lists.
func generate(p *protogen.Plugin, translations []*docs.Translation, root, manifest string) error {
	c, err := model.FromPlugin(p)
	if err != nil {
		return err
	}
	changelogs, err := versions.Changelogs(context.Background(), root, manifest, c)
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
