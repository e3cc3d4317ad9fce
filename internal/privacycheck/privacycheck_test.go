package privacycheck_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"buf.build/go/bufplugin/check"
	"buf.build/go/bufplugin/check/checktest"
	"github.com/google/go-cmp/cmp"

	"github.com/provisionhq/provision/internal/diff"
	"github.com/provisionhq/provision/internal/fixture"
	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/privacycheck"
)

// wants returns the findings the fixture at path wants (its "// want:"
// lines).
func wants(t *testing.T, path string) []fixture.Want {
	t.Helper()
	ws, err := fixture.ReadWants(path)
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

func TestSpec(t *testing.T) {
	t.Parallel()
	checktest.SpecTest(t, privacycheck.Spec())
}

// dirs are the import paths of every fixture: the fixture policy of the
// model's tests, the vocabulary and validate.proto.
func dirs(t *testing.T, own string) []string {
	t.Helper()
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	return append([]string{own, filepath.Join(root, "internal", "model", "testdata")}, layout.ImportPaths(root)...)
}

// run checks files (relative to dir) with the rules ruleIDs, against
// againstFiles when set, and returns each annotation as rule, file:line:col
// and message.
func run(t *testing.T, dirPaths, files []string, against []string, ruleIDs []string) []fixture.Want {
	t.Helper()
	got, err := runWith(t, fixtureOptions, dirPaths, files, against, ruleIDs)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// fixtureOptions are the plugin options the fixtures are checked with, as
// a catalog's buf.yaml sets them: identifiers may be sent in clear under
// the fixtures' extended mode.
var fixtureOptions = map[string]any{
	privacycheck.OptionIdentifierInClearUnder: []string{"KSN_EXTENDED"},
	// The lifecycle rules read this day, not the clock's.
	privacycheck.OptionToday: "2026-06-01",
}

// runWith is run with the plugin options opts, returning the check's
// error rather than failing.
func runWith(t *testing.T, opts map[string]any, dirPaths, files []string, against []string, ruleIDs []string) ([]fixture.Want, error) {
	t.Helper()
	spec := &checktest.RequestSpec{
		Files:   &checktest.ProtoFileSpec{DirPaths: dirPaths, FilePaths: files},
		RuleIDs: ruleIDs,
		Options: opts,
	}
	if against != nil {
		spec.AgainstFiles = &checktest.ProtoFileSpec{DirPaths: dirPaths, FilePaths: against}
	}
	req, err := spec.ToRequest(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	client, err := check.NewClientForSpec(privacycheck.Spec())
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Check(t.Context(), req)
	if err != nil {
		return nil, err
	}
	var out []fixture.Want
	for _, a := range resp.Annotations() {
		loc := a.FileLocation()
		pos := loc.FileDescriptor().ProtoreflectFileDescriptor().Path() + ":" + strconv.Itoa(loc.StartLine()+1) + ":" + strconv.Itoa(loc.StartColumn()+1)
		out = append(out, fixture.Want{Rule: a.RuleID(), Pos: pos, Text: a.Message()})
	}
	return out, nil
}

// TestPluginOptions checks the plugin's options from buf.yaml: the
// identifier exemption is the catalog's configuration (without it, the
// extended mode's identifier in clear is a finding), and a misspelt option
// fails the check instead of passing unnoticed.
func TestPluginOptions(t *testing.T) {
	t.Parallel()
	files := []string{"identifier_not_kept.proto", "policy.proto"}
	ids := []string{privacycheck.RuleIdentifierNotKept}
	got, err := runWith(t, nil, dirs(t, "testdata/lint"), files, nil, ids)
	if err != nil {
		t.Fatal(err)
	}
	var fields []string
	for _, w := range got {
		fields = append(fields, strings.Fields(w.Text)[1])
	}
	if want := []string{"installation_id", "machine_id"}; !slices.Equal(fields, want) {
		t.Errorf("without %s: findings on %v, want %v", privacycheck.OptionIdentifierInClearUnder, fields, want)
	}
	for name, opts := range map[string]map[string]any{
		"misspelt key": {"identifier_in_clear_undr": []string{"KSN_EXTENDED"}},
		"wrong type":   {privacycheck.OptionIdentifierInClearUnder: int64(3)},
	} {
		if _, err := runWith(t, opts, dirs(t, "testdata/lint"), files, nil, ids); err == nil {
			t.Errorf("%s: the check passed, want an error", name)
		}
	}
}

// compare checks that got has the rules and positions of wanted, in order,
// and that each message contains its want text. The positions of wanted
// are in file, or name their file themselves when file is empty.
func compare(t *testing.T, file string, wanted, got []fixture.Want) {
	t.Helper()
	key := func(ws []fixture.Want, withFile bool) []string {
		var out []string
		for _, w := range ws {
			if withFile && file != "" {
				out = append(out, w.Rule+" "+file+":"+w.Pos)
			} else {
				out = append(out, w.Rule+" "+w.Pos)
			}
		}
		return out
	}
	if diff := cmp.Diff(key(wanted, true), key(got, false)); diff != "" {
		t.Fatalf("annotations (-want +got):\n%s\ngot: %+v", diff, got)
	}
	for i, w := range wanted {
		if !strings.Contains(got[i].Text, w.Text) {
			t.Errorf("annotation %d = %q, want it to contain %q", i, got[i].Text, w.Text)
		}
	}
}

// lintRuleIDs are the IDs of every lint rule.
func lintRuleIDs() []string {
	var ids []string
	for _, r := range privacycheck.Spec().Rules {
		if r.Type == check.RuleTypeLint {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// authoringRules are the lint rules that ask a catalog for statements
// the fixtures of other rules leave out (provenance, expiry, owners,
// reviews): each runs only on the fixtures that want one of its findings.
var authoringRules = []string{string(model.RuleProvenanceMissing), privacycheck.RuleExpiryMissing, privacycheck.RuleOwnersMissing, privacycheck.RuleReviewsMissing}

// fixtureRules are the lint rules a fixture with the want lines wanted
// is checked with: every rule but the authoring rules it wants none of.
func fixtureRules(wanted []fixture.Want) []string {
	return slices.DeleteFunc(lintRuleIDs(), func(id string) bool {
		return slices.Contains(authoringRules, id) && !slices.ContainsFunc(wanted, func(w fixture.Want) bool { return w.Rule == id })
	})
}

// TestModelFixtures runs each failing fixture of the model through the
// plugin: the lint rules report exactly the model's diagnostics, with the
// same rules at the same positions.
func TestModelFixtures(t *testing.T) {
	t.Parallel()
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	modelTestdata := filepath.Join(root, "internal", "model", "testdata")
	paths, err := filepath.Glob(filepath.Join(modelTestdata, "bad", "*.proto"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no model fixtures: %v", err)
	}
	for _, path := range paths {
		name := "bad/" + filepath.Base(path)
		t.Run(strings.TrimSuffix(filepath.Base(path), ".proto"), func(t *testing.T) {
			t.Parallel()
			// As in the model's own fixture test, each fixture shows its
			// own rule: PROVENANCE_MISSING (and the other authoring
			// rules) run only on the fixture that wants it.
			wanted := wants(t, path)
			rules := fixtureRules(wanted)
			got := run(t, dirs(t, modelTestdata), []string{name, "policy.proto"}, nil, rules)
			// buf's source info locates options more finely than the
			// model's own fixture test compiles them, so positions may
			// be inside the element the want line names, and findings at
			// one position come in the plugin's rule order: match each
			// want line to a finding of its rule whose message contains
			// its text, and check that each finding has a line.
			for _, g := range got {
				if !strings.HasPrefix(g.Pos, name+":") || strings.HasSuffix(g.Pos, ":0:0") {
					t.Errorf("annotation %+v is not placed in %s", g, name)
				}
			}
			if len(got) != len(wanted) {
				t.Fatalf("%d annotations, want %d\ngot: %+v", len(got), len(wanted), got)
			}
			used := make([]bool, len(got))
			for _, w := range wanted {
				matches := func(g fixture.Want) bool { return g.Rule == w.Rule && strings.Contains(g.Text, w.Text) }
				i := slices.IndexFunc(got, matches)
				for i >= 0 && used[i] {
					next := slices.IndexFunc(got[i+1:], matches)
					if next < 0 {
						i = -1
						break
					}
					i += 1 + next
				}
				if i < 0 {
					t.Errorf("no %s annotation containing %q\ngot: %+v", w.Rule, w.Text, got)
					continue
				}
				used[i] = true
			}
		})
	}
}

// TestLintFixtures runs the plugin's own lint fixtures: the policy rules,
// and the model rule no model fixture shows.
func TestLintFixtures(t *testing.T) {
	t.Parallel()
	paths, err := filepath.Glob("testdata/lint/*.proto")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, path := range paths {
		name := filepath.Base(path)
		t.Run(strings.TrimSuffix(name, ".proto"), func(t *testing.T) {
			t.Parallel()
			wanted := wants(t, path)
			got := run(t, dirs(t, "testdata/lint"), []string{name, "policy.proto"}, nil, fixtureRules(wanted))
			compare(t, name, wanted, got)
		})
	}
}

// breakingCase is one failing fixture of a breaking rule: base.proto with
// edits (old, new pairs, each matching once), and further files of the
// new version (name, content pairs), and the findings it makes.
type breakingCase struct {
	name  string
	edits []string
	files []string
	wants []breakingWant
}

// breakingWant is one finding: placed in file (changed.proto when empty)
// at the first line containing at, at the column where col starts on it,
// or, without col, where "(provision" or, on the next line, "option"
// starts.
type breakingWant struct {
	rule, at, text string
	file, col      string
}

const ack = `acknowledged: {rule: "%s" reason: "Reviewed and intended."}`

// review is a review entry of a scenario, dated after base.proto's.
const review = `reviews: {reference: "fixture/review" date: "2026-02-01" reviewer: "Fixture data-protection officer"}`

var (
	addField = []string{"      ip_truncate: {}\n    }\n  }];\n}", `      ip_truncate: {}
    }
  }];
  string os_name = 4 [(provision.v1.field) = {
    label: "Operating system"
    category: CATEGORY_ENVIRONMENT
    identifiability: IDENTIFIABILITY_ANONYMOUS
    requires: "EULA"
    redaction: {keep: {}}
    %s
  }];
}`}
	weakenAgreement = []string{"    requires: \"KSN_EXTENDED\"\n", "    requires: \"EULA\"\n    %s\n"}
	hmacToKeep      = []string{"    redaction: {\n      hmac: {key_id: \"installation\"}\n    }\n", "    redaction: {keep: {}}\n    %s\n"}
	ip24To32        = []string{"      ip_truncate: {}\n", "      ip_truncate: {ipv4_prefix: 32}\n"}
	raiseVersion    = []string{"    identifiability: IDENTIFIABILITY_ANONYMOUS\n    requires: \"EULA\"\n", "    identifiability: IDENTIFIABILITY_PSEUDONYMOUS\n    requires: \"EULA\"\n    %s\n"}
	addCountry      = []string{"    source: {title: \"Fixture source\"}\n  };\n\n  string product_version", "    source: {title: \"Fixture source\"}\n    handling: {storage_countries: [\"CH\", \"DE\"] storage_basis: {assessment: \"Fixture.\"}}\n    %s\n  };\n\n  string product_version"}
	weakenScenario  = []string{"    agreement: \"KSN_STANDARD\"\n", "    agreement: \"EULA\"\n    %s\n"}
	// addScenario adds the scenario brk.heartbeat, which sends one
	// anonymous item.
	addScenario = []string{"\nmessage Report {", "\n" + fmt.Sprintf(scenarioSource, "Heartbeat", "brk.heartbeat", "%s") + "\nmessage Report {"}
	// renewExpiry moves the expiry of brk.s half a year later; %s is a
	// review added with it.
	renewExpiry = []string{`    expires: {date: "2027-06-30"`, `    %s
    expires: {date: "2027-12-31"`}
	// renewalReview is a review of brk.s since base.proto's, which allows
	// its renewal.
	renewalReview = `reviews: {reference: "fixture/renewal" date: "2026-02-01" reviewer: "Fixture data-protection officer" scope: "expiry renewed to 2027-12-31"}`
	// reviewS records a review of brk.s since base.proto's, and reviewT
	// the first of brk.t: an acknowledgement rests on one.
	reviewS = []string{`    reviews: {reference: "fixture/source" date: "2026-01-10" reviewer: "Fixture maintainers"}
`, `    reviews: {reference: "fixture/source" date: "2026-01-10" reviewer: "Fixture maintainers"}
    ` + review + `
`}
	reviewT = []string{`    id: "brk.t"
`, `    id: "brk.t"
    ` + review + `
`}
	// followNextPolicy makes the product follow policy_next.proto, which
	// stores in one more country than the policy of base.proto.
	followNextPolicy = []string{`  policy: "fixture"`, `  policy: "fixture-next"`}
)

// scenarioSource is a scenario message (name, ID, acknowledgements) that
// sends one anonymous item under the EULA.
const scenarioSource = `message %s {
  option (provision.v1.scenario) = {
    id: "%s"
    title: "When checking in"
    trigger: "Once a day."
    trigger_basis: {assessment: "Fixture."}
    agreement: "EULA"
    opt_out: {
      kind: OPT_OUT_KIND_AVOID_FUNCTION
      text: "Uninstall."
      basis: {assessment: "Fixture."}
    }
    purposes: ["PROTECTION"]
    purposes_basis: {assessment: "Fixture."}
    recipient: "Fixture Ltd"
    recipient_basis: {assessment: "Fixture."}
    source: {title: "Fixture source"}
    %s
  };

  string heartbeat_version = 1 [(provision.v1.field) = {
    label: "Heartbeat version"
    category: CATEGORY_PRODUCT
    identifiability: IDENTIFIABILITY_ANONYMOUS
    requires: "EULA"
    redaction: {keep: {}}
  }];
}
`

// secondProduct is the file of a product added beside brk, with one
// scenario; the %s are the product's and the scenario's
// acknowledgements.
const secondProduct = `syntax = "proto3";

package fixture.brk2.v1;

import "provision/v1/options.proto";

option (provision.v1.product) = {
  id: "brk2"
  name: "Second fixture product"
  region: REGION_GLOBAL
  segment: SEGMENT_B2B
  name_basis: {assessment: "Fixture."}
  region_basis: {assessment: "Fixture."}
  segment_basis: {assessment: "Fixture."}
  policy: "fixture"
  sources: {title: "Fixture source"}
  agreements: [{id: "EULA" title: "End User License Agreement" short_name: "EULA" origin: {assessment: "Fixture."}}]
  %s
};

`

// withProduct returns the second product's file with the
// acknowledgements of its product and scenario.
func withProduct(productAck, scenarioAck string) []string {
	return []string{"second.proto", fmt.Sprintf(secondProduct, productAck) + fmt.Sprintf(scenarioSource, "Ping", "brk2.ping", scenarioAck)}
}

// nextPolicy is the fixture policy under another ID, storing in DE too;
// %s is its acknowledgements.
func nextPolicy(t *testing.T, acks string) []string {
	t.Helper()
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "internal", "model", "testdata", "policy.proto"))
	if err != nil {
		t.Fatal(err)
	}
	src := string(data)
	for _, e := range [][2]string{
		{"package fixture.policy.v1;", "package fixture.policynext.v1;"},
		{`  id: "fixture"`, `  id: "fixture-next"` + "\n  " + acks},
		{`storage_countries: ["CH"]`, `storage_countries: ["CH", "DE"]`},
	} {
		if strings.Count(src, e[0]) != 1 {
			t.Fatalf("policy.proto: %q does not occur once", e[0])
		}
		src = strings.Replace(src, e[0], e[1], 1)
	}
	return []string{"policy_next.proto", src}
}

// ackOf is an acknowledgement of rule with reason.
func ackOf(rule, reason string) string {
	return fmt.Sprintf(`acknowledged: {rule: "%s" reason: "%s"}`, rule, reason)
}

// with fills the %s of an edit with an acknowledgement of rule, or with
// nothing when rule is empty.
func with(edit []string, rule string) []string {
	fill := ""
	if rule != "" {
		fill = fmt.Sprintf(ack, rule)
	}
	return []string{edit[0], strings.ReplaceAll(edit[1], "%s", fill)}
}

var breakingCases = []breakingCase{
	{"field added to scenario", with(addField, ""), nil, []breakingWant{{rule: diff.RuleFieldAdded, at: "string os_name = 4", text: "Now also sends: Operating system, as it is"}}},
	{"field moved from KSN extended to EULA", with(weakenAgreement, ""), nil, []breakingWant{{rule: diff.RuleAgreementWeakened, at: "string client_ip = 3", text: "Client address is now sent with the End User License Agreement; before, only with the Cloud statement, extended mode"}}},
	{"hmac to keep and /24 to /32", append(with(hmacToKeep, ""), ip24To32...), nil, []breakingWant{
		{rule: diff.RuleRedactionWeakened, at: "string installation_id = 2", text: "Installation ID is now sent as it is; before, as a keyed hash"},
		{rule: diff.RuleRedactionWeakened, at: "string client_ip = 3", text: "Client address is now sent with only its network part (IPv4 /32, IPv6 /48); before, with only its network part (IPv4 /24, IPv6 /48)"},
	}},
	{"anonymous to pseudonymous", with(raiseVersion, ""), nil, []breakingWant{{rule: diff.RuleIdentifiabilityRaised, at: "string product_version = 1", text: "Product version is now classified as pseudonymous identifier; before, as anonymous"}}},
	{"storage country added", with(addCountry, ""), nil, []breakingWant{{rule: diff.RuleStorageCountryAdded, at: "storage_countries", col: `"DE"`,
		text: `The data is now also stored in Germany (DE). (scenario "brk.s"); if this is intended, add acknowledged: {rule: "STORAGE_COUNTRY_ADDED" reason: "…"} to the scenario's (provision.v1.scenario) option`}}},
	{"scenario moved from KSN standard to EULA", with(weakenScenario, ""), nil, []breakingWant{{rule: diff.RuleScenarioAgreementWeakened, at: "message Report", text: "Now happens with the End User License Agreement"}}},
	{"scenario added", with(addScenario, ""), nil, []breakingWant{{rule: diff.RuleScenarioAdded, at: "message Heartbeat",
		text: `New scenario. It sends (agreement: End User License Agreement): Heartbeat version. (scenario "brk.heartbeat"); if this is intended, add acknowledged: {rule: "SCENARIO_ADDED" reason: "brk.heartbeat: …"} to the scenario's (provision.v1.scenario) option; the reason must name the scenario brk.heartbeat`}}},
	{"scenario added, acknowledged for another scenario", []string{addScenario[0], strings.ReplaceAll(addScenario[1], "%s", ackOf(diff.RuleScenarioAdded, "brk.s: copied with the template."))}, nil,
		[]breakingWant{{rule: diff.RuleScenarioAdded, at: "message Heartbeat", text: "the reason must name the scenario brk.heartbeat"}}},
	{"product added", nil, withProduct("", ""), []breakingWant{
		{rule: diff.RuleProductAdded, file: "second.proto", at: "option (provision.v1.product)", col: "option",
			text: `New product with 1 scenario. (product "brk2"); if this is intended, add acknowledged: {rule: "PRODUCT_ADDED" reason: "brk2: …"} to the product's (provision.v1.product) option; the reason must name the product brk2`},
		{rule: diff.RuleScenarioAdded, file: "second.proto", at: "message Ping", text: `reason: "brk2.ping: …"} to the scenario's (provision.v1.scenario) option`},
	}},
	{"storage country added to the policy", followNextPolicy, []string{"policy_next.proto", ""}, []breakingWant{
		{rule: diff.RuleStorageCountryAdded, file: "policy_next.proto", at: "storage_countries", col: `"DE"`,
			text: `The data is now also stored in Germany (DE). (scenario "brk.s"); if this is intended, add acknowledged: {rule: "STORAGE_COUNTRY_ADDED" reason: "…"} to the policy's (provision.v1.policy) option, which the scenario takes its storage from`},
		{rule: diff.RuleStorageCountryAdded, file: "policy_next.proto", at: "storage_countries", col: `"DE"`, text: `(scenario "brk.t")`},
	}},
	{"every change acknowledged", slices.Concat(
		with(raiseVersion, diff.RuleIdentifiabilityRaised), with(addField, diff.RuleFieldAdded),
		with(weakenAgreement, diff.RuleAgreementWeakened), with(hmacToKeep, diff.RuleRedactionWeakened),
		with(addCountry, diff.RuleStorageCountryAdded), with(weakenScenario, diff.RuleScenarioAgreementWeakened), reviewS, reviewT,
		[]string{addScenario[0], strings.ReplaceAll(addScenario[1], "%s", ackOf(diff.RuleScenarioAdded, "brk.heartbeat: the update service checks in daily (fixture source).")+" "+review)}),
		withProduct(ackOf(diff.RuleProductAdded, "brk2 joins the catalog (fixture source)."), ackOf(diff.RuleScenarioAdded, "brk2.ping, as the fixture source describes it.")+" "+review), nil},
	{"expiry renewed", with(renewExpiry, ""), nil, []breakingWant{{rule: diff.RuleExpiryRenewed, at: `expires: {date: "2027-12-31"`, col: "expires",
		text: `The data is now sent until 2027-12-31; before, until 2027-06-30. (scenario "brk.s"); if this is intended, add a review of the renewal to the scenario's (provision.v1.scenario) option: reviews: {reference: "…" date: "YYYY-MM-DD" reviewer: "…" scope: "expiry renewed to 2027-12-31: …"}, a new entry dated on or after 2026-01-10, the newest review of the version checked against, with a reference and date of its own; an acknowledgement does not allow it`}}},
	{"expiry renewed, acknowledged instead of reviewed", with(renewExpiry, diff.RuleExpiryRenewed), nil, []breakingWant{{rule: diff.RuleExpiryRenewed, at: `expires: {date: "2027-12-31"`, col: "expires", text: "an acknowledgement does not allow it"}}},
	{"expiry renewed, reviewed", []string{renewExpiry[0], strings.ReplaceAll(renewExpiry[1], "%s", renewalReview)}, nil, nil},
	{"storage country added to the policy, acknowledged there", slices.Concat(followNextPolicy, reviewS, reviewT), []string{"policy_next.proto", ackOf(diff.RuleStorageCountryAdded, "The Frankfurt data centre (fixture source).")}, nil},
	{"acknowledged, no review since the baseline", with(hmacToKeep, diff.RuleRedactionWeakened), nil, []breakingWant{{rule: diff.RuleAcknowledgementUnreviewed, at: `acknowledged: {rule: "REDACTION_WEAKENED"`, col: "acknowledged",
		text: `The acknowledgement of REDACTION_WEAKENED rests on no review: the scenario records no review since the version compared with. (scenario "brk.s", field installation_id); if this is intended, add a review of the change acknowledged (REDACTION_WEAKENED) to the scenario's (provision.v1.scenario) option: reviews: {reference: "…" date: "YYYY-MM-DD" reviewer: "…" scope: "REDACTION_WEAKENED: …"}, a new entry dated on or after 2026-01-10, the newest review of the version checked against, with a reference and date of its own`}}},
	{"acknowledged in the scenario, no review ever", with(weakenScenario, diff.RuleScenarioAgreementWeakened), nil, []breakingWant{{rule: diff.RuleAcknowledgementUnreviewed, at: `acknowledged: {rule: "SCENARIO_AGREEMENT_WEAKENED"`, col: "acknowledged",
		text: `(scenario "brk.t"); if this is intended, add a review of the change acknowledged (SCENARIO_AGREEMENT_WEAKENED) to the scenario's (provision.v1.scenario) option: reviews: {reference: "…" date: "YYYY-MM-DD" reviewer: "…" scope: "SCENARIO_AGREEMENT_WEAKENED: …"}, dated no later than today`}}},
	{"product and scenario added, acknowledged, not reviewed", nil, withProduct(ackOf(diff.RuleProductAdded, "brk2 joins the catalog (fixture source)."), ackOf(diff.RuleScenarioAdded, "brk2.ping, as the fixture source describes it.")), []breakingWant{
		{rule: diff.RuleAcknowledgementUnreviewed, file: "second.proto", at: `acknowledged: {rule: "PRODUCT_ADDED"`, col: "acknowledged", text: `none of the product's scenarios records one. (product "brk2"); if this is intended, add a review of the change acknowledged (PRODUCT_ADDED) to the (provision.v1.scenario) option of one of the product's scenarios`},
		{rule: diff.RuleAcknowledgementUnreviewed, file: "second.proto", at: `acknowledged: {rule: "SCENARIO_ADDED"`, col: "acknowledged", text: `(scenario "brk2.ping")`},
	}},
	{"storage country added to the policy, acknowledged there, not reviewed", followNextPolicy, []string{"policy_next.proto", ackOf(diff.RuleStorageCountryAdded, "The Frankfurt data centre (fixture source).")}, []breakingWant{
		{rule: diff.RuleAcknowledgementUnreviewed, file: "policy_next.proto", at: `acknowledged: {rule: "STORAGE_COUNTRY_ADDED"`, col: "acknowledged", text: `(scenario "brk.s")`},
		{rule: diff.RuleAcknowledgementUnreviewed, file: "policy_next.proto", at: `acknowledged: {rule: "STORAGE_COUNTRY_ADDED"`, col: "acknowledged", text: `(scenario "brk.t")`},
	}},
}

// TestBreakingFixtures checks each case against base.proto with the
// breaking rules.
func TestBreakingFixtures(t *testing.T) {
	t.Parallel()
	base, err := os.ReadFile("testdata/breaking/base.proto")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range privacycheck.Spec().Rules {
		if r.Type == check.RuleTypeBreaking {
			ids = append(ids, r.ID)
		}
	}
	for _, tc := range breakingCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			src := string(base)
			for i := 0; i < len(tc.edits); i += 2 {
				if n := strings.Count(src, tc.edits[i]); n != 1 {
					t.Fatalf("edit %q matches %d times", tc.edits[i], n)
				}
				src = strings.Replace(src, tc.edits[i], tc.edits[i+1], 1)
			}
			dir := t.TempDir()
			contents := map[string]string{"base.proto": string(base), "changed.proto": src}
			files := []string{"changed.proto", "policy.proto"}
			for i := 0; i+1 < len(tc.files); i += 2 {
				name, content := tc.files[i], tc.files[i+1]
				if name == "policy_next.proto" {
					content = nextPolicy(t, content)[1]
				}
				contents[name] = content
				files = append(files, name)
			}
			for name, content := range contents {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			var wanted []fixture.Want
			for _, w := range tc.wants {
				file := w.file
				if file == "" {
					file = "changed.proto"
				}
				lines := strings.Split(contents[file], "\n")
				i := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, w.at) })
				if i < 0 {
					t.Fatalf("no line of %s contains %q", file, w.at)
				}
				var col int
				if w.col != "" {
					col = strings.Index(lines[i], w.col)
				} else {
					col = strings.Index(lines[i], "(provision")
					if next := strings.Index(lines[i+1], "option"); col < 0 && next >= 0 {
						i, col = i+1, next
					}
				}
				wanted = append(wanted, fixture.Want{Rule: w.rule, Pos: fmt.Sprintf("%s:%d:%d", file, i+1, col+1), Text: w.text})
			}
			got := run(t, dirs(t, dir), files, []string{"base.proto", "policy.proto"}, ids)
			compare(t, "", wanted, got)
		})
	}
}

