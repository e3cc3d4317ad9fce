package jsonschema

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"slices"
	"sort"
	"strings"
	"time"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// maxBreakLength bounds the values the mutations build: a rule like
// max_len 64 MiB is broken in the boundary test, not 10,000 times.
const maxBreakLength = 1 << 14

// mutate breaks, most of the time, one rule of one field somewhere in m:
// a value just past a bound, outside a set, of the wrong format, a
// duplicate, a missing required field, or a random value of the field's
// kind. It reports what it did.
func (g *faker) mutate(m *dynamicpb.Message) string {
	target := g.pickMessage(m)
	fields := target.Descriptor().Fields()
	if fields.Len() == 0 {
		return "nothing to mutate"
	}
	fd := fields.Get(g.rng.IntN(fields.Len()))
	r := rulesOf(fd)
	name := string(fd.FullName())
	if r.GetRequired() && g.chance(0.3) {
		target.Clear(fd)
		return name + ": cleared (required)"
	}
	switch {
	case fd.IsList():
		rr := r.GetRepeated()
		if rr == nil {
			rr = &validate.RepeatedRules{}
		}
		l := target.Mutable(fd).List()
		switch {
		case rr.MaxItems != nil && int(rr.GetMaxItems()) < maxBreakLength && g.chance(0.4):
			for l.Len() <= int(rr.GetMaxItems()) {
				l.Append(g.value(fd, rr.GetItems(), 1))
			}
			return name + ": above max_items"
		case rr.GetMinItems() > 0 && g.chance(0.3):
			target.Clear(fd)
			return name + ": below min_items"
		case rr.GetUnique() && l.Len() > 0 && g.chance(0.5):
			l.Append(l.Get(0))
			return name + ": duplicate item"
		}
		if l.Len() == 0 {
			l.Append(g.value(fd, rr.GetItems(), 1))
		}
		l.Set(g.rng.IntN(l.Len()), g.broken(fd, rr.GetItems()))
		return name + ": broken item"
	case fd.IsMap():
		mr := r.GetMap()
		if mr == nil {
			mr = &validate.MapRules{}
		}
		mm := target.Mutable(fd).Map()
		if mr.MaxPairs != nil && g.chance(0.4) {
			for i := 0; mm.Len() <= int(mr.GetMaxPairs()) && i < 100; i++ {
				mm.Set(g.value(fd.MapKey(), mr.GetKeys(), 1).MapKey(), g.value(fd.MapValue(), mr.GetValues(), 1))
			}
			return name + ": above max_pairs"
		}
		if g.chance(0.5) {
			mm.Set(g.broken(fd.MapKey(), mr.GetKeys()).MapKey(), g.value(fd.MapValue(), mr.GetValues(), 1))
			return name + ": broken key"
		}
		mm.Set(g.value(fd.MapKey(), mr.GetKeys(), 1).MapKey(), g.broken(fd.MapValue(), mr.GetValues()))
		return name + ": broken value"
	}
	target.Set(fd, g.broken(fd, r))
	return name + ": broken value"
}

// pickMessage returns m or a message set somewhere inside it.
func (g *faker) pickMessage(m protoreflect.Message) protoreflect.Message {
	var nested []protoreflect.Message
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		if fd.Message() == nil || fd.IsMap() || fd.Message().ParentFile().Package() == "google.protobuf" {
			return true
		}
		if fd.IsList() {
			if v.List().Len() > 0 {
				nested = append(nested, v.List().Get(0).Message())
			}
			return true
		}
		nested = append(nested, v.Message())
		return true
	})
	if len(nested) == 0 || g.chance(0.5) {
		return m
	}
	return g.pickMessage(nested[g.rng.IntN(len(nested))])
}

// broken returns a value of fd's kind that breaks one of its rules r,
// or a random value of the kind when it has none.
func (g *faker) broken(fd protoreflect.FieldDescriptor, r *validate.FieldRules) protoreflect.Value {
	if g.chance(0.15) {
		return g.value(fd, nil, 1)
	}
	switch fd.Kind() {
	case protoreflect.StringKind:
		return protoreflect.ValueOfString(g.brokenString(r.GetString()))
	case protoreflect.BytesKind:
		return protoreflect.ValueOfBytes(g.brokenBytes(r.GetBytes()))
	case protoreflect.EnumKind:
		er := r.GetEnum()
		switch {
		case len(er.GetNotIn()) > 0 && g.chance(0.5):
			return protoreflect.ValueOfEnum(protoreflect.EnumNumber(er.GetNotIn()[0]))
		case len(er.GetIn()) > 0 && g.chance(0.5):
			return protoreflect.ValueOfEnum(protoreflect.EnumNumber(g.rng.Int32N(8)))
		}
		return protoreflect.ValueOfEnum(protoreflect.EnumNumber(g.rng.Int32N(200) - 50))
	case protoreflect.BoolKind:
		return protoreflect.ValueOfBool(g.chance(0.5))
	case protoreflect.MessageKind, protoreflect.GroupKind:
		if v := wrapperValue(fd.Message()); v != nil {
			m := dynamicpb.NewMessage(fd.Message())
			m.Set(v, g.broken(v, r))
			return protoreflect.ValueOfMessage(m)
		}
		return g.value(fd, r, 1)
	}
	return g.brokenNumber(fd, r)
}

