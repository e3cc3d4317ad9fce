package regen

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/pluginpb"

	"github.com/provisionhq/provision/internal/plugins"
)

// A buf.gen.yaml that only runs this module's own plugins, each as `go run
// ./cmd/<plugin>` from the root of this module's own repository, is run in
// process: the plugins are the code this program was built with
// (internal/plugins), each gets the CodeGeneratorRequest buf would send it,
// made from the image the checks already compiled, and writes what buf
// would write. That spares compiling the schemas a second time, building
// (or checking the build cache of) each plugin and starting it. Any other
// template, or a key of one that this file does not know, is left to buf
// generate.

// bufImageExtension is the field number of buf's ImageFileExtension in the
// files of a buf image (buf.alpha.image.v1.ImageFile.buf_extension), and
// bufIsImport the number of its is_import.
const (
	bufImageExtension = 8042
	bufIsImport       = 1
)

// inProcessPlan is a buf.gen.yaml that generate runs in process.
type inProcessPlan struct {
	// exclude are the paths of the input, relative to the root, whose
	// files are not generated.
	exclude []string
	plugins []plannedPlugin
}

// plannedPlugin is one plugin of the template.
type plannedPlugin struct {
	plugin plugins.Plugin
	out    string // slash-separated, relative to the root
	param  string
}

// genTemplate is the part of a buf.gen.yaml (v2) that generate can run in
// process; decoding refuses any other key.
type genTemplate struct {
	Version string `yaml:"version"`
	Inputs  []struct {
		Directory    string   `yaml:"directory"`
		ExcludePaths []string `yaml:"exclude_paths"`
	} `yaml:"inputs"`
	Plugins []struct {
		Local    []string  `yaml:"local"`
		Out      string    `yaml:"out"`
		Strategy string    `yaml:"strategy"`
		Opt      yaml.Node `yaml:"opt"`
	} `yaml:"plugins"`
}

// planInProcess returns how to run the buf.gen.yaml under root in process,
// or nil when buf generate must run it: another module's repository, a
// plugin that is not one of this module's `go run ./cmd/…`, a strategy
// other than all, or a key this plan does not know.
func planInProcess(root string) (*inProcessPlan, error) {
	if !ownRepository(root) {
		return nil, nil
	}
	data, err := os.ReadFile(filepath.Join(root, "buf.gen.yaml"))
	if err != nil {
		return nil, fmt.Errorf("read generation template: %w", err)
	}
	var t genTemplate
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&t); err != nil {
		return nil, nil // buf reads it, and reports what is wrong
	}
	if t.Version != "v2" || len(t.Inputs) != 1 || path.Clean(t.Inputs[0].Directory) != "." || len(t.Plugins) == 0 {
		return nil, nil
	}
	plan := &inProcessPlan{}
	for _, e := range t.Inputs[0].ExcludePaths {
		plan.exclude = append(plan.exclude, path.Clean(e))
	}
	for _, p := range t.Plugins {
		if len(p.Local) != 3 || p.Local[0] != "go" || p.Local[1] != "run" || !strings.HasPrefix(p.Local[2], "./cmd/") || p.Strategy != "all" {
			return nil, nil
		}
		plugin, ok := plugins.ByName(strings.TrimPrefix(p.Local[2], "./cmd/"))
		if !ok {
			return nil, nil
		}
		opts, ok := options(p.Opt)
		if !ok {
			return nil, nil
		}
		plan.plugins = append(plan.plugins, plannedPlugin{plugin: plugin, out: path.Clean(filepath.ToSlash(p.Out)), param: strings.Join(opts, ",")})
	}
	return plan, nil
}

// options returns a plugin's opt, a string or a list of strings, as buf
// takes it.
func options(n yaml.Node) ([]string, bool) {
	switch n.Kind {
	case 0:
		return nil, true
	case yaml.ScalarNode:
		return []string{n.Value}, true
	case yaml.SequenceNode:
		var out []string
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				return nil, false
			}
			out = append(out, c.Value)
		}
		return out, true
	}
	return nil, false
}

// ownRepository reports whether root is a repository of the module this
// program was built from: its `go run ./cmd/…` plugins are then the code
// in internal/plugins.
func ownRepository(root string) bool {
	info, ok := debug.ReadBuildInfo()
	if !ok || info.Main.Path == "" {
		return false
	}
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return false
	}
	m := moduleLine.FindSubmatch(data)
	return m != nil && strings.Trim(string(m[1]), `"`+"`") == info.Main.Path
}

// moduleLine finds the module directive of a go.mod.
var moduleLine = regexp.MustCompile(`(?m)^module\s+(\S+)`)

