package docs

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
)

// layeredProduct declares a base agreement, an add-on and a standard mode
// that each imply it, and an extended mode that implies the standard one:
// the shape of agreements whose groups of levels the tables must word.
func layeredProduct(t *testing.T) *model.Product {
	t.Helper()
	decls := []*provisionv1.Agreement{
		{Id: "BASE", ShortName: "base terms"},
		{Id: "ADDON", ShortName: "add-on", Implies: []string{"BASE"}},
		{Id: "STANDARD", ShortName: "standard mode", Implies: []string{"BASE"}},
		{Id: "EXTENDED", ShortName: "extended mode", Implies: []string{"STANDARD"}},
	}
	a, err := impl.NewAgreements("docs.layered.v1", impl.AgreementDecls(decls)...)
	if err != nil {
		t.Fatal(err)
	}
	return &model.Product{ID: "layered", Options: &provisionv1.Product{Agreements: decls}, Agreements: a}
}

// levelsOf makes the consent levels named "ADDON+STANDARD" and so on
// ("" for the level that holds nothing).
func levelsOf(t *testing.T, p *model.Product, names ...string) []impl.Consent {
	t.Helper()
	out := make([]impl.Consent, len(names))
	for i, n := range names {
		var ids []string
		if n != "" {
			ids = strings.Split(n, "+")
		}
		c, err := p.Agreements.Consent(ids...)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = c
	}
	return out
}

// TestColumnHeading checks the words of a column: the agreements that
// make its levels, those it excludes, and the list of levels for a group
// that those words cannot describe exactly.
func TestColumnHeading(t *testing.T) {
	t.Parallel()
	p := layeredProduct(t)
	tests := []struct {
		group []string
		want  string
	}{
		{[]string{"EXTENDED", "ADDON+EXTENDED"}, "With extended mode"},
		{[]string{"STANDARD", "ADDON+STANDARD"}, "With standard mode, without extended mode"},
		{[]string{"ADDON+EXTENDED"}, "With add-on and extended mode"},
		{[]string{"ADDON", "STANDARD", "ADDON+STANDARD", "EXTENDED", "ADDON+EXTENDED"}, "With add-on or standard mode"},
		{[]string{"BASE", "ADDON"}, "With base terms, without standard mode"},
		// Not every level between BASE and ADDON+STANDARD is in it.
		{[]string{"BASE", "ADDON+STANDARD"}, "With one of these: base terms; add-on and standard mode"},
		// What it excludes is a pair of agreements: "without add-on and
		// standard mode" would read two ways.
		{[]string{"BASE", "ADDON", "STANDARD", "EXTENDED"}, "With one of these: base terms; add-on; standard mode; extended mode"},
	}
	l := newLocalizer(nil)
	for _, tt := range tests {
		if got := columnHeading(l, p, levelsOf(t, p, tt.group...), p.ConsentLevels()); got != tt.want {
			t.Errorf("columnHeading(%v) = %q, want %q", tt.group, got, tt.want)
		}
	}
}

// TestNothingSentSentence checks the sentence under a table for the
// levels that send nothing.
func TestNothingSentSentence(t *testing.T) {
	t.Parallel()
	p := layeredProduct(t)
	tests := []struct {
		sending []string
		want    string
	}{
		{[]string{"ADDON", "ADDON+STANDARD", "ADDON+EXTENDED"}, "Without add-on, nothing is sent."},
		{[]string{"BASE", "ADDON", "STANDARD", "ADDON+STANDARD", "EXTENDED", "ADDON+EXTENDED"}, "Without base terms, nothing is sent."},
		{[]string{"ADDON", "STANDARD", "ADDON+STANDARD", "EXTENDED", "ADDON+EXTENDED"}, "Without add-on or standard mode, nothing is sent."},
		{[]string{"ADDON+STANDARD", "ADDON+EXTENDED"}, "With any other consent level, nothing is sent."},
		{[]string{"STANDARD"}, "With any other consent level, nothing is sent."},
		{[]string{"", "BASE", "ADDON", "STANDARD", "ADDON+STANDARD", "EXTENDED", "ADDON+EXTENDED"}, ""},
	}
	l := newLocalizer(nil)
	for _, tt := range tests {
		if got := nothingSentSentence(l, p, levelsOf(t, p, tt.sending...), p.ConsentLevels()); got != tt.want {
			t.Errorf("nothingSentSentence(%v) = %q, want %q", tt.sending, got, tt.want)
		}
	}
}

// TestLegendDefinesEachTreatmentOnce checks that a treatment named twice
// is defined once, and that two treatments whose terms coincide get
// distinct terms and IDs.
func TestLegendDefinesEachTreatmentOnce(t *testing.T) {
	t.Parallel()
	var lg legend
	got := []treatmentEntry{
		lg.define("keep", "as it is", "sent as it is"),
		lg.define("bucket(0,10)", "rounded down to fixed steps", "rounded down to one of 0, 10"),
		lg.define("keep", "as it is", "sent as it is (defined again)"),
		lg.define("bucket(0,5)", "rounded down to fixed steps", "rounded down to one of 0, 5"),
		lg.define("bucket(0.5)", "rounded down", "rounded down to one of 0.5"),
	}
	want := []treatmentEntry{
		{ID: "treatment-keep", Term: "as it is", Definition: "sent as it is"},
		{ID: "treatment-bucket-0-10", Term: "rounded down to fixed steps", Definition: "rounded down to one of 0, 10"},
		{ID: "treatment-keep", Term: "as it is", Definition: "sent as it is"},
		{ID: "treatment-bucket-0-5", Term: "rounded down to fixed steps (3)", Definition: "rounded down to one of 0, 5"},
		{ID: "treatment-bucket-0-5-2", Term: "rounded down", Definition: "rounded down to one of 0.5"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("define (-want +got):\n%s", diff)
	}
	if len(lg.Entries) != 4 {
		t.Errorf("the legend has %d entries, want 4", len(lg.Entries))
	}
}
