package model_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/provisionhq/provision/internal/model"
)

func TestHostileText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		want string // a part of the reason; "" for acceptable text
	}{
		{"ID of the active license", ""},
		{"Portions of the computer's RAM", ""},
		{"Type, version, and bit rate (32/64-bit) of the OS", ""},
		{"Größe der Datei", ""},
		{" padded", "white space"},
		{"trailing\n", "white space"},
		{"<b>bold</b>", "markup"},
		{"a > b", "markup"},
		{"`code`", "backtick"},
		{"[click](https://example.com)", "link"},
		{"{{.Secret}}", "template"},
		{"JavaScript:alert(1)", "link"},
		{"tab\there", "control"},
		{"bell\a", "control"},
		{"left\u202Eright", "bidirectional"},
		{"isolate\u2066x\u2069", "bidirectional"},
		{"zero\u200Bwidth", "invisible"},
		{"bom\uFEFF", "invisible"},
		{"bad \xff byte", "UTF-8"},
		{"no-break\u00a0space", ""},
		{"soft\u00adhyphen", "format character (U+00AD)"},
		{"tag\U000E0041\U000E007F", "format character (U+E0041)"},
		{"line\u2028separator", "separator (U+2028)"},
		{"paragraph\u2029separator", "separator (U+2029)"},
		{"hangul\u115ffiller", "invisible character (U+115F)"},
		{"hangul\u3164filler", "invisible character (U+3164)"},
		{"halfwidth\uffa0filler", "invisible character (U+FFA0)"},
		{"invisible\u2062times", "format character (U+2062)"},
		{"annotation\ufff9a\ufffab\ufffb", "format character (U+FFF9)"},
		{"variation\ufe0fselector", "invisible character (U+FE0F)"},
		{"combining\u034fjoiner", "invisible character (U+034F)"},
		{"private\ue000use", "private-use"},
		{"non\ufdd0character", "noncharacter"},
		{"unassigned\U0010FFFD", "private-use"},
		{"unassigned\U0003FFF0", "unassigned"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			got := model.HostileText(tt.text)
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("HostileText(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// TestHostileLabel checks what a label may not hold besides: a bare web
// or e-mail address, which the pages would show as a live link.
func TestHostileLabel(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ text, want string }{
		{"Web address of the page", ""},
		{"Version (major.minor)", ""},
		{"IP address of the device", ""},
		{"See https://example.com", "web or e-mail address"},
		{"ftp://files", "web or e-mail address"},
		{"See WWW.example.com", "web or e-mail address"},
		{"alice@example.com", "web or e-mail address"},
		{"soft\u00adhyphen", "format character"},
	} {
		if got := model.HostileLabel(tt.text); tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
			t.Errorf("HostileLabel(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// FuzzHostileText checks that text the check accepts can be placed in
// Markdown and HTML as it is: no markup, no control or invisible
// characters, valid UTF-8, no surrounding space.
func FuzzHostileText(f *testing.F) {
	for _, s := range []string{"ID of the active license", "<a>", "x\u202Ey", "[a](b)", "\x00", "soft\u00adhyphen", "a\u3164b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if model.HostileText(s) != "" {
			return
		}
		if !utf8.ValidString(s) {
			t.Fatalf("accepted invalid UTF-8 %q", s)
		}
		if strings.ContainsAny(s, "<>`\u202E\u200B\x00\n") || strings.Contains(s, "](") || strings.TrimSpace(s) != s {
			t.Fatalf("accepted hostile text %q", s)
		}
		for _, r := range s {
			if unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp, unicode.Co, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector, unicode.Noncharacter_Code_Point) {
				t.Fatalf("accepted %U in %+q", r, s)
			}
		}
	})
}
