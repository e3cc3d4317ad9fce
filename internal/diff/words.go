package diff

import (
	"fmt"
	"strings"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/impl"
)

// RedactionWords says in plain words how a value is sent under a
// strategy, as the continuation of "it is sent …".
func RedactionWords(r *provisionv1.Redaction) string {
	switch impl.StrategyKindOf(r) {
	case impl.StrategyKeep:
		return "as it is"
	case impl.StrategyDrop:
		return "never"
	case impl.StrategyHMAC:
		return "as a keyed hash that cannot be read back (HMAC-SHA256)"
	case impl.StrategyIPTruncate:
		v4, v6 := impl.IPPrefixes(r.GetIpTruncate())
		return fmt.Sprintf("with only its network part (IPv4 /%d, IPv6 /%d)", v4, v6)
	case impl.StrategyURLSanitize:
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
	case impl.StrategyGeneralizeVersion:
		n := r.GetGeneralizeVersion().GetKeepComponents()
		if n == 1 {
			return "as its first component only"
		}
		return fmt.Sprintf("as its first %d components only", n)
	case impl.StrategyBucket:
		return "rounded down to one of " + strings.Join(impl.FormatBounds(r.GetBucket().GetBounds()), ", ")
	case impl.StrategyMask:
		p := r.GetMask()
		return fmt.Sprintf("masked but for its first %d and last %d characters", p.GetKeepPrefix(), p.GetKeepSuffix())
	case impl.StrategyDPNoise:
		return fmt.Sprintf("with random noise added (differential privacy, ε = %g)", r.GetDpNoise().GetEpsilon())
	}
	return "in a way not stated"
}
