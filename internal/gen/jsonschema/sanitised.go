package jsonschema

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	js "github.com/invopop/jsonschema"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/impl"
)

// A web address as URL sanitising (impl.URLSanitizer) sends it: one of
// impl.URLSchemes, "//", a host (lower case, or an IP address truncated,
// without zone) with an optional port of 1 to 65535 without leading
// zeros, no user information, a path, path parameters and a query unless
// the strategy drops them, and no fragment. After the host, nothing holds
// an "@" (a segment or parameter that held one is redacted), and every
// "%" begins an escape. A parameter of the query or of a path segment
// that the sanitiser deems sensitive holds impl.RedactedQueryValue or no
// value. Which names are sensitive is the runtime's rule, read from it:
// the patterns of impl.SensitiveQueryNames, each matched as its
// impl.NameMatch says, and the strategy's redact_query, matched whole,
// over the name percent-decoded and normalised (impl.NormaliseParamName).

// sanitisedURL is the shape of a value after url_sanitize with parameters
// p, for a field whose string rules are rules (before redaction).
func sanitisedURL(p *provisionv1.Redaction_UrlSanitize, rules *validate.StringRules) *js.Schema {
	keep := !p.GetDropQuery()
	// The value was an RFC 3986 URI (a relative reference cannot be
	// sanitised): so is what the sanitiser writes.
	rfc := rules.GetUri() || rules.GetUriRef()
	pathChar := `[A-Za-z0-9\-._~!$&'()*+,=:@\[\]]|%[0-9A-Fa-f]{2}`
	// Go's url package refuses control characters.
	query := `[^#\x00-\x1f\x7f]*`
	if rfc {
		pathChar = `[A-Za-z0-9\-._~!$&'()*+,=:@]|%[0-9A-Fa-f]{2}`
		query = uri.query
	}
	segment := "(?:" + pathChar + ")*"
	if keep {
		segment = "(?:" + pathChar + "|;)*"
	}
	shape := "^" + schemes() + "://" + sanitisedHost(rfc) + portPattern + "(?:/" + segment + ")*"
	if keep {
		shape += `(?:\?` + query + ")?"
	}
	shape += "$"
	bad := []*js.Schema{
		// After the host: an "@", hidden or not, or an escape that does
		// not decode.
		{Pattern: afterHost + `(?:@|%(?:25)?40|%(?:[^0-9A-Fa-f]|[0-9A-Fa-f](?:[^0-9A-Fa-f]|$)|$))`},
		// A "%" escaped, as text that decodes to an escape that does not
		// decode (one level deep).
		{Pattern: afterHost + `%25(?:[^0-9A-Fa-f%]|[0-9A-Fa-f](?:[^0-9A-Fa-f%]|$)|$)`},
		// A "://", hidden or not, other than as a nested address is
		// written: in the path, "/" separates segments.
		{Pattern: `^[^?#]*\?[^#]*(?:(?::|%3a)(?:/|%2[Ff])(?:/|%2[Ff])|%3A(?:/|%2f)(?:/|%2[Ff])|%3A%2F(?:/|%2f))`},
		{Pattern: `^[a-z]+://[^/?#]*/[^?#]*(?::%2[Ff]%2[Ff]|%3a%2[Ff]%2[Ff]|%3A%2f%2[Ff]|%3A%2F%2f)`},
	}
	if keep {
		names := sensitiveNamePattern(p.GetRedactQuery())
		bad = append(bad,
			&js.Schema{Pattern: queryStart + names.query + "=" + notRedacted(0, "&;")},
			&js.Schema{Pattern: pathParamStart + names.path + "=" + notRedacted(0, ";/?")},
			// An escaped "://" (as a nested address is written) in a
			// value whose text up to its first "%" is no scheme, or in
			// a name.
			&js.Schema{Pattern: queryStart + `[^=&;#]*=` + misplacedNested("&;#")},
			&js.Schema{Pattern: pathParamStart + `[^=;/?#]*=` + misplacedNested(";/?#")},
			&js.Schema{Pattern: queryStart + `[^=&;#]*%3A%2F%2F`},
			&js.Schema{Pattern: pathParamStart + `[^=;/?#]*%3A%2F%2F`},
		)
	}
	// An escaped "://" in a path segment.
	bad = append(bad, &js.Schema{Pattern: `^[a-z]+://[^/?#]*(?:/[^?#]*)?/[^;/?#]*%3A%2F%2F`})
	return &js.Schema{Type: "string", Pattern: shape, Not: &js.Schema{AnyOf: bad}}
}

