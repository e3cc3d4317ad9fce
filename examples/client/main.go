// Command client is an example of a product using the generated code to
// send its data-provision payloads: for each Light Agent scenario it builds
// the payload as the product collects it, checks it against the run's
// consent and the payload's rules (Validate), makes it safe to send
// (Redact), encodes it for the wire (binary protobuf, and protojson for
// collectors that take JSON) and logs it with log/slog, which shows only
// anonymous items.
//
// Usage:
//
//	go run ./examples/client [-consent EULA,ACTIVATION_CODE,KSN_EXTENDED]
//
// The encoded payloads go to standard output, as a stand-in for the
// network; the log goes to standard error.
package main

import (
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/provisionhq/provision"
	ksvlav1 "github.com/provisionhq/provision/gen/go/kaspersky/ksvla/v1"
	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "client:", err)
		os.Exit(1)
	}
}

// payload is what the generated code gives every scenario message.
type payload interface {
	proto.Message
	Validate(provision.Consent) error
	Redact(provision.Consent, provision.KeyProvider) error
	LogValue() slog.Value
}

// scenarios builds the payload of every Light Agent scenario as the
// product would collect it, in the order the product sends them.
var scenarios = []func(now time.Time) payload{
	func(time.Time) payload {
		return &ksvlav1.UpdateRequest{
			ApplicationId:     "KSVLA-6.2",
			LicenseId:         "LIC-2024-0457781",
			InstallationId:    "0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b",
			UpdateTaskStartId: "f3c9a1d2-7b6e-4a5f-8c3d-2e1f0a9b8c7d",
			FullVersion:       "6.2.0.1234",
		}
	},
	func(time.Time) payload {
		hash := sha256.Sum256([]byte("detected object"))
		return &ksvlav1.InterfaceLinkRequest{
			ApplicationType:    "LightAgent",
			Version:            "6.2.0.1234",
			InterfaceLanguage:  "en-US",
			WebPageId:          "ksvla-threat-details",
			DetectedThreatHash: hash[:],
			DetectedThreatName: "HEUR:Trojan.Win32.Generic",
		}
	},
	func(now time.Time) payload {
		return &ksvlav1.ActivationRequest{
			ApplicationId:            "KSVLA-6.2",
			ApplicationVersion:       "6.2.0.1234",
			ApplicationLocalization:  "en-US",
			CompatibleApplicationIds: []string{"KSC-14.2"},
			SvmId:                    "svm-esx01-042",
			InstallationId:           "0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b",
			ActivationCode:           "AB1C2-DE3F4-GH5J6-KL7M8",
			ActivationTime:           timestamppb.New(now),
			OsType:                   ksvlav1.OsType_OS_TYPE_LINUX,
			OsVersion:                "Astra Linux 1.7",
			OsBitness:                ksvlav1.OsBitness_OS_BITNESS_64,
			VirtualEnvironmentName:   "vcenter-prod",
		}
	},
	func(time.Time) payload {
		return &ksvlav1.LicenseStatisticsReport{
			ApplicationType:         "LightAgent",
			ApplicationVersion:      "6.2.0.1234",
			ApplicationLocalization: "en-US",
			VirtualInfrastructure: &ksvlav1.LicenseStatisticsReport_Hypervisor{
				Hypervisor: &ksvlav1.Hypervisor{Type: "VMware ESXi", Version: "8.0.2"},
			},
			ProtectedVmOperatingSystems: []*ksvlav1.ProtectedVmOperatingSystem{
				{OsType: ksvlav1.OsType_OS_TYPE_WINDOWS, OsVersion: "Windows Server 2022", OsBitness: ksvlav1.OsBitness_OS_BITNESS_64, ApproximateVmCount: 137},
				{OsType: ksvlav1.OsType_OS_TYPE_LINUX, OsVersion: "Astra Linux 1.7", OsBitness: ksvlav1.OsBitness_OS_BITNESS_64, ApproximateVmCount: 12},
			},
			SvmUuid:               "4c1d9a7e-2b3f-4e5a-8b6c-7d8e9f0a1b2c",
			LicenseEdition:        "Enterprise",
			LicenseOrderNumber:    "ORD-2024-118230",
			LicensingSchemeType:   "per-core",
			LicensingUnitsAllowed: 500,
			LicensingUnitsInUse:   312,
		}
	},
	func(time.Time) payload {
		checksum := sha256.Sum256([]byte("scanned object"))
		return &ksvlav1.KsnStandardRequest{
			FileScan: &ksvlav1.FileScan{
				DetectedThreatName: "HEUR:Trojan.Win32.Generic",
				DetectedThreatId:   4811235,
				// The source lists "checksum of the scanned object or type of
				// hash function": one of the two is sent.
				Checksum:            &ksvlav1.FileScan_ScannedObjectChecksum{ScannedObjectChecksum: checksum[:]},
				AntivirusDatabaseId: "202401101230",
			},
			WebReputation: &ksvlav1.WebReputation{
				ScannedUrl:         "https://alice:secret@downloads.example.com/files/setup.exe?session=abc123&lang=en",
				ConnectionProtocol: "https",
				Port:               443,
				ReferrerUrl:        "https://search.example.org/results?q=setup&token=f00d",
			},
			General: &ksvlav1.GeneralInformation{
				ApplicationType:             "LightAgent",
				FullVersion:                 "6.2.0.1234",
				Components:                  []string{"FileThreatProtection", "WebThreatProtection"},
				SvmOperatingSystem:          "Astra Linux 1.7",
				ProtectedVmOperatingSystems: []string{"Windows Server 2022"},
			},
		}
	},
	func(time.Time) payload {
		return &ksvlav1.KsnExtendedSubmission{
			Files: [][]byte{[]byte("MZ\x90\x00\x03\x00\x00\x00 portion of a suspicious file")},
		}
	},
}

