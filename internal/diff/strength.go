package diff

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

// rank orders strategies by how much of the value leaves the computer:
// keep sends all of it; the partial strategies send a coarser value; HMAC
// sends a value that cannot be read back but still links records; drop
// sends nothing.
func rank(r *provisionv1.Redaction) int {
	switch r.GetStrategy().(type) {
	case *provisionv1.Redaction_Keep_:
		return 0
	case *provisionv1.Redaction_Hmac_:
		return 2
	case *provisionv1.Redaction_Drop_:
		return 3
	case nil:
		return 0
	}
	return 1
}

// Weaker reports whether redaction b protects the value less than a: a
// strategy that lets more of the value leave (HMAC → keep, drop →
// anything), or the same strategy with looser parameters (IPv4 /24 → /32,
// two version components → three, a query no longer dropped, fewer query
// parameters redacted, finer buckets, fewer masked characters, a larger
// privacy loss ε). Two different partial strategies are not ranked: such a
// change is reported, but not as weaker.
func Weaker(a, b *provisionv1.Redaction) bool {
	ra, rb := rank(a), rank(b)
	if ra != rb {
		return rb < ra
	}
	switch x := a.GetStrategy().(type) {
	case *provisionv1.Redaction_IpTruncate_:
		y := b.GetIpTruncate()
		if y == nil {
			return false
		}
		a4, a6 := prefixes(x.IpTruncate)
		b4, b6 := prefixes(y)
		return b4 > a4 || b6 > a6
	case *provisionv1.Redaction_UrlSanitize_:
		y := b.GetUrlSanitize()
		if y == nil {
			return false
		}
		if x.UrlSanitize.GetDropQuery() && !y.GetDropQuery() {
			return true
		}
		if y.GetDropQuery() {
			return false
		}
		return slices.ContainsFunc(x.UrlSanitize.GetRedactQuery(), func(name string) bool {
			return !slices.Contains(y.GetRedactQuery(), name)
		})
	case *provisionv1.Redaction_GeneralizeVersion_:
		y := b.GetGeneralizeVersion()
		return y != nil && y.GetKeepComponents() > x.GeneralizeVersion.GetKeepComponents()
	case *provisionv1.Redaction_Bucket_:
		y := b.GetBucket()
		if y == nil {
			return false
		}
		// Finer buckets: every old bound is still there, and more.
		return len(y.GetBounds()) > len(x.Bucket.GetBounds()) &&
			!slices.ContainsFunc(x.Bucket.GetBounds(), func(v float64) bool { return !slices.Contains(y.GetBounds(), v) })
	case *provisionv1.Redaction_Mask_:
		y := b.GetMask()
		return y != nil && y.GetKeepPrefix()+y.GetKeepSuffix() > x.Mask.GetKeepPrefix()+x.Mask.GetKeepSuffix()
	case *provisionv1.Redaction_DpNoise_:
		y := b.GetDpNoise()
		if y == nil || y.GetEpsilon() <= 0 || x.DpNoise.GetEpsilon() <= 0 {
			return false
		}
		// The noise scale is sensitivity/ε: a smaller scale is less noise.
		return y.GetSensitivity()/y.GetEpsilon() < x.DpNoise.GetSensitivity()/x.DpNoise.GetEpsilon()
	}
	return false
}

func prefixes(t *provisionv1.Redaction_IpTruncate) (v4, v6 uint32) {
	v4, v6 = 24, 48
	if t.Ipv4Prefix != nil {
		v4 = t.GetIpv4Prefix()
	}
	if t.Ipv6Prefix != nil {
		v6 = t.GetIpv6Prefix()
	}
	return v4, v6
}

// RedactionWords says in plain words how a value is sent under a
// strategy, as the continuation of "it is sent …".
func RedactionWords(r *provisionv1.Redaction) string {
	switch s := r.GetStrategy().(type) {
	case *provisionv1.Redaction_Keep_:
		return "as it is"
	case *provisionv1.Redaction_Drop_:
		return "never"
	case *provisionv1.Redaction_Hmac_:
		return "as a keyed hash that cannot be read back (HMAC-SHA256)"
	case *provisionv1.Redaction_IpTruncate_:
		v4, v6 := prefixes(s.IpTruncate)
		return fmt.Sprintf("with only its network part (IPv4 /%d, IPv6 /%d)", v4, v6)
	case *provisionv1.Redaction_UrlSanitize_:
		out := "without user names, passwords and fragment"
		switch {
		case s.UrlSanitize.GetDropQuery():
			out += ", and without its query"
		case len(s.UrlSanitize.GetRedactQuery()) > 0:
			out += ", with the values of " + strings.Join(s.UrlSanitize.GetRedactQuery(), ", ") + " and of secrets removed from its query"
		default:
			out += ", with the values of secrets removed from its query"
		}
		return out
	case *provisionv1.Redaction_GeneralizeVersion_:
		n := s.GeneralizeVersion.GetKeepComponents()
		if n == 1 {
			return "as its first component only"
		}
		return fmt.Sprintf("as its first %d components only", n)
	case *provisionv1.Redaction_Bucket_:
		bounds := make([]string, len(s.Bucket.GetBounds()))
		for i, b := range s.Bucket.GetBounds() {
			bounds[i] = strconv.FormatFloat(b, 'g', -1, 64)
		}
		return "rounded down to one of " + strings.Join(bounds, ", ")
	case *provisionv1.Redaction_Mask_:
		return fmt.Sprintf("masked but for its first %d and last %d characters", s.Mask.GetKeepPrefix(), s.Mask.GetKeepSuffix())
	case *provisionv1.Redaction_DpNoise_:
		return fmt.Sprintf("with random noise added (differential privacy, ε = %g)", s.DpNoise.GetEpsilon())
	}
	return "in a way not stated"
}
