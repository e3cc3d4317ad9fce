package notesv1

// This file is compiled only by TestGoGenerator, into the package it
// generates from testdata/catalogs/acme (go test -overlay): it runs the
// generated code under the fictional catalog's own agreements.

import (
	"errors"
	"strings"
	"testing"

	"github.com/provisionhq/provision"
	"google.golang.org/protobuf/proto"
)

func newSyncRequest() *SyncRequest {
	return &SyncRequest{
		DeviceId: "9b2f6c1e-4d7a-4e8b-9f10-2a3b4c5d6e7f",
		Client:   &ClientInfo{AppVersion: "4.2.17", Platform: Platform_PLATFORM_DESKTOP, Locale: "en-IE"},
		ClientIp: "203.0.113.77",
	}
}

func TestRedactUnderTheCatalogsAgreements(t *testing.T) {
	keys, err := provision.NewStaticKeys(map[string][]byte{"acme-device": []byte(strings.Repeat("k", provision.MinKeySize))})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		agreements []Agreement
		want       *SyncRequest // DeviceId "hashed" stands for any keyed hash
	}{
		{"no agreement", nil, &SyncRequest{}},
		{"terms of service", []Agreement{AgreementTermsOfService}, &SyncRequest{
			DeviceId: "hashed", Client: &ClientInfo{AppVersion: "4.2", Platform: Platform_PLATFORM_DESKTOP}, ClientIp: "203.0.113.0"}},
		{"crash reports imply the terms", []Agreement{AgreementCrashReports}, &SyncRequest{
			DeviceId: "hashed", Client: &ClientInfo{AppVersion: "4.2", Platform: Platform_PLATFORM_DESKTOP}, ClientIp: "203.0.113.0"}},
		{"usage analytics", []Agreement{AgreementUsageAnalytics}, &SyncRequest{
			DeviceId: "hashed", Client: &ClientInfo{AppVersion: "4.2.17", Platform: Platform_PLATFORM_DESKTOP, Locale: "en-IE"}, ClientIp: "203.0.113.0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewConsent(tt.agreements...)
			if err != nil {
				t.Fatal(err)
			}
			got, err := newSyncRequest().Redacted(c, keys)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want.DeviceId == "hashed" {
				if len(got.DeviceId) != provision.HashStringLen || !strings.HasPrefix(got.DeviceId, provision.HashStringPrefix) {
					t.Errorf("device_id = %q, want a keyed hash", got.DeviceId)
				}
				got.DeviceId = "hashed"
			}
			if !proto.Equal(got, tt.want) {
				t.Errorf("redacted = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestOneofAndLocalData(t *testing.T) {
	crashes, err := NewConsent(AgreementCrashReports)
	if err != nil {
		t.Fatal(err)
	}
	terms, err := NewConsent(AgreementTermsOfService)
	if err != nil {
		t.Fatal(err)
	}
	report := &CrashReport{AppVersion: "4.2.17", Frames: []*StackFrame{{Function: "notes.export.renderPage", Line: 118}},
		Context: &CrashReport_PageUrl{PageUrl: "https://alice:pw@help.example.net/notes/export?user=alice#top"}}
	got, err := report.Redacted(crashes, nil)
	if err != nil {
		t.Fatal(err)
	}
	if u := got.GetPageUrl(); u != "https://help.example.net/notes/export" {
		t.Errorf("page_url = %q, want it sanitised", u)
	}
	if len(got.GetFrames()) != 1 {
		t.Errorf("frames = %v, want the one frame", got.GetFrames())
	}
	if got, _ := report.Redacted(terms, nil); !proto.Equal(got, &CrashReport{}) {
		t.Errorf("crash report under the terms of service alone = %v, want nothing", got)
	}
	var verr *provision.ValidationError
	if err := report.Validate(terms); !errors.As(err, &verr) || len(verr.Consent) == 0 || verr.Consent[0].Requires != "CRASH_REPORTS" {
		t.Errorf("Validate under the terms of service alone = %v, want fields that require CRASH_REPORTS", err)
	}
	all, err := NewConsent(AgreementCrashReports, AgreementUsageAnalytics)
	if err != nil {
		t.Fatal(err)
	}
	drafts, err := (&LocalDrafts{DraftTitles: []string{"Shopping list"}}).Redacted(all, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(drafts.GetDraftTitles()) != 0 {
		t.Errorf("drafts sent under every agreement: %v", drafts.GetDraftTitles())
	}
}
