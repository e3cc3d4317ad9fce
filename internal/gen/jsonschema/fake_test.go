package jsonschema

import (
	"fmt"
	"math"
	"math/rand/v2"
	"net/netip"
	"regexp/syntax"
	"slices"
	"strings"
	"time"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"buf.build/go/protovalidate"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/provisionhq/provision/internal/model"
)

// faker makes random messages from the rules of their fields: mostly
// valid values, derived from the rules and the catalog's examples, so that
// the differential test sees both verdicts often.
type faker struct {
	rng *rand.Rand
	// full sets every field, a member of every oneof and at least one
	// item of every list and map: the base payloads of the mutation
	// corpus.
	full bool
	// examples holds each field's example, by field full name.
	examples map[protoreflect.FullName]string
}

func newFaker(seed uint64, s *model.Scenario) *faker {
	f := &faker{rng: rand.New(rand.NewPCG(seed, 0x5eed)), examples: map[protoreflect.FullName]string{}}
	if s == nil {
		return f
	}
	s.Walk(func(fl *model.Field) bool {
		if ex := fl.Item.GetExample(); ex != "" {
			f.examples[fl.Desc.FullName()] = ex
		}
		return true
	})
	return f
}

func (g *faker) chance(p float64) bool { return g.rng.Float64() < p }

func (g *faker) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + g.rng.IntN(hi-lo+1)
}

func rulesOf(fd protoreflect.FieldDescriptor) *validate.FieldRules {
	fr, err := resolveRules(fd)
	if err != nil {
		return nil
	}
	return fr.rules
}

// message returns a random message of md.
func (g *faker) message(md protoreflect.MessageDescriptor, depth int) *dynamicpb.Message {
	m := dynamicpb.NewMessage(md)
	chosen := map[protoreflect.Name]bool{}
	oneofs := md.Oneofs()
	for i := range oneofs.Len() {
		od := oneofs.Get(i)
		if od.IsSynthetic() || (!g.full && !g.chance(0.9)) {
			continue
		}
		chosen[od.Fields().Get(g.rng.IntN(od.Fields().Len())).Name()] = true
	}
	// A message oneof rule: at most one of its fields.
	skip := map[protoreflect.Name]bool{}
	if mr, err := protovalidate.ResolveMessageRules(md); err == nil {
		for _, o := range mr.GetOneof() {
			keep := o.GetFields()[g.rng.IntN(len(o.GetFields()))]
			for _, name := range o.GetFields() {
				skip[protoreflect.Name(name)] = name != keep || (!g.full && g.chance(0.2))
			}
		}
	}
	fields := md.Fields()
	for i := range fields.Len() {
		fd := fields.Get(i)
		if od := fd.ContainingOneof(); od != nil && !od.IsSynthetic() {
			if chosen[fd.Name()] {
				g.set(m, fd, depth)
			}
			continue
		}
		p := 0.7
		if !fd.HasPresence() {
			p = 0.95
		}
		if !skip[fd.Name()] && (g.full || g.chance(p) || rulesOf(fd).GetRequired()) {
			g.set(m, fd, depth)
		}
	}
	return m
}

// set gives fd a random value in m.
func (g *faker) set(m *dynamicpb.Message, fd protoreflect.FieldDescriptor, depth int) {
	r := rulesOf(fd)
	switch {
	case fd.IsList():
		rr := r.GetRepeated()
		if rr == nil {
			rr = &validate.RepeatedRules{}
		}
		lo, hi := int(rr.GetMinItems()), int(rr.GetMinItems())+3
		if rr.MaxItems != nil {
			hi = min(hi, int(rr.GetMaxItems()))
		}
		if g.full {
			lo = max(lo, min(1, hi))
		}
		l := m.Mutable(fd).List()
		var seen []string
		for range g.between(lo, hi) {
			v := g.value(fd, rr.GetItems(), depth)
			key := fmt.Sprint(v.Interface())
			if rr.GetUnique() && slices.Contains(seen, key) {
				continue
			}
			seen = append(seen, key)
			l.Append(v)
		}
	case fd.IsMap():
		mr := r.GetMap()
		if mr == nil {
			mr = &validate.MapRules{}
		}
		lo, hi := int(mr.GetMinPairs()), int(mr.GetMinPairs())+3
		if mr.MaxPairs != nil {
			hi = min(hi, int(mr.GetMaxPairs()))
		}
		if g.full {
			lo = max(lo, min(1, hi))
		}
		mm := m.Mutable(fd).Map()
		for range g.between(lo, hi) {
			k := g.value(fd.MapKey(), mr.GetKeys(), depth)
			mm.Set(k.MapKey(), g.value(fd.MapValue(), mr.GetValues(), depth))
		}
	default:
		m.Set(fd, g.value(fd, r, depth))
	}
}

