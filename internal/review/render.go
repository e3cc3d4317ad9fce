package review

import (
	"encoding/json"
	"fmt"
	"github.com/provisionhq/provision/internal/markdown"
	"io"
	"strings"
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
	fmt.Fprintf(&b, "# Data-protection review request: %s → %s\n\n", markdown.Escape(r.Base), markdown.Escape(r.Head))
	n, flagged := 0, 0
	tally := func(its []Item) {
		for _, it := range its {
			if it.Kind != KindUnreviewed {
				n++
			}
			if it.Flagged != "" {
				flagged++
			}
		}
	}
	for _, s := range r.Sections {
		for _, p := range s.Products {
			tally(p.Items)
			for _, sc := range p.Scenarios {
				tally(sc.Items)
			}
		}
	}
	switch {
	case n == 0 && flagged == 0:
		b.WriteString("Nothing to review: no change since the base sends more, sends it under another agreement, redacts it less, identifies more or stores it elsewhere.\n\n")
	case r.Open == 0:
		fmt.Fprintf(&b, "%s to review; every change a breaking rule reports is acknowledged.\n\n", count(n, "change"))
	default:
		fmt.Fprintf(&b, "%s to review; **%s not acknowledged**: each must be acknowledged (or undone) before this can be approved.\n\n", count(n, "change"), count(r.Open, "change"))
	}
	if flagged > 0 {
		fmt.Fprintf(&b, "**%s flagged for the reviewer**: an expiry renewed, or a scenario changed, with no review recorded since the base.\n\n", count(flagged, "item"))
	}
	for _, s := range r.Sections {
		fmt.Fprintf(&b, "## %s\n\n", markdown.Escape(s.Title))
		for _, p := range s.Products {
			fmt.Fprintf(&b, "### Product %s (`%s`)\n\n", markdown.Escape(p.Name), markdown.Code(p.ID))
			if p.Region != "" {
				fmt.Fprintf(&b, "Region: %s\n\n", markdown.Escape(p.Region))
			}
			for _, it := range p.Items {
				writeItem(&b, it)
			}
			if len(p.Items) > 0 {
				b.WriteString("\n")
			}
			writeStatements(&b, "Statements of the product", p.Statements)
			for _, sc := range p.Scenarios {
				writeScenario(&b, sc, s.ID == "changes")
			}
		}
	}
	b.WriteString("## Checklist for the reviewer\n\n")
	for _, c := range r.Checklist {
		fmt.Fprintf(&b, "- [ ] %s\n", markdown.Escape(c))
	}
	b.WriteString("\n## Decision\n\n")
	b.WriteString("- [ ] Approved\n- [ ] Approved with conditions (below)\n- [ ] Changes requested (below)\n\n")
	b.WriteString("Reviewer:\n\nDate:\n\nConditions or requested changes:\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// writeScenario writes sc with its items: in full (agreement, purposes,
// recipient, storage, retention, opt-out) for the changes, with its
// expiry and owners for the lifecycle sections.
func writeScenario(b *strings.Builder, sc Scenario, full bool) {
	status := ""
	if sc.New {
		status = " — new scenario"
	}
	fmt.Fprintf(b, "#### %s (`%s`)%s\n\n", markdown.Escape(sc.Title), markdown.Code(sc.ID), status)
	if !full {
		fmt.Fprintf(b, "- Expires: %s\n", orNotStated([]string{sc.Expires}))
		fmt.Fprintf(b, "- Owners: %s\n", orNotStated(sc.Owners))
		if sc.Where != "" {
			fmt.Fprintf(b, "- Declared at: `%s`\n", markdown.Code(sc.Where))
		}
		b.WriteString("\n")
		for _, it := range sc.Items {
			writeItem(b, it)
		}
		if len(sc.Items) > 0 {
			b.WriteString("\n")
		}
		writeStatements(b, "Where the expiries come from", sc.Statements)
		return
	}
	fmt.Fprintf(b, "- Agreement: %s (`%s`)\n", markdown.Escape(sc.Agreement.Title), markdown.Code(sc.Agreement.ID))
	fmt.Fprintf(b, "- Purposes: %s\n", orNotStated(sc.Purposes))
	fmt.Fprintf(b, "- Recipient: %s\n", orNotStated([]string{sc.Recipient}))
	fmt.Fprintf(b, "- Storage countries: %s\n", orNotStated(sc.StorageCountries))
	fmt.Fprintf(b, "- Retention: %s\n", orNotStated([]string{sc.Retention}))
	fmt.Fprintf(b, "- Opt-out: %s\n", orNotStated([]string{sc.OptOut}))
	if sc.Where != "" {
		fmt.Fprintf(b, "- Declared at: `%s`\n", markdown.Code(sc.Where))
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
		rule = fmt.Sprintf(" `%s`", markdown.Code(it.Rule))
	}
	less := ""
	if it.Weaker {
		less = " *(less privacy)*"
	}
	fmt.Fprintf(b, "- [ ] %s%s%s\n", markdown.Escape(it.Change), rule, less)
	line := func(name, value string) {
		if value != "" {
			fmt.Fprintf(b, "  - %s: %s\n", name, value)
		}
	}
	if it.Field != "" {
		line("Item", fmt.Sprintf("%s (`%s`)", markdown.Escape(it.Label), markdown.Code(it.Field)))
	}
	line("Category", markdown.Escape(it.Category))
	line("Identifiability", beforeAfter(it.Identifiability))
	line("Agreement", beforeAfter(it.Agreement))
	line("Storage countries", beforeAfter(it.StorageCountries))
	redaction := beforeAfter(it.Redaction)
	if redaction != "" && it.Kind == "redaction_changed" && it.Consent != "" {
		redaction = "with " + markdown.Escape(it.Consent) + ": " + redaction
	}
	line("Redaction", redaction)
	if len(it.Purposes) > 0 {
		line("Purposes", orNotStated(it.Purposes))
	}
	line("Expires", beforeAfter(it.Expires))
	line("Newest review on record", reviewWords(it.NewestReview))
	if it.Flagged != "" {
		line("**Flagged for the reviewer**", markdown.Escape(it.Flagged))
	}
	switch it.Acknowledgement.State {
	case "":
		// A lifecycle item: no acknowledgement allows it.
	case Acknowledged:
		line("Acknowledgement", "acknowledged: "+markdown.Escape(it.Acknowledgement.Reason))
	case NotAcknowledged:
		line("Acknowledgement", "**not acknowledged**; buf breaking asks: `"+markdown.Code(it.Acknowledgement.Hint)+"`")
	case Covered:
		line("Acknowledgement", "covered by the acknowledgement of "+markdown.Escape(it.Acknowledgement.CoveredBy))
	default:
		line("Acknowledgement", "not required (no breaking rule reports this change)")
	}
	if it.Where != "" {
		line("Declared at", "`"+markdown.Code(it.Where)+"`")
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
			fmt.Fprintf(b, "- %s: quoted from `%s`: “%s”\n", markdown.Escape(s.About), markdown.Code(s.Source), markdown.Escape(s.Quote))
		case s.Quote != "":
			fmt.Fprintf(b, "- %s: %s — quoted from `%s`: “%s”\n", markdown.Escape(s.About), markdown.Escape(s.Text), markdown.Code(s.Source), markdown.Escape(s.Quote))
		case s.Assessment != "":
			fmt.Fprintf(b, "- %s: %s — maintainers' assessment: %s\n", markdown.Escape(s.About), markdown.Escape(s.Text), markdown.Escape(s.Assessment))
		default:
			fmt.Fprintf(b, "- %s: %s — **says not where it comes from**\n", markdown.Escape(s.About), markdown.Escape(s.Text))
		}
	}
	b.WriteString("\n")
}

// reviewWords is a review in words, and whether the base records it.
func reviewWords(r *Review) string {
	if r == nil {
		return ""
	}
	w := fmt.Sprintf("against %s on %s by %s", markdown.Escape(r.Reference), markdown.Escape(r.Date), markdown.Escape(r.Reviewer))
	if r.Scope != "" {
		w += " (" + markdown.Escape(r.Scope) + ")"
	}
	if r.New {
		return w + ", new since the base"
	}
	return w + ", already in the base"
}

func beforeAfter(v *BeforeAfter) string {
	switch {
	case v == nil:
		return ""
	case v.Before == "":
		return markdown.Escape(v.After) + " (new)"
	case v.Before == v.After:
		return markdown.Escape(v.After) + " (unchanged)"
	}
	return markdown.Escape(v.Before) + " → " + markdown.Escape(v.After)
}

func orNotStated(vs []string) string {
	var out []string
	for _, v := range vs {
		if v != "" {
			out = append(out, markdown.Escape(v))
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
