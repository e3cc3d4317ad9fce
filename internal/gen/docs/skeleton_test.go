package docs_test

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionhq/provision/internal/diff"
	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/model"
)

// fixtureChangelog is a changelog of the catalog's first scenario with
// the changes given.
func fixtureChangelog(t *testing.T, c *model.Catalog, changes ...diff.Change) docs.Changelog {
	t.Helper()
	if len(c.Scenarios()) == 0 {
		t.Fatal("the catalog has no scenario")
	}
	s := c.Scenarios()[0]
	for i := range changes {
		changes[i].Product, changes[i].ProductName = s.Product.ID, s.Product.Name
		changes[i].Scenario, changes[i].Title = s.ID, s.Options.GetTitle()
	}
	return docs.Changelog{Product: s.Product.ID, Slug: "fixture-1.0-to-current", From: "1.0", Report: diff.Report{Changes: changes}}
}

// fullyTranslated is a translation of every text of c and cl: each
// English text prefixed with "de: ".
func fullyTranslated(c *model.Catalog, cl docs.Changelog) *docs.Translation {
	tr := docs.Skeleton(c, &docs.Translation{Language: "de", Name: "Deutsch"}, cl)
	for k, m := range tr.Messages {
		m.Text = "de: " + m.En
		tr.Messages[k] = m
	}
	return tr
}

// TestSkeletonKeepsChangelogTranslations translates a changelog, changes
// its list of changes and brings the translation up to date: a sentence
// the changelog still has keeps its translation whatever moved around it,
// a new one is left to translate, and one worded anew keeps its old
// translation marked for review, which fails generation until the mark is
// deleted.
func TestSkeletonKeepsChangelogTranslations(t *testing.T) {
	t.Parallel()
	c := loadCatalog(t)
	change := func(kind diff.Kind, text string) diff.Change { return diff.Change{Kind: kind, Text: text} }
	weaker := change(diff.StorageCountryAdded, "The data is now also stored in Atlantis (AT).")
	weaker.Weaker, weaker.Rule, weaker.Acknowledged = true, diff.RuleStorageCountryAdded, "Atlantis hosts the fixture."
	before := []diff.Change{
		change(diff.FieldAdded, "Now also sends: one, as it is."),
		change(diff.FieldRemoved, "No longer sends: two."),
		weaker,
		change(diff.RedactionChanged, "Three is now sent as a keyed hash; before, as it is."),
		change(diff.RedactionChanged, "Four is now sent as a keyed hash; before, as it is."),
	}
	inserted := change(diff.ScenarioAdded, "New scenario. It sends: five.")
	tests := []struct {
		name  string
		after func([]diff.Change) []diff.Change
		// new lists the English texts left without a translation;
		// review maps each English text now worded anew to the one it
		// was translated from.
		new    []string
		review map[string]string
	}{
		{
			name:  "a change inserted in the middle",
			after: func(ch []diff.Change) []diff.Change { return slices.Insert(ch, len(ch)/2, inserted) },
			new:   []string{inserted.Text},
		},
		{
			name:  "a change removed",
			after: func(ch []diff.Change) []diff.Change { return slices.Delete(ch, 1, 2) },
		},
		{
			name:  "the changes reversed",
			after: func(ch []diff.Change) []diff.Change { slices.Reverse(ch); return ch },
		},
		{
			name: "one sentence worded anew",
			after: func(ch []diff.Change) []diff.Change {
				ch[0].Text = "Now also sends: one, unchanged."
				return ch
			},
			review: map[string]string{"Now also sends: one, unchanged.": "Now also sends: one, as it is."},
		},
		{
			name: "the reason of an acknowledgement worded anew",
			after: func(ch []diff.Change) []diff.Change {
				ch[2].Acknowledged = "Atlantis hosts the fixture's data."
				return ch
			},
			review: map[string]string{"Atlantis hosts the fixture's data.": "Atlantis hosts the fixture."},
		},
		{
			// Two new sentences of one kind replace two old ones: which
			// old translation fits which is a guess, so neither is made.
			name: "two sentences of one kind worded anew",
			after: func(ch []diff.Change) []diff.Change {
				ch[3].Text = "Three is now sent hashed; before, as it is."
				ch[4].Text = "Four is now sent hashed; before, as it is."
				return ch
			},
			new: []string{"Three is now sent hashed; before, as it is.", "Four is now sent hashed; before, as it is."},
		},
	}
	base := fixtureChangelog(t, c, slices.Clone(before)...)
	translated := fullyTranslated(c, base)
	if err := docs.CheckTranslation(c, translated, base); err != nil {
		t.Fatalf("the fully translated fixture: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cl := fixtureChangelog(t, c, tt.after(slices.Clone(before))...)
			got := docs.Skeleton(c, translated, cl)
			var wantMissing, wantReview []string
			for _, ch := range cl.Report.Changes {
				key := docs.ChangeKey(cl.Slug, ch)
				checkMessage(t, got, key, ch.Text, tt.new, tt.review)
				wantMissing, wantReview = classify(key, ch.Text, tt.new, tt.review, wantMissing, wantReview)
				if ch.Acknowledged != "" {
					checkMessage(t, got, key+".reason", ch.Acknowledged, tt.new, tt.review)
					wantMissing, wantReview = classify(key+".reason", ch.Acknowledged, tt.new, tt.review, wantMissing, wantReview)
				}
			}
			for k, m := range translated.Messages {
				if !strings.HasPrefix(k, "changelog.") && got.Messages[k] != m {
					t.Errorf("%s: %+v, want it kept as %+v", k, got.Messages[k], m)
				}
			}

			_, err := docs.Generate(c, []*docs.Translation{got}, cl)
			var missing *docs.MissingTranslationError
			switch {
			case len(wantMissing)+len(wantReview) == 0:
				if err != nil {
					t.Fatalf("Generate: %v, want no error", err)
				}
				return
			case !errors.As(err, &missing):
				t.Fatalf("Generate: %v, want a *MissingTranslationError", err)
			}
			if diff := cmp.Diff(wantMissing, slices.Sorted(maps.Keys(missing.Missing))); diff != "" {
				t.Errorf("missing keys (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(wantReview, slices.Sorted(maps.Keys(missing.Review))); diff != "" {
				t.Errorf("keys to review (-want +got):\n%s", diff)
			}
			for _, k := range append(wantMissing, wantReview...) {
				if !strings.Contains(err.Error(), k) {
					t.Errorf("the error does not name %s: %v", k, err)
				}
			}
			// A translator fills the gaps and deletes the marks.
			for k, m := range got.Messages {
				if m.Text == "" {
					m.Text = "de: " + m.En
				}
				m.Review = ""
				got.Messages[k] = m
			}
			if _, err := docs.Generate(c, []*docs.Translation{got}, cl); err != nil {
				t.Errorf("Generate after the review: %v", err)
			}
		})
	}
}

