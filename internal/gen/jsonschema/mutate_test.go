package jsonschema

import (
	"math"
	"strings"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"
)

// maxBreakLength bounds the values the mutations build: a rule like
// max_len 64 MiB is broken in the boundary test, not 10,000 times.
const maxBreakLength = 1 << 12

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
