package diff_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionhq/provision/internal/diff"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protoload"
)

// base is a small catalog: a policy, a product, two scenarios. Each case
// of TestCompare edits it.
const base = `syntax = "proto3";

package fixture.d.v1;

import "provision/v1/options.proto";

option (provision.v1.policy) = {
  id: "p"
  organisation: "Fixture Ltd"
  goals: [{id: "PRODUCT_FUNCTIONALITY" label: "Product functionality" basis: {assessment: "Fixture."}}, {id: "PROTECTION_EFFECTIVENESS" label: "Protection" basis: {assessment: "Fixture."}}]
  purposes: [{id: "PRODUCT_FUNCTIONALITY" label: "product functionality" goal: "PRODUCT_FUNCTIONALITY" basis: {assessment: "Fixture."}}, {id: "PROTECTION" label: "protection against threats" goal: "PROTECTION_EFFECTIVENESS" basis: {assessment: "Fixture."}}]
  handling: {
    storage_countries: ["CH"] storage_basis: {assessment: "Fixture."}
    transport: TRANSPORT_ENCRYPTED transport_basis: {assessment: "Fixture."}
    retention: {text: "Kept one year." basis: {assessment: "Fixture."}}
  }
};
option (provision.v1.product) = {
  id: "d"
  name: "Fixture product"
  region: REGION_GLOBAL
  segment: SEGMENT_B2B
  name_basis: {assessment: "Fixture."}
  region_basis: {assessment: "Fixture."}
  segment_basis: {assessment: "Fixture."}
  policy: "p"
  sources: {title: "Fixture source"} agreements: [{id: "EULA" title: "End User License Agreement" short_name: "EULA" origin: {assessment: "Fixture."}}, {id: "ACTIVATION_CODE" title: "Activation with an activation code" implies: ["EULA"] implies_basis: {assessment: "Fixture."} origin: {assessment: "Fixture."}}, {id: "KSN_STANDARD" title: "Cloud statement, standard mode" implies: ["EULA"] implies_basis: {assessment: "Fixture."} origin: {assessment: "Fixture."}}, {id: "KSN_EXTENDED" title: "Cloud statement, extended mode" implies: ["KSN_STANDARD"] implies_basis: {assessment: "Fixture."} origin: {assessment: "Fixture."}}]
};

message Update {
  option (provision.v1.scenario) = {
    id: "d.update"
    title: "When updating"
    trigger: "An update starts."
    trigger_basis: {assessment: "Fixture."}
    agreement: "EULA"
    opt_out: {kind: OPT_OUT_KIND_AVOID_FUNCTION text: "Do not update." basis: {assessment: "Fixture."}}
    purposes: ["PRODUCT_FUNCTIONALITY"]
    purposes_basis: {assessment: "Fixture."}
    recipient: "Fixture Ltd"
    recipient_basis: {assessment: "Fixture."}
    source: {title: "Fixture source"}
  };
  string version = 1 [(provision.v1.field) = {
    label: "Version"
    category: CATEGORY_PRODUCT
    identifiability: IDENTIFIABILITY_ANONYMOUS
    requires: "EULA"
    redaction: {keep: {}}
  }];
  string installation_id = 2 [(provision.v1.field) = {
    label: "Installation ID"
    category: CATEGORY_IDENTIFIER
    identifiability: IDENTIFIABILITY_PSEUDONYMOUS
    requires: "EULA"
    redaction: {hmac: {key_id: "installation"}}
  }];
  string address = 3 [(provision.v1.field) = {
    label: "Address"
    category: CATEGORY_NETWORK
    identifiability: IDENTIFIABILITY_PERSONAL
    requires: "KSN_STANDARD"
    redaction: {ip_truncate: {}}
    redaction_under: {when: "KSN_EXTENDED" redaction: {ip_truncate: {ipv4_prefix: 28}}}
  }];
}

message Report {
  option (provision.v1.scenario) = {
    id: "d.report"
    title: "When reporting"
    trigger: "A threat is found."
    trigger_basis: {assessment: "Fixture."}
    agreement: "KSN_STANDARD"
    opt_out: {kind: OPT_OUT_KIND_DECLINE_AGREEMENT text: "Do not participate." basis: {assessment: "Fixture."}}
    purposes: ["PROTECTION"]
    purposes_basis: {assessment: "Fixture."}
    recipient: "Fixture Ltd"
    recipient_basis: {assessment: "Fixture."}
    source: {title: "Fixture source"}
  };
  string threat = 1 [(provision.v1.field) = {
    label: "Threat name"
    category: CATEGORY_THREAT
    identifiability: IDENTIFIABILITY_ANONYMOUS
    requires: "KSN_STANDARD"
    redaction: {keep: {}}
  }];
}
`

