package docs

import (
	"fmt"
	"strings"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/provisionhq/provision/internal/country"
	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
)

// The views below hold a page's content already worded in one language;
// the Markdown and HTML renderers only lay them out, so both say the same.

// pageView is the page of one product and region.
type pageView struct {
	Lang    string
	Name    string // file name without extension: "acme-notes_eu"
	Title   string
	Facts   []fact
	Sources []string
	// ProvenanceNote explains how the page marks where its statements
	// come from.
	ProvenanceNote string
	Notes          []string
	Contents       string // heading of the table of contents
	Scenarios      []scenarioView
	Policy         policyView
	L              phrases
	// ConsentLegend explains the product's consent levels, once for
	// every table of the page.
	ConsentLegend string
	// Treatments defines, once for the page, each treatment its tables
	// name.
	Treatments []treatmentEntry
	// Sends reports whether any scenario of the page sends data: only
	// then does the page explain its tables.
	Sends bool
	// Agreements are the agreements the product declares, under the
	// heading AgreementsHeading.
	Agreements        []agreementView
	AgreementsHeading string
	// Versions lists the product's changelogs, under the heading and
	// intro of VersionWords.
	Versions     []versionView
	VersionWords versionPhrases
}

// phrases are the fixed words of a page's layout.
type phrases struct {
	Item, Identifiability, Reading, Treatments                                 string
	Details, Index, Language, Generated, StaysLocal                            string
	Anonymisation, Goals, PolicyNotes, PolicySource, Products, DataMap, Record string
	Changelogs, ComplianceFiles, PolicyPurposes, Policies                      string
}

// fact is one term of a description list.
type fact struct{ Term, Value string }

// scenarioView is one scenario of a page: its table (a row per item, a
// column per group of consent levels that sends something; none for a
// scenario whose data stays on the computer), the items whose purposes
// are not the scenario's, the levels under which nothing is sent, and
// its facts.
type scenarioView struct {
	ID           string
	Title        string
	Lead         string
	Local        bool
	Columns      []columnView
	Rows         []rowView
	ItemPurposes []string
	NothingSent  string // the levels under which nothing is sent, as a sentence
	Facts        []fact
}

// Span is the number of columns of the scenario's table.
func (s scenarioView) Span() int { return 2 + len(s.Columns) }

// policyView is a company policy: its own page, and the link to it on
// the page of every product that follows it.
type policyView struct {
	Lang string
	Name string // file name without extension: "policy-acme"
	L    phrases
	// ProvenanceNote explains how the page marks where its statements
	// come from.
	ProvenanceNote string
	Title          string
	// Follows says on a product's page that the product follows the
	// policy, whose page has the rest.
	Follows       string
	Goals         []string
	Purposes      []string
	Anonymisation []string
	Promises      []string
	Notes         []string
	Source        string
}

// indexView is a language's list of products.
type indexView struct {
	Lang   string
	Record string // the record of processing in the index's language

	Title    string
	Intro    string
	Products []indexEntry
	// Policies are the company policies, each on its own page.
	Policies []fact // Term: page name, Value: title
	L        phrases
}

type indexEntry struct {
	Name, Page, Region, Segment string
	Scenarios                   []fact // Term: anchor (scenario ID), Value: title
	Versions                    []versionView
}

// hasVersions reports whether any product of the index has a changelog.
func (v indexView) hasVersions() bool {
	for _, p := range v.Products {
		if len(p.Versions) > 0 {
			return true
		}
	}
	return false
}

// HasVersions is hasVersions for the site's template.
func (v indexView) HasVersions() bool { return v.hasVersions() }

// pageName is the file name, without extension, of a product's page:
// product ID and region ("acme-notes_eu").
func pageName(p *model.Product) string {
	r := strings.TrimPrefix(p.Options.GetRegion().String(), "REGION_")
	return p.ID + "_" + strings.ReplaceAll(strings.ToLower(r), "_", "-")
}

