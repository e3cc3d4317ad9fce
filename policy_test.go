package provision_test

import (
	"testing"

	"google.golang.org/protobuf/encoding/prototext"

	"github.com/provisionhq/provision"
	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

func TestEffectiveRedaction(t *testing.T) {
	t.Parallel()
	const (
		eula     = provisionv1.Agreement_AGREEMENT_EULA
		standard = provisionv1.Agreement_AGREEMENT_KSN_STANDARD
		extended = provisionv1.Agreement_AGREEMENT_KSN_EXTENDED
	)
	url := `requires: AGREEMENT_KSN_STANDARD
		redaction: {url_sanitize: {drop_query: true}}
		redaction_under: {when: AGREEMENT_KSN_EXTENDED, redaction: {url_sanitize: {}}}`
	tests := []struct {
		name    string
		item    string
		consent []provisionv1.Agreement
		want    string // prototext of the redaction; "" when not sent
	}{
		{"not granted", url, []provisionv1.Agreement{eula}, ""},
		{"default strategy", url, []provisionv1.Agreement{standard}, "url_sanitize:{drop_query:true}"},
		{"override under a stronger agreement", url, []provisionv1.Agreement{extended}, "url_sanitize:{}"},
		{"drop never sends", `requires: AGREEMENT_EULA redaction: {drop: {}}`, []provisionv1.Agreement{extended}, ""},
		{"override to drop", `requires: AGREEMENT_EULA redaction: {keep: {}} redaction_under: {when: AGREEMENT_KSN_STANDARD, redaction: {drop: {}}}`, []provisionv1.Agreement{standard}, ""},
		{"local only", `requires: AGREEMENT_NONE redaction: {keep: {}}`, []provisionv1.Agreement{eula, extended}, ""},
		{"no strategy", `requires: AGREEMENT_EULA`, []provisionv1.Agreement{eula}, ""},
		{"no agreement", `redaction: {keep: {}}`, []provisionv1.Agreement{eula}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			item := &provisionv1.DataItem{}
			if err := prototext.Unmarshal([]byte(tt.item), item); err != nil {
				t.Fatal(err)
			}
			c, err := provision.NewConsent(tt.consent...)
			if err != nil {
				t.Fatal(err)
			}
			r, ok := provision.EffectiveRedaction(item, c)
			got := ""
			if ok {
				got = prototext.MarshalOptions{}.Format(r)
			}
			if normalise(got) != normalise(tt.want) {
				t.Errorf("EffectiveRedaction = %q (sent %v), want %q", got, ok, tt.want)
			}
		})
	}
	if _, ok := provision.EffectiveRedaction(nil, provision.Consent{}); ok {
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
