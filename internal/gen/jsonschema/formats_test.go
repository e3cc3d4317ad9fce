package jsonschema

import (
	"errors"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"buf.build/go/protovalidate"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"
)

// formatFields are fields of the fixture's Kinds message with a string
// format rule, and the pattern the schemas give that format.
var formatFields = []struct {
	field   protoreflect.Name
	pattern string
}{
	{"s_email", emailPattern},
	{"s_uri", uriPattern},
	{"s_uri_ref", uriRefPattern},
	{"s_ipv4", ipv4Pattern},
	{"s_ipv6", ipv6Pattern},
	{"s_ip", ipPattern},
	{"s_uuid", uuidPattern},
	{"s_tuuid", tuuidPattern},
}

// formatSeeds are strings near the edges of the formats.
var formatSeeds = []string{
	"a@b", "a.b@c-d.example", "a@-b", "a@b-", "\"a\"@b", "a@b..c",
	"https://example.com/p?q#f", "urn:isbn:0451450523", "mailto:x@y", "http://[::1]:80/", "http://[fe80::1%25eth0]/",
	"http://[v1.x]/", "http://u:p@h:99999/", "http://h/%zz", "http://h/%41", "x:", "1x:y", "//h/p", "./a:b", "a/b?c#d",
	"http://ex%C3%A9.com/", "http://ex%C3.com/", "http://%D0%96/", "http://%ed%a0%80/", "http://%F4%90%80%80/", "http://%f0%9f%98%80/", "http://%E2%82%AC/", "http://[fe80::1%25%C3%A9]/", "http://[fe80::1%25%C3]/", "http://[::1%eth0]/", "http://[1::2::3]/",
	"1.2.3.4", "01.2.3.4", "256.1.1.1", "1.2.3", "::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8",
	"1:2:3:4:5:6:7:8:9", "::ffff:1.2.3.4", "::1.2.3.4%eth0", "fe80::1%eth0", "fe80::1%", "1:2:3:4:5:6:1.2.3.4", "12345::1",
	"0:0:0:0:0:0::0.0.0.0", "::1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5::1.2.3.4",
	"::0:", "::0:%0", "1::2:%eth0", "1:2:3:4:5:6:7:%eth0", ":1::%eth0", "1::%eth0",
	"0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b", "A0000a0aaaaaaa:#0000000#0", "a:b?c#d#e", "0B7E2C8A-5D41-4F3E-9A6B-1C2D3E4F5A6B", "0b7e2c8a5d414f3e9a6b1c2d3e4f5a6b", "",
}

// protovalidateQuirk reports whether the schema's pattern (got) and
// protovalidate (want) disagree on s for field only through one of
// protovalidate's known slips: it accepts what RFC 3986 refuses, and the
// schema, which follows the RFC, refuses it.
func protovalidateQuirk(field protoreflect.Name, s string, got, want bool) bool {
	if got || !want {
		return false
	}
	switch field {
	case "s_uri_ref":
		return uriRefQuirk(s)
	case "s_ipv6", "s_ip":
		return ipv6Quirk(s)
	}
	return false
}

