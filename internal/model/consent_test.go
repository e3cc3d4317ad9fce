package model_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
)

// consent is the consent of the Light Agent's agreements as.
func consent(t *testing.T, c *model.Catalog, as ...string) impl.Consent {
	t.Helper()
	p, ok := c.Product("ksvla")
	if !ok {
		t.Fatal("no product ksvla")
	}
	cs, err := p.Agreements.Consent(as...)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestFieldUnder(t *testing.T) {
	t.Parallel()
	const (
		eula     = "EULA"
		code     = "ACTIVATION_CODE"
		standard = "KSN_STANDARD"
		extended = "KSN_EXTENDED"
	)
	c := loadCatalog(t)
	find := func(scenario, path string) *model.Field {
		s, _ := c.Scenario(scenario)
		var out *model.Field
		s.Walk(func(f *model.Field) bool {
			if f.Path == path {
				out = f
			}
			return out == nil
		})
		if out == nil {
			t.Fatalf("no %s %s", scenario, path)
		}
		return out
	}
	tests := []struct {
		scenario, path string
		consent        []string
		want           string // "" when not sent
	}{
		{"ksvla.ksn-standard", "web_reputation.scanned_url", nil, ""},
		{"ksvla.ksn-standard", "web_reputation.scanned_url", []string{eula}, ""},
		{"ksvla.ksn-standard", "web_reputation.scanned_url", []string{standard}, "url_sanitize(drop query)"},
		{"ksvla.ksn-standard", "web_reputation.scanned_url", []string{extended}, "url_sanitize()"},
		{"ksvla.ksn-extended", "files", []string{standard}, ""},
		{"ksvla.ksn-extended", "files", []string{extended}, "keep"},
		{"ksvla.update", "installation_id", []string{eula}, "hmac(key=installation)"},
		{"ksvla.update", "installation_id", []string{extended}, "hmac(key=installation)"},
		{"ksvla.activation", "activation_code", []string{eula, standard}, ""},
		{"ksvla.activation", "activation_code", []string{code}, "keep"},
		{"ksvla.license-statistics", "protected_vm_operating_systems.approximate_vm_count", []string{code}, "bucket(0,1,10,50,100,500,1000,5000)"},
	}
	for _, tt := range tests {
		r, ok := find(tt.scenario, tt.path).Under(consent(t, c, tt.consent...))
		got := ""
		if ok {
			got = model.DescribeRedaction(r)
		}
		if got != tt.want {
			t.Errorf("%s %s under %v = %q, want %q", tt.scenario, tt.path, tt.consent, got, tt.want)
		}
	}
}

func TestTransmitted(t *testing.T) {
	t.Parallel()
	c := loadCatalog(t)
	s, _ := c.Scenario("ksvla.ksn-standard")
	var none, standard []string
	for _, sent := range s.Transmitted(consent(t, c, "EULA")) {
		none = append(none, sent.Field.Path)
	}
	for _, sent := range s.Transmitted(consent(t, c, "KSN_STANDARD")) {
		standard = append(standard, sent.Field.Path)
	}
	if len(none) != 0 {
		t.Errorf("KSN items sent under the EULA alone: %v", none)
	}
	if len(standard) != len(seedItems["ksvla.ksn-standard"]) {
		t.Errorf("under KSN standard %d items sent, want all %d", len(standard), len(seedItems["ksvla.ksn-standard"]))
	}
}

// TestConsentLevels checks that every product's consent levels are the
// closures of its own declared agreements, fewest first, with no other
// product's agreement among them.
func TestConsentLevels(t *testing.T) {
	t.Parallel()
	for _, p := range loadCatalog(t).Products {
		levels := p.ConsentLevels()
		if len(levels) == 0 || len(levels[0].Agreements()) != 0 {
			t.Errorf("%s: first level %v, want the empty consent", p.ID, levels)
		}
		declared := p.Agreements.IDs()
		for i, c := range levels {
			if c.Of() != p.Agreements && len(c.Agreements()) > 0 {
				t.Errorf("%s: level %v is not of the product's agreements", p.ID, c)
			}
			for _, a := range c.Agreements() {
				if !slices.Contains(declared, a) {
					t.Errorf("%s: level %v holds %s, which the product does not declare", p.ID, c, a)
				}
			}
			if i > 0 && len(c.Agreements()) < len(levels[i-1].Agreements()) {
				t.Errorf("%s: levels not ordered by size: %v before %v", p.ID, levels[i-1], c)
			}
		}
		if last := levels[len(levels)-1]; len(last.Agreements()) != len(declared) {
			t.Errorf("%s: last level %v, want all of %v", p.ID, last, declared)
		}
	}
	ksvla, _ := loadCatalog(t).Product("ksvla")
	var got []string
	for _, c := range ksvla.ConsentLevels() {
		got = append(got, c.String())
	}
	want := []string{
		"[]",
		"[EULA]",
		"[EULA ACTIVATION_CODE]",
		"[EULA KSN_STANDARD]",
		"[EULA ACTIVATION_CODE KSN_STANDARD]",
		"[EULA KSN_STANDARD KSN_EXTENDED]",
		"[EULA ACTIVATION_CODE KSN_STANDARD KSN_EXTENDED]",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ksvla ConsentLevels (-want +got):\n%s", diff)
	}
}
