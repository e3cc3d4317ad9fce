package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/provisionhq/provision/internal/fixture"
	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/translations"
)

// TestI18nInAdoptedRepository adds German to a repository `provision
// init` creates, as its README says, one step after the other: `provision
// i18n -lang de` writes the file and lists every text, -check fails until
// a translator has filled them in, buf.gen.yaml then names i18n/, and the
// pages are generated in German. Nothing runs the go command (the
// repository is fixture.Adopted, the pages come from the docs generator
// in process): TestAdoption runs the real generate.
func TestI18nInAdoptedRepository(t *testing.T) {
	t.Parallel()
	root := fixture.Adopted(t)
	de := filepath.Join(root, "i18n", "de.json")
	// keys returns how many texts i18n/de.json holds, and how many of
	// them have a translation.
	keys := func() (all, done int) {
		t.Helper()
		tr, err := docs.ReadTranslationFile(de, "i18n/de.json")
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range tr.Messages {
			if m.Text != "" && m.Review == "" {
				done++
			}
		}
		return len(tr.Messages), done
	}
	// edit rewrites i18n/de.json with f applied to its messages.
	edit := func(f func(map[string]docs.Message)) {
		t.Helper()
		tr, err := docs.ReadTranslationFile(de, "i18n/de.json")
		if err != nil {
			t.Fatal(err)
		}
		f(tr.Messages)
		data, err := tr.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(de, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var oneKey, saved string
	steps := []struct {
		name   string
		before func()
		lang   string
		check  bool
		code   int
		stdout func() []string // substrings, computed when the step runs
		stderr func() []string
	}{
		{name: "English only: nothing to check", check: true, code: exitOK,
			stdout: func() []string { return []string{"i18n/ holds no translation", "provision i18n -lang de"} }},
		{name: "-lang de writes the file and lists every text", lang: "de", code: exitOK, stdout: func() []string {
			all, _ := keys()
			return []string{"added    i18n/de.json", fmt.Sprintf("i18n/de.json: %d to translate, 0 to review", all),
				"write i18n=i18n there", "once every text is translated"}
		}},
		{name: "-check fails while texts are empty", check: true, code: exitFailed, stderr: func() []string {
			all, _ := keys()
			return []string{fmt.Sprintf("i18n/de.json: %d to translate", all), "translate "}
		}},
		{name: "translated, -check passes", before: func() {
			edit(func(ms map[string]docs.Message) {
				for k, m := range ms {
					m.Text = "DE: " + m.En
					ms[k] = m
					oneKey = k
				}
			})
		}, check: true, code: exitOK, stdout: func() []string { return []string{"i18n/de.json: up to date, every text is translated"} }},
		{name: "a text no page uses: -check fails, i18n drops it", before: func() {
			edit(func(ms map[string]docs.Message) { ms["scenario.gone.title"] = docs.Message{En: "Gone", Text: "Weg"} })
		}, check: true, code: exitFailed, stderr: func() []string { return []string{"i18n/de.json would change", "run 'provision i18n'"} }},
		{name: "refreshed, nothing is left", code: exitOK, stdout: func() []string {
			return []string{"changed  i18n/de.json", "i18n/de.json: every text is translated", "every text is translated, write i18n=i18n"}
		}},
		{name: "a changed English is kept for review", before: func() {
			edit(func(ms map[string]docs.Message) {
				m := ms[oneKey]
				m.En = "An older English"
				ms[oneKey] = m
			})
		}, code: exitOK, stdout: func() []string {
			return []string{"i18n/de.json: 0 to translate, 1 to review", "review    " + oneKey, `translated from "An older English"`}
		}},
		{name: "not a language", lang: "German", code: exitFailed, stderr: func() []string { return []string{`language "German"`} }},
		{name: "a malformed file is named with line and column", before: func() {
			saved = readFile(t, de)
			if err := os.WriteFile(de, []byte("{\n  \"language\": \"de\",\n  \"name\": ,\n}\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, code: exitFailed, stderr: func() []string { return []string{"provision: i18n: i18n/de.json:3:11: invalid character ','"} }},
	}
	for _, st := range steps {
		if st.before != nil {
			st.before()
		}
		var stdout, stderr bytes.Buffer
		code := i18nAt(t.Context(), root, st.lang, st.check, &stdout, &stderr)
		if code != st.code {
			t.Fatalf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", st.name, code, st.code, &stdout, &stderr)
		}
		for out, want := range map[*bytes.Buffer]func() []string{&stdout: st.stdout, &stderr: st.stderr} {
			if want == nil {
				if out == &stderr && stderr.Len() > 0 {
					t.Errorf("%s: stderr %q, want none", st.name, &stderr)
				}
				continue
			}
			for _, w := range want() {
				if !strings.Contains(out.String(), w) {
					t.Errorf("%s: output lacks %q:\n%s", st.name, w, out)
				}
			}
		}
	}
	writeFile(t, de, saved)
	if all, done := keys(); done != all-1 {
		t.Fatalf("after the steps %d of %d texts are translated, want all but the one to review", done, all)
	}

	// The reviewed text, and buf.gen.yaml naming i18n/: the docs plugin
	// writes the German pages with the translator's words.
	edit(func(ms map[string]docs.Message) {
		m := ms[oneKey]
		m.Review = ""
		ms[oneKey] = m
	})
	gen := filepath.Join(root, "buf.gen.yaml")
	template := readFile(t, gen)
	if strings.Count(template, "- i18n=\n") != 1 {
		t.Fatalf("the new repository's buf.gen.yaml has no single line '- i18n=' for its README to tell to edit:\n%s", template)
	}
	writeFile(t, gen, strings.Replace(template, "- i18n=\n", "- i18n=i18n\n", 1))
	if code := i18nAt(t.Context(), root, "", true, new(bytes.Buffer), new(bytes.Buffer)); code != exitOK {
		t.Fatalf("i18n -check after the review = %d, want 0", code)
	}
	repo, err := translations.Load(t.Context(), root)
	if err != nil {
		t.Fatal(err)
	}
	if !repo.Config.Enabled {
		t.Fatalf("buf.gen.yaml with i18n=i18n: config %+v, want translations enabled", repo.Config)
	}
	trs, err := docs.ReadTranslations(filepath.Join(root, filepath.FromSlash(repo.Config.Dir)))
	if err != nil {
		t.Fatal(err)
	}
	files, err := docs.Generate(repo.Catalog, trs, repo.Changelogs...)
	if err != nil {
		t.Fatalf("the pages with the German translation: %v", err)
	}
	german := 0
	for _, f := range files {
		if strings.HasPrefix(f.Name, "de/") || strings.HasPrefix(f.Name, "site/de/") {
			german++
			if !bytes.Contains(f.Content, []byte("DE: ")) {
				t.Errorf("%s holds no translated text", f.Name)
			}
		}
	}
	if german == 0 {
		t.Error("the docs generator wrote no German page")
	}
}

// TestI18nFindsTheRepository runs `provision i18n` in a directory of a
// repository and outside any: it works on the repository that holds the
// working directory. It changes the working directory, so it does not run
// in parallel.
func TestI18nFindsTheRepository(t *testing.T) {
	root := fixture.Adopted(t)
	tests := []struct {
		name   string
		dir    string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"in a directory of the repository", filepath.Join(root, "proto", "acme"), []string{"i18n", "-lang", "de"}, exitOK, "added    i18n/de.json", ""},
		{"outside any repository", t.TempDir(), []string{"i18n", "-check"}, exitFailed, "", "no buf.yaml"},
		{"an argument", root, []string{"i18n", "de"}, exitUsage, "", `provision: i18n: unexpected argument "de"`},
		{"-lang without a tag", root, []string{"i18n", "-lang"}, exitUsage, "", "flag needs an argument: -lang"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(tt.dir)
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), tt.args, &stdout, &stderr)
			if code != tt.code || !strings.Contains(stdout.String(), tt.stdout) || !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("run(%q) in %s = %d\nstdout: %s\nstderr: %s\nwant %d, stdout with %q, stderr with %q",
					tt.args, tt.dir, code, &stdout, &stderr, tt.code, tt.stdout, tt.stderr)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(root, "i18n", "de.json")); err != nil {
		t.Errorf("provision i18n -lang de in proto/acme: %v, want i18n/de.json at the repository's root", err)
	}
}
