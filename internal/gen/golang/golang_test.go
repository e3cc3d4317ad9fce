package golang_test

import (
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/pluginpb"

	"github.com/provisionhq/provision/internal/fixture"
	"github.com/provisionhq/provision/internal/gen/golang"
	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/protoload"
	"github.com/provisionhq/provision/internal/protosrc"
)

// generateCatalog compiles the repository's catalog in process and runs
// Generate on all its files, as generate does; it returns the catalog with
// the response.
func generateCatalog(t *testing.T) (*protosrc.Catalog, *pluginpb.CodeGeneratorResponse, error) {
	t.Helper()
	cat, err := protoload.CompileCatalog(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	resp, err := generateSet(t, cat.Set, cat.Files...)
	return cat, resp, err
}

// generateSet runs Generate with Types, as buf.gen.yaml does, on files of
// set, which holds them with their imports, through a real
// CodeGeneratorRequest, and returns the response.
func generateSet(t *testing.T, set *descriptorpb.FileDescriptorSet, files ...string) (*pluginpb.CodeGeneratorResponse, error) {
	t.Helper()
	p, err := protogen.Options{}.New(protoload.Request(set, "", files...))
	if err != nil {
		t.Fatal(err)
	}
	if err := (golang.Options{Types: true}).Generate(p); err != nil {
		return nil, err
	}
	return p.Response(), nil
}

// TestGoldenCatalog generates Go for the whole catalog and compares every
// file with the committed gen/go/**/*.provision.go and *.pb.go of the
// catalog, byte for byte, both ways: the committed code is exactly what the
// generator makes, and no committed file is left over.
func TestGoldenCatalog(t *testing.T) {
	t.Parallel()
	cat, resp, err := generateCatalog(t)
	if err != nil {
		t.Fatal(err)
	}
	root := cat.Root
	if resp.Error != nil {
		t.Fatalf("response error: %s", resp.GetError())
	}
	const module = "github.com/provisionhq/provision/"
	var generated []string
	for _, f := range resp.GetFile() {
		name := f.GetName()
		if !strings.HasPrefix(name, module) {
			t.Errorf("generated %s outside module %s", name, module)
			continue
		}
		rel := strings.TrimPrefix(name, module)
		generated = append(generated, rel)
		want, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil {
			t.Errorf("generated %s, not committed: %v", rel, err)
			continue
		}
		if diff := cmp.Diff(string(want), f.GetContent()); diff != "" {
			t.Errorf("%s differs from the committed file (-committed +generated):\n%s", rel, diff)
		}
	}
	var committed []string
	err = filepath.WalkDir(filepath.Join(root, "gen", "go"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		// The vocabulary's Go (gen/go/provision) is generated from an
		// import of the catalog, not from the catalog.
		if strings.HasPrefix(filepath.ToSlash(path), filepath.ToSlash(filepath.Join(root, "gen", "go", "provision"))+"/") {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		committed = append(committed, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(generated)
	if diff := cmp.Diff(committed, generated); diff != "" {
		t.Errorf("committed vs generated files (-committed +generated):\n%s", diff)
	}
	if len(generated) == 0 {
		t.Error("generated no file")
	}
}

// TestGenerateDeterministic generates the catalog twice and expects the
// same files in the same order with the same bytes.
func TestGenerateDeterministic(t *testing.T) {
	t.Parallel()
	_, first, err := generateCatalog(t)
	if err != nil {
		t.Fatal(err)
	}
	_, second, err := generateCatalog(t)
	if err != nil {
		t.Fatal(err)
	}
	type file struct{ Name, Content string }
	flatten := func(r *pluginpb.CodeGeneratorResponse) []file {
		var out []file
		for _, f := range r.GetFile() {
			out = append(out, file{f.GetName(), f.GetContent()})
		}
		return out
	}
	if diff := cmp.Diff(flatten(first), flatten(second)); diff != "" {
		t.Errorf("two runs differ (-first +second):\n%s", diff)
	}
}

var position = regexp.MustCompile(`unannotated\.proto:\d+:\d+`)

// TestGenerateRefusesFindings runs Generate on a fixture catalog with an
// unannotated field: it must fail naming the field's file:line:col and
// generate nothing.
func TestGenerateRefusesFindings(t *testing.T) {
	t.Parallel()
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	testdata := filepath.Join(root, "internal", "model", "testdata")
	set, err := protoload.CompileFixture(t.Context(), testdata, "policy.proto", "bad/unannotated.proto")
	if err != nil {
		t.Fatal(err)
	}
	// The fixtures name no go_package: map them as buf's managed mode would.
	const param = "Mpolicy.proto=example.com/fixture/policy;policy," +
		"Mbad/unannotated.proto=example.com/fixture/unannotated;unannotated"
	p, err := protogen.Options{}.New(protoload.Request(set, param, "policy.proto", "bad/unannotated.proto"))
	if err != nil {
		t.Fatal(err)
	}
	err = golang.Generate(p)
	if err == nil {
		t.Fatal("Generate accepted a catalog with an unannotated field")
	}
	// The fixture's want line says where the model places the finding.
	wants, werr := fixture.ReadWants(filepath.Join(testdata, "bad", "unannotated.proto"))
	if werr != nil || len(wants) != 1 {
		t.Fatalf("fixture wants %v, %v; want one finding", wants, werr)
	}
	if got, want := position.FindString(err.Error()), "unannotated.proto:"+wants[0].Pos; got != want {
		t.Errorf("Generate error = %q, want it to name %s", err, want)
	}
	if !strings.Contains(err.Error(), "version") {
		t.Errorf("Generate error = %q, want it to name the field", err)
	}
	if files := p.Response().GetFile(); len(files) != 0 {
		var names []string
		for _, f := range files {
			names = append(names, f.GetName())
		}
		t.Errorf("Generate wrote %v despite the finding", names)
	}
}

// TestProductAndScenarioInOneFile generates a .proto that declares both a
// product and a scenario: one generated file holds the agreements and the
// scenario's methods (two files of one name would lose one of them).
func TestProductAndScenarioInOneFile(t *testing.T) {
	t.Parallel()
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	set, err := protoload.CompileFixture(t.Context(), filepath.Join(root, "internal", "gen", "golang", "testdata", "onefile"), "onefile.proto")
	if err != nil {
		t.Fatal(err)
	}
	p, err := protogen.Options{}.New(protoload.Request(set, "Monefile.proto=example.com/fixture/onefile;onefile", "onefile.proto"))
	if err != nil {
		t.Fatal(err)
	}
	if err := golang.Generate(p); err != nil {
		t.Fatal(err)
	}
	names := map[string]int{}
	var content string
	for _, f := range p.Response().GetFile() {
		names[f.GetName()]++
		content += f.GetContent()
	}
	for name, n := range names {
		if n > 1 {
			t.Errorf("%s generated %d times", name, n)
		}
	}
	for _, want := range []string{"AgreementLicense Agreement = 0", "func NewConsent(", "func (x *Ping) Redact(", "func (x *Ping) Validate("} {
		if !strings.Contains(content, want) {
			t.Errorf("generated code lacks %q", want)
		}
	}
}

// TestPackageDoc parses the Go generated for the catalog: every Go package
// that holds a product has exactly one package comment, and it names each
// of the product's scenarios and each of its agreements with the
// provenance the catalog gives (an origin's quoted words, an implication
// the maintainers assess marked as their assessment).
func TestPackageDoc(t *testing.T) {
	t.Parallel()
	cm, err := protoload.LoadCatalogModel()
	if err != nil {
		t.Fatal(err)
	}
	_, resp, err := generateCatalog(t)
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string][]string{} // package comments by directory
	for _, f := range resp.GetFile() {
		file, err := parser.ParseFile(token.NewFileSet(), f.GetName(), f.GetContent(), parser.ParseComments|parser.PackageClauseOnly)
		if err != nil {
			t.Fatalf("%s: %v", f.GetName(), err)
		}
		dir := path.Dir(f.GetName())
		if _, ok := docs[dir]; !ok {
			docs[dir] = nil
		}
		if file.Doc != nil {
			docs[dir] = append(docs[dir], file.Doc.Text())
		}
	}
	for _, prod := range cm.Catalog.Products {
		t.Run(prod.ID, func(t *testing.T) {
			dir := path.Dir(prod.File)
			var found []string
			for d, texts := range docs {
				if strings.HasSuffix(d, "/"+dir) {
					found = append(found, texts...)
				}
			}
			if len(found) != 1 {
				t.Fatalf("package of %s has %d package comments, want 1", prod.File, len(found))
			}
			doc := strings.Join(strings.Fields(found[0]), " ")
			for _, s := range prod.Scenarios {
				if want := fmt.Sprintf("scenario %q", s.ID); !strings.Contains(doc, want) {
					t.Errorf("package comment lacks %s", want)
				}
			}
			for _, a := range prod.Options.GetAgreements() {
				if !strings.Contains(doc, a.GetId()) {
					t.Errorf("package comment lacks agreement %s", a.GetId())
				}
				if q := a.GetOrigin().GetQuote().GetText(); q != "" && !strings.Contains(doc, strings.Join(strings.Fields(strconv.Quote(q)), " ")) {
					t.Errorf("package comment lacks the quoted origin of %s: %q", a.GetId(), q)
				}
				if r := a.GetImpliesBasis().GetAssessment(); r != "" && !strings.Contains(doc, "(the maintainers' assessment: "+strings.Join(strings.Fields(strings.TrimSuffix(r, ".")), " ")) {
					t.Errorf("package comment does not mark as the maintainers' assessment what %s implies", a.GetId())
				}
			}
		})
	}
}
