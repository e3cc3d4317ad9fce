package review_test

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/provisionhq/provision/internal/catalogref"
	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/review"
)

// ExampleMake makes the review request from version 1.0 of the fictional
// Acme catalog to 2.0, and lists what the reviewer is asked to judge: the
// changes, and what the lifecycle sections flag.
func ExampleMake() {
	ctx := context.Background()
	root, err := layout.FindRoot(".")
	if err != nil {
		fmt.Println(err)
		return
	}
	base, err := catalogref.Load(ctx, root, filepath.Join(root, "testdata", "catalogs", "acme"))
	if err != nil {
		fmt.Println(err)
		return
	}
	head, err := catalogref.Load(ctx, root, filepath.Join(root, "testdata", "catalogs", "acme-v2"))
	if err != nil {
		fmt.Println(err)
		return
	}
	r := review.Make(base, head)
	for _, s := range r.Sections {
		for _, p := range s.Products {
			for _, sc := range p.Scenarios {
				for _, it := range sc.Items {
					if s.ID != "changes" {
						fmt.Printf("%s: %s: %s\n", s.Title, sc.ID, it.Change)
						continue
					}
					fmt.Printf("%s %s: %s; agreement %s → %s (%s)\n", sc.ID, it.Field, it.Rule, it.Agreement.Before, it.Agreement.After, it.Acknowledgement.State)
				}
			}
		}
	}
	fmt.Println("open:", r.Open)
	// Output:
	// acme-notes.sync client.locale: FIELD_AGREEMENT_WEAKENED; agreement Acme usage analytics (opt-in) (USAGE_ANALYTICS) → Acme Notes Terms of Service (TERMS_OF_SERVICE) (not acknowledged)
	// Owners and reviews: acme-notes.sync: 1 change to review in this scenario, and no review recorded since the base.
	// open: 1
}
