package model

import (
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

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
