package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/layout"
)

// adoptModule is the module path of the catalog repository TestAdoption
// creates.
const adoptModule = "example.com/acme/catalog"

// scenarioAddedRule is the ID of the breaking rule that reports a new
// scenario. The scenario TestAdoption adds carries an acknowledgement of
// it, as an author writes one once buf breaking asks for it.
const scenarioAddedRule = "SCENARIO_ADDED"

// TestAdoption is the acceptance test of adoption outside this repository:
// `provision init` creates a catalog repository in a temporary directory
// (provision resolved to this checkout with a replace directive), and the
// test works in it as its authors would, with the go command and buf
// only: it pushes the sample, as released, to a registry the test starts,
// adds a second scenario, generates, runs buf breaking against the
// release (a weakened redaction is refused, by buf, diff and the
// registry, until it is acknowledged), adds German pages with
// `provision i18n -lang de`, runs the repository's .ci/run
// with a small client of its generated package among the tests, and
// pushes the acknowledged catalog as the registry's second version.
func TestAdoption(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the provision tools and buf in a new module: skipped with -short")
	}
	t.Parallel()
	checkout, err := filepath.Abs(repoRootDir(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "acme-catalog")
	var out, errb bytes.Buffer
	start := time.Now()
	if code := run(t.Context(), []string{"init", "-module", adoptModule, "-replace", checkout, dir}, &out, &errb); code != exitOK {
		t.Fatalf("provision init = %d\n%s%s", code, out.String(), errb.String())
	}
	t.Logf("provision init: %v", time.Since(start).Round(time.Millisecond))
	if _, err := layout.FindRoot(dir); err != nil {
		t.Fatalf("init wrote no repository: %v", err)
	}

	// sh runs a command in the new repository and returns its combined
	// output, failing the test unless it exits as wantOK says.
	sh := func(wantOK bool, name string, args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(t.Context(), name, args...)
		cmd.Dir = dir
		start := time.Now()
		got, err := cmd.CombinedOutput()
		t.Logf("%s %s: %v", name, strings.Join(args, " "), time.Since(start).Round(time.Millisecond))
		if ok := err == nil; ok != wantOK {
			t.Fatalf("%s %s: error %v, want success %v\n%s", name, strings.Join(args, " "), err, wantOK, got)
		}
		return string(got)
	}
	provision := func(wantOK bool, args ...string) string {
		t.Helper()
		return sh(wantOK, "go", append([]string{"tool", "provision"}, args...)...)
	}
	buf := func(wantOK bool, args ...string) string {
		t.Helper()
		return sh(wantOK, "go", append([]string{"tool", "-modfile=tools/go.mod", "buf"}, args...)...)
	}

	// The sample as it was created is the release buf breaking compares
	// with, as the repository's README says to write it, and the first
	// version of the catalog in a registry the test starts.
	buf(true, "build", "proto", "--exclude-source-info", "-o", "released.binpb")
	server, url := startServe(t, filepath.Join(t.TempDir(), "registry.db"))
	t.Cleanup(func() {
		server.Process.Kill()
		server.Wait()
	})
	push := func(wantOK bool, args ...string) string {
		t.Helper()
		return provision(wantOK, append([]string{"registry", "push", "-registry", url, "-catalog", "acme"}, args...)...)
	}
	if got := push(true, "-image", "released.binpb"); !strings.Contains(got, "catalog acme version 1 (new") {
		t.Errorf("registry push of the release = %q, want version 1", got)
	}

	// A second scenario: Acme's crash report, in the new module's Go
	// package, acknowledged as a new scenario.
	crash := readFile(t, filepath.Join(checkout, "testdata", "catalogs", "acme", "acme", "notes", "v1", "crash_report.proto"))
	crash = strings.ReplaceAll(crash, `"example.com/acme/gen/go/`, `"`+adoptModule+`/gen/go/`)
	crash = acknowledge(t, crash, `id: "acme-notes.crash-report"`, scenarioAddedRule, "acme-notes.crash-report is a new opt-in of Acme Notes 1.1.")
	writeFile(t, filepath.Join(dir, "proto", "acme", "notes", "v1", "crash_report.proto"), crash)
	provision(true, "generate")
	inspect := provision(true, "inspect", "-format", "json")
	var rows []inspectRow
	if err := json.Unmarshal([]byte(inspect), &rows); err != nil {
		t.Fatalf("inspect -format json: %v\n%s", err, inspect)
	}
	scenarios := map[string]bool{}
	for _, r := range rows {
		scenarios[r.Scenario] = true
	}
	if !scenarios["acme-notes.sync"] || !scenarios["acme-notes.crash-report"] {
		t.Errorf("inspect lists the scenarios %v, want the sample's and the added one", scenarios)
	}

	// A weakened redaction: the app version is sent whole under the terms
	// of service. buf breaking and diff -fail-on-breaking refuse it...
	syncPath := filepath.Join(dir, "proto", "acme", "notes", "v1", "sync.proto")
	sync := readFile(t, syncPath)
	generalized := "      redaction: {\n        generalize_version: {keep_components: 2}\n      }\n"
	if strings.Count(sync, generalized) != 1 {
		t.Fatalf("the sample's sync.proto has no single redaction %q to weaken", generalized)
	}
	sync = strings.Replace(sync, generalized, "      redaction: {\n        keep: {}\n      }\n", 1)
	writeFile(t, syncPath, sync)
	findings := buf(false, "breaking", "proto", "--against", "released.binpb", "--error-format", "json")
	if rules := findingRules(t, findings); !slices.Equal(rules, []string{"REDACTION_WEAKENED"}) {
		t.Errorf("buf breaking after weakening a redaction reports %v, want [REDACTION_WEAKENED]\n%s", rules, findings)
	}
	provision(false, "diff", "-fail-on-breaking", "released.binpb")
	if got := push(false); !strings.Contains(got, "REDACTION_WEAKENED") {
		t.Errorf("registry push of a weakened redaction = %q, want it refused by REDACTION_WEAKENED", got)
	}

	// ...until the field acknowledges it and the scenario records the
	// review it rests on (ACKNOWLEDGEMENT_UNREVIEWED otherwise): then the
	// repository's own CI (generate -check, buf lint, buf breaking against
	// the release, buf format, go vet, go test) passes, with a client of
	// the generated package among the tests.
	sync = acknowledge(t, sync, `label: "Version of Acme Notes"`, "REDACTION_WEAKENED", "Support needs the full version to reproduce sync bugs.")
	if strings.Count(sync, "    reviews: {\n") != 1 {
		t.Fatalf("the sample's sync.proto has no single review to add one before")
	}
	sync = strings.Replace(sync, "    reviews: {\n", "    reviews: {\n      reference: \"acme-fictional/support\"\n      date: \""+time.Now().UTC().Format(time.DateOnly)+
		"\"\n      reviewer: \"Acme Notes privacy team\"\n      scope: \"Fictional: the app version sent whole, for the adoption test.\"\n    }\n    reviews: {\n", 1)
	writeFile(t, syncPath, sync)
	if got := provision(true, "diff", "-fail-on-breaking", "released.binpb"); !strings.Contains(got, "REDACTION_WEAKENED") {
		t.Errorf("diff does not show the acknowledged change:\n%s", got)
	}
	// German pages, as the repository's README says: i18n -lang de
	// lists every text, -check fails until they are translated, and
	// with i18n=i18n in buf.gen.yaml generate writes them (and .ci/run
	// checks them with i18n -check).
	if got := provision(true, "i18n", "-lang", "de"); !strings.Contains(got, "added    i18n/de.json") {
		t.Errorf("provision i18n -lang de = %q, want it to add i18n/de.json", got)
	}
	provision(false, "i18n", "-check")
	dePath := filepath.Join(dir, "i18n", "de.json")
	de, err := docs.ReadTranslationFile(dePath, "i18n/de.json")
	if err != nil {
		t.Fatal(err)
	}
	for k, m := range de.Messages {
		m.Text = "DE: " + m.En
		de.Messages[k] = m
	}
	data, err := de.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dePath, string(data))
	genPath := filepath.Join(dir, "buf.gen.yaml")
	writeFile(t, genPath, strings.Replace(readFile(t, genPath), "- i18n=\n", "- i18n=i18n\n", 1))
	provision(true, "generate")
	if page := readFile(t, filepath.Join(dir, "docs", "de", "index.md")); !strings.Contains(page, "DE: ") {
		t.Errorf("docs/de/index.md holds no German text:\n%s", page)
	}
	writeFile(t, filepath.Join(dir, "client", "client_test.go"), adoptClientTest)
	ci := sh(true, "bash", ".ci/run")
	for _, want := range []string{"== provision i18n -check", "== buf breaking against released.binpb", "ok  \t" + adoptModule + "/client"} {
		if !strings.Contains(ci, want) {
			t.Errorf(".ci/run output lacks %q:\n%s", want, ci)
		}
	}

	// The acknowledged version is the catalog's second in the registry.
	if got := push(true); !regexp.MustCompile(`catalog acme version 2 \(new, .*\), 2 scenario subjects`).MatchString(got) {
		t.Errorf("registry push = %q, want version 2 with the 2 scenarios", got)
	}
}