func layoutPhrases(l *localizer) phrases {
	return phrases{
		Item:            l.T("phrase.item", "Information"),
		Identifiability: l.T("phrase.identifiability", "Identifiability"),
		Reading:         l.T("phrase.reading", "How to read the tables"),
		Treatments:      l.T("phrase.treatments", "How the information is treated before it leaves the computer"),
		Details:         l.T("phrase.details", "Agreement, purposes, storage and how to opt out"),
		Index:           l.T("phrase.index", "All products"),
		Language:        l.T("phrase.language", "Language"),
		Generated:       l.T("phrase.generated", "Generated by provision from the data-provision schemas of this catalog. Software built from the same schemas sends exactly what they allow, treated as they say; whether the vendor's applications are built from them, the sources do not say."),
		StaysLocal:      l.T("phrase.stays-local", "Nothing in these schemas sends this data."),
		Anonymisation:   l.T("phrase.anonymisation", "Anonymisation measures"),
		Goals:           l.T("phrase.goals", "Main goals of data processing"),
		PolicyPurposes:  l.T("phrase.policy-purposes", "Purposes of processing and the goal each serves"),
		PolicyNotes:     l.T("phrase.policy-notes", "Further statements"),
		PolicySource:    l.T("phrase.source", "Source"),
		Products:        l.T("phrase.products", "Products"),
		Changelogs:      l.T("phrase.changelogs", "What changed between versions"),
		Policies:        l.T("phrase.policies", "Company policies"),
		ComplianceFiles: l.T("phrase.compliance-files", "Data map and record of processing"),
		DataMap:         l.T("phrase.data-map", "Data map (JSON)"),
		Record:          l.T("phrase.record", "Record of processing activities, GDPR Art. 30 (CSV)"),
	}
}

// buildPage words the page of product p.
func buildPage(l *localizer, p *model.Product, cls []Changelog) pageView {
	o := p.Options
	v := pageView{
		Lang:  l.lang,
		Name:  pageName(p),
		Title: pageTitle(l, p),
		Facts: []fact{
			{l.T("phrase.region", "Region"), l.sourced(productSources(p), "product."+p.ID+".region_basis", l.Enum(o.GetRegion()), o.GetRegionBasis())},
			{l.T("phrase.segment", "Customers"), l.sourced(productSources(p), "product."+p.ID+".segment_basis", l.Enum(o.GetSegment()), o.GetSegmentBasis())},
		},
		ProvenanceNote: provenanceNote(l),
		Contents:       l.T("phrase.contents", "Scenarios"),
		L:              layoutPhrases(l),
		ConsentLegend:  consentLegend(l, p),
	}
	if ver := o.GetVersion(); ver != "" {
		v.Facts = append(v.Facts, fact{l.T("phrase.version", "Version"), ver})
	}
	if nb := o.GetNameBasis(); nb != nil {
		v.Facts = append(v.Facts, fact{l.T("phrase.name-basis", "Name"), l.provenance(p, "product."+p.ID+".name_basis", nb)})
	}
	for _, s := range o.GetSources() {
		v.Sources = append(v.Sources, citation(l, s))
	}
	v.Notes = l.statements(productSources(p), "product."+p.ID+".statement", o.GetStatements())
	var lg legend
	for _, s := range p.Scenarios {
		v.Scenarios = append(v.Scenarios, buildScenario(l, s, &lg))
		v.Sends = v.Sends || !s.Local()
	}
	v.Treatments = lg.Entries
	v.Agreements = buildAgreements(l, p)
	v.AgreementsHeading = l.T("phrase.agreements", "Agreements")
	v.Policy = policyLink(l, p.Policy)
	v.VersionWords = newVersionPhrases(l)
	v.Versions = buildVersions(v.VersionWords, p, cls)
	return v
}

// productName is the name of product p in l's language.
func productName(l *localizer, p *model.Product) string {
	return l.T("product."+p.ID+".name", p.Name)
}

