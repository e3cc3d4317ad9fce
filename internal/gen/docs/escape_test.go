package docs

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// hostile is catalog text that the model refuses, used here to show that
// the renderers would not let it act even if it got through.
const hostile = `<script>alert("x")</script> [x](javascript:alert(1)) {{.}} =HYPERLINK("http://x")`

func hostilePage() pageView {
	return pageView{
		Lang: "en", Name: "p_global", Title: hostile,
		Facts: []fact{{hostile, hostile}}, Notes: []string{hostile}, Contents: hostile,
		Scenarios: []scenarioView{{
			ID: "p.s", Title: hostile, Lead: hostile,
			Columns: []columnView{{Heading: hostile, Consents: []string{hostile}}},
			Rows: []rowView{
				{Group: true, Label: hostile},
				{Path: "a", Label: hostile, Identifiability: hostile, Cells: []cellView{{Sent: true, Text: hostile, Redaction: hostile, Ref: hostile}}},
				{Unpublished: true, Label: hostile, Cells: []cellView{{Text: hostile}}},
			},
			ItemPurposes: []string{hostile},
			NothingSent:  hostile,
		}},
		ConsentLegend: hostile, Sends: true,
		Treatments: []treatmentEntry{{ID: hostile, Term: hostile, Definition: hostile}},
		Policy:     policyView{Title: hostile, Notes: []string{hostile}},
		L:          phrases{Index: hostile, Language: hostile, Reading: hostile, Treatments: hostile},
	}
}

// unescapedMarkup finds the hostile text's markup without a backslash
// before it.
var unescapedMarkup = regexp.MustCompile(`(^|[^\\])(<script|\]\(javascript|\{\{)`)

