package model

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

// HostileText returns why s cannot be shown to customers as plain text, or
// "" when it can. Labels and other catalog wording end up in Markdown,
// HTML, JSON Schema and terminals; the generators escape for each, but the
// catalog refuses what has no business in a sentence: markup, template
// and link syntax, control characters, bidirectional overrides, leading or
// trailing space, and every character a reader cannot see or that changes
// how the text around it reads: format characters (a soft hyphen, the
// invisible operators U+2061–U+2064, the Unicode tag characters, the
// interlinear annotation characters U+FFF9–U+FFFB), line and paragraph
// separators (U+2028, U+2029), the other default-ignorable characters
// (Hangul fillers, the combining grapheme joiner), variation selectors,
// private-use characters, noncharacters and unassigned code points. A
// no-break space is a space and is accepted.
func HostileText(s string) string {
	if s != strings.TrimSpace(s) {
		return "leading or trailing white space"
	}
	if why := HostileCharacter(s); why != "" {
		return why
	}
	for _, r := range s {
		switch r {
		case '<', '>':
			return "markup (< or >)"
		case '`':
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

// HostileCharacter returns why a character of s has no place in text a
// customer reads (the characters HostileText refuses: invalid UTF-8,
// bidirectional controls, control, format, separator, invisible,
// private-use, noncharacters, unassigned), or "". Translations, whose
// phrases may begin or end with a space, are held to it.
func HostileCharacter(s string) string {
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
		case unicode.Is(unicode.Cf, r):
			return fmt.Sprintf("an invisible format character (%U)", r)
		case unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r):
			return fmt.Sprintf("a line or paragraph separator (%U)", r)
		case unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r) || unicode.Is(unicode.Variation_Selector, r):
			return fmt.Sprintf("an invisible character (%U)", r)
		case unicode.Is(unicode.Co, r):
			return fmt.Sprintf("a private-use character (%U)", r)
		case unicode.Is(unicode.Noncharacter_Code_Point, r):
			return fmt.Sprintf("a noncharacter (%U)", r)
		case !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Zs):
			return fmt.Sprintf("an unassigned code point (%U)", r)
		}
	}
	return ""
}

// bareAddress matches what Markdown renderers turn into a live link
// without any link syntax (GitHub's autolinks): a web address with a
// scheme or beginning with "www.", an e-mail address.
var bareAddress = regexp.MustCompile(`(?i)[a-z][a-z0-9+.-]*://|\bwww\.|[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]`)

// HostileLabel returns why s cannot be a data item's label, or "" when it
// can: HostileText, or a bare web or e-mail address, which the pages
// would show as a live link (a label names what is sent; a statement
// quoting a source may cite an address, a label may not).
func HostileLabel(s string) string {
	if why := HostileText(s); why != "" {
		return why
	}
	if bareAddress.MatchString(s) {
		return "a web or e-mail address, which Markdown shows as a live link"
	}
	return ""
}

func (b *builder) checkTexts(pos Position, what string, texts []string) {
	for _, t := range texts {
		if why := HostileText(t); why != "" {
			b.report(pos, RuleHostileText, "%s: text %+q contains %s", what, t, why)
		}
	}
}

// checkLabel reports a data item's label that HostileLabel refuses.
func (b *builder) checkLabel(pos Position, what, label string) {
	if why := HostileLabel(label); why != "" {
		b.report(pos, RuleHostileText, "%s: text %+q contains %s", what, label, why)
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
