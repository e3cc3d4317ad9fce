package docs

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"google.golang.org/protobuf/reflect/protoreflect"
	"slices"
	"strings"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/model"
)

// The data map (JSON) and the record of processing (CSV) are for
// machines and compliance teams: enum values by name beside their
// labels, every consent level spelt out.

type dataMap struct {
	Generated string      `json:"generated"`
	Generator string      `json:"generator"`
	Language  string      `json:"language"`
	Policies  []dmPolicy  `json:"policies"`
	Products  []dmProduct `json:"products"`
}

// dmPolicy is a company policy, with where each of its statements comes
// from.
type dmPolicy struct {
	ID           string    `json:"id"`
	Organisation string    `json:"organisation"`
	Source       string    `json:"source"`
	Provenance   []dmClaim `json:"provenance"`
}

// dmClaim is one statement and where it comes from: a quote of a source
// (by its ref) or the maintainers' assessment with its reason.
type dmClaim struct {
	Statement  string `json:"statement"`
	Text       string `json:"text"`
	Quote      string `json:"quote,omitempty"`
	Source     string `json:"source,omitempty"`
	Assessment string `json:"assessment,omitempty"`
}

type dmConsentRef struct {
	Agreements []string `json:"agreements"`
	Label      string   `json:"label"`
}

type dmProduct struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Region  string   `json:"region"`
	Segment string   `json:"segment"`
	Page    string   `json:"page"`
	Sources []string `json:"sources"`
	// Agreements are the agreements the product declares.
	Agreements []dmAgreement `json:"agreements"`
	// Levels are the consent levels a run of the product can hold.
	Levels    []dmConsentRef `json:"consent_levels"`
	Scenarios []dmScenario   `json:"scenarios"`
	// Provenance says where each statement about the product (its
	// agreements' included) comes from.
	Provenance []dmClaim `json:"provenance"`
}

type dmAgreement struct {
	ID              string   `json:"id"`
	Title           string   `json:"title"`
	Implies         []string `json:"implies"`
	ImpliesBasis    string   `json:"implies_basis,omitempty"`
	LegalBasis      string   `json:"legal_basis,omitempty"`
	LegalBasisLabel string   `json:"legal_basis_label,omitempty"`
	LegalBasisBasis string   `json:"legal_basis_basis,omitempty"`
	DefaultOn       bool     `json:"default_on"`
	Origin          string   `json:"origin"`
}

type dmScenario struct {
	ID               string          `json:"id"`
	Title            string          `json:"title"`
	Message          string          `json:"message"`
	Anchor           string          `json:"anchor"`
	Agreement        string          `json:"agreement"`
	AgreementLabel   string          `json:"agreement_label"`
	LegalBasis       string          `json:"legal_basis"`
	LegalBasisLabel  string          `json:"legal_basis_label"`
	Local            bool            `json:"local_only"`
	DefaultOn        bool            `json:"default_on"`
	Purposes         []string        `json:"purposes"`
	Recipient        string          `json:"recipient"`
	StorageCountries []string        `json:"storage_countries"`
	Transport        string          `json:"transport"`
	OriginalsPeriod  string          `json:"retention_originals_period"`
	AggregatesKept   bool            `json:"retention_aggregates_indefinite"`
	Retention        string          `json:"retention"`
	OptOut           string          `json:"opt_out"`
	Source           string          `json:"source"`
	Unpublished      []dmUnpublished `json:"unpublished"`
	Items            []dmItem        `json:"items"`
	ConsentLevels    []dmLevel       `json:"consent_levels"`
	// Provenance says where each statement about the scenario comes
	// from, the storage, transport and retention it takes from its
	// policy included.
	Provenance []dmClaim `json:"provenance"`
	// Lifecycle is when the scenario expires, who owns it, its reviews
	// and its flags.
	Lifecycle dmLifecycle `json:"lifecycle"`
}

type dmUnpublished struct {
	Heading string `json:"heading"`
	Pointer string `json:"pointer"`
}

