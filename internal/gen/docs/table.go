package docs

import (
	"slices"
	"strings"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
)

// A scenario's table has a row per data item and a column per group of
// consent levels under which the scenario sends the same items with the
// same treatments: each cell says briefly what leaves the computer at
// that level. What each level sends comes from Scenario.Transmitted,
// never re-derived.

// columnView is a group of consent levels under which the same items are
// sent with the same treatment.
type columnView struct {
	Heading  string
	Consents []string // the canonical consent strings, for machines
}

// rowView is one row of a scenario's table: a data item, the heading of
// a set of alternatives, or a list the source does not publish.
type rowView struct {
	// Group marks the heading of alternatives ("One of the following:"):
	// the items below it, one depth deeper, are sent one at a time.
	Group bool
	// Unpublished marks a list the source names without giving it.
	Unpublished     bool
	Path            string
	Label           string
	Depth           int
	Identifiability string
	Cells           []cellView // one per column; none for a Group row
}

// cellView is what one column's consent levels send of a row.
type cellView struct {
	Sent bool
	Text string
	// Redaction describes the strategy applied (model.DescribeRedaction),
	// for machines; empty when nothing is sent or the row is a list the
	// source does not publish.
	Redaction string
	// Ref is the ID of the entry of the page's treatment legend that
	// defines Text, or empty.
	Ref string
}

// levelGroup is the consent levels under which a scenario sends the same
// items with the same treatments.
type levelGroup struct {
	sig         string
	consents    []impl.Consent
	sent        map[string]*provisionv1.Redaction // by field path
	unpublished bool
}

// groupLevels groups the product's consent levels by what scenario s
// sends under them, the lists its source does not publish included
// (sent wherever the scenario's agreement is granted); levels that send
// nothing are left out.
func groupLevels(s *model.Scenario) []*levelGroup {
	var groups []*levelGroup
	for _, c := range s.Product.ConsentLevels() {
		sent := s.Transmitted(c)
		unpublished := len(s.Options.GetUnpublished()) > 0 && c.Grants(s.Agreement)
		if len(sent) == 0 && !unpublished {
			continue
		}
		sig := sentSignature(sent)
		if unpublished {
			sig += "+unpublished"
		}
		i := slices.IndexFunc(groups, func(g *levelGroup) bool { return g.sig == sig })
		if i < 0 {
			g := &levelGroup{sig: sig, sent: map[string]*provisionv1.Redaction{}, unpublished: unpublished}
			for _, sn := range sent {
				g.sent[sn.Field.Path] = sn.Redaction
			}
			groups = append(groups, g)
			i = len(groups) - 1
		}
		groups[i].consents = append(groups[i].consents, c)
	}
	return groups
}

// sentSignature identifies what is sent: each item with its strategy.
func sentSignature(sent []model.Sent) string {
	var b strings.Builder
	for _, s := range sent {
		b.WriteString(s.Field.Path)
		b.WriteByte('=')
		b.WriteString(model.DescribeRedaction(s.Redaction))
		b.WriteByte('\n')
	}
	return b.String()
}

// buildTable words the table of scenario s: its columns, its rows, and
// the sentence saying under which levels nothing is sent. The treatments
// its cells name are added to lg.
func buildTable(l *localizer, s *model.Scenario, lg *legend) (cols []columnView, rows []rowView, nothingSent string) {
	levels := s.Product.ConsentLevels()
	groups := groupLevels(s)
	var sending []impl.Consent
	for _, g := range groups {
		canon := make([]string, len(g.consents))
		for i, c := range g.consents {
			canon[i] = c.String()
		}
		cols = append(cols, columnView{Heading: columnHeading(l, s.Product, g.consents, levels), Consents: canon})
		sending = append(sending, g.consents...)
	}
	var unpublishedCells []cellView
	if len(s.Options.GetUnpublished()) > 0 {
		for _, g := range groups {
			unpublishedCells = append(unpublishedCells, unpublishedCell(l, g.unpublished))
		}
	}
	rows = tableRows(l, s, func(f *model.Field) []cellView {
		cells := make([]cellView, len(groups))
		for i, g := range groups {
			cells[i] = itemCell(l, f, g.sent[f.Path], lg)
		}
		return cells
	}, unpublishedCells)
	if len(sending) > 0 {
		nothingSent = nothingSentSentence(l, s.Product, sending, levels)
	}
	return cols, rows, nothingSent
}

