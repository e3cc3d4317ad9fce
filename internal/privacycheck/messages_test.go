package privacycheck_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"buf.build/go/bufplugin/check"

	"github.com/provisionhq/provision/internal/privacycheck"
)

// breakingRuleIDs are the IDs of every breaking rule.
func breakingRuleIDs() []string {
	var ids []string
	for _, r := range privacycheck.Spec().Rules {
		if r.Type == check.RuleTypeBreaking {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// changedBase writes base.proto and a copy of it with old replaced by new
// (which must match once) to a temporary directory, and returns it.
func changedBase(t *testing.T, old, new string) string {
	t.Helper()
	base, err := os.ReadFile("testdata/breaking/base.proto")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(base), old); n != 1 {
		t.Fatalf("edit %q matches %d times", old, n)
	}
	dir := t.TempDir()
	for name, content := range map[string]string{"base.proto": string(base), "changed.proto": strings.Replace(string(base), old, new, 1)} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestFindingsEndWithRuleID checks that every finding's message ends with
// its rule ID in parentheses: buf's text output prints the message and
// the plugin's name, not the rule ID, so the message must carry it.
func TestFindingsEndWithRuleID(t *testing.T) {
	t.Parallel()
	paths, err := filepath.Glob("testdata/lint/*.proto")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	type checkRun struct {
		name           string
		dir            string
		files, against []string
		ids            []string
	}
	var runs []checkRun
	for _, path := range paths {
		runs = append(runs, checkRun{name: filepath.Base(path), dir: "testdata/lint", files: []string{filepath.Base(path), "policy.proto"}, ids: lintRuleIDs()})
	}
	weakened := changedBase(t, weakenAgreement[0], strings.ReplaceAll(weakenAgreement[1], "%s", ""))
	runs = append(runs, checkRun{name: "breaking", dir: weakened, files: []string{"changed.proto", "policy.proto"},
		against: []string{"base.proto", "policy.proto"}, ids: breakingRuleIDs()})
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			got := run(t, dirs(t, r.dir), r.files, r.against, r.ids)
			if len(got) == 0 {
				t.Fatal("no finding: the check of their messages would check nothing")
			}
			for _, w := range got {
				if !strings.HasSuffix(w.Text, " ("+w.Rule+")") {
					t.Errorf("%s: message %q does not end with (%s)", w.Pos, w.Text, w.Rule)
				}
			}
		})
	}
}

// TestBreakingRefusalOnce checks that a catalog the model refuses (here a
// field without annotation) fails buf breaking once, not once per
// breaking rule.
func TestBreakingRefusalOnce(t *testing.T) {
	t.Parallel()
	dir := changedBase(t, addField[0], strings.Replace(addField[0], "\n}", "\n  string os_name = 4;\n}", 1))
	_, err := runWith(t, fixtureOptions, dirs(t, dir), []string{"changed.proto", "policy.proto"}, []string{"base.proto", "policy.proto"}, breakingRuleIDs())
	if err == nil {
		t.Fatal("the check passed a catalog the model refuses")
	}
	msg := err.Error()
	if n := strings.Count(msg, "does not pass the model's checks"); n != 1 || strings.Count(msg, "FIELD_UNCLASSIFIED") != 1 {
		t.Errorf("the refusal is reported %d times, want once:\n%s", n, msg)
	}
}
