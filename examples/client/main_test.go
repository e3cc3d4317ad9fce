package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/provisionhq/provision"
	ksvlav1 "github.com/provisionhq/provision/gen/go/kaspersky/ksvla/v1"
	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

// sent is one payload the client wrote to the wire.
type sent struct {
	size int
	json string
}

// runClient runs the client with args and returns what it sent by scenario
// id, and its log.
func runClient(t *testing.T, args ...string) (map[string]sent, string) {
	t.Helper()
	var wire, logs bytes.Buffer
	if err := run(args, &wire, &logs); err != nil {
		t.Fatalf("run %v: %v\nlog:\n%s", args, err, logs.String())
	}
	out := map[string]sent{}
	if wire.Len() == 0 {
		return out, logs.String()
	}
	lines := strings.Split(strings.TrimSuffix(wire.String(), "\n"), "\n")
	if len(lines)%2 != 0 {
		t.Fatalf("wire output is not header/payload pairs:\n%s", wire.String())
	}
	for i := 0; i < len(lines); i += 2 {
		id, size, ok := strings.Cut(strings.TrimSuffix(lines[i], " bytes"), " ")
		n, err := strconv.Atoi(size)
		if !ok || err != nil {
			t.Fatalf("bad header %q", lines[i])
		}
		out[id] = sent{size: n, json: lines[i+1]}
	}
	return out, logs.String()
}

// decode reads a sent payload into m from its JSON and checks that its
// binary encoding has the size the client reported.
func decode(t *testing.T, s sent, m proto.Message) {
	t.Helper()
	if err := protojson.Unmarshal([]byte(s.json), m); err != nil {
		t.Fatalf("sent JSON does not decode: %v\n%s", err, s.json)
	}
	if n := proto.Size(m); n != s.size {
		t.Errorf("sent %d bytes of binary, JSON decodes to %d", s.size, n)
	}
}

// builtScenarios returns, sorted, the IDs of the scenarios whose payloads
// the client builds.
func builtScenarios(t *testing.T) []string {
	t.Helper()
	var ids []string
	for _, build := range scenarios {
		sc, _ := proto.GetExtension(build(time.Now()).ProtoReflect().Descriptor().Options(), provisionv1.E_Scenario).(*provisionv1.Scenario)
		if sc.GetId() == "" {
			t.Fatalf("a payload the client builds is of no scenario")
		}
		ids = append(ids, sc.GetId())
	}
	slices.Sort(ids)
	if len(slices.Compact(slices.Clone(ids))) != len(scenarios) {
		t.Fatalf("the client builds two payloads of one scenario: %v", ids)
	}
	return ids
}

// collected values that must never reach the wire (or, for the log, never
// appear in clear).
var secrets = []string{
	"svm-esx01-042", "0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b", "f3c9a1d2-7b6e-4a5f-8c3d-2e1f0a9b8c7d",
	"4c1d9a7e-2b3f-4e5a-8b6c-7d8e9f0a1b2c", "ORD-2024-118230", "vcenter-prod", "alice", "abc123", "f00d",
}

func TestRunAllAgreements(t *testing.T) {
	t.Parallel()
	got, logs := runClient(t)
	ids := slices.Sorted(func(yield func(string) bool) {
		for id := range got {
			if !yield(id) {
				return
			}
		}
	})
	// Under every agreement, every payload the client builds is sent.
	if diff := cmp.Diff(builtScenarios(t), ids); diff != "" {
		t.Fatalf("scenarios sent (-want +got):\n%s", diff)
	}
	for id, s := range got {
		for _, secret := range secrets {
			if strings.Contains(s.json, secret) {
				t.Errorf("%s sent %q: %s", id, secret, s.json)
			}
		}
	}
	for _, secret := range append(slices.Clone(secrets), "AB1C2-DE3F4-GH5J6-KL7M8", "LIC-2024-0457781", "session=") {
		if strings.Contains(logs, secret) {
			t.Errorf("log shows %q:\n%s", secret, logs)
		}
	}

	var act ksvlav1.ActivationRequest
	decode(t, got["ksvla.activation"], &act)
	// A keyed hash of version 2: HMAC-SHA256 under the key derived for
	// the key ID "svm" (provision.Hasher), computed here apart.
	key := sha256.Sum256([]byte("example client key svm"))
	derive := hmac.New(sha256.New, key[:])
	derive.Write([]byte("provision hmac-sha256 v2\x00svm"))
	mac := hmac.New(sha256.New, derive.Sum(nil))
	mac.Write([]byte("svm-esx01-042"))
	if want := provision.HashStringPrefix + hex.EncodeToString(mac.Sum(nil)); act.GetSvmId() != want {
		t.Errorf("svm_id sent as %q, want its HMAC %q", act.GetSvmId(), want)
	}
	if act.GetActivationCode() != "AB1C2-DE3F4-GH5J6-KL7M8" || act.GetActivationTime() == nil {
		t.Errorf("activation lost kept items: %v", &act)
	}

	var stats ksvlav1.LicenseStatisticsReport
	decode(t, got["ksvla.license-statistics"], &stats)
	var counts []uint32
	for _, os := range stats.GetProtectedVmOperatingSystems() {
		counts = append(counts, os.GetApproximateVmCount())
	}
	if diff := cmp.Diff([]uint32{100, 10}, counts); diff != "" || stats.GetApplicationVersion() != "6.2" {
		t.Errorf("license statistics not generalised: version %q, counts (-want +got):\n%s", stats.GetApplicationVersion(), diff)
	}

	var ksn ksvlav1.KsnStandardRequest
	decode(t, got["ksvla.ksn-standard"], &ksn)
	if u := ksn.GetWebReputation().GetScannedUrl(); u != "https://downloads.example.com/files/setup.exe?session=REDACTED&lang=en" {
		t.Errorf("scanned URL under KSN extended sent as %q", u)
	}
	var ext ksvlav1.KsnExtendedSubmission
	decode(t, got["ksvla.ksn-extended"], &ext)
	if len(ext.GetFiles()) != 1 {
		t.Errorf("file portions sent: %d, want 1", len(ext.GetFiles()))
	}
	for _, msg := range []string{"msg=collected", "msg=sent", "payload.svmId=[redacted]", "payload.applicationId=KSVLA-6.2"} {
		if !strings.Contains(logs, msg) {
			t.Errorf("log lacks %q:\n%s", msg, logs)
		}
	}
}

func TestRunConsentGates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		consent    string
		wantSent   []string
		wantNotLog []string
	}{
		{"EULA", []string{"ksvla.links", "ksvla.update"}, []string{"ksvla.activation", "ksvla.license-statistics", "ksvla.ksn-standard", "ksvla.ksn-extended"}},
		{"ksn_standard", []string{"ksvla.ksn-standard", "ksvla.links", "ksvla.update"}, []string{"ksvla.ksn-extended"}},
		// The activation-code agreement implies the EULA.
		{"ACTIVATION_CODE", []string{"ksvla.activation", "ksvla.license-statistics", "ksvla.links", "ksvla.update"}, []string{"ksvla.ksn-standard"}},
		{" ", nil, []string{"ksvla.update", "ksvla.activation"}},
	}
	for _, tt := range tests {
		t.Run(tt.consent, func(t *testing.T) {
			t.Parallel()
			got, logs := runClient(t, "-consent", tt.consent)
			var ids []string
			for id := range got {
				ids = append(ids, id)
			}
			slices.Sort(ids)
			if diff := cmp.Diff(tt.wantSent, ids); diff != "" {
				t.Errorf("sent (-want +got):\n%s", diff)
			}
			for _, id := range tt.wantNotLog {
				if !strings.Contains(logs, `msg="not sent: the user did not accept the agreement" scenario=`+id) {
					t.Errorf("log does not say %s was not sent:\n%s", id, logs)
				}
			}
		})
	}
	t.Run("standard mode strips the query", func(t *testing.T) {
		t.Parallel()
		got, _ := runClient(t, "-consent", "KSN_STANDARD")
		var ksn ksvlav1.KsnStandardRequest
		decode(t, got["ksvla.ksn-standard"], &ksn)
		if u := ksn.GetWebReputation().GetScannedUrl(); u != "https://downloads.example.com/files/setup.exe" {
			t.Errorf("scanned URL under KSN standard sent as %q", u)
		}
	})
}

func TestRunBadFlags(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"-consent", "BOGUS"}, {"-consent", "NONE,unspecified"}, {"-nope"}} {
		var wire, logs bytes.Buffer
		if err := run(args, &wire, &logs); err == nil {
			t.Errorf("run %v: no error", args)
		}
		if wire.Len() != 0 {
			t.Errorf("run %v sent %s", args, wire.String())
		}
	}
}
