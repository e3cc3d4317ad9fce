package layout

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/provisionhq/provision"

// goPackage is what TestDependenciesPointOneWay reads of a package: the
// module packages its non-test files import, and whether its doc comment
// says it is for tests only.
type goPackage struct {
	imports  []string // slash paths relative to the module root, "." for the root
	testOnly bool
}

// readPackages parses the imports and doc comments of the non-test Go files
// of the module at root, by slash directory relative to it ("." for the
// root). Directories Go ignores (testdata, hidden) and nested modules are
// left out.
func readPackages(t *testing.T, root string) map[string]*goPackage {
	t.Helper()
	pkgs := map[string]*goPackage{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p == root {
				return nil
			}
			if name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
				return filepath.SkipDir
			}
			return nil
		}
		if filepath.Ext(name) != ".go" || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, filepath.Dir(p))
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(rel)
		pkg := pkgs[dir]
		if pkg == nil {
			pkg = &goPackage{}
			pkgs[dir] = pkg
		}
		if f.Doc != nil && strings.Contains(f.Doc.Text(), "for tests only") {
			pkg.testOnly = true
		}
		for _, spec := range f.Imports {
			imp, err := strconv.Unquote(spec.Path.Value)
			if err != nil {
				return err
			}
			switch {
			case imp == module:
				pkg.imports = append(pkg.imports, ".")
			case strings.HasPrefix(imp, module+"/"):
				pkg.imports = append(pkg.imports, strings.TrimPrefix(imp, module+"/"))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("read packages: %v", err)
	}
	return pkgs
}

// under reports whether the directory dir is prefix or lies inside it.
func under(dir, prefix string) bool {
	return dir == prefix || strings.HasPrefix(dir, prefix+"/")
}

// TestDependenciesPointOneWay checks the import rules of the repository
// over the non-test files of every package: cmd → internal → the runtime
// (the root package for client programs, runtime/provisionimpl for
// generated code, both on internal/impl); generated code imports the
// runtime only; no package imports a
// test helper (a package whose doc says it is for tests only); the pure
// generators know nothing of the repository (they get a model and return
// files), and the versions kept as input data know nothing of the
// generators that page them.
func TestDependenciesPointOneWay(t *testing.T) {
	t.Parallel()
	root, err := FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	pkgs := readPackages(t, root)
	if p := pkgs["internal/protoload"]; p == nil || !p.testOnly {
		t.Fatal("internal/protoload is not documented as for tests only: the rule on test helpers would check nothing")
	}
	// repository are the packages that read the repository or run tools.
	repository := []string{"internal/bufimage", "internal/catalogref", "internal/gocmd", "internal/layout",
		"internal/protosrc", "internal/regen", "internal/translations", "internal/vendored", "internal/versions"}
	rules := []struct {
		name   string
		breaks func(from, to string) bool
	}{
		{"no package imports a test helper", func(from, to string) bool {
			return pkgs[to] != nil && pkgs[to].testOnly && !pkgs[from].testOnly
		}},
		{"the runtime (root and runtime/provisionimpl) imports only its implementation, internal/impl", func(from, to string) bool {
			runtime := from == "." || under(from, "runtime")
			return runtime && to != "internal/impl" && (under(to, "internal") || under(to, "cmd"))
		}},
		{"internal/impl imports no other package of the repository but generated code", func(from, to string) bool {
			return from == "internal/impl" && !under(to, "gen")
		}},
		{"generated code imports only the runtime and generated code", func(from, to string) bool {
			return under(from, "gen") && to != "." && to != "runtime/provisionimpl" && !under(to, "gen")
		}},
		{"internal packages import no cmd package", func(from, to string) bool {
			return under(from, "internal") && under(to, "cmd")
		}},
		{"the generators do not read the repository", func(from, to string) bool {
			return under(from, "internal/gen") && slices.Contains(repository, to)
		}},
		{"versions does not import the generators", func(from, to string) bool {
			return under(from, "internal/versions") && under(to, "internal/gen")
		}},
	}
	dirs := make([]string, 0, len(pkgs))
	for dir := range pkgs {
		dirs = append(dirs, dir)
	}
	slices.Sort(dirs)
	for _, from := range dirs {
		for _, to := range pkgs[from].imports {
			for _, r := range rules {
				if r.breaks(from, to) {
					t.Errorf("%s imports %s: %s", path.Join(module, from), path.Join(module, to), r.name)
				}
			}
		}
	}
}
