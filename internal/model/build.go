package model

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"buf.build/go/protovalidate"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

// Extension field numbers of the vocabulary, for source positions.
const (
	extField    = 51200
	extScenario = 51201
	extProduct  = 51202
	extPolicy   = 51203

	// Field numbers inside the options, for the positions of storage
	// countries.
	pathScenarioHandling = 9 // Scenario.handling
	pathPolicyHandling   = 5 // Policy.handling
	pathStorageCountries = 1 // Handling.storage_countries
)

// Build checks the files and returns the catalog they declare. Files that
// declare nothing of the vocabulary (descriptor.proto, validate.proto, the
// vocabulary itself) are passed over. On any finding it returns a nil
// catalog and a Diagnostics error listing every finding.
func Build(files []protoreflect.FileDescriptor, opts ...Option) (*Catalog, error) {
	if err := checkVocabulary(files); err != nil {
		return nil, err
	}
	validator, err := sharedValidator()
	if err != nil {
		return nil, fmt.Errorf("model: create validator: %w", err)
	}
	b := &builder{
		validator: validator,
		products:  map[protoreflect.FullName]*Product{},
		policies:  map[string]*Policy{},
		payloads:  map[protoreflect.FullName]bool{},
	}
	for _, o := range opts {
		o(b)
	}
	files = slices.Clone(files)
	slices.SortFunc(files, func(a, b protoreflect.FileDescriptor) int { return cmp.Compare(a.Path(), b.Path()) })
	for _, f := range files {
		b.declarations(f)
	}
	for _, p := range b.products {
		b.resolvePolicy(p)
	}
	for _, f := range files {
		b.scenarios(f.Messages())
	}
	for _, f := range files {
		b.extensions(f.Extensions())
		b.nestedExtensions(f.Messages())
	}
	b.duplicateScenarioIDs()
	b.lifecycle()
	b.provenance()
	if len(b.diags) > 0 {
		return nil, b.diags.sorted()
	}
	c := &Catalog{}
	for _, p := range b.products {
		slices.SortFunc(p.Scenarios, func(a, b *Scenario) int { return cmp.Compare(a.ID, b.ID) })
		c.Products = append(c.Products, p)
	}
	slices.SortFunc(c.Products, func(a, b *Product) int { return cmp.Compare(a.ID, b.ID) })
	for _, pol := range b.policyOrder {
		c.Policies = append(c.Policies, pol)
	}
	return c, nil
}

// sharedValidator is the one validator every Build uses: it compiles the
// rules of each option message once, so that a registry building a model
// per registration does not compile them again each time. A validator is
// safe for concurrent use.
var sharedValidator = sync.OnceValues(func() (protovalidate.Validator, error) { return protovalidate.New() })

// Option changes how Build checks a catalog.
type Option func(*builder)

// AsBaseline builds a catalog that is only read to be compared with
// another: an earlier release, a git ref, the "before" of a changelog.
// The authoring rule PROVENANCE_MISSING, which a newer vocabulary added,
// is not applied, so versions released before it still load; every
// other rule still is.
func AsBaseline() Option { return func(b *builder) { b.baseline = true } }

type builder struct {
	baseline    bool
	now         func() time.Time
	validator   protovalidate.Validator
	diags       Diagnostics
	products    map[protoreflect.FullName]*Product
	policies    map[string]*Policy
	policyOrder []*Policy
	payloads    map[protoreflect.FullName]bool
	scenarioIDs []*Scenario
}

func (b *builder) report(pos Position, rule Rule, format string, args ...any) {
	b.diags = append(b.diags, Diagnostic{Pos: pos, Rule: rule, Message: fmt.Sprintf(format, args...)})
}

// coveredRules are the buf.validate rules whose violations the model
// reports itself, with a clearer message, on the option fields named in
// coveredFields.
var (
	coveredRules  = map[string]bool{"enum.not_in": true, "enum.defined_only": true, "string.min_len": true, "string.pattern": true, "required": true}
	coveredFields = map[string]bool{"label": true, "category": true, "identifiability": true, "requires": true, "redaction": true, "agreement": true}
)

