package impl

import (
	"bytes"
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// RedactedQueryValue replaces the value of a sensitive query or path
// parameter, a parameter that carries an e-mail address or a web address
// that cannot be sanitised, and a path segment that carries an e-mail
// address.
const RedactedQueryValue = "REDACTED"

// NameMatch says how a SensitiveName matches a normalised parameter name
// (see NormaliseParamName).
type NameMatch uint8

// The ways a SensitiveName matches.
const (
	// MatchExact: the name is the pattern, trailing digits aside ("pw",
	// "pw2").
	MatchExact NameMatch = iota + 1
	// MatchPrefix: the name begins with the pattern ("saml" matches
	// "samlart", "samlrequest").
	MatchPrefix
	// MatchSuffix: the name ends with the pattern, trailing digits aside
	// ("pw" matches "userpw", "newpw2").
	MatchSuffix
	// MatchContains: the pattern appears anywhere in the name ("token"
	// matches "accesstoken", "xtokeny").
	MatchContains
)

// String returns the match's name: "exact", "prefix", "suffix",
// "contains".
func (m NameMatch) String() string {
	switch m {
	case MatchExact:
		return "exact"
	case MatchPrefix:
		return "prefix"
	case MatchSuffix:
		return "suffix"
	case MatchContains:
		return "contains"
	}
	return "none"
}

// SensitiveName is one pattern of the published list of sensitive
// parameter names: a lower-case pattern of letters and how it matches.
type SensitiveName struct {
	Pattern string
	Match   NameMatch
}

// Matches reports whether the normalised parameter name n (see
// NormaliseParamName) matches the pattern.
func (p SensitiveName) Matches(n string) bool {
	stem := strings.TrimRightFunc(n, unicode.IsDigit)
	switch p.Match {
	case MatchExact:
		return n == p.Pattern || stem == p.Pattern
	case MatchPrefix:
		return strings.HasPrefix(n, p.Pattern)
	case MatchSuffix:
		return strings.HasSuffix(n, p.Pattern) || strings.HasSuffix(stem, p.Pattern)
	case MatchContains:
		return strings.Contains(n, p.Pattern)
	}
	return false
}

// nameMatcher is the published list compiled for matching without
// allocating: the exact patterns in a set, the others by kind. It
// matches exactly what SensitiveName.Matches does for each pattern
// (TestNameMatcherAgrees).
type nameMatcher struct {
	exact                    map[string]bool
	prefix, suffix, contains [][]byte
}

var sensitive = func() *nameMatcher {
	m := &nameMatcher{exact: map[string]bool{}}
	for _, p := range sensitiveNames {
		switch p.Match {
		case MatchExact:
			m.exact[p.Pattern] = true
		case MatchPrefix:
			m.prefix = append(m.prefix, []byte(p.Pattern))
		case MatchSuffix:
			m.suffix = append(m.suffix, []byte(p.Pattern))
		case MatchContains:
			m.contains = append(m.contains, []byte(p.Pattern))
		}
	}
	return m
}()

// match reports whether the normalised name n matches a pattern.
func (m *nameMatcher) match(n []byte) bool {
	stem := n
	for len(stem) > 0 && stem[len(stem)-1] >= '0' && stem[len(stem)-1] <= '9' {
		stem = stem[:len(stem)-1]
	}
	if m.exact[string(n)] || m.exact[string(stem)] {
		return true
	}
	for _, p := range m.prefix {
		if bytes.HasPrefix(n, p) {
			return true
		}
	}
	for _, p := range m.suffix {
		if bytes.HasSuffix(n, p) || bytes.HasSuffix(stem, p) {
			return true
		}
	}
	for _, p := range m.contains {
		if bytes.Contains(n, p) {
			return true
		}
	}
	return false
}

// appendNormalised appends the normalised form of name (NormaliseParamName)
// to dst.
func appendNormalised(dst []byte, name string) []byte {
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			dst = append(dst, c)
		case c >= 'A' && c <= 'Z':
			dst = append(dst, c+'a'-'A')
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(name[i:])
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				dst = utf8.AppendRune(dst, unicode.ToLower(r))
			}
			i += size - 1
		}
	}
	return dst
}

