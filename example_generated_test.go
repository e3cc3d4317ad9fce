package provision_test

import (
	"errors"
	"fmt"
	"log"
	"log/slog"
	"os"

	"github.com/provisionhq/provision"
	ksvlav1 "github.com/provisionhq/provision/gen/go/kaspersky/ksvla/v1"
)

// exampleKeys returns a provider with a fixed 32-byte key for every key id
// of the activation scenario. Real programs load keys from a secret store.
func exampleKeys() provision.KeyProvider {
	key := []byte("example-key-0123456789abcdefghij") // 32 bytes, for the example only
	keys, err := provision.NewStaticKeys(map[string][]byte{"svm": key, "installation": key, "environment": key})
	if err != nil {
		log.Fatal(err)
	}
	return keys
}

// exampleActivation is an activation request as Kaspersky Security would
// collect it.
func exampleActivation() *ksvlav1.ActivationRequest {
	return &ksvlav1.ActivationRequest{
		ApplicationId:           "KSVLA-6.2",
		ApplicationVersion:      "6.2.0.1234",
		ApplicationLocalization: "en-US",
		SvmId:                   "svm-esx01-042",
		InstallationId:          "0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b",
		ActivationCode:          "AB1C2-DE3F4-GH5J6-KL7M8",
		OsType:                  ksvlav1.OsType_OS_TYPE_LINUX,
		OsVersion:               "Astra Linux 1.7",
		OsBitness:               ksvlav1.OsBitness_OS_BITNESS_64,
	}
}

// The generated Redact method of a scenario message makes it safe to send
// under the run's consent, in place: identifiers become keyed hashes
// (HMAC-SHA256 in hex, deterministic for a key), the rest is kept because
// the activation-code agreement allows it.
func Example_generatedRedact() {
	consent, err := ksvlav1.NewConsent(ksvlav1.AgreementActivationCode)
	if err != nil {
		log.Fatal(err)
	}
	req := exampleActivation()
	if err := req.Redact(consent, exampleKeys()); err != nil {
		log.Fatal(err)
	}
	fmt.Println("application:", req.GetApplicationId(), req.GetApplicationVersion())
	fmt.Println("activation code:", req.GetActivationCode())
	fmt.Println("SVM ID:", req.GetSvmId())
	fmt.Println("installation ID:", req.GetInstallationId())
	// Output:
	// application: KSVLA-6.2 6.2.0.1234
	// activation code: AB1C2-DE3F4-GH5J6-KL7M8
	// SVM ID: add05636edbdbc134544a601ac578a1fc42b1229a00946db432063618293ad3d
	// installation ID: f786c03ac5e488a690c0925f518e7b28ebb5af2973ca8cbf5828de70e275db79
}

// Without the activation-code agreement nothing of the activation request
// may be sent: Redact clears every field.
func Example_generatedRedactWithoutConsent() {
	consent, err := ksvlav1.NewConsent(ksvlav1.AgreementEula)
	if err != nil {
		log.Fatal(err)
	}
	req := exampleActivation()
	if err := req.Redact(consent, exampleKeys()); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%q %q %v\n", req.GetActivationCode(), req.GetSvmId(), req.GetOsType())
	// Output:
	// "" "" OS_TYPE_UNSPECIFIED
}

// Redacted leaves the collected payload as it is and returns the copy to
// send. A key the provider does not hold clears the field that needs it,
// and the error names the field, never its value.
func Example_generatedRedacted() {
	consent, err := ksvlav1.NewConsent(ksvlav1.AgreementActivationCode)
	if err != nil {
		log.Fatal(err)
	}
	keys, err := provision.NewStaticKeys(map[string][]byte{
		"svm": []byte("example-key-0123456789abcdefghij"), // no "installation" nor "environment" key
	})
	if err != nil {
		log.Fatal(err)
	}
	req := exampleActivation()
	out, err := req.Redacted(consent, keys)
	var rerr *provision.RedactError
	if errors.As(err, &rerr) {
		for _, f := range rerr.Fields {
			fmt.Println("cleared:", f.Path, errors.Is(f, provision.ErrUnknownKey))
		}
	}
	fmt.Printf("sent: %q\n", out.GetInstallationId())
	fmt.Println("collected:", req.GetInstallationId())
	// Output:
	// cleared: installation_id true
	// sent: ""
	// collected: 0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b
}

