// Package diff compares two versions of the catalog and says, per product
// and scenario, what changed in data provision: new products and
// scenarios, what is sent now and was not, what is no longer sent, items
// renamed, items moved to another agreement, redactions made weaker or
// stronger, identifiability raised or lowered, and changes of where and
// how long the data is kept. It is pure: two checked catalogs in, a list of changes
// out. The renderers print the list as plain text, Markdown and JSON; the
// buf breaking rules of buf-plugin-provision, provision diff
// -fail-on-breaking and the registry read the same list.
package diff

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/country"
	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
)

// Kind names one sort of change.
type Kind string

// The kinds of change Compare reports. FieldRenamed is a field with a
// new name that is the same item (see sameItem); the other changes of
// that field follow it, as for a field that kept its name.
const (
	ProductAdded           Kind = "product_added"
	ProductRemoved         Kind = "product_removed"
	ScenarioAdded          Kind = "scenario_added"
	ScenarioRemoved        Kind = "scenario_removed"
	ScenarioAgreement      Kind = "scenario_agreement_changed"
	StorageCountryAdded    Kind = "storage_country_added"
	StorageCountryRemoved  Kind = "storage_country_removed"
	HandlingChanged        Kind = "handling_changed"
	FieldAdded             Kind = "field_added"
	FieldRemoved           Kind = "field_removed"
	FieldRenamed           Kind = "field_renamed"
	NowSent                Kind = "now_sent"
	NoLongerSent           Kind = "no_longer_sent"
	AgreementChanged       Kind = "agreement_changed"
	RedactionChanged       Kind = "redaction_changed"
	IdentifiabilityChanged Kind = "identifiability_changed"
	LabelChanged           Kind = "label_changed"
	// CategoryChanged is a field filed under another category: what the
	// pages group it by and the record of processing lists. It gives no
	// less privacy by itself (identifiability says how far a field
	// identifies someone), but a reader of the pages sees it move.
	CategoryChanged Kind = "category_changed"
	PurposesChanged Kind = "purposes_changed"
	// ExpiryRenewed is a scenario or item sent for longer than before:
	// a later expiry date or product version, or no end at all.
	ExpiryRenewed Kind = "expiry_renewed"
	// AcknowledgementUnreviewed is no change of the data but of the
	// catalog's record: an acknowledgement, new in the new version, with
	// no review of its scenario since the old one. It follows the change
	// it acknowledges; changelogs for customers leave it out (Disclosed).
	AcknowledgementUnreviewed Kind = "acknowledgement_unreviewed"
)

// The IDs of the buf breaking rules that report weakening changes. A
// change whose Rule is one of these is a finding of buf breaking unless it
// is acknowledged.
const (
	RuleFieldAdded                = "FIELD_ADDED_TO_SCENARIO"
	RuleAgreementWeakened         = "FIELD_AGREEMENT_WEAKENED"
	RuleRedactionWeakened         = "REDACTION_WEAKENED"
	RuleIdentifiabilityRaised     = "IDENTIFIABILITY_RAISED"
	RuleStorageCountryAdded       = "STORAGE_COUNTRY_ADDED"
	RuleScenarioAgreementWeakened = "SCENARIO_AGREEMENT_WEAKENED"
	// RuleScenarioAdded reports a new scenario that sends data (any
	// agreement but NONE), anonymous items only included. Its
	// acknowledgement's reason must name the scenario's ID.
	RuleScenarioAdded = "SCENARIO_ADDED"
	// RuleProductAdded reports a new product with a scenario that sends
	// data; each such scenario is also a SCENARIO_ADDED finding. Its
	// acknowledgement, in the product's option, must name the product's
	// ID.
	RuleProductAdded = "PRODUCT_ADDED"
	// RuleExpiryRenewed reports a scenario or item whose expiry moved
	// later. It is not acknowledged: a review of the scenario recorded
	// since the version compared with (Change.Reviewed) allows it.
	RuleExpiryRenewed = "EXPIRY_RENEWED"
	// RuleAcknowledgementUnreviewed reports an acknowledgement, new in
	// the new version, of a change whose scenario records no review since
	// the old version (the review Change.Reviewed names). It cannot be
	// acknowledged itself: a review allows it.
	RuleAcknowledgementUnreviewed = "ACKNOWLEDGEMENT_UNREVIEWED"
)

