package model_test

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionhq/provision/internal/fixture"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protoload"
)

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
			wants, err := fixture.ReadWants(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(wants) == 0 {
				t.Fatalf("%s wants no diagnostic: a bad fixture must want some", path)
			}
			set, err := protoload.CompileFixture(t.Context(), "testdata", "policy.proto", name)
			if err != nil {
				t.Fatal(err)
			}
			// Each fixture shows its own rule: one that wants no
			// PROVENANCE_MISSING is built as a baseline, which that rule
			// spares, so its scenarios need not give every provenance.
			var opts []model.Option
			if !slices.ContainsFunc(wants, func(w fixture.Want) bool { return w.Rule == string(model.RuleProvenanceMissing) }) {
				opts = append(opts, model.AsBaseline())
			}
			_, err = model.FromFileDescriptorSet(set, opts...)
			var diags model.Diagnostics
			if !errors.As(err, &diags) {
				t.Fatalf("want diagnostics, got %v", err)
			}
			var got, want []string
			for _, d := range diags {
				got = append(got, string(d.Rule)+" "+d.Pos.String())
			}
			for _, w := range wants {
				want = append(want, w.Rule+" "+name+":"+w.Pos)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("diagnostics (-want +got):\n%s\nall:\n%v", diff, err)
			}
			for i, w := range wants {
				if !strings.Contains(diags[i].Message, w.Text) {
					t.Errorf("diagnostic %d = %q, want it to contain %q", i, diags[i].Message, w.Text)
				}
			}
		})
	}
}

// TestBaselineSparesProvenance builds the fixture that lacks provenance
// everywhere as a baseline: PROVENANCE_MISSING is spared, every other rule
// still applies.
func TestBaselineSparesProvenance(t *testing.T) {
	t.Parallel()
	set, err := protoload.CompileFixture(t.Context(), "testdata", "policy.proto", "bad/provenance_missing.proto")
	if err != nil {
		t.Fatal(err)
	}
	_, err = model.FromFileDescriptorSet(set, model.AsBaseline())
	var diags model.Diagnostics
	if !errors.As(err, &diags) {
		t.Fatalf("want the OPTIONS_INVALID finding, got %v", err)
	}
	for _, d := range diags {
		if d.Rule != model.RuleOptionsInvalid {
			t.Errorf("baseline build reported %v", d)
		}
	}
}
