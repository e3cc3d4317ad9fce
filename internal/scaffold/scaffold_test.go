package scaffold

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// repoRoot is the root of provision's own repository, two levels above
// the package directory.
var repoRoot = filepath.Join("..", "..")

var update = flag.Bool("update", false, "rewrite the sample catalog of the skeleton from testdata/catalogs/acme")

var testOptions = Options{Module: "example.com/other/catalog", Version: "v1.2.3"}

// TestSampleIsAcme: the sample catalog is the fictional Acme catalog of
// testdata/catalogs/acme, word for word but for its Go packages, so the
// tests of Acme vouch for it and an edit of Acme reaches new repositories.
// With -update it copies Acme's files over the sample's.
func TestSampleIsAcme(t *testing.T) {
	if *update {
		// The skeleton is embedded when the test is built: the next run
		// compares what this one wrote.
		updateSample(t)
		return
	}
	t.Parallel()
	files, err := testOptions.files()
	if err != nil {
		t.Fatal(err)
	}
	acme := filepath.Join(repoRoot, "testdata", "catalogs", "acme")
	var samples int
	for name, got := range files {
		if !strings.HasPrefix(name, "proto/") {
			continue
		}
		samples++
		want, err := os.ReadFile(filepath.Join(acme, filepath.FromSlash(strings.TrimPrefix(name, "proto/"))))
		if err != nil {
			t.Errorf("sample %s is not a file of %s: %v", name, acme, err)
			continue
		}
		moved := strings.ReplaceAll(string(want), sampleGoPackage, `"`+testOptions.Module+"/gen/go/")
		if diff := cmp.Diff(moved, string(got)); diff != "" {
			t.Errorf("sample %s differs from Acme's (go test ./internal/scaffold -run TestSampleIsAcme -update) (-acme +sample):\n%s", name, diff)
		}
		if strings.Contains(string(got), "example.com/acme/") {
			t.Errorf("sample %s still names Acme's Go module", name)
		}
	}
	if samples == 0 {
		t.Error("the skeleton has no sample catalog under proto/")
	}
}

// updateSample copies the files of Acme's catalog that the skeleton's
// sample has over them.
func updateSample(t *testing.T) {
	t.Helper()
	dir := filepath.Join(skeletonDir, "proto")
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, strings.TrimSuffix(p, suffix))
		if err != nil {
			return err
		}
		data, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "catalogs", "acme", rel))
		if err != nil {
			return err
		}
		return os.WriteFile(p, data, 0o644)
	})
	if err != nil {
		t.Fatalf("update the sample: %v", err)
	}
}

// TestBufVersionPinned: new repositories run the buf that provision's own
// tools/go.mod pins.
func TestBufVersionPinned(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join(repoRoot, "tools", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*(?:require\s+)?github\.com/bufbuild/buf (v\S+)`).FindSubmatch(data)
	if m == nil {
		t.Fatal("tools/go.mod requires no github.com/bufbuild/buf")
	}
	if got := string(m[1]); got != BufVersion {
		t.Errorf("tools/go.mod pins buf %s, BufVersion is %s", got, BufVersion)
	}
}

func TestWrite(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		opts     Options
		existing []string // files in the directory before
		wantErr  error    // nil: success
		errHas   string
	}{
		{name: "new directory", opts: testOptions},
		{name: "with a replace", opts: Options{Module: "example.com/c", Version: "v0.0.0-00010101000000-000000000000", Replace: "/src/provision"}},
		{name: "not empty", opts: testOptions, existing: []string{"notes.txt"}, wantErr: ErrNotEmpty},
		{name: "no module", opts: Options{Version: "v1.0.0"}, errHas: "module path"},
		{name: "module with a space", opts: Options{Module: "example.com/a b", Version: "v1.0.0"}, errHas: "module path"},
		{name: "module with a newline", opts: Options{Module: "example.com/a\nreplace x => y", Version: "v1.0.0"}, errHas: "module path"},
		{name: "module with an empty element", opts: Options{Module: "example.com//a", Version: "v1.0.0"}, errHas: "module path"},
		{name: "module with a dash first", opts: Options{Module: "-mod", Version: "v1.0.0"}, errHas: "module path"},
		{name: "version without v", opts: Options{Module: "example.com/a", Version: "1.0.0"}, errHas: "version"},
		{name: "relative replace", opts: Options{Module: "example.com/a", Version: "v1.0.0", Replace: "../provision"}, errHas: "replace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "catalog")
			for _, name := range tt.existing {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			err := Write(dir, tt.opts)
			switch {
			case tt.wantErr == nil && tt.errHas == "":
				if err != nil {
					t.Fatalf("Write() = %v", err)
				}
			case err == nil:
				t.Fatalf("Write() = nil, want an error")
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Fatalf("Write() = %v, want %v", err, tt.wantErr)
			case !strings.Contains(err.Error(), tt.errHas) || !strings.Contains(err.Error(), dir):
				t.Fatalf("Write() = %v, want it to name %q and the directory", err, tt.errHas)
			}
			if err != nil {
				if len(tt.existing) == 0 {
					if _, serr := os.Stat(dir); serr == nil {
						t.Errorf("Write() failed but created %s", dir)
					}
				}
				return
			}
			checkWritten(t, dir, tt.opts)
		})
	}
}

// checkWritten checks the repository Write wrote into dir with o.
func checkWritten(t *testing.T, dir string, o Options) {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		names = append(names, filepath.ToSlash(rel))
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if left := regexp.MustCompile(`\{\{[A-Z_]+\}\}`).Find(data); left != nil {
			t.Errorf("%s keeps the placeholder %s", rel, left)
		}
		if strings.HasSuffix(p, suffix) {
			t.Errorf("%s keeps the skeleton's suffix", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{".ci/run", "README.md", "buf.gen.yaml", "buf.yaml", "go.mod", "i18n/README.md", "tools/go.mod"} {
		if !slices.Contains(names, want) {
			t.Errorf("Write() wrote no %s; wrote %v", want, names)
		}
	}
	info, err := os.Stat(filepath.Join(dir, ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm()&0o100 == 0 {
		t.Errorf(".ci/run has mode %v, want it executable", info.Mode())
	}
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	wantLines := []string{"module " + o.Module, "require github.com/provisionhq/provision " + o.Version}
	if o.Replace != "" {
		wantLines = append(wantLines, "replace github.com/provisionhq/provision => "+o.Replace)
	}
	for _, line := range wantLines {
		if !slices.Contains(strings.Split(string(gomod), "\n"), line) {
			t.Errorf("go.mod lacks the line %q:\n%s", line, gomod)
		}
	}
	if o.Replace == "" && strings.Contains(string(gomod), "replace") {
		t.Errorf("go.mod has a replace without -replace:\n%s", gomod)
	}
}

func FuzzCheckModulePath(f *testing.F) {
	for _, seed := range []string{"example.com/acme/catalog", "catalog", "", "a b", "a//b", "-x", "a/./b", "é.com/x", "a\nb"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, p string) {
		if checkModulePath(p) != nil {
			return
		}
		// An accepted path fits on go.mod's module line as one word.
		if strings.ContainsFunc(p, func(r rune) bool { return r <= ' ' || r == '"' || r == '`' || r > '~' }) {
			t.Errorf("checkModulePath(%q) = nil for a path go.mod cannot hold", p)
		}
		if strings.HasPrefix(p, "-") || strings.Contains(p, "//") {
			t.Errorf("checkModulePath(%q) = nil", p)
		}
	})
}
