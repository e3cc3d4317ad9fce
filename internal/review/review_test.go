package review_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionhq/provision/internal/catalogref"
	"github.com/provisionhq/provision/internal/diff"
	"github.com/provisionhq/provision/internal/fixture"
	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/privacycheck"
	"github.com/provisionhq/provision/internal/review"
	"github.com/provisionhq/provision/internal/versions"
)

var update = flag.Bool("update", false, "rewrite the golden review requests (all goldens: "+fixture.UpdateGoldens+")")

// acmeManifest lists the versions of the fictional Acme catalog that
// internal/versions makes its changelog goldens from; the review requests
// are made between the same versions.
const acmeManifest = "internal/versions/testdata/acme-versions.json"

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func load(t *testing.T, root, ref string) *model.Catalog {
	t.Helper()
	c, err := catalogref.Load(t.Context(), root, ref)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// items returns every item of the request's section "changes", in order.
func items(r review.Request) []review.Item { return sectionItems(r, "changes") }

// sectionItems returns every item of the request's section id ("" for
// every section), in order.
func sectionItems(r review.Request, id string) []review.Item {
	var out []review.Item
	for _, s := range r.Sections {
		if id != "" && s.ID != id {
			continue
		}
		for _, p := range s.Products {
			out = append(out, p.Items...)
			for _, sc := range p.Scenarios {
				out = append(out, sc.Items...)
			}
		}
	}
	return out
}

// checkAgainstChanges holds the request to the changes it was made from:
// every change Reviewed selects is one item, with the change's rule and
// the acknowledgement state the change's own Finding gives; a new
// scenario lists every item it sends; Open counts the findings.
func checkAgainstChanges(t *testing.T, head *model.Catalog, changes []diff.Change, r review.Request) {
	t.Helper()
	var want, got []string
	findings := 0
	for _, c := range changes {
		if !review.Reviewed(c) {
			continue
		}
		state := review.NotRequired
		switch {
		case c.Acknowledged != "":
			state = review.Acknowledged
		case c.Finding():
			state, findings = review.NotAcknowledged, findings+1
		case c.Kind == diff.FieldAdded && c.Rule == "" && c.Weaker && strings.Contains(c.Field, "."):
			state = review.Covered
		}
		want = append(want, strings.Join([]string{string(c.Kind), c.Rule, c.Field, c.Text, state}, " | "))
		if c.Kind == diff.ScenarioAdded {
			s, _ := head.Scenario(c.Scenario)
			for _, sent := range sentItems(s) {
				want = append(want, "item_of_new_scenario |  | "+sent+" | covered")
			}
		}
	}
	for _, it := range items(r) {
		text := it.Change
		if it.Kind == "item_of_new_scenario" {
			text = ""
			got = append(got, strings.Join([]string{it.Kind, it.Rule, it.Field, it.Acknowledgement.State}, " | "))
			continue
		}
		got = append(got, strings.Join([]string{it.Kind, it.Rule, it.Field, text, it.Acknowledgement.State}, " | "))
		if it.Acknowledgement.State == review.NotAcknowledged && !strings.HasPrefix(it.Acknowledgement.Hint, "add acknowledged: {rule: \""+it.Rule+"\"") {
			t.Errorf("%s: hint %q does not name the rule", it.Change, it.Acknowledgement.Hint)
		}
		if it.Field != "" && (it.Label == "" || it.Category == "" || it.Identifiability == nil || it.Agreement == nil || it.Redaction == nil) {
			t.Errorf("%s: item %s lacks a field a reviewer needs: %+v", it.Change, it.Field, it)
		}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("items (-changes +request):\n%s", d)
	}
	if r.Open != findings {
		t.Errorf("Open = %d, want %d (the findings among the changes)", r.Open, findings)
	}
}

// sentItems are the paths of the items of s sent under some consent.
func sentItems(s *model.Scenario) []string {
	var out []string
	s.Walk(func(f *model.Field) bool {
		for _, c := range s.Product.ConsentLevels() {
			if _, ok := f.Under(c); ok {
				out = append(out, f.Path)
				break
			}
		}
		return true
	})
	return out
}

// TestRequestGolden makes the review request between each Acme version the
// manifest lists and the next (the last with itself: nothing to review),
// holds it to the changes, and compares it with testdata/<from>-to-<to>.md
// and .json (-update rewrites them).
func TestRequestGolden(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	vs, err := versions.Read(root, acmeManifest)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) < 2 {
		t.Fatalf("%s lists %d versions, want at least 2", acmeManifest, len(vs))
	}
	for i, v := range vs {
		next := v
		if i+1 < len(vs) {
			next = vs[i+1]
		}
		slug := v.Product + "-" + v.Version + "-to-" + next.Version
		t.Run(slug, func(t *testing.T) {
			t.Parallel()
			base := load(t, root, filepath.Join(root, filepath.FromSlash(v.Dir)))
			head := load(t, root, filepath.Join(root, filepath.FromSlash(next.Dir)))
			changes := diff.Compare(base, head)
			r := review.MakeFrom(base, head, changes)
			r.Base, r.Head = v.Label, next.Label
			checkAgainstChanges(t, head, changes, r)
			if v == next && len(sectionItems(r, "")) != 0 {
				t.Errorf("a version against itself: %d items, want none", len(sectionItems(r, "")))
			}
			checkLifecycle(t, base, head, changes, r)
			for _, format := range review.Formats {
				var b bytes.Buffer
				if err := r.Write(&b, format); err != nil {
					t.Fatal(err)
				}
				ext := map[string]string{"markdown": "md", "json": "json"}[format]
				golden := filepath.Join("testdata", slug+"."+ext)
				if *update {
					if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run %s)", err, fixture.UpdateGoldens)
				}
				if d := cmp.Diff(string(want), b.String()); d != "" {
					t.Errorf("%s differs (run %s) (-want +got):\n%s", golden, fixture.UpdateGoldens, d)
				}
			}
		})
	}
}

