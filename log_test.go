package provision_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/provisionhq/provision"
	ksvlav1 "github.com/provisionhq/provision/gen/go/kaspersky/ksvla/v1"
)

// TestLogValue checks what a slog text line shows of an activation
// payload: anonymous items in clear (a Timestamp as its RFC 3339 text,
// quoted once), every other populated item as [redacted], unset items not
// at all.
func TestLogValue(t *testing.T) {
	t.Parallel()
	at := time.Date(2024, 3, 14, 9, 26, 53, 0, time.UTC)
	tests := []struct {
		name      string
		msg       *ksvlav1.ActivationRequest
		want      []string
		forbidden []string
	}{
		{
			name:      "timestamp in clear, activation code redacted",
			msg:       &ksvlav1.ActivationRequest{ActivationTime: timestamppb.New(at), ActivationCode: "AAAAA-BBBBB-CCCCC-DDDDD"},
			want:      []string{`p.activationTime=2024-03-14T09:26:53Z`, `p.activationCode=[redacted]`},
			forbidden: []string{`\"`, "AAAAA"},
		},
		{
			name:      "unset fields do not appear",
			msg:       &ksvlav1.ActivationRequest{},
			forbidden: []string{"activationTime", "activationCode"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			slog.New(slog.NewTextHandler(&out, nil)).Info("payload", "p", provision.LogValue(tt.msg))
			line := out.String()
			for _, w := range tt.want {
				if !strings.Contains(line, w) {
					t.Errorf("log line %q lacks %q", line, w)
				}
			}
			for _, f := range tt.forbidden {
				if strings.Contains(line, f) {
					t.Errorf("log line %q holds %q", line, f)
				}
			}
		})
	}
}