type dmItem struct {
	Path            string `json:"path"`
	Field           string `json:"field"`
	Label           string `json:"label"`
	Category        string `json:"category"`
	Identifiability string `json:"identifiability"`
	Requires        string `json:"requires"`
	// OneOf names the set of alternatives the item is a member of: of
	// its members, at most one is sent.
	OneOf     string   `json:"one_of,omitempty"`
	Purposes  []string `json:"purposes"`
	Redaction string   `json:"redaction"`
	Treatment string   `json:"treatment"`
	// LinkedToIdentity says the item is linked to a person's or a
	// customer's identity: it is not anonymous.
	LinkedToIdentity bool `json:"linked_to_identity"`
	// Expires is the item's expiry, its own or its scenario's.
	Expires string `json:"expires"`
	// Deprecated is why the item is phased out; empty when it is not.
	Deprecated string `json:"deprecated,omitempty"`
	// ContinuedBy is the field that continues a renamed item.
	ContinuedBy string `json:"continued_by,omitempty"`
	// Flags are the item's own flags, where they differ from its
	// scenario's.
	Flags *dmFlags `json:"flags,omitempty"`
}

type dmLevel struct {
	Agreements []string `json:"agreements"`
	Sent       []dmSent `json:"sent"`
}

type dmSent struct {
	Path      string `json:"path"`
	Redaction string `json:"redaction"`
	Treatment string `json:"treatment"`
}

// dataMapJSON builds the data map of the catalog.
func dataMapJSON(l *localizer, c *model.Catalog) ([]byte, error) {
	m := dataMap{Generated: "Code generated by " + generatedBy + ". DO NOT EDIT.", Generator: generatorName, Language: l.lang, Policies: []dmPolicy{}, Products: []dmProduct{}}
	for _, pol := range c.Policies {
		dp := dmPolicy{ID: pol.ID, Organisation: pol.Options.GetOrganisation(), Provenance: dataMapClaims(pol.Claims())}
		if src := pol.Options.GetSource(); src != nil {
			dp.Source = citation(l, src)
		}
		m.Policies = append(m.Policies, dp)
	}
	for _, p := range c.Products {
		dp := dmProduct{
			ID: p.ID, Name: productName(l, p),
			Region: p.Options.GetRegion().String(), Segment: p.Options.GetSegment().String(),
			Page: l.lang + "/" + pageName(p) + ".md", Sources: []string{}, Scenarios: []dmScenario{},
		}
		for _, s := range p.Options.GetSources() {
			dp.Sources = append(dp.Sources, citation(l, s))
		}
		dp.Agreements = dataMapAgreements(l, p)
		dp.Provenance = dataMapClaims(p.Claims())
		for _, c := range p.ConsentLevels() {
			dp.Levels = append(dp.Levels, dmConsentRef{Agreements: c.Agreements(), Label: consentName(l, p, c)})
		}
		for _, s := range p.Scenarios {
			dp.Scenarios = append(dp.Scenarios, dataMapScenario(l, s))
		}
		m.Products = append(m.Products, dp)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("docs: encode data map: %w", err)
	}
	return buf.Bytes(), nil
}

