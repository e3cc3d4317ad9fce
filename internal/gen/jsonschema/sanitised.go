package jsonschema

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	js "github.com/invopop/jsonschema"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/impl"
)

// A web address as URL sanitising (impl.URLSanitizer) sends it: a scheme
// (lower case, as Go's url package writes it), "//", a host with an
// optional port and no user information, a path, the query unless the
// strategy drops it, and no fragment. In the query, a parameter the
// sanitiser deems sensitive holds impl.RedactedQueryValue or no value.
// Which names are sensitive is the runtime's rule, read from it: the
// names of impl.DefaultSensitiveQueryNames and of the strategy's
// redact_query, matched whole, and the strings of
// impl.DefaultSensitiveQuerySubstrings, matched anywhere in the name; a
// name is compared percent-decoded, in lower case and without "-", "_"
// and ".".

// sanitisedURL is the shape of a value after url_sanitize with parameters
// p, for a field whose string rules are rules (before redaction).
func sanitisedURL(p *provisionv1.Redaction_UrlSanitize, rules *validate.StringRules) *js.Schema {
	var shape string
	if rules.GetUri() || rules.GetUriRef() {
		// The value was an RFC 3986 URI (a relative reference cannot be
		// sanitised): so is what the sanitiser writes.
		// A host, or at least a port: Go's url package refuses neither.
		authority := "(?:(?:" + uri.ipLiteral + "|" + uri.regNameChar + "+)" + uri.port + "|:[0-9]*)"
		shape = `^[a-z][a-z0-9+\-.]*://` + authority + uri.pathAbempty
		if !p.GetDropQuery() {
			shape += `(?:\?` + uri.query + ")?"
		}
		shape += "$"
	} else {
		shape = `^[a-z][a-z0-9+\-.]*://[^/?#@]+(?:/[^?#]*)?`
		if !p.GetDropQuery() {
			shape += `(?:\?[^#]*)?`
		}
		shape += "$"
	}
	s := &js.Schema{Type: "string", Pattern: shape}
	if !p.GetDropQuery() {
		s.Not = &js.Schema{Pattern: sensitiveQueryPattern(p.GetRedactQuery())}
	}
	return s
}

// sensitiveQueryPattern matches a web address whose query holds a
// parameter the sanitiser redacts (the default names and substrings, and
// extra) with a value other than impl.RedactedQueryValue.
func sensitiveQueryPattern(extra []string) string {
	subs := impl.DefaultSensitiveQuerySubstrings()
	var names []string
	for _, n := range append(impl.DefaultSensitiveQueryNames(), extra...) {
		n = normalisedQueryName(n)
		// A name holding a sensitive substring is covered by it.
		if n == "" || slices.ContainsFunc(subs, func(s string) bool { return strings.Contains(n, s) }) {
			continue
		}
		names = append(names, n)
	}
	slices.Sort(names)
	names = slices.Compact(names)
	ign := ignoredInName()
	// A run of raw characters of a name, without splitting an escape.
	const rest = `(?:[^&;=#%]|%[0-9A-Fa-f]{2})*`
	var alts []string
	if len(names) > 0 {
		alts = append(alts, ign+"*(?:"+nameTrie(names, ign)+")")
	}
	var sub []string
	for _, s := range subs {
		sub = append(sub, spelled(normalisedQueryName(s), ign))
	}
	if len(sub) > 0 {
		alts = append(alts, rest+"(?:"+strings.Join(sub, "|")+")"+rest)
	}
	// The query starts at the first "?"; a parameter after it or after
	// "&" or ";".
	return `^[^?#]*\?(?:[^#]*[&;])?(?:` + strings.Join(alts, "|") + ")=" + notRedacted(0)
}

// normalisedQueryName is a name as the sanitiser compares it: lower case,
// without "-", "_" and ".".
func normalisedQueryName(name string) string {
	return strings.Map(func(r rune) rune {
		if isIgnoredInName(r) {
			return -1
		}
		return r
	}, strings.ToLower(name))
}

func isIgnoredInName(r rune) bool { return r == '-' || r == '_' || r == '.' }

// notRedacted matches, from position i of impl.RedactedQueryValue, the
// rest of a value that is not that value: one that ends early, differs,
// or goes on.
func notRedacted(i int) string {
	v := impl.RedactedQueryValue
	if i == len(v) {
		return "[^&;]"
	}
	c := string(v[i])
	return "(?:[^" + c + "]|$|" + c + notRedacted(i+1) + ")"
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

// ignoredInName matches one raw character of a name that the comparison
// drops: "-", "_", "." (or a character lower-casing to one), as they are
// or percent-encoded.
func ignoredInName() string {
	var cs []rune
	for _, r := range []rune{'-', '_', '.'} {
		cs = append(cs, r)
		cs = append(cs, upperOf()[r]...)
	}
	return rawForms(cs)
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