// Validate checks the payload as collected: every populated field must be
// allowed by the consent, and the payload must pass its buf.validate
// rules. Validate before Redact: a hashed ID is no longer a UUID.
func Example_generatedValidate() {
	consent, err := ksvlav1.NewConsent(ksvlav1.AgreementEula)
	if err != nil {
		log.Fatal(err)
	}
	req := &ksvlav1.UpdateRequest{
		ApplicationId:     "KSVLA-6.2",
		LicenseId:         "LIC-2024-0457781",
		InstallationId:    "not-a-uuid",
		UpdateTaskStartId: "f3c9a1d2-7b6e-4a5f-8c3d-2e1f0a9b8c7d",
		FullVersion:       "6.2.0.1234",
	}
	err = req.Validate(consent)
	var verr *provision.ValidationError
	if errors.As(err, &verr) {
		for _, v := range verr.Rules.Violations {
			fmt.Println(v.Proto.GetField().GetElements()[0].GetFieldName(), v.Proto.GetRuleId())
		}
	}
	req.InstallationId = "0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b"
	fmt.Println(req.Validate(consent))

	act := exampleActivation()
	err = act.Validate(consent)
	if errors.As(err, &verr) {
		fmt.Println(len(verr.Consent), "fields need another agreement, first:", verr.Consent[0])
	}
	// Output:
	// installation_id string.uuid
	// <nil>
	// 9 fields need another agreement, first: activation_code: requires ACTIVATION_CODE, which the consent does not grant
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
	logger.Info("activation collected", "request", exampleActivation())
	// Output:
	// level=INFO msg="activation collected" request.applicationId=KSVLA-6.2 request.applicationVersion=6.2.0.1234 request.applicationLocalization=en-US request.svmId=[redacted] request.installationId=[redacted] request.activationCode=[redacted] request.osType=OS_TYPE_LINUX request.osVersion="Astra Linux 1.7" request.osBitness=OS_BITNESS_64
}

// ProvisionFields lists the data items of a payload with their labels,
// classification and redaction: what a settings page or an audit tool
// shows.
func Example_generatedProvisionFields() {
	for _, f := range (*ksvlav1.UpdateRequest)(nil).ProvisionFields() {
		fmt.Printf("%s: %s (%s, %s)\n", f.Path, f.Label, f.Requires, f.Strategy)
	}
	// Output:
	// application_id: ID of Kaspersky Security (EULA, keep)
	// license_id: ID of the active license (EULA, keep)
	// installation_id: Unique ID of the Kaspersky Security installation (EULA, hmac(key=installation))
	// update_task_start_id: Unique ID of the update task start (EULA, hmac(key=task))
	// full_version: Full version of Kaspersky Security (EULA, keep)
}

// The reflection engine gives the generated methods' result for a message
// known only at run time.
func ExampleRedact() {
	consent, err := ksvlav1.NewConsent(ksvlav1.AgreementActivationCode)
	if err != nil {
		log.Fatal(err)
	}
	generated, reflected := exampleActivation(), exampleActivation()
	if err := generated.Redact(consent, exampleKeys()); err != nil {
		log.Fatal(err)
	}
	if err := provision.Redact(reflected, consent, exampleKeys()); err != nil {
		log.Fatal(err)
	}
	fmt.Println(reflected.GetSvmId() == generated.GetSvmId(), reflected.GetSvmId() != "svm-esx01-042")
	// Output:
	// true true
}