// acknowledge returns src with an acknowledgement of rule, with reason,
// written on the line after the first that contains at: the first line of
// a (provision.v1.field) or (provision.v1.scenario) option.
func acknowledge(t *testing.T, src, at, rule, reason string) string {
	t.Helper()
	lines := strings.SplitAfter(src, "\n")
	for i, line := range lines {
		if strings.Contains(line, at) {
			indent := line[:len(line)-len(strings.TrimLeft(line, " "))]
			ack := indent + "acknowledged: {\n" + indent + "  rule: \"" + rule + "\"\n" + indent + "  reason: \"" + reason + "\"\n" + indent + "}\n"
			return strings.Join(slices.Insert(lines, i+1, ack), "")
		}
	}
	t.Fatalf("no line with %q to acknowledge %s after", at, rule)
	return ""
}

// findingRules returns the sorted rule IDs of buf's JSON findings in out,
// which may also hold the go command's messages (downloads) on lines of
// their own.
func findingRules(t *testing.T, out string) []string {
	t.Helper()
	var rules []string
	for line := range strings.Lines(out) {
		if !strings.HasPrefix(line, "{") {
			continue
		}
		var f struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal([]byte(line), &f); err != nil {
			t.Fatalf("buf breaking output %q: %v", line, err)
		}
		rules = append(rules, f.Type)
	}
	slices.Sort(rules)
	return rules
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// adoptClientTest is the client TestAdoption writes into the new
// repository: it imports the generated package of that repository and
// the provision runtime, redacts the sample's sync request and gates the
// added crash report on its agreement.
const adoptClientTest = `package client_test

import (
	"strings"
	"testing"

	"github.com/provisionhq/provision"

	notesv1 "` + adoptModule + `/gen/go/acme/notes/v1"
)

func TestSyncRedacted(t *testing.T) {
	consent, err := notesv1.NewConsent(notesv1.AgreementTermsOfService)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := provision.NewStaticKeys(map[string][]byte{"acme-device": []byte("client-test-key-0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	req := &notesv1.SyncRequest{
		DeviceId: "9b2f6c1e-4d7a-4e8b-9f10-2a3b4c5d6e7f",
		Client:   &notesv1.ClientInfo{AppVersion: "4.2.17", Platform: notesv1.Platform_PLATFORM_DESKTOP},
		ClientIp: "203.0.113.77",
	}
	if err := req.Validate(consent); err != nil {
		t.Fatalf("Validate() = %v", err)
	}
	if err := req.Redact(consent, keys); err != nil {
		t.Fatalf("Redact() = %v", err)
	}
	if got := req.GetDeviceId(); got == "9b2f6c1e-4d7a-4e8b-9f10-2a3b4c5d6e7f" || !strings.HasPrefix(got, "v2:") {
		t.Errorf("device ID after Redact = %q, want a keyed hash", got)
	}
	if got, want := req.GetClientIp(), "203.0.113.0"; got != want {
		t.Errorf("IP address after Redact = %q, want %q", got, want)
	}
	// The acknowledged weakening: the version is kept whole.
	if got, want := req.GetClient().GetAppVersion(), "4.2.17"; got != want {
		t.Errorf("app version after Redact = %q, want %q", got, want)
	}
}

func TestCrashReportNeedsItsAgreement(t *testing.T) {
	terms, err := notesv1.NewConsent(notesv1.AgreementTermsOfService)
	if err != nil {
		t.Fatal(err)
	}
	report := &notesv1.CrashReport{AppVersion: "4.2.17"}
	if err := report.Redact(terms, nil); err != nil {
		t.Fatalf("Redact() = %v", err)
	}
	if got := report.GetAppVersion(); got != "" {
		t.Errorf("app version of a crash report without consent to crash reports = %q, want it cleared", got)
	}
}
`
