package docs

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/model"
)

// The data map (JSON) and the record of processing (CSV) are for
// machines and compliance teams: enum values by name beside their
// labels, every consent level spelt out.

type dataMap struct {
	Generator string         `json:"generator"`
	Language  string         `json:"language"`
	Products  []dmProduct    `json:"products"`
	Levels    []dmConsentRef `json:"consent_levels"`
}

type dmConsentRef struct {
	Agreements []string `json:"agreements"`
	Label      string   `json:"label"`
}

type dmProduct struct {
	ID        string       `json:"id"`
	Name      string       `json:"name"`
	Region    string       `json:"region"`
	Segment   string       `json:"segment"`
	Page      string       `json:"page"`
	Sources   []string     `json:"sources"`
	Scenarios []dmScenario `json:"scenarios"`
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
}

type dmUnpublished struct {
	Heading string `json:"heading"`
	Pointer string `json:"pointer"`
}

type dmItem struct {
	Path            string   `json:"path"`
	Field           string   `json:"field"`
	Label           string   `json:"label"`
	Category        string   `json:"category"`
	Identifiability string   `json:"identifiability"`
	Requires        string   `json:"requires"`
	Purposes        []string `json:"purposes"`
	Redaction       string   `json:"redaction"`
	Treatment       string   `json:"treatment"`
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

func names[E interface{ String() string }](xs []E) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = x.String()
	}
	return out
}

// dataMapJSON builds the data map of the catalog.
func dataMapJSON(l *localizer, c *model.Catalog) ([]byte, error) {
	m := dataMap{Generator: generatorName, Language: l.lang, Products: []dmProduct{}}
	for _, c := range model.ConsentLevels() {
		m.Levels = append(m.Levels, dmConsentRef{Agreements: names(c.Agreements()), Label: consentName(l, c)})
	}
	for _, p := range c.Products {
		dp := dmProduct{
			ID: p.ID, Name: l.T("product."+p.ID+".name", p.Name),
			Region: p.Options.GetRegion().String(), Segment: p.Options.GetSegment().String(),
			Page: l.lang + "/" + pageName(p) + ".md", Sources: []string{}, Scenarios: []dmScenario{},
		}
		for _, s := range p.Options.GetSources() {
			dp.Sources = append(dp.Sources, citation(l, s))
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
	basis := model.AgreementTerms(s.Agreement).GetLegalBasis()
	ds := dmScenario{
		ID: s.ID, Title: l.T(key+".title", o.GetTitle()), Message: string(s.Message.FullName()),
		Anchor:    l.lang + "/" + pageName(s.Product) + ".md#" + s.ID,
		Agreement: s.Agreement.String(), AgreementLabel: l.Enum(s.Agreement),
		LegalBasis: basis.String(), LegalBasisLabel: l.Enum(basis),
		Local:     s.Agreement == provisionv1.Agreement_AGREEMENT_NONE,
		DefaultOn: o.GetDefaultOn(),
		Purposes:  names(s.Purposes), Recipient: recipientOf(l, s),
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
		ds.Unpublished = append(ds.Unpublished, dmUnpublished{l.T(k+".heading", u.GetHeading()), l.T(k+".pointer", u.GetPointer())})
	}
	s.Walk(func(f *model.Field) bool {
		ds.Items = append(ds.Items, dmItem{
			Path: f.Path, Field: string(f.Desc.FullName()), Label: label(l, f),
			Category: f.Category().String(), Identifiability: f.Identifiability().String(),
			Requires: f.Requires().String(), Purposes: names(f.Purposes),
			Redaction: f.DescribeRedactions(), Treatment: itemTreatment(l, f),
		})
		return true
	})
	for _, c := range model.ConsentLevels() {
		lv := dmLevel{Agreements: names(c.Agreements()), Sent: []dmSent{}}
		for _, sn := range s.Transmitted(c) {
			lv.Sent = append(lv.Sent, dmSent{Path: sn.Field.Path, Redaction: model.DescribeRedaction(sn.Redaction), Treatment: treatment(l, sn.Redaction)})
		}
		ds.ConsentLevels = append(ds.ConsentLevels, lv)
	}
	return ds
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
}

// subjects words the data subjects by customer segment.
var subjects = map[provisionv1.Segment]string{
	provisionv1.Segment_SEGMENT_B2B:      "Users of the business customer's computers and virtual machines on which the application is installed",
	provisionv1.Segment_SEGMENT_CONSUMER: "Users of the computer on which the application is installed",
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
		if s.Agreement == provisionv1.Agreement_AGREEMENT_NONE {
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
	subject := l.T("record.subjects."+p.Options.GetSegment().String(), subjects[p.Options.GetSegment()])
	base := func(category, items, ident string) []string {
		return csvCells(
			controller, l.T("product."+p.ID+".name", p.Name), l.Enum(p.Options.GetRegion()),
			l.T(key+".title", o.GetTitle()), s.ID, purposes(l, s.Purposes), subject,
			category, items, ident, recipientOf(l, s), countries(l, h.GetStorageCountries()), l.Enum(h.GetTransport()),
			l.T(handlingKey(s, "retention"), h.GetRetention().GetText()),
			l.Enum(model.AgreementTerms(s.Agreement).GetLegalBasis()), l.Enum(s.Agreement), optOut(l, s), sourceOf(l, s),
		)
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
			items = append(items, label(l, f))
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
