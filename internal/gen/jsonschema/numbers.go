package jsonschema

import (
	"encoding/json"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"

	js "github.com/invopop/jsonschema"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Numbers as protojson reads them. It writes 32-bit integers and
// floating-point numbers as JSON numbers and 64-bit integers as strings,
// and reads each of them either way: a JSON number (1, 1.0, 1e0), or a
// string holding one ("1", "1.0", "1e0"); an integer must have an integral
// value within its kind's range. The schemas state that exactly for JSON
// numbers, and for strings without an exponent; a string in exponent
// notation is only checked to be a JSON number (protojson's own check of
// its value, integral and within the rules, is beyond a regular
// expression), and so is a floating-point number written as a string.

// kindLimits returns the range of an integer kind as decimal strings.
func kindLimits(k protoreflect.Kind) (lo, hi string) {
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

// floatLimit is the decimal from which a number rounds to float's
// infinity (halfway between its largest finite value and 2^128), which
// protojson refuses. Double's (halfway to 2^1024) is no double, and
// JavaScript reads it as Infinity, which Ajv refuses as a bound: double
// fields take any JSON number.
const floatLimit = "340282356779733661637539395458142568448"

// Patterns of JSON numbers written as strings.
const (
	// exponentPattern is a JSON number in exponent notation: protojson
	// reads it into an integer field when its value is integral and in
	// range, which the schemas do not check.
	exponentPattern = `^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?[eE][+-]?[0-9]+$`
	// decimalPattern is any JSON number.
	decimalPattern = `^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$`
	// zeroStringPattern is a JSON number whose value is zero ("0", "-0",
	// "0.00", "0e7"): protojson reads every one as zero, the exponent
	// unchecked.
	zeroStringPattern = `^-?0(?:\.0+)?(?:[eE][+-]?[0-9]+)?$`
)

// intSet is a set of integers: sorted, disjoint, non-adjacent closed
// intervals.
type intSet []interval

type interval struct{ lo, hi *big.Int }

func bigOf(s string) *big.Int {
	n, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic("jsonschema: not a decimal integer: " + s)
	}
	return n
}

// kindSet is the range of an integer kind.
func kindSet(k protoreflect.Kind) intSet {
	lo, hi := kindLimits(k)
	return intSet{{bigOf(lo), bigOf(hi)}}
}

// points is the set of the given integers.
func points(xs []*big.Int) intSet {
	var s intSet
	for _, x := range xs {
		s = s.union(intSet{{x, x}})
	}
	return s
}

func (s intSet) union(t intSet) intSet {
	all := append(slices.Clone(s), t...)
	slices.SortFunc(all, func(a, b interval) int { return a.lo.Cmp(b.lo) })
	var out intSet
	for _, iv := range all {
		if n := len(out); n > 0 && new(big.Int).Add(out[n-1].hi, big.NewInt(1)).Cmp(iv.lo) >= 0 {
			if iv.hi.Cmp(out[n-1].hi) > 0 {
				out[n-1].hi = iv.hi
			}
			continue
		}
		out = append(out, iv)
	}
	return out
}

func (s intSet) intersect(t intSet) intSet {
	var out intSet
	for _, a := range s {
		for _, b := range t {
			lo, hi := a.lo, a.hi
			if b.lo.Cmp(lo) > 0 {
				lo = b.lo
			}
			if b.hi.Cmp(hi) < 0 {
				hi = b.hi
			}
			if lo.Cmp(hi) <= 0 {
				out = append(out, interval{lo, hi})
			}
		}
	}
	return intSet{}.union(out)
}

// minus removes the points xs.
func (s intSet) minus(xs []*big.Int) intSet {
	out := s
	for _, x := range xs {
		var next intSet
		for _, iv := range out {
			if x.Cmp(iv.lo) < 0 || x.Cmp(iv.hi) > 0 {
				next = append(next, iv)
				continue
			}
			if x.Cmp(iv.lo) > 0 {
				next = append(next, interval{iv.lo, new(big.Int).Sub(x, big.NewInt(1))})
			}
			if x.Cmp(iv.hi) < 0 {
				next = append(next, interval{new(big.Int).Add(x, big.NewInt(1)), iv.hi})
			}
		}
		out = next
	}
	return out
}

// contains reports whether x is in the set.
func (s intSet) contains(x *big.Int) bool {
	for _, iv := range s {
		if x.Cmp(iv.lo) >= 0 && x.Cmp(iv.hi) <= 0 {
			return true
		}
	}
	return false
}

// bigValue is an integer rule value of kind k.
func bigValue(k protoreflect.Kind, v protoreflect.Value) *big.Int {
	if isUnsigned(k) {
		return new(big.Int).SetUint64(v.Uint())
	}
	return big.NewInt(v.Int())
}

func isUnsigned(k protoreflect.Kind) bool {
	switch k {
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return true
	}
	return false
}

// allowedIntegers is the set of integers of kind k that the numeric rules
// n allow, as protovalidate reads them: const, in, not_in, and a range
// (outside it when its lower bound is above its upper one).
func allowedIntegers(k protoreflect.Kind, n numeric) intSet {
	s := kindSet(k)
	lo, hi := kindLimits(k)
	list := func(l protoreflect.List) []*big.Int {
		var out []*big.Int
		for i := 0; l != nil && i < l.Len(); i++ {
			out = append(out, bigValue(k, l.Get(i)))
		}
		return out
	}
	if n.hasConst {
		s = s.intersect(points([]*big.Int{bigValue(k, n.constV)}))
	}
	if n.in != nil && n.in.Len() > 0 {
		s = s.intersect(points(list(n.in)))
	}
	s = s.minus(list(n.notIn))
	one := big.NewInt(1)
	var low, high *big.Int // the bounds as written
	above, below := intSet{{bigOf(lo), bigOf(hi)}}, intSet{{bigOf(lo), bigOf(hi)}}
	switch {
	case n.hasGt:
		low = bigValue(k, n.gt)
		above = intSet{{new(big.Int).Add(low, one), bigOf(hi)}}
	case n.hasGte:
		low = bigValue(k, n.gte)
		above = intSet{{low, bigOf(hi)}}
	}
	switch {
	case n.hasLt:
		high = bigValue(k, n.lt)
		below = intSet{{bigOf(lo), new(big.Int).Sub(high, one)}}
	case n.hasLte:
		high = bigValue(k, n.lte)
		below = intSet{{bigOf(lo), high}}
	}
	// An interval whose bounds cross is empty: drop it.
	valid := func(t intSet) intSet {
		var out intSet
		for _, iv := range t {
			if iv.lo.Cmp(iv.hi) <= 0 {
				out = append(out, iv)
			}
		}
		return out
	}
	above, below = valid(above), valid(below)
	if low != nil && high != nil && low.Cmp(high) > 0 {
		// An exclusive range: above the lower bound or below the upper.
		return s.intersect(above.union(below))
	}
	return s.intersect(above).intersect(below)
}

// decimalAlternatives returns a regular expression (without anchors)
// matching the decimal numerals of the integers of s as JSON writes them:
// no leading zeros, "-" for negative numbers, and zero also as "-0". It
// matches nothing for the empty set.
func decimalAlternatives(s intSet) string {
	var alts []string
	zero := new(big.Int)
	one := big.NewInt(1)
	for _, iv := range s {
		if iv.lo.Sign() < 0 {
			// The negative part, by absolute value.
			hi := iv.hi
			if hi.Sign() >= 0 {
				hi = big.NewInt(-1)
			}
			alts = append(alts, "-(?:"+decimalRange(new(big.Int).Neg(hi), new(big.Int).Neg(iv.lo))+")")
		}
		if iv.lo.Cmp(zero) <= 0 && iv.hi.Cmp(zero) >= 0 {
			alts = append(alts, "-?0")
		}
		if iv.hi.Sign() > 0 {
			lo := iv.lo
			if lo.Sign() <= 0 {
				lo = one
			}
			alts = append(alts, decimalRange(lo, iv.hi))
		}
	}
	if len(alts) == 0 {
		return `[^\s\S]`
	}
	return strings.Join(alts, "|")
}

// decimalRange returns a regular expression (without anchors) matching
// the decimal numerals, without leading zeros, of the integers from lo to
// hi (1 ≤ lo ≤ hi).
func decimalRange(lo, hi *big.Int) string {
	a, b := lo.String(), hi.String()
	var alts []string
	for n := len(a); n <= len(b); n++ {
		l, h := a, b
		if n > len(a) {
			l = "1" + strings.Repeat("0", n-1)
		}
		if n < len(b) {
			h = strings.Repeat("9", n)
		}
		alts = append(alts, sameLength(l, h)...)
	}
	return strings.Join(alts, "|")
}

// sameLength returns alternatives matching the strings of len(lo) digits
// from lo to hi (lo ≤ hi, both of that length).
func sameLength(lo, hi string) []string {
	if lo == hi {
		return []string{lo}
	}
	i := 0
	for lo[i] == hi[i] {
		i++
	}
	prefix, l, h := lo[:i], lo[i:], hi[i:]
	rest := len(l) - 1
	var out, top []string
	first, last := l[0], h[0]
	if !allOf(l[1:], '0') {
		for _, t := range atLeast(l[1:]) {
			out = append(out, prefix+l[:1]+t)
		}
		first++
	}
	if !allOf(h[1:], '9') {
		for _, t := range atMost(h[1:]) {
			top = append(top, prefix+h[:1]+t)
		}
		last--
	}
	if first <= last {
		out = append(out, prefix+digitClass(first, last)+anyDigits(rest))
	}
	return append(out, top...)
}

// atLeast returns alternatives matching the strings of len(s) digits not
// below s.
func atLeast(s string) []string {
	if allOf(s, '0') {
		return []string{anyDigits(len(s))}
	}
	var out []string
	for _, t := range atLeast(s[1:]) {
		out = append(out, s[:1]+t)
	}
	if s[0] < '9' {
		out = append(out, digitClass(s[0]+1, '9')+anyDigits(len(s)-1))
	}
	return out
}

// atMost returns alternatives matching the strings of len(s) digits not
// above s.
func atMost(s string) []string {
	if allOf(s, '9') {
		return []string{anyDigits(len(s))}
	}
	var out []string
	if s[0] > '0' {
		out = append(out, digitClass('0', s[0]-1)+anyDigits(len(s)-1))
	}
	for _, t := range atMost(s[1:]) {
		out = append(out, s[:1]+t)
	}
	return out
}

func allOf(s string, c byte) bool {
	for i := range len(s) {
		if s[i] != c {
			return false
		}
	}
	return true
}

func digitClass(a, b byte) string {
	if a == b {
		return string(a)
	}
	return "[" + string(a) + "-" + string(b) + "]"
}

func anyDigits(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return "[0-9]"
	}
	return "[0-9]{" + strconv.Itoa(n) + "}"
}

