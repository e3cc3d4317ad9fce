package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/provisionhq/provision/internal/catalogref"
	"github.com/provisionhq/provision/internal/diff"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/privacycheck"
)

const diffDoc = `
Diff compares two versions of the catalog and prints, per product and
scenario, what changed in data provision in plain words: what is sent now
and was not, what is no longer sent, fields renamed, items that moved to
another agreement, redactions made weaker or stronger, identifiability
raised or lowered, storage countries, retention and the other handling
the pages state. Fields are matched by their number in their message, so
a rename (same number, type and label) is one change, and the other
changes of that field are listed with it.

OLD and NEW are each a directory of .proto files (a proto tree such as
proto/ or testdata/catalogs/acme, or the tree of one product package, such
as an earlier version under testdata/versions/), a buf image file (buf
build -o FILE), or a git ref of the repository (its proto/ and
third_party/ at that commit). NEW defaults to proto/ of the working
tree. Both versions are checked as generate checks the catalog.

Changes that give less privacy are marked with the ID of the buf breaking
rule that reports them, and with their acknowledgement where one is new in
NEW. With -fail-on-breaking, diff exits 1 when any such change is not
acknowledged, and prints each to stderr as buf breaking does: where,
the rule, and the acknowledgement that would allow it.
`

// diffSynopsis is the synopsis of diff's usage line: every flag, the
// formats as internal/diff lists them.
var diffSynopsis = "[-format " + strings.Join(diff.Formats, "|") + "] [-product ID] [-old-label L] [-new-label L] [-o FILE] [-fail-on-breaking] OLD [NEW]"

// runDiff runs `provision diff OLD [NEW]`.
func runDiff(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("diff", diffSynopsis, diffDoc)
	flags := addCompareFlags(fs, diff.Formats, "text", "OLD", "NEW", "compare", "report")
	failOn := fs.Bool("fail-on-breaking", false, "exit 1 when a change that gives less privacy is not acknowledged")
	pair, code, done := flags.parse(fs, args, stdout, stderr)
	if done {
		return code
	}
	format, product, oldLabel, newLabel, out := flags.format, flags.product, flags.firstLabel, flags.secondLabel, flags.out
	root, oldRef, newRef, newPath := pair.root, pair.oldRef, pair.newRef, pair.newPath
	report, products, err := diffReport(ctx, root, oldRef, newPath)
	if err != nil {
		return fail(stderr, err)
	}
	if *product != "" {
		if !slices.Contains(products, *product) {
			fmt.Fprintf(stderr, "provision: diff: -product %q: neither version has a product with this ID (they have: %s)\n", *product, strings.Join(products, ", "))
			return exitFailed
		}
		report.Changes = diff.Filter(report.Changes, *product)
	}
	report.Old, report.New = labelOr(*oldLabel, oldRef), labelOr(*newLabel, newRef)
	if err := writeReport(report, *format, *out, stdout); err != nil {
		return fail(stderr, err)
	}
	if *failOn && slices.ContainsFunc(report.Changes, diff.Change.Finding) {
		// Each finding as buf breaking and the registry word it: where,
		// the rule, and the acknowledgement that would allow it.
		for _, c := range report.Changes {
			if c.Finding() {
				pos := c.NewPos
				pos.File = pair.newFile(pos.File)
				fmt.Fprintf(stderr, "%s: %s: %s\n", pos, c.Rule, privacycheck.BreakingMessage(c))
			}
		}
		fmt.Fprintln(stderr, "provision: diff: changes that give less privacy are not acknowledged")
		return exitFailed
	}
	return exitOK
}

// diffReport loads both versions and compares them. It returns the IDs
// of the products of either version too, sorted.
func diffReport(ctx context.Context, root, oldRef, newRef string) (diff.Report, []string, error) {
	old, err := catalogref.Load(ctx, root, oldRef)
	if err != nil {
		return diff.Report{}, nil, fmt.Errorf("old version: %w", err)
	}
	new, err := catalogref.Load(ctx, root, newRef)
	if err != nil {
		return diff.Report{}, nil, fmt.Errorf("new version: %w", err)
	}
	var products []string
	for _, c := range []*model.Catalog{old, new} {
		for _, p := range c.Products {
			products = append(products, p.ID)
		}
	}
	slices.Sort(products)
	return diff.Report{Changes: diff.Compare(old, new)}, slices.Compact(products), nil
}

func labelOr(label, ref string) string {
	if label != "" {
		return label
	}
	return ref
}

// writeReport prints the report to the file path, or to stdout when path
// is empty.
func writeReport(r diff.Report, format, path string, stdout io.Writer) error {
	if path == "" {
		return r.Write(stdout, format)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("-o: %w", err)
	}
	w := bufio.NewWriter(f)
	err = r.Write(w, format)
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
