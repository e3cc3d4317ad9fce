package diff_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/provisionhq/provision/internal/diff"
)

var hostile = diff.Report{
	Old: "6.1 <b>",
	New: "`current`",
	Changes: []diff.Change{{
		Kind: diff.FieldAdded, Product: "p", ProductName: "Product *one*", Scenario: "p.s", Title: "# When [x](javascript:1)",
		Field: "f", Label: "L", Text: "Now also sends: <script>alert(1)</script> | a_b\u202e\x1b[31m.",
		Weaker: true, Rule: diff.RuleFieldAdded, Acknowledged: "Because & <why>",
	}},
}

func TestRenderEscapes(t *testing.T) {
	t.Parallel()
	for _, format := range diff.Formats {
		var b bytes.Buffer
		if err := hostile.Write(&b, format); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, bad := range []string{"\x1b", "\u202e"} {
			// JSON is data: it keeps the text as it is, encoded.
			if format != "json" && strings.Contains(out, bad) {
				t.Errorf("%s output contains %q:\n%s", format, bad, out)
			}
		}
		switch format {
		case "markdown":
			for _, bad := range []string{"<script>", "[x](", "*one*", "a_b", "`current`"} {
				if strings.Contains(out, bad) {
					t.Errorf("markdown output contains unescaped %q:\n%s", bad, out)
				}
			}
		case "html":
			for _, bad := range []string{"<script>", "<b>", "<why>", "& <"} {
				if strings.Contains(out, bad) {
					t.Errorf("html output contains unescaped %q:\n%s", bad, out)
				}
			}
		case "json":
			var back diff.Report
			if err := json.Unmarshal(b.Bytes(), &back); err != nil {
				t.Fatalf("json output does not parse: %v", err)
			}
			if back.Changes[0].Text != hostile.Changes[0].Text {
				t.Errorf("json round trip changed the text: %q", back.Changes[0].Text)
			}
		}
	}
	if err := hostile.Write(&bytes.Buffer{}, "pdf"); err == nil {
		t.Error("Write with an unknown format succeeded")
	}
}

// FuzzMarkdown checks that no catalog wording can open markup in the
// Markdown changelog: every special character comes out escaped.
func FuzzMarkdown(f *testing.F) {
	f.Add("Now also sends: <b>x</b> [a](b) *c* `d`")
	f.Add("- list\n# heading")
	f.Fuzz(func(t *testing.T, text string) {
		r := diff.Report{Old: "a", New: "b", Changes: []diff.Change{{Product: "p", ProductName: "P", Scenario: "s", Title: "T", Text: text}}}
		var b bytes.Buffer
		if err := r.Markdown(&b); err != nil {
			t.Fatal(err)
		}
		line := strings.Split(b.String(), "\n")[6]
		if !strings.HasPrefix(line, "- ") {
			t.Fatalf("bullet line %q", line)
		}
		body := line[2:]
		for i := 0; i < len(body); i++ {
			if body[i] == '\\' {
				i++
				continue
			}
			if strings.IndexByte("`*_{}[]<>|~&", body[i]) >= 0 || (i == 0 && body[i] == '#') {
				t.Fatalf("unescaped %q in %q", body[i], body)
			}
		}
	})
}

func ExampleReport_Markdown() {
	r := diff.Report{Old: "6.1", New: "6.2", Changes: []diff.Change{
		{Kind: diff.FieldAdded, Product: "ksvla", ProductName: "Light Agent", Scenario: "ksvla.activation",
			Title: "Activation with an activation code", Field: "os_name",
			Text: "Now also sends: Name of the operating system, as it is.", Weaker: true, Rule: diff.RuleFieldAdded},
		{Kind: diff.FieldRemoved, Product: "ksvla", ProductName: "Light Agent", Scenario: "ksvla.links",
			Title: "Links from the interface", Field: "installation_id",
			Text: "No longer sends: Unique ID of the installation."},
	}}
	if err := r.Markdown(os.Stdout); err != nil {
		panic(err)
	}
	// Output:
	// # Changes in data provision: 6.1 → 6.2
	//
	// ## Light Agent
	//
	// ### Activation with an activation code
	//
	// - Now also sends: Name of the operating system, as it is. *(less privacy)*
	//
	// ### Links from the interface
	//
	// - No longer sends: Unique ID of the installation.
}

// TestRenderReviewed checks that every format names the review a renewal
// rests on, and escapes it as catalog wording.
func TestRenderReviewed(t *testing.T) {
	t.Parallel()
	r := diff.Report{Old: "a", New: "b", Changes: []diff.Change{{
		Kind: diff.ExpiryRenewed, Product: "p", ProductName: "P", Scenario: "p.s", Title: "S",
		Text: "The data is now sent until 2028-05-31; before, until 2027-11-30.", Old: "2027-11-30", New: "2028-05-31",
		Weaker: true, Rule: diff.RuleExpiryRenewed, Reviewed: "DPR-1 <b> (2026-11-30, DPO)",
	}}}
	tests := []struct{ format, want string }{
		{"text", "[EXPIRY_RENEWED, reviewed: DPR-1 <b> (2026-11-30, DPO)]"},
		{"markdown", "*(less privacy; reviewed: DPR-1 \\<b\\> (2026-11-30, DPO))*"},
		{"html", "(less privacy; reviewed: DPR-1 &lt;b&gt; (2026-11-30, DPO))"},
		{"json", `"reviewed": "DPR-1 \u003cb\u003e (2026-11-30, DPO)"`},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		if err := r.Write(&b, tt.format); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), tt.want) {
			t.Errorf("%s output lacks %q:\n%s", tt.format, tt.want, b.String())
		}
	}
	if r.Changes[0].Finding() {
		t.Error("a reviewed renewal is a finding")
	}
}
