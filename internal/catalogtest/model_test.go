package catalogtest_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
)

// TestModelCoversTheCatalog checks that the model accepts the fictional
// catalog as the catalog declares it — its product, its own agreements
// and their consent levels — and that the catalog still exercises every
// feature this package's tests rely on, so an edit of the fixture cannot
// quietly make them weaker.
func TestModelCoversTheCatalog(t *testing.T) {
	t.Parallel()
	c := load(t, catalogV1).catalog
	if len(c.Products) != 1 || c.Products[0].ID != "acme-notes" {
		t.Fatalf("products = %v, want acme-notes only", c.Products)
	}
	p := c.Products[0]
	if got, want := p.Agreements.IDs(), []string{"TERMS_OF_SERVICE", "CRASH_REPORTS", "USAGE_ANALYTICS"}; !slices.Equal(got, want) {
		t.Errorf("agreements = %v, want %v", got, want)
	}
	var levels []string
	for _, l := range p.ConsentLevels() {
		levels = append(levels, l.String())
	}
	wantLevels := []string{"[]", "[TERMS_OF_SERVICE]", "[TERMS_OF_SERVICE CRASH_REPORTS]",
		"[TERMS_OF_SERVICE USAGE_ANALYTICS]", "[TERMS_OF_SERVICE CRASH_REPORTS USAGE_ANALYTICS]"}
	if diff := cmp.Diff(wantLevels, levels); diff != "" {
		t.Errorf("consent levels (-want +got):\n%s", diff)
	}
	if p.Policy == nil || p.Policy.Options.GetOrganisation() != "Acme Telemetry Ltd" {
		t.Errorf("policy = %v, want Acme Telemetry Ltd's", p.Policy)
	}

	var fields []*model.Field
	for _, s := range c.Scenarios() {
		s.Walk(func(f *model.Field) bool {
			fields = append(fields, f)
			return true
		})
	}
	strategy := func(k impl.StrategyKind) func(f *model.Field) bool {
		return func(f *model.Field) bool { return impl.StrategyKindOf(f.Redaction()) == k }
	}
	tests := []struct {
		feature string
		has     func(f *model.Field) bool
	}{
		{"a nested message field", func(f *model.Field) bool { return f.IsMessage() && !f.Desc.IsList() }},
		{"a repeated field", func(f *model.Field) bool { return f.Desc.IsList() }},
		{"a field of a oneof", func(f *model.Field) bool { return f.Desc.ContainingOneof() != nil }},
		{"an identifier sent as a keyed hash", func(f *model.Field) bool {
			return strategy(impl.StrategyHMAC)(f) && f.Category().String() == "CATEGORY_IDENTIFIER"
		}},
		{"an identifier sent as a keyed hash with a key of its own", func(f *model.Field) bool {
			return strategy(impl.StrategyHMAC)(f) && f.Redaction().GetHmac().GetKeyId() != "acme-device"
		}},
		{"a sanitised web address", strategy(impl.StrategyURLSanitize)},
		{"a web address with the values of secrets removed from its query", func(f *model.Field) bool {
			return len(f.Redaction().GetUrlSanitize().GetRedactQuery()) > 0
		}},
		{"a number rounded down to a bucket", strategy(impl.StrategyBucket)},
		{"a timestamp", func(f *model.Field) bool {
			return f.Desc.Message() != nil && f.Desc.Message().FullName() == "google.protobuf.Timestamp"
		}},
		{"a repeated scalar field that can be sent", func(f *model.Field) bool {
			return f.Desc.IsList() && !f.IsMessage() && f.Requires() != impl.AgreementNone
		}},
		{"a truncated IP address", strategy(impl.StrategyIPTruncate)},
		{"a redaction overridden under a stronger agreement", func(f *model.Field) bool { return len(f.Item.GetRedactionUnder()) > 0 }},
		{"a field never sent", func(f *model.Field) bool { return f.Requires() == impl.AgreementNone }},
		{"a field that requires a stronger agreement than its scenario", func(f *model.Field) bool {
			return f.Requires() != f.Scenario.Agreement && f.Requires() != impl.AgreementNone
		}},
	}
	for _, tt := range tests {
		if !slices.ContainsFunc(fields, tt.has) {
			t.Errorf("the catalog has no %s", tt.feature)
		}
	}
	local := slices.ContainsFunc(c.Scenarios(), func(s *model.Scenario) bool { return s.Local() })
	if !local {
		t.Error("the catalog has no local-only scenario")
	}
}

// TestModelFindings breaks copies of the fictional catalog and checks that
// the model refuses each with a finding that speaks of the catalog's own
// agreements and names nothing of the repository's catalog.
func TestModelFindings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		file     string
		old, new string
		rule     model.Rule
		want     []string // in the finding's message
	}{
		{
			name: "undeclared agreement", file: "acme/notes/v1/sync.proto",
			old: `requires: "TERMS_OF_SERVICE"
      redaction: {
        ip_truncate: {}`,
			new: `requires: "EULA"
      redaction: {
        ip_truncate: {}`,
			rule: model.RuleAgreementUnknown,
			want: []string{`"EULA"`, "TERMS_OF_SERVICE, CRASH_REPORTS, USAGE_ANALYTICS"},
		},
		{
			name: "field weaker than its scenario", file: "acme/notes/v1/crash_report.proto",
			old: `requires: "CRASH_REPORTS"
      redaction: {
        keep: {}
      }
      example: "4.2.17"`,
			new: `requires: "USAGE_ANALYTICS"
      redaction: {
        keep: {}
      }
      example: "4.2.17"`,
			rule: model.RuleAgreementWeaker,
			want: []string{"USAGE_ANALYTICS", "CRASH_REPORTS"},
		},
		{
			name: "implication without provenance", file: "acme/notes/v1/product.proto",
			old:  `implies_basis: {assessment: "The choices page does not say so. The maintainers assess that only an account holder, who has accepted the Terms of Service, can turn crash reporting on."}`,
			new:  ``,
			rule: model.RuleProvenanceMissing,
			want: []string{`agreement "CRASH_REPORTS" implies says not where it comes from`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := compileDir(t.Context(), copyWith(t, tt.file, tt.old, tt.new))
			var diags model.Diagnostics
			if !errors.As(err, &diags) {
				t.Fatalf("model error = %v, want findings", err)
			}
			i := slices.IndexFunc(diags, func(d model.Diagnostic) bool { return d.Rule == tt.rule })
			if i < 0 {
				t.Fatalf("findings %v, want one of rule %s", diags, tt.rule)
			}
			for _, w := range tt.want {
				if !strings.Contains(diags[i].Message, w) {
					t.Errorf("finding %q, want it to say %q", diags[i].Message, w)
				}
			}
			texts := map[string]string{}
			for j, d := range diags {
				texts[fmt.Sprintf("finding %d", j)] = d.Error()
			}
			checkOutput(t, "model", texts)
		})
	}
}
