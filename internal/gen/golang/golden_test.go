package golang_test

import (
	"flag"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/compiler/protogen"

	"github.com/provisionhq/provision/internal/fixture"
	"github.com/provisionhq/provision/internal/gen/golang"
	"github.com/provisionhq/provision/internal/gocmd"
	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/protoload"
)

var update = flag.Bool("update", false, "rewrite the golden packages under testdata/golden-* (all goldens: "+fixture.UpdateGoldens+")")

// A golden package is the Go that protoc-gen-go and this generator make
// for a fixture catalog, committed under testdata/golden-<name> with
// import paths inside this module, so that it compiles here: the
// runtime's examples and tests import its acme/notes/v1 (package notesv1).
const (
	module = "github.com/provisionhq/provision"
	// goldenAcmeDir is the golden package of the fictional Acme catalog
	// (testdata/catalogs/acme), relative to the repository root.
	goldenAcmeDir = "internal/gen/golang/testdata/golden-acme"
	// hostileDir is a fixture with every shape hostile input can take (a
	// oneof with a message member, lists and maps of messages, anonymous
	// maps, every strategy), and goldenHostileDir its golden package
	// (package hostilev1), which the runtime's hardening tests and fuzz
	// target import.
	hostileDir       = "internal/gen/golang/testdata/hostile"
	goldenHostileDir = "internal/gen/golang/testdata/golden-hostile"
)

// TestGoldenHostile generates Go for the hostile fixture as
// TestGoldenAcme does for Acme and compares it with
// testdata/golden-hostile (-update rewrites it).
func TestGoldenHostile(t *testing.T) {
	t.Parallel()
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	got := generateGolden(t, hostileDir, module+"/"+goldenHostileDir)
	dir := filepath.Join(root, filepath.FromSlash(goldenHostileDir))
	if *update {
		writeTree(t, dir, got)
	}
	if diff := cmp.Diff(readTree(t, dir), got); diff != "" {
		t.Errorf("%s differs from what the generators make (run %s) (-golden +generated):\n%s", goldenHostileDir, fixture.UpdateGoldens, diff)
	}
	if testing.Short() {
		return
	}
	if out, err := gocmd.Run(t.Context(), root, "vet", "./"+goldenHostileDir+"/..."); err != nil {
		t.Errorf("the golden package does not compile or vet: %v\n%s", err, out)
	}
}

// TestGoldenAcme generates Go for the fictional Acme catalog through a real
// CodeGeneratorRequest, as buf does with protoc-gen-provision-go and
// types=true, and compares every file with
// testdata/golden-acme, byte for byte and both ways (go test -run
// TestGoldenAcme -update rewrites it). Each .proto file is mapped (the M
// parameter, as buf's managed mode does) into this module, so the golden
// package compiles and the runtime's tests run it. The repository's own
// catalog has its golden in gen/go (TestGoldenCatalog), which `provision
// generate` rewrites: no test needs an edit when that catalog changes.
func TestGoldenAcme(t *testing.T) {
	t.Parallel()
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	got := generateGolden(t, protoload.Acme, module+"/"+goldenAcmeDir)
	if _, ok := got["acme/notes/v1/sync.provision.go"]; !ok {
		t.Fatalf("generated %v, want acme/notes/v1/sync.provision.go among them", keys(got))
	}
	for name, content := range got {
		if strings.HasSuffix(name, ".go") && !strings.Contains(content, `package notesv1`) && !strings.Contains(content, `package policyv1`) {
			t.Errorf("%s: not of the package its go_package names", name)
		}
	}
	if !strings.Contains(got["acme/notes/v1/product.provision.go"], `"acme.notes.v1"`) {
		t.Errorf("product.provision.go does not register the agreements of acme.notes.v1")
	}
	dir := filepath.Join(root, filepath.FromSlash(goldenAcmeDir))
	if *update {
		writeTree(t, dir, got)
	}
	if diff := cmp.Diff(readTree(t, dir), got); diff != "" {
		t.Errorf("%s differs from what the generators make (run %s) (-golden +generated):\n%s", goldenAcmeDir, fixture.UpdateGoldens, diff)
	}
	if testing.Short() {
		return
	}
	// go vet ./... leaves testdata out: vet the golden packages by name,
	// which compiles them, the policy package no test imports included.
	if out, err := gocmd.Run(t.Context(), root, "vet", "./"+goldenAcmeDir+"/..."); err != nil {
		t.Errorf("the golden packages do not compile or vet: %v\n%s", err, out)
	}
}

// generateGolden compiles the tree dir (relative to the repository root)
// and runs Generate with Types (protoc-gen-go's .pb.go beside the
// generator's own files) on its files, through a real
// CodeGeneratorRequest with paths=source_relative and every file mapped to
// importPrefix/<its directory>, under the package name its go_package
// gives. It returns the files of the response by name.
func generateGolden(t *testing.T, dir, importPrefix string) map[string]string {
	t.Helper()
	cat, err := protoload.CompileTree(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	set, files := cat.Set, cat.Files
	params := []string{"paths=source_relative"}
	for _, fd := range set.GetFile() {
		for _, f := range files {
			if fd.GetName() != f {
				continue
			}
			_, name, ok := strings.Cut(fd.GetOptions().GetGoPackage(), ";")
			if !ok {
				t.Fatalf("%s: go_package %q names no package", f, fd.GetOptions().GetGoPackage())
			}
			params = append(params, "M"+f+"="+importPrefix+"/"+path.Dir(f)+";"+name)
		}
	}
	param := strings.Join(params, ",")
	p, err := protogen.Options{}.New(protoload.Request(set, param, files...))
	if err != nil {
		t.Fatal(err)
	}
	if err := (golang.Options{Types: true}).Generate(p); err != nil {
		t.Fatal(err)
	}
	resp := p.Response()
	if resp.Error != nil {
		t.Fatalf("response error: %s", resp.GetError())
	}
	out := map[string]string{}
	for _, f := range resp.GetFile() {
		if _, dup := out[f.GetName()]; dup {
			t.Fatalf("%s generated twice", f.GetName())
		}
		out[f.GetName()] = f.GetContent()
	}
	return out
}

// readTree reads every file under dir, by slash path relative to it.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return out
}

// writeTree replaces dir with files, by slash path relative to it.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// keys returns the names of files.
func keys(files map[string]string) []string {
	var out []string
	for name := range files {
		out = append(out, name)
	}
	return out
}
