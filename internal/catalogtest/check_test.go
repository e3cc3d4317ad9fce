package catalogtest_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"buf.build/go/bufplugin/check"
	"buf.build/go/bufplugin/check/checktest"

	"github.com/provisionhq/provision/internal/diff"
	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/privacycheck"
)

// annotation is one finding of the buf plugin: its rule, the file it is
// placed in and its message.
type annotation struct {
	rule, file, message string
}

// runPlugin checks the version of the fictional catalog at dir with the
// plugin's rules of type typ, against the version at againstDir when it
// is set, as buf lint or buf breaking run it, with no plugin option: the
// fictional catalog exempts nothing.
func runPlugin(t *testing.T, typ check.RuleType, dir, againstDir string) []annotation {
	t.Helper()
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	spec := func(dir string) *checktest.ProtoFileSpec {
		files, err := layout.ProtoFiles(dir)
		if err != nil {
			t.Fatal(err)
		}
		return &checktest.ProtoFileSpec{DirPaths: append([]string{dir}, layout.ImportPaths(root)...), FilePaths: files}
	}
	var ids []string
	for _, r := range privacycheck.Spec().Rules {
		if r.Type == typ {
			ids = append(ids, r.ID)
		}
	}
	rs := &checktest.RequestSpec{Files: spec(dir), RuleIDs: ids}
	if againstDir != "" {
		rs.AgainstFiles = spec(againstDir)
	}
	req, err := rs.ToRequest(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	client, err := check.NewClientForSpec(privacycheck.Spec())
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Check(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	var out []annotation
	for _, a := range resp.Annotations() {
		loc := a.FileLocation()
		out = append(out, annotation{a.RuleID(), loc.FileDescriptor().ProtoreflectFileDescriptor().Path(), a.Message()})
	}
	return out
}

// TestLintRules runs every lint rule of the buf plugin on the fictional
// catalog, which passes them, and on copies that break them: each finding
// speaks of the catalog's own fields and agreements.
func TestLintRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		file     string
		old, new string
		want     []string // "RULE file"
		says     string   // in the first finding's message
	}{
		{name: "the catalog passes"},
		{
			name: "IP address kept", file: "acme/notes/v1/sync.proto",
			old: "ip_truncate: {}", new: "keep: {}",
			want: []string{"IP_TRUNCATED acme/notes/v1/sync.proto"},
			says: `field client_ip of scenario "acme-notes.sync" is an IP address sent with keep under consent [TERMS_OF_SERVICE]`,
		},
		{
			name: "identifier in clear", file: "acme/notes/v1/sync.proto",
			old: `hmac: {key_id: "acme-device"}`, new: "keep: {}",
			want: []string{"IDENTIFIER_NOT_KEPT acme/notes/v1/sync.proto"},
			says: "is a pseudonymous identifier sent as it is under consent [TERMS_OF_SERVICE]",
		},
		{
			name: "undeclared agreement", file: "acme/notes/v1/crash_report.proto",
			old: `agreement: "CRASH_REPORTS"`, new: `agreement: "CLOUD_EXTENDED"`,
			want: []string{"AGREEMENT_UNKNOWN acme/notes/v1/crash_report.proto"},
			says: "it declares TERMS_OF_SERVICE, CRASH_REPORTS, USAGE_ANALYTICS",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := load(t, catalogV1).dir
			if tt.file != "" {
				dir = copyWith(t, tt.file, tt.old, tt.new)
			}
			got := runPlugin(t, check.RuleTypeLint, dir, "")
			var keys []string
			texts := map[string]string{}
			for i, a := range got {
				keys = append(keys, a.rule+" "+a.file)
				texts[fmt.Sprintf("finding %d", i)] = a.message
			}
			if strings.Join(keys, "\n") != strings.Join(tt.want, "\n") {
				t.Fatalf("findings %q, want %q\n%+v", keys, tt.want, got)
			}
			if len(got) == 0 {
				return
			}
			if !strings.Contains(got[0].message, tt.says) {
				t.Errorf("finding %q, want it to say %q", got[0].message, tt.says)
			}
			checkOutput(t, "lint rules", texts)
		})
	}
}