// value is one random value of fd's kind (an element for lists and
// maps) under rules r.
func (g *faker) value(fd protoreflect.FieldDescriptor, r *validate.FieldRules, depth int) protoreflect.Value {
	if ex, ok := g.examples[fd.FullName()]; ok && !fd.IsMap() && g.chance(0.3) {
		if v, ok := exampleValue(fd, ex); ok {
			return v
		}
	}
	switch fd.Kind() {
	case protoreflect.MessageKind, protoreflect.GroupKind:
		return protoreflect.ValueOfMessage(g.wellKnownOrMessage(fd.Message(), r, depth))
	case protoreflect.EnumKind:
		return protoreflect.ValueOfEnum(g.enum(fd.Enum(), r.GetEnum()))
	case protoreflect.StringKind:
		return protoreflect.ValueOfString(g.string(r.GetString()))
	case protoreflect.BytesKind:
		return protoreflect.ValueOfBytes(g.bytes(r.GetBytes()))
	case protoreflect.BoolKind:
		if c := r.GetBool(); c != nil && c.Const != nil && g.chance(0.97) {
			return protoreflect.ValueOfBool(c.GetConst())
		}
		return protoreflect.ValueOfBool(g.chance(0.5))
	}
	return g.number(fd, r)
}

// exampleValue parses a field's example as one value of its kind.
func exampleValue(fd protoreflect.FieldDescriptor, ex string) (protoreflect.Value, bool) {
	m, err := model.ExampleMessage(fd, ex)
	if err != nil {
		return protoreflect.Value{}, false
	}
	v := m.Get(fd)
	if fd.IsList() {
		if v.List().Len() == 0 {
			return protoreflect.Value{}, false
		}
		return v.List().Get(0), true
	}
	return v, true
}

func (g *faker) wellKnownOrMessage(md protoreflect.MessageDescriptor, r *validate.FieldRules, depth int) protoreflect.Message {
	m := g.wellKnownOrMessageOf(md, r, depth)
	if m.Descriptor() == md {
		return m
	}
	// A generated well-known type: the same message under md, which may be
	// another descriptor of the same file.
	d := dynamicpb.NewMessage(md)
	b, err := proto.Marshal(m.Interface())
	if err == nil {
		err = proto.Unmarshal(b, d)
	}
	if err != nil {
		panic(err)
	}
	return d
}

func (g *faker) wellKnownOrMessageOf(md protoreflect.MessageDescriptor, r *validate.FieldRules, depth int) protoreflect.Message {
	switch md.FullName() {
	case "google.protobuf.Timestamp":
		t := time.Unix(g.rng.Int64N(1_700_000_000), 0)
		if g.chance(0.05) { // in the future: breaks lt_now, which the schema cannot state
			t = time.Now().Add(time.Duration(1+g.rng.IntN(1000)) * time.Hour)
		}
		if g.chance(0.5) {
			t = t.Add(time.Duration(g.rng.IntN(1e9)))
		}
		return timestamppb.New(t).ProtoReflect()
	case "google.protobuf.Duration":
		return durationpb.New(time.Duration(g.rng.Int64N(1e12) - 5e11)).ProtoReflect()
	case "google.protobuf.Struct":
		s, _ := structpb.NewStruct(map[string]any{"k": g.rng.IntN(9), "s": "x"})
		return s.ProtoReflect()
	case "google.protobuf.Value":
		return structpb.NewStringValue(g.string(nil)).ProtoReflect()
	case "google.protobuf.ListValue":
		l, _ := structpb.NewList([]any{1.5, "a", true, nil})
		return l.ProtoReflect()
	case "google.protobuf.FieldMask":
		m := dynamicpb.NewMessage(md)
		l := m.Mutable(md.Fields().ByName("paths")).List()
		for range g.rng.IntN(3) {
			l.Append(protoreflect.ValueOfString([]string{"a", "b_c", "d.e_f"}[g.rng.IntN(3)]))
		}
		return m
	}
	if v := wrapperValue(md); v != nil {
		m := dynamicpb.NewMessage(md)
		m.Set(v, g.value(v, r, depth))
		return m
	}
	if md.ParentFile().Package() == "google.protobuf" {
		return dynamicpb.NewMessage(md)
	}
	return g.message(md, depth+1)
}

