package model

import (
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/reflect/protoreflect"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

// The rules of the lifecycle annotations (Expiry, Contact, Review,
// Deprecation, Flags). What is missing (no expiry, no owner, no review) and
// what has expired are lint rules of buf-plugin-provision, so that a
// catalog can switch them off one by one; what is stated wrongly is the
// model's, since generators must not read it.
const (
	// RuleLifecycleInvalid: an expiry, an owner, a review, a deprecation or
	// flags that cannot be read as stated: a date that is no day, a contact
	// that cannot be reached, a review dated after the build, a rename
	// continued by a field the message does not have.
	RuleLifecycleInvalid Rule = "LIFECYCLE_INVALID"
	// RuleLifecyclePlaceholder: an owner, a review, a deprecation reason or
	// a third party that is a placeholder ("TODO", "TBD", "n/a", "<name>")
	// rather than what really is.
	RuleLifecyclePlaceholder Rule = "LIFECYCLE_PLACEHOLDER"
	// RuleExpiryNever: an item or scenario that never expires and does not
	// acknowledge EXPIRY_NEVER with the reason why.
	RuleExpiryNever Rule = "EXPIRY_NEVER"
	// RuleExpiryTooFar: an expiry more than MaxExpiryAhead after the day of
	// the build, not acknowledged with EXPIRY_TOO_FAR.
	RuleExpiryTooFar Rule = "EXPIRY_TOO_FAR"
)

// MaxExpiryAhead is how far ahead, in years, an expiry date may lie
// without an acknowledgement of EXPIRY_TOO_FAR.
const MaxExpiryAhead = 2

// DateLayout is the layout of the vocabulary's dates (YYYY-MM-DD).
const DateLayout = time.DateOnly

// WithClock makes Build read the day from now instead of the system clock
// (EXPIRY_TOO_FAR, a review dated in the future), so that tests are
// deterministic.
func WithClock(now func() time.Time) Option { return func(b *builder) { b.now = now } }

// today is the build's day, UTC midnight.
func (b *builder) today() time.Time {
	now := time.Now
	if b.now != nil {
		now = b.now
	}
	return Day(now())
}

// Day returns t's day, UTC midnight.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Expires returns the scenario's expiry; nil when it states none (the
// lint's EXPIRY_MISSING).
func (s *Scenario) Expires() *provisionv1.Expiry { return s.Options.GetExpires() }

// Owners returns who answers for the scenario.
func (s *Scenario) Owners() []*provisionv1.Contact { return s.Options.GetOwners() }

// Reviews returns the scenario's reviews, as written (oldest first).
func (s *Scenario) Reviews() []*provisionv1.Review { return s.Options.GetReviews() }

// Flags returns the scenario's flags; nil when it states none.
func (s *Scenario) Flags() *provisionv1.Flags { return s.Options.GetFlags() }

// Expires returns the item's expiry: its own, else its enclosing item's,
// else its scenario's. OwnExpiry says whether the item states it.
func (f *Field) Expires() *provisionv1.Expiry {
	for g := f; g != nil; g = g.Parent {
		if e := g.Item.GetExpires(); e != nil {
			return e
		}
	}
	return f.Scenario.Expires()
}

// OwnExpiry reports whether the item states its own expiry.
func (f *Field) OwnExpiry() bool { return f.Item.GetExpires() != nil }

// Flags returns the item's flags: its own, else its enclosing item's,
// else its scenario's.
func (f *Field) Flags() *provisionv1.Flags {
	for g := f; g != nil; g = g.Parent {
		if fl := g.Item.GetFlags(); fl != nil {
			return fl
		}
	}
	return f.Scenario.Flags()
}

// LinkedToIdentity reports whether the item is linked to a person's or a
// customer's identity: every item that is not anonymous is (GDPR Art.
// 4(1), 4(5)). It is derived from the identifiability, never stated.
func (f *Field) LinkedToIdentity() bool {
	return f.Identifiability() != provisionv1.Identifiability_IDENTIFIABILITY_ANONYMOUS
}

// Deprecated returns the item's deprecation; nil when it is not
// deprecated.
func (f *Field) Deprecated() *provisionv1.Deprecation { return f.Item.GetDeprecated() }

// ExpiryDate returns the day an expiry by date takes effect; ok is false
// for an expiry by product version, never, or a date that is no day.
func ExpiryDate(e *provisionv1.Expiry) (day time.Time, ok bool) {
	if e.GetDate() == "" {
		return time.Time{}, false
	}
	d, err := time.Parse(DateLayout, e.GetDate())
	return d, err == nil
}

// Expired reports whether e has taken effect on day today (a date on or
// before it) or with product version version (a version at or past the
// expiry's; an empty version never is).
func Expired(e *provisionv1.Expiry, today time.Time, version string) bool {
	if d, ok := ExpiryDate(e); ok {
		return !Day(today).Before(d)
	}
	if v := e.GetProductVersion(); v != "" && version != "" {
		return CompareVersions(version, v) >= 0
	}
	return false
}

// CompareVersions compares two dot-separated versions numerically
// component by component ("6.10" > "6.9"); a missing component counts as
// 0 and a component that is not a number as 0.
func CompareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := range max(len(as), len(bs)) {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

// ExpiryText is an expiry in words, as the pages and the data map print
// it: the date, "product version 12.0" or "never".
func ExpiryText(e *provisionv1.Expiry) string {
	switch {
	case e == nil:
		return ""
	case e.GetDate() != "":
		return e.GetDate()
	case e.GetProductVersion() != "":
		return "product version " + e.GetProductVersion()
	default:
		return "never"
	}
}

// FlagsText is a scenario's or item's flags in words, for the data map's
// provenance.
func FlagsText(fl *provisionv1.Flags) string {
	if fl == nil {
		return ""
	}
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	shared := "none"
	if len(fl.GetSharedWith()) > 0 {
		shared = strings.Join(fl.GetSharedWith(), ", ")
	}
	return fmt.Sprintf("used for tracking: %s; shared with third parties: %s; ephemeral: %s", yes(fl.GetUsedForTracking()), shared, yes(fl.GetEphemeral()))
}

// placeholderWord finds a word that marks a value as not filled in.
var placeholderWord = regexp.MustCompile(`(?i)(^|[^a-z0-9])(todo|tbd|tba|tbc|fixme|xxx+|placeholder|changeme|lorem)([^a-z0-9]|$)`)

// placeholderValues are whole values that say nothing.
var placeholderValues = []string{"", "-", "--", "?", "??", "...", "…", "n/a", "na", "none", "nobody", "unknown", "someone", "somebody", "null", "nil"}

// Placeholder reports whether s is a placeholder rather than a value:
// empty, "TODO", "TBD", "FIXME", "n/a", "unknown", a bracketed
// "<name>" or "{reviewer}", or any text with such a word in it.
func Placeholder(s string) bool {
	t := strings.ToLower(strings.TrimSpace(s))
	if slices.Contains(placeholderValues, t) || placeholderWord.MatchString(t) {
		return true
	}
	return len(t) >= 2 && (t[0] == '<' && t[len(t)-1] == '>' || t[0] == '{' && t[len(t)-1] == '}' || t[0] == '[' && t[len(t)-1] == ']')
}

// Scenario and DataItem field numbers of the lifecycle, for positions.
const (
	scenarioExpires = 21
	scenarioOwners  = 22
	scenarioReviews = 23
	scenarioFlags   = 24
	itemExpires     = 10
	itemDeprecated  = 11
	itemFlags       = 12
)

// lifecycle checks the lifecycle annotations of every scenario and item.
func (b *builder) lifecycle() {
	today := b.today()
	for _, s := range b.scenarioIDs {
		what := fmt.Sprintf("scenario %q", s.ID)
		at := func(n int32) Position { return position(s.Message, pathMessageOptions, extScenario, n) }
		b.checkExpiry(at(scenarioExpires), what, s.Options.GetExpires(), s.Options.GetAcknowledged(), today)
		for i, c := range s.Options.GetOwners() {
			b.checkContact(at(scenarioOwners), fmt.Sprintf("%s owners[%d]", what, i), c)
		}
		for i, r := range s.Options.GetReviews() {
			b.checkReview(at(scenarioReviews), fmt.Sprintf("%s reviews[%d]", what, i), r, today)
		}
		b.checkFlags(at(scenarioFlags), what, s.Options.GetFlags())
		s.Walk(func(f *Field) bool {
			what := fmt.Sprintf("field %s of scenario %q", f.Path, s.ID)
			at := func(n int32) Position { return position(f.Desc, pathFieldOptions, extField, n) }
			b.checkExpiry(at(itemExpires), what, f.Item.GetExpires(), f.Item.GetAcknowledged(), today)
			b.checkOutlives(at(itemExpires), what, f)
			b.checkDeprecation(at(itemDeprecated), what, f)
			b.checkFlags(at(itemFlags), what, f.Item.GetFlags())
			return true
		})
	}
}

func acknowledges(acks []*provisionv1.Acknowledgement, rule Rule) bool {
	return slices.ContainsFunc(acks, func(a *provisionv1.Acknowledgement) bool {
		return a.GetRule() == string(rule) && !Placeholder(a.GetReason())
	})
}

func (b *builder) checkExpiry(pos Position, what string, e *provisionv1.Expiry, acks []*provisionv1.Acknowledgement, today time.Time) {
	switch {
	case e == nil:
		return
	case e.GetNever():
		if !acknowledges(acks, RuleExpiryNever) {
			b.report(pos, RuleExpiryNever, "%s never expires: acknowledge %s with the reason why, or give a date or a product version", what, RuleExpiryNever)
		}
	case e.GetDate() != "":
		d, ok := ExpiryDate(e)
		if !ok {
			b.report(pos, RuleLifecycleInvalid, "%s expires on %q, which is no day (want YYYY-MM-DD)", what, e.GetDate())
			return
		}
		if limit := today.AddDate(MaxExpiryAhead, 0, 0); d.After(limit) && !acknowledges(acks, RuleExpiryTooFar) {
			b.report(pos, RuleExpiryTooFar, "%s expires on %s, more than %d years ahead (after %s): choose an earlier date or acknowledge %s with the reason why", what, e.GetDate(), MaxExpiryAhead, limit.Format(DateLayout), RuleExpiryTooFar)
		}
	}
}

// checkOutlives reports an item whose own expiry date is after the one
// it would otherwise take (its enclosing item's or its scenario's): an
// item never outlives what holds it.
func (b *builder) checkOutlives(pos Position, what string, f *Field) {
	own, ok := ExpiryDate(f.Item.GetExpires())
	if !ok {
		return
	}
	var outer *provisionv1.Expiry
	if f.Parent != nil {
		outer = f.Parent.Expires()
	} else {
		outer = f.Scenario.Expires()
	}
	if limit, ok := ExpiryDate(outer); ok && own.After(limit) {
		b.report(pos, RuleLifecycleInvalid, "%s expires on %s, after what holds it (%s): an item never outlives its scenario or enclosing item", what, f.Item.GetExpires().GetDate(), outer.GetDate())
	}
}

func (b *builder) checkContact(pos Position, what string, c *provisionv1.Contact) {
	for i, v := range []string{c.GetName(), c.GetEmail(), c.GetUrl()} {
		if (i == 0 || v != "") && Placeholder(v) {
			b.report(pos, RuleLifecyclePlaceholder, "%s is a placeholder (%+q): name who really answers for the scenario", what, v)
			return
		}
	}
	if c.GetEmail() == "" && c.GetUrl() == "" {
		b.report(pos, RuleLifecycleInvalid, "%s %q gives no way to reach it: give an email or a url", what, c.GetName())
	}
	if e := c.GetEmail(); e != "" {
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e {
			b.report(pos, RuleLifecycleInvalid, "%s: email %+q is not an address", what, e)
		}
	}
	if u := c.GetUrl(); u != "" {
		if p, err := url.Parse(u); err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
			b.report(pos, RuleLifecycleInvalid, "%s: url %+q is not an http(s) address", what, u)
		}
	}
	b.checkTexts(pos, what, []string{c.GetName()})
}

func (b *builder) checkReview(pos Position, what string, r *provisionv1.Review, today time.Time) {
	for _, v := range []string{r.GetReference(), r.GetReviewer(), r.GetDate()} {
		if Placeholder(v) {
			b.report(pos, RuleLifecyclePlaceholder, "%s is a placeholder (%+q): record only a review that happened, with what it checked against, its date and its reviewer", what, v)
			return
		}
	}
	if r.GetScope() != "" && Placeholder(r.GetScope()) {
		b.report(pos, RuleLifecyclePlaceholder, "%s: scope %+q is a placeholder", what, r.GetScope())
	}
	d, err := time.Parse(DateLayout, r.GetDate())
	switch {
	case err != nil:
		b.report(pos, RuleLifecycleInvalid, "%s is dated %q, which is no day (want YYYY-MM-DD)", what, r.GetDate())
	case d.After(today):
		b.report(pos, RuleLifecycleInvalid, "%s is dated %s, after today (%s): record a review once it has happened", what, r.GetDate(), today.Format(DateLayout))
	}
	b.checkTexts(pos, what, []string{r.GetReference(), r.GetReviewer(), r.GetScope()})
}

func (b *builder) checkDeprecation(pos Position, what string, f *Field) {
	d := f.Item.GetDeprecated()
	if d == nil {
		return
	}
	if Placeholder(d.GetReason()) {
		b.report(pos, RuleLifecyclePlaceholder, "%s: deprecation reason %+q is a placeholder: say why the item is phased out", what, d.GetReason())
	}
	if d.ContinuedBy != nil {
		n := protoreflect.FieldNumber(d.GetContinuedBy())
		switch next := f.Desc.ContainingMessage().Fields().ByNumber(n); {
		case n == f.Desc.Number():
			b.report(pos, RuleLifecycleInvalid, "%s: continued_by %d is the field's own number", what, n)
		case next == nil:
			b.report(pos, RuleLifecycleInvalid, "%s: continued_by %d names no field of message %s", what, n, f.Desc.ContainingMessage().FullName())
		}
	}
	b.checkTexts(pos, what, []string{d.GetReason()})
}

func (b *builder) checkFlags(pos Position, what string, fl *provisionv1.Flags) {
	for _, w := range fl.GetSharedWith() {
		if Placeholder(w) {
			b.report(pos, RuleLifecyclePlaceholder, "%s: flags shared_with %+q is a placeholder: name the third party", what, w)
		}
	}
	b.checkTexts(pos, what, fl.GetSharedWith())
}

// lifecycleClaims are the lifecycle statements of a scenario and its
// items that need a provenance: expiries and flags.
func (s *Scenario) lifecycleClaims() []Claim {
	o := s.Options
	out := claim(o.GetExpires() != nil, "expires", ExpiryText(o.GetExpires()), o.GetExpires().GetBasis())
	out = append(out, claim(o.GetFlags() != nil, "flags", FlagsText(o.GetFlags()), o.GetFlags().GetBasis())...)
	s.Walk(func(f *Field) bool {
		e, fl := f.Item.GetExpires(), f.Item.GetFlags()
		out = append(out, claim(e != nil, "field "+f.Path+" expires", ExpiryText(e), e.GetBasis())...)
		out = append(out, claim(fl != nil, "field "+f.Path+" flags", FlagsText(fl), fl.GetBasis())...)
		return true
	})
	return out
}

// Due is a scenario, or an item with an expiry of its own, whose expiry
// has come or comes within a window.
type Due struct {
	Scenario *Scenario
	// Field is the item; nil for the scenario itself.
	Field   *Field
	Expires *provisionv1.Expiry
	// Days is how many days from today the expiry date is (0 or less when
	// it has come); 0 for an expiry by product version.
	Days int
	// Expired says the expiry has come: by date, or by the product's
	// version.
	Expired bool
}

// Due lists, in catalog order, every scenario and every item with an
// expiry of its own that has expired on day today or expires by date
// within the window after it.
func (c *Catalog) Due(today time.Time, within time.Duration) []Due {
	today = Day(today)
	horizon := today.Add(within)
	var out []Due
	add := func(s *Scenario, f *Field, e *provisionv1.Expiry) {
		if e == nil {
			return
		}
		d := Due{Scenario: s, Field: f, Expires: e, Expired: Expired(e, today, s.Product.Options.GetVersion())}
		day, ok := ExpiryDate(e)
		if ok {
			d.Days = int(day.Sub(today).Hours() / 24)
		}
		if d.Expired || ok && !day.After(horizon) {
			out = append(out, d)
		}
	}
	for _, s := range c.Scenarios() {
		add(s, nil, s.Expires())
		s.Walk(func(f *Field) bool {
			add(s, f, f.Item.GetExpires())
			return true
		})
	}
	return out
}

// ExpiresPos returns where the scenario's expiry is written, or where
// its option is when it states none.
func (s *Scenario) ExpiresPos() Position {
	return position(s.Message, pathMessageOptions, extScenario, scenarioExpires)
}

// ExpiresPos returns where the item's own expiry is written, or where its
// option is when it states none.
func (f *Field) ExpiresPos() Position {
	return position(f.Desc, pathFieldOptions, extField, itemExpires)
}

// Field numbers of the acknowledged lists, for positions.
const (
	itemAcknowledged     = 9
	scenarioAcknowledged = 14
	productAcknowledged  = 18
	policyAcknowledged   = 17
)

// AcknowledgementPos returns where the scenario's acknowledgement i is
// written, or the nearest enclosing place the source records.
func (s *Scenario) AcknowledgementPos(i int) Position {
	return elementPosition(s.Message, int32(i), pathMessageOptions, extScenario, scenarioAcknowledged)
}

// AcknowledgementPos returns where the item's acknowledgement i is
// written, or the nearest enclosing place the source records.
func (f *Field) AcknowledgementPos(i int) Position {
	return elementPosition(f.Desc, int32(i), pathFieldOptions, extField, itemAcknowledged)
}

// AcknowledgementPos returns where the product's acknowledgement i is
// written, or the nearest enclosing place the source records.
func (p *Product) AcknowledgementPos(i int) Position {
	if p.file == nil {
		return p.Pos
	}
	return elementPosition(p.file, int32(i), pathFileOptions, extProduct, productAcknowledged)
}

// AcknowledgementPos returns where the policy's acknowledgement i is
// written, or the nearest enclosing place the source records.
func (p *Policy) AcknowledgementPos(i int) Position {
	if p.file == nil {
		return p.Pos
	}
	return elementPosition(p.file, int32(i), pathFileOptions, extPolicy, policyAcknowledged)
}
