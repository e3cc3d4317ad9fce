package api_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/registry/api"
)

func TestProductChangelog(t *testing.T) {
	tr, err := docs.ReadTranslations(filepath.Join(repoRoot(t), "i18n"))
	if err != nil {
		t.Fatal(err)
	}
	url, _ := newServer(t, "sqlite", api.Options{NoAuth: true, Translations: tr})
	// Version 1 sends the update task's ID as it is, version 2 (the
	// repository's catalog) as a keyed hash: a change whose sentence the
	// changelog of testdata/versions translates. Version 3 keeps the
	// installation ID as it is, acknowledged: a sentence i18n/ lacks.
	plain := editedCatalog(t, updateProto, func(s string) string {
		return replace(t, s, `hmac: {key_id: "task"}`, `keep: {}`)
	})
	weaker := editedCatalog(t, updateProto, func(s string) string {
		s = replace(t, s, `hmac: {key_id: "installation"}`, `keep: {}`)
		return reviewedToday(t, replace(t, s, `example: "0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b"`,
			`example: "0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b"
      acknowledged: {rule: "REDACTION_WEAKENED" reason: "Deduplication needs it."}`))
	})
	for _, image := range [][]byte{plain, catalog(t), weaker} {
		if status, body := do(t, "POST", url+"/provision/v1/catalogs/kaspersky/versions", string(image), ""); status != 200 {
			t.Fatalf("push: %d %s", status, body)
		}
	}
	const (
		hashedEN = "Unique ID of the update task start is now sent as a keyed hash that cannot be read back (HMAC-SHA256); before, as it is."
		hashedDE = "Die eindeutige ID des Starts der Update-Aufgabe wird jetzt als Schlüssel-Hash gesendet, der nicht zurückgelesen werden kann (HMAC-SHA256); zuvor unverändert."
	)
	base := url + "/provision/v1/catalogs/kaspersky/changelog/"
	for _, tc := range []struct {
		name, path string
		status     int
		ctype      string
		want       []string
	}{
		{"English Markdown", "ksvla?from=1&to=2", 200, "text/markdown; charset=utf-8",
			[]string{"# Changes in data provision: Kaspersky Security for Virtualization Light Agent, version 1 → version 2", "- " + hashedEN}},
		{"German Markdown", "ksvla?from=1&to=2&lang=de", 200, "text/markdown; charset=utf-8",
			[]string{"- " + hashedDE, "Version 1 → Version 2"}},
		{"German HTML", "ksvla?from=1&to=2&lang=de&format=html", 200, "text/html; charset=utf-8",
			[]string{`<html lang="de"`, hashedDE}},
		{"default: the latest and the one before, in English", "ksvla", 200, "text/markdown; charset=utf-8",
			[]string{"version 2 → version 3", "Unique ID of the Kaspersky Security installation", "less privacy", "Deduplication needs it."}},
		{"a product without changes", "kess?from=1&to=2&lang=de", 200, "text/markdown; charset=utf-8", nil},
		{"a sentence German lacks fails closed", "ksvla?from=2&to=3&lang=de", 422, api.ContentType,
			[]string{`"error_code":42215`, "changelog.ksvla-2-to-3.redaction_changed."}},
		{"unknown language", "ksvla?lang=fr", 400, api.ContentType, []string{"en, de"}},
		{"unknown format", "ksvla?format=pdf", 400, api.ContentType, nil},
		{"unknown product", "nothing?from=1&to=2", 404, api.ContentType, nil},
		{"unknown version", "ksvla?from=1&to=9", 404, api.ContentType, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := get(t, base+tc.path, "")
			if resp.StatusCode != tc.status || resp.Header.Get("Content-Type") != tc.ctype {
				t.Fatalf("GET %s: %d %q %s, want %d %q", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), body, tc.status, tc.ctype)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(body), w) {
					t.Errorf("GET %s lacks %q:\n%s", tc.path, w, body)
				}
			}
		})
	}
}

// TestProductChangelogRename pushes a version in which a field has
// another name, then the repository's catalog: the changelog between them
// says the field is renamed, in English and, from the translation of the
// example changelog in i18n/, in German.
func TestProductChangelogRename(t *testing.T) {
	const (
		activationProto = "proto/kaspersky/ksvla/v1/activation.proto"
		field           = "kaspersky.ksvla.v1.ActivationRequest.svm_id"
	)
	tr, err := docs.ReadTranslations(filepath.Join(repoRoot(t), "i18n"))
	if err != nil {
		t.Fatal(err)
	}
	url, _ := newServer(t, "sqlite", api.Options{NoAuth: true, Translations: tr})
	older := editedCatalog(t, activationProto, func(s string) string {
		return replace(t, s, "string svm_id = 5 [", "string security_vm_id = 5 [")
	})
	for _, image := range [][]byte{older, catalog(t)} {
		if status, body := do(t, "POST", url+"/provision/v1/catalogs/kaspersky/versions", string(image), ""); status != 200 {
			t.Fatalf("push: %d %s", status, body)
		}
	}
	label, _ := uiFixture{}.label(t, catalog(t), field, "")
	en := label + " is renamed in the schema from security_vm_id to svm_id."
	de := uiFixture{Translations: tr}.sentence("de", en)
	if de == "" {
		t.Fatalf("i18n/de.json does not translate %q", en)
	}
	for lang, want := range map[string]string{"en": en, "de": de} {
		path := "/provision/v1/catalogs/kaspersky/changelog/ksvla?from=1&to=2&format=html&lang=" + lang
		resp, body := get(t, url+path, "")
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("GET %s: %d, want %q in:\n%s", path, resp.StatusCode, want, body)
		}
		if strings.Contains(string(body), "less privacy") || strings.Contains(string(body), "weniger Datenschutz") {
			t.Errorf("GET %s: a rename alone is marked as less privacy:\n%s", path, body)
		}
	}
}
