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
	kessv1 "github.com/provisionhq/provision/gen/go/kaspersky/kess/v1"
	ksvlav1 "github.com/provisionhq/provision/gen/go/kaspersky/ksvla/v1"
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
	keys, err := provision.NewStaticKeys(map[string][]byte{"svm": key})
	if err != nil {
		t.Fatal(err)
	}
	ksvla := mustConsent(t, ksvlav1.AgreementActivationCode)
	kess, err := kessv1.NewConsent(kessv1.AgreementEula)
	if err != nil {
		t.Fatal(err)
	}
	agreements := mustAgreements(t, "example.v1", provision.AgreementDecl{ID: "LICENSE"})
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
	var typedNil *ksvlav1.ActivationRequest
	second := func(_ any, err error) error { return err }

	tests := []struct {
		name string
		err  error
		is   error  // the sentinel the error wraps; nil for none
		want string // in the message
		hide string // the rejected value, which the message must not repeat
	}{
		// Keys.
		{name: "short key", err: second(provision.NewStaticKeys(map[string][]byte{"svm": key[:31]})), is: provision.ErrInvalidKey, want: `key "svm"`},
		{name: "malformed key id", err: second(provision.NewStaticKeys(map[string][]byte{"Bad ID": key})), is: provision.ErrInvalidKey},
		{name: "unknown key", err: second(keys.Key("installation")), is: provision.ErrUnknownKey, want: `key "installation"`},
		{name: "nil StaticKeys", err: second((*provision.StaticKeys)(nil).Key("svm")), is: provision.ErrUnknownKey},
		{name: "Hasher of an unknown key", err: second(provision.NewHasher(keys, "installation")), is: provision.ErrUnknownKey, want: `HMAC key "installation": unknown key`},
		{name: "Hasher of a client's provider", err: second(provision.NewHasher(delegatingKeys{keys}, "installation")), is: provision.ErrUnknownKey, want: `HMAC key "installation"`},
		{name: "Hasher without provider", err: second(provision.NewHasher(nil, "svm")), is: provision.ErrUnknownKey},
		{name: "generated Redact, unknown key", err: activationRequest().Redact(ksvla, keys), is: provision.ErrUnknownKey, want: `installation_id: HMAC key "installation": unknown key`},
		{name: "reflection Redact, unknown key", err: provision.Redact(activationRequest(), ksvla, keys), is: provision.ErrUnknownKey, want: `installation_id: HMAC key "installation": unknown key`},

		// Transform parameters and values.
		{name: "IPv4 prefix", err: second(provision.NewIPTruncator(provision.WithIPv4Prefix(33))), is: provision.ErrInvalidParameter},
		{name: "IPv6 prefix", err: second(provision.NewIPTruncator(provision.WithIPv6Prefix(-1))), is: provision.ErrInvalidParameter},
		{name: "IP text", err: second(ip.TruncateString("alice.example")), is: provision.ErrInvalidIP, hide: "alice.example"},
		{name: "IP bytes", err: second(ip.TruncateBytes([]byte{1, 2, 3})), is: provision.ErrInvalidIP},
		{name: "IP address", err: second(ip.TruncateAddr(netip.Addr{})), is: provision.ErrInvalidIP},
		{name: "URL option", err: second(provision.NewURLSanitizer(provision.WithRedactQuery("-"))), is: provision.ErrInvalidParameter},
		{name: "URL", err: second(url.Sanitize("/home/alice/secret")), is: provision.ErrInvalidURL, hide: "/home/alice/secret"},
		{name: "generated Redact, bad URL", err: (&ksvlav1.KsnStandardRequest{WebReputation: &ksvlav1.WebReputation{ScannedUrl: "/home/alice/secret"}}).Redact(mustConsent(t, ksvlav1.AgreementKsnStandard), keys), is: provision.ErrInvalidURL, want: "web_reputation.scanned_url", hide: "/home/alice/secret"},
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
		{name: "generated Redact, another product's consent", err: activationRequest().Redact(kess, keys), is: provision.ErrConsentMismatch, want: "consent of kaspersky.kess.v1"},
		{name: "generated Validate, another product's consent", err: activationRequest().Validate(kess), is: provision.ErrConsentMismatch},
		{name: "reflection Redact, another product's consent", err: provision.Redact(activationRequest(), kess, keys), is: provision.ErrConsentMismatch},
		{name: "reflection Validate, another product's consent", err: provision.Validate(activationRequest(), kess), is: provision.ErrConsentMismatch},

		// Nil messages.
		{name: "generated Redact, nil", err: typedNil.Redact(ksvla, keys), is: provision.ErrWrongMessage, want: "redact: nil kaspersky.ksvla.v1.ActivationRequest"},
		{name: "generated Redacted, nil", err: second(typedNil.Redacted(ksvla, keys)), is: provision.ErrWrongMessage},
		{name: "generated Validate, nil", err: typedNil.Validate(ksvla), is: provision.ErrWrongMessage, want: "validate: nil kaspersky.ksvla.v1.ActivationRequest"},
		{name: "reflection Redact, nil", err: provision.Redact(nil, ksvla, keys), is: provision.ErrWrongMessage},
		{name: "reflection Redact, typed nil", err: provision.Redact(typedNil, ksvla, keys), is: provision.ErrWrongMessage, want: "redact: nil kaspersky.ksvla.v1.ActivationRequest"},
		{name: "reflection Validate, nil", err: provision.Validate(nil, ksvla), is: provision.ErrWrongMessage},
		{name: "reflection Validate, typed nil", err: provision.Validate(typedNil, ksvla), is: provision.ErrWrongMessage, want: "validate: nil kaspersky.ksvla.v1.ActivationRequest"},

		// Agreements.
		{name: "undeclared agreement ID", err: second(agreements.Consent("CLOUD")), is: provision.ErrInvalidAgreement, want: `no agreement "CLOUD"`},
		{name: "generated NewConsent", err: second(ksvlav1.NewConsent(ksvlav1.Agreement(99))), is: provision.ErrInvalidAgreement},
		{name: "malformed agreement ID", err: second(provision.NewAgreements("example.v1", provision.AgreementDecl{ID: "license"})), is: provision.ErrInvalidAgreement},
		{name: "agreements of an unknown package", err: second(provision.AgreementsOf("example.none.v1")), is: provision.ErrInvalidAgreement},
		{name: "agreements in no files", err: second(provision.AgreementsIn(new(protoregistry.Files), "example.v1")), is: provision.ErrInvalidAgreement},

		// Validation.
		{name: "generated Validate, fields outside the consent", err: activationRequest().Validate(mustConsent(t, ksvlav1.AgreementEula)), want: "violations:\n - activation_code: requires ACTIVATION_CODE"},
		{name: "reflection Validate, fields outside the consent", err: provision.Validate(activationRequest(), mustConsent(t, ksvlav1.AgreementEula)), want: "violations:\n - activation_code: requires ACTIVATION_CODE"},
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
	c := mustConsent(t, ksvlav1.AgreementActivationCode)
	kess, err := kessv1.NewConsent(kessv1.AgreementEula)
	if err != nil {
		t.Fatal(err)
	}
	var typedNil *ksvlav1.ActivationRequest
	pairs := []struct {
		name                 string
		generated, reflected error
	}{
		{"Redact nil", typedNil.Redact(c, nil), provision.Redact(typedNil, c, nil)},
		{"Validate nil", typedNil.Validate(c), provision.Validate(typedNil, c)},
		{"Redact mismatch", activationRequest().Redact(kess, nil), provision.Redact(activationRequest(), kess, nil)},
		{"Validate mismatch", activationRequest().Validate(kess), provision.Validate(activationRequest(), kess)},
	}
	for _, p := range pairs {
		if p.generated == nil || p.reflected == nil || p.generated.Error() != p.reflected.Error() {
			t.Errorf("%s: generated %v, reflection %v", p.name, p.generated, p.reflected)
		}
	}
}
