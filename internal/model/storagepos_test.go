package model_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protosrc"
)

// storageFixture is a product whose scenario states two storage
// countries in a list, each on a line of its own, and a second scenario
// that takes the fixture policy's.
const storageFixture = `syntax = "proto3";

package fixture.storagepos.v1;

import "provision/v1/options.proto";

option (provision.v1.product) = {
  id: "sp"
  name: "Fixture product"
  region: REGION_GLOBAL
  segment: SEGMENT_B2B
  policy: "fixture"
  sources: {title: "Fixture source"}
  agreements: [{id: "EULA" title: "End User License Agreement" short_name: "EULA" origin: {assessment: "Fixture."}}]
};

message Own {
  option (provision.v1.scenario) = {
    id: "sp.own"
    title: "A scenario"
    trigger: "Something happens."
    agreement: "EULA"
    opt_out: {kind: OPT_OUT_KIND_AVOID_FUNCTION text: "Do not do it."}
    purposes: ["PROTECTION"]
    recipient: "Fixture Ltd"
    source: {title: "Fixture source"}
    handling: {
      storage_countries: [
        "CH",
        "DE"
      ]
    }
  };
  string version = 1 [(provision.v1.field) = {label: "Version" category: CATEGORY_PRODUCT identifiability: IDENTIFIABILITY_ANONYMOUS requires: "EULA" redaction: {keep: {}}}];
}

message Inherited {
  option (provision.v1.scenario) = {
    id: "sp.inherited"
    title: "Another scenario"
    trigger: "Something else happens."
    agreement: "EULA"
    opt_out: {kind: OPT_OUT_KIND_AVOID_FUNCTION text: "Do not do it."}
    purposes: ["PROTECTION"]
    recipient: "Fixture Ltd"
    source: {title: "Fixture source"}
  };
  string version = 1 [(provision.v1.field) = {label: "Version" category: CATEGORY_PRODUCT identifiability: IDENTIFIABILITY_ANONYMOUS requires: "EULA" redaction: {keep: {}}}];
}
`

// asBufList rewrites the source info of the scenario's storage countries
// as buf's images record a list literal: one location, element 0's,
// spanning the list from its field name.
func asBufList(t *testing.T, set *descriptorpb.FileDescriptorSet, file string, listLine, listCol int32) {
	t.Helper()
	for _, f := range set.GetFile() {
		if f.GetName() != file {
			continue
		}
		// message 0 (Own), its options, the scenario extension, handling,
		// storage_countries.
		prefix := []int32{4, 0, 7, 51201, 9, 1}
		info := f.GetSourceCodeInfo()
		info.Location = slices.DeleteFunc(info.Location, func(l *descriptorpb.SourceCodeInfo_Location) bool {
			p := l.GetPath()
			return len(p) == len(prefix)+1 && slices.Equal(p[:len(prefix)], prefix) && p[len(prefix)] != 0
		})
		for _, l := range info.Location {
			if p := l.GetPath(); len(p) == len(prefix)+1 && slices.Equal(p[:len(prefix)], prefix) {
				l.Span = []int32{listLine - 1, listCol - 1, listLine + 2, 7}
			}
		}
		return
	}
	t.Fatalf("no file %s", file)
}

// TestStoragePos checks where a storage country is placed: at the
// country where the source info locates each element, at the list where
// it locates only the list (buf's images), at the scenario's option
// where it locates neither; and, for a scenario that takes the policy's
// storage, in the policy.
func TestStoragePos(t *testing.T) {
	t.Parallel()
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "sp.proto"), []byte(storageFixture), 0o644); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(storageFixture, "\n")
	at := func(s string, nth int) string {
		for i, l := range lines {
			if c := strings.Index(l, s); c >= 0 {
				if nth == 0 {
					return fmt.Sprintf("sp.proto:%d:%d", i+1, c+1)
				}
				nth--
			}
		}
		t.Fatalf("no line has %q", s)
		return ""
	}
	listLine := int32(slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, "storage_countries: [") }) + 1)
	imports := append([]string{dir, filepath.Join(root, "internal", "model", "testdata")}, layout.ImportPaths(root)...)
	tests := []struct {
		name    string
		compile func() (*descriptorpb.FileDescriptorSet, error)
		bufList bool
		want    []string
	}{
		{"each element located", func() (*descriptorpb.FileDescriptorSet, error) {
			return protosrc.CompileAsBuf(t.Context(), imports, "sp.proto", "policy.proto")
		}, false, []string{at(`"CH"`, 0), at(`"DE"`, 0)}},
		{"the list located as buf does", func() (*descriptorpb.FileDescriptorSet, error) {
			return protosrc.CompileAsBuf(t.Context(), imports, "sp.proto", "policy.proto")
		}, true, []string{at("storage_countries: [", 0), at("storage_countries: [", 0)}},
		{"no option locations", func() (*descriptorpb.FileDescriptorSet, error) {
			return protosrc.Compile(t.Context(), imports, "sp.proto", "policy.proto")
		}, false, []string{at("option (provision.v1.scenario)", 0), at("option (provision.v1.scenario)", 0)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			set, err := tt.compile()
			if err != nil {
				t.Fatal(err)
			}
			set = proto.CloneOf(set)
			if tt.bufList {
				asBufList(t, set, "sp.proto", listLine, int32(strings.Index(lines[listLine-1], "storage_countries")+1))
			}
			c, err := model.FromFileDescriptorSet(set, model.AsBaseline())
			if err != nil {
				t.Fatal(err)
			}
			own, _ := c.Scenario("sp.own")
			var got []string
			for _, cc := range own.Handling.GetStorageCountries() {
				got = append(got, own.StorageCountryPos(cc).String())
			}
			if d := cmp.Diff(tt.want, got); d != "" || own.InheritsStorage() {
				t.Errorf("positions of sp.own's countries (-want +got):\n%s\ninherits: %v", d, own.InheritsStorage())
			}
			inh, _ := c.Scenario("sp.inherited")
			if !inh.InheritsStorage() || inh.StorageCountryPos("CH").File != "policy.proto" {
				t.Errorf("sp.inherited: inherits %v, CH at %s; want the policy's", inh.InheritsStorage(), inh.StorageCountryPos("CH"))
			}
			if p := own.StorageCountryPos("XX"); p != own.Pos {
				t.Errorf("a country the scenario has not: %s, want the scenario's %s", p, own.Pos)
			}
		})
	}
}
