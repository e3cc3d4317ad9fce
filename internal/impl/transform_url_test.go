package impl

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

func TestURLSanitizerSanitize(t *testing.T) {
	t.Parallel()
	def := must(NewURLSanitizer()).Sanitize
	extra := must(NewURLSanitizer(WithRedactQuery("q", "Search-Term"))).Sanitize
	drop := must(NewURLSanitizer(WithDropQuery())).Sanitize
	runStringCases(t, []stringCase{
		{name: "plain", f: def, give: "https://example.com/a/b", want: "https://example.com/a/b"},
		{name: "userinfo and fragment", f: def, give: "https://alice:hunter2@example.com:8443/x#section", want: "https://example.com:8443/x"},
		{name: "user only", f: def, give: "ftp://bob@files.example.com/pub", want: "ftp://files.example.com/pub"},
		{name: "scheme lower-cased", f: def, give: "HTTP://example.com/", want: "http://example.com/"},
		{name: "ipv6 host and port", f: def, give: "http://u:p@[2001:db8::1]:8080/p", want: "http://[2001:db8::1]:8080/p"},
		{
			name: "sensitive values redacted, order kept",
			f:    def, give: "https://example.com/cb?z=1&access_token=abc&State=xyz&a=2&Code=secret",
			want: "https://example.com/cb?z=1&access_token=REDACTED&State=REDACTED&a=2&Code=REDACTED",
		},
		{
			name: "names normalised and percent-decoded",
			f:    def, give: "https://example.com/?API-Key=1&api_key=2&to%6Ben=3&X-Amz-Signature=4&sessionId=5&PHPSESSID=6&userEmail=7&mailbox=8",
			want: "https://example.com/?API-Key=REDACTED&api_key=REDACTED&to%6Ben=REDACTED&X-Amz-Signature=REDACTED&sessionId=REDACTED&PHPSESSID=REDACTED&userEmail=REDACTED&mailbox=8",
		},
		{name: "substring match", f: def, give: "https://example.com/?my_refresh_token=a&oauth_verifier=b&x=c", want: "https://example.com/?my_refresh_token=REDACTED&oauth_verifier=REDACTED&x=c"},
		{name: "semicolon separates too", f: def, give: "https://example.com/?a=1;password=p&b=2", want: "https://example.com/?a=1;password=REDACTED&b=2"},
		{name: "name without value kept", f: def, give: "https://example.com/?token&x=1&", want: "https://example.com/?token&x=1&"},
		{name: "empty value redacted", f: def, give: "https://example.com/?sig=", want: "https://example.com/?sig=REDACTED"},
		{name: "value with equals", f: def, give: "https://example.com/?key=a=b&x=y=z", want: "https://example.com/?key=REDACTED&x=y=z"},
		{name: "repeated parameter", f: def, give: "https://example.com/?pwd=1&pwd=2", want: "https://example.com/?pwd=REDACTED&pwd=REDACTED"},
		{name: "extra names", f: extra, give: "https://search.example/?q=my+query&search_term=x&page=2", want: "https://search.example/?q=REDACTED&search_term=REDACTED&page=2"},
		{name: "extra keeps defaults", f: extra, give: "https://example.com/?token=1", want: "https://example.com/?token=REDACTED"},
		{name: "drop query", f: drop, give: "https://u@example.com/p?token=1&a=2#f", want: "https://example.com/p"},
		{name: "drop empty forced query", f: drop, give: "https://example.com/p?", want: "https://example.com/p"},
		{name: "path escapes kept", f: def, give: "https://example.com/a%2Fb/c%20d", want: "https://example.com/a%2Fb/c%20d"},
		{name: "empty", f: def, give: "", wantErr: ErrInvalidURL},
		{name: "relative", f: def, give: "/path?token=1", wantErr: ErrInvalidURL},
		{name: "no scheme", f: def, give: "//example.com/p", wantErr: ErrInvalidURL},
		{name: "opaque", f: def, give: "mailto:alice@example.com", wantErr: ErrInvalidURL},
		{name: "no host", f: def, give: "file:///etc/passwd", wantErr: ErrInvalidURL},
		{name: "unparsable", f: def, give: "https://exa mple.com/", wantErr: ErrInvalidURL},
		{name: "bad port", f: def, give: "http://user:pw@host:port/", wantErr: ErrInvalidURL},
		{name: "control character", f: def, give: "https://example.com/\x7f", wantErr: ErrInvalidURL},
		{name: "broken escape in a name", f: def, give: "https://example.com/?tok%zzen=secretvalue", wantErr: ErrInvalidURL},
	})
}

