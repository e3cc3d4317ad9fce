package main

import (
	"io"
	"strings"
	"unicode/utf8"
)

// defaultTableWidth is the width, in characters, that inspect's table fits
// unless -wide is given.
const defaultTableWidth = 120

// minCellWidth is the narrowest a shrinkable column becomes: a few words
// stay readable before the cut.
const minCellWidth = 12

// tableGap separates the columns of a table.
const tableGap = "  "

// writeTable writes header and rows as columns aligned with spaces. When
// width is positive, the columns whose indexes shrink lists are narrowed,
// the widest first, until every line fits width characters or they are
// minCellWidth wide; a cell cut short ends with "…". A row has as many
// cells as header, or one: a heading printed on a line of its own (cut
// to width too).
func writeTable(w io.Writer, header []string, rows [][]string, width int, shrink []int) error {
	widths := make([]int, len(header))
	for _, r := range append([][]string{header}, rows...) {
		if len(r) == 1 && len(header) > 1 {
			continue
		}
		for i, cell := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	if width > 0 {
		fit(widths, width, shrink)
	}
	var b strings.Builder
	for _, r := range append([][]string{header}, rows...) {
		if len(r) == 1 && len(header) > 1 {
			if width > 0 {
				b.WriteString(cut(r[0], width))
			} else {
				b.WriteString(r[0])
			}
			b.WriteByte('\n')
			continue
		}
		var line strings.Builder
		for i, cell := range r {
			if i > 0 {
				line.WriteString(tableGap)
			}
			cell = cut(cell, widths[i])
			line.WriteString(cell)
			if i < len(r)-1 {
				line.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell)))
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// fit narrows the columns shrink of widths, always the widest of them by
// one, until the line they make is at most width wide or none can shrink.
func fit(widths []int, width int, shrink []int) {
	total := len(tableGap) * (len(widths) - 1)
	for _, w := range widths {
		total += w
	}
	for total > width {
		widest := -1
		for _, i := range shrink {
			if widths[i] > minCellWidth && (widest < 0 || widths[i] > widths[widest]) {
				widest = i
			}
		}
		if widest < 0 {
			return
		}
		widths[widest]--
		total--
	}
}

// cut returns s, or its first width-1 characters and "…" when it is
// longer than width.
func cut(s string, width int) string {
	if utf8.RuneCountInString(s) <= width {
		return s
	}
	runes := []rune(s)
	return string(runes[:width-1]) + "…"
}
