package diff_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionhq/provision/internal/diff"
)

// lifecycleOf adds to the scenario d.update of base an expiry (the text
// inside expires: {…}, before its basis) and reviews (whole reviews:
// entries), and to its item installation_id an expiry of its own when
// item is not empty.
func lifecycleOf(expiry, reviews, item string) []string {
	edits := []string{`    id: "d.update"`, `    id: "d.update"
    expires: {` + expiry + ` basis: {assessment: "Fixture."}}
    ` + reviews}
	if item != "" {
		edits = append(edits, `redaction: {hmac: {key_id: "installation"}}`, `redaction: {hmac: {key_id: "installation"}}
    expires: {`+item+` basis: {assessment: "Fixture."}}`)
	}
	return edits
}

const (
	firstReview  = `reviews: {reference: "fixture/source" date: "2026-01-10" reviewer: "Fixture maintainers"}`
	secondReview = `reviews: {reference: "fixture/renewal" date: "2026-02-01" reviewer: "Fixture data-protection officer" scope: "renewal until 2027-12-31"}`
	neverAck     = `acknowledged: {rule: "EXPIRY_NEVER" reason: "Updates are needed for as long as the product is supported."}`
)

// TestExpiryRenewed checks EXPIRY_RENEWED: a scenario or an item sent for
// longer than before, allowed by a review the old version does not have,
// dated on or after its newest, and not one of its entries rewritten.
func TestExpiryRenewed(t *testing.T) {
	t.Parallel()
	type renewal struct {
		Scenario, Field, Old, New string
		Rule, Reviewed, From      string
		TextHas                   string
	}
	first := lifecycleOf(`date: "2027-06-30"`, firstReview, "")
	tests := []struct {
		name     string
		old, new []string
		want     []renewal
	}{
		{name: "same expiry", old: first, new: first},
		{name: "earlier date", old: first, new: lifecycleOf(`date: "2027-03-31"`, firstReview, "")},
		{name: "no expiry before", old: nil, new: first},
		{
			name: "later date, no new review", old: first, new: lifecycleOf(`date: "2027-12-31"`, firstReview, ""),
			want: []renewal{{Scenario: "d.update", Old: "2027-06-30", New: "2027-12-31", Rule: diff.RuleExpiryRenewed, From: "2026-01-10",
				TextHas: "The data is now sent until 2027-12-31; before, until 2027-06-30."}},
		},
		{
			name: "later date with a new review", old: first, new: lifecycleOf(`date: "2027-12-31"`, firstReview+"\n    "+secondReview, ""),
			want: []renewal{{Scenario: "d.update", Old: "2027-06-30", New: "2027-12-31", Rule: diff.RuleExpiryRenewed, From: "2026-01-10",
				Reviewed: "fixture/renewal (2026-02-01, Fixture data-protection officer)"}},
		},
		{
			name: "later date with a new review on the day of the newest", old: first,
			new: lifecycleOf(`date: "2027-12-31"`, firstReview+"\n    "+`reviews: {reference: "fixture/renewal" date: "2026-01-10" reviewer: "Fixture maintainers"}`, ""),
			want: []renewal{{Scenario: "d.update", Old: "2027-06-30", New: "2027-12-31", Rule: diff.RuleExpiryRenewed, From: "2026-01-10",
				Reviewed: "fixture/renewal (2026-01-10, Fixture maintainers)"}},
		},
		{
			name: "later date with a new review, the old one removed", old: first, new: lifecycleOf(`date: "2027-12-31"`, secondReview, ""),
			want: []renewal{{Scenario: "d.update", Old: "2027-06-30", New: "2027-12-31", Rule: diff.RuleExpiryRenewed, From: "2026-01-10",
				Reviewed: "fixture/renewal (2026-02-01, Fixture data-protection officer)"}},
		},
		{
			name: "later date with a review dated before the newest", old: lifecycleOf(`date: "2027-06-30"`, secondReview, ""),
			new:  lifecycleOf(`date: "2027-12-31"`, secondReview+"\n    "+firstReview, ""),
			want: []renewal{{Scenario: "d.update", Old: "2027-06-30", New: "2027-12-31", Rule: diff.RuleExpiryRenewed, From: "2026-02-01"}},
		},
		{
			name: "later date with the old review rewritten in place", old: first,
			new:  lifecycleOf(`date: "2027-12-31"`, `reviews: {reference: "fixture/source" date: "2026-01-10" reviewer: "Fixture maintainers" scope: "and the renewal"}`, ""),
			want: []renewal{{Scenario: "d.update", Old: "2027-06-30", New: "2027-12-31", Rule: diff.RuleExpiryRenewed, From: "2026-01-10"}},
		},
		{
			name: "later date; the old version records no review, the new one does", old: lifecycleOf(`date: "2027-06-30"`, "", ""),
			new: lifecycleOf(`date: "2027-12-31"`, firstReview, ""),
			want: []renewal{{Scenario: "d.update", Old: "2027-06-30", New: "2027-12-31", Rule: diff.RuleExpiryRenewed,
				Reviewed: "fixture/source (2026-01-10, Fixture maintainers)"}},
		},
		{
			name: "later date, acknowledged instead of reviewed", old: first,
			new:  lifecycleOf(`date: "2027-12-31"`, firstReview+"\n    "+`acknowledged: {rule: "EXPIRY_RENEWED" reason: "Needed."}`, ""),
			want: []renewal{{Scenario: "d.update", Old: "2027-06-30", New: "2027-12-31", Rule: diff.RuleExpiryRenewed, From: "2026-01-10"}},
		},
		{
			name: "date to never", old: first, new: lifecycleOf(`never: true`, firstReview+"\n    "+neverAck, ""),
			want: []renewal{{Scenario: "d.update", Old: "2027-06-30", New: "never", Rule: diff.RuleExpiryRenewed, From: "2026-01-10",
				TextHas: "The data is now sent with no end; before, until 2027-06-30."}},
		},
		{name: "never to a date", old: lifecycleOf(`never: true`, firstReview+"\n    "+neverAck, ""), new: first},
		{
			name: "product version raised", old: lifecycleOf(`product_version: "7.0"`, firstReview, ""), new: lifecycleOf(`product_version: "7.10"`, firstReview, ""),
			want: []renewal{{Scenario: "d.update", Old: "product version 7.0", New: "product version 7.10", Rule: diff.RuleExpiryRenewed, From: "2026-01-10",
				TextHas: "until product version 7.10; before, until product version 7.0."}},
		},
		{name: "product version lowered", old: lifecycleOf(`product_version: "7.10"`, firstReview, ""), new: lifecycleOf(`product_version: "7.9"`, firstReview, "")},
		{
			name: "date to product version: not comparable, fails closed", old: first, new: lifecycleOf(`product_version: "7.0"`, firstReview, ""),
			want: []renewal{{Scenario: "d.update", Old: "2027-06-30", New: "product version 7.0", Rule: diff.RuleExpiryRenewed, From: "2026-01-10"}},
		},
		{
			name: "item's own expiry later", old: lifecycleOf(`date: "2027-06-30"`, firstReview, `date: "2027-01-31"`),
			new: lifecycleOf(`date: "2027-06-30"`, firstReview, `date: "2027-05-31"`),
			want: []renewal{{Scenario: "d.update", Field: "installation_id", Old: "2027-01-31", New: "2027-05-31", Rule: diff.RuleExpiryRenewed, From: "2026-01-10",
				TextHas: "Installation ID is now sent until 2027-05-31; before, until 2027-01-31."}},
		},
		{
			name: "item's own expiry dropped: it takes the scenario's, later", old: lifecycleOf(`date: "2027-06-30"`, firstReview, `date: "2027-01-31"`), new: first,
			want: []renewal{{Scenario: "d.update", Field: "installation_id", Old: "2027-01-31", New: "2027-06-30", Rule: diff.RuleExpiryRenewed, From: "2026-01-10"}},
		},
		{
			name: "scenario renewed: one change, not one per item", old: first, new: lifecycleOf(`date: "2027-12-31"`, firstReview, ""),
			want: []renewal{{Scenario: "d.update", Old: "2027-06-30", New: "2027-12-31", Rule: diff.RuleExpiryRenewed, From: "2026-01-10"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			old := catalog(t, edit(t, base, tt.old...))
			new := catalog(t, edit(t, base, tt.new...))
			var got []renewal
			for _, c := range diff.Compare(old, new) {
				if c.Kind != diff.ExpiryRenewed {
					continue
				}
				if !c.Weaker || c.Finding() != (c.Reviewed == "") || c.Acknowledged != "" || c.NewPos.Line == 0 {
					t.Errorf("renewal %+v: want weaker, a finding unless reviewed, never acknowledged, and placed", c)
				}
				r := renewal{Scenario: c.Scenario, Field: c.Field, Old: c.Old, New: c.New, Rule: c.Rule, Reviewed: c.Reviewed, From: c.ReviewFrom}
				if i := len(got); i < len(tt.want) && tt.want[i].TextHas != "" {
					if !strings.Contains(c.Text, tt.want[i].TextHas) {
						t.Errorf("text %q, want it to contain %q", c.Text, tt.want[i].TextHas)
					}
					r.TextHas = tt.want[i].TextHas
				}
				got = append(got, r)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("renewals (-want +got):\n%s", d)
			}
		})
	}
}