func (g *faker) brokenString(r *validate.StringRules) string {
	if r == nil {
		r = &validate.StringRules{}
	}
	valid := g.string(r)
	var options []string
	if r.MaxLen != nil && int(r.GetMaxLen()) < maxBreakLength {
		options = append(options, g.randomText(int(r.GetMaxLen())+1+g.rng.IntN(2)))
	}
	if r.GetMinLen() > 0 {
		options = append(options, g.randomText(int(r.GetMinLen())-1))
	}
	if r.Len != nil {
		options = append(options, g.randomText(int(r.GetLen())+[]int{-1, 1}[g.rng.IntN(2)]))
	}
	if len(r.GetNotIn()) > 0 {
		options = append(options, r.GetNotIn()[0])
	}
	if len(r.GetIn()) > 0 || r.Const != nil {
		options = append(options, valid+"x")
	}
	if r.Prefix != nil || r.Suffix != nil || r.Contains != nil || r.NotContains != nil {
		options = append(options, g.randomText(4), valid[1:], valid+r.GetNotContains())
	}
	// Formats and patterns: garbage, near misses and one changed
	// character of a valid value.
	options = append(options,
		"", " ", "not valid", "http://[::1", "1.2.3.256", "::1::", "%zz", "a@b", "user@-x.example",
		"01.2.3.4", "1:2:3:4:5:6:7:8:9", "fe80::1%", "::1.2.3.4%eth0", "x://a b", "HTTP://h/p?q#f#g",
		g.uuid(false)+"0", strings.ToUpper(g.uuid(false)), "mailto:x@y", "//host/path", "a/b:c",
	)
	if len(valid) > 0 {
		b := []rune(valid)
		b[g.rng.IntN(len(b))] = []rune("%:@[]/ .g#?é-_0Zz")[g.rng.IntN(17)]
		options = append(options, string(b), string(b))
	}
	return options[g.rng.IntN(len(options))]
}

func (g *faker) brokenBytes(r *validate.BytesRules) []byte {
	if r == nil {
		r = &validate.BytesRules{}
	}
	var options [][]byte
	if r.MaxLen != nil && int(r.GetMaxLen()) < maxBreakLength {
		options = append(options, g.rawBytes(int(r.GetMaxLen())+1))
	}
	if r.GetMinLen() > 0 {
		options = append(options, g.rawBytes(int(r.GetMinLen())-1))
	}
	if r.Len != nil {
		options = append(options, g.rawBytes(int(r.GetLen())+1), g.rawBytes(max(0, int(r.GetLen())-1)))
	}
	if r.GetIpv4() || r.GetIpv6() || r.GetIp() {
		options = append(options, g.rawBytes(5), g.rawBytes(15))
	}
	if len(r.GetNotIn()) > 0 {
		options = append(options, r.GetNotIn()[0])
	}
	options = append(options, g.rawBytes(g.rng.IntN(20)), nil)
	return options[g.rng.IntN(len(options))]
}

func (g *faker) brokenNumber(fd protoreflect.FieldDescriptor, r *validate.FieldRules) protoreflect.Value {
	k := fd.Kind()
	var n numeric
	if _, typed := ruleKind(r); typed != nil {
		n = readNumeric(typed)
	}
	var options []float64
	f := func(v protoreflect.Value) float64 { return asFloat(k, v) }
	step := 1.0
	if isFloat(k) {
		step = 0.25
	}
	if n.hasGt {
		options = append(options, f(n.gt), f(n.gt)-step)
	}
	if n.hasGte {
		options = append(options, f(n.gte)-step)
	}
	if n.hasLt {
		options = append(options, f(n.lt), f(n.lt)+step)
	}
	if n.hasLte {
		options = append(options, f(n.lte)+step)
	}
	if n.hasConst {
		options = append(options, f(n.constV)+step)
	}
	if n.notIn != nil && n.notIn.Len() > 0 {
		options = append(options, f(n.notIn.Get(0)))
	}
	if n.in != nil && n.in.Len() > 0 {
		options = append(options, f(n.in.Get(0))+step, 0)
	}
	options = append(options, 0, -1, 1e9, -1e9)
	if isFloat(k) {
		options = append(options, math.NaN(), math.Inf(1), math.Inf(-1))
	}
	return numberOf(k, options[g.rng.IntN(len(options))])
}

// The mutation corpus (TestMutationCorpus) breaks each rule of each field
// once and writes each value once in each form protojson also reads. The
// functions below make its mutations deterministically: the candidates
// for a rule are tried in order, and the corpus keeps the one that breaks
// that rule with the fewest other violations.

// ruleTarget is one rule set on a field, named as RulePath names a
// violation of it ("string.min_len", "repeated.items.string.max_len",
// "required", "cel" with the CEL rule's id).
type ruleTarget struct {
	path string
	id   string
}

func (t ruleTarget) String() string {
	if t.id != "" {
		return t.path + "[" + t.id + "]"
	}
	return t.path
}

// fieldRuleTargets lists the rules r sets, nested ones (list items, map
// keys and values) included; rules ignored always are left out.
func fieldRuleTargets(r *validate.FieldRules) []ruleTarget {
	var out []ruleTarget
	var walk func(r *validate.FieldRules, prefix string)
	walk = func(r *validate.FieldRules, prefix string) {
		if r == nil || r.GetIgnore() == validate.Ignore_IGNORE_ALWAYS {
			return
		}
		if r.GetRequired() && prefix == "" {
			out = append(out, ruleTarget{path: "required"})
		}
		for _, c := range r.GetCel() {
			out = append(out, ruleTarget{path: prefix + "cel", id: c.GetId()})
		}
		typ, typed := ruleKind(r)
		if typ == nil {
			return
		}
		kind := string(typ.Name())
		typed.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			name := string(fd.Name())
			switch {
			case fd.IsExtension() || name == "example":
			case kind == "repeated" && name == "items":
				walk(v.Message().Interface().(*validate.FieldRules), prefix+"repeated.items.")
			case kind == "map" && (name == "keys" || name == "values"):
				walk(v.Message().Interface().(*validate.FieldRules), prefix+"map."+name+".")
			default:
				out = append(out, ruleTarget{path: prefix + kind + "." + name})
			}
			return true
		})
	}
	walk(r, "")
	return out
}

