package review

import (
	"fmt"
	"slices"
	"strings"

	"google.golang.org/protobuf/proto"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/diff"
	"github.com/provisionhq/provision/internal/model"
)

// The kinds of the lifecycle sections' items.
const (
	// KindExpiryRenewed: a scenario's expiry, or an item's own, moved
	// later (or to one that cannot be ordered with it, a date and a
	// product version).
	KindExpiryRenewed = "expiry_renewed"
	// KindOwnerAdded and KindOwnerRemoved: a scenario's owner.
	KindOwnerAdded   = "owner_added"
	KindOwnerRemoved = "owner_removed"
	// KindReviewAdded: a review the head version records and the base
	// does not.
	KindReviewAdded = "review_added"
	// KindUnreviewed: a scenario with changes to review and no review
	// recorded since the base; flagged for the reviewer.
	KindUnreviewed = "changed_without_review"
)

// Review is a review a scenario records: what was checked against, when
// and by whom.
type Review struct {
	Reference string `json:"reference"`
	Date      string `json:"date"`
	Reviewer  string `json:"reviewer"`
	Scope     string `json:"scope,omitempty"`
	// New says the base version does not record it.
	New bool `json:"new"`
}

// Renewals is the builder of the section "Expiries renewed": every
// scenario of both versions whose expiry moved later, and every item that
// stated an expiry of its own in the base whose expiry (its own, or what
// it now takes from what holds it) moved later, with the expiry before and after, where the new one comes from
// and the newest review the scenario records. It compares the two
// catalogs' lifecycle directly, not through internal/diff, which lists no
// change of an expiry.
func Renewals(base, head *model.Catalog, _ []diff.Change) (Section, bool) {
	s := Section{ID: "renewals", Title: "Expiries renewed"}
	for _, hs := range head.Scenarios() {
		bs, ok := base.Scenario(hs.ID)
		if !ok {
			continue
		}
		var its []Item
		if later(bs.Expires(), hs.Expires()) {
			its = append(its, renewal(bs, hs, nil, bs.Expires(), hs.Expires()))
		}
		hs.Walk(func(nf *model.Field) bool {
			// An item's own expiry never outlives what holds it: one
			// given where there was none is no renewal, one dropped or
			// moved may be.
			of := field(bs, nf.Path)
			if of == nil || !of.OwnExpiry() {
				return true
			}
			if later(of.Expires(), nf.Expires()) {
				its = append(its, renewal(bs, hs, nf, of.Expires(), nf.Expires()))
			}
			return true
		})
		if len(its) == 0 {
			continue
		}
		sc := lifecycleScenario(product(&s, head, hs.Product.ID, hs.Product.Name), hs, false)
		sc.Items = append(sc.Items, its...)
		for _, it := range its {
			sc.Statements = append(sc.Statements, expiryStatements(hs, it.Field)...)
		}
	}
	return s, len(s.Products) > 0
}

// renewal is the item of an expiry renewed from before to after, of
// scenario hs or of its item f.
func renewal(bs, hs *model.Scenario, f *model.Field, before, after *provisionv1.Expiry) Item {
	what := "scenario " + hs.ID
	it := Item{Kind: KindExpiryRenewed, Expires: &BeforeAfter{Before: expiryWords(before), After: expiryWords(after)}}
	if f != nil {
		what = f.Label()
		it.Field, it.Label, it.Where = f.Path, f.Label(), f.Pos.String()
		it.Category = model.EnumLabel(f.Category())
	}
	order := "renewed"
	if !comparable(before, after) {
		order = "moved to an expiry that cannot be ordered with the old one"
	}
	it.Change = fmt.Sprintf("The expiry of %s is %s.", what, order)
	if r := newest(hs.Reviews()); r != nil {
		it.NewestReview = reviewOf(r, bs)
	}
	if it.NewestReview == nil || !it.NewestReview.New {
		it.Flagged = "no review recorded since the base: a renewal needs one"
	}
	return it
}

// later reports whether expiry after ends later than before: a later
// date or product version, never where it was not, or an expiry that
// cannot be ordered with before (a date against a product version), which
// the reviewer has to judge. An expiry that appears where there was none
// ends the sending: it is not a renewal.
func later(before, after *provisionv1.Expiry) bool {
	switch {
	case before == nil || after == nil || before.GetNever():
		return false
	case after.GetNever():
		return true
	case !comparable(before, after):
		return true
	}
	if b, ok := model.ExpiryDate(before); ok {
		a, _ := model.ExpiryDate(after)
		return a.After(b)
	}
	return model.CompareVersions(after.GetProductVersion(), before.GetProductVersion()) > 0
}

// comparable reports whether two expiries are of the same kind (both
// dates, both product versions) or one of them is never.
func comparable(a, b *provisionv1.Expiry) bool {
	_, ad := model.ExpiryDate(a)
	_, bd := model.ExpiryDate(b)
	return a.GetNever() || b.GetNever() || ad == bd
}

