package impl

import (
	"fmt"

	"google.golang.org/protobuf/proto"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

// EffectiveRedaction returns the redaction a data item gets under consent
// c, and whether the item may be sent at all. The item may be sent when c
// grants the agreement it requires and the strategy that applies is not
// drop; that strategy is the one of the first RedactionUnder entry whose
// agreement c grants, or else the item's own. A nil or incomplete item is
// never sent.
//
// EffectiveRedaction judges the item alone; an item nested in a message
// item is sent only when every enclosing item is too. This is the one
// definition of "what is sent" that generated code, the reflection engine,
// the JSON Schema variants, the pages and the diff share.
func EffectiveRedaction(item *provisionv1.DataItem, c Consent) (*provisionv1.Redaction, bool) {
	if item == nil || !c.Grants(item.GetRequires()) {
		return nil, false
	}
	r := item.GetRedaction()
	for _, u := range item.GetRedactionUnder() {
		if c.Grants(u.GetWhen()) {
			r = u.GetRedaction()
			break
		}
	}
	if r.GetStrategy() == nil || r.GetDrop() != nil {
		return nil, false
	}
	return r, true
}

// FieldPolicy is a data item's annotation compiled for use under one
// product's agreements: the agreement it requires, its strategy and the
// overrides under stronger agreements, as declaration positions.
// Generated code and the reflection engine both select strategies through
// it. A FieldPolicy is immutable and safe for concurrent use.
type FieldPolicy struct {
	// item is a private copy of the annotation: changing the descriptor's
	// options afterwards does not change the policy.
	item *provisionv1.DataItem
	// requiresID and anonymous are read from item once; debugRedact from
	// the field's own options (debug_redact).
	requiresID  string
	anonymous   bool
	debugRedact bool
	of          *Agreements
	// requires and when are declaration positions in of; -1 is never
	// granted (NONE, or compiled without agreements).
	requires int
	when     []int
	def      *Strategy
	under    []*Strategy
	// expiresAt is when the item stops being sent, in Unix seconds; 0 for
	// never. expires is its day as written.
	expiresAt int64
	expires   string
}

// newFieldPolicy compiles a data item's annotation under agreements a. A
// nil item, one without an agreement or a strategy, an agreement a does
// not declare, or parameters out of range give an error: the item is then
// never sent.
func newFieldPolicy(item *provisionv1.DataItem, a *Agreements, opts ...NoiseOption) (*FieldPolicy, error) {
	if item == nil {
		return nil, fmt.Errorf("field has no (provision.v1.field) annotation: %w", ErrUnannotated)
	}
	if item.GetRequires() == "" {
		return nil, fmt.Errorf("field names no agreement: %w", ErrUnannotated)
	}
	requires, err := agreementIndex(a, item.GetRequires())
	if err != nil {
		return nil, err
	}
	def, err := NewStrategy(item.GetRedaction(), opts...)
	if err != nil {
		return nil, err
	}
	item = proto.CloneOf(item)
	p := &FieldPolicy{
		item:       item,
		requiresID: item.GetRequires(),
		anonymous:  item.GetIdentifiability() == provisionv1.Identifiability_IDENTIFIABILITY_ANONYMOUS,
		of:         a,
		requires:   requires,
		def:        def,
	}
	p.expiresAt, p.expires = expiryOf(item.GetExpires())
	for i, u := range item.GetRedactionUnder() {
		w, err := agreementIndex(a, u.GetWhen())
		if err != nil {
			return nil, fmt.Errorf("redaction_under[%d]: %w", i, err)
		}
		s, err := NewStrategy(u.GetRedaction(), opts...)
		if err != nil {
			return nil, fmt.Errorf("redaction_under[%d]: %w", i, err)
		}
		p.when = append(p.when, w)
		p.under = append(p.under, s)
	}
	return p, nil
}

// agreementIndex returns the declaration position of agreement id in a,
// -1 for one that is never granted (NONE, or no agreements to compile
// against), and an error for one a does not declare.
func agreementIndex(a *Agreements, id string) (int, error) {
	if a == nil || id == AgreementNone {
		return -1, nil
	}
	i, ok := a.Index(id)
	if !ok {
		return -1, fmt.Errorf("agreement %q is not declared by %s: %w", id, a.Package(), ErrInvalidAgreement)
	}
	return i, nil
}

// Item returns a copy of the annotation the policy was compiled from; nil
// for a nil policy.
func (p *FieldPolicy) Item() *provisionv1.DataItem {
	if p == nil || p.item == nil {
		return nil
	}
	return proto.CloneOf(p.item)
}

// Requires returns the ID of the agreement the item requires; "" for a
// nil policy.
func (p *FieldPolicy) Requires() string {
	if p == nil {
		return ""
	}
	return p.requiresID
}

// Select returns the strategy that applies under consent c, and whether
// the item may be sent at all: the compiled form of EffectiveRedaction,
// and an item that has expired (Expired) is not sent either. Select does
// not allocate.
func (p *FieldPolicy) Select(c Consent) (*Strategy, bool) {
	if p == nil || p.def == nil || p.requires < 0 || !Granted(c, p.of, p.requires) || p.Expired() {
		return nil, false
	}
	return p.selectGranted(c)
}

// SelectAt is Select with the time read once by the caller, in Unix
// seconds (NowUnix): generated code and the reflection engine read it once
// per message rather than once per field.
func (p *FieldPolicy) SelectAt(c Consent, now int64) (*Strategy, bool) {
	if p == nil || p.def == nil || p.requires < 0 || !Granted(c, p.of, p.requires) || p.ExpiredAt(now) {
		return nil, false
	}
	return p.selectGranted(c)
}

// selectGranted is the strategy of an item that may be sent under c.
func (p *FieldPolicy) selectGranted(c Consent) (*Strategy, bool) {
	s := p.def
	for i, w := range p.when {
		if w >= 0 && Granted(c, p.of, w) {
			s = p.under[i]
			break
		}
	}
	if s.kind == StrategyDrop {
		return nil, false
	}
	return s, true
}

// Anonymous reports whether the item is classified anonymous.
func (p *FieldPolicy) Anonymous() bool {
	return p != nil && p.anonymous
}

// Printable reports whether safe logging and formatting show the item in
// clear: it is classified anonymous and its field does not set protobuf's
// debug_redact option, which asks every printer to hide it.
func (p *FieldPolicy) Printable() bool {
	return p != nil && p.anonymous && !p.debugRedact
}
