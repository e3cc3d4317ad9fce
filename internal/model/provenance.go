package model

import (
	"fmt"
	"slices"
	"strings"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

// Claim is one statement of a declaration that the pages print, with the
// provenance it gives.
type Claim struct {
	// Subject names the declaration that makes the claim: `scenario
	// "acme-notes.sync"`, `product "acme-notes"`, `policy "acme"`.
	Subject string
	// Statement names what is stated: "trigger", "retention",
	// "statements[2]".
	Statement string
	// Text is the statement as the pages print it.
	Text string
	// Basis is the claim's provenance; nil when it gives none.
	Basis *provisionv1.Provenance
	// Sources are the Source.ref values a quote of the claim may cite.
	Sources []string
	Pos     Position
}

// Quote returns the claim's quote, or nil when it is an assessment or has
// no basis.
func (c Claim) Quote() *provisionv1.Quote { return c.Basis.GetQuote() }

// Claims returns every statement of the catalog around the data items:
// each policy's, each product's (with its agreements') and each
// scenario's, in catalog order.
func (c *Catalog) Claims() []Claim {
	var out []Claim
	for _, pol := range c.Policies {
		out = append(out, pol.Claims()...)
	}
	for _, p := range c.Products {
		out = append(out, p.Claims()...)
		for _, s := range p.Scenarios {
			out = append(out, s.Claims()...)
		}
	}
	return out
}

// Claims returns the policy's statements.
func (p *Policy) Claims() []Claim {
	return fill(policyClaims(p.Options), fmt.Sprintf("policy %q", p.ID), p.Pos, sourceRefs(p.Options.GetSource()))
}

// Claims returns the product's statements, its agreements' included.
func (p *Product) Claims() []Claim {
	cs := append(productClaims(p.Options), agreementClaims(p.Options.GetAgreements())...)
	return fill(cs, fmt.Sprintf("product %q", p.ID), p.Pos, p.sourceRefs())
}

// Claims returns the scenario's own statements; storage, transport or
// retention it takes from its policy are the policy's claims.
func (s *Scenario) Claims() []Claim {
	return s.fill(append(scenarioClaims(s.Options), s.lifecycleClaims()...))
}

// StatedClaims returns the claims a scenario's page makes: its own, with
// the storage, transport and retention it takes from its policy in place
// of those it does not state itself.
func (s *Scenario) StatedClaims() []Claim {
	var out []Claim
	for _, c := range scenarioClaims(s.Options) {
		switch c.Statement {
		case "storage", "transport", "retention":
			continue
		}
		out = append(out, c)
	}
	out = append(out, handlingClaims(s.Handling)...)
	return s.fill(append(out, s.lifecycleClaims()...))
}

// fill names the scenario as the claims' subject and gives them the
// sources they may quote: its own, its product's and its policy's.
func (s *Scenario) fill(cs []Claim) []Claim {
	refs := append(s.Product.sourceRefs(), sourceRefs(s.Options.GetSource())...)
	return fill(cs, fmt.Sprintf("scenario %q", s.ID), s.Pos, refs)
}

// sourceRefs are the refs of the product's sources and of its policy's.
func (p *Product) sourceRefs() []string {
	refs := sourceRefs(p.Options.GetSources()...)
	if p.Policy != nil {
		refs = append(refs, sourceRefs(p.Policy.Options.GetSource())...)
	}
	return refs
}

func sourceRefs(sources ...*provisionv1.Source) []string {
	var refs []string
	for _, s := range sources {
		if s.GetRef() != "" {
			refs = append(refs, s.GetRef())
		}
	}
	return refs
}

func fill(cs []Claim, subject string, pos Position, refs []string) []Claim {
	slices.Sort(refs)
	refs = slices.Compact(refs)
	for i := range cs {
		cs[i].Subject, cs[i].Pos, cs[i].Sources = subject, pos, refs
	}
	return cs
}

// claim is a statement that is made when set is true.
func claim(set bool, statement, text string, basis *provisionv1.Provenance) []Claim {
	if !set {
		return nil
	}
	return []Claim{{Statement: statement, Text: text, Basis: basis}}
}

func statementClaims(field string, ss []*provisionv1.Statement) []Claim {
	var out []Claim
	for i, s := range ss {
		text := s.GetText()
		if text == "" {
			text = s.GetBasis().GetQuote().GetText()
		}
		out = append(out, Claim{Statement: fmt.Sprintf("%s[%d]", field, i), Text: text, Basis: s.GetBasis()})
	}
	return out
}

// unsourced are claims of the deprecated fields that cannot carry a
// provenance: each is a finding.
func unsourced(field string, texts []string) []Claim {
	var out []Claim
	for i, t := range texts {
		out = append(out, Claim{Statement: fmt.Sprintf("%s[%d] (deprecated: write it as a Statement)", field, i), Text: t})
	}
	return out
}

func scenarioClaims(o *provisionv1.Scenario) []Claim {
	var out []Claim
	out = append(out, claim(o.GetTrigger() != "", "trigger", o.GetTrigger(), o.GetTriggerBasis())...)
	out = append(out, claim(o.GetFrequency() != provisionv1.Frequency_FREQUENCY_UNSPECIFIED, "frequency", EnumLabel(o.GetFrequency()), o.GetFrequencyBasis())...)
	out = append(out, claim(len(o.GetPurposes()) > 0, "purposes", strings.Join(o.GetPurposes(), ", "), o.GetPurposesBasis())...)
	out = append(out, claim(o.GetRecipient() != "", "recipient", o.GetRecipient(), o.GetRecipientBasis())...)
	out = append(out, claim(o.GetOptOut() != nil, "opt_out", o.GetOptOut().GetText(), o.GetOptOut().GetBasis())...)
	out = append(out, claim(o.GetDefaultOn(), "default_on", "on by default", o.GetDefaultOnBasis())...)
	out = append(out, handlingClaims(o.GetHandling())...)
	for i, u := range o.GetUnpublished() {
		out = append(out, claim(u.GetPointer() != "", fmt.Sprintf("unpublished[%d].pointer", i), u.GetPointer(), u.GetPointerBasis())...)
	}
	out = append(out, unsourced("notes", o.GetNotes())...)
	return append(out, statementClaims("statements", o.GetStatements())...)
}

func handlingClaims(h *provisionv1.Handling) []Claim {
	var out []Claim
	storage := strings.Join(h.GetStorageCountries(), ", ")
	if h.GetStorageNote() != "" {
		storage = strings.TrimPrefix(storage+". "+h.GetStorageNote(), ". ")
	}
	out = append(out, claim(storage != "", "storage", storage, h.GetStorageBasis())...)
	out = append(out, claim(h.GetTransport() != provisionv1.Transport_TRANSPORT_UNSPECIFIED, "transport", EnumLabel(h.GetTransport()), h.GetTransportBasis())...)
	r := h.GetRetention()
	return append(out, claim(r != nil, "retention", r.GetText(), r.GetBasis())...)
}

func productClaims(o *provisionv1.Product) []Claim {
	var out []Claim
	out = append(out, claim(true, "name", o.GetName(), o.GetNameBasis())...)
	out = append(out, claim(o.GetRegion() != provisionv1.Region_REGION_UNSPECIFIED, "region", EnumLabel(o.GetRegion()), o.GetRegionBasis())...)
	out = append(out, claim(o.GetSegment() != provisionv1.Segment_SEGMENT_UNSPECIFIED, "segment", EnumLabel(o.GetSegment()), o.GetSegmentBasis())...)
	out = append(out, claim(o.GetDataSubjects() != "", "data_subjects", o.GetDataSubjects(), o.GetDataSubjectsBasis())...)
	out = append(out, claim(len(o.GetPersonalDataOnlyUnder()) > 0, "personal_data_only_under", strings.Join(o.GetPersonalDataOnlyUnder(), ", "), o.GetPersonalDataOnlyUnderBasis())...)
	out = append(out, unsourced("notes", o.GetNotes())...)
	return append(out, statementClaims("statements", o.GetStatements())...)
}

func agreementClaims(as []*provisionv1.Agreement) []Claim {
	var out []Claim
	for _, a := range as {
		what := fmt.Sprintf("agreement %q", a.GetId())
		out = append(out, claim(true, what+" origin", a.GetTitle(), a.GetOrigin())...)
		out = append(out, claim(len(a.GetImplies()) > 0, what+" implies", strings.Join(a.GetImplies(), ", "), a.GetImpliesBasis())...)
		out = append(out, claim(a.GetLegalBasis() != provisionv1.LegalBasis_LEGAL_BASIS_UNSPECIFIED, what+" legal_basis", EnumLabel(a.GetLegalBasis()), a.GetLegalBasisBasis())...)
	}
	return out
}

func policyClaims(o *provisionv1.Policy) []Claim {
	var out []Claim
	for _, g := range o.GetGoals() {
		out = append(out, claim(true, fmt.Sprintf("goal %q", g.GetId()), g.GetLabel(), g.GetBasis())...)
	}
	for _, p := range o.GetPurposes() {
		out = append(out, claim(true, fmt.Sprintf("purpose %q", p.GetId()), p.GetLabel(), p.GetBasis())...)
	}
	out = append(out, unsourced("anonymisation", o.GetAnonymisation())...)
	out = append(out, statementClaims("anonymisation_measures", o.GetAnonymisationMeasures())...)
	out = append(out, handlingClaims(o.GetHandling())...)
	out = append(out, claim(o.GetSpecialCategoriesNeverProcessed(), "special_categories_never_processed", "special categories are never processed", o.GetSpecialCategoriesBasis())...)
	out = append(out, claim(o.GetExcessiveDataNeverCollected(), "excessive_data_never_collected", "excessive data is never collected", o.GetExcessiveDataBasis())...)
	out = append(out, unsourced("notes", o.GetNotes())...)
	return append(out, statementClaims("statements", o.GetStatements())...)
}

// provenance checks the claims of every policy, product and scenario,
// unless the catalog is a baseline.
func (b *builder) provenance() {
	if b.baseline {
		return
	}
	for _, pol := range b.policyOrder {
		b.checkClaims(pol.Claims())
	}
	for _, p := range b.products {
		b.checkClaims(p.Claims())
	}
	for _, s := range b.scenarioIDs {
		b.checkClaims(s.Claims())
	}
}

// checkClaims reports each claim that gives no provenance, a statement
// with no words, and a quote of a document the claim may not cite. An
// empty provenance (neither quote nor assessment) is the vocabulary's own
// validation finding (OPTIONS_INVALID).
func (b *builder) checkClaims(cs []Claim) {
	for _, c := range cs {
		where := c.Subject + " " + c.Statement
		switch {
		case c.Basis == nil && len(c.Sources) == 0:
			b.report(c.Pos, RuleProvenanceMissing, "%s says not where it comes from: give the maintainers' assessment, or a source with a ref to quote", where)
		case c.Basis == nil:
			b.report(c.Pos, RuleProvenanceMissing, "%s says not where it comes from: quote one of its sources (%s) or give the maintainers' assessment", where, strings.Join(c.Sources, ", "))
		case c.Text == "":
			b.report(c.Pos, RuleProvenanceMissing, "%s has no words: give its text, or quote the source that states it", where)
		}
		if q := c.Quote(); q != nil && !slices.Contains(c.Sources, q.GetSource()) {
			b.report(c.Pos, RuleProvenanceMissing, "%s quotes source %q, which it may not cite (its sources: %s)", where, q.GetSource(), strings.Join(c.Sources, ", "))
		}
	}
}

// claimTexts lists the words of claims and of their provenance, for the
// hostile-text check.
func claimTexts(cs []Claim) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Text, c.Basis.GetAssessment(), c.Basis.GetQuote().GetText())
	}
	return out
}
