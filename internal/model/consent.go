package model

import (
	"slices"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/provisionhq/provision"
	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

// Under returns the redaction applied to the item under consent c, and
// whether the item is sent at all: provision.EffectiveRedaction of the item,
// provided every enclosing item is sent too.
func (f *Field) Under(c provision.Consent) (*provisionv1.Redaction, bool) {
	for p := f.Parent; p != nil; p = p.Parent {
		if _, ok := provision.EffectiveRedaction(p.Item, c); !ok {
			return nil, false
		}
	}
	return provision.EffectiveRedaction(f.Item, c)
}

// Sent is one item of a payload as transmitted under a consent.
type Sent struct {
	Field     *Field
	Redaction *provisionv1.Redaction
}

// Transmitted lists, depth first in declaration order, the items of the
// scenario sent under consent c with the redaction each gets. A message
// item is listed when it is sent, followed by its sent children.
func (s *Scenario) Transmitted(c provision.Consent) []Sent {
	var out []Sent
	s.Walk(func(f *Field) bool {
		if r, ok := f.Under(c); ok {
			out = append(out, Sent{Field: f, Redaction: r})
		}
		return true
	})
	return out
}

// ConsentLevels returns every distinct consent a run can hold: the closures
// of all sets of agreements that can be granted, from the empty consent to
// all of them, smallest first, ties in the order of their agreements.
func ConsentLevels() []provision.Consent {
	var grantable []provisionv1.Agreement
	values := provisionv1.Agreement(0).Descriptor().Values()
	for i := range values.Len() {
		a := provisionv1.Agreement(values.Get(i).Number())
		if a != provisionv1.Agreement_AGREEMENT_UNSPECIFIED && a != provisionv1.Agreement_AGREEMENT_NONE {
			grantable = append(grantable, a)
		}
	}
	var levels []provision.Consent
	for mask := range 1 << len(grantable) {
		var set []provisionv1.Agreement
		for i, a := range grantable {
			if mask&(1<<i) != 0 {
				set = append(set, a)
			}
		}
		c, err := provision.NewConsent(set...)
		if err != nil {
			panic("model: the vocabulary's own agreements are refused: " + err.Error())
		}
		if !slices.Contains(levels, c) {
			levels = append(levels, c)
		}
	}
	slices.SortStableFunc(levels, func(a, b provision.Consent) int {
		if d := len(a.Agreements()) - len(b.Agreements()); d != 0 {
			return d
		}
		return slices.Compare(a.Agreements(), b.Agreements())
	})
	return levels
}

// agreementDefined reports whether a is a value of the Agreement enum other
// than UNSPECIFIED.
func agreementDefined(a provisionv1.Agreement) bool {
	return a != provisionv1.Agreement_AGREEMENT_UNSPECIFIED &&
		a.Descriptor().Values().ByNumber(protoreflect.EnumNumber(a)) != nil
}

// DescribeRedactions describes the item's strategy followed by its
// overrides (provision.DescribeItem).
func (f *Field) DescribeRedactions() string { return provision.DescribeItem(f.Item) }

// DescribeRedaction returns a short, stable description of a strategy and
// its parameters (provision.DescribeRedaction).
func DescribeRedaction(r *provisionv1.Redaction) string { return provision.DescribeRedaction(r) }
