package livecheck_test

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"

	"github.com/provisionhq/provision/internal/catalogref"
	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/livecheck"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protoload"
)

// itemExpiryDay is the expiry date the fixture of TestItemExpired gives
// one item of a copy of the Acme catalog.
const itemExpiryDay = "2027-06-01"

// acmeWithItemExpiry is a copy of the Acme catalog in which the sync
// scenario's device identifier expires on itemExpiryDay, before its
// scenario (which expires with a product version).
func acmeWithItemExpiry(t *testing.T) *model.Catalog {
	t.Helper()
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(root, filepath.FromSlash(protoload.Acme)))); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "acme", "notes", "v1", "sync.proto")
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	const anchor = `example: "9b2f6c1e-4d7a-4e8b-9f10-2a3b4c5d6e7f"`
	if n := strings.Count(string(src), anchor); n != 1 {
		t.Fatalf("sync.proto holds %q %d times, want once", anchor, n)
	}
	edited := strings.Replace(string(src), anchor, anchor+`
      expires: {date: "`+itemExpiryDay+`" basis: {assessment: "A fixture of the live-check tests."}}`, 1)
	if err := os.WriteFile(file, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := catalogref.Load(context.Background(), root, dir)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// sentPayload is a payload of the first scenario of cat, allowed under
// the full consent of its product, for which ok holds, filled from every
// example and redacted as the product sends it, under that consent.
func sentPayload(t *testing.T, cat *model.Catalog, ok func(*model.Scenario) bool) (*model.Scenario, livecheck.Record) {
	t.Helper()
	keys := testKeys(t, cat)
	for _, s := range cat.Scenarios() {
		c := fullConsent(s.Product)
		if s.Local() || !c.Grants(s.Agreement) || !ok(s) {
			continue
		}
		m := examplePayload(t, rand.New(rand.NewPCG(1, 2)), s, 1)
		if m == nil {
			continue
		}
		sent := proto.Clone(m)
		_ = impl.Redact(sent, c, keys)
		return s, jsonRecord(t, situation{s: s}, sent)
	}
	t.Fatal("no scenario offers the payload")
	return nil, livecheck.Record{}
}

type expiryFinding struct {
	Field, Expires string
}

// TestItemExpired checks a payload on the days around the expiry of its
// scenario (the repository's catalog, whose scenarios expire by date)
// and of one of its items (a copy of the Acme catalog): nothing before
// the day, one ITEM_EXPIRED from the day on, for the whole payload when
// the scenario has expired and at the item's path when only the item has.
func TestItemExpired(t *testing.T) {
	t.Parallel()
	cat := loadCatalogs(t)["catalog"]
	byDate, scenarioRec := sentPayload(t, cat, func(s *model.Scenario) bool {
		_, ok := model.ExpiryDate(s.Expires())
		return ok
	})
	scenarioDay, _ := model.ExpiryDate(byDate.Expires())
	acme := acmeWithItemExpiry(t)
	_, itemRec := sentPayload(t, acme, func(s *model.Scenario) bool { return s.ID == "acme-notes.sync" })
	itemDay, err := time.Parse(model.DateLayout, itemExpiryDay)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		cat   *model.Catalog
		rec   livecheck.Record
		today time.Time
		want  []expiryFinding
	}{
		{"scenario, the day before", cat, scenarioRec, scenarioDay.AddDate(0, 0, -1).Add(23 * time.Hour), nil},
		{"scenario, on the day", cat, scenarioRec, scenarioDay, []expiryFinding{{"", scenarioDay.Format(model.DateLayout)}}},
		{"scenario, a year later", cat, scenarioRec, scenarioDay.AddDate(1, 0, 0), []expiryFinding{{"", scenarioDay.Format(model.DateLayout)}}},
		{"item, the day before", acme, itemRec, itemDay.AddDate(0, 0, -1), nil},
		{"item, on the day", acme, itemRec, itemDay.Add(time.Hour), []expiryFinding{{"device_id", itemExpiryDay}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ch, err := livecheck.New(tt.cat, allOf(t, tt.cat), livecheck.WithClock(func() time.Time { return tt.today }))
			if err != nil {
				t.Fatal(err)
			}
			fs, err := ch.Check(context.Background(), tt.rec)
			if err != nil {
				t.Fatal(err)
			}
			var got []expiryFinding
			for _, f := range fs {
				if f.Rule != livecheck.RuleItemExpired {
					t.Errorf("unexpected finding %+v", f)
					continue
				}
				if f.Level != livecheck.Violation || f.Source != tt.rec.Source || !strings.Contains(f.Text, f.Expires) {
					t.Errorf("finding %+v: want a violation of the record %s that names the expiry", f, tt.rec.Source)
				}
				got = append(got, expiryFinding{f.Field, f.Expires})
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("ITEM_EXPIRED findings (-want +got):\n%s", d)
			}
		})
	}
}

// TestExpiryNotJudged: a capture of the Acme catalog, whose scenarios
// expire with a product version, lists each scenario it showed as
// EXPIRY_NOT_JUDGED (info), and nothing of the scenarios it did not show.
func TestExpiryNotJudged(t *testing.T) {
	t.Parallel()
	cat := loadCatalogs(t)["acme"]
	s, rec := sentPayload(t, cat, func(s *model.Scenario) bool { return s.Expires().GetProductVersion() != "" })
	dir := t.TempDir()
	file := filepath.Join(dir, string(s.Message.FullName())+".1.json")
	if err := os.WriteFile(file, rec.Data, 0o644); err != nil {
		t.Fatal(err)
	}
	ch, err := livecheck.New(cat, allOf(t, cat))
	if err != nil {
		t.Fatal(err)
	}
	r := ch.Run(context.Background(), []string{file}, nil)
	var got []livecheck.Finding
	for _, f := range r.Findings {
		if f.Rule == livecheck.RuleExpiryNotJudged {
			got = append(got, f)
		}
	}
	want := []livecheck.Finding{{Rule: livecheck.RuleExpiryNotJudged, Level: livecheck.Info, Scenario: s.ID, Message: string(s.Message.FullName()),
		Expires: model.ExpiryText(s.Expires())}}
	if d := cmp.Diff(want, got, cmpIgnoreText); d != "" {
		t.Errorf("EXPIRY_NOT_JUDGED findings (-want +got):\n%s", d)
	}
	for _, f := range got {
		if !strings.Contains(f.Text, "cannot judge") || !strings.Contains(f.Text, s.Expires().GetProductVersion()) {
			t.Errorf("text %q does not say the version and why it is not judged", f.Text)
		}
	}
	if r.Fails(livecheck.Warning) {
		t.Errorf("a clean capture fails at warning: %+v", r.Findings)
	}
}

var cmpIgnoreText = cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Text" }, cmp.Ignore())
