package model

import (
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

// agreementDefined reports whether a is a value of the Agreement enum other
// than UNSPECIFIED.
func agreementDefined(a provisionv1.Agreement) bool {
	return a != provisionv1.Agreement_AGREEMENT_UNSPECIFIED &&
		a.Descriptor().Values().ByNumber(protoreflect.EnumNumber(a)) != nil
}

// Implies reports whether holding agreement a also grants b, following the
// implies terms of the vocabulary transitively. Every agreement implies
// itself.
func Implies(a, b provisionv1.Agreement) bool {
	seen := map[provisionv1.Agreement]bool{}
	var walk func(provisionv1.Agreement) bool
	walk = func(x provisionv1.Agreement) bool {
		if x == b {
			return true
		}
		if seen[x] {
			return false
		}
		seen[x] = true
		for _, y := range AgreementTerms(x).GetImplies() {
			if walk(y) {
				return true
			}
		}
		return false
	}
	return walk(a)
}

// AgreementTerms returns the vocabulary's terms for an agreement, or nil
// for a value without terms.
func AgreementTerms(a provisionv1.Agreement) *provisionv1.AgreementTerms {
	v := a.Descriptor().Values().ByNumber(protoreflect.EnumNumber(a))
	if v == nil {
		return nil
	}
	t, _ := proto.GetExtension(v.Options(), provisionv1.E_Terms).(*provisionv1.AgreementTerms)
	return t
}

// ValueLabel returns the customer-facing label of an enum value, or its
// name when it has none.
func ValueLabel(v protoreflect.EnumValueDescriptor) string {
	if v == nil {
		return ""
	}
	if l, ok := proto.GetExtension(v.Options(), provisionv1.E_Value).(*provisionv1.ValueLabel); ok && l.GetLabel() != "" {
		return l.GetLabel()
	}
	if t, ok := proto.GetExtension(v.Options(), provisionv1.E_Terms).(*provisionv1.AgreementTerms); ok && t.GetLabel() != "" {
		return t.GetLabel()
	}
	return string(v.Name())
}

// EnumLabel returns the customer-facing label of a vocabulary enum value
// (Category, Identifiability, Purpose…).
func EnumLabel(e protoreflect.Enum) string {
	return ValueLabel(e.Descriptor().Values().ByNumber(e.Number()))
}

// PurposeGoal returns the company-policy goal a purpose serves.
func PurposeGoal(p provisionv1.Purpose) provisionv1.PolicyGoal {
	v := p.Descriptor().Values().ByNumber(protoreflect.EnumNumber(p))
	if v == nil {
		return provisionv1.PolicyGoal_POLICY_GOAL_UNSPECIFIED
	}
	g, _ := proto.GetExtension(v.Options(), provisionv1.E_Goal).(provisionv1.PolicyGoal)
	return g
}
