package regen

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// writeTree writes files (slash-separated path → content) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readTree returns every file under dir as slash-separated path → content.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	tree := make(map[string]string)
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		tree[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func TestParseOutDirs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		yaml    string
		want    []string
		wantErr string
	}{
		{
			name: "v2 local plugins",
			yaml: `version: v2
inputs:
  - directory: proto
plugins:
  - local: ["go", "tool", "protoc-gen-go"]
    out: gen/go
    opt: [paths=source_relative]
  - local: ["go", "run", "./cmd/protoc-gen-provision-jsonschema"]
    out: gen/jsonschema
  - local: ["go", "run", "./cmd/protoc-gen-provision-docs"]
    out: docs/
`,
			want: []string{"docs", "gen/go", "gen/jsonschema"},
		},
		{
			name: "shared and nested outs are walked once",
			yaml: `version: v2
plugins:
  - {local: a, out: gen/go}
  - {local: b, out: ./gen/go}
  - {local: c, out: gen}
  - {local: d, out: gen-docs}
`,
			want: []string{"gen", "gen-docs"},
		},
		{name: "v1 template", yaml: "version: v1\nplugins:\n  - plugin: go\n    out: gen/go\n", want: []string{"gen/go"}},
		{name: "no plugins", yaml: "version: v2\n", wantErr: "no plugins"},
		{name: "missing out", yaml: "version: v2\nplugins:\n  - local: a\n", wantErr: `plugin 1: out ""`},
		{name: "root as out", yaml: "version: v2\nplugins:\n  - {local: a, out: .}\n", wantErr: `out "."`},
		{name: "out above root", yaml: "version: v2\nplugins:\n  - {local: a, out: gen}\n  - {local: b, out: ../x}\n", wantErr: `plugin 2: out "../x"`},
		{name: "absolute out", yaml: "version: v2\nplugins:\n  - {local: a, out: /tmp/gen}\n", wantErr: `out "/tmp/gen"`},
		{name: "not YAML", yaml: "plugins: [", wantErr: "yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseOutDirs([]byte(tt.yaml))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseOutDirs() error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseOutDirs() error = %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parseOutDirs() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParsePluginOptions(t *testing.T) {
	t.Parallel()
	const docs = "protoc-gen-provision-docs"
	tests := []struct {
		name      string
		yaml      string
		want      map[string]string
		wantFound bool
		wantErr   string
	}{
		{
			name: "go run with a list of options",
			yaml: `version: v2
plugins:
  - local: ["go", "tool", "protoc-gen-go"]
    out: gen/go
    opt: [paths=source_relative]
  - local: ["go", "run", "./cmd/protoc-gen-provision-docs"]
    out: docs
    opt:
      - i18n=i18n
      - versions=testdata/versions/versions.json
`,
			want:      map[string]string{"i18n": "i18n", "versions": "testdata/versions/versions.json"},
			wantFound: true,
		},
		{
			name:      "go tool with an empty option",
			yaml:      "version: v2\nplugins:\n  - local: [go, tool, protoc-gen-provision-docs]\n    out: docs\n    opt: [i18n=]\n",
			want:      map[string]string{"i18n": ""},
			wantFound: true,
		},
		{
			name:      "one string, comma-separated, the last repeated name wins",
			yaml:      "version: v2\nplugins:\n  - local: /usr/bin/protoc-gen-provision-docs\n    out: docs\n    opt: i18n=a,versions=v.json,i18n=b\n",
			want:      map[string]string{"i18n": "b", "versions": "v.json"},
			wantFound: true,
		},
		{
			name:      "no options",
			yaml:      "version: v2\nplugins:\n  - {local: protoc-gen-provision-docs, out: docs}\n",
			want:      map[string]string{},
			wantFound: true,
		},
		{name: "v1 name", yaml: "version: v1\nplugins:\n  - {name: provision-docs, out: docs, opt: i18n=x}\n", want: map[string]string{"i18n": "x"}, wantFound: true},
		{name: "another plugin only", yaml: "version: v2\nplugins:\n  - {local: protoc-gen-provision-docs-extra, out: docs}\n"},
		{name: "two docs plugins", yaml: "version: v2\nplugins:\n  - {local: protoc-gen-provision-docs, out: a}\n  - {local: protoc-gen-provision-docs, out: b}\n", wantErr: "plugin 2: a second plugin"},
		{name: "opt not a string", yaml: "version: v2\nplugins:\n  - {local: protoc-gen-provision-docs, out: d, opt: {a: b}}\n", wantErr: "yaml"},
		{name: "not YAML", yaml: "plugins: [", wantErr: "yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, found, err := parsePluginOptions([]byte(tt.yaml), docs)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parsePluginOptions() error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parsePluginOptions() error = %v", err)
			}
			if found != tt.wantFound {
				t.Errorf("parsePluginOptions() found = %v, want %v", found, tt.wantFound)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parsePluginOptions() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPluginOptionsOfThisRepository(t *testing.T) {
	t.Parallel()
	// The template this repository generates with: its docs plugin
	// reads i18n/ and writes changelogs, so both options are set.
	opts, found, err := PluginOptions(filepath.Join("..", ".."), "protoc-gen-provision-docs")
	if err != nil || !found {
		t.Fatalf("PluginOptions(repository) = %v, %v, %v; want the docs plugin's options", opts, found, err)
	}
	if opts["i18n"] == "" || opts["versions"] == "" {
		t.Errorf("PluginOptions(repository) = %v, want i18n and versions set", opts)
	}
	if _, _, err := PluginOptions(t.TempDir(), "protoc-gen-provision-docs"); err == nil || !strings.Contains(err.Error(), "buf.gen.yaml") {
		t.Errorf("PluginOptions(empty dir) error = %v, want one naming buf.gen.yaml", err)
	}
}

func TestOutDirsMissingTemplate(t *testing.T) {
	t.Parallel()
	if _, err := OutDirs(t.TempDir()); err == nil || !strings.Contains(err.Error(), "buf.gen.yaml") {
		t.Errorf("OutDirs(empty dir) error = %v, want one naming buf.gen.yaml", err)
	}
}

func TestCompareAndApply(t *testing.T) {
	t.Parallel()
	outs := []string{"docs", "gen/go"}
	tests := []struct {
		name     string
		have     map[string]string // the repository
		gen      map[string]string // what buf made
		want     []Change
		wantTree map[string]string // the repository after apply
	}{
		{
			name:     "in sync",
			have:     map[string]string{"gen/go/a.pb.go": "a", "docs/index.md": "i"},
			gen:      map[string]string{"gen/go/a.pb.go": "a", "docs/index.md": "i"},
			wantTree: map[string]string{"gen/go/a.pb.go": "a", "docs/index.md": "i"},
		},
		{
			name: "added, removed and changed in every out",
			have: map[string]string{
				"gen/go/a.pb.go":        "old",
				"gen/go/stale/v1/s.go":  "s",
				"docs/index.md":         "i",
				"proto/a.proto":         "not generated",
				"gen/other/untouched.x": "outside every out",
			},
			gen: map[string]string{
				"gen/go/a.pb.go":   "new",
				"gen/go/b/b.pb.go": "b",
				"docs/index.md":    "i",
				"docs/new.md":      "n",
			},
			want: []Change{
				{Path: "docs/new.md", Kind: Added},
				{Path: "gen/go/a.pb.go", Kind: Changed},
				{Path: "gen/go/b/b.pb.go", Kind: Added},
				{Path: "gen/go/stale/v1/s.go", Kind: Removed},
			},
			wantTree: map[string]string{
				"gen/go/a.pb.go":        "new",
				"gen/go/b/b.pb.go":      "b",
				"docs/index.md":         "i",
				"docs/new.md":           "n",
				"proto/a.proto":         "not generated",
				"gen/other/untouched.x": "outside every out",
			},
		},
		{
			name:     "missing out directory",
			have:     map[string]string{"proto/a.proto": "p"},
			gen:      map[string]string{"gen/go/a.pb.go": "a"},
			want:     []Change{{Path: "gen/go/a.pb.go", Kind: Added}},
			wantTree: map[string]string{"proto/a.proto": "p", "gen/go/a.pb.go": "a"},
		},
		{
			name:     "out no longer generated",
			have:     map[string]string{"docs/old.md": "o", "gen/go/a.pb.go": "a"},
			gen:      map[string]string{"gen/go/a.pb.go": "a"},
			want:     []Change{{Path: "docs/old.md", Kind: Removed}},
			wantTree: map[string]string{"gen/go/a.pb.go": "a"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root, gen := t.TempDir(), t.TempDir()
			writeTree(t, root, tt.have)
			writeTree(t, gen, tt.gen)
			got, err := compare(root, gen, outs)
			if err != nil {
				t.Fatalf("compare() error = %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("compare() mismatch (-want +got):\n%s", diff)
			}
			if err := apply(root, gen, got); err != nil {
				t.Fatalf("apply() error = %v", err)
			}
			if diff := cmp.Diff(tt.wantTree, readTree(t, root)); diff != "" {
				t.Errorf("tree after apply() mismatch (-want +got):\n%s", diff)
			}
			if again, err := compare(root, gen, outs); err != nil || len(again) != 0 {
				t.Errorf("compare() after apply() = %v, %v; want no changes", again, err)
			}
			for _, c := range got {
				if c.Kind != Removed {
					continue
				}
				if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(filepath.Dir(c.Path)))); !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("directory of removed %s still exists (err %v), want it pruned", c.Path, err)
				}
			}
		})
	}
}

func TestBeforeSteps(t *testing.T) {
	t.Parallel()
	errStop := errors.New("model is invalid")
	tests := []struct {
		name    string
		steps   int // the index of the step that fails; the rest succeed
		fail    int
		wantRan []int
	}{
		{name: "first fails", steps: 3, fail: 0, wantRan: []int{0}},
		{name: "last fails", steps: 3, fail: 2, wantRan: []int{0, 1, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			var ran []int
			var opts Options
			for i := range tt.steps {
				opts.Before = append(opts.Before, func(_ context.Context, r string) error {
					if r != root {
						t.Errorf("step %d got root %q, want %q", i, r, root)
					}
					ran = append(ran, i)
					if i == tt.fail {
						return errStop
					}
					return nil
				})
			}
			for name, run := range map[string]func(context.Context, string, Options) ([]Change, error){
				"Generate": Generate, "Check": Check,
			} {
				ran = nil
				if _, err := run(t.Context(), root, opts); !errors.Is(err, errStop) {
					t.Errorf("%s() error = %v, want %v", name, err, errStop)
				}
				if diff := cmp.Diff(tt.wantRan, ran); diff != "" {
					t.Errorf("%s() ran steps mismatch (-want +got):\n%s", name, diff)
				}
			}
		})
	}
}

func TestKindString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		change Change
		want   string
	}{
		{Change{Path: "gen/go/a.pb.go", Kind: Added}, "added gen/go/a.pb.go"},
		{Change{Path: "gen/go/a.pb.go", Kind: Removed}, "removed gen/go/a.pb.go"},
		{Change{Path: "gen/go/a.pb.go", Kind: Changed}, "changed gen/go/a.pb.go"},
		{Change{Path: "x", Kind: 0}, "Kind(0) x"},
	}
	for _, tt := range tests {
		if got := tt.change.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.change, got, tt.want)
		}
	}
}