// integerStringPattern matches the strings protojson reads as the
// integers of s: a JSON number without exponent whose value is in s
// ("7", "7.0", "-0"), or, unchecked, any JSON number in exponent
// notation.
func integerStringPattern(s intSet) string {
	return `^(?:` + decimalAlternatives(s) + `)(?:\.0+)?$|` + exponentPattern
}

// integerSchema is an integer of kind k as protojson reads it, with the
// numeric rules n: a JSON number with an integral value, or a string
// holding one.
func integerSchema(k protoreflect.Kind, n numeric) *js.Schema {
	lo, hi := kindLimits(k)
	num := &js.Schema{Type: "integer", Minimum: json.Number(lo), Maximum: json.Number(hi)}
	for _, r := range rangeSchemas(k, n) {
		if !foldBound(num, r) {
			num.AllOf = append(num.AllOf, r)
		}
	}
	str := &js.Schema{Type: "string", Pattern: integerStringPattern(allowedIntegers(k, n))}
	return &js.Schema{AnyOf: []*js.Schema{num, str}}
}

// integerValues is the schema of the integers vs of kind k (bucket
// bounds), in every form protojson reads.
func integerValues(k protoreflect.Kind, vs []*big.Int) *js.Schema {
	var enum []any
	for _, v := range vs {
		enum = append(enum, json.Number(v.String()))
	}
	num := &js.Schema{Type: "integer", Enum: enum}
	str := &js.Schema{Type: "string", Pattern: integerStringPattern(points(vs).intersect(kindSet(k)))}
	return &js.Schema{AnyOf: []*js.Schema{num, str}}
}

