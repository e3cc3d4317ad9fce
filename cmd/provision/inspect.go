package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/provisionhq/provision/internal/bufimage"
	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/model"
)

const inspectDoc = `
Inspect builds the schemas under proto/ with buf (or reads the buf image
given with -image), checks them, and prints the catalog one data item a row:
product, scenario, field path, label, category, identifiability, the
agreement that allows sending it and its redaction. A scenario whose items
the source does not publish shows one row saying so.

The table fits 120 columns: the longest labels, field paths and
redactions are cut short with "…"; -wide prints them whole (so do -format
tsv and json).

Findings of the check are printed on stderr with their file:line:col, and
inspect exits 1.
`

// inspectRow is one line of the catalog table.
type inspectRow struct {
	Product         string `json:"product"`
	Scenario        string `json:"scenario"`
	Field           string `json:"field"`
	Label           string `json:"label"`
	Category        string `json:"category"`
	Identifiability string `json:"identifiability"`
	Agreement       string `json:"agreement"`
	Redaction       string `json:"redaction"`
}

// runInspect runs `provision inspect`.
func runInspect(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("inspect", "[-image FILE] [-scenario ID] [-format table|tsv|json] [-wide]", inspectDoc)
	image := fs.String("image", "", "read this buf image (buf build -o FILE) instead of building proto/")
	scenario := fs.String("scenario", "", "list only the scenario with this ID, or the scenarios of the product with this ID")
	format := fs.String("format", "table", "output format: table, tsv or json")
	wide := fs.Bool("wide", false, "print the table's cells whole, however wide the lines get")
	if code, done := parseFlags(fs, args, stdout, stderr); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(fs, stderr, fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	switch *format {
	case "table", "tsv", "json":
	default:
		return usageError(fs, stderr, fmt.Sprintf("unknown -format %q (want table, tsv or json)", *format))
	}
	root := ""
	if *image == "" {
		var err error
		if root, err = layout.FindRoot("."); err != nil {
			return fail(stderr, err)
		}
	}
	c, err := bufimage.Catalog(ctx, root, *image)
	if err != nil {
		return fail(stderr, err)
	}
	rows := inspectRows(c, *scenario)
	if len(rows) == 0 {
		fmt.Fprintf(stderr, "provision: inspect: -scenario %q: no scenario or product with this ID\n", *scenario)
		return exitFailed
	}
	width := defaultTableWidth
	if *wide {
		width = 0
	}
	if err := writeRows(stdout, *format, rows, width); err != nil {
		return fail(stderr, err)
	}
	return exitOK
}

// inspectRows lists the data items of the catalog, of only the scenario or
// product named filter when it is not empty.
func inspectRows(c *model.Catalog, filter string) []inspectRow {
	var rows []inspectRow
	for _, s := range c.Scenarios() {
		if filter != "" && filter != s.ID && filter != s.Product.ID {
			continue
		}
		s.Walk(func(f *model.Field) bool {
			rows = append(rows, inspectRow{
				Product:         s.Product.ID,
				Scenario:        s.ID,
				Field:           f.Path,
				Label:           f.Label(),
				Category:        model.EnumLabel(f.Category()),
				Identifiability: model.EnumLabel(f.Identifiability()),
				Agreement:       f.Requires(),
				Redaction:       f.DescribeRedactions(),
			})
			return true
		})
		for _, u := range s.Options.GetUnpublished() {
			rows = append(rows, inspectRow{
				Product:   s.Product.ID,
				Scenario:  s.ID,
				Field:     "(unpublished)",
				Label:     u.GetHeading() + " — see " + u.GetPointer(),
				Agreement: s.Agreement,
			})
		}
	}
	return rows
}

// writeRows writes rows in format; a table fits width characters unless
// width is 0.
func writeRows(w io.Writer, format string, rows []inspectRow, width int) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rows); err != nil {
			return fmt.Errorf("write json: %w", err)
		}
		return nil
	}
	header := []string{"PRODUCT", "SCENARIO", "FIELD", "LABEL", "CATEGORY", "IDENTIFIABILITY", "AGREEMENT", "REDACTION"}
	cells := func(r inspectRow) []string {
		return []string{r.Product, r.Scenario, r.Field, r.Label, r.Category, r.Identifiability, r.Agreement, r.Redaction}
	}
	if format == "tsv" {
		lines := []string{strings.Join(header, "\t")}
		for _, r := range rows {
			lines = append(lines, strings.Join(cells(r), "\t"))
		}
		_, err := io.WriteString(w, strings.Join(lines, "\n")+"\n")
		return err
	}
	// The table names each scenario and its product once, on a line of
	// its own, above the scenario's items.
	var table [][]string
	for i, r := range rows {
		if i == 0 || r.Scenario != rows[i-1].Scenario {
			table = append(table, []string{"SCENARIO " + r.Scenario + " (PRODUCT " + r.Product + ")"})
		}
		table = append(table, cells(r)[2:])
	}
	// The free text shrinks: label, redaction, field path, identifiability.
	return writeTable(w, header[2:], table, width, []int{0, 1, 3, 5})
}
