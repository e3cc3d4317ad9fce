package conformance_test

import (
	"errors"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/google/go-cmp/cmp"

	notesv1 "github.com/provisionhq/provision/internal/gen/golang/testdata/golden-acme/acme/notes/v1"
	"github.com/provisionhq/provision/internal/impl"
)

// handUsage is a redactor of the Acme usage report written by hand, as a
// developer who knows the schema would write it with the runtime's
// transforms: the transforms set up once, one consent check, each field
// read and set directly. It is what the benchmarks hold the generated
// code to (the practical limit), and TestHandWrittenAgrees holds it to
// the generated code's result.
type handUsage struct {
	account, device  *impl.Hasher
	help, referrer   *impl.URLSanitizer
	osVersion        impl.VersionGeneralizer
	timesUsed        *impl.Buckets[uint32]
	usageAnalyticsID string
}

func newHandUsage(keys impl.KeyProvider) (*handUsage, error) {
	var h handUsage
	var errs [6]error
	h.account, errs[0] = impl.NewHasher(keys, "acme-account")
	h.device, errs[1] = impl.NewHasher(keys, "acme-device")
	h.help, errs[2] = impl.NewURLSanitizer(impl.WithRedactQuery("token"))
	h.referrer, errs[3] = impl.NewURLSanitizer(impl.WithDropQuery())
	h.osVersion, errs[4] = impl.NewVersionGeneralizer(2)
	h.timesUsed, errs[5] = impl.NewBuckets[uint32](0, 1, 10, 100, 1000)
	h.usageAnalyticsID = "USAGE_ANALYTICS"
	return &h, errors.Join(errs[:]...)
}

// redact redacts x under c as the generated Redact does: every item
// requires usage analytics; identifiers are hashed, web addresses
// sanitised, the OS version generalised, counts bucketed, the rest kept;
// unknown fields are cleared everywhere. A value a transform refuses
// clears its field and is reported.
func (h *handUsage) redact(x *notesv1.UsageReport, c impl.Consent) error {
	if len(x.ProtoReflect().GetUnknown()) > 0 {
		x.ProtoReflect().SetUnknown(nil)
	}
	if !c.Grants(h.usageAnalyticsID) {
		proto.Reset(x)
		return nil
	}
	var rerr impl.RedactError
	var err error
	if x.AccountId != "" {
		if x.AccountId, err = h.account.HashString(x.AccountId); err != nil {
			x.AccountId = ""
			rerr.Add("account_id", err)
		}
	}
	if x.DeviceId != "" {
		if x.DeviceId, err = h.device.HashString(x.DeviceId); err != nil {
			x.DeviceId = ""
			rerr.Add("device_id", err)
		}
	}
	if x.WeekStart != nil {
		impl.ClearUnknown(x.WeekStart.ProtoReflect())
	}
	for _, f := range x.Features {
		if f == nil {
			continue
		}
		if len(f.ProtoReflect().GetUnknown()) > 0 {
			f.ProtoReflect().SetUnknown(nil)
		}
		if f.TimesUsed != 0 {
			if f.TimesUsed, err = h.timesUsed.Bucket(f.TimesUsed); err != nil {
				f.TimesUsed = 0
				rerr.Add("features.times_used", err)
			}
		}
	}
	if x.HelpPageUrl != "" {
		if x.HelpPageUrl, err = h.help.Sanitize(x.HelpPageUrl); err != nil {
			x.HelpPageUrl = ""
			rerr.Add("help_page_url", err)
		}
	}
	if x.ReferrerUrl != "" {
		if x.ReferrerUrl, err = h.referrer.Sanitize(x.ReferrerUrl); err != nil {
			x.ReferrerUrl = ""
			rerr.Add("referrer_url", err)
		}
	}
	if x.OsVersion != "" {
		if x.OsVersion, err = h.osVersion.Generalize(x.OsVersion); err != nil {
			x.OsVersion = ""
			rerr.Add("os_version", err)
		}
	}
	return rerr.Err()
}

// TestHandWrittenAgrees checks that the hand-written redactor of the
// benchmarks gives what the generated Redact gives, so that the two are
// measured doing the same work.
func TestHandWrittenAgrees(t *testing.T) {
	t.Parallel()
	h, err := newHandUsage(benchKeys)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []impl.Consent{usageAnalytics, termsOnly, crashReports} {
		gen, hand := newUsageReport(), newUsageReport()
		if err := gen.msg.Redact(c, benchKeys); err != nil {
			t.Fatal(err)
		}
		if err := h.redact(hand.msg, c); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(gen.msg, hand.msg, protocmp.Transform()); diff != "" {
			t.Errorf("under %v: hand-written and generated redaction differ (-generated +hand-written):\n%s", c, diff)
		}
	}
}
