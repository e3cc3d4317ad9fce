// Package review makes the review request for the changes in data
// provision since a base version of the catalog: every new item, agreement
// move, weaker redaction, new scenario or product, new storage country and
// identifiability change, each with everything a data-protection reviewer
// needs to judge it (scenario, product, item label, category,
// identifiability, agreement and redaction before and after, purposes,
// recipient, storage countries, where each statement comes from, and the
// acknowledgement the author wrote or the one that is missing), grouped by
// scenario; the expiries renewed, with the newest review on record; the
// owners and reviews added or removed since the base, flagging each
// scenario with changes but no review since then; with a checklist and a
// place for the decision.
//
// It is pure: two checked catalogs in, a Request out. The changes and
// their rule IDs are internal/diff's, the same buf breaking reports; the
// hint for a missing acknowledgement is internal/privacycheck's, the same
// buf breaking prints. `provision review BASE` prints the request.
package review

import (
	"cmp"
	"slices"
	"strings"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/country"
	"github.com/provisionhq/provision/internal/diff"
	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/privacycheck"
)

// Request is the review request for the changes from Base to Head.
type Request struct {
	// Base and Head name the versions compared (a git ref, a directory, a
	// buf image, or the labels given).
	Base string `json:"base"`
	Head string `json:"head"`
	// Sections are the parts of the request, in the order of Sections
	// below; a section with nothing to review is left out.
	Sections []Section `json:"sections"`
	// Open counts the changes a breaking rule reports that no
	// acknowledgement allows: the request cannot be approved while one is
	// open.
	Open int `json:"open"`
	// Checklist is what the reviewer checks, whatever the changes.
	Checklist []string `json:"checklist"`
}

// Section is one part of the request: the changes of one sort, grouped by
// product and scenario.
type Section struct {
	// ID is a stable name of the section ("changes").
	ID string `json:"id"`
	// Title is the section's heading.
	Title string `json:"title"`
	// Products are the products with something to review, by ID.
	Products []Product `json:"products"`
}

// Product is one product of a section: its own changes (a new product)
// and those of its scenarios.
type Product struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Region is the product's region as the pages name it.
	Region string `json:"region,omitempty"`
	// Items are the changes of the product itself.
	Items []Item `json:"items,omitempty"`
	// Statements are the product's statements with their provenance, for
	// a new product.
	Statements []Statement `json:"statements,omitempty"`
	// Scenarios are the scenarios with something to review, in the order
	// the changes name them.
	Scenarios []Scenario `json:"scenarios,omitempty"`
}

// Scenario is one scenario of a product, as the head version declares it,
// with its changes.
type Scenario struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// New says the scenario is new since the base.
	New bool `json:"new"`
	// Agreement is the agreement under which the scenario happens.
	Agreement Agreement `json:"agreement"`
	// Purposes are the scenario's purposes, as its policy words them.
	Purposes  []string `json:"purposes"`
	Recipient string   `json:"recipient,omitempty"`
	// StorageCountries are where the data is stored ("Germany (DE)").
	StorageCountries []string `json:"storage_countries"`
	Retention        string   `json:"retention,omitempty"`
	OptOut           string   `json:"opt_out,omitempty"`
	// Statements are the statements the scenario's page makes, each with
	// its provenance, and those of the agreements its items name.
	Statements []Statement `json:"statements"`
	// Items are the changes to review.
	Items []Item `json:"items"`
	// Where is the scenario's declaration in the head version.
	Where string `json:"where,omitempty"`
	// Owners and Expires are the scenario's owners and expiry in the head
	// version, in the lifecycle sections.
	Owners  []string `json:"owners,omitempty"`
	Expires string   `json:"expires,omitempty"`
}

// Agreement names an agreement by its title and ID.
type Agreement struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// Statement is one statement of the catalog with where it comes from:
// the quote and its source, or the maintainers' assessment.
type Statement struct {
	// About names the statement ("retention", `agreement "EULA" origin`).
	About string `json:"about"`
	Text  string `json:"text"`
	// Quote and Source are the source's words and its ref; empty for an
	// assessment.
	Quote  string `json:"quote,omitempty"`
	Source string `json:"source,omitempty"`
	// Assessment is the maintainers' reasoning; empty for a quote.
	Assessment string `json:"assessment,omitempty"`
}