// ipv6Quirk reports whether protovalidate (v1.4.0) accepts s as an IPv6
// address only through one of two slips of its parser, both refused by
// RFC 4291 (and by the grammar of RFC 3986, and by net/netip):
//
//   - with a "::" and an embedded IPv4 address, it counts the IPv4
//     address as less than the two pieces it is, so it lets through
//     addresses of eight pieces or more where the "::" stands for none
//     ("0:0:0:0:0:0::0.0.0.0", "0:0:0:0:0::0:0:0:0.0.0.0"); it fixed the
//     same slip for addresses without IPv4 ("0:0:0:0:0:0:0::0");
//   - a single ":" ending an otherwise valid address when a zone follows
//     ("1::2:%eth0", "0:0:0:0:0:0:0:0:%0"); without the zone it refuses
//     it.
func ipv6Quirk(s string) bool {
	addr, zone, zoned := strings.Cut(s, "%")
	if _, err := netip.ParseAddr(addr); err == nil {
		return false // a valid address is no slip
	}
	if zoned && zone != "" && strings.HasSuffix(addr, ":") && !strings.HasSuffix(addr, "::") {
		ip, err := netip.ParseAddr(strings.TrimSuffix(addr, ":"))
		return err == nil && ip.Is6()
	}
	if strings.Count(addr, "::") != 1 {
		return false
	}
	i := strings.LastIndex(addr, ":")
	if v4, err := netip.ParseAddr(addr[i+1:]); err != nil || !v4.Is4() {
		return false
	}
	pieces := 0
	for _, p := range strings.Split(addr[:i], ":") {
		if p == "" {
			continue
		}
		if _, err := strconv.ParseUint(p, 16, 16); err != nil || len(p) > 4 {
			return false
		}
		pieces++
	}
	// With the IPv4 address's two pieces, eight or more leave the "::"
	// nothing to stand for: every such string is invalid, whatever its
	// length, so excusing them all hides no fault of the pattern.
	return pieces+2 >= 8
}

// uriRefQuirk reports whether protovalidate (v1.4.0) accepts s as a URI
// reference only through a slip of its parser: when the query or the
// fragment of a URI fails, it does not rewind, and reads what follows the
// "?" or "#" as a relative reference. The schema follows RFC 3986 and
// refuses such strings.
func uriRefQuirk(s string) bool {
	for i := range len(s) {
		if (s[i] == '?' || s[i] == '#') && quirkFull.MatchString(s[:i]) && quirkRel.MatchString(s[i+1:]) {
			return true
		}
	}
	return false
}

var (
	quirkFull = regexp.MustCompile(uriPattern)
	quirkRel  = regexp.MustCompile("^(?:" + relativeRef + ")$")
)

// formatVerdict says whether protovalidate accepts s for the field.
func formatVerdict(t testing.TB, v protovalidate.Validator, md protoreflect.MessageDescriptor, field protoreflect.Name, s string) bool {
	fd := md.Fields().ByName(field)
	m := dynamicpb.NewMessage(md)
	m.Set(fd, protoreflect.ValueOfString(s))
	err := v.Validate(m)
	var verr *protovalidate.ValidationError
	if err != nil && !errors.As(err, &verr) {
		t.Fatal(err)
	}
	if verr == nil {
		return true
	}
	for _, viol := range verr.Violations {
		if viol.FieldDescriptor != nil && viol.FieldDescriptor.Name() == field {
			return false
		}
	}
	return true
}

func kindsMessage(t testing.TB) protoreflect.MessageDescriptor {
	t.Helper()
	cats, err := catalogs()
	if err != nil {
		t.Fatal(err)
	}
	s, ok := cats["fixture"].Scenario("fixture-js.kinds")
	if !ok {
		t.Fatal("no fixture-js.kinds")
	}
	return s.Message
}

// TestFormatPatterns checks the patterns of the string formats against
// protovalidate's own checks on strings near their edges.
func TestFormatPatterns(t *testing.T) {
	t.Parallel()
	v, err := sharedValidator()
	if err != nil {
		t.Fatal(err)
	}
	md := kindsMessage(t)
	for _, ff := range formatFields {
		re := regexp.MustCompile(ff.pattern)
		for _, s := range formatSeeds {
			if s == "" {
				continue // the fixture ignores empty values
			}
			got, want := re.MatchString(s), formatVerdict(t, v, md, ff.field, s)
			if protovalidateQuirk(ff.field, s, got, want) {
				continue
			}
			if got != want {
				t.Errorf("%s: pattern says %v for %q, protovalidate %v", ff.field, got, s, want)
			}
		}
	}
}

