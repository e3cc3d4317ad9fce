package model_test

import (
	"strings"
	"testing"
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

// FuzzHostileText checks that text the check accepts can be placed in
// Markdown and HTML as it is: no markup, no control or invisible
// characters, valid UTF-8, no surrounding space.
func FuzzHostileText(f *testing.F) {
	for _, s := range []string{"ID of the active license", "<a>", "x\u202Ey", "[a](b)", "\x00"} {
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
	})
}
