package review_test

import (
	"slices"
	"testing"

	"google.golang.org/protobuf/proto"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/diff"
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
// scenario and for each item stating an expiry of its own whose expiry
// ends later, flagged when no review is new.
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
				if of != nil && (f.OwnExpiry() || of.OwnExpiry()) && endsLater(of.Expires(), f.Expires()) {
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
	order := func(a, b lifecycleKey) int {
		return cmpKeys(a, b)
	}
	slices.SortFunc(want, order)
	slices.SortFunc(got, order)
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