// Item is one change to review.
type Item struct {
	// Kind is internal/diff's kind of change; "item_of_new_scenario" for
	// an item a new scenario sends.
	Kind string `json:"kind"`
	// Rule is the ID of the buf breaking rule that reports the change, or
	// empty.
	Rule string `json:"rule,omitempty"`
	// Change is the change in plain words.
	Change string `json:"change"`
	// Weaker says the change gives less privacy.
	Weaker bool `json:"weaker"`
	// Field and Label name the data item; empty for a scenario's or a
	// product's change.
	Field    string `json:"field,omitempty"`
	Label    string `json:"label,omitempty"`
	Category string `json:"category,omitempty"`
	// Identifiability, Agreement and Redaction are before and after the
	// change; Before is empty where the thing did not exist.
	Identifiability *BeforeAfter `json:"identifiability,omitempty"`
	Agreement       *BeforeAfter `json:"agreement,omitempty"`
	Redaction       *BeforeAfter `json:"redaction,omitempty"`
	// StorageCountries are the scenario's storage countries before and
	// after, for a new storage country.
	StorageCountries *BeforeAfter `json:"storage_countries,omitempty"`
	// Consent names the consent under which the redaction shows, by its
	// strongest agreements.
	Consent  string   `json:"consent,omitempty"`
	Purposes []string `json:"purposes,omitempty"`
	// Acknowledgement is what the author wrote, or what is missing; its
	// State is empty for an item of a lifecycle section, which no
	// acknowledgement allows.
	Acknowledgement Acknowledgement `json:"acknowledgement"`
	// Where is the changed declaration in the head version.
	Where string `json:"where,omitempty"`
	// Expires is the expiry before and after, for a renewal.
	Expires *BeforeAfter `json:"expires,omitempty"`
	// Owner is the owner added or removed.
	Owner string `json:"owner,omitempty"`
	// Review is the review recorded, for KindReviewAdded.
	Review *Review `json:"review,omitempty"`
	// NewestReview is the newest review the scenario records, for a
	// renewal and a scenario changed without a review.
	NewestReview *Review `json:"newest_review,omitempty"`
	// Flagged says why the reviewer must look at the item: a renewal, or
	// changes, with no review recorded since the base.
	Flagged string `json:"flagged,omitempty"`
}

// BeforeAfter is a value in the base and in the head version.
type BeforeAfter struct {
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
}

// The states of an acknowledgement.
const (
	// Acknowledged: the author wrote an acknowledgement, new in the head
	// version, that names the change's rule.
	Acknowledged = "acknowledged"
	// NotAcknowledged: a breaking rule reports the change and nothing
	// allows it; Hint says what to write where.
	NotAcknowledged = "not acknowledged"
	// NotRequired: no breaking rule reports the change.
	NotRequired = "not required"
	// Covered: the change is part of a larger one (an item of a new
	// scenario, a part of a new message item) whose acknowledgement
	// covers it; CoveredBy names that one.
	Covered = "covered"
)

// Acknowledgement is the author's acknowledgement of a change.
type Acknowledgement struct {
	// State is Acknowledged, NotAcknowledged, NotRequired or Covered.
	State string `json:"state"`
	// CoveredBy names the change whose acknowledgement covers this one.
	CoveredBy string `json:"covered_by,omitempty"`
	// Reason is the reason the author wrote.
	Reason string `json:"reason,omitempty"`
	// Hint is the acknowledgement buf breaking asks for, for a change not
	// acknowledged.
	Hint string `json:"hint,omitempty"`
}