// expiryWords is an expiry as the request words it.
func expiryWords(e *provisionv1.Expiry) string {
	if e == nil {
		return "none"
	}
	return model.ExpiryText(e)
}

// expiryStatements are the provenance of the expiry of hs (path empty) or
// of its item at path.
func expiryStatements(hs *model.Scenario, path string) []Statement {
	about := "expires"
	if path != "" {
		about = "field " + path + " expires"
	}
	var out []Statement
	for _, st := range statements(hs.StatedClaims()) {
		if st.About == about {
			out = append(out, st)
		}
	}
	return out
}

// OwnersAndReviews is the builder of the section "Owners and reviews":
// for every scenario of the head version, the owners added and removed
// and the reviews recorded since the base, and, flagged for the
// reviewer, every scenario with changes to review (Reviewed) and no
// review recorded since the base. A scenario new since the base has
// every owner and review added.
func OwnersAndReviews(base, head *model.Catalog, changes []diff.Change) (Section, bool) {
	s := Section{ID: "owners-reviews", Title: "Owners and reviews"}
	changed := map[string]int{}
	for _, c := range changes {
		if Reviewed(c) && c.Scenario != "" {
			changed[c.Scenario]++
		}
	}
	for _, hs := range head.Scenarios() {
		bs, _ := base.Scenario(hs.ID)
		var its []Item
		bOwners, hOwners := contacts(bs), contacts(hs)
		for _, o := range hOwners {
			if !slices.Contains(bOwners, o) {
				its = append(its, Item{Kind: KindOwnerAdded, Change: "Owner added: " + o + ".", Owner: o})
			}
		}
		for _, o := range bOwners {
			if !slices.Contains(hOwners, o) {
				its = append(its, Item{Kind: KindOwnerRemoved, Change: "Owner removed: " + o + ".", Owner: o})
			}
		}
		fresh := 0
		for _, r := range hs.Reviews() {
			if rv := reviewOf(r, bs); rv.New {
				fresh++
				text := fmt.Sprintf("Review recorded: against %s on %s by %s", rv.Reference, rv.Date, rv.Reviewer)
				if rv.Scope != "" {
					text += " (" + rv.Scope + ")"
				}
				its = append(its, Item{Kind: KindReviewAdded, Change: text + ".", Review: rv})
			}
		}
		if n := changed[hs.ID]; n > 0 && fresh == 0 {
			it := Item{Kind: KindUnreviewed,
				Change:  fmt.Sprintf("%s to review in this scenario, and no review recorded since the base.", count(n, "change")),
				Flagged: "changes but no review since the base: record the review this request asks for"}
			if r := newest(hs.Reviews()); r != nil {
				it.NewestReview = reviewOf(r, bs)
			}
			its = append(its, it)
		}
		if len(its) == 0 {
			continue
		}
		sc := lifecycleScenario(product(&s, head, hs.Product.ID, hs.Product.Name), hs, bs == nil)
		sc.Items = append(sc.Items, its...)
	}
	return s, len(s.Products) > 0
}

// lifecycleScenario returns p's scenario hs as the lifecycle sections
// show it (its owners, expiry and reviews on record), appending it when
// it is not there yet.
func lifecycleScenario(p *Product, hs *model.Scenario, isNew bool) *Scenario {
	sc := scenario(p, hs, isNew)
	sc.Owners = contacts(hs)
	sc.Expires = expiryWords(hs.Expires())
	sc.Statements = []Statement{}
	return sc
}

// contacts are the owners of s in words ("name <email>, url"); none for
// a nil s.
func contacts(s *model.Scenario) []string {
	if s == nil {
		return nil
	}
	var out []string
	for _, c := range s.Owners() {
		w := c.GetName()
		if c.GetEmail() != "" {
			w += " <" + c.GetEmail() + ">"
		}
		if c.GetUrl() != "" {
			w += ", " + c.GetUrl()
		}
		out = append(out, w)
	}
	return out
}

// newest returns the review of rs with the latest date (the last written
// of those on that day), or nil.
func newest(rs []*provisionv1.Review) *provisionv1.Review {
	var out *provisionv1.Review
	for _, r := range rs {
		if out == nil || strings.Compare(r.GetDate(), out.GetDate()) >= 0 {
			out = r
		}
	}
	return out
}

// reviewOf is r as the request shows it; New when the base scenario bs
// (nil: none) does not record it.
func reviewOf(r *provisionv1.Review, bs *model.Scenario) *Review {
	rv := &Review{Reference: r.GetReference(), Date: r.GetDate(), Reviewer: r.GetReviewer(), Scope: r.GetScope(), New: true}
	if bs != nil {
		rv.New = !slices.ContainsFunc(bs.Reviews(), func(b *provisionv1.Review) bool { return proto.Equal(b, r) })
	}
	return rv
}
