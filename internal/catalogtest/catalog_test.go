package catalogtest_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/pluginpb"

	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protoload"
)

// vendorWords matches the names of the vendor and products of the
// repository's own catalog. No output made from the fictional catalog may
// match: the engine must not bring any of that catalog's words.
var vendorWords = regexp.MustCompile(`(?i)kaspersky|\bksn\b|ksvla|kess|keystone|light agent|security network`)

// The fictional catalog's own agreement titles: where the tools word an
// agreement, these words must come from its declarations.
const (
	titleTerms     = "Acme Notes Terms of Service"
	titleCrash     = "Acme crash reporting (opt-in)"
	titleAnalytics = "Acme usage analytics (opt-in)"
)

// Where the fictional catalog's versions are, relative to the repository
// root.
const (
	catalogV1 = "testdata/catalogs/acme"
	catalogV2 = "testdata/catalogs/acme-v2"
)

// version is one version of the fictional catalog, compiled in process.
type version struct {
	// dir is the version's proto tree.
	dir string
	// files are its .proto files, relative to dir.
	files []string
	// set holds files with all their imports (the vocabulary and
	// validate.proto, never the repository's own catalog).
	set *descriptorpb.FileDescriptorSet
	// catalog is the checked model.
	catalog *model.Catalog
}

var (
	loadOnce sync.Once
	versions map[string]*version
	loadErr  error
)

// load compiles the version of the fictional catalog at rel (catalogV1 or
// catalogV2) once for all tests and checks it with the model.
func load(t *testing.T, rel string) *version {
	t.Helper()
	loadOnce.Do(func() {
		versions = map[string]*version{}
		for _, r := range []string{catalogV1, catalogV2} {
			v, err := compileVersion(context.Background(), r)
			if err != nil {
				loadErr = err
				return
			}
			versions[r] = v
		}
	})
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	return versions[rel]
}

// compileVersion compiles and checks the proto tree at rel.
func compileVersion(ctx context.Context, rel string) (*version, error) {
	root, err := layout.FindRoot(".")
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(root, filepath.FromSlash(rel))
	return compileDir(ctx, dir)
}

// compileDir compiles every .proto file under dir, with the repository's
// import paths after it, and builds the model; a model finding is
// returned as the error.
func compileDir(ctx context.Context, dir string) (*version, error) {
	files, err := layout.ProtoFiles(dir)
	if err != nil {
		return nil, err
	}
	set, err := protoload.CompileFixture(ctx, dir, files...)
	if err != nil {
		return nil, err
	}
	c, err := model.FromFileDescriptorSet(set)
	if err != nil {
		return nil, err
	}
	return &version{dir: dir, files: files, set: set, catalog: c}, nil
}

// copyWith copies the proto tree of the fictional catalog's first version
// into a temporary directory, replacing old by new in the file at rel
// (exactly once), and returns the directory.
func copyWith(t *testing.T, rel, old, new string) string {
	t.Helper()
	src := load(t, catalogV1).dir
	dst := t.TempDir()
	for _, f := range load(t, catalogV1).files {
		data, err := os.ReadFile(filepath.Join(src, filepath.FromSlash(f)))
		if err != nil {
			t.Fatal(err)
		}
		if f == rel {
			if n := strings.Count(string(data), old); n != 1 {
				t.Fatalf("%s holds %q %d times, want once", rel, old, n)
			}
			data = []byte(strings.Replace(string(data), old, new, 1))
		}
		path := filepath.Join(dst, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// plugin makes the protogen plugin a code generator gets for the version's
// files, through a real CodeGeneratorRequest as buf sends it (strategy:
// all), with parameter as its options.
func plugin(t *testing.T, v *version, parameter string) *protogen.Plugin {
	t.Helper()
	p, err := protogen.Options{}.New(protoload.Request(v.set, parameter, v.files...))
	if err != nil {
		t.Fatal(err)
	}
	p.SupportedFeatures = uint64(pluginpb.CodeGeneratorResponse_FEATURE_PROTO3_OPTIONAL)
	return p
}

// responseFiles returns the files of a plugin's response by name, failing
// on a response error.
func responseFiles(t *testing.T, p *protogen.Plugin) map[string]string {
	t.Helper()
	resp := p.Response()
	if resp.GetError() != "" {
		t.Fatalf("response error: %s", resp.GetError())
	}
	out := map[string]string{}
	for _, f := range resp.GetFile() {
		out[f.GetName()] = f.GetContent()
	}
	return out
}

// checkOutput checks what one tool printed, text by name: there is some;
// no text names the vendor of the repository's catalog; and each of want
// appears in some text, so that those words come from the fictional
// catalog.
func checkOutput(t *testing.T, tool string, texts map[string]string, want ...string) {
	t.Helper()
	if len(texts) == 0 {
		t.Fatalf("%s printed nothing", tool)
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range texts {
			if !yield(n) {
				return
			}
		}
	})
	for _, name := range names {
		text := texts[name]
		if strings.TrimSpace(text) == "" {
			t.Errorf("%s: %s is empty", tool, name)
		}
		for _, loc := range vendorWords.FindAllStringIndex(text, 3) {
			t.Errorf("%s: %s names the vendor of the repository's catalog: …%s…", tool, name, excerpt(text, loc))
		}
		if vendorWords.MatchString(name) {
			t.Errorf("%s: file name %s names the vendor of the repository's catalog", tool, name)
		}
	}
	for _, w := range want {
		if !slices.ContainsFunc(names, func(n string) bool { return strings.Contains(texts[n], w) }) {
			t.Errorf("%s: no output says %q", tool, w)
		}
	}
}

// excerpt is the text around loc, for a failure message.
func excerpt(text string, loc []int) string {
	from, to := max(loc[0]-60, 0), min(loc[1]+60, len(text))
	return text[from:to]
}
