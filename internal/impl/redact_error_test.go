package impl

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestErrorTypesNilReceiver calls every method of the error types on nil
// receivers, directly and through fmt and the errors package: none may
// panic.
func TestErrorTypesNilReceiver(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
	}{
		{name: "*RedactError", err: (*RedactError)(nil)},
		{name: "*FieldError", err: (*FieldError)(nil)},
		{name: "*ValidationError", err: (*ValidationError)(nil)},
		{name: "empty RedactError", err: &RedactError{}},
		{name: "empty ValidationError", err: &ValidationError{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.err.Error(); got != "" {
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
			if len(unwrapped) != 0 {
				t.Errorf("Unwrap() = %v, want none", unwrapped)
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
