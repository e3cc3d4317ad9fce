package livecheck

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/provisionhq/provision/internal/markdown"
	"github.com/provisionhq/provision/internal/model"
)

// Report is the outcome of checking a capture.
type Report struct {
	// Consent is each product's consent, every agreement it holds.
	Consent map[string][]string `json:"consent"`
	// Records is how many records were read.
	Records int `json:"records"`
	// Findings are in the order of the capture, coverage last.
	Findings []Finding `json:"findings"`
	// Counts are the findings by level.
	Counts map[string]int `json:"counts"`
	// InputErrors are the inputs that could not be read, each naming its
	// file and record.
	InputErrors []string `json:"input_errors"`
	Coverage    Coverage `json:"coverage"`
}

// Coverage says which scenarios and items of the catalog a capture showed.
type Coverage struct {
	Scenarios []ScenarioCoverage `json:"scenarios"`
}

// ScenarioCoverage is one scenario's share of a capture.
type ScenarioCoverage struct {
	ID      string `json:"id"`
	Message string `json:"message"`
	// Allowed says whether the consent allows sending the scenario.
	Allowed  bool `json:"allowed"`
	Payloads int  `json:"payloads"`
	// Items are its data items, depth first.
	Items []ItemCoverage `json:"items"`
}

// ItemCoverage is one data item's share of a capture.
type ItemCoverage struct {
	Path  string `json:"path"`
	Label string `json:"label"`
	// Allowed says whether the consent lets the item be sent.
	Allowed bool `json:"allowed"`
	// Seen is in how many payloads (and list entries) the item was set.
	Seen int `json:"seen"`
}

// Run checks every record of the captures at paths (Walk) and reports.
func (ch *Checker) Run(ctx context.Context, paths []string, stdin io.Reader) *Report {
	r := &Report{Consent: map[string][]string{}, Findings: []Finding{}, InputErrors: []string{}, Counts: map[string]int{}}
	for id, c := range ch.consents {
		r.Consent[id] = append([]string{}, c.Agreements()...)
	}
	bad := func(e *InputError) { r.InputErrors = append(r.InputErrors, e.Error()) }
	Walk(paths, stdin, func(rec Record) {
		r.Records++
		fs, err := ch.Check(ctx, rec)
		if err != nil {
			bad(asInputError(rec, err))
			return
		}
		r.Findings = append(r.Findings, fs...)
	}, bad)
	r.Coverage = ch.Coverage()
	r.Findings = append(r.Findings, r.Coverage.findings()...)
	r.Findings = append(r.Findings, ch.versionExpiries()...)
	for _, f := range r.Findings {
		r.Counts[f.Level.String()]++
	}
	return r
}

// asInputError names rec in err unless err already does.
func asInputError(rec Record, err error) *InputError {
	if ie, ok := err.(*InputError); ok {
		return ie
	}
	return &InputError{Source: rec.Source, Record: rec.Line, Err: err}
}

// Coverage returns what the checker has seen so far of every scenario of
// the catalog.
func (ch *Checker) Coverage() Coverage {
	ch.mu.Lock()
	defer ch.mu.Unlock()
	var cov Coverage
	for _, s := range ch.catalog.Scenarios() {
		c := ch.consents[s.Product.ID]
		sc := ScenarioCoverage{ID: s.ID, Message: string(s.Message.FullName()), Allowed: c.Grants(s.Agreement), Payloads: ch.payloads[s.ID], Items: []ItemCoverage{}}
		s.Walk(func(f *model.Field) bool {
			_, sent := f.Under(c)
			sc.Items = append(sc.Items, ItemCoverage{Path: f.Path, Label: f.Label(), Allowed: sc.Allowed && sent, Seen: ch.seen[f]})
			return true
		})
		cov.Scenarios = append(cov.Scenarios, sc)
	}
	return cov
}

// findings are the coverage findings: every scenario the consent allows
// that no payload showed, and of the others every item allowed that no
// payload held.
func (cov Coverage) findings() []Finding {
	var out []Finding
	for _, s := range cov.Scenarios {
		if !s.Allowed {
			continue
		}
		if s.Payloads == 0 {
			out = append(out, Finding{Rule: RuleScenarioNotSeen, Level: Info, Scenario: s.ID, Message: s.Message,
				Text: fmt.Sprintf("no payload of scenario %s, which the consent allows", s.ID)})
			continue
		}
		for _, it := range s.Items {
			if it.Allowed && it.Seen == 0 {
				out = append(out, Finding{Rule: RuleItemNotSeen, Level: Info, Scenario: s.ID, Message: s.Message, Field: it.Path,
					Text: fmt.Sprintf("%q, which the consent allows, is in no payload", it.Label)})
			}
		}
	}
	return out
}

