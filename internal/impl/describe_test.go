package impl_test

import (
	"testing"

	"google.golang.org/protobuf/encoding/prototext"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/impl"
)

func TestDescribeRedaction(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		want string
	}{
		{`keep: {}`, "keep"},
		{`drop: {}`, "drop"},
		{`hmac: {key_id: "svm"}`, "hmac(key=svm)"},
		{`ip_truncate: {}`, "ip_truncate(/24, /48)"},
		{`ip_truncate: {ipv4_prefix: 16, ipv6_prefix: 32}`, "ip_truncate(/16, /32)"},
		{`ip_truncate: {ipv4_prefix: 0}`, "ip_truncate(/0, /48)"},
		{`url_sanitize: {}`, "url_sanitize()"},
		{`url_sanitize: {drop_query: true, redact_query: ["sid", "q"]}`, "url_sanitize(drop query; redact sid,q)"},
		{`generalize_version: {keep_components: 2}`, "generalize_version(2)"},
		{`bucket: {bounds: [0, 1, 10.5]}`, "bucket(0,1,10.5)"},
		{`mask: {keep_prefix: 2, keep_suffix: 3}`, "mask(keep 2+3)"},
		{`dp_noise: {epsilon: 0.5, sensitivity: 1}`, "dp_noise(ε=0.5, Δ=1)"},
		{``, "none"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			r := &provisionv1.Redaction{}
			if err := prototext.Unmarshal([]byte(tt.text), r); err != nil {
				t.Fatal(err)
			}
			if got := impl.DescribeRedaction(r); got != tt.want {
				t.Errorf("DescribeRedaction(%s) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}
