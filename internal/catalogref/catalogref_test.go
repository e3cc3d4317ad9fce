package catalogref

import (
	"archive/tar"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/protoload"
)

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func TestLoadDirectoryImageAndGitRef(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	ctx := context.Background()

	dir, err := Load(ctx, root, filepath.Join(root, "proto"))
	if err != nil {
		t.Fatal(err)
	}
	if len(dir.Products) < 2 {
		t.Fatalf("proto/ has %d products, want several", len(dir.Products))
	}

	// A directory with one product package takes the repository's policy.
	example, err := Load(ctx, root, filepath.Join(root, "testdata", "versions", "ksvla-6.1"))
	if err != nil {
		t.Fatal(err)
	}
	if len(example.Products) != 1 || example.Products[0].Options.GetVersion() != "6.1" || example.Products[0].Policy == nil {
		t.Fatalf("example version: products %v", example.Products)
	}

	// A FileDescriptorSet file is read as a buf image.
	cat, err := protoload.CompileCatalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	data, err := proto.Marshal(cat.Set)
	if err != nil {
		t.Fatal(err)
	}
	image := filepath.Join(t.TempDir(), "image.binpb")
	if err := os.WriteFile(image, data, 0o644); err != nil {
		t.Fatal(err)
	}
	fromImage, err := Load(ctx, root, image)
	if err != nil {
		t.Fatal(err)
	}
	if len(fromImage.Scenarios()) != len(dir.Scenarios()) {
		t.Errorf("image has %d scenarios, directory %d", len(fromImage.Scenarios()), len(dir.Scenarios()))
	}

	// The released baseline CI checks against loads too.
	released, err := Load(ctx, root, filepath.Join(root, "testdata", "versions", "released.binpb"))
	if err != nil {
		t.Fatal(err)
	}
	if len(released.Products) == 0 {
		t.Error("released baseline has no product")
	}
}

func TestLoadGitRef(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	if _, err := os.Stat(filepath.Join(root, ".git")); err != nil {
		t.Skip("not a git work tree")
	}
	c, err := Load(context.Background(), root, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Products) == 0 {
		t.Fatal("HEAD has no product")
	}
}

func TestLoadRefused(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	for _, ref := range []string{"no-such-ref-or-dir", "--upload-pack=x"} {
		_, err := Load(context.Background(), root, ref)
		if err == nil || !strings.Contains(err.Error(), "not a directory, a file or a git ref") {
			t.Errorf("Load(%q) = %v, want it refused", ref, err)
		}
	}
	garbage := filepath.Join(t.TempDir(), "garbage.binpb")
	if err := os.WriteFile(garbage, []byte("not an image"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(context.Background(), root, garbage); err == nil {
		t.Error("Load(garbage file) succeeded")
	}
}

func TestUntarRefusesEscapes(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"../evil.proto", "/abs.proto"} {
		var b bytes.Buffer
		w := tar.NewWriter(&b)
		if err := w.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: 1, Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte("x")); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if err := untar(&b, t.TempDir()); err == nil {
			t.Errorf("untar(%q) succeeded", name)
		}
	}
}

// TestLoadNamesFiles checks that a version that does not compile names
// the file where it is, and a misspelled option
// field with what it was meant to be.
func TestLoadNamesFiles(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	acme := filepath.Join(root, "testdata", "catalogs", "acme")
	const file = "acme/notes/v1/sync.proto"
	tests := []struct {
		name, old, new, want string
	}{
		{"a misspelled option field", "identifiability:", "identifiabilty:", `: field identifiabilty not found; did you mean "identifiability"?`},
		{"an unknown type", "  string ", "  NoSuchType ", "NoSuchType"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Outside the repository, the file is named by its path on
			// disk (under it, by its path from the root: FilePath's test).
			dir := t.TempDir()
			if err := os.CopyFS(dir, os.DirFS(acme)); err != nil {
				t.Fatal(err)
			}
			src, err := os.ReadFile(filepath.Join(acme, file))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(src), tt.old) {
				t.Fatalf("%s has no %q", file, tt.old)
			}
			bad := strings.Replace(string(src), tt.old, tt.new, 1)
			if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(file)), []byte(bad), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err = Load(context.Background(), root, dir)
			path := filepath.Join(dir, filepath.FromSlash(file))
			if err == nil || !strings.Contains(err.Error(), path+":") || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load = %v, want it to name %s and say %q", err, path, tt.want)
			}
		})
	}
}
