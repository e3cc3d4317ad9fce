package docs

import (
	"strings"
	"unicode"
	"unicode/utf8"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
)

// The words of agreements come from the catalog's declarations, keyed in
// the translations by product and agreement ID; the generator adds only
// the sentences of the reserved agreement NONE and of a declaration
// without a lead.

const (
	// noneLead opens the list of a scenario whose data never leaves the
	// computer.
	noneLead = "The application processes and stores the following data on the computer:"
	// defaultLead opens the list of a scenario whose agreement declares no
	// lead of its own.
	defaultLead = "Under the {agreement}, you agree to automatically send to {recipient} the following information:"
)

// agreementKey is the translation key of one part of an agreement's
// declaration.
func agreementKey(p *model.Product, id, part string) string {
	return "agreement." + p.ID + "." + id + "." + part
}

// agreementTitle is the title product p declares for agreement id.
func (l *localizer) agreementTitle(p *model.Product, id string) string {
	if id == impl.AgreementNone {
		return l.T("agreement.NONE.title", model.NoneTitle)
	}
	return l.T(agreementKey(p, id, "title"), p.AgreementTitle(id))
}

// agreementShort is the short name of agreement id in consent levels: its
// declared short name, or its title.
func (l *localizer) agreementShort(p *model.Product, id string) string {
	d := p.Agreement(id)
	if d.GetShortName() == "" {
		return l.agreementTitle(p, id)
	}
	return l.T(agreementKey(p, id, "short"), d.GetShortName())
}

// agreementLead is the sentence that opens the items a scenario sends
// under agreement id.
func (l *localizer) agreementLead(p *model.Product, id, recipient string) string {
	if id == impl.AgreementNone {
		return l.T("lead.NONE", noneLead)
	}
	if lead := p.Agreement(id).GetLead(); lead != "" {
		return l.F(agreementKey(p, id, "lead"), lead, "recipient", recipient)
	}
	return l.F("lead.default", defaultLead, "recipient", recipient, "agreement", l.agreementTitle(p, id))
}

// assessed marks a statement that is the maintainers' assessment, not a
// source's.
func (l *localizer) assessed(text string, pv *provisionv1.Provenance) string {
	if pv.GetAssessment() == "" {
		return text
	}
	return l.F("phrase.assessed", "{text}, in the maintainers' assessment", "text", text)
}

// agreementFact words the agreement of scenario s with the legal basis its
// declaration states, marked when it is the maintainers' assessment.
func agreementFact(l *localizer, s *model.Scenario) string {
	title := l.agreementTitle(s.Product, s.Agreement)
	basis := legalBasis(l, s)
	if basis == "" {
		return title
	}
	return l.F("phrase.agreement-basis", "{agreement} (legal basis: {basis})", "agreement", title, "basis", basis)
}

// legalBasis words the legal basis the agreement of s states, or "".
func legalBasis(l *localizer, s *model.Scenario) string {
	d := s.Product.Agreement(s.Agreement)
	if d.GetLegalBasis() == provisionv1.LegalBasis_LEGAL_BASIS_UNSPECIFIED {
		return ""
	}
	return l.assessed(l.Enum(d.GetLegalBasis()), d.GetLegalBasisBasis())
}

