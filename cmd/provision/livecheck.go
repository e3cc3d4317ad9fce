package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/provisionhq/provision/internal/bufimage"
	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/livecheck"
)

const liveCheckDoc = `
Live-check reads payloads a product really sent, captured under a known
consent, and checks each against the catalog (proto/, built with buf, or
the image given with -image): every field the consent does not allow,
every field the message does not declare, every value without the shape
its redaction gives (a keyed hash that is not "v2:" and 64 hex digits, an
address not truncated, a URL with a query that should have gone, a
version with too many components) and every kept value that breaks its
field's rules, judged by the JSON Schema of the payload as transmitted
under that consent. It then says which scenarios and items of the
catalog the capture showed, and which it never did. A scenario or item
sent on or after its expiry date is a violation (ITEM_EXPIRED), the day
being today's (UTC) unless -today gives one; an expiry by product version
cannot be judged from a payload, which does not say the version that sent
it, and is listed as info (EXPIRY_NOT_JUDGED; buf lint's EXPIRED judges it).

A capture is files, directories of them, or - (standard input, also the
default without arguments):

	<full.message.Name>[.<tag>].json    one protojson payload
	<full.message.Name>[.<tag>].binpb   one binary payload
	[<full.message.Name>[.<tag>]].frame one Confluent frame (magic byte 0,
	                                    schema ID, message indexes); its
	                                    message comes from -registry, or
	                                    from its name
	<anything>.ndjson                   one record a line:
	                                    {"message": NAME, "payload": {…}},
	                                    {"message": NAME, "binary": BASE64}
	                                    or {"frame": BASE64}

(the tag begins with a digit: acme.notes.v1.SyncRequest.17.json).

-consent names the agreements the capture was made under, comma
separated; each applies to every product that declares it, PRODUCT:ID to
one product only; NONE for none.

Exit status: 0 when no finding is at or above -fail-on, 1 when one is,
2 for a wrong command line or a capture that cannot be read (each named
with its file and record).
`

// runLiveCheck runs `provision live-check`.
func runLiveCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return liveCheck(ctx, args, os.Stdin, stdout, stderr)
}

// liveCheck is runLiveCheck reading stdin from in.
func liveCheck(ctx context.Context, args []string, in io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("live-check", "-consent IDS [-image FILE] [-registry URL [-token KEY]] [-fail-on violation|warning] [-today YYYY-MM-DD] [-format text|json|markdown] [CAPTURE...]", liveCheckDoc)
	consent := fs.String("consent", "", "agreements the capture was made under, comma separated (PRODUCT:ID for one product; NONE for none)")
	image := fs.String("image", "", "read this buf image (buf build -o FILE) instead of building proto/")
	registry := fs.String("registry", "", "resolve Confluent frames by schema ID through the registry at this URL")
	token := fs.String("token", "", "API key of the registry, read scope (default: $PROVISION_REGISTRY_TOKEN)")
	failOn := fs.String("fail-on", "violation", "exit 1 on a finding at this level or above: violation or warning")
	format := fs.String("format", "text", "output format: text, json or markdown")
	todayFlag := fs.String("today", "", "the day expiries are compared with, YYYY-MM-DD (default: today, UTC)")
	if code, done := parseFlags(fs, args, stdout, stderr); done {
		return code
	}
	level, err := livecheck.ParseLevel(*failOn)
	if err != nil || level == livecheck.Info {
		return usageError(fs, stderr, fmt.Sprintf("unknown -fail-on %q (want violation or warning)", *failOn))
	}
	switch *format {
	case "text", "json", "markdown":
	default:
		return usageError(fs, stderr, fmt.Sprintf("unknown -format %q (want text, json or markdown)", *format))
	}
	if *consent == "" {
		return usageError(fs, stderr, "-consent is required: name the agreements the capture was made under, or NONE")
	}
	var opts []livecheck.Option
	today, given, err := parseToday(*todayFlag)
	if err != nil {
		return usageError(fs, stderr, err.Error())
	}
	if given {
		opts = append(opts, livecheck.WithClock(func() time.Time { return today }))
	}
	if *registry != "" {
		if *token == "" {
			*token = os.Getenv("PROVISION_REGISTRY_TOKEN")
		}
		reg, err := livecheck.NewRegistry(*registry, *token, nil)
		if err != nil {
			return usageError(fs, stderr, "-registry: "+err.Error())
		}
		opts = append(opts, livecheck.WithResolver(reg))
	}
	root := ""
	if *image == "" {
		if root, err = layout.FindRoot("."); err != nil {
			return fail(stderr, err)
		}
	}
	c, err := bufimage.Catalog(ctx, root, *image)
	if err != nil {
		return fail(stderr, err)
	}
	consents, err := livecheck.ParseConsent(c, *consent)
	if err != nil {
		return usageError(fs, stderr, "-consent: "+err.Error())
	}
	checker, err := livecheck.New(c, consents, opts...)
	if err != nil {
		return fail(stderr, err)
	}
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{"-"}
	}
	report := checker.Run(ctx, paths, in)
	switch *format {
	case "json":
		err = report.WriteJSON(stdout)
	case "markdown":
		err = report.WriteMarkdown(stdout)
	default:
		err = report.WriteText(stdout)
	}
	if err != nil {
		return fail(stderr, fmt.Errorf("live-check: write the report: %w", err))
	}
	for _, e := range report.InputErrors {
		fmt.Fprintf(stderr, "provision: live-check: %s\n", e)
	}
	switch {
	case len(report.InputErrors) > 0:
		return exitUsage
	case report.Fails(level):
		return exitFailed
	}
	return exitOK
}
