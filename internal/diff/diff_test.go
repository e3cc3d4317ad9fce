package diff_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionhq/provision/internal/diff"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protoload"
)

// TestNamesID checks when an acknowledgement's reason names a scenario or
// product ID: as a word of its own, not inside a longer ID.
func TestNamesID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text, id string
		want     bool
	}{
		{"acme.usage: needed.", "acme.usage", true},
		{"Adds acme.usage.", "acme.usage", true},
		{"scenario \"acme.usage\" is new", "acme.usage", true},
		{"(acme.usage)", "acme.usage", true},
		{"acme.usage-weekly: needed.", "acme.usage", false},
		{"acme.usage.v2 is new", "acme.usage", false},
		{"x.acme.usage is new", "acme.usage", false},
		{"acme.use and acme.usage", "acme.usage", true},
		{"acme.usages", "acme.usage", false},
		{"ACME.USAGE", "acme.usage", false},
		{"no id here", "acme.usage", false},
		{"anything", "", false},
		{"Product e joins.", "e", true},
		{"Product e-mail joins.", "e", false},
	}
	for _, tt := range tests {
		if got := diff.NamesID(tt.text, tt.id); got != tt.want {
			t.Errorf("NamesID(%q, %q) = %v, want %v", tt.text, tt.id, got, tt.want)
		}
	}
}

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

// scenarioSource is a scenario that sends one anonymous item; %s is
// where its acknowledgements go.
const scenarioSource = `message Heartbeat {
  option (provision.v1.scenario) = {
    id: "%s"
    title: "When checking in"
    trigger: "Once a day."
    trigger_basis: {assessment: "Fixture."}
    agreement: "EULA"
    opt_out: {kind: OPT_OUT_KIND_AVOID_FUNCTION text: "Uninstall." basis: {assessment: "Fixture."}}
    purposes: ["PRODUCT_FUNCTIONALITY"]
    purposes_basis: {assessment: "Fixture."}
    recipient: "Fixture Ltd"
    recipient_basis: {assessment: "Fixture."}
    source: {title: "Fixture source"}
    %s
  };
  string version = 1 [(provision.v1.field) = {
    label: "Heartbeat version"
    category: CATEGORY_PRODUCT
    identifiability: IDENTIFIABILITY_ANONYMOUS
    requires: "EULA"
    redaction: {keep: {}}
  }];
}
`

// addScenario is the edit of base that adds the scenario d.heartbeat with
// the acknowledgements acks.
func addScenario(acks string) []string {
	return []string{"message Report {", fmt.Sprintf(scenarioSource, "d.heartbeat", acks) + "\nmessage Report {"}
}

// reviewOf is a review of a scenario, for the new version: an
// acknowledgement rests on one (ACKNOWLEDGEMENT_UNREVIEWED otherwise).
const reviewOf = `reviews: {reference: "fixture/review" date: "2026-02-01" reviewer: "Fixture data-protection officer"}`

// reviewed is the edit that records reviewOf in the scenario id of base.
func reviewed(id string) []string {
	return []string{`    id: "` + id + `"`, `    id: "` + id + `"` + "\n    " + reviewOf}
}

// localScenario is a scenario whose data never leaves the computer.
const localScenario = `message Drafts {
  option (provision.v1.scenario) = {
    id: "d.drafts"
    title: "Drafts kept on the computer"
    trigger: "A note is written."
    trigger_basis: {assessment: "Fixture."}
    agreement: "NONE"
    opt_out: {kind: OPT_OUT_KIND_NOT_SENT text: "Nothing is sent." basis: {assessment: "Fixture."}}
    frequency: FREQUENCY_NEVER
    frequency_basis: {assessment: "Fixture."}
    handling: {transport: TRANSPORT_NOT_TRANSMITTED transport_basis: {assessment: "Fixture."} retention: {text: "Until deleted." basis: {assessment: "Fixture."}}}
    source: {title: "Fixture source"}
  };
  string draft = 1 [(provision.v1.field) = {
    label: "Draft"
    category: CATEGORY_CONTENT
    identifiability: IDENTIFIABILITY_PERSONAL
    requires: "NONE"
    redaction: {drop: {}}
  }];
}
`

