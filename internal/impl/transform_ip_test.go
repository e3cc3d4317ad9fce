package impl

import (
	"bytes"
	"errors"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNewIPTruncator(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		opts           []IPOption
		wantV4, wantV6 int
		wantErr        error
	}{
		{name: "defaults", wantV4: 24, wantV6: 48},
		{name: "both set", opts: []IPOption{WithIPv4Prefix(16), WithIPv6Prefix(64)}, wantV4: 16, wantV6: 64},
		{name: "extremes", opts: []IPOption{WithIPv4Prefix(0), WithIPv6Prefix(128)}, wantV4: 0, wantV6: 128},
		{name: "v4 too long", opts: []IPOption{WithIPv4Prefix(33)}, wantErr: ErrInvalidParameter},
		{name: "v4 negative", opts: []IPOption{WithIPv4Prefix(-1)}, wantErr: ErrInvalidParameter},
		{name: "v6 too long", opts: []IPOption{WithIPv6Prefix(129)}, wantErr: ErrInvalidParameter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tr, err := NewIPTruncator(tt.opts...)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("NewIPTruncator error = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if v4, v6 := tr.Prefixes(); v4 != tt.wantV4 || v6 != tt.wantV6 {
				t.Errorf("Prefixes() = %d, %d; want %d, %d", v4, v6, tt.wantV4, tt.wantV6)
			}
		})
	}
}

func TestIPTruncatorTruncateString(t *testing.T) {
	t.Parallel()
	def := must(NewIPTruncator()).TruncateString
	narrow := must(NewIPTruncator(WithIPv4Prefix(20), WithIPv6Prefix(33))).TruncateString
	wide := must(NewIPTruncator(WithIPv6Prefix(128))).TruncateString
	runStringCases(t, []stringCase{
		{name: "v4", f: def, give: "192.0.2.33", want: "192.0.2.0"},
		{name: "v4 odd prefix", f: narrow, give: "192.0.255.255", want: "192.0.240.0"},
		{name: "v6", f: def, give: "2001:db8:85a3:8d3:1319:8a2e:370:7348", want: "2001:db8:85a3::"},
		{name: "v6 odd prefix", f: narrow, give: "2001:db8:ffff::1", want: "2001:db8:8000::"},
		{name: "v6 zone stripped", f: def, give: "fe80::1:2:3%eth0", want: "fe80::"},
		{name: "v4-mapped uses the v4 prefix", f: def, give: "::ffff:198.51.100.77", want: "::ffff:198.51.100.0"},
		{name: "zero prefix", f: IPTruncator{}.TruncateString, give: "203.0.113.9", want: "0.0.0.0"},
		{name: "loopback v6", f: def, give: "::1", want: "::"},
		// IPv6 forms that carry an IPv4 address: the IPv4 address is
		// truncated to the IPv4 prefix too.
		{name: "6to4 keeps 2002: and the IPv4 /24", f: def, give: "2002:c633:6417::1", want: "2002:c633:6400::"},
		{name: "6to4 at /128", f: wide, give: "2002:c633:6417:1:2:3:4:5", want: "2002:c633:6400::"},
		{name: "6to4 narrow", f: narrow, give: "2002:c633:6417::1", want: "2002:c633::"},
		{name: "Teredo at /48 (server /16)", f: def, give: "2001:0:c633:6417:0:f227:3c9c:9be8", want: "2001:0:c633::"},
		{name: "Teredo at /128", f: wide, give: "2001:0:c633:6417:0:f227:3c9c:9be8", want: "2001:0:c633:6400::"},
		{name: "NAT64 well-known at /128", f: wide, give: "64:ff9b::c633:6417", want: "64:ff9b::c633:6400"},
		{name: "NAT64 well-known at /48", f: def, give: "64:ff9b::198.51.100.23", want: "64:ff9b::"},
		{name: "NAT64 local-use at /128", f: wide, give: "64:ff9b:1:c633:64:1700::", want: "64:ff9b:1:c633::"},
		{name: "IPv4-compatible at /128", f: wide, give: "::198.51.100.23", want: "::c633:6400"},
		{name: "IPv4-translated at /128", f: wide, give: "::ffff:0:198.51.100.23", want: "::ffff:0:c633:6400"},
		{name: "ISATAP at /128", f: wide, give: "2001:db8:1:2:0:5efe:c633:6417", want: "2001:db8:1:2:0:5efe:c633:6400"},
		{name: "ISATAP with u bit at /128", f: wide, give: "2001:db8:1:2:200:5efe:c633:6417", want: "2001:db8:1:2:200:5efe:c633:6400"},
		{name: "plain IPv6 at /128 kept", f: wide, give: "2001:db8:1:2:3:4:5:6", want: "2001:db8:1:2:3:4:5:6"},
		{name: "empty", f: def, give: "", wantErr: ErrInvalidIP},
		{name: "prefix notation", f: def, give: "192.0.2.0/24", wantErr: ErrInvalidIP},
		{name: "with port", f: def, give: "192.0.2.1:80", wantErr: ErrInvalidIP},
		{name: "leading zero", f: def, give: "192.0.2.01", wantErr: ErrInvalidIP},
		{name: "space", f: def, give: " 192.0.2.1", wantErr: ErrInvalidIP},
		{name: "host name", f: def, give: "example.com", wantErr: ErrInvalidIP},
		{name: "bracketed", f: def, give: "[::1]", wantErr: ErrInvalidIP},
	})
}

