package model

import (
	"fmt"
	"math"
	"slices"

	"google.golang.org/protobuf/proto"

	"github.com/provisionhq/provision/internal/impl"
	"google.golang.org/protobuf/reflect/protoreflect"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

// DataItem field numbers, for source positions of its parts.
const (
	itemLabel           = 1
	itemCategory        = 2
	itemIdentifiability = 3
	itemPurposes        = 4
	itemRequires        = 5
	itemRedaction       = 6
	itemRedactionUnder  = 7
	itemExample         = 8
)

// fields builds the data items of md, a payload message reached from
// scenario s through parent. stack holds the messages being built, to
// refuse recursion.
func (b *builder) fields(s *Scenario, parent *Field, md protoreflect.MessageDescriptor, stack []protoreflect.FullName) []*Field {
	b.payloads[md.FullName()] = true
	var out []*Field
	fds := md.Fields()
	for i := range fds.Len() {
		fd := fds.Get(i)
		f := b.field(s, parent, fd)
		if f == nil {
			continue
		}
		if child := payloadMessage(fd); child != nil {
			switch {
			case slices.Contains(stack, child.FullName()):
				b.report(f.Pos, RuleRecursiveMessage, "field %s: message %s contains itself; payloads must be finite trees", f.Path, child.FullName())
			case child.ParentFile().Package() != s.Product.Package:
				b.report(f.Pos, RuleProductMissing, "field %s: message %s is in package %s, not in package %s of product %q: a payload's messages are its product's, whose agreements they are gated by", f.Path, child.FullName(), child.ParentFile().Package(), s.Product.Package, s.Product.ID)
			default:
				f.Children = b.fields(s, f, child, append(stack, child.FullName()))
			}
		}
		out = append(out, f)
	}
	return out
}

// payloadMessage returns the message whose fields are themselves data
// items (impl.IsPayloadMessage): the field's message or map value
// message; nil for other fields.
func payloadMessage(fd protoreflect.FieldDescriptor) protoreflect.MessageDescriptor {
	if !impl.IsPayloadMessage(fd) {
		return nil
	}
	if fd.IsMap() {
		fd = fd.MapValue()
	}
	return fd.Message()
}

func (b *builder) field(s *Scenario, parent *Field, fd protoreflect.FieldDescriptor) *Field {
	path := string(fd.Name())
	if parent != nil {
		path = parent.Path + "." + path
	}
	pos := position(fd, pathFieldOptions, extField)
	item, _ := proto.GetExtension(fd.Options(), provisionv1.E_Field).(*provisionv1.DataItem)
	if item == nil {
		b.report(position(fd), RuleFieldUnclassified, "field %s of scenario %q has no (provision.v1.field) annotation: unannotated fields are never sent; annotate it", path, s.ID)
		return nil
	}
	f := &Field{Desc: fd, Path: path, Parent: parent, Scenario: s, Item: item, Comment: comment(fd), Pos: pos}
	f.Purposes = item.GetPurposes()
	if len(f.Purposes) == 0 {
		if parent != nil {
			f.Purposes = parent.Purposes
		} else {
			f.Purposes = s.Purposes
		}
	}
	what := "field " + path
	b.checkClassification(f, what)
	b.validateOption(pos, what+" annotation", item)
	b.checkLabel(position(fd, pathFieldOptions, extField, itemLabel), what, item.GetLabel())
	b.checkAgreement(s, f, what)
	b.checkPurposes(s, f, what)
	b.checkRedaction(f, what, item.GetRedaction(), position(fd, pathFieldOptions, extField, itemRedaction))
	for i, under := range item.GetRedactionUnder() {
		upos := position(fd, pathFieldOptions, extField, itemRedactionUnder, int32(i))
		b.checkRedaction(f, fmt.Sprintf("%s redaction_under[%d]", what, i), under.GetRedaction(), upos)
		agreements := s.Product.Agreements
		switch w := under.GetWhen(); {
		case !s.Product.Declares(w):
			b.report(upos, RuleAgreementUnknown, "%s: redaction_under[%d] names agreement %q, which product %q does not declare (it declares %s)", what, i, w, s.Product.ID, s.Product.declaredList())
		case s.Product.Declares(item.GetRequires()) && !agreements.Implies(w, item.GetRequires()):
			b.report(upos, RuleAgreementWeaker, "%s: redaction_under[%d] applies under %s, which does not grant %s, so the item is never sent then", what, i, w, item.GetRequires())
		}
	}
	if item.GetExample() != "" {
		if err := b.checkExample(fd, item.GetExample()); err != nil {
			b.report(position(fd, pathFieldOptions, extField, itemExample), RuleExampleInvalid, "%s: example %q: %v", what, item.GetExample(), err)
		}
	}
	return f
}

func (b *builder) checkClassification(f *Field, what string) {
	item := f.Item
	var missing []string
	if item.GetLabel() == "" {
		missing = append(missing, "label")
	}
	if !enumDefined(item.GetCategory()) {
		missing = append(missing, "category")
	}
	if !enumDefined(item.GetIdentifiability()) {
		missing = append(missing, "identifiability")
	}
	if item.GetRequires() == "" {
		missing = append(missing, "requires (agreement)")
	}
	if item.GetRedaction().GetStrategy() == nil {
		missing = append(missing, "redaction")
	}
	if len(missing) > 0 {
		b.report(f.Pos, RuleFieldUnclassified, "%s is not fully classified: missing %s", what, joinAnd(missing))
	}
	if item.GetIdentifiability() == provisionv1.Identifiability_IDENTIFIABILITY_SPECIAL_CATEGORY {
		b.report(position(f.Desc, pathFieldOptions, extField, itemIdentifiability), RuleSpecialCategory,
			"%s is special-category data (GDPR Art. 9), which is never processed: remove the field", what)
	}
	if f.Desc.IsMap() && enumDefined(item.GetIdentifiability()) && item.GetIdentifiability() != provisionv1.Identifiability_IDENTIFIABILITY_ANONYMOUS {
		b.report(position(f.Desc, pathFieldOptions, extField, itemIdentifiability), RuleMapNotAnonymous,
			"%s is a map classified %s: its keys are sent as they are whatever the redaction; classify it anonymous, or send a repeated message whose key field has its own annotation", what, item.GetIdentifiability())
	}
}

func (b *builder) checkAgreement(s *Scenario, f *Field, what string) {
	req := f.Requires()
	pos := position(f.Desc, pathFieldOptions, extField, itemRequires)
	if req == "" {
		return // reported as unclassified
	}
	if !s.Product.Defines(req) {
		b.report(pos, RuleAgreementUnknown, "%s requires agreement %q, which product %q does not declare (it declares %s)", what, req, s.Product.ID, s.Product.declaredList())
		return
	}
	if !s.Product.Defines(s.Agreement) {
		return // reported on the scenario
	}
	if s.Local() {
		if req != impl.AgreementNone {
			b.report(pos, RuleLocalOnly, "%s requires %s, but scenario %q is local-only: its data is never sent, so the field must require NONE", what, req, s.ID)
		}
		return
	}
	agreements := s.Product.Agreements
	switch {
	case f.Parent != nil && s.Product.Declares(f.Parent.Requires()) && !agreements.Implies(req, f.Parent.Requires()):
		b.report(pos, RuleAgreementWeaker, "%s requires %s, which does not include %s required by its parent %s", what, req, f.Parent.Requires(), f.Parent.Path)
	case !agreements.Implies(req, s.Agreement):
		b.report(pos, RuleAgreementWeaker, "%s requires %s, which does not include %s under which scenario %q happens", what, req, s.Agreement, s.ID)
	}
	if only := s.Product.Options.GetPersonalDataOnlyUnder(); len(only) > 0 {
		id := f.Identifiability()
		if id == provisionv1.Identifiability_IDENTIFIABILITY_PERSONAL || id == provisionv1.Identifiability_IDENTIFIABILITY_CONTENT {
			if !slices.ContainsFunc(only, func(a string) bool { return agreements.Implies(req, a) }) {
				b.report(pos, RulePersonalDataAgreement, "%s is %s under %s, but product %q may send personal data only under %v", what, EnumLabel(id), req, s.Product.ID, only)
			}
		}
	}
}

func (b *builder) checkPurposes(s *Scenario, f *Field, what string) {
	for _, p := range f.Item.GetPurposes() {
		if !slices.Contains(s.Purposes, p) {
			b.report(position(f.Desc, pathFieldOptions, extField, itemPurposes), RulePurposeOutOfScope,
				"%s names purpose %s, which is not a purpose of scenario %q", what, p, s.ID)
		}
	}
}

// checkRedaction reports a strategy that cannot apply to the field's type,
// and parameters the vocabulary's rules cannot express.
func (b *builder) checkRedaction(f *Field, what string, r *provisionv1.Redaction, pos Position) {
	if r.GetStrategy() == nil {
		return // reported as unclassified
	}
	strategy := impl.StrategyKindOf(r)
	kind := f.Desc.Kind()
	if f.Desc.IsMap() {
		kind = f.Desc.MapValue().Kind()
	}
	if !strategy.Fits(kind) {
		b.report(pos, RuleRedactionMismatch, "%s: redaction %s does not fit a %s field (it applies to %s)", what, strategy, typeName(f.Desc), kindNames(strategy.Kinds()))
	}
	if bk := r.GetBucket(); bk != nil {
		bounds := bk.GetBounds()
		for i, v := range bounds {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				b.report(pos, RuleRedactionMismatch, "%s: bucket bound %d is not a finite number", what, i)
			}
			if i > 0 && !(bounds[i-1] < v) {
				b.report(pos, RuleRedactionMismatch, "%s: bucket bounds must increase strictly (%v after %v)", what, v, bounds[i-1])
			}
		}
	}
}

func typeName(fd protoreflect.FieldDescriptor) string {
	var t string
	switch {
	case fd.IsMap():
		return fmt.Sprintf("map<%s, %s>", fd.MapKey().Kind(), typeName(fd.MapValue()))
	case fd.Message() != nil:
		t = string(fd.Message().FullName())
	case fd.Enum() != nil:
		t = string(fd.Enum().FullName())
	default:
		t = fd.Kind().String()
	}
	if fd.IsList() {
		return "repeated " + t
	}
	return t
}

func kindNames(ks []protoreflect.Kind) string {
	names := make([]string, len(ks))
	for i, k := range ks {
		names[i] = k.String()
	}
	return joinAnd(names)
}

func joinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	out := ""
	for i, x := range xs {
		switch {
		case i == 0:
			out = x
		case i == len(xs)-1:
			out += " and " + x
		default:
			out += ", " + x
		}
	}
	return out
}

func enumDefined(e protoreflect.Enum) bool {
	return e.Number() != 0 && e.Descriptor().Values().ByNumber(e.Number()) != nil
}
