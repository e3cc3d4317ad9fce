package versions_test

import (
	"context"
	"fmt"
	"log"
	"path/filepath"

	"github.com/provisionhq/provision/internal/catalogref"
	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/versions"
)

// ExampleChangelogs compares each earlier version the repository lists
// with the current catalog and counts the changes that give less privacy.
func ExampleChangelogs() {
	ctx := context.Background()
	root, err := layout.FindRoot(".")
	if err != nil {
		log.Fatal(err)
	}
	current, err := catalogref.Load(ctx, root, filepath.Join(root, "proto"))
	if err != nil {
		log.Fatal(err)
	}
	changelogs, err := versions.Changelogs(ctx, root, versions.ManifestPath, current)
	if err != nil {
		log.Fatal(err)
	}
	for _, cl := range changelogs {
		weaker := 0
		for _, c := range cl.Report.Changes {
			if c.Weaker {
				weaker++
			}
		}
		fmt.Printf("%s: %s → %s, %d changes, %d give less privacy\n",
			cl.Slug(), cl.Report.Old, cl.Report.New, len(cl.Report.Changes), weaker)
	}
	// Output:
	// ksvla-6.1-to-current: 6.1 (example) → current catalog, 8 changes, 5 give less privacy
}