func dataMapScenario(l *localizer, s *model.Scenario) dmScenario {
	o, h := s.Options, s.Handling
	key := "scenario." + s.ID
	basis := s.Product.Agreement(s.Agreement).GetLegalBasis()
	ds := dmScenario{
		ID: s.ID, Title: l.T(key+".title", o.GetTitle()), Message: string(s.Message.FullName()),
		Anchor:    l.lang + "/" + pageName(s.Product) + ".md#" + s.ID,
		Agreement: s.Agreement, AgreementLabel: l.agreementTitle(s.Product, s.Agreement),
		LegalBasis: basis.String(), LegalBasisLabel: legalBasis(l, s),
		Local:     s.Local(),
		DefaultOn: o.GetDefaultOn(),
		Purposes:  s.Purposes, Recipient: recipientOf(l, s),
		StorageCountries: append([]string{}, h.GetStorageCountries()...),
		Transport:        h.GetTransport().String(),
		OriginalsPeriod:  h.GetRetention().GetOriginalsPeriod(),
		AggregatesKept:   h.GetRetention().GetAggregatesIndefinite(),
		Unpublished:      []dmUnpublished{}, Items: []dmItem{}, ConsentLevels: []dmLevel{},
	}
	if r := h.GetRetention().GetText(); r != "" {
		ds.Retention = l.T(handlingKey(s, "retention"), r)
	}
	ds.OptOut, ds.Source = optOut(l, s), sourceOf(l, s)
	for i, u := range o.GetUnpublished() {
		k := fmt.Sprintf("%s.unpublished.%d", key, i)
		pointer := u.GetPointer()
		if pointer != "" {
			// A source may not say where its list is: nothing to translate.
			pointer = l.T(k+".pointer", pointer)
		}
		ds.Unpublished = append(ds.Unpublished, dmUnpublished{l.T(k+".heading", u.GetHeading()), pointer})
	}
	s.Walk(func(f *model.Field) bool {
		ds.Items = append(ds.Items, dmItem{
			Path: f.Path, Field: string(f.Desc.FullName()), Label: label(l, f),
			Category: f.Category().String(), Identifiability: f.Identifiability().String(),
			OneOf: oneOfName(f), Requires: f.Requires(), Purposes: f.Purposes,
			Redaction: f.DescribeRedactions(), Treatment: itemTreatment(l, f),
			LinkedToIdentity: f.LinkedToIdentity(), Expires: expiryCode(f.Expires()),
			Flags: dataMapFlags(l, "field."+string(f.Desc.FullName())+".flags", f.Item.GetFlags()),
		})
		if d := f.Deprecated(); d != nil {
			it := &ds.Items[len(ds.Items)-1]
			it.Deprecated = l.T("field."+string(f.Desc.FullName())+".deprecated", d.GetReason())
			if d.ContinuedBy != nil {
				if next := f.Desc.ContainingMessage().Fields().ByNumber(protoreflect.FieldNumber(d.GetContinuedBy())); next != nil {
					it.ContinuedBy = string(next.Name())
				}
			}
		}
		return true
	})
	for _, c := range s.Product.ConsentLevels() {
		lv := dmLevel{Agreements: c.Agreements(), Sent: []dmSent{}}
		for _, sn := range s.Transmitted(c) {
			lv.Sent = append(lv.Sent, dmSent{Path: sn.Field.Path, Redaction: model.DescribeRedaction(sn.Redaction), Treatment: sentTreatment(l, sn.Field, sn.Redaction)})
		}
		ds.ConsentLevels = append(ds.ConsentLevels, lv)
	}
	ds.Provenance = dataMapClaims(s.StatedClaims())
	ds.Lifecycle = dataMapLifecycle(l, s)
	return ds
}

// dataMapClaims lists claims with where each comes from.
func dataMapClaims(cs []model.Claim) []dmClaim {
	out := []dmClaim{}
	for _, c := range cs {
		d := dmClaim{Statement: c.Statement, Text: c.Text, Assessment: c.Basis.GetAssessment()}
		if q := c.Quote(); q != nil {
			d.Quote, d.Source = q.GetText(), q.GetSource()
		}
		out = append(out, d)
	}
	return out
}

// recordHeader are the columns of the record of processing, after GDPR
// Art. 30(1)(a)–(g).
var recordHeader = []struct{ key, en string }{
	{"record.controller", "Controller"},
	{"record.product", "Product"},
	{"record.region", "Region"},
	{"record.activity", "Processing activity"},
	{"record.activity-id", "Activity ID"},
	{"record.purposes", "Purposes of the processing"},
	{"record.subjects", "Categories of data subjects"},
	{"record.category", "Category of data"},
	{"record.items", "Data items"},
	{"record.identifiability", "Identifiability"},
	{"record.recipients", "Recipients"},
	{"record.countries", "Storage countries"},
	{"record.safeguards", "Transfer safeguards"},
	{"record.retention", "Time limits for erasure"},
	{"record.legal-basis", "Legal basis"},
	{"record.agreement", "Agreement"},
	{"record.opt-out", "How to opt out"},
	{"record.source", "Source"},
	{"record.provenance", "Where the statements come from"},
	{"record.expires", "Expires"},
	{"record.owners", "Owners"},
	{"record.last-review", "Last review"},
	{"record.flags", "Flags"},
}

