package provision

import (
	"fmt"
	"math/bits"
	"strings"

	"google.golang.org/protobuf/proto"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

// maxAgreements bounds the enum numbers a Consent can hold: one bit each.
const maxAgreements = 64

// agreementNone is the agreement under which nothing is ever sent.
const agreementNone = provisionv1.Agreement_AGREEMENT_NONE

// agreementClosure[n] is the set of agreements that holding agreement n
// grants: n itself and, transitively, every agreement its terms imply.
// It is read once from the descriptors of the vocabulary, so a new
// implication in options.proto takes effect by regenerating the Go code.
// Entries of numbers that are not values of the enum are zero.
var agreementClosure = closeImplications(agreementImplications())

// agreementImplications reads the direct implications declared by the
// (provision.v1.terms).implies option of each Agreement value. Values
// numbered outside [1, maxAgreements) are left out: NewConsent refuses
// them, and an implication of one is never granted (fail closed).
func agreementImplications() map[int][]int {
	values := provisionv1.Agreement(0).Descriptor().Values()
	direct := make(map[int][]int, values.Len())
	for i := range values.Len() {
		v := values.Get(i)
		n := int(v.Number())
		if n <= 0 || n >= maxAgreements {
			continue
		}
		direct[n] = nil
		terms, _ := proto.GetExtension(v.Options(), provisionv1.E_Terms).(*provisionv1.AgreementTerms)
		for _, implied := range terms.GetImplies() {
			direct[n] = append(direct[n], int(implied))
		}
	}
	return direct
}

// closeImplications returns, for every number in direct, the bit set of the
// numbers reachable from it (itself included). Implied numbers outside
// [1, maxAgreements) or absent from direct are ignored. Cycles are allowed.
func closeImplications(direct map[int][]int) [maxAgreements]uint64 {
	var closure [maxAgreements]uint64
	for n := range direct {
		closure[n] = 1 << n
	}
	// Iterate to a fixed point: at most maxAgreements rounds.
	for changed := true; changed; {
		changed = false
		for n, implied := range direct {
			set := closure[n]
			for _, m := range implied {
				if _, ok := direct[m]; ok {
					set |= closure[m]
				}
			}
			if set != closure[n] {
				closure[n] = set
				changed = true
			}
		}
	}
	return closure
}

// Consent is the set of agreements a run of a product holds, closed under
// the implications the vocabulary declares: holding KSN extended also grants
// KSN standard and the EULA.
//
// The zero Consent grants nothing. Consents are comparable values: two
// consents granting the same agreements are ==.
type Consent struct {
	set uint64
}

// NewConsent returns the consent that holds the given agreements and every
// agreement they imply.
//
// AGREEMENT_UNSPECIFIED and numbers that are not values of the enum are
// refused with ErrInvalidAgreement. AGREEMENT_NONE is accepted and adds
// nothing: it is the agreement of data that never leaves the computer, so
// NewConsent(AGREEMENT_NONE) is the empty consent, and no consent ever
// grants it.
func NewConsent(agreements ...provisionv1.Agreement) (Consent, error) {
	var c Consent
	for _, a := range agreements {
		if a <= 0 || a >= maxAgreements || agreementClosure[a] == 0 {
			return Consent{}, fmt.Errorf("provision: consent: agreement %d: %w", int32(a), ErrInvalidAgreement)
		}
		c.set |= agreementClosure[a]
	}
	c.set &^= 1 << agreementNone
	return c, nil
}

// Grants reports whether the consent allows sending data that requires
// agreement a. It never grants AGREEMENT_NONE (data requiring it never
// leaves the computer), AGREEMENT_UNSPECIFIED, or a number that is not a
// value of the enum. Grants does not allocate.
func (c Consent) Grants(a provisionv1.Agreement) bool {
	return a > 0 && a < maxAgreements && c.set&(1<<a) != 0
}

// Agreements returns the agreements the consent grants, implied ones
// included, in increasing enum-number order.
func (c Consent) Agreements() []provisionv1.Agreement {
	out := make([]provisionv1.Agreement, 0, bits.OnesCount64(c.set))
	for set := c.set; set != 0; set &= set - 1 {
		out = append(out, provisionv1.Agreement(bits.TrailingZeros64(set)))
	}
	return out
}

// String returns the granted agreements by enum value name in increasing
// number order, as fmt prints a slice: "[AGREEMENT_EULA AGREEMENT_KSN_STANDARD]".
func (c Consent) String() string {
	var b strings.Builder
	b.WriteByte('[')
	for i, a := range c.Agreements() {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(a.String())
	}
	b.WriteByte(']')
	return b.String()
}

// Implies reports whether holding agreement a also grants agreement b,
// following the vocabulary's implications transitively. Every value of the
// enum implies itself; UNSPECIFIED and undefined numbers imply nothing and
// are implied by nothing. Implies describes the relation between agreements,
// not what is sent: AGREEMENT_NONE implies itself, yet [Consent.Grants]
// never grants it.
func Implies(a, b provisionv1.Agreement) bool {
	return a > 0 && a < maxAgreements && b > 0 && b < maxAgreements &&
		agreementClosure[a]&(1<<b) != 0
}