// run generates into dir what buf generate would write there for the plan:
// each plugin gets the image's files, those of the input less the excluded
// paths to generate, and its files are written under its out.
func (plan *inProcessPlan) run(root, dir string, image []byte) error {
	req, err := plan.request(root, image)
	if err != nil {
		return err
	}
	resps := make([]*pluginpb.CodeGeneratorResponse, len(plan.plugins))
	errs := make([]error, len(plan.plugins))
	var wg sync.WaitGroup
	for i, p := range plan.plugins {
		r := proto.CloneOf(req)
		r.Parameter = proto.String(p.param)
		wg.Go(func() { resps[i], errs[i] = p.plugin.Generate(r, root) })
	}
	wg.Wait()
	for i, p := range plan.plugins {
		if err := errors.Join(errs[i], responseError(resps[i])); err != nil {
			return fmt.Errorf("plugin %s: %w", p.plugin.Name, err)
		}
		for _, f := range resps[i].GetFile() {
			if f.GetInsertionPoint() != "" {
				return fmt.Errorf("plugin %s: %s: insertion points are not supported", p.plugin.Name, f.GetName())
			}
			name := path.Clean(f.GetName())
			if !filepath.IsLocal(filepath.FromSlash(name)) {
				return fmt.Errorf("plugin %s: file %q is not inside its out directory", p.plugin.Name, f.GetName())
			}
			dst := filepath.Join(dir, filepath.FromSlash(p.out), filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(dst, []byte(f.GetContent()), 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

// responseError is the error a plugin reported in its response, if any.
func responseError(resp *pluginpb.CodeGeneratorResponse) error {
	if resp.GetError() != "" {
		return errors.New(resp.GetError())
	}
	return nil
}

// request returns the CodeGeneratorRequest buf generate sends for the
// image: every file of the image, in its order, less buf's own extension;
// to generate, those that are not imports and do not lie under an
// excluded path of the input.
func (plan *inProcessPlan) request(root string, image []byte) (*pluginpb.CodeGeneratorRequest, error) {
	set := &descriptorpb.FileDescriptorSet{}
	if err := proto.Unmarshal(image, set); err != nil {
		return nil, fmt.Errorf("read image: %w", err)
	}
	moduleDirs, err := moduleDirs(root)
	if err != nil {
		return nil, err
	}
	req := &pluginpb.CodeGeneratorRequest{}
	for _, f := range set.GetFile() {
		isImport := imported(f.ProtoReflect().GetUnknown())
		f.ProtoReflect().SetUnknown(nil)
		req.ProtoFile = append(req.ProtoFile, f)
		if isImport {
			continue
		}
		rel := repoPath(root, moduleDirs, f.GetName())
		if !slices.ContainsFunc(plan.exclude, func(e string) bool { return rel == e || strings.HasPrefix(rel, e+"/") }) {
			req.FileToGenerate = append(req.FileToGenerate, f.GetName())
		}
	}
	return req, nil
}

// imported reports whether the unknown fields of an image's file hold
// buf's extension marking it an import.
func imported(unknown []byte) bool {
	for len(unknown) > 0 {
		num, typ, n := protowire.ConsumeTag(unknown)
		if n < 0 {
			return false
		}
		unknown = unknown[n:]
		if num == bufImageExtension && typ == protowire.BytesType {
			ext, m := protowire.ConsumeBytes(unknown)
			if m < 0 {
				return false
			}
			for len(ext) > 0 {
				fnum, ftyp, k := protowire.ConsumeTag(ext)
				if k < 0 {
					return false
				}
				ext = ext[k:]
				if fnum == bufIsImport && ftyp == protowire.VarintType {
					v, l := protowire.ConsumeVarint(ext)
					return l > 0 && v != 0
				}
				l := protowire.ConsumeFieldValue(fnum, ftyp, ext)
				if l < 0 {
					return false
				}
				ext = ext[l:]
			}
			return false
		}
		m := protowire.ConsumeFieldValue(num, typ, unknown)
		if m < 0 {
			return false
		}
		unknown = unknown[m:]
	}
	return false
}

// moduleDirs returns the module directories buf.yaml (v2) under root
// lists, slash-separated; "." when it lists none.
func moduleDirs(root string) ([]string, error) {
	data, err := os.ReadFile(filepath.Join(root, "buf.yaml"))
	if err != nil {
		return nil, fmt.Errorf("read buf.yaml: %w", err)
	}
	var cfg struct {
		Modules []struct {
			Path string `yaml:"path"`
		} `yaml:"modules"`
	}
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		return nil, fmt.Errorf("buf.yaml: %w", err)
	}
	var dirs []string
	for _, m := range cfg.Modules {
		dirs = append(dirs, path.Clean(m.Path))
	}
	if len(dirs) == 0 {
		dirs = []string{"."}
	}
	return dirs, nil
}

// repoPath returns the path, relative to root, of the file a module of
// dirs holds under name; name itself when none does.
func repoPath(root string, dirs []string, name string) string {
	for _, d := range dirs {
		p := path.Join(d, name)
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(p))); err == nil {
			return p
		}
	}
	return name
}