func TestHostileTextIsEscaped(t *testing.T) {
	t.Parallel()
	langs := []langLink{{Code: "en", Name: hostile, Current: true}, {Code: "de", Name: "Deutsch"}}
	page, err := htmlPage(hostilePage(), langs)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script", `href="javascript`} {
		if strings.Contains(string(page), bad) {
			t.Errorf("the HTML page contains %q unescaped", bad)
		}
	}
	if !strings.Contains(string(page), "&lt;script&gt;") {
		t.Error("the HTML page does not show the hostile label as text")
	}
	mdPage := string(markdownPage(hostilePage(), langs))
	if m := unescapedMarkup.FindString(mdPage); m != "" {
		t.Errorf("the Markdown page contains unescaped markup %q", m)
	}
	if !strings.Contains(mdPage, `\<script\>`) {
		t.Error("the Markdown page does not show the hostile label as escaped text")
	}
}

func TestCSVCells(t *testing.T) {
	t.Parallel()
	got := csvCells("=SUM(A1)", "+1", "-2", "@x", "\tx", "plain", "", "a=b")
	want := []string{"'=SUM(A1)", "'+1", "'-2", "'@x", "'\tx", "plain", "", "a=b"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("csvCells (-want +got):\n%s", diff)
	}
}

func TestLocalizer(t *testing.T) {
	t.Parallel()
	de := newLocalizer(&Translation{Language: "de", Name: "Deutsch", Messages: map[string]Message{
		"a":   {En: "Hello {name}", Text: "Hallo {name}"},
		"old": {En: "Old text", Text: "Alter Text"},
		"nil": {En: "Empty", Text: " "},
		"rev": {En: "Reworded", Text: "Umformuliert", Review: "Worded"},
	}})
	if got := de.F("a", "Hello {name}", "name", "Welt"); got != "Hallo Welt" {
		t.Errorf("F = %q", got)
	}
	if got := de.T("old", "New text"); got != "New text" {
		t.Errorf("an outdated translation gave %q, want the English text", got)
	}
	de.T("nil", "Empty")
	de.T("gone", "Missing")
	if got := de.T("rev", "Reworded"); got != "Reworded" {
		t.Errorf("a translation marked for review gave %q, want the English text", got)
	}
	err := de.failure()
	var mt *MissingTranslationError
	if !asMissing(err, &mt) {
		t.Fatalf("failure() = %v, want a *MissingTranslationError", err)
	}
	if diff := cmp.Diff(map[string]string{"nil": "Empty", "gone": "Missing"}, mt.Missing); diff != "" {
		t.Errorf("missing (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{"old": "New text"}, mt.Outdated); diff != "" {
		t.Errorf("outdated (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{"rev": "Worded"}, mt.Review); diff != "" {
		t.Errorf("review (-want +got):\n%s", diff)
	}
	for _, key := range []string{"nil", "gone", "old", "rev"} {
		if !strings.Contains(err.Error(), key) {
			t.Errorf("the error does not name key %q: %v", key, err)
		}
	}
}

func asMissing(err error, target **MissingTranslationError) bool {
	m, ok := err.(*MissingTranslationError)
	*target = m
	return ok
}

func TestParseTranslation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, data string
		ok         bool
	}{
		{"good", `{"language":"de","name":"Deutsch","messages":{"a":{"en":"A","text":"A"}}}`, true},
		{"english", `{"language":"en","name":"English","messages":{}}`, false},
		{"bad tag", `{"language":"German","name":"Deutsch","messages":{}}`, false},
		{"no name", `{"language":"de","name":"","messages":{}}`, false},
		{"unknown field", `{"language":"de","name":"Deutsch","messages":{"a":{"en":"A","txt":"A"}}}`, false},
		{"not json", `language: de`, false},
		{"phrase with spaces", `{"language":"de","name":"Deutsch","messages":{"a":{"en":" and ","text":" und "}}}`, true},
		{"soft hyphen", `{"language":"de","name":"Deutsch","messages":{"a":{"en":"A","text":"Lizenz\u00adschlüssel"}}}`, false},
		{"tag character", `{"language":"de","name":"Deutsch","messages":{"a":{"en":"A","text":"A\udb40\udc41"}}}`, false},
		{"line separator", `{"language":"de","name":"Deutsch","messages":{"a":{"en":"A","text":"A\u2028B"}}}`, false},
		{"Hangul filler", `{"language":"de","name":"Deutsch","messages":{"a":{"en":"A","text":"A\u3164B"}}}`, false},
		{"bidi override", `{"language":"de","name":"Deutsch","messages":{"a":{"en":"A","text":"A\u202eB"}}}`, false},
	}
	for _, tt := range tests {
		_, err := ParseTranslation(tt.name+".json", []byte(tt.data))
		if (err == nil) != tt.ok {
			t.Errorf("%s: err = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}

// TestParseTranslationPlace checks that an error in a translation file
// names the file, line and column a translator has to look at.
func TestParseTranslationPlace(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, data, want string }{
		{"syntax", "{\n  \"language\": \"de\",\n  \"name\": ,\n}\n", "i18n/de.json:3:11: invalid character ','"},
		{"wrong type", "{\n  \"language\": 7\n}", "i18n/de.json:2:16: json: cannot unmarshal number"},
		{"unknown field", "{\"language\":\"de\",\"name\":\"Deutsch\",\"messages\":{\n  \"a\": {\"en\":\"A\",\n    \"txt\":\"A\"}}}", `i18n/de.json:3:5: json: unknown field "txt"`},
		{"cut short", "{\n  \"language\": \"de\",", "i18n/de.json:2:20: unexpected EOF"},
		{"empty", "", "i18n/de.json:1:1: EOF"},
		{"two objects", "{\"language\":\"de\",\"name\":\"Deutsch\"}\n{}\n", "i18n/de.json:2:1: text after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseTranslation("i18n/de.json", []byte(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseTranslation(%q) error = %v, want one containing %q", tt.data, err, tt.want)
			}
		})
	}
}

func FuzzParseTranslation(f *testing.F) {
	f.Add([]byte(`{"language":"de","name":"Deutsch","messages":{"a":{"en":"A","text":"B"}}}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := ParseTranslation("fuzz.json", data)
		if err != nil {
			return
		}
		out, err := tr.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseTranslation("fuzz.json", out)
		if err != nil {
			t.Fatalf("re-parse of %s: %v", out, err)
		}
		if diff := cmp.Diff(tr, again); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
	})
}