func TestIPTruncatorTruncateBytes(t *testing.T) {
	t.Parallel()
	def, err := NewIPTruncator()
	if err != nil {
		t.Fatal(err)
	}
	mapped := netip.MustParseAddr("::ffff:192.0.2.200").As16()
	tests := []struct {
		name    string
		give    []byte
		want    []byte
		wantErr error
	}{
		{name: "v4", give: []byte{192, 0, 2, 200}, want: []byte{192, 0, 2, 0}},
		{name: "v6", give: bytes.Repeat([]byte{0xff}, 16), want: append(bytes.Repeat([]byte{0xff}, 6), make([]byte, 10)...)},
		{name: "v4-mapped keeps 16 bytes", give: mapped[:], want: []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 0}},
		{name: "nil", give: nil, wantErr: ErrInvalidIP},
		{name: "5 bytes", give: []byte{1, 2, 3, 4, 5}, wantErr: ErrInvalidIP},
		{name: "15 bytes", give: make([]byte, 15), wantErr: ErrInvalidIP},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			orig := bytes.Clone(tt.give)
			got, err := def.TruncateBytes(tt.give)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("TruncateBytes(%v) error = %v, want %v", tt.give, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("TruncateBytes(%v) mismatch (-want +got):\n%s", tt.give, diff)
			}
			if !bytes.Equal(orig, tt.give) {
				t.Errorf("TruncateBytes modified its input")
			}
		})
	}
}

func TestIPTruncatorTruncateAddrInvalid(t *testing.T) {
	t.Parallel()
	if _, err := (IPTruncator{}).TruncateAddr(netip.Addr{}); !errors.Is(err, ErrInvalidIP) {
		t.Errorf("TruncateAddr(zero Addr) error = %v, want ErrInvalidIP", err)
	}
}

// ipv4Inside is where an IPv6 address carries an IPv4 address, written
// apart from the implementation (embeddedIPv4) from the RFCs' prefixes.
func ipv4Inside(a netip.Addr) (int, bool) {
	for _, e := range []struct {
		prefix string
		start  int
	}{
		{"2002::/16", 16}, {"2001::/32", 32}, {"64:ff9b::/96", 96}, {"64:ff9b:1::/48", 48},
		{"::/96", 96}, {"::ffff:0:0:0/96", 96},
	} {
		if netip.MustParsePrefix(e.prefix).Contains(a.WithZone("")) {
			return e.start, true
		}
	}
	b := a.As16()
	if b[8] <= 3 && b[9] == 0 && b[10] == 0x5e && b[11] == 0xfe {
		return 96, true
	}
	return 0, false
}

