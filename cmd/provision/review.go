package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/provisionhq/provision/internal/catalogref"
	"github.com/provisionhq/provision/internal/diff"
	"github.com/provisionhq/provision/internal/review"
)

const reviewDoc = `
Review writes the data-protection review request for the changes in data
provision since BASE: every new item, agreement move, weaker redaction,
new scenario or product, new storage country and identifiability change,
grouped by product and scenario, each with what a reviewer needs from the
catalog (item label, category, identifiability, agreement and redaction
before and after, purposes, recipient, storage countries, where each
statement comes from) and the acknowledgement the author wrote, or the one
buf breaking asks for. Then the expiries renewed (before and after, with
the newest review on record) and the owners and reviews added or removed
since BASE; a renewal, or a scenario with changes, that has no review
recorded since BASE is flagged. It ends with a checklist for the reviewer
and a place for the decision.

BASE and HEAD are what provision diff reads: a directory of .proto files,
a buf image file, or a git ref of the repository. HEAD defaults to proto/
of the working tree. The request is in English (it is for the vendor's own
reviewers).
`

// reviewSynopsis is the synopsis of review's usage line.
var reviewSynopsis = "[-format " + strings.Join(review.Formats, "|") + "] [-product ID] [-base-label L] [-head-label L] [-o FILE] BASE [HEAD]"

// runReview runs `provision review BASE [HEAD]`.
func runReview(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("review", reviewSynopsis, reviewDoc)
	flags := addCompareFlags(fs, review.Formats, "markdown", "BASE", "HEAD", "review", "request")
	pair, code, done := flags.parse(fs, args, stdout, stderr)
	if done {
		return code
	}
	format, product, baseLabel, headLabel, out := flags.format, flags.product, flags.firstLabel, flags.secondLabel, flags.out
	root, baseRef, headRef, headPath := pair.root, pair.oldRef, pair.newRef, pair.newPath
	base, err := catalogref.Load(ctx, root, baseRef)
	if err != nil {
		return fail(stderr, fmt.Errorf("review: BASE %s: %w", baseRef, err))
	}
	head, err := catalogref.Load(ctx, root, headPath)
	if err != nil {
		return fail(stderr, fmt.Errorf("review: HEAD %s: %w", headRef, err))
	}
	changes := diff.Compare(base, head)
	if *product != "" {
		_, inBase := base.Product(*product)
		_, inHead := head.Product(*product)
		if !inBase && !inHead {
			return fail(stderr, fmt.Errorf("review: -product %q: neither version has a product with this ID", *product))
		}
		changes = diff.Filter(changes, *product)
	}
	req := review.MakeFrom(base, head, changes)
	if *product != "" {
		req.KeepProduct(*product)
	}
	req.Relocate(pair.newFile)
	req.Base, req.Head = labelOr(*baseLabel, baseRef), labelOr(*headLabel, headRef)
	if err := writeTo(*out, stdout, func(w io.Writer) error { return req.Write(w, *format) }); err != nil {
		return fail(stderr, fmt.Errorf("review: %w", err))
	}
	return exitOK
}

// writeTo runs write on the file at path, or on stdout when path is
// empty; errors name the file (as the -o argument).
func writeTo(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "" {
		return write(stdout)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("-o: %w", err)
	}
	w := bufio.NewWriter(f)
	err = write(w)
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("-o: write %s: %w", path, err)
	}
	return nil
}