func (g *faker) enum(ed protoreflect.EnumDescriptor, r *validate.EnumRules) protoreflect.EnumNumber {
	if r != nil && r.Const != nil && g.chance(0.97) {
		return protoreflect.EnumNumber(r.GetConst())
	}
	var ok []protoreflect.EnumNumber
	values := ed.Values()
	for i := range values.Len() {
		n := values.Get(i).Number()
		if (len(r.GetIn()) == 0 || slices.Contains(r.GetIn(), int32(n))) && !slices.Contains(r.GetNotIn(), int32(n)) {
			ok = append(ok, n)
		}
	}
	if len(ok) == 0 || (!r.GetDefinedOnly() && g.chance(0.05)) {
		return protoreflect.EnumNumber(g.rng.Int32N(40) - 10)
	}
	return ok[g.rng.IntN(len(ok))]
}

// alphabet mixes ASCII with characters of two, three and four bytes, so
// that lengths in characters and in bytes differ.
var alphabet = []rune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.:/+éß日本😀")

func (g *faker) randomText(n int) string {
	var b strings.Builder
	for range n {
		b.WriteRune(alphabet[g.rng.IntN(len(alphabet))])
	}
	return b.String()
}

func (g *faker) string(r *validate.StringRules) string {
	if r == nil {
		return g.randomText(g.rng.IntN(12))
	}
	switch {
	case r.Const != nil:
		return r.GetConst()
	case len(r.GetIn()) > 0:
		return r.GetIn()[g.rng.IntN(len(r.GetIn()))]
	case r.GetUuid():
		return g.uuid(true)
	case r.GetTuuid():
		return strings.ReplaceAll(g.uuid(false), "-", "")
	case r.GetEmail():
		return g.randomFrom("abc", 1, 6) + []string{"", ".x", "+tag"}[g.rng.IntN(3)] + "@" + g.randomFrom("abcdef", 1, 5) + []string{".example", ".org", ""}[g.rng.IntN(3)]
	case r.GetUri():
		return g.uri(true)
	case r.GetUriRef():
		if g.chance(0.5) {
			return g.uri(false)
		}
		return g.uri(true)
	case r.GetIpv4():
		return g.ip(4)
	case r.GetIpv6():
		return g.ip(6)
	case r.GetIp():
		return g.ip([]int{4, 6}[g.rng.IntN(2)])
	}
	var s string
	if r.Pattern != nil {
		s = g.fromPattern(r.GetPattern())
	} else {
		lo := int(r.GetMinLen())
		if r.Len != nil {
			lo = int(r.GetLen())
		}
		hi := lo + 10
		if r.MaxLen != nil {
			hi = min(hi, int(r.GetMaxLen()))
		}
		if r.Len != nil {
			hi = lo
		}
		s = g.randomText(g.between(lo, hi))
	}
	if r.Prefix != nil || r.Suffix != nil || r.Contains != nil {
		s = r.GetPrefix() + strings.ReplaceAll(s, r.GetNotContains(), "") + r.GetContains() + r.GetSuffix()
	}
	return s
}

