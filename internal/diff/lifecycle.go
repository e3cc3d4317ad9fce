package diff

import (
	"fmt"
	"slices"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/model"
)

// scenarioRenewed is the change of a scenario whose expiry moved later,
// placed at the new expiry. A scenario that never leaves the computer
// (agreement NONE) sends nothing to renew.
func scenarioRenewed(base Change, os, ns *model.Scenario) (Change, bool) {
	oe, ne := os.Expires(), ns.Expires()
	if ns.Local() || !later(oe, ne) {
		return Change{}, false
	}
	c := renewal(base, os, ns, oe, ne)
	c.Text = fmt.Sprintf("The data is now sent %s; before, %s.", expiryWords(ne), expiryWords(oe))
	c.OldPos, c.NewPos = os.ExpiresPos(), ns.ExpiresPos()
	return c, true
}

// fieldRenewed is the change of an item sent for longer than before. Only
// an item that states an expiry of its own, in either version, has one:
// the expiry an item takes from its scenario is renewed with the
// scenario's, which is the change then.
func fieldRenewed(base Change, of, nf *model.Field) (Change, bool) {
	if !of.OwnExpiry() && !nf.OwnExpiry() || nf.Scenario.Local() || !sentAnywhere(nf) {
		return Change{}, false
	}
	oe, ne := of.Expires(), nf.Expires()
	if !later(oe, ne) {
		return Change{}, false
	}
	c := renewal(base, of.Scenario, nf.Scenario, oe, ne)
	c.Text = fmt.Sprintf("%s is now sent %s; before, %s.", nf.Label(), expiryWords(ne), expiryWords(oe))
	c.OldPos, c.NewPos = of.ExpiresPos(), nf.ExpiresPos()
	return c, true
}

// renewal is the part of an EXPIRY_RENEWED change that a scenario and an
// item share: the expiries before and after and the review that allows
// it.
func renewal(base Change, os, ns *model.Scenario, oe, ne *provisionv1.Expiry) Change {
	c := base
	c.Kind, c.Old, c.New, c.Weaker, c.Rule = ExpiryRenewed, model.ExpiryText(oe), model.ExpiryText(ne), true, RuleExpiryRenewed
	if ne == nil {
		c.New = "not stated"
	}
	c.ReviewFrom = newestReview(os)
	c.Reviewed = newReview(os, ns)
	return c
}

// later reports whether the data is sent for longer under expiry n than
// under o. Nothing is later than no expiry stated (a version from before
// the vocabulary had expiries) or never; never, or no expiry stated any
// more, is later than any end. A date and a product version cannot be
// compared: a change from one to the other counts as later, so that it
// fails closed.
func later(o, n *provisionv1.Expiry) bool {
	switch {
	case o == nil || o.GetNever():
		return false
	case n == nil || n.GetNever():
		return true
	case o.GetDate() != "" && n.GetDate() != "":
		od, ook := model.ExpiryDate(o)
		nd, nok := model.ExpiryDate(n)
		return !ook || !nok || nd.After(od)
	case o.GetProductVersion() != "" && n.GetProductVersion() != "":
		return model.CompareVersions(n.GetProductVersion(), o.GetProductVersion()) > 0
	}
	return true
}

// expiryWords says until when data is sent, as the continuation of "it is
// sent …".
func expiryWords(e *provisionv1.Expiry) string {
	switch {
	case e == nil:
		return "with no end stated"
	case e.GetNever():
		return "with no end"
	case e.GetDate() != "":
		return "until " + e.GetDate()
	case e.GetProductVersion() != "":
		return "until product version " + e.GetProductVersion()
	}
	return "with no end stated"
}

// newestReview is the date of the scenario's newest review, or "" when it
// records none or is nil (a new scenario).
func newestReview(s *model.Scenario) string {
	newest := ""
	if s == nil {
		return ""
	}
	for _, r := range s.Reviews() {
		newest = max(newest, r.GetDate())
	}
	return newest
}

// newReview names the first review of ns that is new since os: one os
// does not record, dated on or after the newest review of os, and not an
// entry of os rewritten in place (a review of os with the same reference
// and date, amended to claim more). It is "" when there is none. A review
// copied from os, or back-dated before its newest, does not count.
func newReview(os, ns *model.Scenario) string {
	from := newestReview(os)
	for _, r := range ns.Reviews() {
		if r.GetDate() < from || slices.ContainsFunc(os.Reviews(), func(o *provisionv1.Review) bool {
			return o.GetReference() == r.GetReference() && o.GetDate() == r.GetDate()
		}) {
			continue
		}
		return fmt.Sprintf("%s (%s, %s)", r.GetReference(), r.GetDate(), r.GetReviewer())
	}
	return ""
}

