package provision_test

import (
	"errors"
	"fmt"
	"log"
	"log/slog"
	"os"
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/provisionhq/provision"
	// notesv1 is the Go that provision generates for the fictional Acme
	// Notes catalog (testdata/catalogs/acme), committed as a golden of
	// the generator. A program imports its own catalog's package, such as
	// gen/go/kaspersky/ksvla/v1: the generated methods are the same.
	notesv1 "github.com/provisionhq/provision/internal/gen/golang/testdata/golden-acme/acme/notes/v1"
)

// exampleKeys returns a provider with a fixed 32-byte key for every key id
// of the catalog. Real programs load keys from a secret store.
func exampleKeys() provision.KeyProvider {
	key := []byte("example-key-0123456789abcdefghij") // 32 bytes, for the example only
	keys, err := provision.NewStaticKeys(map[string][]byte{"acme-account": key, "acme-device": key})
	if err != nil {
		log.Fatal(err)
	}
	return keys
}

// exampleSync is a sync request as Acme Notes would collect it.
func exampleSync() *notesv1.SyncRequest {
	return &notesv1.SyncRequest{
		DeviceId: "9b2f6c1e-4d7a-4e8b-9f10-2a3b4c5d6e7f",
		Client: &notesv1.ClientInfo{
			AppVersion: "4.2.17",
			Platform:   notesv1.Platform_PLATFORM_DESKTOP,
			Locale:     "en-IE",
		},
		ClientIp: "203.0.113.77",
	}
}

// exampleUsage is a weekly usage report as Acme Notes would collect it.
func exampleUsage() *notesv1.UsageReport {
	return &notesv1.UsageReport{
		AccountId:    "5d0c7a3e-1f2b-4c6d-8e9f-0a1b2c3d4e5f",
		DeviceId:     "9b2f6c1e-4d7a-4e8b-9f10-2a3b4c5d6e7f",
		WeekStart:    timestamppb.New(time.Date(2031, 3, 3, 0, 0, 0, 0, time.UTC)),
		CommandsUsed: []string{"export-pdf", "share-link"},
		Features:     []*notesv1.FeatureUse{{Feature: "tags", TimesUsed: 37}},
		HelpPageUrl:  "https://help.example.net/notes/search?q=export&token=s3cret",
		ReferrerUrl:  "https://forum.example.org/t/exporting?page=2",
	}
}

// The generated Redact method of a scenario message makes it safe to send
// under the run's consent, in place: identifiers become keyed hashes
// (HMAC-SHA256 in hex, deterministic for a key), versions and IP
// addresses are shortened, and an item the consent does not allow is
// cleared.
func Example_generatedRedact() {
	consent, err := notesv1.NewConsent(notesv1.AgreementTermsOfService)
	if err != nil {
		log.Fatal(err)
	}
	req := exampleSync()
	if err := req.Redact(consent, exampleKeys()); err != nil {
		log.Fatal(err)
	}
	fmt.Println("device ID:", req.GetDeviceId())
	fmt.Println("app version:", req.GetClient().GetAppVersion())
	fmt.Printf("locale: %q\n", req.GetClient().GetLocale())
	fmt.Println("IP address:", req.GetClientIp())
	// Output:
	// device ID: v2:698d3b8f4ef43b0e445539a5d1a0474bd461c1c499a0e5b69a3332c3fc95adb9
	// app version: 4.2
	// locale: ""
	// IP address: 203.0.113.0
}

// Without the usage-analytics agreement nothing of the usage report may be
// sent: Redact clears every field.
func Example_generatedRedactWithoutConsent() {
	consent, err := notesv1.NewConsent(notesv1.AgreementTermsOfService)
	if err != nil {
		log.Fatal(err)
	}
	req := exampleUsage()
	if err := req.Redact(consent, exampleKeys()); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%q %q %v %d\n", req.GetAccountId(), req.GetHelpPageUrl(), req.GetWeekStart(), len(req.GetFeatures()))
	// Output:
	// "" "" <nil> 0
}

// Redacted leaves the collected payload as it is and returns the copy to
// send. A key the provider does not hold clears the field that needs it,
// and the error names the field, never its value.
func Example_generatedRedacted() {
	consent, err := notesv1.NewConsent(notesv1.AgreementUsageAnalytics)
	if err != nil {
		log.Fatal(err)
	}
	keys, err := provision.NewStaticKeys(map[string][]byte{
		"acme-device": []byte("example-key-0123456789abcdefghij"), // no "acme-account" key
	})
	if err != nil {
		log.Fatal(err)
	}
	req := exampleUsage()
	out, err := req.Redacted(consent, keys)
	var rerr *provision.RedactError
	if errors.As(err, &rerr) {
		for _, f := range rerr.Fields {
			fmt.Println("cleared:", f.Path, errors.Is(f, provision.ErrUnknownKey))
		}
	}
	fmt.Printf("sent: %q\n", out.GetAccountId())
	fmt.Println("collected:", req.GetAccountId())
	fmt.Println("help page sent as:", out.GetHelpPageUrl())
	// Output:
	// cleared: account_id true
	// sent: ""
	// collected: 5d0c7a3e-1f2b-4c6d-8e9f-0a1b2c3d4e5f
	// help page sent as: https://help.example.net/notes/search?q=export&token=REDACTED
}

