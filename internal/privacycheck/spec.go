// Package privacycheck is the buf check plugin of the catalog: privacy
// rules for buf lint and buf breaking. The lint rules are the model's own
// checks (internal/model), one rule per model rule with the same ID, plus
// company-policy rules over the checked model: identifiers not sent as they
// are, web addresses sanitised, IP addresses truncated. The breaking rules
// read the change list of internal/diff between the files and the files
// checked against: a field added to an existing scenario, a field moved to
// a weaker agreement, a redaction made weaker, identifiability raised, a
// storage country added, a scenario moved to a weaker agreement, a new
// scenario that sends data, a new product. Each is a finding unless the
// new version acknowledges it with an (provision.v1.*) acknowledged entry
// naming the rule (and, for a new scenario or product, its ID), and that
// acknowledgement rests on a review of its scenario since the files
// checked against (ACKNOWLEDGEMENT_UNREVIEWED otherwise). A scenario or
// item sent for longer (EXPIRY_RENEWED) is allowed by such a review only.
package privacycheck

import (
	"buf.build/go/bufplugin/check"
)

// Category IDs: every lint rule is in CategoryLint, every breaking rule in
// CategoryBreaking; buf.yaml names them in lint.use and breaking.use.
const (
	CategoryLint     = "PROVISION_LINT"
	CategoryBreaking = "PROVISION_BREAKING"
)

// Spec returns the plugin's specification: every rule and category.
func Spec() *check.Spec {
	var rules []*check.RuleSpec
	for _, r := range modelRules {
		rules = append(rules, &check.RuleSpec{
			ID: string(r.rule), CategoryIDs: []string{CategoryLint}, Default: true,
			Purpose: r.purpose, Type: check.RuleTypeLint, Handler: modelRuleHandler(r.rule),
		})
	}
	for _, r := range policyRules {
		rules = append(rules, &check.RuleSpec{
			ID: r.id, CategoryIDs: []string{CategoryLint}, Default: true,
			Purpose: r.purpose, Type: check.RuleTypeLint, Handler: policyRuleHandler(r),
		})
	}
	rules = append(rules, lifecycleRuleSpecs()...)
	for _, r := range breakingRules {
		rules = append(rules, &check.RuleSpec{
			ID: r.id, CategoryIDs: []string{CategoryBreaking}, Default: true,
			Purpose: r.purpose, Type: check.RuleTypeBreaking, Handler: breakingRuleHandler(r.id),
		})
	}
	return &check.Spec{
		Rules: rules,
		Categories: []*check.CategorySpec{
			{ID: CategoryLint, Purpose: "Checks that the catalog's data-provision annotations are complete, valid and follow the company policy."},
			{ID: CategoryBreaking, Purpose: "Checks that no change gives less privacy to the people whose data is sent unless it is acknowledged."},
		},
		Before: before,
	}
}
