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

// ExampleChangelogs compares each earlier version a manifest lists with
// the next version of its product, and the last with the current catalog,
// and counts the changes that give less privacy. The manifest lists three
// versions of the fictional Acme catalog, and the current catalog is its
// last; a repository lists its own (versions.ManifestPath).
func ExampleChangelogs() {
	ctx := context.Background()
	root, err := layout.FindRoot(".")
	if err != nil {
		log.Fatal(err)
	}
	current, err := catalogref.Load(ctx, root, filepath.Join(root, "testdata", "catalogs", "acme-v2"))
	if err != nil {
		log.Fatal(err)
	}
	changelogs, err := versions.Changelogs(ctx, root, "internal/versions/testdata/acme-versions.json", current)
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
	// acme-notes-0.9-to-1.0: 0.9 (example) → 1.0, 8 changes, 5 give less privacy
	// acme-notes-1.0-to-2.0: 1.0 → 2.0, 1 changes, 1 give less privacy
	// acme-notes-2.0-to-current: 2.0 → 2.0 (current), 0 changes, 0 give less privacy
}