const (
	// afterHost matches from the start of a sanitised address to a point
	// in its path or query.
	afterHost = `^[a-z]+://[^/?#]*[/?][^#]*`
	// queryStart matches up to the start of a parameter of the query.
	queryStart = `^[^?#]*\?(?:[^#]*[&;])?`
	// pathParamStart matches up to the start of a path parameter.
	pathParamStart = `^[a-z]+://[^/?#]*/[^?#]*;`
	// portPattern is an optional port as the sanitiser keeps it.
	portPattern = `(?::(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?`
)

// misplacedNested matches a parameter value, up to the end of its value
// separated by seps, that holds an escaped "://" (%3A%2F%2F) but does not
// begin with one of the schemes and %3A%2F%2F, as a nested address that
// the sanitiser sanitised and escaped begins.
func misplacedNested(seps string) string {
	const word = "3A%2F%2F" // after its "%"
	rest := "[^" + seps + "]*%" + word
	// The text before the first "%" is no scheme.
	noScheme := "(?:[^%" + seps + "]*[^a-z%" + seps + "][^%" + seps + "]*|" + otherWords(impl.URLSchemes()) + ")%(?:[^" + seps + "]*%)?" + word
	// A scheme, then an escape that is not %3A%2F%2F: a character differs
	// from it, and the word follows, or begins at one of its "%".
	var differ []string
	for k := range len(word) {
		differ = append(differ, regexp.QuoteMeta(word[:k])+"[^"+regexp.QuoteMeta(word[k:k+1])+seps+"]"+rest)
	}
	differ = append(differ, "3A%"+word, "3A%2F%"+word)
	return "(?:" + noScheme + "|" + schemes() + "%(?:" + strings.Join(differ, "|") + "))"
}

// otherWords matches any run of lower-case letters (empty included) but
// the words.
func otherWords(words []string) string {
	type node struct {
		end  bool
		next map[byte]*node
	}
	root := &node{next: map[byte]*node{}}
	for _, w := range words {
		cur := root
		for i := 0; i < len(w); i++ {
			if cur.next[w[i]] == nil {
				cur.next[w[i]] = &node{next: map[byte]*node{}}
			}
			cur = cur.next[w[i]]
		}
		cur.end = true
	}
	var walk func(*node) string
	walk = func(n *node) string {
		var alts []string
		if !n.end {
			alts = append(alts, "")
		}
		var others strings.Builder
		var keys []byte
		for c := byte('a'); c <= 'z'; c++ {
			if n.next[c] == nil {
				others.WriteByte(c)
			} else {
				keys = append(keys, c)
			}
		}
		if others.Len() > 0 {
			alts = append(alts, "["+others.String()+"][a-z]*")
		}
		for _, c := range keys {
			alts = append(alts, string(c)+walk(n.next[c]))
		}
		return "(?:" + strings.Join(alts, "|") + ")"
	}
	return walk(root)
}

// schemes matches the schemes the sanitiser accepts.
func schemes() string {
	s := impl.URLSchemes()
	// Longest first, so that a prefix does not cut an alternative short.
	slices.SortFunc(s, func(a, b string) int { return len(b) - len(a) })
	for i := range s {
		s[i] = quoteLiteral(s[i])
	}
	return "(?:" + strings.Join(s, "|") + ")"
}

func quoteLiteral(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteString(quoteRune(r))
	}
	return b.String()
}