// mutation changes the message that holds a field.
type mutation struct {
	how   string
	apply func(m protoreflect.Message)
}

// ruleMutations returns changes of fd, in a message, that may break the
// rule t of its rules r: the corpus keeps the first that does.
func (g *faker) ruleMutations(fd protoreflect.FieldDescriptor, r *validate.FieldRules, t ruleTarget) []mutation {
	name := string(fd.Name())
	set := func(v protoreflect.Value) mutation {
		return mutation{how: fmt.Sprintf("%s = %s", name, shortValue(v)), apply: func(m protoreflect.Message) { m.Set(fd, v) }}
	}
	rr, mr := r.GetRepeated(), r.GetMap()
	// items returns n valid items of the list, distinct when the rules
	// ask for it.
	items := func(n int) []protoreflect.Value {
		var out []protoreflect.Value
		seen := map[string]bool{}
		for i := 0; len(out) < n && i < 50*n+50; i++ {
			v := g.value(fd, rr.GetItems(), 1)
			if k := fmt.Sprint(v.Interface()); !seen[k] || !rr.GetUnique() {
				seen[k] = true
				out = append(out, v)
			}
		}
		return out
	}
	list := func(how string, vs []protoreflect.Value) mutation {
		return mutation{how: name + ": " + how, apply: func(m protoreflect.Message) {
			m.Clear(fd)
			l := m.Mutable(fd).List()
			for _, v := range vs {
				l.Append(v)
			}
		}}
	}
	pairs := func(how string, n int, key, value func(i int) protoreflect.Value) mutation {
		return mutation{how: name + ": " + how, apply: func(m protoreflect.Message) {
			mm := m.Mutable(fd).Map()
			for i := 0; mm.Len() < n && i < 50*n+50; i++ {
				mm.Set(key(i).MapKey(), value(i))
			}
		}}
	}
	validKey := func(int) protoreflect.Value { return g.value(fd.MapKey(), mr.GetKeys(), 1) }
	validValue := func(int) protoreflect.Value { return g.value(fd.MapValue(), mr.GetValues(), 1) }
	switch p := t.path; {
	case p == "required":
		return []mutation{{how: name + ": cleared", apply: func(m protoreflect.Message) { m.Clear(fd) }}}
	case p == "repeated.min_items":
		return []mutation{list(fmt.Sprintf("%d items", rr.GetMinItems()-1), items(int(rr.GetMinItems())-1))}
	case p == "repeated.max_items":
		if rr.GetMaxItems() >= maxBreakLength {
			return nil
		}
		return []mutation{list(fmt.Sprintf("%d items", rr.GetMaxItems()+1), items(int(rr.GetMaxItems())+1))}
	case p == "repeated.unique":
		vs := items(1)
		return []mutation{list("a duplicate item", append(vs, vs...))}
	case p == "map.min_pairs":
		return []mutation{{how: name + ": too few pairs", apply: func(m protoreflect.Message) {
			m.Clear(fd)
			pairs("", int(mr.GetMinPairs())-1, validKey, validValue).apply(m)
		}}}
	case p == "map.max_pairs":
		if mr.GetMaxPairs() >= maxBreakLength {
			return nil
		}
		return []mutation{pairs("too many pairs", int(mr.GetMaxPairs())+1, validKey, validValue)}
	case strings.HasPrefix(p, "repeated.items."):
		var out []mutation
		for _, v := range g.elementCandidates(fd, rr.GetItems()) {
			out = append(out, list("item "+shortValue(v), []protoreflect.Value{v}))
		}
		return out
	case strings.HasPrefix(p, "map.keys."):
		var out []mutation
		for _, k := range g.elementCandidates(fd.MapKey(), mr.GetKeys()) {
			out = append(out, mutation{how: name + ": key " + shortValue(k), apply: func(m protoreflect.Message) {
				m.Clear(fd)
				m.Mutable(fd).Map().Set(k.MapKey(), validValue(0))
			}})
		}
		return out
	case strings.HasPrefix(p, "map.values."):
		var out []mutation
		for _, v := range g.elementCandidates(fd.MapValue(), mr.GetValues()) {
			out = append(out, mutation{how: name + ": value " + shortValue(v), apply: func(m protoreflect.Message) {
				m.Clear(fd)
				m.Mutable(fd).Map().Set(validKey(0).MapKey(), v)
			}})
		}
		return out
	case fd.IsList() || fd.IsMap():
		return nil
	}
	var out []mutation
	for _, v := range append(boundCandidates(fd, r, t.path), g.elementCandidates(fd, r)...) {
		out = append(out, set(v))
	}
	return out
}

// boundCandidates are the values just past the numeric bound the rule
// (int32.lte...) names, to try first: protovalidate reports a value out of
// a range under either bound.
func boundCandidates(fd protoreflect.FieldDescriptor, r *validate.FieldRules, rule string) []protoreflect.Value {
	k := fd.Kind()
	if md := fd.Message(); md != nil {
		v := wrapperValue(md)
		if v == nil {
			return nil
		}
		var out []protoreflect.Value
		for _, x := range boundCandidates(v, r, rule) {
			m := dynamicpb.NewMessage(md)
			m.Set(v, x)
			out = append(out, protoreflect.ValueOfMessage(m))
		}
		return out
	}
	_, typed := ruleKind(r)
	if typed == nil || k == protoreflect.StringKind || k == protoreflect.BytesKind || k == protoreflect.EnumKind || k == protoreflect.BoolKind {
		return nil
	}
	name := rule[strings.LastIndexByte(rule, '.')+1:]
	if name != "gt" && name != "gte" && name != "lt" && name != "lte" {
		return nil
	}
	bd := typed.Descriptor().Fields().ByName(protoreflect.Name(name))
	if bd == nil || bd.IsList() || !typed.Has(bd) {
		return nil
	}
	step := 1.0
	if isFloat(k) {
		step = 0.25
	}
	b := asFloat(k, typed.Get(bd))
	switch name {
	case "gt", "lte":
		return []protoreflect.Value{numberOf(k, b+step), numberOf(k, b)}
	case "gte", "lt":
		return []protoreflect.Value{numberOf(k, b-step), numberOf(k, b)}
	}
	return nil
}

