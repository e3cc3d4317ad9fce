package impl

import (
	"errors"
	"net/netip"
	"net/url"
	"slices"
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
		{name: "ipv6 host truncated, port kept", f: def, give: "http://u:p@[2001:db8:1:2::1]:8080/p", want: "http://[2001:db8:1::]:8080/p"},
		// Ports: 1 to 65535, no leading zero; an empty port is left out.
		{name: "port 65535", f: def, give: "https://example.com:65535/", want: "https://example.com:65535/"},
		{name: "port 0", f: def, give: "https://example.com:0/", wantErr: ErrInvalidURL},
		{name: "port 65536", f: def, give: "https://example.com:65536/", wantErr: ErrInvalidURL},
		{name: "port 99999999999999999999", f: def, give: "https://example.com:99999999999999999999/", wantErr: ErrInvalidURL},
		{name: "port with leading zero", f: def, give: "https://example.com:0443/", wantErr: ErrInvalidURL},
		{name: "empty port", f: def, give: "https://example.com:/x", want: "https://example.com/x"},
		// Hosts: lower-cased; IP literals truncated like an IP field, in
		// every form a browser reads as an address.
		{name: "host lower-cased", f: def, give: "https://AlIcE.Example.COM/Path", want: "https://alice.example.com/Path"},
		{name: "IPv4 host truncated", f: def, give: "https://198.51.100.23:8443/x", want: "https://198.51.100.0:8443/x"},
		{name: "IPv6 zone removed", f: def, give: "http://[fe80::1%25eth0]/x", want: "http://[fe80::]/x"},
		{name: "IPv4-mapped IPv6 host", f: def, give: "http://[::ffff:198.51.100.23]/", want: "http://[::ffff:198.51.100.0]/"},
		{name: "6to4 host keeps the IPv4 /24", f: def, give: "http://[2002:c633:6417::1]/", want: "http://[2002:c633:6400::]/"},
		{name: "IPv4 as one decimal number", f: def, give: "http://3325256727/", want: "http://198.51.100.0/"},
		{name: "IPv4 in hexadecimal", f: def, give: "http://0xC6.0x33.0x64.0x17/", want: "http://198.51.100.0/"},
		{name: "IPv4 in octal", f: def, give: "http://0306.063.0144.027/", want: "http://198.51.100.0/"},
		{name: "IPv4 shorthand", f: def, give: "http://198.51.25623/", want: "http://198.51.100.0/"},
		{name: "IPv4 trailing dot", f: def, give: "http://198.51.100.23./", want: "http://198.51.100.0/"},
		{name: "number host out of range", f: def, give: "http://198.51.100.256/", wantErr: ErrInvalidURL},
		{name: "five numbers", f: def, give: "http://1.2.3.4.5/", wantErr: ErrInvalidURL},
		{name: "name ending in a number", f: def, give: "http://host.123/", wantErr: ErrInvalidURL},
		{name: "name with digits kept", f: def, give: "http://a1.example/", want: "http://a1.example/"},
		{name: "bracketed IPv4", f: def, give: "http://[198.51.100.23]/", wantErr: ErrInvalidURL},
		{name: "host of colons", f: def, give: "ws://::", wantErr: ErrInvalidURL},
		// Schemes: web addresses only.
		{name: "javascript", f: def, give: "javascript://comment%0Aalert(1)", wantErr: ErrInvalidURL},
		{name: "javascript opaque", f: def, give: "javascript:alert(1)", wantErr: ErrInvalidURL},
		{name: "data", f: def, give: "data://text/html,<script>", wantErr: ErrInvalidURL},
		{name: "data opaque", f: def, give: "data:text/html;base64,PHNjcmlwdD4=", wantErr: ErrInvalidURL},
		{name: "custom scheme", f: def, give: "acme-notes://sync/?token=1", wantErr: ErrInvalidURL},
		{name: "websocket", f: def, give: "WSS://Example.com/live?sid=1", want: "wss://example.com/live?sid=REDACTED"},
		// Path parameters are parameters.
		{name: "path parameter redacted", f: def, give: "https://example.com/app;jsessionid=ABC123/x;v=2", want: "https://example.com/app;jsessionid=REDACTED/x;v=2"},
		{name: "path parameters dropped with the query", f: drop, give: "https://example.com/app;jsessionid=ABC123/x;v=2?token=1", want: "https://example.com/app/x"},
		{name: "path parameter, last segment", f: def, give: "https://example.com/a;sid=1;lang=en", want: "https://example.com/a;sid=REDACTED;lang=en"},
		{name: "e-mail address in the path", f: def, give: "https://example.com/users/alice@corp.example/inbox", want: "https://example.com/users/REDACTED/inbox"},
		{name: "encoded e-mail address in the path", f: def, give: "https://example.com/users/alice%40corp.example", want: "https://example.com/users/REDACTED"},
		{name: "URL with userinfo nested in the path", f: def, give: "https://proxy.example/https://u:pw@evil.example/", want: "https://proxy.example/https://REDACTED/"},
		// Sensitive names are patterns.
		{name: "pw, bearer, creds, SAMLart", f: def, give: "https://example.com/?pw=1&bearer=2&creds=3&SAMLart=4&user_pw=5&newPw2=6&x=7",
			want: "https://example.com/?pw=REDACTED&bearer=REDACTED&creds=REDACTED&SAMLart=REDACTED&user_pw=REDACTED&newPw2=REDACTED&x=7"},
		{name: "names normalised beyond - _ .", f: def, give: "https://example.com/?api%20key=1&api+key=2&Api~Key=3", want: "https://example.com/?api%20key=REDACTED&api+key=REDACTED&Api~Key=REDACTED"},
		{name: "harmless names kept", f: def, give: "https://example.com/?keyword=a&monkeys=b&design=c&page=2", want: "https://example.com/?keyword=a&monkeys=b&design=c&page=2"},
		// Addresses carried in values.
		{name: "nested URL sanitised", f: def, give: "https://example.com/login?redirect=https%3A%2F%2Fu%3Apw%40evil.example%2Fcb%3Ftoken%3Dt0k%26x%3D1%23frag",
			want: "https://example.com/login?redirect=https%3A%2F%2Fevil.example%2Fcb%3Ftoken%3DREDACTED%26x%3D1"},
		{name: "nested URL, double encoded", f: def, give: "https://example.com/?next=https%253A%252F%252Fu%253Apw%2540evil%252F",
			want: "https://example.com/?next=REDACTED"},
		{name: "nested URL in clear", f: def, give: "https://example.com/?next=https://u:pw@evil.example/x", want: "https://example.com/?next=https%3A%2F%2Fevil.example%2Fx"},
		{name: "nested javascript URL", f: def, give: "https://example.com/?next=javascript://%250Aalert(1)", want: "https://example.com/?next=REDACTED"},
		{name: "nested three deep", f: def, give: "https://a.example/?n=" + url.QueryEscape("https://b.example/?n="+url.QueryEscape("https://c.example/?n="+url.QueryEscape("https://d.example/"))),
			want: "https://a.example/?n=" + url.QueryEscape("https://b.example/?n="+url.QueryEscape("https://c.example/?n=REDACTED"))},
		{name: "e-mail address in a value", f: def, give: "https://example.com/?to=alice%40corp.example&x=1", want: "https://example.com/?to=REDACTED&x=1"},
		{name: "e-mail address as a bare parameter", f: def, give: "https://example.com/?alice@corp.example&x=1", want: "https://example.com/?REDACTED&x=1"},
		{name: "undecodable value", f: def, give: "https://example.com/?q=100%zz", want: "https://example.com/?q=REDACTED"},
		{name: "colon without slashes kept", f: def, give: "https://example.com/?t=12:30&r=a%3Ab", want: "https://example.com/?t=12:30&r=a%3Ab"},
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
		{name: "backslash userinfo", f: def, give: "https://good.example\\@evil.example/", wantErr: ErrInvalidURL},
		{name: "no host", f: def, give: "file:///etc/passwd", wantErr: ErrInvalidURL},
		{name: "unparsable", f: def, give: "https://exa mple.com/", wantErr: ErrInvalidURL},
		{name: "bad port", f: def, give: "http://user:pw@host:port/", wantErr: ErrInvalidURL},
		{name: "control character", f: def, give: "https://example.com/\x7f", wantErr: ErrInvalidURL},
		{name: "broken escape in a name", f: def, give: "https://example.com/?tok%zzen=secretvalue", wantErr: ErrInvalidURL},
	})
}

