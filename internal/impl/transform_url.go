package impl

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// RedactedQueryValue replaces the value of a sensitive query parameter.
const RedactedQueryValue = "REDACTED"

// defaultSensitiveNames are query parameter names whose values are always
// redacted, in normalised form (see normaliseQueryName).
var defaultSensitiveNames = []string{
	// keys and signatures
	"key", "apikey", "accesskey", "accesskeyid", "awsaccesskeyid", "secretkey", "privatekey",
	"sig", "signature", "xamzsignature", "xamzcredential", "xamzsecuritytoken",
	"xgoogsignature", "xgoogcredential", "googleaccessid", "hmac", "hash",
	// tokens, codes and one-time secrets
	"token", "code", "authcode", "otp", "pin", "ticket", "jwt", "nonce", "state",
	"samlrequest", "samlresponse", "assertion", "csrf", "xsrf",
	// passwords
	"password", "passwd", "pwd", "pass", "passphrase",
	// sessions
	"sid", "session", "sessionid", "sessid", "phpsessid", "jsessionid", "aspsessionid",
	// authentication
	"auth", "authorization", "credential", "credentials",
	// account details (company policy: account details are deleted from
	// transmitted web addresses)
	"user", "username", "userid", "uid", "login", "account", "email", "mail", "phone",
}

// defaultSensitiveSubstrings redact any query parameter whose normalised
// name contains one of them ("access_token", "X-Session-Id").
var defaultSensitiveSubstrings = []string{
	"token", "secret", "passw", "signature", "session", "sessid", "credential",
	"apikey", "accesskey", "auth", "email",
}

// DefaultSensitiveQueryNames returns the query parameter names whose values
// a URLSanitizer always redacts, in normalised form: lower case, with '-',
// '_' and '.' removed ("API_Key" and "api-key" both match "apikey").
func DefaultSensitiveQueryNames() []string { return slices.Clone(defaultSensitiveNames) }

// DefaultSensitiveQuerySubstrings returns the strings that make a query
// parameter sensitive when its normalised name contains one of them
// ("access_token", "X-Session-Id", "oauth_verifier" …).
func DefaultSensitiveQuerySubstrings() []string { return slices.Clone(defaultSensitiveSubstrings) }

// URLSanitizer removes the personal parts of web addresses: the
// UrlSanitize redaction strategy.
//
// It keeps the scheme, host, port and path; removes user name, password and
// fragment; and, in the query, keeps every parameter in its place but
// replaces the value of each sensitive one by RedactedQueryValue. A
// parameter is sensitive when its name, percent-decoded and normalised
// (lower case, '-', '_' and '.' removed), is in DefaultSensitiveQueryNames
// or in the names given WithRedactQuery, or contains one of
// DefaultSensitiveQuerySubstrings. Both '&' and ';' separate parameters, so
// that a server splitting on either cannot receive an unredacted value.
// WithDropQuery removes the query altogether.
//
// The path is kept as it is: a secret carried in a path segment is not
// detected. A URLSanitizer is immutable and safe for concurrent use.
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

// WithDropQuery makes the URLSanitizer remove the whole query.
func WithDropQuery() URLOption {
	return func(c *urlConfig) { c.dropQuery = true }
}

// WithRedactQuery adds query parameter names whose values are redacted,
// matched like the default names (case-insensitively, ignoring '-', '_'
// and '.'). A name that is empty once normalised is an error.
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
		n := normaliseQueryName(name)
		if n == "" {
			return nil, fmt.Errorf("URL sanitiser: redacted query name %d is empty: %w", i, ErrInvalidParameter)
		}
		s.extra[n] = true
	}
	return s, nil
}

// Sensitive reports whether the value of the query parameter with the
// given (decoded) name is redacted.
func (s *URLSanitizer) Sensitive(name string) bool {
	n := normaliseQueryName(name)
	if s != nil && s.extra[n] || slices.Contains(defaultSensitiveNames, n) {
		return true
	}
	for _, sub := range defaultSensitiveSubstrings {
		if strings.Contains(n, sub) {
			return true
		}
	}
	return false
}

// Sanitize returns raw with its personal parts removed. raw must be an
// absolute URL with a scheme and a host ("https://example.com/a?b=c");
// anything else — unparsable text, a relative reference, "mailto:…",
// "file:///…", a query name with a broken percent-escape — gives an error
// wrapping ErrInvalidURL, and the caller drops the value.
func (s *URLSanitizer) Sanitize(raw string) (string, error) {
	out, err := s.sanitize(raw)
	return out, Prefixed(err)
}

// sanitize is Sanitize, its error not prefixed.
func (s *URLSanitizer) sanitize(raw string) (string, error) {
	if s == nil {
		return "", fmt.Errorf("sanitise URL: nil URLSanitizer (use NewURLSanitizer): %w", ErrInvalidParameter)
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url's error quotes the input: do not wrap it.
		return "", fmt.Errorf("sanitise URL: unparsable: %w", ErrInvalidURL)
	}
	if u.Scheme == "" || u.Opaque != "" || u.Host == "" {
		return "", fmt.Errorf("sanitise URL: want scheme and host: %w", ErrInvalidURL)
	}
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	if s.dropQuery {
		u.RawQuery, u.ForceQuery = "", false
	} else if u.RawQuery, err = s.sanitiseQuery(u.RawQuery); err != nil {
		return "", err
	}
	return u.String(), nil
}

// sanitiseQuery replaces the values of the sensitive parameters of a raw
// query, keeping everything else byte for byte.
func (s *URLSanitizer) sanitiseQuery(q string) (string, error) {
	var b strings.Builder
	b.Grow(len(q))
	for q != "" {
		param, rest, sep := q, "", ""
		if i := strings.IndexAny(q, "&;"); i >= 0 {
			param, rest, sep = q[:i], q[i+1:], q[i:i+1]
		}
		q = rest
		rawName, _, hasValue := strings.Cut(param, "=")
		name, err := url.QueryUnescape(rawName)
		if err != nil {
			return "", fmt.Errorf("sanitise URL: query name: %w", ErrInvalidURL)
		}
		if hasValue && s.Sensitive(name) {
			b.WriteString(rawName)
			b.WriteString("=" + RedactedQueryValue)
		} else {
			b.WriteString(param)
		}
		b.WriteString(sep)
	}
	return b.String(), nil
}

// normaliseQueryName lower-cases name and removes '-', '_' and '.'.
func normaliseQueryName(name string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '-', '_', '.':
			return -1
		}
		return r
	}, strings.ToLower(name))
}