// shortValue prints a value for a case's description.
func shortValue(v protoreflect.Value) string {
	s := fmt.Sprintf("%q", fmt.Sprint(v.Interface()))
	if len(s) > 40 {
		s = s[:37] + "…\""
	}
	return s
}

// elementCandidates returns values of fd's kind (an item for lists) that
// break some rule of r: near the bounds, outside the sets, of the wrong
// format.
func (g *faker) elementCandidates(fd protoreflect.FieldDescriptor, r *validate.FieldRules) []protoreflect.Value {
	var out []protoreflect.Value
	switch fd.Kind() {
	case protoreflect.StringKind:
		for _, s := range g.stringCandidates(r.GetString()) {
			out = append(out, protoreflect.ValueOfString(s))
		}
	case protoreflect.BytesKind:
		for _, b := range bytesCandidates(r.GetBytes()) {
			out = append(out, protoreflect.ValueOfBytes(b))
		}
	case protoreflect.BoolKind:
		out = append(out, protoreflect.ValueOfBool(false), protoreflect.ValueOfBool(true))
	case protoreflect.EnumKind:
		er := r.GetEnum()
		nums := []int32{-1, 0, 1, 2, 3, 4, 5, 6, 99}
		nums = append(nums, er.GetNotIn()...)
		if er != nil && er.Const != nil {
			nums = append(nums, er.GetConst()+1)
		}
		for _, n := range nums {
			out = append(out, protoreflect.ValueOfEnum(protoreflect.EnumNumber(n)))
		}
	case protoreflect.MessageKind, protoreflect.GroupKind:
		md := fd.Message()
		if v := wrapperValue(md); v != nil {
			for _, x := range g.elementCandidates(v, r) {
				m := dynamicpb.NewMessage(md)
				m.Set(v, x)
				out = append(out, protoreflect.ValueOfMessage(m))
			}
			return out
		}
		var msgs []proto.Message
		switch md.FullName() {
		case "google.protobuf.Timestamp":
			now := time.Now()
			for _, t := range []time.Time{now.Add(time.Hour), now.Add(-time.Hour), now.Add(48 * time.Hour), time.Unix(0, 0), time.Unix(1, 0), time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), now.AddDate(10, 0, 0), now.AddDate(-30, 0, 0)} {
				msgs = append(msgs, timestamppb.New(t))
			}
		case "google.protobuf.Duration":
			for _, d := range []time.Duration{0, time.Nanosecond, time.Second, -time.Second, time.Hour, -time.Hour, 100 * time.Hour} {
				msgs = append(msgs, durationpb.New(d))
			}
		}
		for _, m := range msgs {
			d := dynamicpb.NewMessage(md)
			b, _ := proto.Marshal(m)
			_ = proto.Unmarshal(b, d)
			out = append(out, protoreflect.ValueOfMessage(d))
		}
	default:
		out = g.numberCandidates(fd, r)
	}
	return out
}

// stringCandidates are strings that break string rules: lengths just
// past the bounds (in characters and in UTF-8 bytes), values outside the
// sets, near misses of the affixes and formats.
func (g *faker) stringCandidates(r *validate.StringRules) []string {
	if r == nil {
		r = &validate.StringRules{}
	}
	valid := g.string(r)
	var out []string
	repeat := func(s string, n int) {
		if n >= 0 && n < maxBreakLength {
			out = append(out, strings.Repeat(s, n))
		}
	}
	for _, n := range []*uint64{r.MinLen, r.MaxLen, r.Len} {
		if n != nil {
			repeat("a", int(*n)-1)
			repeat("a", int(*n)+1)
			repeat("é", int(*n)+1)
		}
	}
	for _, n := range []*uint64{r.MinBytes, r.MaxBytes, r.LenBytes} {
		if n != nil {
			repeat("a", int(*n)-1)
			repeat("a", int(*n)+1)
			repeat("é", (int(*n)+2)/2)
			repeat("é", int(*n)/2)
		}
	}
	if r.Const != nil {
		out = append(out, r.GetConst()+"x")
	}
	for _, in := range r.GetIn() {
		out = append(out, in+"x")
	}
	out = append(out, r.GetNotIn()...)
	if r.Prefix != nil || r.Suffix != nil || r.Contains != nil || r.NotContains != nil {
		out = append(out, "zz"+valid, valid+"zz", "zz", strings.ReplaceAll(valid, r.GetContains(), ""), valid+r.GetNotContains(), r.GetPrefix()+r.GetSuffix())
	}
	out = append(out, valid+"x", "x"+valid, valid+"!", "!", "~", "ÿ", "A", "a", "0", "-1", " ", "",
		"not valid", "a b", "http://[::1", "1.2.3.256", "::1::", "%zz", "a@b..c", "user@-x.example", "a@b@c",
		"01.2.3.4", "1:2:3:4:5:6:7:8:9", "fe80::1%", "x://a b", "HTTP://h/p?q#f#g", "mailto:x@y", "//host/path",
		"a/b:c", "-bad-.example", "1.2.3.4/33", "1.2.3.4:99999", g.uuid(false)+"0", strings.Repeat("g", 32),
		"0b7e2c8a5d414f3e9a6b1c2d3e4f5a6", "\u00a0", "a\nb")
	if len(valid) > 1 {
		out = append(out, valid[1:], valid[:len(valid)-1])
	}
	return dedupe(out)
}