func (g *faker) randomFrom(chars string, lo, hi int) string {
	var b strings.Builder
	for range g.between(lo, hi) {
		b.WriteByte(chars[g.rng.IntN(len(chars))])
	}
	return b.String()
}

func (g *faker) uuid(upper bool) string {
	const hex = "0123456789abcdef"
	var b strings.Builder
	for i := range 32 {
		if i == 8 || i == 12 || i == 16 || i == 20 {
			b.WriteByte('-')
		}
		c := hex[g.rng.IntN(16)]
		if upper && g.chance(0.2) {
			c = strings.ToUpper(string(c))[0]
		}
		b.WriteByte(c)
	}
	return b.String()
}

func (g *faker) uri(absolute bool) string {
	var b strings.Builder
	if absolute {
		b.WriteString([]string{"https://", "http://", "ftp://", "urn:", "mailto:"}[g.rng.IntN(5)])
	} else {
		b.WriteString([]string{"//", "/", "", "./"}[g.rng.IntN(4)])
	}
	if g.chance(0.2) {
		b.WriteString("user:pw@")
	}
	switch g.rng.IntN(4) {
	case 0:
		b.WriteString("[" + g.ip(6) + "]")
	case 1:
		b.WriteString(g.ip(4))
	default:
		b.WriteString(g.randomFrom("abcxyz", 1, 6) + ".example")
	}
	if g.chance(0.3) {
		b.WriteString(fmt.Sprintf(":%d", g.rng.IntN(70000)))
	}
	for range g.rng.IntN(3) {
		b.WriteString("/" + g.randomFrom("abc%20-~", 0, 5))
	}
	if g.chance(0.4) {
		b.WriteString("?q=" + g.randomFrom("abc=&", 0, 6))
	}
	if g.chance(0.2) {
		b.WriteString("#" + g.randomFrom("frag", 0, 4))
	}
	return b.String()
}

func (g *faker) ip(version int) string {
	if version == 4 {
		return netip.AddrFrom4([4]byte{byte(g.rng.IntN(256)), byte(g.rng.IntN(256)), byte(g.rng.IntN(256)), byte(g.rng.IntN(256))}).String()
	}
	var a [16]byte
	for i := range a {
		if g.chance(0.6) {
			a[i] = byte(g.rng.IntN(256))
		}
	}
	addr := netip.AddrFrom16(a)
	s := addr.String()
	if g.chance(0.3) {
		s = addr.StringExpanded()
	}
	if g.chance(0.1) {
		s = strings.ToUpper(s)
	}
	return s
}

// fromPattern returns a string the pattern matches, most of the time.
func (g *faker) fromPattern(pattern string) string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return g.randomText(5)
	}
	var b strings.Builder
	g.gen(re, &b)
	return b.String()
}

func (g *faker) gen(re *syntax.Regexp, b *strings.Builder) {
	switch re.Op {
	case syntax.OpLiteral:
		b.WriteString(string(re.Rune))
	case syntax.OpCharClass:
		var ranges [][2]rune
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			if hi > 0x7e && lo < 0x7e {
				hi = 0x7e
			}
			ranges = append(ranges, [2]rune{lo, hi})
		}
		if len(ranges) == 0 {
			return
		}
		rg := ranges[g.rng.IntN(len(ranges))]
		b.WriteRune(rg[0] + rune(g.rng.IntN(int(rg[1]-rg[0])+1)))
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteByte(byte('!' + g.rng.IntN(94)))
	case syntax.OpCapture:
		g.gen(re.Sub[0], b)
	case syntax.OpConcat:
		for _, s := range re.Sub {
			g.gen(s, b)
		}
	case syntax.OpAlternate:
		g.gen(re.Sub[g.rng.IntN(len(re.Sub))], b)
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		lo, hi := 0, 3
		switch re.Op {
		case syntax.OpPlus:
			lo, hi = 1, 4
		case syntax.OpQuest:
			hi = 1
		case syntax.OpRepeat:
			lo, hi = re.Min, re.Max
			if hi < 0 || hi > lo+4 {
				hi = lo + 4
			}
		}
		for range g.between(lo, hi) {
			g.gen(re.Sub[0], b)
		}
	}
}