// floatValues is the schema of the floating-point numbers vs (bucket
// bounds as the kind keeps them), in every form protojson reads.
func floatValues(vs []json.Number) *js.Schema {
	var enum []any
	for _, v := range vs {
		enum = append(enum, v)
	}
	return &js.Schema{AnyOf: []*js.Schema{{Type: "number", Enum: enum}, {Type: "string", Pattern: decimalPattern}}}
}

// numberSchema is a finite float or double as a JSON number: for float,
// any number that does not round to infinity.
func numberSchema(k protoreflect.Kind) *js.Schema {
	if k == protoreflect.FloatKind {
		return &js.Schema{Type: "number", ExclusiveMinimum: json.Number("-" + floatLimit), ExclusiveMaximum: json.Number(floatLimit)}
	}
	return &js.Schema{Type: "number"}
}

// floatSchema is a float or double with the numeric rules n: a JSON
// number, one of the strings protojson writes for NaN and the infinities
// where the rules allow them, or a JSON number written as a string.
func floatSchema(k protoreflect.Kind, n numeric) *js.Schema {
	num := numberSchema(k)
	num.AllOf = rangeSchemas(k, n)
	var specials []any
	for _, sp := range []struct {
		name string
		v    float64
	}{{"NaN", math.NaN()}, {"Infinity", math.Inf(1)}, {"-Infinity", math.Inf(-1)}} {
		if numericOK(k, n, sp.v) {
			specials = append(specials, sp.name)
		}
	}
	str := &js.Schema{Type: "string", Pattern: decimalPattern}
	if len(specials) > 0 {
		str = &js.Schema{Type: "string", AnyOf: []*js.Schema{{Pattern: decimalPattern}, {Enum: specials}}}
	}
	return &js.Schema{AnyOf: []*js.Schema{num, str}}
}

