package docs

import (
	"slices"
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
			return l.F("treatment.url-drop-query", "account details, fragment, query and path parameters removed; the host in lower case, an IP address as host shortened as an IP address is; a path segment holding an @ replaced by “{redacted}”", "redacted", impl.RedactedQueryValue)
		}
		// The runtime's built-in list (impl.DefaultSensitiveQueryNames),
		// by the groups it is written in.
		names := l.T("treatment.url-sensitive", "keys, signatures, tokens, one-time codes, passwords, session IDs, credentials and account details such as user name or e-mail address")
		if extra := p.GetRedactQuery(); len(extra) > 0 {
			names += ", " + strings.Join(extra, ", ")
		}
		return l.F("treatment.url-redact-query", "account details and fragment removed; the host in lower case, an IP address as host shortened as an IP address is; the values of sensitive query and path parameters ({names}) replaced by “{redacted}”, as is a path segment or value holding an @; a web address in a value treated the same way, up to two levels deep",
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

// treatmentTerm names briefly what redaction r does, for a table cell:
// "as it is", "keyed hash (key “svm”)", "version cut to 2 parts". The
// page's legend defines each term in the words of treatment.
func treatmentTerm(l *localizer, r *provisionv1.Redaction) string {
	switch impl.StrategyKindOf(r) {
	case impl.StrategyKeep:
		return l.T("term.keep", "as it is")
	case impl.StrategyHMAC:
		return l.F("term.hmac", "keyed hash (key “{key}”)", "key", r.GetHmac().GetKeyId())
	case impl.StrategyIPTruncate:
		v4, v6 := impl.IPPrefixes(r.GetIpTruncate())
		return l.F("term.ip", "IP address shortened (IPv4 /{ipv4}, IPv6 /{ipv6})", "ipv4", itoa(v4), "ipv6", itoa(v6))
	case impl.StrategyURLSanitize:
		p := r.GetUrlSanitize()
		if p.GetDropQuery() {
			return l.T("term.url-drop-query", "web address without query")
		}
		term := l.T("term.url-redact-query", "web address, sensitive values replaced")
		if extra := p.GetRedactQuery(); len(extra) > 0 {
			term = l.F("term.url-redact-also", "{term} (also {names})", "term", term, "names", strings.Join(extra, ", "))
		}
		return term
	case impl.StrategyGeneralizeVersion:
		if n := r.GetGeneralizeVersion().GetKeepComponents(); n != 1 {
			return l.F("term.version-n", "version cut to {n} parts", "n", itoa(n))
		}
		return l.T("term.version-1", "version cut to 1 part")
	case impl.StrategyBucket:
		return l.T("term.bucket", "rounded down to fixed steps")
	case impl.StrategyMask:
		p := r.GetMask()
		return l.F("term.mask", "masked but the first {prefix} and last {suffix} characters",
			"prefix", itoa(p.GetKeepPrefix()), "suffix", itoa(p.GetKeepSuffix()))
	case impl.StrategyDPNoise:
		return l.F("term.dp-noise", "random noise added (ε = {epsilon})",
			"epsilon", strconv.FormatFloat(r.GetDpNoise().GetEpsilon(), 'g', -1, 64))
	}
	return l.T("cell.not-sent", "not sent")
}

// treatmentEntry is one treatment of a page's legend: the brief term its
// tables use and what it means.
type treatmentEntry struct {
	ID, Term, Definition string
}

// legend collects the treatments a page's tables name, each defined
// once, in the order of first use.
type legend struct {
	Entries []treatmentEntry
	byKey   map[string]int // redaction description → index of its entry
}

// define returns the entry for the treatment described by key
// (model.DescribeRedaction), adding it with term and definition when it
// is new. Two treatments whose terms coincide get the entry's number
// after the term, so that each term names one treatment.
func (lg *legend) define(key, term, definition string) treatmentEntry {
	if i, ok := lg.byKey[key]; ok {
		return lg.Entries[i]
	}
	if lg.byKey == nil {
		lg.byKey = map[string]int{}
	}
	id := "treatment-" + slug(key)
	for n := 2; lg.has(func(e treatmentEntry) bool { return e.ID == id }); n++ {
		id = "treatment-" + slug(key) + "-" + strconv.Itoa(n)
	}
	if lg.has(func(e treatmentEntry) bool { return e.Term == term }) {
		term += " (" + strconv.Itoa(len(lg.Entries)+1) + ")"
	}
	lg.byKey[key] = len(lg.Entries)
	lg.Entries = append(lg.Entries, treatmentEntry{ID: id, Term: term, Definition: definition})
	return lg.Entries[len(lg.Entries)-1]
}

// has reports whether an entry matches.
func (lg *legend) has(match func(treatmentEntry) bool) bool {
	return slices.ContainsFunc(lg.Entries, match)
}

// slug makes an HTML ID of a redaction description: lower-case letters
// and digits, runs of anything else as one hyphen.
func slug(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			hyphen = false
			continue
		}
		hyphen = true
	}
	return b.String()
}
