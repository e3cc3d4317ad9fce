// Package versions lists the earlier versions of products that the
// repository keeps (testdata/versions/versions.json) and makes the
// changelog from each to the next, the last to the current catalog, with
// internal/diff. The docs site pages each version with its changelog:
// cmd/protoc-gen-provision-docs hands them to internal/gen/docs, which
// this package does not know.
package versions

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/provisionhq/provision/internal/catalogref"
	"github.com/provisionhq/provision/internal/diff"
	"github.com/provisionhq/provision/internal/model"
)

// ManifestPath is where this repository keeps its list of versions,
// relative to its root; the docs plugin is told so by buf.gen.yaml
// (versions=…), and another repository names its own.
const ManifestPath = "testdata/versions/versions.json"

// Version is one earlier version of a product.
type Version struct {
	// Product is the product's ID.
	Product string `json:"product"`
	// Version is the product version ("6.1").
	Version string `json:"version"`
	// Label is how pages name the version ("6.1 (example)").
	Label string `json:"label"`
	// Dir is the directory of its .proto files, relative to the
	// repository root.
	Dir string `json:"dir"`
	// Example marks a version invented for demonstration, not the
	// vendor's history. Pages must say so.
	Example bool `json:"example"`
}

// Changelog is what changed for one product from one version to the next.
type Changelog struct {
	Product string
	// From and To are the versions compared; To is nil for the current
	// catalog.
	From *Version
	To   *Version
	// Report holds the changes of the product, labelled with the
	// versions' labels.
	Report diff.Report
}

// Slug is a file-name stem for the changelog: "acme-notes-1.0-to-current".
func (c Changelog) Slug() string {
	to := "current"
	if c.To != nil {
		to = c.To.Version
	}
	return c.Product + "-" + c.From.Version + "-to-" + to
}

// Read reads the manifest at path (relative to the repository root) of
// the repository at root. An empty path means no earlier versions; a path
// that names no file is an error, so a misspelt option fails closed.
func Read(root, path string) ([]Version, error) {
	if path == "" {
		return nil, nil
	}
	if !filepath.IsLocal(filepath.FromSlash(path)) {
		return nil, fmt.Errorf("versions: manifest %s: want a path inside the repository", path)
	}
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(path)))
	if err != nil {
		return nil, fmt.Errorf("versions: %w", err)
	}
	var m struct {
		Versions []Version `json:"versions"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("versions: %s: %w", path, err)
	}
	for i, v := range m.Versions {
		if v.Product == "" || v.Version == "" || v.Dir == "" || !filepath.IsLocal(filepath.FromSlash(v.Dir)) {
			return nil, fmt.Errorf("versions: %s: entry %d needs product, version and a dir inside the repository", path, i)
		}
		if m.Versions[i].Label == "" {
			m.Versions[i].Label = v.Version
		}
	}
	return m.Versions, nil
}

// CurrentLabel is how pages name the current catalog of product p: its
// manifest version when it states one.
func CurrentLabel(p *model.Product) string {
	if v := p.Options.GetVersion(); v != "" {
		return v + " (current)"
	}
	return "current catalog"
}

// Changelogs loads every version the manifest at path (relative to root)
// lists and compares each with the next version of its product, in
// manifest order, and the last with the current catalog. Changes of other
// products than the version's are left out.
func Changelogs(ctx context.Context, root, path string, current *model.Catalog) ([]Changelog, error) {
	vs, err := Read(root, path)
	if err != nil {
		return nil, err
	}
	var out []Changelog
	for i, v := range vs {
		old, err := catalogref.Load(ctx, root, filepath.Join(root, filepath.FromSlash(v.Dir)))
		if err != nil {
			return nil, fmt.Errorf("versions: %s %s: %w", v.Product, v.Version, err)
		}
		next := slices.IndexFunc(vs[i+1:], func(n Version) bool { return n.Product == v.Product })
		cl := Changelog{Product: v.Product, From: &vs[i]}
		newCatalog := current
		if next >= 0 {
			cl.To = &vs[i+1+next]
			if newCatalog, err = catalogref.Load(ctx, root, filepath.Join(root, filepath.FromSlash(cl.To.Dir))); err != nil {
				return nil, fmt.Errorf("versions: %s %s: %w", cl.To.Product, cl.To.Version, err)
			}
		}
		cl.Report = diff.Report{Old: v.Label, Changes: diff.Disclosed(diff.Filter(diff.Compare(old, newCatalog), v.Product))}
		switch {
		case cl.To != nil:
			cl.Report.New = cl.To.Label
		default:
			cl.Report.New = "current catalog"
			if p, ok := current.Product(v.Product); ok {
				cl.Report.New = CurrentLabel(p)
			}
		}
		out = append(out, cl)
	}
	return out, nil
}