// TestRequestDeterministic makes the same request twice and wants the same
// bytes.
func TestRequestDeterministic(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	vs, err := versions.Read(root, acmeManifest)
	if err != nil {
		t.Fatal(err)
	}
	base := load(t, root, filepath.Join(root, filepath.FromSlash(vs[0].Dir)))
	head := load(t, root, filepath.Join(root, filepath.FromSlash(vs[len(vs)-1].Dir)))
	for _, format := range review.Formats {
		var a, b bytes.Buffer
		if err := review.Make(base, head).Write(&a, format); err != nil {
			t.Fatal(err)
		}
		if err := review.Make(base, head).Write(&b, format); err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() {
			t.Errorf("%s: two runs differ", format)
		}
	}
}

// TestThisCatalog makes the review request of this repository's catalog
// against its release and against the example version ksvla-6.1, and
// holds it to the changes diff finds (every one reviewed, every statement
// of a scenario with its provenance) and to the two catalogs' lifecycle
// (checkLifecycle).
func TestThisCatalog(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	head := load(t, root, filepath.Join(root, layout.ProtoDir))
	for _, ref := range []string{"testdata/versions/released.binpb", "testdata/versions/ksvla-6.1"} {
		t.Run(filepath.Base(ref), func(t *testing.T) {
			t.Parallel()
			base := load(t, root, filepath.Join(root, filepath.FromSlash(ref)))
			changes := diff.Compare(base, head)
			r := review.MakeFrom(base, head, changes)
			checkAgainstChanges(t, head, changes, r)
			checkLifecycle(t, base, head, changes, r)
			for _, s := range r.Sections {
				for _, p := range s.Products {
					for _, sc := range p.Scenarios {
						for _, st := range sc.Statements {
							if st.Quote == "" && st.Assessment == "" {
								t.Errorf("scenario %s: statement %s has no provenance", sc.ID, st.About)
							}
						}
					}
				}
			}
			var b bytes.Buffer
			if err := r.Write(&b, "json"); err != nil {
				t.Fatal(err)
			}
			var back review.Request
			if err := json.Unmarshal(b.Bytes(), &back); err != nil {
				t.Fatalf("JSON does not read back: %v", err)
			}
			if d := cmp.Diff(r, back); d != "" {
				t.Errorf("JSON round trip (-made +read):\n%s", d)
			}
		})
	}
}