// validateOption runs the vocabulary's own buf.validate rules on an
// option message and reports each violation the model does not report
// itself.
func (b *builder) validateOption(pos Position, what string, m proto.Message) {
	err := b.validator.Validate(m)
	if err == nil {
		return
	}
	var verr *protovalidate.ValidationError
	if !asValidationError(err, &verr) {
		b.report(pos, RuleOptionsInvalid, "%s: %v", what, err)
		return
	}
	for _, v := range verr.Violations {
		path := protovalidate.FieldPathString(v.Proto.GetField())
		if coveredFields[path] && coveredRules[v.Proto.GetRuleId()] {
			continue
		}
		b.report(pos, RuleOptionsInvalid, "%s: %s: %s", what, path, v.Proto.GetMessage())
	}
}

// declarations records the policy and product a file declares.
func (b *builder) declarations(f protoreflect.FileDescriptor) {
	opts := f.Options()
	if pol, ok := proto.GetExtension(opts, provisionv1.E_Policy).(*provisionv1.Policy); ok && pol != nil {
		pos := position(f, pathFileOptions, extPolicy)
		b.validateOption(pos, "policy", pol)
		b.checkTexts(pos, "policy", policyTexts(pol))
		if prev, dup := b.policies[pol.GetId()]; dup {
			b.report(pos, RuleDuplicateID, "policy %q is also declared at %s", pol.GetId(), prev.Pos)
		} else {
			p := &Policy{ID: pol.GetId(), Options: pol, File: f.Path(), Pos: pos, file: f}
			for i := range pol.GetHandling().GetStorageCountries() {
				p.StoragePos = append(p.StoragePos, elementPosition(f, int32(i), pathFileOptions, extPolicy, pathPolicyHandling, pathStorageCountries))
			}
			b.checkPolicyDeclarations(p)
			b.policies[pol.GetId()] = p
			b.policyOrder = append(b.policyOrder, p)
		}
	}
	if prod, ok := proto.GetExtension(opts, provisionv1.E_Product).(*provisionv1.Product); ok && prod != nil {
		pos := position(f, pathFileOptions, extProduct)
		b.validateOption(pos, "product", prod)
		b.checkTexts(pos, "product", productTexts(prod))
		if prev, dup := b.products[f.Package()]; dup {
			b.report(pos, RuleDuplicateID, "package %s declares a second product; the first is at %s", f.Package(), prev.Pos)
			return
		}
		for _, other := range b.products {
			if other.ID == prod.GetId() {
				b.report(pos, RuleDuplicateID, "product id %q is also declared at %s", prod.GetId(), other.Pos)
			}
		}
		p := &Product{
			ID: prod.GetId(), Name: prod.GetName(), Package: f.Package(),
			Options: prod, File: f.Path(), Pos: pos, file: f,
		}
		b.agreements(f, p)
		b.products[f.Package()] = p
	}
}

func (b *builder) resolvePolicy(p *Product) {
	pol, ok := b.policies[p.Options.GetPolicy()]
	if !ok {
		b.report(p.Pos, RulePolicyUnknown, "product %q follows policy %q, which no file declares", p.ID, p.Options.GetPolicy())
		return
	}
	p.Policy = pol
	for _, a := range p.Options.GetPersonalDataOnlyUnder() {
		if !p.Declares(a) {
			b.report(p.Pos, RuleAgreementUnknown, "product %q: personal_data_only_under names agreement %q, which the product does not declare", p.ID, a)
		}
	}
}

// scenarios builds every message annotated as a scenario, at any depth.
func (b *builder) scenarios(msgs protoreflect.MessageDescriptors) {
	for i := range msgs.Len() {
		md := msgs.Get(i)
		if sc, ok := proto.GetExtension(md.Options(), provisionv1.E_Scenario).(*provisionv1.Scenario); ok && sc != nil {
			b.scenario(md, sc)
		}
		b.scenarios(md.Messages())
	}
}

