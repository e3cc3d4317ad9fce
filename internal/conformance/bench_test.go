package conformance_test

import (
	"bytes"
	"os"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	ksvlav1 "github.com/provisionhq/provision/gen/go/kaspersky/ksvla/v1"
	"github.com/provisionhq/provision/internal/impl"
)

// The benchmarks compare the generated code with the reflection engine on
// the same payloads, and with the protobuf operations a client runs anyway
// (proto.Marshal, protovalidate). Redaction works in place, so every
// iteration first puts the collected values back by plain assignment of
// preallocated values: both sides pay the same refill, and the *Refill
// benchmarks measure it alone.

// benchKeys holds a key for every key id of the Light Agent scenarios.
var benchKeys = func() impl.KeyProvider {
	ids := map[string][]byte{}
	for _, id := range []string{"environment", "installation", "license-order", "svm", "task"} {
		ids[id] = bytes.Repeat([]byte(id[:1]), impl.MinKeySize)
	}
	keys, err := impl.NewStaticKeys(ids)
	if err != nil {
		panic(err)
	}
	return keys
}()

func benchConsent(agreements ...ksvlav1.Agreement) impl.Consent {
	c, err := ksvlav1.NewConsent(agreements...)
	if err != nil {
		panic(err)
	}
	return c
}

var (
	// eulaOnly does not grant the activation-code agreement: every field
	// of an ActivationRequest is dropped.
	eulaOnly       = benchConsent(ksvlav1.AgreementEula)
	activationCode = benchConsent(ksvlav1.AgreementActivationCode)
	ksnExtended    = benchConsent(ksvlav1.AgreementKsnExtended)
)

// Preallocated collected values, assigned on every refill.
var (
	benchActivationTime = timestamppb.New(time.Date(2024, 1, 10, 12, 30, 0, 0, time.UTC))
	benchCompatibleIDs  = []string{"KSC-14.2", "KSC-15.0"}
	benchChecksum       = bytes.Repeat([]byte{0x5a}, 32) // a SHA-256 digest
	benchComponents     = []string{"FileThreatProtection", "WebThreatProtection", "NetworkThreatProtection"}
	benchModuleUpdates  = []string{"6.2.0.1234-patch-b"}
	benchVMSystems      = []string{"Windows Server 2022", "Astra Linux 1.7"}
)

func fillActivation(x *ksvlav1.ActivationRequest) {
	x.ApplicationId = "KSVLA-6.2"
	x.ApplicationVersion = "6.2.0.1234"
	x.ApplicationLocalization = "en-US"
	x.CompatibleApplicationIds = benchCompatibleIDs
	x.SvmId = "svm-esx01-042"
	x.InstallationId = "0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b"
	x.ActivationCode = "AB1C2-DE3F4-GH5J6-KL7M8"
	x.ActivationTime = benchActivationTime
	x.OsType = ksvlav1.OsType_OS_TYPE_LINUX
	x.OsVersion = "Astra Linux 1.7"
	x.OsBitness = ksvlav1.OsBitness_OS_BITNESS_64
	x.VirtualEnvironmentName = "vcenter-prod"
	x.LicenseConfirmationPackaging = "xml"
}

// ksnStandard is a KsnStandardRequest with its nested messages
// preallocated once; fill puts the collected values back.
type ksnStandard struct {
	msg     *ksvlav1.KsnStandardRequest
	file    *ksvlav1.FileScan
	web     *ksvlav1.WebReputation
	general *ksvlav1.GeneralInformation
}

func newKsnStandard() *ksnStandard {
	k := &ksnStandard{
		msg:     &ksvlav1.KsnStandardRequest{},
		file:    &ksvlav1.FileScan{},
		web:     &ksvlav1.WebReputation{},
		general: &ksvlav1.GeneralInformation{},
	}
	k.fill()
	return k
}

