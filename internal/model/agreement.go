package model

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/impl"
)

// productAgreements is the field number of Product.agreements, for source
// positions.
const productAgreements = 10

// Declares reports whether the product declares agreement id.
func (p *Product) Declares(id string) bool {
	_, ok := p.Agreements.Index(id)
	return ok
}

// Defines reports whether id may be named by the product's scenarios and
// fields: an agreement it declares, or the reserved NONE.
func (p *Product) Defines(id string) bool {
	return id == impl.AgreementNone || p.Declares(id)
}

// Agreement returns the product's declaration of agreement id, or nil.
func (p *Product) Agreement(id string) *provisionv1.Agreement {
	for _, a := range p.Options.GetAgreements() {
		if a.GetId() == id {
			return a
		}
	}
	return nil
}

// ConsentLevels returns every distinct consent a run of the product can
// hold, fewest agreements first (impl.Agreements.Levels).
func (p *Product) ConsentLevels() []impl.Consent { return p.Agreements.Levels() }

// NoneTitle is what the reserved agreement NONE is called.
const NoneTitle = "No agreement: these schemas never send it"

// AgreementTitle returns the title of agreement id as the product declares
// it, NoneTitle for NONE, and id itself for an agreement the product does
// not declare (a diff against another version may name one).
func (p *Product) AgreementTitle(id string) string {
	if id == impl.AgreementNone {
		return NoneTitle
	}
	if d := p.Agreement(id); d != nil {
		return d.GetTitle()
	}
	return id
}

// Strongest returns the agreements of consent c that no other agreement of
// c implies, in declaration order: what names a consent level ("activation
// code + extended mode" rather than every agreement those imply).
func Strongest(c impl.Consent) []string {
	as := c.Agreements()
	var out []string
	for _, a := range as {
		if !slices.ContainsFunc(as, func(b string) bool { return b != a && c.Of().Implies(b, a) }) {
			out = append(out, a)
		}
	}
	return out
}

// declaredList names the product's agreements for a finding.
func (p *Product) declaredList() string {
	ids := p.Agreements.IDs()
	if len(ids) == 0 {
		return "none"
	}
	return strings.Join(ids, ", ")
}

// Local reports whether the scenario's data never leaves the computer: it
// happens under the reserved agreement NONE.
func (s *Scenario) Local() bool { return s.Agreement == impl.AgreementNone }

// placeholder finds the {name} placeholders of a lead sentence.
var placeholder = regexp.MustCompile(`\{[^{}]*\}`)

// agreements checks the product's agreement declarations and sets
// p.Agreements: IDs, implications and their cycles (impl.NewAgreements),
// a legal basis's provenance only with a legal basis, leads with no
// placeholder but {recipient}, and no hostile wording. The provenance of
// implications and legal bases is checked with every other claim
// (PROVENANCE_MISSING).
func (b *builder) agreements(f protoreflect.FileDescriptor, p *Product) {
	decls := p.Options.GetAgreements()
	a, err := impl.NewAgreements(p.Package, impl.AgreementDecls(decls)...)
	if err != nil {
		b.report(position(f, pathFileOptions, extProduct, productAgreements), RuleAgreementDeclaration, "product %q: %v", p.ID, err)
		a, _ = impl.NewAgreements(p.Package)
	}
	p.Agreements = a
	for i, d := range decls {
		pos := position(f, pathFileOptions, extProduct, productAgreements, int32(i))
		what := fmt.Sprintf("product %q agreement %q", p.ID, d.GetId())
		b.checkTexts(pos, what, agreementTexts(d))
		if d.GetLegalBasis() == provisionv1.LegalBasis_LEGAL_BASIS_UNSPECIFIED && d.GetLegalBasisBasis() != nil {
			b.report(pos, RuleAgreementDeclaration, "%s gives legal_basis_basis but no legal_basis", what)
		}
		for _, ph := range placeholder.FindAllString(d.GetLead(), -1) {
			if ph != "{recipient}" {
				b.report(pos, RuleAgreementDeclaration, "%s: lead has placeholder %s; only {recipient} is filled in", what, ph)
			}
		}
	}
}

// agreementTexts lists the texts of a declaration that the pages print.
func agreementTexts(d *provisionv1.Agreement) []string {
	out := []string{d.GetTitle(), d.GetShortName(), d.GetLead(), d.GetWithdrawal(), d.GetTerms().GetTitle()}
	for _, pv := range []*provisionv1.Provenance{d.GetOrigin(), d.GetImpliesBasis(), d.GetLegalBasisBasis()} {
		out = append(out, pv.GetAssessment(), pv.GetQuote().GetText())
	}
	return out
}

// ValueLabel returns the customer-facing label of an enum value, or its
// name when it has none.
func ValueLabel(v protoreflect.EnumValueDescriptor) string {
	if v == nil {
		return ""
	}
	if l, ok := proto.GetExtension(v.Options(), provisionv1.E_Value).(*provisionv1.ValueLabel); ok && l.GetLabel() != "" {
		return l.GetLabel()
	}
	return string(v.Name())
}

// EnumLabel returns the customer-facing label of a vocabulary enum value
// (Category, Identifiability, Purpose…).
func EnumLabel(e protoreflect.Enum) string {
	return ValueLabel(e.Descriptor().Values().ByNumber(e.Number()))
}

// Purpose returns the policy's declaration of purpose id, or nil.
func (p *Policy) Purpose(id string) *provisionv1.Purpose {
	for _, d := range p.Options.GetPurposes() {
		if d.GetId() == id {
			return d
		}
	}
	return nil
}

// Goal returns the policy's declaration of goal id, or nil.
func (p *Policy) Goal(id string) *provisionv1.Goal {
	for _, d := range p.Options.GetGoals() {
		if d.GetId() == id {
			return d
		}
	}
	return nil
}

// purposeList names the policy's purposes for a finding.
func (p *Policy) purposeList() string {
	var ids []string
	for _, d := range p.Options.GetPurposes() {
		ids = append(ids, d.GetId())
	}
	if len(ids) == 0 {
		return "none"
	}
	return strings.Join(ids, ", ")
}

// checkPolicyDeclarations checks the goals and purposes a policy declares:
// IDs unique, and each purpose serving a declared goal.
func (b *builder) checkPolicyDeclarations(p *Policy) {
	goals := map[string]bool{}
	for _, g := range p.Options.GetGoals() {
		if goals[g.GetId()] {
			b.report(p.Pos, RuleDuplicateID, "policy %q declares goal %q twice", p.ID, g.GetId())
		}
		goals[g.GetId()] = true
	}
	purposes := map[string]bool{}
	for _, d := range p.Options.GetPurposes() {
		if purposes[d.GetId()] {
			b.report(p.Pos, RuleDuplicateID, "policy %q declares purpose %q twice", p.ID, d.GetId())
		}
		purposes[d.GetId()] = true
		if !goals[d.GetGoal()] {
			b.report(p.Pos, RulePurposeOutOfScope, "policy %q: purpose %q serves goal %q, which the policy does not declare", p.ID, d.GetId(), d.GetGoal())
		}
	}
}
