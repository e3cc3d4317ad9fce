package provision_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"

	"github.com/provisionhq/provision"
	notesv1 "github.com/provisionhq/provision/internal/gen/golang/testdata/golden-acme/acme/notes/v1"
	hostilev1 "github.com/provisionhq/provision/internal/gen/golang/testdata/golden-hostile/fixture/hostile/v1"
	"github.com/provisionhq/provision/internal/protoload"
	"github.com/provisionhq/provision/runtime/provisionimpl"
)

// The hostile fixture (internal/gen/golang/testdata/hostile) has a oneof
// with a message member, lists and maps of messages, anonymous maps and
// every strategy; its generated Go is hostilev1.

// hostileConsents are the consents of every level of the hostile
// fixture's product, the zero consent first.
func hostileConsents(t testing.TB) []provision.Consent {
	t.Helper()
	var out []provision.Consent
	for _, as := range [][]hostilev1.Agreement{nil, {hostilev1.AgreementBasic}, {hostilev1.AgreementFull}} {
		c, err := hostilev1.NewConsent(as...)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// hostileKeys holds a key for every key id of the hostile fixture.
func hostileKeys(t testing.TB) *provision.StaticKeys {
	t.Helper()
	ids := map[string][]byte{}
	for _, id := range []string{"account", "host", "owner", "token"} {
		ids[id] = bytes.Repeat([]byte(id[:1]), provision.MinKeySize)
	}
	keys, err := provision.NewStaticKeys(ids)
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// scenarioPayload is what generated code adds to a scenario message.
type scenarioPayload interface {
	generatedPayload
	LogValue() slog.Value
	fmt.Formatter
}

// noPanic runs f and fails the test, naming what, if it panics.
func noPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%s panicked: %v", what, r)
		}
	}()
	f()
}

// everyOperation runs, on copies of m, everything a client does with a
// payload (generated and reflection Redact and Validate, LogValue through
// both slog handlers, fmt, String, and the three encodings) under every
// consent, and fails on a panic or on generated and reflection results
// that differ.
func everyOperation(t *testing.T, m scenarioPayload, consents []provision.Consent, keys provision.KeyProvider) {
	t.Helper()
	for _, c := range consents {
		noPanic(t, fmt.Sprintf("Validate under %v", c), func() {
			gen, refl := m.Validate(c), provision.Validate(proto.Clone(m), c)
			if errString(gen) != errString(refl) {
				t.Errorf("under %v: Validate differs:\ngenerated:  %v\nreflection: %v", c, gen, refl)
			}
		})
		noPanic(t, fmt.Sprintf("Redact under %v", c), func() {
			gen := proto.Clone(m).(scenarioPayload)
			refl := proto.Clone(m)
			genErr, reflErr := gen.Redact(c, keys), provision.Redact(refl, c, keys)
			if errString(genErr) != errString(reflErr) {
				t.Errorf("under %v: Redact errors differ:\ngenerated:  %v\nreflection: %v", c, genErr, reflErr)
			}
			if !proto.Equal(gen, refl) {
				t.Errorf("under %v: redacted payloads differ:\ngenerated:  %v\nreflection: %v", c, prototext.Format(gen), prototext.Format(refl))
			}
			printEverywhere(t, gen)
		})
	}
	noPanic(t, "printing", func() { printEverywhere(t, m) })
}

