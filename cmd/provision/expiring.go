package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/provisionhq/provision/internal/bufimage"
	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/privacycheck"
)

const expiringDoc = `
Expiring lists, per owner, every scenario and item of the catalog whose
expiry has come or comes within the window (-within, 60 days by default,
the lint's EXPIRING_SOON window): what must be reviewed, and its expiry
renewed, before the generated code stops sending it. A scenario without
an owner is listed under "(no owner)". The day is today's (UTC) unless
-today gives one. The exit code is 0 whatever is listed; buf lint's
EXPIRED and EXPIRING_SOON rules are what fail CI.
`

// noOwner is the owner under which scenarios without one are listed.
const noOwner = "(no owner)"

// expiringOwner is one owner and what of theirs expires.
type expiringOwner struct {
	Owner string         `json:"owner"`
	Email string         `json:"email,omitempty"`
	URL   string         `json:"url,omitempty"`
	Items []expiringItem `json:"items"`
}

// expiringItem is one scenario or item that expires.
type expiringItem struct {
	Scenario string `json:"scenario"`
	// Field is the item's path; empty for the scenario itself.
	Field   string `json:"field,omitempty"`
	Expires string `json:"expires"`
	// Days is how many days from today the expiry date is; 0 for an
	// expiry by product version.
	Days    int  `json:"days"`
	Expired bool `json:"expired"`
}

// runExpiring runs `provision expiring`.
func runExpiring(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("expiring", "[-within 60d] [-today YYYY-MM-DD] [-image FILE] [-format text|json]", expiringDoc)
	within := fs.String("within", "60d", "list what expires within this many days (\"90d\")")
	todayFlag := fs.String("today", "", "the day to count from, YYYY-MM-DD (default: today, UTC)")
	image := fs.String("image", "", "read this buf image (buf build -o FILE) instead of building proto/")
	format := fs.String("format", "text", "output format: text or json")
	if code, done := parseFlags(fs, args, stdout, stderr); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(fs, stderr, fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	window, err := privacycheck.ParseDays(*within)
	if err != nil {
		return usageError(fs, stderr, fmt.Sprintf("-within: %v", err))
	}
	today, _, err := parseToday(*todayFlag)
	if err != nil {
		return usageError(fs, stderr, err.Error())
	}
	if *format != "text" && *format != "json" {
		return usageError(fs, stderr, fmt.Sprintf("unknown -format %q (want text or json)", *format))
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
	owners := expiringByOwner(c.Due(today, window))
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(owners); err != nil {
			return fail(stderr, fmt.Errorf("expiring: write JSON: %w", err))
		}
		return exitOK
	}
	if err := writeExpiring(stdout, owners, today, window); err != nil {
		return fail(stderr, fmt.Errorf("expiring: %w", err))
	}
	return exitOK
}

// expiringByOwner groups what is due by owner, in order of first
// appearance; a scenario with several owners is listed under each.
func expiringByOwner(due []model.Due) []expiringOwner {
	out := []expiringOwner{}
	index := map[string]int{}
	for _, d := range due {
		it := expiringItem{Scenario: d.Scenario.ID, Expires: model.ExpiryText(d.Expires), Days: d.Days, Expired: d.Expired}
		if d.Field != nil {
			it.Field = d.Field.Path
		}
		owners := []expiringOwner{{Owner: noOwner}}
		if os := d.Scenario.Owners(); len(os) > 0 {
			owners = owners[:0]
			for _, o := range os {
				owners = append(owners, expiringOwner{Owner: o.GetName(), Email: o.GetEmail(), URL: o.GetUrl()})
			}
		}
		for _, o := range owners {
			i, ok := index[o.Owner]
			if !ok {
				i = len(out)
				index[o.Owner] = i
				o.Items = []expiringItem{}
				out = append(out, o)
			}
			out[i].Items = append(out[i].Items, it)
		}
	}
	return out
}

func writeExpiring(w io.Writer, owners []expiringOwner, today time.Time, window time.Duration) error {
	var b strings.Builder
	if len(owners) == 0 {
		fmt.Fprintf(&b, "Nothing expires by %s (within %d days of %s).\n", today.Add(window).Format(model.DateLayout), int(window.Hours()/24), today.Format(model.DateLayout))
	}
	for i, o := range owners {
		if i > 0 {
			b.WriteString("\n")
		}
		reach := o.Email
		if reach == "" {
			reach = o.URL
		}
		if reach != "" {
			fmt.Fprintf(&b, "%s (%s)\n", o.Owner, reach)
		} else {
			fmt.Fprintf(&b, "%s\n", o.Owner)
		}
		for _, it := range o.Items {
			what := "scenario " + it.Scenario
			if it.Field != "" {
				what = "field " + it.Field + " of scenario " + it.Scenario
			}
			when := fmt.Sprintf("in %d days", it.Days)
			if it.Expired {
				when = "EXPIRED"
			}
			fmt.Fprintf(&b, "  %-26s %-12s %s\n", it.Expires, when, what)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