// pageTitle is the title of the page of product p.
func pageTitle(l *localizer, p *model.Product) string {
	return l.F("phrase.page-title", "About data provision: {product}", "product", productName(l, p))
}

// citation words a source: title, article ID, date.
func citation(l *localizer, s *provisionv1.Source) string {
	parts := []string{l.F("phrase.quoted", "“{title}”", "title", s.GetTitle())}
	if id := s.GetArticleId(); id != "" {
		parts = append(parts, l.F("phrase.article-id", "article ID {id}", "id", id))
	}
	if d := s.GetDate(); d != "" {
		parts = append(parts, date(l, d))
	}
	return strings.Join(parts, ", ")
}

// date words a YYYY-MM-DD date ("January 10, 2024").
func date(l *localizer, d string) string {
	var y, m, day int
	if _, err := fmt.Sscanf(d, "%4d-%2d-%2d", &y, &m, &day); err != nil || m < 1 || m > 12 {
		return d
	}
	months := [...]string{"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"}
	return l.F("phrase.date", "{month} {day}, {year}", "month", l.T(fmt.Sprintf("month.%02d", m), months[m-1]),
		"day", fmt.Sprint(day), "year", fmt.Sprint(y))
}

// buildScenario words scenario s; the treatments its table names are
// added to the page's legend lg.
func buildScenario(l *localizer, s *model.Scenario, lg *legend) scenarioView {
	o := s.Options
	key := "scenario." + s.ID
	recipient := recipientOf(l, s)
	v := scenarioView{
		ID:    s.ID,
		Title: l.T(key+".title", o.GetTitle()),
		Lead:  l.agreementLead(s.Product, s.Agreement, recipient),
		Local: s.Local(),
	}
	if v.Local {
		v.Rows = tableRows(l, s, func(*model.Field) []cellView { return nil }, nil)
	} else {
		v.Columns, v.Rows, v.NothingSent = buildTable(l, s, lg)
		v.ItemPurposes = itemPurposes(l, s)
	}
	v.Facts = scenarioFacts(l, s, recipient)
	return v
}

func label(l *localizer, f *model.Field) string {
	return l.T("field."+string(f.Desc.FullName()), f.Label())
}

// depth is how deep f stands in a list: one level per enclosing item,
// and one more per set of alternatives it or an enclosing item belongs
// to, which stand under their "one of" heading.
func depth(f *model.Field) int {
	d := 0
	for p := f; p != nil; p = p.Parent {
		if p != f {
			d++
		}
		if alternativeOf(p) != nil {
			d++
		}
	}
	return d
}

// alternativeOf returns the oneof f is one member of, or nil. A synthetic
// oneof (a proto3 optional field) holds no alternatives.
func alternativeOf(f *model.Field) protoreflect.OneofDescriptor {
	if o := f.Desc.ContainingOneof(); o != nil && !o.IsSynthetic() {
		return o
	}
	return nil
}

// alternatives remembers the sets of alternatives a list has headed: each
// set is headed once, before the first of its members the list shows.
type alternatives map[string]bool

// opens reports whether f is the first member of its set of alternatives
// in the list, and the depth of the set's heading.
func (a alternatives) opens(f *model.Field) (bool, int) {
	o := alternativeOf(f)
	if o == nil {
		return false, 0
	}
	key := string(o.FullName())
	if f.Parent != nil {
		key = f.Parent.Path + "/" + key
	}
	if a[key] {
		return false, 0
	}
	a[key] = true
	return true, depth(f) - 1
}

// oneOf is the heading of a set of alternatives.
func oneOf(l *localizer) string {
	return l.T("phrase.one-of", "One of the following, depending on the case:")
}