func (b *builder) scenario(md protoreflect.MessageDescriptor, opts *provisionv1.Scenario) {
	pos := position(md, pathMessageOptions, extScenario)
	b.validateOption(pos, "scenario "+string(md.Name()), opts)
	b.checkTexts(pos, "scenario "+string(md.Name()), scenarioTexts(opts))
	prod, ok := b.products[md.ParentFile().Package()]
	if !ok {
		b.report(pos, RuleProductMissing, "scenario %s is in package %s, which declares no (provision.v1.product)", md.Name(), md.ParentFile().Package())
		return
	}
	s := &Scenario{
		ID: opts.GetId(), Product: prod, Message: md, Options: opts,
		Agreement: opts.GetAgreement(), Purposes: opts.GetPurposes(),
		Comment: comment(md), Pos: pos,
	}
	b.checkScenario(s)
	s.Handling = mergeHandling(prod.Policy, opts.GetHandling())
	switch {
	case !s.InheritsStorage():
		for i := range opts.GetHandling().GetStorageCountries() {
			s.StoragePos = append(s.StoragePos, elementPosition(md, int32(i), pathMessageOptions, extScenario, pathScenarioHandling, pathStorageCountries))
		}
	case prod.Policy != nil:
		s.StoragePos = prod.Policy.StoragePos
	}
	if prod.Policy != nil {
		b.checkHandling(s) // without a policy, the missing policy is the finding
	}
	s.Fields = b.fields(s, nil, md, []protoreflect.FullName{md.FullName()})
	if md.Fields().Len() == 0 && len(opts.GetUnpublished()) == 0 {
		b.report(pos, RuleScenarioEmpty, "scenario %q has no fields and no unpublished list: model its items or record where the source lists them", s.ID)
	}
	b.payloads[md.FullName()] = true
	prod.Scenarios = append(prod.Scenarios, s)
	b.scenarioIDs = append(b.scenarioIDs, s)
}

func (b *builder) checkScenario(s *Scenario) {
	o := s.Options
	what := fmt.Sprintf("scenario %q", s.ID)
	if strings.TrimSpace(o.GetTrigger()) == "" {
		b.report(s.Pos, RuleScenarioIncomplete, "%s has no trigger: say what makes the product send the data", what)
	}
	if o.GetOptOut().GetKind() == provisionv1.OptOutKind_OPT_OUT_KIND_UNSPECIFIED || strings.TrimSpace(o.GetOptOut().GetText()) == "" {
		b.report(s.Pos, RuleScenarioIncomplete, "%s has no opt-out: say how a customer avoids it, or that it is needed for the function", what)
	}
	if o.GetSource().GetTitle() == "" {
		b.report(s.Pos, RuleScenarioIncomplete, "%s cites no source document", what)
	}
	switch {
	case s.Agreement == "":
		b.report(s.Pos, RuleAgreementUnknown, "%s names no agreement", what)
		return
	case !s.Product.Defines(s.Agreement):
		b.report(s.Pos, RuleAgreementUnknown, "%s names agreement %q, which product %q does not declare (it declares %s)", what, s.Agreement, s.Product.ID, s.Product.declaredList())
		return
	}
	local := s.Local()
	if local && o.GetRecipient() != "" {
		b.report(s.Pos, RuleLocalOnly, "%s is local-only (agreement NONE) but names recipient %q", what, o.GetRecipient())
	}
	if !local && o.GetRecipient() == "" {
		b.report(s.Pos, RuleScenarioIncomplete, "%s names no recipient", what)
	}
	if !local && len(o.GetPurposes()) == 0 {
		b.report(s.Pos, RuleScenarioIncomplete, "%s names no purpose", what)
	}
	if s.Product.Policy == nil {
		return
	}
	for _, p := range o.GetPurposes() {
		if s.Product.Policy.Purpose(p) == nil {
			b.report(s.Pos, RulePurposeOutOfScope, "%s names purpose %q, which policy %q does not declare (it declares %s)", what, p, s.Product.Policy.ID, s.Product.Policy.purposeList())
		}
	}
}