// sensitiveNames is the published list: the one place the runtime, and
// whatever must agree with it (the JSON Schema of transmitted payloads,
// the pages), learn which parameter names are sensitive. Patterns are
// normalised: lower-case letters only.
var sensitiveNames = func() []SensitiveName {
	var out []SensitiveName
	add := func(m NameMatch, patterns ...string) {
		for _, p := range patterns {
			out = append(out, SensitiveName{Pattern: p, Match: m})
		}
	}
	add(MatchExact,
		// keys and signatures
		"key", "apikey", "accesskey", "accesskeyid", "awsaccesskeyid", "secretkey", "privatekey",
		"sig", "signature", "xamzsignature", "xamzcredential", "xamzsecuritytoken",
		"xgoogsignature", "xgoogcredential", "googleaccessid", "hmac", "hash", "mac",
		// tokens, codes and one-time secrets
		"token", "code", "authcode", "otp", "totp", "pin", "ticket", "jwt", "nonce", "state",
		"samlrequest", "samlresponse", "samlart", "assertion", "csrf", "xsrf",
		// passwords
		"password", "passwd", "pwd", "pw", "pass", "passphrase", "passcode",
		// sessions
		"sid", "session", "sessionid", "sessid", "phpsessid", "jsessionid", "aspsessionid",
		// authentication
		"auth", "authorization", "bearer", "credential", "credentials", "cred", "creds", "cookie",
		// account details (the policy: account details are deleted from
		// transmitted web addresses)
		"user", "username", "userid", "uid", "login", "account", "email", "mail", "phone", "tel",
		"iban", "ssn", "cvv", "cvc",
	)
	add(MatchPrefix,
		"saml", // SAMLart, SAMLRequest, SAMLResponse, SAMLTicket…
		"xamz", // X-Amz-Signature, X-Amz-Credential, X-Amz-Security-Token…
		"xgoog",
		"pw", // pwd, pwreset, pwhash…
	)
	add(MatchSuffix,
		"pw", "pwd", "pass", "key", "sig", "pin", "otp", "cred", "creds",
	)
	add(MatchContains,
		"token", "secret", "passw", "signature", "session", "sessid", "credential",
		"apikey", "accesskey", "privatekey", "auth", "bearer", "email", "cookie",
		"cardnumber", "creditcard",
	)
	return out
}()

// SensitiveQueryNames returns the published list of sensitive parameter
// names: a parameter of a query or of a path segment whose name, once
// percent-decoded and normalised (NormaliseParamName), matches one of the
// patterns has its value replaced by RedactedQueryValue. The list is
// copied; its order is stable.
//
// The rule, for whatever must agree with the runtime (a JSON Schema
// pattern, a collector in another language): normalise the decoded name
// by keeping its letters and digits, lower-cased (Unicode), and dropping
// every other character ("X-Amz-Signature" and "x_amz.signature" both
// become "xamzsignature"); then a MatchExact pattern matches the whole
// name, a MatchPrefix pattern its beginning, a MatchSuffix pattern its
// end and a MatchContains pattern any part of it; MatchExact and
// MatchSuffix ignore trailing digits ("pw2" is "pw").
func SensitiveQueryNames() []SensitiveName { return slices.Clone(sensitiveNames) }

// DefaultSensitiveQueryNames returns the MatchExact patterns of
// SensitiveQueryNames.
func DefaultSensitiveQueryNames() []string { return patternsOf(MatchExact) }

// DefaultSensitiveQuerySubstrings returns the MatchContains patterns of
// SensitiveQueryNames.
func DefaultSensitiveQuerySubstrings() []string { return patternsOf(MatchContains) }

