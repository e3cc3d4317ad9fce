package impl

import (
	"errors"
	"strings"
	"testing"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"buf.build/go/protovalidate"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
)

// ruleViolation returns a protovalidate violation of rule on field, with
// message.
func ruleViolation(field, rule, message string) *protovalidate.Violation {
	return &protovalidate.Violation{Proto: validate.Violation_builder{
		Field: validate.FieldPath_builder{Elements: []*validate.FieldPathElement{
			validate.FieldPathElement_builder{FieldName: proto.String(field)}.Build(),
		}}.Build(),
		RuleId:  proto.String(rule),
		Message: proto.String(message),
	}.Build()}
}

func TestValidationErrorMessage(t *testing.T) {
	t.Parallel()
	uuid := ruleViolation("installation_id", "string.uuid", "value must be a valid UUID")
	tests := []struct {
		name      string
		give      *ValidationError
		want      string
		wantRules bool // errors.As finds the rule violations
	}{
		{name: "nil", give: nil, want: ""},
		{name: "none", give: &ValidationError{}, want: ""},
		{name: "no rule violated", give: &ValidationError{Rules: &protovalidate.ValidationError{}}, want: "", wantRules: true},
		{
			name: "one field outside the consent",
			give: &ValidationError{Consent: []ConsentViolation{{Path: "activation_code", Requires: "ACTIVATION_CODE"}}},
			want: "provision: validate: activation_code: requires ACTIVATION_CODE, which the consent does not grant",
		},
		{
			name:      "one rule",
			give:      &ValidationError{Rules: &protovalidate.ValidationError{Violations: []*protovalidate.Violation{uuid}}},
			want:      "provision: validate: installation_id: value must be a valid UUID",
			wantRules: true,
		},
		{
			name: "consent and rules",
			give: &ValidationError{
				Consent: []ConsentViolation{
					{Path: "activation_code", Requires: "ACTIVATION_CODE"},
					{Path: "(unknown fields)"},
				},
				Rules: &protovalidate.ValidationError{Violations: []*protovalidate.Violation{uuid}},
			},
			want: "provision: validate: 3 violations:\n" +
				" - activation_code: requires ACTIVATION_CODE, which the consent does not grant\n" +
				" - (unknown fields): not an annotated data item; never sent\n" +
				" - installation_id: value must be a valid UUID",
			wantRules: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := tt.give.Error()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Error() mismatch (-want +got):\n%s", diff)
			}
			if n := strings.Count(got, prefix); got != "" && n != 1 {
				t.Errorf("Error() holds the prefix %d times, want once", n)
			}
			var rules *protovalidate.ValidationError
			if found := errors.As(error(tt.give), &rules); found != tt.wantRules {
				t.Errorf("errors.As(*protovalidate.ValidationError) = %v, want %v", found, tt.wantRules)
			}
		})
	}
}
