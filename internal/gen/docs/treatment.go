package docs

import (
	"strconv"
	"strings"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/impl"
)

// treatment says in plain words what a redaction does to an item before
// it leaves the computer: "sent as it is", "last octet removed",
// "account details, fragment and query removed".
func treatment(l *localizer, r *provisionv1.Redaction) string {
	switch impl.StrategyKindOf(r) {
	case impl.StrategyKeep:
		return l.T("treatment.keep", "sent as it is")
	case impl.StrategyDrop:
		return l.T("treatment.drop", "never sent")
	case impl.StrategyHMAC:
		return l.F("treatment.hmac", "sent as a keyed hash (HMAC-SHA256, key “{key}”), so records still link but the value cannot be read back",
			"key", r.GetHmac().GetKeyId())
	case impl.StrategyIPTruncate:
		v4, v6 := impl.IPPrefixes(r.GetIpTruncate())
		ipv4 := l.F("treatment.ipv4-prefix", "IPv4 address cut to its first {bits} bits", "bits", itoa(v4))
		if v4 == 24 { // whatever the default, 24 bits leave out the last octet
			ipv4 = l.T("treatment.ipv4-last-octet", "IPv4 address, last octet removed")
		}
		return l.F("treatment.ip", "{ipv4}; IPv6 address cut to its first {bits} bits", "ipv4", ipv4, "bits", itoa(v6))
	case impl.StrategyURLSanitize:
		p := r.GetUrlSanitize()
		if p.GetDropQuery() {
			return l.T("treatment.url-drop-query", "account details, fragment and query removed")
		}
		// The runtime's built-in list (impl.DefaultSensitiveQueryNames),
		// by the groups it is written in.
		names := l.T("treatment.url-sensitive", "keys, signatures, tokens, one-time codes, passwords, session IDs, credentials and account details such as user name or e-mail address")
		if extra := p.GetRedactQuery(); len(extra) > 0 {
			names += ", " + strings.Join(extra, ", ")
		}
		return l.F("treatment.url-redact-query", "account details and fragment removed; the values of sensitive query parameters ({names}) replaced by “{redacted}”",
			"names", names, "redacted", impl.RedactedQueryValue)
	case impl.StrategyGeneralizeVersion:
		switch n := r.GetGeneralizeVersion().GetKeepComponents(); n {
		case 1:
			return l.T("treatment.version-major", "major version only")
		case 2:
			return l.T("treatment.version-major-minor", "major and minor version only")
		default:
			return l.F("treatment.version-n", "first {n} components of the version only", "n", itoa(n))
		}
	case impl.StrategyBucket:
		bounds := impl.FormatBounds(r.GetBucket().GetBounds())
		return l.F("treatment.bucket", "rounded down to one of {bounds}", "bounds", strings.Join(bounds, ", "))
	case impl.StrategyMask:
		p := r.GetMask()
		return l.F("treatment.mask", "all characters but the first {prefix} and the last {suffix} replaced by asterisks",
			"prefix", itoa(p.GetKeepPrefix()), "suffix", itoa(p.GetKeepSuffix()))
	case impl.StrategyDPNoise:
		p := r.GetDpNoise()
		return l.F("treatment.dp-noise", "random noise added (differential privacy, ε = {epsilon}, sensitivity {sensitivity})",
			"epsilon", strconv.FormatFloat(p.GetEpsilon(), 'g', -1, 64),
			"sensitivity", strconv.FormatFloat(p.GetSensitivity(), 'g', -1, 64))
	}
	return l.T("treatment.never", "never sent")
}

func itoa(n uint32) string { return strconv.FormatUint(uint64(n), 10) }