func patternsOf(m NameMatch) []string {
	var out []string
	for _, p := range sensitiveNames {
		if p.Match == m {
			out = append(out, p.Pattern)
		}
	}
	return out
}

// NormaliseParamName returns a decoded parameter name as the sensitive
// names are matched against it: its letters and digits, lower-cased,
// every other character dropped.
func NormaliseParamName(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			return unicode.ToLower(r)
		}
		return -1
	}, name)
}

// URLSchemes are the schemes a URLSanitizer accepts: web addresses with
// a host. Others (javascript:, data:, file:, mailto:, a product's own) are
// refused.
var urlSchemes = []string{"http", "https", "ws", "wss", "ftp"}

// URLSchemes returns the schemes a URLSanitizer accepts.
func URLSchemes() []string { return slices.Clone(urlSchemes) }

// maxNestedURL is how deep a URLSanitizer sanitises web addresses carried
// in parameter values; deeper ones are redacted.
const maxNestedURL = 2

// URLSanitizer removes the personal parts of web addresses: the
// UrlSanitize redaction strategy.
//
// It accepts an absolute address of one of URLSchemes with a host, and
// returns it rebuilt from its parts:
//
//   - the scheme, lower-cased;
//   - the host, lower-cased; a host that is an IP address (in brackets for
//     IPv6, its zone removed, or IPv4 in any form a browser reads: dotted,
//     a single number, hexadecimal or octal parts) is truncated as an IP
//     field is by default (DefaultIPv4Prefix, DefaultIPv6Prefix) and
//     written in its usual form; a host that ends in a number but is no
//     IPv4 address is refused;
//   - the port, which must be 1 to 65535 without leading zeros (an empty
//     port is left out);
//   - the path, except that a segment whose decoded text holds an "@" (an
//     e-mail address, a user name with a password) becomes
//     RedactedQueryValue, and that path parameters (";jsessionid=…") are
//     treated as query parameters;
//   - the query, each parameter in its place, '&' and ';' both separating
//     them (so that a server splitting on either receives no unredacted
//     value), with the value of each sensitive parameter replaced by
//     RedactedQueryValue.
//
// User name, password and fragment are removed. A parameter is sensitive
// when its percent-decoded name matches SensitiveQueryNames or one of the
// names given WithRedactQuery. A parameter whose value (percent-decoded
// once or more) holds an "@" or "://" carries an address: a web address
// is sanitised in turn, up to two levels deep, and anything else, or one
// that cannot be sanitised, becomes RedactedQueryValue; so does a value
// whose escapes do not decode. A parameter whose name holds an "@" or
// "://" becomes RedactedQueryValue whole. WithDropQuery removes the query
// and every path parameter.
//
// A secret in a path segment or in a parameter of another name is not
// detected: a catalog names such parameters (redact_query) or drops the
// query. A URLSanitizer is immutable and safe for concurrent use; the
// zero URLSanitizer sanitises with the published list alone.
type URLSanitizer struct {
	dropQuery bool
	extra     map[string]bool
}

// URLOption configures a URLSanitizer.
type URLOption func(*urlConfig)

type urlConfig struct {
	dropQuery bool
	extra     []string
}

// WithDropQuery makes the URLSanitizer remove the whole query and every
// path parameter.
func WithDropQuery() URLOption {
	return func(c *urlConfig) { c.dropQuery = true }
}

// WithRedactQuery adds parameter names whose values are redacted, matched
// exactly once normalised (NormaliseParamName: "Search-Term" names
// "searchterm"). A name that is empty once normalised is an error.
func WithRedactQuery(names ...string) URLOption {
	return func(c *urlConfig) { c.extra = append(c.extra, names...) }
}