// numericSchema is a value of the numeric kind k with the rules n, in
// every form protojson reads.
func numericSchema(k protoreflect.Kind, n numeric) *js.Schema {
	if isFloat(k) {
		return floatSchema(k, n)
	}
	return integerSchema(k, n)
}

// zeroNumber matches every form of a number of kind k whose value is
// zero. For floating-point kinds that is positive zero only (protobuf
// counts -0.0 as set), which a JSON number cannot tell apart: the schemas
// take -0 written as a number for zero.
func zeroNumber(k protoreflect.Kind) *js.Schema {
	str := zeroStringPattern
	if isFloat(k) {
		str = strings.TrimPrefix(str, "^-?")
		str = "^" + str
	}
	return &js.Schema{AnyOf: []*js.Schema{{Type: "number", Const: json.Number("0")}, {Type: "string", Pattern: str}}}
}

// keyPattern matches the map keys protojson reads as the integers of s,
// of kind k: it parses them with strconv, which takes leading zeros and,
// for signed kinds, a sign ("+7", "-007").
func keyPattern(k protoreflect.Kind, s intSet) string {
	var alts []string
	one := big.NewInt(1)
	signed := !isUnsigned(k)
	for _, iv := range s {
		if iv.lo.Sign() < 0 {
			hi := iv.hi
			if hi.Sign() >= 0 {
				hi = big.NewInt(-1)
			}
			alts = append(alts, "-0*(?:"+decimalRange(new(big.Int).Neg(hi), new(big.Int).Neg(iv.lo))+")")
		}
		if iv.lo.Sign() <= 0 && iv.hi.Sign() >= 0 {
			if signed {
				alts = append(alts, "[+-]?0+")
			} else {
				alts = append(alts, "0+")
			}
		}
		if iv.hi.Sign() > 0 {
			lo := iv.lo
			if lo.Sign() <= 0 {
				lo = one
			}
			sign := ""
			if signed {
				sign = `\+?`
			}
			alts = append(alts, sign+"0*(?:"+decimalRange(lo, iv.hi)+")")
		}
	}
	if len(alts) == 0 {
		return `[^\s\S]`
	}
	return "^(?:" + strings.Join(alts, "|") + ")$"
}