// Validate checks the payload as collected: every populated field must be
// allowed by the consent, and the payload must pass its buf.validate
// rules. Validate before Redact: a hashed ID is no longer a UUID.
func Example_generatedValidate() {
	consent, err := notesv1.NewConsent(notesv1.AgreementTermsOfService)
	if err != nil {
		log.Fatal(err)
	}
	req := &notesv1.SyncRequest{
		DeviceId: "not-a-uuid",
		Client:   &notesv1.ClientInfo{AppVersion: "4.2.17", Platform: notesv1.Platform_PLATFORM_MOBILE},
	}
	err = req.Validate(consent)
	var verr *provision.ValidationError
	if errors.As(err, &verr) {
		for _, v := range verr.Rules.Violations {
			fmt.Println(v.Proto.GetField().GetElements()[0].GetFieldName(), v.Proto.GetRuleId())
		}
	}
	req.DeviceId = "9b2f6c1e-4d7a-4e8b-9f10-2a3b4c5d6e7f"
	fmt.Println(req.Validate(consent))

	usage := exampleUsage()
	err = usage.Validate(consent)
	if errors.As(err, &verr) {
		fmt.Println(len(verr.Consent), "fields need another agreement, first:", verr.Consent[0])
	}
	// Output:
	// device_id string.uuid
	// <nil>
	// 7 fields need another agreement, first: account_id: requires USAGE_ANALYTICS, which the consent does not grant
}

// LogValue lets log/slog show a payload safely: anonymous items in clear,
// every other item as "[redacted]", whatever the handler.
func Example_generatedLogValue() {
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // deterministic output
			}
			return a
		},
	}))
	logger.Info("sync collected", "request", exampleSync())
	// Output:
	// level=INFO msg="sync collected" request.deviceId=[redacted] request.client.appVersion=4.2.17 request.client.platform=PLATFORM_DESKTOP request.client.locale=en-IE request.clientIp=[redacted]
}

// fmt prints a payload as safe logging shows it, whatever the verb;
// String, protoc-gen-go's, prints every value in clear.
func Example_generatedFormat() {
	req := exampleSync()
	fmt.Printf("%v\n", req)
	fmt.Println(strings.Contains(req.String(), req.DeviceId))
	// Output:
	// {deviceId:[redacted] client:{appVersion:"4.2.17" platform:"PLATFORM_DESKTOP" locale:"en-IE"} clientIp:[redacted]}
	// true
}

// ProvisionFields lists the data items of a payload with their labels,
// classification and redaction: what a settings page or an audit tool
// shows.
func Example_generatedProvisionFields() {
	for _, f := range (*notesv1.SyncRequest)(nil).ProvisionFields() {
		fmt.Printf("%s: %s (%s, %s)\n", f.Path, f.Label, f.Requires, f.Strategy)
	}
	// Output:
	// device_id: Device identifier (TERMS_OF_SERVICE, hmac(key=acme-device))
	// client: Information about the app (TERMS_OF_SERVICE, keep)
	// client.app_version: Version of Acme Notes (TERMS_OF_SERVICE, generalize_version(2); under USAGE_ANALYTICS: keep)
	// client.platform: Type of device (TERMS_OF_SERVICE, keep)
	// client.locale: Interface language of the app (USAGE_ANALYTICS, keep)
	// client_ip: IP address of the device (TERMS_OF_SERVICE, ip_truncate(/24, /48))
}

// The reflection engine gives the generated methods' result for a message
// known only at run time.
func ExampleRedact() {
	consent, err := notesv1.NewConsent(notesv1.AgreementUsageAnalytics)
	if err != nil {
		log.Fatal(err)
	}
	generated, reflected := exampleUsage(), exampleUsage()
	if err := generated.Redact(consent, exampleKeys()); err != nil {
		log.Fatal(err)
	}
	if err := provision.Redact(reflected, consent, exampleKeys()); err != nil {
		log.Fatal(err)
	}
	fmt.Println(reflected.GetAccountId() == generated.GetAccountId(), reflected.GetAccountId() != exampleUsage().GetAccountId())
	fmt.Println(reflected.GetFeatures()[0].GetTimesUsed() == generated.GetFeatures()[0].GetTimesUsed(), reflected.GetFeatures()[0].GetTimesUsed())
	// Output:
	// true true
	// true 10
}
