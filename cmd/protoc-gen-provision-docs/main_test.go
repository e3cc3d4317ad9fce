package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/plugins"
	"github.com/provisionhq/provision/internal/protoload"
)

// run runs the plugin on the repository's catalog through a real
// CodeGeneratorRequest, as buf sends it (strategy: all), with parameter
// as its options, and returns the files by name.
func run(t *testing.T, parameter string) (map[string]string, string) {
	t.Helper()
	cat, err := protoload.CompileCatalog(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return runOn(t, cat.Set, cat.Files, parameter)
}

// runOn is run on files of set, which holds them with their imports.
func runOn(t *testing.T, set *descriptorpb.FileDescriptorSet, files []string, parameter string) (map[string]string, string) {
	t.Helper()
	resp, err := plugins.Docs.Generate(protoload.Request(set, parameter, files...), ".")
	if err != nil {
		t.Fatal(err)
	}
	if resp.GetError() != "" {
		return nil, resp.GetError()
	}
	out := map[string]string{}
	for _, f := range resp.GetFile() {
		out[f.GetName()] = f.GetContent()
	}
	return out, ""
}

// TestPluginMatchesCommittedDocs runs the plugin through a real request
// and compares its output with docs/ as committed: same files, same bytes.
func TestPluginMatchesCommittedDocs(t *testing.T) {
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	got, errText := run(t, "i18n="+filepath.Join(root, "i18n")+",root="+root+",versions=testdata/versions/versions.json")
	if errText != "" {
		t.Fatal(errText)
	}
	want := map[string]string{}
	base := filepath.Join(root, "docs")
	err = filepath.WalkDir(base, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(base, path)
		want[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	names := func(m map[string]string) []string {
		out := make([]string, 0, len(m))
		for k := range m {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	if diff := cmp.Diff(names(want), names(got)); diff != "" {
		t.Fatalf("files (-docs/ +plugin):\n%s\nrun: go run ./cmd/provision generate", diff)
	}
	for name := range want {
		if want[name] != got[name] {
			t.Errorf("docs/%s differs from what the plugin makes: run go run ./cmd/provision generate", name)
		}
	}
}

func TestPluginFailsWithoutTranslations(t *testing.T) {
	tests := []struct{ name, dir, want string }{
		{"no directory", filepath.Join(t.TempDir(), "missing"), "no translation files"},
		{"wrong file name", writeTranslation(t, "fr.json", `{"language":"de","name":"Deutsch","messages":{}}`), "name it de.json"},
		{"empty translation", writeTranslation(t, "de.json", `{"language":"de","name":"Deutsch","messages":{}}`), "lack a translation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errText := run(t, "i18n="+tt.dir)
			if !strings.Contains(errText, tt.want) {
				t.Errorf("error %q, want it to mention %q", errText, tt.want)
			}
		})
	}
}

func writeTranslation(t *testing.T, name, data string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestPluginFailsOnBadVersions points the plugin at repositories whose
// list of earlier versions is broken: it fails and says why.
func TestPluginFailsOnBadVersions(t *testing.T) {
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, manifest, option, want string }{
		{"not JSON", `{"versions": [`, "", "versions:"},
		{"directory outside the repository", `{"versions":[{"product":"ksvla","version":"1","dir":"../x"}]}`, "", "a dir inside the repository"},
		{"missing directory", `{"versions":[{"product":"ksvla","version":"1","dir":"nowhere"}]}`, "", "ksvla 1"},
		{"option names no file", `{"versions": []}`, "testdata/versions/versoins.json", "versoins.json"},
		{"option outside the repository", `{"versions": []}`, "../versions.json", "inside the repository"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			manifest := filepath.Join(dir, "testdata", "versions", "versions.json")
			if err := os.MkdirAll(filepath.Dir(manifest), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(manifest, []byte(tt.manifest), 0o644); err != nil {
				t.Fatal(err)
			}
			option := tt.option
			if option == "" {
				option = "testdata/versions/versions.json"
			}
			_, errText := run(t, "i18n="+filepath.Join(root, "i18n")+",root="+dir+",versions="+option)
			if !strings.Contains(errText, tt.want) {
				t.Errorf("error %q, want it to mention %q", errText, tt.want)
			}
		})
	}
}

// TestPluginOnSecondCatalog runs the plugin on the catalog of a fictional
// company (testdata/catalogs/acme), which has no translation: with i18n=
// it writes the English pages, which name none of the repository's
// catalog; with the repository's translations it fails closed, naming the
// texts German lacks.
func TestPluginOnSecondCatalog(t *testing.T) {
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "testdata", "catalogs", "acme")
	files, err := layout.ProtoFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	set, err := protoload.CompileFixture(t.Context(), dir, files...)
	if err != nil {
		t.Fatal(err)
	}
	noVersions := t.TempDir()
	got, errText := runOn(t, set, files, "i18n=,root="+noVersions)
	if errText != "" {
		t.Fatal(errText)
	}
	vendor := regexp.MustCompile(`(?i)kaspersky|\bksn\b|ksvla|kess|keystone|light agent|security network`)
	for _, name := range []string{"en/acme-notes_eu.md", "site/en/acme-notes_eu.html", "datamap.json", "record-of-processing.csv"} {
		if !strings.Contains(got[name], "Acme Notes Terms of Service") {
			t.Errorf("%s does not name the catalog's own agreement", name)
		}
	}
	for name, content := range got {
		if strings.HasPrefix(name, "de/") || strings.Contains(name, "/de/") {
			t.Errorf("wrote %s without a translation", name)
		}
		if m := vendor.FindString(content); m != "" {
			t.Errorf("%s names the vendor of the repository's catalog (%q)", name, m)
		}
	}
	_, errText = runOn(t, set, files, "i18n="+filepath.Join(root, "i18n")+",root="+noVersions)
	if !strings.Contains(errText, `language "de"`) || !strings.Contains(errText, "agreement.acme-notes.TERMS_OF_SERVICE.title") {
		t.Errorf("with the German translation: error %q, want the missing texts of the catalog", errText)
	}
}