// TestEveryRuleHasAFailingFixture checks that each rule of the plugin is
// named by a want line of some fixture.
func TestEveryRuleHasAFailingFixture(t *testing.T) {
	t.Parallel()
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	var fixtures []string
	for _, glob := range []string{
		filepath.Join(root, "internal", "model", "testdata", "bad", "*.proto"),
		"testdata/lint/*.proto",
	} {
		paths, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		fixtures = append(fixtures, paths...)
	}
	covered := map[string]bool{}
	for _, tc := range breakingCases {
		for _, w := range tc.wants {
			covered[w.rule] = true
		}
	}
	for _, path := range fixtures {
		for _, w := range wants(t, path) {
			covered[w.Rule] = true
		}
	}
	for _, r := range privacycheck.Spec().Rules {
		if !covered[r.ID] {
			t.Errorf("rule %s has no failing fixture", r.ID)
		}
	}
}

// TestBreakingRulesAreDiffRules checks that the breaking rules are
// exactly the rules internal/diff assigns to changes.
func TestBreakingRulesAreDiffRules(t *testing.T) {
	t.Parallel()
	var got []string
	for _, r := range privacycheck.Spec().Rules {
		if r.Type == check.RuleTypeBreaking {
			got = append(got, r.ID)
		}
	}
	want := []string{diff.RuleFieldAdded, diff.RuleAgreementWeakened, diff.RuleRedactionWeakened,
		diff.RuleIdentifiabilityRaised, diff.RuleStorageCountryAdded, diff.RuleScenarioAgreementWeakened,
		diff.RuleScenarioAdded, diff.RuleProductAdded, diff.RuleExpiryRenewed, diff.RuleAcknowledgementUnreviewed}
	slices.Sort(got)
	slices.Sort(want)
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("breaking rules (-want +got):\n%s", d)
	}
}
