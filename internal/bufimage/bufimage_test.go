package bufimage_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/provisionhq/provision/internal/bufimage"
	"github.com/provisionhq/provision/internal/layout"
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
		{"missing", filepath.Join(dir, "missing.binpb"), "no such file"},
		{"garbage", bad, "decode image"},
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