func dedupe[T comparable](xs []T) []T {
	var out []T
	seen := map[T]bool{}
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// bytesCandidates are byte strings that break bytes rules.
func bytesCandidates(r *validate.BytesRules) [][]byte {
	if r == nil {
		r = &validate.BytesRules{}
	}
	filled := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(0xfb - i)
		}
		return b
	}
	var out [][]byte
	for _, n := range []*uint64{r.MinLen, r.MaxLen, r.Len} {
		if n != nil && *n < maxBreakLength {
			if *n > 0 {
				out = append(out, filled(int(*n)-1))
			}
			out = append(out, filled(int(*n)+1))
		}
	}
	if r.Const != nil {
		out = append(out, append(slices.Clone(r.GetConst()), 'x'))
	}
	for _, in := range r.GetIn() {
		out = append(out, append(slices.Clone(in), 'x'))
	}
	out = append(out, r.GetNotIn()...)
	for _, n := range []int{0, 1, 3, 4, 5, 15, 16, 17} {
		out = append(out, filled(n))
	}
	return out
}

// numberCandidates are numbers of fd's kind just past the rules' bounds,
// outside their sets, and the special values.
func (g *faker) numberCandidates(fd protoreflect.FieldDescriptor, r *validate.FieldRules) []protoreflect.Value {
	k := fd.Kind()
	var n numeric
	if _, typed := ruleKind(r); typed != nil {
		n = readNumeric(typed)
	}
	f := func(v protoreflect.Value) float64 { return asFloat(k, v) }
	step := 1.0
	if isFloat(k) {
		step = 0.25
	}
	var xs []float64
	for _, b := range []struct {
		has bool
		v   protoreflect.Value
	}{{n.hasGt, n.gt}, {n.hasGte, n.gte}, {n.hasLt, n.lt}, {n.hasLte, n.lte}, {n.hasConst, n.constV}} {
		if b.has {
			xs = append(xs, f(b.v)-step, f(b.v), f(b.v)+step)
		}
	}
	for _, l := range []protoreflect.List{n.in, n.notIn} {
		for i := 0; l != nil && i < l.Len(); i++ {
			xs = append(xs, f(l.Get(i)), f(l.Get(i))+step)
		}
	}
	xs = append(xs, 0, -1, 1, 3, 1e9, -1e9)
	if isFloat(k) {
		xs = append(xs, math.NaN(), math.Inf(1), math.Inf(-1))
	}
	var out []protoreflect.Value
	for _, x := range xs {
		out = append(out, numberOf(k, x))
	}
	return out
}

// Known differences: the forms protojson reads that the schemas check
// only in part, as the package documentation says. A case with one of
// them may be accepted though protojson or protovalidate refuse it.
const (
	knownExponentString = "numbers written as strings in exponent notation"
	knownFloatString    = "floating-point numbers written as strings"
	knownBase64Break    = "base64 with line breaks"
	knownNegativeZero   = "-0 as a JSON number in a floating-point field"
	knownDoubleRange    = "JSON numbers beyond double's range"
)

// form is one way of writing a JSON value of a payload differently.
type form struct {
	how   string
	value any
	// known names the documented difference under which the schemas may
	// accept the form though protojson refuses it.
	known string
}

// int32Bounds and int64Bounds are the ranges of the integer kinds, as
// decimal strings.
func kindBounds(k protoreflect.Kind) (lo, hi string) {
	switch k {
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return "0", "4294967295"
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return "0", "18446744073709551615"
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return "-9223372036854775808", "9223372036854775807"
	}
	return "-2147483648", "2147483647"
}

// addOne adds d (1 or -1) to a decimal string.
func addOne(s string, d int64) string {
	var n big.Int
	n.SetString(s, 10)
	return n.Add(&n, big.NewInt(d)).String()
}

// valueForms returns the ways of writing x, a JSON value of fd's kind
// as protojson writes it, that protojson also reads, or nearly: each form
// once, the oracle says which are valid.
func valueForms(fd protoreflect.FieldDescriptor, x any) []form {
	k := fd.Kind()
	if md := fd.Message(); md != nil {
		if v := wrapperValue(md); v != nil {
			return valueForms(v, x)
		}
		s, _ := x.(string)
		switch md.FullName() {
		case "google.protobuf.Timestamp":
			return timestampForms(s)
		case "google.protobuf.Duration":
			return durationForms(s)
		case "google.protobuf.FieldMask":
			return fieldMaskForms(s)
		}
		return nil
	}
	switch {
	case k == protoreflect.BoolKind:
		return []form{{how: "as a string", value: fmt.Sprint(x)}, {how: "as a number", value: json.Number("1")}}
	case k == protoreflect.EnumKind:
		out := []form{{how: "an undefined number", value: json.Number("99")}, {how: "a number beyond int32", value: json.Number("2147483648")}}
		if name, ok := x.(string); ok {
			if ev := fd.Enum().Values().ByName(protoreflect.Name(name)); ev != nil {
				num := fmt.Sprint(ev.Number())
				out = append(out, form{how: "as its number", value: json.Number(num)},
					form{how: "as its number with a zero fraction", value: json.Number(num + ".0")},
					form{how: "as its number in a string", value: num},
					form{how: "in lower case", value: strings.ToLower(name)})
			}
		}
		return out
	case k == protoreflect.BytesKind:
		return bytesForms(x.(string))
	case isFloat(k):
		return floatForms(k, x)
	case isWide(k):
		s, _ := x.(string)
		return integerForms(k, s, true)
	case k == protoreflect.StringKind:
		return nil
	}
	n, _ := x.(json.Number)
	return integerForms(k, string(n), false)
}