// sanitisedHost matches a host as the sanitiser writes it: an IPv4
// address truncated to impl.DefaultIPv4Prefix bits (a host a browser
// reads as one: one that ends in a number), an IPv6 address truncated to
// at most impl.DefaultIPv6Prefix bits in brackets, or a name in lower
// case, escaped as Go's url package escapes a host, whose last label is
// no number.
func sanitisedHost(rfc bool) string {
	// A character of a name other than ".": a letter, digit or one of
	// "-_~" and the sub-delimiters (and `"<>`, which Go accepts where RFC
	// 3986 does not), or a byte escaped.
	other := `!$&'()*+,;=~_\-`
	if !rfc {
		other += `"<>`
	}
	esc := `%25|%[89A-F][0-9A-F]`
	c := "(?:[a-z0-9" + other + "]|" + esc + ")"
	nonDigit := "(?:[a-z" + other + "]|" + esc + ")"
	nonDigitX := "(?:[a-wyz" + other + "]|" + esc + ")"
	nonHex := "(?:[g-z" + other + "]|" + esc + ")"
	// The last label, which is no number: neither decimal digits nor "0x"
	// and hexadecimal digits.
	last := "(?:" + strings.Join([]string{
		nonDigit + c + "*",
		"[1-9][0-9]*" + nonDigit + c + "*",
		"0[0-9]+" + nonDigit + c + "*",
		"0" + nonDigitX + c + "*",
		"0x[0-9a-f]*" + nonHex + c + "*",
	}, "|") + ")"
	label := "(?:" + c + `|\.)`
	name := "(?:(?:" + label + `*\.)?` + last + `\.?|` + label + `*\.\.|\.)`
	return "(?:" + truncatedIPv4() + `|\[` + truncatedIPv6() + `\]|` + name + ")"
}

// truncatedIPv4 matches an IPv4 address truncated as the sanitiser does.
func truncatedIPv4() string {
	kept := impl.DefaultIPv4Prefix / 8
	parts := make([]string, 4)
	for i := range parts {
		parts[i] = "0"
		if i < kept {
			// A byte cut in part is any value; one kept whole as well.
			parts[i] = decOctet
		}
	}
	if impl.DefaultIPv4Prefix%8 != 0 {
		parts[kept] = decOctet
	}
	return strings.Join(parts, `\.`)
}

// truncatedIPv6 matches an IPv6 address truncated as the sanitiser does,
// as netip writes it: at most impl.DefaultIPv6Prefix bits (fewer for an
// address that embeds IPv4), the zeros after the last group that is not
// zero written "::"; or an IPv4-mapped address, truncated as IPv4.
func truncatedIPv6() string {
	groups := (impl.DefaultIPv6Prefix + 15) / 16
	if groups > 4 {
		panic("jsonschema: the IPv6 pattern of sanitised hosts assumes a prefix of at most 64 bits")
	}
	nonZero := "[1-9a-f][0-9a-f]{0,3}"
	any := "(?:0|" + nonZero + ")"
	alts := []string{"::", "::ffff:" + truncatedIPv4()}
	for j := 1; j <= groups; j++ {
		alts = append(alts, strings.Repeat(any+":", j-1)+nonZero+"::")
	}
	return "(?:" + strings.Join(alts, "|") + ")"
}

// sensitiveNames is a name of a parameter the sanitiser redacts, as
// regular expressions of the raw name up to its "=": in the query and in
// a path segment.
type sensitiveNames struct{ query, path string }