// tableRows words the rows of scenario s: each item, under the heading
// of its set of alternatives if it is one of them, with the cells
// itemCells gives it, then each list the source does not publish, with
// unpublishedCells. A scenario whose data stays on the computer has no
// cells.
func tableRows(l *localizer, s *model.Scenario, itemCells func(*model.Field) []cellView, unpublishedCells []cellView) []rowView {
	var rows []rowView
	headed := alternatives{}
	s.Walk(func(f *model.Field) bool {
		if opens, d := headed.opens(f); opens {
			rows = append(rows, rowView{Group: true, Label: oneOf(l), Depth: d})
		}
		rows = append(rows, rowView{Path: f.Path, Label: label(l, f), Depth: depth(f),
			Identifiability: l.Enum(f.Identifiability()), Cells: itemCells(f)})
		return true
	})
	for _, u := range unpublished(l, s) {
		rows = append(rows, rowView{Unpublished: true, Label: u, Cells: unpublishedCells})
	}
	return rows
}

// notSent is the cell of an item a level does not send.
func notSent(l *localizer) cellView {
	return cellView{Text: l.T("cell.not-sent", "not sent")}
}

// itemCell words what is sent of item f with redaction r (nil: not
// sent): a message item kept as it is is sent as its items are; any
// other treatment is named briefly and defined once in lg, keyed hashes
// by one entry.
func itemCell(l *localizer, f *model.Field, r *provisionv1.Redaction, lg *legend) cellView {
	if r == nil {
		return notSent(l)
	}
	c := cellView{Sent: true, Redaction: model.DescribeRedaction(r)}
	if f.IsMessage() && r.GetKeep() != nil {
		c.Text = l.T("cell.group", "the items below")
		return c
	}
	if impl.StrategyKindOf(r) == impl.StrategyHMAC {
		// Keyed hashes differ only by the key the cell names: one entry
		// defines them all.
		e := lg.define("hmac", l.T("term.hmac-any", "keyed hash (key “…”)"),
			l.T("treatment.hmac-any", "sent as a keyed hash (HMAC-SHA256) under the key the table names, so records still link but the value cannot be read back"))
		c.Text, c.Ref = treatmentTerm(l, r), e.ID
		return c
	}
	e := lg.define(c.Redaction, treatmentTerm(l, r), sentTreatment(l, f, r))
	c.Text, c.Ref = e.Term, e.ID
	return c
}

// unpublishedCell words whether a list the source does not publish is
// sent.
func unpublishedCell(l *localizer, sent bool) cellView {
	if !sent {
		return notSent(l)
	}
	return cellView{Sent: true, Text: l.T("cell.sent", "sent")}
}

// holds reports whether consent c grants every agreement of sub.
func holds(c, sub impl.Consent) bool {
	for _, a := range sub.Agreements() {
		if !c.Grants(a) {
			return false
		}
	}
	return true
}

// minimal returns the levels of set that hold no other level of set, in
// set's order.
func minimal(set []impl.Consent) []impl.Consent {
	var out []impl.Consent
	for _, c := range set {
		if !slices.ContainsFunc(set, func(o impl.Consent) bool { return o != c && holds(c, o) }) {
			out = append(out, c)
		}
	}
	return out
}

// above returns the levels of all that hold one of least.
func above(all, least []impl.Consent) []impl.Consent {
	var out []impl.Consent
	for _, c := range all {
		if slices.ContainsFunc(least, func(m impl.Consent) bool { return holds(c, m) }) {
			out = append(out, c)
		}
	}
	return out
}

// without returns the levels of a that are not in b.
func without(a, b []impl.Consent) []impl.Consent {
	var out []impl.Consent
	for _, c := range a {
		if !slices.Contains(b, c) {
			out = append(out, c)
		}
	}
	return out
}

