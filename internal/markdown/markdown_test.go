package markdown

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"ID of the active license", "ID of the active license"},
		{"Files (or parts thereof)", "Files (or parts thereof)"},
		{"[click](javascript:alert(1))", `\[click\](javascript:alert(1))`},
		{"<script>alert(1)</script>", `\<script\>alert(1)\</script\>`},
		{"*bold* _it_ `code` | pipe", `\*bold\* \_it\_ \` + "`" + `code\` + "`" + ` \| pipe`},
		{"# heading", `\# heading`},
		{"- item", `\- item`},
		{"+ item", `\+ item`},
		{"= underline", `\= underline`},
		{"a - b # c", "a - b # c"},
		{"1. first", `1\. first`},
		{"2024) x", `2024\) x`},
		{"1.", `1\.`},
		{"6.1 (example)", "6.1 (example)"},
		{"&amp; entity", `\&amp; entity`},
		{"line\nbreak", "line break"},
		{"tab\there", "tab here"},
		{"a\u202eb\x00c", "abc"},
		{`back\slash`, `back\\slash`},
		{"![img](x)", `\!\[img\](x)`},
		{"{{template}}", `\{\{template\}\}`},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCode(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"a`b": "a'b", "x\ny": "x y", "plain": "plain"} {
		if got := Code(in); got != want {
			t.Errorf("Code(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzEscape checks what Escape promises: one line, every markup
// character escaped, nothing but the escapes added to Plain(s), and a
// Code that cannot leave its span.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"ID of the active license", "[a](b)", "<b>", "# x", "1. x", "a\\*b", "\n- x", "a\u202eb", "&amp; | ~ * _ {}", "\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			t.Skip()
		}
		out := Escape(s)
		if strings.ContainsAny(out, "\n\r") {
			t.Fatalf("Escape(%q) = %q spans lines", s, out)
		}
		var unescaped strings.Builder
		escaped := false
		for i, r := range out {
			if escaped {
				escaped = false
				unescaped.WriteRune(r)
				continue
			}
			switch r {
			case '\\':
				escaped = true
				continue
			case '`', '*', '_', '[', ']', '<', '>', '|', '&', '~', '!', '{', '}':
				t.Fatalf("Escape(%q) = %q: %q at %d is not escaped", s, out, r, i)
			}
			unescaped.WriteRune(r)
		}
		if escaped {
			t.Fatalf("Escape(%q) = %q ends in a lone backslash", s, out)
		}
		if unescaped.String() != Plain(s) {
			t.Fatalf("Escape(%q) without its escapes = %q, want %q", s, unescaped.String(), Plain(s))
		}
		if c := Code(s); strings.ContainsAny(c, "`\n\r") {
			t.Fatalf("Code(%q) = %q can leave its code span", s, c)
		}
	})
}
