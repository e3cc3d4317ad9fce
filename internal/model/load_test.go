package model_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/proto"

	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protoload"
)

// acmeSet compiles the fictional Acme catalog and returns its files, its
// image and the plugin a request for them makes.
func acmeSet(t *testing.T) ([]string, []byte, *protogen.Plugin) {
	t.Helper()
	cat, err := protoload.CompileTree(t.Context(), protoload.Acme)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := proto.Marshal(cat.Set)
	if err != nil {
		t.Fatal(err)
	}
	// The request goes through its wire form, as a plugin receives it.
	reqRaw, err := proto.Marshal(protoload.Request(cat.Set, "", cat.Files...))
	if err != nil {
		t.Fatal(err)
	}
	req := protoload.Request(nil, "")
	if err := proto.Unmarshal(reqRaw, req); err != nil {
		t.Fatal(err)
	}
	plugin, err := protogen.Options{}.New(req)
	if err != nil {
		t.Fatal(err)
	}
	return cat.Files, raw, plugin
}

// TestLoadersAgree checks that a plugin request and an image of the same
// files give the same catalog.
func TestLoadersAgree(t *testing.T) {
	t.Parallel()
	_, image, plugin := acmeSet(t)
	fromImage, err := model.FromImage(image)
	if err != nil {
		t.Fatal(err)
	}
	fromPlugin, err := model.FromPlugin(plugin)
	if err != nil {
		t.Fatal(err)
	}
	summary := func(c *model.Catalog) []string {
		var out []string
		for _, s := range c.Scenarios() {
			s.Walk(func(f *model.Field) bool {
				out = append(out, s.ID+" "+f.Path+" "+f.Label()+" "+f.Pos.String())
				return true
			})
		}
		return out
	}
	if diff := cmp.Diff(summary(fromImage), summary(fromPlugin)); diff != "" {
		t.Errorf("image and plugin catalogs differ (-image +plugin):\n%s", diff)
	}
	var fields int
	for _, s := range fromImage.Scenarios() {
		if len(s.Fields) == 0 {
			t.Errorf("scenario %s has no field: the loaders would be compared on nothing", s.ID)
		}
		s.Walk(func(*model.Field) bool { fields++; return true })
	}
	if n := len(summary(fromImage)); n == 0 || n != fields {
		t.Errorf("summary of %d items, want one for each of the catalog's %d", n, fields)
	}
}

func TestFromImageBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "no files"},
		{"garbage", []byte{0xff, 0xff, 0xff}, "decode image"},
		{"unlinked", mustMarshalSet(t, `name: "a.proto" dependency: "missing.proto"`), "link descriptors"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := model.FromImage(tt.data)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("FromImage: err = %v, want %q", err, tt.want)
			}
			var diags model.Diagnostics
			if errors.As(err, &diags) {
				t.Fatalf("a broken image is not a catalog finding: %v", err)
			}
		})
	}
}