// run parses args, then builds, checks, redacts, encodes and logs every
// scenario's payload the consent allows; wire receives the encoded
// payloads, logs the log.
func run(args []string, wire, logs io.Writer) error {
	fs := flag.NewFlagSet("client", flag.ContinueOnError)
	fs.SetOutput(logs)
	agreements := fs.String("consent", "EULA,ACTIVATION_CODE,KSN_EXTENDED",
		"comma-separated agreements the user accepted ("+strings.Join(ksvlav1.Agreements().IDs(), ", ")+")")
	if err := fs.Parse(args); err != nil {
		return err
	}
	consent, err := parseConsent(*agreements)
	if err != nil {
		return err
	}
	keys, err := loadKeys()
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(logs, nil))
	now := time.Now()
	for _, build := range scenarios {
		if err := send(build(now), consent, keys, wire, logger); err != nil {
			return err
		}
	}
	return nil
}

// send runs one payload through the pipeline. A payload whose agreement
// the consent does not grant is not built into a request at all; one that
// fails its checks is not sent.
func send(p payload, consent provision.Consent, keys provision.KeyProvider, wire io.Writer, logger *slog.Logger) error {
	sc, _ := proto.GetExtension(p.ProtoReflect().Descriptor().Options(), provisionv1.E_Scenario).(*provisionv1.Scenario)
	logger = logger.With("scenario", sc.GetId())
	if !consent.Grants(sc.GetAgreement()) {
		logger.Info("not sent: the user did not accept the agreement", "agreement", sc.GetAgreement())
		return nil
	}
	// Validate the payload as collected: redaction changes values.
	if err := p.Validate(consent); err != nil {
		logger.Error("not sent: payload fails its checks", "err", err)
		return nil
	}
	logger.Info("collected", "payload", p)
	if err := p.Redact(consent, keys); err != nil {
		var rerr *provision.RedactError
		if !errors.As(err, &rerr) {
			return fmt.Errorf("%s: %w", sc.GetId(), err)
		}
		// The fields that could not be redacted were cleared: the payload
		// is still safe to send.
		logger.Warn("fields cleared", "err", err)
	}
	bin, err := proto.Marshal(p)
	if err != nil {
		return fmt.Errorf("%s: encode: %w", sc.GetId(), err)
	}
	js, err := protojson.Marshal(p)
	if err != nil {
		return fmt.Errorf("%s: encode JSON: %w", sc.GetId(), err)
	}
	if _, err := fmt.Fprintf(wire, "%s %d bytes\n%s\n", sc.GetId(), len(bin), js); err != nil {
		return err
	}
	logger.Info("sent", "bytes", len(bin), "payload", p)
	return nil
}

// parseConsent reads a comma-separated list of the Light Agent's
// agreement IDs.
func parseConsent(list string) (provision.Consent, error) {
	var ids []string
	for name := range strings.SplitSeq(list, ",") {
		if name = strings.ToUpper(strings.TrimSpace(name)); name != "" {
			ids = append(ids, name)
		}
	}
	c, err := ksvlav1.Agreements().Consent(ids...)
	if err != nil {
		return provision.Consent{}, fmt.Errorf("-consent: %w (the Light Agent declares %s)", err, strings.Join(ksvlav1.Agreements().IDs(), ", "))
	}
	return c, nil
}

// loadKeys returns the HMAC keys of the Light Agent scenarios. A product
// loads them from its secret store; this example derives fixed keys so
// that its output can be checked.
func loadKeys() (provision.KeyProvider, error) {
	keys := map[string][]byte{}
	for _, id := range []string{"environment", "installation", "license-order", "svm", "task"} {
		k := sha256.Sum256([]byte("example client key " + id))
		keys[id] = k[:]
	}
	return provision.NewStaticKeys(keys)
}