// Change is one difference between two versions of the catalog.
type Change struct {
	Kind Kind `json:"kind"`
	// Product and ProductName identify the product.
	Product     string `json:"product"`
	ProductName string `json:"product_name"`
	// Scenario and Title identify the scenario; empty for a product-level
	// change.
	Scenario string `json:"scenario,omitempty"`
	Title    string `json:"title,omitempty"`
	// Field is the field path and Label its label (the new one, or the old
	// one for a removed field); empty for a scenario-level change.
	Field string `json:"field,omitempty"`
	Label string `json:"label,omitempty"`
	// OldField is the field's path in OLD where it differs from Field:
	// the field, or a message it is in, was renamed.
	OldField string `json:"old_field,omitempty"`
	// Old and New are the values before and after, in the stable short
	// form of the vocabulary (agreement names, DescribeRedaction, country
	// codes…), or a renamed field's old and new paths; empty where the
	// thing did not exist.
	Old string `json:"old,omitempty"`
	New string `json:"new,omitempty"`
	// Consent is the smallest consent under which the change shows, for a
	// redaction change.
	Consent string `json:"consent,omitempty"`
	// Text is the change in plain words.
	Text string `json:"text"`
	// Weaker says the change gives less privacy: more data sent, to more
	// consents, less redacted, more identifying, stored in more places.
	Weaker bool `json:"weaker"`
	// Rule is the ID of the buf breaking rule that reports the change, or
	// empty when none does.
	Rule string `json:"rule,omitempty"`
	// Acknowledged is the reason of the acknowledgement, new in the new
	// version, that names Rule; empty when there is none.
	Acknowledged string `json:"acknowledged,omitempty"`
	// Reviewed names the review of the scenario, new in the new version,
	// that a change rests on: its reference, date and reviewer. It allows
	// a change whose rule asks for a review rather than an
	// acknowledgement (EXPIRY_RENEWED), and an acknowledged change needs
	// one (ACKNOWLEDGEMENT_UNREVIEWED otherwise).
	Reviewed string `json:"reviewed,omitempty"`
	// ReviewFrom is, for such a change, the date of the newest review the
	// old version records: a review that allows the change is an entry
	// the old version does not have, dated on or after it. Empty when the
	// old version records none.
	ReviewFrom string `json:"review_from,omitempty"`
	// OldPos and NewPos are where the changed thing is declared in each
	// version (for a storage country added, where the country is
	// written); zero where it does not exist.
	OldPos model.Position `json:"-"`
	NewPos model.Position `json:"-"`
	// AckIn is the option in which an acknowledgement of Rule is written.
	AckIn AckTarget `json:"-"`
}

// AckTarget names the option that holds an acknowledgement.
type AckTarget int

// The options an acknowledgement can be written in.
const (
	// AckInScenario is the scenario's (provision.v1.scenario) option, or,
	// for a change of a field, the field's (provision.v1.field) option.
	AckInScenario AckTarget = iota
	// AckInProduct is the product's (provision.v1.product) option.
	AckInProduct
	// AckInPolicy is the policy's (provision.v1.policy) option: a storage
	// country of a scenario that takes the policy's storage.
	AckInPolicy
)

// Finding reports whether buf breaking reports the change: it has a rule,
// no acknowledgement and no review that allows it.
func (c Change) Finding() bool { return c.Rule != "" && c.Acknowledged == "" && c.Reviewed == "" }

// Compare lists the changes from old to new, products by ID, then
// scenarios by ID, then fields in the new declaration order (removed ones
// last, in the old order).
func Compare(old, new *model.Catalog) []Change {
	var out []Change
	for _, np := range new.Products {
		op, ok := old.Product(np.ID)
		if !ok {
			out = append(out, productAdded(np)...)
			continue
		}
		out = append(out, compareProducts(op, np)...)
	}
	for _, op := range old.Products {
		if _, ok := new.Product(op.ID); !ok {
			out = append(out, Change{Kind: ProductRemoved, Product: op.ID, ProductName: op.Name, OldPos: op.Pos,
				Text: "The product is no longer in the catalog."})
		}
	}
	slices.SortStableFunc(out, func(a, b Change) int { return cmp.Compare(a.Product, b.Product) })
	return reviewAcknowledgements(old, new, out)
}

