package golang

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/reflect/protoreflect"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
)

// docWidth is the width the generated doc comments are wrapped to, the
// comment markers not counted.
const docWidth = 76

// keyIDs returns the IDs of the HMAC keys that Redact of scenario s may ask
// its KeyProvider for, sorted: those of the strategies its items get under
// some consent level of the product (an item that no consent sends, or
// whose HMAC strategy no consent selects, needs no key).
func keyIDs(s *model.Scenario) []string {
	var ids []string
	for _, c := range s.Product.ConsentLevels() {
		for _, sent := range s.Transmitted(c) {
			if id := sent.Redaction.GetHmac().GetKeyId(); id != "" {
				ids = append(ids, id)
			}
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// genPackageDoc writes the package comment of the product's Go package:
// the product, its sources, its scenarios, which agreement allows which
// items and which HMAC keys each scenario's Redact needs. Every statement
// around the items says where it comes from as the catalog does: the
// source's words in quotation marks with the source's title, or the
// maintainers' assessment with its reason. names are the Go names of the
// package's messages, by full name.
func genPackageDoc(g *protogen.GeneratedFile, f *protogen.File, prod *model.Product, names map[protoreflect.FullName]string) {
	d := &docWriter{sources: productSources(prod)}
	o := prod.Options
	d.para(fmt.Sprintf("Package %s is the data provision of product %q, %s, as this catalog describes it: one message per scenario in which the product sends data to its vendor, with the code that gates, redacts, validates and logs each payload before it is sent.",
		f.GoPackageName, prod.ID, prod.Name))
	switch pv := o.GetNameBasis(); {
	case pv.GetQuote() != nil:
		d.para("The product's name is its source's: " + d.sourced("", pv) + ".")
	case pv.GetAssessment() != "":
		d.para("The product's name is the maintainers' assessment: " + strings.TrimSuffix(pv.GetAssessment(), ".") + ".")
	}
	var refs []string
	for _, s := range o.GetSources() {
		refs = append(refs, sourceCitation(s))
	}
	if len(refs) > 0 {
		d.para("Sources: " + strings.Join(refs, "; ") + ".")
	}
	d.para("How to read what follows: words in quotation marks followed by a document's title are that document's own; a statement marked \"the maintainers' assessment\" is stated by no source. How identifying each item is and how it is redacted are this catalog's classification, not statements of the sources.")

	d.heading("Scenarios")
	d.para("Each scenario is a message. Validate it as collected under the run's consent, Redact it (or take a copy with Redacted), then send it; print and log it with fmt or log/slog, never with String.")
	for _, s := range prod.Scenarios {
		d.item(scenarioDoc(d, s, names))
	}

	d.heading("Consent")
	d.para("NewConsent makes the consent of a run from the agreements its user accepted and every agreement they imply. An item is sent when the consent grants the agreement it requires, that of every item enclosing it too.")
	for _, a := range o.GetAgreements() {
		d.item(agreementDoc(d, prod, a, names))
	}
	if none := itemsRequiring(prod, impl.AgreementNone, names); len(none) > 0 {
		d.item("No agreement allows, and Redact always clears: " + strings.Join(none, "; ") + ".")
	}

	d.heading("HMAC keys")
	d.para("Redact replaces some items by a keyed hash (HMAC-SHA256) under a key its provision.KeyProvider holds by ID. The keys each scenario's Redact may ask for, under any consent, are these; its KeyIDs method returns them.")
	for _, s := range prod.Scenarios {
		ids := keyIDs(s)
		text := "none"
		if len(ids) > 0 {
			q := make([]string, len(ids))
			for i, id := range ids {
				q[i] = strconv.Quote(id)
			}
			text = strings.Join(q, ", ")
		}
		d.item(fmt.Sprintf("[%s]: %s", names[s.Message.FullName()], text))
	}
	d.write(g)
}

// scenarioDoc describes scenario s in one list item.
func scenarioDoc(d *docWriter, s *model.Scenario, names map[protoreflect.FullName]string) string {
	o := s.Options
	src := d.withSources(o.GetSource())
	var b strings.Builder
	fmt.Fprintf(&b, "[%s], scenario %q: %s.", names[s.Message.FullName()], s.ID, strings.TrimSuffix(o.GetTitle(), "."))
	if o.GetTrigger() != "" {
		fmt.Fprintf(&b, " When: %s.", src.sourced(o.GetTrigger(), o.GetTriggerBasis()))
	}
	if s.Local() {
		b.WriteString(" Its data is not sent: no agreement allows it.")
	} else {
		fmt.Fprintf(&b, " Sent under agreement %s ([%s]).", s.Agreement, agreementConst(s.Agreement))
	}
	for _, u := range o.GetUnpublished() {
		fmt.Fprintf(&b, " Its source does not publish the items of %q", u.GetHeading())
		if u.GetPointer() != "" {
			fmt.Fprintf(&b, "; they are in %s", src.sourced(u.GetPointer(), u.GetPointerBasis()))
		}
		b.WriteString(".")
	}
	if oo := o.GetOptOut(); oo != nil {
		fmt.Fprintf(&b, " Opt-out: %s.", src.sourced(oo.GetText(), oo.GetBasis()))
	}
	if o.GetSource() != nil {
		fmt.Fprintf(&b, " Source: %s.", sourceCitation(o.GetSource()))
	}
	return b.String()
}

// agreementDoc describes agreement a of prod and the items it allows in
// one list item.
func agreementDoc(d *docWriter, prod *model.Product, a *provisionv1.Agreement, names map[protoreflect.FullName]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "[%s], %s: %s.", agreementConst(a.GetId()), a.GetId(), d.sourced(strconv.Quote(a.GetTitle()), a.GetOrigin()))
	if len(a.GetImplies()) > 0 {
		fmt.Fprintf(&b, " It implies %s.", d.sourced(strings.Join(a.GetImplies(), ", "), a.GetImpliesBasis()))
	}
	if items := itemsRequiring(prod, a.GetId(), names); len(items) > 0 {
		fmt.Fprintf(&b, " It allows %s.", strings.Join(items, "; "))
	} else {
		b.WriteString(" No item requires it itself.")
	}
	return b.String()
}

// itemsRequiring lists, per scenario message, the paths of the items of
// prod that require agreement id, as "Message: a, b.c".
func itemsRequiring(prod *model.Product, id string, names map[protoreflect.FullName]string) []string {
	var out []string
	for _, s := range prod.Scenarios {
		var paths []string
		s.Walk(func(f *model.Field) bool {
			if f.Requires() == id {
				paths = append(paths, f.Path)
			}
			return true
		})
		if len(paths) > 0 {
			out = append(out, names[s.Message.FullName()]+": "+strings.Join(paths, ", "))
		}
	}
	return out
}

// productSources are the documents the product's statements may quote:
// its own and its policy's.
func productSources(prod *model.Product) []*provisionv1.Source {
	srcs := slices.Clone(prod.Options.GetSources())
	if prod.Policy != nil && prod.Policy.Options.GetSource() != nil {
		srcs = append(srcs, prod.Policy.Options.GetSource())
	}
	return srcs
}

// sourceCitation names a document: its title in quotation marks, its
// article ID and its date where it has them.
func sourceCitation(s *provisionv1.Source) string {
	parts := []string{strconv.Quote(s.GetTitle())}
	if s.GetArticleId() != "" {
		parts = append(parts, "article ID "+s.GetArticleId())
	}
	if s.GetDate() != "" {
		parts = append(parts, s.GetDate())
	}
	return strings.Join(parts, ", ")
}

// docWriter collects the lines of a doc comment, wrapped to docWidth.
type docWriter struct {
	// sources are the documents a quote may cite, by Source.ref.
	sources []*provisionv1.Source
	lines   []string
}

// withSources returns a writer of d's lines whose quotes may also cite
// extra.
func (d *docWriter) withSources(extra ...*provisionv1.Source) *docWriter {
	srcs := slices.Clone(d.sources)
	for _, s := range extra {
		if s != nil {
			srcs = append(srcs, s)
		}
	}
	return &docWriter{sources: srcs}
}

// sourced words a statement with where it comes from, as the disclosure
// pages do: a quote as "words" ("title") after the statement, or in its
// place when the statement is the quote itself; an assessment as the
// statement followed by (the maintainers' assessment: reason).
func (d *docWriter) sourced(value string, pv *provisionv1.Provenance) string {
	value = strings.TrimSuffix(value, ".")
	if q := pv.GetQuote(); q != nil {
		quote := strconv.Quote(q.GetText())
		for _, s := range d.sources {
			if s.GetRef() == q.GetSource() {
				quote += " (" + strconv.Quote(s.GetTitle()) + ")"
				break
			}
		}
		if value == "" || value == strings.TrimSuffix(q.GetText(), ".") {
			return quote
		}
		return value + ", in the source's words " + quote
	}
	if a := pv.GetAssessment(); a != "" {
		if value == "" {
			return "the maintainers' assessment: " + strings.TrimSuffix(a, ".")
		}
		return value + " (the maintainers' assessment: " + strings.TrimSuffix(a, ".") + ")"
	}
	return value
}

// write writes the lines into g as a comment.
func (d *docWriter) write(g *protogen.GeneratedFile) {
	for _, line := range d.lines {
		if line == "" {
			g.P("//")
			continue
		}
		g.P("// ", line)
	}
}

// heading adds a doc comment heading.
func (d *docWriter) heading(text string) {
	d.lines = append(d.lines, "", "# "+text, "")
}

// para adds a paragraph, separated from what precedes it by a blank line
// unless that is a heading's.
func (d *docWriter) para(text string) {
	if n := len(d.lines); n > 0 && d.lines[n-1] != "" {
		d.lines = append(d.lines, "")
	}
	d.lines = append(d.lines, wrap(text, docWidth)...)
}

// item adds a list item; consecutive items form one list.
func (d *docWriter) item(text string) {
	if n := len(d.lines); n > 0 && d.lines[n-1] != "" && !strings.HasPrefix(d.lines[n-1], "  ") {
		d.lines = append(d.lines, "")
	}
	for i, line := range wrap(text, docWidth-4) {
		if i == 0 {
			d.lines = append(d.lines, "  - "+line)
		} else {
			d.lines = append(d.lines, "    "+line)
		}
	}
}

// wrap breaks text into lines of at most width bytes at spaces (a longer
// word stands on a line of its own). Line breaks and tabs in text become
// spaces: a catalog's text cannot end the comment or start a code block.
func wrap(text string, width int) []string {
	words := strings.Fields(text)
	var lines []string
	var line strings.Builder
	for _, w := range words {
		if line.Len() > 0 && line.Len()+1+len(w) > width {
			lines = append(lines, line.String())
			line.Reset()
		}
		if line.Len() > 0 {
			line.WriteByte(' ')
		}
		line.WriteString(w)
	}
	if line.Len() > 0 {
		lines = append(lines, line.String())
	}
	return lines
}

// fieldClassification returns the paragraph appended to the doc comment of
// data item f's Go field: its label, category, identifiability, the
// agreement it requires and its redaction, as ProvisionFields lists them.
func fieldClassification(f *model.Field) string {
	sent := "sent under agreement " + f.Requires()
	if f.Requires() == impl.AgreementNone {
		sent = "never sent: no agreement allows it"
	}
	return fmt.Sprintf("Data item %q: %s, %s; %s; redaction %s.",
		f.Label(), model.EnumLabel(f.Category()), model.EnumLabel(f.Identifiability()), sent, f.DescribeRedactions())
}

// genPolicyDoc writes the package comment of the Go package of a policy
// that no product shares: what the policy is and where it comes from.
func genPolicyDoc(g *protogen.GeneratedFile, f *protogen.File, pol *model.Policy) {
	d := &docWriter{}
	o := pol.Options
	who := ""
	if o.GetOrganisation() != "" {
		who = ", of " + o.GetOrganisation()
	}
	d.para(fmt.Sprintf("Package %s declares policy %q%s, as this catalog describes it: the goals and purposes the data of its products serves, and how that data is handled where a product's scenario does not say. It holds no payload: each product's own package holds its scenarios, with the policy's statements quoted or marked as the maintainers' assessment in its disclosure pages.",
		f.GoPackageName, pol.ID, who))
	if o.GetSource() != nil {
		d.para("Source: " + sourceCitation(o.GetSource()) + ".")
	}
	d.write(g)
}
