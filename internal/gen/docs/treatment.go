package docs

import (
	"strconv"
	"strings"

	"github.com/provisionhq/provision"
	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

// treatment says in plain words what a redaction does to an item before
// it leaves the computer: "sent as it is", "last octet removed",
// "account details, fragment and query removed".
func treatment(l *localizer, r *provisionv1.Redaction) string {
	switch s := r.GetStrategy().(type) {
	case *provisionv1.Redaction_Keep_:
		return l.T("treatment.keep", "sent as it is")
	case *provisionv1.Redaction_Drop_:
		return l.T("treatment.drop", "never sent")
	case *provisionv1.Redaction_Hmac_:
		return l.F("treatment.hmac", "sent as a keyed hash (HMAC-SHA256, key “{key}”), so records still link but the value cannot be read back",
			"key", s.Hmac.GetKeyId())
	case *provisionv1.Redaction_IpTruncate_:
		v4, v6 := uint32(24), uint32(48)
		if s.IpTruncate.Ipv4Prefix != nil {
			v4 = s.IpTruncate.GetIpv4Prefix()
		}
		if s.IpTruncate.Ipv6Prefix != nil {
			v6 = s.IpTruncate.GetIpv6Prefix()
		}
		ipv4 := l.F("treatment.ipv4-prefix", "IPv4 address cut to its first {bits} bits", "bits", itoa(v4))
		if v4 == 24 {
			ipv4 = l.T("treatment.ipv4-last-octet", "IPv4 address, last octet removed")
		}
		return l.F("treatment.ip", "{ipv4}; IPv6 address cut to its first {bits} bits", "ipv4", ipv4, "bits", itoa(v6))
	case *provisionv1.Redaction_UrlSanitize_:
		if s.UrlSanitize.GetDropQuery() {
			return l.T("treatment.url-drop-query", "account details, fragment and query removed")
		}
		// The runtime's built-in list (provision.DefaultSensitiveQueryNames),
		// by the groups it is written in.
		names := l.T("treatment.url-sensitive", "keys, signatures, tokens, one-time codes, passwords, session IDs, credentials and account details such as user name or e-mail address")
		if extra := s.UrlSanitize.GetRedactQuery(); len(extra) > 0 {
			names += ", " + strings.Join(extra, ", ")
		}
		return l.F("treatment.url-redact-query", "account details and fragment removed; the values of sensitive query parameters ({names}) replaced by “{redacted}”",
			"names", names, "redacted", provision.RedactedQueryValue)
	case *provisionv1.Redaction_GeneralizeVersion_:
		switch n := s.GeneralizeVersion.GetKeepComponents(); n {
		case 1:
			return l.T("treatment.version-major", "major version only")
		case 2:
			return l.T("treatment.version-major-minor", "major and minor version only")
		default:
			return l.F("treatment.version-n", "first {n} components of the version only", "n", itoa(n))
		}
	case *provisionv1.Redaction_Bucket_:
		bounds := make([]string, len(s.Bucket.GetBounds()))
		for i, b := range s.Bucket.GetBounds() {
			bounds[i] = strconv.FormatFloat(b, 'g', -1, 64)
		}
		return l.F("treatment.bucket", "rounded down to one of {bounds}", "bounds", strings.Join(bounds, ", "))
	case *provisionv1.Redaction_Mask_:
		return l.F("treatment.mask", "all characters but the first {prefix} and the last {suffix} replaced by asterisks",
			"prefix", itoa(s.Mask.GetKeepPrefix()), "suffix", itoa(s.Mask.GetKeepSuffix()))
	case *provisionv1.Redaction_DpNoise_:
		return l.F("treatment.dp-noise", "random noise added (differential privacy, ε = {epsilon}, sensitivity {sensitivity})",
			"epsilon", strconv.FormatFloat(s.DpNoise.GetEpsilon(), 'g', -1, 64),
			"sensitivity", strconv.FormatFloat(s.DpNoise.GetSensitivity(), 'g', -1, 64))
	}
	return l.T("treatment.never", "never sent")
}

func itoa(n uint32) string { return strconv.FormatUint(uint64(n), 10) }
