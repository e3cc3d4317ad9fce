package privacycheck

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"buf.build/go/bufplugin/check"
	"buf.build/go/bufplugin/option"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/model"
)

// The IDs of the lifecycle rules: what a scenario must state (an expiry,
// owners, reviews) and what must not be sent any more. Each can be
// switched off on its own with buf.yaml's lint.except.
const (
	RuleExpiryMissing  = "EXPIRY_MISSING"
	RuleOwnersMissing  = "OWNERS_MISSING"
	RuleReviewsMissing = "REVIEWS_MISSING"
	RuleExpired        = "EXPIRED"
	RuleExpiringSoon   = "EXPIRING_SOON"
)

// OptionExpiringWithin is the plugin option that sets how far ahead
// EXPIRING_SOON looks, in days ("90d"); DefaultExpiringWithin when unset,
// "0d" to look no further than today.
//
//	options:
//	  expiring_within: "90d"
const OptionExpiringWithin = "expiring_within"

// OptionToday is the plugin option that sets the day EXPIRED and
// EXPIRING_SOON check against (YYYY-MM-DD), instead of the system clock's
// day: tests set it to be deterministic, and a release can be checked as
// of its date.
const OptionToday = "today"

// DefaultExpiringWithin is how far ahead EXPIRING_SOON looks by default.
const DefaultExpiringWithin = 60 * 24 * time.Hour

// clock is the system clock the lifecycle rules read when OptionToday is
// not set.
var clock = time.Now

// lifecycleModelRules are the model's lifecycle checks offered as lint
// rules.
var lifecycleModelRules = []modelRule{
	{model.RuleLifecycleInvalid, "Checks that every expiry is a day or a product version, every owner can be reached, every review is dated no later than today and every rename is continued by a field of its message."},
	{model.RuleLifecyclePlaceholder, "Checks that no owner, review, deprecation reason or third party is a placeholder such as TODO, TBD or n/a."},
	{model.RuleExpiryNever, "Checks that an item or scenario that never expires acknowledges EXPIRY_NEVER with the reason why."},
	{model.RuleExpiryTooFar, "Checks that no expiry lies more than two years ahead unless it acknowledges EXPIRY_TOO_FAR with the reason why."},
}

// lifecycleRule is a check of one scenario's lifecycle.
type lifecycleRule struct {
	id      string
	purpose string
	// check returns the findings of s: each names the item (its field, or
	// nil for the scenario) and why.
	check func(s *model.Scenario, o lifecycleOptions) []lifecycleFinding
}

type lifecycleFinding struct {
	field *model.Field
	why   string
}

// lifecycleOptions are the options of the lifecycle rules.
type lifecycleOptions struct {
	today  time.Time
	within time.Duration
}

var lifecycleRules = []lifecycleRule{
	{RuleExpiryMissing, "Checks that every scenario states when it expires.", expiryMissing},
	{RuleOwnersMissing, "Checks that every scenario names at least one owner.", ownersMissing},
	{RuleReviewsMissing, "Checks that every scenario records at least one review.", reviewsMissing},
	{RuleExpired, "Checks that no scenario or item has expired: by date on or before today, or by a product version the product has reached.", expired},
	{RuleExpiringSoon, "Warns of scenarios and items that expire within the window of the plugin option " + OptionExpiringWithin + " (60 days by default), before EXPIRED fails.", expiringSoon},
}

// lifecycleRuleSpecs are the rule specs of the lifecycle rules.
func lifecycleRuleSpecs() []*check.RuleSpec {
	var out []*check.RuleSpec
	for _, r := range lifecycleModelRules {
		out = append(out, &check.RuleSpec{
			ID: string(r.rule), CategoryIDs: []string{CategoryLint}, Default: true,
			Purpose: r.purpose, Type: check.RuleTypeLint, Handler: modelRuleHandler(r.rule),
		})
	}
	for _, r := range lifecycleRules {
		out = append(out, &check.RuleSpec{
			ID: r.id, CategoryIDs: []string{CategoryLint}, Default: true,
			Purpose: r.purpose, Type: check.RuleTypeLint, Handler: lifecycleRuleHandler(r),
		})
	}
	return out
}

// readLifecycleOptions reads OptionToday and OptionExpiringWithin.
func readLifecycleOptions(opts option.Options) (lifecycleOptions, error) {
	o := lifecycleOptions{today: model.Day(clock()), within: DefaultExpiringWithin}
	today, err := option.GetStringValue(opts, OptionToday)
	if err != nil {
		return o, fmt.Errorf("buf-plugin-provision: option %s: want a day, YYYY-MM-DD: %w", OptionToday, err)
	}
	if today != "" {
		if o.today, err = time.Parse(model.DateLayout, today); err != nil {
			return o, fmt.Errorf("buf-plugin-provision: option %s: want a day, YYYY-MM-DD: %w", OptionToday, err)
		}
	}
	within, err := option.GetStringValue(opts, OptionExpiringWithin)
	if err != nil {
		return o, fmt.Errorf("buf-plugin-provision: option %s: want a number of days such as \"60d\": %w", OptionExpiringWithin, err)
	}
	if within != "" {
		if o.within, err = ParseDays(within); err != nil {
			return o, fmt.Errorf("buf-plugin-provision: option %s: %w", OptionExpiringWithin, err)
		}
	}
	return o, nil
}

