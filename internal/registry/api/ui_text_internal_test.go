package api

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// uiWords finds the UI's own texts in the templates (.L.T "…", .L.F "…")
// and in Go (l.T("…"), p.L.F("…", …)).
var uiWords = regexp.MustCompile(`\.(?:T|F)[ (]("(?:[^"\\]|\\.)*")`)

// TestUITextsComplete fails when a file of uitext/ lacks a text the UI
// shows, or holds one it does not, naming each.
func TestUITextsComplete(t *testing.T) {
	t.Parallel()
	used := map[string]bool{}
	files, err := filepath.Glob("ui*.go")
	if err != nil {
		t.Fatal(err)
	}
	files = slices.DeleteFunc(files, func(n string) bool { return strings.HasSuffix(n, "_test.go") })
	for _, name := range append(files, "ui.html") {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range uiWords.FindAllStringSubmatch(string(src), -1) {
			text, err := strconv.Unquote(m[1])
			if err != nil {
				t.Fatalf("%s: %s: %v", name, m[1], err)
			}
			used[text] = true
		}
	}
	if len(used) == 0 {
		t.Fatal("found no text of the UI")
	}
	if len(uiTexts) == 0 {
		t.Fatal("uitext/ holds no language")
	}
	for _, lang := range slices.Sorted(maps.Keys(uiTexts)) {
		texts := uiTexts[lang]
		for _, en := range slices.Sorted(maps.Keys(used)) {
			if _, ok := texts[en]; !ok {
				t.Errorf("uitext/%s.json lacks %q", lang, en)
			}
		}
		for _, en := range slices.Sorted(maps.Keys(texts)) {
			if !used[en] {
				t.Errorf("uitext/%s.json holds %q, which the UI does not show", lang, en)
			}
		}
	}
}

func TestUILocale(t *testing.T) {
	t.Parallel()
	de := &uiLocale{lang: "de", own: map[string]string{"Version {version}": "Fassung {version}"}}
	for _, tc := range []struct {
		name      string
		got, want string
	}{
		{"English is the nil locale", (*uiLocale)(nil).F("Version {version}", "version", 3), "Version 3"},
		{"translated", de.F("Version {version}", "version", 3), "Fassung 3"},
		{"untranslated stays English", de.T("Search"), "Search"},
		{"a path in English", (*uiLocale)(nil).U("/ui/search"), "/ui/search"},
		{"a path in German", de.U("/ui/search"), "/ui/search?lang=de"},
		{"a path with a query in German", de.U("/ui/fields/x?version=2"), "/ui/fields/x?version=2&lang=de"},
		{"the UI's language", de.Own(), "de"},
		{"English words for a language the UI lacks", (&uiLocale{lang: "fr"}).Own(), "en"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}
