package provision_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/provisionhq/provision"
	"github.com/provisionhq/provision/internal/fixture"
	notesv1 "github.com/provisionhq/provision/internal/gen/golang/testdata/golden-acme/acme/notes/v1"
	"github.com/provisionhq/provision/internal/protoload"
)

// generatedPayload is what generated code adds to a scenario message.
type generatedPayload interface {
	proto.Message
	Redact(provision.Consent, provision.KeyProvider) error
	Validate(provision.Consent) error
}

// The runtime's tests run the Go generated for the fictional Acme catalog
// (notesv1, the golden of internal/gen/golang), not the repository's own
// catalog, so that an edit of that catalog cannot break them.

func mustConsent(t testing.TB, agreements ...notesv1.Agreement) provision.Consent {
	t.Helper()
	c, err := notesv1.NewConsent(agreements...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// allKeys holds a 32-byte key for every key id of the Acme scenarios but
// those in omit.
func allKeys(t testing.TB, omit ...string) *provision.StaticKeys {
	t.Helper()
	ids := map[string][]byte{}
	for _, id := range []string{"acme-account", "acme-device"} {
		if !slices.Contains(omit, id) {
			ids[id] = bytes.Repeat([]byte(id[5:6]), provision.MinKeySize)
		}
	}
	keys, err := provision.NewStaticKeys(ids)
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// usageReport is a usage report with every item but the week's start
// populated: two identifiers hashed with keys of their own, a list, a
// list of messages with bucketed counts and two web addresses.
func usageReport() *notesv1.UsageReport {
	return &notesv1.UsageReport{
		AccountId:    "5d0c7a3e-1f2b-4c6d-8e9f-0a1b2c3d4e5f",
		DeviceId:     "9b2f6c1e-4d7a-4e8b-9f10-2a3b4c5d6e7f",
		CommandsUsed: []string{"export-pdf"},
		Features:     []*notesv1.FeatureUse{{Feature: "tags", TimesUsed: 37}},
		HelpPageUrl:  "https://help.example.net/notes/search?q=export&token=s3cret",
		ReferrerUrl:  "https://forum.example.org/t/exporting?page=2",
	}
}

// fieldPaths returns the paths a *provision.RedactError lists, and checks
// that each cause wraps want.
func fieldPaths(t *testing.T, err error, want error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var rerr *provision.RedactError
	if !errors.As(err, &rerr) {
		t.Fatalf("error %v (%T) is not a *provision.RedactError", err, err)
	}
	var paths []string
	for _, f := range rerr.Fields {
		if !errors.Is(f, want) {
			t.Errorf("field %s: error %v does not wrap %v", f.Path, f.Err, want)
		}
		paths = append(paths, f.Path)
	}
	return paths
}

// redactBoth redacts two copies of m, one with the generated method and one
// with the reflection engine, checks that both give the same message and
// the same failed paths, and returns the generated result.
func redactBoth(t *testing.T, m generatedPayload, c provision.Consent, keys provision.KeyProvider, want error) (proto.Message, []string) {
	t.Helper()
	gen := proto.Clone(m).(generatedPayload)
	refl := proto.Clone(m)
	genPaths := fieldPaths(t, gen.Redact(c, keys), want)
	reflPaths := fieldPaths(t, provision.Redact(refl, c, keys), want)
	if diff := cmp.Diff(gen, refl, protocmp.Transform()); diff != "" {
		t.Errorf("generated and reflection redaction differ (-generated +reflection):\n%s", diff)
	}
	if diff := cmp.Diff(genPaths, reflPaths); diff != "" {
		t.Errorf("generated and reflection report different fields (-generated +reflection):\n%s", diff)
	}
	return gen, genPaths
}

func TestNilMessages(t *testing.T) {
	t.Parallel()
	c := mustConsent(t, notesv1.AgreementUsageAnalytics)
	keys := allKeys(t)
	var typedNil *notesv1.UsageReport
	tests := []struct {
		name string
		run  func() error
	}{
		{"reflection Redact nil", func() error { return provision.Redact(nil, c, keys) }},
		{"reflection Redact typed nil", func() error { return provision.Redact(typedNil, c, keys) }},
		{"reflection Validate nil", func() error { return provision.Validate(nil, c) }},
		{"reflection Validate typed nil", func() error { return provision.Validate(typedNil, c) }},
		{"generated Redact", func() error { return typedNil.Redact(c, keys) }},
		{"generated Redacted", func() error {
			out, err := typedNil.Redacted(c, keys)
			if out != nil {
				return fmt.Errorf("Redacted returned %v", out)
			}
			return err
		}},
		{"generated Validate", func() error { return typedNil.Validate(c) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if err := tt.run(); !errors.Is(err, provision.ErrWrongMessage) {
				t.Errorf("err = %v, want %v", err, provision.ErrWrongMessage)
			}
		})
	}
	t.Run("LogValue", func(t *testing.T) {
		t.Parallel()
		for _, v := range []slog.Value{provision.LogValue(nil), provision.LogValue(typedNil), typedNil.LogValue()} {
			if v.String() != "<nil>" {
				t.Errorf("LogValue of nil = %q, want <nil>", v)
			}
		}
	})
}

// TestRedactMessageWithoutAnnotations redacts a message type that has no
// data items at all: everything, unknown fields and extensions included,
// must be cleared, and Validate must name every populated field.
func TestRedactMessageWithoutAnnotations(t *testing.T) {
	t.Parallel()
	// The strongest consent there is for the message's own package: it
	// grants every agreement, yet no field is a data item.
	all, err := mustAgreements(t, "google.protobuf", provision.AgreementDecl{ID: "ALL"}).Consent("ALL")
	if err != nil {
		t.Fatal(err)
	}
	c := all
	if err := provision.Redact(&descriptorpb.FileDescriptorProto{Name: proto.String("a")}, mustConsent(t, notesv1.AgreementUsageAnalytics), nil); !errors.Is(err, provision.ErrConsentMismatch) {
		t.Errorf("Redact with another product's consent: err = %v, want ErrConsentMismatch", err)
	}
	newFile := func() *descriptorpb.FileDescriptorProto {
		m := &descriptorpb.FileDescriptorProto{
			Name:       proto.String("secret.proto"),
			Package:    proto.String("alice.private"),
			Dependency: []string{"a.proto", "b.proto"},
			MessageType: []*descriptorpb.DescriptorProto{{
				Name:  proto.String("Diary"),
				Field: []*descriptorpb.FieldDescriptorProto{{Name: proto.String("entry"), Number: proto.Int32(1)}},
			}},
			Options: &descriptorpb.FileOptions{GoPackage: proto.String("example.com/alice")},
		}
		m.ProtoReflect().SetUnknown(protowire.AppendString(protowire.AppendTag(nil, 999, protowire.BytesType), "unknown"))
		return m
	}
	m := newFile()
	if err := provision.Redact(m, c, allKeys(t)); err != nil {
		t.Fatalf("Redact: %v", err)
	}
	if n := proto.Size(m); n != 0 {
		t.Errorf("Redact left %d bytes: %v", n, m)
	}
	err = provision.Validate(newFile(), c)
	var verr *provision.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("Validate: err = %v, want a *provision.ValidationError", err)
	}
	var got []string
	for _, v := range verr.Consent {
		if v.Requires != "" {
			t.Errorf("%s requires %v, want unspecified", v.Path, v.Requires)
		}
		got = append(got, v.Path)
	}
	want := []string{"(unknown fields)", "dependency", "message_type", "name", "options", "package"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("violations (-want +got):\n%s", diff)
	}
	if v := provision.LogValue(newFile()).String(); strings.Contains(v, "alice") || strings.Contains(v, "unknown") {
		t.Errorf("LogValue shows unannotated data: %s", v)
	}
}

// TestRedactKeyErrors redacts HMAC items without their key: the items are
// cleared and reported, everything else is redacted as usual.
func TestRedactKeyErrors(t *testing.T) {
	t.Parallel()
	c := mustConsent(t, notesv1.AgreementUsageAnalytics)
	tests := []struct {
		name      string
		keys      provision.KeyProvider
		wantPaths []string
	}{
		{"no key provider", nil, []string{"account_id", "device_id"}},
		{"unknown key id", allKeys(t, "acme-account"), []string{"account_id"}},
		{"empty provider", &provision.StaticKeys{}, []string{"account_id", "device_id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, paths := redactBoth(t, usageReport(), c, tt.keys, provision.ErrUnknownKey)
			if diff := cmp.Diff(tt.wantPaths, paths); diff != "" {
				t.Errorf("cleared fields (-want +got):\n%s", diff)
			}
			r := got.ProtoReflect()
			for _, p := range tt.wantPaths {
				if fd := r.Descriptor().Fields().ByName(protoreflect.Name(p)); r.Has(fd) {
					t.Errorf("%s not cleared: %v", p, r.Get(fd))
				}
			}
			if u := got.(*notesv1.UsageReport); len(u.GetCommandsUsed()) == 0 || u.GetHelpPageUrl() == "" || len(u.GetFeatures()) == 0 {
				t.Errorf("fields without HMAC were cleared too: %v", u)
			}
		})
	}
}

// TestRedactMalformedValues puts values a strategy cannot take into the
// catalog's fields: the field is cleared and reported, never sent raw.
func TestRedactMalformedValues(t *testing.T) {
	t.Parallel()
	usage := mustConsent(t, notesv1.AgreementUsageAnalytics)
	terms := mustConsent(t, notesv1.AgreementTermsOfService)
	crash := mustConsent(t, notesv1.AgreementCrashReports)
	// help has the values of secrets removed from its query, referrer
	// loses its query.
	urls := func(help, referrer string) *notesv1.UsageReport {
		return &notesv1.UsageReport{CommandsUsed: []string{"export-pdf"}, HelpPageUrl: help, ReferrerUrl: referrer}
	}
	tests := []struct {
		name      string
		msg       generatedPayload
		consent   provision.Consent
		want      error
		wantPaths []string
	}{
		{"URL without scheme", urls("help.example.net/notes", ""), usage, provision.ErrInvalidURL, []string{"help_page_url"}},
		{"URL not parseable", urls("https://[::1/x", "http://%zz"), usage, provision.ErrInvalidURL, []string{"help_page_url", "referrer_url"}},
		{"URL without host", urls("https://", "mailto:alice@example.com"), usage, provision.ErrInvalidURL, []string{"help_page_url", "referrer_url"}},
		{"valid URLs", urls("https://alice:pw@a.example/x?token=1", "https://b.example/?q=alice"), usage, provision.ErrInvalidURL, nil},
		{"URL in a oneof", &notesv1.CrashReport{AppVersion: "4.2.17", Context: &notesv1.CrashReport_PageUrl{PageUrl: "/home/alice/notes"}}, crash, provision.ErrInvalidURL, []string{"page_url"}},
		{"version not dotted", &notesv1.SyncRequest{Client: &notesv1.ClientInfo{AppVersion: "four point two", Platform: notesv1.Platform_PLATFORM_MOBILE}}, terms, provision.ErrInvalidVersion, []string{"client.app_version"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, paths := redactBoth(t, tt.msg, tt.consent, allKeys(t), tt.want)
			if diff := cmp.Diff(tt.wantPaths, paths); diff != "" {
				t.Errorf("cleared fields (-want +got):\n%s", diff)
			}
			switch m := got.(type) {
			case *notesv1.UsageReport:
				if len(m.GetCommandsUsed()) != 1 {
					t.Errorf("valid fields beside the bad one were cleared: %v", m)
				}
				for _, u := range []string{m.GetHelpPageUrl(), m.GetReferrerUrl()} {
					if strings.Contains(u, "alice") || strings.Contains(u, "zz") || strings.Contains(u, "::1") {
						t.Errorf("sent %q", u)
					}
				}
			case *notesv1.CrashReport:
				if m.GetAppVersion() != "4.2.17" || m.GetPageUrl() != "" {
					t.Errorf("crash report sent as %v", m)
				}
			case *notesv1.SyncRequest:
				if m.GetClient().GetPlatform() != notesv1.Platform_PLATFORM_MOBILE {
					t.Errorf("valid fields beside the bad one were cleared: %v", m)
				}
			}
		})
	}
}

// ipPayload compiles a small payload with IP items of every kind (string,
// bytes, a list; the fictional catalog has a string one only) and
// returns its descriptor, for the reflection engine.
func ipPayload(t *testing.T) protoreflect.MessageDescriptor {
	t.Helper()
	dir := t.TempDir()
	const src = `syntax = "proto3";
package fixture.ip.v1;
import "provision/v1/options.proto";
message Connection {
  string client_ip = 1 [(provision.v1.field) = {requires: "EULA", redaction: {ip_truncate: {}}}];
  bytes raw_ip = 2 [(provision.v1.field) = {requires: "EULA", redaction: {ip_truncate: {}}}];
  repeated string hops = 3 [(provision.v1.field) = {requires: "EULA", redaction: {ip_truncate: {ipv4_prefix: 16}}}];
  string note = 4 [(provision.v1.field) = {requires: "EULA", redaction: {keep: {}}}];
}
`
	if err := os.WriteFile(filepath.Join(dir, "ip.proto"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	set, err := protoload.CompileFixture(t.Context(), dir, "ip.proto")
	if err != nil {
		t.Fatal(err)
	}
	files, err := protodesc.NewFiles(set)
	if err != nil {
		t.Fatal(err)
	}
	d, err := files.FindDescriptorByName("fixture.ip.v1.Connection")
	if err != nil {
		t.Fatal(err)
	}
	return d.(protoreflect.MessageDescriptor)
}

// TestRedactMalformedIP runs the reflection engine on IP items holding
// values that are not addresses.
func TestRedactMalformedIP(t *testing.T) {
	t.Parallel()
	md := ipPayload(t)
	c, err := mustAgreements(t, md.ParentFile().Package(), provision.AgreementDecl{ID: "EULA"}).Consent("EULA")
	if err != nil {
		t.Fatal(err)
	}
	fd := md.Fields().ByName
	type conn struct {
		ClientIP string
		RawIP    []byte
		Hops     []string
		Note     string
	}
	tests := []struct {
		name      string
		give      conn
		want      conn
		wantPaths []string
	}{
		{
			name: "valid",
			give: conn{"192.0.2.77", []byte{198, 51, 100, 9}, []string{"203.0.113.5", "2001:db8:1:2::9"}, "n"},
			want: conn{"192.0.2.0", []byte{198, 51, 100, 0}, []string{"203.0.0.0", "2001:db8:1::"}, "n"},
		},
		{
			name:      "string not an address",
			give:      conn{ClientIP: "999.1.1.1", Note: "n"},
			want:      conn{Note: "n"},
			wantPaths: []string{"client_ip"},
		},
		{
			name:      "bytes of no address length",
			give:      conn{ClientIP: "bad", RawIP: []byte{1, 2, 3, 4, 5}},
			wantPaths: []string{"client_ip", "raw_ip"},
		},
		{
			name:      "one bad element clears the list",
			give:      conn{Hops: []string{"203.0.113.5", "localhost"}},
			wantPaths: []string{"hops"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := dynamicpb.NewMessage(md)
			if tt.give.ClientIP != "" {
				m.Set(fd("client_ip"), protoreflect.ValueOfString(tt.give.ClientIP))
			}
			if tt.give.RawIP != nil {
				m.Set(fd("raw_ip"), protoreflect.ValueOfBytes(tt.give.RawIP))
			}
			for _, h := range tt.give.Hops {
				m.Mutable(fd("hops")).List().Append(protoreflect.ValueOfString(h))
			}
			if tt.give.Note != "" {
				m.Set(fd("note"), protoreflect.ValueOfString(tt.give.Note))
			}
			paths := fieldPaths(t, provision.Redact(m, c, nil), provision.ErrInvalidIP)
			if diff := cmp.Diff(tt.wantPaths, paths); diff != "" {
				t.Errorf("cleared fields (-want +got):\n%s", diff)
			}
			got := conn{ClientIP: m.Get(fd("client_ip")).String(), Note: m.Get(fd("note")).String()}
			if b := m.Get(fd("raw_ip")).Bytes(); len(b) > 0 {
				got.RawIP = b
			}
			for i := range m.Get(fd("hops")).List().Len() {
				got.Hops = append(got.Hops, m.Get(fd("hops")).List().Get(i).String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("redacted (-want +got):\n%s", diff)
			}
		})
	}
}

// hugeRepeatedEnv is the environment variable that sets how many entries
// TestRedactHugeRepeated puts in a list: defaultHugeRepeated unless set.
const (
	hugeRepeatedEnv     = "PROVISION_HUGE_REPEATED"
	defaultHugeRepeated = 10_000
)

// TestRedactHugeRepeated redacts and validates payloads with 10,000
// entries (or as many as PROVISION_HUGE_REPEATED says) in a repeated field
// whose rules allow at most 64.
func TestRedactHugeRepeated(t *testing.T) {
	t.Parallel()
	n := fixture.Size(t, hugeRepeatedEnv, defaultHugeRepeated)
	commands := make([]string, n)
	features := make([]*notesv1.FeatureUse, n)
	for i := range n {
		commands[i] = fmt.Sprintf("command-%d", i)
		features[i] = &notesv1.FeatureUse{Feature: "tags", TimesUsed: uint32(i)}
	}
	usage := mustConsent(t, notesv1.AgreementUsageAnalytics)
	terms := mustConsent(t, notesv1.AgreementTermsOfService)
	tests := []struct {
		name     string
		msg      generatedPayload
		list     protoreflect.Name
		consent  provision.Consent
		wantLen  int
		wantRule string
	}{
		{"kept under its agreement", &notesv1.UsageReport{CommandsUsed: commands}, "commands_used", usage, n, "repeated.max_items"},
		{"dropped without it", &notesv1.UsageReport{CommandsUsed: commands}, "commands_used", terms, 0, ""},
		{"bucketed message list", &notesv1.UsageReport{Features: features}, "features", usage, n, "repeated.max_items"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, paths := redactBoth(t, tt.msg, tt.consent, allKeys(t), nil)
			if len(paths) != 0 {
				t.Errorf("cleared %v", paths)
			}
			r := got.ProtoReflect()
			list := r.Get(r.Descriptor().Fields().ByName(tt.list)).List()
			if list.Len() != tt.wantLen {
				t.Errorf("%d entries after Redact, want %d", list.Len(), tt.wantLen)
			}
			if tt.wantRule == "" {
				return
			}
			err := tt.msg.Validate(tt.consent)
			var verr *provision.ValidationError
			if !errors.As(err, &verr) || verr.Rules == nil {
				t.Fatalf("Validate: err = %v, want rule violations", err)
			}
			var rules []string
			for _, v := range verr.Rules.Violations {
				rules = append(rules, v.Proto.GetRuleId())
			}
			if !slices.Contains(rules, tt.wantRule) {
				t.Errorf("Validate violations %v, want %s", rules, tt.wantRule)
			}
		})
	}
}

// TestKeysNeverLeak drives every path where key material could surface
// (printing and logging the provider, key errors, redaction errors and
// safe logging) and checks that no output holds a key in any encoding.
func TestKeysNeverLeak(t *testing.T) {
	t.Parallel()
	secret := []byte("acme-key-material-do-not-print-0")
	short := []byte("short-key-material")
	keys, err := provision.NewStaticKeys(map[string][]byte{"acme-device": secret})
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	add := func(what string, err error) {
		if err == nil {
			t.Errorf("%s: no error", what)
			return
		}
		texts = append(texts, err.Error(), fmt.Sprintf("%+v %#v", err, err))
	}
	_, err = provision.NewStaticKeys(map[string][]byte{"acme-device": short})
	add("short key", err)
	if !errors.Is(err, provision.ErrInvalidKey) {
		t.Errorf("short key: err = %v, want %v", err, provision.ErrInvalidKey)
	}
	_, err = provision.NewStaticKeys(map[string][]byte{"Bad ID": secret})
	add("bad key id", err)
	_, err = keys.Key("acme-account")
	add("unknown key", err)
	c := mustConsent(t, notesv1.AgreementUsageAnalytics)
	m := usageReport()
	add("generated Redact", m.Redact(c, keys))
	add("reflection Redact", provision.Redact(usageReport(), c, keys))

	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	logger.Info("keys", "keys", keys, "payload", m, "collected", usageReport())
	texts = append(texts, logs.String(), fmt.Sprintf("%v %+v %#v %s %x %q", keys, keys, keys, keys, keys, keys))

	forbidden := map[string]string{}
	for _, k := range [][]byte{secret, short} {
		for _, enc := range []string{string(k), hex.EncodeToString(k), base64.StdEncoding.EncodeToString(k), fmt.Sprint(k), fmt.Sprintf("%q", k)} {
			forbidden[enc] = string(k)
		}
	}
	for _, text := range texts {
		for enc, k := range forbidden {
			if strings.Contains(text, enc) {
				t.Errorf("output shows key %q: %s", k, text)
			}
		}
	}
	if !strings.Contains(logs.String(), `"device_id"`) && !strings.Contains(logs.String(), `"deviceId"`) {
		t.Errorf("log does not show the payload: %s", logs.String())
	}
}

// TestRedactClearsUnknownInKeptWellKnownType keeps a Timestamp whole, as
// one value: unknown fields smuggled inside it must not go with it.
func TestRedactClearsUnknownInKeptWellKnownType(t *testing.T) {
	t.Parallel()
	m := usageReport()
	m.WeekStart = &timestamppb.Timestamp{Seconds: 1704889800}
	m.WeekStart.ProtoReflect().SetUnknown(protowire.AppendString(protowire.AppendTag(nil, 6, protowire.BytesType), "smuggled"))
	got, paths := redactBoth(t, m, mustConsent(t, notesv1.AgreementUsageAnalytics), allKeys(t), nil)
	ts := got.(*notesv1.UsageReport).GetWeekStart()
	if len(paths) != 0 || ts.GetSeconds() != 1704889800 {
		t.Errorf("week start = %v, cleared %v; want it kept", ts, paths)
	}
	if u := ts.ProtoReflect().GetUnknown(); len(u) != 0 {
		t.Errorf("unknown fields inside the kept Timestamp survive: %q", u)
	}
}

// FuzzRedactWire decodes arbitrary bytes as each Acme payload, as a
// client relaying a payload it received would, and redacts the result
// under a consent chosen by the input: generated and reflection redaction
// must agree, leave no unknown field, and never panic; Validate and
// LogValue must not panic either.
func FuzzRedactWire(f *testing.F) {
	seeds := []proto.Message{
		usageReport(),
		&notesv1.CrashReport{AppVersion: "4.2.17", Frames: []*notesv1.StackFrame{{Function: "f", Line: 7}}, Context: &notesv1.CrashReport_PageUrl{PageUrl: "https://a:b@c.example/p?token=1"}},
		&notesv1.SyncRequest{DeviceId: "d", Client: &notesv1.ClientInfo{AppVersion: "4.2.17", Locale: "en"}, ClientIp: "2001:db8::1"},
	}
	for i, m := range seeds {
		b, err := proto.Marshal(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(i), uint8(0xff), b)
		f.Add(uint8(i), uint8(1), append(b, 0xf8, 0x3e, 0x01)) // an unknown varint field 999
	}
	keys := allKeys(f, "acme-account")
	agreements := []notesv1.Agreement{
		notesv1.AgreementTermsOfService, notesv1.AgreementCrashReports, notesv1.AgreementUsageAnalytics,
	}
	f.Fuzz(func(t *testing.T, kind, mask uint8, data []byte) {
		var m generatedPayload
		switch kind % 4 {
		case 0:
			m = &notesv1.UsageReport{}
		case 1:
			m = &notesv1.CrashReport{}
		case 2:
			m = &notesv1.SyncRequest{}
		default:
			m = &notesv1.LocalDrafts{}
		}
		if proto.Unmarshal(data, m) != nil {
			return
		}
		var set []notesv1.Agreement
		for i, a := range agreements {
			if mask&(1<<i) != 0 {
				set = append(set, a)
			}
		}
		c := mustConsent(t, set...)
		_ = m.Validate(c)
		_ = provision.LogValue(m).String()
		gen, refl := proto.Clone(m).(generatedPayload), proto.Clone(m)
		genErr, reflErr := gen.Redact(c, keys), provision.Redact(refl, c, keys)
		if fmt.Sprint(genErr) != fmt.Sprint(reflErr) {
			t.Errorf("errors differ: generated %v, reflection %v", genErr, reflErr)
		}
		if diff := cmp.Diff(gen, refl, protocmp.Transform()); diff != "" {
			t.Errorf("generated and reflection redaction differ (-generated +reflection):\n%s", diff)
		}
		var unknown func(r protoreflect.Message) bool
		unknown = func(r protoreflect.Message) bool {
			found := len(r.GetUnknown()) > 0
			r.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
				switch {
				case fd.Message() == nil || fd.IsMap():
				case fd.IsList():
					for i := range v.List().Len() {
						found = found || unknown(v.List().Get(i).Message())
					}
				default:
					found = found || unknown(v.Message())
				}
				return !found
			})
			return found
		}
		if unknown(gen.ProtoReflect()) {
			t.Errorf("unknown fields survive redaction: %v", gen)
		}
	})
}

// mustAgreements is provision.NewAgreements for declarations a test knows
// to be valid.
func mustAgreements(t testing.TB, pkg protoreflect.FullName, decls ...provision.AgreementDecl) *provision.Agreements {
	t.Helper()
	a, err := provision.NewAgreements(pkg, decls...)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