func TestNewURLSanitizerErrors(t *testing.T) {
	t.Parallel()
	for _, names := range [][]string{{""}, {"ok", "-_."}} {
		if _, err := NewURLSanitizer(WithRedactQuery(names...)); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("NewURLSanitizer(WithRedactQuery(%q)) error = %v, want ErrInvalidParameter", names, err)
		}
	}
}

func TestURLSanitizerSensitive(t *testing.T) {
	t.Parallel()
	s, err := NewURLSanitizer(WithRedactQuery("ref"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range append(DefaultSensitiveQueryNames(), "REF", "Access-Token", "client_secret", "x.auth.header", "Signature") {
		if !s.Sensitive(name) {
			t.Errorf("Sensitive(%q) = false, want true", name)
		}
	}
	for _, name := range []string{"page", "lang", "q", "id", "version", "keyboard-layout"} {
		if s.Sensitive(name) {
			t.Errorf("Sensitive(%q) = true, want false", name)
		}
	}
	// The lists handed out are copies.
	DefaultSensitiveQueryNames()[0] = "changed"
	DefaultSensitiveQuerySubstrings()[0] = "changed"
	if !s.Sensitive("key") || !s.Sensitive("mytoken") {
		t.Error("modifying the returned lists changed the sanitiser")
	}
}

func FuzzURLSanitizer(f *testing.F) {
	for _, s := range []string{
		"https://alice:pw@example.com:8443/a/b?token=abc&x=1#frag",
		"http://[::1]/?a=1;sig=2",
		"https://example.com/?to%6Ben=v",
		"ftp://h/?%zz=1",
		"mailto:a@b",
		"http://a@b@c/",
	} {
		f.Add(s, false)
	}
	plain, err := NewURLSanitizer(WithRedactQuery("extra"))
	if err != nil {
		f.Fatal(err)
	}
	drop, err := NewURLSanitizer(WithDropQuery())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw string, dropQuery bool) {
		s := plain
		if dropQuery {
			s = drop
		}
		got, err := s.Sanitize(raw)
		if err != nil {
			checkFailedClosed(t, raw, got, err, ErrInvalidURL)
			return
		}
		in, err := url.Parse(raw)
		if err != nil {
			t.Fatalf("Sanitize accepted %q, which url.Parse rejects: %v", raw, err)
		}
		out, err := url.Parse(got)
		if err != nil {
			t.Fatalf("Sanitize(%q) = %q, which does not parse: %v", raw, got, err)
		}
		if out.User != nil || out.Fragment != "" || strings.Contains(got, "#") {
			t.Fatalf("Sanitize(%q) = %q keeps userinfo or fragment", raw, got)
		}
		if out.Scheme != in.Scheme || out.Host != in.Host || out.Path != in.Path {
			t.Fatalf("Sanitize(%q) = %q changed scheme, host or path", raw, got)
		}
		if dropQuery && strings.Contains(got, "?") {
			t.Fatalf("Sanitize(%q) = %q keeps a query", raw, got)
		}
		// Every parameter of the result, split the way the sanitiser
		// splits, either is not sensitive or carries the placeholder.
		for param := range strings.FieldsFuncSeq(out.RawQuery, func(r rune) bool { return r == '&' || r == ';' }) {
			rawName, value, hasValue := strings.Cut(param, "=")
			name, err := url.QueryUnescape(rawName)
			if err != nil {
				t.Fatalf("Sanitize(%q) = %q has an undecodable name", raw, got)
			}
			if hasValue && s.Sensitive(name) && value != RedactedQueryValue {
				t.Fatalf("Sanitize(%q) = %q leaves %q=%q", raw, got, name, value)
			}
		}
	})
}

func BenchmarkURLSanitizerSanitize(b *testing.B) {
	raw := "https://alice:pw@example.com:8443/account/settings?lang=en&access_token=abc123&page=2#top"
	benchTransform(b, must(NewURLSanitizer()).Sanitize, raw)
}