// printEverywhere writes m through every printer and encoding a client may
// use, and returns what they wrote.
func printEverywhere(t *testing.T, m scenarioPayload) string {
	t.Helper()
	var out strings.Builder
	for _, h := range []slog.Handler{slog.NewJSONHandler(&out, nil), slog.NewTextHandler(&out, nil)} {
		slog.New(h).Info("payload", "p", m, slog.Any("q", provision.LogValue(m)))
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		fmt.Fprintf(&out, verb+"\n", m)
	}
	fmt.Fprintln(&out, m, []any{m})
	out.WriteString(m.(interface{ String() string }).String())
	b, err := proto.Marshal(m)
	if err != nil {
		t.Errorf("Marshal: %v", err)
	}
	out.Write(b)
	j, err := protojson.Marshal(m)
	if err != nil {
		t.Errorf("protojson: %v", err)
	}
	out.Write(j)
	out.WriteString(prototext.Format(m))
	return out.String()
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestHostileShapes runs every operation on payloads that Go allows but a
// well-behaved client would not build: typed nil oneof wrappers (the
// reflection engine reports such a oneof unset, the generated code used to
// read the nil wrapper), a wrapper holding a nil message, nil elements of
// lists and nil values of maps, unknown fields at every level.
func TestHostileShapes(t *testing.T) {
	t.Parallel()
	keys := hostileKeys(t)
	unknown := []byte{0xfa, 0x3e, 0x05, 'a', 'l', 'i', 'c', 'e'} // field 999, "alice"
	withUnknown := func(m proto.Message) proto.Message {
		m.ProtoReflect().SetUnknown(unknown)
		return m
	}
	tests := []struct {
		name string
		msg  scenarioPayload
	}{
		{"typed nil message member", &hostilev1.Report{Target: (*hostilev1.Report_Host)(nil)}},
		{"typed nil string member", &hostilev1.Report{Target: (*hostilev1.Report_PageUrl)(nil), Account: "alice"}},
		{"typed nil keep member", &hostilev1.Report{Target: (*hostilev1.Report_Command)(nil)}},
		{"member holding a nil message", &hostilev1.Report{Target: &hostilev1.Report_Host{}}},
		{"nil list elements", &hostilev1.Report{Entries: []*hostilev1.Entry{nil, {Name: "a", Owner: "alice"}, nil}}},
		{"nil map values", &hostilev1.Report{ByName: map[string]*hostilev1.Entry{"alice@corp.example": nil, "b": {Count: 7}}}},
		{"hostile map keys", &hostilev1.Report{Counts: map[string]uint32{"": 1, "a\nb=c": 20, "\x00\u00ff": 300, "\u202e": 4}}},
		{"unknown fields everywhere", &hostilev1.Report{
			Target:  &hostilev1.Report_Host{Host: withUnknown(&hostilev1.Host{Ip: "192.0.2.1"}).(*hostilev1.Host)},
			Entries: []*hostilev1.Entry{withUnknown(&hostilev1.Entry{}).(*hostilev1.Entry)},
			ByName:  map[string]*hostilev1.Entry{"k": withUnknown(&hostilev1.Entry{}).(*hostilev1.Entry)},
		}},
		{"Acme typed nil oneof wrapper", &notesv1.CrashReport{Context: (*notesv1.CrashReport_PageUrl)(nil)}},
		{"Acme nil stack frames", &notesv1.CrashReport{Frames: []*notesv1.StackFrame{nil, nil}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			consents := hostileConsents(t)
			if _, ok := tt.msg.(*notesv1.CrashReport); ok {
				consents = []provision.Consent{{}, mustConsent(t, notesv1.AgreementCrashReports), mustConsent(t, notesv1.AgreementUsageAnalytics)}
			}
			everyOperation(t, tt.msg, consents, keys)
		})
	}
}

// TestTypedNilOneofCleared checks what the generated Redact leaves of a
// typed nil oneof wrapper: nothing, as protobuf encodes it.
func TestTypedNilOneofCleared(t *testing.T) {
	t.Parallel()
	c := hostileConsents(t)[2]
	for _, m := range []*hostilev1.Report{{Target: (*hostilev1.Report_Host)(nil)}, {Target: (*hostilev1.Report_PageUrl)(nil)}} {
		target := m.Target
		if err := m.Redact(c, hostileKeys(t)); err != nil {
			t.Fatal(err)
		}
		if m.Target != nil || proto.Size(m) != 0 {
			t.Errorf("Redact left %#v of a typed nil %T", m.Target, target)
		}
	}
}

// TestPoliciesImmutable checks that nothing a caller gets from the
// runtime or the generated code can change what Redact sends: the field
// policies MessagePolicy.Fields returns are a copy, the annotation
// FieldPolicy.Item returns is a copy, ProvisionFields returns a copy.
func TestPoliciesImmutable(t *testing.T) {
	t.Parallel()
	c := hostileConsents(t)[1]
	keys := hostileKeys(t)
	want := &hostilev1.Report{Account: "alice"}
	if err := want.Redact(c, keys); err != nil || want.Account == "alice" {
		t.Fatalf("Redact = %v, %q: want the account hashed", err, want.Account)
	}

	pol := provisionimplPolicy(t)
	fields := pol.Fields()
	fields[0] = fields[14] // account: hmac → secret: drop
	fields[0] = nil
	if item := pol.Field(0).Item(); item != nil {
		item.Redaction = nil
		item.Requires = "NONE"
		item.Identifiability = 0
	}
	if pol.Field(0) == nil || pol.Field(0).Item().GetRedaction().GetHmac() == nil {
		t.Fatal("the shared policy changed through a copy")
	}
	fi := (*hostilev1.Report)(nil).ProvisionFields()
	fi[0].Strategy, fi[0].Requires = "keep", "NONE"
	if got := (*hostilev1.Report)(nil).ProvisionFields()[0]; got.Strategy != "hmac(key=account)" || got.Requires != "BASIC" {
		t.Errorf("ProvisionFields changed through a copy: %+v", got)
	}
	for _, redact := range []func(m *hostilev1.Report) error{
		func(m *hostilev1.Report) error { return m.Redact(c, keys) },
		func(m *hostilev1.Report) error { return provision.Redact(m, c, keys) },
	} {
		m := &hostilev1.Report{Account: "alice"}
		if err := redact(m); err != nil || !proto.Equal(m, want) {
			t.Errorf("after the edits Redact gives %v, %v; want %v", m, err, want)
		}
	}
}

// TestFormatHidesIdentifyingValues checks that fmt prints a payload as
// LogValue shows it, whatever the verb, and that String (protoc-gen-go's)
// is the one way to print values in clear.
func TestFormatHidesIdentifyingValues(t *testing.T) {
	t.Parallel()
	m := &hostilev1.Report{
		Account: "alice-account",
		Target:  &hostilev1.Report_Host{Host: &hostilev1.Host{Ip: "198.51.100.23", Name: "alice-laptop"}},
		Entries: []*hostilev1.Entry{{Name: "tags", Count: 3, Owner: "alice@corp.example"}},
		Version: "4.2.17",
	}
	secrets := []string{"alice", "198.51.100"}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3v"} {
		for _, v := range []any{m, m.GetHost(), m.Entries, []any{m}, struct{ P *hostilev1.Report }{m}} {
			got := fmt.Sprintf(verb, v)
			for _, s := range secrets {
				if strings.Contains(got, s) {
					t.Errorf("Sprintf(%q, %T) = %s: shows %q", verb, v, got, s)
				}
			}
		}
	}
	if got, want := fmt.Sprint(m), `{account:[redacted] host:{ip:[redacted] name:[redacted]} entries:[{name:"tags" count:3 owner:[redacted]}] version:"4.2.17"}`; got != want {
		t.Errorf("Sprint =\n%s\nwant\n%s", got, want)
	}
	if !strings.Contains(m.String(), "alice-account") {
		t.Errorf("String() = %s: protoc-gen-go's String prints in clear, and the README says so", m.String())
	}
	var nilReport *hostilev1.Report
	if got := fmt.Sprint(nilReport); got != "<nil>" {
		t.Errorf("Sprint(nil) = %q", got)
	}
}

