package livecheck

import (
	"strings"
	"testing"
)

// TestMarkdownEscapesCaptureText checks that what a capture puts into a
// finding (a file name, a property name, a map key) can neither make
// markup nor leave its table cell in the Markdown report.
func TestMarkdownEscapesCaptureText(t *testing.T) {
	t.Parallel()
	r := &Report{Findings: []Finding{{
		Rule: RuleFieldUnknown, Level: Violation, Source: "cap|ture.json", Record: 2,
		Field: "items[\"a|b`c\"]", Text: `property "[x](javascript:alert(1))" <b>bold</b> is not a field` + "\nsecond line",
	}}}
	var b strings.Builder
	if err := r.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	var row string
	for _, l := range strings.Split(b.String(), "\n") {
		if strings.HasPrefix(l, "| violation |") {
			row = l
		}
	}
	if row == "" {
		t.Fatalf("no finding row in:\n%s", b.String())
	}
	for _, bad := range []string{"[x](", "<b>", "cap|ture", "a|b", "`c"} {
		if strings.Contains(row, bad) {
			t.Errorf("row %q holds %q unescaped", row, bad)
		}
	}
	for _, want := range []string{`\[x\](javascript:alert(1))`, `\<b\>bold\</b\>`, `cap\|ture.json:2`, "`items[\"a\\|b'c\"]`", "second line"} {
		if !strings.Contains(row, want) {
			t.Errorf("row %q lacks %q", row, want)
		}
	}
}