func (k *ksnStandard) fill() {
	k.file.DetectedThreatName = "HEUR:Trojan.Win32.Generic"
	k.file.DetectedThreatId = 4811235
	k.file.ScannedObjectChecksum = benchChecksum
	k.file.HashFunction = ksvlav1.HashFunction_HASH_FUNCTION_SHA256
	k.file.AntivirusDatabaseId = "202401101230"
	k.web.ScannedUrl = "https://user:secret@downloads.example.com/files/setup.exe?session=abc123&lang=en#top"
	k.web.ConnectionProtocol = "https"
	k.web.Port = 443
	k.web.ReferrerUrl = "https://search.example.org/results?q=setup&token=f00d"
	k.general.ApplicationType = "LightAgent"
	k.general.FullVersion = "6.2.0.1234"
	k.general.Components = benchComponents
	k.general.ModuleUpdates = benchModuleUpdates
	k.general.SvmOperatingSystem = "Astra Linux 1.7"
	k.general.ProtectedVmOperatingSystems = benchVMSystems
	k.msg.FileScan, k.msg.WebReputation, k.msg.General = k.file, k.web, k.general
}

// licenseStatistics is a LicenseStatisticsReport (hmac,
// generalize_version, bucket and a oneof) with its nested messages
// preallocated once.
type licenseStatistics struct {
	msg        *ksvlav1.LicenseStatisticsReport
	hypervisor *ksvlav1.LicenseStatisticsReport_Hypervisor
	systems    []*ksvlav1.ProtectedVmOperatingSystem
	list       []*ksvlav1.ProtectedVmOperatingSystem
}

func newLicenseStatistics() *licenseStatistics {
	l := &licenseStatistics{
		msg:        &ksvlav1.LicenseStatisticsReport{},
		hypervisor: &ksvlav1.LicenseStatisticsReport_Hypervisor{Hypervisor: &ksvlav1.Hypervisor{}},
		systems:    []*ksvlav1.ProtectedVmOperatingSystem{{}, {}},
	}
	l.list = make([]*ksvlav1.ProtectedVmOperatingSystem, len(l.systems))
	l.fill()
	return l
}

func (l *licenseStatistics) fill() {
	x := l.msg
	x.ApplicationType = "LightAgent"
	x.ApplicationVersion = "6.2.0.1234"
	x.ApplicationLocalization = "en-US"
	l.hypervisor.Hypervisor.Type = "VMware ESXi"
	l.hypervisor.Hypervisor.Version = "8.0.2"
	x.VirtualInfrastructure = l.hypervisor
	l.systems[0].OsType = ksvlav1.OsType_OS_TYPE_WINDOWS
	l.systems[0].OsVersion = "Windows Server 2022"
	l.systems[0].OsBitness = ksvlav1.OsBitness_OS_BITNESS_64
	l.systems[0].ApproximateVmCount = 137
	l.systems[1].OsType = ksvlav1.OsType_OS_TYPE_LINUX
	l.systems[1].OsVersion = "Astra Linux 1.7"
	l.systems[1].OsBitness = ksvlav1.OsBitness_OS_BITNESS_64
	l.systems[1].ApproximateVmCount = 12
	copy(l.list, l.systems)
	x.ProtectedVmOperatingSystems = l.list
	x.SvmUuid = "4c1d9a7e-2b3f-4e5a-8b6c-7d8e9f0a1b2c"
	x.LicenseEdition = "Enterprise"
	x.LicenseOrderNumber = "ORD-2024-118230"
	x.LicensingSchemeType = "per-core"
	x.LicensingUnitsAllowed = 500
	x.LicensingUnitsInUse = 312
}

// benchRedact measures fill followed by redact, failing on an error.
func benchRedact(b *testing.B, fill func(), redact func() error) {
	fill()
	b.ReportAllocs()
	for b.Loop() {
		fill()
		if err := redact(); err != nil {
			b.Fatal(err)
		}
	}
}

