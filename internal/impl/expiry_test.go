package impl_test

import (
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/impl"
)

// expiryFile builds a scenario message expiring on 2027-01-01 whose
// fields state no expiry, an earlier one, a later one, one by product
// version and a date that is no day, and a nested message (no scenario)
// with a field of its own expiry and one without.
func expiryFile(t *testing.T) *descriptorpb.FileDescriptorProto {
	t.Helper()
	date := func(d string) *provisionv1.Expiry {
		return &provisionv1.Expiry{When: &provisionv1.Expiry_Date{Date: d}}
	}
	field := func(name string, n int32, e *provisionv1.Expiry) *descriptorpb.FieldDescriptorProto {
		opts := &descriptorpb.FieldOptions{}
		proto.SetExtension(opts, provisionv1.E_Field, &provisionv1.DataItem{
			Label: name, Category: provisionv1.Category_CATEGORY_PRODUCT,
			Identifiability: provisionv1.Identifiability_IDENTIFIABILITY_ANONYMOUS,
			Requires:        "EULA", Redaction: &provisionv1.Redaction{Strategy: &provisionv1.Redaction_Keep_{Keep: &provisionv1.Redaction_Keep{}}},
			Expires: e,
		})
		return &descriptorpb.FieldDescriptorProto{
			Name: proto.String(name), Number: proto.Int32(n), Type: descriptorpb.FieldDescriptorProto_TYPE_STRING.Enum(),
			Label: descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum(), Options: opts,
		}
	}
	sopts := &descriptorpb.MessageOptions{}
	proto.SetExtension(sopts, provisionv1.E_Scenario, &provisionv1.Scenario{Id: "expiry.s", Expires: date("2027-01-01")})
	scenario := &descriptorpb.DescriptorProto{Name: proto.String("Payload"), Options: sopts, Field: []*descriptorpb.FieldDescriptorProto{
		field("inherits", 1, nil),
		field("earlier", 2, date("2026-06-01")),
		field("later", 3, date("2028-01-01")),
		field("by_version", 4, &provisionv1.Expiry{When: &provisionv1.Expiry_ProductVersion{ProductVersion: "7.0"}}),
		field("no_day", 5, date("2026-02-30")),
	}}
	nested := &descriptorpb.DescriptorProto{Name: proto.String("Nested"), Field: []*descriptorpb.FieldDescriptorProto{
		field("own", 1, date("2026-03-01")),
		field("none", 2, nil),
	}}
	return &descriptorpb.FileDescriptorProto{
		Name: proto.String("expiry.proto"), Package: proto.String("fixture.expiry.v1"), Syntax: proto.String("proto3"),
		Dependency:  []string{"provision/v1/options.proto"},
		MessageType: []*descriptorpb.DescriptorProto{scenario, nested},
	}
}

// TestFieldPolicyExpiry checks which day each field's policy expires on
// (its own, its scenario's, the earlier of both; none for a nested field
// without one; at once for a date that is no day) and that Select drops
// an expired field from that day on, judged by SetClock's clock. It does
// not run in parallel: the clock is the process's.
func TestFieldPolicyExpiry(t *testing.T) {
	fd, err := protodesc.NewFile(expiryFile(t), protoregistry.GlobalFiles)
	if err != nil {
		t.Fatal(err)
	}
	a, err := impl.NewAgreements(fd.Package(), impl.AgreementDecl{ID: "EULA"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := a.Consent("EULA")
	if err != nil {
		t.Fatal(err)
	}
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		message, field string
		expires        string
		sentOn         string // the last day it is sent; "" for never sent
	}{
		{"Payload", "inherits", "2027-01-01", "2026-12-31"},
		{"Payload", "earlier", "2026-06-01", "2026-05-31"},
		{"Payload", "later", "2027-01-01", "2026-12-31"},
		{"Payload", "by_version", "2027-01-01", "2026-12-31"},
		{"Payload", "no_day", "2026-02-30", ""},
		{"Nested", "own", "2026-03-01", "2026-02-28"},
		{"Nested", "none", "", "2999-12-31"},
	}
	for _, tt := range tests {
		md := fd.Messages().ByName(protoreflect.Name(tt.message))
		fdesc := md.Fields().ByName(protoreflect.Name(tt.field))
		p := impl.PolicyFor(md, a).Field(fdesc.Index())
		if p == nil {
			t.Fatalf("%s.%s: no policy: %v", tt.message, tt.field, impl.PolicyFor(md, a).FieldError(fdesc.Index()))
		}
		if got := p.Expires(); got != tt.expires {
			t.Errorf("%s.%s: Expires() = %q, want %q", tt.message, tt.field, got, tt.expires)
		}
		if tt.sentOn == "" {
			restore := impl.SetClock(func() time.Time { return day("2000-01-01") })
			if _, ok := p.Select(c); ok {
				t.Errorf("%s.%s: sent, want never (its date is no day)", tt.message, tt.field)
			}
			restore()
			continue
		}
		last := day(tt.sentOn)
		for _, at := range []time.Time{last, last.Add(24*time.Hour - time.Nanosecond), last.Add(24 * time.Hour)} {
			restore := impl.SetClock(func() time.Time { return at })
			_, sent := p.Select(c)
			wantSent := at.Before(last.Add(24 * time.Hour))
			if tt.expires == "" {
				wantSent = true
			}
			if sent != wantSent || p.Expired() == wantSent {
				t.Errorf("%s.%s at %s: sent %v, expired %v; want sent %v", tt.message, tt.field, at, sent, p.Expired(), wantSent)
			}
			restore()
		}
	}
}

// BenchmarkSelectExpiry measures Select on a field with an expiry date
// (it reads the clock each call), SelectAt on it (the clock read once by
// the caller, as generated code and the reflection engine do per message)
// and Select on a field without one, in the same run.
func BenchmarkSelectExpiry(b *testing.B) {
	fd, err := protodesc.NewFile(expiryFile(&testing.T{}), protoregistry.GlobalFiles)
	if err != nil {
		b.Fatal(err)
	}
	a, err := impl.NewAgreements(fd.Package(), impl.AgreementDecl{ID: "EULA"})
	if err != nil {
		b.Fatal(err)
	}
	c, err := a.Consent("EULA")
	if err != nil {
		b.Fatal(err)
	}
	policy := func(message, field string) *impl.FieldPolicy {
		md := fd.Messages().ByName(protoreflect.Name(message))
		return impl.PolicyFor(md, a).Field(md.Fields().ByName(protoreflect.Name(field)).Index())
	}
	none, dated := policy("Nested", "none"), policy("Payload", "inherits")
	b.Run("no-expiry", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			none.Select(c)
		}
	})
	b.Run("expiry-select", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			dated.Select(c)
		}
	})
	now := impl.NowUnix()
	b.Run("expiry-select-at", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			dated.SelectAt(c, now)
		}
	})
}