// sensitiveNamePattern matches the raw name of a parameter the sanitiser
// redacts: one matching a pattern of impl.SensitiveQueryNames, or one of
// extra.
func sensitiveNamePattern(extra []string) sensitiveNames {
	all := impl.SensitiveQueryNames()
	var exact, prefix, suffix, contains []string
	covered := func(p impl.SensitiveName) bool {
		for _, q := range all {
			if q == p {
				continue
			}
			switch {
			case q.Match == impl.MatchContains && strings.Contains(p.Pattern, q.Pattern):
				return true
			case p.Match == impl.MatchExact && q.Match != impl.MatchExact && q.Matches(p.Pattern):
				return true
			}
		}
		return false
	}
	for _, p := range all {
		if covered(p) {
			continue
		}
		switch p.Match {
		case impl.MatchExact:
			exact = append(exact, p.Pattern)
		case impl.MatchPrefix:
			prefix = append(prefix, p.Pattern)
		case impl.MatchSuffix:
			suffix = append(suffix, p.Pattern)
		case impl.MatchContains:
			contains = append(contains, p.Pattern)
		}
	}
	// redact_query names are matched whole, trailing digits included.
	builtin, _ := impl.NewURLSanitizer()
	var whole []string
	for _, e := range extra {
		n := impl.NormaliseParamName(e)
		if n != "" && !builtin.Sensitive(n) {
			whole = append(whole, n)
		}
	}
	for _, l := range [][]string{exact, prefix, suffix, contains, whole} {
		slices.Sort(l)
	}
	whole = slices.Compact(whole)
	build := func(seps string) string {
		ign := ignoredInName(seps)
		anyChar := "(?:[^" + seps + "%]|%[0-9A-Fa-f]{2})*"
		digits := "(?:" + ign + "|[0-9]|%3[0-9])*"
		var alts []string
		if len(exact) > 0 {
			alts = append(alts, ign+"*"+nameTrie(exact, ign)+digits)
		}
		for _, p := range prefix {
			alts = append(alts, ign+"*"+spelled(p, ign)+anyChar)
		}
		if len(suffix) > 0 {
			var sp []string
			for _, p := range suffix {
				sp = append(sp, spelled(p, ign))
			}
			alts = append(alts, anyChar+"(?:"+strings.Join(sp, "|")+")"+digits)
		}
		if len(contains) > 0 {
			var sp []string
			for _, p := range contains {
				sp = append(sp, spelled(p, ign))
			}
			alts = append(alts, anyChar+"(?:"+strings.Join(sp, "|")+")"+anyChar)
		}
		if len(whole) > 0 {
			alts = append(alts, ign+"*"+nameTrie(whole, ign))
		}
		return "(?:" + strings.Join(alts, "|") + ")"
	}
	return sensitiveNames{query: build("&;=#"), path: build(";=/?#")}
}

// notRedacted matches, from position i of impl.RedactedQueryValue, the
// rest of a value that is not that value: one that ends early (at one of
// the separators ends or at the end), differs, or goes on.
func notRedacted(i int, ends string) string {
	v := impl.RedactedQueryValue
	if i == len(v) {
		return "[^" + ends + "]"
	}
	c := string(v[i])
	return "(?:[^" + c + "]|$|" + c + notRedacted(i+1, ends) + ")"
}

