package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/provisionhq/provision/internal/protoload"
)

// catalogImage writes an image of the repository's catalog, compiled in
// process, to a temporary file and returns its path.
func catalogImage(t *testing.T) string {
	t.Helper()
	cat, err := protoload.CompileCatalog(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	raw, err := proto.Marshal(cat.Set)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "image.binpb")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestInspect(t *testing.T) {
	t.Parallel()
	image := catalogImage(t)
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
			name:     "table lists seed items with their classification",
			args:     []string{"-image", image},
			wantCode: exitOK,
			wantStdout: []string{
				"PRODUCT", "REDACTION",
				"ksvla.update", "installation_id", "Unique ID of the Kaspersky Security installation", "pseudonymous identifier", "hmac(key=installation)",
				"web_reputation.scanned_url", "url_sanitize(drop query); under KSN_EXTENDED: url_sanitize()",
				"kess.links", "(unpublished)", "Administrator's guide",
				"consumer-non-eu.interface-data", "NONE",
			},
		},
		{
			name:       "filter by scenario",
			args:       []string{"-image", image, "-scenario", "ksvla.links", "-format", "tsv"},
			wantCode:   exitOK,
			wantStdout: []string{"ksvla\tksvla.links\tversion\tKaspersky Security version\tproduct\tanonymous\tEULA\tgeneralize_version(2)"},
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

func TestInspectJSON(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), []string{"inspect", "-image", catalogImage(t), "-format", "json", "-scenario", "ksvla"}, &stdout, &stderr); code != exitOK {
		t.Fatalf("code %d: %s", code, &stderr)
	}
	var rows []inspectRow
	if err := json.Unmarshal(stdout.Bytes(), &rows); err != nil {
		t.Fatal(err)
	}
	scenarios := map[string]int{}
	for _, r := range rows {
		if r.Product != "ksvla" {
			t.Errorf("row of product %q under -scenario ksvla", r.Product)
		}
		scenarios[r.Scenario]++
	}
	if len(scenarios) != 6 || scenarios["ksvla.ksn-standard"] != 18 {
		t.Errorf("rows per scenario = %v, want 6 scenarios and 18 KSN standard items", scenarios)
	}
}