// NewURLSanitizer returns a URLSanitizer configured by opts. An invalid
// option value gives an error wrapping ErrInvalidParameter.
func NewURLSanitizer(opts ...URLOption) (*URLSanitizer, error) {
	var c urlConfig
	for _, opt := range opts {
		opt(&c)
	}
	s := &URLSanitizer{dropQuery: c.dropQuery, extra: make(map[string]bool, len(c.extra))}
	for i, name := range c.extra {
		n := NormaliseParamName(name)
		if n == "" {
			return nil, fmt.Errorf("URL sanitiser: redacted query name %d has no letter or digit: %w", i, ErrInvalidParameter)
		}
		s.extra[n] = true
	}
	return s, nil
}

// Sensitive reports whether the value of the parameter with the given
// (decoded) name is redacted.
func (s *URLSanitizer) Sensitive(name string) bool {
	var buf [64]byte
	n := appendNormalised(buf[:0], name)
	return s != nil && s.extra[string(n)] || sensitive.match(n)
}

// Sanitize returns raw with its personal parts removed (see
// URLSanitizer). Anything it does not accept — unparsable text, a relative
// reference, another scheme ("javascript:…", "data:…", "mailto:…",
// "file:///…"), a port out of range, a host that ends in a number but is
// no IPv4 address, a parameter name with a broken percent-escape — gives
// an error wrapping ErrInvalidURL, and the caller drops the value.
func (s *URLSanitizer) Sanitize(raw string) (string, error) {
	out, err := s.sanitize(raw)
	return out, Prefixed(err)
}

// sanitize is Sanitize, its error not prefixed.
func (s *URLSanitizer) sanitize(raw string) (string, error) {
	if s == nil {
		return "", fmt.Errorf("sanitise URL: nil URLSanitizer (use NewURLSanitizer): %w", ErrInvalidParameter)
	}
	return s.sanitizeAt(raw, 0)
}

// sanitizeAt sanitises raw, found depth levels deep in parameter values.
func (s *URLSanitizer) sanitizeAt(raw string, depth int) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url's error quotes the input: do not wrap it.
		return "", fmt.Errorf("sanitise URL: unparsable: %w", ErrInvalidURL)
	}
	if u.Scheme == "" || u.Opaque != "" || u.Host == "" {
		return "", fmt.Errorf("sanitise URL: want scheme and host: %w", ErrInvalidURL)
	}
	if !slices.Contains(urlSchemes, u.Scheme) {
		return "", fmt.Errorf("sanitise URL: scheme of %d bytes is not one of %s: %w", len(u.Scheme), strings.Join(urlSchemes, ", "), ErrInvalidURL)
	}
	host, port, err := sanitiseHost(u)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.Grow(len(raw))
	b.WriteString(u.Scheme)
	b.WriteString("://")
	b.WriteString(host)
	b.WriteString(port)
	if err := s.sanitisePath(&b, u.EscapedPath(), depth); err != nil {
		return "", err
	}
	if !s.dropQuery && (u.RawQuery != "" || u.ForceQuery) {
		b.WriteByte('?')
		if err := s.sanitiseParams(&b, u.RawQuery, "&;", depth); err != nil {
			return "", err
		}
	}
	return b.String(), nil
}