// reviewAcknowledgements gives every acknowledged change the review it
// rests on, and follows each that has none with an
// ACKNOWLEDGEMENT_UNREVIEWED change placed at the acknowledgement. The
// review is one of the change's scenario since old (newReview); a new
// scenario's, any of its own; a new product's, any of its scenarios'.
func reviewAcknowledgements(old, new *model.Catalog, changes []Change) []Change {
	out := make([]Change, 0, len(changes))
	for _, c := range changes {
		if c.Rule == "" || c.Acknowledged == "" {
			out = append(out, c)
			continue
		}
		var os, ns *model.Scenario
		if c.Scenario != "" {
			ns, _ = new.Scenario(c.Scenario)
			os, _ = old.Scenario(c.Scenario)
		}
		np, _ := new.Product(c.Product)
		switch {
		case ns != nil:
			c.Reviewed, c.ReviewFrom = reviewSince(os, ns), newestReview(os)
		case c.Scenario == "" && np != nil:
			for _, s := range np.Scenarios {
				if c.Reviewed = reviewSince(nil, s); c.Reviewed != "" {
					break
				}
			}
		}
		out = append(out, c)
		if c.Reviewed != "" {
			continue
		}
		u := Change{Kind: AcknowledgementUnreviewed, Product: c.Product, ProductName: c.ProductName, Scenario: c.Scenario, Title: c.Title,
			Field: c.Field, Label: c.Label, OldField: c.OldField, New: c.Rule, Rule: RuleAcknowledgementUnreviewed, ReviewFrom: c.ReviewFrom,
			OldPos: c.OldPos, NewPos: acknowledgementPos(c, ns, np), AckIn: c.AckIn}
		why := "the scenario records no review since the version compared with"
		if c.Scenario == "" {
			why = "none of the product's scenarios records one"
		}
		u.Text = fmt.Sprintf("The acknowledgement of %s rests on no review: %s.", c.Rule, why)
		out = append(out, u)
	}
	return out
}

// reviewSince is newReview for a scenario that may be new (os nil): then
// its first review, whatever its date.
func reviewSince(os, ns *model.Scenario) string {
	if os == nil {
		for _, r := range ns.Reviews() {
			return fmt.Sprintf("%s (%s, %s)", r.GetReference(), r.GetDate(), r.GetReviewer())
		}
		return ""
	}
	return newReview(os, ns)
}

// acknowledgementPos is where the acknowledgement of change c is written:
// in the field's, the scenario's, the policy's or the product's option,
// at the first entry that names its rule with its reason.
func acknowledgementPos(c Change, ns *model.Scenario, np *model.Product) model.Position {
	index := func(acks []*provisionv1.Acknowledgement) int {
		return max(0, slices.IndexFunc(acks, func(a *provisionv1.Acknowledgement) bool {
			return a.GetRule() == c.Rule && a.GetReason() == c.Acknowledged
		}))
	}
	switch {
	case c.AckIn == AckInProduct && np != nil:
		return np.AcknowledgementPos(index(np.Options.GetAcknowledged()))
	case c.AckIn == AckInPolicy && np != nil && np.Policy != nil && slices.ContainsFunc(np.Policy.Options.GetAcknowledged(), func(a *provisionv1.Acknowledgement) bool {
		return a.GetRule() == c.Rule && a.GetReason() == c.Acknowledged
	}):
		return np.Policy.AcknowledgementPos(index(np.Policy.Options.GetAcknowledged()))
	case ns == nil:
		return c.NewPos
	case c.Field != "":
		var at model.Position
		ns.Walk(func(f *model.Field) bool {
			if f.Path == c.Field {
				at = f.AcknowledgementPos(index(f.Item.GetAcknowledged()))
				return false
			}
			return true
		})
		if at.Line != 0 {
			return at
		}
		return c.NewPos
	}
	return ns.AcknowledgementPos(index(ns.Options.GetAcknowledged()))
}

// Disclosed returns the changes that are changes of the data sent, for a
// changelog customers read: without those about the catalog's own record
// (an acknowledgement with no review).
func Disclosed(changes []Change) []Change {
	return slices.DeleteFunc(slices.Clone(changes), func(c Change) bool { return c.Kind == AcknowledgementUnreviewed })
}