// ignoredInName matches one raw character of a name that normalising
// drops: an ASCII character that is neither a letter nor a digit, as it
// is (but for the separators seps and "%") or percent-encoded. (Other
// characters that are neither letters nor digits are dropped as well; the
// pattern does not know them.)
func ignoredInName(seps string) string {
	var raw strings.Builder
	for c := byte(0); c < utf8.RuneSelf; c++ {
		if isAlnum(c) || c == '%' || strings.IndexByte(seps, c) >= 0 {
			continue
		}
		raw.WriteString(classByte(c))
	}
	// Percent-encoded: every ASCII byte but letters and digits.
	enc := `%[01][0-9A-Fa-f]|%2[0-9A-Fa-f]|%3[A-Fa-f]|%40|%5[B-Fb-f]|%60|%7[B-Fb-f]`
	return "(?:[" + raw.String() + "]|" + enc + ")"
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// classByte is the ASCII byte c inside a character class.
func classByte(c byte) string {
	switch {
	case c < 0x20 || c == 0x7f:
		return `\x` + strconv.FormatUint(uint64(c)>>4, 16) + strconv.FormatUint(uint64(c)&15, 16)
	case strings.IndexByte(`\]^-[`, c) >= 0:
		return `\` + string(c)
	}
	return string(c)
}

// nameTrie matches the names, each spelled by nameChar with ignored
// characters anywhere, followed by ignored characters only.
func nameTrie(names []string, ign string) string {
	type node struct {
		end  bool
		next map[rune]*node
	}
	root := &node{next: map[rune]*node{}}
	for _, n := range names {
		cur := root
		for _, r := range n {
			if cur.next[r] == nil {
				cur.next[r] = &node{next: map[rune]*node{}}
			}
			cur = cur.next[r]
		}
		cur.end = true
	}
	var walk func(*node) string
	walk = func(n *node) string {
		var alts []string
		if n.end {
			alts = append(alts, "") // the name ends: ignored characters follow
		}
		keys := make([]rune, 0, len(n.next))
		for r := range n.next {
			keys = append(keys, r)
		}
		slices.Sort(keys)
		for _, r := range keys {
			alts = append(alts, nameChar(r)+ign+"*"+walk(n.next[r]))
		}
		if len(alts) == 1 {
			return alts[0]
		}
		return "(?:" + strings.Join(alts, "|") + ")"
	}
	return walk(root)
}

// spelled matches the raw spelling of s, ignored characters between its
// characters.
func spelled(s, ign string) string {
	var parts []string
	for _, r := range s {
		parts = append(parts, nameChar(r))
	}
	return strings.Join(parts, ign+"*")
}

// nameChar matches one raw character of a name that compares as the
// lower-case r: any character whose lower case is r, as it is or
// percent-encoded (hexadecimal digits of either case).
func nameChar(r rune) string {
	return rawForms(append([]rune{r}, upperOf()[r]...))
}

// rawForms matches any of the characters cs, as it is or
// percent-encoded.
func rawForms(cs []rune) string {
	var alts []string
	var ascii []rune
	for _, c := range cs {
		if c < utf8.RuneSelf {
			ascii = append(ascii, c)
			continue
		}
		var pct strings.Builder
		var buf [utf8.UTFMax]byte
		for _, b := range buf[:utf8.EncodeRune(buf[:], c)] {
			pct.WriteString("%" + hexDigit(b>>4) + hexDigit(b&15))
		}
		alts = append(alts, quoteRune(c), pct.String())
	}
	if len(ascii) > 0 {
		var class strings.Builder
		for _, c := range ascii {
			if strings.ContainsRune(`\]^-`, c) {
				class.WriteByte('\\')
			}
			class.WriteRune(c)
		}
		lit := "[" + class.String() + "]"
		if len(ascii) == 1 {
			lit = quoteRune(ascii[0])
		}
		alts = append([]string{lit, percentOf(ascii)}, alts...)
	}
	return "(?:" + strings.Join(alts, "|") + ")"
}

// percentOf matches the percent-encoding of any of the ASCII characters
// cs, hexadecimal digits of either case, grouped by one nibble or the
// other, whichever is shorter.
func percentOf(cs []rune) string {
	group := func(key, other func(rune) byte) string {
		by := map[byte][]byte{}
		var keys []byte
		for _, c := range cs {
			k := key(c)
			if by[k] == nil {
				keys = append(keys, k)
			}
			by[k] = append(by[k], other(c))
		}
		slices.Sort(keys)
		var alts []string
		for _, k := range keys {
			var class strings.Builder
			for _, o := range by[k] {
				class.WriteString(strings.Trim(hexDigit(o), "[]"))
			}
			c := class.String()
			if len(c) > 1 {
				c = "[" + c + "]"
			}
			alts = append(alts, hexDigit(k)+"\x00"+c)
		}
		return strings.Join(alts, "|")
	}
	hi := func(c rune) byte { return byte(c) >> 4 }
	lo := func(c rune) byte { return byte(c) & 15 }
	// Grouped by the high nibble: "%" high, then the low ones; by the
	// low: the high ones, then low.
	byHigh := strings.ReplaceAll(group(hi, lo), "\x00", "")
	var byLow []string
	for _, alt := range strings.Split(group(lo, hi), "|") {
		l, h, _ := strings.Cut(alt, "\x00")
		byLow = append(byLow, h+l)
	}
	wrap := func(alts string) string {
		if strings.Contains(alts, "|") {
			return "%(?:" + alts + ")"
		}
		return "%" + alts
	}
	best := wrap(byHigh)
	if b := wrap(strings.Join(byLow, "|")); len(b) < len(best) {
		best = b
	}
	return best
}

// upperOf maps each character to the others whose lower case it is
// (unicode.ToLower, as strings.ToLower applies it): "A" for "a", and the
// Kelvin sign for "k".
var upperOf = sync.OnceValue(func() map[rune][]rune {
	m := map[rune][]rune{}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if l := unicode.ToLower(r); l != r {
			m[l] = append(m[l], r)
		}
	}
	return m
})

// hexDigit matches the hexadecimal digit d, in either case.
func hexDigit(d byte) string {
	const digits = "0123456789ABCDEF"
	if d < 10 {
		return digits[d : d+1]
	}
	return "[" + digits[d:d+1] + strings.ToLower(digits[d:d+1]) + "]"
}

// quoteRune is r in a regular expression, outside a class.
func quoteRune(r rune) string {
	if strings.ContainsRune(`\^$.|?*+()[]{}`, r) {
		return `\` + string(r)
	}
	return string(r)
}
