package regen

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// OutDirs returns the output directories that buf.gen.yaml under root names
// (each plugin's out), slash-separated, sorted and without any that lies
// inside another.
func OutDirs(root string) ([]string, error) {
	data, err := os.ReadFile(filepath.Join(root, "buf.gen.yaml"))
	if err != nil {
		return nil, fmt.Errorf("read generation template: %w", err)
	}
	outs, err := parseOutDirs(data)
	if err != nil {
		return nil, fmt.Errorf("buf.gen.yaml: %w", err)
	}
	return outs, nil
}

// parseOutDirs returns the plugins' out values of a buf.gen.yaml (v1 and v2
// both list plugins with an out each). An out must be a path inside the
// root, other than the root itself: generation owns everything under it.
func parseOutDirs(data []byte) ([]string, error) {
	var template struct {
		Plugins []struct {
			Out string `yaml:"out"`
		} `yaml:"plugins"`
	}
	if err := yaml.Unmarshal(data, &template); err != nil {
		return nil, err
	}
	if len(template.Plugins) == 0 {
		return nil, fmt.Errorf("no plugins")
	}
	var outs []string
	for i, p := range template.Plugins {
		out := path.Clean(filepath.ToSlash(p.Out))
		if p.Out == "" || out == "." || !filepath.IsLocal(filepath.FromSlash(out)) {
			return nil, fmt.Errorf("plugin %d: out %q must be a directory inside the repository", i+1, p.Out)
		}
		outs = append(outs, out)
	}
	// Sorted, a directory comes after any it lies in. Keep the outermost
	// only: walking both would count the inner one's files twice.
	slices.Sort(outs)
	var kept []string
	for _, out := range outs {
		inside := slices.ContainsFunc(kept, func(dir string) bool {
			return out == dir || strings.HasPrefix(out, dir+"/")
		})
		if !inside {
			kept = append(kept, out)
		}
	}
	return kept, nil
}