// versionExpiries are the EXPIRY_NOT_JUDGED findings: every scenario the
// consent allows that the capture showed, and every item of it the
// capture held with an expiry of its own, that expires with a product
// version. A payload does not say which version of the product sent it,
// so live-check cannot tell whether such an expiry has come; buf lint's
// EXPIRED judges it against the product's version in the catalog.
func (ch *Checker) versionExpiries() []Finding {
	ch.mu.Lock()
	defer ch.mu.Unlock()
	const cannot = "a payload does not say which version of the product sent it (buf lint's EXPIRED judges it against the catalog's product version)"
	var out []Finding
	for _, s := range ch.catalog.Scenarios() {
		if ch.payloads[s.ID] == 0 || !ch.consents[s.Product.ID].Grants(s.Agreement) {
			continue
		}
		f := Finding{Rule: RuleExpiryNotJudged, Level: Info, Scenario: s.ID, Message: string(s.Message.FullName())}
		if v := s.Expires().GetProductVersion(); v != "" {
			g := f
			g.Expires = model.ExpiryText(s.Expires())
			g.Text = fmt.Sprintf("scenario %s expires with product version %s, which a capture cannot judge: %s", s.ID, v, cannot)
			out = append(out, g)
		}
		s.Walk(func(item *model.Field) bool {
			if v := item.Item.GetExpires().GetProductVersion(); v != "" && ch.seen[item] > 0 {
				g := f
				g.Field, g.Expires = item.Path, model.ExpiryText(item.Item.GetExpires())
				g.Text = fmt.Sprintf("%q expires with product version %s, which a capture cannot judge: %s", item.Label(), v, cannot)
				out = append(out, g)
			}
			return true
		})
	}
	return out
}

// Fails reports whether the report has a finding at level at or above.
func (r *Report) Fails(at Level) bool {
	return slices.ContainsFunc(r.Findings, func(f Finding) bool { return f.Level >= at })
}

// WriteJSON writes the report as one indented JSON document.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// consentText is the consent, products by ID.
func (r *Report) consentText() string {
	var parts []string
	for _, id := range sortedKeys(r.Consent) {
		as := r.Consent[id]
		if len(as) == 0 {
			as = []string{"nothing"}
		}
		parts = append(parts, id+": "+strings.Join(as, ", "))
	}
	return strings.Join(parts, "; ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// summary is the one-line count of the report.
func (r *Report) summary() string {
	return fmt.Sprintf("%d records: %d violations, %d warnings, %d info; %d input errors",
		r.Records, r.Counts[Violation.String()], r.Counts[Warning.String()], r.Counts[Info.String()], len(r.InputErrors))
}

// coverageCounts are how many allowed scenarios and items were seen.
func (cov Coverage) counts() (scenarios, scenariosSeen, items, itemsSeen int) {
	for _, s := range cov.Scenarios {
		if !s.Allowed {
			continue
		}
		scenarios++
		if s.Payloads > 0 {
			scenariosSeen++
		}
		for _, it := range s.Items {
			if it.Allowed {
				items++
				if it.Seen > 0 {
					itemsSeen++
				}
			}
		}
	}
	return
}

// WriteText writes the report for a terminal: one line a finding
// (file:record: level RULE field: text), the input errors, the coverage
// and a summary.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "consent: %s\n", r.consentText())
	for _, f := range r.Findings {
		field := ""
		if f.Field != "" {
			field = " " + f.Field + ":"
		}
		where := f.Where()
		if f.Source == "" {
			where = f.Scenario
		}
		fmt.Fprintf(&b, "%s: %s %s%s %s\n", where, f.Level, f.Rule, field, f.Text)
	}
	for _, e := range r.InputErrors {
		fmt.Fprintf(&b, "input error: %s\n", e)
	}
	ns, nss, ni, nis := r.Coverage.counts()
	fmt.Fprintf(&b, "coverage: %d of %d scenarios the consent allows seen, %d of %d items\n", nss, ns, nis, ni)
	for _, s := range r.Coverage.Scenarios {
		state := fmt.Sprintf("payloads: %d", s.Payloads)
		if !s.Allowed {
			state += " (not allowed under this consent)"
		}
		fmt.Fprintf(&b, "  %s: %s\n", s.ID, state)
	}
	fmt.Fprintln(&b, r.summary())
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMarkdown writes the report as a Markdown document, for a CI job's
// summary or a pull request.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# provision live-check\n\nConsent: %s. %s.\n", markdown.Escape(r.consentText()), r.summary())
	if len(r.Findings) > 0 {
		b.WriteString("\n## Findings\n\n| level | rule | where | scenario | field | finding |\n|---|---|---|---|---|---|\n")
		for _, f := range r.Findings {
			fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s | %s |\n", f.Level, f.Rule, markdown.Escape(f.Where()), markdown.Escape(f.Scenario), mdCode(f.Field), markdown.Escape(f.Text))
		}
	}
	if len(r.InputErrors) > 0 {
		b.WriteString("\n## Input errors\n\n")
		for _, e := range r.InputErrors {
			fmt.Fprintf(&b, "- %s\n", markdown.Escape(e))
		}
	}
	ns, nss, ni, nis := r.Coverage.counts()
	fmt.Fprintf(&b, "\n## Coverage\n\n%d of %d scenarios the consent allows seen, %d of %d items.\n\n| scenario | allowed | payloads | items seen |\n|---|---|---|---|\n", nss, ns, nis, ni)
	for _, s := range r.Coverage.Scenarios {
		seen, allowed := 0, 0
		for _, it := range s.Items {
			if it.Allowed {
				allowed++
				if it.Seen > 0 {
					seen++
				}
			}
		}
		yes := "no"
		if s.Allowed {
			yes = "yes"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %d | %d of %d |\n", s.ID, yes, s.Payloads, seen, allowed)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdCode puts s in a code span inside a Markdown table cell: it cannot
// end the span (markdown.Code), nor the cell (a pipe is escaped, which
// GitHub's tables read inside code spans too).
func mdCode(s string) string {
	if s == "" {
		return ""
	}
	return "`" + strings.ReplaceAll(markdown.Code(s), "|", `\|`) + "`"
}
