package provision_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/provisionhq/provision"
	notesv1 "github.com/provisionhq/provision/internal/gen/golang/testdata/golden-acme/acme/notes/v1"
)

// TestLogValue checks what a slog text line shows of a usage report: anonymous items in clear (a Timestamp as its RFC 3339 text,
// quoted once), every other populated item as [redacted], unset items not
// at all.
func TestLogValue(t *testing.T) {
	t.Parallel()
	at := time.Date(2024, 3, 14, 9, 26, 53, 0, time.UTC)
	tests := []struct {
		name      string
		msg       *notesv1.UsageReport
		want      []string
		forbidden []string
	}{
		{
			name:      "timestamp in clear, web address and identifier redacted",
			msg:       &notesv1.UsageReport{WeekStart: timestamppb.New(at), HelpPageUrl: "https://help.example.net/?q=AAAAA", AccountId: "BBBBB"},
			want:      []string{`p.weekStart=2024-03-14T09:26:53Z`, `p.helpPageUrl=[redacted]`, `p.accountId=[redacted]`},
			forbidden: []string{`\"`, "AAAAA", "BBBBB"},
		},
		{
			name:      "unset fields do not appear",
			msg:       &notesv1.UsageReport{},
			forbidden: []string{"weekStart", "helpPageUrl", "accountId"},
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