// TestBreakingRules runs every breaking rule of the buf plugin on the
// fictional catalog's second version against its first: the one change
// that gives less privacy is reported, in the catalog's own words.
func TestBreakingRules(t *testing.T) {
	t.Parallel()
	got := runPlugin(t, check.RuleTypeBreaking, load(t, catalogV2).dir, load(t, catalogV1).dir)
	if len(got) != 1 {
		t.Fatalf("findings %+v, want one", got)
	}
	if want := (annotation{rule: diff.RuleAgreementWeakened, file: "acme/notes/v1/sync.proto"}); got[0].rule != want.rule || got[0].file != want.file {
		t.Errorf("finding %s in %s, want %s in %s", got[0].rule, got[0].file, want.rule, want.file)
	}
	checkOutput(t, "breaking rules", map[string]string{"finding": got[0].message}, titleTerms, titleAnalytics, `field client.locale`)
	// Unchanged, the catalog has nothing to report against itself.
	if same := runPlugin(t, check.RuleTypeBreaking, load(t, catalogV1).dir, load(t, catalogV1).dir); len(same) != 0 {
		t.Errorf("the first version against itself: findings %+v, want none", same)
	}
}

// TestDiff compares the fictional catalog's two versions: the one change
// is the locale sent under the terms of service rather than only with
// usage analytics, a finding of the breaking rule it names, worded in
// every format with the catalog's own agreement titles.
func TestDiff(t *testing.T) {
	t.Parallel()
	changes := diff.Compare(load(t, catalogV1).catalog, load(t, catalogV2).catalog)
	if len(changes) != 1 {
		t.Fatalf("changes %+v, want one", changes)
	}
	c := changes[0]
	if c.Kind != diff.AgreementChanged || c.Field != "client.locale" || c.Old != "USAGE_ANALYTICS" || c.New != "TERMS_OF_SERVICE" {
		t.Errorf("change = %+v, want client.locale moved from USAGE_ANALYTICS to TERMS_OF_SERVICE", c)
	}
	if !c.Weaker || c.Rule != diff.RuleAgreementWeakened || !c.Finding() {
		t.Errorf("change: weaker %v, rule %q, finding %v; want a finding of %s", c.Weaker, c.Rule, c.Finding(), diff.RuleAgreementWeakened)
	}
	if back := diff.Compare(load(t, catalogV2).catalog, load(t, catalogV1).catalog); len(back) != 1 || back[0].Weaker {
		t.Errorf("the way back: %+v, want one change that gives more privacy", back)
	}
	report := diff.Report{Old: "1.0", New: "2.0", Changes: changes}
	texts := map[string]string{}
	for _, format := range diff.Formats {
		var b bytes.Buffer
		if err := report.Write(&b, format); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		texts[format] = b.String()
	}
	checkOutput(t, "diff", texts, titleAnalytics)
	for _, format := range []string{"text", "json"} {
		if text := texts[format]; !strings.Contains(text, diff.RuleAgreementWeakened) {
			t.Errorf("%s report does not name %s:\n%s", format, diff.RuleAgreementWeakened, text)
		}
	}
	if want := "Interface language of the app is now sent with the " + titleTerms + "; before, only with the " + titleAnalytics + "."; c.Text != want {
		t.Errorf("change text %q, want %q", c.Text, want)
	}
}

// TestDiffStorageCountries moves the fictional company's storage from the
// Netherlands to Poland: the diff names both countries, whichever
// countries the repository's catalog uses.
func TestDiffStorageCountries(t *testing.T) {
	t.Parallel()
	moved, err := compileDir(t.Context(), copyWith(t, "acme/policy/v1/policy.proto", `"NL"`, `"PL"`))
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, c := range diff.Compare(load(t, catalogV1).catalog, moved.catalog) {
		if c.Scenario == "acme-notes.sync" {
			texts = append(texts, c.Text)
		}
	}
	want := []string{"The data is now also stored in Poland (PL).", "The data is no longer stored in the Netherlands (NL)."}
	if strings.Join(texts, "\n") != strings.Join(want, "\n") {
		t.Errorf("changes of acme-notes.sync:\n%s\nwant:\n%s", strings.Join(texts, "\n"), strings.Join(want, "\n"))
	}
}