// subjects words the data subjects by customer segment, for a product
// that does not declare its own (Product.data_subjects).
var subjects = map[provisionv1.Segment]string{
	provisionv1.Segment_SEGMENT_B2B:      "Users of the business customer's computers on which the application is installed",
	provisionv1.Segment_SEGMENT_CONSUMER: "Users of the computer on which the application is installed",
}

// dataSubjects words the categories of data subjects of product p: those
// it declares, or the generic sentence for its segment.
func dataSubjects(l *localizer, p *model.Product) string {
	if d := p.Options.GetDataSubjects(); d != "" {
		return l.T("product."+p.ID+".data_subjects", d)
	}
	seg := p.Options.GetSegment()
	return l.T("record.subjects."+seg.String(), subjects[seg])
}

// recordCSV builds the record of processing: one row per transmitting
// scenario and category of data. Local-only scenarios are left out: no
// data of theirs reaches the controller. A scenario whose list is not
// published gets one row saying so.
func recordCSV(l *localizer, c *model.Catalog) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	row := make([]string, len(recordHeader))
	for i, h := range recordHeader {
		row[i] = l.T(h.key, h.en)
	}
	if err := w.Write(row); err != nil {
		return nil, fmt.Errorf("docs: record of processing: %w", err)
	}
	for _, s := range c.Scenarios() {
		if s.Local() {
			continue
		}
		for _, r := range recordRows(l, s) {
			if err := w.Write(r); err != nil {
				return nil, fmt.Errorf("docs: record of processing: %w", err)
			}
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("docs: record of processing: %w", err)
	}
	return buf.Bytes(), nil
}

func recordRows(l *localizer, s *model.Scenario) [][]string {
	o, h, p := s.Options, s.Handling, s.Product
	key := "scenario." + s.ID
	controller := ""
	if p.Policy != nil {
		controller = p.Policy.Options.GetOrganisation()
	}
	subject, provenance := dataSubjects(l, p), rowProvenance(l, s)
	lifecycle := recordLifecycle(l, s)
	base := func(category, items, ident string) []string {
		return csvCells(append([]string{
			controller, productName(l, p), l.Enum(p.Options.GetRegion()),
			l.T(key+".title", o.GetTitle()), s.ID, purposes(l, s.Product.Policy, s.Purposes), subject,
			category, items, ident, recipientOf(l, s), countries(l, h.GetStorageCountries()), l.Enum(h.GetTransport()),
			l.T(handlingKey(s, "retention"), h.GetRetention().GetText()),
			legalBasis(l, s), l.agreementTitle(p, s.Agreement), optOut(l, s), sourceOf(l, s),
			provenance,
		}, lifecycle...)...)
	}
	// Categories in order of first appearance; leaf items only, as the
	// items a message groups are listed themselves.
	var cats []provisionv1.Category
	byCat := map[provisionv1.Category][]*model.Field{}
	s.Walk(func(f *model.Field) bool {
		if f.IsMessage() {
			return true
		}
		if !slices.Contains(cats, f.Category()) {
			cats = append(cats, f.Category())
		}
		byCat[f.Category()] = append(byCat[f.Category()], f)
		return true
	})
	var rows [][]string
	for _, cat := range cats {
		var items, idents []string
		for _, f := range byCat[cat] {
			items = append(items, recordItem(l, f))
			if id := l.Enum(f.Identifiability()); !slices.Contains(idents, id) {
				idents = append(idents, id)
			}
		}
		rows = append(rows, base(l.Enum(cat), strings.Join(items, "; "), strings.Join(idents, "; ")))
	}
	if lists := unpublished(l, s); len(lists) > 0 {
		rows = append(rows, base(l.T("record.category-unpublished", "not published in this source"), strings.Join(lists, " "), ""))
	}
	return rows
}

// csvCells makes text safe as spreadsheet cells: a cell that a spreadsheet
// would read as a formula (starting with =, +, -, @, tab or carriage
// return) is prefixed with an apostrophe, so a label is shown, never
// evaluated.
func csvCells(cells ...string) []string {
	for i, c := range cells {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			cells[i] = "'" + c
		}
	}
	return cells
}