// StatesStorage reports whether a scenario's own handling h states its
// storage (countries, note and their basis) rather than taking the
// policy's: it names countries, or says the data is not transmitted.
func StatesStorage(h *provisionv1.Handling) bool {
	return len(h.GetStorageCountries()) > 0 || h.GetTransport() == provisionv1.Transport_TRANSPORT_NOT_TRANSMITTED
}

// mergeHandling fills the unset parts of a scenario's handling from its
// policy; each part keeps the provenance of whichever states it.
func mergeHandling(pol *Policy, own *provisionv1.Handling) *provisionv1.Handling {
	out := &provisionv1.Handling{}
	if pol != nil {
		out = proto.CloneOf(pol.Options.GetHandling())
	}
	if own == nil {
		return out
	}
	if StatesStorage(own) {
		out.StorageCountries = own.GetStorageCountries()
		out.StorageNote = own.GetStorageNote()
		out.StorageBasis = own.GetStorageBasis()
	}
	if own.GetTransport() != provisionv1.Transport_TRANSPORT_UNSPECIFIED {
		out.Transport = own.GetTransport()
		out.TransportBasis = own.GetTransportBasis()
	}
	if own.GetRetention() != nil {
		out.Retention = own.GetRetention()
	}
	return out
}

func (b *builder) checkHandling(s *Scenario) {
	h := s.Handling
	what := fmt.Sprintf("scenario %q", s.ID)
	if s.Local() {
		if h.GetTransport() != provisionv1.Transport_TRANSPORT_NOT_TRANSMITTED {
			b.report(s.Pos, RuleLocalOnly, "%s is local-only (agreement NONE): its handling must say TRANSPORT_NOT_TRANSMITTED", what)
		}
		return
	}
	if h.GetTransport() != provisionv1.Transport_TRANSPORT_ENCRYPTED {
		b.report(s.Pos, RuleScenarioIncomplete, "%s is sent but its transport is %s, not TRANSPORT_ENCRYPTED", what, h.GetTransport())
	}
	if len(h.GetStorageCountries()) == 0 {
		b.report(s.Pos, RuleScenarioIncomplete, "%s names no storage country, and its policy gives none", what)
	}
	if h.GetRetention().GetText() == "" {
		b.report(s.Pos, RuleScenarioIncomplete, "%s states no retention, and its policy gives none", what)
	}
}

func (b *builder) duplicateScenarioIDs() {
	seen := map[string]*Scenario{}
	for _, s := range b.scenarioIDs {
		if prev, dup := seen[s.ID]; dup {
			b.report(s.Pos, RuleDuplicateID, "scenario id %q is also used at %s", s.ID, prev.Pos)
			continue
		}
		seen[s.ID] = s
		if prefix := s.Product.ID + "."; !strings.HasPrefix(s.ID, prefix) {
			b.report(s.Pos, RuleDuplicateID, "scenario id %q must start with its product's id %q", s.ID, prefix)
		}
	}
}

// extensions reports extensions of payload messages: extension fields are
// never annotated data items, so they are never sent.
func (b *builder) extensions(xs protoreflect.ExtensionDescriptors) {
	for i := range xs.Len() {
		x := xs.Get(i)
		if b.payloads[x.ContainingMessage().FullName()] {
			b.report(position(x), RuleExtensionForbidden, "extension %s extends payload message %s: extensions of payloads are never sent; declare a field instead", x.FullName(), x.ContainingMessage().FullName())
		}
	}
}

func (b *builder) nestedExtensions(msgs protoreflect.MessageDescriptors) {
	for i := range msgs.Len() {
		b.extensions(msgs.Get(i).Extensions())
		b.nestedExtensions(msgs.Get(i).Messages())
	}
}

func comment(d protoreflect.Descriptor) string {
	loc := d.ParentFile().SourceLocations().ByDescriptor(d)
	return strings.TrimSpace(loc.LeadingComments)
}
