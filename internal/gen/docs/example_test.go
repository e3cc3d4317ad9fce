package docs_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protoload"
)

// ExampleGenerate renders the repository's catalog in English only (no
// translations) and shows the files of the site and a line of a page.
func ExampleGenerate() {
	cat, err := protoload.CompileCatalog(context.Background())
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
		if f.Name == "en/ksvla_global.md" {
			for line := range strings.Lines(string(f.Content)) {
				if strings.Contains(line, "Unique ID of the Kaspersky Security installation |") {
					fmt.Print(line)
					break
				}
			}
		}
	}
	// Output:
	// | Unique ID of the Kaspersky Security installation | pseudonymous identifier | sent as a keyed hash (HMAC-SHA256, key “installation”), so records still link but the value cannot be read back | identifier | verification of the legitimacy of use |
	// site/en/consumer-non-eu_non-eu.html
	// site/en/index.html
	// site/en/kess_eu.html
	// site/en/ksvla_global.html
	// site/index.html
	// site/style.css
}