// integerForms writes the integer n (decimal) of kind k every way
// protojson reads it, and a few ways it does not.
func integerForms(k protoreflect.Kind, n string, wide bool) []form {
	num := func(s string) any { return json.Number(s) }
	str := func(s string) any { return s }
	var out []form
	add := func(how string, v string, known string) {
		out = append(out, form{how: "as a string" + how, value: str(v), known: known}, form{how: "as a number" + how, value: num(v)})
	}
	if wide {
		out = append(out, form{how: "as a number", value: num(n)})
	} else {
		out = append(out, form{how: "as a string", value: str(n)})
	}
	add(" with a zero fraction", n+".0", "")
	add(" in exponent notation", n+"e0", knownExponentString)
	add(" in exponent notation with a fraction", n+"5e-1", knownExponentString)
	add(" with a fraction", n+".5", "")
	out = append(out, form{how: "as a string with a plus sign", value: "+" + strings.TrimPrefix(n, "-")},
		form{how: "as a string with a leading zero", value: "0" + strings.TrimPrefix(n, "-")},
		form{how: "as a string with a space", value: " " + n},
		form{how: "as negative zero", value: num("-0")}, form{how: "as negative zero in a string", value: str("-0")})
	lo, hi := kindBounds(k)
	add(" at the kind's maximum", hi, "")
	add(" just above the kind's maximum", addOne(hi, 1), "")
	add(" at the kind's minimum", lo, "")
	add(" just below the kind's minimum", addOne(lo, -1), "")
	return out
}

// floatForms writes a float or double x every way protojson reads it,
// and a few ways it does not.
func floatForms(k protoreflect.Kind, x any) []form {
	var out []form
	if n, ok := x.(json.Number); ok {
		out = append(out, form{how: "as a string", value: string(n), known: knownFloatString},
			form{how: "as a string with a space", value: " " + string(n)})
		if !strings.ContainsAny(string(n), "eE") {
			out = append(out, form{how: "in exponent notation", value: json.Number(string(n) + "e0")})
		}
	}
	out = append(out, form{how: "NaN in lower case", value: "nan"}, form{how: "negative zero", value: json.Number("-0"), known: knownNegativeZero},
		form{how: "negative zero as a string", value: "-0", known: knownFloatString})
	if k == protoreflect.FloatKind {
		out = append(out,
			form{how: "float's largest value", value: json.Number("3.4028235e38")},
			form{how: "just below the limit that rounds to infinity", value: json.Number("340282356779733661637539395458142568447")},
			form{how: "at the limit that rounds to infinity", value: json.Number("340282356779733661637539395458142568448")},
			form{how: "at minus the limit that rounds to infinity", value: json.Number("-340282356779733661637539395458142568448")},
			form{how: "beyond float's range, as a string", value: "1e39", known: knownFloatString})
	} else {
		out = append(out,
			form{how: "double's largest value", value: json.Number("1.7976931348623157e308")},
			form{how: "beyond double's range", value: json.Number("1e309"), known: knownDoubleRange},
			form{how: "below double's range", value: json.Number("-1e309"), known: knownDoubleRange},
			form{how: "beyond double's range, as a string", value: "1e309", known: knownFloatString})
	}
	return out
}

// bytesForms writes the bytes of s (standard base64) every way protojson
// reads them, and a few ways it does not.
func bytesForms(s string) []form {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil
	}
	out := []form{
		{how: "as URL-safe base64", value: base64.URLEncoding.EncodeToString(b)},
		{how: "as base64 without padding", value: base64.RawStdEncoding.EncodeToString(b)},
		{how: "as URL-safe base64 without padding", value: base64.RawURLEncoding.EncodeToString(b)},
		{how: "with a line break", value: s[:len(s)/2] + "\n" + s[len(s)/2:], known: knownBase64Break},
		{how: "with a line break at the end", value: s + "\n", known: knownBase64Break},
		{how: "with padding in the middle", value: "YQ==" + s},
		{how: "mixing the two alphabets", value: "+-8="},
		{how: "with a space", value: " " + s},
	}
	if n := len(b) % 3; n != 0 {
		// The last character carries bits that do not count: any value
		// of them decodes to the same bytes.
		raw := []byte(strings.TrimRight(s, "="))
		last := strings.IndexByte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", raw[len(raw)-1])
		raw[len(raw)-1] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[last|[]int{0, 15, 3}[n]]
		out = append(out, form{how: "with non-zero trailing bits", value: string(raw) + strings.Repeat("=", 3-n)})
		out = append(out, form{how: "with one padding character missing", value: s[:len(s)-1]})
	}
	return out
}

