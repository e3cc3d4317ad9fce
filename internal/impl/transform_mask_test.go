package impl

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMaskerMask(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		prefix, suffix int
		give, want     string
	}{
		{name: "suffix", prefix: 0, suffix: 4, give: "4111111111111111", want: "************1111"},
		{name: "prefix and suffix", prefix: 2, suffix: 2, give: "ABCDEFGH", want: "AB****GH"},
		{name: "nothing kept", prefix: 0, suffix: 0, give: "secret", want: "******"},
		{name: "one hidden", prefix: 2, suffix: 3, give: "abcdef", want: "ab*def"},
		{name: "exactly covered: all masked", prefix: 3, suffix: 3, give: "abcdef", want: "******"},
		{name: "over-covered: all masked", prefix: 10, suffix: 0, give: "abc", want: "***"},
		{name: "largest counts", prefix: MaxMaskKeep, suffix: MaxMaskKeep, give: "abc", want: "***"},
		{name: "empty", prefix: 1, suffix: 1, give: "", want: ""},
		{name: "runes not bytes", prefix: 1, suffix: 1, give: "Zürich—ß", want: "Z******ß"},
		{name: "CJK", prefix: 1, suffix: 0, give: "東京都港区", want: "東****"},
		{name: "invalid UTF-8 kept as U+FFFD", prefix: 1, suffix: 1, give: "\xffabc\xfe", want: "\uFFFD***\uFFFD"},
		{name: "invalid UTF-8 masked", prefix: 0, suffix: 0, give: "a\xff\xfeb", want: "****"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := NewMasker(tt.prefix, tt.suffix)
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Mask(tt.give); got != tt.want {
				t.Errorf("Mask(%q) = %q, want %q", tt.give, got, tt.want)
			}
		})
	}
}

func TestNewMaskerErrors(t *testing.T) {
	t.Parallel()
	for _, ps := range [][2]int{{-1, 0}, {0, -1}, {MaxMaskKeep + 1, 0}, {0, MaxMaskKeep + 1}, {int(^uint(0) >> 1), int(^uint(0) >> 1)}} {
		if _, err := NewMasker(ps[0], ps[1]); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("NewMasker(%d, %d) error = %v, want ErrInvalidParameter", ps[0], ps[1], err)
		}
	}
	if got := (Masker{}).Mask("abc"); got != "***" {
		t.Errorf("zero Masker: Mask(abc) = %q, want ***", got)
	}
}

func FuzzMasker(f *testing.F) {
	f.Add("4111111111111111", uint8(0), uint8(4))
	f.Add("Zürich", uint8(1), uint8(1))
	f.Add("\xff\xfe", uint8(1), uint8(0))
	f.Fuzz(func(t *testing.T, s string, prefix, suffix uint8) {
		m, err := NewMasker(int(prefix), int(suffix))
		if err != nil {
			t.Fatal(err)
		}
		got := m.Mask(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Mask(%q) = %q, not valid UTF-8", s, got)
		}
		in, out := []rune(s), []rune(got)
		if len(in) != len(out) {
			t.Fatalf("Mask(%q) = %q: %d characters, want %d", s, got, len(out), len(in))
		}
		n := len(in)
		allMasked := int(prefix)+int(suffix) >= n
		for i, r := range out {
			kept := !allMasked && (i < int(prefix) || i >= n-int(suffix))
			switch {
			case kept && r != in[i]:
				t.Fatalf("Mask(%q) = %q: character %d changed", s, got, i)
			case !kept && r != MaskRune:
				t.Fatalf("Mask(%q) = %q: character %d not masked", s, got, i)
			}
		}
		if allMasked && n > 0 && strings.Trim(got, "*") != "" {
			t.Fatalf("Mask(%q) = %q, want everything masked", s, got)
		}
	})
}

func BenchmarkMaskerMask(b *testing.B) {
	m, err := NewMasker(0, 4)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		m.Mask("4111111111111111")
	}
}
