package jsonschema

import (
	"encoding/base64"
	"regexp"
	"strings"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	js "github.com/invopop/jsonschema"

	"github.com/provisionhq/provision/internal/impl"
)

// Bytes as protojson reads them: base64 in the standard or the URL-safe
// alphabet (the latter when the string holds "-" or "_"), padded or not
// (not when the length is not a multiple of four), the bits the last
// character carries beyond the data ignored. Go's decoder also skips line
// breaks: the schemas accept a string with a line break when it holds
// nothing but base64 characters, and check nothing else of it.

const (
	stdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	urlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
)

// base64Pattern is a string protojson decodes as bytes, without line
// breaks.
var base64Pattern = "^(?:" + base64Of(`[A-Za-z0-9+/]`) + "|" + base64Of(`[A-Za-z0-9_\-]`) + ")$"

// base64BreakPattern is a string of base64 characters with a line break.
const base64BreakPattern = `^[A-Za-z0-9+/=_\-\r\n]*[\r\n][A-Za-z0-9+/=_\-\r\n]*$`

// base64Of is base64 in the alphabet c (a character class), padded or
// not.
func base64Of(c string) string {
	return "(?:" + c + "{4})*(?:" + c + "{2}(?:==)?|" + c + "{3}=?)?"
}

// base64Len is the length of the padded base64 of n bytes.
func base64Len(n uint64) uint64 { return (n + 2) / 3 * 4 }

// bytesSchema applies bytes rules to protojson's base64 string: lengths
// in bytes become lengths in characters (bytesLength), values become
// patterns that match each of their encodings.
func bytesSchema(r *validate.BytesRules) *js.Schema {
	s := &js.Schema{Type: "string", ContentEncoding: "base64", Pattern: base64Pattern}
	loose := &js.Schema{Type: "string", Pattern: base64BreakPattern}
	if r == nil {
		return &js.Schema{AnyOf: []*js.Schema{s, loose}}
	}
	if r.Const != nil {
		s.AllOf = append(s.AllOf, &js.Schema{Pattern: "^" + base64Value(r.GetConst()) + "$"})
	}
	if len(r.GetIn()) > 0 {
		var alts []string
		for _, v := range r.GetIn() {
			alts = append(alts, base64Value(v))
		}
		s.AllOf = append(s.AllOf, &js.Schema{Pattern: "^(?:" + strings.Join(alts, "|") + ")$"})
	}
	if len(r.GetNotIn()) > 0 {
		var alts []string
		for _, v := range r.GetNotIn() {
			alts = append(alts, base64Value(v))
		}
		s.Not = &js.Schema{Pattern: "^(?:" + strings.Join(alts, "|") + ")$"}
	}
	var lo, hi *uint64
	if r.Len != nil {
		lo, hi = u64(r.GetLen()), u64(r.GetLen())
	}
	if r.MinLen != nil {
		lo = u64(max(r.GetMinLen(), deref(lo)))
	}
	if r.MaxLen != nil {
		hi = u64(r.GetMaxLen())
		if r.Len != nil {
			hi = u64(min(r.GetLen(), r.GetMaxLen()))
		}
	}
	switch {
	case r.GetIpv4():
		lo, hi = u64(4), u64(4)
	case r.GetIpv6(), r.GetUuid():
		lo, hi = u64(16), u64(16)
	case r.GetIp():
		s.AllOf = append(s.AllOf, &js.Schema{AnyOf: []*js.Schema{bytesLengths(u64(4), u64(4)), bytesLengths(u64(16), u64(16))}})
	}
	if lo != nil || hi != nil {
		s.AllOf = append(s.AllOf, bytesLengths(lo, hi))
	}
	return &js.Schema{AnyOf: []*js.Schema{s, loose}}
}

// bytesOfLength is the base64 of exactly n bytes, in every form protojson
// reads.
func bytesOfLength(n uint64) *js.Schema {
	s := &js.Schema{Type: "string", ContentEncoding: "base64", Pattern: base64Pattern, AllOf: []*js.Schema{bytesLengths(&n, &n)}}
	return &js.Schema{AnyOf: []*js.Schema{s, {Type: "string", Pattern: base64BreakPattern}}}
}

