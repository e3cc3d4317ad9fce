package diff_test

import (
	"testing"

	"google.golang.org/protobuf/encoding/prototext"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/diff"
)

func redaction(t *testing.T, text string) *provisionv1.Redaction {
	t.Helper()
	r := &provisionv1.Redaction{}
	if err := prototext.Unmarshal([]byte(text), r); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestWeaker(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want bool
	}{
		{`hmac: {key_id: "k"}`, `keep: {}`, true},
		{`keep: {}`, `hmac: {key_id: "k"}`, false},
		{`drop: {}`, `mask: {keep_prefix: 2}`, true},
		{`hmac: {key_id: "a"}`, `hmac: {key_id: "b"}`, false},
		{`ip_truncate: {}`, `ip_truncate: {ipv4_prefix: 32}`, true},
		{`ip_truncate: {ipv4_prefix: 32}`, `ip_truncate: {}`, false},
		{`ip_truncate: {}`, `ip_truncate: {ipv6_prefix: 64}`, true},
		{`url_sanitize: {drop_query: true}`, `url_sanitize: {}`, true},
		{`url_sanitize: {}`, `url_sanitize: {drop_query: true}`, false},
		{`url_sanitize: {redact_query: ["a", "b"]}`, `url_sanitize: {redact_query: ["a"]}`, true},
		{`url_sanitize: {redact_query: ["a"]}`, `url_sanitize: {redact_query: ["a", "b"]}`, false},
		{`generalize_version: {keep_components: 2}`, `generalize_version: {keep_components: 3}`, true},
		{`bucket: {bounds: [0, 10]}`, `bucket: {bounds: [0, 5, 10]}`, true},
		{`bucket: {bounds: [0, 10]}`, `bucket: {bounds: [0, 20, 30]}`, false},
		{`mask: {keep_prefix: 1}`, `mask: {keep_prefix: 1, keep_suffix: 2}`, true},
		{`dp_noise: {epsilon: 1, sensitivity: 1}`, `dp_noise: {epsilon: 2, sensitivity: 1}`, true},
		{`dp_noise: {epsilon: 2, sensitivity: 1}`, `dp_noise: {epsilon: 1, sensitivity: 1}`, false},
		{`mask: {keep_prefix: 1}`, `bucket: {bounds: [1]}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.a+" → "+tt.b, func(t *testing.T) {
			t.Parallel()
			if got := diff.Weaker(redaction(t, tt.a), redaction(t, tt.b)); got != tt.want {
				t.Errorf("Weaker(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestRedactionWords(t *testing.T) {
	t.Parallel()
	tests := []struct{ r, want string }{
		{`keep: {}`, "as it is"},
		{`hmac: {key_id: "k"}`, "as a keyed hash that cannot be read back (HMAC-SHA256)"},
		{`ip_truncate: {}`, "with only its network part (IPv4 /24, IPv6 /48)"},
		{`url_sanitize: {drop_query: true}`, "without user names, passwords and fragment, and without its query"},
		{`generalize_version: {keep_components: 1}`, "as its first component only"},
		{`bucket: {bounds: [0, 10.5]}`, "rounded down to one of 0, 10.5"},
	}
	for _, tt := range tests {
		if got := diff.RedactionWords(redaction(t, tt.r)); got != tt.want {
			t.Errorf("RedactionWords(%s) = %q, want %q", tt.r, got, tt.want)
		}
	}
}
