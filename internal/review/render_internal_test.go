package review

import (
	"strings"
	"testing"
)

// FuzzMarkdownText holds md and code, which every text of the catalog
// goes through before it reaches the Markdown request, to what they
// promise: no character that makes Markdown or HTML is left unescaped,
// no line break is left, and nothing but the escapes is added.
func FuzzMarkdownText(f *testing.F) {
	for _, s := range []string{"", "plain words", "<script>alert(1)</script>", "[x](http://e.test)", "# heading\n- item", "`code`", "a\u202eb", "&amp; | ~ * _ {}", "-leading", "\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := md(s)
		if strings.ContainsAny(out, "\n\r") {
			t.Fatalf("md(%q) = %q holds a line break", s, out)
		}
		var unescaped strings.Builder
		for i := 0; i < len(out); i++ {
			if out[i] == '\\' {
				i++
				if i == len(out) {
					t.Fatalf("md(%q) = %q ends in a lone backslash", s, out)
				}
				unescaped.WriteByte(out[i])
				continue
			}
			if strings.IndexByte("\\`*_{}[]<>#|~&", out[i]) >= 0 {
				t.Fatalf("md(%q) = %q leaves %q unescaped", s, out, out[i])
			}
			unescaped.WriteByte(out[i])
		}
		if unescaped.String() != plain(s) {
			t.Fatalf("md(%q) without its escapes = %q, want %q", s, unescaped.String(), plain(s))
		}
		if c := code(s); strings.ContainsAny(c, "`\n\r") {
			t.Fatalf("code(%q) = %q can leave its code span", s, c)
		}
	})
}
