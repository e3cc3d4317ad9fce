package docs_test

import (
	"strings"
	"testing"

	"github.com/provisionhq/provision/internal/model"
)

// TestPagesListAgreements checks that every product page, in every
// language, lists each agreement its product declares under its own
// anchor, and marks each implication and legal basis that is the
// maintainers' assessment as theirs: a reader must tell the source's word
// from the catalog maintainers'.
func TestPagesListAgreements(t *testing.T) {
	t.Parallel()
	files := generate(t)
	c := loadCatalog(t)
	marks := map[string]string{"en": "the maintainers' assessment", "de": "Einschätzung der Betreuer des Katalogs"}
	for _, p := range c.Products {
		for lang, mark := range marks {
			name := lang + "/" + pageFile(p)
			page := string(files[name])
			if page == "" {
				t.Fatalf("no page %s", name)
			}
			start := strings.Index(page, `<a id="agreements">`)
			if start < 0 {
				t.Fatalf("%s has no agreements section", name)
			}
			_, body, _ := strings.Cut(page[start:], "\n## ") // past the section's own heading
			section, _, _ := strings.Cut(body, "\n## ")
			for _, d := range p.Options.GetAgreements() {
				anchor := `<a id="agreement-` + strings.ToLower(strings.ReplaceAll(d.GetId(), "_", "-")) + `">`
				if !strings.Contains(section, anchor) {
					t.Errorf("%s: agreement %s has no anchor %s", name, d.GetId(), anchor)
				}
			}
			assessments := 0
			for _, d := range p.Options.GetAgreements() {
				if d.GetImpliesBasis().GetAssessment() != "" {
					assessments++
				}
				if d.GetLegalBasisBasis().GetAssessment() != "" {
					assessments++
				}
				if d.GetOrigin().GetAssessment() != "" {
					assessments++
				}
			}
			if got := strings.Count(section, mark); got != assessments {
				t.Errorf("%s: %d statements marked %q, want the %d assessments the declarations hold", name, got, mark, assessments)
			}
		}
	}
}

// pageFile is the Markdown file of product p's page.
func pageFile(p *model.Product) string {
	return p.ID + "_" + strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(p.Options.GetRegion().String(), "REGION_")), "_", "-") + ".md"
}