// Filter returns the changes of the products named, or all when ids is
// empty.
func Filter(changes []Change, ids ...string) []Change {
	if len(ids) == 0 {
		return changes
	}
	var out []Change
	for _, c := range changes {
		if slices.Contains(ids, c.Product) {
			out = append(out, c)
		}
	}
	return out
}

// productAdded is the change of a new product, followed by the change of
// each of its scenarios. It is weaker, and a finding of PRODUCT_ADDED,
// when one of its scenarios sends data.
func productAdded(np *model.Product) []Change {
	c := Change{Kind: ProductAdded, Product: np.ID, ProductName: np.Name, NewPos: np.Pos,
		Text: fmt.Sprintf("New product with %s.", countScenarios(len(np.Scenarios)))}
	if slices.ContainsFunc(np.Scenarios, func(s *model.Scenario) bool { return !s.Local() }) {
		c.Weaker, c.Rule, c.AckIn = true, RuleProductAdded, AckInProduct
		c.Acknowledged = acknowledgedNaming(c.Rule, np.ID, np.Options.GetAcknowledged())
	}
	out := []Change{c}
	for _, ns := range np.Scenarios {
		out = append(out, scenarioAdded(Change{Product: np.ID, ProductName: np.Name, Scenario: ns.ID, Title: ns.Options.GetTitle()}, ns))
	}
	return out
}

// scenarioAdded is the change of a new scenario. One that sends data, even
// anonymous items only, is weaker and a finding of SCENARIO_ADDED; a
// local-only one (agreement NONE) is not.
func scenarioAdded(base Change, ns *model.Scenario) Change {
	c := base
	c.Kind, c.NewPos = ScenarioAdded, ns.Pos
	c.Text = "New scenario. " + sendsSentence(ns)
	if !ns.Local() {
		c.Weaker, c.Rule = true, RuleScenarioAdded
		c.Acknowledged = acknowledgedNaming(c.Rule, ns.ID, ns.Options.GetAcknowledged())
	}
	return c
}

func countScenarios(n int) string {
	if n == 1 {
		return "1 scenario"
	}
	return fmt.Sprintf("%d scenarios", n)
}

func compareProducts(op, np *model.Product) []Change {
	var out []Change
	oldScenarios := map[string]*model.Scenario{}
	for _, s := range op.Scenarios {
		oldScenarios[s.ID] = s
	}
	for _, ns := range np.Scenarios {
		base := Change{Product: np.ID, ProductName: np.Name, Scenario: ns.ID, Title: ns.Options.GetTitle()}
		os, ok := oldScenarios[ns.ID]
		if !ok {
			out = append(out, scenarioAdded(base, ns))
			continue
		}
		out = append(out, compareScenarios(base, os, ns)...)
	}
	for _, os := range op.Scenarios {
		if !slices.ContainsFunc(np.Scenarios, func(s *model.Scenario) bool { return s.ID == os.ID }) {
			out = append(out, Change{Kind: ScenarioRemoved, Product: np.ID, ProductName: np.Name, Scenario: os.ID,
				Title: os.Options.GetTitle(), OldPos: os.Pos, Text: "The scenario no longer exists: nothing is sent in it."})
		}
	}
	return out
}

// sendsSentence says what a new scenario sends.
func sendsSentence(s *model.Scenario) string {
	var labels []string
	s.Walk(func(f *model.Field) bool {
		if sentAnywhere(f) {
			labels = append(labels, f.Label())
		}
		return true
	})
	if len(labels) == 0 {
		return "It sends nothing."
	}
	return fmt.Sprintf("It sends (agreement: %s): %s.", agreementName(s.Product, s.Agreement), strings.Join(labels, "; "))
}

