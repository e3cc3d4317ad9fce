package review_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/diff"
	"github.com/provisionhq/provision/internal/fixture"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/review"
)

// lifecycleKey names an item of a lifecycle section for comparison.
type lifecycleKey struct {
	Scenario, Kind, Field string
	Flagged               bool
}

// checkLifecycle holds the lifecycle sections of r to the two catalogs,
// read here on their own: per scenario of the head version, one
// owner_added for each owner the base does not have (one owner_removed
// for each it lost), one review_added for each review the base does not
// record, one changed_without_review, flagged, when the scenario has a
// change to review and no such review, and one expiry_renewed for the
// scenario and for each item that stated an expiry of its own in the base
// whose expiry ends later, flagged when no review is new.
func checkLifecycle(t *testing.T, base, head *model.Catalog, changes []diff.Change, r review.Request) {
	t.Helper()
	changed := map[string]bool{}
	for _, c := range changes {
		if review.Reviewed(c) {
			changed[c.Scenario] = true
		}
	}
	var want []lifecycleKey
	for _, hs := range head.Scenarios() {
		bs, inBase := base.Scenario(hs.ID)
		var bOwners []*provisionv1.Contact
		var bReviews []*provisionv1.Review
		if inBase {
			bOwners, bReviews = bs.Owners(), bs.Reviews()
		}
		fresh := 0
		for _, rv := range hs.Reviews() {
			if !slices.ContainsFunc(bReviews, func(b *provisionv1.Review) bool { return proto.Equal(b, rv) }) {
				fresh++
			}
		}
		if inBase {
			if endsLater(bs.Expires(), hs.Expires()) {
				want = append(want, lifecycleKey{hs.ID, review.KindExpiryRenewed, "", fresh == 0})
			}
			hs.Walk(func(f *model.Field) bool {
				var of *model.Field
				bs.Walk(func(g *model.Field) bool {
					if g.Path == f.Path {
						of = g
					}
					return of == nil
				})
				if of != nil && of.OwnExpiry() && endsLater(of.Expires(), f.Expires()) {
					want = append(want, lifecycleKey{hs.ID, review.KindExpiryRenewed, f.Path, fresh == 0})
				}
				return true
			})
		}
		for _, o := range hs.Owners() {
			if !slices.ContainsFunc(bOwners, func(b *provisionv1.Contact) bool { return proto.Equal(b, o) }) {
				want = append(want, lifecycleKey{hs.ID, review.KindOwnerAdded, "", false})
			}
		}
		for _, o := range bOwners {
			if !slices.ContainsFunc(hs.Owners(), func(h *provisionv1.Contact) bool { return proto.Equal(h, o) }) {
				want = append(want, lifecycleKey{hs.ID, review.KindOwnerRemoved, "", false})
			}
		}
		for range fresh {
			want = append(want, lifecycleKey{hs.ID, review.KindReviewAdded, "", false})
		}
		if changed[hs.ID] && fresh == 0 {
			want = append(want, lifecycleKey{hs.ID, review.KindUnreviewed, "", true})
		}
	}
	var got []lifecycleKey
	for _, s := range r.Sections {
		if s.ID == "changes" {
			continue
		}
		for _, p := range s.Products {
			for _, sc := range p.Scenarios {
				for _, it := range sc.Items {
					got = append(got, lifecycleKey{sc.ID, it.Kind, it.Field, it.Flagged != ""})
					if it.Change == "" || it.Acknowledgement.State != "" {
						t.Errorf("%s %s: change %q, acknowledgement %+v: want words and no acknowledgement", sc.ID, it.Kind, it.Change, it.Acknowledgement)
					}
				}
			}
		}
	}
	slices.SortFunc(want, cmpKeys)
	slices.SortFunc(got, cmpKeys)
	if !slices.Equal(want, got) {
		t.Errorf("lifecycle items:\nwant %+v\ngot  %+v", want, got)
	}
}

