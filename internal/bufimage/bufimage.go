// Package bufimage builds a buf image of the repository's schemas with buf
// (a Go tool of tools/go.mod) and reads the catalog from it: the path the
// CLI takes, so that what it checks is exactly what buf compiles.
package bufimage

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/provisionhq/provision/internal/gocmd"
	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/suggest"
)

// Build runs `buf build` for the repository at root (the directory holding
// buf.yaml) and returns the image, with source information, of every
// module buf.yaml lists.
func Build(ctx context.Context, root string) ([]byte, error) {
	dir, err := os.MkdirTemp("", "provision-image-")
	if err != nil {
		return nil, fmt.Errorf("build image: %w", err)
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "image.binpb")
	if _, err := gocmd.Run(ctx, root, "tool", "-modfile=tools/go.mod", "buf", "build", "-o", out); err != nil {
		// buf names the message of an unknown option field, not the word:
		// suggest names it and what it was meant to be.
		return nil, fmt.Errorf("build image: %w", suggest.Error(root, err))
	}
	data, err := os.ReadFile(out)
	if err != nil {
		return nil, fmt.Errorf("build image: %w", err)
	}
	return data, nil
}

// Catalog builds the image of the repository at root, or reads the image
// file imagePath when it is not empty, and returns its checked catalog.
// The model's findings name each file by its path in the repository
// (proto/…), as buf does, when root is set.
func Catalog(ctx context.Context, root, imagePath string) (*model.Catalog, error) {
	var data []byte
	var err error
	if imagePath != "" {
		if data, err = os.ReadFile(imagePath); err != nil {
			return nil, fmt.Errorf("read image: %w", err)
		}
	} else if data, err = Build(ctx, root); err != nil {
		return nil, err
	}
	c, err := model.FromImage(data)
	if ds, ok := err.(model.Diagnostics); ok && root != "" {
		return nil, ds.Relocate(func(file string) string { return layout.RepoPath(root, file) })
	}
	if err != nil && imagePath != "" {
		return nil, fmt.Errorf("image %s: %w", imagePath, err)
	}
	return c, err
}

// Check is a generation step: it fails with every finding of the model,
// each with its file:line:col, so that nothing is generated from a catalog
// that does not pass.
func Check(ctx context.Context, root string) error {
	if _, err := Catalog(ctx, root, ""); err != nil {
		return fmt.Errorf("check schemas:\n%w", err)
	}
	return nil
}

// CheckImage is Check of an image already built (Build): it fails with
// every finding of the model, so that nothing is generated from it.
func CheckImage(image []byte) error {
	if _, err := model.FromImage(image); err != nil {
		return fmt.Errorf("check schemas:\n%w", err)
	}
	return nil
}
