package compat

import (
	"fmt"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// checkReserved applies the rules of RequireReserved to the candidate and
// the previous version at index previous: in every message and enum both
// declare (matched by name, scope by scope, as the compatibility rules
// match messages), a field or enum value number the previous version has
// and the candidate lacks must be reserved in the candidate.
func checkReserved(previous int, prev, cand protoreflect.FileDescriptor) []Difference {
	r := reservedCheck{previous: previous}
	r.enums(prev.Enums(), cand.Enums())
	r.messages(prev.Messages(), cand.Messages())
	return r.diffs
}

type reservedCheck struct {
	previous int
	diffs    []Difference
}

// add records a difference about the element path, which the candidate's
// descriptor in (a message or enum) lacks.
func (r *reservedCheck) add(rule Rule, in protoreflect.Descriptor, path protoreflect.FullName, format string, args ...any) {
	r.diffs = append(r.diffs, Difference{
		Rule:      rule,
		Direction: History,
		Previous:  r.previous,
		File:      in.ParentFile().Path(),
		Path:      string(path),
		Message:   fmt.Sprintf(format, args...),
	})
}

func (r *reservedCheck) messages(prev, cand protoreflect.MessageDescriptors) {
	for i := range prev.Len() {
		pm := prev.Get(i)
		cm := cand.ByName(pm.Name())
		if cm == nil || pm.IsMapEntry() || cm.IsMapEntry() {
			continue
		}
		fields := pm.Fields()
		for j := range fields.Len() {
			pf := fields.Get(j)
			n := pf.Number()
			if cm.Fields().ByNumber(n) != nil || cm.ReservedRanges().Has(n) {
				continue
			}
			r.add(RuleFieldNumberNotReserved, cm, cm.FullName().Append(pf.Name()), "field %s (%d) of the old schema is missing from message %s of the new one, which does not reserve its number",
				pf.Name(), n, localName(cm))
		}
		r.enums(pm.Enums(), cm.Enums())
		r.messages(pm.Messages(), cm.Messages())
	}
}

func (r *reservedCheck) enums(prev, cand protoreflect.EnumDescriptors) {
	for i := range prev.Len() {
		pe := prev.Get(i)
		ce := cand.ByName(pe.Name())
		if ce == nil {
			continue
		}
		values := pe.Values()
		seen := map[protoreflect.EnumNumber]bool{}
		for j := range values.Len() {
			pv := values.Get(j)
			n := pv.Number()
			if seen[n] {
				continue
			}
			seen[n] = true
			if ce.Values().ByNumber(n) != nil || ce.ReservedRanges().Has(n) {
				continue
			}
			r.add(RuleEnumValueNumberNotReserved, ce, ce.FullName().Parent().Append(pv.Name()), "value %s (%d) of the old schema is missing from enum %s of the new one, which does not reserve its number",
				pv.Name(), n, localName(ce))
		}
	}
}