// itemTreatment words a field's redaction and its overrides under
// stronger agreements.
func itemTreatment(l *localizer, f *model.Field) string {
	if f.Requires() == impl.AgreementNone {
		return l.T("treatment.local", "kept on the computer; these schemas never send it")
	}
	parts := []string{sentTreatment(l, f, f.Redaction())}
	for _, u := range f.Item.GetRedactionUnder() {
		parts = append(parts, l.F("treatment.under", "with the {agreement}: {treatment}",
			"agreement", l.agreementTitle(f.Scenario.Product, u.GetWhen()), "treatment", sentTreatment(l, f, u.GetRedaction())))
	}
	return strings.Join(parts, "; ")
}

// sentTreatment words what is done to an item sent with redaction r: a
// message item kept as it is is sent as its items are.
func sentTreatment(l *localizer, f *model.Field, r *provisionv1.Redaction) string {
	if f.IsMessage() && r.GetKeep() != nil {
		return l.T("treatment.group", "made of the items below, each treated as stated")
	}
	words := treatment(l, r)
	if from, to, ok := redactExample(f, r); ok {
		words = l.F("treatment.example", "{treatment} (for example, {from} is sent as {to})",
			"treatment", words, "from", from, "to", to)
	}
	return words
}

// purposes words purposes of policy pol with the goals they serve.
func purposes(l *localizer, pol *model.Policy, ps []string) string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = l.F("phrase.purpose-goal", "{purpose} (goal {goal})", "purpose", l.purpose(pol, p), "goal", l.goal(pol, pol.Purpose(p).GetGoal()))
	}
	return strings.Join(out, "; ")
}

func scenarioFacts(l *localizer, s *model.Scenario, recipient string) []fact {
	o, h := s.Options, s.Handling
	key := "scenario." + s.ID
	var fs []fact
	add := func(term, value string) {
		if value != "" {
			fs = append(fs, fact{term, value})
		}
	}
	srcs := scenarioSources(s)
	sourced := func(part, value string, pv *provisionv1.Provenance) string {
		if value == "" {
			return ""
		}
		return l.sourced(srcs, key+"."+part+"_basis", value, pv)
	}
	add(l.T("phrase.when", "When"), sourced("trigger", l.T(key+".trigger", o.GetTrigger()), o.GetTriggerBasis()))
	if f := o.GetFrequency(); f != provisionv1.Frequency_FREQUENCY_UNSPECIFIED {
		add(l.T("phrase.frequency", "How often"), sourced("frequency", l.Enum(f), o.GetFrequencyBasis()))
	}
	add(l.T("phrase.agreement", "Agreement"), agreementFact(l, s))
	if o.GetDefaultOn() {
		add(l.T("phrase.default", "Default"), sourced("default_on", l.T("phrase.default-on", "used by default unless you turn it off"), o.GetDefaultOnBasis()))
	}
	add(l.T("phrase.purposes", "Purposes"), sourced("purposes", purposes(l, s.Product.Policy, s.Purposes), o.GetPurposesBasis()))
	add(l.T("phrase.recipient", "Recipient"), sourced("recipient", recipient, o.GetRecipientBasis()))
	if oo := o.GetOptOut(); oo != nil {
		text := sourced("opt_out", l.T(key+".opt_out", oo.GetText()), oo.GetBasis())
		add(l.T("phrase.opt-out", "How to opt out"), l.F("phrase.opt-out-value", "{kind}: {text}", "kind", l.Enum(oo.GetKind()), "text", text))
	}
	if len(h.GetStorageCountries()) > 0 || h.GetStorageNote() != "" {
		storage := countries(l, h.GetStorageCountries())
		if n := h.GetStorageNote(); n != "" {
			storage = strings.TrimSpace(storage + ". " + l.T(handlingKey(s, "storage_note"), n))
		}
		add(l.T("phrase.storage", "Storage locations"), l.sourced(srcs, handlingKey(s, "storage_basis"), storage, h.GetStorageBasis()))
	}
	if r := h.GetRetention().GetText(); r != "" {
		add(l.T("phrase.retention", "Retention"), l.sourced(srcs, handlingKey(s, "retention_basis"), l.T(handlingKey(s, "retention"), r), h.GetRetention().GetBasis()))
	}
	if t := h.GetTransport(); t != provisionv1.Transport_TRANSPORT_UNSPECIFIED {
		add(l.T("phrase.transport", "Transport"), l.sourced(srcs, handlingKey(s, "transport_basis"), l.Enum(t), h.GetTransportBasis()))
	}
	add(l.T("phrase.source", "Source"), sourceOf(l, s))
	for _, st := range l.statements(srcs, key+".statement", o.GetStatements()) {
		add(l.T("phrase.note", "Note"), st)
	}
	return append(fs, lifecycleFacts(l, s)...)
}

