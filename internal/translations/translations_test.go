package translations_test

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionhq/provision/internal/fixture"
	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/translations"
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestReadConfig(t *testing.T) {
	t.Parallel()
	const head = "version: v2\nplugins:\n  - local: [go, tool, protoc-gen-go]\n    out: gen/go\n"
	docsPlugin := func(opts string) string {
		return head + "  - local: [go, run, ./cmd/protoc-gen-provision-docs]\n    out: docs\n    strategy: all\n    opt: [" + opts + "]\n"
	}
	tests := []struct {
		name    string
		yaml    string // none: no buf.gen.yaml
		want    translations.Config
		wantErr string
	}{
		{"this repository's options", docsPlugin("i18n=i18n, versions=testdata/versions/versions.json"),
			translations.Config{Dir: "i18n", Enabled: true, Versions: "testdata/versions/versions.json"}, ""},
		{"English only", docsPlugin("i18n="), translations.Config{Dir: translations.DefaultDir}, ""},
		{"no option: the plugin's default", docsPlugin(""), translations.Config{Dir: translations.DefaultDir, Enabled: true}, ""},
		{"another directory", docsPlugin("i18n=./pages/i18n/"), translations.Config{Dir: "pages/i18n", Enabled: true}, ""},
		{"versions under root=", docsPlugin("root=sub,versions=v.json"), translations.Config{Dir: "i18n", Enabled: true, Versions: "sub/v.json"}, ""},
		{"directory outside", docsPlugin("i18n=../elsewhere"), translations.Config{}, "i18n=../elsewhere: want a path inside the repository"},
		{"absolute directory", docsPlugin("i18n=/etc"), translations.Config{}, "i18n=/etc: want a path inside"},
		{"versions outside", docsPlugin("versions=../v.json"), translations.Config{}, "versions=../v.json"},
		{"no docs plugin", head, translations.Config{}, "buf.gen.yaml: no plugin is protoc-gen-provision-docs"},
		{"no buf.gen.yaml", "", translations.Config{}, "buf.gen.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			if tt.yaml != "" {
				writeFile(t, filepath.Join(root, "buf.gen.yaml"), tt.yaml)
			}
			got, err := translations.ReadConfig(root)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ReadConfig() error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ReadConfig() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// loadAdopted loads a new repository of `provision init` (fixture.Adopted).
func loadAdopted(t *testing.T) *translations.Repository {
	t.Helper()
	repo, err := translations.Load(t.Context(), fixture.Adopted(t))
	if err != nil {
		t.Fatal(err)
	}
	if repo.Config.Enabled {
		t.Errorf("a new repository's buf.gen.yaml enables translations (%+v): its README says it writes English only until a language is added", repo.Config)
	}
	return repo
}

// at returns a copy of repo whose files are under a new directory: Plan
// and Write read and write only the translation directory of the root.
func at(t *testing.T, repo *translations.Repository) *translations.Repository {
	t.Helper()
	c := *repo
	c.Root = t.TempDir()
	return &c
}

// filled returns the German file of repo with every text translated
// ("DE: " and the English, which keeps its placeholders).
func filled(t *testing.T, repo *translations.Repository) *docs.Translation {
	t.Helper()
	updates, err := at(t, repo).Plan("de")
	if err != nil || len(updates) != 1 {
		t.Fatalf("Plan(de) = %v, %v; want one new file", updates, err)
	}
	tr, err := docs.ParseTranslation("de.json", updates[0].After)
	if err != nil {
		t.Fatal(err)
	}
	for k, m := range tr.Messages {
		m.Text = "DE: " + m.En
		tr.Messages[k] = m
	}
	return tr
}

func marshal(t *testing.T, tr *docs.Translation) string {
	t.Helper()
	data, err := tr.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestPlan(t *testing.T) {
	t.Parallel()
	repo := loadAdopted(t)
	full := filled(t, repo)
	keys := slices.Sorted(maps.Keys(full.Messages))
	if len(keys) < 2 {
		t.Fatalf("the sample's pages use %d texts, want several", len(keys))
	}
	first, second := keys[0], keys[1]
	edit := func(f func(*docs.Translation)) string {
		c := *full
		c.Messages = maps.Clone(full.Messages)
		f(&c)
		return marshal(t, &c)
	}
	type want struct {
		paths   []string // the files planned
		changed []bool
		// open are the keys left to translate or review, of the only
		// file, nil for every key (a new file).
		open    []string
		review  map[string]string // key → English it was translated from
		text    map[string]string // key → its text after the update
		absent  []string          // keys the update drops
		wantErr string
	}
	tests := []struct {
		name  string
		files map[string]string // under i18n/
		add   []string
		want  want
	}{
		{name: "no file, no language", want: want{}},
		{name: "a new language", add: []string{"de"}, want: want{paths: []string{"i18n/de.json"}, changed: []bool{true}}},
		{name: "every text translated", files: map[string]string{"de.json": marshal(t, full)},
			want: want{paths: []string{"i18n/de.json"}, changed: []bool{false}, open: []string{}}},
		{name: "-lang of a language present adds no file", files: map[string]string{"de.json": marshal(t, full)}, add: []string{"de"},
			want: want{paths: []string{"i18n/de.json"}, changed: []bool{false}, open: []string{}}},
		{name: "a second language beside the first", files: map[string]string{"de.json": marshal(t, full)}, add: []string{"fr"},
			want: want{paths: []string{"i18n/de.json", "i18n/fr.json"}, changed: []bool{false, true}}},
		{name: "a missing text is added empty", files: map[string]string{"de.json": edit(func(c *docs.Translation) { delete(c.Messages, first) })},
			want: want{paths: []string{"i18n/de.json"}, changed: []bool{true}, open: []string{first}, text: map[string]string{first: "", second: full.Messages[second].Text}}},
		{name: "a changed English keeps the translation, marked", files: map[string]string{"de.json": edit(func(c *docs.Translation) {
			c.Messages[first] = docs.Message{En: "The old English", Text: "Das alte Deutsch"}
		})}, want: want{paths: []string{"i18n/de.json"}, changed: []bool{true}, open: []string{first},
			review: map[string]string{first: "The old English"}, text: map[string]string{first: "Das alte Deutsch"}}},
		{name: "an unused key is dropped", files: map[string]string{"de.json": edit(func(c *docs.Translation) {
			c.Messages["scenario.gone.title"] = docs.Message{En: "Gone", Text: "Weg"}
		})}, want: want{paths: []string{"i18n/de.json"}, changed: []bool{true}, open: []string{}, absent: []string{"scenario.gone.title"}}},
		{name: "a malformed file is named with its line and column", files: map[string]string{"de.json": "{\n  \"language\": \"de\",\n  \"name\": ,\n}\n"},
			want: want{wantErr: "i18n/de.json:3:11: invalid character ','"}},
		{name: "a misspelt field is refused", files: map[string]string{"de.json": strings.Replace(marshal(t, full), `"text"`, `"txt"`, 1)},
			want: want{wantErr: `i18n/de.json:`}},
		{name: "a file named after another language", files: map[string]string{"fr.json": marshal(t, full)},
			want: want{wantErr: `i18n/fr.json holds language "de": name it de.json`}},
		{name: "not a language tag", add: []string{"German"}, want: want{wantErr: `language "German"`}},
		{name: "English is the source", add: []string{"en"}, want: want{wantErr: `language "en"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := at(t, repo)
			for name, content := range tt.files {
				writeFile(t, filepath.Join(r.Root, "i18n", name), content)
			}
			updates, err := r.Plan(tt.add...)
			if tt.want.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want.wantErr) {
					t.Fatalf("Plan() error = %v, want one containing %q", err, tt.want.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var paths []string
			var changed []bool
			for _, u := range updates {
				paths, changed = append(paths, u.Path), append(changed, u.Changed())
			}
			if diff := cmp.Diff(tt.want.paths, paths); diff != "" {
				t.Fatalf("Plan() files (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want.changed, changed); diff != "" {
				t.Errorf("Plan() changed (-want +got):\n%s", diff)
			}
			for _, u := range updates {
				after, err := docs.ParseTranslation(u.Path, u.After)
				if err != nil {
					t.Fatalf("the update of %s does not parse: %v", u.Path, err)
				}
				if diff := cmp.Diff(keys, slices.Sorted(maps.Keys(after.Messages))); diff != "" {
					t.Errorf("%s after the update has other keys than the pages use (-want +got):\n%s", u.Path, diff)
				}
				var open []string
				for _, o := range u.Open {
					open = append(open, o.Key)
					if want := tt.want.review[o.Key]; o.Review != want {
						t.Errorf("%s: open %s marked for review from %q, want %q", u.Path, o.Key, o.Review, want)
					}
					if o.En != after.Messages[o.Key].En {
						t.Errorf("%s: open %s with English %q, want %q", u.Path, o.Key, o.En, after.Messages[o.Key].En)
					}
				}
				wantOpen := tt.want.open
				if u.Before == nil {
					wantOpen = keys // a new file: every text
				}
				if diff := cmp.Diff(wantOpen, open, cmpEmpty); diff != "" {
					t.Errorf("%s: open texts (-want +got):\n%s", u.Path, diff)
				}
				for k, text := range tt.want.text {
					if got := after.Messages[k].Text; got != text {
						t.Errorf("%s: %s has text %q, want %q", u.Path, k, got, text)
					}
				}
				for _, k := range tt.want.absent {
					if _, ok := after.Messages[k]; ok {
						t.Errorf("%s keeps the unused key %s", u.Path, k)
					}
				}
			}
		})
	}
}

// cmpEmpty treats a nil and an empty list of keys alike.
var cmpEmpty = cmp.Comparer(func(a, b []string) bool { return slices.Equal(a, b) })

// TestWrite writes a new language and plans again: nothing is left to
// change, a language's name is its own, and the directory is created.
func TestWrite(t *testing.T) {
	t.Parallel()
	r := at(t, loadAdopted(t))
	updates, err := r.Plan("de")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Write(updates); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(r.Root, "i18n", "de.json"))
	if err != nil {
		t.Fatal(err)
	}
	var head struct{ Language, Name string }
	if err := json.Unmarshal(data, &head); err != nil || head.Language != "de" || head.Name != "Deutsch" {
		t.Errorf("i18n/de.json starts %+v (%v), want language de named Deutsch", head, err)
	}
	again, err := r.Plan()
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != 1 || again[0].Changed() {
		t.Errorf("Plan() after Write = %+v, want i18n/de.json unchanged", again)
	}
	if missing, review := again[0].Missing(); missing != len(again[0].Open) || review != 0 {
		t.Errorf("Missing() = %d, %d; want every one of the %d open texts missing and none to review", missing, review, len(again[0].Open))
	}
}