// ParseDays reads a number of days written "90d" (or "90"), at most ten
// years' worth.
func ParseDays(s string) (time.Duration, error) {
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(s), "d"))
	if err != nil || n < 0 || n > 3660 {
		return 0, fmt.Errorf("%q is not a number of days from 0d to 3660d", s)
	}
	return time.Duration(n) * 24 * time.Hour, nil
}

// lifecycleRuleHandler reports the findings of r on every scenario of a
// catalog the model accepts.
func lifecycleRuleHandler(r lifecycleRule) check.RuleHandler {
	return check.RuleHandlerFunc(func(ctx context.Context, w check.ResponseWriter, req check.Request) error {
		cur, err := currentOf(ctx)
		if cur == nil || err != nil {
			return err
		}
		if _, err := readOptions(req.Options()); err != nil {
			return err
		}
		opts, err := readLifecycleOptions(req.Options())
		if err != nil {
			return err
		}
		for _, s := range cur.catalog.Scenarios() {
			for _, f := range r.check(s, opts) {
				what, pos := fmt.Sprintf("scenario %q", s.ID), s.Pos
				if f.field != nil {
					what, pos = fmt.Sprintf("field %s of scenario %q", f.field.Path, s.ID), f.field.Pos
				}
				if file, path, ok := cur.location(pos); ok {
					w.AddAnnotation(at(file, path), withRule(r.id, what+" "+f.why))
				}
			}
		}
		return nil
	})
}

func expiryMissing(s *model.Scenario, _ lifecycleOptions) []lifecycleFinding {
	if s.Expires() != nil {
		return nil
	}
	return []lifecycleFinding{{why: "states no expiry: give expires {date: \"YYYY-MM-DD\"} (at most two years ahead) or a product version, with its basis"}}
}

func ownersMissing(s *model.Scenario, _ lifecycleOptions) []lifecycleFinding {
	if len(s.Owners()) > 0 {
		return nil
	}
	return []lifecycleFinding{{why: "names no owner: give owners {name: \"…\" email: \"…\"} of who answers for it"}}
}

func reviewsMissing(s *model.Scenario, _ lifecycleOptions) []lifecycleFinding {
	if len(s.Reviews()) > 0 {
		return nil
	}
	return []lifecycleFinding{{why: "records no review: once it has been reviewed, give reviews {reference: \"…\" date: \"YYYY-MM-DD\" reviewer: \"…\"}"}}
}

// expiries calls fn with the expiry of the scenario and of each item that
// states its own.
func expiries(s *model.Scenario, fn func(f *model.Field, e *provisionv1.Expiry) []lifecycleFinding) []lifecycleFinding {
	var out []lifecycleFinding
	if e := s.Expires(); e != nil {
		out = append(out, fn(nil, e)...)
	}
	s.Walk(func(f *model.Field) bool {
		if f.OwnExpiry() {
			out = append(out, fn(f, f.Item.GetExpires())...)
		}
		return true
	})
	return out
}

func expired(s *model.Scenario, o lifecycleOptions) []lifecycleFinding {
	version := s.Product.Options.GetVersion()
	return expiries(s, func(f *model.Field, e *provisionv1.Expiry) []lifecycleFinding {
		if !model.Expired(e, o.today, version) {
			return nil
		}
		if e.GetProductVersion() != "" {
			return []lifecycleFinding{{f, fmt.Sprintf("expired with product version %s (the product is at %s): it is no longer sent; remove it, or review it and renew its expiry", e.GetProductVersion(), version)}}
		}
		return []lifecycleFinding{{f, fmt.Sprintf("expired on %s (today is %s): it is no longer sent; remove it, or review it and renew its expiry", e.GetDate(), o.today.Format(model.DateLayout))}}
	})
}

func expiringSoon(s *model.Scenario, o lifecycleOptions) []lifecycleFinding {
	horizon := o.today.Add(o.within)
	return expiries(s, func(f *model.Field, e *provisionv1.Expiry) []lifecycleFinding {
		d, ok := model.ExpiryDate(e)
		if !ok || model.Expired(e, o.today, "") || d.After(horizon) {
			return nil
		}
		days := int(d.Sub(o.today).Hours() / 24)
		return []lifecycleFinding{{f, fmt.Sprintf("expires on %s, in %d days: review it and renew its expiry, or remove it", e.GetDate(), days)}}
	})
}