// FuzzFormatPatterns compares the patterns with protovalidate on any
// string.
func FuzzFormatPatterns(f *testing.F) {
	for _, s := range formatSeeds {
		f.Add(s)
	}
	v, err := sharedValidator()
	if err != nil {
		f.Fatal(err)
	}
	md := kindsMessage(f)
	res := make([]*regexp.Regexp, len(formatFields))
	for i, ff := range formatFields {
		res[i] = regexp.MustCompile(ff.pattern)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if s == "" || strings.ContainsRune(s, '\uFFFD') {
			return
		}
		for i, ff := range formatFields {
			got, want := res[i].MatchString(s), formatVerdict(t, v, md, ff.field, s)
			if protovalidateQuirk(ff.field, s, got, want) {
				continue
			}
			if got != want {
				t.Errorf("%s: pattern says %v for %q, protovalidate %v", ff.field, got, s, want)
			}
		}
	})
}

// TestIPv6Quirk checks that the excuse for protovalidate's IPv6 slip
// covers the slip and nothing else.
func TestIPv6Quirk(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want bool
	}{
		{"0:0:0:0:0:0::0.0.0.0", true},
		{"::1:2:3:4:5:6:1.2.3.4", true},
		{"1:2:3:4:5:6::1.2.3.4%eth0", true},
		{"1:2:3:4:5::1.2.3.4", false},     // valid: the "::" stands for one piece
		{"1:2:3:4:5:6:1.2.3.4", false},    // valid, no "::"
		{"1:2::3:4::1.2.3.4", false},      // two "::"
		{"0:0:0:0:0:0:0::0", false},       // no IPv4: protovalidate refuses it
		{"1:2:3:4:5:6:7::", false},        // valid
		{"1:2:3:4:5:6::256.0.0.0", false}, // not an address either way
		{"1::2:%eth0", true},
		{"::0:%0", true},
		{"1::2:", false},               // no zone: protovalidate refuses it
		{"1:2:3:4:5:6:7:%eth0", false}, // no "::": protovalidate refuses it
		{"1::2::%eth0", false},         // two "::"
		{"1::g:%eth0", false},          // not an address without the colon either
	}
	for _, tt := range tests {
		if got := ipv6Quirk(tt.in); got != tt.want {
			t.Errorf("ipv6Quirk(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// holdsQuirk reports whether a payload of md holds, in a field with a
// uri_ref, ip or ipv6 rule, a value protovalidate accepts only through
// one of its known slips (protovalidateQuirk), which the schemas refuse.
func holdsQuirk(md protoreflect.MessageDescriptor, payload []byte) bool {
	m := dynamicpb.NewMessage(md)
	if err := protojson.Unmarshal(payload, m); err != nil {
		return false
	}
	var found bool
	var walk func(m protoreflect.Message)
	check := func(r *validate.StringRules, s string) {
		switch {
		case r.GetUriRef():
			found = found || uriRefQuirk(s)
		case r.GetIp(), r.GetIpv6():
			found = found || ipv6Quirk(s)
		}
	}
	walk = func(m protoreflect.Message) {
		m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			r := rulesOf(fd)
			switch {
			case fd.IsList() && fd.Kind() == protoreflect.StringKind:
				for i := range v.List().Len() {
					check(r.GetRepeated().GetItems().GetString(), v.List().Get(i).String())
				}
			case fd.IsList() && fd.Message() != nil:
				for i := range v.List().Len() {
					walk(v.List().Get(i).Message())
				}
			case fd.IsMap():
				v.Map().Range(func(k protoreflect.MapKey, e protoreflect.Value) bool {
					if fd.MapValue().Kind() == protoreflect.StringKind {
						check(r.GetMap().GetValues().GetString(), e.String())
					}
					if fd.MapValue().Message() != nil {
						walk(e.Message())
					}
					return true
				})
			case fd.Kind() == protoreflect.StringKind:
				check(r.GetString(), v.String())
			case fd.Message() != nil:
				walk(v.Message())
			}
			return true
		})
	}
	walk(m)
	return found
}