// Checklist is what the reviewer checks in every request.
var Checklist = []string{
	"Each new item is needed for the purposes stated, and no smaller item would do (minimisation).",
	"The agreement each item requires covers sending it, and the scenario's opt-out still holds.",
	"Each redaction is the strongest that still serves the purposes; a weaker one is justified by its acknowledgement.",
	"Each item's identifiability and category are right for what it holds.",
	"Each new storage country has the safeguards a transfer there needs.",
	"Each statement quotes its source word for word, or is visibly the maintainers' assessment and its reasoning holds.",
	"Each acknowledgement's reason justifies its change; nothing is left not acknowledged.",
	"Each expiry renewed has a review recorded since the base, and each scenario's owners can still answer for it.",
}

// Builder makes one section of the request from the base and head
// catalogs and their changes, or returns false when it has nothing to
// review.
type Builder func(base, head *model.Catalog, changes []diff.Change) (Section, bool)

// Sections are the builders of the request's sections, in order: the
// changes internal/diff lists (Changes), the expiries renewed (Renewals)
// and the owners and reviews (OwnersAndReviews), which compare the two
// catalogs' lifecycle directly. A new section is one Builder appended
// here.
var Sections = []Builder{Changes, Renewals, OwnersAndReviews}

// Make makes the review request for the changes from base to head. Base
// and Head of the request are left for the caller to name.
func Make(base, head *model.Catalog) Request {
	return MakeFrom(base, head, diff.Compare(base, head))
}

// MakeFrom makes the review request from changes, as diff.Compare lists
// them from base to head (filtered, for one product).
func MakeFrom(base, head *model.Catalog, changes []diff.Change) Request {
	r := Request{Checklist: Checklist, Sections: []Section{}}
	for _, b := range Sections {
		if s, ok := b(base, head, changes); ok {
			r.Sections = append(r.Sections, s)
			for _, p := range s.Products {
				r.Open += open(p.Items)
				for _, sc := range p.Scenarios {
					r.Open += open(sc.Items)
				}
			}
		}
	}
	return r
}

// KeepProduct drops from every section each product but id, and the
// sections left with none, and counts Open again: the request for one
// product (provision review -product). The changes MakeFrom reads are
// filtered by diff.Filter; the lifecycle sections read the whole catalogs.
func (r *Request) KeepProduct(id string) {
	sections := []Section{}
	r.Open = 0
	for _, s := range r.Sections {
		s.Products = slices.DeleteFunc(slices.Clone(s.Products), func(p Product) bool { return p.ID != id })
		if len(s.Products) == 0 {
			continue
		}
		sections = append(sections, s)
		for _, p := range s.Products {
			r.Open += open(p.Items)
			for _, sc := range p.Scenarios {
				r.Open += open(sc.Items)
			}
		}
	}
	r.Sections = sections
}

func open(items []Item) int {
	n := 0
	for _, it := range items {
		if it.Acknowledgement.State == NotAcknowledged {
			n++
		}
	}
	return n
}

// Reviewed reports whether a change needs a reviewer: a new item sent, an
// agreement move either way, a weaker redaction, a new scenario or product
// that sends data, a new storage country, an identifiability change either
// way, and anything else that gives less privacy (a new purpose, a
// transport no longer encrypted, a scenario now on by default) or that a
// breaking rule reports, but for a renewed expiry: Renewals lists it.
func Reviewed(c diff.Change) bool {
	switch c.Kind {
	case diff.AgreementChanged, diff.ScenarioAgreement, diff.IdentifiabilityChanged,
		diff.ScenarioAdded, diff.ProductAdded, diff.StorageCountryAdded:
		return true
	case diff.FieldAdded, diff.NowSent:
		return c.New != ""
	case diff.RedactionChanged:
		return c.Weaker
	case diff.ExpiryRenewed:
		// The section "Expiries renewed" (Renewals) lists it, with the
		// expiry before and after and the scenario's newest review.
		return false
	}
	return c.Rule != "" || c.Weaker
}

