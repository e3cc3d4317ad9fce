package main

import (
	"path/filepath"
	"regexp"
	"testing"

	"github.com/provisionhq/provision/internal/layout"
)

// vendorWords matches the names of the vendor and products of the
// repository's own catalog (as internal/catalogtest does): the commands
// must print none of them for another company's catalog.
var vendorWords = regexp.MustCompile(`(?i)kaspersky|\bksn\b|ksvla|kess|keystone|light agent|security network`)

// TestSecondCatalog runs diff and inspect on the catalog of a fictional
// company (testdata/catalogs/acme, and acme-v2 with one change that gives
// less privacy): they work as they do on the repository's catalog, and
// print the fictional catalog's words and none of the repository's.
func TestSecondCatalog(t *testing.T) {
	t.Parallel()
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	v1 := filepath.Join(root, "testdata", "catalogs", "acme")
	v2 := filepath.Join(root, "testdata", "catalogs", "acme-v2")
	image, _ := acmeImage(t)
	tests := []cliCase{
		{name: "diff", args: []string{"diff", "-old-label", "1.0", "-new-label", "2.0", v1, v2}, wantCode: exitOK,
			wantStdout: []string{"Acme Notes (acme-notes)", "now sent with the Acme Notes Terms of Service; before, only with the Acme usage analytics (opt-in). [FIELD_AGREEMENT_WEAKENED]"}},
		{name: "diff json", args: []string{"diff", "-format", "json", v1, v2}, wantCode: exitOK,
			wantStdout: []string{`"rule": "FIELD_AGREEMENT_WEAKENED"`, `"old": "USAGE_ANALYTICS"`}},
		{name: "diff fails on breaking", args: []string{"diff", "-fail-on-breaking", v1, v2}, wantCode: exitFailed,
			wantStdout: []string{"FIELD_AGREEMENT_WEAKENED"}, wantStderr: []string{"not acknowledged"}},
		{name: "diff without change", args: []string{"diff", "-fail-on-breaking", v1, v1}, wantCode: exitOK,
			wantStdout: []string{"No change."}},
		{name: "inspect", args: []string{"inspect", "-wide", "-image", image}, wantCode: exitOK,
			wantStdout: []string{"acme-notes.sync", "client.locale", "USAGE_ANALYTICS", "hmac(key=acme-device)", "acme-notes.local-drafts", "NONE"}},
	}
	for i := range tests {
		tests[i].forbid = vendorWords // nothing of the repository's catalog
	}
	runCLICases(t, tests)
}
