package model

import (
	"fmt"
	"strconv"
	"strings"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

// DescribeRedaction returns a short, stable description of a strategy and
// its parameters, as tables and diffs print it: "keep",
// "hmac(key=installation)", "ip_truncate(/24, /48)".
func DescribeRedaction(r *provisionv1.Redaction) string {
	switch s := r.GetStrategy().(type) {
	case *provisionv1.Redaction_Keep_:
		return "keep"
	case *provisionv1.Redaction_Drop_:
		return "drop"
	case *provisionv1.Redaction_Hmac_:
		return fmt.Sprintf("hmac(key=%s)", s.Hmac.GetKeyId())
	case *provisionv1.Redaction_IpTruncate_:
		v4, v6 := uint32(24), uint32(48)
		if s.IpTruncate.Ipv4Prefix != nil {
			v4 = s.IpTruncate.GetIpv4Prefix()
		}
		if s.IpTruncate.Ipv6Prefix != nil {
			v6 = s.IpTruncate.GetIpv6Prefix()
		}
		return fmt.Sprintf("ip_truncate(/%d, /%d)", v4, v6)
	case *provisionv1.Redaction_UrlSanitize_:
		var params []string
		if s.UrlSanitize.GetDropQuery() {
			params = append(params, "drop query")
		}
		if extra := s.UrlSanitize.GetRedactQuery(); len(extra) > 0 {
			params = append(params, "redact "+strings.Join(extra, ","))
		}
		return "url_sanitize(" + strings.Join(params, "; ") + ")"
	case *provisionv1.Redaction_GeneralizeVersion_:
		return fmt.Sprintf("generalize_version(%d)", s.GeneralizeVersion.GetKeepComponents())
	case *provisionv1.Redaction_Bucket_:
		bounds := make([]string, len(s.Bucket.GetBounds()))
		for i, b := range s.Bucket.GetBounds() {
			bounds[i] = strconv.FormatFloat(b, 'g', -1, 64)
		}
		return "bucket(" + strings.Join(bounds, ",") + ")"
	case *provisionv1.Redaction_Mask_:
		return fmt.Sprintf("mask(keep %d+%d)", s.Mask.GetKeepPrefix(), s.Mask.GetKeepSuffix())
	case *provisionv1.Redaction_DpNoise_:
		return fmt.Sprintf("dp_noise(ε=%g, Δ=%g)", s.DpNoise.GetEpsilon(), s.DpNoise.GetSensitivity())
	}
	return "none"
}

// DescribeRedactions describes a field's strategy followed by its
// overrides: "url_sanitize(drop query); under AGREEMENT_KSN_EXTENDED:
// url_sanitize()".
func (f *Field) DescribeRedactions() string {
	parts := []string{DescribeRedaction(f.Redaction())}
	for _, u := range f.Item.GetRedactionUnder() {
		parts = append(parts, fmt.Sprintf("under %s: %s", u.GetWhen(), DescribeRedaction(u.GetRedaction())))
	}
	return strings.Join(parts, "; ")
}
