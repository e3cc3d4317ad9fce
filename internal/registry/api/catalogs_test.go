package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/protosrc"
	"github.com/provisionhq/provision/internal/registry/api"
	"github.com/provisionhq/provision/internal/registry/store"
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
				return reviewedToday(t, replace(t, s, `example: "0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b"`,
					`example: "0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b"
      acknowledged: {rule: "REDACTION_WEAKENED" reason: "Deduplication needs it."}`))
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

// treeImage compiles a copy of the repository's catalog, changed by edit
// (which gets the copy's root), into a buf image with the source
// information buf build gives it.
func treeImage(t *testing.T, edit func(root string)) []byte {
	t.Helper()
	root := t.TempDir()
	for _, dir := range []string{"proto", "vocabulary", "third_party"} {
		if err := os.CopyFS(filepath.Join(root, dir), os.DirFS(filepath.Join(repoRoot(t), dir))); err != nil {
			t.Fatal(err)
		}
	}
	edit(root)
	files, err := layout.CatalogFiles(root)
	if err != nil {
		t.Fatal(err)
	}
	set, err := protosrc.CompileAsBuf(context.Background(), layout.ImportPaths(root), files...)
	if err != nil {
		t.Fatal(err)
	}
	data, err := proto.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// copyEdited writes the catalog file src (relative to root), with the
// old, new pairs replaced in it, to dst.
func copyEdited(t *testing.T, root, src, dst string, pairs ...string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, src))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			t.Fatalf("%s lacks %q", src, pairs[i])
		}
		s = strings.ReplaceAll(s, pairs[i], pairs[i+1])
	}
	if err := os.MkdirAll(filepath.Dir(filepath.Join(root, dst)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, dst), []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// lineCol is the file:line:col, relative to proto/, where the first line
// of file (relative to root) that contains at has it; "option" when at
// starts with "message ", on the next line.
func lineCol(t *testing.T, root, file, at string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, file))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	for i, l := range lines {
		if !strings.Contains(l, at) {
			continue
		}
		if strings.HasPrefix(at, "message ") {
			return fmt.Sprintf("%s:%d:%d", strings.TrimPrefix(file, "proto/"), i+2, strings.Index(lines[i+1], "option")+1)
		}
		return fmt.Sprintf("%s:%d:%d", strings.TrimPrefix(file, "proto/"), i+1, strings.Index(l, at)+1)
	}
	t.Fatalf("%s has no line with %q", file, at)
	return ""
}