// sameLevels reports whether a and b hold the same levels.
func sameLevels(a, b []impl.Consent) bool {
	return len(without(a, b)) == 0 && len(without(b, a)) == 0
}

// describeLevels finds the plain description of group among the levels
// all: the levels that hold one of least but none of except. ok is false
// when group is not such a set.
func describeLevels(group, all []impl.Consent) (least, except []impl.Consent, ok bool) {
	least = minimal(group)
	up := above(all, least)
	except = minimal(without(up, group))
	return least, except, sameLevels(without(up, above(all, except)), group)
}

// single reports whether every consent of cs is worded by one agreement:
// a list of such consents joined by "or" reads one way only.
func single(cs []impl.Consent) bool {
	for _, c := range cs {
		if len(model.Strongest(c)) > 1 {
			return false
		}
	}
	return true
}

// columnHeading words a group of consent levels by the agreements that
// make it: "With extended mode", "With add-on and extended mode", "With
// base terms, without standard mode". A group that
// cannot be worded so lists its levels.
func columnHeading(l *localizer, p *model.Product, group, all []impl.Consent) string {
	least, except, ok := describeLevels(group, all)
	switch {
	case !ok || !single(except) || (len(least) > 1 && !single(least)):
		return l.F("phrase.column-levels", "With one of these: {consents}", "consents", consentList(l, p, group, "; "))
	case len(except) == 0:
		return l.F("phrase.column-with", "With {consent}", "consent", consentList(l, p, least, l.T("phrase.or", " or ")))
	}
	return l.F("phrase.column-with-without", "With {consent}, without {except}",
		"consent", consentList(l, p, least, l.T("phrase.or", " or ")), "except", consentList(l, p, except, l.T("phrase.or", " or ")))
}

// nothingSentSentence says under which levels of all nothing is sent,
// given the levels that send something: "Without EULA, nothing is sent."
func nothingSentSentence(l *localizer, p *model.Product, sending, all []impl.Consent) string {
	nothing := without(all, sending)
	if len(nothing) == 0 {
		return ""
	}
	least := minimal(sending)
	if !single(least) || !sameLevels(without(all, above(all, least)), nothing) {
		return l.T("phrase.nothing-sent-otherwise", "With any other consent level, nothing is sent.")
	}
	return l.F("phrase.nothing-sent-without", "Without {consent}, nothing is sent.", "consent", consentList(l, p, least, l.T("phrase.or", " or ")))
}

// consentList words consents joined by sep, each by its agreements
// joined by "and".
func consentList(l *localizer, p *model.Product, cs []impl.Consent, sep string) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = strings.Join(consentNames(l, p, c), l.T("phrase.and", " and "))
	}
	return strings.Join(names, sep)
}

// itemPurposes words the items of scenario s whose purposes are not all
// of the scenario's, one sentence per set of purposes: "Only for
// prevention and investigation of incidents: Application activity
// reports; Portions of the computer's RAM."
func itemPurposes(l *localizer, s *model.Scenario) []string {
	type set struct {
		purposes []string
		labels   []string
	}
	var sets []*set
	s.Walk(func(f *model.Field) bool {
		if samePurposes(f.Purposes, s.Purposes) {
			return true
		}
		i := slices.IndexFunc(sets, func(x *set) bool { return samePurposes(x.purposes, f.Purposes) })
		if i < 0 {
			sets = append(sets, &set{purposes: f.Purposes})
			i = len(sets) - 1
		}
		sets[i].labels = append(sets[i].labels, label(l, f))
		return true
	})
	out := make([]string, len(sets))
	for i, x := range sets {
		ps := make([]string, len(x.purposes))
		for j, p := range x.purposes {
			ps[j] = l.purpose(s.Product.Policy, p)
		}
		out[i] = l.F("phrase.item-purposes", "Only for {purposes}: {items}.",
			"purposes", strings.Join(ps, l.T("phrase.and", " and ")), "items", strings.Join(x.labels, "; "))
	}
	return out
}

// samePurposes reports whether a and b name the same purposes.
func samePurposes(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}