// The named benchmark bodies, shared by the Benchmark functions and by
// TestBenchmarkRatios.
var (
	dropGenerated = func(b *testing.B) {
		x := &ksvlav1.ActivationRequest{}
		benchRedact(b, func() { fillActivation(x) }, func() error { return x.Redact(eulaOnly, benchKeys) })
	}
	dropReflection = func(b *testing.B) {
		x := &ksvlav1.ActivationRequest{}
		benchRedact(b, func() { fillActivation(x) }, func() error { return impl.Redact(x, eulaOnly, benchKeys) })
	}
	dropRefill = func(b *testing.B) {
		x := &ksvlav1.ActivationRequest{}
		benchRedact(b, func() { fillActivation(x) }, func() error { return nil })
	}
	keepGenerated = func(b *testing.B) {
		k := newKsnStandard()
		k.web.ScannedUrl, k.web.ReferrerUrl = "", "" // the only items not kept
		benchRedact(b, func() {}, func() error { return k.msg.Redact(ksnExtended, benchKeys) })
	}
	keepReflection = func(b *testing.B) {
		k := newKsnStandard()
		k.web.ScannedUrl, k.web.ReferrerUrl = "", ""
		benchRedact(b, func() {}, func() error { return impl.Redact(k.msg, ksnExtended, benchKeys) })
	}
	ksnGenerated = func(b *testing.B) {
		k := newKsnStandard()
		benchRedact(b, k.fill, func() error { return k.msg.Redact(ksnExtended, benchKeys) })
	}
	ksnReflection = func(b *testing.B) {
		k := newKsnStandard()
		benchRedact(b, k.fill, func() error { return impl.Redact(k.msg, ksnExtended, benchKeys) })
	}
	ksnMarshal = func(b *testing.B) {
		k := newKsnStandard()
		benchMarshal(b, k.msg)
	}
	licenseGenerated = func(b *testing.B) {
		l := newLicenseStatistics()
		benchRedact(b, l.fill, func() error { return l.msg.Redact(activationCode, benchKeys) })
	}
	licenseReflection = func(b *testing.B) {
		l := newLicenseStatistics()
		benchRedact(b, l.fill, func() error { return impl.Redact(l.msg, activationCode, benchKeys) })
	}
	licenseMarshal = func(b *testing.B) {
		l := newLicenseStatistics()
		benchMarshal(b, l.msg)
	}
	validateGenerated = func(b *testing.B) {
		x := &ksvlav1.ActivationRequest{}
		fillActivation(x)
		b.ReportAllocs()
		for b.Loop() {
			if err := x.Validate(activationCode); err != nil {
				b.Fatal(err)
			}
		}
	}
	validateProtovalidate = func(b *testing.B) {
		x := &ksvlav1.ActivationRequest{}
		fillActivation(x)
		v, err := impl.Validator()
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if err := v.Validate(x); err != nil {
				b.Fatal(err)
			}
		}
	}
)