func compareScenarios(base Change, os, ns *model.Scenario) []Change {
	var out []Change
	add := func(c Change) {
		if c.NewPos == (model.Position{}) {
			c.NewPos = ns.Pos
		}
		if c.OldPos == (model.Position{}) {
			c.OldPos = os.Pos
		}
		out = append(out, c)
	}
	if os.Agreement != ns.Agreement {
		c := base
		c.Kind, c.Old, c.New = ScenarioAgreement, os.Agreement, ns.Agreement
		c.Weaker = !ns.Product.Agreements.Implies(ns.Agreement, os.Agreement)
		if c.Weaker {
			c.Rule = RuleScenarioAgreementWeakened
		}
		c.Text = fmt.Sprintf("Now happens with the %s; before, with the %s.", agreementName(ns.Product, ns.Agreement), agreementName(os.Product, os.Agreement))
		add(c)
	}
	oldC, newC := os.Handling.GetStorageCountries(), ns.Handling.GetStorageCountries()
	for _, cc := range newC {
		if !slices.Contains(oldC, cc) {
			c := base
			c.Kind, c.New, c.Weaker, c.Rule = StorageCountryAdded, cc, true, RuleStorageCountryAdded
			c.Text = fmt.Sprintf("The data is now also stored in %s.", countryName(cc))
			c.NewPos = ns.StorageCountryPos(cc)
			if ns.InheritsStorage() {
				c.AckIn = AckInPolicy
			}
			add(c)
		}
	}
	for _, cc := range oldC {
		if !slices.Contains(newC, cc) {
			c := base
			c.Kind, c.Old = StorageCountryRemoved, cc
			c.Text = fmt.Sprintf("The data is no longer stored in %s.", countryName(cc))
			add(c)
		}
	}
	for _, h := range handlingChanges(os, ns) {
		c := base
		c.Kind, c.Old, c.New, c.Text, c.Weaker = HandlingChanged, h.old, h.new, h.text, h.weaker
		add(c)
	}
	for i := range out {
		out[i].Acknowledged = acknowledged(out[i].Rule, os.Options.GetAcknowledged(), ns.Options.GetAcknowledged())
		if out[i].Kind == StorageCountryAdded && out[i].Acknowledged == "" && ns.InheritsStorage() {
			// A country of the policy's: the policy acknowledges it once
			// for every scenario that takes its storage.
			out[i].Acknowledged = acknowledged(out[i].Rule, policyAcks(os.Product), policyAcks(ns.Product))
		}
	}
	if c, ok := scenarioRenewed(base, os, ns); ok {
		add(c)
	}
	return append(out, compareFields(base, os, ns)...)
}

type handlingChange struct {
	old, new, text string
	weaker         bool
}

// handlingChanges compares the wording of what the pages print about a
// scenario: trigger, opt-out, frequency, recipient, retention, transport.
func handlingChanges(os, ns *model.Scenario) []handlingChange {
	var out []handlingChange
	text := func(what, o, n string) {
		if o != n {
			out = append(out, handlingChange{old: o, new: n, text: fmt.Sprintf("%s is now: %s (before: %s).", what, orNone(n), orNone(o))})
		}
	}
	oo, no := os.Options, ns.Options
	text("What makes the product send the data", oo.GetTrigger(), no.GetTrigger())
	text("How to avoid it", oo.GetOptOut().GetText(), no.GetOptOut().GetText())
	if oo.GetFrequency() != no.GetFrequency() {
		text("How often it is sent", model.EnumLabel(oo.GetFrequency()), model.EnumLabel(no.GetFrequency()))
	}
	text("Recipient", oo.GetRecipient(), no.GetRecipient())
	text("How long the data is kept", os.Handling.GetRetention().GetText(), ns.Handling.GetRetention().GetText())
	if ot, nt := os.Handling.GetTransport(), ns.Handling.GetTransport(); ot != nt {
		text("How the data travels", model.EnumLabel(ot), model.EnumLabel(nt))
		out[len(out)-1].weaker = ot == provisionv1.Transport_TRANSPORT_ENCRYPTED
	}
	if oo.GetDefaultOn() != no.GetDefaultOn() {
		state := map[bool]string{true: "on unless turned off", false: "off unless turned on"}
		text("The scenario is", state[oo.GetDefaultOn()], state[no.GetDefaultOn()])
		out[len(out)-1].weaker = no.GetDefaultOn()
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "not stated"
	}
	return s
}

