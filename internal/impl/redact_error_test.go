package impl

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRedactErrorMessage(t *testing.T) {
	t.Parallel()
	unknownKey := fmt.Errorf("HMAC key %q: %w", "svm", ErrUnknownKey)
	badURL := fmt.Errorf("sanitise URL: want scheme and host: %w", ErrInvalidURL)
	tests := []struct {
		name string
		give *RedactError
		want string
		is   []error
	}{
		{name: "nil", give: nil, want: ""},
		{name: "no field", give: &RedactError{}, want: ""},
		{
			name: "one field",
			give: &RedactError{Fields: []*FieldError{{Path: "svm_id", Err: unknownKey}}},
			want: `provision: redact: svm_id: HMAC key "svm": unknown key`,
			is:   []error{ErrUnknownKey},
		},
		{
			name: "two fields",
			give: &RedactError{Fields: []*FieldError{
				{Path: "svm_id", Err: unknownKey},
				{Path: "web.scanned_url", Err: badURL},
			}},
			want: "provision: redact: 2 fields:\n" +
				` - svm_id: HMAC key "svm": unknown key` + "\n" +
				" - web.scanned_url: sanitise URL: want scheme and host: invalid URL",
			is: []error{ErrUnknownKey, ErrInvalidURL},
		},
		{
			name: "field without cause",
			give: &RedactError{Fields: []*FieldError{{Path: "svm_id"}}},
			want: "provision: redact: svm_id",
		},
		{
			name: "nil field",
			give: &RedactError{Fields: []*FieldError{nil, {Path: "svm_id", Err: unknownKey}}},
			want: "provision: redact: 2 fields:\n - \n" + ` - svm_id: HMAC key "svm": unknown key`,
			is:   []error{ErrUnknownKey},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, tt.give.Error()); diff != "" {
				t.Errorf("Error() mismatch (-want +got):\n%s", diff)
			}
			if n := strings.Count(tt.give.Error(), prefix); tt.want != "" && n != 1 {
				t.Errorf("Error() holds the prefix %d times, want once", n)
			}
			for _, target := range tt.is {
				if !errors.Is(tt.give, target) {
					t.Errorf("errors.Is(%v) = false", target)
				}
			}
		})
	}
}

func TestFieldErrorMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		give *FieldError
		want string
	}{
		{name: "nil", give: nil, want: ""},
		{name: "no cause", give: &FieldError{Path: "a.b"}, want: "a.b"},
		{name: "cause", give: &FieldError{Path: "a.b", Err: fmt.Errorf("truncate IP: %w", ErrInvalidIP)}, want: "a.b: truncate IP: invalid IP address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, tt.give.Error()); diff != "" {
				t.Errorf("Error() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestErrorTypesNilReceiver calls every method of the error types on nil
// receivers, directly and through fmt and the errors package: none may
// panic.
func TestErrorTypesNilReceiver(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		err        error
		wantUnwrap int // the errors Unwrap returns
	}{
		{name: "*RedactError", err: (*RedactError)(nil)},
		{name: "*FieldError", err: (*FieldError)(nil)},
		{name: "*ValidationError", err: (*ValidationError)(nil)},
		{name: "*prefixedError", err: (*prefixedError)(nil)},
		{name: "empty RedactError", err: &RedactError{}},
		{name: "empty ValidationError", err: &ValidationError{}},
		{name: "empty prefixedError", err: &prefixedError{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.err.Error(); got != "" && got != prefix+"<nil>" {
				t.Errorf("Error() = %q, want \"\"", got)
			}
			var unwrapped []error
			switch u := tt.err.(type) {
			case interface{ Unwrap() []error }:
				unwrapped = u.Unwrap()
			case interface{ Unwrap() error }:
				if e := u.Unwrap(); e != nil {
					unwrapped = append(unwrapped, e)
				}
			}
			if len(unwrapped) != tt.wantUnwrap {
				t.Errorf("Unwrap() = %v, want %d errors", unwrapped, tt.wantUnwrap)
			}
			text := fmt.Sprintf("%v|%+v|%s|%q|%#v", tt.err, tt.err, tt.err, tt.err, tt.err)
			if strings.Contains(text, "PANIC") {
				t.Errorf("fmt panicked: %s", text)
			}
			if errors.Is(tt.err, ErrUnknownKey) {
				t.Error("errors.Is(ErrUnknownKey) = true")
			}
			var fe *FieldError
			_ = errors.As(tt.err, &fe)
		})
	}
}

func TestPrefixed(t *testing.T) {
	t.Parallel()
	inner := fmt.Errorf("key %q: %w", "svm", ErrUnknownKey)
	once := Prefixed(inner)
	rerr := &RedactError{Fields: []*FieldError{{Path: "svm_id", Err: inner}}}
	verr := &ValidationError{Consent: []ConsentViolation{{Path: "svm_id", Requires: "EULA"}}}
	tests := []struct {
		name string
		give error
		want string
		same bool // Prefixed returns give itself
	}{
		{name: "nil", give: nil, want: "", same: true},
		{name: "unprefixed", give: inner, want: `provision: key "svm": unknown key`},
		{name: "already prefixed", give: once, want: `provision: key "svm": unknown key`, same: true},
		{name: "RedactError", give: rerr, want: `provision: redact: svm_id: key "svm": unknown key`, same: true},
		{name: "ValidationError", give: verr, want: "provision: validate: svm_id: requires EULA, which the consent does not grant", same: true},
		{name: "wrapped again", give: fmt.Errorf("vault: %w", unprefixed(once)), want: `provision: vault: key "svm": unknown key`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Prefixed(tt.give)
			if tt.same && got != tt.give {
				t.Errorf("Prefixed(%v) = %v, want the error itself", tt.give, got)
			}
			msg := ""
			if got != nil {
				msg = got.Error()
			}
			if diff := cmp.Diff(tt.want, msg); diff != "" {
				t.Errorf("message mismatch (-want +got):\n%s", diff)
			}
			if got != nil && !errors.Is(Prefixed(got), tt.give) {
				t.Errorf("errors.Is(Prefixed(err), err) = false")
			}
		})
	}
	if got := unprefixed(once); got != inner {
		t.Errorf("unprefixed(Prefixed(err)) = %v, want err", got)
	}
	if got := unprefixed(inner); got != inner {
		t.Errorf("unprefixed(err) = %v, want err", got)
	}
}
