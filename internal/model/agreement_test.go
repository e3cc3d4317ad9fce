package model_test

import (
	"testing"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/model"
)

func TestImplies(t *testing.T) {
	t.Parallel()
	const (
		none     = provisionv1.Agreement_AGREEMENT_NONE
		eula     = provisionv1.Agreement_AGREEMENT_EULA
		code     = provisionv1.Agreement_AGREEMENT_ACTIVATION_CODE
		standard = provisionv1.Agreement_AGREEMENT_KSN_STANDARD
		extended = provisionv1.Agreement_AGREEMENT_KSN_EXTENDED
	)
	tests := []struct {
		a, b provisionv1.Agreement
		want bool
	}{
		{eula, eula, true},
		{extended, standard, true},
		{extended, eula, true}, // transitively, through standard
		{standard, extended, false},
		{code, eula, true},
		{eula, code, false},
		{standard, code, false},
		{extended, none, false},
		{none, eula, false},
		{provisionv1.Agreement(99), eula, false},
	}
	for _, tt := range tests {
		if got := model.Implies(tt.a, tt.b); got != tt.want {
			t.Errorf("Implies(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestEnumLabel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		got  string
		want string
	}{
		{got: model.EnumLabel(provisionv1.Identifiability_IDENTIFIABILITY_PSEUDONYMOUS), want: "pseudonymous identifier"},
		{got: model.EnumLabel(provisionv1.Agreement_AGREEMENT_KSN_EXTENDED), want: "Kaspersky Security Network Statement, extended mode"},
		{got: model.EnumLabel(provisionv1.Category_CATEGORY_UNSPECIFIED), want: "CATEGORY_UNSPECIFIED"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("EnumLabel = %q, want %q", tt.got, tt.want)
		}
	}
}