// Changes is the builder of the section "Changes to review": every change
// Reviewed selects, grouped by product and scenario.
func Changes(base, head *model.Catalog, changes []diff.Change) (Section, bool) {
	s := Section{ID: "changes", Title: "Changes to review"}
	for _, c := range changes {
		if !Reviewed(c) {
			continue
		}
		p := product(&s, head, c.Product, c.ProductName)
		if c.Scenario == "" {
			p.Items = append(p.Items, item(c, nil, nil))
			if c.Kind == diff.ProductAdded {
				if hp, ok := head.Product(c.Product); ok {
					p.Statements = statements(hp.Claims())
				}
			}
			continue
		}
		hs, ok := head.Scenario(c.Scenario)
		if !ok {
			// Every change Reviewed selects is of something the head
			// version has; one that is not is still listed, with what
			// the change itself says, rather than left out.
			p.Items = append(p.Items, item(c, nil, nil))
			continue
		}
		sc := scenario(p, hs, c.Kind == diff.ScenarioAdded)
		var of, nf *model.Field
		if c.Field != "" {
			nf = field(hs, c.Field)
			if bs, ok := base.Scenario(c.Scenario); ok {
				of = field(bs, cmp.Or(c.OldField, c.Field))
			}
		}
		it := item(c, of, nf)
		if c.Kind == diff.ScenarioAgreement {
			// Old and New are the scenario's agreement IDs.
			it.Agreement = &BeforeAfter{Before: c.Old, After: agreementWords(hs.Product, c.New)}
			if bs, ok := base.Scenario(c.Scenario); ok {
				it.Agreement.Before = agreementWords(bs.Product, c.Old)
			}
		}
		if c.Kind == diff.StorageCountryAdded {
			it.StorageCountries = &BeforeAfter{After: strings.Join(countries(hs.Handling.GetStorageCountries()), "; ")}
			if bs, ok := base.Scenario(c.Scenario); ok {
				it.StorageCountries.Before = strings.Join(countries(bs.Handling.GetStorageCountries()), "; ")
			}
		}
		sc.Items = append(sc.Items, it)
		if c.Kind == diff.ScenarioAdded {
			sc.Items = append(sc.Items, newScenarioItems(hs)...)
		}
	}
	for i := range s.Products {
		for j := range s.Products[i].Scenarios {
			agreementStatements(&s.Products[i].Scenarios[j], head)
		}
	}
	return s, len(s.Products) > 0
}

// product returns the section's product id, appending it when it is not
// there yet.
func product(s *Section, head *model.Catalog, id, name string) *Product {
	for i := range s.Products {
		if s.Products[i].ID == id {
			return &s.Products[i]
		}
	}
	p := Product{ID: id, Name: name}
	if hp, ok := head.Product(id); ok {
		p.Region = model.EnumLabel(hp.Options.GetRegion())
	}
	s.Products = append(s.Products, p)
	return &s.Products[len(s.Products)-1]
}

// scenario returns p's scenario hs, appending it when it is not there yet.
func scenario(p *Product, hs *model.Scenario, isNew bool) *Scenario {
	for i := range p.Scenarios {
		if p.Scenarios[i].ID == hs.ID {
			return &p.Scenarios[i]
		}
	}
	sc := Scenario{
		ID:               hs.ID,
		Title:            hs.Options.GetTitle(),
		New:              isNew,
		Agreement:        agreement(hs.Product, hs.Agreement),
		Purposes:         purposeLabels(hs.Product, hs.Purposes),
		Recipient:        hs.Options.GetRecipient(),
		StorageCountries: countries(hs.Handling.GetStorageCountries()),
		Retention:        hs.Handling.GetRetention().GetText(),
		OptOut:           hs.Options.GetOptOut().GetText(),
		Statements:       statements(hs.StatedClaims()),
		Items:            []Item{},
		Where:            hs.Pos.String(),
	}
	p.Scenarios = append(p.Scenarios, sc)
	return &p.Scenarios[len(p.Scenarios)-1]
}

