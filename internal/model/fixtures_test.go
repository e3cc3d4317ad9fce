package model_test

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protoload"
)

// wantLine is a fixture's expectation: "// want: RULE line:col text", one
// per diagnostic the fixture must produce.
var wantLine = regexp.MustCompile(`(?m)^// want: ([A-Z_]+) (\d+:\d+) (.+)$`)

// TestBadFixtures builds each fixture under testdata/bad with the fixture
// policy and checks it yields exactly the diagnostics its want lines name,
// at their positions, each message containing the want text.
func TestBadFixtures(t *testing.T) {
	t.Parallel()
	paths, err := filepath.Glob("testdata/bad/*.proto")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, path := range paths {
		name := strings.TrimPrefix(filepath.ToSlash(path), "testdata/")
		t.Run(strings.TrimSuffix(filepath.Base(path), ".proto"), func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			wants := wantLine.FindAllStringSubmatch(string(src), -1)
			if len(wants) == 0 {
				t.Fatalf("%s has no want lines", path)
			}
			set, err := protoload.CompileFixture(t.Context(), "testdata", "policy.proto", name)
			if err != nil {
				t.Fatal(err)
			}
			_, err = model.FromFileDescriptorSet(set)
			var diags model.Diagnostics
			if !errors.As(err, &diags) {
				t.Fatalf("want diagnostics, got %v", err)
			}
			var got, want []string
			for _, d := range diags {
				got = append(got, string(d.Rule)+" "+d.Pos.String())
			}
			for _, w := range wants {
				want = append(want, w[1]+" "+name+":"+w[2])
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("diagnostics (-want +got):\n%s\nall:\n%v", diff, err)
			}
			for i, w := range wants {
				if !strings.Contains(diags[i].Message, w[3]) {
					t.Errorf("diagnostic %d = %q, want it to contain %q", i, diags[i].Message, w[3])
				}
			}
		})
	}
}