// TestLogValueJSON checks that slog's JSON handler writes what LogValue
// shows: a list of messages as an array of objects (it used to write
// slog.Attr structs, [{"Key":"osVersion","Value":{}}]), a map as an
// object, non-finite floats as strings, and the text handler the same
// items.
func TestLogValueJSON(t *testing.T) {
	t.Parallel()
	m := &hostilev1.Report{
		Account: "alice-account",
		Entries: []*hostilev1.Entry{{Name: "tags", Count: 3}, {Name: "x\"y", Score: 1.5}},
		Counts:  map[string]uint32{"b": 2, "a": 1},
		Peers:   []string{"192.0.2.1"},
	}
	var js, text bytes.Buffer
	noTime := func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}
	slog.New(slog.NewJSONHandler(&js, &slog.HandlerOptions{ReplaceAttr: noTime})).Info("m", "p", m)
	slog.New(slog.NewTextHandler(&text, &slog.HandlerOptions{ReplaceAttr: noTime})).Info("m", "p", m)
	wantJSON := `{"level":"INFO","msg":"m","p":{"account":"[redacted]","entries":[{"name":"tags","count":3},{"name":"x\"y","score":1.5}],"counts":{"a":1,"b":2},"peers":"[redacted]"}}` + "\n"
	if js.String() != wantJSON {
		t.Errorf("JSON handler wrote\n%s\nwant\n%s", js.String(), wantJSON)
	}
	wantText := `level=INFO msg=m p.account=[redacted] p.entries="[{name:\"tags\" count:3} {name:\"x\\\"y\" score:1.5}]" p.counts.a=1 p.counts.b=2 p.peers=[redacted]` + "\n"
	if text.String() != wantText {
		t.Errorf("text handler wrote\n%s\nwant\n%s", text.String(), wantText)
	}
}