// dataMapAgreements lists the agreements product p declares, with where
// each implication and legal basis comes from.
func dataMapAgreements(l *localizer, p *model.Product) []dmAgreement {
	out := []dmAgreement{}
	for _, d := range p.Options.GetAgreements() {
		a := dmAgreement{
			ID: d.GetId(), Title: l.agreementTitle(p, d.GetId()), Implies: append([]string{}, d.GetImplies()...),
			ImpliesBasis: provenance(d.GetImpliesBasis()), DefaultOn: d.GetDefaultOn(), Origin: provenance(d.GetOrigin()),
		}
		if b := d.GetLegalBasis(); b != provisionv1.LegalBasis_LEGAL_BASIS_UNSPECIFIED {
			a.LegalBasis, a.LegalBasisLabel, a.LegalBasisBasis = b.String(), l.Enum(b), provenance(d.GetLegalBasisBasis())
		}
		out = append(out, a)
	}
	return out
}

// provenance says in the data map where a statement comes from: "quote:
// <source>" or "assessment".
func provenance(pv *provisionv1.Provenance) string {
	switch {
	case pv.GetQuote() != nil:
		return "quote: " + pv.GetQuote().GetSource()
	case pv.GetAssessment() != "":
		return "assessment"
	}
	return ""
}

// oneOfName is the name of the set of alternatives f belongs to, or "".
func oneOfName(f *model.Field) string {
	if o := alternativeOf(f); o != nil {
		return string(o.Name())
	}
	return ""
}

// recordItem words a leaf item for the record of processing: its label,
// marked when it or an enclosing item is one of a set of alternatives, of
// which at most one is sent.
func recordItem(l *localizer, f *model.Field) string {
	for p := f; p != nil; p = p.Parent {
		if alternativeOf(p) != nil {
			return l.F("record.alternative", "{item} (one of alternatives)", "item", label(l, f))
		}
	}
	return label(l, f)
}

// recordClaims are the statements of a scenario that columns of the record
// of processing print, by the claim's statement name.
var recordClaims = []struct{ statement, column string }{
	{"purposes", "record.purposes"},
	{"recipient", "record.recipients"},
	{"storage", "record.countries"},
	{"transport", "record.safeguards"},
	{"retention", "record.retention"},
	{"opt_out", "record.opt-out"},
}

// rowProvenance words, for a row of scenario s, which of the row's
// statements are in a source's words (and which source's) and which are
// the maintainers' assessment. Data subjects the product does not declare
// are the generator's generic sentence, stated by no source.
func rowProvenance(l *localizer, s *model.Scenario) string {
	column := func(key string) string {
		for _, h := range recordHeader {
			if h.key == key {
				return l.T(h.key, h.en)
			}
		}
		return key
	}
	var quoted, assessed, sources []string
	add := func(col string, pv *provisionv1.Provenance) {
		switch {
		case pv.GetQuote() != nil:
			quoted = append(quoted, col)
			for _, src := range scenarioSources(s) {
				if src.GetRef() == pv.GetQuote().GetSource() && !slices.Contains(sources, src.GetTitle()) {
					sources = append(sources, src.GetTitle())
				}
			}
		case pv.GetAssessment() != "":
			assessed = append(assessed, col)
		}
	}
	claims := s.StatedClaims()
	for _, rc := range recordClaims {
		for _, c := range claims {
			if c.Statement == rc.statement {
				add(column(rc.column), c.Basis)
			}
		}
	}
	p := s.Product
	if p.Options.GetDataSubjects() == "" {
		assessed = append(assessed, column("record.subjects"))
	} else {
		add(column("record.subjects"), p.Options.GetDataSubjectsBasis())
	}
	if d := p.Agreement(s.Agreement); d.GetLegalBasis() != provisionv1.LegalBasis_LEGAL_BASIS_UNSPECIFIED {
		add(column("record.legal-basis"), d.GetLegalBasisBasis())
	}
	var parts []string
	if len(quoted) > 0 {
		parts = append(parts, l.F("record.quoted", "In the words of {sources}: {columns}.", "sources", strings.Join(sources, "; "), "columns", strings.Join(quoted, ", ")))
	}
	if len(assessed) > 0 {
		parts = append(parts, l.F("record.assessed", "The maintainers' assessment: {columns}.", "columns", strings.Join(assessed, ", ")))
	}
	return strings.Join(parts, " ")
}
