package diff

import (
	"fmt"
	"strings"

	"github.com/provisionhq/provision"
	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

// RedactionWords says in plain words how a value is sent under a
// strategy, as the continuation of "it is sent …".
func RedactionWords(r *provisionv1.Redaction) string {
	switch provision.StrategyKindOf(r) {
	case provision.StrategyKeep:
		return "as it is"
	case provision.StrategyDrop:
		return "never"
	case provision.StrategyHMAC:
		return "as a keyed hash that cannot be read back (HMAC-SHA256)"
	case provision.StrategyIPTruncate:
		v4, v6 := provision.IPPrefixes(r.GetIpTruncate())
		return fmt.Sprintf("with only its network part (IPv4 /%d, IPv6 /%d)", v4, v6)
	case provision.StrategyURLSanitize:
		p := r.GetUrlSanitize()
		out := "without user names, passwords and fragment"
		switch {
		case p.GetDropQuery():
			out += ", and without its query"
		case len(p.GetRedactQuery()) > 0:
			out += ", with the values of " + strings.Join(p.GetRedactQuery(), ", ") + " and of secrets removed from its query"
		default:
			out += ", with the values of secrets removed from its query"
		}
		return out
	case provision.StrategyGeneralizeVersion:
		n := r.GetGeneralizeVersion().GetKeepComponents()
		if n == 1 {
			return "as its first component only"
		}
		return fmt.Sprintf("as its first %d components only", n)
	case provision.StrategyBucket:
		return "rounded down to one of " + strings.Join(provision.FormatBounds(r.GetBucket().GetBounds()), ", ")
	case provision.StrategyMask:
		p := r.GetMask()
		return fmt.Sprintf("masked but for its first %d and last %d characters", p.GetKeepPrefix(), p.GetKeepSuffix())
	case provision.StrategyDPNoise:
		return fmt.Sprintf("with random noise added (differential privacy, ε = %g)", r.GetDpNoise().GetEpsilon())
	}
	return "in a way not stated"
}
