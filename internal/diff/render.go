package diff

import (
	"encoding/json"
	"fmt"
	"github.com/provisionhq/provision/internal/markdown"
	"html"
	"io"
	"strings"
)

// Report is a list of changes between two labelled versions, ready to be
// printed.
type Report struct {
	// Old and New name the versions compared ("6.1 (example)", a git ref,
	// a directory).
	Old string `json:"old"`
	New string `json:"new"`
	// Changes are the changes, as Compare lists them.
	Changes []Change `json:"changes"`
}

// group is the changes of one product or one scenario of it.
type group struct {
	product, productName, scenario, title string
	changes                               []Change
}

// groups splits the changes, in order, into runs of one product-level
// group followed by one group per scenario.
func (r Report) groups() []group {
	var out []group
	for _, c := range r.Changes {
		if n := len(out); n > 0 && out[n-1].product == c.Product && out[n-1].scenario == c.Scenario {
			out[n-1].changes = append(out[n-1].changes, c)
			continue
		}
		out = append(out, group{product: c.Product, productName: c.ProductName, scenario: c.Scenario, title: c.Title, changes: []Change{c}})
	}
	return out
}

// Text prints the report as plain text: a heading line per product and
// scenario and one indented line per change. Catalog wording is printed
// with control characters removed, so it cannot drive a terminal.
func (r Report) Text(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Changes in data provision from %s to %s\n", markdown.Plain(r.Old), markdown.Plain(r.New))
	if len(r.Changes) == 0 {
		b.WriteString("\nNo change.\n")
	}
	product := ""
	for _, g := range r.groups() {
		if g.product != product {
			product = g.product
			fmt.Fprintf(&b, "\n%s (%s)\n", markdown.Plain(g.productName), markdown.Plain(g.product))
		}
		indent := "  "
		if g.scenario != "" {
			fmt.Fprintf(&b, "  %s [%s]\n", markdown.Plain(g.title), markdown.Plain(g.scenario))
			indent = "    "
		}
		for _, c := range g.changes {
			fmt.Fprintf(&b, "%s- %s%s\n", indent, markdown.Plain(c.Text), markdown.Plain(textNote(c)))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func textNote(c Change) string {
	switch {
	case c.Acknowledged != "":
		return fmt.Sprintf(" [%s, acknowledged: %s]", c.Rule, c.Acknowledged)
	case c.Reviewed != "":
		return fmt.Sprintf(" [%s, reviewed: %s]", c.Rule, c.Reviewed)
	case c.Rule != "":
		return fmt.Sprintf(" [%s]", c.Rule)
	}
	return ""
}

// Markdown prints the report as a Markdown page: a section per product, a
// subsection per scenario, a bullet per change. Changes that give less
// privacy are marked, with the acknowledgement's reason where one was
// given. Catalog wording is escaped, so it renders as the text it is.
func (r Report) Markdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Changes in data provision: %s → %s\n\n", markdown.Escape(r.Old), markdown.Escape(r.New))
	if len(r.Changes) == 0 {
		b.WriteString("No change.\n")
	}
	product := ""
	for _, g := range r.groups() {
		if g.product != product {
			product = g.product
			fmt.Fprintf(&b, "## %s\n\n", markdown.Escape(g.productName))
		}
		if g.scenario != "" {
			fmt.Fprintf(&b, "### %s\n\n", markdown.Escape(g.title))
		}
		for _, c := range g.changes {
			fmt.Fprintf(&b, "- %s", markdown.Escape(c.Text))
			if c.Weaker {
				b.WriteString(" *(less privacy")
				if c.Acknowledged != "" {
					fmt.Fprintf(&b, "; reason: %s", markdown.Escape(c.Acknowledged))
				}
				if c.Reviewed != "" {
					fmt.Fprintf(&b, "; reviewed: %s", markdown.Escape(c.Reviewed))
				}
				b.WriteString(")*")
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, strings.TrimRight(b.String(), "\n")+"\n")
	return err
}

// HTML prints the report as an HTML fragment for a page of the docs site:
// a heading, a section per product, a list per scenario. Every text is
// HTML-escaped; changes that give less privacy carry the class
// "less-privacy".
func (r Report) HTML(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "<h1>Changes in data provision: %s → %s</h1>\n", esc(r.Old), esc(r.New))
	if len(r.Changes) == 0 {
		b.WriteString("<p>No change.</p>\n")
	}
	product, open := "", false
	for _, g := range r.groups() {
		if g.product != product {
			if product != "" {
				b.WriteString("</section>\n")
			}
			product = g.product
			fmt.Fprintf(&b, "<section class=\"changelog-product\" id=\"%s\">\n<h2>%s</h2>\n", esc(g.product), esc(g.productName))
			open = true
		}
		if g.scenario != "" {
			fmt.Fprintf(&b, "<h3 id=\"%s\">%s</h3>\n", esc(g.scenario), esc(g.title))
		}
		b.WriteString("<ul>\n")
		for _, c := range g.changes {
			if c.Weaker {
				fmt.Fprintf(&b, "<li class=\"less-privacy\">%s <em>(less privacy", esc(c.Text))
				if c.Acknowledged != "" {
					fmt.Fprintf(&b, "; reason: %s", esc(c.Acknowledged))
				}
				if c.Reviewed != "" {
					fmt.Fprintf(&b, "; reviewed: %s", esc(c.Reviewed))
				}
				b.WriteString(")</em></li>\n")
				continue
			}
			fmt.Fprintf(&b, "<li>%s</li>\n", esc(c.Text))
		}
		b.WriteString("</ul>\n")
	}
	if open {
		b.WriteString("</section>\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func esc(s string) string { return html.EscapeString(markdown.Plain(s)) }

// JSON prints the report as one indented JSON object.
func (r Report) JSON(w io.Writer) error {
	if r.Changes == nil {
		r.Changes = []Change{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("diff: encode report: %w", err)
	}
	return nil
}

// Formats are the names Write accepts.
var Formats = []string{"text", "markdown", "json", "html"}

// Write prints the report in the named format: text, markdown, json or
// html.
func (r Report) Write(w io.Writer, format string) error {
	switch format {
	case "text":
		return r.Text(w)
	case "markdown", "md":
		return r.Markdown(w)
	case "json":
		return r.JSON(w)
	case "html":
		return r.HTML(w)
	}
	return fmt.Errorf("diff: unknown format %q (want text, markdown, json or html)", format)
}
