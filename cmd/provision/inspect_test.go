package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

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
			name:     "wide table lists items with their classification",
			args:     []string{"-image", image, "-wide"},
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
			args:       []string{"-image", unpublishedImage(t), "-wide"},
			wantCode:   exitOK,
			wantStdout: []string{"unpublished.links", "(unpublished)", "Data sent when following links — see the Administrator's guide of the fixture product"},
		},
		{
			name:       "filter by scenario",
			args:       []string{"-image", image, "-scenario", "acme-notes.sync", "-format", "tsv"},
			wantCode:   exitOK,
			wantStdout: []string{"acme-notes\tacme-notes.sync\tclient.app_version\tVersion of Acme Notes\tproduct\tanonymous\tTERMS_OF_SERVICE\tgeneralize_version(2); under USAGE_ANALYTICS: keep"},
		},
		{name: "unknown scenario", args: []string{"-image", image, "-scenario", "nope"}, wantCode: exitFailed, wantStderr: `provision: inspect: -scenario "nope": no scenario or product with this ID`},
		{name: "bad format", args: []string{"-format", "xml"}, wantCode: exitUsage, wantStderr: `unknown -format "xml"`},
		{name: "extra argument", args: []string{"proto/"}, wantCode: exitUsage, wantStderr: `unexpected argument "proto/"`},
		{name: "missing image", args: []string{"-image", filepath.Join(t.TempDir(), "none.binpb")}, wantCode: exitFailed, wantStderr: "no such file"},
		{name: "garbage image", args: []string{"-image", garbage}, wantCode: exitFailed, wantStderr: "provision: image " + garbage + ": model: decode image"},
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

// TestInspectFits checks that inspect's table fits 120 columns by default,
// cutting the longest cells short, and prints them whole with -wide.
func TestInspectFits(t *testing.T) {
	t.Parallel()
	image, c := acmeImage(t)
	widest := 0
	for _, s := range c.Scenarios() {
		s.Walk(func(f *model.Field) bool {
			widest = max(widest, utf8.RuneCountInString(f.DescribeRedactions()), utf8.RuneCountInString(f.Label()))
			return true
		})
	}
	tests := []struct {
		args     []string
		maxWidth int // 0: no limit
		cut      bool
	}{
		{args: nil, maxWidth: defaultTableWidth, cut: true},
		{args: []string{"-wide"}, maxWidth: 0, cut: false},
	}
	for _, tt := range tests {
		t.Run(strings.Join(append([]string{"inspect"}, tt.args...), " "), func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			if code := run(t.Context(), append([]string{"inspect", "-image", image}, tt.args...), &stdout, &stderr); code != exitOK {
				t.Fatalf("code %d: %s", code, &stderr)
			}
			longest := 0
			for line := range strings.Lines(stdout.String()) {
				longest = max(longest, utf8.RuneCountInString(strings.TrimSuffix(line, "\n")))
			}
			if tt.maxWidth > 0 && longest > tt.maxWidth {
				t.Errorf("longest line has %d characters, want at most %d:\n%s", longest, tt.maxWidth, &stdout)
			}
			if tt.maxWidth == 0 && longest <= defaultTableWidth {
				t.Errorf("longest line has %d characters: the fixture no longer needs -wide, and this test checks nothing", longest)
			}
			if got := strings.Contains(stdout.String(), "…"); got != tt.cut {
				t.Errorf("cells cut short: %v, want %v (widest label or redaction: %d characters)", got, tt.cut, widest)
			}
		})
	}
}

func TestWriteTable(t *testing.T) {
	t.Parallel()
	header := []string{"A", "B", "C"}
	rows := [][]string{{"heading spanning the whole line"}, {"x", "a long cell of text", "end"}, {"yy", "b", "a long last cell"}}
	tests := []struct {
		name   string
		width  int
		shrink []int
		want   string
	}{
		{"wide", 0, []int{1, 2}, "A   B                    C\nheading spanning the whole line\nx   a long cell of text  end\nyy  b                    a long last cell\n"},
		{"fits already", 60, []int{1, 2}, "A   B                    C\nheading spanning the whole line\nx   a long cell of text  end\nyy  b                    a long last cell\n"},
		{"the widest shrinks first", 38, []int{1, 2}, "A   B                 C\nheading spanning the whole line\nx   a long cell of …  end\nyy  b                 a long last cell\n"},
		{"down to the narrowest", 20, []int{1, 2}, "A   B             C\nheading spanning th…\nx   a long cell…  end\nyy  b             a long last…\n"},
		{"nothing may shrink", 20, nil, "A   B                    C\nheading spanning th…\nx   a long cell of text  end\nyy  b                    a long last cell\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := writeTable(&b, header, rows, tt.width, tt.shrink); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, b.String()); diff != "" {
				t.Errorf("table (-want +got):\n%s", diff)
			}
		})
	}
}
