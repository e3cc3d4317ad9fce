package impl

import (
	"fmt"
	"net/netip"
)

// The default prefix lengths of IPTruncator: the last octet of an IPv4
// address goes, and an IPv6 address keeps its site prefix.
const (
	DefaultIPv4Prefix = 24
	DefaultIPv6Prefix = 48
)

// IPTruncator zeroes the host part of IP addresses, keeping a prefix of
// leading bits: the IpTruncate redaction strategy.
//
// An IPv4-mapped IPv6 address (::ffff:192.0.2.1) is truncated as the IPv4
// address it carries, with the IPv4 prefix, and keeps its mapped form; a
// zone (fe80::1%eth0) is removed.
//
// Other IPv6 forms carry an IPv4 address inside, which the IPv6 prefix
// alone would keep whole: 6to4 (2002::/16, the IPv4 address in bits
// 16–47, all of it kept by a /48), Teredo (2001::/32, the server's IPv4
// address in bits 32–63 and the client's, inverted, in bits 96–127),
// NAT64 (64:ff9b::/96, and 64:ff9b:1::/48 whose operator chooses where),
// IPv4-compatible (::/96), IPv4-translated (::ffff:0:0/96) and ISATAP
// (an interface identifier of 0:5efe or 200:5efe followed by the IPv4
// address). For those the prefix kept is shortened so that the embedded
// IPv4 address keeps no more than the IPv4 prefix: 2002:c633:6417::1
// (198.51.100.23 inside) becomes 2002:c633:6400:: by default. Where an
// operator chooses the position (64:ff9b:1::/48), the IPv4 address is
// taken to begin at the earliest place it can, right after the /48.
//
// Build one with NewIPTruncator; the zero IPTruncator keeps no bits at
// all. An IPTruncator is immutable and safe for concurrent use.
type IPTruncator struct {
	v4, v6 int
}

// IPOption configures an IPTruncator.
type IPOption func(*IPTruncator)

// WithIPv4Prefix sets the number of leading bits kept of IPv4 addresses,
// 0 to 32 (default DefaultIPv4Prefix).
func WithIPv4Prefix(bits int) IPOption {
	return func(t *IPTruncator) { t.v4 = bits }
}

// WithIPv6Prefix sets the number of leading bits kept of IPv6 addresses,
// 0 to 128 (default DefaultIPv6Prefix).
func WithIPv6Prefix(bits int) IPOption {
	return func(t *IPTruncator) { t.v6 = bits }
}

// NewIPTruncator returns an IPTruncator keeping DefaultIPv4Prefix and
// DefaultIPv6Prefix bits unless options say otherwise. A prefix out of
// range gives an error wrapping ErrInvalidParameter.
func NewIPTruncator(opts ...IPOption) (IPTruncator, error) {
	t := IPTruncator{v4: DefaultIPv4Prefix, v6: DefaultIPv6Prefix}
	for _, opt := range opts {
		opt(&t)
	}
	if t.v4 < 0 || t.v4 > 32 {
		return IPTruncator{}, fmt.Errorf("IPv4 prefix %d not in [0, 32]: %w", t.v4, ErrInvalidParameter)
	}
	if t.v6 < 0 || t.v6 > 128 {
		return IPTruncator{}, fmt.Errorf("IPv6 prefix %d not in [0, 128]: %w", t.v6, ErrInvalidParameter)
	}
	return t, nil
}

// Prefixes returns the number of bits kept of IPv4 and of IPv6 addresses.
func (t IPTruncator) Prefixes() (ipv4, ipv6 int) { return t.v4, t.v6 }

// TruncateAddr returns a with its host bits zeroed and its zone removed.
// The invalid (zero) Addr gives an error wrapping ErrInvalidIP.
func (t IPTruncator) TruncateAddr(a netip.Addr) (netip.Addr, error) {
	out, err := t.truncateAddr(a)
	return out, Prefixed(err)
}