// consentLegend explains the consent levels of product p: what a level
// is, what each of its agreements implies (marked where that is the
// maintainers' assessment) and the short names used.
func consentLegend(l *localizer, p *model.Product) string {
	parts := []string{l.T("phrase.consent-legend", "A consent level is the set of agreements you hold; each agreement also grants those it implies.")}
	for _, d := range p.Options.GetAgreements() {
		if len(d.GetImplies()) == 0 {
			continue
		}
		implied := make([]string, len(d.GetImplies()))
		for i, id := range d.GetImplies() {
			implied[i] = l.agreementShort(p, id)
		}
		sentence := l.F("phrase.consent-implies", "{agreement} implies {implied}", "agreement", l.agreementShort(p, d.GetId()),
			"implied", strings.Join(implied, l.T("phrase.and", " and ")))
		parts = append(parts, upperFirst(l.assessed(sentence, d.GetImpliesBasis()))+".")
	}
	for _, d := range p.Options.GetAgreements() {
		short, title := l.agreementShort(p, d.GetId()), l.agreementTitle(p, d.GetId())
		if !strings.Contains(strings.ToLower(title), strings.ToLower(short)) {
			parts = append(parts, upperFirst(l.F("phrase.consent-abbreviation", "{short}: {title}.", "short", short, "title", title)))
		}
	}
	return strings.Join(parts, " ")
}

// upperFirst capitalises the first letter of a sentence.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// purpose is the label policy pol declares for purpose id, in the
// localizer's language; the ID itself when pol does not declare it.
func (l *localizer) purpose(pol *model.Policy, id string) string {
	if pol == nil || pol.Purpose(id) == nil {
		return id
	}
	return l.T("purpose."+pol.ID+"."+id, pol.Purpose(id).GetLabel())
}

// goal is the label policy pol declares for goal id, in the localizer's
// language; the ID itself when pol does not declare it.
func (l *localizer) goal(pol *model.Policy, id string) string {
	if pol == nil || pol.Goal(id) == nil {
		return id
	}
	return l.T("goal."+pol.ID+"."+id, pol.Goal(id).GetLabel())
}

// agreementView is one agreement a product declares, as its page lists it.
type agreementView struct {
	ID    string
	Title string
	Facts []fact
}

// buildAgreements words the agreements product p declares: where each is
// named, its terms, what it implies, its legal basis, whether it is on by
// default and how to withdraw it, every statement with its provenance.
func buildAgreements(l *localizer, p *model.Product) []agreementView {
	var out []agreementView
	for _, d := range p.Options.GetAgreements() {
		id := d.GetId()
		v := agreementView{ID: "agreement-" + strings.ToLower(strings.ReplaceAll(id, "_", "-")), Title: l.agreementTitle(p, id)}
		add := func(term, value string) {
			if value != "" {
				v.Facts = append(v.Facts, fact{term, value})
			}
		}
		add(l.T("phrase.agreement-origin", "Named in"), l.provenance(p, agreementKey(p, id, "origin"), d.GetOrigin()))
		if t := d.GetTerms(); t != nil {
			add(l.T("phrase.agreement-terms", "Terms"), citation(l, t))
		}
		if len(d.GetImplies()) > 0 {
			implied := make([]string, len(d.GetImplies()))
			for i, x := range d.GetImplies() {
				implied[i] = l.agreementTitle(p, x)
			}
			add(l.T("phrase.agreement-implies", "Also grants"), strings.Join(implied, l.T("phrase.and", " and "))+
				" — "+l.provenance(p, agreementKey(p, id, "implies_basis"), d.GetImpliesBasis()))
		}
		if b := d.GetLegalBasis(); b != provisionv1.LegalBasis_LEGAL_BASIS_UNSPECIFIED {
			add(l.T("phrase.legal-basis", "Legal basis"), l.Enum(b)+" — "+l.provenance(p, agreementKey(p, id, "legal_basis_basis"), d.GetLegalBasisBasis()))
		}
		if d.GetDefaultOn() {
			add(l.T("phrase.default", "Default"), l.T("phrase.default-on", "used by default unless you turn it off"))
		}
		if w := d.GetWithdrawal(); w != "" {
			add(l.T("phrase.withdrawal", "How to withdraw"), l.T(agreementKey(p, id, "withdrawal"), w))
		}
		out = append(out, v)
	}
	return out
}

// provenance words where a statement of product p comes from, without the
// statement itself.
func (l *localizer) provenance(p *model.Product, key string, pv *provisionv1.Provenance) string {
	return l.sourced(productSources(p), key, "", pv)
}