// timestampForms writes the time s (RFC 3339, as protojson writes it)
// every way protojson reads it, and a few ways it does not.
func timestampForms(s string) []form {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil
	}
	out := []form{
		{how: "with an offset", value: t.In(time.FixedZone("", 5*3600+30*60)).Format(time.RFC3339Nano)},
		{how: "with a negative offset", value: t.In(time.FixedZone("", -8*3600)).Format(time.RFC3339Nano)},
		{how: "with the offset -00:00", value: strings.TrimSuffix(s, "Z") + "-00:00"},
		{how: "with the offset +24:00", value: t.In(time.FixedZone("", 24*3600)).Format(time.RFC3339Nano)},
		{how: "with an offset of 60 minutes", value: strings.TrimSuffix(t.Add(time.Hour).Format("2006-01-02T15:04:05.999999999"), ".") + "+00:60"},
		{how: "with an offset of 25 hours", value: strings.TrimSuffix(s, "Z") + "+25:00"},
		{how: "with a comma before the fraction", value: t.Format("2006-01-02T15:04:05") + ",5Z"},
		{how: "with ten fraction digits", value: t.Format("2006-01-02T15:04:05") + ".1234567891Z"},
		{how: "with ten fraction digits after a comma", value: t.Format("2006-01-02T15:04:05") + ",1234567891Z"},
		{how: "with an empty fraction", value: t.Format("2006-01-02T15:04:05") + ".Z"},
		{how: "in lower case", value: strings.ToLower(s)},
		{how: "with a space for T", value: strings.Replace(s, "T", " ", 1)},
		{how: "without seconds", value: t.Format("2006-01-02T15:04") + "Z"},
		{how: "in year 0000", value: "0000-06-01T00:00:00Z"},
		{how: "at the start of year 1", value: "0001-01-01T00:00:00Z"},
		{how: "before year 1 by its offset", value: "0001-01-01T00:59:59+01:00"},
		{how: "in year 1 by its offset", value: "0001-01-01T01:00:00+01:00"},
		{how: "at the end of year 9999", value: "9999-12-31T23:59:59.999999999Z"},
		{how: "after year 9999 by its offset", value: "9999-12-31T23:00:00-01:00"},
		{how: "in year 9999 by its offset", value: "9999-12-31T22:59:59-01:00"},
		{how: "on February 29 of a leap year", value: "2024-02-29T12:00:00Z"},
		{how: "on February 29, 1900", value: "1900-02-29T12:00:00Z"},
		{how: "on February 29, 2000", value: "2000-02-29T12:00:00Z"},
		{how: "on February 30", value: "2023-02-30T12:00:00Z"},
		{how: "on April 31", value: "2023-04-31T12:00:00Z"},
		{how: "at hour 24", value: "2023-04-01T24:00:00Z"},
		{how: "at second 60", value: "2016-12-31T23:59:60Z"},
	}
	return out
}

// durationForms writes the duration s (as protojson writes it) every way
// protojson reads it, and a few ways it does not.
func durationForms(s string) []form {
	num := strings.TrimSuffix(s, "s")
	out := []form{
		{how: "with a plus sign", value: "+" + num + "s"},
		{how: "with a leading zero", value: "0" + strings.TrimPrefix(num, "-") + "s"},
		{how: "in upper case", value: num + "S"},
		{how: "without the unit", value: num},
		{how: "with a space", value: " " + s},
		{how: "at the end of the range", value: "315576000000.999999999s"},
		{how: "at the negative end of the range", value: "-315576000000.999999999s"},
		{how: "just beyond the range", value: "315576000001s"},
		{how: "just below the range", value: "-315576000001s"},
		{how: "with ten fraction digits", value: num + ".0000000000s"},
		{how: "with nothing but a point", value: ".s"},
		{how: "as a fraction without zero", value: ".5s"},
		{how: "as a negative fraction without zero", value: "-.5s"},
	}
	if !strings.Contains(num, ".") {
		out = append(out, form{how: "with a trailing point", value: num + ".s"})
	}
	return out
}

// fieldMaskForms writes the field mask s every way protojson reads it,
// and a few ways it does not.
func fieldMaskForms(s string) []form {
	out := []form{
		{how: "with spaces around it", value: " " + s + " "},
		{how: "with no-break spaces around it", value: "\u00a0" + s + "\u2003"},
		{how: "with an underscore", value: "a_b"},
		{how: "with an empty path", value: "a,,b"},
		{how: "with a space inside", value: "a, b"},
		{how: "with a path starting with a digit", value: "a.1b"},
		{how: "with a capitalised path", value: "Ab.Cd,eF"},
	}
	return out
}

// jsonPlace is where a value sits in a payload: the keys and indexes
// from the root.
type jsonPlace []any

// jsonCase is a payload written differently from the base.
type jsonCase struct {
	how     string
	payload []byte
	known   string
}

