package regen

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionhq/provision/internal/bufimage"
	"github.com/provisionhq/provision/internal/layout"
)

// TestInProcessMatchesBuf runs the repository's buf.gen.yaml both ways,
// in process on the image buf build makes and with buf generate, and
// expects the same files with the same bytes: generate and generate
// -check, which take the first way, stay exact to the second.
func TestInProcessMatchesBuf(t *testing.T) {
	if testing.Short() {
		t.Skip("runs buf and the plugins")
	}
	t.Parallel()
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	plan, err := planInProcess(root)
	if err != nil {
		t.Fatal(err)
	}
	if plan == nil {
		t.Fatal("planInProcess: the repository's buf.gen.yaml is not run in process")
	}
	image, err := bufimage.Build(t.Context(), root)
	if err != nil {
		t.Fatal(err)
	}
	inProcess, viaBuf := t.TempDir(), t.TempDir()
	if err := plan.run(root, inProcess, image); err != nil {
		t.Fatalf("in process: %v", err)
	}
	if err := bufGenerate(t.Context(), root, viaBuf); err != nil {
		t.Fatalf("buf generate: %v", err)
	}
	got, want := readTree(t, inProcess), readTree(t, viaBuf)
	if len(want) == 0 {
		t.Fatal("buf generate wrote nothing")
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("in process differs from buf generate (-buf +in process):\n%s", diff)
	}
}

// TestPlanInProcess decides, for buf.gen.yaml templates, whether generate
// runs them in process: only this module's own plugins, run with go run
// from the repository root, strategy all, and no key the plan does not
// know; anything else is left to buf generate.
func TestPlanInProcess(t *testing.T) {
	t.Parallel()
	src, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	goMod, err := os.ReadFile(filepath.Join(src, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	const bufYAML = "version: v2\nmodules:\n  - path: proto\n"
	tests := []struct {
		name     string
		goMod    string
		template string
		want     []string // plugins run in process, nil for buf generate
		params   []string
	}{
		{
			name:  "own plugins",
			goMod: string(goMod),
			template: `version: v2
inputs:
  - directory: .
    exclude_paths: [third_party/x]
plugins:
  - local: ["go", "run", "./cmd/protoc-gen-provision-go"]
    out: gen/go
    strategy: all
    opt: [paths=source_relative, types=true]
  - local: ["go", "run", "./cmd/protoc-gen-provision-jsonschema"]
    out: gen/jsonschema
    strategy: all
    opt: base_uri=https://x.example/
`,
			want:   []string{"protoc-gen-provision-go", "protoc-gen-provision-jsonschema"},
			params: []string{"paths=source_relative,types=true", "base_uri=https://x.example/"},
		},
		{
			name:  "another module",
			goMod: "module example.com/other\n",
			template: `version: v2
inputs:
  - directory: .
plugins:
  - local: ["go", "run", "./cmd/protoc-gen-provision-go"]
    out: gen/go
    strategy: all
`,
		},
		{
			name:  "protoc-gen-go as a tool",
			goMod: string(goMod),
			template: `version: v2
inputs:
  - directory: .
plugins:
  - local: ["go", "tool", "protoc-gen-go"]
    out: gen/go
`,
		},
		{
			name:  "strategy directory",
			goMod: string(goMod),
			template: `version: v2
inputs:
  - directory: .
plugins:
  - local: ["go", "run", "./cmd/protoc-gen-provision-docs"]
    out: docs
`,
		},
		{
			name:  "managed mode",
			goMod: string(goMod),
			template: `version: v2
managed:
  enabled: true
inputs:
  - directory: .
plugins:
  - local: ["go", "run", "./cmd/protoc-gen-provision-docs"]
    out: docs
    strategy: all
`,
		},
		{
			name:  "another input",
			goMod: string(goMod),
			template: `version: v2
inputs:
  - directory: proto
plugins:
  - local: ["go", "run", "./cmd/protoc-gen-provision-docs"]
    out: docs
    strategy: all
`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			writeTree(t, root, map[string]string{"go.mod": tt.goMod, "buf.yaml": bufYAML, "buf.gen.yaml": tt.template})
			plan, err := planInProcess(root)
			if err != nil {
				t.Fatal(err)
			}
			var got, params []string
			if plan != nil {
				for _, p := range plan.plugins {
					got = append(got, p.plugin.Name)
					params = append(params, p.param)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("plugins run in process (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.params, params); diff != "" {
				t.Errorf("parameters (-want +got):\n%s", diff)
			}
		})
	}
}

// BenchmarkGenerate generates the repository's files both ways, on a warm
// build cache: InProcess is what generate does after buf build (the image
// is built once, outside the loop, as generate builds it for the check
// anyway); BufGenerate is buf generate with its plugins run by go run, as
// generate did before. Compare the two in one run:
//
//	go test -run '^$' -bench Generate -benchtime 5x ./internal/regen
func BenchmarkGenerate(b *testing.B) {
	root, err := layout.FindRoot(".")
	if err != nil {
		b.Fatal(err)
	}
	plan, err := planInProcess(root)
	if err != nil || plan == nil {
		b.Fatalf("planInProcess = %v, %v", plan, err)
	}
	image, err := bufimage.Build(b.Context(), root)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("InProcess", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := plan.run(root, b.TempDir(), image); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("BufGenerate", func(b *testing.B) {
		for b.Loop() {
			if err := bufGenerate(b.Context(), root, b.TempDir()); err != nil {
				b.Fatal(err)
			}
		}
	})
}
