package impl_test

import (
	"errors"
	"testing"

	"google.golang.org/protobuf/reflect/protoreflect"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/impl"
)

// TestStrategyMismatch applies strategies to values they do not fit, as a
// descriptor that bypassed the catalog checks could: an error, no panic.
func TestStrategyMismatch(t *testing.T) {
	t.Parallel()
	ip, err := impl.NewStrategy(&provisionv1.Redaction{Strategy: &provisionv1.Redaction_IpTruncate_{IpTruncate: &provisionv1.Redaction_IpTruncate{}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ip.ApplyString(nil, "not an address"); !errors.Is(err, impl.ErrInvalidIP) {
		t.Errorf("ip_truncate on text: err = %v, want %v", err, impl.ErrInvalidIP)
	}
	if _, err := ip.ApplyInt64(7); !errors.Is(err, impl.ErrStrategyMismatch) {
		t.Errorf("ip_truncate on a number: err = %v, want %v", err, impl.ErrStrategyMismatch)
	}
	if _, err := ip.Value(nil, protoreflect.BoolKind, protoreflect.ValueOfBool(true)); !errors.Is(err, impl.ErrStrategyMismatch) {
		t.Errorf("ip_truncate on a bool: err = %v, want %v", err, impl.ErrStrategyMismatch)
	}
	if _, err := impl.NewStrategy(nil); !errors.Is(err, impl.ErrInvalidParameter) {
		t.Errorf("NewStrategy(nil): err = %v, want %v", err, impl.ErrInvalidParameter)
	}
}