// TestIdentifyingMapRefused checks the runtime side of the map rule: a
// map field that is not classified anonymous is never sent, whatever its
// values get, because its keys would go as they are. The catalog checks
// refuse such a field (MAP_NOT_ANONYMOUS); a descriptor built at run time
// reaches the runtime without them.
func TestIdentifyingMapRefused(t *testing.T) {
	t.Parallel()
	md := mapPayload(t)
	a := mustAgreements(t, md.ParentFile().Package(), provision.AgreementDecl{ID: "EULA"})
	c, err := a.Consent("EULA")
	if err != nil {
		t.Fatal(err)
	}
	m := newDynamic(md)
	setMap(m, "emails", "alice@corp.example", "x")
	setMap(m, "features", "tags", "y")
	if err := provision.Validate(m, c); err == nil || !strings.Contains(err.Error(), "emails") {
		t.Errorf("Validate = %v, want a violation naming emails", err)
	}
	if err := provision.Redact(m, c, allKeys(t)); err != nil {
		t.Fatalf("Redact: %v", err)
	}
	wire, _ := proto.Marshal(m)
	js, _ := protojson.Marshal(m)
	for _, out := range [][]byte{wire, js, []byte(fmt.Sprint(provision.LogValue(m)))} {
		if bytes.Contains(out, []byte("alice")) {
			t.Errorf("output holds the map key: %q", out)
		}
	}
	if !bytes.Contains(js, []byte("tags")) {
		t.Errorf("the anonymous map was not sent: %s", js)
	}
	fields := provision.Fields(md)
	if !slices.ContainsFunc(fields, func(f provision.FieldInfo) bool { return f.Path == "features" }) ||
		slices.ContainsFunc(fields, func(f provision.FieldInfo) bool { return f.Path == "emails" }) {
		t.Errorf("Fields = %+v: want features and not emails", fields)
	}
	if err := policyError(md, "emails"); !errors.Is(err, provision.ErrIdentifyingMap) {
		t.Errorf("policy error of emails = %v, want ErrIdentifyingMap", err)
	}
}

// mapPayload compiles a payload with two maps, for the reflection engine:
// emails, personal, whose values are hashed (its keys would still go as
// they are), and features, anonymous.
func mapPayload(t *testing.T) protoreflect.MessageDescriptor {
	t.Helper()
	return compilePayload(t, "fixture.maps.v1.Contacts", `syntax = "proto3";
package fixture.maps.v1;
import "provision/v1/options.proto";
message Contacts {
  map<string, string> emails = 1 [(provision.v1.field) = {identifiability: IDENTIFIABILITY_PERSONAL, requires: "EULA", redaction: {hmac: {key_id: "acme-account"}}}];
  map<string, string> features = 2 [(provision.v1.field) = {identifiability: IDENTIFIABILITY_ANONYMOUS, requires: "EULA", redaction: {keep: {}}}];
}
`)
}

// compilePayload compiles src, one .proto file, and returns its message
// name.
func compilePayload(t *testing.T, name protoreflect.FullName, src string) protoreflect.MessageDescriptor {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "payload.proto"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	set, err := protoload.CompileFixture(t.Context(), dir, "payload.proto")
	if err != nil {
		t.Fatal(err)
	}
	files, err := protodesc.NewFiles(set)
	if err != nil {
		t.Fatal(err)
	}
	d, err := files.FindDescriptorByName(name)
	if err != nil {
		t.Fatal(err)
	}
	return d.(protoreflect.MessageDescriptor)
}

func newDynamic(md protoreflect.MessageDescriptor) *dynamicpb.Message {
	return dynamicpb.NewMessage(md)
}

