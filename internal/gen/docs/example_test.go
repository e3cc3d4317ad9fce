package docs_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protoload"
)

// ExampleGenerate renders the fictional Acme catalog in English only (no
// translations) and shows the files of the site and the row of a page's
// table that says what each consent level sends of one item.
func ExampleGenerate() {
	cat, err := protoload.CompileTree(context.Background(), protoload.Acme)
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := model.FromFileDescriptorSet(cat.Set)
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := docs.Generate(c, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range out {
		if strings.HasPrefix(f.Name, docs.SiteDir+"/") {
			fmt.Println(f.Name)
		}
		if f.Name == docs.MarkdownPath(docs.SourceLanguage, c.Products[0]) {
			for line := range strings.Lines(string(f.Content)) {
				if strings.HasPrefix(line, "| Device identifier |") {
					fmt.Print(line)
					break
				}
			}
		}
	}
	// Output:
	// | Device identifier | pseudonymous identifier | keyed hash (key “acme-device”) | keyed hash (key “acme-device”) |
	// site/en/acme-notes_eu.html
	// site/en/index.html
	// site/en/policy-acme.html
	// site/index.html
	// site/style.css
}
