package model

import (
	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/impl"
)

// Under returns the redaction applied to the item under consent c, and
// whether the item is sent at all: impl.EffectiveRedaction of the item,
// provided every enclosing item is sent too.
func (f *Field) Under(c impl.Consent) (*provisionv1.Redaction, bool) {
	for p := f.Parent; p != nil; p = p.Parent {
		if _, ok := impl.EffectiveRedaction(p.Item, c); !ok {
			return nil, false
		}
	}
	return impl.EffectiveRedaction(f.Item, c)
}

// Sent is one item of a payload as transmitted under a consent.
type Sent struct {
	Field     *Field
	Redaction *provisionv1.Redaction
}

// Transmitted lists, depth first in declaration order, the items of the
// scenario sent under consent c with the redaction each gets. A message
// item is listed when it is sent, followed by its sent children.
func (s *Scenario) Transmitted(c impl.Consent) []Sent {
	var out []Sent
	s.Walk(func(f *Field) bool {
		if r, ok := f.Under(c); ok {
			out = append(out, Sent{Field: f, Redaction: r})
		}
		return true
	})
	return out
}

// DescribeRedactions describes the item's strategy followed by its
// overrides (impl.DescribeItem).
func (f *Field) DescribeRedactions() string { return impl.DescribeItem(f.Item) }

// DescribeRedaction returns a short, stable description of a strategy and
// its parameters (impl.DescribeRedaction).
func DescribeRedaction(r *provisionv1.Redaction) string { return impl.DescribeRedaction(r) }
