package privacycheck_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionhq/provision/internal/privacycheck"
)

// TestExpiringWindow checks the lifecycle options of buf.yaml on the
// lifecycle fixture: the window of EXPIRING_SOON (60 days by default)
// widens and narrows with expiring_within, the day comes from today, and
// a value that is no number of days or no day fails the check instead of
// passing unnoticed.
func TestExpiringWindow(t *testing.T) {
	t.Parallel()
	files := []string{"lifecycle.proto", "policy.proto"}
	tests := []struct {
		name    string
		opts    map[string]any
		want    []string // fields found EXPIRING_SOON
		wantErr bool
	}{
		{name: "default window", opts: map[string]any{privacycheck.OptionToday: "2026-06-01"}, want: []string{"channel"}},
		{name: "90 days", opts: map[string]any{privacycheck.OptionToday: "2026-06-01", privacycheck.OptionExpiringWithin: "90d"}, want: []string{"channel", "region"}},
		{name: "none ahead", opts: map[string]any{privacycheck.OptionToday: "2026-06-01", privacycheck.OptionExpiringWithin: "0d"}},
		{name: "a later day", opts: map[string]any{privacycheck.OptionToday: "2026-07-15"}, want: []string{"channel", "region"}},
		{name: "window not in days", opts: map[string]any{privacycheck.OptionExpiringWithin: "soon"}, wantErr: true},
		{name: "negative window", opts: map[string]any{privacycheck.OptionExpiringWithin: "-5d"}, wantErr: true},
		{name: "today no day", opts: map[string]any{privacycheck.OptionToday: "2026-13-01"}, wantErr: true},
		{name: "today not text", opts: map[string]any{privacycheck.OptionToday: int64(20260601)}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := runWith(t, tt.opts, dirs(t, "testdata/lint"), files, nil, []string{privacycheck.RuleExpiringSoon})
			if tt.wantErr {
				if err == nil {
					t.Fatalf("the check passed, want an error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var fields []string
			for _, w := range got {
				if f := strings.Fields(w.Text); len(f) > 1 && f[0] == "field" {
					fields = append(fields, f[1])
				}
			}
			slices.Sort(fields)
			if diff := cmp.Diff(tt.want, fields); diff != "" {
				t.Errorf("EXPIRING_SOON fields (-want +got):\n%s\n%+v", diff, got)
			}
		})
	}
}

func TestParseDays(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		days    int
		wantErr bool
	}{
		{"60d", 60, false},
		{"0d", 0, false},
		{" 90 ", 90, false},
		{"3660d", 3660, false},
		{"3661d", 0, true},
		{"-1d", 0, true},
		{"2w", 0, true},
		{"", 0, true},
	}
	for _, tt := range tests {
		got, err := privacycheck.ParseDays(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseDays(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if !tt.wantErr && int(got.Hours()/24) != tt.days {
			t.Errorf("ParseDays(%q) = %v, want %d days", tt.in, got, tt.days)
		}
	}
}