// checkTruncated fails unless got is out with the host bits of the family
// prefix zeroed and no zone.
func checkTruncated(t *testing.T, tr IPTruncator, in, got netip.Addr) {
	t.Helper()
	if got.Zone() != "" {
		t.Errorf("truncating %v kept zone %q", in, got.Zone())
	}
	if got.Is4In6() != in.Is4In6() || got.Is4() != in.Is4() {
		t.Errorf("truncating %v changed its form to %v", in, got)
	}
	v4, v6 := tr.Prefixes()
	bits, plain := v6, got
	if got.Is4() || got.Is4In6() {
		bits, plain = v4, got.Unmap()
	} else if start, ok := ipv4Inside(in); ok {
		bits = min(bits, start+v4)
	}
	p, err := plain.Prefix(bits)
	if err != nil || p.Addr() != plain {
		t.Errorf("truncating %v gave %v, which has host bits beyond /%d", in, got, bits)
	}
	inPrefix, _ := in.WithZone("").Unmap().Prefix(bits)
	if !inPrefix.Contains(plain) {
		t.Errorf("truncating %v gave %v, outside its /%d", in, got, bits)
	}
}

func FuzzIPTruncatorString(f *testing.F) {
	for _, s := range []string{"192.0.2.33", "2001:db8::1", "fe80::1%eth0", "::ffff:1.2.3.4", "1.2.3", "::", "0.0.0.0"} {
		f.Add(s, uint8(24), uint8(48))
	}
	f.Fuzz(func(t *testing.T, s string, v4, v6 uint8) {
		tr, err := NewIPTruncator(WithIPv4Prefix(int(v4)), WithIPv6Prefix(int(v6)))
		if err != nil {
			if !errors.Is(err, ErrInvalidParameter) || (v4 <= 32 && v6 <= 128) {
				t.Fatalf("NewIPTruncator(%d, %d) error = %v", v4, v6, err)
			}
			return
		}
		got, err := tr.TruncateString(s)
		in, parseErr := netip.ParseAddr(s)
		if (err != nil) != (parseErr != nil) {
			t.Fatalf("TruncateString(%q) error = %v, but ParseAddr error = %v", s, err, parseErr)
		}
		if err != nil {
			checkFailedClosed(t, s, got, err, ErrInvalidIP)
			return
		}
		out, err := netip.ParseAddr(got)
		if err != nil {
			t.Fatalf("TruncateString(%q) = %q, which does not parse: %v", s, got, err)
		}
		checkTruncated(t, tr, in, out)
	})
}

func FuzzIPTruncatorBytes(f *testing.F) {
	f.Add([]byte{192, 0, 2, 33}, uint8(24), uint8(48))
	f.Add(bytes.Repeat([]byte{0xab}, 16), uint8(24), uint8(48))
	f.Add([]byte{1, 2, 3}, uint8(8), uint8(8))
	f.Fuzz(func(t *testing.T, b []byte, v4, v6 uint8) {
		tr, err := NewIPTruncator(WithIPv4Prefix(int(v4%33)), WithIPv6Prefix(int(v6%129)))
		if err != nil {
			t.Fatal(err)
		}
		got, err := tr.TruncateBytes(b)
		if len(b) != 4 && len(b) != 16 {
			if !errors.Is(err, ErrInvalidIP) {
				t.Fatalf("TruncateBytes(%d bytes) error = %v, want ErrInvalidIP", len(b), err)
			}
			return
		}
		if err != nil || len(got) != len(b) {
			t.Fatalf("TruncateBytes(%v) = %v, %v; want %d bytes", b, got, err, len(b))
		}
		in, _ := netip.AddrFromSlice(b)
		out, _ := netip.AddrFromSlice(got)
		checkTruncated(t, tr, in, out)
	})
}

func BenchmarkIPTruncatorTruncateString(b *testing.B) {
	benchTransform(b, must(NewIPTruncator()).TruncateString, "2001:db8:85a3:8d3:1319:8a2e:370:7348")
}

func BenchmarkIPTruncatorTruncateBytes(b *testing.B) {
	benchTransform(b, must(NewIPTruncator()).TruncateBytes, []byte{192, 0, 2, 200})
}
