package provision_test

import (
	"bytes"
	"errors"
	"math"
	"net/netip"
	"strings"
	"testing"

	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/provisionhq/provision"
	notesv1 "github.com/provisionhq/provision/internal/gen/golang/testdata/golden-acme/acme/notes/v1"
)

// delegatingKeys is a KeyProvider of a client's own that hands its
// lookups to a StaticKeys and returns its errors as they are.
type delegatingKeys struct{ keys *provision.StaticKeys }

func (d delegatingKeys) Key(id string) ([]byte, error) { return d.keys.Key(id) }

// TestErrorPrefixOnce walks the error paths of the client API and of the
// generated methods, through one layer or several: every message begins
// with "provision: " and holds it once, every error still wraps its
// sentinel, and no message repeats the value it rejects.
func TestErrorPrefixOnce(t *testing.T) {
	t.Parallel()
	key := bytes.Repeat([]byte{0x42}, provision.MinKeySize)
	keys, err := provision.NewStaticKeys(map[string][]byte{"acme-device": key})
	if err != nil {
		t.Fatal(err)
	}
	usage := mustConsent(t, notesv1.AgreementUsageAnalytics)
	agreements := mustAgreements(t, "example.v1", provision.AgreementDecl{ID: "LICENSE"})
	// other is a consent of another product's agreements.
	other, err := agreements.Consent("LICENSE")
	if err != nil {
		t.Fatal(err)
	}
	ip, err := provision.NewIPTruncator()
	if err != nil {
		t.Fatal(err)
	}
	url, err := provision.NewURLSanitizer()
	if err != nil {
		t.Fatal(err)
	}
	version, err := provision.NewVersionGeneralizer(2)
	if err != nil {
		t.Fatal(err)
	}
	buckets, err := provision.NewBuckets(0.0, 1)
	if err != nil {
		t.Fatal(err)
	}
	laplace, err := provision.NewLaplace(1, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	var typedNil *notesv1.UsageReport
	second := func(_ any, err error) error { return err }

	tests := []struct {
		name string
		err  error
		is   error  // the sentinel the error wraps; nil for none
		want string // in the message
		hide string // the rejected value, which the message must not repeat
	}{
		// Keys.
		{name: "short key", err: second(provision.NewStaticKeys(map[string][]byte{"acme-device": key[:31]})), is: provision.ErrInvalidKey, want: `key "acme-device"`},
		{name: "malformed key id", err: second(provision.NewStaticKeys(map[string][]byte{"Bad ID": key})), is: provision.ErrInvalidKey},
		{name: "unknown key", err: second(keys.Key("acme-account")), is: provision.ErrUnknownKey, want: `key "acme-account"`},
		{name: "nil StaticKeys", err: second((*provision.StaticKeys)(nil).Key("acme-device")), is: provision.ErrUnknownKey},
		{name: "Hasher of an unknown key", err: second(provision.NewHasher(keys, "acme-account")), is: provision.ErrUnknownKey, want: `HMAC key "acme-account": unknown key`},
		{name: "Hasher of a client's provider", err: second(provision.NewHasher(delegatingKeys{keys}, "acme-account")), is: provision.ErrUnknownKey, want: `HMAC key "acme-account"`},
		{name: "Hasher without provider", err: second(provision.NewHasher(nil, "acme-device")), is: provision.ErrUnknownKey},
		{name: "generated Redact, unknown key", err: usageReport().Redact(usage, keys), is: provision.ErrUnknownKey, want: `account_id: HMAC key "acme-account": unknown key`},
		{name: "reflection Redact, unknown key", err: provision.Redact(usageReport(), usage, keys), is: provision.ErrUnknownKey, want: `account_id: HMAC key "acme-account": unknown key`},

		// Transform parameters and values.
		{name: "IPv4 prefix", err: second(provision.NewIPTruncator(provision.WithIPv4Prefix(33))), is: provision.ErrInvalidParameter},
		{name: "IPv6 prefix", err: second(provision.NewIPTruncator(provision.WithIPv6Prefix(-1))), is: provision.ErrInvalidParameter},
		{name: "IP text", err: second(ip.TruncateString("alice.example")), is: provision.ErrInvalidIP, hide: "alice.example"},
		{name: "IP bytes", err: second(ip.TruncateBytes([]byte{1, 2, 3})), is: provision.ErrInvalidIP},
		{name: "IP address", err: second(ip.TruncateAddr(netip.Addr{})), is: provision.ErrInvalidIP},
		{name: "URL option", err: second(provision.NewURLSanitizer(provision.WithRedactQuery("-"))), is: provision.ErrInvalidParameter},
		{name: "URL", err: second(url.Sanitize("/home/alice/secret")), is: provision.ErrInvalidURL, hide: "/home/alice/secret"},
		{name: "generated Redact, bad URL", err: (&notesv1.CrashReport{Context: &notesv1.CrashReport_PageUrl{PageUrl: "/home/alice/secret"}}).Redact(mustConsent(t, notesv1.AgreementCrashReports), keys), is: provision.ErrInvalidURL, want: "page_url", hide: "/home/alice/secret"},
		{name: "generated Redact, bad nested version", err: (&notesv1.SyncRequest{Client: &notesv1.ClientInfo{AppVersion: "4..alice"}}).Redact(mustConsent(t, notesv1.AgreementTermsOfService), keys), is: provision.ErrInvalidVersion, want: "client.app_version", hide: "alice"},
		{name: "version parameter", err: second(provision.NewVersionGeneralizer(0)), is: provision.ErrInvalidParameter},
		{name: "zero VersionGeneralizer", err: second(provision.VersionGeneralizer{}.Generalize("1.2")), is: provision.ErrInvalidParameter},
		{name: "version", err: second(version.Generalize("11..alice")), is: provision.ErrInvalidVersion, hide: "alice"},
		{name: "bucket bounds", err: second(provision.NewBuckets[int64]()), is: provision.ErrInvalidParameter},
		{name: "bucket NaN", err: second(buckets.Bucket(math.NaN())), is: provision.ErrInvalidNumber},
		{name: "mask parameters", err: second(provision.NewMasker(-1, 0)), is: provision.ErrInvalidParameter},
		{name: "Laplace parameters", err: second(provision.NewLaplace(0, 1)), is: provision.ErrInvalidParameter},
		{name: "Geometric parameters", err: second(provision.NewGeometric(1, math.Inf(1))), is: provision.ErrInvalidParameter},
		{name: "Laplace value", err: second(laplace.Noise(math.Inf(-1))), is: provision.ErrInvalidNumber},

		// Consent of another product.
		{name: "generated Redact, another product's consent", err: usageReport().Redact(other, keys), is: provision.ErrConsentMismatch, want: "consent of example.v1"},
		{name: "generated Validate, another product's consent", err: usageReport().Validate(other), is: provision.ErrConsentMismatch},
		{name: "reflection Redact, another product's consent", err: provision.Redact(usageReport(), other, keys), is: provision.ErrConsentMismatch},
		{name: "reflection Validate, another product's consent", err: provision.Validate(usageReport(), other), is: provision.ErrConsentMismatch},

		// Nil messages.
		{name: "generated Redact, nil", err: typedNil.Redact(usage, keys), is: provision.ErrWrongMessage, want: "redact: nil acme.notes.v1.UsageReport"},
		{name: "generated Redacted, nil", err: second(typedNil.Redacted(usage, keys)), is: provision.ErrWrongMessage},
		{name: "generated Validate, nil", err: typedNil.Validate(usage), is: provision.ErrWrongMessage, want: "validate: nil acme.notes.v1.UsageReport"},
		{name: "reflection Redact, nil", err: provision.Redact(nil, usage, keys), is: provision.ErrWrongMessage},
		{name: "reflection Redact, typed nil", err: provision.Redact(typedNil, usage, keys), is: provision.ErrWrongMessage, want: "redact: nil acme.notes.v1.UsageReport"},
		{name: "reflection Validate, nil", err: provision.Validate(nil, usage), is: provision.ErrWrongMessage},
		{name: "reflection Validate, typed nil", err: provision.Validate(typedNil, usage), is: provision.ErrWrongMessage, want: "validate: nil acme.notes.v1.UsageReport"},

		// Agreements.
		{name: "undeclared agreement ID", err: second(agreements.Consent("CLOUD")), is: provision.ErrInvalidAgreement, want: `no agreement "CLOUD"`},
		{name: "generated NewConsent", err: second(notesv1.NewConsent(notesv1.Agreement(99))), is: provision.ErrInvalidAgreement},
		{name: "malformed agreement ID", err: second(provision.NewAgreements("example.v1", provision.AgreementDecl{ID: "license"})), is: provision.ErrInvalidAgreement},
		{name: "agreements of an unknown package", err: second(provision.AgreementsOf("example.none.v1")), is: provision.ErrInvalidAgreement},
		{name: "agreements in no files", err: second(provision.AgreementsIn(new(protoregistry.Files), "example.v1")), is: provision.ErrInvalidAgreement},

		// Validation.
		{name: "generated Validate, fields outside the consent", err: usageReport().Validate(mustConsent(t, notesv1.AgreementTermsOfService)), want: "violations:\n - account_id: requires USAGE_ANALYTICS"},
		{name: "reflection Validate, fields outside the consent", err: provision.Validate(usageReport(), mustConsent(t, notesv1.AgreementTermsOfService)), want: "violations:\n - account_id: requires USAGE_ANALYTICS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.err == nil {
				t.Fatal("no error")
			}
			msg := tt.err.Error()
			if !strings.HasPrefix(msg, "provision: ") || strings.Count(msg, "provision: ") != 1 {
				t.Errorf("message %q: want %q at its start, once", msg, "provision: ")
			}
			if tt.is != nil && !errors.Is(tt.err, tt.is) {
				t.Errorf("%q does not wrap %v", msg, tt.is)
			}
			if !strings.Contains(msg, tt.want) {
				t.Errorf("message %q does not say %q", msg, tt.want)
			}
			if tt.hide != "" && strings.Contains(msg, tt.hide) {
				t.Errorf("message %q repeats the rejected value", msg)
			}
		})
	}
}

// TestNilMessageErrorsAgree checks that the generated methods and the
// reflection engine word the error of a nil message, and of another
// product's consent, alike.
func TestNilMessageErrorsAgree(t *testing.T) {
	t.Parallel()
	c := mustConsent(t, notesv1.AgreementUsageAnalytics)
	other, err := mustAgreements(t, "example.v1", provision.AgreementDecl{ID: "LICENSE"}).Consent("LICENSE")
	if err != nil {
		t.Fatal(err)
	}
	var typedNil *notesv1.UsageReport
	pairs := []struct {
		name                 string
		generated, reflected error
	}{
		{"Redact nil", typedNil.Redact(c, nil), provision.Redact(typedNil, c, nil)},
		{"Validate nil", typedNil.Validate(c), provision.Validate(typedNil, c)},
		{"Redact mismatch", usageReport().Redact(other, nil), provision.Redact(usageReport(), other, nil)},
		{"Validate mismatch", usageReport().Validate(other), provision.Validate(usageReport(), other)},
	}
	for _, p := range pairs {
		if p.generated == nil || p.reflected == nil || p.generated.Error() != p.reflected.Error() {
			t.Errorf("%s: generated %v, reflection %v", p.name, p.generated, p.reflected)
		}
	}
}