// handlingKey is the translation key of a handling text or of its
// provenance: the scenario's own when it states one, the policy's
// otherwise.
func handlingKey(s *model.Scenario, part string) string {
	own := s.Options.GetHandling()
	switch {
	case (part == "storage_note" || part == "storage_basis") && model.StatesStorage(own),
		(part == "retention" || part == "retention_basis") && own.GetRetention() != nil,
		part == "transport_basis" && own.GetTransport() != provisionv1.Transport_TRANSPORT_UNSPECIFIED:
		return "scenario." + s.ID + "." + part
	}
	return "policy." + s.Product.Policy.ID + "." + part
}

func countries(l *localizer, codes []string) string {
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = country.Name(c, l.lang)
	}
	return strings.Join(names, ", ")
}

// consentNames are the short names of the agreements consent c holds
// that no other of its agreements implies; "no agreement" when it holds
// none.
func consentNames(l *localizer, p *model.Product, c impl.Consent) []string {
	var names []string
	for _, a := range model.Strongest(c) {
		names = append(names, l.agreementShort(p, a))
	}
	if len(names) == 0 {
		return []string{l.T("consent.none", "no agreement")}
	}
	return names
}

// consentName words a consent for machines' readers ("activation code
// + cloud standard mode").
func consentName(l *localizer, p *model.Product, c impl.Consent) string {
	return strings.Join(consentNames(l, p, c), " + ")
}

// policyPageName is the file name of policy p's page, without extension.
func policyPageName(p *model.Policy) string { return "policy-" + p.ID }

// policyLink is what a product page and the index need of policy p: its
// page, its title and the sentence that leads to it; the zero view for a
// product without a policy.
func policyLink(l *localizer, p *model.Policy) policyView {
	if p == nil {
		return policyView{}
	}
	return policyView{
		Name:    policyPageName(p),
		Title:   l.F("phrase.policy-title", "Data-processing policy of {organisation}", "organisation", p.Options.GetOrganisation()),
		Follows: l.T("phrase.policy-follows", "The product follows this company-wide policy: its goals and purposes of processing, its anonymisation measures and what it says of storage, security, sharing and your choices are on its own page."),
	}
}

// buildPolicy words policy p's own page.
func buildPolicy(l *localizer, p *model.Policy) policyView {
	if p == nil {
		return policyView{}
	}
	o := p.Options
	key := "policy." + p.ID
	v := policyLink(l, p)
	v.Lang, v.L, v.ProvenanceNote = l.lang, layoutPhrases(l), provenanceNote(l)
	srcs := policySources(p)
	for _, g := range o.GetGoals() {
		v.Goals = append(v.Goals, l.sourced(srcs, "goal."+p.ID+"."+g.GetId()+".basis", l.goal(p, g.GetId()), g.GetBasis()))
	}
	for _, d := range o.GetPurposes() {
		value := l.F("phrase.purpose-goal", "{purpose} (goal {goal})", "purpose", l.purpose(p, d.GetId()), "goal", l.goal(p, d.GetGoal()))
		v.Purposes = append(v.Purposes, l.sourced(srcs, "purpose."+p.ID+"."+d.GetId()+".basis", value, d.GetBasis()))
	}
	v.Anonymisation = l.statements(srcs, key+".anonymisation_measure", o.GetAnonymisationMeasures())
	if o.GetSpecialCategoriesNeverProcessed() {
		v.Promises = append(v.Promises, l.sourced(srcs, key+".special_categories_basis", l.T("phrase.no-special", "Special categories of personal data (GDPR Art. 9: religion, political views, health, sexual orientation and the like) are never processed."), o.GetSpecialCategoriesBasis()))
	}
	if o.GetExcessiveDataNeverCollected() {
		v.Promises = append(v.Promises, l.sourced(srcs, key+".excessive_data_basis", l.T("phrase.no-excess", "No excessive data is collected: the data processed always corresponds to the purposes."), o.GetExcessiveDataBasis()))
	}
	v.Notes = l.statements(srcs, key+".statement", o.GetStatements())
	if src := o.GetSource(); src != nil {
		v.Source = citation(l, src)
	}
	return v
}

