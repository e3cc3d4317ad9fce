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
		return replace(t, s, `example: "0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b"`,
			`example: "0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b"
      acknowledged: {rule: "REDACTION_WEAKENED" reason: "Deduplication needs it."}`)
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
