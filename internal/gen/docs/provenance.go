package docs

import (
	"fmt"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"

	"github.com/provisionhq/provision/internal/model"
)

// Every statement a page prints around the data items says where it comes
// from, in one form: the source's words in quotation marks followed by the
// source's title, or the statement followed by the maintainers'
// assessment and its reason. The sentence of provenanceNote, at the top of
// each page, explains the form.

// provenanceNote explains to the reader how a page marks where its
// statements come from, and that the treatments are the catalog's rules.
func provenanceNote(l *localizer) string {
	return l.T("phrase.provenance-note", "How to read this page: words in quotation marks followed by a document's title are that document's own; a statement marked “the maintainers' assessment” is stated by no source: the maintainers of this catalog concluded it, for the reason given. How identifying each item is, and what is done to it before it leaves the computer (a keyed hash, a shortened version, a dropped query), are this catalog's classification and rules for software built from it, not statements of the sources.")
}

// sourced words a statement with where it comes from. A quote is printed
// as “words” (title), after the statement unless the statement is the
// quote itself; an assessment follows the statement as "(the maintainers'
// assessment: reason)". key is the translation key of the basis's words;
// srcs are the documents its quote may cite.
func (l *localizer) sourced(srcs []*provisionv1.Source, key, value string, pv *provisionv1.Provenance) string {
	if pv.GetKind() == nil {
		return value
	}
	if q := pv.GetQuote(); q != nil {
		quote := l.quoted(srcs, key, q)
		if value == "" || value == l.T(key, q.GetText()) {
			return quote
		}
		return l.F("phrase.sourced", "{value} — {quote}", "value", value, "quote", quote)
	}
	reason := l.T(key, pv.GetAssessment())
	if value == "" {
		return l.F("phrase.assessment", "the maintainers' assessment: {text}", "text", reason)
	}
	return l.F("phrase.sourced-assessment", "{value} (the maintainers' assessment: {reason})", "value", value, "reason", reason)
}

// quoted words a quote as “words” (title of the document it quotes).
func (l *localizer) quoted(srcs []*provisionv1.Source, key string, q *provisionv1.Quote) string {
	text := l.F("phrase.quoted", "“{title}”", "title", l.T(key, q.GetText()))
	for _, s := range srcs {
		if s.GetRef() == q.GetSource() {
			return l.F("phrase.quote-source", "{quote} ({source})", "quote", text, "source", l.F("phrase.quoted", "“{title}”", "title", s.GetTitle()))
		}
	}
	return text
}

// statements words a declaration's further statements, each with where it
// comes from; a statement that is a quote is printed as the quote.
func (l *localizer) statements(srcs []*provisionv1.Source, key string, ss []*provisionv1.Statement) []string {
	out := make([]string, 0, len(ss))
	for i, s := range ss {
		k := fmt.Sprintf("%s.%d", key, i)
		value := ""
		if t := s.GetText(); t != "" {
			value = l.T(k, t)
		}
		out = append(out, l.sourced(srcs, k+".basis", value, s.GetBasis()))
	}
	return out
}

// policySources are the documents a policy's statements may quote.
func policySources(p *model.Policy) []*provisionv1.Source {
	if p == nil || p.Options.GetSource() == nil {
		return nil
	}
	return []*provisionv1.Source{p.Options.GetSource()}
}

// productSources are the documents a product's statements may quote: its
// own and its policy's.
func productSources(p *model.Product) []*provisionv1.Source {
	return append(append([]*provisionv1.Source{}, p.Options.GetSources()...), policySources(p.Policy)...)
}

// scenarioSources are the documents a scenario's statements may quote: its
// own, its product's and its policy's.
func scenarioSources(s *model.Scenario) []*provisionv1.Source {
	var own []*provisionv1.Source
	if src := s.Options.GetSource(); src != nil {
		own = append(own, src)
	}
	return append(own, productSources(s.Product)...)
}
