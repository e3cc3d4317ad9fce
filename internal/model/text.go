package model

import (
	"strings"
	"unicode"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

// HostileText returns why s cannot be shown to customers as plain text, or
// "" when it can. Labels and other catalog wording end up in Markdown,
// HTML, JSON Schema and terminals; the generators escape for each, but the
// catalog refuses what has no business in a sentence: markup, template
// and link syntax, control and invisible characters, bidirectional
// overrides, and leading or trailing space.
func HostileText(s string) string {
	if s != strings.TrimSpace(s) {
		return "leading or trailing white space"
	}
	for _, r := range s {
		switch {
		case r == '\uFFFD':
			return "invalid UTF-8"
		case unicode.Is(unicode.Bidi_Control, r):
			return "a bidirectional control character"
		case r == '\u200B' || r == '\u200C' || r == '\u200D' || r == '\u2060' || r == '\uFEFF':
			return "an invisible character"
		case unicode.IsControl(r):
			return "a control character"
		case r == '<' || r == '>':
			return "markup (< or >)"
		case r == '`':
			return "a backtick (code markup)"
		}
	}
	for _, bad := range []string{"](", "{{", "}}", "javascript:", "data:text"} {
		if strings.Contains(strings.ToLower(s), bad) {
			return "link or template syntax (" + bad + ")"
		}
	}
	return ""
}

func (b *builder) checkTexts(pos Position, what string, texts []string) {
	for _, t := range texts {
		if why := HostileText(t); why != "" {
			b.report(pos, RuleHostileText, "%s: text %q contains %s", what, t, why)
		}
	}
}

func scenarioTexts(o *provisionv1.Scenario) []string {
	out := []string{o.GetTitle(), o.GetSource().GetTitle()}
	for _, u := range o.GetUnpublished() {
		out = append(out, u.GetHeading())
	}
	return append(out, claimTexts(scenarioClaims(o))...)
}

func productTexts(o *provisionv1.Product) []string {
	out := []string{o.GetVersion()}
	for _, s := range o.GetSources() {
		out = append(out, s.GetTitle())
	}
	return append(out, claimTexts(productClaims(o))...)
}

func policyTexts(o *provisionv1.Policy) []string {
	out := []string{o.GetOrganisation(), o.GetSource().GetTitle()}
	return append(out, claimTexts(policyClaims(o))...)
}
