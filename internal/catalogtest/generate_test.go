package catalogtest_test

import (
	"encoding/json"
	"errors"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	gengo "google.golang.org/protobuf/cmd/protoc-gen-go/internal_gengo"

	"github.com/provisionhq/provision/internal/diff"
	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/gen/golang"
	"github.com/provisionhq/provision/internal/gen/jsonschema"
	"github.com/provisionhq/provision/internal/layout"
)

// TestGoGenerator runs the Go generator on the fictional catalog through a
// real CodeGeneratorRequest, as buf does, and checks its files: one for
// the product, one for each file with a payload and one for the policy's
// package comment, valid Go, with the
// catalog's own agreements as constants. Unless -short, the files compile
// with protoc-gen-go's beside them, and testdata/run's tests run in their
// package: the generated code redacts and gates by the catalog's own
// agreements.
func TestGoGenerator(t *testing.T) {
	t.Parallel()
	v := load(t, catalogV1)
	p := plugin(t, v, "")
	if err := golang.Generate(p); err != nil {
		t.Fatal(err)
	}
	files := responseFiles(t, p)
	const pkg = "example.com/acme/gen/go/acme/notes/v1/"
	var names []string
	for name, content := range files {
		names = append(names, name)
		if _, err := parser.ParseFile(token.NewFileSet(), name, content, parser.AllErrors); err != nil {
			t.Errorf("%s is not valid Go: %v", name, err)
		}
	}
	slices.Sort(names)
	want := []string{pkg + "crash_report.provision.go", pkg + "local_drafts.provision.go", pkg + "product.provision.go", pkg + "sync.provision.go", pkg + "usage.provision.go",
		"example.com/acme/gen/go/acme/policy/v1/policy.provision.go"}
	if !slices.Equal(names, want) {
		t.Errorf("generated %v, want %v", names, want)
	}
	checkOutput(t, "Go generator", files, "AgreementTermsOfService", "AgreementUsageAnalytics", titleTerms, titleCrash, titleAnalytics)
	if testing.Short() {
		return
	}
	pb := plugin(t, v, "")
	for _, f := range pb.Files {
		if f.Generate {
			gengo.GenerateFile(pb, f)
		}
	}
	for name, content := range responseFiles(t, pb) {
		files[name] = content
	}
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	run, err := os.ReadFile(filepath.Join(root, "internal", "catalogtest", "testdata", "run", "notes_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	files[pkg+"notes_test.go"] = string(run)
	testGo(t, root, files)
}

// testGo runs go test on the generated Go files as a company would: in a
// module of its own (the go_package prefix, example.com/acme) that
// requires the repository at root as its provision runtime, offline, with
// the repository's go.sum.
func testGo(t *testing.T, root string, files map[string]string) {
	t.Helper()
	const module = "example.com/acme"
	mod := t.TempDir()
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goLine := regexp.MustCompile(`(?m)^go \S+$`).Find(gomod)
	if goLine == nil {
		t.Fatal("go.mod has no go directive")
	}
	write := func(name string, content []byte) {
		path := filepath.Join(mod, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", []byte("module "+module+"\n\n"+string(goLine)+"\n\nrequire github.com/provisionhq/provision v0.0.0\n\nreplace github.com/provisionhq/provision => "+root+"\n"))
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	write("go.sum", sum)
	for name, content := range files {
		rel, ok := strings.CutPrefix(name, module+"/")
		if !ok {
			t.Fatalf("generated %s outside module %s", name, module)
		}
		write(rel, []byte(content))
	}
	cmd := exec.CommandContext(t.Context(), "go", "test", "-count=1", "./...")
	cmd.Dir = mod
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the generated Go does not compile or its tests fail: %v\n%s", err, out)
	}
}

// mapKeys yields the keys of m.
func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestJSONSchemaGenerator runs the JSON Schema generator on the fictional
// catalog through a real CodeGeneratorRequest and checks the index: every
// scenario, with a schema per consent level named after the catalog's own
// agreements.
func TestJSONSchemaGenerator(t *testing.T) {
	t.Parallel()
	p := plugin(t, load(t, catalogV1), "")
	if err := jsonschema.Run(p); err != nil {
		t.Fatal(err)
	}
	files := responseFiles(t, p)
	var index jsonschema.Index
	if err := json.Unmarshal([]byte(files[jsonschema.IndexName]), &index); err != nil {
		t.Fatalf("index: %v", err)
	}
	var ids, consents []string
	for _, s := range index.Scenarios {
		ids = append(ids, s.ID)
		for _, c := range s.Transmitted {
			if _, ok := files[c.Schema]; !ok {
				t.Errorf("%s: consent %s: schema %s was not generated", s.ID, c.Consent, c.Schema)
			}
			if !slices.Contains(consents, c.Consent) {
				consents = append(consents, c.Consent)
			}
		}
	}
	if want := []string{"acme-notes.crash-report", "acme-notes.local-drafts", "acme-notes.sync", "acme-notes.usage"}; !slices.Equal(ids, want) {
		t.Errorf("index scenarios = %v, want %v", ids, want)
	}
	for _, want := range []string{"none", "terms-of-service", "crash-reports", "usage-analytics"} {
		if !slices.Contains(consents, want) {
			t.Errorf("index consent levels %v lack %q", consents, want)
		}
	}
	checkOutput(t, "JSON Schema generator", files, `"x-provision-agreement": "terms_of_service"`, `"x-provision-agreement": "usage_analytics"`, "Device identifier")
}

// TestDocsGenerator generates the disclosure pages of the fictional
// catalog's second version in English, with the changelog from its first
// version, and checks that every page words the catalog's own agreements
// and names nothing of the repository's catalog. In German, for which the
// fictional catalog has no translation, generation fails closed with a
// clean missing-translation error that names the catalog's own keys.
func TestDocsGenerator(t *testing.T) {
	t.Parallel()
	old, cur := load(t, catalogV1), load(t, catalogV2)
	report := diff.Report{Old: "1.0", New: "2.0", Changes: diff.Compare(old.catalog, cur.catalog)}
	changelog := docs.Changelog{Product: "acme-notes", Slug: "acme-notes-1.0-to-2.0", From: "1.0", To: "2.0", Example: true, Report: report}
	generated, err := docs.Generate(cur.catalog, nil, changelog)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range generated {
		files[f.Name] = string(f.Content)
	}
	p := cur.catalog.Products[0]
	for _, name := range []string{
		docs.MarkdownPath("en", p), docs.HTMLPath("en", p), docs.DataMapFile, docs.RecordFile,
		docs.ChangelogMarkdownPath("en", changelog), docs.ChangelogHTMLPath("en", changelog),
	} {
		if files[name] == "" {
			t.Errorf("no %s among %v", name, slices.Sorted(mapKeys(files)))
		}
	}
	page := files[docs.MarkdownPath("en", p)]
	for _, want := range []string{
		// The catalog's own lead sentence, and the generic one for an
		// agreement that declares none.
		"Under the Acme Notes Terms of Service, the app sends to Acme Telemetry Ltd the following information when it syncs:",
		"Under the Acme crash reporting (opt-in), you agree to automatically send to Acme Telemetry Ltd the following information:",
		// The short names in the columns of consent levels, in plain
		// words, and implications with their provenance.
		"| Information | Identifiability | With crash reports |",
		"| With terms of service, without usage analytics | With usage analytics |",
		"Without terms of service, nothing is sent.",
		"Crash reports implies terms of service, in the maintainers' assessment.",
		"Usage analytics implies terms of service.",
		// A short name the title does not contain is spelt out, as a
		// sentence of its own.
		"Crash reports: Acme crash reporting (opt-in).",
		// The data never sent.
		"Titles of your drafts",
		"Data-processing policy of Acme Telemetry Ltd",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("%s does not say %q", docs.MarkdownPath("en", p), want)
		}
	}
	if record := files[docs.RecordFile]; !strings.Contains(record, "Holders of an Acme Notes account, on each phone or computer they sign in on") {
		t.Errorf("the record of processing does not name the data subjects the catalog declares:\n%s", record)
	}
	if cl := files[docs.ChangelogMarkdownPath("en", changelog)]; !strings.Contains(cl, "Interface language of the app is now sent with the "+titleTerms) {
		t.Errorf("the changelog does not report the weakened agreement:\n%s", cl)
	}
	checkOutput(t, "docs generator", files, titleTerms, titleCrash, titleAnalytics)

	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	translations, err := docs.ReadTranslations(filepath.Join(root, "i18n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = docs.Generate(cur.catalog, translations, changelog)
	var missing *docs.MissingTranslationError
	if !errors.As(err, &missing) {
		t.Fatalf("German pages of an untranslated catalog: error %v, want a *docs.MissingTranslationError", err)
	}
	if missing.Language != "de" {
		t.Errorf("missing translation of language %q, want de", missing.Language)
	}
	if len(changelog.Report.Changes) == 0 {
		t.Fatal("no change between the two versions of the catalog")
	}
	for _, key := range []string{"agreement.acme-notes.TERMS_OF_SERVICE.title", "scenario.acme-notes.sync.title",
		"product.acme-notes.data_subjects", docs.ChangeKey(changelog.Slug, changelog.Report.Changes[0])} {
		if _, ok := missing.Missing[key]; !ok {
			t.Errorf("the missing-translation error does not name key %s", key)
		}
	}
	checkOutput(t, "docs generator (German)", map[string]string{"error": err.Error()}, titleTerms)
}
