package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protoload"
)

// writeImage writes set to a temporary file, as buf build -o does, and
// returns its path.
func writeImage(t *testing.T, set *descriptorpb.FileDescriptorSet) string {
	t.Helper()
	raw, err := proto.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "image.binpb")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// acmeImage writes an image of the fictional Acme catalog
// (testdata/catalogs/acme), compiled in process, and returns its path and
// the catalog's model.
func acmeImage(t *testing.T) (string, *model.Catalog) {
	t.Helper()
	cat, err := protoload.CompileTree(t.Context(), protoload.Acme)
	if err != nil {
		t.Fatal(err)
	}
	c, err := model.FromFileDescriptorSet(cat.Set)
	if err != nil {
		t.Fatal(err)
	}
	return writeImage(t, cat.Set), c
}

// unpublishedImage writes an image of testdata/unpublished.proto, a
// scenario whose items its source does not publish, and returns its path.
func unpublishedImage(t *testing.T) string {
	t.Helper()
	set, err := protoload.CompileFixture(t.Context(), "testdata", "unpublished.proto")
	if err != nil {
		t.Fatal(err)
	}
	return writeImage(t, set)
}

func TestInspect(t *testing.T) {
	t.Parallel()
	image, _ := acmeImage(t)
	garbage := filepath.Join(t.TempDir(), "garbage.binpb")
	if err := os.WriteFile(garbage, []byte("nope"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout []string
		wantStderr string
	}{
		{
			name:     "table lists items with their classification",
			args:     []string{"-image", image},
			wantCode: exitOK,
			wantStdout: []string{
				"PRODUCT", "REDACTION",
				"acme-notes.sync", "device_id", "Device identifier", "pseudonymous identifier", "hmac(key=acme-device)",
				"client.app_version", "generalize_version(2); under USAGE_ANALYTICS: keep",
				"acme-notes.local-drafts", "NONE",
			},
		},
		{
			name:       "unpublished list",
			args:       []string{"-image", unpublishedImage(t)},
			wantCode:   exitOK,
			wantStdout: []string{"unpublished.links", "(unpublished)", "Data sent when following links — see the Administrator's guide of the fixture product"},
		},
		{
			name:       "filter by scenario",
			args:       []string{"-image", image, "-scenario", "acme-notes.sync", "-format", "tsv"},
			wantCode:   exitOK,
			wantStdout: []string{"acme-notes\tacme-notes.sync\tclient.app_version\tVersion of Acme Notes\tproduct\tanonymous\tTERMS_OF_SERVICE\tgeneralize_version(2); under USAGE_ANALYTICS: keep"},
		},
		{name: "unknown scenario", args: []string{"-image", image, "-scenario", "nope"}, wantCode: exitFailed, wantStderr: `no scenario or product "nope"`},
		{name: "bad format", args: []string{"-format", "xml"}, wantCode: exitUsage, wantStderr: `unknown -format "xml"`},
		{name: "extra argument", args: []string{"proto/"}, wantCode: exitUsage, wantStderr: `unexpected argument "proto/"`},
		{name: "missing image", args: []string{"-image", filepath.Join(t.TempDir(), "none.binpb")}, wantCode: exitFailed, wantStderr: "no such file"},
		{name: "garbage image", args: []string{"-image", garbage}, wantCode: exitFailed, wantStderr: "decode image"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), append([]string{"inspect"}, tt.args...), &stdout, &stderr)
			if code != tt.wantCode {
				t.Fatalf("code = %d, want %d\nstderr: %s", code, tt.wantCode, &stderr)
			}
			for _, s := range tt.wantStdout {
				if !strings.Contains(stdout.String(), s) {
					t.Errorf("stdout lacks %q", s)
				}
			}
			if !strings.Contains(stderr.String(), tt.wantStderr) {
				t.Errorf("stderr = %q, want %q", &stderr, tt.wantStderr)
			}
		})
	}
}

// TestInspectJSON lists a product's items as JSON: one row per data item
// of each of its scenarios, as many as the catalog's model walks, and
// none of another product.
func TestInspectJSON(t *testing.T) {
	t.Parallel()
	image, c := acmeImage(t)
	const product = "acme-notes"
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), []string{"inspect", "-image", image, "-format", "json", "-scenario", product}, &stdout, &stderr); code != exitOK {
		t.Fatalf("code %d: %s", code, &stderr)
	}
	var rows []inspectRow
	if err := json.Unmarshal(stdout.Bytes(), &rows); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, r := range rows {
		if r.Product != product {
			t.Errorf("row of product %q under -scenario %s", r.Product, product)
		}
		got[r.Scenario]++
	}
	want := map[string]int{}
	for _, s := range c.Scenarios() {
		s.Walk(func(*model.Field) bool {
			want[s.ID]++
			return true
		})
	}
	if diff := cmp.Diff(want, got); diff != "" || len(want) < 2 {
		t.Errorf("rows per scenario (-model +inspect):\n%s", diff)
	}
}
