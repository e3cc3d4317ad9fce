// Package markdown makes catalog text safe to print in CommonMark: every
// Markdown output of provision (the disclosure pages, changelogs, review
// requests) escapes the catalog's words through it, so that a label can
// neither start markup nor break out of its line.
package markdown

import (
	"strings"
	"unicode"
)

// Plain drops control and bidirectional-override characters from s, and
// turns line breaks and tabs into spaces: a label is one line, and reads
// in the order it is written.
func Plain(s string) string {
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

// Escape returns Plain(s) for CommonMark inline content: every character
// that could start markup (emphasis, code, links, images, tables, raw HTML,
// entities) is backslash-escaped, and so is a character that would open a
// block (a heading, a list item, a setext underline, an ordered list's
// number) at the start of a line.
func Escape(s string) string {
	var b strings.Builder
	for i, r := range Plain(s) {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '&', '~', '!', '{', '}':
			b.WriteByte('\\')
		case '#', '-', '+', '=':
			if i == 0 {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(r)
	}
	out := b.String()
	// "1. text" at the start would open an ordered list; "6.1" would not
	// (the delimiter must be followed by a space or end the line).
	if j := strings.IndexFunc(out, func(r rune) bool { return r < '0' || r > '9' }); j > 0 && (out[j] == '.' || out[j] == ')') && (j+1 == len(out) || out[j+1] == ' ') {
		out = out[:j] + "\\" + out[j:]
	}
	return out
}

// Code returns s for the inside of a code span: Plain, with its backticks
// turned into apostrophes, so that it cannot end the span.
func Code(s string) string { return strings.ReplaceAll(Plain(s), "`", "'") }