// newProduct is a second product's file, following base's policy, with
// one scenario; productAcks and scenarioAcks are their acknowledgements.
func newProduct(productAcks, scenarioAcks string) string {
	return `syntax = "proto3";

package fixture.e.v1;

import "provision/v1/options.proto";

option (provision.v1.product) = {
  id: "e"
  name: "Second fixture product"
  region: REGION_GLOBAL
  segment: SEGMENT_B2B
  name_basis: {assessment: "Fixture."}
  region_basis: {assessment: "Fixture."}
  segment_basis: {assessment: "Fixture."}
  policy: "p"
  sources: {title: "Fixture source"}
  agreements: [{id: "EULA" title: "End User License Agreement" short_name: "EULA" origin: {assessment: "Fixture."}}]
  ` + productAcks + `
};

` + fmt.Sprintf(scenarioSource, "e.ping", scenarioAcks)
}

// catalog compiles src as the file d.proto of a catalog, with the further
// files extra (name, content pairs) beside it.
func catalog(t *testing.T, src string, extra ...string) *model.Catalog {
	t.Helper()
	dir := t.TempDir()
	files := []string{"d.proto"}
	if err := os.WriteFile(filepath.Join(dir, "d.proto"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		if err := os.WriteFile(filepath.Join(dir, extra[i]), []byte(extra[i+1]), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, extra[i])
	}
	set, err := protoload.CompileFixture(t.Context(), dir, files...)
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

// osField is a message item of d.update whose parts are in message Os
// (osItem).
const osField = `  Os os = 4 [(provision.v1.field) = {
    label: "Operating system"
    category: CATEGORY_ENVIRONMENT
    identifiability: IDENTIFIABILITY_ANONYMOUS
    requires: "EULA"
    redaction: {keep: {}}
  }];
`

// osItem is the message Os with one part, named name.
func osItem(name string) string {
	return `message Os {
  string ` + name + ` = 1 [(provision.v1.field) = {
    label: "Name of the OS"
    category: CATEGORY_ENVIRONMENT
    identifiability: IDENTIFIABILITY_ANONYMOUS
    requires: "EULA"
    redaction: {keep: {}}
  }];
}

`
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
		// newFiles are further files of the new version (name, content).
		newFiles []string
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
			name: "renamed only: no finding",
			new:  []string{"string installation_id = 2", "string install_id = 2"},
			want: []brief{{Kind: diff.FieldRenamed, Scenario: "d.update", Field: "install_id", Old: "installation_id", New: "install_id",
				TextHas: "Installation ID is renamed in the schema from installation_id to install_id."}},
		},
		{
			name: "renamed with a weaker redaction: the finding on the renamed field",
			new:  []string{"string installation_id = 2", "string install_id = 2", `redaction: {hmac: {key_id: "installation"}}`, `redaction: {keep: {}}`},
			want: []brief{
				{Kind: diff.FieldRenamed, Scenario: "d.update", Field: "install_id", Old: "installation_id", New: "install_id"},
				{Kind: diff.RedactionChanged, Scenario: "d.update", Field: "install_id", Old: "hmac(key=installation)", New: "keep", Weaker: true, Rule: diff.RuleRedactionWeakened,
					TextHas: "Installation ID is now sent as it is; before, as a keyed hash"},
			},
		},
		{
			name: "renamed with a weaker agreement and raised identifiability, one acknowledged",
			new: []string{"string address = 3", "string client_address = 3", "    requires: \"KSN_STANDARD\"\n    redaction: {ip_truncate: {}}", "    requires: \"EULA\"\n    redaction: {ip_truncate: {}}",
				"    label: \"Version\"\n    category: CATEGORY_PRODUCT\n    identifiability: IDENTIFIABILITY_ANONYMOUS", "    label: \"Version\"\n    category: CATEGORY_PRODUCT\n    identifiability: IDENTIFIABILITY_PSEUDONYMOUS",
				"string version = 1", "string app_version = 1", "redaction: {ip_truncate: {ipv4_prefix: 28}}}", "redaction: {ip_truncate: {ipv4_prefix: 28}}} " + ack(diff.RuleAgreementWeakened),
				reviewed("d.update")[0], reviewed("d.update")[1]},
			want: []brief{
				{Kind: diff.FieldRenamed, Scenario: "d.update", Field: "app_version", Old: "version", New: "app_version", TextHas: "Version is renamed in the schema from version to app_version."},
				{Kind: diff.IdentifiabilityChanged, Scenario: "d.update", Field: "app_version", Old: "IDENTIFIABILITY_ANONYMOUS", New: "IDENTIFIABILITY_PSEUDONYMOUS", Weaker: true, Rule: diff.RuleIdentifiabilityRaised},
				{Kind: diff.FieldRenamed, Scenario: "d.update", Field: "client_address", Old: "address", New: "client_address"},
				{Kind: diff.AgreementChanged, Scenario: "d.update", Field: "client_address", Old: "KSN_STANDARD", New: "EULA", Weaker: true, Rule: diff.RuleAgreementWeakened, Acknowledged: "Needed."},
			},
		},
		{
			name: "renamed in a nested message",
			old:  []string{"message Report {", osItem("name") + "message Report {", "  }];\n}\n\nmessage Os", "  }];\n" + osField + "}\n\nmessage Os"},
			new:  []string{"message Report {", osItem("os_name") + "message Report {", "  }];\n}\n\nmessage Os", "  }];\n" + osField + "}\n\nmessage Os"},
			want: []brief{{Kind: diff.FieldRenamed, Scenario: "d.update", Field: "os.os_name", Old: "os.name", New: "os.os_name", TextHas: "Name of the OS is renamed in the schema from os.name to os.os_name."}},
		},
		{
			name: "a message item renamed: its parts keep their names",
			old:  []string{"message Report {", osItem("name") + "message Report {", "  }];\n}\n\nmessage Os", "  }];\n" + osField + "}\n\nmessage Os"},
			new:  []string{"message Report {", osItem("name") + "message Report {", "  }];\n}\n\nmessage Os", "  }];\n" + strings.Replace(osField, "Os os = 4", "Os system = 4", 1) + "}\n\nmessage Os"},
			want: []brief{{Kind: diff.FieldRenamed, Scenario: "d.update", Field: "system", Old: "os", New: "system"}},
		},
		{
			name: "renamed and renumbered: removal and addition",
			new:  []string{"  string installation_id = 2 [", "  reserved 2;\n  string install_id = 4 ["},
			want: []brief{
				{Kind: diff.FieldAdded, Scenario: "d.update", Field: "install_id", New: "hmac(key=installation)", Weaker: true, Rule: diff.RuleFieldAdded},
				{Kind: diff.FieldRemoved, Scenario: "d.update", Field: "installation_id", TextHas: "No longer sends: Installation ID."},
			},
		},
		{
			name: "a number reused for an item of another label: removal and addition",
			new:  []string{"string installation_id = 2", "string device_name = 2", `label: "Installation ID"`, `label: "Name of the device"`},
			want: []brief{
				{Kind: diff.FieldAdded, Scenario: "d.update", Field: "device_name", New: "hmac(key=installation)", Weaker: true, Rule: diff.RuleFieldAdded, TextHas: "Now also sends: Name of the device"},
				{Kind: diff.FieldRemoved, Scenario: "d.update", Field: "installation_id"},
			},
		},
		{
			name: "a number reused for an item of another type: removal and addition",
			new:  []string{"string version = 1", "uint64 app_version = 1"},
			want: []brief{
				{Kind: diff.FieldAdded, Scenario: "d.update", Field: "app_version", New: "keep", Weaker: true, Rule: diff.RuleFieldAdded},
				{Kind: diff.FieldRemoved, Scenario: "d.update", Field: "version"},
			},
		},
		{
			name: "renumbered under the same name: the same item",
			new:  []string{"message Report {", "message Report {\n  reserved 1;", "string threat = 1", "string threat = 2"},
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
			name: "category changed",
			new:  []string{"    label: \"Version\"\n    category: CATEGORY_PRODUCT", "    label: \"Version\"\n    category: CATEGORY_ENVIRONMENT"},
			want: []brief{{Kind: diff.CategoryChanged, Scenario: "d.update", Field: "version", Old: "CATEGORY_PRODUCT", New: "CATEGORY_ENVIRONMENT", TextHas: "Version is now in the category environment; before, product."}},
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
			new:  append([]string{`redaction: {hmac: {key_id: "installation"}}`, `redaction: {keep: {}} ` + ack(diff.RuleRedactionWeakened)}, reviewed("d.update")...),
			want: []brief{{Kind: diff.RedactionChanged, Scenario: "d.update", Field: "installation_id", Old: "hmac(key=installation)", New: "keep", Weaker: true, Rule: diff.RuleRedactionWeakened, Acknowledged: "Needed."}},
		},
		{
			name: "new acknowledgement without a review of its scenario",
			new:  []string{`redaction: {hmac: {key_id: "installation"}}`, `redaction: {keep: {}} ` + ack(diff.RuleRedactionWeakened)},
			want: []brief{
				{Kind: diff.RedactionChanged, Scenario: "d.update", Field: "installation_id", Old: "hmac(key=installation)", New: "keep", Weaker: true, Rule: diff.RuleRedactionWeakened, Acknowledged: "Needed."},
				{Kind: diff.AcknowledgementUnreviewed, Scenario: "d.update", Field: "installation_id", New: diff.RuleRedactionWeakened, Rule: diff.RuleAcknowledgementUnreviewed,
					TextHas: "The acknowledgement of REDACTION_WEAKENED rests on no review: the scenario records no review since the version compared with."},
			},
		},
		{
			name: "new acknowledgement, the baseline's review kept as the only one",
			old:  reviewed("d.update"),
			new:  append([]string{`redaction: {hmac: {key_id: "installation"}}`, `redaction: {keep: {}} ` + ack(diff.RuleRedactionWeakened)}, reviewed("d.update")...),
			want: []brief{
				{Kind: diff.RedactionChanged, Scenario: "d.update", Field: "installation_id", Old: "hmac(key=installation)", New: "keep", Weaker: true, Rule: diff.RuleRedactionWeakened, Acknowledged: "Needed."},
				{Kind: diff.AcknowledgementUnreviewed, Scenario: "d.update", Field: "installation_id", New: diff.RuleRedactionWeakened, Rule: diff.RuleAcknowledgementUnreviewed},
			},
		},
		{
			name: "an acknowledgement already in the baseline covers nothing new",
			old:  []string{`redaction: {hmac: {key_id: "installation"}}`, `redaction: {hmac: {key_id: "installation"}} ` + ack(diff.RuleRedactionWeakened)},
			new:  []string{`redaction: {hmac: {key_id: "installation"}}`, `redaction: {keep: {}} ` + ack(diff.RuleRedactionWeakened)},
			want: []brief{{Kind: diff.RedactionChanged, Scenario: "d.update", Field: "installation_id", Old: "hmac(key=installation)", New: "keep", Weaker: true, Rule: diff.RuleRedactionWeakened}},
		},
		{
			name: "scenario added: anonymous items only is a finding",
			new:  addScenario(""),
			want: []brief{{Kind: diff.ScenarioAdded, Scenario: "d.heartbeat", Weaker: true, Rule: diff.RuleScenarioAdded, TextHas: "New scenario. It sends (agreement: End User License Agreement): Heartbeat version."}},
		},
		{
			name: "scenario added, acknowledged by name",
			new:  addScenario(`acknowledged: {rule: "SCENARIO_ADDED" reason: "d.heartbeat: the update service needs it (fixture source, section 2)."} ` + reviewOf),
			want: []brief{{Kind: diff.ScenarioAdded, Scenario: "d.heartbeat", Weaker: true, Rule: diff.RuleScenarioAdded, Acknowledged: "d.heartbeat: the update service needs it (fixture source, section 2)."}},
		},
		{
			name: "scenario added with an acknowledgement that names another scenario",
			new:  addScenario(`acknowledged: {rule: "SCENARIO_ADDED" reason: "d.update: copied with the template."}`),
			want: []brief{{Kind: diff.ScenarioAdded, Scenario: "d.heartbeat", Weaker: true, Rule: diff.RuleScenarioAdded}},
		},
		{
			name: "scenario added with an acknowledgement of another rule",
			new:  addScenario(`acknowledged: {rule: "STORAGE_COUNTRY_ADDED" reason: "d.heartbeat: reviewed."}`),
			want: []brief{{Kind: diff.ScenarioAdded, Scenario: "d.heartbeat", Weaker: true, Rule: diff.RuleScenarioAdded}},
		},
		{
			name: "local-only scenario added is no finding",
			new:  []string{"message Report {", localScenario + "\nmessage Report {"},
			want: []brief{{Kind: diff.ScenarioAdded, Scenario: "d.drafts", TextHas: "New scenario. It sends nothing."}},
		},
		{
			name:     "product added: the product and each scenario that sends",
			newFiles: []string{"e.proto", newProduct("", "")},
			want: []brief{
				{Kind: diff.ProductAdded, Weaker: true, Rule: diff.RuleProductAdded, TextHas: "New product with 1 scenario."},
				{Kind: diff.ScenarioAdded, Scenario: "e.ping", Weaker: true, Rule: diff.RuleScenarioAdded, TextHas: "New scenario. It sends (agreement: End User License Agreement): Heartbeat version."},
			},
		},
		{
			name: "product added, both acknowledged",
			newFiles: []string{"e.proto", newProduct(`acknowledged: {rule: "PRODUCT_ADDED" reason: "Product e joins the catalog (fixture source)."}`,
				`acknowledged: {rule: "SCENARIO_ADDED" reason: "Scenario e.ping, as the fixture source describes it."} `+reviewOf)},
			want: []brief{
				{Kind: diff.ProductAdded, Weaker: true, Rule: diff.RuleProductAdded, Acknowledged: "Product e joins the catalog (fixture source)."},
				{Kind: diff.ScenarioAdded, Scenario: "e.ping", Weaker: true, Rule: diff.RuleScenarioAdded, Acknowledged: "Scenario e.ping, as the fixture source describes it."},
			},
		},
		{
			name: "product added, both acknowledged, no scenario reviewed",
			newFiles: []string{"e.proto", newProduct(`acknowledged: {rule: "PRODUCT_ADDED" reason: "Product e joins the catalog (fixture source)."}`,
				`acknowledged: {rule: "SCENARIO_ADDED" reason: "Scenario e.ping, as the fixture source describes it."}`)},
			want: []brief{
				{Kind: diff.ProductAdded, Weaker: true, Rule: diff.RuleProductAdded, Acknowledged: "Product e joins the catalog (fixture source)."},
				{Kind: diff.AcknowledgementUnreviewed, New: diff.RuleProductAdded, Rule: diff.RuleAcknowledgementUnreviewed, TextHas: "rests on no review: none of the product's scenarios records one."},
				{Kind: diff.ScenarioAdded, Scenario: "e.ping", Weaker: true, Rule: diff.RuleScenarioAdded, Acknowledged: "Scenario e.ping, as the fixture source describes it."},
				{Kind: diff.AcknowledgementUnreviewed, Scenario: "e.ping", New: diff.RuleScenarioAdded, Rule: diff.RuleAcknowledgementUnreviewed},
			},
		},
		{
			name: "policy storage country added: a finding for each scenario that takes it",
			new:  []string{`storage_countries: ["CH"]`, `storage_countries: ["CH", "NL"]`},
			want: []brief{
				{Kind: diff.StorageCountryAdded, Scenario: "d.report", New: "NL", Weaker: true, Rule: diff.RuleStorageCountryAdded, TextHas: "now also stored in the Netherlands (NL)"},
				{Kind: diff.StorageCountryAdded, Scenario: "d.update", New: "NL", Weaker: true, Rule: diff.RuleStorageCountryAdded},
			},
		},
		{
			name: "policy storage country added, acknowledged once in the policy",
			new: slices.Concat([]string{`storage_countries: ["CH"]`, `storage_countries: ["CH", "NL"]`, `  organisation: "Fixture Ltd"`, `  organisation: "Fixture Ltd"` + "\n  " + ack(diff.RuleStorageCountryAdded)},
				reviewed("d.update"), reviewed("d.report")),
			want: []brief{
				{Kind: diff.StorageCountryAdded, Scenario: "d.report", New: "NL", Weaker: true, Rule: diff.RuleStorageCountryAdded, Acknowledged: "Needed."},
				{Kind: diff.StorageCountryAdded, Scenario: "d.update", New: "NL", Weaker: true, Rule: diff.RuleStorageCountryAdded, Acknowledged: "Needed."},
			},
		},
		{
			name: "scenario removed",
			new:  []string{`message Report {`, `message Report {} message Unused {`, `id: "d.report"`, `id: "d.other"`},
			want: []brief{
				{Kind: diff.ScenarioAdded, Scenario: "d.other", Weaker: true, Rule: diff.RuleScenarioAdded, TextHas: "New scenario. It sends (agreement: Cloud statement, standard mode): Threat name."},
				{Kind: diff.ScenarioRemoved, Scenario: "d.report"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			old := catalog(t, edit(t, base, tt.old...))
			new := catalog(t, edit(t, base, tt.new...), tt.newFiles...)
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
