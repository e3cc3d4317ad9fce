package model_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionhq/provision"
	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/model"
)

func consent(t *testing.T, as ...provisionv1.Agreement) provision.Consent {
	t.Helper()
	c, err := provision.NewConsent(as...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFieldUnder(t *testing.T) {
	t.Parallel()
	const (
		eula     = provisionv1.Agreement_AGREEMENT_EULA
		code     = provisionv1.Agreement_AGREEMENT_ACTIVATION_CODE
		standard = provisionv1.Agreement_AGREEMENT_KSN_STANDARD
		extended = provisionv1.Agreement_AGREEMENT_KSN_EXTENDED
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
		consent        []provisionv1.Agreement
		want           string // "" when not sent
	}{
		{"ksvla.ksn-standard", "web_reputation.scanned_url", nil, ""},
		{"ksvla.ksn-standard", "web_reputation.scanned_url", []provisionv1.Agreement{eula}, ""},
		{"ksvla.ksn-standard", "web_reputation.scanned_url", []provisionv1.Agreement{standard}, "url_sanitize(drop query)"},
		{"ksvla.ksn-standard", "web_reputation.scanned_url", []provisionv1.Agreement{extended}, "url_sanitize()"},
		{"ksvla.ksn-extended", "files", []provisionv1.Agreement{standard}, ""},
		{"ksvla.ksn-extended", "files", []provisionv1.Agreement{extended}, "keep"},
		{"ksvla.update", "installation_id", []provisionv1.Agreement{eula}, "hmac(key=installation)"},
		{"ksvla.update", "installation_id", []provisionv1.Agreement{extended}, "hmac(key=installation)"},
		{"ksvla.activation", "activation_code", []provisionv1.Agreement{eula, standard}, ""},
		{"ksvla.activation", "activation_code", []provisionv1.Agreement{code}, "keep"},
		{"ksvla.license-statistics", "protected_vm_operating_systems.approximate_vm_count", []provisionv1.Agreement{code}, "bucket(0,1,10,50,100,500,1000,5000)"},
	}
	for _, tt := range tests {
		r, ok := find(tt.scenario, tt.path).Under(consent(t, tt.consent...))
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
	s, _ := loadCatalog(t).Scenario("ksvla.ksn-standard")
	var none, standard []string
	for _, sent := range s.Transmitted(consent(t, provisionv1.Agreement_AGREEMENT_EULA)) {
		none = append(none, sent.Field.Path)
	}
	for _, sent := range s.Transmitted(consent(t, provisionv1.Agreement_AGREEMENT_KSN_STANDARD)) {
		standard = append(standard, sent.Field.Path)
	}
	if len(none) != 0 {
		t.Errorf("KSN items sent under the EULA alone: %v", none)
	}
	if len(standard) != len(seedItems["ksvla.ksn-standard"]) {
		t.Errorf("under KSN standard %d items sent, want all %d", len(standard), len(seedItems["ksvla.ksn-standard"]))
	}
}

func TestConsentLevels(t *testing.T) {
	t.Parallel()
	var got []string
	for _, c := range model.ConsentLevels() {
		got = append(got, c.String())
	}
	want := []string{
		"[]",
		"[AGREEMENT_EULA]",
		"[AGREEMENT_EULA AGREEMENT_ACTIVATION_CODE]",
		"[AGREEMENT_EULA AGREEMENT_KSN_STANDARD]",
		"[AGREEMENT_EULA AGREEMENT_ACTIVATION_CODE AGREEMENT_KSN_STANDARD]",
		"[AGREEMENT_EULA AGREEMENT_KSN_STANDARD AGREEMENT_KSN_EXTENDED]",
		"[AGREEMENT_EULA AGREEMENT_ACTIVATION_CODE AGREEMENT_KSN_STANDARD AGREEMENT_KSN_EXTENDED]",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ConsentLevels (-want +got):\n%s", diff)
	}
}