// TestCatalogPushAdded pushes, after the repository's catalog, versions
// that add a scenario, a product or a storage country: each is refused
// with the rule, the location and the acknowledgement buf breaking
// prints, and passes once acknowledged.
func TestCatalogPushAdded(t *testing.T) {
	const (
		links    = "proto/kaspersky/ksvla/v1/links.proto"
		policy   = "proto/kaspersky/policy/v1/policy.proto"
		kessDir  = "proto/kaspersky/kess/v1/"
		kess2Dir = "proto/kaspersky/kess2/v1/"
	)
	// heartbeat adds the scenario ksvla.heartbeat, a copy of the links
	// scenario, with the acknowledgements acks.
	heartbeat := func(acks string) func(t *testing.T, root string) {
		return func(t *testing.T, root string) {
			copyEdited(t, root, links, "proto/kaspersky/ksvla/v1/heartbeat.proto",
				"InterfaceLinkRequest", "HeartbeatRequest", `id: "ksvla.links"`, `id: "ksvla.heartbeat"`+"\n    "+acks)
		}
	}
	// kess2 adds the product kess2, a copy of kess with its scenarios;
	// productAck goes into its product, scenarioAck into its scenarios
	// (with %s for each scenario's ID).
	kess2 := func(productAck, scenarioAck string) func(t *testing.T, root string) {
		return func(t *testing.T, root string) {
			entries, err := os.ReadDir(filepath.Join(root, kessDir))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				pairs := []string{"kaspersky.kess.v1", "kaspersky.kess2.v1", "kess/v1;kessv1", "kess2/v1;kess2v1"}
				if e.Name() == "product.proto" {
					pairs = append(pairs, `id: "kess"`, `id: "kess2"`+"\n  "+productAck)
				} else {
					pairs = append(pairs, `"kess.`, `"kess2.`)
				}
				if e.Name() != "product.proto" && scenarioAck != "" {
					b, err := os.ReadFile(filepath.Join(root, kessDir, e.Name()))
					if err != nil {
						t.Fatal(err)
					}
					id := strings.Split(strings.SplitN(string(b), `id: "kess.`, 2)[1], `"`)[0]
					pairs = append(pairs, `    agreement: "`, "    "+fmt.Sprintf(scenarioAck, "kess2."+id)+"\n    agreement: \"")
				}
				copyEdited(t, root, kessDir+e.Name(), kess2Dir+e.Name(), pairs...)
			}
		}
	}
	// netherlands adds NL to the policy's storage countries.
	netherlands := func(acks string) func(t *testing.T, root string) {
		return func(t *testing.T, root string) {
			copyEdited(t, root, policy, policy, `      "CN"
    ]`, `      "CN",
      "NL"
    ]`, `  organisation: "`, "  "+acks+"\n  organisation: \"")
		}
	}
	// reviewed records a review dated today, of reference, in every
	// scenario of the catalog, after edit: one the acknowledgements rest
	// on. Each case has its own reference: a review that an earlier case
	// registered under a scenario's subject is not new there.
	reviewed := func(reference string, edit func(t *testing.T, root string)) func(t *testing.T, root string) {
		return func(t *testing.T, root string) {
			edit(t, root)
			err := filepath.WalkDir(filepath.Join(root, "proto"), func(path string, d os.DirEntry, err error) error {
				if err != nil || d.IsDir() || !strings.HasSuffix(path, ".proto") {
					return err
				}
				b, err := os.ReadFile(path)
				if err != nil || !strings.Contains(string(b), "    reviews: {\n") {
					return err
				}
				return os.WriteFile(path, []byte(reviewedTodayAs(t, string(b), reference)), 0o644)
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	// renewed moves the expiry of ksvla.update half a year later.
	renewed := func(t *testing.T, root string) {
		copyEdited(t, root, updateProto, updateProto, `date: "2027-11-30"`, `date: "2028-05-31"`)
	}
	type want struct{ rule, file, at, hint string }
	tests := []struct {
		name  string
		edit  func(t *testing.T, root string)
		wants []want
		// audit is in the audit detail of an acknowledged push.
		audit string
	}{
		{"scenario added", heartbeat(""), []want{{"SCENARIO_ADDED", "proto/kaspersky/ksvla/v1/heartbeat.proto", "message HeartbeatRequest",
			`add acknowledged: {rule: "SCENARIO_ADDED" reason: "ksvla.heartbeat: …"} to the scenario's (provision.v1.scenario) option; the reason must name the scenario ksvla.heartbeat`}}, ""},
		{"scenario added, acknowledged", heartbeat(`acknowledged: {rule: "SCENARIO_ADDED" reason: "ksvla.heartbeat: reviewed."}`), nil,
			"acknowledged SCENARIO_ADDED on ksvla.heartbeat: ksvla.heartbeat: reviewed."},
		{"scenario added, acknowledged for the scenario it was copied from", heartbeat(`acknowledged: {rule: "SCENARIO_ADDED" reason: "ksvla.links: reviewed."}`),
			[]want{{"SCENARIO_ADDED", "proto/kaspersky/ksvla/v1/heartbeat.proto", "message HeartbeatRequest", "the reason must name the scenario ksvla.heartbeat"}}, ""},
		{"storage country added to the policy", netherlands(""), []want{{"STORAGE_COUNTRY_ADDED", policy, `"NL"`,
			`add acknowledged: {rule: "STORAGE_COUNTRY_ADDED" reason: "…"} to the policy's (provision.v1.policy) option, which the scenario takes its storage from`}}, ""},
		{"storage country added to the policy, acknowledged, not reviewed", netherlands(`acknowledged: {rule: "STORAGE_COUNTRY_ADDED" reason: "A data centre in the Netherlands."}`), []want{{"ACKNOWLEDGEMENT_UNREVIEWED", policy, `acknowledged: {rule: "STORAGE_COUNTRY_ADDED"`,
			`add a review of the change acknowledged (STORAGE_COUNTRY_ADDED) to the scenario's (provision.v1.scenario) option: reviews: {reference: "…" date: "YYYY-MM-DD" reviewer: "…" scope: "STORAGE_COUNTRY_ADDED: …"}, a new entry dated on or after 2026-11-30`}}, ""},
		{"storage country added to the policy, acknowledged", reviewed("registry-test/nl", netherlands(`acknowledged: {rule: "STORAGE_COUNTRY_ADDED" reason: "A data centre in the Netherlands."}`)), nil,
			"acknowledged STORAGE_COUNTRY_ADDED on ksvla.update: A data centre in the Netherlands. (reviewed: registry-test/nl ("},
		{"expiry renewed", renewed, []want{{"EXPIRY_RENEWED", updateProto, "expires: {",
			`add a review of the renewal to the scenario's (provision.v1.scenario) option: reviews: {reference: "…" date: "YYYY-MM-DD" reviewer: "…" scope: "expiry renewed to 2028-05-31: …"}, a new entry dated on or after 2026-11-30`}}, ""},
		{"expiry renewed, reviewed", reviewed("registry-test/renewal", renewed), nil, "reviewed EXPIRY_RENEWED on ksvla.update: registry-test/renewal ("},
		{"product added", kess2("", ""), []want{
			{"PRODUCT_ADDED", kess2Dir + "product.proto", "option (provision.v1.product)",
				`add acknowledged: {rule: "PRODUCT_ADDED" reason: "kess2: …"} to the product's (provision.v1.product) option; the reason must name the product kess2`},
			{"SCENARIO_ADDED", kess2Dir + "activation.proto", "message ", `reason: "kess2.`},
		}, ""},
		{"product added, acknowledged", kess2(`acknowledged: {rule: "PRODUCT_ADDED" reason: "kess2 joins the catalog."}`, `acknowledged: {rule: "SCENARIO_ADDED" reason: "%s, as kess's."}`), nil,
			"acknowledged PRODUCT_ADDED on product kess2: kess2 joins the catalog."},
	}
	url, st := newServer(t, "sqlite", api.Options{NoAuth: true})
	push := func(data []byte) (int, []byte) {
		return do(t, "POST", url+"/provision/v1/catalogs/kaspersky/versions", string(data), "")
	}
	if status, body := push(catalog(t)); status != 200 {
		t.Fatalf("push the catalog: %d %s", status, body)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var root string
			image := treeImage(t, func(r string) { root = r; tt.edit(t, r) })
			status, body := push(image)
			if tt.wants == nil {
				// Accepted, then withdrawn so the next case compares with
				// the catalog again.
				if status != 200 {
					t.Fatalf("acknowledged: %d %s", status, body)
				}
				// The audit log records what was acknowledged, and where.
				recs, err := st.AuditLog(context.Background(), 0, 1000)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.ContainsFunc(recs, func(r store.AuditRecord) bool { return strings.Contains(r.Detail, tt.audit) }) {
					t.Errorf("no audit record's detail contains %q", tt.audit)
				}
				if status, body := push(catalog(t)); status != 200 {
					t.Fatalf("push the catalog back: %d %s", status, body)
				}
				return
			}
			e := errorOf(t, body)
			if status != 409 || e.Code != 40901 {
				t.Fatalf("push: %d %s", status, body)
			}
			for _, w := range tt.wants {
				loc := lineCol(t, root, w.file, w.at)
				i := -1
				for j, f := range e.Findings {
					if f.Rule == w.rule && (f.Location == loc || strings.HasSuffix(w.at, " ") && strings.HasPrefix(f.Location, strings.TrimPrefix(w.file, "proto/"))) {
						i = j
						break
					}
				}
				if i < 0 {
					t.Errorf("no %s finding at %s in %+v", w.rule, loc, e.Findings)
					continue
				}
				if !strings.Contains(e.Findings[i].Message, w.hint) || !strings.Contains(e.Message, w.hint) {
					t.Errorf("finding %q, want it and the message to contain %q", e.Findings[i].Message, w.hint)
				}
			}
		})
	}
}