// truncateAddr is TruncateAddr, its error not prefixed.
func (t IPTruncator) truncateAddr(a netip.Addr) (netip.Addr, error) {
	if !a.IsValid() {
		return netip.Addr{}, fmt.Errorf("truncate IP: %w", ErrInvalidIP)
	}
	a = a.WithZone("")
	mapped := a.Is4In6()
	if mapped {
		a = a.Unmap()
	}
	bits := t.v6
	if a.Is4() {
		bits = t.v4
	} else if start, ok := embeddedIPv4(a); ok {
		bits = min(bits, start+t.v4)
	}
	p, err := a.Prefix(bits)
	if err != nil {
		// Unreachable: bits is in range for the address family.
		return netip.Addr{}, fmt.Errorf("truncate IP: %w", ErrInvalidIP)
	}
	a = p.Addr()
	if mapped {
		a = netip.AddrFrom16(a.As16())
	}
	return a, nil
}

// TruncateString truncates an IP address in text form ("192.0.2.33" gives
// "192.0.2.0" by default). Text that is not an address — a prefix, a port,
// surrounding space, leading zeros — gives an error wrapping ErrInvalidIP,
// and the caller drops the value.
func (t IPTruncator) TruncateString(s string) (string, error) {
	out, err := t.truncateString(s)
	return out, Prefixed(err)
}

// truncateString is TruncateString, its error not prefixed.
func (t IPTruncator) truncateString(s string) (string, error) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		// netip's error quotes the input: do not wrap it.
		return "", fmt.Errorf("truncate IP: text of %d bytes: %w", len(s), ErrInvalidIP)
	}
	a, err = t.truncateAddr(a)
	if err != nil {
		return "", err
	}
	return a.String(), nil
}

// TruncateBytes truncates an IP address in binary form, 4 or 16 bytes, and
// returns a new slice of the same length. Any other length gives an error
// wrapping ErrInvalidIP.
func (t IPTruncator) TruncateBytes(b []byte) ([]byte, error) {
	out, err := t.truncateBytes(b)
	return out, Prefixed(err)
}

// truncateBytes is TruncateBytes, its error not prefixed.
func (t IPTruncator) truncateBytes(b []byte) ([]byte, error) {
	a, ok := netip.AddrFromSlice(b)
	if !ok {
		return nil, fmt.Errorf("truncate IP: %d bytes, want 4 or 16: %w", len(b), ErrInvalidIP)
	}
	a, err := t.truncateAddr(a)
	if err != nil {
		return nil, err
	}
	return a.AsSlice(), nil
}

// embeddedIPv4 reports whether the IPv6 address a (not IPv4-mapped)
// carries an IPv4 address, and the bit offset where the first IPv4
// address it carries begins: the prefix kept must end at most the IPv4
// prefix past it. For the NAT64 local-use prefix (RFC 8215), where the
// operator chooses the position, the offset is the earliest it can take,
// the end of the /48.
func embeddedIPv4(a netip.Addr) (start int, ok bool) {
	b := a.As16()
	zero := func(from, to int) bool {
		for _, x := range b[from:to] {
			if x != 0 {
				return false
			}
		}
		return true
	}
	switch {
	case b[0] == 0x20 && b[1] == 0x02: // 6to4, RFC 3056
		return 16, true
	case b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0: // Teredo, RFC 4380
		return 32, true
	case b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && zero(4, 12): // NAT64 well-known, RFC 6052
		return 96, true
	case b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4] == 0 && b[5] == 1: // NAT64 local-use, RFC 8215
		return 48, true
	case zero(0, 12): // IPv4-compatible, RFC 4291 2.5.5.1 (deprecated)
		return 96, true
	case zero(0, 8) && b[8] == 0xff && b[9] == 0xff && b[10] == 0 && b[11] == 0: // IPv4-translated, RFC 2765
		return 96, true
	case b[8]&^0x03 == 0 && b[9] == 0 && b[10] == 0x5e && b[11] == 0xfe: // ISATAP, RFC 5214
		return 96, true
	}
	return 0, false
}
