package review

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// Formats are the output formats Write knows.
var Formats = []string{"markdown", "json"}

// Write prints the request in format, one of Formats.
func (r Request) Write(w io.Writer, format string) error {
	switch format {
	case "markdown":
		return r.Markdown(w)
	case "json":
		return r.JSON(w)
	}
	return fmt.Errorf("review: unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

// JSON prints the request as one indented JSON object.
func (r Request) JSON(w io.Writer) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("review: %w", err)
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// Markdown prints the request as a Markdown document to paste into a
// pull request or a ticket: a summary, one section per Section with a
// heading per product and scenario, each change with its fields and a box
// to tick, the checklist and the decision. Catalog wording is escaped, so
// it cannot make links, HTML or headings.
func (r Request) Markdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Data-protection review request: %s → %s\n\n", md(r.Base), md(r.Head))
	n := 0
	for _, s := range r.Sections {
		for _, p := range s.Products {
			n += len(p.Items)
			for _, sc := range p.Scenarios {
				n += len(sc.Items)
			}
		}
	}
	switch {
	case n == 0:
		b.WriteString("Nothing to review: no change since the base sends more, sends it under another agreement, redacts it less, identifies more or stores it elsewhere.\n\n")
	case r.Open == 0:
		fmt.Fprintf(&b, "%s to review; every change a breaking rule reports is acknowledged.\n\n", count(n, "change"))
	default:
		fmt.Fprintf(&b, "%s to review; **%s not acknowledged**: each must be acknowledged (or undone) before this can be approved.\n\n", count(n, "change"), count(r.Open, "change"))
	}
	for _, s := range r.Sections {
		fmt.Fprintf(&b, "## %s\n\n", md(s.Title))
		for _, p := range s.Products {
			fmt.Fprintf(&b, "### Product %s (`%s`)\n\n", md(p.Name), code(p.ID))
			if p.Region != "" {
				fmt.Fprintf(&b, "Region: %s\n\n", md(p.Region))
			}
			for _, it := range p.Items {
				writeItem(&b, it)
			}
			if len(p.Items) > 0 {
				b.WriteString("\n")
			}
			writeStatements(&b, "Statements of the product", p.Statements)
			for _, sc := range p.Scenarios {
				writeScenario(&b, sc)
			}
		}
	}
	b.WriteString("## Checklist for the reviewer\n\n")
	for _, c := range r.Checklist {
		fmt.Fprintf(&b, "- [ ] %s\n", md(c))
	}
	b.WriteString("\n## Decision\n\n")
	b.WriteString("- [ ] Approved\n- [ ] Approved with conditions (below)\n- [ ] Changes requested (below)\n\n")
	b.WriteString("Reviewer:\n\nDate:\n\nConditions or requested changes:\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func writeScenario(b *strings.Builder, sc Scenario) {
	status := ""
	if sc.New {
		status = " — new scenario"
	}
	fmt.Fprintf(b, "#### %s (`%s`)%s\n\n", md(sc.Title), code(sc.ID), status)
	fmt.Fprintf(b, "- Agreement: %s (`%s`)\n", md(sc.Agreement.Title), code(sc.Agreement.ID))
	fmt.Fprintf(b, "- Purposes: %s\n", orNotStated(sc.Purposes))
	fmt.Fprintf(b, "- Recipient: %s\n", orNotStated([]string{sc.Recipient}))
	fmt.Fprintf(b, "- Storage countries: %s\n", orNotStated(sc.StorageCountries))
	fmt.Fprintf(b, "- Retention: %s\n", orNotStated([]string{sc.Retention}))
	fmt.Fprintf(b, "- Opt-out: %s\n", orNotStated([]string{sc.OptOut}))
	if sc.Where != "" {
		fmt.Fprintf(b, "- Declared at: `%s`\n", code(sc.Where))
	}
	b.WriteString("\n")
	for _, it := range sc.Items {
		writeItem(b, it)
	}
	if len(sc.Items) > 0 {
		b.WriteString("\n")
	}
	writeStatements(b, "Where the scenario's statements come from", sc.Statements)
}

func writeItem(b *strings.Builder, it Item) {
	rule := ""
	if it.Rule != "" {
		rule = fmt.Sprintf(" `%s`", code(it.Rule))
	}
	less := ""
	if it.Weaker {
		less = " *(less privacy)*"
	}
	fmt.Fprintf(b, "- [ ] %s%s%s\n", md(it.Change), rule, less)
	line := func(name, value string) {
		if value != "" {
			fmt.Fprintf(b, "  - %s: %s\n", name, value)
		}
	}
	if it.Field != "" {
		line("Item", fmt.Sprintf("%s (`%s`)", md(it.Label), code(it.Field)))
	}
	line("Category", md(it.Category))
	line("Identifiability", beforeAfter(it.Identifiability))
	line("Agreement", beforeAfter(it.Agreement))
	line("Storage countries", beforeAfter(it.StorageCountries))
	redaction := beforeAfter(it.Redaction)
	if redaction != "" && it.Kind == "redaction_changed" && it.Consent != "" {
		redaction = "with " + md(it.Consent) + ": " + redaction
	}
	line("Redaction", redaction)
	if len(it.Purposes) > 0 {
		line("Purposes", orNotStated(it.Purposes))
	}
	switch it.Acknowledgement.State {
	case Acknowledged:
		line("Acknowledgement", "acknowledged: "+md(it.Acknowledgement.Reason))
	case NotAcknowledged:
		line("Acknowledgement", "**not acknowledged**; buf breaking asks: `"+code(it.Acknowledgement.Hint)+"`")
	case Covered:
		line("Acknowledgement", "covered by the acknowledgement of "+md(it.Acknowledgement.CoveredBy))
	default:
		line("Acknowledgement", "not required (no breaking rule reports this change)")
	}
	if it.Where != "" {
		line("Declared at", "`"+code(it.Where)+"`")
	}
}

func writeStatements(b *strings.Builder, title string, ss []Statement) {
	if len(ss) == 0 {
		return
	}
	fmt.Fprintf(b, "%s:\n\n", title)
	for _, s := range ss {
		switch {
		case s.Quote != "" && s.Quote == s.Text:
			fmt.Fprintf(b, "- %s: quoted from `%s`: “%s”\n", md(s.About), code(s.Source), md(s.Quote))
		case s.Quote != "":
			fmt.Fprintf(b, "- %s: %s — quoted from `%s`: “%s”\n", md(s.About), md(s.Text), code(s.Source), md(s.Quote))
		case s.Assessment != "":
			fmt.Fprintf(b, "- %s: %s — maintainers' assessment: %s\n", md(s.About), md(s.Text), md(s.Assessment))
		default:
			fmt.Fprintf(b, "- %s: %s — **says not where it comes from**\n", md(s.About), md(s.Text))
		}
	}
	b.WriteString("\n")
}

func beforeAfter(v *BeforeAfter) string {
	switch {
	case v == nil:
		return ""
	case v.Before == "":
		return md(v.After) + " (new)"
	case v.Before == v.After:
		return md(v.After) + " (unchanged)"
	}
	return md(v.Before) + " → " + md(v.After)
}

func orNotStated(vs []string) string {
	var out []string
	for _, v := range vs {
		if v != "" {
			out = append(out, md(v))
		}
	}
	if len(out) == 0 {
		return "not stated"
	}
	return strings.Join(out, "; ")
}

func count(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// plain drops control and bidirectional-override characters, and turns
// line breaks into spaces.
func plain(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r):
			return -1
		}
		return r
	}, s)
}

// md escapes text for Markdown: the characters that make emphasis, code,
// links, tables, headings, raw HTML or entities are backslash-escaped, and
// a list or heading marker at the start.
func md(s string) string {
	var b strings.Builder
	for i, r := range plain(s) {
		if strings.ContainsRune("\\`*_{}[]<>#|~&", r) || (i == 0 && strings.ContainsRune("-+=", r)) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// code makes s safe inside a code span: no backticks, no line breaks.
func code(s string) string { return strings.ReplaceAll(plain(s), "`", "'") }