// sanitiseHost returns the host and port of u as they are sent: the host
// lower-cased or, for an IP address, truncated; a valid port after its
// colon, or "".
func sanitiseHost(u *url.URL) (host, port string, err error) {
	host, port = u.Hostname(), u.Port()
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 || port[0] == '0' {
			return "", "", fmt.Errorf("sanitise URL: port of %d digits out of 1 to 65535 or with a leading zero: %w", len(port), ErrInvalidURL)
		}
		port = u.Host[len(u.Host)-len(port)-1:]
	}
	tr := IPTruncator{v4: DefaultIPv4Prefix, v6: DefaultIPv6Prefix}
	if strings.HasPrefix(u.Host, "[") {
		a, err := netip.ParseAddr(host)
		if err != nil || !a.Is6() {
			return "", "", fmt.Errorf("sanitise URL: bracketed host is no IPv6 address: %w", ErrInvalidURL)
		}
		a, err = tr.truncateAddr(a)
		if err != nil {
			return "", "", fmt.Errorf("sanitise URL: %w", ErrInvalidURL)
		}
		return "[" + a.String() + "]", port, nil
	}
	host = strings.ToLower(host)
	if endsInNumber(host) {
		a, ok := parseWebIPv4(host)
		if !ok {
			return "", "", fmt.Errorf("sanitise URL: host ends in a number but is no IPv4 address: %w", ErrInvalidURL)
		}
		a, _ = tr.truncateAddr(a)
		return a.String(), port, nil
	}
	if host == "" || indexSep(host, ":@[]") >= 0 {
		return "", "", fmt.Errorf("sanitise URL: empty host or one with a colon, @ or bracket: %w", ErrInvalidURL)
	}
	if plainHost(host) {
		return host, port, nil
	}
	// Hostname has decoded the host; write it escaped as url.URL would.
	return (&url.URL{Host: host}).String()[2:], port, nil
}

// plainHost reports whether host needs no escaping: lower-case letters,
// digits, '.', '-' and '_' only.
func plainHost(host string) bool {
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// endsInNumber reports whether a browser reads host as an IPv4 address
// (the "ends in a number" check of the WHATWG URL standard): its last
// label, a trailing dot aside, is decimal digits or 0x and hexadecimal
// digits.
func endsInNumber(host string) bool {
	host = strings.TrimSuffix(host, ".")
	last := host[strings.LastIndexByte(host, '.')+1:]
	if last == "" {
		return false
	}
	if allBytes(last, isDecimal) {
		return true
	}
	if len(last) >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X') {
		return allBytes(last[2:], isHex)
	}
	return false
}

// parseWebIPv4 parses host as the WHATWG URL standard's IPv4 parser does:
// one to four dot-separated parts (a trailing dot allowed), each decimal,
// octal (a leading 0) or hexadecimal (0x), the last filling the remaining
// bytes ("127.1" is 127.0.0.1, "3232235777" is 192.168.1.1).
func parseWebIPv4(host string) (netip.Addr, bool) {
	host = strings.TrimSuffix(host, ".")
	parts := strings.Split(host, ".")
	if len(parts) > 4 {
		return netip.Addr{}, false
	}
	nums := make([]uint64, len(parts))
	for i, p := range parts {
		base := 10
		switch {
		case p == "":
			return netip.Addr{}, false
		case len(p) >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'):
			base, p = 16, p[2:]
		case len(p) >= 2 && p[0] == '0':
			base, p = 8, p[1:]
		}
		if p == "" {
			nums[i] = 0
			continue
		}
		n, err := strconv.ParseUint(p, base, 64)
		if err != nil {
			return netip.Addr{}, false
		}
		nums[i] = n
	}
	var v uint64
	for i, n := range nums[:len(nums)-1] {
		if n > 255 {
			return netip.Addr{}, false
		}
		v |= n << (8 * (3 - i))
	}
	last := nums[len(nums)-1]
	if last >= 1<<(8*(5-len(nums))) {
		return netip.Addr{}, false
	}
	v |= last
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), true
}

// sanitisePath writes the escaped path p: each segment whose decoded text
// holds an "@" redacted, each path parameter as a query parameter (all
// of them dropped with the query).
func (s *URLSanitizer) sanitisePath(b *strings.Builder, p string, depth int) error {
	for i := 0; ; i++ {
		seg, rest, more := strings.Cut(p, "/")
		p = rest
		if i > 0 {
			b.WriteByte('/')
		}
		if err := s.sanitiseSegment(b, seg, depth); err != nil {
			return err
		}
		if !more {
			return nil
		}
	}
}