func benchMarshal(b *testing.B, m proto.Message) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := proto.Marshal(m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRedactDropOnly redacts a fully populated ActivationRequest under
// a consent without the activation-code agreement: every field is dropped.
func BenchmarkRedactDropOnly(b *testing.B) {
	b.Run("generated", dropGenerated)
	b.Run("reflection", dropReflection)
	b.Run("refill", dropRefill)
}

// BenchmarkRedactKeepAll redacts a KsnStandardRequest whose populated
// items are all kept under KSN extended: nothing changes, so no refill is
// needed and the figures are the gating alone.
func BenchmarkRedactKeepAll(b *testing.B) {
	b.Run("generated", keepGenerated)
	b.Run("reflection", keepReflection)
}

// BenchmarkRedactKsnStandard redacts a KsnStandardRequest under KSN
// extended (url_sanitize on two URLs, the rest kept) and compares with one
// proto.Marshal of the same payload.
func BenchmarkRedactKsnStandard(b *testing.B) {
	b.Run("generated", ksnGenerated)
	b.Run("reflection", ksnReflection)
	b.Run("marshal", ksnMarshal)
}

// BenchmarkRedactLicenseStatistics redacts a LicenseStatisticsReport under
// the activation-code agreement (hmac, generalize_version, bucket).
func BenchmarkRedactLicenseStatistics(b *testing.B) {
	b.Run("generated", licenseGenerated)
	b.Run("reflection", licenseReflection)
	b.Run("marshal", licenseMarshal)
}

// BenchmarkValidate compares the generated Validate (consent gate plus
// protovalidate) with protovalidate alone on a valid ActivationRequest.
// The gate is the generated code's own (unexported) part; its cost is the
// difference of the two.
func BenchmarkValidate(b *testing.B) {
	b.Run("generated", validateGenerated)
	b.Run("protovalidate", validateProtovalidate)
}

// benchRounds is how often TestBenchmarkRatios runs each benchmark.
const benchRounds = 3

// benchRatiosEnv is the environment variable that turns
// TestBenchmarkRatios on.
const benchRatiosEnv = "PROVISION_BENCH_RATIOS"

// TestBenchmarkRatios runs the benchmarks above in one process and logs
// the ratios the project tracks. It asserts nothing about timing (that
// depends on the machine) and takes about a minute, so it is opt-in: it
// runs only when PROVISION_BENCH_RATIOS=1, and skips otherwise, in CI too:
//
//	PROVISION_BENCH_RATIOS=1 go test -run TestBenchmarkRatios -v ./internal/conformance
func TestBenchmarkRatios(t *testing.T) {
	if os.Getenv(benchRatiosEnv) != "1" {
		t.Skipf("benchmarks take about a minute; set %s=1 to run them", benchRatiosEnv)
	}
	ns := func(r testing.BenchmarkResult) float64 { return float64(r.T.Nanoseconds()) / float64(r.N) }
	benches := []struct {
		name string
		f    func(*testing.B)
	}{
		{"drop/generated", dropGenerated}, {"drop/reflection", dropReflection}, {"drop/refill", dropRefill},
		{"keep/generated", keepGenerated}, {"keep/reflection", keepReflection},
		{"ksn-standard/generated", ksnGenerated}, {"ksn-standard/reflection", ksnReflection}, {"ksn-standard/marshal", ksnMarshal},
		{"license-stats/generated", licenseGenerated}, {"license-stats/reflection", licenseReflection}, {"license-stats/marshal", licenseMarshal},
		{"validate/generated", validateGenerated}, {"validate/protovalidate", validateProtovalidate},
	}
	// Every benchmark runs benchRounds times, the rounds interleaved so
	// that a busy moment of the machine hits all of them alike; the
	// fastest round of each counts, the one least disturbed.
	best := map[string]testing.BenchmarkResult{}
	for range benchRounds {
		for _, bb := range benches {
			r := testing.Benchmark(bb.f)
			if r.N == 0 {
				t.Fatalf("benchmark %s failed", bb.name)
			}
			if b, ok := best[bb.name]; !ok || ns(r) < ns(b) {
				best[bb.name] = r
			}
		}
	}
	for _, bb := range benches {
		r := best[bb.name]
		t.Logf("%-26s %9.1f ns/op %3d allocs/op %5d B/op", bb.name, ns(r), r.AllocsPerOp(), r.AllocedBytesPerOp())
	}
	ratio := func(a, b string) float64 { return ns(best[a]) / ns(best[b]) }
	t.Logf("drop-only: reflection/generated = %.1fx (target >= 50x), generated %d allocs/op (target 0)",
		ratio("drop/reflection", "drop/generated"), best["drop/generated"].AllocsPerOp())
	refill := ns(best["drop/refill"])
	t.Logf("drop-only less the refill both pay: reflection/generated = %.1fx",
		(ns(best["drop/reflection"])-refill)/max(ns(best["drop/generated"])-refill, 0.1))
	t.Logf("keep-all: reflection/generated = %.1fx, generated %d allocs/op",
		ratio("keep/reflection", "keep/generated"), best["keep/generated"].AllocsPerOp())
	for _, p := range []string{"ksn-standard", "license-stats"} {
		t.Logf("%s: reflection/generated = %.2fx (target >= 1.5x), generated/marshal = %.2fx (target <= 4x)",
			p, ratio(p+"/reflection", p+"/generated"), ratio(p+"/generated", p+"/marshal"))
	}
	t.Logf("validate: generated/protovalidate = %.2fx (target <= 1.2x)",
		ratio("validate/generated", "validate/protovalidate"))
}