// item is the review item of change c of field of (base) and nf (head);
// both nil for a scenario's or product's change.
func item(c diff.Change, of, nf *model.Field) Item {
	it := Item{Kind: string(c.Kind), Rule: c.Rule, Change: c.Text, Weaker: c.Weaker, Field: c.Field, Label: c.Label, Consent: c.Consent, Where: c.NewPos.String()}
	switch {
	case c.Acknowledged != "":
		it.Acknowledgement = Acknowledgement{State: Acknowledged, Reason: c.Acknowledged}
	case c.Finding():
		it.Acknowledgement = Acknowledgement{State: NotAcknowledged, Hint: privacycheck.AckHint(c)}
	default:
		it.Acknowledgement = Acknowledgement{State: NotRequired}
	}
	if nf == nil {
		return it
	}
	if c.Kind == diff.FieldAdded && c.Rule == "" && c.Weaker && nf.Parent != nil {
		// A part of a message item added with it: internal/diff reports
		// the parent, whose acknowledgement covers its parts.
		it.Acknowledgement = Acknowledgement{State: Covered, CoveredBy: diff.RuleFieldAdded + " of " + nf.Parent.Path}
	}
	it.Category = model.EnumLabel(nf.Category())
	it.Purposes = purposeLabels(nf.Scenario.Product, nf.Purposes)
	it.Identifiability = &BeforeAfter{After: model.EnumLabel(nf.Identifiability())}
	it.Agreement = &BeforeAfter{After: agreementWords(nf.Scenario.Product, nf.Requires())}
	it.Redaction = &BeforeAfter{After: sentWords(nf)}
	if of != nil {
		it.Identifiability.Before = model.EnumLabel(of.Identifiability())
		it.Agreement.Before = agreementWords(of.Scenario.Product, of.Requires())
		it.Redaction.Before = sentWords(of)
	}
	if c.Kind == diff.RedactionChanged {
		// The redaction under the consent where the change shows.
		for _, level := range nf.Scenario.Product.ConsentLevels() {
			if level.String() != c.Consent {
				continue
			}
			it.Consent = consentWords(nf.Scenario.Product, level)
			it.Redaction = &BeforeAfter{Before: underWords(of, level), After: underWords(nf, level)}
		}
	}
	return it
}

// newScenarioItems are the items a new scenario sends, each with its
// annotation: the scenario's change names them by label only.
func newScenarioItems(s *model.Scenario) []Item {
	var out []Item
	s.Walk(func(f *model.Field) bool {
		consent, r := firstSent(f)
		if consent == nil {
			return true
		}
		out = append(out, Item{
			Kind:            "item_of_new_scenario",
			Change:          "Sent in the new scenario: " + f.Label() + ", " + diff.RedactionWords(r) + ".",
			Weaker:          true,
			Field:           f.Path,
			Label:           f.Label(),
			Category:        model.EnumLabel(f.Category()),
			Identifiability: &BeforeAfter{After: model.EnumLabel(f.Identifiability())},
			Agreement:       &BeforeAfter{After: agreementWords(s.Product, f.Requires())},
			Redaction:       &BeforeAfter{After: sentWords(f)},
			Consent:         consentWords(s.Product, *consent),
			Purposes:        purposeLabels(s.Product, f.Purposes),
			// The scenario's acknowledgement covers its items.
			Acknowledgement: Acknowledgement{State: Covered, CoveredBy: diff.RuleScenarioAdded + " of " + s.ID},
			Where:           f.Pos.String(),
		})
		return true
	})
	return out
}

// firstSent returns the smallest consent under which f is sent and its
// redaction there, or nil.
func firstSent(f *model.Field) (*impl.Consent, *provisionv1.Redaction) {
	for _, c := range f.Scenario.Product.ConsentLevels() {
		if r, ok := f.Under(c); ok {
			return &c, r
		}
	}
	return nil, nil
}

// sentWords says how f is sent under each consent level that sends it,
// one clause a distinct redaction: "as it is" or "with the Acme usage
// analytics (opt-in): as it is; with …". An item never sent is "never".
func sentWords(f *model.Field) string {
	var parts []string
	last := ""
	for _, c := range f.Scenario.Product.ConsentLevels() {
		r, ok := f.Under(c)
		if !ok {
			continue
		}
		w := diff.RedactionWords(r)
		if w == last {
			continue
		}
		last = w
		parts = append(parts, "with "+consentWords(f.Scenario.Product, c)+": "+w)
	}
	switch len(parts) {
	case 0:
		return "never"
	case 1:
		return parts[0][strings.Index(parts[0], ": ")+2:]
	}
	return strings.Join(parts, "; ")
}