// sanitiseSegment writes one escaped path segment.
func (s *URLSanitizer) sanitiseSegment(b *strings.Builder, seg string, depth int) error {
	base, params, hasParams := strings.Cut(seg, ";")
	if carriesAddress(base) {
		base = RedactedQueryValue
	}
	b.WriteString(base)
	if hasParams && !s.dropQuery {
		b.WriteByte(';')
		return s.sanitiseParams(b, params, ";", depth)
	}
	return nil
}

// sanitiseParams writes the parameters of raw, separated by any of seps,
// each sanitised, separators kept.
func (s *URLSanitizer) sanitiseParams(b *strings.Builder, raw, seps string, depth int) error {
	for raw != "" {
		param, rest, sep := raw, "", ""
		if i := indexSep(raw, seps); i >= 0 {
			param, rest, sep = raw[:i], raw[i+1:], raw[i:i+1]
		}
		raw = rest
		if err := s.sanitiseParam(b, param, depth); err != nil {
			return err
		}
		b.WriteString(sep)
	}
	return nil
}

// sanitiseParam writes one parameter, name=value or name alone.
func (s *URLSanitizer) sanitiseParam(b *strings.Builder, param string, depth int) error {
	rawName, rawValue, hasValue := strings.Cut(param, "=")
	name, err := url.QueryUnescape(rawName)
	if err != nil {
		return fmt.Errorf("sanitise URL: parameter name: %w", ErrInvalidURL)
	}
	switch {
	case carriesAddress(rawName):
		b.WriteString(RedactedQueryValue)
		return nil
	case !hasValue:
		b.WriteString(param)
		return nil
	}
	b.WriteString(rawName)
	b.WriteByte('=')
	switch {
	case s.Sensitive(name):
		b.WriteString(RedactedQueryValue)
	case carriesAddress(rawValue):
		b.WriteString(s.nestedURL(rawValue, depth))
	default:
		b.WriteString(rawValue)
	}
	return nil
}

// nestedURL returns the value of a parameter that carries an address: the
// web address it holds, sanitised and escaped again, or
// RedactedQueryValue.
func (s *URLSanitizer) nestedURL(rawValue string, depth int) string {
	if depth >= maxNestedURL {
		return RedactedQueryValue
	}
	v, err := url.QueryUnescape(rawValue)
	if err != nil {
		return RedactedQueryValue
	}
	out, err := s.sanitizeAt(v, depth+1)
	if err != nil {
		return RedactedQueryValue
	}
	return url.QueryEscape(out)
}

// maxDecode bounds how many times carriesAddress percent-decodes a value.
const maxDecode = 4

// carriesAddress reports whether raw, or raw percent-decoded up to
// maxDecode times, holds an "@" or "://": an e-mail address, user
// details or a web address. A value whose escapes do not decode is taken
// to carry one: what a lenient server makes of it is unknown.
func carriesAddress(raw string) bool {
	for range maxDecode {
		if !mayCarryAddress(raw) {
			return false
		}
		if strings.Contains(raw, "@") || strings.Contains(raw, "://") {
			return true
		}
		if !strings.Contains(raw, "%") {
			return false
		}
		dec, err := url.QueryUnescape(raw)
		if err != nil {
			return true
		}
		if dec == raw {
			return false
		}
		raw = dec
	}
	return strings.ContainsAny(raw, "%@") || strings.Contains(raw, "://")
}

// mayCarryAddress reports whether s holds a byte that an address needs,
// or an escape that may hide one: '%', '@' or ':'.
func mayCarryAddress(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '%' || c == '@' || c == ':' {
			return true
		}
	}
	return false
}

// indexSep returns the index of the first byte of s that is one of the
// ASCII separators seps, or -1.
func indexSep(s, seps string) int {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(seps, s[i]) >= 0 {
			return i
		}
	}
	return -1
}

// allBytes reports whether every byte of s satisfies ok.
func allBytes(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

func isDecimal(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c byte) bool { return isDecimal(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }
