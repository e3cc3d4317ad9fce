package vendored

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// upstream returns the contents of Source in the pinned module.
func upstream(t *testing.T) []byte {
	t.Helper()
	data, err := source(t.Context(), t.TempDir(), validate)
	if err != nil {
		t.Fatalf("read pinned module: %v", err)
	}
	return data
}

// writeVendored writes data as the vendored file under root.
func writeVendored(t *testing.T, root string, data []byte, mode os.FileMode) {
	t.Helper()
	if err := write(filepath.Join(root, filepath.FromSlash(Path)), data); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(root, filepath.FromSlash(Path)), mode); err != nil {
		t.Fatal(err)
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	want := upstream(t)
	tests := []struct {
		name    string
		content []byte // nil: no file
		want    *DriftError
	}{
		{name: "missing", want: &DriftError{Path: Path, Missing: true, From: validate.from()}},
		{name: "different", content: append([]byte("// edited\n"), want...), want: &DriftError{Path: Path, From: validate.from()}},
		{name: "truncated", content: want[:len(want)/2], want: &DriftError{Path: Path, From: validate.from()}},
		{name: "identical", content: want},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			if tt.content != nil {
				writeVendored(t, root, tt.content, 0o644)
			}
			err := Check(t.Context(), root)
			var drift *DriftError
			if err != nil && !errors.As(err, &drift) {
				t.Fatalf("Check() = %v, want a *DriftError or nil", err)
			}
			if diff := cmp.Diff(tt.want, drift); diff != "" {
				t.Errorf("Check() drift mismatch (-want +got):\n%s", diff)
			}
			if err != nil && !strings.Contains(err.Error(), Path) {
				t.Errorf("Check() = %q, want it to name %s", err, Path)
			}
		})
	}
}

func TestSync(t *testing.T) {
	t.Parallel()
	want := upstream(t)
	tests := []struct {
		name    string
		content []byte // nil: no file
		mode    os.FileMode
	}{
		{name: "missing"},
		{name: "different", content: []byte("syntax = \"proto3\";\n"), mode: 0o644},
		{name: "identical with another mode", content: want, mode: 0o600},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			if tt.content != nil {
				writeVendored(t, root, tt.content, tt.mode)
			}
			if err := Sync(t.Context(), root); err != nil {
				t.Fatalf("Sync() = %v", err)
			}
			dst := filepath.Join(root, filepath.FromSlash(Path))
			got, err := os.ReadFile(dst)
			if err != nil {
				t.Fatal(err)
			}
			if !cmp.Equal(got, want) {
				t.Errorf("Sync() wrote %d bytes that differ from the pinned module's %d", len(got), len(want))
			}
			info, err := os.Stat(dst)
			if err != nil {
				t.Fatal(err)
			}
			if info.Mode().Perm() != 0o644 {
				t.Errorf("Sync() left mode %v, want 0644", info.Mode().Perm())
			}
			if err := Check(t.Context(), root); err != nil {
				t.Errorf("Check() after Sync() = %v", err)
			}
		})
	}
}

func TestModuleDirCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := ModuleDir(ctx, t.TempDir()); err == nil {
		t.Error("ModuleDir() with a cancelled context = nil error, want one")
	}
}

func TestRepositoryIsInSync(t *testing.T) {
	t.Parallel()
	// The package directory is internal/vendored: the root is two levels up.
	if err := Check(t.Context(), filepath.Join("..", "..")); err != nil {
		t.Errorf("Check(repository) = %v; run `go run ./cmd/provision generate`", err)
	}
}

func TestRequiresProvision(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		gomod string // "": no go.mod
		want  bool
	}{
		{name: "no go.mod"},
		{name: "provision itself", gomod: "module github.com/provisionhq/provision\n\ngo 1.26.0\n"},
		{name: "requires it on one line", gomod: "module example.com/c\n\nrequire github.com/provisionhq/provision v1.2.3\n", want: true},
		{name: "requires it in a block", gomod: "module example.com/c\n\nrequire (\n\tgithub.com/provisionhq/provision v1.2.3 // indirect\n)\n", want: true},
		{name: "a tool of it only", gomod: "module example.com/c\n\ntool github.com/provisionhq/provision/cmd/provision\n"},
		{name: "another module", gomod: "module example.com/c\n\nrequire github.com/provisionhq/provisionx v1.0.0\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if tt.gomod != "" {
				if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(tt.gomod), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := requiresProvision(filepath.Join(dir, "go.mod"))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("requiresProvision() = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestVocabularyOfAnotherCatalog syncs and checks the vocabulary of a
// catalog repository whose go.mod resolves provision to this checkout.
func TestVocabularyOfAnotherCatalog(t *testing.T) {
	t.Parallel()
	checkout, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(checkout, filepath.FromSlash(VocabularySource)))
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	gomod := "module example.com/catalog\n\ngo 1.26.0\n\nrequire " + ProvisionModule + " v0.0.0\n\nreplace " + ProvisionModule + " => " + checkout + "\n"
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	files, err := Files(t.Context(), root)
	if err != nil {
		t.Fatalf("Files() = %v", err)
	}
	var paths []string
	for _, f := range files {
		paths = append(paths, f.Path)
	}
	if diff := cmp.Diff([]string{Path, VocabularyPath}, paths); diff != "" {
		t.Fatalf("Files() paths mismatch (-want +got):\n%s", diff)
	}
	var drift *DriftError
	if err := Check(t.Context(), root); !errors.As(err, &drift) || !drift.Missing {
		t.Fatalf("Check(empty catalog) = %v, want a missing file", err)
	}
	if err := Sync(t.Context(), root); err != nil {
		t.Fatalf("Sync() = %v", err)
	}
	got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(VocabularyPath)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Sync() wrote a vocabulary that differs from %s", VocabularySource)
	}
	if err := Check(t.Context(), root); err != nil {
		t.Errorf("Check() after Sync() = %v", err)
	}
	if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(VocabularyPath)), append(got, "// edited\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	err = Check(t.Context(), root)
	if !errors.As(err, &drift) || drift.Path != VocabularyPath || drift.Missing {
		t.Errorf("Check(edited vocabulary) = %v, want a *DriftError for %s", err, VocabularyPath)
	}
}

// TestVocabularyVerified copies the vocabulary of a released provision
// from a module proxy (a directory standing in for one, holding a made-up
// v0.0.1) into a fresh module cache: the go command checks the module
// against the catalog's go.sum, and a mismatch stops Sync. It sets the go
// command's environment, so it does not run in parallel.
func TestVocabularyVerified(t *testing.T) {
	const version = "v0.0.1"
	vocabulary := "// the vocabulary of " + version + ", made up for the test\n"
	proxy := t.TempDir()
	writeProxyModule(t, proxy, version, map[string]string{
		"go.mod":         "module " + ProvisionModule + "\n",
		VocabularySource: vocabulary,
	})
	t.Setenv("GOPROXY", "file://"+filepath.ToSlash(proxy))
	t.Setenv("GOMODCACHE", t.TempDir())
	t.Setenv("GOFLAGS", "-mod=mod -modcacherw")
	t.Setenv("GOSUMDB", "off")

	tests := []struct {
		name    string
		gosum   string // "": none, the go command writes it
		wantErr string // "": success
	}{
		{name: "go.sum written on first use"},
		{name: "go.sum mismatch", gosum: ProvisionModule + " " + version + " h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", wantErr: "checksum mismatch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			gomod := "module example.com/catalog\n\ngo 1.26.0\n\nrequire " + ProvisionModule + " " + version + "\n"
			if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte(gomod), 0o644); err != nil {
				t.Fatal(err)
			}
			if tt.gosum != "" {
				if err := os.WriteFile(filepath.Join(root, "go.sum"), []byte(tt.gosum), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			files, err := Files(t.Context(), root)
			if err != nil {
				t.Fatalf("Files() = %v", err)
			}
			vocab := files[len(files)-1]
			if vocab.Path != VocabularyPath || vocab.Version != version {
				t.Fatalf("Files() vocabulary = %+v, want %s at %s", vocab, VocabularyPath, version)
			}
			got, err := source(t.Context(), root, vocab)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("source() = %v, want an error with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("source() = %v", err)
			}
			if string(got) != vocabulary {
				t.Errorf("source() = %q, want %q", got, vocabulary)
			}
		})
	}
}

// writeProxyModule lays out ProvisionModule at version, with files, in
// dir as a GOPROXY=file:// module proxy serves it.
func writeProxyModule(t *testing.T, dir, version string, files map[string]string) {
	t.Helper()
	base := filepath.Join(dir, filepath.FromSlash(ProvisionModule), "@v")
	if err := os.MkdirAll(base, 0o755); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range files {
		w, err := zw.Create(ProvisionModule + "@" + version + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, content); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string][]byte{
		"list":            []byte(version + "\n"),
		version + ".info": []byte(`{"Version":"` + version + `","Time":"2031-03-01T00:00:00Z"}`),
		version + ".mod":  []byte(files["go.mod"]),
		version + ".zip":  buf.Bytes(),
	} {
		if err := os.WriteFile(filepath.Join(base, name), content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
