package jsonschema_test

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/pluginpb"

	"github.com/provisionhq/provision/internal/fixture"
	"github.com/provisionhq/provision/internal/gen/jsonschema"
	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/protoload"
)

var update = flag.Bool("update", false, "rewrite the fixture's golden files (all goldens: "+fixture.UpdateGoldens+")")

// run runs the plugin on a real CodeGeneratorRequest for files (relative
// to testdata), as buf would, and returns the files of its response.
func run(t *testing.T, param string, files ...string) (map[string]string, error) {
	t.Helper()
	set, err := protoload.CompileFixture(t.Context(), "testdata", files...)
	if err != nil {
		t.Fatal(err)
	}
	return runSet(t, set, param, files...)
}

// runSet runs the plugin on a real CodeGeneratorRequest for files of set,
// which holds them with their imports, and returns the files of its
// response.
func runSet(t *testing.T, set *descriptorpb.FileDescriptorSet, param string, files ...string) (map[string]string, error) {
	t.Helper()
	p, err := protogen.Options{}.New(protoload.Request(set, param, files...))
	if err != nil {
		t.Fatal(err)
	}
	if err := jsonschema.Run(p); err != nil {
		return nil, err
	}
	resp := p.Response()
	if resp.Error != nil {
		t.Fatalf("response error: %s", resp.GetError())
	}
	if resp.GetSupportedFeatures()&uint64(pluginpb.CodeGeneratorResponse_FEATURE_PROTO3_OPTIONAL) == 0 {
		t.Error("the plugin does not declare proto3 optional support")
	}
	out := map[string]string{}
	for _, f := range resp.GetFile() {
		out[f.GetName()] = f.GetContent()
	}
	return out, nil
}

// readTree reads every file under dir, by slash path relative to it.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		out[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestGoldenCatalog runs the plugin on the whole catalog and compares its
// output with the committed gen/jsonschema, both ways.
func TestGoldenCatalog(t *testing.T) {
	t.Parallel()
	cat, err := protoload.CompileCatalog(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	got, err := runSet(t, cat.Set, "", cat.Files...)
	if err != nil {
		t.Fatal(err)
	}
	want := readTree(t, filepath.Join(cat.Root, "gen", "jsonschema"))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("gen/jsonschema differs from the plugin's output (run go run ./cmd/provision generate) (-committed +generated):\n%s", diff)
	}
}

// TestGoldenFixture runs the plugin on the fixture that exercises every
// kind, rule and strategy, and compares with testdata/golden (-update
// rewrites it).
func TestGoldenFixture(t *testing.T) {
	t.Parallel()
	got, err := run(t, "base_uri=https://schemas.example.com/", "fixture/v1/policy.proto", "fixture/v1/product.proto", "fixture/v1/kinds.proto", "fixture/v1/redactions.proto", "fixture/v1/more.proto")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("testdata", "golden")
	if *update {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		for name, content := range got {
			path := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if diff := cmp.Diff(readTree(t, dir), got); diff != "" {
		t.Errorf("output differs from testdata/golden (run %s) (-golden +generated):\n%s", fixture.UpdateGoldens, diff)
	}
	for name, content := range got {
		if name != jsonschema.IndexName && !strings.Contains(content, `"$id": "https://schemas.example.com/fixture-js/v1/`) {
			t.Errorf("%s: $id does not use base_uri", name)
		}
	}
}

// TestRunRefuses checks that the plugin reports a bad parameter and a
// catalog with a finding, with the finding's position, and writes nothing.
func TestRunRefuses(t *testing.T) {
	t.Parallel()
	fixture := []string{"fixture/v1/policy.proto", "fixture/v1/product.proto", "fixture/v1/kinds.proto"}
	for _, tc := range []struct {
		name, param, want string
	}{
		{"unknown parameter", "colour=red", `unknown parameter "colour"`},
		{"base_uri without slash", "base_uri=https://x.example", "must end with a slash"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := run(t, tc.param, fixture...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Run error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
	t.Run("catalog finding", func(t *testing.T) {
		t.Parallel()
		_, err := run(t, "", "fixture/v1/policy.proto", "fixture/v1/product.proto", "bad/unannotated.proto")
		if err == nil || !strings.Contains(err.Error(), "unannotated.proto:") {
			t.Fatalf("Run error = %v, want a finding with its position", err)
		}
	})
}

// ExampleConsentSlug lists the consent levels of a product by the names
// the transmitted schemas and the index give them.
func ExampleConsentSlug() {
	agreements := impl.MustAgreements("example.v1",
		impl.AgreementDecl{ID: "LICENSE"},
		impl.AgreementDecl{ID: "ACTIVATION_CODE", Implies: []string{"LICENSE"}},
		impl.AgreementDecl{ID: "CLOUD_STANDARD", Implies: []string{"LICENSE"}},
		impl.AgreementDecl{ID: "CLOUD_EXTENDED", Implies: []string{"CLOUD_STANDARD"}})
	for _, c := range agreements.Levels() {
		fmt.Println(jsonschema.ConsentSlug(c))
	}
	// Output:
	// none
	// license
	// activation-code
	// cloud-standard
	// activation-code+cloud-standard
	// cloud-extended
	// activation-code+cloud-extended
}