// underWords says how f is sent under consent c.
func underWords(f *model.Field, c impl.Consent) string {
	if f == nil {
		return ""
	}
	r, ok := f.Under(c)
	if !ok {
		return "never"
	}
	return diff.RedactionWords(r)
}

// consentWords names a consent level by its strongest agreements.
func consentWords(p *model.Product, c impl.Consent) string {
	var names []string
	for _, a := range model.Strongest(c) {
		names = append(names, "the "+p.AgreementTitle(a))
	}
	if len(names) == 0 {
		return "no agreement"
	}
	return strings.Join(names, " and ")
}

func agreement(p *model.Product, id string) Agreement {
	return Agreement{ID: id, Title: p.AgreementTitle(id)}
}

// agreementWords is "Title (ID)".
func agreementWords(p *model.Product, id string) string {
	if t := p.AgreementTitle(id); t != id {
		return t + " (" + id + ")"
	}
	return id
}

// purposeLabels words purpose IDs as p's policy declares them.
func purposeLabels(p *model.Product, ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		label := id
		if p.Policy != nil {
			if d := p.Policy.Purpose(id); d != nil && d.GetLabel() != "" {
				label = d.GetLabel() + " (" + id + ")"
			}
		}
		out = append(out, label)
	}
	return out
}

// countries names storage countries with their codes.
func countries(codes []string) []string {
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		if n := country.Name(c, "en"); n != c {
			out = append(out, n+" ("+c+")")
			continue
		}
		out = append(out, c)
	}
	return out
}

// field finds the field at path in s, or nil.
func field(s *model.Scenario, path string) *model.Field {
	var out *model.Field
	s.Walk(func(f *model.Field) bool {
		if f.Path == path {
			out = f
			return false
		}
		return true
	})
	return out
}

// statements turns claims into statements with their provenance.
func statements(cs []model.Claim) []Statement {
	out := make([]Statement, 0, len(cs))
	for _, c := range cs {
		out = append(out, Statement{
			About:      c.Statement,
			Text:       c.Text,
			Quote:      c.Basis.GetQuote().GetText(),
			Source:     c.Basis.GetQuote().GetSource(),
			Assessment: c.Basis.GetAssessment(),
		})
	}
	return out
}

// agreementStatements adds to sc the statements of its product about
// every agreement sc or its items name: where the agreement comes from,
// what it implies, its legal basis.
func agreementStatements(sc *Scenario, head *model.Catalog) {
	s, ok := head.Scenario(sc.ID)
	if !ok {
		return
	}
	ids := []string{s.Agreement}
	for _, it := range sc.Items {
		if f := field(s, it.Field); it.Field != "" && f != nil {
			ids = append(ids, f.Requires())
		}
	}
	for _, c := range s.Product.Claims() {
		for _, id := range ids {
			if strings.HasPrefix(c.Statement, "agreement \""+id+"\" ") {
				st := statements([]model.Claim{c})[0]
				if !slices.ContainsFunc(sc.Statements, func(x Statement) bool { return x == st }) {
					sc.Statements = append(sc.Statements, st)
				}
				break
			}
		}
	}
}

// Relocate rewrites the file of every Where of r with file, which maps a
// file as the catalog names it (relative to its import path) to the path
// its reader knows (relative to the repository, as buf prints it).
func (r *Request) Relocate(file func(string) string) {
	where := func(w string) string {
		if w == "" {
			return w
		}
		name, rest, _ := strings.Cut(w, ":")
		if rest == "" {
			return file(name)
		}
		return file(name) + ":" + rest
	}
	for i := range r.Sections {
		for j := range r.Sections[i].Products {
			p := &r.Sections[i].Products[j]
			for k := range p.Items {
				p.Items[k].Where = where(p.Items[k].Where)
			}
			for k := range p.Scenarios {
				sc := &p.Scenarios[k]
				sc.Where = where(sc.Where)
				for l := range sc.Items {
					sc.Items[l].Where = where(sc.Items[l].Where)
				}
			}
		}
	}
}
