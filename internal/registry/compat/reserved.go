package compat

import (
	"fmt"
	"slices"
	"sort"

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

// reservedCheck collects the differences of RequireReserved with one
// previous version.
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

// messages checks the fields of the messages of one scope that both
// versions declare, and their nested messages and enums.
func (r *reservedCheck) messages(prev, cand protoreflect.MessageDescriptors) {
	for i := range prev.Len() {
		pm := prev.Get(i)
		cm := cand.ByName(pm.Name())
		if cm == nil || pm.IsMapEntry() || cm.IsMapEntry() {
			continue
		}
		fields := pm.Fields()
		var reserved numberRanges
		for j := range fields.Len() {
			pf := fields.Get(j)
			n := pf.Number()
			if cm.Fields().ByNumber(n) != nil {
				continue
			}
			if reserved == nil {
				reserved = fieldRanges(cm.ReservedRanges())
			}
			if reserved.has(int64(n)) {
				continue
			}
			r.add(RuleFieldNumberNotReserved, cm, cm.FullName().Append(pf.Name()), "field %s (%d) of the old schema is missing from message %s of the new one, which does not reserve its number",
				pf.Name(), n, localName(cm))
		}
		r.enums(pm.Enums(), cm.Enums())
		r.messages(pm.Messages(), cm.Messages())
	}
}

// enums checks the values of the enums of one scope that both versions
// declare.
func (r *reservedCheck) enums(prev, cand protoreflect.EnumDescriptors) {
	for i := range prev.Len() {
		pe := prev.Get(i)
		ce := cand.ByName(pe.Name())
		if ce == nil {
			continue
		}
		values := pe.Values()
		seen := map[protoreflect.EnumNumber]bool{}
		var reserved numberRanges
		for j := range values.Len() {
			pv := values.Get(j)
			n := pv.Number()
			if seen[n] {
				continue
			}
			seen[n] = true
			if ce.Values().ByNumber(n) != nil {
				continue
			}
			if reserved == nil {
				reserved = enumRanges(ce.ReservedRanges())
			}
			if reserved.has(int64(n)) {
				continue
			}
			r.add(RuleEnumValueNumberNotReserved, ce, ce.FullName().Parent().Append(pv.Name()), "value %s (%d) of the old schema is missing from enum %s of the new one, which does not reserve its number",
				pv.Name(), n, localName(ce))
		}
	}
}

// numberRanges are reserved ranges of numbers, inclusive, sorted and
// merged, so that a look-up takes logarithmic time however many ranges a
// schema reserves. A nil numberRanges is not built yet; an empty one
// holds nothing.
type numberRanges [][2]int64

// fieldRanges returns a message's reserved field ranges.
func fieldRanges(r protoreflect.FieldRanges) numberRanges {
	out := make(numberRanges, 0, r.Len())
	for i := range r.Len() {
		lo, end := r.Get(i)[0], r.Get(i)[1] // end is exclusive
		out = append(out, [2]int64{int64(lo), int64(end) - 1})
	}
	return merged(out)
}

// enumRanges returns an enum's reserved value ranges.
func enumRanges(r protoreflect.EnumRanges) numberRanges {
	out := make(numberRanges, 0, r.Len())
	for i := range r.Len() {
		out = append(out, [2]int64{int64(r.Get(i)[0]), int64(r.Get(i)[1])})
	}
	return merged(out)
}

// merged sorts ranges by start and merges those that overlap or touch.
func merged(rs numberRanges) numberRanges {
	slices.SortFunc(rs, func(a, b [2]int64) int {
		switch {
		case a[0] < b[0]:
			return -1
		case a[0] > b[0]:
			return 1
		}
		return 0
	})
	out := rs[:0]
	for _, r := range rs {
		if n := len(out); n > 0 && r[0] <= out[n-1][1]+1 {
			out[n-1][1] = max(out[n-1][1], r[1])
			continue
		}
		out = append(out, r)
	}
	return out
}

// has reports whether n lies in one of the ranges.
func (rs numberRanges) has(n int64) bool {
	i := sort.Search(len(rs), func(i int) bool { return rs[i][0] > n })
	return i > 0 && n <= rs[i-1][1]
}
