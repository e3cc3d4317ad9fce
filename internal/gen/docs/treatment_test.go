package docs

import (
	"testing"

	"google.golang.org/protobuf/encoding/prototext"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/impl"
)

// TestTreatment checks the plain words of every strategy and its
// parameters.
func TestTreatment(t *testing.T) {
	t.Parallel()
	tests := []struct{ redaction, want string }{
		{`keep: {}`, "sent as it is"},
		{`drop: {}`, "never sent"},
		{`hmac: {key_id: "svm"}`, "sent as a keyed hash (HMAC-SHA256, key “svm”), so records still link but the value cannot be read back"},
		{`ip_truncate: {}`, "IPv4 address, last octet removed; IPv6 address cut to its first 48 bits"},
		{`ip_truncate: {ipv4_prefix: 16, ipv6_prefix: 32}`, "IPv4 address cut to its first 16 bits; IPv6 address cut to its first 32 bits"},
		{`url_sanitize: {drop_query: true}`, "account details, fragment, query and path parameters removed; the host in lower case, an IP address as host shortened as an IP address is; a path segment holding an @ replaced by “REDACTED”"},
		{`url_sanitize: {}`, "account details and fragment removed; the host in lower case, an IP address as host shortened as an IP address is; the values of sensitive query and path parameters (keys, signatures, tokens, one-time codes, passwords, session IDs, credentials and account details such as user name or e-mail address) replaced by “REDACTED”, as is a path segment or value holding an @; a web address in a value treated the same way, up to two levels deep"},
		{`url_sanitize: {redact_query: ["lang", "q"]}`, "account details and fragment removed; the host in lower case, an IP address as host shortened as an IP address is; the values of sensitive query and path parameters (keys, signatures, tokens, one-time codes, passwords, session IDs, credentials and account details such as user name or e-mail address, lang, q) replaced by “REDACTED”, as is a path segment or value holding an @; a web address in a value treated the same way, up to two levels deep"},
		{`generalize_version: {keep_components: 1}`, "major version only"},
		{`generalize_version: {keep_components: 2}`, "major and minor version only"},
		{`generalize_version: {keep_components: 3}`, "first 3 components of the version only"},
		{`bucket: {bounds: [0, 1, 10, 100.5]}`, "rounded down to one of 0, 1, 10, 100.5"},
		{`mask: {keep_prefix: 2, keep_suffix: 4}`, "all characters but the first 2 and the last 4 replaced by asterisks"},
		{`dp_noise: {epsilon: 0.5, sensitivity: 1}`, "random noise added (differential privacy, ε = 0.5, sensitivity 1)"},
		{``, "never sent"},
	}
	for _, tt := range tests {
		var r provisionv1.Redaction
		if err := prototext.Unmarshal([]byte(tt.redaction), &r); err != nil {
			t.Fatalf("%s: %v", tt.redaction, err)
		}
		if got := treatment(newLocalizer(nil), &r); got != tt.want {
			t.Errorf("treatment(%s) = %q, want %q", tt.redaction, got, tt.want)
		}
	}
}

// TestTreatmentEveryStrategy checks that every strategy of the vocabulary
// has its own words: only drop says "never sent".
func TestTreatmentEveryStrategy(t *testing.T) {
	t.Parallel()
	l := newLocalizer(nil)
	never := treatment(l, nil)
	od := (&provisionv1.Redaction{}).ProtoReflect().Descriptor().Oneofs().ByName("strategy")
	for i := range od.Fields().Len() {
		fd := od.Fields().Get(i)
		r := &provisionv1.Redaction{}
		r.ProtoReflect().Set(fd, r.ProtoReflect().NewField(fd))
		if got := treatment(l, r); (got == never) != (impl.StrategyKindOf(r) == impl.StrategyDrop) {
			t.Errorf("treatment(%s) = %q", fd.Name(), got)
		}
	}
}

// TestTreatmentTerm checks the brief words of every strategy in a table
// cell: each names the parameters that tell two treatments of one kind
// apart, but for the bounds of a bucket and the sensitivity of noise,
// which the page's legend gives.
func TestTreatmentTerm(t *testing.T) {
	t.Parallel()
	tests := []struct{ redaction, want string }{
		{`keep: {}`, "as it is"},
		{`drop: {}`, "not sent"},
		{`hmac: {key_id: "svm"}`, "keyed hash (key “svm”)"},
		{`ip_truncate: {}`, "IP address shortened (IPv4 /24, IPv6 /48)"},
		{`ip_truncate: {ipv4_prefix: 16, ipv6_prefix: 32}`, "IP address shortened (IPv4 /16, IPv6 /32)"},
		{`url_sanitize: {drop_query: true}`, "web address without query"},
		{`url_sanitize: {}`, "web address, sensitive values replaced"},
		{`url_sanitize: {redact_query: ["lang", "q"]}`, "web address, sensitive values replaced (also lang, q)"},
		{`generalize_version: {keep_components: 1}`, "version cut to 1 part"},
		{`generalize_version: {keep_components: 2}`, "version cut to 2 parts"},
		{`bucket: {bounds: [0, 1, 10, 100.5]}`, "rounded down to fixed steps"},
		{`mask: {keep_prefix: 2, keep_suffix: 4}`, "masked but the first 2 and last 4 characters"},
		{`dp_noise: {epsilon: 0.5, sensitivity: 1}`, "random noise added (ε = 0.5)"},
		{``, "not sent"},
	}
	for _, tt := range tests {
		var r provisionv1.Redaction
		if err := prototext.Unmarshal([]byte(tt.redaction), &r); err != nil {
			t.Fatalf("%s: %v", tt.redaction, err)
		}
		if got := treatmentTerm(newLocalizer(nil), &r); got != tt.want {
			t.Errorf("treatmentTerm(%s) = %q, want %q", tt.redaction, got, tt.want)
		}
	}
}
