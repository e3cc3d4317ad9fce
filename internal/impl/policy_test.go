package impl_test

import (
	"testing"

	"google.golang.org/protobuf/encoding/prototext"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/impl"
)

func TestEffectiveRedaction(t *testing.T) {
	t.Parallel()
	const (
		eula     = "LICENSE"
		standard = "CLOUD_STANDARD"
		extended = "CLOUD_EXTENDED"
	)
	agreements := impl.MustAgreements("example.v1",
		impl.AgreementDecl{ID: eula},
		impl.AgreementDecl{ID: standard, Implies: []string{eula}},
		impl.AgreementDecl{ID: extended, Implies: []string{standard}})
	url := `requires: "CLOUD_STANDARD"
		redaction: {url_sanitize: {drop_query: true}}
		redaction_under: {when: "CLOUD_EXTENDED", redaction: {url_sanitize: {}}}`
	tests := []struct {
		name    string
		item    string
		consent []string
		want    string // prototext of the redaction; "" when not sent
	}{
		{"not granted", url, []string{eula}, ""},
		{"default strategy", url, []string{standard}, "url_sanitize:{drop_query:true}"},
		{"override under a stronger agreement", url, []string{extended}, "url_sanitize:{}"},
		{"drop never sends", `requires: "LICENSE" redaction: {drop: {}}`, []string{extended}, ""},
		{"override to drop", `requires: "LICENSE" redaction: {keep: {}} redaction_under: {when: "CLOUD_STANDARD", redaction: {drop: {}}}`, []string{standard}, ""},
		{"local only", `requires: "NONE" redaction: {keep: {}}`, []string{eula, extended}, ""},
		{"no strategy", `requires: "LICENSE"`, []string{eula}, ""},
		{"no agreement", `redaction: {keep: {}}`, []string{eula}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			item := &provisionv1.DataItem{}
			if err := prototext.Unmarshal([]byte(tt.item), item); err != nil {
				t.Fatal(err)
			}
			c, err := agreements.Consent(tt.consent...)
			if err != nil {
				t.Fatal(err)
			}
			r, ok := impl.EffectiveRedaction(item, c)
			got := ""
			if ok {
				got = prototext.MarshalOptions{}.Format(r)
			}
			if normalise(got) != normalise(tt.want) {
				t.Errorf("EffectiveRedaction = %q (sent %v), want %q", got, ok, tt.want)
			}
		})
	}
	if _, ok := impl.EffectiveRedaction(nil, impl.Consent{}); ok {
		t.Error("a nil item is sent")
	}
}

// normalise removes the spaces prototext inserts at random to keep its
// output unstable.
func normalise(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r != ' ' && r != '\n' {
			out = append(out, r)
		}
	}
	return string(out)
}