// catalog compiles src as the one file of a catalog.
func catalog(t *testing.T, src string) *model.Catalog {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "d.proto"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	set, err := protoload.CompileFixture(t.Context(), dir, "d.proto")
	if err != nil {
		t.Fatal(err)
	}
	c, err := model.FromFileDescriptorSet(set)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// edit applies old→new replacements, each of which must match once.
func edit(t *testing.T, src string, pairs ...string) string {
	t.Helper()
	for i := 0; i < len(pairs); i += 2 {
		if n := strings.Count(src, pairs[i]); n != 1 {
			t.Fatalf("edit %q matches %d times", pairs[i], n)
		}
		src = strings.Replace(src, pairs[i], pairs[i+1], 1)
	}
	return src
}

// brief is the part of a change a case checks.
type brief struct {
	Kind               diff.Kind
	Scenario, Field    string
	Old, New           string
	Weaker             bool
	Rule, Acknowledged string
	TextHas            string
}

func TestCompare(t *testing.T) {
	t.Parallel()
	ack := func(rule string) string {
		return `acknowledged: {rule: "` + rule + `" reason: "Needed."}`
	}
	tests := []struct {
		name string
		// old and new edit base; empty means base itself.
		old, new []string
		want     []brief
	}{
		{name: "identical"},
		{
			name: "field added",
			new: []string{`  }];
}

message Report`, `  }];
  string language = 4 [(provision.v1.field) = {
    label: "Language"
    category: CATEGORY_PRODUCT
    identifiability: IDENTIFIABILITY_ANONYMOUS
    requires: "EULA"
    redaction: {keep: {}}
  }];
}

message Report`},
			want: []brief{{Kind: diff.FieldAdded, Scenario: "d.update", Field: "language", New: "keep", Weaker: true, Rule: diff.RuleFieldAdded, TextHas: "Now also sends: Language, as it is"}},
		},
		{
			name: "message field added: one finding for the message",
			new: []string{`  }];
}

message Report`, `  }];
  Os os = 4 [(provision.v1.field) = {
    label: "Operating system"
    category: CATEGORY_ENVIRONMENT
    identifiability: IDENTIFIABILITY_ANONYMOUS
    requires: "EULA"
    redaction: {keep: {}}
  }];
}

message Os {
  string name = 1 [(provision.v1.field) = {
    label: "Name"
    category: CATEGORY_ENVIRONMENT
    identifiability: IDENTIFIABILITY_ANONYMOUS
    requires: "EULA"
    redaction: {keep: {}}
  }];
}

message Report`},
			want: []brief{
				{Kind: diff.FieldAdded, Scenario: "d.update", Field: "os", New: "keep", Weaker: true, Rule: diff.RuleFieldAdded},
				{Kind: diff.FieldAdded, Scenario: "d.update", Field: "os.name", New: "keep", Weaker: true},
			},
		},
		{
			name: "field removed",
			new:  []string{"  string version = 1 [", "  reserved 1;\n  string version_gone = 99 ["},
			want: []brief{
				{Kind: diff.FieldAdded, Scenario: "d.update", Field: "version_gone", New: "keep", Weaker: true, Rule: diff.RuleFieldAdded},
				{Kind: diff.FieldRemoved, Scenario: "d.update", Field: "version", TextHas: "No longer sends: Version."},
			},
		},
		{
			name: "agreement weakened from KSN standard to EULA",
			new:  []string{"    requires: \"KSN_STANDARD\"\n    redaction: {ip_truncate: {}}", "    requires: \"EULA\"\n    redaction: {ip_truncate: {}}"},
			want: []brief{{Kind: diff.AgreementChanged, Scenario: "d.update", Field: "address", Old: "KSN_STANDARD", New: "EULA", Weaker: true, Rule: diff.RuleAgreementWeakened, TextHas: "Address is now sent with the End User License Agreement; before, only with"}},
		},
		{
			name: "agreement strengthened is no finding",
			old:  []string{"    requires: \"KSN_STANDARD\"\n    redaction: {ip_truncate: {}}", "    requires: \"EULA\"\n    redaction: {ip_truncate: {}}"},
			want: []brief{{Kind: diff.AgreementChanged, Scenario: "d.update", Field: "address", Old: "EULA", New: "KSN_STANDARD", TextHas: "now sent only with"}},
		},
		{
			name: "hmac to keep",
			new:  []string{`redaction: {hmac: {key_id: "installation"}}`, `redaction: {keep: {}}`},
			want: []brief{{Kind: diff.RedactionChanged, Scenario: "d.update", Field: "installation_id", Old: "hmac(key=installation)", New: "keep", Weaker: true, Rule: diff.RuleRedactionWeakened, TextHas: "Installation ID is now sent as it is; before, as a keyed hash"}},
		},
		{
			name: "ip /24 to /32 under one consent only",
			new:  []string{"    redaction: {ip_truncate: {}}\n", "    redaction: {ip_truncate: {ipv4_prefix: 32}}\n"},
			want: []brief{{Kind: diff.RedactionChanged, Scenario: "d.update", Field: "address", Old: "ip_truncate(/24, /48)", New: "ip_truncate(/32, /48)", Weaker: true, Rule: diff.RuleRedactionWeakened}},
		},
		{
			name: "stronger under KSN extended is reported with its consent",
			new:  []string{"redaction: {ip_truncate: {ipv4_prefix: 28}}", "redaction: {ip_truncate: {ipv4_prefix: 16}}"},
			want: []brief{{Kind: diff.RedactionChanged, Scenario: "d.update", Field: "address", Old: "ip_truncate(/28, /48)", New: "ip_truncate(/16, /48)", TextHas: "With the Cloud statement, extended mode: Address is now sent"}},
		},
		{
			name: "dropped becomes sent",
			old:  []string{`redaction: {hmac: {key_id: "installation"}}`, `redaction: {drop: {}}`},
			want: []brief{{Kind: diff.NowSent, Scenario: "d.update", Field: "installation_id", Old: "drop", New: "hmac(key=installation)", Weaker: true, Rule: diff.RuleRedactionWeakened}},
		},
		{
			name: "sent becomes dropped",
			new:  []string{`redaction: {hmac: {key_id: "installation"}}`, `redaction: {drop: {}}`},
			want: []brief{{Kind: diff.NoLongerSent, Scenario: "d.update", Field: "installation_id", TextHas: "No longer sends: Installation ID."}},
		},
		{
			name: "identifiability raised and label changed",
			new:  []string{"    label: \"Version\"\n    category: CATEGORY_PRODUCT\n    identifiability: IDENTIFIABILITY_ANONYMOUS", "    label: \"Full version\"\n    category: CATEGORY_PRODUCT\n    identifiability: IDENTIFIABILITY_PSEUDONYMOUS"},
			want: []brief{
				{Kind: diff.LabelChanged, Scenario: "d.update", Field: "version", Old: "Version", New: "Full version"},
				{Kind: diff.IdentifiabilityChanged, Scenario: "d.update", Field: "version", Old: "IDENTIFIABILITY_ANONYMOUS", New: "IDENTIFIABILITY_PSEUDONYMOUS", Weaker: true, Rule: diff.RuleIdentifiabilityRaised},
			},
		},
		{
			name: "storage country added and retention changed",
			new: []string{`    recipient_basis: {assessment: "Fixture."}
    source: {title: "Fixture source"}
  };
  string threat`, `    recipient_basis: {assessment: "Fixture."}
    source: {title: "Fixture source"}
    handling: {storage_countries: ["CH", "DE"] storage_basis: {assessment: "Fixture."} retention: {text: "Kept two years." basis: {assessment: "Fixture."}}}
  };
  string threat`},
			want: []brief{
				{Kind: diff.StorageCountryAdded, Scenario: "d.report", New: "DE", Weaker: true, Rule: diff.RuleStorageCountryAdded, TextHas: "now also stored in Germany (DE)"},
				{Kind: diff.HandlingChanged, Scenario: "d.report", Old: "Kept one year.", New: "Kept two years.", TextHas: "How long the data is kept is now: Kept two years."},
			},
		},
		{
			name: "new acknowledgement silences the finding",
			new:  []string{`redaction: {hmac: {key_id: "installation"}}`, `redaction: {keep: {}} ` + ack(diff.RuleRedactionWeakened)},
			want: []brief{{Kind: diff.RedactionChanged, Scenario: "d.update", Field: "installation_id", Old: "hmac(key=installation)", New: "keep", Weaker: true, Rule: diff.RuleRedactionWeakened, Acknowledged: "Needed."}},
		},
		{
			name: "an acknowledgement already in the baseline covers nothing new",
			old:  []string{`redaction: {hmac: {key_id: "installation"}}`, `redaction: {hmac: {key_id: "installation"}} ` + ack(diff.RuleRedactionWeakened)},
			new:  []string{`redaction: {hmac: {key_id: "installation"}}`, `redaction: {keep: {}} ` + ack(diff.RuleRedactionWeakened)},
			want: []brief{{Kind: diff.RedactionChanged, Scenario: "d.update", Field: "installation_id", Old: "hmac(key=installation)", New: "keep", Weaker: true, Rule: diff.RuleRedactionWeakened}},
		},
		{
			name: "scenario removed",
			new:  []string{`message Report {`, `message Report {} message Unused {`, `id: "d.report"`, `id: "d.other"`},
			want: []brief{
				{Kind: diff.ScenarioAdded, Scenario: "d.other", TextHas: "New scenario. It sends (agreement: Cloud statement, standard mode): Threat name."},
				{Kind: diff.ScenarioRemoved, Scenario: "d.report"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			old := catalog(t, edit(t, base, tt.old...))
			new := catalog(t, edit(t, base, tt.new...))
			changes := diff.Compare(old, new)
			var got []brief
			for i, c := range changes {
				b := brief{Kind: c.Kind, Scenario: c.Scenario, Field: c.Field, Old: c.Old, New: c.New, Weaker: c.Weaker, Rule: c.Rule, Acknowledged: c.Acknowledged}
				if i < len(tt.want) && tt.want[i].TextHas != "" {
					if !strings.Contains(c.Text, tt.want[i].TextHas) {
						t.Errorf("change %d text %q, want it to contain %q", i, c.Text, tt.want[i].TextHas)
					}
					b.TextHas = tt.want[i].TextHas
				}
				got = append(got, b)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("changes (-want +got):\n%s", d)
			}
		})
	}
}

// TestCompareCatalogWithItself checks that the real catalog has no change
// against itself.
func TestCompareCatalogWithItself(t *testing.T) {
	t.Parallel()
	cat, err := protoload.CompileCatalog(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	a, err := model.FromFileDescriptorSet(cat.Set)
	if err != nil {
		t.Fatal(err)
	}
	b, err := model.FromFileDescriptorSet(cat.Set)
	if err != nil {
		t.Fatal(err)
	}
	if changes := diff.Compare(a, b); len(changes) != 0 {
		t.Fatalf("Compare(catalog, catalog) = %+v, want none", changes)
	}
}

func BenchmarkCompare(b *testing.B) {
	cat, err := protoload.CompileCatalog(b.Context())
	if err != nil {
		b.Fatal(err)
	}
	c, err := model.FromFileDescriptorSet(cat.Set)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		diff.Compare(c, c)
	}
}
