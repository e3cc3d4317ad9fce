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

// PluginOptions returns the options buf.gen.yaml under root gives the
// plugin whose command is named plugin (the base name of a local
// plugin's program or, for `go run`/`go tool`, of its package path:
// "protoc-gen-provision-docs"), as name → value, the last of a repeated
// name winning as in the plugin's own flag parsing; found is false when
// no plugin of buf.gen.yaml is plugin. An option without "=" has the
// value "".
func PluginOptions(root, plugin string) (opts map[string]string, found bool, err error) {
	data, err := os.ReadFile(filepath.Join(root, "buf.gen.yaml"))
	if err != nil {
		return nil, false, fmt.Errorf("read generation template: %w", err)
	}
	opts, found, err = parsePluginOptions(data, plugin)
	if err != nil {
		return nil, false, fmt.Errorf("buf.gen.yaml: %w", err)
	}
	return opts, found, nil
}

// stringList is a YAML value that is one string or a list of strings, as
// buf.gen.yaml's local and opt are.
type stringList []string

// UnmarshalYAML accepts a scalar or a sequence of scalars.
func (l *stringList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*l = stringList{n.Value}
		return nil
	}
	var list []string
	if err := n.Decode(&list); err != nil {
		return err
	}
	*l = list
	return nil
}

// parsePluginOptions is PluginOptions on the text of a buf.gen.yaml. A
// template with two plugins named plugin is refused: which one's options
// hold would be a guess.
func parsePluginOptions(data []byte, plugin string) (map[string]string, bool, error) {
	var template struct {
		Plugins []struct {
			Local  stringList `yaml:"local"`
			Plugin string     `yaml:"plugin"` // v1
			Name   string     `yaml:"name"`   // v1
			Opt    stringList `yaml:"opt"`
		} `yaml:"plugins"`
	}
	if err := yaml.Unmarshal(data, &template); err != nil {
		return nil, false, err
	}
	var opts map[string]string
	for i, p := range template.Plugins {
		var program string
		switch {
		case len(p.Local) > 0:
			program = p.Local[len(p.Local)-1]
		case p.Plugin != "":
			program = p.Plugin
		case p.Name != "":
			program = "protoc-gen-" + p.Name
		}
		if path.Base(filepath.ToSlash(program)) != plugin {
			continue
		}
		if opts != nil {
			return nil, false, fmt.Errorf("plugin %d: a second plugin %s: keep one", i+1, plugin)
		}
		opts = map[string]string{}
		for _, o := range p.Opt {
			for kv := range strings.SplitSeq(o, ",") {
				if kv == "" {
					continue
				}
				name, value, _ := strings.Cut(kv, "=")
				opts[name] = value
			}
		}
	}
	return opts, opts != nil, nil
}
