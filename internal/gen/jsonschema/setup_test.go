package jsonschema

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	sjs "github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protoload"
)

// catalogs are the catalogs the tests generate from: the repository's
// own, the fictional Acme catalog (protoload.Acme), and the fixture under
// testdata that exercises every kind, rule and strategy the catalogs do
// not use.
var catalogs = sync.OnceValues(func() (map[string]*model.Catalog, error) {
	cat, err := protoload.CompileCatalog(context.Background())
	if err != nil {
		return nil, err
	}
	out := map[string]*model.Catalog{}
	if out["catalog"], err = model.FromFileDescriptorSet(cat.Set); err != nil {
		return nil, err
	}
	acme, err := protoload.CompileTree(context.Background(), protoload.Acme)
	if err != nil {
		return nil, err
	}
	if out["acme"], err = model.FromFileDescriptorSet(acme.Set); err != nil {
		return nil, err
	}
	set, err := protoload.CompileFixture(context.Background(), "testdata", fixtureFiles...)
	if err != nil {
		return nil, err
	}
	if out["fixture"], err = model.FromFileDescriptorSet(set); err != nil {
		return nil, err
	}
	return out, nil
})

// fixtureFiles are the fixture's .proto files, relative to testdata.
var fixtureFiles = []string{"fixture/v1/policy.proto", "fixture/v1/product.proto", "fixture/v1/kinds.proto", "fixture/v1/redactions.proto", "fixture/v1/more.proto"}

// generatedSet is what Generate makes of one catalog, with every schema
// compiled by an independent validator, without format assertions
// (schemas) and with them (asserting).
type generatedSet struct {
	catalog   *model.Catalog
	files     map[string][]byte
	index     Index
	schemas   map[string]*sjs.Schema
	asserting map[string]*sjs.Schema
}

var generatedSets = sync.OnceValues(func() (map[string]*generatedSet, error) {
	cats, err := catalogs()
	if err != nil {
		return nil, err
	}
	out := map[string]*generatedSet{}
	for name, c := range cats {
		files, err := Generate(c, nil, Options{})
		if err != nil {
			return nil, err
		}
		g := &generatedSet{catalog: c, files: map[string][]byte{}, schemas: map[string]*sjs.Schema{}, asserting: map[string]*sjs.Schema{}}
		for _, f := range files {
			g.files[f.Name] = f.Content
		}
		if err := json.Unmarshal(g.files[IndexName], &g.index); err != nil {
			return nil, fmt.Errorf("%s: index: %w", name, err)
		}
		for fname, content := range g.files {
			if fname == IndexName {
				continue
			}
			sch, err := compileSchema(content, false)
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %w", name, fname, err)
			}
			g.schemas[fname] = sch
			if g.asserting[fname], err = compileSchema(content, true); err != nil {
				return nil, fmt.Errorf("%s: %s: %w", name, fname, err)
			}
		}
		out[name] = g
	}
	return out, nil
})

func loadGenerated(t testing.TB) map[string]*generatedSet {
	t.Helper()
	sets, err := generatedSets()
	if err != nil {
		t.Fatal(err)
	}
	return sets
}

// compileSchema compiles one schema document with
// santhosh-tekuri/jsonschema, with format assertions or without.
func compileSchema(content []byte, assertFormat bool) (*sjs.Schema, error) {
	doc, err := sjs.UnmarshalJSON(bytes.NewReader(content))
	if err != nil {
		return nil, err
	}
	id, _ := doc.(map[string]any)["$id"].(string)
	if id == "" {
		return nil, fmt.Errorf("no $id")
	}
	c := sjs.NewCompiler()
	if assertFormat {
		c.AssertFormat()
	}
	if err := c.AddResource(id, doc); err != nil {
		return nil, err
	}
	return c.Compile(id)
}
