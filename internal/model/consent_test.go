package model_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protoload"
)

// The agreements of the fictional Acme catalog: both opt-ins imply the
// terms of service.
const (
	terms     = "TERMS_OF_SERVICE"
	crash     = "CRASH_REPORTS"
	analytics = "USAGE_ANALYTICS"
)

// consent is the consent of product p's agreements as.
func consent(t *testing.T, p *model.Product, as ...string) impl.Consent {
	t.Helper()
	cs, err := p.Agreements.Consent(as...)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// findField returns the field at path of scenario id of c.
func findField(t testing.TB, c *model.Catalog, id, path string) *model.Field {
	t.Helper()
	s, ok := c.Scenario(id)
	if !ok {
		t.Fatalf("no scenario %s", id)
	}
	var out *model.Field
	s.Walk(func(f *model.Field) bool {
		if f.Path == path {
			out = f
		}
		return out == nil
	})
	if out == nil {
		t.Fatalf("no %s %s", id, path)
	}
	return out
}

// TestFieldUnder checks the redaction a field gets under a consent, or
// that it is not sent: an agreement the field requires, one that implies
// it, a stronger agreement that overrides the redaction, a nested field,
// a field of a oneof, a field of a list of messages and a field never
// sent.
func TestFieldUnder(t *testing.T) {
	t.Parallel()
	c := loadAcme(t)
	tests := []struct {
		scenario, path string
		consent        []string
		want           string // "" when not sent
	}{
		{"acme-notes.sync", "device_id", nil, ""},
		{"acme-notes.sync", "device_id", []string{terms}, "hmac(key=acme-device)"},
		{"acme-notes.sync", "device_id", []string{crash}, "hmac(key=acme-device)"},
		{"acme-notes.sync", "client_ip", []string{terms}, "ip_truncate(/24, /48)"},
		{"acme-notes.sync", "client.app_version", []string{terms}, "generalize_version(2)"},
		{"acme-notes.sync", "client.app_version", []string{crash}, "generalize_version(2)"},
		{"acme-notes.sync", "client.app_version", []string{analytics}, "keep"},
		{"acme-notes.sync", "client.locale", []string{terms, crash}, ""},
		{"acme-notes.sync", "client.locale", []string{analytics}, "keep"},
		{"acme-notes.crash-report", "page_url", []string{terms, analytics}, ""},
		{"acme-notes.crash-report", "page_url", []string{crash}, "url_sanitize(drop query)"},
		{"acme-notes.crash-report", "frames.line", []string{crash}, "keep"},
		{"acme-notes.usage", "help_page_url", []string{analytics}, "url_sanitize(redact token)"},
		{"acme-notes.usage", "features.times_used", []string{crash}, ""},
		{"acme-notes.usage", "features.times_used", []string{analytics}, "bucket(0,1,10,100,1000)"},
		{"acme-notes.local-drafts", "draft_titles", []string{terms, crash, analytics}, ""},
	}
	for _, tt := range tests {
		f := findField(t, c, tt.scenario, tt.path)
		r, ok := f.Under(consent(t, f.Scenario.Product, tt.consent...))
		got := ""
		if ok {
			got = model.DescribeRedaction(r)
		}
		if got != tt.want {
			t.Errorf("%s %s under %v = %q, want %q", tt.scenario, tt.path, tt.consent, got, tt.want)
		}
	}
}

// TestTransmitted checks what a scenario sends: nothing under an
// agreement that is not its own, every item under its own.
func TestTransmitted(t *testing.T) {
	t.Parallel()
	s, ok := loadAcme(t).Scenario("acme-notes.crash-report")
	if !ok {
		t.Fatal("no scenario acme-notes.crash-report")
	}
	sent := func(as ...string) []string {
		var out []string
		for _, x := range s.Transmitted(consent(t, s.Product, as...)) {
			out = append(out, x.Field.Path)
		}
		return out
	}
	var all []string
	s.Walk(func(f *model.Field) bool {
		all = append(all, f.Path)
		return true
	})
	if got := sent(terms, analytics); len(got) != 0 {
		t.Errorf("crash report items sent without crash reports: %v", got)
	}
	if diff := cmp.Diff(all, sent(crash)); diff != "" {
		t.Errorf("sent with crash reports (-every item +sent):\n%s", diff)
	}
}

// TestConsentLevels checks that a product's consent levels are the
// closures of its own declared agreements, fewest first, with no other
// product's agreement among them: on the fictional catalog and on a
// fixture whose agreements imply one another in a chain.
func TestConsentLevels(t *testing.T) {
	t.Parallel()
	set, err := protoload.CompileFixture(t.Context(), "testdata", "policy.proto", "agreements.proto")
	if err != nil {
		t.Fatal(err)
	}
	chain, err := model.FromFileDescriptorSet(set)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		catalog *model.Catalog
		product string
		want    []string
	}{
		{loadAcme(t), "acme-notes", []string{
			"[]",
			"[TERMS_OF_SERVICE]",
			"[TERMS_OF_SERVICE CRASH_REPORTS]",
			"[TERMS_OF_SERVICE USAGE_ANALYTICS]",
			"[TERMS_OF_SERVICE CRASH_REPORTS USAGE_ANALYTICS]",
		}},
		{chain, "agreements", []string{
			"[]",
			"[LICENSE]",
			"[LICENSE ACTIVATION]",
			"[LICENSE CLOUD_STANDARD]",
			"[LICENSE ACTIVATION CLOUD_STANDARD]",
			"[LICENSE CLOUD_STANDARD CLOUD_EXTENDED]",
			"[LICENSE ACTIVATION CLOUD_STANDARD CLOUD_EXTENDED]",
		}},
	}
	for _, tt := range tests {
		p, ok := tt.catalog.Product(tt.product)
		if !ok {
			t.Fatalf("no product %s", tt.product)
		}
		levels := p.ConsentLevels()
		if len(levels) == 0 || len(levels[0].Agreements()) != 0 {
			t.Errorf("%s: first level %v, want the empty consent", p.ID, levels)
		}
		declared := p.Agreements.IDs()
		var got []string
		for i, c := range levels {
			got = append(got, c.String())
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
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s ConsentLevels (-want +got):\n%s", p.ID, diff)
		}
	}
}
