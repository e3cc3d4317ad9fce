package main

import (
	"path/filepath"
	"testing"

	"github.com/provisionhq/provision/internal/layout"
)

// TestVersionPairNewFile checks that positions in the repository's own
// proto/ print as buf prints them, and others as their version names them.
func TestVersionPairNewFile(t *testing.T) {
	t.Parallel()
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	const file = "kaspersky/ksvla/v1/update.proto"
	tests := []struct {
		name string
		pair versionPair
		want string
	}{
		{"the repository's proto/", versionPair{root: root, newPath: filepath.Join(root, layout.ProtoDir)}, layout.ProtoDir + "/" + file},
		{"another directory", versionPair{root: root, newPath: filepath.Join(root, "testdata", "versions", "ksvla-6.1")}, file},
		{"two images, no repository", versionPair{newPath: "new.binpb"}, file},
	}
	for _, tt := range tests {
		if got := tt.pair.newFile(file); got != tt.want {
			t.Errorf("%s: newFile(%q) = %q, want %q", tt.name, file, got, tt.want)
		}
	}
}
