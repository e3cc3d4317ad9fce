package jsonschema

import (
	"strconv"
	"strings"
)

// The patterns below spell out, in the common subset of RE2 and ECMA-262
// regular expressions, the string formats protovalidate checks. A JSON
// Schema validator need not assert "format" (draft 2020-12 makes it an
// annotation by default), so each format keyword comes with a pattern that
// enforces it everywhere.

// uuidPattern is protovalidate's string.uuid: 8-4-4-4-12 hexadecimal digits
// of either case.
const uuidPattern = `^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`

// tuuidPattern is protovalidate's string.tuuid: a UUID without dashes.
const tuuidPattern = `^[0-9a-fA-F]{32}$`

// emailPattern is protovalidate's string.email: the HTML standard's valid
// e-mail address.
const emailPattern = "^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$"

// RFC 3986 building blocks.
const (
	decOctet    = `(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])`
	ipv4Address = decOctet + `\.` + decOctet + `\.` + decOctet + `\.` + decOctet
	h16         = `[0-9A-Fa-f]{1,4}`
	pctEncoded  = `%[0-9A-Fa-f]{2}`
	unreserved  = `A-Za-z0-9\-._~`
	subDelims   = `!$&'()*+,;=`
)

// ipv6Address returns RFC 3986's IPv6address with ls32 as given: the
// eight alternatives of the grammar, one per position of "::".
func ipv6Address(ls32 string) string {
	h := func(n int) string { // n times "h16:"
		if n == 0 {
			return ""
		}
		return "(?:" + h16 + ":){" + strconv.Itoa(n) + "}"
	}
	upTo := func(n int) string { // [ *n( h16 ":" ) h16 ]
		if n == 0 {
			return "(?:" + h16 + ")?"
		}
		return "(?:(?:" + h16 + ":){0," + strconv.Itoa(n) + "}" + h16 + ")?"
	}
	alts := []string{
		h(6) + ls32,
		"::" + h(5) + ls32,
		upTo(0) + "::" + h(4) + ls32,
		upTo(1) + "::" + h(3) + ls32,
		upTo(2) + "::" + h(2) + ls32,
		upTo(3) + "::" + h(1) + ls32,
		upTo(4) + "::" + ls32,
		upTo(5) + "::" + h16,
		upTo(6) + "::",
	}
	return "(?:" + strings.Join(alts, "|") + ")"
}

var (
	// ipv6Text is an IPv6 address as protovalidate's string.ipv6 accepts
	// it: RFC 4291 text, with a zone ("%eth0") only when the address does
	// not end in dotted IPv4.
	ipv6Text = "(?:" + ipv6Address("(?:"+h16+":"+h16+")") + `(?:%[\s\S]+)?|` + ipv6Address("(?:"+ipv4Address+")") + ")"

	ipv4Pattern = "^" + ipv4Address + "$"
	ipv6Pattern = "^" + ipv6Text + "$"
	ipPattern   = "^(?:" + ipv4Address + "|" + ipv6Text + ")$"

	// ipNoZonePattern is an IP address as the IP truncation writes it:
	// without a zone.
	ipv6NoZone     = ipv6Address("(?:" + h16 + ":" + h16 + "|" + ipv4Address + ")")
	ipv4OutPattern = ipv4Pattern
	ipv6OutPattern = "^" + ipv6NoZone + "$"
	ipOutPattern   = "^(?:" + ipv4Address + "|" + ipv6NoZone + ")$"
	uriPattern     = "^" + uriExpr + "$"
	uriRefPattern  = "^(?:" + uriExpr + "|" + relativeRef + ")$"
	versionPattern = `[0-9A-Za-z_+-]+`
	uriExpr        = uri.scheme + ":" + uri.hier + uri.tail
	relativeRef    = uri.rel + uri.tail
)

// pctUTF8 is one character of RFC 3629's UTF-8, each byte
// percent-encoded, hexadecimal digits of either case.
var pctUTF8 = func() string {
	hex := func(digits string) string { // a hex digit among digits, either case
		return "[" + digits + strings.ToLower(digits) + "]"
	}
	any := "[0-9A-Fa-f]"
	cont := "%" + hex("89AB") + any
	return "(?:" + strings.Join([]string{
		"%[0-7]" + any,
		"%" + hex("C") + "[2-9A-Fa-f]" + cont,
		"%" + hex("D") + any + cont,
		"%" + hex("E") + "0%" + hex("AB") + any + cont,
		"%" + hex("E") + "[1-9A-Ca-cEFef]" + cont + cont,
		"%" + hex("E") + hex("D") + "%[89]" + any + cont,
		"%" + hex("F") + "0%" + hex("9AB") + any + cont + cont,
		"%" + hex("F") + "[1-3]" + cont + cont + cont,
		"%" + hex("F") + "4%8" + any + cont + cont,
	}, "|") + ")"
}()

// uriParts are the pieces of RFC 3986's grammar the patterns are built
// from, with the zone identifiers of RFC 6874 in IPv6 literals.
type uriParts struct {
	scheme, authority, host, ipLiteral, regName, regNameChar, port string
	pathAbempty, query, tail, hier, rel                            string
}

var uri = func() uriParts {
	var p uriParts
	pchar := "(?:[" + unreserved + subDelims + ":@]|" + pctEncoded + ")"
	p.scheme = `[A-Za-z][A-Za-z0-9+\-.]*`
	userinfo := "(?:[" + unreserved + subDelims + ":]|" + pctEncoded + ")*"
	// In the host, percent-encoding must spell UTF-8 (protovalidate
	// decodes it and checks).
	zoneID := "(?:[" + unreserved + "]|" + pctUTF8 + ")+"
	ipv6 := ipv6Address("(?:" + h16 + ":" + h16 + "|" + ipv4Address + ")")
	ipvFuture := `v[0-9A-Fa-f]+\.[` + unreserved + subDelims + ":]+"
	p.ipLiteral = `\[(?:` + ipv6 + "(?:%25" + zoneID + ")?|" + ipvFuture + `)\]`
	p.regNameChar = "(?:[" + unreserved + subDelims + "]|" + pctUTF8 + ")"
	p.regName = p.regNameChar + "*"
	p.host = "(?:" + p.ipLiteral + "|" + p.regName + ")"
	p.port = "(?::[0-9]*)?"
	p.authority = "(?:" + userinfo + "@)?" + p.host + p.port
	segment := pchar + "*"
	segmentNZ := pchar + "+"
	segmentNZNC := "(?:[" + unreserved + subDelims + "@]|" + pctEncoded + ")+"
	p.pathAbempty = "(?:/" + segment + ")*"
	pathAbsolute := "/(?:" + segmentNZ + "(?:/" + segment + ")*)?"
	pathRootless := segmentNZ + "(?:/" + segment + ")*"
	pathNoscheme := segmentNZNC + "(?:/" + segment + ")*"
	p.query = "(?:" + pchar + "|[/?])*"
	p.tail = `(?:\?` + p.query + ")?(?:#" + p.query + ")?"
	p.hier = "(?://" + p.authority + p.pathAbempty + "|" + pathAbsolute + "|" + pathRootless + ")?"
	p.rel = "(?://" + p.authority + p.pathAbempty + "|" + pathAbsolute + "|" + pathNoscheme + ")?"
	return p
}()
