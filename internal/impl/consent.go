package impl

import (
	"fmt"
	"math/bits"
	"regexp"
	"slices"
	"strings"
	"sync"

	"google.golang.org/protobuf/reflect/protoreflect"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

// AgreementNone is the agreement ID the vocabulary reserves for data that
// never leaves the computer. A catalog cannot declare it, and no consent
// grants it.
const AgreementNone = "NONE"

// MaxAgreements is the most agreements one product may declare: a consent
// holds one bit per agreement.
const MaxAgreements = 64

// agreementID is the form of an agreement ID, as the vocabulary's
// validation rule states it.
var agreementID = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,39}$`)

// AgreementDecl is one agreement as a product declares it: its ID and the
// IDs of the agreements it implies. It is the part of a
// provisionv1.Agreement declaration that decides what a consent grants.
type AgreementDecl struct {
	ID      string
	Implies []string
}

// Agreements is the set of agreements one product declares, with the
// implications between them closed transitively. Consents are made from
// it, and a consent grants only the agreements of the set it was made
// from: the EULA of one product is not the EULA of another.
//
// An Agreements is immutable and safe for concurrent use. NewAgreements
// returns the same pointer for the same package and declarations, so that
// consents made by generated code, by the model and from descriptors are
// interchangeable. Generated code declares one per product package (its
// Agreements function); the reflection engine finds it with
// [AgreementsOf].
type Agreements struct {
	pkg     protoreflect.FullName
	ids     []string
	index   map[string]int
	closure []uint64
	// levels are the bit sets of Levels, computed on first use.
	levels func() []uint64
}

// NewAgreements checks a product's declarations and returns its set of
// agreements; pkg is the product's protobuf package, the scope of its
// agreement IDs. It refuses, wrapping ErrInvalidAgreement, an ID that is
// malformed, reserved (NONE) or declared twice, an implication of an
// undeclared ID, an implication cycle, and more than MaxAgreements
// agreements.
func NewAgreements(pkg protoreflect.FullName, decls ...AgreementDecl) (*Agreements, error) {
	if len(decls) > MaxAgreements {
		return nil, fmt.Errorf("%s declares %d agreements, at most %d are allowed: %w", pkg, len(decls), MaxAgreements, ErrInvalidAgreement)
	}
	a := &Agreements{pkg: pkg, index: make(map[string]int, len(decls)), closure: make([]uint64, len(decls))}
	for i, d := range decls {
		switch _, dup := a.index[d.ID]; {
		case !agreementID.MatchString(d.ID):
			return nil, fmt.Errorf("%s: agreement ID %q: want upper snake case: %w", pkg, d.ID, ErrInvalidAgreement)
		case d.ID == AgreementNone:
			return nil, fmt.Errorf("%s: agreement ID %q is reserved for data that is never sent: %w", pkg, d.ID, ErrInvalidAgreement)
		case dup:
			return nil, fmt.Errorf("%s: agreement %q declared twice: %w", pkg, d.ID, ErrInvalidAgreement)
		}
		a.index[d.ID] = i
		a.ids = append(a.ids, d.ID)
		a.closure[i] = 1 << i
	}
	direct := make([][]int, len(decls))
	for i, d := range decls {
		for _, id := range d.Implies {
			j, ok := a.index[id]
			if !ok {
				return nil, fmt.Errorf("%s: agreement %q implies undeclared agreement %q: %w", pkg, d.ID, id, ErrInvalidAgreement)
			}
			direct[i] = append(direct[i], j)
		}
	}
	// Close the relation: at most len(decls) rounds reach the fixed point.
	for changed := true; changed; {
		changed = false
		for i, implied := range direct {
			set := a.closure[i]
			for _, j := range implied {
				set |= a.closure[j]
			}
			if set != a.closure[i] {
				a.closure[i], changed = set, true
			}
		}
	}
	for i, set := range a.closure {
		if cycle := set &^ (1 << i); cycle != 0 {
			for j := range a.ids {
				if cycle&(1<<j) != 0 && a.closure[j]&(1<<i) != 0 {
					return nil, fmt.Errorf("%s: agreements %q and %q imply each other: %w", pkg, a.ids[i], a.ids[j], ErrInvalidAgreement)
				}
			}
		}
	}
	a.levels = sync.OnceValue(a.levelSets)
	got, _ := interned.LoadOrStore(internKey(pkg, decls), a)
	return got.(*Agreements), nil
}

// interned holds one *Agreements per package and declarations, so that two
// sets built from the same declarations (by generated code, by the model,
// from a registered schema) are the same pointer and their consents are
// interchangeable. Their number is bounded by the distinct declarations a
// process sees.
var interned sync.Map // string → *Agreements

// internKey identifies declarations: the package, then each ID with what it
// implies, in declaration order (positions are part of the identity).
func internKey(pkg protoreflect.FullName, decls []AgreementDecl) string {
	var b strings.Builder
	b.WriteString(string(pkg))
	for _, d := range decls {
		b.WriteString("\x00" + d.ID + "=" + strings.Join(d.Implies, ","))
	}
	return b.String()
}

// AgreementDecls returns the parts of a product's declarations that decide
// what a consent grants, for NewAgreements.
func AgreementDecls(decls []*provisionv1.Agreement) []AgreementDecl {
	out := make([]AgreementDecl, len(decls))
	for i, d := range decls {
		out[i] = AgreementDecl{ID: d.GetId(), Implies: d.GetImplies()}
	}
	return out
}

// Package returns the protobuf package of the product that declares the
// agreements.
func (a *Agreements) Package() protoreflect.FullName {
	if a == nil {
		return ""
	}
	return a.pkg
}

// IDs returns the declared agreement IDs in declaration order.
func (a *Agreements) IDs() []string {
	if a == nil {
		return nil
	}
	return slices.Clone(a.ids)
}

// ID returns the ID of the agreement at declaration position i, or "" for
// a position out of range: the inverse of Index, without copying IDs.
func (a *Agreements) ID(i int) string {
	if a == nil || i < 0 || i >= len(a.ids) {
		return ""
	}
	return a.ids[i]
}

// Index returns the position of agreement id in declaration order: the bit
// a consent holds for it.
func (a *Agreements) Index(id string) (int, bool) {
	if a == nil {
		return 0, false
	}
	i, ok := a.index[id]
	return i, ok
}

// Implies reports whether holding agreement x also grants agreement y,
// following the declared implications transitively. Every declared
// agreement implies itself; NONE and undeclared IDs imply nothing and are
// implied by nothing.
func (a *Agreements) Implies(x, y string) bool {
	i, ok := a.Index(x)
	j, ok2 := a.Index(y)
	return ok && ok2 && a.closure[i]&(1<<j) != 0
}

// Consent returns the consent that holds the given agreements and every
// agreement they imply. An ID the product does not declare is refused with
// ErrInvalidAgreement. NONE is accepted and adds nothing: it is the
// agreement of data that never leaves the computer.
func (a *Agreements) Consent(ids ...string) (Consent, error) {
	c := Consent{of: a}
	for _, id := range ids {
		if id == AgreementNone {
			continue
		}
		i, ok := a.Index(id)
		if !ok {
			return Consent{}, Prefixed(fmt.Errorf("consent: %s declares no agreement %q: %w", a.Package(), id, ErrInvalidAgreement))
		}
		c.set |= a.closure[i]
	}
	return c, nil
}

// ConsentOf returns the consent of agreements a that holds the agreements
// at the given declaration positions and every agreement they imply;
// positions out of range are refused with ErrInvalidAgreement. Generated
// NewConsent functions call it with their typed constants.
func ConsentOf(a *Agreements, indexes ...int) (Consent, error) {
	c := Consent{of: a}
	for _, i := range indexes {
		if a == nil || i < 0 || i >= len(a.ids) {
			return Consent{}, fmt.Errorf("consent: %s has no agreement number %d: %w", a.Package(), i, ErrInvalidAgreement)
		}
		c.set |= a.closure[i]
	}
	return c, nil
}

// Levels returns every distinct consent a run can hold: the closures of
// all sets of declared agreements, from the empty consent to all of them,
// fewest agreements first, ties in declaration order. They are computed
// once per Agreements, as the unions of the declared closures, so the work
// grows with the number of distinct levels rather than with 2^n sets of
// agreements.
func (a *Agreements) Levels() []Consent {
	if a == nil || a.levels == nil {
		// The zero Agreements (not made by NewAgreements) declares none.
		return []Consent{{of: a}}
	}
	sets := a.levels()
	out := make([]Consent, len(sets))
	for i, set := range sets {
		out[i] = Consent{of: a, set: set}
	}
	return out
}

// levelSets computes the bit sets of Levels: the empty set, then every
// union of it with the closure of each declared agreement, in order.
func (a *Agreements) levelSets() []uint64 {
	sets := []uint64{0}
	seen := map[uint64]bool{0: true}
	for _, closure := range a.closure {
		for _, set := range sets {
			if u := set | closure; !seen[u] {
				seen[u] = true
				sets = append(sets, u)
			}
		}
	}
	slices.SortFunc(sets, func(x, y uint64) int {
		if d := bits.OnesCount64(x) - bits.OnesCount64(y); d != 0 {
			return d
		}
		return compareBits(x, y)
	})
	return sets
}

// compareBits orders two sets by their lowest differing member: the set
// that holds it comes first.
func compareBits(x, y uint64) int {
	if x == y {
		return 0
	}
	if low := (x ^ y) & -(x ^ y); x&low != 0 {
		return -1
	}
	return 1
}

// Consent is the set of agreements a run of a product holds, closed under
// the implications its product declares: holding an extended mode also
// grants the standard mode it implies.
//
// A consent belongs to the Agreements it was made from and grants nothing
// of another product's. The zero Consent grants nothing. Consents are
// comparable values: two consents granting the same agreements of the same
// product are ==.
type Consent struct {
	of  *Agreements
	set uint64
}

// Of returns the agreements the consent was made from; nil for the zero
// Consent.
func (c Consent) Of() *Agreements { return c.of }

// Grants reports whether the consent allows sending data that requires
// agreement id. It never grants NONE (data requiring it never leaves the
// computer) nor an ID its product does not declare. Grants does not
// allocate.
func (c Consent) Grants(id string) bool {
	i, ok := c.of.Index(id)
	return ok && c.set&(1<<i) != 0
}

// GrantedSet returns the agreements consent c grants as a bit set of
// declaration positions of a: none when c was made from other agreements.
// Generated code reads it once per message and tests one constant bit per
// field.
func GrantedSet(c Consent, a *Agreements) uint64 {
	if c.of != a || a == nil {
		return 0
	}
	return c.set
}

// Granted reports whether consent c was made from agreements a and grants
// the agreement at position i; it does not allocate.
func Granted(c Consent, a *Agreements, i int) bool {
	return GrantedSet(c, a)&(1<<uint(i)) != 0
}

// Agreements returns the IDs of the agreements the consent grants, implied
// ones included, in declaration order.
func (c Consent) Agreements() []string {
	out := make([]string, 0, bits.OnesCount64(c.set))
	for set := c.set; set != 0; set &= set - 1 {
		out = append(out, c.of.ID(bits.TrailingZeros64(set)))
	}
	return out
}

// String returns the granted agreement IDs in declaration order, as fmt
// prints a slice: "[EULA CLOUD_STANDARD]".
func (c Consent) String() string {
	return "[" + strings.Join(c.Agreements(), " ") + "]"
}
