package main

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protoload"
)

// catalogImage writes an image of the repository's catalog (proto/),
// compiled in process, and returns its path and the catalog's model.
func catalogImage(t *testing.T) (string, *model.Catalog) {
	t.Helper()
	cat, err := protoload.CompileCatalog(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	c, err := model.FromFileDescriptorSet(cat.Set)
	if err != nil {
		t.Fatal(err)
	}
	return writeImage(t, cat.Set), c
}

// TestExpiring runs provision expiring on the catalog on days around its
// scenarios' first expiry date, expecting what the catalog says: nothing
// before the window opens, then every scenario of that date under each of
// its owners, expired from that day on.
func TestExpiring(t *testing.T) {
	t.Parallel()
	image, c := catalogImage(t)
	var first time.Time
	want := map[string][]string{} // owner → scenario IDs expiring on first
	for _, s := range c.Scenarios() {
		if d, ok := model.ExpiryDate(s.Expires()); ok && (first.IsZero() || d.Before(first)) {
			first = d
		}
	}
	if first.IsZero() {
		t.Fatal("no scenario of the catalog expires by date")
	}
	for _, s := range c.Scenarios() {
		if d, ok := model.ExpiryDate(s.Expires()); ok && d.Equal(first) {
			for _, o := range s.Owners() {
				want[o.GetName()] = append(want[o.GetName()], s.ID)
			}
		}
	}
	day := func(d time.Time) string { return d.Format(time.DateOnly) }
	tests := []struct {
		name        string
		today       string
		within      string
		wantListed  bool
		wantExpired bool
	}{
		{"before the window", day(first.AddDate(0, 0, -61)), "60d", false, false},
		{"the window's first day", day(first.AddDate(0, 0, -60)), "60d", true, false},
		{"a wider window", day(first.AddDate(0, 0, -80)), "90d", true, false},
		{"the day before", day(first.AddDate(0, 0, -1)), "0d", false, false},
		{"the day itself", day(first), "0d", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			if code := run(t.Context(), []string{"expiring", "-image", image, "-today", tt.today, "-within", tt.within, "-format", "json"}, &stdout, &stderr); code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			var got []expiringOwner
			if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
				t.Fatalf("%v\n%s", err, stdout.String())
			}
			if !tt.wantListed {
				if len(got) != 0 {
					t.Fatalf("listed %+v, want nothing", got)
				}
				return
			}
			for owner, ids := range want {
				i := slices.IndexFunc(got, func(o expiringOwner) bool { return o.Owner == owner })
				if i < 0 {
					t.Fatalf("owner %q not listed: %+v", owner, got)
				}
				var listed []string
				for _, it := range got[i].Items {
					if it.Expires == day(first) {
						listed = append(listed, it.Scenario)
						if it.Expired != tt.wantExpired {
							t.Errorf("%s: expired %v, want %v", it.Scenario, it.Expired, tt.wantExpired)
						}
					}
				}
				if !slices.Equal(listed, ids) {
					t.Errorf("owner %q: listed %v, want %v", owner, listed, ids)
				}
			}
		})
	}
}

// TestExpiringText checks the text report names each owner once and each
// expired scenario as EXPIRED, and that bad flags are usage errors.
func TestExpiringText(t *testing.T) {
	t.Parallel()
	image, c := catalogImage(t)
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), []string{"expiring", "-image", image, "-today", "2999-01-01"}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, s := range c.Scenarios() {
		if s.Expires().GetDate() == "" {
			continue
		}
		if !strings.Contains(stdout.String(), "EXPIRED      scenario "+s.ID+"\n") {
			t.Errorf("report does not list scenario %s as expired:\n%s", s.ID, stdout.String())
		}
		for _, o := range s.Owners() {
			if n := strings.Count(stdout.String(), "\n"+o.GetName()+" ("); n+boolInt(strings.HasPrefix(stdout.String(), o.GetName()+" (")) != 1 {
				t.Errorf("owner %q heads %d sections, want 1", o.GetName(), n)
			}
		}
	}
	for _, args := range [][]string{
		{"-within", "soon"},
		{"-within", "-3d"},
		{"-today", "2027-02-30"},
		{"-format", "xml"},
		{"extra"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(t.Context(), append([]string{"expiring", "-image", image}, args...), &stdout, &stderr); code != exitUsage {
			t.Errorf("expiring %v: exit %d, want %d (usage)", args, code, exitUsage)
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
