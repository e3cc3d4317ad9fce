package diff

import (
	"fmt"
	"slices"

	"google.golang.org/protobuf/proto"

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
// records none.
func newestReview(s *model.Scenario) string {
	newest := ""
	for _, r := range s.Reviews() {
		newest = max(newest, r.GetDate())
	}
	return newest
}

// newReview names the first review of ns that os does not record and
// that is dated on or after the newest review of os: a review of the
// scenario since the version compared with. It is "" when there is none.
// Reviews are a record of what happened, kept whole: when ns lacks a
// review of os (one removed, or rewritten in place to claim more), no
// review of ns counts. A review copied from os, or dated before its
// newest, does not count either.
func newReview(os, ns *model.Scenario) string {
	has := func(rs []*provisionv1.Review, r *provisionv1.Review) bool {
		return slices.ContainsFunc(rs, func(o *provisionv1.Review) bool { return proto.Equal(o, r) })
	}
	for _, r := range os.Reviews() {
		if !has(ns.Reviews(), r) {
			return ""
		}
	}
	from := newestReview(os)
	for _, r := range ns.Reviews() {
		if r.GetDate() >= from && !has(os.Reviews(), r) {
			return fmt.Sprintf("%s (%s, %s)", r.GetReference(), r.GetDate(), r.GetReviewer())
		}
	}
	return ""
}
