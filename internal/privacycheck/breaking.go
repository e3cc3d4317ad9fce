package privacycheck

import (
	"context"
	"fmt"

	"buf.build/go/bufplugin/check"

	"github.com/provisionhq/provision/internal/diff"
	"github.com/provisionhq/provision/internal/model"
)

// breakingRule is one rule of buf breaking: it reports the changes of
// internal/diff that name it and are not acknowledged.
type breakingRule struct {
	id      string
	purpose string
}

var breakingRules = []breakingRule{
	{diff.RuleFieldAdded, "Checks that no field is added to an existing scenario, which would send more data in a situation customers already accepted."},
	{diff.RuleAgreementWeakened, "Checks that no field moves to an agreement that does not imply its former one, such as from an opt-in agreement to one every customer accepts."},
	{diff.RuleRedactionWeakened, "Checks that no redaction gets weaker under any consent, such as a keyed hash becoming the value or an IPv4 /24 becoming /32."},
	{diff.RuleIdentifiabilityRaised, "Checks that no field is reclassified as more identifying, such as from anonymous to pseudonymous."},
	{diff.RuleStorageCountryAdded, "Checks that no scenario's data is stored in a country it was not stored in before."},
	{diff.RuleScenarioAgreementWeakened, "Checks that no scenario moves to an agreement that does not imply its former one."},
	{diff.RuleScenarioAdded, "Checks that no scenario that sends data, even anonymous data only, is added without an acknowledgement that names it."},
	{diff.RuleProductAdded, "Checks that no product with a scenario that sends data is added without an acknowledgement that names it."},
	{diff.RuleAcknowledgementUnreviewed, "Checks that every new acknowledgement of a change that gives less privacy rests on a review of its scenario recorded since the version checked against."},
	{diff.RuleExpiryRenewed, "Checks that no scenario or item is sent for longer than before (a later expiry date or product version, or no end) unless the scenario records a review since the version checked against."},
}

// breakingRuleHandler reports the unacknowledged changes that rule names.
// A catalog that the model refuses, on either side, fails the check: a
// baseline or change that cannot be read is not a pass.
func breakingRuleHandler(rule string) check.RuleHandler {
	return check.RuleHandlerFunc(func(ctx context.Context, w check.ResponseWriter, _ check.Request) error {
		st, err := stateOf(ctx)
		if err != nil {
			return err
		}
		if st.against == nil {
			return nil
		}
		if !st.current.ok() || !st.against.ok() {
			return st.refusal()
		}
		for _, c := range diff.Compare(st.against.catalog, st.current.catalog) {
			if c.Rule != rule || !c.Finding() {
				continue
			}
			file, path, ok := st.current.location(c.NewPos)
			if !ok {
				continue
			}
			opts := []check.AddAnnotationOption{at(file, path), withRule(rule, BreakingMessage(c))}
			if afile, apath, ok := st.against.location(c.OldPos); ok {
				opts = append(opts, againstAt(afile, apath))
			}
			w.AddAnnotation(opts...)
		}
		return nil
	})
}

// BreakingFindings returns the changes from old to new that the breaking
// rules report: those with a rule and no acknowledgement new in new.
// The registry runs the same rules in process with it.
func BreakingFindings(old, new *model.Catalog) []diff.Change {
	var out []diff.Change
	for _, c := range diff.Compare(old, new) {
		if c.Finding() {
			out = append(out, c)
		}
	}
	return out
}

// BreakingMessage words a finding of a breaking rule as buf prints it: the
// change, where it is, and the acknowledgement that would allow it. The
// registry and provision diff -fail-on-breaking print the same words.
func BreakingMessage(c diff.Change) string {
	return fmt.Sprintf("%s (%s); if this is intended, %s", c.Text, where(c), AckHint(c))
}

// AckHint is the acknowledgement that would allow the change c, and the
// option to write it in. A new scenario's or product's acknowledgement
// names what it adds, so the hint's reason starts with its ID.
func AckHint(c diff.Change) string {
	switch c.Rule {
	case diff.RuleScenarioAdded:
		return fmt.Sprintf("add acknowledged: {rule: %q reason: \"%s: …\"} to the scenario's (provision.v1.scenario) option; the reason must name the scenario %s", c.Rule, c.Scenario, c.Scenario)
	case diff.RuleProductAdded:
		return fmt.Sprintf("add acknowledged: {rule: %q reason: \"%s: …\"} to the product's (provision.v1.product) option; the reason must name the product %s", c.Rule, c.Product, c.Product)
	case diff.RuleExpiryRenewed:
		return renewalHint(c)
	case diff.RuleAcknowledgementUnreviewed:
		return unreviewedHint(c)
	}
	return fmt.Sprintf("add acknowledged: {rule: %q reason: \"…\"} to the %s", c.Rule, ackTarget(c))
}

func where(c diff.Change) string {
	switch {
	case c.Field != "":
		return fmt.Sprintf("scenario %q, field %s", c.Scenario, c.Field)
	case c.Scenario == "":
		return fmt.Sprintf("product %q", c.Product)
	}
	return fmt.Sprintf("scenario %q", c.Scenario)
}

func ackTarget(c diff.Change) string {
	switch {
	case c.Field != "":
		return "field's (provision.v1.field) option"
	case c.AckIn == diff.AckInPolicy:
		return "policy's (provision.v1.policy) option, which the scenario takes its storage from"
	case c.AckIn == diff.AckInProduct:
		return "product's (provision.v1.product) option"
	}
	return "scenario's (provision.v1.scenario) option"
}

// renewalHint is the review that would allow a renewal: an acknowledgement
// does not, since sending data for longer is what a reviewer has to
// check again.
func renewalHint(c diff.Change) string {
	return fmt.Sprintf("add a review of the renewal to the scenario's (provision.v1.scenario) option: %s; an acknowledgement does not allow it", reviewToAdd(c, "expiry renewed to "+c.New))
}

// unreviewedHint is the review an acknowledgement needs: the
// acknowledgement says why the change is right, the review who checked
// it and when.
func unreviewedHint(c diff.Change) string {
	where := "the scenario's (provision.v1.scenario) option"
	if c.Scenario == "" {
		where = "the (provision.v1.scenario) option of one of the product's scenarios"
	}
	return fmt.Sprintf("add a review of the change acknowledged (%s) to %s: %s", c.New, where, reviewToAdd(c, c.New))
}

// reviewToAdd is a review entry to fill in, and the date it may have.
func reviewToAdd(c diff.Change, scope string) string {
	when := "dated no later than today"
	if c.ReviewFrom != "" {
		when = fmt.Sprintf("a new entry dated on or after %s, the newest review of the version checked against, with a reference and date of its own", c.ReviewFrom)
	}
	return fmt.Sprintf("reviews: {reference: \"…\" date: \"YYYY-MM-DD\" reviewer: \"…\" scope: \"%s: …\"}, %s", scope, when)
}
