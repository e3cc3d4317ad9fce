package livecheck_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/provisionhq/provision/internal/livecheck"
)

// TestParseConsent reads consents named from the catalog's own
// declarations: every agreement alone, qualified by its product, all
// together, NONE; and refuses a typo, an unknown product and nothing.
func TestParseConsent(t *testing.T) {
	t.Parallel()
	for name, cat := range loadCatalogs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var all []string
			for _, p := range cat.Products {
				for _, id := range p.Agreements.IDs() {
					all = append(all, id)
					for _, spec := range []string{id, p.ID + ":" + id} {
						cs, err := livecheck.ParseConsent(cat, spec)
						if err != nil {
							t.Fatalf("ParseConsent(%q): %v", spec, err)
						}
						if !cs[p.ID].Grants(id) {
							t.Errorf("ParseConsent(%q) does not grant %s to %s", spec, id, p.ID)
						}
						for _, q := range cat.Products {
							if q.ID != p.ID && spec == p.ID+":"+id && len(cs[q.ID].Agreements()) > 0 {
								t.Errorf("ParseConsent(%q) grants %v to %s", spec, cs[q.ID].Agreements(), q.ID)
							}
						}
					}
				}
			}
			cs, err := livecheck.ParseConsent(cat, "NONE")
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range cat.Products {
				if got := cs[p.ID].Agreements(); len(got) > 0 {
					t.Errorf("NONE grants %s %v", p.ID, got)
				}
			}
			spec := ""
			for _, id := range all {
				spec += id + ","
			}
			cs, err = livecheck.ParseConsent(cat, spec)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range cat.Products {
				if !slices.Equal(cs[p.ID].Agreements(), fullConsent(p).Agreements()) {
					t.Errorf("every agreement grants %s %v, want %v", p.ID, cs[p.ID].Agreements(), fullConsent(p).Agreements())
				}
			}
			for _, bad := range []string{"", " ", all[0] + "X", "nosuchproduct:" + all[0], all[0] + ",TYPO"} {
				if _, err := livecheck.ParseConsent(cat, bad); !errors.Is(err, livecheck.ErrConsent) {
					t.Errorf("ParseConsent(%q) = %v, want ErrConsent", bad, err)
				}
			}
		})
	}
}