func TestNewURLSanitizerErrors(t *testing.T) {
	t.Parallel()
	for _, names := range [][]string{{""}, {"ok", "-_."}, {"~~"}} {
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
	for _, name := range append(DefaultSensitiveQueryNames(), "REF", "Access-Token", "client_secret", "x.auth.header", "Signature",
		"pw", "PW2", "user_pw", "bearer", "creds", "SAMLart", "SAMLTicket", "X-Amz-Date", "db-pass", "license_key", "totp", "refresh_token") {
		if !s.Sensitive(name) {
			t.Errorf("Sensitive(%q) = false, want true", name)
		}
	}
	for _, name := range []string{"page", "lang", "q", "id", "version", "keyboard-layout", "keyword", "design", "guide", "spinner", "passenger", "zipcode"} {
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
		"https://example.com/app;jsessionid=1/x?redirect=https%3A%2F%2Fu%3Ap%40e%2F%3Ftoken%3D1",
		"http://0x7f.1:80/%40x;a=b@c?q=%2540",
		"https://Example.COM:0443/",
		"http://[fe80::1%25eth0]:65535/",
		"wss://h/?next=https://h/?next=https://h/?next=https://h/",
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
		checkSanitised(t, s, raw, got)
		out, _ := url.Parse(got)
		if out.Scheme != in.Scheme || !slices.Contains(URLSchemes(), out.Scheme) {
			t.Fatalf("Sanitize(%q) = %q changed the scheme or accepted another", raw, got)
		}
		if _, err := netip.ParseAddr(strings.TrimSuffix(in.Hostname(), ".")); err != nil && !endsInNumber(strings.ToLower(in.Hostname())) && out.Hostname() != strings.ToLower(in.Hostname()) {
			t.Fatalf("Sanitize(%q) = %q changed a host name other than by case", raw, got)
		}
		// Sanitising is idempotent: what it sends, it would send again.
		if again, err := s.Sanitize(got); err != nil || again != got {
			t.Fatalf("Sanitize(%q) = %q, but Sanitize(%q) = %q, %v", raw, got, got, again, err)
		}
	})
}

