package model_test

import (
	"testing"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/model"
)

func TestEnumLabel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		got  string
		want string
	}{
		{got: model.EnumLabel(provisionv1.Identifiability_IDENTIFIABILITY_PSEUDONYMOUS), want: "pseudonymous identifier"},
		{got: model.EnumLabel(provisionv1.LegalBasis_LEGAL_BASIS_CONSENT), want: "Consent (GDPR Art. 6(1)(a))"},
		{got: model.EnumLabel(provisionv1.Category_CATEGORY_UNSPECIFIED), want: "CATEGORY_UNSPECIFIED"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("EnumLabel = %q, want %q", tt.got, tt.want)
		}
	}
}
