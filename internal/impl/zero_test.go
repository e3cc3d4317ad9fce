package impl

import (
	"errors"
	"fmt"
	"net/netip"
	"testing"
)

// TestZeroValues calls every exported method of every exported type on
// its zero value and on a nil pointer: each must work or return an error,
// never panic. A value that NewX would have refused is reported as
// ErrInvalidParameter or ErrInvalidKey.
func TestZeroValues(t *testing.T) {
	t.Parallel()
	var (
		nilBucketsF *Buckets[float64]
		nilBucketsI *Buckets[int64]
		nilLaplace  *Laplace
		nilGeom     *Geometric
		nilURL      *URLSanitizer
		nilHasher   *Hasher
		nilKeys     *StaticKeys
		nilAgr      *Agreements
		nilStrategy *Strategy
		nilField    *FieldPolicy
		nilMessage  *MessagePolicy
	)
	calls := []struct {
		name string
		call func() error
		// want is the error the call must return; nil when the zero value
		// works.
		want error
	}{
		{"nil Buckets.Bucket", func() error { _, err := nilBucketsF.Bucket(1); return err }, ErrInvalidParameter},
		{"nil Buckets.Bounds", func() error { return errorIf(nilBucketsI.Bounds() != nil, "bounds of nil") }, nil},
		{"zero Buckets.Bucket", func() error { _, err := (&Buckets[int64]{}).Bucket(1); return err }, ErrInvalidParameter},
		{"zero Laplace.Noise", func() error { _, err := (&Laplace{}).Noise(1); return err }, ErrInvalidParameter},
		{"nil Laplace.Noise", func() error { _, err := nilLaplace.Noise(1); return err }, ErrInvalidParameter},
		{"nil Laplace accessors", func() error { _ = nilLaplace.Scale() + nilLaplace.Granularity() + nilLaplace.Bound(); return nil }, nil},
		{"zero Laplace accessors", func() error { _ = (&Laplace{}).Scale() + (&Laplace{}).Granularity(); return nil }, nil},
		{"zero Geometric.Noise", func() error { _, err := (&Geometric{}).Noise(1); return err }, ErrInvalidParameter},
		{"nil Geometric.Noise", func() error { _, err := nilGeom.Noise(1); return err }, ErrInvalidParameter},
		{"nil Geometric.Scale", func() error { _ = nilGeom.Scale() + (&Geometric{}).Scale(); return nil }, nil},
		{"nil URLSanitizer.Sanitize", func() error { _, err := nilURL.Sanitize("https://h.example/?token=x"); return err }, ErrInvalidParameter},
		{"nil URLSanitizer.Sensitive", func() error { return errorIf(!nilURL.Sensitive("token"), "token not sensitive") }, nil},
		{"zero URLSanitizer.Sanitize", func() error {
			out, err := (&URLSanitizer{}).Sanitize("https://u:p@h.example/?token=x#f")
			return errors.Join(err, errorIf(out != "https://h.example/?token=REDACTED", "sanitised to %q", out))
		}, nil},
		{"zero IPTruncator", func() error {
			out, err := IPTruncator{}.TruncateString("192.0.2.1")
			return errors.Join(err, errorIf(out != "0.0.0.0", "truncated to %q", out))
		}, nil},
		{"zero IPTruncator.TruncateAddr", func() error { _, err := IPTruncator{}.TruncateAddr(netip.Addr{}); return err }, ErrInvalidIP},
		{"zero VersionGeneralizer", func() error { _, err := VersionGeneralizer{}.Generalize("1.2"); return err }, ErrInvalidParameter},
		{"zero Masker", func() error { return errorIf(Masker{}.Mask("abc") != "***", "not masked") }, nil},
		{"zero Hasher.HashString", func() error { _, err := (&Hasher{}).HashString("a"); return err }, ErrInvalidKey},
		{"nil Hasher.HashBytes", func() error { _, err := nilHasher.HashBytes([]byte("a")); return err }, ErrInvalidKey},
		{"nil Hasher.KeyID", func() error { return errorIf(nilHasher.KeyID() != "", "key id") }, nil},
		{"nil StaticKeys.Key", func() error { _, err := nilKeys.Key("k"); return err }, ErrUnknownKey},
		{"zero StaticKeys.Key", func() error { _, err := (&StaticKeys{}).Key("k"); return err }, ErrUnknownKey},
		{"nil StaticKeys.IDs", func() error { return errorIf(len(nilKeys.IDs()) != 0, "ids") }, nil},
		{"nil Agreements", func() error {
			_, _ = nilAgr.Index("A")
			_ = nilAgr.IDs()
			_ = nilAgr.ID(0)
			_ = nilAgr.Implies("A", "B")
			_ = nilAgr.Levels()
			_, err := nilAgr.Consent("A")
			return err
		}, ErrInvalidAgreement},
		{"zero Consent", func() error {
			var c Consent
			_ = c.Agreements()
			_ = c.String()
			return errorIf(c.Grants("A") || c.Of() != nil, "zero consent grants")
		}, nil},
		{"zero Agreements", func() error {
			a := &Agreements{}
			_ = a.Levels()
			_, err := a.Consent("A")
			return err
		}, ErrInvalidAgreement},
		{"nil Strategy", func() error { _, err := nilStrategy.ApplyString(nil, "a"); return err }, ErrInvalidParameter},
		{"nil Strategy numbers", func() error {
			_, e1 := nilStrategy.ApplyInt64(1)
			_, e2 := nilStrategy.ApplyUint64(1)
			_, e3 := nilStrategy.ApplyFloat64(1)
			_, e4 := nilStrategy.ApplyBytes(nil, []byte{1})
			_, e5 := nilStrategy.ApplyInt32(1)
			_, e6 := nilStrategy.ApplyUint32(1)
			_, e7 := nilStrategy.ApplyFloat32(1)
			return errors.Join(e1, e2, e3, e4, e5, e6, e7)
		}, ErrInvalidParameter},
		{"nil Strategy accessors", func() error {
			_ = nilStrategy.Name()
			_ = nilStrategy.Keeps()
			return nilStrategy.Mismatch("string")
		}, ErrStrategyMismatch},
		{"zero Strategy", func() error { _, err := (&Strategy{}).ApplyString(nil, "a"); return err }, ErrStrategyMismatch},
		{"zero Strategy numbers", func() error { _, err := (&Strategy{kind: StrategyBucket}).ApplyInt64(5); return err }, ErrInvalidParameter},
		{"zero Strategy noise", func() error { _, err := (&Strategy{kind: StrategyDPNoise}).ApplyFloat64(5); return err }, ErrInvalidParameter},
		{"zero Strategy URL", func() error {
			_, err := (&Strategy{kind: StrategyURLSanitize}).ApplyString(nil, "https://h/")
			return err
		}, ErrInvalidParameter},
		{"nil FieldPolicy", func() error {
			_, ok := nilField.Select(Consent{})
			return errorIf(ok || nilField.Anonymous() || nilField.Item() != nil, "nil policy sends")
		}, nil},
		{"zero FieldPolicy", func() error {
			p := &FieldPolicy{}
			_, ok := p.Select(Consent{})
			return errorIf(ok || p.Anonymous() || p.Item() != nil, "zero policy sends")
		}, nil},
		{"nil MessagePolicy", func() error {
			return errors.Join(errorIf(nilMessage.Field(0) != nil || nilMessage.Len() != 0, "nil message policy has fields"), nilMessage.FieldError(3))
		}, ErrUnannotated},
		{"zero MessagePolicy", func() error {
			p := &MessagePolicy{}
			return errors.Join(errorIf(p.Field(-1) != nil || len(p.Fields()) != 0, "zero message policy has fields"), p.FieldError(0))
		}, ErrUnannotated},
		{"zero Gate", func() error {
			var g Gate
			g.Deny("a", "")
			return errorIf(len(g.Violations) != 1, "deny not recorded")
		}, nil},
	}
	for _, tt := range calls {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("panic: %v", r)
					}
				}()
				err = tt.call()
			}()
			switch {
			case tt.want == nil && err != nil:
				t.Errorf("err = %v, want none", err)
			case tt.want != nil && !errors.Is(err, tt.want):
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

// errorIf returns an error with the message when cond holds.
func errorIf(cond bool, format string, args ...any) error {
	if cond {
		return fmt.Errorf(format, args...)
	}
	return nil
}