// checkSanitised fails unless got, what s made of raw, shows nothing the
// sanitiser promises to remove: user details, a fragment, a port out of
// range, an untruncated IP host, an "@" anywhere, a value of a sensitive
// parameter, a query or path parameter where the query is dropped, a
// nested web address that is not itself sanitised.
func checkSanitised(t *testing.T, s *URLSanitizer, raw, got string) {
	t.Helper()
	out, err := url.Parse(got)
	if err != nil {
		t.Fatalf("Sanitize(%q) = %q, which does not parse: %v", raw, got, err)
	}
	if out.User != nil || out.Fragment != "" || strings.Contains(got, "#") {
		t.Fatalf("Sanitize(%q) = %q keeps userinfo or fragment", raw, got)
	}
	if out.Host != strings.ToLower(out.Host) {
		t.Fatalf("Sanitize(%q) = %q keeps the host's case", raw, got)
	}
	if p := out.Port(); p != "" && (p[0] == '0' || len(p) > 5) {
		t.Fatalf("Sanitize(%q) = %q keeps port %q", raw, got, p)
	}
	if a, err := netip.ParseAddr(out.Hostname()); err == nil {
		if a.Zone() != "" {
			t.Fatalf("Sanitize(%q) = %q keeps a zone", raw, got)
		}
		bits := DefaultIPv6Prefix
		if a.Is4() || a.Is4In6() {
			a, bits = a.Unmap(), DefaultIPv4Prefix
		} else if start, ok := ipv4Inside(a); ok {
			bits = min(bits, start+DefaultIPv4Prefix)
		}
		if p, _ := a.Prefix(bits); p.Addr() != a {
			t.Fatalf("Sanitize(%q) = %q keeps host bits beyond /%d", raw, got, bits)
		}
	} else if endsInNumber(out.Hostname()) {
		t.Fatalf("Sanitize(%q) = %q keeps a numeric host %q", raw, got, out.Hostname())
	}
	if dec, _ := url.PathUnescape(out.EscapedPath()); strings.Contains(dec, "@") {
		t.Fatalf("Sanitize(%q) = %q keeps an @ in the path", raw, got)
	}
	var params []string
	for seg := range strings.SplitSeq(out.EscapedPath(), "/") {
		if _, ps, ok := strings.Cut(seg, ";"); ok {
			if s.dropQuery {
				t.Fatalf("Sanitize(%q) = %q keeps path parameters", raw, got)
			}
			params = append(params, strings.Split(ps, ";")...)
		}
	}
	if s.dropQuery && strings.Contains(got, "?") {
		t.Fatalf("Sanitize(%q) = %q keeps a query", raw, got)
	}
	params = append(params, strings.FieldsFunc(out.RawQuery, func(r rune) bool { return r == '&' || r == ';' })...)
	for _, param := range params {
		rawName, value, hasValue := strings.Cut(param, "=")
		name, err := url.QueryUnescape(rawName)
		if err != nil {
			t.Fatalf("Sanitize(%q) = %q has an undecodable name", raw, got)
		}
		if carriesAddress(rawName) {
			t.Fatalf("Sanitize(%q) = %q keeps the name %q", raw, got, name)
		}
		if !hasValue || value == RedactedQueryValue {
			continue
		}
		if s.Sensitive(name) {
			t.Fatalf("Sanitize(%q) = %q leaves %q=%q", raw, got, name, value)
		}
		if carriesAddress(value) {
			nested, err := url.QueryUnescape(value)
			if err != nil {
				t.Fatalf("Sanitize(%q) = %q keeps an undecodable value %q", raw, got, value)
			}
			if again, err := s.Sanitize(nested); err != nil || again != nested {
				t.Fatalf("Sanitize(%q) = %q carries %q, which is not sanitised (%q, %v)", raw, got, nested, again, err)
			}
		}
	}
}

