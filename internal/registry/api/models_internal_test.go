package api

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/provisionhq/provision/internal/layout"
)

// TestBaselineModelCached checks that a stored image is modelled once and
// shared after, that another image has a model of its own, and that an
// image the model refuses is reported every time, not cached.
func TestBaselineModelCached(t *testing.T) {
	t.Parallel()
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	released, err := os.ReadFile(filepath.Join(root, "testdata", "versions", "released.binpb"))
	if err != nil {
		t.Fatal(err)
	}
	// The same image with an unknown field appended: other bytes, the
	// same descriptors.
	other := append(append([]byte(nil), released...), 0xf8, 0xff, 0xff, 0xff, 0x07, 0x01)
	s := &Server{models: newModelCache()}
	first, err := s.baselineModel(released)
	if err != nil {
		t.Fatalf("baselineModel(released.binpb): %v", err)
	}
	again, err := s.baselineModel(released)
	if err != nil || again != first {
		t.Fatalf("baselineModel(released.binpb) again = %p, %v; want the cached %p", again, err, first)
	}
	if o, err := s.baselineModel(other); err != nil || o == first {
		t.Fatalf("baselineModel(other bytes) = %p, %v; want a model of its own", o, err)
	}
	for range 2 {
		if _, err := s.baselineModel([]byte("not an image")); err == nil {
			t.Fatal("baselineModel(garbage) = nil error")
		}
	}
}