// checkMessage checks the message of key, whose English text is en, in
// translation tr: empty when en is new, the old translation marked for
// review when en is worded anew, else the translation of en.
func checkMessage(t *testing.T, tr *docs.Translation, key, en string, fresh []string, review map[string]string) {
	t.Helper()
	want := docs.Message{En: en, Text: "de: " + en}
	if slices.Contains(fresh, en) {
		want.Text = ""
	} else if from, ok := review[en]; ok {
		want.Text, want.Review = "de: "+from, from
	}
	if diff := cmp.Diff(want, tr.Messages[key]); diff != "" {
		t.Errorf("%s (-want +got):\n%s", key, diff)
	}
}

// classify adds key to the keys generation must report missing or to
// review, as its English text en is new or worded anew; the lists stay
// sorted.
func classify(key, en string, fresh []string, review map[string]string, missing, toReview []string) ([]string, []string) {
	add := func(list []string) []string {
		if i, found := slices.BinarySearch(list, key); !found {
			list = slices.Insert(list, i, key)
		}
		return list
	}
	if slices.Contains(fresh, en) {
		return add(missing), toReview
	}
	if _, ok := review[en]; ok {
		return missing, add(toReview)
	}
	return missing, toReview
}

// TestSkeletonMarksChangedEnglish changes the English text a translation
// of the catalog was made from: the translation is kept and marked with
// that English text, generation fails naming the key until the mark is
// deleted, and an English text changed back needs no review.
func TestSkeletonMarksChangedEnglish(t *testing.T) {
	t.Parallel()
	c := loadCatalog(t)
	cl := fixtureChangelog(t, c, diff.Change{Kind: diff.FieldAdded, Text: "Now also sends: one."})
	translated := fullyTranslated(c, cl)
	var key string
	for _, k := range slices.Sorted(maps.Keys(translated.Messages)) {
		if strings.HasPrefix(k, "field.") {
			key = k
			break
		}
	}
	if key == "" {
		t.Fatal("the catalog's pages use no field label")
	}
	current := translated.Messages[key].En
	tests := []struct {
		name string
		file docs.Message // what the translation file holds for key
		want docs.Message // what Skeleton makes of it
	}{
		{
			name: "English changed",
			file: docs.Message{En: "an older label", Text: "de: an older label"},
			want: docs.Message{En: current, Text: "de: an older label", Review: "an older label"},
		},
		{
			name: "English changed twice before a review",
			file: docs.Message{En: "a newer label", Text: "de: an older label", Review: "an older label"},
			want: docs.Message{En: current, Text: "de: an older label", Review: "an older label"},
		},
		{
			name: "English changed back before a review",
			file: docs.Message{En: "a newer label", Text: "de: " + current, Review: current},
			want: docs.Message{En: current, Text: "de: " + current},
		},
		{
			name: "English changed, no translation",
			file: docs.Message{En: "an older label"},
			want: docs.Message{En: current},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tr := &docs.Translation{Language: "de", Name: "Deutsch", Messages: maps.Clone(translated.Messages)}
			tr.Messages[key] = tt.file
			got := docs.Skeleton(c, tr, cl)
			if diff := cmp.Diff(tt.want, got.Messages[key]); diff != "" {
				t.Fatalf("%s (-want +got):\n%s", key, diff)
			}
			if again := docs.Skeleton(c, got, cl); !maps.Equal(got.Messages, again.Messages) {
				t.Errorf("a second update changed the translation")
			}
			_, err := docs.Generate(c, []*docs.Translation{got}, cl)
			var missing *docs.MissingTranslationError
			switch {
			case tt.want.Text == "":
				if !errors.As(err, &missing) || missing.Missing[key] != current {
					t.Errorf("Generate: %v, want %s missing", err, key)
				}
				return
			case tt.want.Review == "":
				if err != nil {
					t.Errorf("Generate: %v, want no error", err)
				}
				return
			case !errors.As(err, &missing) || missing.Review[key] != tt.want.Review:
				t.Fatalf("Generate: %v, want %s to review", err, key)
			}
			if !strings.Contains(err.Error(), key) || !strings.Contains(err.Error(), `"review"`) {
				t.Errorf("the error does not name %s and the mark to delete: %v", key, err)
			}
			m := got.Messages[key]
			m.Review = ""
			got.Messages[key] = m
			if _, err := docs.Generate(c, []*docs.Translation{got}, cl); err != nil {
				t.Errorf("Generate after the review: %v", err)
			}
		})
	}
}