// TestAcknowledgementShown acknowledges, in a copy of Acme 2.0, the change
// that gives less privacy since 1.0, and wants the request to quote the
// author's reason where it asked for one before.
func TestAcknowledgementShown(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	vs, err := versions.Read(root, acmeManifest)
	if err != nil {
		t.Fatal(err)
	}
	baseDir := filepath.Join(root, filepath.FromSlash(vs[1].Dir))
	headDir := filepath.Join(root, filepath.FromSlash(vs[2].Dir))
	base, head := load(t, root, baseDir), load(t, root, headDir)
	changes := diff.Compare(base, head)
	var finding *diff.Change
	for i := range changes {
		if changes[i].Finding() && changes[i].Field != "" {
			finding = &changes[i]
			break
		}
	}
	if finding == nil {
		t.Fatalf("%s → %s: no finding of a field to acknowledge", vs[1].Version, vs[2].Version)
	}
	before := review.MakeFrom(base, head, changes)
	if before.Open == 0 {
		t.Fatal("without the acknowledgement: nothing open")
	}
	// Copy the head version and write the acknowledgement into the
	// option of the field the finding names.
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(headDir)); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, filepath.FromSlash(finding.NewPos.File))
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (the finding is at %s)", err, finding.NewPos)
	}
	lines := strings.Split(string(src), "\n")
	const reason = "Reviewed: the fixture needs it (review test)."
	done := false
	for i := finding.NewPos.Line - 1; i < len(lines) && !done; i++ {
		if strings.Contains(lines[i], "(provision.v1.field) = {") {
			lines[i] += ` acknowledged: {rule: "` + finding.Rule + `" reason: "` + reason + `"}`
			done = true
		}
	}
	if !done {
		t.Fatalf("no (provision.v1.field) option after %s", finding.NewPos)
	}
	// The acknowledgement rests on a review of the scenario since the
	// base version (ACKNOWLEDGEMENT_UNREVIEWED otherwise).
	i := slices.Index(lines, "    reviews: {")
	if i < 0 {
		t.Fatalf("%s records no review to add one before", finding.NewPos.File)
	}
	lines = slices.Insert(lines, i, `    reviews: {reference: "acme-fictional/review-test" date: "`+time.Now().UTC().Format(time.DateOnly)+`" reviewer: "Acme Notes privacy team"}`)
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	acked := load(t, root, dir)
	changes = diff.Compare(base, acked)
	after := review.MakeFrom(base, acked, changes)
	checkAgainstChanges(t, acked, changes, after)
	if after.Open != before.Open-1 {
		t.Errorf("Open = %d after acknowledging one of %d", after.Open, before.Open)
	}
	var b bytes.Buffer
	if err := after.Markdown(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "acknowledged: "+reason) {
		t.Errorf("the request does not quote the reason %q:\n%s", reason, b.String())
	}
	var hint bytes.Buffer
	if err := before.Markdown(&hint); err != nil {
		t.Fatal(err)
	}
	if want := privacycheck.AckHint(*finding); !strings.Contains(hint.String(), "`"+want+"`") {
		t.Errorf("without the acknowledgement, the request lacks the hint %q:\n%s", want, hint.String())
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	t.Parallel()
	err := review.Request{}.Write(&bytes.Buffer{}, "yaml")
	if err == nil || !strings.Contains(err.Error(), `"yaml"`) {
		t.Errorf("Write(yaml) = %v, want an error naming the format", err)
	}
}