func cmpKeys(a, b lifecycleKey) int {
	for _, c := range [][2]string{{a.Scenario, b.Scenario}, {a.Kind, b.Kind}, {a.Field, b.Field}} {
		if c[0] != c[1] {
			if c[0] < c[1] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// endsLater is the oracle of a renewal: dates compare as YYYY-MM-DD text,
// product versions component by component; never ends after anything
// else; a date against a product version cannot be ordered and is listed
// for the reviewer; an expiry where there was none is no renewal.
func endsLater(before, after *provisionv1.Expiry) bool {
	switch {
	case before == nil || after == nil || before.GetNever():
		return false
	case after.GetNever():
		return true
	case before.GetDate() != "" && after.GetDate() != "":
		return after.GetDate() > before.GetDate()
	case before.GetProductVersion() != "" && after.GetProductVersion() != "":
		return model.CompareVersions(after.GetProductVersion(), before.GetProductVersion()) > 0
	}
	return true
}

// usageFile is the Acme scenario the lifecycle tests edit.
const usageFile = "acme/notes/v1/usage.proto"

// The edits of usage.proto the lifecycle tests make.
const (
	expiryV3      = `product_version: "3.0"`
	expiryV4      = `product_version: "4.0"`
	reviewAnchor  = `    flags: {`
	newReview     = "    reviews: {\n      reference: \"acme-fictional/choices\"\n      date: \"2026-11-30\"\n      reviewer: \"Acme Notes privacy team\"\n      scope: \"Fictional: the renewal to version 4.0 checked against the fictional source, for the review tests.\"\n    }\n" + reviewAnchor
	accountAnchor = `example: "5d0c7a3e-1f2b-4c6d-8e9f-0a1b2c3d4e5f"`
	ownerEmail    = `email: "privacy@acme-telemetry.example"`
)

// itemExpiry gives the account ID of usage.proto an expiry of its own.
func itemExpiry(day string) [2]string {
	return [2]string{accountAnchor, accountAnchor + "\n      expires: {date: \"" + day + "\" basis: {assessment: \"A fixture of the review tests.\"}}"}
}

// editedAll copies dir to a temporary directory and makes each edit
// (old, new: old occurs once) in its file.
func editedAll(t *testing.T, dir, file string, edits ...[2]string) string {
	t.Helper()
	out := dir
	for _, e := range edits {
		out = editedCopy(t, out, file, e[0], e[1])
	}
	return out
}

// TestLifecycleSections edits the usage scenario of Acme 2.0 (its
// expiry, an item's own expiry, its reviews, its owner) and holds the
// lifecycle sections to each pair of versions (checkLifecycle), with the
// items each case makes.
func TestLifecycleSections(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	acme := filepath.Join(root, "testdata", "catalogs", "acme-v2")
	tests := []struct {
		name       string
		base, head [][2]string
		want       []lifecycleKey
	}{
		{name: "renewed with a review", head: [][2]string{{expiryV3, expiryV4}, {reviewAnchor, newReview}},
			want: []lifecycleKey{{"acme-notes.usage", review.KindExpiryRenewed, "", false}, {"acme-notes.usage", review.KindReviewAdded, "", false}}},
		{name: "renewed without a review", head: [][2]string{{expiryV3, expiryV4}},
			want: []lifecycleKey{{"acme-notes.usage", review.KindExpiryRenewed, "", true}}},
		{name: "brought forward", head: [][2]string{{expiryV3, `product_version: "2.5"`}}},
		{name: "renewed to never", head: [][2]string{{expiryV3, "never: true"}, {reviewAnchor, newReview},
			{reviewAnchor, "    acknowledged: {rule: \"EXPIRY_NEVER\" reason: \"A fixture of the review tests: the report renewed for good.\"}\n" + reviewAnchor}},
			want: []lifecycleKey{{"acme-notes.usage", review.KindExpiryRenewed, "", false}, {"acme-notes.usage", review.KindReviewAdded, "", false}}},
		{name: "item renewed", base: [][2]string{itemExpiry("2027-01-01")}, head: [][2]string{itemExpiry("2027-06-01")},
			want: []lifecycleKey{{"acme-notes.usage", review.KindExpiryRenewed, "account_id", true}}},
		{name: "item expiry given", head: [][2]string{itemExpiry("2027-06-01")}},
		{name: "item expiry dropped", base: [][2]string{itemExpiry("2027-06-01")},
			want: []lifecycleKey{{"acme-notes.usage", review.KindExpiryRenewed, "account_id", true}}},
		{name: "owner replaced", head: [][2]string{{ownerEmail, `email: "data-protection@acme-telemetry.example"`}},
			want: []lifecycleKey{{"acme-notes.usage", review.KindOwnerAdded, "", false}, {"acme-notes.usage", review.KindOwnerRemoved, "", false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			base := load(t, root, editedAll(t, acme, usageFile, tt.base...))
			head := load(t, root, editedAll(t, acme, usageFile, tt.head...))
			changes := diff.Compare(base, head)
			r := review.MakeFrom(base, head, changes)
			checkLifecycle(t, base, head, changes, r)
			var got []lifecycleKey
			for _, s := range r.Sections {
				if s.ID == "changes" {
					continue
				}
				for _, p := range s.Products {
					for _, sc := range p.Scenarios {
						for _, it := range sc.Items {
							got = append(got, lifecycleKey{sc.ID, it.Kind, it.Field, it.Flagged != ""})
							if it.Kind == review.KindExpiryRenewed && (it.Expires == nil || it.Expires.Before == it.Expires.After || it.NewestReview == nil) {
								t.Errorf("renewal %+v: want the expiry before and after and the newest review", it)
							}
						}
					}
				}
			}
			slices.SortFunc(got, cmpKeys)
			slices.SortFunc(tt.want, cmpKeys)
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("lifecycle items (-want +got):\n%s", d)
			}
		})
	}
}

// TestRenewalGolden makes the request for a renewal of the usage
// scenario of Acme 2.0 with its review, and an owner replaced, and
// compares it with testdata/acme-notes-2.0-renewed.md (-update rewrites
// it): the lifecycle sections as a reviewer reads them.
func TestRenewalGolden(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	acme := filepath.Join(root, "testdata", "catalogs", "acme-v2")
	base := load(t, root, acme)
	head := load(t, root, editedAll(t, acme, usageFile, [2]string{expiryV3, expiryV4}, [2]string{reviewAnchor, newReview},
		[2]string{ownerEmail, `email: "data-protection@acme-telemetry.example"`}))
	r := review.Make(base, head)
	r.Base, r.Head = "2.0", "2.0 renewed (test)"
	var b bytes.Buffer
	if err := r.Markdown(&b); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "acme-notes-2.0-renewed.md")
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run %s)", err, fixture.UpdateGoldens)
	}
	if d := cmp.Diff(string(want), b.String()); d != "" {
		t.Errorf("%s differs (run %s) (-want +got):\n%s", golden, fixture.UpdateGoldens, d)
	}
}
