package bufimage_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/provisionhq/provision/internal/bufimage"
	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protoload"
)

// TestCatalogFromBuf builds the repository's image with the real buf and
// reads the catalog from it.
func TestCatalogFromBuf(t *testing.T) {
	if testing.Short() {
		t.Skip("runs buf")
	}
	t.Parallel()
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	c, err := bufimage.Catalog(context.Background(), root, "")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(c.Scenarios()); n < 16 {
		t.Errorf("catalog from buf has %d scenarios, want at least 16", n)
	}
	if err := bufimage.Check(context.Background(), root); err != nil {
		t.Errorf("Check: %v", err)
	}
}

func TestCatalogBadImageFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.binpb")
	if err := os.WriteFile(bad, []byte("not an image"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, want string
	}{
		{"missing", filepath.Join(dir, "missing.binpb"), "read image: open " + filepath.Join(dir, "missing.binpb") + ": no such file"},
		{"garbage", bad, "image " + bad + ": model: decode image"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := bufimage.Catalog(context.Background(), dir, tt.path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestCatalogNamesFilesInRepository checks that the model's findings on a
// repository's image name each file by its path in the repository
// (proto/…), as buf names it, not by its import path.
func TestCatalogNamesFilesInRepository(t *testing.T) {
	t.Parallel()
	repo, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	fixtures := filepath.Join(repo, "internal", "model", "testdata")
	const file = "bad/unclassified.proto"
	set, err := protoload.CompileFixture(context.Background(), fixtures, file, "policy.proto")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := proto.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	// A repository whose catalog holds the fixture under proto/.
	root := t.TempDir()
	image := filepath.Join(root, "image.binpb")
	for path, data := range map[string][]byte{"buf.yaml": []byte("version: v2\n"), "image.binpb": raw} {
		if err := os.WriteFile(filepath.Join(root, path), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src, err := os.ReadFile(filepath.Join(fixtures, filepath.FromSlash(file)))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "proto", "bad"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "proto", filepath.FromSlash(file)), src, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = bufimage.Catalog(context.Background(), root, image)
	var ds model.Diagnostics
	if !errors.As(err, &ds) || len(ds) == 0 {
		t.Fatalf("Catalog = %v, want the model's findings", err)
	}
	for _, d := range ds {
		if d.Pos.File != "proto/"+file {
			t.Errorf("finding at %s, want it in proto/%s: %v", d.Pos, file, d)
		}
	}
}