// TestMarkdownEscapesCatalogText: wording of the catalog cannot make
// links, HTML or headings in the request.
func TestMarkdownEscapesCatalogText(t *testing.T) {
	t.Parallel()
	r := review.Request{Base: "<b>base</b>", Head: "[x](http://e.test)", Sections: []review.Section{{
		Title: "Changes", Products: []review.Product{{ID: "p`q", Name: "# P", Scenarios: []review.Scenario{{
			ID: "p.s", Title: "*S*", Items: []review.Item{{Kind: "field_added", Change: "Now also sends: <script>", Field: "f", Label: "![img](x)",
				Acknowledgement: review.Acknowledgement{State: review.Acknowledged, Reason: "ok\n# heading"}}},
		}}}},
	}}}
	var b bytes.Buffer
	if err := r.Markdown(&b); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<b>", "[x](http", "<script>", "\n# heading", "![img]", "`p`q`"} {
		if strings.Contains(b.String(), bad) {
			t.Errorf("output holds %q unescaped:\n%s", bad, b.String())
		}
	}
}

// editedCopy copies dir to a temporary directory and replaces old with
// new, once, in its file (a slash path relative to dir).
func editedCopy(t *testing.T, dir, file, old, new string) string {
	t.Helper()
	out := t.TempDir()
	if err := os.CopyFS(out, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(out, filepath.FromSlash(file))
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(src), old); n != 1 {
		t.Fatalf("%s: %q occurs %d times, want once", file, old, n)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(src), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestScenarioAgreementMove moves a scenario of Acme 2.0 to a weaker
// agreement, with and without an acknowledgement, and wants the move with
// both agreements named and the acknowledgement's state.
func TestScenarioAgreementMove(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	acme := filepath.Join(root, "testdata", "catalogs", "acme-v2")
	const (
		file   = "acme/notes/v1/usage.proto"
		from   = `agreement: "USAGE_ANALYTICS"`
		to     = `agreement: "TERMS_OF_SERVICE"`
		reason = "acme-notes.usage: the fixture moves it (review test)."
	)
	tests := []struct {
		name, edit string
		want       review.Acknowledgement
	}{
		{name: "not acknowledged", edit: to, want: review.Acknowledgement{State: review.NotAcknowledged,
			Hint: `add acknowledged: {rule: "SCENARIO_AGREEMENT_WEAKENED" reason: "…"} to the scenario's (provision.v1.scenario) option`}},
		{name: "acknowledged", edit: to + "\n    acknowledged: {rule: \"SCENARIO_AGREEMENT_WEAKENED\" reason: \"" + reason + "\"}" +
			"\n    reviews: {reference: \"acme-fictional/review-test\" date: \"" + time.Now().UTC().Format(time.DateOnly) + "\" reviewer: \"Acme Notes privacy team\"}",
			want: review.Acknowledgement{State: review.Acknowledged, Reason: reason}},
	}
	base := load(t, root, acme)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			head := load(t, root, editedCopy(t, acme, file, from, tt.edit))
			changes := diff.Compare(base, head)
			r := review.MakeFrom(base, head, changes)
			checkAgainstChanges(t, head, changes, r)
			var got *review.Item
			for _, it := range items(r) {
				if it.Rule == diff.RuleScenarioAgreementWeakened {
					got = &it
				}
			}
			if got == nil {
				t.Fatalf("no %s item in %+v", diff.RuleScenarioAgreementWeakened, items(r))
			}
			if d := cmp.Diff(tt.want, got.Acknowledgement); d != "" {
				t.Errorf("acknowledgement (-want +got):\n%s", d)
			}
			if got.Agreement == nil || !strings.Contains(got.Agreement.Before, "(USAGE_ANALYTICS)") || !strings.Contains(got.Agreement.After, "(TERMS_OF_SERVICE)") {
				t.Errorf("agreement = %+v, want both named with their IDs", got.Agreement)
			}
		})
	}
}
