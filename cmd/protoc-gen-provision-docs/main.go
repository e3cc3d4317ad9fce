// Command protoc-gen-provision-docs is a protoc plugin that writes the
// disclosure pages of the catalog: Markdown and a static HTML site per
// product and region, in English and in every language of the translation
// directory, a data map (JSON) and a GDPR Art. 30 record of processing
// (CSV). The work is done by internal/gen/docs; `provision generate` runs
// the same code in process (internal/plugins).
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

import "github.com/provisionhq/provision/internal/plugins"

func main() { plugins.Docs.Main() }