// hashedBytes is a keyed hash of a bytes value as the runtime writes it
// (impl.HashBytesLen bytes, the first impl.HashVersion), in every form
// protojson reads: impl.HashBytesBase64Pattern is the one protojson
// writes.
func hashedBytes() *js.Schema {
	s := bytesOfLength(impl.HashBytesLen)
	s.AnyOf[0].AllOf = append(s.AnyOf[0].AllOf, &js.Schema{Pattern: "^" + base64FirstByte(impl.HashVersion)})
	return s
}

// base64FirstByte matches the first two characters of the base64 of
// bytes whose first byte is b, in either alphabet.
func base64FirstByte(b byte) string {
	var second strings.Builder
	for i := int(b&3) << 4; i < int(b&3)<<4+16; i++ {
		for _, alphabet := range []string{stdAlphabet, urlAlphabet} {
			if c := alphabet[i]; !strings.ContainsRune(second.String(), rune(c)) {
				if c == '-' {
					second.WriteByte('\\')
				}
				second.WriteByte(c)
			}
		}
	}
	return regexp.QuoteMeta(string(stdAlphabet[b>>2])) + "[" + second.String() + "]"
}

// bytesLengths matches the base64 of lo to hi bytes, padded or not: with
// padding, as bytesLength says; without, a length L in characters holds
// floor(3L/4) bytes.
func bytesLengths(lo, hi *uint64) *js.Schema {
	unpadded := &js.Schema{}
	if lo != nil && *lo > 0 {
		unpadded.MinLength = u64((4**lo + 2) / 3)
	}
	if hi != nil {
		unpadded.MaxLength = u64((4*(*hi+1)+2)/3 - 1)
	}
	return &js.Schema{If: &js.Schema{Pattern: "="}, Then: bytesLength(lo, hi), Else: unpadded}
}

// bytesLength matches the padded base64 of lo to hi bytes.
func bytesLength(lo, hi *uint64) *js.Schema {
	s := &js.Schema{}
	// n bytes take 4*ceil(n/3) characters; the last group ends in "==" for
	// n%3 == 1 and in one "=" for n%3 == 2.
	if lo != nil && *lo > 0 {
		n := *lo
		s.MinLength = u64(base64Len(n))
		var excluded string
		switch n % 3 {
		case 2: // 4g characters may hold 3g-2 bytes: refuse "=="
			excluded = "==$"
		case 0: // 4g characters may hold 3g-2 or 3g-1 bytes: refuse any padding
			excluded = "=$"
		}
		if excluded != "" {
			s.AllOf = append(s.AllOf, &js.Schema{If: &js.Schema{MaxLength: u64(base64Len(n))}, Then: &js.Schema{Not: &js.Schema{Pattern: excluded}}})
		}
	}
	if hi != nil {
		n := *hi
		s.MaxLength = u64(base64Len(n))
		var needed string
		switch n % 3 {
		case 1: // 4g characters must hold 3g-2 bytes
			needed = "==$"
		case 2: // 4g characters must hold 3g-2 or 3g-1 bytes
			needed = "=$"
		}
		if needed != "" {
			s.AllOf = append(s.AllOf, &js.Schema{If: &js.Schema{MinLength: u64(base64Len(n))}, Then: &js.Schema{Pattern: needed}})
		}
	}
	return s
}

// base64Value is a regular expression (without anchors) matching every
// base64 string protojson decodes as b: either alphabet, padded or not,
// any value of the bits the last character carries beyond the data.
func base64Value(b []byte) string {
	return "(?:" + base64ValueIn(b, base64.RawStdEncoding, stdAlphabet) + "|" + base64ValueIn(b, base64.RawURLEncoding, urlAlphabet) + ")"
}

func base64ValueIn(b []byte, enc *base64.Encoding, alphabet string) string {
	s := enc.EncodeToString(b)
	tail := len(s) % 4
	var out strings.Builder
	out.WriteString(regexp.QuoteMeta(s[:len(s)-min(tail, 1)]))
	if tail == 0 {
		return out.String()
	}
	// The last character: its low 4 (two characters) or 2 (three
	// characters) bits are not data.
	last := strings.IndexByte(alphabet, s[len(s)-1])
	ignored := map[int]int{2: 15, 3: 3}[tail]
	out.WriteString("[")
	for i := last &^ ignored; i <= last|ignored; i++ {
		c := alphabet[i]
		if c == '-' || c == '\\' || c == ']' || c == '^' {
			out.WriteByte('\\')
		}
		out.WriteByte(c)
	}
	out.WriteString("]")
	if tail == 2 {
		out.WriteString("(?:==)?")
	} else {
		out.WriteString("=?")
	}
	return out.String()
}
