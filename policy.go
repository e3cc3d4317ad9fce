package provision

import (
	"fmt"

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

// FieldPolicy is a data item's annotation compiled for use: the agreement
// it requires, its strategy and the overrides under stronger agreements.
// Generated code and the reflection engine both select strategies through
// it. A FieldPolicy is immutable and safe for concurrent use.
type FieldPolicy struct {
	item  *provisionv1.DataItem
	def   *Strategy
	under []*Strategy
}

// NewFieldPolicy compiles a data item's annotation. A nil item, one without
// an agreement or a strategy, or parameters out of range give an error: the
// item is then never sent.
func NewFieldPolicy(item *provisionv1.DataItem, opts ...NoiseOption) (*FieldPolicy, error) {
	if item == nil {
		return nil, fmt.Errorf("provision: field has no (provision.v1.field) annotation: %w", ErrUnannotated)
	}
	if item.GetRequires() == provisionv1.Agreement_AGREEMENT_UNSPECIFIED {
		return nil, fmt.Errorf("provision: field names no agreement: %w", ErrUnannotated)
	}
	def, err := NewStrategy(item.GetRedaction(), opts...)
	if err != nil {
		return nil, err
	}
	p := &FieldPolicy{item: item, def: def}
	for i, u := range item.GetRedactionUnder() {
		s, err := NewStrategy(u.GetRedaction(), opts...)
		if err != nil {
			return nil, fmt.Errorf("redaction_under[%d]: %w", i, err)
		}
		p.under = append(p.under, s)
	}
	return p, nil
}

// Item returns the annotation the policy was compiled from. It must not be
// modified.
func (p *FieldPolicy) Item() *provisionv1.DataItem { return p.item }

// Select returns the strategy that applies under consent c, and whether
// the item may be sent at all: the compiled form of EffectiveRedaction.
// Select does not allocate.
func (p *FieldPolicy) Select(c Consent) (*Strategy, bool) {
	if p == nil || !c.Grants(p.item.GetRequires()) {
		return nil, false
	}
	s := p.def
	for i, u := range p.item.GetRedactionUnder() {
		if c.Grants(u.GetWhen()) {
			s = p.under[i]
			break
		}
	}
	if s.kind == StrategyDrop {
		return nil, false
	}
	return s, true
}

// Anonymous reports whether the item is classified anonymous, the only
// items safe logging shows in clear.
func (p *FieldPolicy) Anonymous() bool {
	return p != nil && p.item.GetIdentifiability() == provisionv1.Identifiability_IDENTIFIABILITY_ANONYMOUS
}