func (g *faker) bytes(r *validate.BytesRules) []byte {
	switch {
	case r == nil:
		return g.rawBytes(g.rng.IntN(10))
	case r.Const != nil:
		return r.GetConst()
	case len(r.GetIn()) > 0:
		return r.GetIn()[g.rng.IntN(len(r.GetIn()))]
	case r.GetIpv4():
		return g.rawBytes(4)
	case r.GetIpv6(), r.GetUuid():
		return g.rawBytes(16)
	case r.GetIp():
		return g.rawBytes([]int{4, 16}[g.rng.IntN(2)])
	}
	lo := int(r.GetMinLen())
	if r.Len != nil {
		lo = int(r.GetLen())
	}
	hi := lo + 12
	if r.MaxLen != nil {
		hi = min(hi, int(r.GetMaxLen()))
	}
	if r.Len != nil {
		hi = lo
	}
	return g.rawBytes(g.between(lo, hi))
}

func (g *faker) rawBytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(g.rng.IntN(256))
	}
	return b
}

// number is a random number of fd's kind within its rules' bounds, or
// near them.
func (g *faker) number(fd protoreflect.FieldDescriptor, r *validate.FieldRules) protoreflect.Value {
	k := fd.Kind()
	var n numeric
	if _, typed := ruleKind(r); typed != nil {
		n = readNumeric(typed)
	}
	var x float64
	switch {
	case n.hasConst && g.chance(0.97):
		return n.constV
	case n.in != nil && n.in.Len() > 0 && g.chance(0.97):
		return n.in.Get(g.rng.IntN(n.in.Len()))
	default:
		lo, hi := -1000.0, 1000.0
		if n.hasGte {
			lo = asFloat(k, n.gte)
		}
		if n.hasGt {
			lo = asFloat(k, n.gt) + 1
		}
		if n.hasLte {
			hi = asFloat(k, n.lte)
		}
		if n.hasLt {
			hi = asFloat(k, n.lt) - 1
		}
		if !n.hasGt && !n.hasGte && n.hasLt {
			lo = hi - 2000
		}
		if !n.hasLt && !n.hasLte && (n.hasGt || n.hasGte) {
			hi = lo + 2000
		}
		if lo > hi { // an exclusive range: outside it
			if g.chance(0.5) {
				hi = lo + 100
			} else {
				lo = hi - 100
			}
		}
		x = lo + g.rng.Float64()*(hi-lo)
		if g.chance(0.1) {
			x = []float64{lo, hi}[g.rng.IntN(2)]
		}
		if g.chance(0.02) && isFloat(k) {
			x = []float64{math.NaN(), math.Inf(1), math.Inf(-1)}[g.rng.IntN(3)]
		}
		if g.chance(0.05) && isWide(k) {
			x = float64(g.rng.Int64N(1<<62)) * 1.9
		}
	}
	return numberOf(k, x)
}

// numberOf converts x to a value of kind k, clamped to its range.
func numberOf(k protoreflect.Kind, x float64) protoreflect.Value {
	switch k {
	case protoreflect.FloatKind:
		return protoreflect.ValueOfFloat32(float32(x))
	case protoreflect.DoubleKind:
		return protoreflect.ValueOfFloat64(x)
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return protoreflect.ValueOfInt32(int32(math.Max(math.MinInt32, math.Min(math.MaxInt32, math.Round(x)))))
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return protoreflect.ValueOfUint32(uint32(math.Max(0, math.Min(math.MaxUint32, math.Round(x)))))
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		if x >= math.MaxUint64 {
			return protoreflect.ValueOfUint64(math.MaxUint64)
		}
		return protoreflect.ValueOfUint64(uint64(math.Max(0, math.Round(x))))
	}
	if x >= math.MaxInt64 {
		return protoreflect.ValueOfInt64(math.MaxInt64)
	}
	if x <= math.MinInt64 {
		return protoreflect.ValueOfInt64(math.MinInt64)
	}
	return protoreflect.ValueOfInt64(int64(math.Round(x)))
}
