package jsonschema

import (
	"fmt"
	"strings"

	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/types/pluginpb"

	"github.com/provisionhq/provision/internal/model"
)

// ParseParameter reads the plugin parameter: comma-separated key=value
// options; the only key is base_uri.
func ParseParameter(param string) (Options, error) {
	var opts Options
	for _, kv := range strings.Split(param, ",") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "base_uri":
			if !strings.HasSuffix(v, "/") {
				return opts, fmt.Errorf("jsonschema: parameter base_uri=%q must end with a slash", v)
			}
			opts.BaseURI = v
		default:
			return opts, fmt.Errorf("jsonschema: unknown parameter %q (known: base_uri)", k)
		}
	}
	return opts, nil
}

// Run generates the schemas of the scenarios declared in the files the
// plugin request asks for.
func Run(p *protogen.Plugin) error {
	p.SupportedFeatures = uint64(pluginpb.CodeGeneratorResponse_FEATURE_PROTO3_OPTIONAL)
	opts, err := ParseParameter(p.Request.GetParameter())
	if err != nil {
		return err
	}
	c, err := model.FromPlugin(p)
	if err != nil {
		return err
	}
	wanted := map[string]bool{}
	for _, f := range p.Files {
		if f.Generate {
			wanted[f.Desc.Path()] = true
		}
	}
	scenarios := []*model.Scenario{}
	for _, s := range c.Scenarios() {
		if wanted[s.Message.ParentFile().Path()] {
			scenarios = append(scenarios, s)
		}
	}
	files, err := Generate(c, scenarios, opts)
	if err != nil {
		return err
	}
	for _, f := range files {
		if _, err := p.NewGeneratedFile(f.Name, "").Write(f.Content); err != nil {
			return fmt.Errorf("jsonschema: write %s: %w", f.Name, err)
		}
	}
	return nil
}