// setMap sets key to value in the string map field name of m.
func setMap(m *dynamicpb.Message, name protoreflect.Name, key, value string) {
	fd := m.Descriptor().Fields().ByName(name)
	m.Mutable(fd).Map().Set(protoreflect.ValueOfString(key).MapKey(), protoreflect.ValueOfString(value))
}

// policyError is why the field name of md has no policy.
func policyError(md protoreflect.MessageDescriptor, name protoreflect.Name) error {
	return provisionimpl.PolicyFor(md, nil).FieldError(md.Fields().ByName(name).Index())
}

// provisionimplPolicy is the compiled policy of the hostile Report.
func provisionimplPolicy(t *testing.T) *provisionimpl.MessagePolicy {
	t.Helper()
	a, err := provision.AgreementsOf("fixture.hostile.v1")
	if err != nil {
		t.Fatal(err)
	}
	return provisionimpl.PolicyFor((*hostilev1.Report)(nil).ProtoReflect().Descriptor(), a)
}

// TestRunTimeDescriptorOutOfBounds redacts a message whose descriptor was
// built at run time with parameters the vocabulary forbids (ε = 1e300,
// which adds no noise; 1000 version components): the fields are never
// sent, and Validate names them.
func TestRunTimeDescriptorOutOfBounds(t *testing.T) {
	t.Parallel()
	md := compilePayload(t, "fixture.bounds.v1.Stats", `syntax = "proto3";
package fixture.bounds.v1;
import "provision/v1/options.proto";
message Stats {
  int64 count = 1 [(provision.v1.field) = {requires: "EULA", redaction: {dp_noise: {epsilon: 1e300, sensitivity: 1}}}];
  string version = 2 [(provision.v1.field) = {requires: "EULA", redaction: {generalize_version: {keep_components: 1000}}}];
  string note = 3 [(provision.v1.field) = {requires: "EULA", redaction: {keep: {}}}];
}
`)
	c, err := mustAgreements(t, md.ParentFile().Package(), provision.AgreementDecl{ID: "EULA"}).Consent("EULA")
	if err != nil {
		t.Fatal(err)
	}
	m := newDynamic(md)
	fds := md.Fields()
	m.Set(fds.ByName("count"), protoreflect.ValueOfInt64(123456789))
	m.Set(fds.ByName("version"), protoreflect.ValueOfString("4.2.17.9876"))
	m.Set(fds.ByName("note"), protoreflect.ValueOfString("kept"))
	verr := provision.Validate(m, c)
	for _, f := range []string{"count", "version"} {
		if verr == nil || !strings.Contains(verr.Error(), f) {
			t.Errorf("Validate = %v, want a violation naming %s", verr, f)
		}
		if err := policyError(md, protoreflect.Name(f)); !errors.Is(err, provision.ErrInvalidParameter) {
			t.Errorf("policy error of %s = %v, want ErrInvalidParameter", f, err)
		}
	}
	if err := provision.Redact(m, c, nil); err != nil {
		t.Fatal(err)
	}
	if js, _ := protojson.Marshal(m); string(js) != `{"note":"kept"}` {
		t.Errorf("redacted to %s, want only the note", js)
	}
}

// TestLogValueHonoursDebugRedact checks that safe logging hides an item
// whose field sets debug_redact, even one classified anonymous, and shows
// an anonymous one that does not.
func TestLogValueHonoursDebugRedact(t *testing.T) {
	t.Parallel()
	md := compilePayload(t, "fixture.debugredact.v1.Ping", `syntax = "proto3";
package fixture.debugredact.v1;
import "provision/v1/options.proto";
message Ping {
  string shown = 1 [(provision.v1.field) = {identifiability: IDENTIFIABILITY_ANONYMOUS, requires: "EULA", redaction: {keep: {}}}];
  string hidden = 2 [(provision.v1.field) = {identifiability: IDENTIFIABILITY_ANONYMOUS, requires: "EULA", redaction: {keep: {}}}, debug_redact = true];
}
`)
	m := newDynamic(md)
	m.Set(md.Fields().ByName("shown"), protoreflect.ValueOfString("visible-value"))
	m.Set(md.Fields().ByName("hidden"), protoreflect.ValueOfString("hidden-value"))
	if got, want := fmt.Sprint(provision.LogValue(m)), "[shown=visible-value hidden=[redacted]]"; got != want {
		t.Errorf("LogValue = %s, want %s", got, want)
	}
}
