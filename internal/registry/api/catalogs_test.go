package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/provisionhq/provision/internal/protosrc"
	"github.com/provisionhq/provision/internal/registry/api"
)

// editedCatalog compiles a copy of the repository's catalog with edit
// applied to the text of the file path.
func editedCatalog(t *testing.T, path string, edit func(string) string) []byte {
	t.Helper()
	root := t.TempDir()
	for _, dir := range []string{"proto", "vocabulary", "third_party"} {
		if err := os.CopyFS(filepath.Join(root, dir), os.DirFS(filepath.Join(repoRoot(t), dir))); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(root, path)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(edit(string(b))), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := protosrc.CompileCatalog(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	data, err := proto.Marshal(c.Set)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

type pushed struct {
	Catalog       string   `json:"catalog"`
	Version       int      `json:"version"`
	SHA256        string   `json:"sha256"`
	New           bool     `json:"new"`
	Subjects      []string `json:"subjects"`
	SubjectErrors []struct {
		Subject string `json:"subject"`
		Message string `json:"message"`
	} `json:"subject_errors"`
}

func TestCatalogPush(t *testing.T) {
	for _, backend := range backends(t) {
		t.Run(backend, func(t *testing.T) {
			url, _ := newServer(t, backend, api.Options{NoAuth: true})
			cl := client(t, url)
			ctx := context.Background()
			image := catalog(t)
			push := func(data []byte) (int, []byte) {
				return do(t, "POST", url+"/provision/v1/catalogs/kaspersky/versions", string(data), "")
			}

			status, body := push(image)
			var p pushed
			if err := json.Unmarshal(body, &p); status != 200 || err != nil {
				t.Fatalf("push: %d %s", status, body)
			}
			if p.Version != 1 || !p.New || len(p.SubjectErrors) > 0 || !slices.Contains(p.Subjects, "kaspersky.ksvla.update") {
				t.Fatalf("push = %+v", p)
			}
			// The scenario is served to Confluent clients under its subject.
			v, err := cl.SchemaByVersion(ctx, "kaspersky.ksvla.update", -1)
			if err != nil || !strings.Contains(v.Schema.Schema, "message UpdateRequest") {
				t.Fatalf("scenario subject = %+v, %v", v, err)
			}
			// The same image again is the same version.
			status, body = push(image)
			if err := json.Unmarshal(body, &p); status != 200 || err != nil || p.Version != 1 || p.New {
				t.Fatalf("push again: %d %s", status, body)
			}
			// The image comes back as it was pushed.
			status, got := do(t, "GET", url+"/provision/v1/catalogs/kaspersky/versions/1", "", "")
			if status != 200 || !bytes.Equal(got, bytes.TrimSpace(image)) {
				t.Fatalf("get image: %d, %d bytes, want %d", status, len(got), len(image))
			}

			// A weaker redaction is refused with the rule, the field and the
			// acknowledgement that would allow it.
			weaker := editedCatalog(t, updateProto, func(s string) string {
				return replace(t, s, `hmac: {key_id: "installation"}`, `keep: {}`)
			})
			status, body = push(weaker)
			e := errorOf(t, body)
			if status != 409 || e.Code != 40901 || len(e.Findings) != 1 || e.Findings[0].Rule != "REDACTION_WEAKENED" ||
				!strings.Contains(e.Message, "installation_id") || !strings.Contains(e.Message, "acknowledged: {rule:") {
				t.Fatalf("weaker catalog: %d %s", status, body)
			}
			// Acknowledged, it is version 2, and its scenario subject too.
			acked := editedCatalog(t, updateProto, func(s string) string {
				s = replace(t, s, `hmac: {key_id: "installation"}`, `keep: {}`)
				return replace(t, s, `example: "0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b"`,
					`example: "0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b"
      acknowledged: {rule: "REDACTION_WEAKENED" reason: "Deduplication needs it."}`)
			})
			// A subject of its scenarios that would refuse it refuses the push,
			// and nothing is stored.
			if status, body := do(t, "PUT", url+"/mode/kaspersky.ksvla.update", `{"mode":"READONLY"}`, ""); status != 200 {
				t.Fatalf("set mode: %d %s", status, body)
			}
			status, body = push(acked)
			if e := errorOf(t, body); status != 409 || e.Code != 40901 || !strings.Contains(e.Message, "kaspersky.ksvla.update") {
				t.Fatalf("push with a read-only scenario subject: %d %s", status, body)
			}
			if status, body := do(t, "GET", url+"/provision/v1/catalogs/kaspersky/versions/2", "", ""); status != 404 {
				t.Fatalf("a refused push stored version 2: %d %s", status, body)
			}
			if status, body := do(t, "DELETE", url+"/mode/kaspersky.ksvla.update", "", ""); status != 200 {
				t.Fatalf("reset mode: %d %s", status, body)
			}
			status, body = push(acked)
			if err := json.Unmarshal(body, &p); status != 200 || err != nil || p.Version != 2 || len(p.SubjectErrors) > 0 {
				t.Fatalf("acknowledged push: %d %s", status, body)
			}
			if vs, err := cl.SubjectVersions(ctx, "kaspersky.ksvla.update"); err != nil || !slices.Equal(vs, []int{1, 2}) {
				t.Fatalf("scenario subject versions = %v, %v", vs, err)
			}
			status, body = do(t, "GET", url+"/provision/v1/catalogs/kaspersky/versions", "", "")
			var list []pushed
			if err := json.Unmarshal(body, &list); status != 200 || err != nil || len(list) != 2 {
				t.Fatalf("list: %d %s", status, body)
			}
			// The diff in every format.
			for format, want := range map[string]string{"text": "Deduplication needs it.", "markdown": "installation", "json": `"rule": "REDACTION_WEAKENED"`, "html": "<"} {
				status, body := do(t, "GET", url+"/provision/v1/catalogs/kaspersky/diff?from=1&to=2&format="+format, "", "")
				if status != 200 || !strings.Contains(string(body), want) {
					t.Errorf("diff %s: %d %s", format, status, body)
				}
			}
			// A catalog the model refuses is 42201 with its findings.
			bad := editedCatalog(t, updateProto, func(s string) string {
				return replace(t, s, "category: CATEGORY_PRODUCT\n", "")
			})
			status, body = push(bad)
			if e := errorOf(t, body); status != 422 || e.Code != 42201 || len(e.Findings) == 0 || e.Findings[0].Rule != "FIELD_UNCLASSIFIED" {
				t.Fatalf("refused catalog: %d %s", status, body)
			}
		})
	}
}