// jsonForms returns the payloads that write base (a message of md as
// protojson writes it) differently, each form once per field: values in
// every form protojson reads (and near misses), fields under their proto
// names, null, explicit defaults, unknown fields, values of the wrong
// type, map keys written differently and second members of oneofs.
func (g *faker) jsonForms(md protoreflect.MessageDescriptor, base []byte) []jsonCase {
	var root map[string]any
	dec := json.NewDecoder(strings.NewReader(string(base)))
	dec.UseNumber()
	if err := dec.Decode(&root); err != nil {
		return nil
	}
	var out []jsonCase
	edit := func(how, known string, fn func(root map[string]any)) {
		c := deepCopyJSON(root).(map[string]any)
		fn(c)
		b, err := json.Marshal(c)
		if err != nil {
			return
		}
		out = append(out, jsonCase{how: how, payload: b, known: known})
	}
	var walk func(md protoreflect.MessageDescriptor, place jsonPlace, obj map[string]any)
	walk = func(md protoreflect.MessageDescriptor, place jsonPlace, obj map[string]any) {
		at := func(p jsonPlace) func(root map[string]any) map[string]any {
			return func(root map[string]any) map[string]any { return jsonAt(root, p).(map[string]any) }
		}(place)
		label := func(fd protoreflect.FieldDescriptor) string { return string(fd.FullName()) }
		edit(string(md.FullName())+": an unknown field", "", func(r map[string]any) { at(r)["zzUnknown"] = 1 })
		fields := md.Fields()
		for i := range fields.Len() {
			fd := fields.Get(i)
			name := fd.JSONName()
			v, present := obj[name]
			if !present {
				edit(label(fd)+": null while unset", "", func(r map[string]any) { at(r)[name] = nil })
				if !fd.HasPresence() {
					edit(label(fd)+": its default, explicitly", "", func(r map[string]any) { at(r)[name] = jsonDefault(fd) })
				}
				if od := fd.ContainingOneof(); od != nil && !od.IsSynthetic() {
					// Another member set: a second one when one is.
					other, err := protojsonValue(g, fd)
					if err == nil {
						edit(label(fd)+": set beside the oneof's member", "", func(r map[string]any) { at(r)[name] = other })
					}
				}
				continue
			}
			edit(label(fd)+": null", "", func(r map[string]any) { at(r)[name] = nil })
			if proto := string(fd.Name()); proto != name {
				edit(label(fd)+": under its proto name", "", func(r map[string]any) { o := at(r); o[proto] = o[name]; delete(o, name) })
				edit(label(fd)+": under both names", "", func(r map[string]any) { o := at(r); o[proto] = o[name] })
			}
			if wrong, ok := wrongType(fd); ok {
				edit(label(fd)+": of the wrong JSON type", "", func(r map[string]any) { at(r)[name] = wrong })
			}
			switch {
			case fd.IsList():
				items, _ := v.([]any)
				if len(items) == 0 {
					continue
				}
				if !isValueType(fd) {
					edit(label(fd)+": a null item", "", func(r map[string]any) { at(r)[name] = append(at(r)[name].([]any), nil) })
				}
				g.valueEdits(fd, append(slices.Clone(place), name, 0), items[0], label(fd)+": item", edit)
				if sub, ok := items[0].(map[string]any); ok && fd.Message() != nil && wrapperValue(fd.Message()) == nil && fd.Message().ParentFile().Package() != "google.protobuf" {
					walk(fd.Message(), append(slices.Clone(place), name, 0), sub)
				}
			case fd.IsMap():
				m, _ := v.(map[string]any)
				if len(m) == 0 {
					continue
				}
				keys := make([]string, 0, len(m))
				for key := range m {
					keys = append(keys, key)
				}
				sort.Strings(keys)
				key := keys[0]
				for _, kf := range keyForms(fd.MapKey(), key) {
					edit(label(fd)+": key "+kf.how, kf.known, func(r map[string]any) {
						mm := at(r)[name].(map[string]any)
						val := mm[key]
						delete(mm, key)
						mm[kf.value.(string)] = val
					})
				}
				if !isValueType(fd.MapValue()) {
					edit(label(fd)+": a null value", "", func(r map[string]any) { at(r)[name].(map[string]any)[key] = nil })
				}
				g.valueEdits(fd.MapValue(), append(slices.Clone(place), name, key), m[key], label(fd)+": value", edit)
				if sub, ok := m[key].(map[string]any); ok && fd.MapValue().Message() != nil && fd.MapValue().Message().ParentFile().Package() != "google.protobuf" {
					walk(fd.MapValue().Message(), append(slices.Clone(place), name, key), sub)
				}
			default:
				g.valueEdits(fd, append(slices.Clone(place), name), v, label(fd), edit)
				if sub, ok := v.(map[string]any); ok && fd.Message() != nil && fd.Message().ParentFile().Package() != "google.protobuf" {
					walk(fd.Message(), append(slices.Clone(place), name), sub)
				}
			}
		}
	}
	walk(md, nil, root)
	return out
}

// valueEdits adds an edit per form of the value v at place.
func (g *faker) valueEdits(fd protoreflect.FieldDescriptor, place jsonPlace, v any, label string, edit func(how, known string, fn func(map[string]any))) {
	for _, f := range valueForms(fd, v) {
		edit(label+" "+f.how, f.known, func(r map[string]any) { jsonSet(r, place, f.value) })
	}
}

// keyForms writes a map key every way protojson reads it, and a few ways
// it does not.
func keyForms(fd protoreflect.FieldDescriptor, key string) []form {
	k := fd.Kind()
	switch {
	case k == protoreflect.BoolKind:
		return []form{{how: "capitalised", value: strings.ToUpper(key[:1]) + key[1:]}, {how: "as a number", value: "1"}}
	case k == protoreflect.StringKind:
		return nil
	}
	lo, hi := kindBounds(k)
	digits := strings.TrimPrefix(key, "-")
	return []form{
		{how: "with a leading zero", value: strings.TrimSuffix(key, digits) + "0" + digits},
		{how: "with a plus sign", value: "+" + digits},
		{how: "as negative zero", value: "-0"},
		{how: "with a zero fraction", value: key + ".0"},
		{how: "with a space", value: " " + key},
		{how: "at the kind's maximum", value: hi},
		{how: "just above the kind's maximum", value: addOne(hi, 1)},
		{how: "at the kind's minimum", value: lo},
		{how: "just below the kind's minimum", value: addOne(lo, -1)},
	}
}

// protojsonValue is a valid value of fd as protojson writes it.
func protojsonValue(g *faker, fd protoreflect.FieldDescriptor) (any, error) {
	m := dynamicpb.NewMessage(fd.ContainingMessage())
	g.set(m, fd, 1)
	b, err := protojson.Marshal(m)
	if err != nil {
		return nil, err
	}
	var obj map[string]any
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&obj); err != nil {
		return nil, err
	}
	v, ok := obj[fd.JSONName()]
	if !ok {
		return nil, fmt.Errorf("%s: default value", fd.FullName())
	}
	return v, nil
}

func deepCopyJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = deepCopyJSON(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopyJSON(e)
		}
		return out
	}
	return v
}

// jsonAt returns the value at place.
func jsonAt(root any, place jsonPlace) any {
	cur := root
	for _, p := range place {
		switch k := p.(type) {
		case string:
			cur = cur.(map[string]any)[k]
		case int:
			cur = cur.([]any)[k]
		}
	}
	return cur
}

// jsonSet sets the value at place.
func jsonSet(root any, place jsonPlace, v any) {
	parent := jsonAt(root, place[:len(place)-1])
	switch k := place[len(place)-1].(type) {
	case string:
		parent.(map[string]any)[k] = v
	case int:
		parent.([]any)[k] = v
	}
}