// acknowledged returns the reason of the first acknowledgement in now that
// names rule and is not in before, or "".
func acknowledged(rule string, before, now []*provisionv1.Acknowledgement) string {
	if rule == "" {
		return ""
	}
	for _, a := range now {
		if a.GetRule() != rule {
			continue
		}
		if !slices.ContainsFunc(before, func(b *provisionv1.Acknowledgement) bool {
			return b.GetRule() == a.GetRule() && b.GetReason() == a.GetReason()
		}) {
			return a.GetReason()
		}
	}
	return ""
}

// acknowledgedNaming returns the reason of the first acknowledgement in
// now that names rule and whose reason names id (a scenario's or a
// product's), or "". There is no earlier version to hold it against, so
// naming the thing added is what keeps an acknowledgement copied with a
// template from covering it.
func acknowledgedNaming(rule, id string, now []*provisionv1.Acknowledgement) string {
	for _, a := range now {
		if a.GetRule() == rule && NamesID(a.GetReason(), id) {
			return a.GetReason()
		}
	}
	return ""
}

// NamesID reports whether text names id as a word of its own: not as a
// part of a longer ID ("acme.usage" does not name "acme.use", nor does
// "acme.usage-weekly" name "acme.usage").
func NamesID(text, id string) bool {
	if id == "" {
		return false
	}
	idChar := func(r byte) bool {
		return r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	for i := 0; ; {
		j := strings.Index(text[i:], id)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(id)
		before := start == 0 || !idChar(text[start-1]) && text[start-1] != '.'
		after := end == len(text) || !idChar(text[end]) && !(text[end] == '.' && end+1 < len(text) && idChar(text[end+1]))
		if before && after {
			return true
		}
		i = start + 1
	}
}

// policyAcks returns the acknowledgements of product p's policy.
func policyAcks(p *model.Product) []*provisionv1.Acknowledgement {
	if p == nil || p.Policy == nil {
		return nil
	}
	return p.Policy.Options.GetAcknowledged()
}

// matchFields pairs each field of the new version of a scenario with the
// field of the old version it continues, as a map from new to old; a
// field missing from it is new. Fields are paired level by level, the
// children of paired fields only with each other, in three passes: the
// same name and number; then a rename (sameItem: same number in the same
// message, same type, same label); then the same name under another
// number, as the diff compared fields before it knew numbers.
func matchFields(os, ns *model.Scenario) map[*model.Field]*model.Field {
	m := map[*model.Field]*model.Field{}
	var match func(olds, news []*model.Field)
	match = func(olds, news []*model.Field) {
		used := map[*model.Field]bool{}
		pass := func(same func(of, nf *model.Field) bool) {
			for _, nf := range news {
				if m[nf] != nil {
					continue
				}
				for _, of := range olds {
					if !used[of] && same(of, nf) {
						m[nf], used[of] = of, true
						break
					}
				}
			}
		}
		pass(func(of, nf *model.Field) bool {
			return of.Desc.Name() == nf.Desc.Name() && of.Desc.Number() == nf.Desc.Number()
		})
		pass(sameItem)
		pass(func(of, nf *model.Field) bool { return of.Desc.Name() == nf.Desc.Name() })
		for _, nf := range news {
			if of := m[nf]; of != nil {
				match(of.Children, nf.Children)
			}
		}
	}
	match(os.Fields, ns.Fields)
	return m
}

// sameItem reports whether nf, under another name, is the item of: the
// same field number of the same message (by full name), of the same type,
// with the same label. A number that now carries an item of another label
// is another item, not a rename: the old one is removed and the new one
// added, so that the new item is a finding of FIELD_ADDED_TO_SCENARIO like
// any other new item, and a number reused for new data cannot pass
// unreviewed as a rename.
func sameItem(of, nf *model.Field) bool {
	return of.Desc.Number() == nf.Desc.Number() &&
		of.Desc.ContainingMessage().FullName() == nf.Desc.ContainingMessage().FullName() &&
		sameType(of.Desc, nf.Desc) && of.Label() == nf.Label()
}

// sameType reports whether two fields have the same type: kind and
// cardinality, the full name of a message or enum type, and a map's key
// and value types (its entry message is named after the field, so a
// rename renames it).
func sameType(a, b protoreflect.FieldDescriptor) bool {
	if a.Kind() != b.Kind() || a.Cardinality() != b.Cardinality() || a.IsMap() != b.IsMap() {
		return false
	}
	switch {
	case a.IsMap():
		return sameType(a.MapKey(), b.MapKey()) && sameType(a.MapValue(), b.MapValue())
	case a.Kind() == protoreflect.MessageKind || a.Kind() == protoreflect.GroupKind:
		return a.Message().FullName() == b.Message().FullName()
	case a.Kind() == protoreflect.EnumKind:
		return a.Enum().FullName() == b.Enum().FullName()
	}
	return true
}

func walkOrder(s *model.Scenario) []*model.Field {
	var order []*model.Field
	s.Walk(func(f *model.Field) bool {
		order = append(order, f)
		return true
	})
	return order
}

func compareFields(base Change, os, ns *model.Scenario) []Change {
	var out []Change
	matched := matchFields(os, ns)
	continued := map[*model.Field]bool{}
	for _, of := range matched {
		continued[of] = true
	}
	for _, nf := range walkOrder(ns) {
		c := base
		c.Field, c.Label, c.NewPos = nf.Path, nf.Label(), nf.Pos
		of, ok := matched[nf]
		if !ok {
			c.Kind = FieldAdded
			if first, r := firstSent(nf); first != nil {
				c.New, c.Consent, c.Weaker, c.Rule = model.DescribeRedaction(r), first.String(), true, RuleFieldAdded
				c.Text = fmt.Sprintf("Now also sends: %s, %s (agreement: %s).", nf.Label(), RedactionWords(r), fieldAgreementName(nf))
			} else {
				c.Text = fmt.Sprintf("Now also describes %s, which is never sent.", nf.Label())
			}
			if nf.Parent != nil && matched[nf.Parent] == nil {
				// Part of a message item added with it: the parent's
				// change is the finding, and its acknowledgement covers
				// the parts.
				c.Rule = ""
			}
			c.Acknowledged = acknowledged(c.Rule, nil, nf.Item.GetAcknowledged())
			out = append(out, c)
			continue
		}
		c.OldPos = of.Pos
		if of.Path != nf.Path {
			c.OldField = of.Path
		}
		var fcs []Change
		if of.Desc.Name() != nf.Desc.Name() {
			r := c
			r.Kind, r.Old, r.New = FieldRenamed, of.Path, nf.Path
			r.Text = fmt.Sprintf("%s is renamed in the schema from %s to %s.", nf.Label(), of.Path, nf.Path)
			fcs = append(fcs, r)
		}
		for _, fc := range append(fcs, compareField(c, of, nf)...) {
			fc.Acknowledged = acknowledged(fc.Rule, of.Item.GetAcknowledged(), nf.Item.GetAcknowledged())
			out = append(out, fc)
		}
		if r, ok := fieldRenewed(c, of, nf); ok {
			out = append(out, r)
		}
	}
	for _, of := range walkOrder(os) {
		if continued[of] {
			continue
		}
		c := base
		c.Kind, c.Field, c.Label, c.OldPos, c.NewPos = FieldRemoved, of.Path, of.Label(), of.Pos, ns.Pos
		if sentAnywhere(of) {
			c.Text = fmt.Sprintf("No longer sends: %s.", of.Label())
		} else {
			c.Text = fmt.Sprintf("No longer describes %s, which was never sent.", of.Label())
		}
		out = append(out, c)
	}
	return out
}

// compareField compares one field present in both versions.
func compareField(base Change, of, nf *model.Field) []Change {
	var out []Change
	label := nf.Label()
	if of.Label() != nf.Label() {
		c := base
		c.Kind, c.Old, c.New = LabelChanged, of.Label(), nf.Label()
		c.Text = fmt.Sprintf("%q is now described as %q.", of.Label(), nf.Label())
		out = append(out, c)
	}
	if oc, nc := of.Category(), nf.Category(); oc != nc {
		c := base
		c.Kind, c.Old, c.New = CategoryChanged, oc.String(), nc.String()
		c.Text = fmt.Sprintf("%s is now in the category %s; before, %s.", label, model.EnumLabel(nc), model.EnumLabel(oc))
		out = append(out, c)
	}
	oldAny, newAny := sentAnywhere(of), sentAnywhere(nf)
	switch {
	case !oldAny && newAny:
		first, r := firstSent(nf)
		c := base
		c.Kind, c.Old, c.New, c.Consent, c.Weaker, c.Rule = NowSent, "drop", model.DescribeRedaction(r), first.String(), true, RuleRedactionWeakened
		c.Text = fmt.Sprintf("Now also sends: %s, %s (agreement: %s); before, it was never sent.", label, RedactionWords(r), fieldAgreementName(nf))
		out = append(out, c)
	case oldAny && !newAny:
		c := base
		c.Kind = NoLongerSent
		c.Text = fmt.Sprintf("No longer sends: %s.", label)
		out = append(out, c)
	case oldAny && newAny:
		if of.Requires() != nf.Requires() {
			c := base
			c.Kind, c.Old, c.New = AgreementChanged, of.Requires(), nf.Requires()
			c.Weaker = !nf.Scenario.Product.Agreements.Implies(nf.Requires(), of.Requires())
			if c.Weaker {
				c.Rule = RuleAgreementWeakened
				c.Text = fmt.Sprintf("%s is now sent with the %s; before, only with the %s.", label, fieldAgreementName(nf), fieldAgreementName(of))
			} else {
				c.Text = fmt.Sprintf("%s is now sent only with the %s; before, already with the %s.", label, fieldAgreementName(nf), fieldAgreementName(of))
			}
			out = append(out, c)
		}
		out = append(out, redactionChanges(base, of, nf)...)
	}
	if oi, ni := of.Identifiability(), nf.Identifiability(); oi != ni {
		c := base
		c.Kind, c.Old, c.New = IdentifiabilityChanged, oi.String(), ni.String()
		c.Weaker = ni > oi
		if c.Weaker {
			c.Rule = RuleIdentifiabilityRaised
		}
		c.Text = fmt.Sprintf("%s is now classified as %s; before, as %s.", label, model.EnumLabel(ni), model.EnumLabel(oi))
		out = append(out, c)
	}
	if added, removed := purposeDiff(of.Purposes, nf.Purposes); len(added)+len(removed) > 0 {
		c := base
		c.Kind, c.Old, c.New, c.Weaker = PurposesChanged, purposeNames(of.Purposes), purposeNames(nf.Purposes), len(added) > 0
		var parts []string
		if len(added) > 0 {
			parts = append(parts, "now also processed for "+purposeLabels(nf.Scenario.Product.Policy, added))
		}
		if len(removed) > 0 {
			parts = append(parts, "no longer processed for "+purposeLabels(of.Scenario.Product.Policy, removed))
		}
		c.Text = fmt.Sprintf("%s is %s.", label, strings.Join(parts, "; "))
		out = append(out, c)
	}
	return out
}

// redactionChanges compares what a field gets under each consent level at
// which both versions send it, and under which one version drops it
// although its agreement is held. Each distinct before/after pair is one
// change, at the smallest consent where it shows.
func redactionChanges(base Change, of, nf *model.Field) []Change {
	var out []Change
	seen := map[[2]string]bool{}
	first, _ := firstSent(nf)
	for _, c := range nf.Scenario.Product.ConsentLevels() {
		or, oOK := of.Under(c)
		nr, nOK := nf.Under(c)
		if !oOK && !nOK {
			continue
		}
		// Sent by one version only because the other does not hold the
		// item's agreement: that is the agreement change, not a redaction.
		if (!oOK && !granted(of, c)) || (!nOK && !granted(nf, c)) {
			continue
		}
		od, nd := describeOrDrop(or, oOK), describeOrDrop(nr, nOK)
		if od == nd || seen[[2]string{od, nd}] {
			continue
		}
		seen[[2]string{od, nd}] = true
		ch := base
		ch.Kind, ch.Old, ch.New, ch.Consent = RedactionChanged, od, nd, c.String()
		ch.Weaker = impl.Weaker(dropIfNotSent(or, oOK), dropIfNotSent(nr, nOK))
		if ch.Weaker {
			ch.Rule = RuleRedactionWeakened
		}
		ch.Text = fmt.Sprintf("%s is now sent %s; before, %s.", nf.Label(), RedactionWords(dropIfNotSent(nr, nOK)), RedactionWords(dropIfNotSent(or, oOK)))
		if !nOK {
			ch.Text = fmt.Sprintf("%s is no longer sent; before, it was sent %s.", nf.Label(), RedactionWords(or))
		}
		if first == nil || *first != c {
			ch.Text = fmt.Sprintf("With the %s: %s", consentName(nf.Scenario.Product, c), lowerFirst(ch.Text, nf.Label()))
		}
		out = append(out, ch)
	}
	return out
}

var dropRedaction = &provisionv1.Redaction{Strategy: &provisionv1.Redaction_Drop_{Drop: &provisionv1.Redaction_Drop{}}}

func dropIfNotSent(r *provisionv1.Redaction, sent bool) *provisionv1.Redaction {
	if !sent {
		return dropRedaction
	}
	return r
}

func describeOrDrop(r *provisionv1.Redaction, sent bool) string {
	return model.DescribeRedaction(dropIfNotSent(r, sent))
}

// granted reports whether consent c holds the agreements f and its parents
// require.
func granted(f *model.Field, c impl.Consent) bool {
	for p := f; p != nil; p = p.Parent {
		if !c.Grants(p.Requires()) {
			return false
		}
	}
	return true
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

func sentAnywhere(f *model.Field) bool {
	c, _ := firstSent(f)
	return c != nil
}

// agreementName is the title product p declares for agreement id.
func agreementName(p *model.Product, id string) string { return p.AgreementTitle(id) }

// fieldAgreementName is the title of the agreement f requires.
func fieldAgreementName(f *model.Field) string {
	return agreementName(f.Scenario.Product, f.Requires())
}

// consentName names a consent by its strongest agreements: those that no
// other agreement of the consent implies.
func consentName(p *model.Product, c impl.Consent) string {
	var names []string
	for _, a := range model.Strongest(c) {
		names = append(names, agreementName(p, a))
	}
	if len(names) == 0 {
		return "no agreement"
	}
	return strings.Join(names, " and ")
}

// lowerFirst returns text with its first letter lowered, unless text
// starts with label (a customer's wording, kept as written).
func lowerFirst(text, label string) string {
	if text == "" || strings.HasPrefix(text, label) {
		return text
	}
	return strings.ToLower(text[:1]) + text[1:]
}

func purposeDiff(old, new []string) (added, removed []string) {
	for _, p := range new {
		if !slices.Contains(old, p) {
			added = append(added, p)
		}
	}
	for _, p := range old {
		if !slices.Contains(new, p) {
			removed = append(removed, p)
		}
	}
	return added, removed
}

func purposeNames(ps []string) string { return strings.Join(ps, ",") }

// purposeLabels words purposes as policy pol declares them; an ID it does
// not declare (the other version's) is shown as it is.
func purposeLabels(pol *model.Policy, ps []string) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p
		if pol != nil {
			if d := pol.Purpose(p); d != nil {
				names[i] = d.GetLabel()
			}
		}
	}
	return strings.Join(names, ", ")
}

// countryName names a storage country in a change's sentence, with its
// code ("the Netherlands (NL)"); a code the country table does not name
// prints as it is.
func countryName(code string) string {
	if n := country.InSentence(code); n != code {
		return n + " (" + code + ")"
	}
	return code
}