func BenchmarkURLSanitizerSanitize(b *testing.B) {
	raw := "https://alice:pw@example.com:8443/account/settings?lang=en&access_token=abc123&page=2#top"
	benchTransform(b, must(NewURLSanitizer()).Sanitize, raw)
}

// FuzzSensitiveName checks the compiled matcher against the published
// rule: a name is sensitive exactly when its normalised form matches a
// pattern of SensitiveQueryNames, and the two normalisers agree.
func FuzzSensitiveName(f *testing.F) {
	for _, s := range []string{"token", "X-Amz-Date", "pw2", "newPw", "keyword", "ÜSER_pw", "SAMLart", "a\u212aey", "", "123"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		n := NormaliseParamName(name)
		if got := string(appendNormalised(nil, name)); got != n {
			t.Fatalf("normalised %q to %q and %q", name, n, got)
		}
		want := slices.ContainsFunc(SensitiveQueryNames(), func(p SensitiveName) bool { return p.Matches(n) })
		if got := sensitive.match([]byte(n)); got != want {
			t.Fatalf("match(%q) = %v, the published rule says %v", n, got, want)
		}
	})
}

// TestSensitiveQueryNames checks the published list: normalised
// patterns, each kind present, copies handed out.
func TestSensitiveQueryNames(t *testing.T) {
	t.Parallel()
	kinds := map[NameMatch]int{}
	for _, p := range SensitiveQueryNames() {
		if p.Pattern == "" || NormaliseParamName(p.Pattern) != p.Pattern || strings.Trim(p.Pattern, "abcdefghijklmnopqrstuvwxyz") != "" {
			t.Errorf("pattern %q is not lower-case letters", p.Pattern)
		}
		kinds[p.Match]++
	}
	for _, m := range []NameMatch{MatchExact, MatchPrefix, MatchSuffix, MatchContains} {
		if kinds[m] == 0 {
			t.Errorf("no %s pattern", m)
		}
	}
	SensitiveQueryNames()[0].Pattern = "changed"
	if SensitiveQueryNames()[0].Pattern == "changed" {
		t.Error("the list handed out is the runtime's own")
	}
}