// buildIndex words a language's list of products.
func buildIndex(l *localizer, c *model.Catalog, changelogs []Changelog) indexView {
	v := indexView{
		Lang:   l.lang,
		Record: RecordPath(l.lang),
		Title:  l.T("phrase.index-title", "Data provision: what each product sends"),
		Intro:  l.T("phrase.index-intro", "For each product and region: the information sent in each scenario, under which agreement, for what purpose, where it is stored, how long it is kept and how to opt out."),
		L:      layoutPhrases(l),
	}
	for _, p := range c.Products {
		e := indexEntry{
			Name:    productName(l, p),
			Page:    pageName(p),
			Region:  l.Enum(p.Options.GetRegion()),
			Segment: l.Enum(p.Options.GetSegment()),
		}
		for _, s := range p.Scenarios {
			e.Scenarios = append(e.Scenarios, fact{s.ID, l.T("scenario."+s.ID+".title", s.Options.GetTitle())})
		}
		e.Versions = buildVersions(newVersionPhrases(l), p, changelogs)
		v.Products = append(v.Products, e)
	}
	for _, pol := range c.Policies {
		v.Policies = append(v.Policies, fact{policyPageName(pol), policyLink(l, pol).Title})
	}
	return v
}

// recipientOf words who receives a scenario's data.
func recipientOf(l *localizer, s *model.Scenario) string {
	if r := s.Options.GetRecipient(); r != "" {
		return l.T("scenario."+s.ID+".recipient", r)
	}
	return ""
}

// optOut words how a customer avoids a scenario.
func optOut(l *localizer, s *model.Scenario) string {
	oo := s.Options.GetOptOut()
	if oo == nil {
		return ""
	}
	return l.F("phrase.opt-out-value", "{kind}: {text}",
		"kind", l.Enum(oo.GetKind()), "text", l.T("scenario."+s.ID+".opt_out", oo.GetText()))
}

// sourceOf cites the document a scenario is modelled on.
func sourceOf(l *localizer, s *model.Scenario) string {
	if src := s.Options.GetSource(); src != nil {
		return citation(l, src)
	}
	return ""
}

// unpublished words each item list the source refers to without giving
// it, and where it is, with where that is said.
func unpublished(l *localizer, s *model.Scenario) []string {
	var out []string
	for i, u := range s.Options.GetUnpublished() {
		k := fmt.Sprintf("scenario.%s.unpublished.%d", s.ID, i)
		heading := l.T(k+".heading", u.GetHeading())
		if u.GetPointer() == "" {
			out = append(out, l.F("phrase.unpublished-nowhere", "{heading}: the list is not published in this source, and the source does not say where it is.", "heading", heading))
			continue
		}
		pointer := l.sourced(scenarioSources(s), k+".pointer_basis", l.T(k+".pointer", u.GetPointer()), u.GetPointerBasis())
		out = append(out, l.F("phrase.unpublished-list",
			"{heading}: the list is not published in this source; it is in {pointer}.",
			"heading", heading, "pointer", pointer))
	}
	return out
}
