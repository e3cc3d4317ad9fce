package model_test

import (
	"testing"
	"time"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/model"
)

func TestPlaceholder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want bool
	}{
		{"", true},
		{"  ", true},
		{"TODO", true},
		{"todo: fill in", true},
		{"TBD", true},
		{"FIXME later", true},
		{"n/a", true},
		{"N/A", true},
		{"unknown", true},
		{"<reviewer>", true},
		{"{name}", true},
		{"[owner]", true},
		{"xxx", true},
		{"Catalog maintainers", false},
		{"seeds/004", false},
		{"2026-11-30", false},
		{"Todorov", false},
		{"https://example.org/tbdx", false},
		{"Mastodon", false},
	}
	for _, tt := range tests {
		if got := model.Placeholder(tt.in); got != tt.want {
			t.Errorf("Placeholder(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestExpired(t *testing.T) {
	t.Parallel()
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	date := func(s string) *provisionv1.Expiry {
		return &provisionv1.Expiry{When: &provisionv1.Expiry_Date{Date: s}}
	}
	version := func(s string) *provisionv1.Expiry {
		return &provisionv1.Expiry{When: &provisionv1.Expiry_ProductVersion{ProductVersion: s}}
	}
	never := &provisionv1.Expiry{When: &provisionv1.Expiry_Never{Never: true}}
	tests := []struct {
		name    string
		e       *provisionv1.Expiry
		today   time.Time
		version string
		want    bool
	}{
		{"the day before", date("2027-01-01"), day("2026-12-31"), "", false},
		{"the day itself", date("2027-01-01"), day("2027-01-01"), "", true},
		{"late on the day before, west of UTC", date("2027-01-01"), time.Date(2026, 12, 31, 23, 0, 0, 0, time.FixedZone("X", -5*3600)), "", true},
		{"after", date("2027-01-01"), day("2030-01-01"), "", true},
		{"no day", date("2027-02-30"), day("2030-01-01"), "", false},
		{"version reached", version("7.1"), day("2020-01-01"), "7.1", true},
		{"version passed", version("7.1"), day("2020-01-01"), "7.10.2", true},
		{"version before", version("7.10"), day("2020-01-01"), "7.9", false},
		{"version unknown", version("7.1"), day("2020-01-01"), "", false},
		{"never", never, day("2999-01-01"), "99", false},
		{"none", nil, day("2999-01-01"), "99", false},
	}
	for _, tt := range tests {
		if got := model.Expired(tt.e, tt.today, tt.version); got != tt.want {
			t.Errorf("%s: Expired = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestCompareVersions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want int
	}{
		{"6.10", "6.9", 1},
		{"6.1", "6.1.0", 0},
		{"6", "6.0.1", -1},
		{"12.0", "11.99", 1},
	}
	for _, tt := range tests {
		if got := model.CompareVersions(tt.a, tt.b); got != tt.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
